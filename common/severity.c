// SPDX-License-Identifier: GPL-2.0
#include "severity.h"
#include "migratetype.h"

/* the kinds, as drawn: one glyph, one colour, one legend text each */
const struct fm_severity fm_severity_kinds[FM_SEV_KINDS] = {
    {-4, "!!", 0x8b0000, "bad (to UNMOVABLE)"},
    {-2, "!", 0xff6b6b, "bad (MOVABLE to RECLAIMABLE)"},
    {-1, "-", 0xffa94d, "mildly bad (other to RECLAIMABLE)"},
    {0, "=", 0xffd43b, "neutral"},
    {2, "+", 0x51cf66, "good (from UNMOVABLE, or to MOVABLE)"},
};

struct fm_severity fm_severity_of(const char *from, const char *to)
{
	enum fm_mt_kind f = fm_mt_kind_of(from), t = fm_mt_kind_of(to);

	if (t == FM_MT_UNMOVABLE)
		return fm_severity_kinds[0];
	if (f == FM_MT_UNMOVABLE || t == FM_MT_MOVABLE)
		return fm_severity_kinds[4];
	if (f == FM_MT_MOVABLE && t == FM_MT_RECLAIMABLE)
		return fm_severity_kinds[1];
	if (t == FM_MT_RECLAIMABLE)
		return fm_severity_kinds[2];
	return fm_severity_kinds[3];
}
