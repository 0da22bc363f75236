// SPDX-License-Identifier: GPL-2.0
#include "ingest.h"

#include <string.h>

#include "agent.h"

static inline void fm_cnt_add(__u64 *cnt, __u32 idx, __u64 n)
{
	if (idx < FM_CNT_MAX)
		cnt[idx] += n;
}

#include "counts.h" /* fm_count_event(), with fm_cnt_add() above */

/* the order whose index an event carries, or -2 for none */
static int index_order(const struct fm_agent *a, const struct fm_event *e)
{
	switch (e->kind) {
	case FM_KIND_EXTFRAG:
		return e->order;
	case FM_KIND_COMPACT_SUCCESS:
		return e->order < 0 ? a->pageblock_order : e->order;
	case FM_KIND_COMPACT_FAILURE: /* legacy: failures carry -1 */
		return a->tracer.oot ? (e->order < 0 ? a->pageblock_order : e->order) : -2;
	}
	return -2;
}

void fm_enrich(struct fm_agent *a, struct fm_record *r)
{
	struct fm_event *e = &r->e;
	int order = index_order(a, e);

	/* without the index read in BPF, the zone comes from the pfn here */
	if (e->kind == FM_KIND_EXTFRAG && e->zone < 0)
		e->zone = fm_zone_of_pfn(a->spans, a->nspans, e->extfrag.pfn, &e->node);
	r->fi_source = NULL;
	if (order == -2)
		return;
	if (e->fi != FM_FI_NONE) {
		r->fi_source = "bpf";
		a->fi_bpf += e->kind == FM_KIND_EXTFRAG;
	} else {
		const struct fm_zone_free *z =
		    a->have_snap ? fm_snapshot_zone(&a->snap, e->node, e->zone) : NULL;

		if (!z)
			return;
		e->fi = fm_fragmentation_index(z->free, a->snap.nr_orders, order);
		e->ui = fm_unusable_index(z->free, a->snap.nr_orders, order);
		r->fi_source = "snapshot";
		a->fi_snapshot += e->kind == FM_KIND_EXTFRAG;
	}
}

int fm_ingest(void *agent, void *data, size_t size)
{
	struct fm_agent *a = agent;
	struct fm_record r;

	for (; size >= sizeof(r.e); size -= sizeof(r.e), data = (char *)data + sizeof(r.e)) {
		yajl_gen g;

		memcpy(&r.e, data, sizeof(r.e));
		if (r.e.kind >= FM_KIND_MAX)
			continue;
		a->received[r.e.kind]++;
		fm_count_event(a->delivered, &r.e, a->pageblock_order);
		fm_attr_ingest(a, &r.e);
		fm_enrich(a, &r);
		g = fm_writer_event_begin(&a->writer);
		if (!g)
			continue;
		fm_event_json(g, a, &r);
		fm_writer_event_end(&a->writer);
	}
	return 0;
}

void fm_ingest_totals(struct fm_agent *a)
{
	memset(a->counts, 0, sizeof(a->counts));
	if (a->bpf)
		fm_tracer_counts(&a->tracer, a->counts);
	for (int k = 0; k < FM_CNT_MAX; k++)
		a->counts[k] += a->delivered[k];
}

unsigned long long fm_ingest_received(const struct fm_agent *a)
{
	unsigned long long n = 0;

	for (int k = 0; k < FM_KIND_MAX; k++)
		n += a->received[k];
	return n;
}
