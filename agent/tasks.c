// SPDX-License-Identifier: GPL-2.0
#include "tasks.h"

#include <stdlib.h>
#include <string.h>

static size_t hash(const struct fm_task_key *k)
{
	const unsigned char *p = (const unsigned char *)k;
	__u64 h = 1469598103934665603ULL; /* FNV-1a */

	for (size_t i = 0; i < sizeof(*k); i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 32));
}

static struct fm_task_count *find(struct fm_task_count *slot, size_t cap,
				  const struct fm_task_key *k)
{
	for (size_t i = hash(k) & (cap - 1);; i = (i + 1) & (cap - 1))
		if (!slot[i].n || !memcmp(&slot[i].k, k, sizeof(*k)))
			return &slot[i];
}

static int grow(struct fm_tasks *t)
{
	size_t cap = t->cap ? t->cap * 2 : 256;
	struct fm_task_count *s = calloc(cap, sizeof(*s));

	if (!s)
		return -1;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i].n)
			*find(s, cap, &t->slot[i].k) = t->slot[i];
	free(t->slot);
	t->slot = s;
	t->cap = cap;
	return 0;
}

int fm_tasks_add(struct fm_tasks *t, const struct fm_task_key *k, __u64 n)
{
	struct fm_task_count *c;

	if (!n)
		return 0;
	/* at most half full, so probes stay short; once it cannot grow, only
	 * the keys it holds count on */
	if ((t->used + 1) * 2 > t->cap && (t->used >= FM_TASKS_MAX_ENTRIES || grow(t))) {
		c = t->cap ? find(t->slot, t->cap, k) : NULL;
		if (!c || !c->n) {
			t->overflow += n;
			return -1;
		}
	} else {
		c = find(t->slot, t->cap, k);
	}
	if (!c->n) {
		c->k = *k;
		t->used++;
	}
	c->n += n;
	return 0;
}

void fm_tasks_free(struct fm_tasks *t)
{
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

static int by_comm_pid(const void *a, const void *b)
{
	const struct fm_task_key *x = a, *y = b;
	int c = strncmp(x->comm, y->comm, FM_COMM_LEN);

	return c ? c : (x->pid > y->pid) - (x->pid < y->pid);
}

static int by_count(const void *a, const void *b)
{
	const struct fm_task_row *x = a, *y = b;
	__u64 nx = x->steal + x->claim, ny = y->steal + y->claim;

	if (nx != ny)
		return nx < ny ? 1 : -1;
	if (x->fragmenting != y->fragmenting)
		return x->fragmenting < y->fragmenting ? 1 : -1;
	return strcmp(x->comm, y->comm);
}

long fm_tasks_rows(const struct fm_tasks *t, struct fm_task_row **rows)
{
	struct fm_task_count *e = malloc((t->used ? t->used : 1) * sizeof(*e));
	struct fm_task_row *r = calloc(t->used ? t->used : 1, sizeof(*r));
	size_t n = 0, nr = 0;

	*rows = NULL;
	if (!e || !r) {
		free(e);
		free(r);
		return -1;
	}
	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i].n)
			e[n++] = t->slot[i];
	/* the key's comm and pid come first: sorted by comm, then pid */
	qsort(e, n, sizeof(*e), by_comm_pid);
	for (size_t i = 0; i < n;) {
		struct fm_task_row *row = &r[nr++];
		__u64 best = 0;

		memcpy(row->comm, e[i].k.comm, FM_COMM_LEN);
		row->comm[FM_COMM_LEN] = '\0';
		while (i < n && !strncmp(e[i].k.comm, row->comm, FM_COMM_LEN)) {
			__u32 pid = e[i].k.pid;
			__u64 sum = 0;

			for (; i < n && e[i].k.pid == pid &&
			       !strncmp(e[i].k.comm, row->comm, FM_COMM_LEN);
			     i++) {
				const struct fm_task_key *k = &e[i].k;

				sum += e[i].n;
				row->fragmenting += k->fragmenting ? e[i].n : 0;
				if (k->from >= FM_MT_MAX || k->to >= FM_MT_MAX)
					continue;
				row->pat[(k->from * FM_MT_MAX + k->to) * 2 + !!k->steal] += e[i].n;
				*(k->steal ? &row->steal : &row->claim) += e[i].n;
			}
			row->pids++;
			if (sum > best) {
				best = sum;
				row->pid = pid;
			}
		}
	}
	free(e);
	qsort(r, nr, sizeof(*r), by_count);
	*rows = r;
	return (long)nr;
}
