/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's fragmentation index and unusable free space index
 * (mm/vmstat.c: fill_contig_page_info, __fragmentation_index,
 * unusable_free_index), computed from a zone's nr_free per order.  Shared by
 * the BPF program (at the event) and the agent (from snapshots), so both use
 * one formula.  Header-only so that BPF C can include it.
 *
 * Both indices are scaled by 1000, as the kernel keeps them:
 *   fragmentation index: -1000 when a free block of the order exists
 *   (allocation would succeed), 0 when the zone has no free pages, else
 *   0..1000: towards 0 the failure is for lack of memory, towards 1000 it is
 *   for fragmentation (/sys/kernel/debug/extfrag/extfrag_index prints it /1000).
 *   unusable index: 0..1000, the share of free memory unusable for the order.
 */
#ifndef FRAGMON_FRAGINDEX_H
#define FRAGMON_FRAGINDEX_H

#include "fm_limits.h"

struct fm_contig_info {
	unsigned long long free_pages;
	unsigned long long free_blocks_total;
	unsigned long long free_blocks_suitable;
};

/* add one order's free blocks (nr_free of free_area[o]) for a request of order */
static inline void fm_contig_add(struct fm_contig_info *info, int o, unsigned long long blocks,
				 int order)
{
	info->free_blocks_total += blocks;
	info->free_pages += blocks << o;
	if (o >= order)
		info->free_blocks_suitable += blocks << (o - order);
}

static inline struct fm_contig_info fm_contig_info(const unsigned long long *nr_free, int nr_orders,
						   int order)
{
	struct fm_contig_info info = {0, 0, 0};

	for (int o = 0; o < FM_MAX_ORDERS; o++) {
		if (o >= nr_orders)
			break;
		fm_contig_add(&info, o, nr_free[o], order);
	}
	return info;
}

/* mm/vmstat.c __fragmentation_index(), x1000; order must be in range */
static inline int fm_fragindex_of(const struct fm_contig_info *info, int order)
{
	unsigned long long requested = 1ULL << order;

	if (!info->free_blocks_total)
		return 0;
	if (info->free_blocks_suitable)
		return -1000;
	return 1000 -
	       (int)((1000 + (info->free_pages * 1000ULL) / requested) / info->free_blocks_total);
}

/* mm/vmstat.c unusable_free_index(), x1000; order must be in range */
static inline int fm_unusable_of(const struct fm_contig_info *info, int order)
{
	if (!info->free_pages)
		return 1000;
	return (int)(((info->free_pages - (info->free_blocks_suitable << order)) * 1000ULL) /
		     info->free_pages);
}

static inline int fm_fragmentation_index(const unsigned long long *nr_free, int nr_orders,
					 int order)
{
	struct fm_contig_info info;

	if (order < 0 || order >= nr_orders || order >= FM_MAX_ORDERS)
		return 0;
	info = fm_contig_info(nr_free, nr_orders, order);
	return fm_fragindex_of(&info, order);
}

static inline int fm_unusable_index(const unsigned long long *nr_free, int nr_orders, int order)
{
	struct fm_contig_info info;

	if (order < 0 || order >= nr_orders || order >= FM_MAX_ORDERS)
		return 0;
	info = fm_contig_info(nr_free, nr_orders, order);
	return fm_unusable_of(&info, order);
}

#endif
