// SPDX-License-Identifier: GPL-2.0
/*
 * bare: attach the bare counter (bare.bpf.c) to kmem:mm_page_alloc_extfrag,
 * print "ready", and on SIGINT/SIGTERM print "bare_extfrag RUNS NS" and
 * "bare_stack RUNS NS": their run counts and run times
 * (kernel.bpf_stats_enabled must be on).  For bench/agent-bench.sh.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bare.skel.h"

static volatile sig_atomic_t done;

static void on_signal(int sig)
{
	(void)sig;
	done = 1;
}

int main(void)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	struct bare_bpf *skel;
	int rc = 1;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	skel = bare_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "bare: cannot load the BPF program\n");
		return 1;
	}
	if (bare_bpf__attach(skel)) {
		fprintf(stderr, "bare: cannot attach\n");
		goto out;
	}
	printf("ready\n");
	fflush(stdout);
	while (!done)
		pause();
	for (int i = 0; i < 2; i++) {
		struct bpf_program *p = i ? skel->progs.bare_stack : skel->progs.bare_extfrag;

		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len))
			goto out;
		printf("%s %llu %llu\n", bpf_program__name(p), (unsigned long long)info.run_cnt,
		       (unsigned long long)info.run_time_ns);
	}
	rc = 0;
out:
	bare_bpf__destroy(skel);
	return rc;
}
