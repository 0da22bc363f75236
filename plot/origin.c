// SPDX-License-Identifier: GPL-2.0
#include "origin.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct po_origin *po_new(void)
{
	struct po_origin *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->st_test = o->st_phase = o->st_lines_read = o->st_lines_lost = -1;
	o->st_distinct = o->st_map_full = o->st_failed = -1;
	return o;
}

void po_free(struct po_origin *o)
{
	if (!o)
		return;
	for (int i = 0; i < o->nstacks; i++)
		free(o->stacks[i].frames);
	free(o->stacks);
	free(o->names);
	free(o->occ);
	free(o->marks);
	free(o->tail);
	free(o);
}

/* ---- markers ---- */

/* room for one more of n in *v (cap of them, each size bytes), growing by
 * doubling up to max; 0 ok, -1 full or out of memory */
static int room(void **v, int n, int *cap, int max, size_t size)
{
	void *p;
	int c;

	if (n < *cap)
		return 0;
	if (n >= max)
		return -1;
	c = *cap ? *cap * 2 : 64;
	if (c > max)
		c = max;
	if (!(p = realloc(*v, size * (size_t)c)))
		return -1;
	*v = p;
	*cap = c;
	return 0;
}

static int name_of(struct po_origin *o, const char *name, int kind)
{
	for (int i = 0; i < o->nnames; i++)
		if (o->names[i].kind == kind && !strcmp(o->names[i].name, name))
			return i;
	if (room((void **)&o->names, o->nnames, &o->capnames, PO_MAX_NAMES, sizeof(*o->names))) {
		o->names_lost++;
		return -1;
	}
	memset(&o->names[o->nnames], 0, sizeof(o->names[0]));
	snprintf(o->names[o->nnames].name, PO_NAME, "%s", name);
	o->names[o->nnames].kind = kind;
	o->names[o->nnames].first = INFINITY;
	return o->nnames++;
}

static void test_begin(struct po_origin *o, double t, int name)
{
	int p = o->nocc;

	if (room((void **)&o->occ, o->nocc, &o->capocc, PO_MAX_OCC, sizeof(*o->occ))) {
		o->occ_lost++;
		return;
	}
	/* markers come in time order but for late ones: insert at its place */
	while (p > 0 && o->occ[p - 1].t0 > t)
		p--;
	memmove(&o->occ[p + 1], &o->occ[p], sizeof(*o->occ) * (size_t)(o->nocc - p));
	o->nocc++;
	memset(&o->occ[p], 0, sizeof(o->occ[p]));
	o->occ[p].t0 = t;
	o->occ[p].name = name;
	o->occ[p].t1 = p + 1 < o->nocc ? o->occ[p + 1].t0 : INFINITY;
	if (p > 0 && o->occ[p - 1].t1 > t)
		o->occ[p - 1].t1 = t;
}

static void test_end(struct po_origin *o, double t, int name)
{
	for (int i = o->nocc - 1; i >= 0; i--)
		if (o->occ[i].t0 <= t && o->occ[i].t1 > t) {
			if (o->occ[i].name == name)
				o->occ[i].t1 = t;
			return;
		}
}

static void phase_edge(struct po_origin *o, double t, int name, int begin)
{
	if (begin) {
		if (o->nphase == PO_MAX_PHASE) {
			o->phase_lost++;
			return;
		}
		memset(&o->phase[o->nphase], 0, sizeof(o->phase[0]));
		o->phase[o->nphase].t0 = t;
		o->phase[o->nphase].t1 = INFINITY;
		o->phase[o->nphase++].name = name;
		return;
	}
	for (int i = o->nphase - 1; i >= 0; i--)
		if (o->phase[i].name == name && o->phase[i].t1 == INFINITY && o->phase[i].t0 <= t) {
			o->phase[i].t1 = t;
			return;
		}
}

void po_marker(struct po_origin *o, double t, const char *name, const char *kind, const char *edge)
{
	int k = !strcmp(kind, "phase") ? PO_PHASE : PO_TEST;
	int begin = strcmp(edge, "end") != 0;
	int idx;

	o->n_markers++;
	o->tracking = 1;
	if (!name[0])
		return;
	if (t < o->frontier)
		o->late++;
	idx = name_of(o, name, k);
	if (idx < 0)
		return;
	if (!room((void **)&o->marks, o->nmarks, &o->capmarks, PO_MAX_OCC, sizeof(*o->marks)))
		o->marks[o->nmarks++] = (struct po_mark){t, idx, k, begin};
	else
		o->marks_lost++;
	if (k == PO_PHASE)
		phase_edge(o, t, idx, begin);
	else if (begin)
		test_begin(o, t, idx);
	else
		test_end(o, t, idx);
}

/* ---- extfrag events ---- */

static void slot_add(struct po_occ *c, double t)
{
	double off = t - c->t0;

	if (!(c->sw > 0))
		c->sw = 1.0 / PO_SLOTS;
	while (off >= c->sw * PO_SLOTS && c->sw < 1e9) {
		for (int i = 0; i < PO_SLOTS / 2; i++)
			c->slot[i] = c->slot[2 * i] + c->slot[2 * i + 1];
		memset(&c->slot[PO_SLOTS / 2], 0, sizeof(c->slot[0]) * (PO_SLOTS / 2));
		c->sw *= 2;
	}
	c->n++;
	c->slot[off < 0 ? 0 : off >= c->sw * PO_SLOTS ? PO_SLOTS - 1 : (int)(off / c->sw)]++;
}

static void count_in(struct po_origin *o, struct po_occ *c, double t, int steal)
{
	struct po_name *nm = &o->names[c->name];

	slot_add(c, t);
	nm->n++;
	if (steal)
		nm->steal++;
	else
		nm->claim++;
}

/* the test occurrence running at t (the last that began at or before t) */
static struct po_occ *test_at(struct po_origin *o, double t)
{
	int lo = 0, hi = o->nocc;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (o->occ[mid].t0 <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && t < o->occ[lo - 1].t1 ? &o->occ[lo - 1] : NULL;
}

static void give(struct po_origin *o, double t, int steal)
{
	struct po_occ *c = test_at(o, t);
	int inphase = 0;

	if (c) {
		count_in(o, c, t, steal);
		o->attributed++;
	} else {
		o->no_test++;
	}
	for (int i = 0; i < o->nphase; i++)
		if (o->phase[i].t0 <= t && t < o->phase[i].t1) {
			count_in(o, &o->phase[i], t, steal);
			inphase = 1;
		}
	o->phase_events += (uint64_t)inphase;
}

/* give away the waiting events before `before` */
static void flush(struct po_origin *o, double before)
{
	int k = 0;

	for (int i = 0; i < o->ntail; i++)
		if (o->tail[i].t < before)
			give(o, o->tail[i].t, o->tail[i].steal);
		else
			o->tail[k++] = o->tail[i];
	o->ntail = k;
	before = before < o->tmax ? before : o->tmax;
	if (before > o->frontier)
		o->frontier = before;
}

void po_extfrag(struct po_origin *o, double t, int steal)
{
	if (!o->tracking || o->finished)
		return;
	if (!o->tail && !(o->tail = malloc(sizeof(*o->tail) * PO_TAIL))) {
		o->tracking = 0;
		return;
	}
	if (t > o->tmax)
		o->tmax = t;
	o->tail[o->ntail++] = (struct po_tailev){t, steal};
	if (o->ntail == PO_TAIL) {
		flush(o, o->tmax - PO_LAG);
		/* a burst of that many within PO_LAG: give them all */
		if (o->ntail > PO_TAIL * 3 / 4)
			flush(o, INFINITY);
	}
}

/* close an occurrence at end; its duration and, from its slots, the dispersion */
static void close_occ(struct po_origin *o, struct po_occ *c, double end)
{
	struct po_name *nm = &o->names[c->name];
	double dur;
	int k;

	if (c->t1 == INFINITY || c->t1 > end)
		c->t1 = end > c->t0 ? end : c->t0;
	dur = c->t1 - c->t0;
	nm->occ++;
	nm->dur += dur;
	if (c->t0 < nm->first)
		nm->first = c->t0;
	if (!c->n || !(dur > 0))
		return;
	while (c->sw * PO_SLOTS < dur) {
		for (int i = 0; i < PO_SLOTS / 2; i++)
			c->slot[i] = c->slot[2 * i] + c->slot[2 * i + 1];
		memset(&c->slot[PO_SLOTS / 2], 0, sizeof(c->slot[0]) * (PO_SLOTS / 2));
		c->sw *= 2;
	}
	k = (int)(dur / c->sw);
	if (k > PO_SLOTS)
		k = PO_SLOTS;
	if (k >= 2) {
		double sum = 0, mean, p = 0;

		for (int i = 0; i < k; i++)
			sum += c->slot[i];
		mean = sum / k;
		if (mean > 0) {
			for (int i = 0; i < k; i++)
				p += (c->slot[i] - mean) * (c->slot[i] - mean) / mean;
			nm->pearson += p;
			nm->df += k - 1;
		}
	}
}

void po_finish(struct po_origin *o, double end)
{
	if (o->finished)
		return;
	if (o->ntail)
		flush(o, INFINITY);
	o->finished = 1;
	if (o->tmax > end)
		end = o->tmax;
	o->end = end;
	for (int i = 0; i < o->nocc; i++)
		close_occ(o, &o->occ[i], end);
	for (int i = 0; i < o->nphase; i++)
		close_occ(o, &o->phase[i], end);
	free(o->tail);
	o->tail = NULL;
}

double po_dispersion(const struct po_origin *o)
{
	double p = 0;
	int df = 0;

	for (int i = 0; i < o->nnames; i++)
		if (o->names[i].kind == PO_TEST) {
			p += o->names[i].pearson;
			df += o->names[i].df;
		}
	return df > 0 && p / df > 1 ? p / df : 1;
}

int po_any(const struct po_origin *o)
{
	return o && (o->n_markers || o->have_tasks || o->have_stacks || o->markers[0]);
}

/* ---- tasks and stacks ---- */

struct po_task *po_task_add(struct po_origin *o)
{
	o->have_tasks = 1;
	if (o->ntasks == PO_MAX_TASKS) {
		o->tasks_lost++;
		return NULL;
	}
	memset(&o->tasks[o->ntasks], 0, sizeof(o->tasks[0]));
	return &o->tasks[o->ntasks++];
}

struct po_stack *po_stack_add(struct po_origin *o)
{
	o->have_stacks = 1;
	if (o->nstacks == o->capstacks) {
		int cap = o->capstacks ? o->capstacks * 2 : 64;
		struct po_stack *s;

		if (o->nstacks == PO_MAX_STACKS ||
		    !(s = realloc(o->stacks, sizeof(*s) * (size_t)cap))) {
			o->stacks_lost++;
			return NULL;
		}
		o->stacks = s;
		o->capstacks = cap;
	}
	memset(&o->stacks[o->nstacks], 0, sizeof(o->stacks[0]));
	return &o->stacks[o->nstacks++];
}

void po_stack_frame(struct po_origin *o, struct po_stack *s, const char *f, size_t len)
{
	char *p;

	if (len > 255)
		len = 255;
	if (s->nframes == PO_MAX_FRAMES || o->frame_bytes + len + 1 > PO_FRAME_BYTES ||
	    !(p = realloc(s->frames, s->len + len + 1))) {
		s->frames_lost++;
		return;
	}
	s->frames = p;
	for (size_t i = 0; i < len; i++)
		/* the folded format's separators and control bytes never reach a frame */
		p[s->len + i] = f[i] == ';' ? ':' : (unsigned char)f[i] < 0x20 ? '?' : f[i];
	p[s->len + len] = '\0';
	s->len += len + 1;
	s->nframes++;
	o->frame_bytes += len + 1;
}

int po_stack_frames(const struct po_stack *s, const char **out, int max)
{
	int n = 0;

	for (size_t off = 0; off < s->len && n < max; off += strlen(s->frames + off) + 1)
		out[n++] = s->frames + off;
	return n;
}

void po_top_pattern(char *dst, long long *dst_n, const char *pat, size_t len, long long n)
{
	if (n <= *dst_n && dst[0])
		return;
	if (len >= PO_PAT)
		len = PO_PAT - 1;
	memcpy(dst, pat, len);
	dst[len] = '\0';
	*dst_n = n;
}

/* ---- sorted views ---- */

static int by_n(const void *a, const void *b)
{
	const struct po_name *x = *(const struct po_name *const *)a;
	const struct po_name *y = *(const struct po_name *const *)b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

int po_sorted_names(const struct po_origin *o, int kind, const struct po_name **out, int max)
{
	int n = 0;

	for (int i = 0; i < o->nnames && n < max; i++)
		if (o->names[i].kind == kind)
			out[n++] = &o->names[i];
	qsort(out, (size_t)n, sizeof(*out), by_n);
	return n;
}

static int by_count(const void *a, const void *b)
{
	const struct po_stack *x = *(const struct po_stack *const *)a;
	const struct po_stack *y = *(const struct po_stack *const *)b;
	long long nx = x->steal + x->claim, ny = y->steal + y->claim;

	if (nx != ny)
		return nx > ny ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

int po_sorted_stacks(const struct po_origin *o, const struct po_stack **out, int max)
{
	int n = 0;

	for (int i = 0; i < o->nstacks && n < max; i++)
		out[n++] = &o->stacks[i];
	qsort(out, (size_t)n, sizeof(*out), by_count);
	return n;
}

/* ---- call paths ---- */

/*
 * The page and slab allocators' own frames ("name" exact, "name*" a prefix),
 * compared without the module, a compiler suffix (".isra.0", ".cold") or
 * "_noprof" (6.10's allocation profiling wrappers): docs/plot.md lists them.
 */
static const char *const alloc_frames[] = {
    "get_page_from_freelist", "__alloc_pages", "alloc_pages", "__alloc_frozen_pages",
    "alloc_frozen_pages", "__folio_alloc", "folio_alloc", "folio_alloc_mpol", "vma_alloc_folio",
    "alloc_pages_mpol", "alloc_pages_node", "__alloc_pages_node", "__alloc_pages_slowpath",
    "__alloc_pages_direct_compact", "alloc_page_interleave", "alloc_pages_exact",
    "alloc_pages_bulk", "__alloc_pages_bulk", "__get_free_pages", "get_zeroed_page",
    "__page_cache_alloc", "filemap_alloc_folio", "__rmqueue*", "rmqueue*",
    "steal_suitable_fallback", "try_to_claim_block", "try_to_steal_block", "alloc_slab_page",
    "allocate_slab", "new_slab", "___slab_alloc", "__slab_alloc*", "slab_alloc*",
    "kmem_cache_alloc*", "__kmem_cache_alloc*", "__kmalloc*", "kmalloc_trace*", "kmalloc_node*",
    "kmalloc_large*", "___kmalloc_large*", "kvmalloc*", "__kvmalloc*", "vmalloc*", "vzalloc*",
    "__vmalloc_node*", "__vmalloc_area_node", "vm_area_alloc_pages",
    /* the tracepoint and BPF frames, should a stack include them */
    "__traceiter_*", "__bpf_trace_*", "bpf_trace_run*", "bpf_prog_*", "trace_mm_*", NULL};

/* how a call comes in: system call, fault and interrupt entry, kernel threads */
static const char *const entry_frames[] = {"entry_SYSCALL*",
					   "entry_SYSENTER*",
					   "entry_INT80*",
					   "do_syscall_64",
					   "do_syscall_x64",
					   "x64_sys_call",
					   "do_fast_syscall_32",
					   "__do_fast_syscall_32",
					   "do_int80_syscall_32",
					   "__x64_sys_*",
					   "__ia32_sys_*",
					   "__se_sys_*",
					   "__arm64_sys_*",
					   "invoke_syscall",
					   "el0_svc_common",
					   "do_el0_svc",
					   "el0_*",
					   "el0t_*",
					   "el1h_*",
					   "asm_*",
					   "sysvec_*",
					   "__sysvec_*",
					   "common_interrupt",
					   "irq_exit_rcu",
					   "__irq_exit_rcu",
					   "handle_softirqs",
					   "__do_softirq",
					   "do_softirq",
					   "run_ksoftirqd",
					   "ret_from_fork*",
					   "kthread",
					   "worker_thread",
					   "process_one_work",
					   "smpboot_thread_fn",
					   "cpu_startup_entry",
					   "do_idle",
					   "cpuidle_enter*",
					   "call_cpuidle",
					   "start_secondary",
					   "secondary_startup_64*",
					   "common_startup_64",
					   "x86_64_start_*",
					   "start_kernel",
					   "rest_init",
					   NULL};

static int in_set(const char *const *set, const char *frame)
{
	char base[256];
	size_t n = strcspn(frame, " .");

	if (n >= sizeof(base))
		n = sizeof(base) - 1;
	memcpy(base, frame, n);
	base[n] = '\0';
	if (n > 7 && !strcmp(base + n - 7, "_noprof"))
		base[n -= 7] = '\0';
	for (; *set; set++) {
		size_t len = strlen(*set);

		if ((*set)[len - 1] == '*' ? !strncmp(base, *set, len - 1) : !strcmp(base, *set))
			return 1;
	}
	return 0;
}

int po_is_alloc_frame(const char *f)
{
	return in_set(alloc_frames, f);
}

int po_is_entry_frame(const char *f)
{
	return in_set(entry_frames, f);
}

void po_short_path(const char *const *frames, int n, char *out, size_t cap)
{
	int lo = 0, hi = n - 1;

	while (lo < n && po_is_alloc_frame(frames[lo]))
		lo++;
	while (hi > lo && po_is_entry_frame(frames[hi]))
		hi--;
	if (lo >= n)
		snprintf(out, cap, "(allocator only)");
	else if (lo == hi)
		snprintf(out, cap, "%s", frames[lo]);
	else
		snprintf(out, cap, "%s \xe2\x86\x90 %s", frames[lo], frames[hi]);
}
