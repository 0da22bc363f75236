/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel log (/dev/kmsg), read from the agent's start on: one record per
 * read(2), non-blocking, at most a bounded number per poll.  A record is
 * "PRIO,SEQ,TS_US,FLAGS[,...];MESSAGE\n" followed by " KEY=VALUE" lines;
 * TS_US is the printk clock (local_clock(), microseconds), which is not
 * CLOCK_MONOTONIC: the offset between the two is measured at open with a
 * line the agent writes itself.
 */
#ifndef FRAGMON_KMSG_H
#define FRAGMON_KMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define FM_KMSG_RECORD_MAX 8192 /* the kernel's CONSOLE_EXT_LOG_MAX */
#define FM_KMSG_SYNC_LINE "fragmon-agent: reading test and phase markers from here"

struct fm_kmsg_rec {
	int prio;
	unsigned long long seq;
	unsigned long long ts_us; /* printk clock */
	const char *msg;	  /* the message, not NUL-terminated */
	size_t len;
};

/* Parse one record as read(2) returned it.  0, or -1 if it is not one. */
int fm_kmsg_parse(const char *buf, size_t n, struct fm_kmsg_rec *r);

struct fm_kmsg {
	int fd;	       /* -1: not reading */
	char why[192]; /* why not ("" while reading) */
	bool have_seq;
	unsigned long long next_seq;
	unsigned long long lines_read, lines_lost;
	long long offset_ns;   /* CLOCK_MONOTONIC - printk clock */
	long long sync_err_ns; /* half the window the offset was measured in; -1: not measured */
	char buf[FM_KMSG_RECORD_MAX];
};

typedef void (*fm_kmsg_fn)(void *ctx, const struct fm_kmsg_rec *r, __u64 mono_ns);

/*
 * Open path (/dev/kmsg) at its end and measure the clock offset.  Returns 0,
 * or -1 with k->why set (no such device, not readable): k->fd is then -1.
 */
int fm_kmsg_open(struct fm_kmsg *k, const char *path);
/*
 * Hand at most max new records to fn (the agent's own sync line excluded),
 * their time on CLOCK_MONOTONIC.  Records the kernel overwrote before they
 * were read are counted in lines_lost.  Returns the records read, or -1 on
 * a read error (k->why set, reading stops).
 */
int fm_kmsg_poll(struct fm_kmsg *k, int max, fm_kmsg_fn fn, void *ctx);
void fm_kmsg_close(struct fm_kmsg *k);

#endif
