/* SPDX-License-Identifier: GPL-2.0 */
/* The BPF side's lifecycle: open, configure, load, attach, poll, count. */
#ifndef FRAGMON_TRACER_H
#define FRAGMON_TRACER_H

#include <bpf/libbpf.h>
#include <linux/types.h>
#include "config.h"
#include "kinfo.h"
#include "procfs.h"
#include "tracepoints.h"
#include "../bpf/fragmon.h"

#define FM_MAX_TP 32

struct fragmon_bpf;

struct fm_tracer {
	struct fragmon_bpf *skel;
	struct ring_buffer *rb;
	struct bpf_link *links[FM_MAX_TP];
	const char *status[FM_MAX_TP]; /* per fm_tracepoints[]: attached/missing/disabled/failed */
	struct bpf_link *bare;	       /* benchmark reference program */
	bool oot;		       /* out-of-tree compaction tracepoints attached */
	int ncpus;
	const volatile struct fm_cpu *cpus; /* cpu_state, mmapped: one per possible CPU */
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
	ring_buffer_sample_fn on_event;
	void *ctx;
	int bench_bare; /* attach the bare-counter reference: 1 after ours, 2 before */
};

/* Returns 0, or -1 with a message in err. */
int fm_tracer_start(struct fm_tracer *t, const struct fm_tracer_opts *o, char *err, size_t errlen);
/* Wait up to timeout_ms, send every CPU's staged records, consume the ring. */
int fm_tracer_poll(struct fm_tracer *t, int timeout_ms);
/* Detach every program, then consume what is left, staged records included. */
int fm_tracer_stop(struct fm_tracer *t);
/* Add the per-CPU counters (events BPF could not deliver) to out[FM_CNT_MAX]. */
int fm_tracer_counts(struct fm_tracer *t, __u64 *out);
void fm_tracer_destroy(struct fm_tracer *t);
/* run count and time of one program (kernel.bpf_stats_enabled), for the benchmark */
int fm_tracer_prog_stats(struct fm_tracer *t, const char *prog, __u64 *cnt, __u64 *ns);

#endif
