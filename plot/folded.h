/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --folded FILE: the fallbacks' kernel call paths in the folded-stack format
 * that flamegraph.pl, inferno and speedscope read: one line per distinct
 * path, its frames outermost first joined by ';', a space, the fallbacks
 * (steal + claim).  With two runs (A/B), two counts per line, A then B:
 * flamegraph.pl's differential input (difffolded.pl's output).  Fallbacks
 * whose stack was not stored are lines of their own, "[stack map full]" and
 * "[stack failed]", so that the counts add up to the extfrag total.  Lines
 * are sorted; the file is written atomically (plot/output.h).
 */
#ifndef FRAGMON_PLOT_FOLDED_H
#define FRAGMON_PLOT_FOLDED_H

#include <stddef.h>

#include "origin.h"

/* the text (malloc'd, *len bytes); b NULL for one run; 0 ok, -1 out of memory */
int po_folded_text(const struct po_origin *a, const struct po_origin *b, char **out, size_t *len);
/* write it to path; 0 ok, -1 with err */
int po_folded_write(const char *path, const struct po_origin *a, const struct po_origin *b,
		    char *err, size_t cap);

#endif
