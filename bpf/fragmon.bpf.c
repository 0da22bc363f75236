// SPDX-License-Identifier: GPL-2.0
/*
 * fragmon: trace memory fragmentation tracepoints (CO-RE, SEC("tp/...")).
 *
 * Every handler bumps exact per-CPU counters first, then tries to send an
 * event through the ring buffer; a failed reservation is counted as a drop.
 * Tracepoints are attached individually by the agent: a missing one is
 * skipped (autoload off), never a load failure.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "fragmon.h"
#include "fragindex.h"

char LICENSE[] SEC("license") = "GPL";

/* knobs set by the agent before load */
const volatile int nr_orders = 11;
const volatile int pageblock_order = 9;
const volatile int nr_nodes = 1;
const volatile bool compute_index = true;
const volatile bool oot_compaction = false; /* summaries become compaction_run */
const volatile __u64 zone_start[FM_MAX_NODES * FM_MAX_ZONES] = {};
const volatile __u64 zone_end[FM_MAX_NODES * FM_MAX_ZONES] = {};
const volatile int nr_zones = 5;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22); /* set by the agent */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FM_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

/* struct pglist_data * per node, found once and cached */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FM_MAX_NODES);
	__type(key, __u32);
	__type(value, __u64);
} pgdats SEC(".maps");

struct compact_state {
	__u64 begin_ns;
	__u64 zone_start;
	__s32 order;
	__s32 nid;
	__s32 zone;
	__s32 sync;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct compact_state);
} compacting SEC(".maps");

/* the out-of-tree tracepoints (seed README); layout per the legacy tracker */
struct trace_event_raw_mm_compaction_success___oot {
	int nid;
	int idx;
	int order;
	int ret;
} __attribute__((preserve_access_index));

static __always_inline void count(__u32 idx, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&counts, &idx);

	if (v)
		*v += n;
}

static __always_inline int order_slot_ok(int order)
{
	return order >= -1 && order < FM_ORDER_SLOTS - 1;
}

static __always_inline void count_kind(int kind, int order)
{
	if (!order_slot_ok(order))
		order = FM_ORDER_SLOTS - 2;
	count(FM_CNT_KIND(kind, order), 1);
}

/*
 * Waking the reader on every event costs an irq_work self-IPI per event (a
 * VM exit under virtualisation): the agent polls every 100 ms anyway, so
 * wake it only when the ring is a quarter full.
 */
static __always_inline void submit(struct fm_event *e)
{
	__u64 avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	__u64 size = bpf_ringbuf_query(&events, BPF_RB_RING_SIZE);

	bpf_ringbuf_submit(e, avail > size / 4 ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

static __always_inline struct fm_event *reserve(int kind)
{
	struct fm_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	__u64 id;

	if (!e) {
		count(FM_CNT_DROPPED, 1);
		return NULL;
	}
	id = bpf_get_current_pid_tgid();
	e->ts_ns = bpf_ktime_get_ns();
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->kind = kind;
	e->cpu = bpf_get_smp_processor_id();
	e->order = -1;
	e->node = -1;
	e->zone = -1;
	e->fi = FM_FI_NONE;
	e->ui = FM_FI_NONE;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	__builtin_memset(&e->migrate, 0, sizeof(e->migrate));
	return e;
}

/* Count an event, then reserve its record with order, node and zone set. */
static __always_inline struct fm_event *begin_event(int kind, int order, int node, int zone)
{
	struct fm_event *e;

	count_kind(kind, order);
	e = reserve(kind);
	if (e) {
		e->order = order;
		e->node = node;
		e->zone = zone;
	}
	return e;
}

/*
 * The pglist_data of a node.  No kernel symbol for node_data is reachable
 * without CONFIG_KALLSYMS_ALL, so it is found through the current task's
 * memory cgroup: memcg->nodeinfo[nid]->lruvec.pgdat (CONFIG_MEMCG).
 */
static __always_inline struct pglist_data *node_pgdat(int nid)
{
	__u32 key = nid;
	__u64 *cached = bpf_map_lookup_elem(&pgdats, &key);
	struct task_struct *task;
	struct cgroup_subsys_state *css = NULL;
	struct mem_cgroup_per_node *pn = NULL;
	struct pglist_data *pgdat = NULL;
	struct mem_cgroup *memcg;
	int id;

	if (!cached)
		return NULL;
	if (*cached)
		return (struct pglist_data *)*cached;
	if (!bpf_core_type_exists(struct mem_cgroup) ||
	    !bpf_core_field_exists(struct lruvec, pgdat) ||
	    !bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id))
		return NULL;
	id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	if (id < 0 || id >= 16)
		return NULL;
	task = (struct task_struct *)bpf_get_current_task();
	css = BPF_CORE_READ(task, cgroups, subsys[id]);
	if (!css)
		return NULL;
	memcg = (struct mem_cgroup *)((char *)css - bpf_core_field_offset(struct mem_cgroup, css));
	if (bpf_core_read(&pn, sizeof(pn), &memcg->nodeinfo[nid]) || !pn)
		return NULL;
	pgdat = BPF_CORE_READ(pn, lruvec.pgdat);
	if (!pgdat)
		return NULL;
	*cached = (__u64)pgdat;
	return pgdat;
}

static __always_inline struct zone *node_zone(int nid, int zidx)
{
	struct pglist_data *pgdat;

	if (nid < 0 || nid >= FM_MAX_NODES || zidx < 0 || zidx >= FM_MAX_ZONES)
		return NULL;
	pgdat = node_pgdat(nid);
	if (!pgdat)
		return NULL;
	return (struct zone *)((char *)pgdat +
			       bpf_core_field_offset(struct pglist_data, node_zones) +
			       zidx * bpf_core_type_size(struct zone));
}

/* Fill e->fi/e->ui for order from the zone's free lists, read now. */
static __always_inline void read_index(struct fm_event *e, struct zone *z, int order)
{
	unsigned long long nr_free[FM_MAX_ORDERS] = {};
	char *fa;
	int n = nr_orders;

	if (!z || !compute_index)
		return;
	if (n > FM_MAX_ORDERS)
		n = FM_MAX_ORDERS;
	fa = (char *)z + bpf_core_field_offset(struct zone, free_area);
	for (int o = 0; o < FM_MAX_ORDERS; o++) {
		struct free_area *area;

		if (o >= n)
			break;
		area = (struct free_area *)(fa + o * bpf_core_type_size(struct free_area));
		if (bpf_core_read(&nr_free[o], sizeof(nr_free[o]), &area->nr_free))
			return;
	}
	e->fi = fm_fragmentation_index(nr_free, n, order);
	e->ui = fm_unusable_index(nr_free, n, order);
}

/* node and zone index of a pfn, from the zone spans the agent passed in */
static __always_inline int pfn_zone(__u64 pfn, int *nid)
{
	for (int i = 0; i < FM_MAX_NODES * FM_MAX_ZONES; i++) {
		if (i >= nr_nodes * FM_MAX_ZONES)
			break;
		if (pfn >= zone_start[i] && pfn < zone_end[i]) {
			*nid = i / FM_MAX_ZONES;
			return i % FM_MAX_ZONES;
		}
	}
	return -1;
}

SEC("tp/kmem/mm_page_alloc_extfrag")
int handle_extfrag(struct trace_event_raw_mm_page_alloc_extfrag *ctx)
{
	int order = ctx->alloc_order, fb_order = ctx->fallback_order;
	int alloc_mt = ctx->alloc_migratetype, fb_mt = ctx->fallback_migratetype;
	int claim = ctx->change_ownership, nid = -1, zidx;
	__u64 pfn = ctx->pfn;
	struct fm_event *e;

	count_kind(FM_KIND_EXTFRAG, order);
	if (fb_mt >= 0 && fb_mt < FM_MT_SLOTS && alloc_mt >= 0 && alloc_mt < FM_MT_SLOTS)
		count(FM_CNT_PATTERN(fb_mt, alloc_mt, !claim), 1);
	if (fb_order < pageblock_order)
		count(FM_CNT_FRAGMENTING, 1);

	e = reserve(FM_KIND_EXTFRAG);
	if (!e)
		return 0;
	e->order = order;
	e->extfrag.pfn = pfn;
	e->extfrag.fallback_order = fb_order;
	e->extfrag.alloc_mt = alloc_mt;
	e->extfrag.fallback_mt = fb_mt;
	e->extfrag.change_ownership = claim;
	zidx = pfn_zone(pfn, &nid);
	if (zidx >= 0) {
		e->node = nid;
		e->zone = zidx;
		read_index(e, node_zone(nid, zidx), order);
		if (e->fi != FM_FI_NONE)
			count(FM_CNT_FI_BPF, 1);
	}
	submit(e);
	return 0;
}

SEC("tp/compaction/mm_compaction_begin")
int handle_compaction_begin(struct trace_event_raw_mm_compaction_begin *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct compact_state st = {
	    .begin_ns = bpf_ktime_get_ns(),
	    .zone_start = ctx->zone_start,
	    .order = -1,
	    .nid = -1,
	    .zone = -1,
	    .sync = ctx->sync,
	};

	bpf_map_update_elem(&compacting, &tid, &st, BPF_ANY);
	return 0;
}

SEC("tp/compaction/mm_compaction_finished")
int handle_compaction_finished(struct trace_event_raw_mm_compaction_suitable_template *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct compact_state *st = bpf_map_lookup_elem(&compacting, &tid);

	if (st) {
		st->order = ctx->order;
		st->nid = ctx->nid;
		st->zone = ctx->idx;
	}
	return 0;
}

/* compact_result values the kernel has used since 4.x */
#define FM_COMPACT_COMPLETE 5
#define FM_COMPACT_SUCCESS 8

SEC("tp/compaction/mm_compaction_end")
int handle_compaction_end(struct trace_event_raw_mm_compaction_end *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct compact_state *st = bpf_map_lookup_elem(&compacting, &tid);
	int status = ctx->status, success, kind, order, nid, zidx;
	__u64 begin_ns, zstart;
	struct fm_event *e;

	if (!st)
		return 0;
	begin_ns = st->begin_ns;
	order = st->order;
	nid = st->nid;
	zidx = st->zone;
	zstart = st->zone_start;
	bpf_map_delete_elem(&compacting, &tid);

	if (bpf_core_enum_value_exists(enum compact_result, COMPACT_SUCCESS))
		success = status == bpf_core_enum_value(enum compact_result, COMPACT_SUCCESS) ||
			  (order < 0 &&
			   status == bpf_core_enum_value(enum compact_result, COMPACT_COMPLETE));
	else
		success =
		    status == FM_COMPACT_SUCCESS || (order < 0 && status == FM_COMPACT_COMPLETE);
	kind = success ? FM_KIND_COMPACT_SUCCESS : FM_KIND_COMPACT_FAILURE;
	count_kind(kind, order);

	e = reserve(kind);
	if (!e)
		return 0;
	e->order = order;
	e->node = nid;
	e->zone = zidx;
	e->compact.duration_ns = e->ts_ns - begin_ns;
	e->compact.zone_start = zstart;
	e->compact.status = status;
	e->compact.sync = ctx->sync;
	read_index(e, node_zone(nid, zidx), order < 0 ? pageblock_order : order);
	submit(e);
	return 0;
}

static __always_inline int oot_event(void *ctx, int kind)
{
	struct trace_event_raw_mm_compaction_success___oot *r = ctx;
	struct fm_event *e = begin_event(kind, BPF_CORE_READ(r, order), BPF_CORE_READ(r, nid),
					 BPF_CORE_READ(r, idx));

	if (!e)
		return 0;
	e->oot.ret = bpf_core_field_exists(r->ret) ? BPF_CORE_READ(r, ret) : -1;
	submit(e);
	return 0;
}

SEC("tp/page_alloc/mm_compaction_success")
int handle_oot_success(void *ctx)
{
	return oot_event(ctx, FM_KIND_OOT_SUCCESS);
}

SEC("tp/page_alloc/mm_compaction_failure")
int handle_oot_failure(void *ctx)
{
	return oot_event(ctx, FM_KIND_OOT_FAILURE);
}

SEC("tp/compaction/mm_compaction_try_to_compact_pages")
int handle_compaction_try(struct trace_event_raw_mm_compaction_try_to_compact_pages *ctx)
{
	struct fm_event *e = begin_event(FM_KIND_COMPACT_TRY, ctx->order, -1, -1);

	if (!e)
		return 0;
	e->try_.gfp_mask = ctx->gfp_mask;
	e->try_.prio = ctx->prio;
	submit(e);
	return 0;
}

SEC("tp/compaction/mm_compaction_suitable")
int handle_compaction_suitable(struct trace_event_raw_mm_compaction_suitable_template *ctx)
{
	struct fm_event *e = begin_event(FM_KIND_COMPACT_SUITABLE, ctx->order, ctx->nid, ctx->idx);

	if (!e)
		return 0;
	e->suitable.status = ctx->ret;
	submit(e);
	return 0;
}

static __always_inline int defer_event(struct trace_event_raw_mm_compaction_defer_template *ctx,
				       int kind)
{
	struct fm_event *e = begin_event(kind, ctx->order, ctx->nid, ctx->idx);

	if (!e)
		return 0;
	e->defer.considered = ctx->considered;
	e->defer.defer_shift = ctx->defer_shift;
	e->defer.order_failed = ctx->order_failed;
	submit(e);
	return 0;
}

SEC("tp/compaction/mm_compaction_deferred")
int handle_compaction_deferred(struct trace_event_raw_mm_compaction_defer_template *ctx)
{
	return defer_event(ctx, FM_KIND_COMPACT_DEFERRED);
}

SEC("tp/compaction/mm_compaction_defer_compaction")
int handle_compaction_defer(struct trace_event_raw_mm_compaction_defer_template *ctx)
{
	return defer_event(ctx, FM_KIND_COMPACT_DEFER);
}

SEC("tp/compaction/mm_compaction_defer_reset")
int handle_compaction_defer_reset(struct trace_event_raw_mm_compaction_defer_template *ctx)
{
	return defer_event(ctx, FM_KIND_COMPACT_DEFER_RESET);
}

SEC("tp/compaction/mm_compaction_kcompactd_wake")
int handle_kcompactd_wake(struct trace_event_raw_kcompactd_wake_template *ctx)
{
	struct fm_event *e =
	    begin_event(FM_KIND_KCOMPACTD_WAKE, ctx->order, ctx->nid, ctx->highest_zoneidx);

	if (e)
		submit(e);
	return 0;
}

SEC("tp/compaction/mm_compaction_kcompactd_sleep")
int handle_kcompactd_sleep(struct trace_event_raw_mm_compaction_kcompactd_sleep *ctx)
{
	struct fm_event *e = begin_event(FM_KIND_KCOMPACTD_SLEEP, -1, ctx->nid, -1);

	if (e)
		submit(e);
	return 0;
}

SEC("tp/migrate/mm_migrate_pages")
int handle_migrate(struct trace_event_raw_mm_migrate_pages *ctx)
{
	__u64 ok = ctx->succeeded, failed = ctx->failed;
	struct fm_event *e;

	count_kind(FM_KIND_MIGRATE, -1);
	count(FM_CNT_MIGRATE_OK, ok);
	count(FM_CNT_MIGRATE_FAIL, failed);
	e = reserve(FM_KIND_MIGRATE);
	if (!e)
		return 0;
	e->migrate.succeeded = ok;
	e->migrate.failed = failed;
	e->migrate.thp_succeeded = ctx->thp_succeeded;
	e->migrate.thp_failed = ctx->thp_failed;
	e->migrate.thp_split = ctx->thp_split;
	e->migrate.mode = ctx->mode;
	e->migrate.reason = ctx->reason;
	submit(e);
	return 0;
}

/* Benchmark reference: the bare counter the issue compares against. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} bare_count SEC(".maps");

SEC("tp/kmem/mm_page_alloc_extfrag")
int bench_bare_extfrag(void *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&bare_count, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}
