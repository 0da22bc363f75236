// SPDX-License-Identifier: GPL-2.0
/*
 * fragmon: trace memory fragmentation tracepoints (CO-RE, SEC("tp/...")).
 *
 * Every handler stages its record on its CPU; staged records go through the
 * ring buffer in batches, and an event that cannot be delivered is counted
 * here (the agent counts the rest: exact totals).  Tracepoints are attached
 * individually by the agent: a missing one is skipped (autoload off), never
 * a load failure.
 *
 * The handlers run cold (a fallback is a slow-path event, far apart in
 * time), so their cost is cache misses: everything they touch lives in one
 * per-CPU value (struct fm_cpu), loops stay rolled and rarely-taken paths are
 * BPF subprograms, to keep the lines each event touches few.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "fragmon.h"
#include "fragindex.h"

char LICENSE[] SEC("license") = "GPL";

/* the stage is shared with flush_stage, which may interrupt a handler */
#define barrier() asm volatile("" ::: "memory")

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

/* one element per possible CPU; the agent sets max_entries and mmaps it */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct fm_cpu);
} cpu_state SEC(".maps");

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

static __always_inline struct fm_cpu *this_cpu(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&cpu_state, &cpu);
}

/* atomic: flush_stage and a handler that interrupts it may both count */
static __always_inline void fm_cnt_add(__u64 *cnt, __u32 idx, __u64 n)
{
	barrier_var(idx); /* keep the bound check for the verifier */
	if (idx < FM_CNT_MAX)
		__sync_fetch_and_add(&cnt[idx], n);
}

#include "fm_count.h"

/*
 * Global (not static) BPF functions are verified once, not at every call
 * site: that keeps the load, and so the agent's start, fast.
 */

/* an event that will not reach the agent: count it here */
__noinline int fm_lost(struct fm_cpu *c, struct fm_event *e)
{
	if (!c || !e)
		return 0;
	fm_count_event(c->cnt.c, e, pageblock_order);
	fm_cnt_add(c->cnt.c, FM_CNT_DROPPED, 1);
	return 0;
}

/*
 * Send the staged records, up to FM_CHUNK per ring-buffer record.  Waking the
 * reader on every event would cost an irq_work self-IPI each (a VM exit under
 * virtualisation): the agent polls every 100 ms anyway, so wake it only when
 * the ring is a quarter full.  A failed reservation drops that chunk, each
 * record counted by fm_lost().
 */
__noinline int fm_flush(struct fm_cpu *c)
{
	__u64 n, avail, size;

	if (!c)
		return 0;
	n = c->n;
	barrier_var(n);
	if (n > FM_BATCH)
		n = FM_BATCH;
	/* in chunks of FM_CHUNK records, so that even a 4 KiB ring takes one */
	for (__u64 first = 0; first < FM_BATCH; first += FM_CHUNK) {
		__u64 k = n - first;

		if (first >= n)
			break;
		if (k > FM_CHUNK)
			k = FM_CHUNK;
		avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
		size = bpf_ringbuf_query(&events, BPF_RB_RING_SIZE);
		if (!bpf_ringbuf_output(&events, &c->rec[first], k * sizeof(c->rec[0]),
					avail > size / 4 ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP))
			continue;
		for (__u64 i = first; i < first + FM_CHUNK; i++) {
			if (i >= n)
				break;
			fm_lost(c, &c->rec[i]);
		}
	}
	c->n = 0;
	return 0;
}

/*
 * A record in this CPU's stage, common fields filled.  Handlers do not nest
 * on a CPU (the kernel skips a tracing program that would), so the busy flag
 * only guards against flush_stage: a handler that interrupts it fills the
 * spare record, which submit() counts as lost.
 */
static __always_inline struct fm_event *reserve(struct fm_cpu *c, int kind)
{
	struct fm_event *e;
	__u64 id;
	__u32 n;

	if (c->busy) {
		c->spare_used = 1;
		e = &c->spare;
	} else {
		c->busy = 1;
		barrier();
		n = c->n;
		if (n >= FM_BATCH) { /* not reached: submit() sends full batches */
			fm_flush(c);
			n = 0;
		}
		e = &c->rec[n & (FM_BATCH - 1)];
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

/* Stage the record reserve() returned; send the batch if full. */
static __always_inline void submit(struct fm_cpu *c, struct fm_event *e)
{
	__u32 n;

	if (c->spare_used) {
		c->spare_used = 0;
		fm_lost(c, e);
		return;
	}
	n = c->n;
	if (!n)
		c->first_ns = e->ts_ns;
	c->n = ++n;
	if (n >= FM_BATCH)
		fm_flush(c);
	barrier();
	c->busy = 0;
}

/* Reserve a record with order, node and zone set. */
static __always_inline struct fm_event *begin_event(struct fm_cpu *c, int kind, int order, int node,
						    int zone)
{
	struct fm_event *e = reserve(c, kind);

	e->order = order;
	e->node = node;
	e->zone = zone;
	return e;
}

/*
 * The pglist_data of a node.  No kernel symbol for node_data is reachable
 * without CONFIG_KALLSYMS_ALL, so it is found through the current task's
 * memory cgroup: memcg->nodeinfo[nid]->lruvec.pgdat (CONFIG_MEMCG).
 */
static __noinline __u64 find_pgdat(int nid)
{
	struct task_struct *task;
	struct cgroup_subsys_state *css = NULL;
	struct mem_cgroup_per_node *pn = NULL;
	struct mem_cgroup *memcg;
	int id;

	if (nid < 0 || nid >= FM_MAX_NODES)
		return 0;
	if (!bpf_core_type_exists(struct mem_cgroup) ||
	    !bpf_core_field_exists(struct lruvec, pgdat) ||
	    !bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id))
		return 0;
	id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	if (id < 0 || id >= 16)
		return 0;
	task = (struct task_struct *)bpf_get_current_task();
	css = BPF_CORE_READ(task, cgroups, subsys[id]);
	if (!css)
		return 0;
	memcg = (struct mem_cgroup *)((char *)css - bpf_core_field_offset(struct mem_cgroup, css));
	if (bpf_core_read(&pn, sizeof(pn), &memcg->nodeinfo[nid]) || !pn)
		return 0;
	return (__u64)BPF_CORE_READ(pn, lruvec.pgdat);
}

static __always_inline struct zone *node_zone(struct fm_cpu *c, int nid, int zidx)
{
	__u64 pgdat;

	if (nid < 0 || nid >= FM_MAX_NODES || zidx < 0 || zidx >= FM_MAX_ZONES)
		return NULL;
	pgdat = c->pgdat[nid];
	if (!pgdat)
		pgdat = c->pgdat[nid] = find_pgdat(nid);
	if (!pgdat)
		return NULL;
	return (struct zone *)(pgdat + bpf_core_field_offset(struct pglist_data, node_zones) +
			       zidx * bpf_core_type_size(struct zone));
}

/*
 * Fill e->fi/e->ui for order from the zone's free lists, read now: the
 * zone's free_area[] is copied in one read (nr_free sits in every entry).
 */
__noinline int fm_read_index(struct fm_cpu *c, struct fm_event *e, __u64 zone, int order)
{
	struct zone *z = (struct zone *)zone;
	struct fm_contig_info info = {};
	__u32 fa_size = bpf_core_type_size(struct free_area);
	__u32 nr_off = bpf_core_field_offset(struct free_area, nr_free);
	__u64 bytes;
	int n = nr_orders;

	if (!c || !e || !z || !compute_index)
		return 0;
	if (n > FM_MAX_ORDERS)
		n = FM_MAX_ORDERS;
	if (order < 0 || order >= n) { /* as fm_fragmentation_index() */
		e->fi = e->ui = 0;
		return 0;
	}
	bytes = (__u64)n * fa_size;
	barrier_var(bytes);
	if (bytes > FM_SCRATCH_BYTES)
		return 0;
	if (bpf_probe_read_kernel(c->scratch, bytes,
				  (char *)z + bpf_core_field_offset(struct zone, free_area)))
		return 0;
#pragma clang loop unroll(disable)
	for (int o = 0; o < FM_MAX_ORDERS; o++) {
		__u64 off = (__u64)o * fa_size + nr_off;

		if (o >= n || off > FM_SCRATCH_BYTES - 8)
			break;
		fm_contig_add(&info, o, *(unsigned long long *)(c->scratch + off), order);
	}
	e->fi = fm_fragindex_of(&info, order);
	e->ui = fm_unusable_of(&info, order);
	return 0;
}

/* node and zone index of a pfn, from the zone spans the agent passed in */
static __always_inline int pfn_zone(__u64 pfn, int *nid)
{
#pragma clang loop unroll(disable)
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
	struct fm_cpu *c = this_cpu();
	struct fm_event *e;
	int nid = -1, zidx;

	if (!c)
		return 0;
	e = reserve(c, FM_KIND_EXTFRAG);
	e->order = ctx->alloc_order;
	e->extfrag.pfn = ctx->pfn;
	e->extfrag.fallback_order = ctx->fallback_order;
	e->extfrag.alloc_mt = ctx->alloc_migratetype;
	e->extfrag.fallback_mt = ctx->fallback_migratetype;
	e->extfrag.change_ownership = ctx->change_ownership;
	/* without the index, the agent finds the zone from the pfn itself */
	if (compute_index) {
		zidx = pfn_zone(e->extfrag.pfn, &nid);
		if (zidx >= 0) {
			e->node = nid;
			e->zone = zidx;
			fm_read_index(c, e, (__u64)node_zone(c, nid, zidx), e->order);
		}
	}
	submit(c, e);
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
	struct fm_cpu *c = this_cpu();
	__u64 begin_ns, zstart;
	struct fm_event *e;

	if (!st || !c)
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
	e = begin_event(c, kind, order, nid, zidx);
	e->compact.duration_ns = e->ts_ns - begin_ns;
	e->compact.zone_start = zstart;
	e->compact.status = status;
	e->compact.sync = ctx->sync;
	if (compute_index)
		fm_read_index(c, e, (__u64)node_zone(c, nid, zidx),
			      order < 0 ? pageblock_order : order);
	submit(c, e);
	return 0;
}

static __always_inline int oot_event(void *ctx, int kind)
{
	struct trace_event_raw_mm_compaction_success___oot *r = ctx;
	struct fm_cpu *c = this_cpu();
	struct fm_event *e;

	if (!c)
		return 0;
	e = begin_event(c, kind, BPF_CORE_READ(r, order), BPF_CORE_READ(r, nid),
			BPF_CORE_READ(r, idx));
	e->oot.ret = bpf_core_field_exists(r->ret) ? BPF_CORE_READ(r, ret) : -1;
	submit(c, e);
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
	struct fm_cpu *c = this_cpu();
	struct fm_event *e;

	if (!c)
		return 0;
	e = begin_event(c, FM_KIND_COMPACT_TRY, ctx->order, -1, -1);
	e->try_.gfp_mask = ctx->gfp_mask;
	e->try_.prio = ctx->prio;
	submit(c, e);
	return 0;
}

SEC("tp/compaction/mm_compaction_suitable")
int handle_compaction_suitable(struct trace_event_raw_mm_compaction_suitable_template *ctx)
{
	struct fm_cpu *c = this_cpu();
	struct fm_event *e;

	if (!c)
		return 0;
	e = begin_event(c, FM_KIND_COMPACT_SUITABLE, ctx->order, ctx->nid, ctx->idx);
	e->suitable.status = ctx->ret;
	submit(c, e);
	return 0;
}

static __always_inline int defer_event(struct trace_event_raw_mm_compaction_defer_template *ctx,
				       int kind)
{
	struct fm_cpu *c = this_cpu();
	struct fm_event *e;

	if (!c)
		return 0;
	e = begin_event(c, kind, ctx->order, ctx->nid, ctx->idx);
	e->defer.considered = ctx->considered;
	e->defer.defer_shift = ctx->defer_shift;
	e->defer.order_failed = ctx->order_failed;
	submit(c, e);
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
	struct fm_cpu *c = this_cpu();

	if (c)
		submit(c, begin_event(c, FM_KIND_KCOMPACTD_WAKE, ctx->order, ctx->nid,
				      ctx->highest_zoneidx));
	return 0;
}

SEC("tp/compaction/mm_compaction_kcompactd_sleep")
int handle_kcompactd_sleep(struct trace_event_raw_mm_compaction_kcompactd_sleep *ctx)
{
	struct fm_cpu *c = this_cpu();

	if (c)
		submit(c, begin_event(c, FM_KIND_KCOMPACTD_SLEEP, -1, ctx->nid, -1));
	return 0;
}

SEC("tp/migrate/mm_migrate_pages")
int handle_migrate(struct trace_event_raw_mm_migrate_pages *ctx)
{
	struct fm_cpu *c = this_cpu();
	struct fm_event *e;

	if (!c)
		return 0;
	e = reserve(c, FM_KIND_MIGRATE);
	e->migrate.succeeded = ctx->succeeded;
	e->migrate.failed = ctx->failed;
	e->migrate.thp_succeeded = ctx->thp_succeeded;
	e->migrate.thp_failed = ctx->thp_failed;
	e->migrate.thp_split = ctx->thp_split;
	e->migrate.mode = ctx->mode;
	e->migrate.reason = ctx->reason;
	submit(c, e);
	return 0;
}

/*
 * Run by the agent on each CPU with staged records (BPF_PROG_TEST_RUN with
 * BPF_F_TEST_RUN_ON_CPU) every poll and at the end.  Returns 1 if a handler
 * was using the stage (the agent tries again), else 0.
 */
SEC("raw_tp")
int flush_stage(void *ctx)
{
	struct fm_cpu *c = this_cpu();

	if (!c)
		return 0;
	if (c->busy)
		return 1;
	c->busy = 1;
	barrier();
	fm_flush(c);
	barrier();
	c->busy = 0;
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
