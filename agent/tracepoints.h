/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tracepoints fragmon knows, in enum fm_tp_id order: where each lives,
 * its BPF program, its modes, and the record fields its handler reads.
 */
#ifndef FRAGMON_TRACEPOINTS_H
#define FRAGMON_TRACEPOINTS_H

#include "config.h"
#include "fragmon.h"

#define FM_MODE_BIT(m) (1u << (m))

struct fm_tracepoint {
	const char *category;
	const char *alt_category[3]; /* NULL-terminated other places it may live */
	const char *name;
	unsigned int modes;
	bool out_of_tree;
	/*
	 * Record field per FMF_* slot: "name", "name|older_name", or
	 * "?name" when the handler can do without it.
	 */
	const char *fields[FM_TP_FIELDS];
};

extern const struct fm_tracepoint fm_tracepoints[FM_NTP];
extern const int fm_ntracepoints;

#endif
