/* SPDX-License-Identifier: GPL-2.0 */
/* The agent's clocks: CLOCK_MONOTONIC (bpf_ktime_get_ns()'s) and wall time. */
#ifndef FRAGMON_CLOCK_H
#define FRAGMON_CLOCK_H

#include <linux/types.h>

/* CLOCK_MONOTONIC in ns, the clock of the events' ts_ns */
__u64 fm_mono_ns(void);

/* CLOCK_REALTIME in seconds since the epoch */
double fm_epoch(void);

/* seconds from t0_ns to ns (negative if ns is earlier) */
static inline double fm_secs(__u64 t0_ns, __u64 ns)
{
	return (double)(long long)(ns - t0_ns) / 1e9;
}

#endif
