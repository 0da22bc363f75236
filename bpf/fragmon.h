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

/* Per-CPU u64 counters, index layout: */
#define FM_CNT_KIND(kind, order) ((kind)*FM_ORDER_SLOTS + (order) + 1)
#define FM_CNT_PATTERN_BASE (FM_KIND_MAX * FM_ORDER_SLOTS)
#define FM_MT_SLOTS 8
/* extfrag from x to x steal(1)/claim(0) */
#define FM_CNT_PATTERN(from, to, steal)                                                            \
	(FM_CNT_PATTERN_BASE + ((from)*FM_MT_SLOTS + (to)) * 2 + (steal))
#define FM_CNT_FRAGMENTING (FM_CNT_PATTERN_BASE + FM_MT_SLOTS * FM_MT_SLOTS * 2)
#define FM_CNT_DROPPED (FM_CNT_FRAGMENTING + 1)
#define FM_CNT_MIGRATE_OK (FM_CNT_FRAGMENTING + 2)
#define FM_CNT_MIGRATE_FAIL (FM_CNT_FRAGMENTING + 3)
#define FM_CNT_FI_BPF (FM_CNT_FRAGMENTING + 4) /* extfrag events with index read in BPF */
#define FM_CNT_MAX (FM_CNT_FRAGMENTING + 5)

#endif
