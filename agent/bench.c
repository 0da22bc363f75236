// SPDX-License-Identifier: GPL-2.0
/*
 * `fragmon-agent --bench-synthetic N`: feed N synthetic extfrag records
 * through the same userspace path as ring-buffer events (fm_on_event ->
 * writer), printing RSS as it goes.  For bench/agent-rss.sh only.
 */
#include <stdio.h>
#include <string.h>
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

void fm_bench_synthetic(struct fm_agent *a, unsigned long n)
{
	struct fm_event e;
	unsigned long next = 1;
	__u64 t0 = fm_mono_ns();

	printf("events rss_kb\n0 %ld\n", rss_kb());
	for (unsigned long i = 1; i <= n; i++) {
		memset(&e, 0, sizeof(e));
		e.ts_ns = t0 + i * 1000;
		e.pid = e.tid = 1000 + (__u32)(i % 50);
		e.kind = FM_KIND_EXTFRAG;
		e.cpu = (__u16)(i & 1);
		snprintf(e.comm, sizeof(e.comm), "bench%lu", i % 7);
		e.order = (int)(i % 4);
		e.node = 0;
		e.zone = 2;
		e.fi = -1000;
		e.ui = (int)(i % 1000);
		e.extfrag.pfn = 0x100000 + i * 8;
		e.extfrag.fallback_order = 10;
		e.extfrag.alloc_mt = (int)(i % 3);
		e.extfrag.fallback_mt = 1;
		e.extfrag.change_ownership = (int)(i & 1);
		fm_on_event(a, &e, sizeof(e));
		if (i == next || i == n) {
			fm_writer_flush(&a->writer);
			printf("%lu %ld\n", i, rss_kb());
			next *= 10;
		}
	}
	fflush(stdout);
}
