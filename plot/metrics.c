// SPDX-License-Identifier: GPL-2.0
#include "metrics.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const struct pm_metric defs[PM_M_N] = {
    [PM_M_DURATION] = {"duration_s", "Run duration", "s", 1, PM_NEUTRAL, 0, 0},
    [PM_M_EVENTS] = {"events", "Events read", "", 0, PM_NEUTRAL, 0, 0},
    [PM_M_EXTFRAG] = {"extfrag", "ExtFrag events", "", 0, PM_LOWER, 0, 0},
    [PM_M_EXTFRAG_BPF] = {"extfrag_bpf_total", "ExtFrag seen by BPF (exact)", "", 0, PM_LOWER, 0,
			  0},
    [PM_M_EXTFRAG_RATE] = {"extfrag_per_s", "ExtFrag per second", "/s", 2, PM_LOWER, 0, 0},
    [PM_M_EF_FI] = {"extfrag_frag_index_mean", "Mean frag. index at extfrag (index >= 0)", "", 3,
		    PM_LOWER, 0, 0},
    [PM_M_STEAL] = {"extfrag_steal", "ExtFrag steal", "", 0, PM_LOWER, 0, 0},
    [PM_M_CLAIM] = {"extfrag_claim", "ExtFrag claim", "", 0, PM_LOWER, 0, 0},
    [PM_M_BAD] = {"bad_fallbacks", "Bad fallbacks", "", 0, PM_LOWER, 0, 0},
    [PM_M_GOOD] = {"good_fallbacks", "Good fallbacks", "", 0, PM_HIGHER, 0, 0},
    [PM_M_TO_UNMOVABLE] = {"to_unmovable", "Fallbacks to UNMOVABLE", "", 0, PM_LOWER, 0, 0},
    [PM_M_FRAGMENTING] = {"fragmenting", "Fragmenting fallbacks", "", 0, PM_LOWER, 0, 0},
    [PM_M_CSUCC] = {"compaction_success", "Compaction successes", "", 0, PM_NEUTRAL, 0, 0},
    [PM_M_CFAIL] = {"compaction_failure", "Compaction failures", "", 0, PM_LOWER, 0, 0},
    [PM_M_CRATE] = {"compaction_success_pct", "Compaction success rate", "%", 1, PM_HIGHER, 0, 0},
    [PM_M_SUCC_FI] = {"success_frag_index_mean", "Mean frag. index at success", "", 3, PM_NEUTRAL,
		      0, 0},
    [PM_M_SUCC_NEG] = {"success_index_negative", "Successes with a free block (-1000)", "", 0,
		       PM_NEUTRAL, 0, 0},
    [PM_M_SNAPSHOTS] = {"snapshots", "Snapshots", "", 0, PM_NEUTRAL, 0, 0},
    [PM_M_FREE_END] = {"free_mib_end", "Free memory at end", "MiB", 1, PM_NEUTRAL, 0, 0},
    [PM_M_FREE_HIGH_END] = {"free_high_order_mib_end", "Free in high-order blocks at end", "MiB", 1,
			    PM_HIGHER, 0, 0},
    [PM_M_FI_PB] = {"frag_index_high_order_mean", "Mean frag. index, high order", "", 3, PM_LOWER,
		    0, 0},
    [PM_M_VM_STALL] = {"vmstat_compact_stall", "vmstat compact_stall (run)", "", 0, PM_LOWER, 0, 0},
    [PM_M_VM_FAIL] = {"vmstat_compact_fail", "vmstat compact_fail (run)", "", 0, PM_LOWER, 0, 0},
    [PM_M_VM_SUCCESS] = {"vmstat_compact_success", "vmstat compact_success (run)", "", 0,
			 PM_NEUTRAL, 0, 0},
    [PM_M_MIG_OK] = {"pages_migrated", "Pages migrated", "", 0, PM_NEUTRAL, 0, 0},
    [PM_M_MIG_FAIL] = {"pages_migrate_failed", "Pages that failed to migrate", "", 0, PM_LOWER, 0,
		       0},
    [PM_M_DROPPED] = {"events_dropped", "Events dropped", "", 0, PM_LOWER, 0, 0},
    [PM_M_CAPPED] = {"events_capped", "Events not written (cap)", "", 0, PM_LOWER, 0, 0},
};

int pm_high_order(const struct pm_run *r)
{
	return r->pageblock_order > 0 && r->pageblock_order < FM_MAX_ORDERS ? r->pageblock_order
									    : 9;
}

static void set(struct pm_metric *m, int id, double v)
{
	m[id].v = v;
	m[id].valid = 1;
}

void pm_metrics(const struct pm_run *r, struct pm_metric m[PM_M_N])
{
	uint64_t cs = 0, cf = 0;
	const struct pm_zone *z = pm_run_main_zone(r);
	int ho = pm_high_order(r);

	memcpy(m, defs, sizeof(defs));
	for (int i = 0; i < PM_ORD; i++) {
		cs += r->succ[i];
		cf += r->fail[i];
	}
	if (r->duration > 0)
		set(m, PM_M_DURATION, r->duration);
	else if (r->have_t)
		set(m, PM_M_DURATION, r->tmax);
	set(m, PM_M_EVENTS, (double)r->n_events);
	set(m, PM_M_EXTFRAG, (double)r->by_type[PM_EV_EXTFRAG]);
	/* the agent's exact in-kernel total: above the events read when some were dropped */
	if (r->st_extfrag >= 0)
		set(m, PM_M_EXTFRAG_BPF, (double)r->st_extfrag);
	if (m[PM_M_DURATION].valid && m[PM_M_DURATION].v > 0)
		set(m, PM_M_EXTFRAG_RATE, (double)r->by_type[PM_EV_EXTFRAG] / m[PM_M_DURATION].v);
	/* the agent's real index of the zone at each extfrag event (legacy: placeholders) */
	if (r->real_fi && r->ef_fi_n)
		set(m, PM_M_EF_FI, r->ef_fi_sum / (double)r->ef_fi_n / 1000.0);
	set(m, PM_M_STEAL, (double)r->steal);
	set(m, PM_M_CLAIM, (double)r->claim);
	set(m, PM_M_BAD, (double)r->bad);
	set(m, PM_M_GOOD, (double)r->good);
	set(m, PM_M_TO_UNMOVABLE, (double)r->to_unmovable);
	if (r->have_run)
		set(m, PM_M_FRAGMENTING, (double)r->fragmenting);
	set(m, PM_M_CSUCC, (double)cs);
	set(m, PM_M_CFAIL, (double)cf);
	if (cs + cf)
		set(m, PM_M_CRATE, 100.0 * (double)cs / (double)(cs + cf));
	if (r->succ_fi_n)
		set(m, PM_M_SUCC_FI, r->succ_fi_sum / (double)r->succ_fi_n / 1000.0);
	set(m, PM_M_SUCC_NEG, (double)r->succ_neg);
	set(m, PM_M_SNAPSHOTS, (double)r->nsnap);
	if (r->tot_orders) {
		double pages = 0, high = 0;

		for (int o = 0; o < r->tot_orders; o++) {
			double p = (double)r->last_tot[o] * (double)(1ULL << o);

			pages += p;
			if (o >= ho)
				high += p;
		}
		set(m, PM_M_FREE_END, pm_run_mib(r, pages));
		set(m, PM_M_FREE_HIGH_END, pm_run_mib(r, high));
	}
	if (z && ho < z->nr_orders) {
		double sum = 0;
		uint64_t n = 0;

		/* a free block of the order counts as -1 (the kernel's value) */
		for (int b = 0; b < r->nbins; b++) {
			sum += z->fi_sum[b][ho] - 1000.0 * z->fi_ok[b][ho];
			n += z->fi_n[b][ho] + z->fi_ok[b][ho];
		}
		if (n)
			set(m, PM_M_FI_PB, sum / (double)n / 1000.0);
	}
	/* the kernel's own counters over the run: first to last snapshot */
	if (r->have_vm)
		for (int k = 0; k < 3; k++)
			set(m, PM_M_VM_STALL + k, (double)(r->vm1[k] - r->vm0[k]));
	if (r->by_type[PM_EV_MIGRATE]) {
		set(m, PM_M_MIG_OK, (double)r->mig_ok);
		set(m, PM_M_MIG_FAIL, (double)r->mig_fail);
	}
	if (r->events_dropped >= 0)
		set(m, PM_M_DROPPED, (double)r->events_dropped);
	if (r->events_capped >= 0)
		set(m, PM_M_CAPPED, (double)r->events_capped);
}

void pm_metric_str(const struct pm_metric *m, char *buf, size_t cap)
{
	if (!m->valid) {
		snprintf(buf, cap, "n/a");
		return;
	}
	if (m->decimals == 0 && fabs(m->v) < 1e15) {
		/* thousands separators for counts */
		char tmp[32], *o = buf;
		long long v = llround(m->v);
		int len, lead;

		len = snprintf(tmp, sizeof(tmp), "%lld", v < 0 ? -v : v);
		lead = len % 3 ? len % 3 : 3;
		if (cap < 40) {
			snprintf(buf, cap, "%lld", v);
			return;
		}
		if (v < 0)
			*o++ = '-';
		for (int i = 0; i < len; i++) {
			if (i && (i - lead) % 3 == 0)
				*o++ = ',';
			*o++ = tmp[i];
		}
		*o = '\0';
		return;
	}
	snprintf(buf, cap, "%.*f", m->decimals, m->v);
}
