/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pidfile is also the single-instance lock: flock() on it is held for
 * the agent's life, so a stale file (its holder died) is recovered and two
 * agents started at once cannot both run.  Created O_NOFOLLOW: a symlink
 * planted at its path is refused.
 */
#ifndef FRAGMON_PIDFILE_H
#define FRAGMON_PIDFILE_H

#include <stddef.h>

/* Returns an fd (>= 0); -1 with err set on failure; -2 if a live agent holds
 * it (its pid, when known, in *holder). */
int fm_pidfile_acquire(const char *path, int *holder, char *err, size_t errlen);
void fm_pidfile_release(const char *path, int fd);

#endif
