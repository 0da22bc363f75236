// SPDX-License-Identifier: GPL-2.0
/*
 * plot/model.h: the plotter's time bins and aggregates, through its public
 * functions (pm_run_new/add/presize/finish, pm_bin, the pm_run_* queries)
 * and the run's counters.
 */
#include <math.h>
#include <stdlib.h>

#include "model.h"
#include "unit.h"

static struct pm_event *ev_new(enum pm_evtype type, double t)
{
	static struct pm_event ev;

	pm_event_reset(&ev);
	ev.type = type;
	ev.t = t;
	ev.have_t = 1;
	return &ev;
}

static void add_extfrag(struct pm_run *r, double t, const char *from, const char *to, int steal,
			int order)
{
	struct pm_event *e = ev_new(PM_EV_EXTFRAG, t);

	snprintf(e->from, sizeof(e->from), "%s", from);
	snprintf(e->to, sizeof(e->to), "%s", to);
	e->is_steal = steal;
	e->order = order;
	pm_run_add(r, e);
}

/* extfrag events in all bins */
static unsigned long long binned_extfrag(const struct pm_run *r)
{
	unsigned long long s = 0;

	for (int b = 0; b < PM_BINS; b++)
		s += pm_bin(r, b)->steal + pm_bin(r, b)->claim;
	return s;
}

/*
 * Bins are PM_BW_MIN = 1/1024 s wide at first: t = 0.5 s is bin 512, t = 1.0 s
 * bin 1024.  An event at t = 3 s is past bin 2047 (2048/1024 = 2 s), so every
 * series merges pairs of bins and the width doubles to 1/512 s: 3 s becomes
 * bin 1536, and the events of bins 512 and 1024 move to bins 256 and 512.
 * At t = 5 s the width doubles again (4 s < 5 s): 1/256 s, bin 1280.
 * 0.07 s (bin 71, 35, then 17) lies in a chunk of bins whose even neighbour
 * chunk is empty: the merge moves it down.
 */
static void bins_double(void)
{
	struct pm_run *r = pm_run_new("t");

	UT_CHECK(r, "pm_run_new");
	if (!r)
		return;
	UT_CHECK(r->bw == PM_BW_MIN, "first width %g", r->bw);
	add_extfrag(r, 0.5, "MOVABLE", "UNMOVABLE", 1, 0);
	add_extfrag(r, 1.0, "MOVABLE", "UNMOVABLE", 0, 0);
	UT_EQ_LL(pm_bin(r, 512)->steal, 1, "steal in bin 512 (0.5 s)");
	UT_EQ_LL(pm_bin(r, 1024)->claim, 1, "claim in bin 1024 (1.0 s)");
	UT_EQ_LL(r->nbins, 1025, "nbins after 1.0 s");
	/* 0.07 s is bin 71: in the second chunk of 64 bins, the first is empty */
	add_extfrag(r, 0.07, "MOVABLE", "UNMOVABLE", 0, 0);
	UT_EQ_LL(pm_bin(r, 71)->claim, 1, "0.07 s in bin 71");
	add_extfrag(r, 3.0, "MOVABLE", "UNMOVABLE", 1, 0);
	UT_EQ_LL(pm_bin(r, 35)->claim, 1, "0.07 s is bin 35 at 1/512 s");
	UT_CHECK(r->bw == 2 * PM_BW_MIN, "width after 3 s: %g", r->bw);
	UT_EQ_LL(pm_bin(r, 256)->steal, 1, "0.5 s is bin 256 at 1/512 s");
	UT_EQ_LL(pm_bin(r, 512)->claim, 1, "1.0 s is bin 512 at 1/512 s");
	UT_EQ_LL(pm_bin(r, 1536)->steal, 1, "3.0 s is bin 1536");
	UT_EQ_LL(pm_bin(r, 512)->steal, 0, "nothing left in the old bin 512");
	add_extfrag(r, 5.0, "UNMOVABLE", "MOVABLE", 0, 3);
	UT_CHECK(r->bw == 4 * PM_BW_MIN, "width after 5 s: %g", r->bw);
	UT_EQ_LL(pm_bin(r, 1280)->claim, 1, "5.0 s is bin 1280 at 1/256 s");
	UT_EQ_LL(pm_bin(r, 128)->steal + pm_bin(r, 256)->claim + pm_bin(r, 768)->steal, 3,
		 "earlier events moved");
	UT_EQ_LL(pm_bin(r, 17)->claim, 1, "0.07 s is bin 17 at 1/256 s");
	/* merging keeps every event: 5 in the bins, 5 counted */
	UT_EQ_LL(binned_extfrag(r), 5, "events in bins");
	UT_EQ_LL(r->steal, 2, "steal");
	UT_EQ_LL(r->claim, 3, "claim");
	UT_EQ_LL(r->nbins, 1281, "nbins after 5 s");
	pm_run_free(r);
}

/*
 * presize(span): the run ends at span * 1.02 + 2 s; the bin width is the
 * smallest 2^k/1024 s with that end < width * PM_BINS.  3600 s: end 3674 s,
 * 3674 / 2048 = 1.79 s -> 2 s (2048/1024).  Events past the end, before -1 s
 * or NaN are outside: counted apart, kept out of every series and total.
 */
static void presize(void)
{
	struct pm_run *r = pm_run_new("t");

	pm_run_presize(r, 3600);
	UT_CHECK(r->bw == 2048 * PM_BW_MIN, "width for an hour: %g", r->bw);
	add_extfrag(r, 3599, "MOVABLE", "UNMOVABLE", 1, 0);
	UT_EQ_LL(pm_bin(r, 1799)->steal, 1, "3599 s in bin 1799 (2 s bins)");
	UT_CHECK(r->bw == 2048 * PM_BW_MIN, "no merge needed: %g", r->bw);
	add_extfrag(r, 3673, "MOVABLE", "UNMOVABLE", 1, 0); /* inside: 3673 < 3674 */
	add_extfrag(r, 3675, "MOVABLE", "UNMOVABLE", 1, 0); /* past the end */
	add_extfrag(r, -5, "MOVABLE", "UNMOVABLE", 1, 0);
	add_extfrag(r, NAN, "MOVABLE", "UNMOVABLE", 1, 0);
	add_extfrag(r, -0.5, "MOVABLE", "UNMOVABLE", 1, 0); /* clock slack: bin 0 */
	pm_run_finish(r);
	UT_EQ_LL(r->outside, 3, "outside the run");
	UT_EQ_LL(r->steal, 3, "extfrag counted");
	UT_EQ_LL(binned_extfrag(r), 3, "extfrag in the bins");
	UT_EQ_LL(pm_bin(r, 0)->steal, 1, "-0.5 s in bin 0");
	pm_run_free(r);
	/* a bad span changes nothing */
	r = pm_run_new("t");
	pm_run_presize(r, NAN);
	pm_run_presize(r, -1);
	UT_CHECK(r->bw == PM_BW_MIN, "width after bad spans: %g", r->bw);
	pm_run_free(r);
}

/*
 * While the end is unknown, an event far past all others (t > 2 * latest +
 * 3600 s, a stray epoch timestamp) is held back; at the end of the input it
 * is added if the metadata duration covers it, else counted outside.
 */
static void stray_times(void)
{
	struct pm_run *r = pm_run_new("t");

	add_extfrag(r, 10, "MOVABLE", "UNMOVABLE", 1, 0);
	add_extfrag(r, 1.7e9, "MOVABLE", "UNMOVABLE", 1, 0); /* an epoch time */
	add_extfrag(r, 5000, "MOVABLE", "UNMOVABLE", 1, 0);  /* > 2*10 + 3600: held too */
	UT_EQ_LL(r->steal, 1, "only the first counted so far");
	r->duration = 6000; /* the metadata, read last */
	pm_run_finish(r);
	UT_EQ_LL(r->steal, 2, "5000 s is inside a 6000 s run");
	UT_EQ_LL(r->outside, 1, "the epoch time is outside");
	UT_CHECK(r->bw < 8, "the width is for 5000 s, not 10^9 s: %g", r->bw);
	pm_run_free(r);
}

/*
 * Compaction successes: the scatter row is (index + 10) / 20 (nearest of 51
 * rows), index < 0 in row PM_FI_NEG; per order slot (order + 1) counts;
 * failures by slot per bin.
 */
static void compaction(void)
{
	struct pm_run *r = pm_run_new("t");
	struct pm_event *e;
	const int fi[] = {957, 0, 1000, 4};

	for (int i = 0; i < 4; i++) {
		e = ev_new(PM_EV_CSUCC, 0.25);
		e->order = 2;
		e->fi = fi[i];
		e->have_fi = 1;
		pm_run_add(r, e);
	}
	e = ev_new(PM_EV_CSUCC, 0.25);
	e->order = -1; /* whole-zone run: slot 0 */
	e->fi = -1000;
	e->have_fi = 1;
	pm_run_add(r, e);
	e = ev_new(PM_EV_CFAIL, 0.5);
	e->order = 9;
	pm_run_add(r, e);
	/* 0.25 s = bin 256 */
	UT_EQ_LL(pm_bin(r, 256)->sc_count[48], 1, "957 -> (957 + 10) / 20 = row 48");
	UT_EQ_LL(pm_bin(r, 256)->sc_count[0], 2, "0 and 4 -> row 0");
	UT_EQ_LL(pm_bin(r, 256)->sc_count[50], 1, "1000 -> row 50");
	UT_EQ_LL(pm_bin(r, 256)->sc_count[PM_FI_NEG], 1, "-1000 -> the negative row");
	UT_EQ_LL(pm_bin(r, 256)->sc_orders[48], 1u << 3, "order 2 is slot 3");
	UT_EQ_LL(pm_bin(r, 256)->sc_orders[PM_FI_NEG], 1u << 0, "order -1 is slot 0");
	UT_EQ_LL(pm_bin(r, 256)->succ[3], 4, "successes at order 2 in the bin");
	UT_EQ_LL(r->succ[3], 4, "successes at order 2");
	UT_EQ_LL(r->succ[0], 1, "successes of whole-zone runs");
	UT_EQ_LL(r->succ_neg, 1, "successes with index < 0");
	/* mean index of the others: (957 + 0 + 1000 + 4) / 4 = 1961 / 4 = 490.25 */
	UT_CHECK(r->succ_fi_n == 4 && fabs(r->succ_fi_sum / (double)r->succ_fi_n - 490.25) < 1e-9,
		 "mean success index %g over %llu", r->succ_fi_sum / (double)r->succ_fi_n,
		 (unsigned long long)r->succ_fi_n);
	UT_EQ_LL(r->fail[10], 1, "failure at order 9 (slot 10)");
	UT_EQ_LL(pm_bin(r, 512)->fail[10], 1, "failure bin 512, slot 10");
	UT_EQ_LL(pm_slot(-5), 0, "pm_slot below -1");
	UT_EQ_LL(pm_slot(40), PM_ORD - 1, "pm_slot past the last");
	UT_EQ_LL(r->by_type[PM_EV_CSUCC], 5, "by_type success");
	UT_EQ_LL(r->n_events, 6, "n_events");
	pm_run_free(r);
}

/*
 * Fallback patterns: severity first (to UNMOVABLE -4, MOVABLE->RECLAIMABLE
 * -2, to RECLAIMABLE -1, to MOVABLE +2), then the count; the bad/good/neutral
 * totals follow the same rules, and names are canonicalised ("Movable").
 */
static void patterns(void)
{
	struct pm_run *r = pm_run_new("t");
	const struct pm_pattern *sorted[PM_MAX_PAT];
	int n;

	add_extfrag(r, 0.1, "Movable", "Reclaimable", 1, 0);	/* -2 */
	add_extfrag(r, 0.1, "MOVABLE", "RECLAIMABLE", 0, 0);	/* -2, same pattern */
	add_extfrag(r, 0.1, "RECLAIMABLE", "MOVABLE", 1, 0);	/* +2 */
	add_extfrag(r, 0.1, "MOVABLE", "UNMOVABLE", 1, 0);	/* -4 */
	add_extfrag(r, 0.1, "HIGHATOMIC", "RECLAIMABLE", 1, 0); /* -1 */
	add_extfrag(r, 0.1, "RECLAIMABLE", "UNMOVABLE", 1, 0);	/* -4 */
	add_extfrag(r, 0.1, "RECLAIMABLE", "UNMOVABLE", 0, 0);	/* -4 */
	n = pm_run_sorted_patterns(r, sorted);
	UT_EQ_LL(n, 5, "patterns");
	if (n == 5) {
		UT_EQ_STR(sorted[0]->from, "RECLAIMABLE", "worst: 2 events to UNMOVABLE");
		UT_EQ_STR(sorted[1]->from, "MOVABLE", "then 1 event to UNMOVABLE");
		UT_EQ_STR(sorted[1]->to, "UNMOVABLE", "then 1 event to UNMOVABLE");
		UT_EQ_STR(sorted[2]->to, "RECLAIMABLE", "MOVABLE->RECLAIMABLE");
		UT_EQ_LL(sorted[2]->steal + sorted[2]->claim, 2, "its count");
		UT_EQ_STR(sorted[3]->from, "HIGHATOMIC", "to RECLAIMABLE");
		UT_EQ_STR(sorted[4]->to, "MOVABLE", "the good one last");
	}
	UT_EQ_LL(r->bad, 6, "bad fallbacks");
	UT_EQ_LL(r->good, 1, "good fallbacks");
	UT_EQ_LL(r->neutral, 0, "neutral fallbacks");
	UT_EQ_LL(r->to_unmovable, 3, "to UNMOVABLE");
	UT_EQ_LL(r->ef_order[1], 7, "extfrag at order 0");
	pm_run_free(r);
}

static struct pm_event *snapshot(double t, const unsigned long long *free0,
				 const unsigned long long *free1)
{
	struct pm_event *e = ev_new(PM_EV_SNAPSHOT, t);

	e->nzones = 2;
	e->zones[0].node = 0;
	snprintf(e->zones[0].name, sizeof(e->zones[0].name), "DMA32");
	e->zones[1].node = 0;
	snprintf(e->zones[1].name, sizeof(e->zones[1].name), "Normal");
	e->zones[0].nfree = e->zones[1].nfree = 3;
	e->tot_nfree = 3;
	for (int o = 0; o < 3; o++) {
		e->zones[0].free[o] = free0[o];
		e->zones[1].free[o] = free1[o];
		e->tot_free[o] = free0[o] + free1[o];
	}
	return e;
}

/*
 * Snapshots: free pages per order over all zones, averaged over the
 * snapshots of a bin.  Two snapshots in bin 1 (t = 1/1024 s and 1.5/1024 s):
 *   zone totals per order: {10+2, 4+6, 1+3} = {12, 10, 4}, then {20, 0, 2}
 *   mean blocks {16, 5, 3}, in pages (x 2^order): {16, 10, 12}
 * The main zone has the most free pages over all snapshots:
 *   DMA32: (10 + 4*2 + 1*4) + (20 + 0 + 0) = 22 + 20 = 42
 *   Normal: (2 + 6*2 + 3*4) + (0 + 0 + 2*4) = 26 + 8 = 34 -> DMA32
 */
static void snapshots(void)
{
	struct pm_run *r = pm_run_new("t");
	const unsigned long long a0[] = {10, 4, 1}, a1[] = {2, 6, 3};
	const unsigned long long b0[] = {20, 0, 0}, b1[] = {0, 0, 2};
	double pages[FM_MAX_ORDERS];
	const struct pm_zone *z;

	pm_run_add(r, snapshot(1.0 / 1024, a0, a1));
	pm_run_add(r, snapshot(1.5 / 1024, b0, b1));
	UT_EQ_LL(pm_run_free_pages(r, 1, pages), 1, "bin 1 has snapshots");
	UT_CHECK(pages[0] == 16 && pages[1] == 10 && pages[2] == 12,
		 "mean free pages {%g, %g, %g}, want {16, 10, 12}", pages[0], pages[1], pages[2]);
	UT_EQ_LL(pm_run_free_pages(r, 0, pages), 0, "bin 0 has none");
	UT_CHECK(pages[0] == 0, "empty bin: 0 pages");
	z = pm_run_main_zone(r);
	UT_CHECK(z && !strcmp(z->name, "DMA32"), "main zone %s", z ? z->name : "(none)");
	UT_EQ_LL(r->nsnap, 2, "snapshots");
	/* 4 KiB pages unless the run says otherwise: 256 pages are 1 MiB; 16 KiB: 4 MiB */
	UT_CHECK(pm_run_mib(r, 256) == 1.0, "256 pages of 4 KiB");
	r->page_size = 16384;
	UT_CHECK(pm_run_mib(r, 256) == 4.0, "256 pages of 16 KiB");
	/* the span is the later of the last event and the duration */
	UT_CHECK(pm_run_span(r) == 1.5 / 1024, "span %g", pm_run_span(r));
	r->duration = 60;
	UT_CHECK(pm_run_span(r) == 60, "span with duration %g", pm_run_span(r));
	pm_run_free(r);
}

static void event_types(void)
{
	const char *names[] = {"extfrag",	 "compaction_success", "compaction_failure",
			       "compaction_run", "snapshot",	       "migrate"};
	const enum pm_evtype types[] = {PM_EV_EXTFRAG, PM_EV_CSUCC,    PM_EV_CFAIL,
					PM_EV_CRUN,    PM_EV_SNAPSHOT, PM_EV_MIGRATE};

	for (int i = 0; i < 6; i++) {
		UT_EQ_LL(pm_evtype_of(names[i], strlen(names[i])), types[i], names[i]);
		UT_EQ_STR(pm_evtype_name(types[i]), names[i], "pm_evtype_name");
	}
	UT_EQ_LL(pm_evtype_of("kcompactd_wake", 14), PM_EV_OTHER_COMPACTION, "kcompactd_wake");
	/* a prefix is not the name */
	UT_EQ_LL(pm_evtype_of("extfrag", 6), PM_EV_UNKNOWN, "extfra");
	UT_EQ_LL(pm_evtype_of("whatever", 8), PM_EV_UNKNOWN, "unknown");
}

const struct ut_test ut_model_tests[] = {
    {"model: bins double and merge, keeping every event", bins_double},
    {"model: presize picks the bin width and the end; times outside are counted apart", presize},
    {"model: a stray far time is held back until the duration is known", stray_times},
    {"model: compaction scatter rows, order slots, failures", compaction},
    {"model: fallback patterns sorted worst first; bad/good totals", patterns},
    {"model: snapshot free pages averaged per bin; main zone; MiB; span", snapshots},
    {"model: event type names", event_types},
    {NULL, NULL},
};
