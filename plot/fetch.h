/* SPDX-License-Identifier: GPL-2.0 */
/* http:// and https:// input through libcurl, streamed to a callback. */
#ifndef FRAGMON_PLOT_FETCH_H
#define FRAGMON_PLOT_FETCH_H

#include <stddef.h>

struct pm_fetch_opts {
	long connect_timeout_s;
	long timeout_s;
	unsigned long long max_bytes;
	long max_redirs;
};

/* returns 0 on success, -1 when sink returned nonzero, -2 fetch failure (err set) */
typedef int (*pm_sink)(void *arg, const void *buf, size_t len);
int pm_fetch_url(const char *url, const struct pm_fetch_opts *o, pm_sink sink, void *arg, char *err,
		 size_t errcap);
int pm_is_url(const char *s);

#endif
