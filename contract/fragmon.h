/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between the BPF side (bpf/fragmon.bpf.c) and the agent: the
 * tracepoints and the fields their handlers read, the read-only knobs, the
 * event record that crosses the ring buffer, the exact counters and the
 * per-CPU state the agent maps.
 */
#ifndef FRAGMON_CONTRACT_H
#define FRAGMON_CONTRACT_H

#include <linux/types.h>
#include "fm_limits.h"

#define FM_FI_NONE (-32768) /* index not computed */

/*
 * The tracepoints, in the agent's table order (agent/tracepoints.c): a
 * handler reads its record's fields through tp_layout[its id].
 */
enum fm_tp_id {
	FM_TP_EXTFRAG,
	FM_TP_COMPACT_BEGIN,
	FM_TP_COMPACT_FINISHED,
	FM_TP_COMPACT_END,
	FM_TP_OOT_SUCCESS,
	FM_TP_OOT_FAILURE,
	FM_TP_COMPACT_TRY,
	FM_TP_COMPACT_SUITABLE,
	FM_TP_COMPACT_DEFERRED,
	FM_TP_COMPACT_DEFER,
	FM_TP_COMPACT_DEFER_RESET,
	FM_TP_KCOMPACTD_WAKE,
	FM_TP_KCOMPACTD_SLEEP,
	FM_TP_MIGRATE,
	FM_NTP,
};

/*
 * Where a handler finds each field it reads in its tracepoint's record, read
 * by the agent from tracefs (events/<system>/<name>/format) and handed to the
 * BPF side as read-only knobs before load: no kernel BTF or CO-RE needed.
 * The field slots of each tracepoint are the FMF_* below; the names the
 * agent looks up for them are in agent/tracepoints.c.  size 0: this kernel's
 * record has no such (optional) field.
 */
#define FM_TP_FIELDS 8
#define FM_RAW_MAX 128 /* record bytes a handler copies: the fields it reads lie below */

struct fm_field_loc {
	__u16 off;
	__u8 size; /* 1, 2, 4 or 8; 0 = absent */
	__u8 is_signed;
};

struct fm_tp_layout {
	__u32 raw_size; /* bytes to copy: the end of the last field read */
	__u32 rec_end;	/* the end of the record's last field */
	struct fm_field_loc f[FM_TP_FIELDS];
};

/* kmem:mm_page_alloc_extfrag */
enum {
	FMF_XF_PFN,
	FMF_XF_ALLOC_ORDER,
	FMF_XF_FALLBACK_ORDER,
	FMF_XF_ALLOC_MT,
	FMF_XF_FALLBACK_MT,
	FMF_XF_CHANGE_OWNERSHIP
};
/* compaction:mm_compaction_begin */
enum { FMF_CB_ZONE_START, FMF_CB_SYNC };
/* compaction:mm_compaction_end */
enum { FMF_CE_SYNC, FMF_CE_STATUS };
/* compaction:mm_compaction_finished, _suitable (one template) */
enum { FMF_CS_NID, FMF_CS_IDX, FMF_CS_ORDER, FMF_CS_RET };
/* compaction:mm_compaction_try_to_compact_pages */
enum { FMF_CT_ORDER, FMF_CT_GFP_MASK, FMF_CT_PRIO };
/* compaction:mm_compaction_deferred, _defer_compaction, _defer_reset */
enum {
	FMF_CD_NID,
	FMF_CD_IDX,
	FMF_CD_ORDER,
	FMF_CD_CONSIDERED,
	FMF_CD_DEFER_SHIFT,
	FMF_CD_ORDER_FAILED
};
/* compaction:mm_compaction_kcompactd_wake */
enum { FMF_KW_NID, FMF_KW_ORDER, FMF_KW_ZONEIDX };
/* compaction:mm_compaction_kcompactd_sleep */
enum { FMF_KS_NID };
/* migrate:mm_migrate_pages */
enum {
	FMF_MG_SUCCEEDED,
	FMF_MG_FAILED,
	FMF_MG_THP_SUCCEEDED,
	FMF_MG_THP_FAILED,
	FMF_MG_THP_SPLIT,
	FMF_MG_MODE,
	FMF_MG_REASON
};
/* the out-of-tree mm_compaction_success/failure */
enum { FMF_OOT_NID, FMF_OOT_IDX, FMF_OOT_ORDER, FMF_OOT_RET };

/*
 * Kernel type layout for reading a zone's free lists at the event
 * (index_source: event), from BTF (the kernel's, or a file) by the agent.
 * valid = 0: no BTF, the index comes from the snapshots.
 */
struct fm_kernel_offsets {
	__u32 valid;
	__s32 memory_cgrp_id;	 /* enum cgroup_subsys_id */
	__u32 task_cgroups;	 /* task_struct.cgroups */
	__u32 css_set_subsys;	 /* css_set.subsys[] */
	__u32 memcg_css;	 /* mem_cgroup.css */
	__u32 memcg_nodeinfo;	 /* mem_cgroup.nodeinfo[] */
	__u32 mz_pgdat;		 /* mem_cgroup_per_node.lruvec.pgdat */
	__u32 pgdat_node_zones;	 /* pglist_data.node_zones[] */
	__u32 zone_size;	 /* sizeof(struct zone) */
	__u32 zone_free_area;	 /* zone.free_area[] */
	__u32 free_area_size;	 /* sizeof(struct free_area) */
	__u32 free_area_nr_free; /* free_area.nr_free */
};

/*
 * Read-only knobs the agent sets before load: to the verifier they are
 * constants.  The handlers still load them at run time, and a handler runs
 * cold, so the extfrag handler's knobs are first: with the map value page
 * aligned, they share one cache line.
 */
struct fm_knobs {
	__u32 compute_index; /* read a zone's free lists at the event (needs koff) */
	__s32 pageblock_order;
	__s32 nr_orders;
	__s32 nr_nodes;
	__u32 stacks; /* take the kernel stack of each extfrag event */
	__u32 pad0;
	struct fm_tp_layout tp_layout[FM_NTP]; /* [FM_TP_EXTFRAG] first */
	__s32 compact_success;		       /* enum compact_result values */
	__s32 compact_complete;
	__s32 fault_reject; /* test builds (FM_FAULT_INJECT): the program to break */
	__s32 pad;
	__u64 fault_addr;
	__u64 zone_start[FM_MAX_NODES * FM_MAX_ZONES]; /* pfn spans, [node * FM_MAX_ZONES + zone] */
	__u64 zone_end[FM_MAX_NODES * FM_MAX_ZONES];
	struct fm_kernel_offsets koff;
};

enum fm_kind {
	FM_KIND_EXTFRAG,
	FM_KIND_COMPACT_SUCCESS, /* run summary (begin..end) */
	FM_KIND_COMPACT_FAILURE,
	FM_KIND_OOT_SUCCESS, /* out-of-tree mm_compaction_success */
	FM_KIND_OOT_FAILURE,
	FM_KIND_COMPACT_TRY,
	FM_KIND_COMPACT_SUITABLE,
	FM_KIND_COMPACT_DEFERRED,
	FM_KIND_COMPACT_DEFER,
	FM_KIND_COMPACT_DEFER_RESET,
	FM_KIND_KCOMPACTD_WAKE,
	FM_KIND_KCOMPACTD_SLEEP,
	FM_KIND_MIGRATE,
	FM_KIND_MAX,
};

struct fm_event {
	__u64 ts_ns; /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 pid;
	__u32 tid;
	__u16 kind;
	__u16 cpu;
	__s32 order;
	__s32 node; /* -1 unknown */
	__s32 zone; /* zone index, -1 unknown */
	__s32 fi;   /* fragmentation index x1000, FM_FI_NONE if not read in BPF */
	__s32 ui;   /* unusable free space index x1000 */
	char comm[FM_COMM_LEN];
	union {
		struct {
			__u64 pfn;
			__s32 fallback_order;
			__s32 alloc_mt;
			__s32 fallback_mt;
			__s32 change_ownership;
			__s32 stack_id; /* in stack_traces; -1: none taken */
		} extfrag;
		struct {
			__u64 duration_ns;
			__u64 zone_start;
			__s32 status;
			__s32 sync;
		} compact;
		struct {
			__u64 gfp_mask;
			__s32 prio;
		} try_;
		struct {
			__s32 status;
		} suitable;
		struct {
			__u32 considered;
			__u32 defer_shift;
			__s32 order_failed;
		} defer;
		struct {
			__u64 succeeded;
			__u64 failed;
			__u64 thp_succeeded;
			__u64 thp_failed;
			__u64 thp_split;
			__s32 mode;
			__s32 reason;
		} migrate;
		struct {
			__s32 ret;
		} oot;
	};
};

/*
 * Exact totals, u64 counters in this index layout (struct fm_counts).  They
 * are kept in two halves that add up: the agent counts every event it
 * receives (fm_count_event(), counts.h), and the BPF side counts, with the
 * same function, every event it could not deliver.  Counting all events in
 * BPF would touch three more cold cache lines per event.
 */
#define FM_CNT_FRAGMENTING 0
#define FM_CNT_DROPPED 1
#define FM_CNT_MIGRATE_OK 2
#define FM_CNT_MIGRATE_FAIL 3
#define FM_CNT_KIND_BASE 4
#define FM_CNT_KIND(kind, order) (FM_CNT_KIND_BASE + (kind)*FM_ORDER_SLOTS + (order) + 1)
#define FM_CNT_PATTERN_BASE (FM_CNT_KIND_BASE + FM_KIND_MAX * FM_ORDER_SLOTS)
/* extfrag from x to x steal(1)/claim(0) */
#define FM_CNT_PATTERN(from, to, steal)                                                            \
	(FM_CNT_PATTERN_BASE + ((from)*FM_MT_MAX + (to)) * 2 + (steal))
/* extfrag events whose stack was not counted (BPF side only): the stack
 * map or the count map could not take it (full, or the stack's bucket held
 * another stack), or taking it failed */
#define FM_CNT_STACK_MAP_FULL (FM_CNT_PATTERN_BASE + FM_MT_MAX * FM_MT_MAX * 2)
#define FM_CNT_STACK_FAILED (FM_CNT_STACK_MAP_FULL + 1)
/* ... or its CPU had taken FM_STACKS_PER_SEC stacks in this second already */
#define FM_CNT_STACK_LIMITED (FM_CNT_STACK_FAILED + 1)
#define FM_CNT_MAX (FM_CNT_STACK_LIMITED + 1)

struct fm_counts {
	__u64 c[FM_CNT_MAX];
};

/*
 * extfrag events per task, counted like the totals in two halves: the agent
 * counts those it receives, the BPF side (map lost_tasks, value __u64) those
 * it could not deliver.  One key per task x pattern x steal/claim.
 */
#define FM_TASK_MT_NONE 0xff /* a migratetype out of range: no pattern */
struct fm_task_key {
	char comm[FM_COMM_LEN];
	__u32 pid; /* tgid */
	__u8 from; /* fallback_mt */
	__u8 to;   /* alloc_mt */
	__u8 steal;
	__u8 fragmenting;
};
#define FM_LOST_TASKS_MAX 4096

/*
 * Kernel call paths of extfrag events: the stack of each (innermost first,
 * at most FM_STACK_DEPTH frames) in a BPF_MAP_TYPE_STACK_TRACE map
 * (stack_traces, FM_STACKS_MAX stacks), its events counted per stack x
 * pattern x steal/claim in a hash map (stack_counts: this key -> __u64).
 */
#define FM_STACK_DEPTH 64
/*
 * Taking a stack costs the kernel's unwinder tens of times a bare counter
 * (docs/attribution.md), under the zone lock with interrupts off: at most
 * this many per CPU and second (a fallback storm), the rest only counted.
 */
#define FM_STACKS_PER_SEC 1000
#define FM_STACKS_MAX 8192
#define FM_STACK_COUNTS_MAX 16384
struct fm_stack_key {
	__u32 id;  /* stack id in stack_traces */
	__u8 from; /* as struct fm_task_key */
	__u8 to;
	__u8 steal;
	__u8 pad;
};

static inline void fm_task_key_of(struct fm_task_key *k, const struct fm_event *e,
				  int pageblock_order)
{
	int from = e->extfrag.fallback_mt, to = e->extfrag.alloc_mt;
	int ok = from >= 0 && from < FM_MT_MAX && to >= 0 && to < FM_MT_MAX;

	__builtin_memcpy(k->comm, e->comm, FM_COMM_LEN);
	k->pid = e->pid;
	k->from = ok ? (__u8)from : FM_TASK_MT_NONE;
	k->to = ok ? (__u8)to : FM_TASK_MT_NONE;
	k->steal = !e->extfrag.change_ownership;
	k->fragmenting = e->extfrag.fallback_order < pageblock_order;
}

/*
 * Records are staged per CPU and sent through the ring buffer in batches of
 * up to FM_BATCH (one reservation per batch): a ring-buffer record holds
 * 1..FM_BATCH struct fm_event back to back.  The agent sends a CPU's batch
 * (flush_stage, run on that CPU) at its first poll (every 100 ms) after the
 * batch is half full or FM_STAGE_MAX_NS old, and at the end; a handler sends
 * it only when it is full.  So the handlers, which run in the allocator under
 * the zone lock, rarely pay for the ring buffer.  kill -9 of the agent loses
 * at most FM_STAGE_MAX_NS plus a poll plus the writer's flush interval
 * (0.5 s) of events.
 */
#define FM_BATCH 64
#define FM_CHUNK 32 /* records per ring-buffer record: 3,328 bytes */
#define FM_STAGE_MAX_NS 250000000ULL
#define FM_SCRATCH_BYTES 2048

/*
 * Everything a handler touches, in one array element per CPU (an mmapable
 * map the agent reads without system calls): the handlers run cold (a
 * fallback is a slow-path event), so each cache line and each map lookup
 * counts.  The header shares the first line with node 0's pointer.
 */
struct fm_cpu {
	__u32 busy;	  /* a handler or flush_stage is using the stage */
	__u32 n;	  /* records staged */
	__u64 first_ns;	  /* when the first staged record was made */
	__u32 spare_used; /* the handler interrupted flush_stage: rec is spare */
	__u32 stop;	  /* set by the agent at the end of the run: handlers record no more */
	__u32 stacks_n;	  /* stacks taken since stacks_win_ns */
	__u32 pad;
	__u64 stacks_win_ns;	   /* the start of this CPU's current second of stacks */
	__u64 pgdat[FM_MAX_NODES]; /* struct pglist_data *, found once */
	struct fm_counts cnt;	   /* events this CPU could not deliver */
	struct fm_event rec[FM_BATCH];
	struct fm_event spare;
	__u8 scratch[FM_SCRATCH_BYTES]; /* a zone's free_area[], copied at once */
} __attribute__((aligned(64)));

#endif
