/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test and phase markers: kernel log lines that say which test or phase of
 * a workflow runs from now on.  Patterns are POSIX extended regular
 * expressions; the first capture group is the name.  Built in:
 *   fstests   "run fstests NAME at DATE"    (fstests' check, before each test)
 *   blktests  "run blktests NAME at DATE"   (blktests' check)
 *   fragmon   "fragmon: begin|end NAME"     (a phase: any workflow, the Ansible role)
 * and more from the config ("LABEL=ERE": kind test, source LABEL).
 */
#ifndef FRAGMON_MARKER_H
#define FRAGMON_MARKER_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#define FM_MARKER_NAME_MAX 128
#define FM_MARKER_MSG_MAX 256

enum fm_marker_kind { FM_MARKER_TEST, FM_MARKER_PHASE };

struct fm_marker_pat {
	char *source; /* the label */
	regex_t re;
	enum fm_marker_kind kind;
};

struct fm_markers {
	struct fm_marker_pat *p;
	int n;
};

struct fm_marker {
	enum fm_marker_kind kind;
	bool end; /* phase end; tests are always begin */
	const char *source;
	char name[FM_MARKER_NAME_MAX];
};

/*
 * Check one "LABEL=ERE" (a config value): 0, or -1 with why.  The label is
 * [A-Za-z0-9_.-]+, not one of the built-in ones; the ERE compiles.
 */
int fm_marker_pattern_check(const char *spec, char *why, size_t whylen);

/* The built-in patterns, then the n extra "LABEL=ERE".  0, or -1 with why. */
int fm_markers_init(struct fm_markers *m, char *const *extra, int n, char *why, size_t whylen);
void fm_markers_free(struct fm_markers *m);

/* Match one log message (len bytes, not NUL-terminated); the first pattern wins. */
bool fm_markers_match(const struct fm_markers *m, const char *msg, size_t len,
		      struct fm_marker *out);

const char *fm_marker_kind_name(enum fm_marker_kind k);

#endif
