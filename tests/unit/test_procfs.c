// SPDX-License-Identifier: GPL-2.0
/*
 * agent/procfs.c against the canned /proc files of real kernels
 * (tests/unit/data/<kernel>/{idle,frag}/, tests/unit/capture.sh): Debian's
 * 5.10, 6.1, 6.12 (x86_64), 6.12 arm64 (CMA), 6.12 with two NUMA nodes, and
 * the 6.18 of the machine the data was captured on.  The expected values
 * below were read from those files by eye (see the comments); refreshing the
 * data means updating them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "procfs.h"
#include "unit.h"

const char *const ut_kernels[] = {"5.10", "6.1", "6.12", "6.12-arm64", "6.12-numa2", "6.18"};
const int ut_nkernels = sizeof(ut_kernels) / sizeof(ut_kernels[0]);

struct zone_expect {
	int node;
	const char *name;
	int idx;		      /* from zoneinfo: DMA 0, DMA32 1, Normal 2 */
	unsigned long long start_pfn; /* zoneinfo "start_pfn:" */
	unsigned long long spanned;   /* zoneinfo "spanned" */
	unsigned long long free0;     /* buddyinfo order 0 */
	unsigned long long free10;    /* buddyinfo order 10 */
};

struct kernel_expect {
	const char *id;
	int nspans;	   /* zoneinfo zones: DMA DMA32 Normal Movable Device per node */
	int nzones;	   /* buddyinfo lines (populated zones) */
	const char *types; /* "Number of blocks type" header, canonical */
	struct zone_expect z[3];
	/* one pagetypeinfo "Free pages" value and one "Number of blocks" value */
	int pt_node;
	const char *pt_zone, *pt_type;
	int pt_order;
	unsigned long long pt_free, pt_blocks;
	/* one vmstat value of the frag state (idle for 6.18) */
	const char *vm_name;
	unsigned long long vm_val;
	/* vmstat lines kept: compact_*, pgmigrate_*, thp_migration_*, kcompactd*,
	 * pgalloc_* (one per zone type: 5.10 has no pgalloc_device) */
	int nvmstat;
};

#define X86_TYPES "UNMOVABLE MOVABLE RECLAIMABLE HIGHATOMIC ISOLATE"

static const struct kernel_expect expect[] = {
    /* 5.10 idle buddyinfo: DMA 1 0 0 1 2 0 1 0 1 1 3; DMA32 7 ... 104
     * pagetypeinfo: DMA32 Movable order 10: 104; blocks DMA32: 15 229 4 0 0 */
    {"5.10",
     5,
     2,
     X86_TYPES,
     {{0, "DMA", 0, 1, 4095, 1, 3}, {0, "DMA32", 1, 4096, 126944, 7, 104}},
     0,
     "DMA32",
     "MOVABLE",
     10,
     104,
     229,
     "compact_migrate_scanned",
     3205,
     18},
    /* 6.1: DMA 0 ... 3; DMA32 8 ... 101; blocks DMA32 38 204 6 0 0 */
    {"6.1",
     5,
     2,
     X86_TYPES,
     {{0, "DMA", 0, 1, 4095, 0, 3}, {0, "DMA32", 1, 4096, 126944, 8, 101}},
     0,
     "DMA32",
     "MOVABLE",
     10,
     101,
     204,
     "compact_isolated",
     868,
     19},
    /* 6.12: DMA32 2 ... 103; blocks DMA32 36 210 2 0 0 */
    {"6.12",
     5,
     2,
     X86_TYPES,
     {{0, "DMA", 0, 1, 4095, 0, 3}, {0, "DMA32", 1, 4096, 126944, 2, 103}},
     0,
     "DMA32",
     "MOVABLE",
     10,
     103,
     210,
     "compact_daemon_migrate_scanned",
     3104,
     19},
    /* arm64 (virt, RAM from 1 GiB): one zone, DMA, with CMA:
     * DMA 11 ... 107; CMA order 10: 15; blocks 15 205 4 0 32 0 */
    {"6.12-arm64",
     5,
     1,
     "UNMOVABLE MOVABLE RECLAIMABLE HIGHATOMIC CMA ISOLATE",
     {{0, "DMA", 0, 262144, 131072, 11, 107}},
     0,
     "DMA",
     "CMA",
     10,
     15,
     32,
     "pgmigrate_success",
     4896,
     19},
    /* two nodes: node 1 starts at pfn 131072 and has only DMA32 (its
     * zone index is still 1): 2 ... 109; node 1 DMA32 Movable order 10:
     * 109; blocks 34 220 2 0 0 */
    {"6.12-numa2",
     10,
     3,
     X86_TYPES,
     {{0, "DMA", 0, 1, 4095, 0, 3},
      {0, "DMA32", 1, 4096, 126976, 2, 116},
      {1, "DMA32", 1, 131072, 131040, 2, 109}},
     1,
     "DMA32",
     "MOVABLE",
     10,
     109,
     220,
     "pgmigrate_success",
     352,
     19},
    /* this machine: 24 GiB, Normal 18606 ... 588; Unmovable order 8: 732;
     * blocks Normal 1917 4291 256 0 0 */
    {"6.18",
     5,
     3,
     X86_TYPES,
     {{0, "DMA", 0, 1, 4095, 0, 3},
      {0, "DMA32", 1, 4096, 1044480, 1, 752},
      {0, "Normal", 2, 1048576, 5505024, 18606, 588}},
     0,
     "Normal",
     "UNMOVABLE",
     8,
     732,
     1917,
     "pgmigrate_success",
     785222,
     19},
};

/* The spans of a kernel's canned zoneinfo, read by the real fm_read_zoneinfo()
 * through its root directory argument. */
static int spans_of(const char *kernel, struct fm_zone_span *spans, int max)
{
	char root[512];

	ut_path(root, sizeof(root), kernel, "idle");
	return fm_read_zoneinfo(spans, max, root);
}

static const struct fm_zone_span *span_of(const struct fm_zone_span *s, int n, int node,
					  const char *name)
{
	for (int i = 0; i < n; i++)
		if (s[i].node == node && !strcmp(s[i].name, name))
			return &s[i];
	return NULL;
}

static void zoneinfo(void)
{
	struct fm_zone_span spans[FM_MAX_NODES * FM_MAX_ZONES];

	for (size_t k = 0; k < sizeof(expect) / sizeof(expect[0]); k++) {
		const struct kernel_expect *e = &expect[k];
		int n = spans_of(e->id, spans, FM_MAX_NODES * FM_MAX_ZONES);

		UT_EQ_LL(n, e->nspans, e->id);
		for (int i = 0; i < 3 && e->z[i].name; i++) {
			const struct zone_expect *z = &e->z[i];
			const struct fm_zone_span *s = span_of(spans, n, z->node, z->name);

			UT_CHECK(s, "%s: zone %d/%s not found", e->id, z->node, z->name);
			if (!s)
				continue;
			UT_EQ_LL(s->idx, z->idx, "zone index");
			UT_EQ_LL(s->start_pfn, z->start_pfn, "start_pfn");
			UT_EQ_LL(s->spanned, z->spanned, "spanned");
		}
		/* the empty zones are listed too, with their index in the node */
		UT_CHECK(span_of(spans, n, 0, "Movable") &&
			     span_of(spans, n, 0, "Movable")->idx == 3,
			 "%s: node 0 Movable is zone index 3", e->id);
	}
	/* too small an array: the first zones, no overflow */
	UT_EQ_LL(spans_of("6.12-numa2", spans, 3), 3, "max 3");
	UT_EQ_STR(spans[2].name, "Normal", "third zone");
}

static const struct fm_zone_free *zone(const struct fm_mem_snapshot *s, int node, const char *name)
{
	for (int i = 0; i < s->nzones; i++)
		if (s->zones[i].node == node && !strcmp(s->zones[i].name, name))
			return &s->zones[i];
	return NULL;
}

static int type_index(const struct fm_mem_snapshot *s, const char *name)
{
	for (int t = 0; t < s->ntypes; t++)
		if (!strcmp(s->types[t], name))
			return t;
	return -1;
}

static void snapshot_of_each_kernel(void)
{
	struct fm_zone_span spans[FM_MAX_NODES * FM_MAX_ZONES];
	struct fm_mem_snapshot *snap = calloc(1, sizeof(*snap));

	for (size_t k = 0; k < sizeof(expect) / sizeof(expect[0]); k++) {
		const struct kernel_expect *e = &expect[k];
		char root[512], types[128] = "";
		int nspans = 0;
		const struct fm_zone_free *z;

		/* without root the zone indices are not known: -1 */
		if (geteuid() == 0)
			nspans = spans_of(e->id, spans, FM_MAX_NODES * FM_MAX_ZONES);
		memset(snap, 0, sizeof(*snap));
		ut_path(root, sizeof(root), e->id, "idle");
		UT_CHECK(!fm_read_snapshot(snap, spans, nspans > 0 ? nspans : 0, root),
			 "%s: fm_read_snapshot: %s", root, strerror(errno));
		UT_EQ_LL(snap->nzones, e->nzones, e->id);
		UT_EQ_LL(snap->nr_orders, 11, "orders (NR_PAGE_ORDERS)");
		UT_EQ_LL(snap->pageblock_order, 9, "pageblock order");
		UT_CHECK(snap->have_types, "%s: pagetypeinfo read", e->id);
		for (int t = 0; t < snap->ntypes; t++)
			snprintf(types + strlen(types), sizeof(types) - strlen(types), "%s%s",
				 t ? " " : "", snap->types[t]);
		UT_EQ_STR(types, e->types, "migratetypes in pagetypeinfo order");
		for (int i = 0; i < 3 && e->z[i].name; i++) {
			z = zone(snap, e->z[i].node, e->z[i].name);
			UT_CHECK(z, "%s: zone %d/%s", e->id, e->z[i].node, e->z[i].name);
			if (!z)
				continue;
			UT_EQ_LL(z->free[0], e->z[i].free0, "buddyinfo order 0");
			UT_EQ_LL(z->free[10], e->z[i].free10, "buddyinfo order 10");
			if (nspans > 0) {
				UT_EQ_LL(z->idx, e->z[i].idx, "zone index from the spans");
				UT_CHECK(fm_snapshot_zone(snap, e->z[i].node, e->z[i].idx) == z,
					 "%s: fm_snapshot_zone(%d, %d)", e->id, e->z[i].node,
					 e->z[i].idx);
			}
		}
		z = zone(snap, e->pt_node, e->pt_zone);
		if (z) {
			int t = type_index(snap, e->pt_type);

			UT_CHECK(t >= 0, "%s: type %s", e->id, e->pt_type);
			if (t >= 0) {
				UT_EQ_LL(z->by_type[t][e->pt_order], e->pt_free,
					 "pagetypeinfo free");
				UT_EQ_LL(z->blocks[t], e->pt_blocks, "pagetypeinfo blocks");
			}
		}
		/* per-type free counts of a zone add up to its buddyinfo line when
		 * both were read in the same idle moment: only asserted for the
		 * high orders, which do not move in an idle guest */
		for (int i = 0; strcmp(e->id, "6.18") && i < snap->nzones; i++) {
			unsigned long long sum = 0;

			for (int t = 0; t < snap->ntypes; t++)
				sum += snap->zones[i].by_type[t][10];
			UT_EQ_LL(sum, snap->zones[i].free[10], "order-10 blocks over the types");
		}
		/* vmstat: only compaction, migration and allocation counters are kept */
		UT_EQ_LL(snap->nvmstat, e->nvmstat, "vmstat counters kept");
		for (int i = 0; i < snap->nvmstat; i++)
			UT_CHECK(!strncmp(snap->vm_name[i], "compact_", 8) ||
				     !strncmp(snap->vm_name[i], "pgmigrate_", 10) ||
				     !strncmp(snap->vm_name[i], "thp_migration_", 14) ||
				     !strncmp(snap->vm_name[i], "pgalloc_", 8),
				 "%s: vmstat %s kept", e->id, snap->vm_name[i]);
		ut_path(root, sizeof(root), e->id, strcmp(e->id, "6.18") ? "frag" : "idle");
		memset(snap, 0, sizeof(*snap));
		UT_CHECK(!fm_read_snapshot(snap, NULL, 0, root), "%s", root);
		for (int i = 0; i < snap->nvmstat; i++)
			if (!strcmp(snap->vm_name[i], e->vm_name))
				UT_EQ_LL(snap->vm_val[i], e->vm_val, e->vm_name);
	}
	free(snap);
}

/* what a file that cannot be read does */
static void missing_files(void)
{
	struct fm_mem_snapshot *snap = calloc(1, sizeof(*snap));
	char root[512];

	errno = 0;
	UT_EQ_LL(fm_read_snapshot(snap, NULL, 0, "/nonexistent"), -1, "no buddyinfo: -1");
	UT_EQ_LL(errno, ENOENT, "errno");
	/* events/ has no buddyinfo either */
	ut_path(root, sizeof(root), "6.12", "events");
	UT_EQ_LL(fm_read_snapshot(snap, NULL, 0, root), -1, "a directory without buddyinfo");
	free(snap);
}

/* The types learnt from an earlier snapshot's header are kept when a later
 * pagetypeinfo lists the free counts before its header (and vice versa). */
static void types_kept_between_snapshots(void)
{
	struct fm_mem_snapshot *snap = calloc(1, sizeof(*snap));
	char root[512];

	UT_CHECK(
	    !fm_read_snapshot(snap, NULL, 0, ut_path(root, sizeof(root), "6.12-arm64", "idle")),
	    "arm64");
	UT_EQ_LL(snap->ntypes, 6, "arm64 types");
	UT_CHECK(
	    !fm_read_snapshot(snap, NULL, 0, ut_path(root, sizeof(root), "6.12-arm64", "frag")),
	    "arm64 frag");
	UT_EQ_LL(snap->ntypes, 6, "arm64 types, second snapshot");
	UT_EQ_STR(snap->types[4], "CMA", "type 4");
	UT_EQ_LL(snap->pageblock_order, 9, "pageblock order kept");
	free(snap);
}

const struct ut_test ut_procfs_tests[] = {
    {"procfs: fm_read_zoneinfo on each kernel's zoneinfo (NUMA: per-node indices)", zoneinfo},
    {"procfs: fm_read_snapshot on each kernel's buddyinfo/pagetypeinfo/vmstat",
     snapshot_of_each_kernel},
    {"procfs: unreadable buddyinfo is an error with errno", missing_files},
    {"procfs: migratetypes and pageblock order kept across snapshots",
     types_kept_between_snapshots},
    {NULL, NULL},
};
