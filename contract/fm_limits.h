/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The limits the BPF side, the agent and the plotter share, each defined
 * once.  Plain C (no kernel types), so that every side can include it.
 */
#ifndef FRAGMON_LIMITS_H
#define FRAGMON_LIMITS_H

#define FM_MAX_ORDERS 16 /* page orders per free area (NR_PAGE_ORDERS is 11 on most configs) */
/* counter slots per order: -1 (a whole-zone compaction run), 0 .. FM_MAX_ORDERS - 1, and
 * FM_MAX_ORDERS for anything larger; slot = order + 1 */
#define FM_ORDER_SLOTS (FM_MAX_ORDERS + 2)
#define FM_MT_MAX 8 /* migratetypes: more than any kernel has had */
#define FM_MAX_NODES 8
#define FM_MAX_ZONES 8 /* per node */
#define FM_COMM_LEN 16 /* TASK_COMM_LEN */

#endif
