// SPDX-License-Identifier: GPL-2.0
/* One ring-buffer record, or one marker, -> one JSON event (docs/format.md). */
#include <string.h>
#include <time.h>

#include "agent.h"
#include "jsonw.h"
#include "schema.h"

const char *fm_kind_name(const struct fm_agent *a, int kind)
{
	switch (kind) {
	case FM_KIND_EXTFRAG:
		return FM_EV_EXTFRAG;
	case FM_KIND_COMPACT_SUCCESS:
		return a->tracer.oot ? FM_EV_COMPACTION_RUN : FM_EV_COMPACTION_SUCCESS;
	case FM_KIND_COMPACT_FAILURE:
		return a->tracer.oot ? FM_EV_COMPACTION_RUN : FM_EV_COMPACTION_FAILURE;
	case FM_KIND_OOT_SUCCESS:
		return FM_EV_COMPACTION_SUCCESS;
	case FM_KIND_OOT_FAILURE:
		return FM_EV_COMPACTION_FAILURE;
	case FM_KIND_COMPACT_TRY:
		return FM_EV_COMPACTION_TRY;
	case FM_KIND_COMPACT_SUITABLE:
		return FM_EV_COMPACTION_SUITABLE;
	case FM_KIND_COMPACT_DEFERRED:
		return FM_EV_COMPACTION_DEFERRED;
	case FM_KIND_COMPACT_DEFER:
		return FM_EV_COMPACTION_DEFER;
	case FM_KIND_COMPACT_DEFER_RESET:
		return FM_EV_COMPACTION_DEFER_RESET;
	case FM_KIND_KCOMPACTD_WAKE:
		return FM_EV_KCOMPACTD_WAKE;
	case FM_KIND_KCOMPACTD_SLEEP:
		return FM_EV_KCOMPACTD_SLEEP;
	case FM_KIND_MIGRATE:
		return FM_EV_MIGRATE;
	}
	return "unknown";
}

static void node_zone(yajl_gen g, const struct fm_agent *a, const struct fm_event *e)
{
	jw_kint(g, FM_K_NODE, e->node);
	jw_kstr(g, FM_K_ZONE,
		e->zone >= 0 ? fm_zone_name(a->spans, a->nspans, e->node, e->zone) : "");
}

/* the index enrichment found (ingest.c), or null */
static void frag_index(yajl_gen g, const struct fm_record *r)
{
	if (!r->fi_source) {
		jw_key(g, FM_K_FRAG_INDEX);
		yajl_gen_null(g);
		return;
	}
	jw_kint(g, FM_K_FRAG_INDEX, r->e.fi);
	jw_kint(g, FM_K_UNUSABLE_INDEX, r->e.ui);
	jw_kstr(g, FM_K_FI_SOURCE, r->fi_source);
}

static const char *mt_name(const struct fm_agent *a, int v, char *buf, size_t len)
{
	return fm_enum_name(&a->kinfo.migratetype, v, buf, len);
}

void fm_event_json(yajl_gen g, const struct fm_agent *a, const struct fm_record *r)
{
	const struct fm_event *e = &r->e;
	char b1[24], b2[24];

	yajl_gen_map_open(g);
	jw_kfixed(g, FM_K_TIMESTAMP, fm_secs(a->t0_ns, e->ts_ns), 9);
	jw_kstr(g, FM_K_EVENT_TYPE, fm_kind_name(a, e->kind));
	jw_kuint(g, FM_K_PID, e->pid);
	jw_kuint(g, FM_K_TID, e->tid);
	jw_key(g, FM_K_COMM);
	jw_strn(g, e->comm, strnlen(e->comm, sizeof(e->comm)));
	jw_kint(g, FM_K_CPU, e->cpu);

	switch (e->kind) {
	case FM_KIND_EXTFRAG:
		jw_kint(g, FM_K_ORDER, e->order);
		jw_kint(g, FM_K_FALLBACK_ORDER, e->extfrag.fallback_order);
		jw_kstr(g, FM_K_MIGRATE_FROM, mt_name(a, e->extfrag.fallback_mt, b1, sizeof(b1)));
		jw_kstr(g, FM_K_MIGRATE_TO, mt_name(a, e->extfrag.alloc_mt, b2, sizeof(b2)));
		jw_kbool(g, FM_K_IS_STEAL, !e->extfrag.change_ownership);
		node_zone(g, a, e);
		jw_kuint(g, FM_K_PFN, e->extfrag.pfn);
		jw_kuint(g, FM_K_PAGEBLOCK, e->extfrag.pfn >> a->pageblock_order);
		jw_kbool(g, FM_K_FRAGMENTING, e->extfrag.fallback_order < a->pageblock_order);
		frag_index(g, r);
		jw_kint(g, FM_K_STACK_ID, e->extfrag.stack_id);
		break;
	case FM_KIND_COMPACT_SUCCESS:
	case FM_KIND_COMPACT_FAILURE:
		jw_kint(g, FM_K_ORDER, e->order);
		node_zone(g, a, e);
		jw_kstr(g, FM_K_STATUS,
			fm_enum_name(&a->kinfo.compact_result, e->compact.status, b1, sizeof(b1)));
		jw_kbool(g, FM_K_SYNC, e->compact.sync);
		jw_kfixed(g, FM_K_DURATION_US, (double)e->compact.duration_ns / 1e3, 3);
		jw_kstr(g, FM_K_SOURCE, "run");
		if (e->kind == FM_KIND_COMPACT_FAILURE && !a->tracer.oot)
			jw_kint(g, FM_K_FRAG_INDEX, -1);
		else
			frag_index(g, r);
		break;
	case FM_KIND_OOT_SUCCESS:
	case FM_KIND_OOT_FAILURE:
		jw_kint(g, FM_K_ORDER, e->order);
		node_zone(g, a, e);
		jw_kstr(g, FM_K_SOURCE, "tracepoint");
		jw_kint(g, FM_K_FRAG_INDEX, e->kind == FM_KIND_OOT_SUCCESS ? e->oot.ret : -1);
		break;
	case FM_KIND_COMPACT_TRY:
		jw_kint(g, FM_K_ORDER, e->order);
		jw_kint(g, FM_K_PRIORITY, e->try_.prio);
		jw_kuint(g, FM_K_GFP_MASK, e->try_.gfp_mask);
		break;
	case FM_KIND_COMPACT_SUITABLE:
		jw_kint(g, FM_K_ORDER, e->order);
		node_zone(g, a, e);
		jw_kstr(g, FM_K_STATUS,
			fm_enum_name(&a->kinfo.compact_result, e->suitable.status, b1, sizeof(b1)));
		break;
	case FM_KIND_COMPACT_DEFERRED:
	case FM_KIND_COMPACT_DEFER:
	case FM_KIND_COMPACT_DEFER_RESET:
		jw_kint(g, FM_K_ORDER, e->order);
		node_zone(g, a, e);
		jw_kuint(g, FM_K_CONSIDERED, e->defer.considered);
		jw_kuint(g, FM_K_DEFER_SHIFT, e->defer.defer_shift);
		jw_kint(g, FM_K_ORDER_FAILED, e->defer.order_failed);
		break;
	case FM_KIND_KCOMPACTD_WAKE:
		jw_kint(g, FM_K_ORDER, e->order);
		node_zone(g, a, e);
		break;
	case FM_KIND_KCOMPACTD_SLEEP:
		jw_kint(g, FM_K_NODE, e->node);
		break;
	case FM_KIND_MIGRATE:
		jw_kuint(g, FM_K_SUCCEEDED, e->migrate.succeeded);
		jw_kuint(g, FM_K_FAILED, e->migrate.failed);
		jw_kuint(g, FM_K_THP_SUCCEEDED, e->migrate.thp_succeeded);
		jw_kuint(g, FM_K_THP_FAILED, e->migrate.thp_failed);
		jw_kuint(g, FM_K_THP_SPLIT, e->migrate.thp_split);
		jw_kstr(g, FM_K_MODE,
			fm_enum_name(&a->kinfo.migrate_mode, e->migrate.mode, b1, sizeof(b1)));
		jw_kstr(g, FM_K_REASON,
			fm_enum_name(&a->kinfo.migrate_reason, e->migrate.reason, b2, sizeof(b2)));
		break;
	}
	yajl_gen_map_close(g);
}

void fm_marker_json(yajl_gen g, const struct fm_agent *a, const struct fm_marker *m,
		    const char *msg, size_t len, __u64 mono_ns)
{
	yajl_gen_map_open(g);
	jw_kfixed(g, FM_K_TIMESTAMP, fm_secs(a->t0_ns, mono_ns), 6);
	jw_kstr(g, FM_K_EVENT_TYPE, FM_EV_MARKER);
	jw_kuint(g, FM_K_PID, 0);
	jw_kuint(g, FM_K_TID, 0);
	jw_kstr(g, FM_K_COMM, "");
	jw_kint(g, FM_K_CPU, -1);
	jw_kstr(g, FM_K_NAME, m->name);
	jw_kstr(g, FM_K_KIND, fm_marker_kind_name(m->kind));
	jw_kstr(g, FM_K_EDGE, m->end ? FM_K_EDGE_END : FM_K_EDGE_BEGIN);
	jw_kstr(g, FM_K_SOURCE, m->source);
	jw_key(g, FM_K_MESSAGE);
	jw_strn(g, msg, len < FM_MARKER_MSG_MAX ? len : FM_MARKER_MSG_MAX);
	yajl_gen_map_close(g);
}
