// SPDX-License-Identifier: GPL-2.0
#include "model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

static const char *const type_names[PM_EV_N] = {
    [PM_EV_EXTFRAG] = FM_EV_EXTFRAG,	      [PM_EV_CSUCC] = FM_EV_COMPACTION_SUCCESS,
    [PM_EV_CFAIL] = FM_EV_COMPACTION_FAILURE, [PM_EV_CRUN] = FM_EV_COMPACTION_RUN,
    [PM_EV_SNAPSHOT] = FM_EV_SNAPSHOT,	      [PM_EV_OTHER_COMPACTION] = "compaction_other",
    [PM_EV_MIGRATE] = FM_EV_MIGRATE,	      [PM_EV_UNKNOWN] = "unknown",
};

const char *pm_evtype_name(enum pm_evtype t)
{
	return type_names[t];
}

enum pm_evtype pm_evtype_of(const char *s, size_t len)
{
#define IS(lit) (len == sizeof(lit) - 1 && !memcmp(s, lit, len))
	if (IS(FM_EV_EXTFRAG))
		return PM_EV_EXTFRAG;
	if (IS(FM_EV_COMPACTION_SUCCESS))
		return PM_EV_CSUCC;
	if (IS(FM_EV_COMPACTION_FAILURE))
		return PM_EV_CFAIL;
	if (IS(FM_EV_SNAPSHOT))
		return PM_EV_SNAPSHOT;
	if (IS(FM_EV_COMPACTION_RUN))
		return PM_EV_CRUN;
	if (IS(FM_EV_MIGRATE))
		return PM_EV_MIGRATE;
	if (IS(FM_EV_COMPACTION_TRY) || IS(FM_EV_COMPACTION_SUITABLE) ||
	    IS(FM_EV_COMPACTION_DEFERRED) || IS(FM_EV_COMPACTION_DEFER) ||
	    IS(FM_EV_COMPACTION_DEFER_RESET) || IS(FM_EV_KCOMPACTD_WAKE) ||
	    IS(FM_EV_KCOMPACTD_SLEEP))
		return PM_EV_OTHER_COMPACTION;
#undef IS
	return PM_EV_UNKNOWN;
}

struct pm_run *pm_run_new(const char *name)
{
	struct pm_run *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->complete = -1;
	r->pageblock_order = -1;
	r->nr_orders = -1;
	r->page_size = -1;
	r->bw = PM_BW_MIN;
	r->st_extfrag = r->st_csucc = r->st_cfail = r->st_steal = r->st_claim = -1;
	r->meta_total_events = r->events_dropped = r->events_capped = -1;
	return r;
}

void pm_run_free(struct pm_run *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->npat; i++)
		free(r->pat[i]);
	for (int i = 0; i < r->nzones; i++)
		free(r->zone[i]);
	free(r);
}

void pm_event_reset(struct pm_event *ev)
{
	ev->type = PM_EV_UNKNOWN;
	ev->have_t = 0;
	ev->t = 0;
	ev->order = 0;
	ev->fallback_order = -1;
	ev->have_fi = 0;
	ev->fi = 0;
	ev->is_steal = -1;
	ev->fragmenting = -1;
	ev->from[0] = ev->to[0] = '\0';
	ev->mig_ok = ev->mig_fail = 0;
	ev->have_vm = 0;
	ev->tot_nfree = 0;
	memset(ev->tot_free, 0, sizeof(ev->tot_free));
	ev->nzones = 0;
}

void pm_run_presize(struct pm_run *r, double span)
{
	if (r->nbins || !(span > 0) || !isfinite(span))
		return;
	while (span * 1.02 >= r->bw * PM_BINS && r->bw < 1e9)
		r->bw *= 2;
}

#define HALVE(arr)                                                                                 \
	do {                                                                                       \
		for (int i_ = 0; i_ < PM_BINS / 2; i_++)                                           \
			(arr)[i_] = (arr)[2 * i_] + (arr)[2 * i_ + 1];                             \
		memset(&(arr)[PM_BINS / 2], 0, sizeof((arr)[0]) * (PM_BINS / 2));                  \
	} while (0)

static void halve_bins(struct pm_run *r)
{
	HALVE(r->steal_b);
	HALVE(r->claim_b);
	for (int i = 0; i < PM_BINS / 2; i++)
		for (int k = 0; k < PM_FI_ROWS; k++) {
			r->sc_count[i][k] = r->sc_count[2 * i][k] + r->sc_count[2 * i + 1][k];
			r->sc_orders[i][k] = r->sc_orders[2 * i][k] | r->sc_orders[2 * i + 1][k];
		}
	memset(&r->sc_count[PM_BINS / 2], 0, sizeof(r->sc_count[0]) * (PM_BINS / 2));
	memset(&r->sc_orders[PM_BINS / 2], 0, sizeof(r->sc_orders[0]) * (PM_BINS / 2));
	for (int i = 0; i < PM_BINS / 2; i++)
		for (int k = 0; k < PM_ORD; k++)
			r->fail_b[i][k] = r->fail_b[2 * i][k] + r->fail_b[2 * i + 1][k];
	memset(&r->fail_b[PM_BINS / 2], 0, sizeof(r->fail_b[0]) * (PM_BINS / 2));
	for (int p = 0; p < r->npat; p++)
		HALVE(r->pat[p]->bins);
	HALVE(r->tot_n);
	for (int i = 0; i < PM_BINS / 2; i++)
		for (int o = 0; o < FM_MAX_ORDERS; o++)
			r->tot_free[i][o] = r->tot_free[2 * i][o] + r->tot_free[2 * i + 1][o];
	memset(&r->tot_free[PM_BINS / 2], 0, sizeof(r->tot_free[0]) * (PM_BINS / 2));
	for (int z = 0; z < r->nzones; z++) {
		struct pm_zone *zn = r->zone[z];

		for (int i = 0; i < PM_BINS / 2; i++)
			for (int o = 0; o < FM_MAX_ORDERS; o++) {
				zn->free_sum[i][o] =
				    zn->free_sum[2 * i][o] + zn->free_sum[2 * i + 1][o];
				zn->fi_sum[i][o] = zn->fi_sum[2 * i][o] + zn->fi_sum[2 * i + 1][o];
				zn->fi_n[i][o] =
				    (uint16_t)(zn->fi_n[2 * i][o] + zn->fi_n[2 * i + 1][o]);
				zn->fi_ok[i][o] =
				    (uint16_t)(zn->fi_ok[2 * i][o] + zn->fi_ok[2 * i + 1][o]);
			}
		HALVE(zn->n);
		memset(&zn->free_sum[PM_BINS / 2], 0, sizeof(zn->free_sum[0]) * (PM_BINS / 2));
		memset(&zn->fi_sum[PM_BINS / 2], 0, sizeof(zn->fi_sum[0]) * (PM_BINS / 2));
		memset(&zn->fi_n[PM_BINS / 2], 0, sizeof(zn->fi_n[0]) * (PM_BINS / 2));
		memset(&zn->fi_ok[PM_BINS / 2], 0, sizeof(zn->fi_ok[0]) * (PM_BINS / 2));
	}
	r->bw *= 2;
	r->nbins = (r->nbins + 1) / 2;
}

static int bin_of(struct pm_run *r, double t)
{
	double b;

	if (!(t > 0))
		t = 0;
	if (t > 1e9)
		t = 1e9;
	while ((b = t / r->bw) >= PM_BINS)
		halve_bins(r);
	if ((int)b + 1 > r->nbins)
		r->nbins = (int)b + 1;
	return (int)b;
}

static struct pm_pattern *pattern(struct pm_run *r, const char *from, const char *to)
{
	static __thread int last;
	struct pm_pattern *p;

	if (last < r->npat && !strcmp(r->pat[last]->from, from) && !strcmp(r->pat[last]->to, to))
		return r->pat[last];
	for (int i = 0; i < r->npat; i++)
		if (!strcmp(r->pat[i]->from, from) && !strcmp(r->pat[i]->to, to)) {
			last = i;
			return r->pat[i];
		}
	if (r->npat == PM_MAX_PAT || !(p = calloc(1, sizeof(*p))))
		return NULL;
	snprintf(p->from, sizeof(p->from), "%s", from);
	snprintf(p->to, sizeof(p->to), "%s", to);
	p->sev = fm_severity_of(from, to);
	last = r->npat;
	r->pat[r->npat++] = p;
	return p;
}

static struct pm_zone *zone_of(struct pm_run *r, int node, const char *name)
{
	struct pm_zone *z;

	for (int i = 0; i < r->nzones; i++)
		if (r->zone[i]->node == node && !strcmp(r->zone[i]->name, name))
			return r->zone[i];
	if (r->nzones == PM_MAX_ZONES || !(z = calloc(1, sizeof(*z))))
		return NULL;
	z->node = node;
	snprintf(z->name, sizeof(z->name), "%s", name);
	r->zone[r->nzones++] = z;
	return z;
}

static void add_snapshot(struct pm_run *r, const struct pm_event *ev, int b)
{
	r->nsnap++;
	if (ev->have_vm) {
		/* snapshots may arrive out of order: keep the earliest and the latest */
		if (!r->have_vm || ev->t < r->vm_t0) {
			r->vm_t0 = ev->t;
			memcpy(r->vm0, ev->vm, sizeof(r->vm0));
		}
		if (!r->have_vm || ev->t >= r->vm_t1) {
			r->vm_t1 = ev->t;
			memcpy(r->vm1, ev->vm, sizeof(r->vm1));
		}
		r->have_vm = 1;
	}
	if (ev->tot_nfree) {
		/* the latest snapshot by timestamp: arrival order is not time order */
		if (!r->tot_orders || ev->t >= r->last_tot_t) {
			r->last_tot_t = ev->t;
			memcpy(r->last_tot, ev->tot_free, sizeof(r->last_tot));
		}
		r->tot_n[b]++;
		for (int o = 0; o < ev->tot_nfree; o++)
			r->tot_free[b][o] += (double)ev->tot_free[o];
		if (ev->tot_nfree > r->tot_orders)
			r->tot_orders = ev->tot_nfree;
	}
	for (int i = 0; i < ev->nzones; i++) {
		const struct pm_snapzone *sz = &ev->zones[i];
		struct pm_zone *z = zone_of(r, sz->node, sz->name);
		double pages = 0;

		if (!z)
			continue;
		if (sz->nfree > z->nr_orders)
			z->nr_orders = sz->nfree;
		z->n[b]++;
		for (int o = 0; o < sz->nfree; o++) {
			z->free_sum[b][o] += (double)sz->free[o];
			pages += (double)sz->free[o] * (double)(1ULL << o);
		}
		for (int o = 0; o < sz->nfi; o++) {
			if (sz->fi[o] < 0) {
				z->fi_ok[b][o]++;
			} else {
				z->fi_sum[b][o] += sz->fi[o];
				z->fi_n[b][o]++;
			}
		}
		z->pages_sum += pages;
	}
}

void pm_run_add(struct pm_run *r, const struct pm_event *ev)
{
	/* no negative, NaN or absurd times: clamp to [0, 1e9 s] */
	double t = ev->have_t && ev->t > 0 ? (ev->t < 1e9 ? ev->t : 1e9) : 0;
	int b, slot = pm_slot(ev->order);

	r->n_events++;
	r->by_type[ev->type]++;
	if (!r->have_t || t < r->tmin)
		r->tmin = t;
	if (!r->have_t || t > r->tmax)
		r->tmax = t;
	r->have_t = 1;
	b = bin_of(r, t);

	switch (ev->type) {
	case PM_EV_EXTFRAG: {
		char from[FM_MT_NAME_LEN], to[FM_MT_NAME_LEN];
		struct pm_pattern *p;
		struct fm_severity sev;

		fm_mt_canonical(ev->from, from, sizeof(from));
		fm_mt_canonical(ev->to, to, sizeof(to));
		p = pattern(r, from, to);
		sev = p ? p->sev : fm_severity_of(from, to);
		r->ef_order[slot]++;
		if (ev->is_steal > 0) {
			r->steal++;
			r->steal_b[b]++;
			if (p)
				p->steal++;
		} else {
			r->claim++;
			r->claim_b[b]++;
			if (p)
				p->claim++;
		}
		if (p)
			p->bins[b]++;
		else
			r->pat_overflow++;
		if (fm_severity_is_bad(sev))
			r->bad++;
		else if (fm_severity_is_good(sev))
			r->good++;
		else
			r->neutral++;
		if (fm_mt_kind_of(to) == FM_MT_UNMOVABLE)
			r->to_unmovable++;
		if (ev->fragmenting > 0 ||
		    (ev->fragmenting < 0 && r->pageblock_order > 0 && ev->fallback_order >= 0 &&
		     ev->fallback_order < r->pageblock_order))
			r->fragmenting++;
		if (r->real_fi && ev->have_fi) {
			if (ev->fi < 0) {
				r->ef_fi_neg++;
			} else {
				r->ef_fi_sum += ev->fi;
				r->ef_fi_n++;
			}
		}
		break;
	}
	case PM_EV_CSUCC: {
		int row = PM_FI_NEG;

		r->succ[slot]++;
		if (ev->have_fi && ev->fi >= 0) {
			int fi = ev->fi > 1000 ? 1000 : ev->fi;

			row = (fi + 5) / 10;
			r->succ_fi_sum += fi;
			r->succ_fi_n++;
		} else {
			r->succ_neg++;
		}
		r->sc_count[b][row]++;
		r->sc_orders[b][row] |= (uint16_t)(1u << slot);
		break;
	}
	case PM_EV_CFAIL:
		r->fail[slot]++;
		r->fail_b[b][slot]++;
		break;
	case PM_EV_SNAPSHOT:
		add_snapshot(r, ev, b);
		break;
	case PM_EV_MIGRATE:
		r->mig_ok += ev->mig_ok > 0 ? (uint64_t)ev->mig_ok : 0;
		r->mig_fail += ev->mig_fail > 0 ? (uint64_t)ev->mig_fail : 0;
		break;
	default:
		break;
	}
}

double pm_run_span(const struct pm_run *r)
{
	double s = r->have_t ? r->tmax : 0;

	if (r->duration > s && r->duration < 1e7)
		s = r->duration;
	return s > 0 ? s : 1;
}

int pm_run_free_pages(const struct pm_run *r, int b, double pages[FM_MAX_ORDERS])
{
	for (int o = 0; o < FM_MAX_ORDERS; o++)
		pages[o] = r->tot_n[b] ? r->tot_free[b][o] / r->tot_n[b] * (double)(1ULL << o) : 0;
	return r->tot_n[b] != 0;
}

const struct pm_zone *pm_run_main_zone(const struct pm_run *r)
{
	const struct pm_zone *best = NULL;

	for (int i = 0; i < r->nzones; i++)
		if (!best || r->zone[i]->pages_sum > best->pages_sum)
			best = r->zone[i];
	return best;
}

static int pat_cmp(const void *a, const void *b)
{
	const struct pm_pattern *x = *(const struct pm_pattern *const *)a;
	const struct pm_pattern *y = *(const struct pm_pattern *const *)b;
	uint64_t nx = x->steal + x->claim, ny = y->steal + y->claim;

	if (x->sev.score2 != y->sev.score2)
		return x->sev.score2 < y->sev.score2 ? -1 : 1;
	if (nx != ny)
		return nx > ny ? -1 : 1;
	return strcmp(x->from, y->from) ? strcmp(x->from, y->from) : strcmp(x->to, y->to);
}

int pm_run_sorted_patterns(const struct pm_run *r, const struct pm_pattern **out)
{
	for (int i = 0; i < r->npat; i++)
		out[i] = r->pat[i];
	qsort(out, (size_t)r->npat, sizeof(*out), pat_cmp);
	return r->npat;
}

double pm_run_mib(const struct pm_run *r, double pages)
{
	return pages * (r->page_size > 0 ? r->page_size : 4096) / 1048576.0;
}
