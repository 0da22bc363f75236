// SPDX-License-Identifier: GPL-2.0
#include "tpformat.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procfs.h" /* fm_slurp */

/* "\tfield:unsigned long pfn;\toffset:8;\tsize:8;\tsigned:0;" */
static int parse_field(const char *line, struct fm_tpf_field *f)
{
	const char *decl = strstr(line, "field:"), *semi, *end, *start;
	const char *off = strstr(line, "offset:"), *size = strstr(line, "size:");
	const char *sgn = strstr(line, "signed:");

	if (!decl || !off || !size)
		return -1;
	decl += 6;
	semi = strchr(decl, ';');
	if (!semi)
		return -1;
	end = semi;
	/* "char comm[16]": the name is before the brackets */
	for (const char *b = decl; b < semi; b++)
		if (*b == '[') {
			end = b;
			break;
		}
	while (end > decl && isspace((unsigned char)end[-1]))
		end--;
	start = end;
	while (start > decl && (isalnum((unsigned char)start[-1]) || start[-1] == '_'))
		start--;
	if (start == end || (size_t)(end - start) >= sizeof(f->name))
		return -1;
	memcpy(f->name, start, (size_t)(end - start));
	f->name[end - start] = '\0';
	f->offset = atoi(off + 7);
	f->size = atoi(size + 5);
	/* "signed:" also matches inside "unsigned": take the last one */
	for (const char *s = sgn; s; s = strstr(s + 1, "signed:"))
		sgn = s;
	f->is_signed = sgn && atoi(sgn + 7) == 1;
	return f->offset >= 0 && f->size > 0 ? 0 : -1;
}

int fm_tp_format_parse(const char *text, struct fm_tp_format *out)
{
	const char *p = text;

	memset(out, 0, sizeof(*out));
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];

		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		if (!strncmp(line, "print fmt:", 10)) {
			free(out->print_fmt);
			out->print_fmt = strdup(nl ? p + 10 : line + 10);
			if (out->print_fmt && nl) /* the print format is the rest of the file */
				out->print_fmt[strcspn(out->print_fmt, "\n")] = '\0';
		} else if (strstr(line, "field:") && out->n < FM_TPF_MAX) {
			if (!parse_field(line, &out->f[out->n]))
				out->n++;
		}
		p = nl ? nl + 1 : NULL;
	}
	return out->n > 0 ? 0 : -1;
}

int fm_tp_format_read(const char *tracefs, const char *category, const char *name,
		      struct fm_tp_format *out)
{
	char path[512], *text;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "%s/events/%s/%s/format", tracefs, category, name);
	text = fm_slurp(path, 1 << 20, &len);
	if (!text)
		return -1;
	rc = fm_tp_format_parse(text, out);
	free(text);
	if (rc)
		errno = EINVAL;
	return rc;
}

void fm_tp_format_free(struct fm_tp_format *f)
{
	free(f->print_fmt);
	f->print_fmt = NULL;
}

const struct fm_tpf_field *fm_tp_format_field(const struct fm_tp_format *f, const char *name)
{
	for (int i = 0; i < f->n; i++)
		if (!strcmp(f->f[i].name, name))
			return &f->f[i];
	return NULL;
}

int fm_tp_symbols(const char *print_fmt, const char *field, const char *strip, bool lower,
		  struct fm_enum *out)
{
	char head[96];
	const char *p;
	int found = 0;

	if (!print_fmt)
		return 0;
	snprintf(head, sizeof(head), "__print_symbolic(REC->%s,", field);
	p = strstr(print_fmt, head);
	if (!p)
		return 0;
	p += strlen(head);
	/* { value, "name" } pairs up to the closing parenthesis */
	while (*p) {
		char *end;
		long long v;
		const char *q, *name;
		size_t n, plen = strip ? strlen(strip) : 0;

		while (*p && *p != '{' && *p != ')')
			p++;
		if (*p != '{')
			break;
		p++;
		v = strtoll(p, &end, 0);
		if (end == p)
			break;
		q = strchr(end, '"');
		if (!q)
			break;
		name = q + 1;
		q = strchr(name, '"');
		if (!q)
			break;
		n = (size_t)(q - name);
		if (plen && n > plen && !strncmp(name, strip, plen)) {
			name += plen;
			n -= plen;
		}
		if (v >= 0 && v < FM_ENUM_MAX && n > 0) {
			if (n >= FM_ENUM_NAME_LEN)
				n = FM_ENUM_NAME_LEN - 1;
			for (size_t j = 0; j < n; j++)
				out->names[v][j] =
				    lower ? (char)tolower((unsigned char)name[j]) : name[j];
			out->names[v][n] = '\0';
			if (v + 1 > out->n)
				out->n = (int)v + 1;
			found++;
		}
		p = q + 1;
	}
	return found;
}
