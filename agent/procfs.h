/* SPDX-License-Identifier: GPL-2.0 */
/* Parsers for /proc/zoneinfo, buddyinfo, pagetypeinfo and vmstat. */
#ifndef FRAGMON_PROCFS_H
#define FRAGMON_PROCFS_H

#include <stdbool.h>
#include "fragindex.h"
#include "migratetype.h"
#include "fragmon.h"

#define FM_ZONE_NAME_LEN 16
#define FM_MAX_VMSTAT 48

struct fm_zone_span {
	int node;
	int idx; /* index in the node's zone list (enum zone_type) */
	char name[FM_ZONE_NAME_LEN];
	unsigned long long start_pfn;
	unsigned long long spanned;
};

struct fm_zone_free {
	int node;
	int idx;
	char name[FM_ZONE_NAME_LEN];
	unsigned long long free[FM_MAX_ORDERS];
	unsigned long long by_type[FM_MT_MAX][FM_MAX_ORDERS];
	unsigned long long blocks[FM_MT_MAX];
};

struct fm_mem_snapshot {
	int nzones;
	struct fm_zone_free zones[FM_MAX_NODES * FM_MAX_ZONES];
	int nr_orders;
	bool have_types; /* pagetypeinfo was readable */
	int ntypes;
	char types[FM_MT_MAX][FM_MT_NAME_LEN];
	int pageblock_order;
	int nvmstat;
	char vm_name[FM_MAX_VMSTAT][40];
	unsigned long long vm_val[FM_MAX_VMSTAT];
};

/* All zones of all nodes, in ROOT/zoneinfo order (root is "/proc" except in tests);
 * returns the count or -1. */
int fm_read_zoneinfo(struct fm_zone_span *spans, int max, const char *root);

/*
 * Fill snap from buddyinfo (required), pagetypeinfo and vmstat (optional).
 * spans maps zone names to indices.  root is "/proc" except in tests.
 * Returns 0 or -1 (errno set) when buddyinfo cannot be read.
 */
int fm_read_snapshot(struct fm_mem_snapshot *snap, const struct fm_zone_span *spans, int nspans,
		     const char *root);

/* The zone index (and its node) of a pfn from the spans; -1 if in none. */
int fm_zone_of_pfn(const struct fm_zone_span *spans, int nspans, unsigned long long pfn, int *node);

/* The name of zone idx of node ("" if unknown). */
const char *fm_zone_name(const struct fm_zone_span *spans, int nspans, int node, int idx);

/* The zone of snap for (node, zone index), or NULL. */
const struct fm_zone_free *fm_snapshot_zone(const struct fm_mem_snapshot *snap, int node, int idx);

/* Read a whole small file into a NUL-terminated malloc'd buffer. */
char *fm_slurp(const char *path, size_t max, size_t *len);

#endif
