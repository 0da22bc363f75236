// SPDX-License-Identifier: GPL-2.0
/*
 * common/fragindex.h: the kernel's fragmentation index and unusable free
 * space index (mm/vmstat.c), against values computed here by hand and
 * against the kernel's own /sys/kernel/debug/extfrag/{extfrag,unusable}_index
 * read at the same moment as /proc/buddyinfo (tests/unit/data, capture.sh).
 */
#include <errno.h>
#include <stdlib.h>

#include "fragindex.h"
#include "procfs.h"
#include "unit.h"

/*
 * A zone with nr_free = {8, 4, 0, 2, 0, 1} (orders 0..5):
 *   free_pages        = 8*1 + 4*2 + 0*4 + 2*8 + 0*16 + 1*32 = 8 + 8 + 16 + 32 = 64
 *   free_blocks_total = 8 + 4 + 0 + 2 + 0 + 1 = 15
 * order 2 (requested 4 pages): suitable blocks, in units of 4 pages:
 *   order 3: 2 << 1 = 4, order 5: 1 << 3 = 8  -> 12 > 0, so the index is -1000
 *   unusable = (64 - 12*4) * 1000 / 64 = 16000 / 64 = 250
 * order 5: suitable = 1 (the order-5 block) -> -1000;
 *   unusable = (64 - 1*32) * 1000 / 64 = 500
 * order 0: suitable = all 64 pages -> -1000; unusable = (64 - 64) * 1000 / 64 = 0
 */
static void hand_mixed(void)
{
	const unsigned long long nr[] = {8, 4, 0, 2, 0, 1};

	UT_EQ_LL(fm_fragmentation_index(nr, 6, 2), -1000, "fragindex order 2");
	UT_EQ_LL(fm_unusable_index(nr, 6, 2), 250, "unusable order 2");
	UT_EQ_LL(fm_fragmentation_index(nr, 6, 5), -1000, "fragindex order 5");
	UT_EQ_LL(fm_unusable_index(nr, 6, 5), 500, "unusable order 5");
	UT_EQ_LL(fm_fragmentation_index(nr, 6, 0), -1000, "fragindex order 0");
	UT_EQ_LL(fm_unusable_index(nr, 6, 0), 0, "unusable order 0");
}

/*
 * Only small blocks: nr_free = {6, 3, 1, 0} (orders 0..3), order 3 (8 pages):
 *   free_pages = 6 + 6 + 4 = 16, free_blocks_total = 10, suitable = 0
 *   fragindex = 1000 - (1000 + 16*1000/8) / 10 = 1000 - (1000 + 2000) / 10
 *             = 1000 - 300 = 700
 *   unusable  = (16 - 0) * 1000 / 16 = 1000
 * order 2 (4 pages): suitable = 1 (the order-2 block) -> -1000;
 *   unusable = (16 - 1*4) * 1000 / 16 = 12000 / 16 = 750
 * order 1: suitable = 3 + (1 << 1) = 5 -> -1000; unusable = (16 - 10) * 1000 / 16 = 375
 */
static void hand_fragmented(void)
{
	const unsigned long long nr[] = {6, 3, 1, 0};

	UT_EQ_LL(fm_fragmentation_index(nr, 4, 3), 700, "fragindex order 3");
	UT_EQ_LL(fm_unusable_index(nr, 4, 3), 1000, "unusable order 3");
	UT_EQ_LL(fm_fragmentation_index(nr, 4, 2), -1000, "fragindex order 2");
	UT_EQ_LL(fm_unusable_index(nr, 4, 2), 750, "unusable order 2");
	UT_EQ_LL(fm_unusable_index(nr, 4, 1), 375, "unusable order 1");
}

/*
 * Many order-0 pages, for a high order: the failure is for fragmentation,
 * the index goes towards 1000.  nr_free = {1000} (order 0 only), order 4:
 *   free_pages = 1000, total = 1000, suitable = 0
 *   fragindex = 1000 - (1000 + 1000*1000/16) / 1000 = 1000 - (1000 + 62500) / 1000
 *             = 1000 - 63 = 937 (integer division: 63500 / 1000 = 63)
 * Few large-ish blocks, little memory: nr_free = {0, 0, 1} (one 4-page block),
 * order 3: free_pages = 4, total = 1:
 *   fragindex = 1000 - (1000 + 4000/8) / 1 = 1000 - 1500 = -500
 *   (the kernel returns this too: the formula goes below 0 when a request
 *   fails for lack of memory rather than fragmentation)
 */
static void hand_extremes(void)
{
	const unsigned long long many[] = {1000, 0, 0, 0, 0};
	const unsigned long long few[] = {0, 0, 1, 0};
	const unsigned long long none[] = {0, 0, 0, 0};

	UT_EQ_LL(fm_fragmentation_index(many, 5, 4), 937, "1000 order-0 pages, order 4");
	UT_EQ_LL(fm_unusable_index(many, 5, 4), 1000, "unusable, 1000 order-0 pages");
	UT_EQ_LL(fm_fragmentation_index(few, 4, 3), -500, "one order-2 block, order 3");
	/* an empty zone: index 0 (no free blocks at all), unusable 1000 */
	UT_EQ_LL(fm_fragmentation_index(none, 4, 2), 0, "empty zone fragindex");
	UT_EQ_LL(fm_unusable_index(none, 4, 2), 1000, "empty zone unusable");
	/* out of range orders are 0, never an out-of-bounds read */
	UT_EQ_LL(fm_fragmentation_index(many, 5, 5), 0, "order == nr_orders");
	UT_EQ_LL(fm_fragmentation_index(many, 5, -1), 0, "order -1");
	UT_EQ_LL(fm_unusable_index(many, 5, FM_MAX_ORDERS), 0, "order FM_MAX_ORDERS");
}

/*
 * A real zone: Debian 6.12's DMA32 after the fragmenting fill
 * (data/6.12/frag/buddyinfo), nr_free = {41781, 539, 6, 10, 6, 3, 0, 1, 1, 1, 0}:
 *   free_pages = 41781 + 539*2 + 6*4 + 10*8 + 6*16 + 3*32 + 0 + 1*128 + 1*256 + 1*512
 *              = 41781 + 1078 + 24 + 80 + 96 + 96 + 128 + 256 + 512 = 44051
 *   free_blocks_total = 41781 + 539 + 6 + 10 + 6 + 3 + 0 + 1 + 1 + 1 + 0 = 42348
 * order 10 (no block): 1000 - (1000 + 44051000/1024) / 42348
 *                    = 1000 - (1000 + 43018) / 42348 = 1000 - 1 = 999   (kernel: 0.999)
 * order 9 (one block): -1000; unusable = (44051 - 512) * 1000 / 44051
 *                    = 43539000 / 44051 = 988                            (kernel: 0.988)
 * order 1: suitable = 539 + 6*2 + 10*4 + 6*8 + 3*16 + 0 + 64 + 128 + 256 = 1135
 *   unusable = (44051 - 1135*2) * 1000 / 44051 = 41781000 / 44051 = 948  (kernel: 0.948)
 */
static void hand_real_zone(void)
{
	const unsigned long long nr[] = {41781, 539, 6, 10, 6, 3, 0, 1, 1, 1, 0};

	UT_EQ_LL(fm_fragmentation_index(nr, 11, 10), 999, "fragindex order 10");
	UT_EQ_LL(fm_fragmentation_index(nr, 11, 9), -1000, "fragindex order 9");
	UT_EQ_LL(fm_unusable_index(nr, 11, 9), 988, "unusable order 9");
	UT_EQ_LL(fm_unusable_index(nr, 11, 1), 948, "unusable order 1");
	UT_EQ_LL(fm_unusable_index(nr, 11, 10), 1000, "unusable order 10");
}

/*
 * The debugfs files print "%2d.%03d " of index/1000 and index%1000 per order:
 * "-1.000" is -1000, " 0.937" is 937.  Parses one line "Node N, zone NAME
 * v v v ..."; returns the number of values.
 */
static int parse_debugfs_line(const char *line, int *node, char *zone, int *v)
{
	int off = 0, n = 0;
	const char *p;

	if (sscanf(line, "Node %d, zone %15s%n", node, zone, &off) != 2)
		return -1;
	p = line + off;
	while (n < FM_MAX_ORDERS) {
		int ip, fp, used = 0;
		bool neg;

		while (*p == ' ')
			p++;
		neg = *p == '-';
		if (sscanf(p, "%d.%d%n", &ip, &fp, &used) != 2)
			break;
		v[n++] = ip * 1000 + (neg ? -fp : fp);
		p += used;
	}
	return n;
}

/* every zone and order of one state: ours == the kernel's; returns values compared */
static int oracle_state(const char *kernel, const char *state)
{
	char root[512], path[600], *stable, *ef, *ui;
	struct fm_mem_snapshot *snap = calloc(1, sizeof(*snap));
	int compared = 0;

	ut_path(root, sizeof(root), kernel, state);
	snprintf(path, sizeof(path), "%s/stable", root);
	stable = fm_slurp(path, 1 << 16, NULL);
	if (!stable) {
		free(snap);
		return 0; /* no such state for this kernel */
	}
	UT_CHECK(atoi(stable) > 0, "%s: buddyinfo never stable around the debugfs reads (%s)", root,
		 stable);
	UT_CHECK(!fm_read_snapshot(snap, NULL, 0, root), "%s: fm_read_snapshot: %s", root,
		 strerror(errno));
	snprintf(path, sizeof(path), "%s/extfrag_index", root);
	ef = fm_slurp(path, 1 << 20, NULL);
	snprintf(path, sizeof(path), "%s/unusable_index", root);
	ui = fm_slurp(path, 1 << 20, NULL);
	UT_CHECK(ef && ui, "%s: debugfs files missing", root);
	for (int which = 0; ef && ui && which < 2; which++) {
		char *save = NULL, *buf = which ? ui : ef;
		int zi = 0;

		for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			int node, v[FM_MAX_ORDERS], n;
			char zone[16];
			const struct fm_zone_free *z = NULL;

			n = parse_debugfs_line(l, &node, zone, v);
			if (n < 0)
				continue;
			for (int i = 0; i < snap->nzones; i++)
				if (snap->zones[i].node == node &&
				    !strcmp(snap->zones[i].name, zone))
					z = &snap->zones[i];
			UT_CHECK(z, "%s: zone %d/%s of the debugfs file not in buddyinfo", root,
				 node, zone);
			UT_EQ_LL(n, snap->nr_orders, "orders in the debugfs line");
			for (int o = 0; z && o < n && o < FM_MAX_ORDERS; o++) {
				int ours =
				    which ? fm_unusable_index(z->free, snap->nr_orders, o)
					  : fm_fragmentation_index(z->free, snap->nr_orders, o);

				if (ours != v[o])
					ut_fail(__FILE__, __LINE__,
						"%s: node %d zone %s order %d: %s %d, kernel %d",
						root, node, zone, o,
						which ? "unusable" : "fragindex", ours, v[o]);
				compared++;
			}
			zi++;
		}
		UT_EQ_LL(zi, snap->nzones, "zones in the debugfs file");
	}
	free(ef);
	free(ui);
	free(stable);
	free(snap);
	return compared;
}

/* the kernel's own numbers are the oracle, per kernel and state */
static void kernel_oracle(void)
{
	int total = 0, nonneg = 0;

	for (int k = 0; k < ut_nkernels; k++) {
		int n = oracle_state(ut_kernels[k], "idle");

		UT_CHECK(n > 0, "%s: no idle state to compare", ut_kernels[k]);
		total += n + oracle_state(ut_kernels[k], "frag");
	}
	/* the fragmented states must have exercised the formula's 0..1000 branch,
	 * not only -1000: count the kernel's non-negative fragindex values */
	for (int k = 0; k < ut_nkernels; k++) {
		char path[512], *ef, *save = NULL;

		ef = fm_slurp(ut_path(path, sizeof(path), ut_kernels[k], "frag/extfrag_index"),
			      1 << 20, NULL);
		for (char *l = ef ? strtok_r(ef, "\n", &save) : NULL; l;
		     l = strtok_r(NULL, "\n", &save)) {
			int node, v[FM_MAX_ORDERS];
			char zone[16];
			int n = parse_debugfs_line(l, &node, zone, v);

			for (int o = 0; o < n; o++)
				nonneg += v[o] >= 0;
		}
		free(ef);
	}
	printf("#   %d index values compared with the kernel's, %d of them fragindex >= 0\n", total,
	       nonneg);
	UT_CHECK(nonneg >= 5, "only %d non-negative kernel fragindex values in the data", nonneg);
}

const struct ut_test ut_fragindex_tests[] = {
    {"fragindex: hand-computed, mixed free lists", hand_mixed},
    {"fragindex: hand-computed, only small blocks", hand_fragmented},
    {"fragindex: hand-computed, extremes and bounds", hand_extremes},
    {"fragindex: hand-computed, a real fragmented zone (6.12 DMA32)", hand_real_zone},
    {"fragindex: equals the kernel's debugfs extfrag/unusable_index (every capture)",
     kernel_oracle},
    {NULL, NULL},
};
