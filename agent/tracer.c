// SPDX-License-Identifier: GPL-2.0
#include "tracer.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "clock.h"
#include "fragmon.skel.h"
#include "kbtf.h"
#include "tasks.h"
#include "tpformat.h"

/*
 * The verifier log of a rejected program: it is read only to name the
 * reason, and the kernel writes just what it needs of the buffer (only on
 * failure: libbpf asks for a log when a load fails).
 */
#define FM_LOG_SIZE (4u << 20)

/* libbpf's warnings go to stderr, except while loading: a rejected program
 * is reported once, by its status, not by libbpf's whole verifier log */
static bool quiet_libbpf;
static char libbpf_last[FM_REASON_LEN];

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level != LIBBPF_WARN)
		return 0;
	if (quiet_libbpf) {
		char line[512];
		size_t n;

		vsnprintf(line, sizeof(line), fmt, args);
		n = strlen(line);
		while (n && (line[n - 1] == '\n' || line[n - 1] == ' '))
			line[--n] = '\0';
		if (n)
			snprintf(libbpf_last, sizeof(libbpf_last), "%.*s",
				 (int)sizeof(libbpf_last) - 1, line);
		return 0;
	}
	return vfprintf(stderr, fmt, args);
}

/* The program of tracepoint id (FM_NTP: flush_stage), from the skeleton. */
static struct bpf_program *prog_of(struct fragmon_bpf *s, int id)
{
	switch (id) {
	case FM_TP_EXTFRAG:
		return s->progs.handle_extfrag;
	case FM_TP_COMPACT_BEGIN:
		return s->progs.handle_compaction_begin;
	case FM_TP_COMPACT_FINISHED:
		return s->progs.handle_compaction_finished;
	case FM_TP_COMPACT_END:
		return s->progs.handle_compaction_end;
	case FM_TP_OOT_SUCCESS:
		return s->progs.handle_oot_success;
	case FM_TP_OOT_FAILURE:
		return s->progs.handle_oot_failure;
	case FM_TP_COMPACT_TRY:
		return s->progs.handle_compaction_try;
	case FM_TP_COMPACT_SUITABLE:
		return s->progs.handle_compaction_suitable;
	case FM_TP_COMPACT_DEFERRED:
		return s->progs.handle_compaction_deferred;
	case FM_TP_COMPACT_DEFER:
		return s->progs.handle_compaction_defer;
	case FM_TP_COMPACT_DEFER_RESET:
		return s->progs.handle_compaction_defer_reset;
	case FM_TP_KCOMPACTD_WAKE:
		return s->progs.handle_kcompactd_wake;
	case FM_TP_KCOMPACTD_SLEEP:
		return s->progs.handle_kcompactd_sleep;
	case FM_TP_MIGRATE:
		return s->progs.handle_migrate;
	case FM_NTP:
		return s->progs.flush_stage;
	}
	return NULL;
}

static bool wanted(const struct fm_tracepoint *tp, const struct fm_tracer_opts *o)
{
	return o->all_modes || (tp->modes & FM_MODE_BIT(o->cfg->mode));
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

static void set_reason(struct fm_tracer *t, int i, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_reason(struct fm_tracer *t, int i, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->reason[i], sizeof(t->reason[i]), fmt, ap);
	va_end(ap);
	t->status[i] = t->reason[i];
	t->nrejected++;
}

/* The offsets of the fields tp's handler reads, from its format in tracefs. */
static int read_layout(struct fm_kinfo *k, const struct fm_tracepoint *tp, const char *cat,
		       struct fm_tp_layout *l, char *why, size_t whylen)
{
	struct fm_tp_format f;
	int rc = 0;

	memset(l, 0, sizeof(*l));
	if (fm_tp_format_read(k->tracefs, cat, tp->name, &f)) {
		snprintf(why, whylen, "cannot read %s/events/%s/%s/format: %s", k->tracefs, cat,
			 tp->name, strerror(errno));
		return -1;
	}
	for (int i = 0; i < f.n; i++)
		if ((__u32)(f.f[i].offset + f.f[i].size) > l->rec_end)
			l->rec_end = (__u32)(f.f[i].offset + f.f[i].size);
	if (l->rec_end > FM_RAW_MAX)
		l->rec_end = FM_RAW_MAX; /* our fields lie below: reading stops there */
	for (int s = 0; s < FM_TP_FIELDS && !rc; s++) {
		const char *spec = tp->fields[s];
		const struct fm_tpf_field *fld = NULL;
		char names[64], *save = NULL;
		bool optional;

		if (!spec)
			continue;
		optional = *spec == '?';
		snprintf(names, sizeof(names), "%s", spec + optional);
		for (char *n = strtok_r(names, "|", &save); n && !fld;
		     n = strtok_r(NULL, "|", &save))
			fld = fm_tp_format_field(&f, n);
		if (fld && (fld->size == 1 || fld->size == 2 || fld->size == 4 || fld->size == 8) &&
		    fld->offset + fld->size <= FM_RAW_MAX) {
			l->f[s].off = (__u16)fld->offset;
			l->f[s].size = (__u8)fld->size;
			l->f[s].is_signed = fld->is_signed;
			if ((__u32)(fld->offset + fld->size) > l->raw_size)
				l->raw_size = (__u32)(fld->offset + fld->size);
		} else if (!optional) {
			snprintf(why, whylen, "its record has no usable field %s", spec);
			rc = -1;
		}
	}
	fm_tp_format_free(&f);
	return rc;
}

/* The verifier's last line that says something (not its statistics). */
static void last_line(const char *log, char *out, size_t outlen)
{
	const char *end = log + strlen(log);

	*out = '\0';
	while (end > log) {
		const char *start = end;
		size_t n;

		while (start > log && start[-1] != '\n')
			start--;
		n = (size_t)(end - start);
		while (n && (start[n - 1] == '\n' || start[n - 1] == ' '))
			n--;
		if (n && strncmp(start, "processed ", 10) &&
		    strncmp(start, "verification time", 17) && strncmp(start, "stack depth", 11)) {
			snprintf(out, outlen, "%.*s", (int)n, start);
			return;
		}
		end = start > log ? start - 1 : log;
	}
}

/* frames per stack: FM_STACK_DEPTH, or kernel.perf_event_max_stack if lower */
static int stack_depth(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_max_stack", "re");
	int v = 0;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v > 0 && v < FM_STACK_DEPTH ? v : FM_STACK_DEPTH;
}

static void set_knobs(struct fm_tracer *t, const struct fm_tracer_opts *o,
		      const struct fm_tp_layout *layout, const struct fm_kernel_offsets *koff)
{
	struct fm_knobs *k = (struct fm_knobs *)&t->skel->rodata->knobs;
	int nodes = 1;

	k->nr_orders = o->nr_orders;
	k->pageblock_order = o->pageblock_order;
	for (int i = 0; i < o->nspans; i++) {
		const struct fm_zone_span *s = &o->spans[i];
		int slot = s->node * FM_MAX_ZONES + s->idx;

		if (s->node >= FM_MAX_NODES || s->idx >= FM_MAX_ZONES)
			continue;
		if (s->node + 1 > nodes)
			nodes = s->node + 1;
		k->zone_start[slot] = s->start_pfn;
		k->zone_end[slot] = s->start_pfn + s->spanned;
	}
	k->nr_nodes = nodes;
	k->compute_index = t->index_at_event;
	k->stacks = t->stacks;
	k->compact_success = fm_enum_value(&o->kinfo->compact_result, "success", 8);
	k->compact_complete = fm_enum_value(&o->kinfo->compact_result, "complete", 5);
	memcpy(k->tp_layout, layout, sizeof(k->tp_layout));
	k->koff = *koff;
#ifdef FM_FAULT_INJECT
	/* test builds: FRAGMON_FAULT_REJECT=<program> makes the verifier reject it */
	const char *reject = getenv("FRAGMON_FAULT_REJECT");

	for (int i = 0; reject && i <= FM_NTP; i++)
		if (!strcmp(reject, bpf_program__name(prog_of(t->skel, i))))
			k->fault_reject = i;
#endif
	bpf_map__set_max_entries(t->skel->maps.events, (__u32)o->cfg->ringbuf_kb * 1024);
	bpf_map__set_max_entries(t->skel->maps.cpu_state, (__u32)t->ncpus);
	if (!t->stacks) { /* the maps must exist; they cost nothing */
		bpf_map__set_max_entries(t->skel->maps.stack_traces, 1);
		bpf_map__set_max_entries(t->skel->maps.stack_counts, 1);
	}
	/* a stack map deeper than kernel.perf_event_max_stack cannot be made */
	bpf_map__set_value_size(t->skel->maps.stack_traces, stack_depth() * sizeof(__u64));
}

/* index_source: event needs the kernel's type layout, from BTF */
static void index_offsets(struct fm_tracer *t, const struct fm_config *c,
			  struct fm_kernel_offsets *koff)
{
	char why[FM_REASON_LEN] = "";
	struct btf *btf;

	memset(koff, 0, sizeof(*koff));
	if (!c->index_at_event)
		return;
	btf = fm_btf_load(c->btf_path, why, sizeof(why));
	if (btf && !fm_btf_kernel_offsets(btf, koff, why, sizeof(why)))
		t->index_at_event = true;
	else
		snprintf(t->index_why, sizeof(t->index_why), "%s", why);
	btf__free(btf);
}

/*
 * One load attempt of the programs whose status is still unset.  Returns 0
 * when everything loaded; 1 when some were rejected (their status says why:
 * try again without them); -1 on any other failure (err).
 */
static int load_once(struct fm_tracer *t, const struct fm_tracer_opts *o,
		     const struct fm_tp_layout *layout, const struct fm_kernel_offsets *koff,
		     char **logs, char *err, size_t errlen)
{
	struct bpf_program *progs[FM_NTP + 1] = {0}, *prog;
	int rc, rejected = 0;

	t->skel = fragmon_bpf__open();
	if (!t->skel) {
		snprintf(err, errlen, "cannot open the BPF object: %s", strerror(errno));
		return -1;
	}
	set_knobs(t, o, layout, koff);
	bpf_object__for_each_program(prog, t->skel->obj)
		bpf_program__set_autoload(prog, false);
	for (int i = 0; i <= FM_NTP; i++) {
		if (i < FM_NTP && t->status[i])
			continue;
		progs[i] = prog_of(t->skel, i);
		if (!logs[i] && !(logs[i] = malloc(FM_LOG_SIZE))) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		logs[i][0] = '\0';
		bpf_program__set_autoload(progs[i], true);
		bpf_program__set_log_buf(progs[i], logs[i], FM_LOG_SIZE);
	}
	libbpf_last[0] = '\0';
	quiet_libbpf = true;
	rc = fragmon_bpf__load(t->skel);
	quiet_libbpf = false;
	if (!rc)
		return 0;
	for (int i = 0; i <= FM_NTP; i++) {
		char line[FM_REASON_LEN - 16];

		if (!progs[i] || !logs[i][0])
			continue;
		last_line(logs[i], line, sizeof(line));
		if (i == FM_NTP) {
			snprintf(err, errlen, "the verifier rejected flush_stage: %s", line);
			return -1;
		}
		set_reason(t, i, "rejected: %s", line);
		rejected++;
	}
	if (!rejected) {
		snprintf(err, errlen, "cannot load the BPF programs: %s%s%s", strerror(-rc),
			 libbpf_last[0] ? ": " : "", libbpf_last);
		return -1;
	}
	return 1;
}

int fm_tracer_load(struct fm_tracer *t, const struct fm_tracer_opts *o, char *err, size_t errlen)
{
	struct fm_tp_layout layout[FM_NTP];
	struct fm_kernel_offsets koff;
	char *logs[FM_NTP + 1] = {0};
	int rc, probe, candidates = 0;

	memset(t, 0, sizeof(*t));
	t->stacks = !o->cfg->stacks_off;
	libbpf_set_print(libbpf_log);
	t->ncpus = libbpf_num_possible_cpus();
	t->on_event = o->on_event;
	t->ctx = o->ctx;
	memset(layout, 0, sizeof(layout));
	if (t->ncpus < 1) {
		snprintf(err, errlen, "cannot count the possible CPUs: %s", strerror(-t->ncpus));
		return -1;
	}
	for (int i = 0; i < FM_NTP; i++) {
		const struct fm_tracepoint *tp = &fm_tracepoints[i];
		char why[FM_REASON_LEN - 16];

		if (!wanted(tp, o)) {
			t->status[i] = "disabled";
			continue;
		}
		t->category[i] = find_category(o->kinfo, tp);
		if (!t->category[i]) {
			t->status[i] = "missing";
			continue;
		}
		if (read_layout(o->kinfo, tp, t->category[i], &layout[i], why, sizeof(why))) {
			set_reason(t, i, "unsupported: %s", why);
			continue;
		}
		if (tp->out_of_tree)
			t->oot = true;
		candidates++;
	}
	if (geteuid() != 0) {
		snprintf(err, errlen, "not root: loading BPF programs needs root");
		return -1;
	}
	if (!fm_tracefs(o->kinfo)[0]) {
		snprintf(err, errlen,
			 "no tracefs: neither /sys/kernel/tracing nor "
			 "/sys/kernel/debug/tracing, and mounting tracefs failed");
		return -1;
	}
	if (!candidates) {
		snprintf(err, errlen, "no tracepoint to trace in mode %s",
			 fm_mode_name(o->cfg->mode));
		return -1;
	}
	/* /proc/net exists on every kernel with CONFIG_NET */
	if (access("/proc/net", F_OK)) {
		snprintf(err, errlen,
			 "the kernel was built without CONFIG_NET: BPF test runs (the "
			 "agent sends staged events with them) and libbpf's feature probes "
			 "need it");
		return -1;
	}
	probe = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL);
	if (probe != 1) {
		snprintf(err, errlen, "%s",
			 probe == 0 ? "the kernel has no BPF ring buffer (Linux 5.8 or later)"
			 : probe == -EPERM ? "BPF is not permitted (not root, or lockdown)"
					   : "BPF is not available");
		if (probe < 0 && probe != -EPERM)
			snprintf(err + strlen(err), errlen - strlen(err), ": %s", strerror(-probe));
		return -1;
	}
	index_offsets(t, o->cfg, &koff);
	for (;;) {
		rc = load_once(t, o, layout, &koff, logs, err, errlen);
		if (rc <= 0)
			break;
		fragmon_bpf__destroy(t->skel);
		t->skel = NULL;
		candidates = 0;
		for (int i = 0; i < FM_NTP; i++)
			candidates += !t->status[i];
		if (!candidates) {
			snprintf(err, errlen, "the verifier rejected every program (%s)",
				 t->reason[FM_TP_EXTFRAG][0] ? t->reason[FM_TP_EXTFRAG]
							     : "see metadata.tracepoints");
			rc = -1;
			break;
		}
	}
	for (int i = 0; i <= FM_NTP; i++)
		free(logs[i]);
	if (rc) {
		fragmon_bpf__destroy(t->skel);
		t->skel = NULL;
		return -1;
	}
	for (int i = 0; i < FM_NTP; i++)
		if (!t->status[i])
			t->status[i] = "loaded";
	return 0;
}

int fm_tracer_check_flush(struct fm_tracer *t, char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_test_run_opts, run, .flags = BPF_F_TEST_RUN_ON_CPU, .cpu = 0);

	if (bpf_prog_test_run_opts(bpf_program__fd(t->skel->progs.flush_stage), &run)) {
		int e = errno;

		/* the kernel's ENOTSUPP (524) has no name in userspace */
		snprintf(
		    err, errlen,
		    "the kernel cannot run a BPF program on a chosen CPU (BPF_PROG_TEST_RUN "
		    "of a raw tracepoint program: Linux 5.10 or later, built with CONFIG_NET): "
		    "%s",
		    e == 524 ? "not supported" : strerror(e));
		return -1;
	}
	return 0;
}

int fm_tracer_attach(struct fm_tracer *t, const struct fm_tracer_opts *o, char *err, size_t errlen)
{
	int attached = 0;

	/* the agent sends staged records by running flush_stage on a CPU */
	if (fm_tracer_check_flush(t, err, errlen))
		return -1;
	for (int i = 0; i < FM_NTP; i++) {
		const struct fm_tracepoint *tp = &fm_tracepoints[i];

		if (!t->status[i] || strcmp(t->status[i], "loaded"))
			continue;
		t->links[i] =
		    bpf_program__attach_tracepoint(prog_of(t->skel, i), t->category[i], tp->name);
		if (t->links[i]) {
			t->status[i] = "attached";
			attached++;
		} else {
			set_reason(t, i, "failed: cannot attach: %s", strerror(errno));
		}
	}
	if (!attached) {
		snprintf(err, errlen, "no tracepoint could be attached");
		return -1;
	}
	t->cpus_len = (size_t)t->ncpus * sizeof(struct fm_cpu);
	t->cpus = mmap(NULL, t->cpus_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		       bpf_map__fd(t->skel->maps.cpu_state), 0);
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

int fm_tracer_count_status(const struct fm_tracer *t, const char *status)
{
	int n = 0;
	size_t len = strlen(status);

	for (int i = 0; i < FM_NTP; i++)
		n += t->status[i] && !strncmp(t->status[i], status, len);
	return n;
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

int fm_tracer_drain(struct fm_tracer *t)
{
	if (!t->rb || !t->cpus)
		return 0;
	flush_stages(t, 0);
	return ring_buffer__consume(t->rb);
}

int fm_tracer_stop(struct fm_tracer *t)
{
	int n = 0, left = 0;

	if (!t->rb || !t->cpus)
		return 0;
	/*
	 * The run ends now: every handler sees its CPU's stop flag and records
	 * nothing more.  (Detaching the programs instead costs an RCU grace
	 * period per tracepoint, ~0.1 s each, ~1 s on PREEMPT_RT: that is left
	 * to fm_tracer_destroy(), after the final file.)  A handler already
	 * running on another CPU takes microseconds: give it time to stage its
	 * record, then send everything, retrying a CPU it was busy on.
	 */
	for (int c = 0; c < t->ncpus; c++)
		t->cpus[c].stop = 1;
	__sync_synchronize();
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

int fm_tracer_lost_tasks(struct fm_tracer *t, struct fm_tasks *out)
{
	int fd = t->skel ? bpf_map__fd(t->skel->maps.lost_tasks) : -1;
	struct fm_task_key k, next;
	void *prev = NULL;
	__u64 n;

	if (fd < 0)
		return -1;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		if (!bpf_map_lookup_elem(fd, &next, &n))
			fm_tasks_add(out, &next, n);
		k = next;
		prev = &k;
	}
	return 0;
}

long fm_tracer_stack_counts(struct fm_tracer *t, struct fm_stack_count **out)
{
	int fd = t->skel ? bpf_map__fd(t->skel->maps.stack_counts) : -1;
	struct fm_stack_key k, next;
	size_t n = 0, cap = 0;
	void *prev = NULL;
	__u64 v;

	*out = NULL;
	if (fd < 0)
		return -1;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		if (!bpf_map_lookup_elem(fd, &next, &v)) {
			if (n == cap) {
				struct fm_stack_count *p;

				cap = cap ? cap * 2 : 1024;
				if (!(p = realloc(*out, cap * sizeof(*p)))) {
					free(*out);
					*out = NULL;
					return -1;
				}
				*out = p;
			}
			(*out)[n].k = next;
			(*out)[n++].n = v;
		}
		k = next;
		prev = &k;
	}
	return (long)n;
}

int fm_tracer_stack(struct fm_tracer *t, __u32 id, __u64 *ips)
{
	int fd = t->skel ? bpf_map__fd(t->skel->maps.stack_traces) : -1;

	memset(ips, 0, FM_STACK_DEPTH * sizeof(*ips));
	return fd >= 0 && !bpf_map_lookup_elem(fd, &id, ips) ? 0 : -1;
}

void fm_tracer_destroy(struct fm_tracer *t)
{
	for (int i = 0; i < FM_NTP; i++) {
		bpf_link__destroy(t->links[i]);
		t->links[i] = NULL;
	}
	ring_buffer__free(t->rb);
	t->rb = NULL;
	fragmon_bpf__destroy(t->skel);
	t->skel = NULL;
	if (t->cpus)
		munmap((void *)t->cpus, t->cpus_len);
	t->cpus = NULL;
}
