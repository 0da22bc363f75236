// SPDX-License-Identifier: GPL-2.0
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gunzip.h"
#include "reader.h"

#define CHUNK (1 << 20)

static int sink(void *arg, const void *buf, size_t len)
{
	return pm_gunzip_feed(arg, buf, len) < 0;
}

int pm_load(const char *src, struct pm_run *r, const struct pm_fetch_opts *fo, char *err,
	    size_t errcap, unsigned long long *bytes)
{
	struct pm_reader *rd = pm_reader_new(r);
	struct pm_gunzip *gz = rd ? pm_gunzip_new(rd) : NULL;
	int ret = 0;

	if (!gz) {
		snprintf(err, errcap, "out of memory");
		pm_reader_free(rd);
		return 1;
	}
	if (pm_is_url(src)) {
		char ferr[512];
		int rc = pm_fetch_url(src, fo, sink, gz, ferr, sizeof(ferr));

		if (rc == -1) {
			snprintf(err, errcap, "%s", pm_gunzip_error(gz));
			ret = 2;
		} else if (rc) {
			snprintf(err, errcap, "cannot fetch: %s", ferr);
			ret = 1;
		}
	} else {
		/* "-" is standard input: zcat run.json.gz | fragmon-plot - */
		int fd = strcmp(src, "-") ? open(src, O_RDONLY | O_CLOEXEC) : dup(0);
		char *buf = NULL;
		ssize_t n;

		if (fd < 0) {
			int e = errno;

			snprintf(err, errcap, "cannot open: %s", strerror(e));
			pm_gunzip_free(gz);
			pm_reader_free(rd);
			errno = e;
			return errno == ENOENT || errno == EISDIR ? 2 : 1;
		}
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
		buf = malloc(CHUNK);
		if (!buf) {
			snprintf(err, errcap, "out of memory");
			ret = 1;
		}
		while (!ret && (n = read(fd, buf, CHUNK)) != 0) {
			if (n < 0) {
				if (errno == EINTR)
					continue;
				snprintf(err, errcap, "read error: %s", strerror(errno));
				/* a directory given as a run is a usage error, not an I/O one */
				ret = errno == EISDIR ? 2 : 1;
			} else {
				int rc = pm_gunzip_feed(gz, buf, (size_t)n);

				if (rc < 0) {
					snprintf(err, errcap, "%s", pm_gunzip_error(gz));
					ret = 2;
				} else if (rc > 0) {
					break; /* torn write: plot what came before */
				}
			}
		}
		free(buf);
		close(fd);
	}
	if (!ret && pm_gunzip_finish(gz) < 0) {
		snprintf(err, errcap, "%s", pm_gunzip_error(gz));
		ret = 2;
	}
	if (!ret && pm_reader_finish(rd)) {
		snprintf(err, errcap, "%s", pm_gunzip_error(gz));
		ret = 2;
	}
	if (bytes)
		*bytes = pm_reader_bytes(rd);
	pm_gunzip_free(gz);
	pm_reader_free(rd);
	return ret;
}
