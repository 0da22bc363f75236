// SPDX-License-Identifier: GPL-2.0
/*
 * synthetic N DIR [gzip]: feed N synthetic extfrag events through the
 * agent's own userspace path (ingest: count, enrich, serialize, write) into
 * DIR/fragmentation_data.json (.json.gz with gzip), printing "EVENTS RSS_KB"
 * as it goes, then "cpu_ns_per_event X" (user + system time of the whole
 * run, including the final write, divided by N).  The memory benchmark of
 * bench/agent-bench.sh and the compression cost of bench/size-bench.sh;
 * links the agent's objects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "agent.h"

static long rss_kb(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

static void fill(struct fm_event *e, __u64 t0, unsigned long i)
{
	memset(e, 0, sizeof(*e));
	e->ts_ns = t0 + i * 1000;
	e->pid = e->tid = 1000 + (__u32)(i % 50);
	e->kind = FM_KIND_EXTFRAG;
	e->cpu = (__u16)(i & 1);
	snprintf(e->comm, sizeof(e->comm), "bench%lu", i % 7);
	e->order = (int)(i % 4);
	e->node = -1;
	e->zone = -1;
	e->fi = e->ui = FM_FI_NONE;
	e->extfrag.pfn = 0x1000 + i * 8 % 0x10000;
	e->extfrag.fallback_order = 10;
	e->extfrag.alloc_mt = (int)(i % 3);
	e->extfrag.fallback_mt = 1;
	e->extfrag.change_ownership = (int)(i & 1);
}

static double cpu_ns(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
		(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec)) *
	       1e3;
}

int main(int argc, char **argv)
{
	static struct fm_agent a;
	unsigned long n, next = 1;
	char err[512];
	struct fm_event e;
	bool gzip = argc == 4 && !strcmp(argv[3], "gzip");
	double cpu0;

	if (argc != 3 && !gzip) {
		fprintf(stderr, "usage: synthetic N DIR [gzip]\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 10);
	fm_config_defaults(&a.cfg);
	fm_writer_init(&a.writer);
	a.t0_ns = fm_mono_ns();
	a.start_epoch = fm_epoch();
	a.nspans = fm_read_zoneinfo(a.spans, FM_MAX_NODES * FM_MAX_ZONES, "/proc");
	if (a.nspans <= 0 || fm_read_snapshot(&a.snap, a.spans, a.nspans, "/proc")) {
		fprintf(stderr, "synthetic: cannot read /proc\n");
		return 1;
	}
	a.have_snap = true;
	a.nr_orders = a.snap.nr_orders;
	a.pageblock_order = a.snap.pageblock_order > 0 ? a.snap.pageblock_order : 9;
	fm_kinfo_load(&a.kinfo, NULL, &a.snap);
	if (fm_writer_open(&a.writer, argv[2], 0, gzip, fm_header_json, &a, err, sizeof(err))) {
		fprintf(stderr, "synthetic: %s\n", err);
		return 1;
	}
	printf("events rss_kb\n0 %ld\n", rss_kb());
	cpu0 = cpu_ns();
	for (unsigned long i = 1; i <= n; i++) {
		fill(&e, a.t0_ns, i);
		fm_ingest(&a, &e, sizeof(e));
		if (i == next || i == n) {
			fm_writer_flush(&a.writer);
			printf("%lu %ld\n", i, rss_kb());
			next *= 10;
		}
	}
	fm_ingest_totals(&a);
	a.end_epoch = fm_epoch();
	a.end_reason = "duration";
	a.complete = true;
	if (fm_writer_finish(&a.writer, fm_tail_json, &a, err, sizeof(err))) {
		fprintf(stderr, "synthetic: %s\n", err);
		return 1;
	}
	printf("cpu_ns_per_event %.0f\n", (cpu_ns() - cpu0) / (double)(n ? n : 1));
	fm_writer_close(&a.writer);
	fm_config_free(&a.cfg);
	return 0;
}
