// SPDX-License-Identifier: GPL-2.0
#include "tracer.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>

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

int fm_tracer_start(struct fm_tracer *t, const struct fm_tracer_opts *o, char *err, size_t errlen)
{
	const struct fm_config *c = o->cfg;
	const char *cats[FM_MAX_TP] = {0};
	struct bpf_program *prog;
	int rc, nodes = 1;

	memset(t, 0, sizeof(*t));
	libbpf_set_print(libbpf_log);
	t->ncpus = libbpf_num_possible_cpus();
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
	bpf_map__set_max_entries(t->skel->maps.events, (__u32)c->ringbuf_kb * 1024);

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
	if (o->bench_bare)
		bpf_program__set_autoload(t->skel->progs.bench_bare_extfrag, true);

	rc = fragmon_bpf__load(t->skel);
	if (rc) {
		snprintf(err, errlen, "cannot load the BPF programs: %s", strerror(-rc));
		return -1;
	}
	for (int i = 0; i < fm_ntracepoints && i < FM_MAX_TP; i++) {
		const struct fm_tracepoint *tp = &fm_tracepoints[i];

		if (!cats[i] || t->status[i])
			continue;
		prog = bpf_object__find_program_by_name(t->skel->obj, tp->prog);
		t->links[i] = bpf_program__attach_tracepoint(prog, cats[i], tp->name);
		t->status[i] = t->links[i] ? "attached" : "failed";
	}
	if (o->bench_bare && !bpf_program__attach_tracepoint(t->skel->progs.bench_bare_extfrag,
							     "kmem", "mm_page_alloc_extfrag")) {
		snprintf(err, errlen, "cannot attach the bare reference program");
		return -1;
	}
	t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), o->on_event, o->ctx, NULL);
	if (!t->rb) {
		snprintf(err, errlen, "cannot create the ring buffer: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int fm_tracer_poll(struct fm_tracer *t, int timeout_ms)
{
	return ring_buffer__poll(t->rb, timeout_ms);
}

int fm_tracer_stop(struct fm_tracer *t)
{
	for (int i = 0; i < FM_MAX_TP; i++) {
		if (t->links[i])
			bpf_link__destroy(t->links[i]);
		t->links[i] = NULL;
	}
	return t->rb ? ring_buffer__consume(t->rb) : 0;
}

int fm_tracer_counts(struct fm_tracer *t, __u64 *out)
{
	__u64 vals[t->ncpus > 0 ? t->ncpus : 1];
	int fd = bpf_map__fd(t->skel->maps.counts);

	for (__u32 k = 0; k < FM_CNT_MAX; k++) {
		out[k] = 0;
		if (bpf_map_lookup_elem(fd, &k, vals))
			return -1;
		for (int c = 0; c < t->ncpus; c++)
			out[k] += vals[c];
	}
	return 0;
}

int fm_tracer_prog_fd(struct fm_tracer *t, const char *name)
{
	struct bpf_program *p = bpf_object__find_program_by_name(t->skel->obj, name);

	return p ? bpf_program__fd(p) : -1;
}

void fm_tracer_destroy(struct fm_tracer *t)
{
	fm_tracer_stop(t);
	ring_buffer__free(t->rb);
	t->rb = NULL;
	fragmon_bpf__destroy(t->skel);
	t->skel = NULL;
}
