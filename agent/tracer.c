// SPDX-License-Identifier: GPL-2.0
#include "tracer.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <bpf/bpf.h>

#include "agent.h" /* fm_mono_ns(): CLOCK_MONOTONIC, bpf_ktime_get_ns()'s clock */
#include "fragmon.skel.h"

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_WARN)
		return vfprintf(stderr, fmt, args);
	return 0;
}

static bool wanted(const struct fm_tracepoint *tp, enum fm_mode mode)
{
	return tp->modes & FM_MODE_BIT(mode);
}

/* where the tracepoint lives on this kernel, or NULL */
static const char *find_category(struct fm_kinfo *k, const struct fm_tracepoint *tp)
{
	if (fm_tracepoint_exists(k, tp->category, tp->name))
		return tp->category;
	for (int c = 0; tp->alt_category[c]; c++)
		if (fm_tracepoint_exists(k, tp->alt_category[c], tp->name))
			return tp->alt_category[c];
	return NULL;
}

/* the benchmark's reference: one array increment on the same tracepoint */
static int attach_bare(struct fm_tracer *t, char *err, size_t errlen)
{
	t->bare = bpf_program__attach_tracepoint(t->skel->progs.bench_bare_extfrag, "kmem",
						 "mm_page_alloc_extfrag");
	if (!t->bare) {
		snprintf(err, errlen, "cannot attach the bare reference program");
		return -1;
	}
	return 0;
}

int fm_tracer_start(struct fm_tracer *t, const struct fm_tracer_opts *o, char *err, size_t errlen)
{
	const struct fm_config *c = o->cfg;
	const char *cats[FM_MAX_TP] = {0};
	struct bpf_program *prog;
	int rc, nodes = 1;

	memset(t, 0, sizeof(*t));
	libbpf_set_print(libbpf_log);
	t->ncpus = libbpf_num_possible_cpus();
	t->on_event = o->on_event;
	t->ctx = o->ctx;
	if (t->ncpus < 1) {
		snprintf(err, errlen, "cannot count the possible CPUs: %s", strerror(-t->ncpus));
		return -1;
	}
	t->skel = fragmon_bpf__open();
	if (!t->skel) {
		snprintf(err, errlen, "cannot open the BPF object: %s", strerror(errno));
		return -1;
	}

	/* knobs, before load */
	t->skel->rodata->nr_orders = o->nr_orders;
	t->skel->rodata->pageblock_order = o->pageblock_order;
	for (int i = 0; i < o->nspans; i++) {
		const struct fm_zone_span *s = &o->spans[i];
		int slot = s->node * FM_MAX_ZONES + s->idx;

		if (s->node >= FM_MAX_NODES || s->idx >= FM_MAX_ZONES)
			continue;
		if (s->node + 1 > nodes)
			nodes = s->node + 1;
		t->skel->rodata->zone_start[slot] = s->start_pfn;
		t->skel->rodata->zone_end[slot] = s->start_pfn + s->spanned;
	}
	t->skel->rodata->nr_nodes = nodes;
	t->skel->rodata->compute_index = c->index_at_event;
	bpf_map__set_max_entries(t->skel->maps.events, (__u32)c->ringbuf_kb * 1024);
	bpf_map__set_max_entries(t->skel->maps.cpu_state, (__u32)t->ncpus);

	bpf_object__for_each_program(prog, t->skel->obj) bpf_program__set_autoload(prog, false);
	for (int i = 0; i < fm_ntracepoints && i < FM_MAX_TP; i++) {
		const struct fm_tracepoint *tp = &fm_tracepoints[i];

		if (!wanted(tp, c->mode)) {
			t->status[i] = "disabled";
			continue;
		}
		cats[i] = find_category(o->kinfo, tp);
		if (!cats[i]) {
			t->status[i] = "missing";
			continue;
		}
		prog = bpf_object__find_program_by_name(t->skel->obj, tp->prog);
		if (!prog) {
			t->status[i] = "failed";
			continue;
		}
		bpf_program__set_autoload(prog, true);
		if (tp->out_of_tree)
			t->oot = true;
	}
	t->skel->rodata->oot_compaction = t->oot;
	bpf_program__set_autoload(t->skel->progs.flush_stage, true);
	if (o->bench_bare)
		bpf_program__set_autoload(t->skel->progs.bench_bare_extfrag, true);

	rc = fragmon_bpf__load(t->skel);
	if (rc) {
		snprintf(err, errlen, "cannot load the BPF programs: %s", strerror(-rc));
		return -1;
	}
	if (o->bench_bare == 2 && attach_bare(t, err, errlen))
		return -1;
	for (int i = 0; i < fm_ntracepoints && i < FM_MAX_TP; i++) {
		const struct fm_tracepoint *tp = &fm_tracepoints[i];

		if (!cats[i] || t->status[i])
			continue;
		prog = bpf_object__find_program_by_name(t->skel->obj, tp->prog);
		t->links[i] = bpf_program__attach_tracepoint(prog, cats[i], tp->name);
		t->status[i] = t->links[i] ? "attached" : "failed";
	}
	if (o->bench_bare == 1 && attach_bare(t, err, errlen))
		return -1;
	t->cpus_len = (size_t)t->ncpus * sizeof(struct fm_cpu);
	t->cpus =
	    mmap(NULL, t->cpus_len, PROT_READ, MAP_SHARED, bpf_map__fd(t->skel->maps.cpu_state), 0);
	if (t->cpus == MAP_FAILED) {
		t->cpus = NULL;
		snprintf(err, errlen, "cannot map the per-CPU state: %s", strerror(errno));
		return -1;
	}
	t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), o->on_event, o->ctx, NULL);
	if (!t->rb) {
		snprintf(err, errlen, "cannot create the ring buffer: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Run flush_stage on every CPU whose batch is due: at least half full or
 * min_age_ns old (0: every CPU with staged records).  Returns how many CPUs
 * still hold records: not due, a handler was busy there, or offline.
 */
static int flush_stages(struct fm_tracer *t, __u64 min_age_ns)
{
	int fd = bpf_program__fd(t->skel->progs.flush_stage), left = 0;
	__u64 now = fm_mono_ns();

	for (int c = 0; c < t->ncpus; c++) {
		LIBBPF_OPTS(bpf_test_run_opts, run, .flags = BPF_F_TEST_RUN_ON_CPU, .cpu = c);
		__u32 n = t->cpus[c].n;

		if (!n)
			continue;
		if (n < FM_BATCH / 2 && now - t->cpus[c].first_ns < min_age_ns) {
			left++;
			continue;
		}
		if (bpf_prog_test_run_opts(fd, &run) || run.retval)
			left++;
	}
	return left;
}

int fm_tracer_poll(struct fm_tracer *t, int timeout_ms)
{
	int n = ring_buffer__poll(t->rb, timeout_ms);

	/* the BPF side wakes us only when the ring fills up: take the rest */
	if (n >= 0) {
		int m;

		flush_stages(t, FM_STAGE_MAX_NS);
		m = ring_buffer__consume(t->rb);
		n = m < 0 ? m : n + m;
	}
	return n;
}

int fm_tracer_stop(struct fm_tracer *t)
{
	int n = 0, left = 0;

	bpf_link__destroy(t->bare);
	t->bare = NULL;
	for (int i = 0; i < FM_MAX_TP; i++) {
		if (t->links[i])
			bpf_link__destroy(t->links[i]);
		t->links[i] = NULL;
	}
	if (!t->rb)
		return 0;
	/*
	 * Detaching does not wait for a handler already running on another
	 * CPU (it takes microseconds, with preemption off): give it time to
	 * stage its record, then send everything, retrying a CPU it was busy on.
	 */
	usleep(5000);
	for (int i = 0; i < 10 && (left = flush_stages(t, 0)) > 0; i++)
		usleep(1000);
	n = ring_buffer__consume(t->rb);
	if (left > 0) {
		/* offline CPUs: their staged records, read straight from the map */
		for (int c = 0; c < t->ncpus; c++)
			for (__u32 i = 0; i < t->cpus[c].n && i < FM_BATCH; i++, n++) {
				struct fm_event e = t->cpus[c].rec[i];

				t->on_event(t->ctx, &e, sizeof(e));
			}
	}
	return n;
}

int fm_tracer_counts(struct fm_tracer *t, __u64 *out)
{
	if (!t->cpus)
		return -1;
	for (int c = 0; c < t->ncpus; c++)
		for (int k = 0; k < FM_CNT_MAX; k++)
			out[k] += t->cpus[c].cnt.c[k];
	return 0;
}

int fm_tracer_prog_stats(struct fm_tracer *t, const char *name, __u64 *cnt, __u64 *ns)
{
	struct bpf_program *p = bpf_object__find_program_by_name(t->skel->obj, name);
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (!p || bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len))
		return -1;
	*cnt = info.run_cnt;
	*ns = info.run_time_ns;
	return 0;
}

void fm_tracer_destroy(struct fm_tracer *t)
{
	fm_tracer_stop(t);
	ring_buffer__free(t->rb);
	t->rb = NULL;
	fragmon_bpf__destroy(t->skel);
	t->skel = NULL;
	if (t->cpus)
		munmap((void *)t->cpus, t->cpus_len);
	t->cpus = NULL;
}
