/* SPDX-License-Identifier: GPL-2.0 */
/*
 * extfrag events per task (comm, pid) x pattern x steal/claim: an open
 * addressing table of struct fm_task_key -> count, bounded (what does not
 * fit is counted in overflow), and its rows per comm for the JSON.
 */
#ifndef FRAGMON_TASKS_H
#define FRAGMON_TASKS_H

#include <stddef.h>
#include <linux/types.h>
#include "fragmon.h"

#define FM_TASKS_MAX_ENTRIES (1u << 16)
#define FM_TASKS_TOP 64 /* rows written; the rest is one "(other)" row */

struct fm_task_count {
	struct fm_task_key k;
	__u64 n; /* 0: free slot */
};

struct fm_tasks {
	struct fm_task_count *slot;
	size_t cap, used;
	unsigned long long overflow; /* events not stored: the table was full */
};

/* n events more for key k; -1 (counted in overflow) when the table is full */
int fm_tasks_add(struct fm_tasks *t, const struct fm_task_key *k, __u64 n);
void fm_tasks_free(struct fm_tasks *t);

/* One comm: its counts, the pid with the most events, how many pids. */
struct fm_task_row {
	char comm[FM_COMM_LEN + 1];
	__u32 pid, pids;
	__u64 steal, claim, fragmenting;
	__u64 pat[FM_MT_MAX * FM_MT_MAX * 2]; /* [(from * FM_MT_MAX + to) * 2 + steal] */
};

/*
 * The rows of t, by steal + claim descending (then fragmenting, comm): a
 * new array in *rows (free() it).  Returns the number of rows, -1 if out of
 * memory.  steal and claim count events with a pattern (both migratetypes
 * in range), as the totals do; fragmenting counts every event.
 */
long fm_tasks_rows(const struct fm_tasks *t, struct fm_task_row **rows);

#endif
