/* SPDX-License-Identifier: GPL-2.0 */
/* The tracepoints fragmon knows, the BPF program for each, and its modes. */
#ifndef FRAGMON_TRACEPOINTS_H
#define FRAGMON_TRACEPOINTS_H

#include "config.h"

#define FM_MODE_BIT(m) (1u << (m))

struct fm_tracepoint {
	const char *category;
	const char *alt_category[3]; /* NULL-terminated other places it may live */
	const char *name;
	const char *prog; /* BPF program (function) name */
	unsigned int modes;
	bool out_of_tree;
};

extern const struct fm_tracepoint fm_tracepoints[];
extern const int fm_ntracepoints;

#endif
