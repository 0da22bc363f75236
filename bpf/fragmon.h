/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared between fragmon.bpf.c and the agent: the ring-buffer record and the
 * layout of the exact counters kept in BPF maps.
 */
#ifndef FRAGMON_BPF_H
#define FRAGMON_BPF_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define FM_COMM_LEN 16
#define FM_MAX_NODES 8
#define FM_MAX_ZONES 8
#define FM_ORDER_SLOTS 18   /* order -1 .. 16, slot = order + 1 */
#define FM_FI_NONE (-32768) /* index not computed */

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
 * receives (fm_count_event(), fm_count.h), and the BPF side counts, with the
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
#define FM_MT_SLOTS 8
/* extfrag from x to x steal(1)/claim(0) */
#define FM_CNT_PATTERN(from, to, steal)                                                            \
	(FM_CNT_PATTERN_BASE + ((from)*FM_MT_SLOTS + (to)) * 2 + (steal))
#define FM_CNT_MAX (FM_CNT_PATTERN_BASE + FM_MT_SLOTS * FM_MT_SLOTS * 2)

struct fm_counts {
	__u64 c[FM_CNT_MAX];
};

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
	__u32 pad;
	__u64 pgdat[FM_MAX_NODES]; /* struct pglist_data *, found once */
	struct fm_counts cnt;	   /* events this CPU could not deliver */
	struct fm_event rec[FM_BATCH];
	struct fm_event spare;
	__u8 scratch[FM_SCRATCH_BYTES]; /* a zone's free_area[], copied at once */
} __attribute__((aligned(64)));

#endif
