// SPDX-License-Identifier: GPL-2.0
#include "pidfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_pid(int fd)
{
	char buf[32] = {0};
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	return n > 0 ? atoi(buf) : 0;
}

int fm_pidfile_acquire(const char *path, int *holder, char *err, size_t errlen)
{
	for (int tries = 0; tries < 5; tries++) {
		struct stat fst, pst;
		char buf[32];
		int fd, old, n;

		fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0) {
			snprintf(err, errlen, "cannot open pidfile %s: %s%s", path, strerror(errno),
				 errno == ELOOP ? " (it is a symlink: refusing)" : "");
			return -1;
		}
		if (fstat(fd, &fst) || !S_ISREG(fst.st_mode)) {
			snprintf(err, errlen, "pidfile %s is not a regular file: refusing", path);
			close(fd);
			return -1;
		}
		if (flock(fd, LOCK_EX | LOCK_NB)) {
			*holder = read_pid(fd);
			close(fd);
			return -2;
		}
		/* the file may have been unlinked by an exiting holder meanwhile */
		if (stat(path, &pst) || pst.st_ino != fst.st_ino || pst.st_dev != fst.st_dev) {
			close(fd);
			continue;
		}
		old = read_pid(fd);
		if (old > 0 && old != getpid())
			fprintf(stderr, "fragmon-agent: recovered stale pidfile %s (pid %d)\n",
				path, old);
		n = snprintf(buf, sizeof(buf), "%d\n", getpid());
		if (ftruncate(fd, 0) || pwrite(fd, buf, (size_t)n, 0) != n) {
			snprintf(err, errlen, "cannot write pidfile %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		return fd;
	}
	snprintf(err, errlen, "pidfile %s keeps changing", path);
	return -1;
}

void fm_pidfile_release(const char *path, int fd)
{
	if (fd < 0)
		return;
	unlink(path);
	close(fd);
}
