// SPDX-License-Identifier: GPL-2.0
#include "output.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXIT_REFUSED 2

static int refuse(char *err, size_t cap, const char *fmt, const char *arg)
{
	snprintf(err, cap, fmt, arg);
	return EXIT_REFUSED;
}

/* "png" of "dir/x.png"; "" when the name has no extension */
static const char *extension(const char *path)
{
	const char *base = strrchr(path, '/'), *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	return dot && dot > base ? dot + 1 : "";
}

static int ext_is(const char *ext, const char *want)
{
	return !strcasecmp(ext, want);
}

/* fd N when path names an open file of ours: /dev/fd/N, /proc/self/fd/N,
 * /proc/<our pid>/fd/N; else -1 */
static int magic_fd(const char *path)
{
	char self[32];
	const char *p = NULL;
	char *end;
	long n;

	snprintf(self, sizeof(self), "/proc/%d/fd/", (int)getpid());
	if (!strncmp(path, "/dev/fd/", 8))
		p = path + 8;
	else if (!strncmp(path, "/proc/self/fd/", 14))
		p = path + 14;
	else if (!strncmp(path, self, strlen(self)))
		p = path + strlen(self);
	if (!p || !isdigit((unsigned char)*p))
		return -1;
	errno = 0;
	n = strtol(p, &end, 10);
	return *end || errno || n > INT_MAX ? -1 : (int)n;
}

/*
 * Follow the symlinks of path one hop at a time (at most 40), as the kernel
 * would, to find a hop that is one of our open files (/dev/stdout ->
 * /proc/self/fd/1): such an output is written to that descriptor, sharing its
 * offset and O_APPEND, never renamed over.  Returns the fd or -1.
 */
static int fd_behind(const char *path)
{
	char cur[PATH_MAX], next[PATH_MAX];

	if (strlen(path) >= sizeof(cur))
		return -1;
	strcpy(cur, path);
	for (int hop = 0; hop < 40; hop++) {
		int fd = magic_fd(cur);
		ssize_t n;

		if (fd >= 0)
			return fd;
		n = readlink(cur, next, sizeof(next) - 1);
		if (n < 0)
			return -1;
		next[n] = '\0';
		if (next[0] != '/') {
			char *slash = strrchr(cur, '/');
			char joined[PATH_MAX];

			if (slash) {
				slash[1] = '\0';
				if (snprintf(joined, sizeof(joined), "%s%s", cur, next) >=
				    (int)sizeof(joined))
					return -1;
				strcpy(next, joined);
			}
		}
		strcpy(cur, next);
	}
	return -1;
}

/* a symlink planted in a sticky world-writable directory by someone else (the
 * kernel's fs.protected_symlinks rule): following it could overwrite any file
 * the caller can write */
static int untrusted_link(const char *path, const struct stat *lst)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct stat dst;

	if (lst->st_uid == geteuid())
		return 0;
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (stat(dir, &dst))
		return 1;
	return (dst.st_mode & S_ISVTX) && (dst.st_mode & S_IWOTH) && lst->st_uid != dst.st_uid;
}

int pm_out_check(const char *path, enum pm_out_kind kind, char *err, size_t cap)
{
	const char *ext = extension(path);
	struct stat lst, st;
	int fd;

	if (!*path)
		return refuse(err, cap, "%san empty output name", "");
	if (!strcmp(path, "-")) {
		if (kind == PM_OUT_PNG && isatty(1))
			return refuse(err, cap, "%swill not write a PNG to a terminal", "");
		return 0;
	}
	if (*ext && kind == PM_OUT_PNG && !ext_is(ext, "png"))
		return refuse(
		    err, cap,
		    "fragmon-plot writes PNG images only: a '.%s' file would hold PNG data "
		    "(use a .png name)",
		    ext);
	if (*ext && kind == PM_OUT_JSON && !ext_is(ext, "json"))
		return refuse(err, cap,
			      "--json writes JSON: a '.%s' file would hold JSON (use a "
			      "name ending in .json)",
			      ext);
	if (*ext && kind == PM_OUT_FOLDED &&
	    (ext_is(ext, "png") || ext_is(ext, "json") || ext_is(ext, "gz")))
		return refuse(err, cap,
			      "--folded writes folded stacks as text: a '.%s' file would hold "
			      "text (use a name such as out.folded)",
			      ext);
	if (lstat(path, &lst)) {
		if (errno == ENOENT)
			return 0; /* created; a missing directory fails at open (exit 1) */
		snprintf(err, cap, "cannot use as an output: %s", strerror(errno));
		return 1;
	}
	if (S_ISLNK(lst.st_mode)) {
		if ((fd = fd_behind(path)) >= 0) {
			int fl = fcntl(fd, F_GETFL);

			if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY)
				return refuse(err, cap,
					      "%sa symlink to a descriptor that is not open for "
					      "writing",
					      "");
			if (kind == PM_OUT_PNG && isatty(fd))
				return refuse(err, cap, "%swill not write a PNG to a terminal", "");
			return 0;
		}
		if (stat(path, &st))
			return refuse(err, cap, "a symlink to nothing (%s): refused",
				      strerror(errno));
		if (untrusted_link(path, &lst))
			return refuse(
			    err, cap,
			    "%sa symlink owned by another user in a sticky world-writable "
			    "directory: refused (it could point anywhere)",
			    "");
	} else {
		st = lst;
	}
	if (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
		if (kind == PM_OUT_PNG && S_ISCHR(st.st_mode)) {
			int tfd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
			int tty = tfd >= 0 && isatty(tfd);

			if (tfd >= 0)
				close(tfd);
			if (tty)
				return refuse(err, cap, "%swill not write a PNG to a terminal", "");
		}
		return 0;
	}
	return refuse(err, cap, "not a file fragmon-plot can write to (%s): refused",
		      S_ISDIR(st.st_mode)    ? "a directory"
		      : S_ISBLK(st.st_mode)  ? "a block device"
		      : S_ISSOCK(st.st_mode) ? "a socket"
					     : "not a regular file");
}

int pm_out_same_file(const char *out, const char *in)
{
	struct stat a, b;

	if (!strcmp(out, "-") || stat(out, &a) || stat(in, &b))
		return 0;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino && S_ISREG(a.st_mode);
}

static int open_direct(struct pm_out *o, int fd, char *err, size_t cap)
{
	o->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	o->direct = 1;
	if (o->fd < 0) {
		snprintf(err, cap, "cannot write: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int pm_out_open(struct pm_out *o, const char *path, char *err, size_t cap)
{
	struct stat st;
	const char *target = path;
	char *real = NULL;
	int fd;
	mode_t mode = 0644;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	if (!strcmp(path, "-"))
		return open_direct(o, 1, err, cap);
	if ((fd = fd_behind(path)) >= 0)
		return open_direct(o, fd, err, cap);
	if (!stat(path, &st)) {
		if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
			o->direct = 1;
			o->fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
			if (o->fd < 0) {
				snprintf(err, cap, "cannot open: %s", strerror(errno));
				return -1;
			}
			return 0;
		}
		if (S_ISREG(st.st_mode)) {
			mode = st.st_mode & 07777;
			/* through a symlink: replace its target, keep the link */
			real = realpath(path, NULL);
			if (!real) {
				snprintf(err, cap, "cannot resolve: %s", strerror(errno));
				return -1;
			}
			target = real;
		}
	}
	o->target = strdup(target);
	free(real);
	o->tmp = o->target ? malloc(strlen(o->target) + 16) : NULL;
	if (!o->tmp) {
		snprintf(err, cap, "out of memory");
		pm_out_abort(o);
		return -1;
	}
	snprintf(o->tmp, strlen(o->target) + 16, "%s.tmp.XXXXXX", o->target);
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	if (o->fd < 0) {
		snprintf(err, cap, "cannot create a file next to it: %s", strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		pm_out_abort(o);
		return -1;
	}
	if (fchmod(o->fd, mode)) {
		snprintf(err, cap, "cannot write: %s", strerror(errno));
		pm_out_abort(o);
		return -1;
	}
	return 0;
}

int pm_out_write(struct pm_out *o, const void *buf, size_t len, char *err, size_t cap)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(o->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd pfd = {o->fd, POLLOUT, 0};

			poll(&pfd, 1, -1);
			continue;
		}
		if (n <= 0) {
			snprintf(err, cap, "cannot write: %s", n ? strerror(errno) : "short write");
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int pm_out_commit(struct pm_out *o, char *err, size_t cap)
{
	int ret = 0;

	if (o->direct) {
		/* fsync means nothing to a pipe or a terminal */
		if (fsync(o->fd) && errno != EINVAL && errno != EROFS) {
			snprintf(err, cap, "cannot write: %s", strerror(errno));
			ret = -1;
		}
		if (close(o->fd) && !ret) {
			snprintf(err, cap, "cannot write: %s", strerror(errno));
			ret = -1;
		}
		o->fd = -1;
		return ret;
	}
	if (fsync(o->fd) || close(o->fd)) {
		snprintf(err, cap, "cannot write: %s", strerror(errno));
		o->fd = -1;
		pm_out_abort(o);
		return -1;
	}
	o->fd = -1;
	if (rename(o->tmp, o->target)) {
		snprintf(err, cap, "cannot write: %s", strerror(errno));
		pm_out_abort(o);
		return -1;
	}
	free(o->tmp);
	free(o->target);
	o->tmp = o->target = NULL;
	return 0;
}

void pm_out_abort(struct pm_out *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->target);
	o->tmp = o->target = NULL;
}

int pm_write_file(const char *path, const void *buf, size_t len, char *err, size_t cap)
{
	struct pm_out o;

	if (pm_out_open(&o, path, err, cap))
		return -1;
	if (pm_out_write(&o, buf, len, err, cap)) {
		pm_out_abort(&o);
		return -1;
	}
	return pm_out_commit(&o, err, cap);
}

int pm_out_check_dir(const char *path)
{
	struct stat st;

	if (!strcmp(path, "-")) {
		fprintf(stderr, "fragmon-plot: --results-dir writes several images: -o wants a "
				"directory, not -\n");
		return EXIT_REFUSED;
	}
	if (mkdir(path, 0755) && errno != EEXIST) {
		fprintf(stderr, "fragmon-plot: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (stat(path, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr,
			"fragmon-plot: %s: not a directory: -o with --results-dir wants one\n",
			path);
		return EXIT_REFUSED;
	}
	return 0;
}
