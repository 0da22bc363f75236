/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counters one event adds to, in the struct fm_counts layout: used by
 * the agent for the events it receives and by the BPF side for those it
 * could not deliver, so the two halves add up to exact totals.  The
 * includer defines fm_cnt_add(cnt, idx, n) first (BPF: a bounded atomic add).
 */
#ifndef FRAGMON_COUNTS_H
#define FRAGMON_COUNTS_H

#include "fragmon.h"

static inline void fm_count_event(__u64 *cnt, const struct fm_event *e, int pageblock_order)
{
	int kind = e->kind, order = e->order;

	if (kind < 0 || kind >= FM_KIND_MAX)
		return;
	if (order < -1 || order >= FM_ORDER_SLOTS - 1)
		order = FM_ORDER_SLOTS - 2;
	fm_cnt_add(cnt, FM_CNT_KIND(kind, order), 1);
	if (kind == FM_KIND_EXTFRAG) {
		int from = e->extfrag.fallback_mt, to = e->extfrag.alloc_mt;

		if (from >= 0 && from < FM_MT_MAX && to >= 0 && to < FM_MT_MAX)
			fm_cnt_add(cnt, FM_CNT_PATTERN(from, to, !e->extfrag.change_ownership), 1);
		if (e->extfrag.fallback_order < pageblock_order)
			fm_cnt_add(cnt, FM_CNT_FRAGMENTING, 1);
	} else if (kind == FM_KIND_MIGRATE) {
		fm_cnt_add(cnt, FM_CNT_MIGRATE_OK, e->migrate.succeeded);
		fm_cnt_add(cnt, FM_CNT_MIGRATE_FAIL, e->migrate.failed);
	}
}

#endif
