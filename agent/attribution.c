// SPDX-License-Identifier: GPL-2.0
/*
 * Where fallbacks come from, in statistics: extfrag_by_task, exact like the
 * totals (docs/format.md): the agent's counts of the events it received
 * plus the BPF side's of those it could not deliver; and extfrag_stacks
 * (stacks.c).
 */
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "jsonw.h"
#include "schema.h"

void fm_attr_ingest(struct fm_agent *a, const struct fm_event *e)
{
	struct fm_task_key k;

	if (e->kind != FM_KIND_EXTFRAG)
		return;
	fm_task_key_of(&k, e, a->pageblock_order);
	fm_tasks_add(&a->tasks, &k, 1);
}

static void patterns_json(yajl_gen g, const struct fm_agent *a, const __u64 *pat)
{
	jw_key(g, FM_K_PATTERNS);
	yajl_gen_map_open(g);
	for (int from = 0; from < FM_MT_MAX; from++)
		for (int to = 0; to < FM_MT_MAX; to++) {
			__u64 st = pat[(from * FM_MT_MAX + to) * 2 + 1];
			__u64 cl = pat[(from * FM_MT_MAX + to) * 2];

			if (!st && !cl)
				continue;
			fm_pattern_json(g, a, from, to, st, cl);
		}
	yajl_gen_map_close(g);
}

static void row_json(yajl_gen g, const struct fm_agent *a, const struct fm_task_row *r)
{
	yajl_gen_map_open(g);
	jw_key(g, FM_K_COMM);
	jw_strn(g, r->comm, strlen(r->comm));
	jw_kuint(g, FM_K_PID, r->pid);
	jw_kuint(g, FM_K_PIDS, r->pids);
	jw_kuint(g, FM_K_STEAL, r->steal);
	jw_kuint(g, FM_K_CLAIM, r->claim);
	jw_kuint(g, FM_K_FRAGMENTING, r->fragmenting);
	patterns_json(g, a, r->pat);
	yajl_gen_map_close(g);
}

/* the totals minus the rows written: everything else, so that they add up */
static void other_row(const struct fm_agent *a, const struct fm_task_row *rows, long n, long top,
		      struct fm_task_row *o)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->comm, sizeof(o->comm), "%s", FM_K_TASK_OTHER);
	for (int from = 0; from < FM_MT_MAX; from++)
		for (int to = 0; to < FM_MT_MAX; to++)
			for (int st = 0; st < 2; st++)
				o->pat[(from * FM_MT_MAX + to) * 2 + st] =
				    a->counts[FM_CNT_PATTERN(from, to, st)];
	o->fragmenting = a->counts[FM_CNT_FRAGMENTING];
	for (long i = 0; i < n; i++) {
		if (i >= top) {
			o->pids += rows[i].pids;
			if (!o->pid)
				o->pid = rows[i].pid;
			continue;
		}
		for (size_t p = 0; p < sizeof(o->pat) / sizeof(o->pat[0]); p++)
			o->pat[p] -= rows[i].pat[p];
		o->fragmenting -= rows[i].fragmenting;
	}
	for (size_t p = 0; p < sizeof(o->pat) / sizeof(o->pat[0]); p++)
		*(p & 1 ? &o->steal : &o->claim) += o->pat[p];
}

static void by_task_json(yajl_gen g, struct fm_agent *a)
{
	struct fm_tasks all = {0};
	struct fm_task_row *rows = NULL, other;
	long n, top;

	for (size_t i = 0; i < a->tasks.cap; i++)
		if (a->tasks.slot[i].n)
			fm_tasks_add(&all, &a->tasks.slot[i].k, a->tasks.slot[i].n);
	if (a->bpf)
		fm_tracer_lost_tasks(&a->tracer, &all);
	n = fm_tasks_rows(&all, &rows);
	fm_tasks_free(&all);
	top = n < FM_TASKS_TOP ? n : FM_TASKS_TOP;
	jw_key(g, FM_K_EXTFRAG_BY_TASK);
	yajl_gen_array_open(g);
	for (long i = 0; i < top; i++)
		row_json(g, a, &rows[i]);
	other_row(a, rows, n < 0 ? 0 : n, top, &other);
	if (other.steal || other.claim || other.fragmenting)
		row_json(g, a, &other);
	yajl_gen_array_close(g);
	free(rows);
}

void fm_attr_stats_json(yajl_gen g, struct fm_agent *a)
{
	by_task_json(g, a);
	fm_stacks_json(g, a);
}
