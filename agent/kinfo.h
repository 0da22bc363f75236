/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the running kernel has: tracefs, its tracepoints, the names of the
 * values the events carry (migratetypes, compaction results, migration
 * modes and reasons), and where its BTF comes from.
 */
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
	const char *source; /* "tracefs", "btf", "pagetypeinfo", "default" */
};

struct fm_mem_snapshot;

struct fm_kinfo {
	struct fm_enum migratetype;    /* "UNMOVABLE", ... */
	struct fm_enum compact_result; /* "success", ... */
	struct fm_enum migrate_reason; /* "compaction", ... */
	struct fm_enum migrate_mode;   /* "async", ... */
	char tracefs[64];	       /* "" when neither tracefs nor debugfs is mounted */
	const char *btf_source;	       /* "kernel", "file", "none"; NULL before fm_kinfo_load */
	char btf_why[256];	       /* why there is none */
};

/*
 * The value names the kernel itself prints in the formats of
 * compaction:mm_compaction_end and migrate:mm_migrate_pages (tracefs):
 * cheap, done before BPF is loaded; the BPF side needs the compact_result
 * values.
 */
void fm_kinfo_from_tracefs(struct fm_kinfo *k);

/*
 * The rest: migratetype names from BTF (btf_path, else the kernel's), else
 * in /proc/pagetypeinfo's order (snap), else a default; enums tracefs did
 * not give from BTF, else defaults.
 */
void fm_kinfo_load(struct fm_kinfo *k, const char *btf_path, const struct fm_mem_snapshot *snap);

/* value of name in e, or dflt */
int fm_enum_value(const struct fm_enum *e, const char *name, int dflt);

/* Locate tracefs, mounting it on /sys/kernel/tracing when absent. */
const char *fm_tracefs(struct fm_kinfo *k);

/* Does tracepoint category:name exist on this kernel? */
bool fm_tracepoint_exists(struct fm_kinfo *k, const char *category, const char *name);

/* name for value v, or a decimal string in buf */
const char *fm_enum_name(const struct fm_enum *e, int v, char *buf, size_t buflen);

#endif
