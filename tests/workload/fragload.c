// SPDX-License-Identifier: GPL-2.0
/*
 * fragload: a reproducible workload that provokes real fragmentation events.
 *
 *   fragload files [N]    create empty files on a tmpfs (inode + dentry
 *                         slab is RECLAIMABLE): until the free RECLAIMABLE
 *                         pool is used up, then N more (default 20000), so
 *                         allocations must fall back: extfrag events
 *   fragload pipes [N]    fill pipes with 1 MiB each (UNMOVABLE pages) until
 *                         the free UNMOVABLE pool is used up, then N more
 *                         (default 64): extfrag events
 *
 * The kernel keeps the pageblocks it claimed, so the free pools grow from
 * run to run; measuring them (/proc/pagetypeinfo) keeps every run eventful.
 *   fragload compact      echo 1 > /proc/sys/vm/compact_memory (compaction
 *                         begin/end, migrate)
 *   fragload all          files, pipes, compact
 *
 * Everything it creates is removed before it exits.  FRAGLOAD_COMM=name
 * sets the task name the events carry (to test escaping).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

/* free pages of a migratetype, all zones (/proc/pagetypeinfo) */
static long free_pages(const char *type)
{
	char line[512], t[32];
	long total = 0;
	FILE *f = fopen("/proc/pagetypeinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, ", type");
		int off = 0, order = 0;
		long n;

		if (strncmp(line, "Node", 4) || !p || sscanf(p, ", type %31s%n", t, &off) != 1 ||
		    strcmp(t, type))
			continue;
		p += off;
		while (sscanf(p, "%ld%n", &n, &off) == 1) {
			total += n << order++;
			p += off;
		}
	}
	fclose(f);
	return total;
}

/* 2 MiB of pages left in the pool counts as used up */
#define POOL_LOW (512L)

/*
 * True when the machine is short of memory (MemAvailable under an eighth of
 * MemTotal, or 64 MiB): the workload stops growing there, so that it never
 * wakes the OOM killer, whatever the size of the machine or guest.
 */
static int memory_short(void)
{
	char line[128];
	long total = -1, avail = -1, v;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "MemTotal: %ld kB", &v) == 1)
			total = v;
		else if (sscanf(line, "MemAvailable: %ld kB", &v) == 1)
			avail = v;
	}
	fclose(f);
	if (total < 0 || avail < 0)
		return 0;
	return avail < total / 8 || avail < 64 * 1024;
}

static int files(long extra)
{
	char dir[] = "/tmp/fragload.XXXXXX", path[64];
	long made = 0, n = 20000000, pool = 0;
	int mounted;

	if (!mkdtemp(dir)) {
		perror("fragload: mkdtemp");
		return 1;
	}
	/* a tmpfs of our own with no inode limit (/dev/shm has one) */
	mounted = !mount("fragload", dir, "tmpfs", 0, "nr_inodes=0,mode=0700");
	for (long i = 0; i < n; i++) {
		int fd;

		if (i % 20000 == 0 && n == 20000000) {
			pool = free_pages("Reclaimable");
			if (pool >= 0 && pool < POOL_LOW)
				n = i + extra;
		}
		if (i % 20000 == 0 && memory_short())
			break;
		snprintf(path, sizeof(path), "%s/%ld", dir, i);
		fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
		if (fd < 0)
			break;
		close(fd);
		made++;
	}
	if (mounted) {
		umount(dir);
	} else {
		for (long i = 0; i < made; i++) {
			snprintf(path, sizeof(path), "%s/%ld", dir, i);
			unlink(path);
		}
	}
	rmdir(dir);
	printf("fragload: created and removed %ld files (reclaimable pool used up at %ld)\n", made,
	       made - extra);
	return made == n ? 0 : 1;
}

static int pipes(long extra)
{
	static char buf[65536];
	struct rlimit rl = {16384, 16384};
	long made = 0, bytes = 0, n = 6000, full_at = -1;
	int(*fds)[2] = calloc((size_t)n, sizeof(*fds));

	if (!fds)
		return 1;
	setrlimit(RLIMIT_NOFILE, &rl);
	memset(buf, 0x5a, sizeof(buf));
	for (long i = 0; i < n; i++) {
		if (full_at < 0 && i % 16 == 0) {
			long pool = free_pages("Unmovable");

			if (pool >= 0 && pool < POOL_LOW) {
				full_at = i;
				n = i + extra < n ? i + extra : n;
			}
		}
		if (i % 16 == 0 && memory_short())
			break;
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
	printf("fragload: filled %ld pipes with %ld MiB (unmovable pool used up at %ld)\n", made,
	       bytes >> 20, full_at);
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
		return files(n ? n : 20000);
	if (!strcmp(what, "pipes"))
		return pipes(n ? n : 64);
	if (!strcmp(what, "compact"))
		return compact();
	if (!strcmp(what, "all"))
		return files(20000) | pipes(64) | compact();
	fprintf(stderr, "usage: fragload files [N] | pipes [N] | compact | all\n");
	return 2;
}
