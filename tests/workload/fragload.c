// SPDX-License-Identifier: GPL-2.0
/*
 * fragload: a reproducible workload that provokes real fragmentation events.
 *
 *   fragload files N      create N empty files in /dev/shm (inode + dentry
 *                         slab is RECLAIMABLE: pageblock fallbacks, extfrag)
 *   fragload pipes N      fill N pipes with 1 MiB each (UNMOVABLE pages
 *                         beyond the free unmovable pool: extfrag steals)
 *   fragload compact      echo 1 > /proc/sys/vm/compact_memory (compaction
 *                         begin/end, migrate)
 *   fragload all          files 400000, pipes 256, compact
 *
 * Everything it creates is removed before it exits.  FRAGLOAD_COMM=name
 * sets the task name the events carry (to test escaping).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

static int files(long n)
{
	char dir[] = "/dev/shm/fragload.XXXXXX", path[64];
	long made = 0;

	if (!mkdtemp(dir)) {
		perror("fragload: mkdtemp /dev/shm");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/%ld", dir, i);
		fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
		if (fd < 0)
			break;
		close(fd);
		made++;
	}
	for (long i = 0; i < made; i++) {
		snprintf(path, sizeof(path), "%s/%ld", dir, i);
		unlink(path);
	}
	rmdir(dir);
	printf("fragload: created and removed %ld files\n", made);
	return made == n ? 0 : 1;
}

static int pipes(long n)
{
	static char buf[65536];
	struct rlimit rl = {4096, 4096};
	int(*fds)[2] = calloc((size_t)n, sizeof(*fds));
	long made = 0, bytes = 0;

	if (!fds)
		return 1;
	setrlimit(RLIMIT_NOFILE, &rl);
	memset(buf, 0x5a, sizeof(buf));
	for (long i = 0; i < n; i++) {
		if (pipe2(fds[i], O_NONBLOCK | O_CLOEXEC))
			break;
		made++;
		fcntl(fds[i][1], F_SETPIPE_SZ, 1 << 20);
		for (;;) {
			ssize_t w = write(fds[i][1], buf, sizeof(buf));

			if (w <= 0)
				break;
			bytes += w;
		}
	}
	for (long i = 0; i < made; i++) {
		close(fds[i][0]);
		close(fds[i][1]);
	}
	free(fds);
	printf("fragload: filled %ld pipes with %ld MiB\n", made, bytes >> 20);
	return 0;
}

static int compact(void)
{
	int fd = open("/proc/sys/vm/compact_memory", O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, "1", 1) != 1) {
		fprintf(stderr, "fragload: compact_memory: %s\n", strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	close(fd);
	printf("fragload: compacted all zones\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "all";
	long n = argc > 2 ? atol(argv[2]) : 0;

	if (getenv("FRAGLOAD_COMM"))
		prctl(PR_SET_NAME, getenv("FRAGLOAD_COMM"), 0, 0, 0);

	if (!strcmp(what, "files"))
		return files(n ? n : 400000);
	if (!strcmp(what, "pipes"))
		return pipes(n ? n : 256);
	if (!strcmp(what, "compact"))
		return compact();
	if (!strcmp(what, "all"))
		return files(400000) | pipes(256) | compact();
	fprintf(stderr, "usage: fragload files [N] | pipes [N] | compact | all\n");
	return 2;
}
