// SPDX-License-Identifier: GPL-2.0
/*
 * common/severity.c: every FROM -> TO of the migratetype kinds gets one of the
 * table's kinds (glyph, colour and legend together), worst first, and the
 * legacy rules' order (first match wins).
 */
#include <string.h>

#include "migratetype.h"
#include "severity.h"
#include "unit.h"

static void test_severity_table(void)
{
	static const char *const mt[] = {"UNMOVABLE", "MOVABLE", "RECLAIMABLE", "HIGHATOMIC",
					 "CMA",	      "ISOLATE", "PCPTYPES",	""};
	int used[FM_SEV_KINDS] = {0};

	for (int k = 1; k < FM_SEV_KINDS; k++)
		UT_CHECK(fm_severity_kinds[k].score2 > fm_severity_kinds[k - 1].score2,
			 "kinds worst first: %d", k);
	for (size_t f = 0; f < sizeof(mt) / sizeof(mt[0]); f++)
		for (size_t t = 0; t < sizeof(mt) / sizeof(mt[0]); t++) {
			struct fm_severity s = fm_severity_of(mt[f], mt[t]);
			int k;

			for (k = 0; k < FM_SEV_KINDS; k++)
				if (s.score2 == fm_severity_kinds[k].score2 &&
				    !strcmp(s.marker, fm_severity_kinds[k].marker) &&
				    s.rgb == fm_severity_kinds[k].rgb &&
				    !strcmp(s.legend, fm_severity_kinds[k].legend))
					break;
			UT_CHECK(k < FM_SEV_KINDS, "%s->%s: not a kind of the table", mt[f], mt[t]);
			if (k < FM_SEV_KINDS)
				used[k]++;
		}
	for (int k = 0; k < FM_SEV_KINDS; k++)
		UT_CHECK(used[k], "kind %s never given", fm_severity_kinds[k].marker);
	/* the rules in order: to UNMOVABLE beats from UNMOVABLE */
	UT_EQ_STR(fm_severity_of("UNMOVABLE", "UNMOVABLE").marker, "!!", "U->U");
	UT_EQ_STR(fm_severity_of("UNMOVABLE", "RECLAIMABLE").marker, "+", "U->R");
	UT_EQ_STR(fm_severity_of("MOVABLE", "RECLAIMABLE").marker, "!", "M->R");
	UT_EQ_STR(fm_severity_of("HIGHATOMIC", "RECLAIMABLE").marker, "-", "H->R");
	UT_EQ_STR(fm_severity_of("MOVABLE", "HIGHATOMIC").marker, "=", "M->H");
	UT_CHECK(fm_severity_is_bad(fm_severity_of("HIGHATOMIC", "RECLAIMABLE")),
		 "to RECLAIMABLE is counted bad");
}

const struct ut_test ut_severity_tests[] = {
    {"severity: every pattern is one kind of the table, the rules in order", test_severity_table},
    {NULL, NULL},
};
