// SPDX-License-Identifier: GPL-2.0
/* The run header and the closing statistics + metadata (docs/format.md). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "jsonw.h"
#include "schema.h"

static void run_fields(yajl_gen g, struct fm_agent *a)
{
	jw_kstr(g, FM_K_FORMAT, FM_FORMAT_NAME);
	jw_kint(g, FM_K_FORMAT_VERSION, FM_FORMAT_VERSION);
	jw_kstr(g, FM_K_AGENT_VERSION, FRAGMON_VERSION);
	jw_kfixed(g, FM_K_START_TIME, a->start_epoch, 6);
	jw_kstr(g, FM_K_KERNEL_VERSION, a->kernel);
	jw_kstr(g, FM_K_HOSTNAME, a->hostname);
	jw_kstr(g, FM_K_MODE, fm_mode_name(a->cfg.mode));
	jw_kint(g, FM_K_DURATION_LIMIT, a->cfg.duration);
	jw_kint(g, FM_K_SNAPSHOT_INTERVAL_MS, a->cfg.snapshot_interval_ms);
	jw_kint(g, FM_K_MAX_OUTPUT_MB, a->cfg.max_output_mb);
	jw_kint(g, FM_K_RINGBUF_KB, a->cfg.ringbuf_kb);
	jw_kstr(g, FM_K_INDEX_SOURCE, a->cfg.index_at_event ? "event" : "snapshot");
	jw_kint(g, FM_K_PAGEBLOCK_ORDER, a->pageblock_order);
	jw_kint(g, FM_K_PAGE_SIZE, sysconf(_SC_PAGESIZE));
	jw_kint(g, FM_K_NR_ORDERS, a->nr_orders);
	jw_key(g, FM_K_MIGRATETYPES);
	yajl_gen_array_open(g);
	for (int i = 0; i < a->kinfo.migratetype.n; i++)
		jw_str(g, a->kinfo.migratetype.names[i]);
	yajl_gen_array_close(g);
	jw_kstr(g, FM_K_MIGRATETYPE_SOURCE, a->kinfo.migratetype.source);
	jw_kstr(g, FM_K_BTF, a->kinfo.btf_source ? a->kinfo.btf_source : "none");
	if (a->cfg.btf_path && *a->cfg.btf_path)
		jw_kstr(g, FM_K_BTF_PATH, a->cfg.btf_path);
	jw_kstr(g, FM_K_FIELD_OFFSETS, "tracefs");
	fm_markers_run_json(g, a);
	jw_kfixed(g, FM_K_ATTACH_MS, a->attach_ms, 1);
	jw_key(g, FM_K_BPF_ERROR);
	if (a->bpf_error[0])
		jw_str(g, a->bpf_error);
	else
		yajl_gen_null(g);
	if (a->cfg.index_at_event && !a->tracer.index_at_event)
		jw_kstr(g, FM_K_INDEX_SOURCE_FALLBACK, a->tracer.index_why);
	jw_key(g, FM_K_ZONES);
	yajl_gen_array_open(g);
	for (int i = 0; i < a->nspans; i++) {
		yajl_gen_map_open(g);
		jw_kint(g, FM_K_NODE, a->spans[i].node);
		jw_kstr(g, FM_K_ZONE, a->spans[i].name);
		jw_kuint(g, FM_K_START_PFN, a->spans[i].start_pfn);
		jw_kuint(g, FM_K_SPANNED, a->spans[i].spanned);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	jw_key(g, FM_K_TRACEPOINTS);
	yajl_gen_map_open(g);
	for (int i = 0; i < fm_ntracepoints; i++) {
		char full[128];

		snprintf(full, sizeof(full), "%s:%s", fm_tracepoints[i].category,
			 fm_tracepoints[i].name);
		jw_kstr(g, full, a->tracer.status[i] ? a->tracer.status[i] : "disabled");
	}
	yajl_gen_map_close(g);
}

void fm_header_json(yajl_gen g, void *agent)
{
	yajl_gen_map_open(g);
	jw_key(g, FM_K_RUN);
	yajl_gen_map_open(g);
	run_fields(g, agent);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
}

static unsigned long long kind_total(const struct fm_agent *a, int kind)
{
	unsigned long long n = 0;

	for (int o = -1; o < FM_ORDER_SLOTS - 1; o++)
		n += a->counts[FM_CNT_KIND(kind, o)];
	return n;
}

void fm_pattern_json(yajl_gen g, const struct fm_agent *a, int from, int to,
		     unsigned long long steal, unsigned long long claim)
{
	char key[48], b1[24], b2[24];

	snprintf(key, sizeof(key), "%s->%s",
		 fm_enum_name(&a->kinfo.migratetype, from, b1, sizeof(b1)),
		 fm_enum_name(&a->kinfo.migratetype, to, b2, sizeof(b2)));
	jw_key(g, key);
	yajl_gen_map_open(g);
	jw_kuint(g, FM_K_STEAL, steal);
	jw_kuint(g, FM_K_CLAIM, claim);
	yajl_gen_map_close(g);
}

static void statistics(yajl_gen g, struct fm_agent *a)
{
	int ok_kind = a->tracer.oot ? FM_KIND_OOT_SUCCESS : FM_KIND_COMPACT_SUCCESS;
	int fail_kind = a->tracer.oot ? FM_KIND_OOT_FAILURE : FM_KIND_COMPACT_FAILURE;
	unsigned long long steal = 0, claim = 0;
	char key[48];

	yajl_gen_map_open(g);
	jw_key(g, FM_K_EXTFRAG);
	yajl_gen_map_open(g);
	for (int o = -1; o < FM_ORDER_SLOTS - 1; o++) {
		unsigned long long n = a->counts[FM_CNT_KIND(FM_KIND_EXTFRAG, o)];

		if (!n)
			continue;
		snprintf(key, sizeof(key), "%d", o);
		jw_kuint(g, key, n);
	}
	yajl_gen_map_close(g);
	jw_key(g, FM_K_COMPACTION);
	yajl_gen_map_open(g);
	for (int o = -1; o < FM_ORDER_SLOTS - 1; o++) {
		unsigned long long s = a->counts[FM_CNT_KIND(ok_kind, o)];
		unsigned long long f = a->counts[FM_CNT_KIND(fail_kind, o)];

		if (!s && !f)
			continue;
		snprintf(key, sizeof(key), "%d", o);
		jw_key(g, key);
		yajl_gen_map_open(g);
		jw_kuint(g, FM_K_SUCCESS, s);
		jw_kuint(g, FM_K_FAILURE, f);
		yajl_gen_map_close(g);
	}
	yajl_gen_map_close(g);

	jw_key(g, FM_K_EVENTS_BY_TYPE);
	yajl_gen_map_open(g);
	for (int k = 0; k < FM_KIND_MAX; k++) {
		unsigned long long n = kind_total(a, k);

		if (k == FM_KIND_COMPACT_FAILURE && a->tracer.oot)
			continue; /* folded into compaction_run below */
		if (k == FM_KIND_COMPACT_SUCCESS && a->tracer.oot)
			n += kind_total(a, FM_KIND_COMPACT_FAILURE);
		if (n)
			jw_kuint(g, fm_kind_name(a, k), n);
	}
	if (a->snapshots)
		jw_kuint(g, FM_EV_SNAPSHOT, a->snapshots);
	if (a->nmarkers[FM_MARKER_TEST] + a->nmarkers[FM_MARKER_PHASE])
		jw_kuint(g, FM_EV_MARKER,
			 a->nmarkers[FM_MARKER_TEST] + a->nmarkers[FM_MARKER_PHASE]);
	yajl_gen_map_close(g);

	jw_key(g, FM_K_EXTFRAG_PATTERNS);
	yajl_gen_map_open(g);
	for (int from = 0; from < FM_MT_MAX; from++)
		for (int to = 0; to < FM_MT_MAX; to++) {
			unsigned long long st = a->counts[FM_CNT_PATTERN(from, to, 1)];
			unsigned long long cl = a->counts[FM_CNT_PATTERN(from, to, 0)];

			steal += st;
			claim += cl;
			if (!st && !cl)
				continue;
			fm_pattern_json(g, a, from, to, st, cl);
		}
	yajl_gen_map_close(g);
	jw_kuint(g, FM_K_EXTFRAG_STEAL, steal);
	jw_kuint(g, FM_K_EXTFRAG_CLAIM, claim);
	jw_kuint(g, FM_K_EXTFRAG_FRAGMENTING, a->counts[FM_CNT_FRAGMENTING]);
	jw_key(g, FM_K_MIGRATE);
	yajl_gen_map_open(g);
	jw_kuint(g, FM_K_SUCCEEDED, a->counts[FM_CNT_MIGRATE_OK]);
	jw_kuint(g, FM_K_FAILED, a->counts[FM_CNT_MIGRATE_FAIL]);
	yajl_gen_map_close(g);
	fm_markers_stats_json(g, a);
	fm_attr_stats_json(g, a);
	yajl_gen_map_close(g);
}

void fm_tail_json(yajl_gen g, void *agent)
{
	struct fm_agent *a = agent;
	unsigned long long received = 0;

	for (int k = 0; k < FM_KIND_MAX; k++)
		received += a->received[k];
	yajl_gen_map_open(g);
	jw_key(g, FM_K_STATISTICS);
	statistics(g, a);
	jw_key(g, FM_K_METADATA);
	yajl_gen_map_open(g);
	run_fields(g, a);
	jw_kfixed(g, FM_K_END_TIME, a->end_epoch, 6);
	jw_kfixed(g, FM_K_DURATION, a->end_epoch - a->start_epoch, 6);
	jw_kuint(g, FM_K_TOTAL_EVENTS, a->writer.nwritten);
	jw_kbool(g, FM_K_COMPLETE, a->complete);
	jw_kstr(g, FM_K_END_REASON, a->end_reason ? a->end_reason : "checkpoint");
	jw_kuint(g, FM_K_EVENTS_RECEIVED, received);
	jw_kuint(g, FM_K_SNAPSHOTS, a->snapshots);
	jw_kuint(g, FM_K_EVENTS_DROPPED, a->counts[FM_CNT_DROPPED]);
	jw_kuint(g, FM_K_EVENTS_CAPPED, a->writer.ncapped);
	jw_kbool(g, FM_K_OUTPUT_CAPPED, a->writer.capped);
	jw_kstr(g, FM_K_FI_SOURCE,
		!a->bpf ? "none"
			: (a->fi_snapshot && !a->fi_bpf ? "snapshot"
			   : a->fi_snapshot		? "bpf+snapshot"
							: "bpf"));
	jw_kuint(g, FM_K_FRAGMENTATION_INDEX_BPF_EVENTS, a->fi_bpf);
	jw_kuint(g, FM_K_FRAGMENTATION_INDEX_SNAPSHOT_EVENTS, a->fi_snapshot);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
}
