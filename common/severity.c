// SPDX-License-Identifier: GPL-2.0
#include "severity.h"
#include "migratetype.h"

struct fm_severity fm_severity_of(const char *from, const char *to)
{
	enum fm_mt_kind f = fm_mt_kind_of(from), t = fm_mt_kind_of(to);

	if (t == FM_MT_UNMOVABLE)
		return (struct fm_severity){-4, "!!", 0x8b0000};
	if (f == FM_MT_UNMOVABLE)
		return (struct fm_severity){2, "+", 0x51cf66};
	if (t == FM_MT_MOVABLE)
		return (struct fm_severity){2, "+", 0x51cf66};
	if (f == FM_MT_MOVABLE && t == FM_MT_RECLAIMABLE)
		return (struct fm_severity){-2, "!", 0xff6b6b};
	if (t == FM_MT_RECLAIMABLE)
		return (struct fm_severity){-1, "=", 0xffd43b};
	return (struct fm_severity){0, "=", 0xffd43b};
}
