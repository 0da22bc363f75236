/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Severity of a migratetype fallback FROM -> TO (extfrag: migrate_from is
 * the fallback migratetype whose block was used, migrate_to the allocation's
 * migratetype).  The legacy visualizer's rules, first match wins:
 *   to UNMOVABLE           -2   "!!"  #8b0000
 *   from UNMOVABLE         +1   "+"   #51cf66
 *   to MOVABLE             +1   "+"   #51cf66
 *   MOVABLE -> RECLAIMABLE -1   "!"   #ff6b6b
 *   to RECLAIMABLE         -0.5 "-"   #ffa94d  (counted as bad: its own glyph,
 *                                                not the neutral "=")
 *   anything else           0   "="   #ffd43b
 * Bad = score < 0, good = score > 0.  Scores are kept in halves (x2) so
 * they are integers.  fm_severity_kinds is the one table of the kinds:
 * legends are made from it, so a glyph always means what the legend says.
 */
#ifndef FRAGMON_SEVERITY_H
#define FRAGMON_SEVERITY_H

struct fm_severity {
	int score2;	    /* severity x 2: -4, -2, -1, 0, +2 */
	const char *marker; /* "!!", "!", "-", "=", "+" */
	unsigned int rgb;   /* 0xRRGGBB */
	const char *legend; /* what a legend says of the kind */
};

#define FM_SEV_KINDS 5
/* worst first */
extern const struct fm_severity fm_severity_kinds[FM_SEV_KINDS];

/* from and to are canonical migratetype names (see migratetype.h). */
struct fm_severity fm_severity_of(const char *from, const char *to);

static inline int fm_severity_is_bad(struct fm_severity s)
{
	return s.score2 < 0;
}

static inline int fm_severity_is_good(struct fm_severity s)
{
	return s.score2 > 0;
}

#endif
