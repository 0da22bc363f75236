// SPDX-License-Identifier: GPL-2.0
#include "tracepoints.h"

#define EXT FM_MODE_BIT(FM_MODE_EXTFRAG)
#define CMP FM_MODE_BIT(FM_MODE_COMPACTION)
#define ALL FM_MODE_BIT(FM_MODE_FULL)

/* the suitable and defer templates, and the out-of-tree pair, share a layout */
#define SUITABLE_FIELDS                                                                            \
	{                                                                                          \
		"nid", "idx", "order", "ret"                                                       \
	}
#define DEFER_FIELDS                                                                               \
	{                                                                                          \
		"nid", "idx", "order", "considered", "defer_shift", "order_failed"                 \
	}
#define OOT_FIELDS                                                                                 \
	{                                                                                          \
		"nid", "idx", "order", "?ret"                                                      \
	}

const struct fm_tracepoint fm_tracepoints[FM_NTP] = {
    [FM_TP_EXTFRAG] = {"kmem",
		       {NULL},
		       "mm_page_alloc_extfrag",
		       ALL | EXT,
		       false,
		       {"pfn", "alloc_order", "fallback_order", "alloc_migratetype",
			"fallback_migratetype", "change_ownership"}},
    [FM_TP_COMPACT_BEGIN] =
	{"compaction", {NULL}, "mm_compaction_begin", ALL | CMP, false, {"zone_start", "sync"}},
    [FM_TP_COMPACT_FINISHED] =
	{"compaction", {NULL}, "mm_compaction_finished", ALL | CMP, false, SUITABLE_FIELDS},
    [FM_TP_COMPACT_END] =
	{"compaction", {NULL}, "mm_compaction_end", ALL | CMP, false, {"sync", "status"}},
    [FM_TP_OOT_SUCCESS] = {"page_alloc",
			   {"compaction", "kmem", NULL},
			   "mm_compaction_success",
			   ALL | CMP,
			   true,
			   OOT_FIELDS},
    [FM_TP_OOT_FAILURE] = {"page_alloc",
			   {"compaction", "kmem", NULL},
			   "mm_compaction_failure",
			   ALL | CMP,
			   true,
			   OOT_FIELDS},
    [FM_TP_COMPACT_TRY] = {"compaction",
			   {NULL},
			   "mm_compaction_try_to_compact_pages",
			   ALL | CMP,
			   false,
			   {"order", "gfp_mask", "?prio"}},
    [FM_TP_COMPACT_SUITABLE] =
	{"compaction", {NULL}, "mm_compaction_suitable", ALL | CMP, false, SUITABLE_FIELDS},
    [FM_TP_COMPACT_DEFERRED] =
	{"compaction", {NULL}, "mm_compaction_deferred", ALL | CMP, false, DEFER_FIELDS},
    [FM_TP_COMPACT_DEFER] =
	{"compaction", {NULL}, "mm_compaction_defer_compaction", ALL | CMP, false, DEFER_FIELDS},
    [FM_TP_COMPACT_DEFER_RESET] =
	{"compaction", {NULL}, "mm_compaction_defer_reset", ALL | CMP, false, DEFER_FIELDS},
    [FM_TP_KCOMPACTD_WAKE] = {"compaction",
			      {NULL},
			      "mm_compaction_kcompactd_wake",
			      ALL | CMP,
			      false,
			      {"nid", "order", "highest_zoneidx|classzone_idx"}},
    [FM_TP_KCOMPACTD_SLEEP] =
	{"compaction", {NULL}, "mm_compaction_kcompactd_sleep", ALL | CMP, false, {"nid"}},
    [FM_TP_MIGRATE] = {"migrate",
		       {NULL},
		       "mm_migrate_pages",
		       ALL | CMP,
		       false,
		       {"succeeded", "failed", "?thp_succeeded", "?thp_failed", "?thp_split",
			"mode", "reason"}},
};

const int fm_ntracepoints = FM_NTP;
