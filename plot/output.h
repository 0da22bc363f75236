/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where an output goes, and how it gets there without harm (docs/plot.md,
 * "Output files"):
 *   "-"                    standard output (a PNG never to a terminal)
 *   a new path             a temporary file next to it, fsync, rename
 *   a regular file         replaced the same way (atomic)
 *   a symlink              written through: to its target (atomically when the
 *                          target is a regular file), never replaced itself;
 *                          refused when dangling, or planted by another user in
 *                          a sticky world-writable directory (/tmp)
 *   a character device or  written to directly (/dev/null, /dev/stdout, a pipe)
 *   FIFO
 *   anything else          refused (directory, block device, socket)
 * pm_out_check() decides before any input is read, so that a refused
 * destination costs nothing; nothing is left half-written under the name.
 */
#ifndef FRAGMON_PLOT_OUTPUT_H
#define FRAGMON_PLOT_OUTPUT_H

#include <stddef.h>
#include <sys/types.h>

enum pm_out_kind { PM_OUT_PNG, PM_OUT_JSON, PM_OUT_FOLDED };

struct pm_out {
	int fd;
	int direct;   /* written in place: stdout, a device, a FIFO */
	char *tmp;    /* the temporary file (atomic replace) */
	char *target; /* the name renamed onto */
};

/* 0: usable; else an exit status (2: refused) with the reason in err */
int pm_out_check(const char *path, enum pm_out_kind kind, char *err, size_t cap);
/* the same file as an input (never overwrite the data being plotted) */
int pm_out_same_file(const char *out, const char *in);
/* 0 ok; -1 with err (cannot create or open: a runtime failure) */
int pm_out_open(struct pm_out *o, const char *path, char *err, size_t cap);
int pm_out_write(struct pm_out *o, const void *buf, size_t len, char *err, size_t cap);
/* fsync and rename (or just flush a direct output); -1 with err, nothing left */
int pm_out_commit(struct pm_out *o, char *err, size_t cap);
void pm_out_abort(struct pm_out *o);
/* the --results-dir output directory: created when missing; 0 or an exit
 * status with the message printed */
int pm_out_check_dir(const char *path);
/* open, write, commit */
int pm_write_file(const char *path, const void *buf, size_t len, char *err, size_t cap);

#endif
