// SPDX-License-Identifier: GPL-2.0
/*
 * plot/metrics.h: the rows of the metrics table, their values from a run's
 * channels, number formats; and the zone under pressure that the state rows
 * are of (pm_pick_zone, plot/model.h), chosen for all runs together.
 */
#include <math.h>
#include <stdlib.h>

#include "metrics.h"
#include "stats.h"
#include "unit.h"

static void extfrag(struct pm_run *r, double t, const char *to, int order, int node,
		    const char *zone)
{
	struct pm_event ev;

	pm_event_reset(&ev);
	ev.type = PM_EV_EXTFRAG;
	ev.t = t;
	ev.have_t = 1;
	ev.order = order;
	snprintf(ev.from, sizeof(ev.from), "MOVABLE");
	snprintf(ev.to, sizeof(ev.to), "%s", to);
	if (zone) {
		ev.node = node;
		snprintf(ev.zone, sizeof(ev.zone), "%s", zone);
		ev.have_zone = 1;
	}
	pm_run_add(r, &ev);
}

/* a snapshot of two zones: DMA32 with more free memory, Normal with more pageblocks */
static void snapshot(struct pm_run *r, double t, int us_normal)
{
	struct pm_event ev;

	pm_event_reset(&ev);
	ev.type = PM_EV_SNAPSHOT;
	ev.t = t;
	ev.have_t = 1;
	ev.nzones = 2;
	for (int z = 0; z < 2; z++) {
		struct pm_snapzone *sz = &ev.zones[z];

		memset(sz, 0, sizeof(*sz));
		snprintf(sz->name, sizeof(sz->name), z ? "Normal" : "DMA32");
		sz->nfree = sz->nus = 11;
		for (int o = 0; o < 11; o++) {
			sz->free[o] = z ? 10 : 100;
			sz->us[o] = z ? us_normal : 1;
		}
		sz->have_pb = 1;
		sz->pb[FM_MT_MOVABLE] = z ? 3000 : 1500;
	}
	pm_run_add(r, &ev);
}

static struct pm_run *run_new(double dur)
{
	struct pm_run *r = pm_run_new("m");

	r->have_run = 1;
	r->duration = dur;
	r->tp[PM_TP_EXTFRAG] = r->tp[PM_TP_COMPACTION] = r->tp[PM_TP_MIGRATE] = 1;
	snprintf(r->mode, sizeof(r->mode), "full");
	pm_run_presize(r, dur);
	return r;
}

static void values(void)
{
	struct pm_run *r = run_new(10);
	struct pm_mrow rows[PM_MAX_ROWS];
	int n, k;

	for (int i = 0; i < 20; i++)
		extfrag(r, 0.4 * i, i % 4 ? "UNMOVABLE" : "MOVABLE", i % 2 ? 0 : 3, 0, NULL);
	pm_run_finish(r);
	n = pm_rows(&r, 1, 1, rows, PM_MAX_ROWS);
	k = pm_row_find(rows, n, "extfrag_per_s");
	UT_CHECK(k >= 0, "extfrag_per_s is compared");
	UT_CHECK(pm_row_find(rows, n, "extfrag") < 0, "counts are not compared");
	UT_CHECK(fabs(pm_value(&rows[k], r, NULL).v - 2.0) < 1e-12, "20 events in 10 s: %g /s",
		 pm_value(&rows[k], r, NULL).v);
	k = pm_row_find(rows, n, "good_pct");
	/* MOVABLE -> MOVABLE is no fallback pattern of the severity table's good kind:
	 * the share only counts what the table calls good */
	UT_CHECK(k >= 0 && pm_value(&rows[k], r, NULL).valid, "good_pct has a value");
	k = pm_row_find(rows, n, "extfrag_order_3_per_s");
	UT_CHECK(k >= 0 && fabs(pm_value(&rows[k], r, NULL).v - 1.0) < 1e-12,
		 "order 3: 10 events in 10 s");
	UT_CHECK(pm_row_find(rows, n, "extfrag_order_1_per_s") < 0, "no row for an unseen order");
	UT_CHECK(pm_row_find(rows, n, "unusable_high_order_mean") < 0,
		 "no snapshots: no state rows");
	pm_run_free(r);
}

static void bounds_and_formats(void)
{
	struct pm_mrow rows[PM_MAX_ROWS];
	struct pm_run *r = run_new(10);
	char buf[64];
	double lo, hi;
	int n;

	snapshot(r, 1, 500);
	extfrag(r, 2, "UNMOVABLE", 0, 0, "Normal");
	pm_run_finish(r);
	n = pm_rows(&r, 1, 1, rows, PM_MAX_ROWS);
	pm_row_bounds(&rows[pm_row_find(rows, n, "good_pct")], &lo, &hi);
	UT_CHECK(lo == 0 && hi == 100, "a share is 0-100%%: [%g, %g]", lo, hi);
	pm_row_bounds(&rows[pm_row_find(rows, n, "extfrag_per_s")], &lo, &hi);
	UT_CHECK(lo == 0 && isinf(hi), "a rate is >= 0");
	pm_row_bounds(&rows[pm_row_find(rows, n, "unusable_high_order_mean")], &lo, &hi);
	UT_CHECK(lo == 0 && hi == 1, "an index is 0-1");
	pm_val_str(&(struct pm_mrow){.decimals = 0, .type = PM_INFO}, (struct pm_val){1, 1234567},
		   buf, sizeof(buf));
	UT_EQ_STR(buf, "1,234,567", "counts with thousands separators");
	pm_val_plain(&rows[pm_row_find(rows, n, "extfrag_per_s")], (struct pm_val){1, 0.01234}, buf,
		     sizeof(buf));
	UT_EQ_STR(buf, "0.0123", "rates to three significant digits");
	pm_val_plain(&rows[0], (struct pm_val){0, 1}, buf, sizeof(buf));
	UT_EQ_STR(buf, "n/a", "no value");
	pm_run_free(r);
}

/* the zone under pressure: the most extfrag events over all runs, else the largest */
static void zone_under_pressure(void)
{
	struct pm_run *a = run_new(10), *b = run_new(10);
	struct pm_side s[2] = {{{a}, 1, "A"}, {{b}, 1, "B"}};
	struct pm_mrow rows[PM_MAX_ROWS];
	struct pm_run *both[2] = {a, b};
	int n, k;

	for (int t = 0; t < 10; t++) {
		snapshot(a, t + 0.5, 200);
		snapshot(b, t + 0.5, 600);
	}
	/* A alone: no fallbacks, so the largest zone (Normal: 3000 pageblocks, though
	 * DMA32 has ten times the free memory) */
	pm_run_finish(a);
	UT_EQ_STR(pm_run_main_zone(a) ? pm_run_main_zone(a)->name : "", "Normal",
		  "no fallbacks: the largest zone");
	UT_CHECK(strstr(pm_zone_why(a), "largest") != NULL, "why: %s", pm_zone_why(a));
	/* B's fallbacks are in DMA32: both runs are measured there */
	for (int i = 0; i < 5; i++)
		extfrag(b, i + 0.2, "UNMOVABLE", 0, 0, "DMA32");
	extfrag(a, 3.3, "UNMOVABLE", 0, 0, "Normal");
	pm_run_finish(b);
	pm_pick_zone(s, 2);
	UT_EQ_STR(pm_run_main_zone(a)->name, "DMA32", "A: the zone of the comparison");
	UT_EQ_STR(pm_run_main_zone(b)->name, "DMA32", "B: the zone of the comparison");
	UT_CHECK(strstr(pm_zone_why(b), "fallbacks") != NULL, "why: %s", pm_zone_why(b));
	n = pm_rows(both, 2, 1, rows, PM_MAX_ROWS);
	k = pm_row_find(rows, n, "unusable_high_order_mean");
	UT_CHECK(k >= 0 && fabs(pm_value(&rows[k], a, NULL).v - 0.001) < 1e-9 &&
		     fabs(pm_value(&rows[k], b, NULL).v - 0.001) < 1e-9,
		 "both state rows are DMA32's (unusable 1/1000)");
	/* alone again, A's own fallback zone */
	pm_pick_zone(s, 1);
	UT_EQ_STR(pm_run_main_zone(a)->name, "Normal", "A alone: its own fallbacks' zone");
	pm_run_free(a);
	pm_run_free(b);
}

const struct ut_test ut_metrics_tests[] = {
    {"metrics: rows and values: rates per second, per-order rows only where seen", values},
    {"metrics: possible ranges, number formats", bounds_and_formats},
    {"metrics: the zone under pressure is chosen for all runs together", zone_under_pressure},
    {NULL, NULL},
};
