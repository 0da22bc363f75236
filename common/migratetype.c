// SPDX-License-Identifier: GPL-2.0
#include "migratetype.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* in the common x86-64 enum order, which is also the default table */
static const char *const kind_names[] = {
    [FM_MT_UNMOVABLE] = "UNMOVABLE",
    [FM_MT_MOVABLE] = "MOVABLE",
    [FM_MT_RECLAIMABLE] = "RECLAIMABLE",
    [FM_MT_HIGHATOMIC] = "HIGHATOMIC",
    [FM_MT_CMA] = "CMA",
    [FM_MT_ISOLATE] = "ISOLATE",
    [FM_MT_OTHER] = "other",
};

const char *fm_mt_default_name(int id)
{
	return id >= 0 && id < FM_MT_OTHER ? kind_names[id] : NULL;
}

const char *fm_mt_kind_name(enum fm_mt_kind kind)
{
	return (int)kind >= 0 && kind <= FM_MT_OTHER ? kind_names[kind] : "?";
}

void fm_mt_canonical(const char *label, char *out, size_t outlen)
{
	size_t i;

	if (!outlen)
		return;
	if (!strncmp(label, "MIGRATE_", 8))
		label += 8;
	for (i = 0; label[i] && i + 1 < outlen; i++)
		out[i] = (char)toupper((unsigned char)label[i]);
	out[i] = '\0';
	if (!strcmp(out, "PCPTYPES"))
		snprintf(out, outlen, "%s", "HIGHATOMIC");
}

enum fm_mt_kind fm_mt_kind_of(const char *canonical)
{
	for (int k = 0; k < FM_MT_OTHER; k++)
		if (!strcmp(canonical, kind_names[k]))
			return (enum fm_mt_kind)k;
	return FM_MT_OTHER;
}
