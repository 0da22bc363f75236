// SPDX-License-Identifier: GPL-2.0
/* Periodic snapshots of buddyinfo/pagetypeinfo/vmstat, written as events. */
#include <stdio.h>
#include <string.h>

#include "agent.h"
#include "jsonw.h"
#include "schema.h"

static void ull_array(yajl_gen g, const unsigned long long *v, int n)
{
	yajl_gen_array_open(g);
	for (int i = 0; i < n; i++)
		jw_uint(g, v[i]);
	yajl_gen_array_close(g);
}

static void zone_json(yajl_gen g, const struct fm_mem_snapshot *s, const struct fm_zone_free *z)
{
	yajl_gen_map_open(g);
	jw_kint(g, FM_K_NODE, z->node);
	jw_kstr(g, FM_K_ZONE, z->name);
	jw_key(g, FM_K_FREE);
	ull_array(g, z->free, s->nr_orders);
	if (s->have_types) {
		jw_key(g, FM_K_FREE_BY_TYPE);
		yajl_gen_map_open(g);
		for (int t = 0; t < s->ntypes; t++) {
			jw_key(g, s->types[t]);
			ull_array(g, z->by_type[t], s->nr_orders);
		}
		yajl_gen_map_close(g);
		jw_key(g, FM_K_PAGEBLOCKS);
		yajl_gen_map_open(g);
		for (int t = 0; t < s->ntypes; t++)
			jw_kuint(g, s->types[t], z->blocks[t]);
		yajl_gen_map_close(g);
	}
	jw_key(g, FM_K_FRAG_INDEX);
	yajl_gen_array_open(g);
	for (int o = 0; o < s->nr_orders; o++)
		jw_int(g, fm_fragmentation_index(z->free, s->nr_orders, o));
	yajl_gen_array_close(g);
	jw_key(g, FM_K_UNUSABLE_INDEX);
	yajl_gen_array_open(g);
	for (int o = 0; o < s->nr_orders; o++)
		jw_int(g, fm_unusable_index(z->free, s->nr_orders, o));
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
}

void fm_snapshot_json(yajl_gen g, struct fm_agent *a, double t)
{
	const struct fm_mem_snapshot *s = &a->snap;

	yajl_gen_map_open(g);
	jw_kfixed(g, FM_K_TIMESTAMP, t, 9);
	jw_kstr(g, FM_K_EVENT_TYPE, FM_EV_SNAPSHOT);
	jw_kint(g, FM_K_PID, 0);
	jw_kint(g, FM_K_TID, 0);
	jw_kstr(g, FM_K_COMM, "");
	jw_kint(g, FM_K_CPU, -1);
	jw_key(g, FM_K_ZONES);
	yajl_gen_array_open(g);
	for (int i = 0; i < s->nzones; i++)
		zone_json(g, s, &s->zones[i]);
	yajl_gen_array_close(g);
	jw_key(g, FM_K_VMSTAT);
	yajl_gen_map_open(g);
	for (int i = 0; i < s->nvmstat; i++)
		jw_kuint(g, s->vm_name[i], s->vm_val[i]);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
}

int fm_snapshot_take(struct fm_agent *a)
{
	double t = fm_secs(a->t0_ns, fm_mono_ns());
	yajl_gen g;

	if (fm_read_snapshot(&a->snap, a->spans, a->nspans, "/proc"))
		return -1;
	a->have_snap = true;
	if (a->snap.pageblock_order > 0)
		a->pageblock_order = a->snap.pageblock_order;
	g = fm_writer_event_begin(&a->writer);
	if (!g)
		return 0;
	fm_snapshot_json(g, a, t);
	fm_writer_event_end(&a->writer);
	a->snapshots++;
	return 0;
}
