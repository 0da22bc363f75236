// SPDX-License-Identifier: GPL-2.0
#include "kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"

static int parse_ull(const char **p, const char *end, unsigned long long *v)
{
	const char *s = *p;

	*v = 0;
	if (s >= end || *s < '0' || *s > '9')
		return -1;
	for (; s < end && *s >= '0' && *s <= '9'; s++)
		*v = *v * 10 + (unsigned long long)(*s - '0');
	*p = s;
	return 0;
}

int fm_kmsg_parse(const char *buf, size_t n, struct fm_kmsg_rec *r)
{
	const char *p = buf, *end = buf + n, *semi = memchr(buf, ';', n), *nl;
	unsigned long long prio;

	if (!semi || parse_ull(&p, semi, &prio) || p >= semi || *p++ != ',' ||
	    parse_ull(&p, semi, &r->seq) || p >= semi || *p++ != ',' ||
	    parse_ull(&p, semi, &r->ts_us) || p >= semi || *p != ',')
		return -1;
	r->prio = (int)(prio & 0xffff);
	r->msg = semi + 1;
	nl = memchr(r->msg, '\n', (size_t)(end - r->msg));
	r->len = (size_t)((nl ? nl : end) - r->msg);
	return 0;
}

static bool is_sync(const struct fm_kmsg_rec *r)
{
	return r->len == strlen(FM_KMSG_SYNC_LINE) && !memcmp(r->msg, FM_KMSG_SYNC_LINE, r->len);
}

/*
 * The printk clock is local_clock(): on x86 the TSC, on arm64 the arch
 * timer, neither CLOCK_MONOTONIC (on this kind of machine they differ by
 * milliseconds).  Write a line, note CLOCK_MONOTONIC before and after, find
 * the line's record on a second descriptor: the offset is known to within
 * half that window.  Without it (the write refused) the clocks are taken as
 * equal, which they are to within a few ms on the kernels measured.
 */
static void measure_offset(struct fm_kmsg *k, const char *path)
{
	int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	struct fm_kmsg_rec r;
	__u64 before, after;

	k->offset_ns = 0;
	k->sync_err_ns = -1;
	if (fd < 0)
		return;
	if (lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return;
	}
	before = fm_mono_ns();
	if (write(fd, FM_KMSG_SYNC_LINE "\n", strlen(FM_KMSG_SYNC_LINE) + 1) < 0) {
		close(fd);
		return;
	}
	after = fm_mono_ns();
	for (int i = 0; i < 10000; i++) {
		ssize_t n = read(fd, k->buf, sizeof(k->buf));

		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		if (!fm_kmsg_parse(k->buf, (size_t)n, &r) && is_sync(&r)) {
			k->offset_ns =
			    (long long)(before / 2 + after / 2) - (long long)r.ts_us * 1000;
			k->sync_err_ns =
			    (long long)(after - before) / 2 + 1000; /* + 1 us resolution */
			break;
		}
	}
	close(fd);
}

int fm_kmsg_open(struct fm_kmsg *k, const char *path)
{
	k->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	k->have_seq = false;
	k->lines_read = k->lines_lost = 0;
	k->why[0] = '\0';
	if (k->fd < 0) {
		snprintf(k->why, sizeof(k->why), "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	/* only what is logged from now on */
	if (lseek(k->fd, 0, SEEK_END) < 0) {
		snprintf(k->why, sizeof(k->why), "cannot seek to the end of %s: %s", path,
			 strerror(errno));
		close(k->fd);
		k->fd = -1;
		return -1;
	}
	measure_offset(k, path);
	return 0;
}

int fm_kmsg_poll(struct fm_kmsg *k, int max, fm_kmsg_fn fn, void *ctx)
{
	int got = 0;

	while (k->fd >= 0 && got < max) {
		ssize_t n = read(k->fd, k->buf, sizeof(k->buf));
		struct fm_kmsg_rec r;

		if (n < 0) {
			/* EPIPE: the next record was overwritten; the sequence gap counts it */
			if (errno == EPIPE || errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			snprintf(k->why, sizeof(k->why), "reading /dev/kmsg failed: %s",
				 strerror(errno));
			fm_kmsg_close(k);
			return -1;
		}
		if (!n)
			break;
		got++;
		if (fm_kmsg_parse(k->buf, (size_t)n, &r))
			continue;
		if (k->have_seq && r.seq > k->next_seq)
			k->lines_lost += r.seq - k->next_seq;
		k->have_seq = true;
		k->next_seq = r.seq + 1;
		if (is_sync(&r))
			continue;
		k->lines_read++;
		fn(ctx, &r, (__u64)((long long)r.ts_us * 1000 + k->offset_ns));
	}
	return got;
}

void fm_kmsg_close(struct fm_kmsg *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}
