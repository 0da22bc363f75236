/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Migratetype names.  The kernel's enum migratetype differs with
 * CONFIG_CMA and CONFIG_MEMORY_ISOLATION, so the agent resolves names at run
 * time (BTF, else /proc/pagetypeinfo) and writes names, never numbers.  The
 * canonical spelling is the kernel enumerator without "MIGRATE_".
 */
#ifndef FRAGMON_MIGRATETYPE_H
#define FRAGMON_MIGRATETYPE_H

#include <stddef.h>

#include "fm_limits.h" /* FM_MT_MAX */
#define FM_MT_NAME_LEN 16

enum fm_mt_kind {
	FM_MT_UNMOVABLE,
	FM_MT_MOVABLE,
	FM_MT_RECLAIMABLE,
	FM_MT_HIGHATOMIC,
	FM_MT_CMA,
	FM_MT_ISOLATE,
	FM_MT_OTHER,
};

/* Name used when no run-time table is known: the common x86-64 layout
 * (UNMOVABLE, MOVABLE, RECLAIMABLE, HIGHATOMIC, CMA, ISOLATE). */
const char *fm_mt_default_name(int id);

/*
 * Canonical name for a label found in a file: accepts kernel names,
 * /proc/pagetypeinfo spellings ("HighAtomic") and the legacy tracker's
 * labels.  The legacy tracker wrote "PCPTYPES" for 3, which is HIGHATOMIC in
 * the kernel enum; that is mapped to HIGHATOMIC.  Returns "" for "" and the
 * upper-cased input for anything unknown.  out must hold FM_MT_NAME_LEN.
 */
void fm_mt_canonical(const char *label, char *out, size_t outlen);

/* The canonical name of a kind ("other" for FM_MT_OTHER, "?" out of range). */
const char *fm_mt_kind_name(enum fm_mt_kind kind);

/* Kind of a canonical name (FM_MT_OTHER when unknown). */
enum fm_mt_kind fm_mt_kind_of(const char *canonical);

#endif
