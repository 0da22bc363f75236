// SPDX-License-Identifier: GPL-2.0
#include "png_out.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pm_write_atomic(const char *path, const void *buf, size_t len, char *err, size_t cap)
{
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	const char *p = buf;
	int fd;

	if (!tmp) {
		snprintf(err, cap, "out of memory");
		return -1;
	}
	snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, cap, "cannot create %s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		p += n;
		len -= (size_t)n;
	}
	if (fchmod(fd, 0644) || fsync(fd))
		goto fail;
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path))
		goto fail;
	free(tmp);
	return 0;
fail:
	snprintf(err, cap, "cannot write: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

int pm_png_write(gdImagePtr im, const char *path, char *err, size_t cap)
{
	int size = 0, ret;
	void *png = gdImagePngPtrEx(im, &size, 3);

	if (!png) {
		snprintf(err, cap, "PNG encoding failed");
		return -1;
	}
	ret = pm_write_atomic(path, png, (size_t)size, err, cap);
	gdFree(png);
	return ret;
}
