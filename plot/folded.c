// SPDX-License-Identifier: GPL-2.0
#include "folded.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

struct fline {
	char *s;
	long long n[2];
};

struct flines {
	struct fline *v;
	int n, cap;
};

static int push(struct flines *l, char *s, int side, long long n)
{
	if (!s)
		return -1;
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 256;
		struct fline *v = realloc(l->v, sizeof(*v) * (size_t)cap);

		if (!v) {
			free(s);
			return -1;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = (struct fline){s, {side ? 0 : n, side ? n : 0}};
	return 0;
}

/* frames outermost first, ';' between them */
static char *joined(const struct po_stack *s)
{
	const char *f[PO_MAX_FRAMES];
	int n = po_stack_frames(s, f, PO_MAX_FRAMES);
	char *out, *p;

	if (!n)
		return strdup("[no frames]");
	out = malloc(s->len + 1);
	if (!out)
		return NULL;
	p = out;
	for (int i = n - 1; i >= 0; i--) {
		size_t l = strlen(f[i]);

		memcpy(p, f[i], l);
		p += l;
		*p++ = i ? ';' : '\0';
	}
	return out;
}

static int collect(struct flines *l, const struct po_origin *o, int side)
{
	for (int i = 0; i < o->nstacks; i++) {
		long long n = o->stacks[i].steal + o->stacks[i].claim;

		if (n > 0 && push(l, joined(&o->stacks[i]), side, n))
			return -1;
	}
	if (o->st_map_full > 0 && push(l, strdup("[stack map full]"), side, o->st_map_full))
		return -1;
	if (o->st_failed > 0 && push(l, strdup("[stack failed]"), side, o->st_failed))
		return -1;
	return 0;
}

static int by_text(const void *x, const void *y)
{
	return strcmp(((const struct fline *)x)->s, ((const struct fline *)y)->s);
}

int po_folded_text(const struct po_origin *a, const struct po_origin *b, char **out, size_t *len)
{
	struct flines l = {0};
	size_t cap = 1, off = 0;
	char *buf = NULL;
	int k = 0, rc = -1;

	if ((a && collect(&l, a, 0)) || (b && collect(&l, b, 1)))
		goto out;
	if (l.n)
		qsort(l.v, (size_t)l.n, sizeof(*l.v), by_text);
	/* the same path twice (stacks that differ only in offsets): one line */
	for (int i = 0; i < l.n; i++) {
		if (k && !strcmp(l.v[k - 1].s, l.v[i].s)) {
			l.v[k - 1].n[0] += l.v[i].n[0];
			l.v[k - 1].n[1] += l.v[i].n[1];
			free(l.v[i].s);
			continue;
		}
		l.v[k++] = l.v[i];
	}
	l.n = k;
	for (int i = 0; i < l.n; i++)
		cap += strlen(l.v[i].s) + 44;
	if (!(buf = malloc(cap)))
		goto out;
	for (int i = 0; i < l.n; i++)
		off += (size_t)(b ? snprintf(buf + off, cap - off, "%s %lld %lld\n", l.v[i].s,
					     l.v[i].n[0], l.v[i].n[1])
				  : snprintf(buf + off, cap - off, "%s %lld\n", l.v[i].s,
					     l.v[i].n[0]));
	*out = buf;
	*len = off;
	buf = NULL;
	rc = 0;
out:
	for (int i = 0; i < l.n; i++)
		free(l.v[i].s);
	free(l.v);
	free(buf);
	return rc;
}

int po_folded_write(const char *path, const struct po_origin *a, const struct po_origin *b,
		    char *err, size_t cap)
{
	char *text;
	size_t len;
	int rc;

	if (po_folded_text(a, b, &text, &len)) {
		snprintf(err, cap, "out of memory");
		return -1;
	}
	rc = pm_write_file(path, text, len, err, cap);
	free(text);
	return rc;
}
