// SPDX-License-Identifier: GPL-2.0
#include "marker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *source, *re;
	enum fm_marker_kind kind;
} builtin[] = {
    {"fstests", "^run fstests ([^ ]+) at ", FM_MARKER_TEST},
    {"blktests", "^run blktests ([^ ]+) at ", FM_MARKER_TEST},
    /* group 1 the edge, group 2 the name (trailing blanks dropped) */
    {"fragmon", "^fragmon: (begin|end)[[:space:]]+([^[:space:]](.*[^[:space:]])?)[[:space:]]*$",
     FM_MARKER_PHASE},
};
#define NBUILTIN (sizeof(builtin) / sizeof(builtin[0]))

const char *fm_marker_kind_name(enum fm_marker_kind k)
{
	return k == FM_MARKER_PHASE ? "phase" : "test";
}

static int split(const char *spec, char *label, size_t llen, const char **re, char *why,
		 size_t whylen)
{
	const char *eq = strchr(spec, '=');
	size_t n = eq ? (size_t)(eq - spec) : 0;

	if (!eq || !n || !eq[1]) {
		snprintf(why, whylen, "\"%s\": expected LABEL=REGEX", spec);
		return -1;
	}
	if (n >= llen || strspn(spec, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				      "0123456789_.-") < n) {
		snprintf(why, whylen, "\"%.*s\": a label is at most %zu of A-Z a-z 0-9 _ . -",
			 (int)n, spec, llen - 1);
		return -1;
	}
	memcpy(label, spec, n);
	label[n] = '\0';
	for (size_t i = 0; i < NBUILTIN; i++)
		if (!strcmp(label, builtin[i].source)) {
			snprintf(why, whylen, "\"%s\": the label %s is built in", spec, label);
			return -1;
		}
	*re = eq + 1;
	return 0;
}

static int compile(regex_t *re, const char *src, const char *label, char *why, size_t whylen)
{
	int rc = regcomp(re, src, REG_EXTENDED);

	if (rc) {
		char msg[128];

		regerror(rc, re, msg, sizeof(msg));
		snprintf(why, whylen, "pattern %s: \"%s\": %s", label, src, msg);
		return -1;
	}
	return 0;
}

int fm_marker_pattern_check(const char *spec, char *why, size_t whylen)
{
	char label[64];
	const char *src;
	regex_t re;

	if (split(spec, label, sizeof(label), &src, why, whylen) ||
	    compile(&re, src, label, why, whylen))
		return -1;
	regfree(&re);
	return 0;
}

int fm_markers_init(struct fm_markers *m, char *const *extra, int n, char *why, size_t whylen)
{
	m->n = 0;
	m->p = calloc(NBUILTIN + (size_t)(n > 0 ? n : 0), sizeof(*m->p));
	if (!m->p) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < NBUILTIN; i++) {
		struct fm_marker_pat *p = &m->p[m->n];

		if (compile(&p->re, builtin[i].re, builtin[i].source, why, whylen))
			goto fail;
		p->source = strdup(builtin[i].source);
		p->kind = builtin[i].kind;
		m->n++;
	}
	for (int i = 0; i < n; i++) {
		struct fm_marker_pat *p = &m->p[m->n];
		char label[64];
		const char *src;

		if (split(extra[i], label, sizeof(label), &src, why, whylen) ||
		    compile(&p->re, src, label, why, whylen))
			goto fail;
		p->source = strdup(label);
		p->kind = FM_MARKER_TEST;
		m->n++;
	}
	return 0;
fail:
	fm_markers_free(m);
	return -1;
}

void fm_markers_free(struct fm_markers *m)
{
	for (int i = 0; i < m->n; i++) {
		regfree(&m->p[i].re);
		free(m->p[i].source);
	}
	free(m->p);
	m->p = NULL;
	m->n = 0;
}

static void copy_group(char *out, const char *s, const regmatch_t *g)
{
	size_t n = g->rm_so < 0 ? 0 : (size_t)(g->rm_eo - g->rm_so);

	if (n >= FM_MARKER_NAME_MAX)
		n = FM_MARKER_NAME_MAX - 1;
	memcpy(out, s + (g->rm_so < 0 ? 0 : g->rm_so), n);
	out[n] = '\0';
}

bool fm_markers_match(const struct fm_markers *m, const char *msg, size_t len,
		      struct fm_marker *out)
{
	char line[1024];
	regmatch_t g[4];

	/* regexec needs a string: a marker is a short line, the rest is cut off */
	if (len >= sizeof(line))
		len = sizeof(line) - 1;
	memcpy(line, msg, len);
	line[len] = '\0';
	for (int i = 0; i < m->n; i++) {
		const struct fm_marker_pat *p = &m->p[i];

		if (regexec(&p->re, line, 4, g, 0))
			continue;
		out->kind = p->kind;
		out->source = p->source;
		out->end = false;
		if (p->kind == FM_MARKER_PHASE) {
			out->end = line[g[1].rm_so] == 'e';
			copy_group(out->name, line, &g[2]);
		} else {
			/* no capture group: the whole match names the test */
			copy_group(out->name, line, g[1].rm_so >= 0 ? &g[1] : &g[0]);
		}
		if (!out->name[0])
			continue;
		return true;
	}
	return false;
}
