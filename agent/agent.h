/* SPDX-License-Identifier: GPL-2.0 */
/* One run of the agent: what the output writers need to know. */
#ifndef FRAGMON_AGENT_H
#define FRAGMON_AGENT_H

#include <stdbool.h>
#include <linux/types.h>
#include <yajl/yajl_gen.h>

#include "clock.h"
#include "config.h"
#include "ingest.h"
#include "kallsyms.h"
#include "kmsg.h"
#include "kinfo.h"
#include "marker.h"
#include "procfs.h"
#include "tasks.h"
#include "tracer.h"
#include "writer.h"

struct fm_agent {
	struct fm_config cfg;
	struct fm_kinfo kinfo;
	struct fm_zone_span spans[FM_MAX_NODES * FM_MAX_ZONES];
	int nspans;
	int nr_orders;
	int pageblock_order;
	struct fm_mem_snapshot snap; /* latest */
	bool have_snap;
	bool snap_failing; /* the last snapshot failed (logged once) */
	struct fm_tracer tracer;
	bool bpf;	     /* tracer started */
	char bpf_error[512]; /* why BPF capture is not running ("" = it is, or mode snapshot) */
	struct fm_writer writer;

	__u64 main_ns;	    /* CLOCK_MONOTONIC when main() began */
	double attach_ms;   /* main() to BPF attached (or given up) */
	__u64 t0_ns;	    /* CLOCK_MONOTONIC at start */
	double start_epoch; /* CLOCK_REALTIME at start */
	double end_epoch;
	char hostname[65];
	char kernel[65];

	unsigned long long received[FM_KIND_MAX]; /* events that reached userspace */
	unsigned long long snapshots;
	unsigned long long fi_bpf, fi_snapshot; /* extfrag index sources */
	__u64 delivered[FM_CNT_MAX];		/* counters of the events received */
	__u64 counts[FM_CNT_MAX];		/* exact: delivered + what BPF could not deliver */
	const char *end_reason;
	bool complete;

	/* markers.c */
	struct fm_kmsg kmsg;
	struct fm_markers markers;
	char markers_why[256];		/* "kmsg" or "unavailable: <why>" */
	unsigned long long nmarkers[2]; /* by enum fm_marker_kind */

	struct fm_tasks tasks; /* extfrag events received, per task (attribution.c) */

	struct fm_kallsyms ksyms; /* stacks.c: while a file is written */
};

/* probe.c: `fragmon-agent --probe`: JSON on out; returns 0 when mode full
 * would capture extfrag events here */
int fm_probe(FILE *out, const struct fm_config *cfg);

/* event_json.c */
const char *fm_kind_name(const struct fm_agent *a, int kind);
void fm_event_json(yajl_gen g, const struct fm_agent *a, const struct fm_record *r);
/* a marker event (markers.c) at mono_ns; msg is the log line, cut to FM_MARKER_MSG_MAX */
void fm_marker_json(yajl_gen g, const struct fm_agent *a, const struct fm_marker *m,
		    const char *msg, size_t len, __u64 mono_ns);

/* snapshot.c: take a snapshot into a->snap and write it as an event */
int fm_snapshot_take(struct fm_agent *a);
void fm_snapshot_json(yajl_gen g, struct fm_agent *a, double t);

/* report.c: the header, and statistics + metadata */
void fm_header_json(yajl_gen g, void *agent);
void fm_tail_json(yajl_gen g, void *agent);
/* one "FROM->TO": {"steal": n, "claim": n} member */
void fm_pattern_json(yajl_gen g, const struct fm_agent *a, int from, int to,
		     unsigned long long steal, unsigned long long claim);

/* markers.c: /dev/kmsg from the start on; 0, or -1 (markers_why says why) */
int fm_markers_start(struct fm_agent *a);
int fm_markers_poll(struct fm_agent *a);
void fm_markers_stop(struct fm_agent *a);			  /* reads what is left, closes */
void fm_markers_run_json(yajl_gen g, const struct fm_agent *a);	  /* run/metadata keys */
void fm_markers_stats_json(yajl_gen g, const struct fm_agent *a); /* statistics.markers */

/* attribution.c: per task (and per call path) */
void fm_attr_ingest(struct fm_agent *a, const struct fm_event *e);
void fm_attr_stats_json(yajl_gen g, struct fm_agent *a); /* statistics keys */

/* stacks.c: statistics.extfrag_stacks */
void fm_stacks_json(yajl_gen g, struct fm_agent *a);

/* prom.c: node_exporter textfile, rewritten atomically */
int fm_prom_write(struct fm_agent *a);

#endif
