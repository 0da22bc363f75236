// SPDX-License-Identifier: GPL-2.0
/*
 * fragmon: trace memory fragmentation tracepoints (SEC("tp/...")).
 *
 * One object for every kernel from 5.10 on, with or without BTF: it includes
 * no kernel headers and has no CO-RE relocations.  Everything that differs
 * between kernels is a read-only knob the agent sets before load, and the
 * verifier sees as a constant: the offset and size of each tracepoint field
 * (from tracefs), the compact_result values, the zone spans, and the kernel
 * type offsets for reading a zone's free lists at the event (from BTF, where
 * the kernel or a file has it).
 *
 * Every handler copies its record once, stages an event on its CPU; staged
 * events go through the ring buffer in batches, and an event that cannot be
 * delivered is counted here (the agent counts the rest: exact totals).
 * Tracepoints are attached individually by the agent: a missing one is not
 * loaded (autoload off), and a program the verifier refuses is left out, not
 * a load failure of the others.
 *
 * The handlers run cold (a fallback is a slow-path event, far apart in
 * time), so their cost is cache misses: everything they touch lives in one
 * per-CPU value (struct fm_cpu), loops stay rolled and rarely-taken paths are
 * global BPF functions with scalar arguments (verified once, on every kernel
 * that has them: 5.6; pointer arguments need 5.12).
 */
#include <stdbool.h>
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "fragmon.h"
#include "fragindex.h"

char LICENSE[] SEC("license") = "GPL";

/* set by the agent before load (struct fm_knobs); the defaults are a 4 KiB-page x86-64 kernel's */
const volatile struct fm_knobs knobs = {
    .pageblock_order = 9,
    .nr_orders = 11,
    .nr_nodes = 1,
    .compact_success = 8,
    .compact_complete = 5,
    .fault_reject = -1,
};

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

/* extfrag events this side could not deliver, per task (fm_lost()) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FM_LOST_TASKS_MAX);
	__type(key, struct fm_task_key);
	__type(value, __u64);
} lost_tasks SEC(".maps");

/* kernel call paths of extfrag events (fm_stack()); sized by the agent */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, FM_STACKS_MAX);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, FM_STACK_DEPTH * sizeof(__u64));
} stack_traces SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FM_STACK_COUNTS_MAX);
	__type(key, struct fm_stack_key);
	__type(value, __u64);
} stack_counts SEC(".maps");

#define FM_EEXIST 17
#define FM_ENOMEM 12
#define FM_E2BIG 7

#ifdef FM_FAULT_INJECT
/*
 * Test builds only (make fault-agent, for tests/bats): the program whose
 * tracepoint id is knobs.fault_reject (FM_NTP: flush_stage) stores through a
 * null pointer, so that the kernel's verifier really rejects it.
 */
#define FAULT_POINT(id)                                                                            \
	do {                                                                                       \
		if (knobs.fault_reject == (id))                                                    \
			*(volatile int *)knobs.fault_addr = 0;                                     \
	} while (0)
#else
#define FAULT_POINT(id)                                                                            \
	do {                                                                                       \
	} while (0)
#endif

static __always_inline struct fm_cpu *this_cpu(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&cpu_state, &cpu);
}

/* this CPU's state for a handler; NULL once the agent has ended the run */
static __always_inline struct fm_cpu *handler_cpu(void)
{
	struct fm_cpu *c = this_cpu();

	return c && !c->stop ? c : NULL;
}

/* The record's first bytes (all the fields this tracepoint's handler reads). */
struct fm_raw {
	__u64 w[FM_RAW_MAX / 8];
};

/*
 * A tracepoint program may read its record directly at constant offsets,
 * past the 8-byte common header and not beyond the record's last field (the
 * kernel refuses to attach a program that could).  Copy the words that hold
 * the fields this handler reads, the record's last partial word in 4-, 2-
 * and 1-byte loads.  raw_size and rec_end are constants to the verifier, so
 * it keeps only the loads this kernel's layout needs; no helper call.
 */
#define LOAD(T, o) (*(T *)((__u8 *)raw->w + (o)) = *(const T *)((const __u8 *)ctx + (o)))

static __always_inline int copy_record(struct fm_raw *raw, void *ctx, int tp)
{
	__u32 n = knobs.tp_layout[tp].raw_size, end = knobs.tp_layout[tp].rec_end;

	FAULT_POINT(tp);
	if (n <= 8 || n > end || end > FM_RAW_MAX)
		return -1;
#pragma unroll
	for (int w = 1; w < FM_RAW_MAX / 8; w++) {
		const int o = w * 8;

		if (o >= n)
			break;
		if (o + 8 <= end) {
			LOAD(__u64, o);
			continue;
		}
		switch (end - o) { /* the record ends inside this word */
		case 7:
			LOAD(__u8, o + 6);
			/* fallthrough */
		case 6:
			LOAD(__u16, o + 4);
			LOAD(__u32, o);
			break;
		case 5:
			LOAD(__u8, o + 4);
			/* fallthrough */
		case 4:
			LOAD(__u32, o);
			break;
		case 3:
			LOAD(__u8, o + 2);
			/* fallthrough */
		case 2:
			LOAD(__u16, o);
			break;
		case 1:
			LOAD(__u8, o);
			break;
		}
	}
	return 0;
}

/* Field slot of tracepoint tp in the copied record, or dflt if absent. */
static __always_inline __s64 field(const struct fm_raw *raw, int tp, int slot, __s64 dflt)
{
	__u32 off = knobs.tp_layout[tp].f[slot].off, size = knobs.tp_layout[tp].f[slot].size;
	bool sgn = knobs.tp_layout[tp].f[slot].is_signed;
	const __u8 *p;

	if (off > FM_RAW_MAX - 8)
		return dflt;
	p = (const __u8 *)raw->w + off;
	switch (size) {
	case 1:
		return sgn ? (__s64) * (const __s8 *)p : (__s64) * (const __u8 *)p;
	case 2:
		return sgn ? (__s64) * (const __s16 *)p : (__s64) * (const __u16 *)p;
	case 4:
		return sgn ? (__s64) * (const __s32 *)p : (__s64) * (const __u32 *)p;
	case 8:
		return *(const __s64 *)p;
	}
	return dflt;
}

/* atomic: flush_stage and a handler that interrupts it may both count */
static __always_inline void fm_cnt_add(__u64 *cnt, __u32 idx, __u64 n)
{
	barrier_var(idx); /* keep the bound check for the verifier */
	if (idx < FM_CNT_MAX)
		__sync_fetch_and_add(&cnt[idx], n);
}

#include "counts.h"

/*
 * Global (not static) BPF functions are verified once, not at every call
 * site: that keeps the load, and so the agent's start, fast.  Their
 * arguments are scalars (5.10 takes no other pointer than the context), so
 * each looks up this CPU's state itself.
 */

/* One more in a hash map of __u64 counters: 0, or the error of the update
 * that could not add the key (-E2BIG: the map is full) */
static __always_inline long map_count(void *map, const void *key)
{
	__u64 one = 1, *v = bpf_map_lookup_elem(map, key);
	long err = 0;

	if (!v) {
		err = bpf_map_update_elem(map, key, &one, BPF_NOEXIST);
		if (err != -FM_EEXIST)
			return err;
		v = bpf_map_lookup_elem(map, key); /* another CPU made it meanwhile */
		if (!v)
			return -FM_EEXIST;
	}
	__sync_fetch_and_add(v, 1);
	return 0;
}

/*
 * The event in stage slot (FM_BATCH: the spare) will not reach the agent:
 * counted here as the agent counts those it receives.  A task that does not
 * fit in lost_tasks is left to the "(other)" row, which is the totals minus
 * the tasks listed.
 */
__noinline int fm_lost(__u32 slot)
{
	struct fm_cpu *c = this_cpu();
	struct fm_task_key k;
	struct fm_event *e;

	if (!c)
		return 0;
	e = slot < FM_BATCH ? &c->rec[slot & (FM_BATCH - 1)] : &c->spare;
	fm_count_event(c->cnt.c, e, knobs.pageblock_order);
	fm_cnt_add(c->cnt.c, FM_CNT_DROPPED, 1);
	if (e->kind == FM_KIND_EXTFRAG) {
		fm_task_key_of(&k, e, knobs.pageblock_order);
		map_count(&lost_tasks, &k);
	}
	return 0;
}

/*
 * Count the extfrag event in stage slot under the kernel stack its handler
 * took (id: bpf_get_stackid()'s result) per stack x pattern x steal/claim,
 * and set its stack_id; or -1 with the reason counted
 * (FM_CNT_STACK_MAP_FULL, FM_CNT_STACK_FAILED), so that the stacks' counts
 * and those two add up to the extfrag total.
 */
__noinline int fm_stack_count(__u32 slot, long id)
{
	struct fm_cpu *c = this_cpu();
	struct fm_stack_key k;
	struct fm_event *e;
	long err;

	if (!c)
		return 0;
	e = slot < FM_BATCH ? &c->rec[slot & (FM_BATCH - 1)] : &c->spare;
	e->extfrag.stack_id = -1;
	if (id < 0) {
		fm_cnt_add(c->cnt.c,
			   id == -FM_EEXIST || id == -FM_ENOMEM ? FM_CNT_STACK_MAP_FULL
								: FM_CNT_STACK_FAILED,
			   1);
		return 0;
	}
	k.id = (__u32)id;
	k.from = e->extfrag.fallback_mt >= 0 && e->extfrag.fallback_mt < FM_MT_MAX &&
			 e->extfrag.alloc_mt >= 0 && e->extfrag.alloc_mt < FM_MT_MAX
		     ? (__u8)e->extfrag.fallback_mt
		     : FM_TASK_MT_NONE;
	k.to = k.from == FM_TASK_MT_NONE ? FM_TASK_MT_NONE : (__u8)e->extfrag.alloc_mt;
	k.steal = !e->extfrag.change_ownership;
	k.pad = 0;
	err = map_count(&stack_counts, &k);
	if (err) {
		fm_cnt_add(c->cnt.c, err == -FM_E2BIG ? FM_CNT_STACK_MAP_FULL : FM_CNT_STACK_FAILED,
			   1);
		return 0;
	}
	e->extfrag.stack_id = (__s32)id;
	return 0;
}

/*
 * The kernel stack at the tracepoint, into stack_traces (needs the context:
 * inline in the handler).  A stack whose bucket holds another stack
 * (-EEXIST: the map keeps the first) is taken again without its innermost
 * frame, then two: another hash, another bucket; the frames lost are the
 * allocator's own, not its caller's.
 */
/* a stack may be taken now: fewer than FM_STACKS_PER_SEC in this CPU's second */
static __always_inline bool stack_budget(struct fm_cpu *c, __u64 now)
{
	if (now - c->stacks_win_ns >= 1000000000ULL) {
		c->stacks_win_ns = now;
		c->stacks_n = 0;
	}
	return c->stacks_n++ < FM_STACKS_PER_SEC;
}

static __always_inline long take_stack(void *ctx)
{
	long id = bpf_get_stackid(ctx, &stack_traces, 0);

	if (id == -FM_EEXIST)
		id = bpf_get_stackid(ctx, &stack_traces, 1);
	if (id == -FM_EEXIST)
		id = bpf_get_stackid(ctx, &stack_traces, 2);
	return id;
}

/*
 * Send this CPU's staged records, up to FM_CHUNK per ring-buffer record.
 * Waking the reader on every event would cost an irq_work self-IPI each (a
 * VM exit under virtualisation): the agent polls every 100 ms anyway, so
 * wake it only when the ring is a quarter full.  A failed reservation drops
 * that chunk, each record counted by fm_lost().
 */
__noinline int fm_flush(void)
{
	struct fm_cpu *c = this_cpu();
	__u32 n;

	if (!c)
		return 0;
	n = c->n;
	barrier_var(n);
	if (n > FM_BATCH)
		n = FM_BATCH;
	/* in chunks of FM_CHUNK records, so that even a 4 KiB ring takes one */
	for (__u32 first = 0; first < FM_BATCH; first += FM_CHUNK) {
		__u64 avail, ring, k;

		if (first >= n)
			break;
		k = n - first;
		if (k > FM_CHUNK)
			k = FM_CHUNK;
		k &= 2 * FM_CHUNK - 1; /* for older verifiers: k stays in 1..FM_CHUNK */
		if (!k)
			break;
		avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
		ring = bpf_ringbuf_query(&events, BPF_RB_RING_SIZE);
		if (!bpf_ringbuf_output(&events, &c->rec[first & (FM_BATCH - 1)],
					k * sizeof(struct fm_event),
					avail > ring / 4 ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP))
			continue;
		for (__u32 i = first; i < first + FM_CHUNK; i++) {
			if (i >= n)
				break;
			fm_lost(i);
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
			fm_flush();
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

/* the stage slot of the record reserve() returned (FM_BATCH: the spare) */
static __always_inline __u32 slot_of(struct fm_cpu *c)
{
	return c->spare_used ? FM_BATCH : c->n;
}

/* Stage the record reserve() returned; send the batch if full. */
static __always_inline void submit(struct fm_cpu *c, struct fm_event *e)
{
	__u32 n;

	if (c->spare_used) {
		c->spare_used = 0;
		fm_lost(FM_BATCH);
		return;
	}
	n = c->n;
	if (!n)
		c->first_ns = e->ts_ns;
	c->n = ++n;
	if (n >= FM_BATCH)
		fm_flush();
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

static __always_inline __u64 read_ptr(__u64 addr)
{
	__u64 v = 0;

	if (bpf_probe_read_kernel(&v, sizeof(v), (const void *)addr))
		return 0;
	return v;
}

/*
 * The pglist_data of a node.  No kernel symbol for node_data is reachable
 * without CONFIG_KALLSYMS_ALL, so it is found through the current task's
 * memory cgroup: memcg->nodeinfo[nid]->lruvec.pgdat (CONFIG_MEMCG).
 */
__noinline __u64 fm_find_pgdat(int nid)
{
	__u64 cgroups, css, pn;
	int id = knobs.koff.memory_cgrp_id;

	if (!knobs.koff.valid || nid < 0 || nid >= FM_MAX_NODES || id < 0 || id >= 32)
		return 0;
	cgroups = read_ptr(bpf_get_current_task() + knobs.koff.task_cgroups);
	if (!cgroups)
		return 0;
	css = read_ptr(cgroups + knobs.koff.css_set_subsys + (__u64)id * 8);
	if (!css)
		return 0;
	pn = read_ptr(css - knobs.koff.memcg_css + knobs.koff.memcg_nodeinfo + (__u64)nid * 8);
	if (!pn)
		return 0;
	return read_ptr(pn + knobs.koff.mz_pgdat);
}

static __always_inline __u64 node_zone(struct fm_cpu *c, int nid, int zidx)
{
	__u64 pgdat;

	if (nid < 0 || nid >= FM_MAX_NODES || zidx < 0 || zidx >= FM_MAX_ZONES)
		return 0;
	pgdat = c->pgdat[nid];
	if (!pgdat)
		pgdat = c->pgdat[nid] = fm_find_pgdat(nid);
	if (!pgdat)
		return 0;
	return pgdat + knobs.koff.pgdat_node_zones + (__u64)zidx * knobs.koff.zone_size;
}

/*
 * Fill fi/ui of the event in stage slot for order from the zone's free
 * lists, read now: the zone's free_area[] is copied in one read (nr_free
 * sits in every entry).
 */
__noinline int fm_read_index(__u32 slot, __u64 zone, int order)
{
	struct fm_cpu *c = this_cpu();
	struct fm_contig_info info = {};
	__u32 fa_size = knobs.koff.free_area_size, nr_off = knobs.koff.free_area_nr_free;
	struct fm_event *e;
	__u64 bytes;
	int n = knobs.nr_orders;

	if (!c || !zone || !knobs.compute_index)
		return 0;
	e = slot < FM_BATCH ? &c->rec[slot & (FM_BATCH - 1)] : &c->spare;
	if (n > FM_MAX_ORDERS)
		n = FM_MAX_ORDERS;
	if (order < 0 || order >= n) { /* as fm_fragmentation_index() */
		e->fi = e->ui = 0;
		return 0;
	}
	bytes = (__u64)n * fa_size;
	barrier_var(bytes);
	if (bytes == 0 || bytes > FM_SCRATCH_BYTES)
		return 0;
	if (bpf_probe_read_kernel(c->scratch, bytes,
				  (const void *)(zone + knobs.koff.zone_free_area)))
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
		if (i >= knobs.nr_nodes * FM_MAX_ZONES)
			break;
		if (pfn >= knobs.zone_start[i] && pfn < knobs.zone_end[i]) {
			*nid = i / FM_MAX_ZONES;
			return i % FM_MAX_ZONES;
		}
	}
	return -1;
}

SEC("tp/kmem/mm_page_alloc_extfrag")
int handle_extfrag(void *ctx)
{
	struct fm_cpu *c = handler_cpu();
	struct fm_event *e;
	struct fm_raw raw;
	int nid = -1, zidx;

	if (!c || copy_record(&raw, ctx, FM_TP_EXTFRAG))
		return 0;
	e = reserve(c, FM_KIND_EXTFRAG);
	e->order = field(&raw, FM_TP_EXTFRAG, FMF_XF_ALLOC_ORDER, -1);
	e->extfrag.pfn = field(&raw, FM_TP_EXTFRAG, FMF_XF_PFN, 0);
	e->extfrag.fallback_order = field(&raw, FM_TP_EXTFRAG, FMF_XF_FALLBACK_ORDER, -1);
	e->extfrag.alloc_mt = field(&raw, FM_TP_EXTFRAG, FMF_XF_ALLOC_MT, -1);
	e->extfrag.fallback_mt = field(&raw, FM_TP_EXTFRAG, FMF_XF_FALLBACK_MT, -1);
	e->extfrag.change_ownership = field(&raw, FM_TP_EXTFRAG, FMF_XF_CHANGE_OWNERSHIP, 0);
	/* without the index, the agent finds the zone from the pfn itself */
	if (knobs.compute_index) {
		zidx = pfn_zone(e->extfrag.pfn, &nid);
		if (zidx >= 0) {
			e->node = nid;
			e->zone = zidx;
			fm_read_index(slot_of(c), node_zone(c, nid, zidx), e->order);
		}
	}
	e->extfrag.stack_id = -1;
	if (knobs.stacks) {
		if (stack_budget(c, e->ts_ns))
			fm_stack_count(slot_of(c), take_stack(ctx));
		else
			fm_cnt_add(c->cnt.c, FM_CNT_STACK_LIMITED, 1);
	}
	submit(c, e);
	return 0;
}

SEC("tp/compaction/mm_compaction_begin")
int handle_compaction_begin(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct compact_state st;
	struct fm_raw raw;

	if (copy_record(&raw, ctx, FM_TP_COMPACT_BEGIN))
		return 0;
	st.order = st.nid = st.zone = -1;
	st.begin_ns = bpf_ktime_get_ns();
	st.zone_start = field(&raw, FM_TP_COMPACT_BEGIN, FMF_CB_ZONE_START, 0);
	st.sync = field(&raw, FM_TP_COMPACT_BEGIN, FMF_CB_SYNC, 0);
	bpf_map_update_elem(&compacting, &tid, &st, BPF_ANY);
	return 0;
}

SEC("tp/compaction/mm_compaction_finished")
int handle_compaction_finished(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct compact_state *st = bpf_map_lookup_elem(&compacting, &tid);
	struct fm_raw raw;

	if (!st || copy_record(&raw, ctx, FM_TP_COMPACT_FINISHED))
		return 0;
	st->order = field(&raw, FM_TP_COMPACT_FINISHED, FMF_CS_ORDER, -1);
	st->nid = field(&raw, FM_TP_COMPACT_FINISHED, FMF_CS_NID, -1);
	st->zone = field(&raw, FM_TP_COMPACT_FINISHED, FMF_CS_IDX, -1);
	return 0;
}

SEC("tp/compaction/mm_compaction_end")
int handle_compaction_end(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct compact_state *st = bpf_map_lookup_elem(&compacting, &tid);
	int status, sync, success, kind, order, nid, zidx;
	struct fm_cpu *c = handler_cpu();
	__u64 begin_ns, zstart;
	struct fm_event *e;
	struct fm_raw raw;

	if (!st || !c)
		return 0;
	begin_ns = st->begin_ns;
	order = st->order;
	nid = st->nid;
	zidx = st->zone;
	zstart = st->zone_start;
	bpf_map_delete_elem(&compacting, &tid);
	if (copy_record(&raw, ctx, FM_TP_COMPACT_END))
		return 0;
	status = field(&raw, FM_TP_COMPACT_END, FMF_CE_STATUS, -1);
	sync = field(&raw, FM_TP_COMPACT_END, FMF_CE_SYNC, 0);
	success =
	    status == knobs.compact_success || (order < 0 && status == knobs.compact_complete);
	kind = success ? FM_KIND_COMPACT_SUCCESS : FM_KIND_COMPACT_FAILURE;
	e = begin_event(c, kind, order, nid, zidx);
	e->compact.duration_ns = e->ts_ns - begin_ns;
	e->compact.zone_start = zstart;
	e->compact.status = status;
	e->compact.sync = sync;
	if (knobs.compute_index)
		fm_read_index(slot_of(c), node_zone(c, nid, zidx),
			      order < 0 ? knobs.pageblock_order : order);
	submit(c, e);
	return 0;
}

static __always_inline int oot_event(void *ctx, int tp, int kind)
{
	struct fm_cpu *c = handler_cpu();
	struct fm_event *e;
	struct fm_raw raw;

	if (!c || copy_record(&raw, ctx, tp))
		return 0;
	e = begin_event(c, kind, field(&raw, tp, FMF_OOT_ORDER, -1),
			field(&raw, tp, FMF_OOT_NID, -1), field(&raw, tp, FMF_OOT_IDX, -1));
	e->oot.ret = field(&raw, tp, FMF_OOT_RET, -1);
	submit(c, e);
	return 0;
}

SEC("tp/page_alloc/mm_compaction_success")
int handle_oot_success(void *ctx)
{
	return oot_event(ctx, FM_TP_OOT_SUCCESS, FM_KIND_OOT_SUCCESS);
}

SEC("tp/page_alloc/mm_compaction_failure")
int handle_oot_failure(void *ctx)
{
	return oot_event(ctx, FM_TP_OOT_FAILURE, FM_KIND_OOT_FAILURE);
}

SEC("tp/compaction/mm_compaction_try_to_compact_pages")
int handle_compaction_try(void *ctx)
{
	struct fm_cpu *c = handler_cpu();
	struct fm_event *e;
	struct fm_raw raw;

	if (!c || copy_record(&raw, ctx, FM_TP_COMPACT_TRY))
		return 0;
	e = begin_event(c, FM_KIND_COMPACT_TRY, field(&raw, FM_TP_COMPACT_TRY, FMF_CT_ORDER, -1),
			-1, -1);
	e->try_.gfp_mask = field(&raw, FM_TP_COMPACT_TRY, FMF_CT_GFP_MASK, 0);
	e->try_.prio = field(&raw, FM_TP_COMPACT_TRY, FMF_CT_PRIO, -1);
	submit(c, e);
	return 0;
}

SEC("tp/compaction/mm_compaction_suitable")
int handle_compaction_suitable(void *ctx)
{
	const int tp = FM_TP_COMPACT_SUITABLE;
	struct fm_cpu *c = handler_cpu();
	struct fm_event *e;
	struct fm_raw raw;

	if (!c || copy_record(&raw, ctx, tp))
		return 0;
	e = begin_event(c, FM_KIND_COMPACT_SUITABLE, field(&raw, tp, FMF_CS_ORDER, -1),
			field(&raw, tp, FMF_CS_NID, -1), field(&raw, tp, FMF_CS_IDX, -1));
	e->suitable.status = field(&raw, tp, FMF_CS_RET, -1);
	submit(c, e);
	return 0;
}

static __always_inline int defer_event(void *ctx, int tp, int kind)
{
	struct fm_cpu *c = handler_cpu();
	struct fm_event *e;
	struct fm_raw raw;

	if (!c || copy_record(&raw, ctx, tp))
		return 0;
	e = begin_event(c, kind, field(&raw, tp, FMF_CD_ORDER, -1), field(&raw, tp, FMF_CD_NID, -1),
			field(&raw, tp, FMF_CD_IDX, -1));
	e->defer.considered = field(&raw, tp, FMF_CD_CONSIDERED, 0);
	e->defer.defer_shift = field(&raw, tp, FMF_CD_DEFER_SHIFT, 0);
	e->defer.order_failed = field(&raw, tp, FMF_CD_ORDER_FAILED, -1);
	submit(c, e);
	return 0;
}

SEC("tp/compaction/mm_compaction_deferred")
int handle_compaction_deferred(void *ctx)
{
	return defer_event(ctx, FM_TP_COMPACT_DEFERRED, FM_KIND_COMPACT_DEFERRED);
}

SEC("tp/compaction/mm_compaction_defer_compaction")
int handle_compaction_defer(void *ctx)
{
	return defer_event(ctx, FM_TP_COMPACT_DEFER, FM_KIND_COMPACT_DEFER);
}

SEC("tp/compaction/mm_compaction_defer_reset")
int handle_compaction_defer_reset(void *ctx)
{
	return defer_event(ctx, FM_TP_COMPACT_DEFER_RESET, FM_KIND_COMPACT_DEFER_RESET);
}

SEC("tp/compaction/mm_compaction_kcompactd_wake")
int handle_kcompactd_wake(void *ctx)
{
	const int tp = FM_TP_KCOMPACTD_WAKE;
	struct fm_cpu *c = handler_cpu();
	struct fm_raw raw;

	if (!c || copy_record(&raw, ctx, tp))
		return 0;
	submit(c,
	       begin_event(c, FM_KIND_KCOMPACTD_WAKE, field(&raw, tp, FMF_KW_ORDER, -1),
			   field(&raw, tp, FMF_KW_NID, -1), field(&raw, tp, FMF_KW_ZONEIDX, -1)));
	return 0;
}

SEC("tp/compaction/mm_compaction_kcompactd_sleep")
int handle_kcompactd_sleep(void *ctx)
{
	struct fm_cpu *c = handler_cpu();
	struct fm_raw raw;

	if (!c || copy_record(&raw, ctx, FM_TP_KCOMPACTD_SLEEP))
		return 0;
	submit(c, begin_event(c, FM_KIND_KCOMPACTD_SLEEP, -1,
			      field(&raw, FM_TP_KCOMPACTD_SLEEP, FMF_KS_NID, -1), -1));
	return 0;
}

SEC("tp/migrate/mm_migrate_pages")
int handle_migrate(void *ctx)
{
	const int tp = FM_TP_MIGRATE;
	struct fm_cpu *c = handler_cpu();
	struct fm_event *e;
	struct fm_raw raw;

	if (!c || copy_record(&raw, ctx, tp))
		return 0;
	e = reserve(c, FM_KIND_MIGRATE);
	e->migrate.succeeded = field(&raw, tp, FMF_MG_SUCCEEDED, 0);
	e->migrate.failed = field(&raw, tp, FMF_MG_FAILED, 0);
	e->migrate.thp_succeeded = field(&raw, tp, FMF_MG_THP_SUCCEEDED, 0);
	e->migrate.thp_failed = field(&raw, tp, FMF_MG_THP_FAILED, 0);
	e->migrate.thp_split = field(&raw, tp, FMF_MG_THP_SPLIT, 0);
	e->migrate.mode = field(&raw, tp, FMF_MG_MODE, -1);
	e->migrate.reason = field(&raw, tp, FMF_MG_REASON, -1);
	submit(c, e);
	return 0;
}

/*
 * Run by the agent on each CPU with staged records (BPF_PROG_TEST_RUN with
 * BPF_F_TEST_RUN_ON_CPU, 5.10) every poll and at the end.  Returns 1 if a
 * handler was using the stage (the agent tries again), else 0.
 */
SEC("raw_tp")
int flush_stage(void *ctx)
{
	struct fm_cpu *c = this_cpu();

	FAULT_POINT(FM_NTP);
	if (!c)
		return 0;
	if (c->busy)
		return 1;
	c->busy = 1;
	barrier();
	fm_flush();
	barrier();
	c->busy = 0;
	return 0;
}
