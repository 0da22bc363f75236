/* SPDX-License-Identifier: GPL-2.0 */
/* What the running kernel has: enum names from BTF, tracefs, tracepoints. */
#ifndef FRAGMON_KINFO_H
#define FRAGMON_KINFO_H

#include <stdbool.h>
#include <stdio.h>
#include "migratetype.h"

#define FM_ENUM_MAX 16
#define FM_ENUM_NAME_LEN 32

struct fm_enum {
	int n; /* names[v] for 0 <= v < n; "" where unknown */
	char names[FM_ENUM_MAX][FM_ENUM_NAME_LEN];
};

struct fm_kinfo {
	bool have_btf;
	struct fm_enum migratetype;    /* "UNMOVABLE", ... */
	struct fm_enum compact_result; /* "success", ... */
	struct fm_enum migrate_reason; /* "compaction", ... */
	struct fm_enum migrate_mode;   /* "async", ... */
	char tracefs[64];	       /* "" when neither tracefs nor debugfs is mounted */
};

/* Load enum names from vmlinux BTF (defaults where BTF lacks them). */
void fm_kinfo_load(struct fm_kinfo *k);

/* Locate tracefs, mounting it on /sys/kernel/tracing when absent. */
const char *fm_tracefs(struct fm_kinfo *k);

/* Does tracepoint category:name exist on this kernel? */
bool fm_tracepoint_exists(struct fm_kinfo *k, const char *category, const char *name);

/* name for value v, or a decimal string in buf */
const char *fm_enum_name(const struct fm_enum *e, int v, char *buf, size_t buflen);

/* `fragmon-agent --probe`: JSON on out; returns 0 when the agent can run. */
int fm_probe(FILE *out);

#endif
