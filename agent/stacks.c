// SPDX-License-Identifier: GPL-2.0
/*
 * statistics.extfrag_stacks: the kernel call paths of extfrag events,
 * counted in BPF per stack x pattern x steal/claim, named from
 * /proc/kallsyms when the final file or a checkpoint is written
 * (docs/format.md).  The symbols are read for each file and freed after
 * it: ~0.3 s and ~8 MB for a kernel of 120,000 symbols, not kept while the
 * run goes on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "jsonw.h"
#include "schema.h"

#define FM_KALLSYMS "/proc/kallsyms"

static int by_id(const void *x, const void *y)
{
	const struct fm_stack_count *a = x, *b = y;

	if (a->k.id != b->k.id)
		return a->k.id < b->k.id ? -1 : 1;
	return memcmp(&a->k, &b->k, sizeof(a->k));
}

struct stack_row {
	__u32 id;
	__u64 steal, claim;
	size_t first, n; /* its keys */
};

static int by_count(const void *x, const void *y)
{
	const struct stack_row *a = x, *b = y;
	__u64 na = a->steal + a->claim, nb = b->steal + b->claim;

	if (na != nb)
		return na < nb ? 1 : -1;
	return (a->id > b->id) - (a->id < b->id);
}

static void entry_json(yajl_gen g, struct fm_agent *a, const struct stack_row *r,
		       const struct fm_stack_count *keys)
{
	__u64 ips[FM_STACK_DEPTH];
	char name[192];

	yajl_gen_map_open(g);
	jw_kuint(g, FM_K_ID, r->id);
	jw_key(g, FM_K_FRAMES);
	yajl_gen_array_open(g);
	if (!fm_tracer_stack(&a->tracer, r->id, ips)) {
		bool lead = true;

		for (int i = 0; i < FM_STACK_DEPTH && ips[i]; i++) {
			fm_kallsyms_name(&a->ksyms, ips[i], name, sizeof(name));
			/* the tracepoint's own frames, where the unwinder shows them */
			if (lead && !strncmp(name, "__traceiter_", 12))
				continue;
			lead = false;
			jw_str(g, name);
		}
	}
	yajl_gen_array_close(g);
	jw_kuint(g, FM_K_STEAL, r->steal);
	jw_kuint(g, FM_K_CLAIM, r->claim);
	jw_key(g, FM_K_PATTERNS);
	yajl_gen_map_open(g);
	/* keys are sorted by pattern, steal/claim adjacent */
	for (size_t i = r->first; i < r->first + r->n;) {
		const struct fm_stack_key *k = &keys[i].k;
		__u64 st = 0, cl = 0;

		for (; i < r->first + r->n && keys[i].k.from == k->from && keys[i].k.to == k->to;
		     i++)
			*(keys[i].k.steal ? &st : &cl) += keys[i].n;
		if (k->from >= FM_MT_MAX || k->to >= FM_MT_MAX)
			continue;
		fm_pattern_json(g, a, k->from, k->to, st, cl);
	}
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
}

void fm_stacks_json(yajl_gen g, struct fm_agent *a)
{
	struct fm_stack_count *keys = NULL;
	struct stack_row *rows = NULL;
	size_t nrows = 0;
	long n;

	jw_key(g, FM_K_EXTFRAG_STACKS);
	yajl_gen_map_open(g);
	jw_kbool(g, FM_K_ENABLED, a->bpf && a->tracer.stacks);
	if (!a->bpf || !a->tracer.stacks) {
		yajl_gen_map_close(g);
		return;
	}
	n = fm_tracer_stack_counts(&a->tracer, &keys);
	if (n > 0) {
		qsort(keys, (size_t)n, sizeof(*keys), by_id);
		rows = calloc((size_t)n, sizeof(*rows));
	}
	for (long i = 0; rows && i < n; i++) {
		struct stack_row *r =
		    nrows && rows[nrows - 1].id == keys[i].k.id ? &rows[nrows - 1] : &rows[nrows++];

		if (!r->n) {
			r->id = keys[i].k.id;
			r->first = (size_t)i;
		}
		r->n++;
		*(keys[i].k.steal ? &r->steal : &r->claim) += keys[i].n;
	}
	if (nrows)
		qsort(rows, nrows, sizeof(*rows), by_count);
	jw_kuint(g, FM_K_DISTINCT, nrows);
	jw_kuint(g, FM_K_MAP_FULL, a->counts[FM_CNT_STACK_MAP_FULL]);
	jw_kuint(g, FM_K_RATE_LIMITED, a->counts[FM_CNT_STACK_LIMITED]);
	/* a count map that could not be read: its events are failed, never silent */
	jw_kuint(g, FM_K_FAILED,
		 a->counts[FM_CNT_STACK_FAILED] + (n < 0 || (n > 0 && !rows) ? 1 : 0));
	if (nrows)
		fm_kallsyms_load(&a->ksyms, FM_KALLSYMS); /* none read: the frames are hex */
	jw_key(g, FM_K_ENTRIES);
	yajl_gen_array_open(g);
	for (size_t i = 0; i < nrows; i++)
		entry_json(g, a, &rows[i], keys);
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
	fm_kallsyms_free(&a->ksyms);
	free(rows);
	free(keys);
}
