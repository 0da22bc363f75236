/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Synthetic fragmon-agent runs of known properties, for calibrating
 * fragmon-plot's verdicts (docs/plot.md, "Calibration").  Unlike
 * bench/gen-events (evenly spaced events: a speed benchmark), these runs have
 * the time structure of real ones: Poisson events, or bursts, or rate
 * regimes; fallback pattern and order shared within a burst or regime;
 * snapshot state (free lists, pageblock owners) as stationary autocorrelated
 * processes; compaction and migration following the extfrag intensity;
 * vmstat counters including pgalloc_*.  Written in the agent's format
 * (docs/format.md), one JSON object.
 */
#ifndef FRAGMON_CAL_GEN_H
#define FRAGMON_CAL_GEN_H

#include <stdint.h>
#include <stdio.h>

enum cal_kind {
	CAL_POISSON, /* constant rate */
	CAL_BURSTY,  /* background plus bursts of 50-500 events at random times */
	CAL_REGIMES, /* a two-state rate, exponential sojourns */
};

struct cal_proc {
	enum cal_kind kind;
	double duration;    /* s */
	double snap_iv;	    /* s between snapshots */
	double rate;	    /* Poisson rate; bursty: background; regimes: the low rate */
	double hi_rate;	    /* regimes: the high rate */
	double sojourn;	    /* regimes: mean time in a regime, s */
	double burst_every; /* bursty: mean s between bursts */
	int burst_min, burst_max;
	double burst_len; /* bursty: mean spread of a burst's events, s */
	int shared;	  /* pattern and order shared within a burst / regime */
	double tau;	  /* correlation time of the snapshot state, s */
	double scale;	  /* multiplier of the extfrag intensity (1: the null) */
	int lean;	  /* leave out free_by_type (fragmon-plot skips it): faster */
};

/* defaults of a family: mean ~5 extfrag/s */
void cal_proc_init(struct cal_proc *p, enum cal_kind kind, double duration, double tau,
		   int shared);
/* one run, seeded, written to out; 0 ok */
int cal_write_run(const struct cal_proc *p, uint64_t seed, FILE *out);

#endif
