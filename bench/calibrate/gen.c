// SPDX-License-Identifier: GPL-2.0
#include "gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fragindex.h"

/* ---- random numbers: xoshiro256** seeded by splitmix64 ---- */

struct rng {
	uint64_t s[4];
};

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t next(struct rng *g)
{
	uint64_t r = rotl(g->s[1] * 5, 7) * 9, t = g->s[1] << 17;

	g->s[2] ^= g->s[0];
	g->s[3] ^= g->s[1];
	g->s[1] ^= g->s[2];
	g->s[0] ^= g->s[3];
	g->s[2] ^= t;
	g->s[3] = rotl(g->s[3], 45);
	return r;
}

static void seed_rng(struct rng *g, uint64_t seed)
{
	for (int i = 0; i < 4; i++) {
		uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		g->s[i] = z ^ (z >> 31);
	}
}

static double unif(struct rng *g)
{
	return ((double)(next(g) >> 11) + 0.5) / 9007199254740992.0;
}

static double expo(struct rng *g, double mean)
{
	return -mean * log(unif(g));
}

static double gauss(struct rng *g)
{
	return sqrt(-2 * log(unif(g))) * cos(2 * M_PI * unif(g));
}

/* ---- what the events look like ---- */

/* kinds of fallback: allocation order, from -> to, steal, fallback order */
static const struct fb {
	int order;
	const char *from, *to;
	int steal, fb_order;
	double w;
} fbs[] = {
    {0, "MOVABLE", "UNMOVABLE", 0, 10, 0.55},	 {0, "UNMOVABLE", "MOVABLE", 1, 3, 0.20},
    {2, "MOVABLE", "RECLAIMABLE", 0, 9, 0.10}, {3, "RECLAIMABLE", "UNMOVABLE", 1, 1, 0.10},
    {9, "UNMOVABLE", "MOVABLE", 0, 10, 0.05},
};
#define NFB (sizeof(fbs) / sizeof(fbs[0]))

static int draw_fb(struct rng *g)
{
	double u = unif(g);

	for (size_t i = 0; i < NFB; i++)
		if ((u -= fbs[i].w) <= 0)
			return (int)i;
	return 0;
}

enum ev_kind { E_EXTFRAG, E_COMPACT, E_SNAP };

struct ev {
	double t;
	enum ev_kind kind;
	int fb;	      /* extfrag: kind of fallback */
	int dma32;    /* extfrag: in DMA32 instead of Normal */
	int success;  /* compaction */
	int corder;   /* compaction order */
	long pfn;     /* extfrag */
	int migrated; /* compaction: pages migrated (a migrate event follows) */
};

struct evs {
	struct ev *v;
	size_t n, cap;
};

static struct ev *push(struct evs *e)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 4096;
		struct ev *v = realloc(e->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		e->v = v;
		e->cap = cap;
	}
	memset(&e->v[e->n], 0, sizeof(e->v[0]));
	return &e->v[e->n++];
}

static int by_time(const void *a, const void *b)
{
	double x = ((const struct ev *)a)->t, y = ((const struct ev *)b)->t;

	return x < y ? -1 : x > y;
}

void cal_proc_init(struct cal_proc *p, enum cal_kind kind, double duration, double tau,
		   int shared)
{
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->duration = duration;
	p->snap_iv = 1.0;
	p->tau = tau;
	p->shared = shared;
	p->scale = 1;
	p->sojourn = 60;
	p->burst_every = 60;
	p->burst_min = 50;
	p->burst_max = 500;
	p->burst_len = 1.5;
	switch (kind) {
	case CAL_POISSON:
		p->rate = 5;
		break;
	case CAL_BURSTY:
		p->rate = 0.5; /* plus 275 / 60 s from the bursts: ~5/s */
		break;
	case CAL_REGIMES:
		p->rate = 1;
		p->hi_rate = 20;
		break;
	}
}

/* an episode (a burst, a regime): its own dominant pattern and compaction luck */
struct episode {
	int fb;
	double p_success;
};

static void episode_new(struct episode *ep, const struct cal_proc *p, struct rng *g)
{
	ep->fb = draw_fb(g);
	ep->p_success = p->shared ? 0.35 + 0.6 * unif(g) : 0.7;
}

static int add_extfrag(struct evs *e, const struct cal_proc *p, struct rng *g, double t,
		       const struct episode *ep)
{
	struct ev *x;

	if (t < 0 || t >= p->duration)
		return 0;
	if (!(x = push(e)))
		return -1;
	x->t = t;
	x->kind = E_EXTFRAG;
	x->fb = p->shared && unif(g) < 0.85 ? ep->fb : draw_fb(g);
	x->dma32 = unif(g) < 0.05;
	x->pfn = 1048576 + (long)(unif(g) * 5000000);
	/* compaction follows the fallbacks: a run after about one in 30 */
	if (unif(g) < 1.0 / 30) {
		double tc = t + expo(g, 0.5);

		if (tc < p->duration) {
			if (!(x = push(e)))
				return -1;
			x->t = tc;
			x->kind = E_COMPACT;
			x->success = unif(g) < ep->p_success;
			x->corder = unif(g) < 0.3 ? -1 : unif(g) < 0.5 ? 9 : 3;
			x->migrated = x->success ? 1 + (int)expo(g, 200) : (int)expo(g, 10);
		}
	}
	return 0;
}

/* the extfrag events of the run, and the compaction runs that follow them */
static int make_events(struct evs *e, const struct cal_proc *p, struct rng *g)
{
	double t = 0, s = p->scale;
	struct episode ep;

	episode_new(&ep, p, g);
	switch (p->kind) {
	case CAL_POISSON:
		/* "episodes" of 60 s for the shared pattern */
		for (double next_ep = 60; (t += expo(g, 1 / (p->rate * s))) < p->duration;) {
			if (t > next_ep) {
				episode_new(&ep, p, g);
				next_ep += 60;
			}
			if (add_extfrag(e, p, g, t, &ep))
				return -1;
		}
		break;
	case CAL_BURSTY: {
		struct episode bg;

		episode_new(&bg, p, g);
		while ((t += expo(g, 1 / (p->rate * s))) < p->duration)
			if (add_extfrag(e, p, g, t, &bg))
				return -1;
		t = 0;
		/* bursts start before 0 too: the run begins in a stationary state */
		for (t = -10 * p->burst_len; (t += expo(g, p->burst_every / s)) < p->duration;) {
			int n = p->burst_min + (int)(unif(g) * (p->burst_max - p->burst_min + 1));

			episode_new(&ep, p, g);
			for (int i = 0; i < n; i++)
				if (add_extfrag(e, p, g, t + expo(g, p->burst_len), &ep))
					return -1;
		}
		break;
	}
	case CAL_REGIMES: {
		int hi = unif(g) < p->rate / (p->rate + p->hi_rate) ? 0 : unif(g) < 0.5;
		double end = expo(g, p->sojourn);

		for (;;) {
			double r = (hi ? p->hi_rate : p->rate) * s;

			t += expo(g, 1 / r);
			while (t >= end && end < p->duration) {
				/* memoryless: restart the clock in the next regime */
				hi = !hi;
				episode_new(&ep, p, g);
				t = end + expo(g, 1 / ((hi ? p->hi_rate : p->rate) * s));
				end += expo(g, p->sojourn);
			}
			if (t >= p->duration)
				break;
			if (add_extfrag(e, p, g, t, &ep))
				return -1;
		}
		break;
	}
	}
	return 0;
}

/* ---- the state the snapshots show ---- */

#define NORD 11
#define PBO 9

static const double normal_base[NORD] = {12000, 6800, 6800, 1800, 4200, 3250,
					 2430,	1560, 680,  640,  93};

struct state {
	double x, y, z; /* AR(1) latents: free lists, high orders, pageblocks */
};

static void state_step(struct state *s, double phi, struct rng *g)
{
	double k = sqrt(1 - phi * phi);

	s->x = phi * s->x + k * gauss(g);
	s->y = phi * s->y + k * gauss(g);
	s->z = phi * s->z + k * gauss(g);
}

static void normal_free(const struct state *s, struct rng *g, unsigned long long *f)
{
	for (int o = 0; o < NORD; o++) {
		double lvl = o >= PBO ? 0.5 * s->y : 0.3 * s->x;
		double v = normal_base[o] * exp(lvl + 0.05 * gauss(g));

		f[o] = (unsigned long long)llround(v);
	}
}

/* "key": [v0, v1, ...]: by hand, fprintf per number was most of the time */
static void ints(FILE *out, const char *key, const long long *v, int n)
{
	char buf[64 + 24 * NORD], *o = buf;

	o += snprintf(o, 64, "\"%s\": [", key);
	for (int i = 0; i < n && i < NORD; i++) {
		char tmp[24];
		int k = 0;
		unsigned long long x = v[i] < 0 ? (unsigned long long)-v[i] : (unsigned long long)v[i];

		if (i) {
			*o++ = ',';
			*o++ = ' ';
		}
		if (v[i] < 0)
			*o++ = '-';
		do
			tmp[k++] = (char)('0' + x % 10);
		while ((x /= 10));
		while (k)
			*o++ = tmp[--k];
	}
	*o++ = ']';
	fwrite(buf, 1, (size_t)(o - buf), out);
}

static void zone_json(FILE *out, const char *name, const unsigned long long *f, const long *pb,
		      int first, int by_type)
{
	long long v[NORD];
	static const char *const mt[] = {"UNMOVABLE", "MOVABLE", "RECLAIMABLE", "HIGHATOMIC",
					 "ISOLATE"};

	fprintf(out, "%s{\"node\": 0, \"zone\": \"%s\", ", first ? "" : ", ", name);
	for (int o = 0; o < NORD; o++)
		v[o] = (long long)f[o];
	ints(out, "free", v, NORD);
	fputs(by_type ? ", \"free_by_type\": {" : ", \"pageblocks\": {", out);
	for (int k = 0; by_type && k < 5; k++) {
		for (int o = 0; o < NORD; o++)
			v[o] = k == 1 ? (long long)f[o] - (long long)(f[o] / 3) - (long long)(f[o] / 20)
			       : k == 0 ? (long long)(f[o] / 3)
			       : k == 2 ? (long long)(f[o] / 20)
					: 0;
		fputs(k ? ", " : "", out);
		ints(out, mt[k], v, NORD);
	}
	if (by_type)
		fputs("}, \"pageblocks\": {", out);
	for (int k = 0; k < 5; k++)
		fprintf(out, "%s\"%s\": %ld", k ? ", " : "", mt[k], pb[k]);
	fputs("}, ", out);
	for (int o = 0; o < NORD; o++)
		v[o] = fm_fragmentation_index(f, NORD, o);
	ints(out, "fragmentation_index", v, NORD);
	fputs(", ", out);
	for (int o = 0; o < NORD; o++)
		v[o] = fm_unusable_index(f, NORD, o);
	ints(out, "unusable_index", v, NORD);
	fputc('}', out);
}

struct counters {
	long long stall, fail, success, pgalloc_normal, pgalloc_dma32, mig_ok, mig_fail;
	long long csucc[3], cfail[3]; /* by order slot: -1, 3, 9 */
	long long ef[NORD], steal, claim, fragmenting, pat[NFB][2];
	long long n_events, nsnap;
};

static int cslot(int order)
{
	return order < 0 ? 0 : order == 3 ? 1 : 2;
}

static void common(FILE *out, double t, const char *type, int pid, int cpu)
{
	fprintf(out,
		"{\"timestamp\": %.9f, \"event_type\": \"%s\", \"pid\": %d, \"tid\": %d, "
		"\"comm\": \"%s\", \"cpu\": %d",
		t, type, pid, pid, pid ? "fragload" : "", cpu);
}

static void header(FILE *out, const struct cal_proc *p, double start)
{
	fprintf(out,
		"\"format\": \"fragmon\", \"format_version\": 1, \"agent_version\": \"0.1.0\", "
		"\"start_time\": %.6f, \"kernel_version\": \"6.12.0-calibrate\", \"hostname\": "
		"\"calibrate\", \"mode\": \"full\", \"duration_limit\": %.0f, "
		"\"snapshot_interval_ms\": %.0f, \"max_output_mb\": 1024, \"ringbuf_kb\": 4096, "
		"\"index_source\": \"snapshot\", \"pageblock_order\": %d, \"page_size\": 4096, "
		"\"nr_page_orders\": %d, \"migratetypes\": [\"UNMOVABLE\", \"MOVABLE\", "
		"\"RECLAIMABLE\", \"HIGHATOMIC\", \"ISOLATE\"], \"zones\": [{\"node\": 0, \"zone\": "
		"\"DMA\", \"start_pfn\": 1, \"spanned\": 4095}, {\"node\": 0, \"zone\": \"DMA32\", "
		"\"start_pfn\": 4096, \"spanned\": 1044480}, {\"node\": 0, \"zone\": \"Normal\", "
		"\"start_pfn\": 1048576, \"spanned\": 5505024}], \"tracepoints\": "
		"{\"kmem:mm_page_alloc_extfrag\": \"attached\", \"compaction:mm_compaction_begin\": "
		"\"attached\", \"compaction:mm_compaction_end\": \"attached\", "
		"\"page_alloc:mm_compaction_success\": \"missing\", "
		"\"page_alloc:mm_compaction_failure\": \"missing\", \"migrate:mm_migrate_pages\": "
		"\"attached\"}",
		start, p->duration, p->snap_iv * 1000, PBO, NORD);
}

int cal_write_run(const struct cal_proc *p, uint64_t seed, FILE *out)
{
	struct rng g;
	struct evs e = {0};
	struct state st = {0, 0, 0};
	struct counters c = {0};
	unsigned long long nf[NORD] = {0}, d32[NORD] = {1, 3, 0, 2, 3, 2, 1, 4, 4, 2, 752};
	static const unsigned long long dma[NORD] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 3};
	double phi = exp(-p->snap_iv / p->tau), start = 1796138106.0 + (double)(seed % 100000);
	int nfi = 0;

	seed_rng(&g, seed);
	if (make_events(&e, p, &g))
		goto oom;
	for (double t = 0; t <= p->duration + 1e-9; t += p->snap_iv) {
		struct ev *x = push(&e);

		if (!x)
			goto oom;
		x->t = t > 0 ? t + 0.0005 * unif(&g) : 0.0001;
		x->kind = E_SNAP;
	}
	qsort(e.v, e.n, sizeof(*e.v), by_time);
	/* the state starts from its stationary distribution */
	st.x = gauss(&g);
	st.y = gauss(&g);
	st.z = gauss(&g);
	normal_free(&st, &g, nf);
	fputs("{\"run\": {", out);
	header(out, p, start);
	fputs("}, \"events\": [\n", out);
	for (size_t i = 0; i < e.n; i++) {
		const struct ev *x = &e.v[i];

		if (c.n_events)
			fputs(",\n", out);
		c.n_events++;
		if (x->kind == E_SNAP) {
			long pbn[5], pb32[5] = {0, 1528, 0, 0, 0}, pbd[5] = {1, 7, 0, 0, 0};
			double pages = 0;

			state_step(&st, phi, &g);
			normal_free(&st, &g, nf);
			pbn[0] = lround(1600 + 80 * st.z);
			pbn[2] = lround(96 + 8 * st.z + 3 * gauss(&g));
			pbn[3] = pbn[4] = 0;
			pbn[1] = 3648 - pbn[0] - pbn[2];
			for (int o = 0; o < NORD; o++)
				pages += (double)nf[o] * (double)(1 << o);
			c.pgalloc_normal += llround(250000 * p->snap_iv * (1 + 0.05 * gauss(&g)));
			c.pgalloc_dma32 += llround(1000 * p->snap_iv * (1 + 0.2 * gauss(&g)));
			d32[0] = (unsigned long long)(1 + (next(&g) % 3));
			common(out, x->t, "snapshot", 0, -1);
			fputs(", \"zones\": [", out);
			zone_json(out, "DMA", dma, pbd, 1, !p->lean);
			zone_json(out, "DMA32", d32, pb32, 0, !p->lean);
			zone_json(out, "Normal", nf, pbn, 0, !p->lean);
			fprintf(out,
				"], \"vmstat\": {\"pgmigrate_success\": %lld, \"pgmigrate_fail\": "
				"%lld, \"compact_stall\": %lld, \"compact_fail\": %lld, "
				"\"compact_success\": %lld, \"pgalloc_dma\": 0, \"pgalloc_dma32\": "
				"%lld, \"pgalloc_normal\": %lld, \"pgalloc_movable\": 0}}",
				c.mig_ok, c.mig_fail, c.stall, c.fail, c.success, c.pgalloc_dma32,
				c.pgalloc_normal);
			c.nsnap++;
			(void)pages;
		} else if (x->kind == E_EXTFRAG) {
			const struct fb *f = &fbs[x->fb];
			int fi = fm_fragmentation_index(nf, NORD, f->order);
			int us = fm_unusable_index(nf, NORD, f->order);

			common(out, x->t, "extfrag", 3000 + (int)(x->pfn % 7), (int)(x->pfn % 2));
			fprintf(out,
				", \"order\": %d, \"fallback_order\": %d, \"migrate_from\": \"%s\", "
				"\"migrate_to\": \"%s\", \"is_steal\": %s, \"node\": 0, \"zone\": "
				"\"%s\", \"pfn\": %ld, \"pageblock\": %ld, \"fragmenting\": %s, "
				"\"fragmentation_index\": %d, \"unusable_index\": %d, "
				"\"fragmentation_index_source\": \"snapshot\"}",
				f->order, f->fb_order, f->from, f->to, f->steal ? "true" : "false",
				x->dma32 ? "DMA32" : "Normal", x->pfn, x->pfn >> PBO,
				f->fb_order < PBO ? "true" : "false", c.nsnap ? fi : 0, us);
			c.ef[f->order]++;
			c.steal += f->steal;
			c.claim += !f->steal;
			c.fragmenting += f->fb_order < PBO;
			c.pat[x->fb][f->steal]++;
			nfi++;
		} else {
			int o = x->corder;

			common(out, x->t, x->success ? "compaction_success" : "compaction_failure",
			       4000, 1);
			fprintf(out,
				", \"order\": %d, \"node\": 0, \"zone\": \"Normal\", \"status\": "
				"\"%s\", \"sync\": %s, \"duration_us\": %.3f, \"source\": \"run\", "
				"\"fragmentation_index\": %d, \"unusable_index\": %d, "
				"\"fragmentation_index_source\": \"snapshot\"}",
				o, x->success ? (o < 0 ? "complete" : "success") : "no_suitable_page",
				o >= 0 ? "true" : "false", 20 + 200 * unif(&g),
				x->success ? fm_fragmentation_index(nf, NORD, o < 0 ? PBO : o) : -1,
				fm_unusable_index(nf, NORD, o < 0 ? PBO : o));
			if (x->success)
				c.csucc[cslot(o)]++;
			else
				c.cfail[cslot(o)]++;
			if (o >= 0) {
				c.stall++;
				c.success += x->success;
				c.fail += !x->success;
			}
			/* the pages it moved */
			fputs(",\n", out);
			c.n_events++;
			common(out, x->t + 0.0002, "migrate", 4000, 1);
			fprintf(out,
				", \"succeeded\": %d, \"failed\": %d, \"thp_succeeded\": 0, "
				"\"thp_failed\": 0, \"thp_split\": 0, \"mode\": \"sync\", "
				"\"reason\": \"compaction\"}",
				x->success ? x->migrated : 0, x->success ? 0 : x->migrated);
			if (x->success)
				c.mig_ok += x->migrated;
			else
				c.mig_fail += x->migrated;
		}
	}
	fputs("\n], \"statistics\": {\"extfrag\": {", out);
	for (int o = 0, first = 1; o < NORD; o++)
		if (c.ef[o]) {
			fprintf(out, "%s\"%d\": %lld", first ? "" : ", ", o, c.ef[o]);
			first = 0;
		}
	fputs("}, \"compaction\": {", out);
	for (int k = 0; k < 3; k++)
		fprintf(out, "%s\"%d\": {\"success\": %lld, \"failure\": %lld}", k ? ", " : "",
			k == 0 ? -1 : k == 1 ? 3 : 9, c.csucc[k], c.cfail[k]);
	fprintf(out,
		"}, \"extfrag_steal\": %lld, \"extfrag_claim\": %lld, \"extfrag_fragmenting\": "
		"%lld, \"extfrag_patterns\": {",
		c.steal, c.claim, c.fragmenting);
	for (size_t k = 0; k < NFB; k++) {
		long long st = c.pat[k][1], cl = c.pat[k][0];
		int dup = 0;

		/* one entry per from -> to: kinds that share it add up */
		for (size_t j = 0; j < k; j++)
			dup |= !strcmp(fbs[j].from, fbs[k].from) && !strcmp(fbs[j].to, fbs[k].to);
		if (dup)
			continue;
		for (size_t j = k + 1; j < NFB; j++)
			if (!strcmp(fbs[j].from, fbs[k].from) && !strcmp(fbs[j].to, fbs[k].to)) {
				st += c.pat[j][1];
				cl += c.pat[j][0];
			}
		fprintf(out, "%s\"%s->%s\": {\"steal\": %lld, \"claim\": %lld}", k ? ", " : "",
			fbs[k].from, fbs[k].to, st, cl);
	}
	fprintf(out, "}, \"migrate\": {\"succeeded\": %lld, \"failed\": %lld}}, \"metadata\": {",
		c.mig_ok, c.mig_fail);
	header(out, p, start);
	fprintf(out,
		", \"end_time\": %.6f, \"duration\": %.6f, \"total_events\": %lld, \"complete\": "
		"true, \"end_reason\": \"duration\", \"snapshots\": %lld, \"events_dropped\": 0, "
		"\"events_capped\": 0, \"output_capped\": false, \"fragmentation_index_source\": "
		"\"snapshot\"}}\n",
		start + p->duration, p->duration, c.n_events, c.nsnap);
	(void)nfi;
	free(e.v);
	return ferror(out) ? -1 : 0;
oom:
	free(e.v);
	return -1;
}
