/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fragmon JSON schema: every key and event-type name that the agent
 * writes (its data files and --probe) and the plotter reads lives here, once.
 * docs/format.md documents it.
 */
#ifndef FRAGMON_SCHEMA_H
#define FRAGMON_SCHEMA_H

#define FM_FORMAT_NAME "fragmon"
#define FM_FORMAT_VERSION 1

/* top-level keys */
#define FM_K_RUN "run"		     /* header written at start (fragmon only) */
#define FM_K_EVENTS "events"	     /* legacy */
#define FM_K_STATISTICS "statistics" /* legacy */
#define FM_K_METADATA "metadata"     /* legacy; fragmon writes it last */

/* metadata keys (legacy first) */
#define FM_K_START_TIME "start_time"
#define FM_K_END_TIME "end_time"
#define FM_K_DURATION "duration"
#define FM_K_TOTAL_EVENTS "total_events"
#define FM_K_KERNEL_VERSION "kernel_version"
#define FM_K_FORMAT "format"
#define FM_K_FORMAT_VERSION "format_version"
#define FM_K_HOSTNAME "hostname"
#define FM_K_MODE "mode"
#define FM_K_COMPLETE "complete"
#define FM_K_END_REASON "end_reason"
#define FM_K_EVENTS_DROPPED "events_dropped"
#define FM_K_EVENTS_CAPPED "events_capped"
#define FM_K_OUTPUT_CAPPED "output_capped"
#define FM_K_TRACEPOINTS "tracepoints"
#define FM_K_MIGRATETYPES "migratetypes"
#define FM_K_PAGEBLOCK_ORDER "pageblock_order"
#define FM_K_NR_ORDERS "nr_page_orders"
#define FM_K_PAGE_SIZE "page_size"
#define FM_K_FI_SOURCE "fragmentation_index_source"

/* event keys common to all events */
#define FM_K_TIMESTAMP "timestamp"
#define FM_K_EVENT_TYPE "event_type"
#define FM_K_PID "pid"
#define FM_K_TID "tid"
#define FM_K_COMM "comm"
#define FM_K_CPU "cpu"
#define FM_K_ORDER "order"
#define FM_K_FRAG_INDEX "fragmentation_index"
#define FM_K_UNUSABLE_INDEX "unusable_index"
#define FM_K_NODE "node"
#define FM_K_ZONE "zone"

/* extfrag */
#define FM_K_FALLBACK_ORDER "fallback_order"
#define FM_K_MIGRATE_FROM "migrate_from"
#define FM_K_MIGRATE_TO "migrate_to"
#define FM_K_IS_STEAL "is_steal"
#define FM_K_PFN "pfn"
#define FM_K_PAGEBLOCK "pageblock"
#define FM_K_FRAGMENTING "fragmenting"

/* compaction summaries */
#define FM_K_STATUS "status"
#define FM_K_SYNC "sync"
#define FM_K_DURATION_US "duration_us"

/* snapshots */
#define FM_K_ZONES "zones"
#define FM_K_FREE "free"
#define FM_K_FREE_BY_TYPE "free_by_type"
#define FM_K_PAGEBLOCKS "pageblocks"
#define FM_K_VMSTAT "vmstat"

/* migrate events (pages) */
#define FM_K_SUCCEEDED "succeeded"
#define FM_K_FAILED "failed"

/* statistics block */
#define FM_K_EVENTS_BY_TYPE "events_by_type"
#define FM_K_EXTFRAG_STEAL "extfrag_steal"
#define FM_K_EXTFRAG_CLAIM "extfrag_claim"

/* run header, metadata and statistics */
#define FM_K_AGENT_VERSION "agent_version"
#define FM_K_ATTACH_MS "attach_ms"
#define FM_K_BPF_ERROR "bpf_error"
#define FM_K_BTF "btf"
#define FM_K_BTF_PATH "btf_path"
#define FM_K_CLAIM "claim"
#define FM_K_COMPACTION "compaction"
#define FM_K_DURATION_LIMIT "duration_limit"
#define FM_K_EVENTS_RECEIVED "events_received"
#define FM_K_EXTFRAG "extfrag"
#define FM_K_EXTFRAG_FRAGMENTING "extfrag_fragmenting"
#define FM_K_EXTFRAG_PATTERNS "extfrag_patterns"
#define FM_K_FAILURE "failure"
#define FM_K_FIELD_OFFSETS "field_offsets"
#define FM_K_FRAGMENTATION_INDEX_BPF_EVENTS "fragmentation_index_bpf_events"
#define FM_K_FRAGMENTATION_INDEX_SNAPSHOT_EVENTS "fragmentation_index_snapshot_events"
#define FM_K_INDEX_SOURCE "index_source"
#define FM_K_INDEX_SOURCE_FALLBACK "index_source_fallback"
#define FM_K_MAX_OUTPUT_MB "max_output_mb"
#define FM_K_MIGRATE "migrate"
#define FM_K_MIGRATETYPE_SOURCE "migratetype_source"
#define FM_K_RINGBUF_KB "ringbuf_kb"
#define FM_K_SNAPSHOTS "snapshots"
#define FM_K_SNAPSHOT_INTERVAL_MS "snapshot_interval_ms"
#define FM_K_SPANNED "spanned"
#define FM_K_START_PFN "start_pfn"
#define FM_K_STEAL "steal"
#define FM_K_SUCCESS "success"

/* events */
#define FM_K_CONSIDERED "considered"
#define FM_K_DEFER_SHIFT "defer_shift"
#define FM_K_GFP_MASK "gfp_mask"
#define FM_K_ORDER_FAILED "order_failed"
#define FM_K_PRIORITY "priority"
#define FM_K_REASON "reason"
#define FM_K_SOURCE "source"
#define FM_K_THP_FAILED "thp_failed"
#define FM_K_THP_SPLIT "thp_split"
#define FM_K_THP_SUCCEEDED "thp_succeeded"

/* fragmon-agent --probe */
#define FM_K_BPF "bpf"
#define FM_K_BTF_MISSING "btf_missing"
#define FM_K_BUDDYINFO "buddyinfo"
#define FM_K_CAN_RUN "can_run"
#define FM_K_CAN_RUN_SNAPSHOT_MODE "can_run_snapshot_mode"
#define FM_K_DEBUGFS_EXTFRAG_INDEX "debugfs_extfrag_index"
#define FM_K_INDEX_SOURCE_EVENT "index_source_event"
#define FM_K_KERNEL "kernel"
#define FM_K_MODES "modes"
#define FM_K_PAGETYPEINFO "pagetypeinfo"
#define FM_K_ROOT "root"
#define FM_K_TRACEFS "tracefs"

/* event types (legacy first) */
#define FM_EV_EXTFRAG "extfrag"
#define FM_EV_COMPACTION_SUCCESS "compaction_success"
#define FM_EV_COMPACTION_FAILURE "compaction_failure"
#define FM_EV_COMPACTION_RUN "compaction_run"
#define FM_EV_COMPACTION_TRY "compaction_try"
#define FM_EV_COMPACTION_SUITABLE "compaction_suitable"
#define FM_EV_COMPACTION_DEFERRED "compaction_deferred"
#define FM_EV_COMPACTION_DEFER "compaction_defer"
#define FM_EV_COMPACTION_DEFER_RESET "compaction_defer_reset"
#define FM_EV_KCOMPACTD_WAKE "kcompactd_wake"
#define FM_EV_KCOMPACTD_SLEEP "kcompactd_sleep"
#define FM_EV_MIGRATE "migrate"
#define FM_EV_SNAPSHOT "snapshot"

/* attribution: markers (from /dev/kmsg), per task, per kernel call path */
#define FM_EV_MARKER "marker"
#define FM_K_NAME "name"
#define FM_K_KIND "kind"
#define FM_K_EDGE "edge"
#define FM_K_MESSAGE "message"
#define FM_K_MARKERS "markers"
#define FM_K_LINES_READ "lines_read"
#define FM_K_LINES_LOST "lines_lost"
#define FM_K_MARKER_TEST "test"
#define FM_K_MARKER_PHASE "phase"
#define FM_K_EDGE_BEGIN "begin"
#define FM_K_EDGE_END "end"
#define FM_K_MARKERS_KMSG "kmsg"
#define FM_K_MARKERS_CLOCK_OFFSET_US "markers_clock_offset_us"
#define FM_K_EXTFRAG_BY_TASK "extfrag_by_task"
#define FM_K_PIDS "pids"
#define FM_K_PATTERNS "patterns"
#define FM_K_TASK_OTHER "(other)"
#define FM_K_STACK_ID "stack_id"
#define FM_K_EXTFRAG_STACKS "extfrag_stacks"
#define FM_K_ENABLED "enabled"
#define FM_K_DISTINCT "distinct"
#define FM_K_MAP_FULL "map_full"
#define FM_K_RATE_LIMITED "rate_limited"
#define FM_K_ENTRIES "entries"
#define FM_K_ID "id"
#define FM_K_FRAMES "frames"

/* fragmentation index values are the kernel's, scaled by 1000 */
#define FM_FI_SUITABLE (-1000) /* a free block of the order exists */

#endif
