/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF side's lifecycle: lay out the records, load (each program on its
 * own terms), attach, poll, count.
 */
#ifndef FRAGMON_TRACER_H
#define FRAGMON_TRACER_H

#include <bpf/libbpf.h>
#include <linux/types.h>
#include "config.h"
#include "kinfo.h"
#include "procfs.h"
#include "tracepoints.h"
#include "fragmon.h"

#define FM_REASON_LEN 192

struct fragmon_bpf;

struct fm_tracer {
	struct fragmon_bpf *skel;
	struct ring_buffer *rb;
	struct bpf_link *links[FM_NTP];
	/*
	 * Per fm_tracepoints[]: "attached", "loaded" (verified, not attached:
	 * --probe), "missing" (not on this kernel), "disabled" (not in this
	 * mode), or reason[i]: "rejected: <the verifier's last line>",
	 * "unsupported: <why>" (its record lacks a field), "failed: <why>".
	 */
	const char *status[FM_NTP];
	char reason[FM_NTP][FM_REASON_LEN];
	const char *category[FM_NTP];  /* where it lives on this kernel */
	int nrejected;		       /* rejected + unsupported + failed */
	bool oot;		       /* out-of-tree compaction tracepoints attached */
	bool index_at_event;	       /* the index is read in BPF */
	bool stacks;		       /* extfrag events' kernel stacks are taken */
	char index_why[FM_REASON_LEN]; /* why not, when asked for */
	int ncpus;
	volatile struct fm_cpu *cpus; /* cpu_state, mmapped: one per possible CPU */
	size_t cpus_len;
	ring_buffer_sample_fn on_event;
	void *ctx;
};

struct fm_tracer_opts {
	const struct fm_config *cfg;
	struct fm_kinfo *kinfo;
	const struct fm_zone_span *spans;
	int nspans;
	int nr_orders;
	int pageblock_order;
	bool all_modes; /* --probe: every tracepoint, whatever cfg->mode */
	ring_buffer_sample_fn on_event;
	void *ctx;
};

/*
 * Read the record layouts and load the programs, each on its own terms: a
 * program the verifier rejects is left out (its status says why) and the
 * others load.  Returns 0, or -1 with the reason in err when BPF cannot be
 * used at all (no ring buffer, no tracefs, every program rejected, ...).
 */
int fm_tracer_load(struct fm_tracer *t, const struct fm_tracer_opts *o, char *err, size_t errlen);
/* Can the agent run flush_stage on a chosen CPU (Linux 5.10)?  0 or -1 (err). */
int fm_tracer_check_flush(struct fm_tracer *t, char *err, size_t errlen);
/* Attach the loaded programs and set up the ring buffer.  Returns 0 or -1 (err). */
int fm_tracer_attach(struct fm_tracer *t, const struct fm_tracer_opts *o, char *err, size_t errlen);
/* how many tracepoints have this status ("attached", "missing", ...) */
int fm_tracer_count_status(const struct fm_tracer *t, const char *status);
/* Wait up to timeout_ms, send every CPU's staged records, consume the ring. */
int fm_tracer_poll(struct fm_tracer *t, int timeout_ms);
/* Send every CPU's staged records now and consume the ring (a checkpoint). */
int fm_tracer_drain(struct fm_tracer *t);
/*
 * End the capture: the handlers stop recording (they stay attached), what
 * is staged and in the ring is consumed.  Fast; returns the events taken.
 */
int fm_tracer_stop(struct fm_tracer *t);
/* Add the per-CPU counters (events BPF could not deliver) to out[FM_CNT_MAX]. */
int fm_tracer_counts(struct fm_tracer *t, __u64 *out);
/* Add the BPF side's per-task counts (events it could not deliver) to out. */
struct fm_tasks;
int fm_tracer_lost_tasks(struct fm_tracer *t, struct fm_tasks *out);
/* The stack counts (struct fm_stack_key -> events): a new array in *out (free() it). */
struct fm_stack_count {
	struct fm_stack_key k;
	__u64 n;
};
long fm_tracer_stack_counts(struct fm_tracer *t, struct fm_stack_count **out);
/* The frames of stack id (FM_STACK_DEPTH, 0 after the last).  0, or -1. */
int fm_tracer_stack(struct fm_tracer *t, __u32 id, __u64 *ips);
/* Detach the programs (an RCU grace period each) and free everything. */
void fm_tracer_destroy(struct fm_tracer *t);

#endif
