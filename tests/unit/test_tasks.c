// SPDX-License-Identifier: GPL-2.0
/* agent/tasks.c: the per-task table and its rows per comm. */
#include <stdlib.h>

#include "tasks.h"
#include "unit.h"

static struct fm_task_key key(const char *comm, __u32 pid, int from, int to, int steal, int frag)
{
	struct fm_task_key k;

	memset(&k, 0, sizeof(k));
	snprintf(k.comm, sizeof(k.comm), "%s", comm);
	k.pid = pid;
	k.from = (__u8)from;
	k.to = (__u8)to;
	k.steal = (__u8)steal;
	k.fragmenting = (__u8)frag;
	return k;
}

static void tasks_rows_per_comm(void)
{
	struct fm_tasks t = {0};
	struct fm_task_row *r;
	struct fm_task_key k;
	long n;

	/* fio: pid 10 has 5 events, pid 11 has 7; MOVABLE(1)->UNMOVABLE(0) */
	k = key("fio", 10, 1, 0, 1, 0);
	fm_tasks_add(&t, &k, 3);
	k = key("fio", 10, 1, 0, 0, 1);
	fm_tasks_add(&t, &k, 2);
	k = key("fio", 11, 2, 0, 1, 1);
	fm_tasks_add(&t, &k, 7);
	/* the same key again adds up */
	k = key("kworker/u8:1", 99, 1, 2, 0, 0);
	fm_tasks_add(&t, &k, 1);
	fm_tasks_add(&t, &k, 1);
	/* a migratetype out of range: fragmenting, no pattern, no steal/claim */
	k = key("kworker/u8:1", 99, FM_TASK_MT_NONE, FM_TASK_MT_NONE, 1, 1);
	fm_tasks_add(&t, &k, 4);
	/* a full 15-byte comm */
	k = key("abcdefghijklmno", 5, 0, 1, 1, 0);
	fm_tasks_add(&t, &k, 2);
	UT_EQ_LL(t.used, 6, "distinct keys");
	n = fm_tasks_rows(&t, &r);
	UT_EQ_LL(n, 3, "rows: one per comm");
	if (n == 3) {
		UT_EQ_STR(r[0].comm, "fio", "most first");
		UT_EQ_LL(r[0].steal, 10, "fio steal");
		UT_EQ_LL(r[0].claim, 2, "fio claim");
		UT_EQ_LL(r[0].fragmenting, 9, "fio fragmenting");
		UT_EQ_LL(r[0].pids, 2, "fio pids");
		UT_EQ_LL(r[0].pid, 11, "the pid with the most");
		UT_EQ_LL(r[0].pat[(1 * FM_MT_MAX + 0) * 2 + 1], 3, "MOVABLE->UNMOVABLE steal");
		UT_EQ_LL(r[0].pat[(1 * FM_MT_MAX + 0) * 2 + 0], 2, "MOVABLE->UNMOVABLE claim");
		UT_EQ_LL(r[0].pat[(2 * FM_MT_MAX + 0) * 2 + 1], 7, "RECLAIMABLE->UNMOVABLE steal");
		/* equal counts (2 each): fragmenting decides, then the name */
		UT_EQ_STR(r[1].comm, "kworker/u8:1", "second");
		UT_EQ_LL(r[1].claim, 2, "kworker claim");
		UT_EQ_LL(r[1].steal, 0, "no pattern: not a steal");
		UT_EQ_LL(r[1].fragmenting, 4, "but fragmenting");
		UT_EQ_LL(r[1].pid, 99, "one pid");
		UT_EQ_LL(r[1].pids, 1, "one pid");
		UT_EQ_STR(r[2].comm, "abcdefghijklmno", "15-byte comm kept whole");
	}
	free(r);
	fm_tasks_free(&t);
}

static void tasks_bounded(void)
{
	struct fm_tasks t = {0};
	struct fm_task_row *r;
	unsigned long long added = 0;
	long n;

	/* more keys than the table takes: the rest is counted in overflow */
	for (__u32 pid = 1; pid <= FM_TASKS_MAX_ENTRIES + 100; pid++) {
		struct fm_task_key k = key(pid % 2 ? "odd" : "even", pid, 1, 0, 1, 0);

		fm_tasks_add(&t, &k, 1);
		added++;
	}
	UT_EQ_LL(t.used, FM_TASKS_MAX_ENTRIES, "entries capped");
	UT_EQ_LL(t.overflow, 100, "the rest overflows");
	/* a key it holds still counts */
	struct fm_task_key k1 = key("odd", 1, 1, 0, 1, 0);
	UT_EQ_LL(fm_tasks_add(&t, &k1, 5), 0, "known key after the cap");
	n = fm_tasks_rows(&t, &r);
	UT_EQ_LL(n, 2, "two comms");
	if (n == 2) {
		UT_EQ_LL(r[0].steal + r[1].steal + t.overflow, added + 5, "nothing lost");
		UT_EQ_STR(r[0].comm, "odd", "odd has the extra 5");
		UT_EQ_LL(r[0].pid, 1, "pid 1 has the most");
	}
	free(r);
	fm_tasks_free(&t);
	n = fm_tasks_rows(&t, &r);
	UT_EQ_LL(n, 0, "an empty table has no rows");
	free(r);
}

const struct ut_test ut_tasks_tests[] = {
    {"tasks: rows per comm, pid with the most, patterns, order", tasks_rows_per_comm},
    {"tasks: the table is bounded; overflow counted, known keys still count", tasks_bounded},
    {NULL, NULL},
};
