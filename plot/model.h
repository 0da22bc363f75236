/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What fragmon-plot keeps of one run: counters and time-binned series,
 * filled while the JSON streams past (plot/reader.c).  Memory is bounded:
 * time is cut into at most PM_BINS fine bins of width bw (2^k / 1024 s); when
 * an event falls past the last bin every series merges pairs of bins and bw
 * doubles, so events need not be sorted.  Bins are allocated PM_CHUNK at a
 * time, when an event first lands in them: a small input costs little.
 *
 * The run's time span: events before 0 or after the run's end (metadata
 * duration) are counted as "outside" and kept out of every series and
 * metric; while the end is not known yet (the agent writes metadata last),
 * an event far past all others (a stray epoch timestamp) is held back until
 * the end of the input decides.
 */
#ifndef FRAGMON_PLOT_MODEL_H
#define FRAGMON_PLOT_MODEL_H

#include <stdint.h>

#include "fragindex.h"
#include "migratetype.h"
#include "severity.h"

#define PM_BINS 2048
#define PM_CHUNK 16 /* bins per allocation */
#define PM_NCHUNK (PM_BINS / PM_CHUNK)
#define PM_BW_MIN (1.0 / 1024) /* bin widths are 2^k / 1024 s */
#define PM_ORD FM_ORDER_SLOTS  /* order slot = order + 1 (order -1: whole-zone run), fm_limits.h */
#define PM_FI_ROWS 52	       /* rows 0..50: index/20 for 0..1000; row 51: index < 0 */
#define PM_FI_NEG 51
#define PM_MAX_PAT 64
#define PM_MAX_ZONES 8
#define PM_MT_KINDS (FM_MT_OTHER + 1) /* pageblock owners: the kinds of migratetype.h */
#define PM_STR 64
#define PM_MAX_RUNS 16	  /* configurations in one image */
#define PM_MAX_REPEATS 16 /* files of one configuration */
#define PM_MAX_DEFER 256  /* events held back until the run's end is known */

enum pm_evtype {
	PM_EV_EXTFRAG,
	PM_EV_CSUCC,
	PM_EV_CFAIL,
	PM_EV_CRUN,
	PM_EV_SNAPSHOT,
	PM_EV_OTHER_COMPACTION, /* try, suitable, defer*, kcompactd_* */
	PM_EV_MIGRATE,
	PM_EV_UNKNOWN,
	PM_EV_N,
};

/* kinds of events a run may or may not have traced (metadata.tracepoints) */
enum pm_tp { PM_TP_EXTFRAG, PM_TP_COMPACTION, PM_TP_MIGRATE, PM_TP_N };

/* vmstat counters followed per bin (increments since the previous snapshot) */
enum pm_vm { PM_VM_STALL, PM_VM_FAIL, PM_VM_SUCCESS, PM_VM_PGALLOC, PM_VM_N };

/* one fine time bin of a run */
struct pm_bin {
	uint32_t steal, claim, bad, good, to_unmov, fragmenting;
	uint32_t ef_ord[PM_ORD]; /* extfrag by allocation order slot */
	uint32_t succ[PM_ORD], fail[PM_ORD];
	uint32_t succ_neg; /* successes at -1000 */
	uint32_t sc_count[PM_FI_ROWS];
	uint16_t sc_orders[PM_FI_ROWS]; /* bit (order slot) per cell */
	double mig_ok, mig_fail;	/* pages */
	/* snapshots in the bin: sums, so merging adds */
	uint32_t nsnap;			/* with free lists */
	double tot_free[FM_MAX_ORDERS]; /* blocks, all zones */
	uint32_t npb;			/* with pageblock counts */
	double pageblocks[PM_MT_KINDS]; /* all zones */
	uint32_t nvm;			/* with a previous snapshot to count from */
	double vm_inc[PM_VM_N];
};

/* one (node, zone) of the snapshots, per fine bin */
struct pm_zbin {
	uint32_t n;		       /* snapshots */
	float fi_sum[FM_MAX_ORDERS];   /* of indices >= 0 */
	uint32_t fi_n[FM_MAX_ORDERS];  /* indices >= 0 */
	uint32_t fi_ok[FM_MAX_ORDERS]; /* indices < 0: a block of the order was free */
	float us_sum[FM_MAX_ORDERS];   /* unusable free space index */
	uint32_t us_n[FM_MAX_ORDERS];
};

struct pm_pattern {
	char from[FM_MT_NAME_LEN], to[FM_MT_NAME_LEN];
	struct fm_severity sev;
	uint64_t steal, claim;
	uint32_t bins[PM_BINS];
};

/* an extfrag event's (from, to) as spelled in the file, resolved once */
struct pm_pair {
	char from[FM_MT_NAME_LEN], to[FM_MT_NAME_LEN];
	struct pm_pattern *p;
	struct fm_severity sev;
	int to_unmov;
};
#define PM_MAX_PAIRS 32

struct pm_zone {
	int node;
	char name[16];
	int nr_orders;
	double pages_sum; /* free pages, over all snapshots */
	double pb_sum;	  /* pageblocks (the zone's size), over all snapshots */
	uint32_t nsnap;	  /* snapshots that listed the zone */
	uint64_t extfrag; /* extfrag events in the zone (their node and zone) */
	struct pm_zbin *chunk[PM_NCHUNK];
};

struct pm_event;
struct po_origin; /* where the fallbacks came from: plot/origin.h, NULL when nothing says */

struct pm_run {
	char name[PM_STR * 4]; /* file or URL as given */
	char label[PM_STR];

	/* header / metadata */
	int have_run, have_metadata, have_stats;
	int truncated;	    /* the JSON ended early */
	long long trunc_at; /* byte where it ended */
	int complete;	    /* metadata.complete: 1, 0, -1 absent */
	double start_time, end_time, duration;
	long long meta_total_events, events_dropped, events_capped;
	char kernel[PM_STR], hostname[PM_STR], mode[16], end_reason[16], fi_source[16];
	int pageblock_order, nr_orders;
	int page_size; /* bytes; -1 unknown (legacy): 4096 assumed */
	int real_fi;   /* extfrag fragmentation_index is the kernel's (not legacy placeholder) */
	double snap_interval; /* s; 0 unknown */
	int tp[PM_TP_N];      /* traced: 1, not: 0 (missing, rejected, ...), -1 unknown */
	char tp_why[PM_TP_N][96];
	char bpf_error[128]; /* BPF capture did not run: why */

	/* counters over every event inside the run's span */
	uint64_t n_events, by_type[PM_EV_N];
	uint64_t succ[PM_ORD], fail[PM_ORD];
	uint64_t succ_neg;  /* successes with index < 0 */
	double succ_fi_sum; /* of successes with index >= 0 */
	uint64_t succ_fi_n;
	uint64_t steal, claim, fragmenting, bad, good, neutral, to_unmovable;
	uint64_t ef_order[PM_ORD]; /* extfrag events by allocation order slot */
	uint64_t mig_ok, mig_fail; /* pages, from migrate events */
	/* vmstat compact_{stall,fail,success} and pgalloc at the first and last snapshot */
	int have_vm, have_pgalloc;
	double vm_t0, vm_t1;
	long long vm0[PM_VM_N], vm1[PM_VM_N];
	long long vm_prev[PM_VM_N]; /* the previous snapshot's, by arrival */
	double ef_fi_sum;	    /* extfrag real indices >= 0 */
	uint64_t ef_fi_n, ef_fi_neg;
	double tmin, tmax;
	int have_t;

	/* outside the run's span: counted, not plotted */
	uint64_t outside;
	double out_min, out_max;
	double limit; /* events after this are outside (0: the end is not known yet) */
	struct pm_event *deferred;
	int ndeferred, defer_off;

	/* statistics block (exact BPF totals), -1 when absent */
	long long st_extfrag, st_csucc, st_cfail, st_steal, st_claim;

	/* time bins */
	double bw;
	int nbins; /* highest used bin + 1 */
	struct pm_bin *chunk[PM_NCHUNK];
	int npat;
	struct pm_pattern *pat[PM_MAX_PAT];
	uint64_t pat_overflow; /* extfrag events whose pattern did not fit */
	struct pm_pair pairs[PM_MAX_PAIRS], pair_spill;
	int npairs;
	int nzones; /* per-zone series for the first PM_MAX_ZONES zones seen */
	struct pm_zone *zone[PM_MAX_ZONES];
	struct pm_zone *ef_zone; /* the zone of the last extfrag event (a cache) */
	/* the zone under pressure, chosen for all runs of a figure together
	 * (pm_pick_zone); unset: the run alone decides */
	int zsel_set, zsel_node, zsel_why;
	char zsel_name[16];
	uint64_t nsnap;
	int tot_orders;
	double last_tot_t;
	unsigned long long last_tot[FM_MAX_ORDERS];
	/* pageblocks per owner (all zones) at the first and the last snapshot by time */
	int have_pb;
	double pb_t0, pb_t1;
	double pb0[PM_MT_KINDS], pb1[PM_MT_KINDS];
	struct po_origin *origin;
};

/* one event as the reader hands it over */
struct pm_event {
	enum pm_evtype type;
	double t;
	int have_t;
	int order, fallback_order, fi, have_fi;
	int is_steal, fragmenting; /* -1 unknown */
	int node, have_zone;	   /* extfrag: the page's node and zone */
	char zone[16];
	long long mig_ok, mig_fail; /* migrate: pages */
	long long vm[PM_VM_N];	    /* snapshot vmstat */
	int have_vm, have_pgalloc;
	char from[FM_MT_NAME_LEN], to[FM_MT_NAME_LEN];
	unsigned long long tot_free[FM_MAX_ORDERS]; /* snapshot: over all its zones */
	int tot_nfree;
	double pageblocks[PM_MT_KINDS]; /* snapshot: over all its zones */
	int have_pb;
	/* attribution (plot/origin.h): an extfrag event's stack, a marker event */
	int stack_id, marker;
	char mname[64], mkind[8], medge[8];
	int nzones;
	struct pm_snapzone {
		int node;
		char name[16];
		int nfree, nfi, nus;
		unsigned long long free[FM_MAX_ORDERS];
		int fi[FM_MAX_ORDERS];
		int us[FM_MAX_ORDERS];
		int have_pb;
		double pb[PM_MT_KINDS];
	} zones[PM_MAX_ZONES];
};

/* one configuration: a run, or repeated runs of it (the first is drawn) */
struct pm_side {
	struct pm_run *run[PM_MAX_REPEATS];
	int n;
	char label[PM_STR];
};

struct pm_run *pm_run_new(const char *name);
void pm_run_free(struct pm_run *r);
void pm_event_reset(struct pm_event *ev);
enum pm_evtype pm_evtype_of(const char *s, size_t len);
const char *pm_evtype_name(enum pm_evtype t);
/* called once the metadata duration is known, before any event: pre-size
 * bins and bound the run's span */
void pm_run_presize(struct pm_run *r, double span);
void pm_run_add(struct pm_run *r, const struct pm_event *ev);
/* end of input: decide about the events held back */
void pm_run_finish(struct pm_run *r);

/* order slot <-> order */
static inline int pm_slot(int order)
{
	return order < -1 ? 0 : order + 1 >= PM_ORD ? PM_ORD - 1 : order + 1;
}

/* fine bin b (all zero where nothing fell) */
const struct pm_bin *pm_bin(const struct pm_run *r, int b);
const struct pm_zbin *pm_zbin(const struct pm_zone *z, int b);

/* end of the time axis: last event or the duration, whichever is later */
double pm_run_span(const struct pm_run *r);
/* the run's length for rates: the duration, else the span of its events */
double pm_run_duration(const struct pm_run *r);
/* free pages per order in fine bin b, over all zones, averaged over the snapshots
 * in the bin; 0 when the bin has none */
int pm_run_free_pages(const struct pm_run *r, int b, double pages[FM_MAX_ORDERS]);
/* MiB in `pages` pages of this run (page_size, else 4 KiB) */
double pm_run_mib(const struct pm_run *r, double pages);
/*
 * The zone under pressure: the one (node + zone) with the most extfrag events
 * over all the runs given; where none has any (or the files do not say the
 * zone), the largest (pageblocks, else free memory).  One choice for every run
 * of a comparison, so A and B are measured on the same zone.
 */
enum pm_zone_why { PM_ZW_NONE, PM_ZW_FALLBACKS, PM_ZW_LARGEST };
void pm_pick_zone(struct pm_side *sides, int n);
/* the run's zone under pressure (NULL: no snapshots, or the chosen zone is not
 * in this run) */
const struct pm_zone *pm_run_main_zone(const struct pm_run *r);
/* why that zone: "the most fallbacks", "the largest; no fallbacks" */
const char *pm_zone_why(const struct pm_run *r);
/* patterns sorted worst first (severity, then count); returns the count */
int pm_run_sorted_patterns(const struct pm_run *r, const struct pm_pattern **out);
/* name of a pageblock owner slot (PM_MT_KINDS) */
const char *pm_mt_kind_name(int kind);

#endif
