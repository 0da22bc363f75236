// SPDX-License-Identifier: GPL-2.0
#include "model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "origin.h"
#include "schema.h"

static const char *const type_names[PM_EV_N] = {
    [PM_EV_EXTFRAG] = FM_EV_EXTFRAG,	      [PM_EV_CSUCC] = FM_EV_COMPACTION_SUCCESS,
    [PM_EV_CFAIL] = FM_EV_COMPACTION_FAILURE, [PM_EV_CRUN] = FM_EV_COMPACTION_RUN,
    [PM_EV_SNAPSHOT] = FM_EV_SNAPSHOT,	      [PM_EV_OTHER_COMPACTION] = "compaction_other",
    [PM_EV_MIGRATE] = FM_EV_MIGRATE,	      [PM_EV_UNKNOWN] = "unknown",
};

const char *pm_mt_kind_name(int kind)
{
	return kind >= 0 && kind < PM_MT_KINDS ? fm_mt_kind_name((enum fm_mt_kind)kind) : "?";
}

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
	r->tp[PM_TP_EXTFRAG] = r->tp[PM_TP_COMPACTION] = r->tp[PM_TP_MIGRATE] = -1;
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
	for (int i = 0; i < r->nzones; i++) {
		for (int c = 0; c < PM_NCHUNK; c++)
			free(r->zone[i]->chunk[c]);
		free(r->zone[i]);
	}
	for (int c = 0; c < PM_NCHUNK; c++)
		free(r->chunk[c]);
	free(r->deferred);
	po_free(r->origin);
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
	ev->have_zone = 0;
	ev->node = 0;
	ev->from[0] = ev->to[0] = '\0';
	ev->mig_ok = ev->mig_fail = 0;
	ev->have_vm = ev->have_pgalloc = 0;
	memset(ev->vm, 0, sizeof(ev->vm));
	ev->tot_nfree = 0;
	memset(ev->tot_free, 0, sizeof(ev->tot_free));
	ev->have_pb = 0;
	memset(ev->pageblocks, 0, sizeof(ev->pageblocks));
	ev->stack_id = -1;
	ev->marker = 0;
	ev->mname[0] = ev->mkind[0] = ev->medge[0] = '\0';
	ev->nzones = 0;
}

void pm_run_presize(struct pm_run *r, double span)
{
	if (r->nbins || !(span > 0) || !isfinite(span) || span > 1e9)
		return;
	r->limit = span * 1.02 + 2;
	while (r->limit >= r->bw * PM_BINS && r->bw < 1e9)
		r->bw *= 2;
}

/* ---- bins ---- */

static const struct pm_bin zero_bin;
static const struct pm_zbin zero_zbin;

const struct pm_bin *pm_bin(const struct pm_run *r, int b)
{
	const struct pm_bin *c = b >= 0 && b < PM_BINS ? r->chunk[b / PM_CHUNK] : NULL;

	return c ? &c[b % PM_CHUNK] : &zero_bin;
}

const struct pm_zbin *pm_zbin(const struct pm_zone *z, int b)
{
	const struct pm_zbin *c = b >= 0 && b < PM_BINS ? z->chunk[b / PM_CHUNK] : NULL;

	return c ? &c[b % PM_CHUNK] : &zero_zbin;
}

/* NULL when out of memory: the event still counts in the totals */
static struct pm_bin *bin_w(struct pm_run *r, int b)
{
	struct pm_bin **c = &r->chunk[b / PM_CHUNK];

	if (!*c)
		*c = calloc(PM_CHUNK, sizeof(**c));
	return *c ? &(*c)[b % PM_CHUNK] : NULL;
}

static struct pm_zbin *zbin_w(struct pm_zone *z, int b)
{
	struct pm_zbin **c = &z->chunk[b / PM_CHUNK];

	if (!*c)
		*c = calloc(PM_CHUNK, sizeof(**c));
	return *c ? &(*c)[b % PM_CHUNK] : NULL;
}

/* d = a + b, field by field (d may be a) */
static void bin_merge(struct pm_bin *d, const struct pm_bin *a, const struct pm_bin *b)
{
#define ADD(f) d->f = a->f + b->f
#define ADDV(f)                                                                                    \
	for (size_t i_ = 0; i_ < sizeof(d->f) / sizeof(d->f[0]); i_++)                             \
	d->f[i_] = a->f[i_] + b->f[i_]
	ADD(steal);
	ADD(claim);
	ADD(bad);
	ADD(good);
	ADD(to_unmov);
	ADD(fragmenting);
	ADDV(ef_ord);
	ADDV(succ);
	ADDV(fail);
	ADD(succ_neg);
	ADDV(sc_count);
	for (int k = 0; k < PM_FI_ROWS; k++)
		d->sc_orders[k] = a->sc_orders[k] | b->sc_orders[k];
	ADD(mig_ok);
	ADD(mig_fail);
	ADD(nsnap);
	ADDV(tot_free);
	ADD(npb);
	ADDV(pageblocks);
	ADD(nvm);
	ADDV(vm_inc);
}

static void zbin_merge(struct pm_zbin *d, const struct pm_zbin *a, const struct pm_zbin *b)
{
	ADD(n);
	ADDV(fi_sum);
	ADDV(fi_n);
	ADDV(fi_ok);
	ADDV(us_sum);
	ADDV(us_n);
#undef ADD
#undef ADDV
}

/*
 * Halve the resolution of one chunked series: new bin i = old 2i + old 2i+1.
 * New chunk j holds old chunks 2j and 2j+1; it is written into old chunk 2j's
 * memory in increasing order, which only overwrites bins already read.
 */
#define HALVE_CHUNKS(chunks, T, merge, zero)                                                       \
	do {                                                                                       \
		for (int j = 0; j < PM_NCHUNK / 2; j++) {                                          \
			T *lo = (chunks)[2 * j], *hi = (chunks)[2 * j + 1];                        \
			if (!lo && hi) {                                                           \
				lo = hi;                                                           \
				hi = NULL;                                                         \
				for (int i = 0; i < PM_CHUNK / 2; i++)                             \
					merge(&lo[i], &lo[2 * i], &lo[2 * i + 1]);                 \
				for (int i = PM_CHUNK / 2; i < PM_CHUNK; i++)                      \
					lo[i] = (zero);                                            \
				/* those were old bins 64..127 of the pair: the upper half */      \
				memmove(&lo[PM_CHUNK / 2], &lo[0], sizeof(T) * (PM_CHUNK / 2));    \
				for (int i = 0; i < PM_CHUNK / 2; i++)                             \
					lo[i] = (zero);                                            \
			} else if (lo) {                                                           \
				for (int i = 0; i < PM_CHUNK / 2; i++)                             \
					merge(&lo[i], &lo[2 * i], &lo[2 * i + 1]);                 \
				for (int i = 0; i < PM_CHUNK / 2; i++)                             \
					if (hi)                                                    \
						merge(&lo[PM_CHUNK / 2 + i], &hi[2 * i],           \
						      &hi[2 * i + 1]);                             \
					else                                                       \
						lo[PM_CHUNK / 2 + i] = (zero);                     \
				free(hi);                                                          \
			}                                                                          \
			(chunks)[2 * j] = (chunks)[2 * j + 1] = NULL;                              \
			(chunks)[j] = lo;                                                          \
		}                                                                                  \
		for (int j = PM_NCHUNK / 2; j < PM_NCHUNK; j++)                                    \
			(chunks)[j] = NULL;                                                        \
	} while (0)

static void halve_bins(struct pm_run *r)
{
	HALVE_CHUNKS(r->chunk, struct pm_bin, bin_merge, zero_bin);
	for (int z = 0; z < r->nzones; z++)
		HALVE_CHUNKS(r->zone[z]->chunk, struct pm_zbin, zbin_merge, zero_zbin);
	for (int p = 0; p < r->npat; p++) {
		uint32_t *a = r->pat[p]->bins;

		for (int i = 0; i < PM_BINS / 2; i++)
			a[i] = a[2 * i] + a[2 * i + 1];
		memset(&a[PM_BINS / 2], 0, sizeof(a[0]) * (PM_BINS / 2));
	}
	r->bw *= 2;
	r->nbins = (r->nbins + 1) / 2;
}

static int bin_of(struct pm_run *r, double t)
{
	double b;

	while ((b = t / r->bw) >= PM_BINS)
		halve_bins(r);
	if ((int)b + 1 > r->nbins)
		r->nbins = (int)b + 1;
	return (int)b;
}

static struct pm_pattern *pattern(struct pm_run *r, const char *from, const char *to)
{
	struct pm_pattern *p;

	for (int i = 0; i < r->npat; i++)
		if (!strcmp(r->pat[i]->from, from) && !strcmp(r->pat[i]->to, to))
			return r->pat[i];
	if (r->npat == PM_MAX_PAT || !(p = calloc(1, sizeof(*p))))
		return NULL;
	snprintf(p->from, sizeof(p->from), "%s", from);
	snprintf(p->to, sizeof(p->to), "%s", to);
	p->sev = fm_severity_of(from, to);
	r->pat[r->npat++] = p;
	return p;
}

/*
 * The pattern of an extfrag event's migratetypes as written in the file:
 * canonical names, pattern and severity looked up once per spelling (a run has
 * a handful), not once per event.
 */
static const struct pm_pair *pair_of(struct pm_run *r, const char *from, const char *to)
{
	struct pm_pair *pp;
	char cf[FM_MT_NAME_LEN], ct[FM_MT_NAME_LEN];

	for (int i = 0; i < r->npairs; i++)
		if (!strcmp(r->pairs[i].from, from) && !strcmp(r->pairs[i].to, to))
			return &r->pairs[i];
	fm_mt_canonical(from, cf, sizeof(cf));
	fm_mt_canonical(to, ct, sizeof(ct));
	if (r->npairs < PM_MAX_PAIRS)
		pp = &r->pairs[r->npairs++];
	else
		pp = &r->pair_spill; /* more spellings than kept: looked up each time */
	snprintf(pp->from, sizeof(pp->from), "%s", from);
	snprintf(pp->to, sizeof(pp->to), "%s", to);
	pp->p = pattern(r, cf, ct);
	pp->sev = pp->p ? pp->p->sev : fm_severity_of(cf, ct);
	pp->to_unmov = fm_mt_kind_of(ct) == FM_MT_UNMOVABLE;
	return pp;
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

static void add_snapshot(struct pm_run *r, const struct pm_event *ev, struct pm_bin *bn, int b)
{
	r->nsnap++;
	if (ev->have_vm) {
		/* snapshots come from one thread, in time order: increments by arrival */
		if (r->have_vm && bn) {
			for (int k = 0; k < PM_VM_N; k++)
				bn->vm_inc[k] += (double)(ev->vm[k] - r->vm_prev[k]);
			bn->nvm++;
		}
		memcpy(r->vm_prev, ev->vm, sizeof(r->vm_prev));
		/* the earliest and the latest by timestamp */
		if (!r->have_vm || ev->t < r->vm_t0) {
			r->vm_t0 = ev->t;
			memcpy(r->vm0, ev->vm, sizeof(r->vm0));
		}
		if (!r->have_vm || ev->t >= r->vm_t1) {
			r->vm_t1 = ev->t;
			memcpy(r->vm1, ev->vm, sizeof(r->vm1));
		}
		r->have_vm = 1;
		r->have_pgalloc |= ev->have_pgalloc;
	}
	if (ev->tot_nfree) {
		/* the latest snapshot by timestamp: arrival order is not time order */
		if (!r->tot_orders || ev->t >= r->last_tot_t) {
			r->last_tot_t = ev->t;
			memcpy(r->last_tot, ev->tot_free, sizeof(r->last_tot));
		}
		if (bn) {
			bn->nsnap++;
			for (int o = 0; o < ev->tot_nfree; o++)
				bn->tot_free[o] += (double)ev->tot_free[o];
		}
		if (ev->tot_nfree > r->tot_orders)
			r->tot_orders = ev->tot_nfree;
	}
	if (ev->have_pb) {
		if (bn) {
			bn->npb++;
			for (int k = 0; k < PM_MT_KINDS; k++)
				bn->pageblocks[k] += ev->pageblocks[k];
		}
		if (!r->have_pb || ev->t < r->pb_t0) {
			r->pb_t0 = ev->t;
			memcpy(r->pb0, ev->pageblocks, sizeof(r->pb0));
		}
		if (!r->have_pb || ev->t >= r->pb_t1) {
			r->pb_t1 = ev->t;
			memcpy(r->pb1, ev->pageblocks, sizeof(r->pb1));
		}
		r->have_pb = 1;
	}
	for (int i = 0; i < ev->nzones; i++) {
		const struct pm_snapzone *sz = &ev->zones[i];
		struct pm_zone *z = zone_of(r, sz->node, sz->name);
		struct pm_zbin *zb;
		double pages = 0;

		if (!z)
			continue;
		if (sz->nfree > z->nr_orders)
			z->nr_orders = sz->nfree;
		for (int o = 0; o < sz->nfree; o++)
			pages += (double)sz->free[o] * (double)(1ULL << o);
		z->pages_sum += pages;
		z->nsnap++;
		if (sz->have_pb)
			for (int k = 0; k < PM_MT_KINDS; k++)
				z->pb_sum += sz->pb[k];
		if (!(zb = zbin_w(z, b)))
			continue;
		zb->n++;
		for (int o = 0; o < sz->nfi; o++) {
			if (sz->fi[o] < 0) {
				zb->fi_ok[o]++;
			} else {
				zb->fi_sum[o] += (float)(sz->fi[o] > 1000 ? 1000 : sz->fi[o]);
				zb->fi_n[o]++;
			}
		}
		for (int o = 0; o < sz->nus; o++) {
			int u = sz->us[o] < 0 ? 0 : sz->us[o] > 1000 ? 1000 : sz->us[o];

			zb->us_sum[o] += (float)u;
			zb->us_n[o]++;
		}
	}
}

static void add_now(struct pm_run *r, const struct pm_event *ev, double t)
{
	int b, slot = pm_slot(ev->order);
	struct pm_bin *bn;

	r->n_events++;
	r->by_type[ev->type]++;
	if (!r->have_t || t < r->tmin)
		r->tmin = t;
	if (!r->have_t || t > r->tmax)
		r->tmax = t;
	r->have_t = 1;
	b = bin_of(r, t);
	/* only the events drawn over time need a bin */
	bn = ev->type == PM_EV_OTHER_COMPACTION || ev->type == PM_EV_UNKNOWN ||
		     ev->type == PM_EV_CRUN
		 ? NULL
		 : bin_w(r, b);

	if (r->origin && ev->type == PM_EV_EXTFRAG)
		po_extfrag(r->origin, t, ev->is_steal > 0);
	else if (r->origin && ev->marker)
		po_marker(r->origin, t, ev->mname, ev->mkind, ev->medge);
	switch (ev->type) {
	case PM_EV_EXTFRAG: {
		const struct pm_pair *pp = pair_of(r, ev->from, ev->to);
		struct pm_pattern *p = pp->p;
		struct fm_severity sev = pp->sev;
		int frag;

		r->ef_order[slot]++;
		if (ev->have_zone) {
			struct pm_zone *z = r->ef_zone;

			if (!z || z->node != ev->node || strcmp(z->name, ev->zone))
				z = r->ef_zone = zone_of(r, ev->node, ev->zone);
			if (z)
				z->extfrag++;
		}
		if (ev->is_steal > 0) {
			r->steal++;
			if (p)
				p->steal++;
		} else {
			r->claim++;
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
		if (pp->to_unmov)
			r->to_unmovable++;
		frag = ev->fragmenting > 0 ||
		       (ev->fragmenting < 0 && r->pageblock_order > 0 && ev->fallback_order >= 0 &&
			ev->fallback_order < r->pageblock_order);
		r->fragmenting += (uint64_t)frag;
		if (bn) {
			bn->ef_ord[slot]++;
			if (ev->is_steal > 0)
				bn->steal++;
			else
				bn->claim++;
			bn->bad += fm_severity_is_bad(sev);
			bn->good += fm_severity_is_good(sev);
			bn->to_unmov += (uint32_t)pp->to_unmov;
			bn->fragmenting += (uint32_t)frag;
		}
		if (r->real_fi && ev->have_fi) {
			if (ev->fi < 0) {
				r->ef_fi_neg++;
			} else {
				r->ef_fi_sum += ev->fi > 1000 ? 1000 : ev->fi;
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

			row = (fi + 10) / 20;
			r->succ_fi_sum += fi;
			r->succ_fi_n++;
		} else {
			r->succ_neg++;
		}
		if (bn) {
			bn->succ[slot]++;
			bn->succ_neg += row == PM_FI_NEG;
			bn->sc_count[row]++;
			bn->sc_orders[row] |= (uint16_t)(1u << slot);
		}
		break;
	}
	case PM_EV_CFAIL:
		r->fail[slot]++;
		if (bn)
			bn->fail[slot]++;
		break;
	case PM_EV_SNAPSHOT:
		add_snapshot(r, ev, bn, b);
		break;
	case PM_EV_MIGRATE: {
		double ok = ev->mig_ok > 0 ? (double)ev->mig_ok : 0;
		double bad = ev->mig_fail > 0 ? (double)ev->mig_fail : 0;

		r->mig_ok += (uint64_t)ok;
		r->mig_fail += (uint64_t)bad;
		if (bn) {
			bn->mig_ok += ok;
			bn->mig_fail += bad;
		}
		break;
	}
	default:
		break;
	}
}

static void count_outside(struct pm_run *r, double t)
{
	if (!r->outside || t < r->out_min)
		r->out_min = t;
	if (!r->outside || t > r->out_max)
		r->out_max = t;
	r->outside++;
}

void pm_run_add(struct pm_run *r, const struct pm_event *ev)
{
	double t = ev->have_t ? ev->t : 0;

	/* before the start (a little slack for clocks), NaN, or past a known end */
	if (!(t >= -1.0) || (r->limit > 0 && t > r->limit) || t > 1e9) {
		count_outside(r, t);
		return;
	}
	if (t < 0)
		t = 0;
	/* the end is not known yet: hold back an event far past all others (an
	 * epoch timestamp would stretch every panel to 10^9 s) */
	if (!r->limit && !r->defer_off && t > 2 * r->tmax + 3600) {
		if (r->ndeferred < PM_MAX_DEFER) {
			struct pm_event *d = r->deferred;

			if (!d && !(d = r->deferred = malloc(sizeof(*d) * PM_MAX_DEFER))) {
				r->defer_off = 1;
			} else {
				d[r->ndeferred] = *ev;
				d[r->ndeferred++].t = t;
				return;
			}
		} else {
			/* that many: they are the run, not strays */
			r->defer_off = 1;
			for (int i = 0; i < r->ndeferred; i++)
				add_now(r, &r->deferred[i], r->deferred[i].t);
			r->ndeferred = 0;
		}
	}
	add_now(r, ev, t);
}

void pm_run_finish(struct pm_run *r)
{
	double end = r->duration > 0 ? r->duration * 1.02 + 2 : 0;

	for (int i = 0; i < r->ndeferred; i++) {
		double t = r->deferred[i].t;

		if (end > 0 && t <= end)
			add_now(r, &r->deferred[i], t);
		else
			count_outside(r, t);
	}
	r->ndeferred = 0;
	free(r->deferred);
	r->deferred = NULL;
}

double pm_run_span(const struct pm_run *r)
{
	double s = r->have_t ? r->tmax : 0;

	if (r->duration > s && r->duration < 1e9)
		s = r->duration;
	return s > 0 ? s : 1;
}

double pm_run_duration(const struct pm_run *r)
{
	if (r->duration > 0)
		return r->duration;
	return r->have_t && r->tmax > 0 ? r->tmax : 0;
}

int pm_run_free_pages(const struct pm_run *r, int b, double pages[FM_MAX_ORDERS])
{
	const struct pm_bin *bn = pm_bin(r, b);

	for (int o = 0; o < FM_MAX_ORDERS; o++)
		pages[o] = bn->nsnap ? bn->tot_free[o] / bn->nsnap * (double)(1ULL << o) : 0;
	return bn->nsnap != 0;
}

/* zone sizes comparable between runs: mean pageblocks, else mean free pages */
static double zone_size(const struct pm_zone *z, int pb)
{
	return z->nsnap ? (pb ? z->pb_sum : z->pages_sum) / z->nsnap : 0;
}

struct zcand {
	int node;
	const char *name;
	double ef, pb, free;
};

void pm_pick_zone(struct pm_side *sides, int n)
{
	struct zcand c[PM_MAX_ZONES * 4];
	int nc = 0, best = -1;

	for (int i = 0; i < n; i++)
		for (int k = 0; k < sides[i].n; k++) {
			const struct pm_run *r = sides[i].run[k];

			for (int zi = 0; zi < r->nzones; zi++) {
				const struct pm_zone *z = r->zone[zi];
				int j = 0;

				while (j < nc &&
				       (c[j].node != z->node || strcmp(c[j].name, z->name)))
					j++;
				if (j == nc) {
					if (nc == (int)(sizeof(c) / sizeof(c[0])))
						continue;
					c[nc++] = (struct zcand){z->node, z->name, 0, 0, 0};
				}
				c[j].ef += (double)z->extfrag;
				c[j].pb += zone_size(z, 1);
				c[j].free += zone_size(z, 0);
			}
		}
	for (int j = 0; j < nc; j++) {
		/* a zone never in a snapshot has no state to compare */
		if (c[j].pb == 0 && c[j].free == 0)
			continue;
		if (best < 0 || c[j].ef > c[best].ef ||
		    (c[j].ef == c[best].ef &&
		     (c[j].pb > c[best].pb || (c[j].pb == c[best].pb && c[j].free > c[best].free))))
			best = j;
	}
	for (int i = 0; i < n; i++)
		for (int k = 0; k < sides[i].n; k++) {
			struct pm_run *r = sides[i].run[k];

			r->zsel_set = 1;
			r->zsel_why = best < 0	       ? PM_ZW_NONE
				      : c[best].ef > 0 ? PM_ZW_FALLBACKS
						       : PM_ZW_LARGEST;
			r->zsel_node = best < 0 ? 0 : c[best].node;
			snprintf(r->zsel_name, sizeof(r->zsel_name), "%s",
				 best < 0 ? "" : c[best].name);
		}
}

const struct pm_zone *pm_run_main_zone(const struct pm_run *r)
{
	if (!r->zsel_set) {
		/* not chosen for a figure: the run alone decides, by the same rule */
		struct pm_side one = {{(struct pm_run *)r}, 1, ""};

		pm_pick_zone(&one, 1);
	}
	for (int i = 0; i < r->nzones; i++)
		if (r->zone[i]->node == r->zsel_node && !strcmp(r->zone[i]->name, r->zsel_name) &&
		    r->zone[i]->nsnap)
			return r->zone[i];
	return NULL;
}

const char *pm_zone_why(const struct pm_run *r)
{
	if (!pm_run_main_zone(r))
		return "no snapshots of it";
	return r->zsel_why == PM_ZW_FALLBACKS ? "under pressure: the most fallbacks"
					      : "no fallbacks: the largest zone";
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
