// SPDX-License-Identifier: GPL-2.0
/*
 * plot/origin.c, plot/folded.c, plot/pertest.c: call paths shortened to the
 * allocator's caller, the folded-stack text, events given to the test that
 * ran (late markers too), the test-by-test pairing, and the false-positive
 * rate of the A/B per-test verdicts on synthetic same-process pairs
 * (docs/plot.md prints the figures of pertest_fpr).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "folded.h"
#include "origin.h"
#include "pertest.h"
#include "unit.h"

static void short_paths(void)
{
	const char *pipe[] = {"get_page_from_freelist",
			      "__alloc_pages_noprof",
			      "alloc_pages_mpol_noprof",
			      "anon_pipe_write",
			      "vfs_write",
			      "ksys_write",
			      "__x64_sys_write",
			      "x64_sys_call",
			      "do_syscall_64",
			      "entry_SYSCALL_64_after_hwframe"};
	const char *slab[] = {"get_page_from_freelist.isra.0",
			      "__alloc_pages_noprof",
			      "allocate_slab",
			      "___slab_alloc",
			      "kmem_cache_alloc_lru_noprof",
			      "__d_alloc",
			      "d_alloc_parallel",
			      "path_openat"};
	const char *wq[] = {"__rmqueue_pcplist",
			    "rmqueue",
			    "get_page_from_freelist",
			    "__folio_alloc_noprof",
			    "xfs_buf_alloc_backing_mem [xfs]",
			    "xfs_buf_get_map [xfs]",
			    "xfs_trans_get_buf_map [xfs]",
			    "process_one_work",
			    "worker_thread",
			    "kthread",
			    "ret_from_fork",
			    "ret_from_fork_asm"};
	const char *alloc_only[] = {"get_page_from_freelist", "__alloc_pages"};
	const char *one[] = {"__alloc_pages", "0xffffffffc0a01234", "do_syscall_64"};
	char out[256];

	po_short_path(pipe, 10, out, sizeof(out));
	UT_EQ_STR(out, "anon_pipe_write \xe2\x86\x90 ksys_write", "pipe write path");
	po_short_path(slab, 8, out, sizeof(out));
	UT_EQ_STR(out, "__d_alloc \xe2\x86\x90 path_openat", "slab path, no entry frames");
	po_short_path(wq, 12, out, sizeof(out));
	UT_EQ_STR(out, "xfs_buf_alloc_backing_mem [xfs] \xe2\x86\x90 xfs_trans_get_buf_map [xfs]",
		  "module frames, a workqueue");
	po_short_path(alloc_only, 2, out, sizeof(out));
	UT_EQ_STR(out, "(allocator only)", "nothing but the allocator");
	po_short_path(one, 3, out, sizeof(out));
	UT_EQ_STR(out, "0xffffffffc0a01234", "an unresolved caller alone");
	UT_CHECK(po_is_alloc_frame("kmalloc_trace_noprof"), "kmalloc_trace_noprof");
	UT_CHECK(po_is_alloc_frame("__vmalloc_node_range_noprof"), "vmalloc's internals");
	UT_CHECK(!po_is_alloc_frame("alloc_inode"), "alloc_inode is a caller");
	UT_CHECK(!po_is_alloc_frame("folio_alloc_buffers"), "folio_alloc_buffers is a caller");
	UT_CHECK(po_is_entry_frame("asm_exc_page_fault"), "asm_ entry");
	UT_CHECK(!po_is_entry_frame("exc_page_fault"), "exc_page_fault names the fault");
}

static void add_stack(struct po_origin *o, long long id, const char *const *f, int n,
		      long long steal, long long claim)
{
	struct po_stack *s = po_stack_add(o);

	UT_CHECK(s, "po_stack_add");
	if (!s)
		return;
	s->id = id;
	s->steal = steal;
	s->claim = claim;
	for (int i = 0; i < n; i++)
		po_stack_frame(o, s, f[i], strlen(f[i]));
}

static void folded(void)
{
	const char *p1[] = {"get_page_from_freelist", "anon_pipe_write", "ksys_write"};
	const char *p2[] = {"get_page_from_freelist", "odd;name", "ksys_write"};
	struct po_origin *a = po_new(), *b = po_new();
	char *text = NULL;
	size_t len = 0;

	UT_CHECK(a && b, "po_new");
	if (!a || !b)
		goto out;
	a->stacks_enabled = b->stacks_enabled = 1;
	/* two ids with the same frames (offsets differ in the kernel): one line */
	add_stack(a, 1, p1, 3, 5, 2);
	add_stack(a, 2, p1, 3, 1, 0);
	add_stack(a, 3, p2, 3, 0, 4);
	a->st_map_full = 3;
	a->st_failed = 0;
	UT_CHECK(!po_folded_text(a, NULL, &text, &len), "po_folded_text");
	UT_EQ_STR(text,
		  "[stack map full] 3\n"
		  "ksys_write;anon_pipe_write;get_page_from_freelist 8\n"
		  "ksys_write;odd:name;get_page_from_freelist 4\n",
		  "one run: outermost first, merged, sorted, ';' replaced");
	UT_EQ_LL(len, strlen(text), "length");
	free(text);
	text = NULL;
	add_stack(b, 9, p1, 3, 10, 0);
	UT_CHECK(!po_folded_text(a, b, &text, &len), "po_folded_text A/B");
	UT_EQ_STR(text,
		  "[stack map full] 3 0\n"
		  "ksys_write;anon_pipe_write;get_page_from_freelist 8 10\n"
		  "ksys_write;odd:name;get_page_from_freelist 4 0\n",
		  "A/B: two counts per line");
out:
	free(text);
	po_free(a);
	po_free(b);
}

/*
 * Events given to tests: t1 [1, 4), t2 [4, 7) (ended), none after; t2's
 * marker arrives after an event of its own (4.2), within PO_LAG.  A marker
 * for 0.5 s arriving after PO_LAG s of events is late: counted.
 */
static void attribution(void)
{
	struct po_origin *o = po_new();
	const struct po_name *v[4];
	int n;

	UT_CHECK(o, "po_new");
	if (!o)
		return;
	po_marker(o, 1.0, "t1", "test", "begin");
	po_extfrag(o, 0.5, 1); /* before any test */
	po_extfrag(o, 1.5, 1);
	po_extfrag(o, 3.9, 0);
	po_extfrag(o, 4.2, 1);
	po_marker(o, 4.0, "t2", "test", "begin");
	po_extfrag(o, 5.0, 1);
	po_marker(o, 7.0, "t2", "test", "end");
	po_extfrag(o, 7.5, 1);
	po_marker(o, 2.0, "p", "phase", "begin");
	po_marker(o, 6.0, "p", "phase", "end");
	po_finish(o, 10.0);
	n = po_sorted_names(o, PO_TEST, v, 4);
	UT_EQ_LL(n, 2, "tests");
	UT_EQ_STR(v[0]->name, "t1", "t1 first (3 over 2, then by name)");
	UT_EQ_LL(v[0]->n, 2, "t1 fallbacks: 1.5, 3.9");
	UT_EQ_LL(v[0]->claim, 1, "t1 claim");
	UT_CHECK(fabs(v[0]->dur - 3.0) < 1e-9, "t1 ran 3 s, not %g", v[0]->dur);
	UT_EQ_LL(v[1]->n, 2, "t2 fallbacks: 4.2 (its marker came later), 5.0");
	UT_CHECK(fabs(v[1]->dur - 3.0) < 1e-9, "t2 ended at 7: 3 s, not %g", v[1]->dur);
	UT_EQ_LL(o->no_test, 2, "no test: 0.5, 7.5");
	n = po_sorted_names(o, PO_PHASE, v, 4);
	UT_EQ_LL(n, 1, "phases");
	UT_EQ_LL(v[0]->n, 3, "phase [2, 6): 3.9, 4.2, 5.0");
	UT_EQ_LL(o->late, 0, "no late marker");
	po_free(o);

	o = po_new();
	if (!o)
		return;
	po_marker(o, 1.0, "t1", "test", "begin");
	for (int i = 0; i < PO_TAIL; i++)
		po_extfrag(o, 1.0 + i * (2 * PO_LAG / PO_TAIL), 1);
	po_marker(o, 1.5, "t0", "test", "begin");
	po_finish(o, 200);
	UT_EQ_LL(o->late, 1, "a marker behind the events given away");
	UT_EQ_LL(o->attributed, PO_TAIL, "every event in a test");
	po_free(o);
}

static void pairing(void)
{
	struct pt_input a[] = {{"g/001", 10, 10, 0},
			       {"g/002", 0, 5, 10},
			       {"g/003", 4, 8, 15},
			       {"g/004", 0, 3, 23},
			       {"a-only", 9, 9, 26}};
	struct pt_input b[] = {{"g/003", 8, 8, 15}, {"g/001", 30, 10, 0}, {"g/002", 0, 6, 10},
			       {"g/004", 1, 3, 23}, {"b-only", 1, 1, 26}, {"b-two", 2, 2, 27}};
	struct pt_result res;

	UT_CHECK(!pt_compare(a, 5, 1, b, 6, 1, &res), "pt_compare");
	UT_EQ_LL(res.both, 4, "tests in both");
	UT_EQ_LL(res.only_a, 1, "A only");
	UT_EQ_LL(res.only_b, 2, "B only");
	UT_EQ_LL(res.m, 3, "paired with a fallback (g/002 has none on either side)");
	UT_EQ_STR(res.rows[0].name, "g/004", "largest ratio first: 0 -> 1 in 3 s");
	UT_CHECK(fabs(res.rows[0].y - log(1.5 / 0.5)) < 1e-12, "log ratio %g", res.rows[0].y);
	UT_EQ_LL(res.verdict, 2, "3 tests: too few for an interval");
	pt_free(&res);
	UT_CHECK(fabs(pt_qnorm(0.975) - 1.959964) < 1e-5, "qnorm(0.975)");
	UT_CHECK(fabs(pt_qnorm(0.001) + 3.090232) < 1e-5, "qnorm(0.001)");
}

/* ---- synthetic same-process pairs ---- */

static uint64_t rng_state;

static double urand(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static double nrand(void)
{
	return sqrt(-2 * log(urand())) * cos(2 * M_PI * urand());
}

#define SIM_MAX_TESTS 128
#define AR (getenv("SIM_AR") ? atof(getenv("SIM_AR")) : 0.7)

struct sim_test {
	char name[24];
	double rate, dur;
};

/*
 * One run of m tests: each test's duration varies by run (+-15%), its rate by
 * an autocorrelated state (AR(1) over the tests, log-sd 0.5: the memory the
 * earlier tests left), times mult; fallbacks come in clusters of geometric
 * size (mean 6) within 0.2 s.
 */
static struct po_origin *sim_run(const struct sim_test *t, int m, const double *mult)
{
	struct po_origin *o = po_new();
	double now = 0.5, state = 0;

	if (!o)
		return NULL;
	po_marker(o, 0.1, "fstests", "phase", "begin");
	for (int i = 0; i < m; i++) {
		double d = t[i].dur * (0.85 + 0.3 * urand()), end = now + d, u = now;
		double rate;

		state = AR * state + 0.5 * sqrt(1 - AR * AR) * nrand();
		rate = t[i].rate * exp(state) * mult[i];
		po_marker(o, now, t[i].name, "test", "begin");
		for (;;) {
			u += -log(urand()) / (rate / 6);
			if (u >= end)
				break;
			do
				po_extfrag(o, fmin(u + 0.2 * urand(), end - 1e-6), urand() < 0.8);
			while (urand() > 1.0 / 6);
		}
		now = end;
	}
	po_marker(o, now, "fstests", "phase", "end");
	po_finish(o, now + 1);
	return o;
}

static char sim_worse[4][24]; /* the tests made worse in the last pair */

static int is_worse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(sim_worse[i], name))
			return 1;
	return 0;
}

/* the last pair's runs (NULL, NULL: free them) */
static void sim_keep(struct po_origin *a, struct po_origin *b)
{
	static struct po_origin *ka, *kb;

	po_free(ka);
	po_free(kb);
	ka = a;
	kb = b;
}

static int sim_pair(int seed, double worse, int nworse, struct pt_result *res, int *m)
{
	struct sim_test t[SIM_MAX_TESTS];
	double ma[SIM_MAX_TESTS], mb[SIM_MAX_TESTS];
	struct pt_input ia[SIM_MAX_TESTS], ib[SIM_MAX_TESTS];
	struct po_origin *a, *b;
	int na, nb, rc;

	rng_state = 0x5eed0000ULL + (uint64_t)seed * 7919;
	memset(sim_worse, 0, sizeof(sim_worse));
	*m = 30 + (int)(urand() * 90);
	for (int i = 0; i < *m; i++) {
		snprintf(t[i].name, sizeof(t[i].name), "generic/%03d", i + 1);
		t[i].rate = exp(log(0.3) + 1.2 * nrand());
		t[i].dur = exp(log(20) + 0.8 * nrand());
		ma[i] = mb[i] = 1;
	}
	/* nworse tests change: those with the most fallbacks expected (all when
	 * nworse >= m) */
	for (int w = 0; w < nworse && w < *m; w++) {
		int best = -1;

		for (int i = 0; i < *m; i++)
			if (mb[i] == 1 &&
			    (best < 0 || t[i].rate * t[i].dur > t[best].rate * t[best].dur))
				best = i;
		mb[best] = worse;
		if (w < 4)
			snprintf(sim_worse[w], sizeof(sim_worse[w]), "%s", t[best].name);
	}
	a = sim_run(t, *m, ma);
	b = sim_run(t, *m, mb);
	if (!a || !b) {
		po_free(a);
		po_free(b);
		return -1;
	}
	na = pt_inputs(a, ia, SIM_MAX_TESTS);
	nb = pt_inputs(b, ib, SIM_MAX_TESTS);
	rc = pt_compare(ia, na, po_dispersion(a), ib, nb, po_dispersion(b), res);
	/* the result's names are the runs': kept until the next pair */
	sim_keep(a, b);
	return rc;
}

static void wilson(int k, int n, double *lo, double *hi)
{
	double p = (double)k / n, z = 1.959964, d = 1 + z * z / n;
	double c = (p + z * z / (2 * n)) / d;
	double h = z * sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / d;

	*lo = c - h;
	*hi = c + h;
}

#define SEEDS (getenv("PERTEST_SEEDS") ? atoi(getenv("PERTEST_SEEDS")) : 300)

static void pertest_fpr(void)
{
	int verdict = 0, anyflag = 0, flags = 0, tests = 0, found = 0, shifted = 0, wrong = 0;
	double lo, hi;
	struct pt_result res;
	int m;

	for (int s = 0; s < SEEDS; s++) {
		if (sim_pair(s, 1, 0, &res, &m)) {
			UT_CHECK(0, "out of memory");
			return;
		}
		verdict += res.verdict == 1 || res.verdict == -1;
		anyflag += res.nmore + res.nless > 0;
		flags += res.nmore + res.nless;
		tests += res.m;
		pt_free(&res);
		/* power: the 4 tests with the most fallbacks x10 on B */
		if (sim_pair(s, 10, 4, &res, &m))
			return;
		for (int i = 0; i < res.m; i++)
			found += res.rows[i].flag > 0 && res.rows[i].na + res.rows[i].nb > 0 &&
				 is_worse(res.rows[i].name);
		for (int i = 0; i < res.m; i++)
			wrong += res.rows[i].flag != 0 && !is_worse(res.rows[i].name);
		pt_free(&res);
		/* every test x1.5 on B: the typical ratio */
		if (sim_pair(s, 1.5, SIM_MAX_TESTS, &res, &m))
			return;
		shifted += res.verdict == 1;
		pt_free(&res);
	}
	sim_keep(NULL, NULL);
	wilson(verdict, SEEDS, &lo, &hi);
	printf("pertest_fpr: same process, %d seeds, %d tests: typical-ratio verdict %d "
	       "(%.1f%%, Wilson 95%% [%.1f%%, %.1f%%])\n",
	       SEEDS, tests, verdict, 100.0 * verdict / SEEDS, 100 * lo, 100 * hi);
	UT_CHECK(lo < 0.05, "typical-ratio false positives %d of %d", verdict, SEEDS);
	wilson(anyflag, SEEDS, &lo, &hi);
	printf("pertest_fpr: same process: a test flagged in %d seeds (%.1f%%, Wilson 95%% "
	       "[%.1f%%, %.1f%%]); %d flags over %d tests\n",
	       anyflag, 100.0 * anyflag / SEEDS, 100 * lo, 100 * hi, flags, tests);
	UT_CHECK(lo < 0.05, "per-test family-wise false positives %d of %d", anyflag, SEEDS);
	printf("pertest_fpr: the 4 biggest tests x10 on B: %d of %d found (%.1f%%), %d other tests "
	       "flagged; "
	       "every test x1.5: more on B in %d of %d seeds (%.1f%%)\n",
	       found, 4 * SEEDS, 100.0 * found / (4 * SEEDS), wrong, shifted, SEEDS,
	       100.0 * shifted / SEEDS);
	UT_CHECK(found > 0 && wrong <= found, "power: found %d of %d, %d others flagged", found,
		 4 * SEEDS, wrong);
	UT_CHECK(shifted > SEEDS / 10, "power: x1.5 seen in %d of %d", shifted, SEEDS);
}

const struct ut_test ut_origin_tests[] = {
    {"origin_short_paths", short_paths}, {"origin_folded", folded},
    {"origin_attribution", attribution}, {"origin_pairing", pairing},
    {"pertest_fpr", pertest_fpr},	 {NULL, NULL},
};
