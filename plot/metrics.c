// SPDX-License-Identifier: GPL-2.0
#include "metrics.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* info values: counts and values of one run */
enum info {
	I_NONE,
	I_DURATION,
	I_EVENTS,
	I_EXTFRAG,
	I_EXTFRAG_BPF,
	I_STEAL,
	I_CLAIM,
	I_BAD,
	I_GOOD,
	I_TOUNMOV,
	I_FRAG,
	I_CSUCC,
	I_CFAIL,
	I_EF_FI,
	I_EF_FREEBLK,
	I_SUCC_FI,
	I_SUCC_NEG,
	I_SNAPSHOTS,
	I_FREE_END,
	I_FREE_HIGH_END,
	I_PB_UNMOV_CHANGE,
	I_VM_STALL,
	I_VM_FAIL,
	I_VM_SUCCESS,
	I_MIG_OK,
	I_MIG_FAIL,
	I_DROPPED,
	I_CAPPED,
	I_OUTSIDE,
};

#define INFO(key, label, unit, dec, need, id)                                                      \
	{                                                                                          \
		key, label, unit, dec, PM_NEUTRAL, PM_INFO, 0, 0, 1, need, 0, id                   \
	}
#define RATE(key, label, better, ch, need)                                                         \
	{                                                                                          \
		key, label, "/s", 3, better, PM_RATE, ch, 0, 1, need, 0, 0                         \
	}
#define RATIO(key, label, unit, dec, better, num, den, scale, need, min)                           \
	{                                                                                          \
		key, label, unit, dec, better, PM_RATIO, num, den, scale, need, min, 0             \
	}

static const struct pm_mrow fixed[] = {
    INFO("duration_s", "Run duration", "s", 1, 0, I_DURATION),
    INFO("events", "Events read", "", 0, 0, I_EVENTS),
    INFO("extfrag", "ExtFrag events", "", 0, PM_NEED_EXTFRAG, I_EXTFRAG),
    INFO("extfrag_bpf_total", "ExtFrag seen by BPF (exact)", "", 0, PM_NEED_EXTFRAG, I_EXTFRAG_BPF),
    RATE("extfrag_per_s", "ExtFrag events", PM_LOWER, CH_EF, PM_NEED_EXTFRAG),
    RATIO("extfrag_per_gib", "ExtFrag events per GiB allocated", "/GiB", 2, PM_LOWER, CH_EF,
	  CH_ALLOC_GIB, 1, PM_NEED_EXTFRAG | PM_NEED_PGALLOC, 0),
    INFO("extfrag_steal", "ExtFrag steal", "", 0, PM_NEED_EXTFRAG, I_STEAL),
    INFO("extfrag_claim", "ExtFrag claim", "", 0, PM_NEED_EXTFRAG, I_CLAIM),
    RATE("steal_per_s", "ExtFrag steal", PM_LOWER, CH_STEAL, PM_NEED_EXTFRAG),
    RATE("claim_per_s", "ExtFrag claim", PM_LOWER, CH_CLAIM, PM_NEED_EXTFRAG),
    INFO("bad_fallbacks", "Bad fallbacks", "", 0, PM_NEED_EXTFRAG, I_BAD),
    INFO("good_fallbacks", "Good fallbacks", "", 0, PM_NEED_EXTFRAG, I_GOOD),
    INFO("to_unmovable", "Fallbacks to UNMOVABLE", "", 0, PM_NEED_EXTFRAG, I_TOUNMOV),
    INFO("fragmenting", "Fragmenting fallbacks", "", 0, PM_NEED_EXTFRAG | PM_NEED_AGENT, I_FRAG),
    RATE("bad_per_s", "Bad fallbacks", PM_LOWER, CH_BAD, PM_NEED_EXTFRAG),
    RATE("to_unmovable_per_s", "Fallbacks to UNMOVABLE", PM_LOWER, CH_TOUNMOV, PM_NEED_EXTFRAG),
    RATE("fragmenting_per_s", "Fragmenting fallbacks (fallback order < pageblock)", PM_LOWER,
	 CH_FRAG, PM_NEED_EXTFRAG | PM_NEED_AGENT),
    RATIO("good_pct", "Good fallbacks, share of all fallbacks", "%", 1, PM_HIGHER, CH_GOOD, CH_EF,
	  100, PM_NEED_EXTFRAG, 10),
    INFO("extfrag_frag_index_mean", "Mean frag. index at extfrag, when no block was free", "", 3,
	 PM_NEED_EXTFRAG | PM_NEED_AGENT, I_EF_FI),
    INFO("extfrag_free_block_pct", "ExtFrag with a free block of the order (index -1000)", "%", 1,
	 PM_NEED_EXTFRAG | PM_NEED_AGENT, I_EF_FREEBLK),
    INFO("compaction_success", "Compaction successes", "", 0, PM_NEED_COMPACTION, I_CSUCC),
    INFO("compaction_failure", "Compaction failures", "", 0, PM_NEED_COMPACTION, I_CFAIL),
    RATE("compaction_per_s", "Compaction runs", PM_NEUTRAL, CH_CRUNS, PM_NEED_COMPACTION),
    RATE("compaction_fail_per_s", "Compaction failures", PM_LOWER, CH_CFAIL, PM_NEED_COMPACTION),
    RATIO("compaction_success_pct", "Compaction success rate", "%", 1, PM_HIGHER, CH_CSUCC,
	  CH_CRUNS, 100, PM_NEED_COMPACTION, 10),
    INFO("success_frag_index_mean", "Mean frag. index at success, when no block was free", "", 3,
	 PM_NEED_COMPACTION, I_SUCC_FI),
    INFO("success_index_negative", "Successes with a free block already (-1000)", "", 0,
	 PM_NEED_COMPACTION, I_SUCC_NEG),
    INFO("snapshots", "Snapshots", "", 0, 0, I_SNAPSHOTS),
    INFO("free_mib_end", "Free memory at end", "MiB", 1, PM_NEED_SNAP, I_FREE_END),
    INFO("free_high_order_mib_end", "Free in high-order blocks at end", "MiB", 1, PM_NEED_SNAP,
	 I_FREE_HIGH_END),
    RATIO("free_high_order_pct", "Free memory in high-order blocks, share over the run", "%", 1,
	  PM_HIGHER, CH_FREE_HIGH, CH_FREE_TOT, 100, PM_NEED_SNAP, 1),
    RATIO("free_block_high_order_pct", "Time a high-order block was free (zone under pressure)",
	  "%", 1, PM_HIGHER, CH_FREEBLK_HO, CH_ZN, 100, PM_NEED_SNAP, 1),
    RATIO("frag_index_high_order_mean", "Frag. index, high order, when no block was free", "", 3,
	  PM_NEUTRAL, CH_FI_HO_SUM, CH_FI_HO_N, 0.001, PM_NEED_SNAP, 3),
    RATIO("unusable_high_order_mean", "Unusable free space index, high order (mean)", "", 3,
	  PM_LOWER, CH_US_HO_SUM, CH_US_HO_N, 0.001, PM_NEED_SNAP, 1),
    RATIO("unusable_order3_mean", "Unusable free space index, order 3 (mean)", "", 3, PM_LOWER,
	  CH_US_O3_SUM, CH_US_O3_N, 0.001, PM_NEED_SNAP, 1),
    /* lasting fragmentation: pageblock ownership, its level over the run (a
     * state: its net change over one run swings with every claim and release,
     * so the change is context, not compared) */
    RATIO("unmovable_pageblocks_pct", "Pageblocks owned by UNMOVABLE, mean share", "%", 2, PM_LOWER,
	  CH_PB_UNMOV, CH_PB_TOT, 100, PM_NEED_PB, 1),
    RATIO("reclaimable_pageblocks_pct", "Pageblocks owned by RECLAIMABLE, mean share", "%", 2,
	  PM_LOWER, CH_PB_RECL, CH_PB_TOT, 100, PM_NEED_PB, 1),
    INFO("unmovable_pageblocks_change", "UNMOVABLE pageblocks, last minus first snapshot", "", 0,
	 PM_NEED_PB, I_PB_UNMOV_CHANGE),
    INFO("vmstat_compact_stall", "vmstat compact_stall (run)", "", 0, PM_NEED_VM, I_VM_STALL),
    INFO("vmstat_compact_fail", "vmstat compact_fail (run)", "", 0, PM_NEED_VM, I_VM_FAIL),
    INFO("vmstat_compact_success", "vmstat compact_success (run)", "", 0, PM_NEED_VM, I_VM_SUCCESS),
    RATE("compact_stall_per_s", "vmstat compact_stall (direct compaction)", PM_LOWER, CH_VM_STALL,
	 PM_NEED_VM),
    RATE("compact_fail_per_s", "vmstat compact_fail", PM_LOWER, CH_VM_FAIL, PM_NEED_VM),
    INFO("pages_migrated", "Pages migrated", "", 0, PM_NEED_AGENT | PM_NEED_MIGRATE, I_MIG_OK),
    INFO("pages_migrate_failed", "Pages that failed to migrate", "", 0,
	 PM_NEED_AGENT | PM_NEED_MIGRATE, I_MIG_FAIL),
    RATE("pages_migrated_per_s", "Pages migrated", PM_NEUTRAL, CH_MIG_OK,
	 PM_NEED_AGENT | PM_NEED_MIGRATE),
    RATE("pages_migrate_failed_per_s", "Pages that failed to migrate", PM_LOWER, CH_MIG_FAIL,
	 PM_NEED_AGENT | PM_NEED_MIGRATE),
    INFO("events_dropped", "Events dropped", "", 0, PM_NEED_AGENT, I_DROPPED),
    INFO("events_capped", "Events not written (cap)", "", 0, PM_NEED_AGENT, I_CAPPED),
    INFO("events_outside_run", "Events outside the run's time span", "", 0, 0, I_OUTSIDE),
};
#define NFIXED (sizeof(fixed) / sizeof(fixed[0]))

int pm_high_order(const struct pm_run *r)
{
	return r->pageblock_order > 0 && r->pageblock_order < FM_MAX_ORDERS ? r->pageblock_order
									    : 9;
}

static int mode_is(const struct pm_run *r, const char *m)
{
	return !strcmp(r->mode, m);
}

int pm_row_applies(const struct pm_mrow *m, const struct pm_run *r)
{
	int need = m->need;

	/* an agent mode that does not trace it: no data is not "zero" */
	if ((need & PM_NEED_EXTFRAG) && r->have_run && r->mode[0] && !mode_is(r, "full") &&
	    !mode_is(r, "extfrag"))
		return 0;
	if ((need & PM_NEED_COMPACTION) && r->have_run && r->mode[0] && !mode_is(r, "full") &&
	    !mode_is(r, "compaction"))
		return 0;
	/* a tracepoint the kernel lacked or refused, or no BPF at all */
	if ((need & PM_NEED_EXTFRAG) && r->tp[PM_TP_EXTFRAG] == 0)
		return 0;
	if ((need & PM_NEED_COMPACTION) && r->tp[PM_TP_COMPACTION] == 0)
		return 0;
	if ((need & PM_NEED_MIGRATE) && r->tp[PM_TP_MIGRATE] == 0)
		return 0;
	if ((need & PM_NEED_AGENT) && !r->have_run)
		return 0;
	if ((need & PM_NEED_SNAP) && !r->nzones && !r->tot_orders)
		return 0;
	if ((need & PM_NEED_PB) && !r->have_pb)
		return 0;
	if ((need & PM_NEED_VM) && !r->have_vm)
		return 0;
	if ((need & PM_NEED_PGALLOC) && !r->have_pgalloc)
		return 0;
	return 1;
}

static int any_applies(const struct pm_mrow *m, struct pm_run *const *runs, int n)
{
	for (int i = 0; i < n; i++)
		if (pm_row_applies(m, runs[i]))
			return 1;
	return 0;
}

int pm_rows(struct pm_run *const *runs, int n, int compared_only, struct pm_mrow *rows, int max)
{
	int k = 0;

	for (size_t i = 0; i < NFIXED && k < max; i++) {
		if (compared_only && fixed[i].type == PM_INFO)
			continue;
		if (any_applies(&fixed[i], runs, n))
			rows[k++] = fixed[i];
	}
	/* per order: "do large folios fragment more" is a question per order */
	for (int s = 0; s < PM_ORD; s++) {
		int ef = 0, cr = 0;

		for (int i = 0; i < n; i++) {
			ef |= runs[i]->ef_order[s] != 0;
			cr |= runs[i]->succ[s] + runs[i]->fail[s] != 0;
		}
		if (ef && k < max) {
			struct pm_mrow m = {"",
					    "",
					    "/s",
					    3,
					    PM_LOWER,
					    PM_RATE,
					    CH_EF_ORD + s,
					    0,
					    1,
					    PM_NEED_EXTFRAG,
					    0,
					    0};

			snprintf(m.key, sizeof(m.key), "extfrag_order_%d_per_s", s - 1);
			snprintf(m.label, sizeof(m.label), "ExtFrag events, allocation order %d",
				 s - 1);
			rows[k++] = m;
		}
		if (cr && k < max) {
			struct pm_mrow m = {"",
					    "",
					    "%",
					    1,
					    PM_HIGHER,
					    PM_RATIO,
					    CH_SUCC_ORD + s,
					    CH_CRUN_ORD + s,
					    100,
					    PM_NEED_COMPACTION,
					    10,
					    0};

			snprintf(m.key, sizeof(m.key), "compaction_order_%d_success_pct", s - 1);
			snprintf(m.label, sizeof(m.label), "Compaction success rate, %s",
				 s ? "order" : "whole zone (order -1)");
			if (s)
				snprintf(m.label + strlen(m.label),
					 sizeof(m.label) - strlen(m.label), " %d", s - 1);
			rows[k++] = m;
		}
	}
	return k;
}

int pm_row_find(const struct pm_mrow *rows, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(rows[i].key, key))
			return i;
	return -1;
}

/* ---- channels ---- */

void pm_run_channels(const struct pm_run *r, int b0, int b1, double ch[CH_N])
{
	const struct pm_zone *z = pm_run_main_zone(r);
	int ho = pm_high_order(r);
	double gib = (r->page_size > 0 ? r->page_size : 4096) / 1073741824.0;

	memset(ch, 0, sizeof(double) * CH_N);
	if (b0 < 0)
		b0 = 0;
	if (b1 > PM_BINS)
		b1 = PM_BINS;
	for (int b = b0; b < b1; b++) {
		const struct pm_bin *bn;

		/* a chunk never written is all zero: skip it whole */
		if (!r->chunk[b / PM_CHUNK]) {
			b = (b / PM_CHUNK + 1) * PM_CHUNK - 1;
			continue;
		}
		bn = &r->chunk[b / PM_CHUNK][b % PM_CHUNK];
		ch[CH_STEAL] += bn->steal;
		ch[CH_CLAIM] += bn->claim;
		ch[CH_EF] += bn->steal + bn->claim;
		ch[CH_BAD] += bn->bad;
		ch[CH_GOOD] += bn->good;
		ch[CH_TOUNMOV] += bn->to_unmov;
		ch[CH_FRAG] += bn->fragmenting;
		for (int s = 0; s < PM_ORD; s++) {
			ch[CH_EF_ORD + s] += bn->ef_ord[s];
			ch[CH_SUCC_ORD + s] += bn->succ[s];
			ch[CH_CRUN_ORD + s] += bn->succ[s] + bn->fail[s];
			ch[CH_CSUCC] += bn->succ[s];
			ch[CH_CFAIL] += bn->fail[s];
		}
		ch[CH_MIG_OK] += bn->mig_ok;
		ch[CH_MIG_FAIL] += bn->mig_fail;
		ch[CH_VM_STALL] += bn->vm_inc[PM_VM_STALL];
		ch[CH_VM_FAIL] += bn->vm_inc[PM_VM_FAIL];
		ch[CH_VM_SUCC] += bn->vm_inc[PM_VM_SUCCESS];
		ch[CH_ALLOC_GIB] += bn->vm_inc[PM_VM_PGALLOC] * gib;
		if (bn->nsnap) {
			ch[CH_NSNAP] += bn->nsnap;
			for (int o = 0; o < FM_MAX_ORDERS; o++) {
				double p = bn->tot_free[o] * (double)(1ULL << o);

				ch[CH_FREE_TOT] += p;
				if (o >= ho)
					ch[CH_FREE_HIGH] += p;
			}
		}
		if (bn->npb) {
			for (int k = 0; k < PM_MT_KINDS; k++)
				ch[CH_PB_TOT] += bn->pageblocks[k];
			ch[CH_PB_UNMOV] += bn->pageblocks[FM_MT_UNMOVABLE];
			ch[CH_PB_RECL] += bn->pageblocks[FM_MT_RECLAIMABLE];
		}
	}
	ch[CH_CRUNS] = ch[CH_CSUCC] + ch[CH_CFAIL];
	for (int b = b0; z && b < b1; b++) {
		const struct pm_zbin *zb;

		if (!z->chunk[b / PM_CHUNK]) {
			b = (b / PM_CHUNK + 1) * PM_CHUNK - 1;
			continue;
		}
		zb = &z->chunk[b / PM_CHUNK][b % PM_CHUNK];
		if (!zb->n)
			continue;
		ch[CH_ZN] += zb->n;
		ch[CH_FREEBLK_HO] += zb->fi_ok[ho];
		ch[CH_FI_HO_SUM] += zb->fi_sum[ho];
		ch[CH_FI_HO_N] += zb->fi_n[ho];
		ch[CH_US_HO_SUM] += zb->us_sum[ho];
		ch[CH_US_HO_N] += zb->us_n[ho];
		ch[CH_US_O3_SUM] += zb->us_sum[3];
		ch[CH_US_O3_N] += zb->us_n[3];
	}
}

double pm_value_of_sums(const struct pm_mrow *m, const double *ch, double duration)
{
	switch (m->type) {
	case PM_RATE:
		return duration > 0 ? ch[m->num] / duration * m->scale : NAN;
	case PM_RATIO:
		return ch[m->den] > 0 ? ch[m->num] / ch[m->den] * m->scale : NAN;
	default:
		return NAN;
	}
}

static struct pm_val info_value(int id, const struct pm_run *r)
{
	struct pm_val v = {1, 0};
	uint64_t cs = 0, cf = 0;

	for (int i = 0; i < PM_ORD; i++) {
		cs += r->succ[i];
		cf += r->fail[i];
	}
	switch (id) {
	case I_DURATION:
		v.v = pm_run_duration(r);
		v.valid = v.v > 0;
		break;
	case I_EVENTS:
		v.v = (double)r->n_events;
		break;
	case I_EXTFRAG:
		v.v = (double)r->by_type[PM_EV_EXTFRAG];
		break;
	case I_EXTFRAG_BPF:
		/* the agent's exact in-kernel total: above the events read when some were dropped
		 */
		v.v = (double)r->st_extfrag;
		v.valid = r->st_extfrag >= 0;
		break;
	case I_STEAL:
		v.v = (double)r->steal;
		break;
	case I_CLAIM:
		v.v = (double)r->claim;
		break;
	case I_BAD:
		v.v = (double)r->bad;
		break;
	case I_GOOD:
		v.v = (double)r->good;
		break;
	case I_TOUNMOV:
		v.v = (double)r->to_unmovable;
		break;
	case I_FRAG:
		v.v = (double)r->fragmenting;
		break;
	case I_CSUCC:
		v.v = (double)cs;
		break;
	case I_CFAIL:
		v.v = (double)cf;
		break;
	case I_EF_FI:
		/* the kernel's index of the zone at each extfrag event; -1000 ("a block
		 * of the order was free") is not a degree of fragmentation: left out */
		v.valid = r->real_fi && r->ef_fi_n;
		v.v = v.valid ? r->ef_fi_sum / (double)r->ef_fi_n / 1000.0 : 0;
		break;
	case I_EF_FREEBLK:
		v.valid = r->real_fi && r->ef_fi_n + r->ef_fi_neg;
		v.v = v.valid ? 100.0 * (double)r->ef_fi_neg / (double)(r->ef_fi_n + r->ef_fi_neg)
			      : 0;
		break;
	case I_SUCC_FI:
		v.valid = r->succ_fi_n != 0;
		v.v = v.valid ? r->succ_fi_sum / (double)r->succ_fi_n / 1000.0 : 0;
		break;
	case I_SUCC_NEG:
		v.v = (double)r->succ_neg;
		break;
	case I_SNAPSHOTS:
		v.v = (double)r->nsnap;
		break;
	case I_FREE_END:
	case I_FREE_HIGH_END: {
		double pages = 0, high = 0;
		int ho = pm_high_order(r);

		v.valid = r->tot_orders != 0;
		for (int o = 0; o < r->tot_orders; o++) {
			double p = (double)r->last_tot[o] * (double)(1ULL << o);

			pages += p;
			if (o >= ho)
				high += p;
		}
		v.v = pm_run_mib(r, id == I_FREE_END ? pages : high);
		break;
	}
	case I_PB_UNMOV_CHANGE:
		v.valid = r->have_pb;
		v.v = r->pb1[FM_MT_UNMOVABLE] - r->pb0[FM_MT_UNMOVABLE];
		break;

	case I_VM_STALL:
	case I_VM_FAIL:
	case I_VM_SUCCESS:
		/* the kernel's own counters over the run: first to last snapshot */
		v.valid = r->have_vm;
		v.v = (double)(r->vm1[id - I_VM_STALL] - r->vm0[id - I_VM_STALL]);
		break;
	case I_MIG_OK:
		v.v = (double)r->mig_ok;
		break;
	case I_MIG_FAIL:
		v.v = (double)r->mig_fail;
		break;
	case I_DROPPED:
		v.valid = r->events_dropped >= 0;
		v.v = (double)r->events_dropped;
		break;
	case I_CAPPED:
		v.valid = r->events_capped >= 0;
		v.v = (double)r->events_capped;
		break;
	case I_OUTSIDE:
		v.v = (double)r->outside;
		break;
	default:
		v.valid = 0;
		break;
	}
	return v;
}

struct pm_val pm_value(const struct pm_mrow *m, const struct pm_run *r, const double *ch)
{
	struct pm_val v = {0, 0};
	double own[CH_N];

	if (!pm_row_applies(m, r))
		return v;
	if (m->type == PM_INFO)
		return info_value(m->info, r);
	if (!ch) {
		pm_run_channels(r, 0, r->nbins, own);
		ch = own;
	}
	v.v = pm_value_of_sums(m, ch, pm_run_duration(r));
	v.valid = isfinite(v.v);
	return v;
}

int pm_run_plentiful(const struct pm_run *r)
{
	const struct pm_zone *z = pm_run_main_zone(r);
	int any = 0;

	if (!z || z->nr_orders <= 0)
		return 0;
	for (int b = 0; b < r->nbins; b++) {
		const struct pm_zbin *zb = pm_zbin(z, b);

		if (!zb->n)
			continue;
		any = 1;
		for (int o = 0; o < z->nr_orders; o++)
			if (zb->fi_n[o])
				return 0;
	}
	return any;
}

int pm_decimals(const struct pm_mrow *m, double ref)
{
	double a = fabs(ref);

	if (m->type != PM_RATE)
		return m->decimals;
	/* rates: three significant digits, whatever their size */
	if (a >= 100 || a == 0 || !isfinite(a))
		return a >= 100 ? 0 : 2;
	if (a >= 10)
		return 1;
	if (a >= 1)
		return 2;
	a = ceil(-log10(a)) + 2;
	return a > 6 ? 6 : (int)a;
}

void pm_val_plain(const struct pm_mrow *m, struct pm_val v, char *buf, size_t cap)
{
	if (!v.valid)
		snprintf(buf, cap, "n/a");
	else
		snprintf(buf, cap, "%.*f", m->decimals == 0 ? 0 : pm_decimals(m, v.v), v.v);
}

void pm_val_str(const struct pm_mrow *m, struct pm_val v, char *buf, size_t cap)
{
	if (!v.valid) {
		snprintf(buf, cap, "n/a");
		return;
	}
	if (m->decimals == 0 && fabs(v.v) < 1e15) {
		/* thousands separators for counts */
		char tmp[32], *o = buf;
		long long x = llround(v.v);
		int len, lead;

		len = snprintf(tmp, sizeof(tmp), "%lld", x < 0 ? -x : x);
		lead = len % 3 ? len % 3 : 3;
		if (cap < 40) {
			snprintf(buf, cap, "%lld", x);
			return;
		}
		if (x < 0)
			*o++ = '-';
		for (int i = 0; i < len; i++) {
			if (i && (i - lead) % 3 == 0)
				*o++ = ',';
			*o++ = tmp[i];
		}
		*o = '\0';
		return;
	}
	snprintf(buf, cap, "%.*f", pm_decimals(m, v.v), v.v);
}
