// SPDX-License-Identifier: GPL-2.0
#include "reader.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "origin.h"
#include "schema.h"

enum ctx {
	C_TOP,
	C_ROOT,
	C_RUN,
	C_META,
	C_STATS,
	C_BYTYPE,
	C_EVENTS,
	C_EVENT,
	C_ZONES,
	C_ZONE,
	C_ZFREE,
	C_ZFI,
	C_ZUS,
	C_ZPB,
	C_TPS,
	C_VMSTAT,
	C_SMARK, /* statistics.markers */
	C_TASKS, /* statistics.extfrag_by_task */
	C_TASK,
	C_STACKS,   /* statistics.extfrag_stacks */
	C_SENTRIES, /* its entries */
	C_SENTRY,
	C_SFRAMES,
	C_PATS, /* a task's or stack's patterns */
	C_PAT,
	C_SKIP,
};

enum key {
	K_NONE,
	K_RUN,
	K_EVENTS,
	K_STATS,
	K_META,
	K_START_TIME,
	K_END_TIME,
	K_DURATION,
	K_TOTAL_EVENTS,
	K_KERNEL,
	K_HOSTNAME,
	K_MODE,
	K_COMPLETE,
	K_END_REASON,
	K_DROPPED,
	K_CAPPED,
	K_PBO,
	K_NRORD,
	K_PAGESIZE,
	K_FISRC,
	K_TS,
	K_TYPE,
	K_ORDER,
	K_FBORDER,
	K_FROM,
	K_TO,
	K_STEAL,
	K_FI,
	K_FRAGMENTING,
	K_ZONES,
	K_MIG_OK,
	K_MIG_FAIL,
	K_VMSTAT,
	K_VM_STALL,
	K_VM_FAIL,
	K_VM_SUCCESS,
	K_VM_PGALLOC,
	K_SNAPIV,
	K_US,
	K_PB,
	K_TPS,
	K_BPF_ERROR,
	K_TP_EXTFRAG,
	K_TP_COMPACTION,
	K_TP_MIGRATE,
	K_NODE,
	K_ZONE,
	K_FREE,
	K_BYTYPE,
	K_ST_STEAL,
	K_ST_CLAIM,
	K_MARKERS,
	K_MNAME,
	K_MKIND,
	K_MEDGE,
	K_STACK_ID,
	K_BY_TASK,
	K_STACKS,
	K_SM_TEST,
	K_SM_PHASE,
	K_SM_READ,
	K_SM_LOST,
	K_COMM,
	K_PID,
	K_PIDS,
	K_A_STEAL,
	K_A_CLAIM,
	K_A_FRAG,
	K_PATTERNS,
	K_ENABLED,
	K_DISTINCT,
	K_MAP_FULL,
	K_SFAILED,
	K_ENTRIES,
	K_ID,
	K_FRAMES,
};

struct keydef {
	const char *s;
	size_t len;
	enum key k;
};

#define KD(str, key)                                                                               \
	{                                                                                          \
		str, sizeof(str) - 1, key                                                          \
	}
static const struct keydef root_keys[] = {
    KD(FM_K_RUN, K_RUN),       KD(FM_K_EVENTS, K_EVENTS), KD(FM_K_STATISTICS, K_STATS),
    KD(FM_K_METADATA, K_META), {NULL, 0, K_NONE},
};
static const struct keydef meta_keys[] = {
    KD(FM_K_START_TIME, K_START_TIME),
    KD(FM_K_END_TIME, K_END_TIME),
    KD(FM_K_DURATION, K_DURATION),
    KD(FM_K_TOTAL_EVENTS, K_TOTAL_EVENTS),
    KD(FM_K_KERNEL_VERSION, K_KERNEL),
    KD(FM_K_HOSTNAME, K_HOSTNAME),
    KD(FM_K_MODE, K_MODE),
    KD(FM_K_COMPLETE, K_COMPLETE),
    KD(FM_K_END_REASON, K_END_REASON),
    KD(FM_K_EVENTS_DROPPED, K_DROPPED),
    KD(FM_K_EVENTS_CAPPED, K_CAPPED),
    KD(FM_K_PAGEBLOCK_ORDER, K_PBO),
    KD(FM_K_NR_ORDERS, K_NRORD),
    KD(FM_K_PAGE_SIZE, K_PAGESIZE),
    KD(FM_K_FI_SOURCE, K_FISRC),
    KD(FM_K_SNAPSHOT_INTERVAL_MS, K_SNAPIV),
    KD(FM_K_TRACEPOINTS, K_TPS),
    KD(FM_K_BPF_ERROR, K_BPF_ERROR),
    KD(FM_K_MARKERS, K_MARKERS),
    {NULL, 0, K_NONE},
};
/* tracepoints whose status says whether a kind of event was traced at all */
static const struct keydef tp_keys[] = {
    KD("kmem:mm_page_alloc_extfrag", K_TP_EXTFRAG),
    KD("compaction:mm_compaction_end", K_TP_COMPACTION),
    KD("page_alloc:mm_compaction_success", K_TP_COMPACTION),
    KD("migrate:mm_migrate_pages", K_TP_MIGRATE),
    {NULL, 0, K_NONE},
};
static const struct keydef event_keys[] = {
    KD(FM_K_TIMESTAMP, K_TS),
    KD(FM_K_EVENT_TYPE, K_TYPE),
    KD(FM_K_ORDER, K_ORDER),
    KD(FM_K_MIGRATE_FROM, K_FROM),
    KD(FM_K_MIGRATE_TO, K_TO),
    KD(FM_K_IS_STEAL, K_STEAL),
    KD(FM_K_FRAG_INDEX, K_FI),
    KD(FM_K_FALLBACK_ORDER, K_FBORDER),
    KD(FM_K_FRAGMENTING, K_FRAGMENTING),
    KD(FM_K_ZONES, K_ZONES),
    KD(FM_K_VMSTAT, K_VMSTAT),
    KD(FM_K_SUCCEEDED, K_MIG_OK),
    KD(FM_K_FAILED, K_MIG_FAIL),
    KD(FM_K_NODE, K_NODE),
    KD(FM_K_ZONE, K_ZONE),
    KD(FM_K_NAME, K_MNAME),
    KD(FM_K_KIND, K_MKIND),
    KD(FM_K_EDGE, K_MEDGE),
    KD(FM_K_STACK_ID, K_STACK_ID),
    {NULL, 0, K_NONE},
};
static const struct keydef vmstat_keys[] = {
    KD("compact_stall", K_VM_STALL),
    KD("compact_fail", K_VM_FAIL),
    KD("compact_success", K_VM_SUCCESS),
    {NULL, 0, K_NONE},
};
static const struct keydef zone_keys[] = {
    KD(FM_K_NODE, K_NODE),     KD(FM_K_ZONE, K_ZONE),	      KD(FM_K_FREE, K_FREE),
    KD(FM_K_FRAG_INDEX, K_FI), KD(FM_K_UNUSABLE_INDEX, K_US), KD(FM_K_PAGEBLOCKS, K_PB),
    {NULL, 0, K_NONE},
};
static const struct keydef stats_keys[] = {
    KD(FM_K_EVENTS_BY_TYPE, K_BYTYPE),
    KD(FM_K_EXTFRAG_STEAL, K_ST_STEAL),
    KD(FM_K_EXTFRAG_CLAIM, K_ST_CLAIM),
    KD(FM_K_MARKERS, K_MARKERS),
    KD(FM_K_EXTFRAG_BY_TASK, K_BY_TASK),
    KD(FM_K_EXTFRAG_STACKS, K_STACKS),
    {NULL, 0, K_NONE},
};
static const struct keydef smark_keys[] = {
    KD(FM_K_MARKER_TEST, K_SM_TEST),
    KD(FM_K_MARKER_PHASE, K_SM_PHASE),
    KD(FM_K_LINES_READ, K_SM_READ),
    KD(FM_K_LINES_LOST, K_SM_LOST),
    {NULL, 0, K_NONE},
};
/* a task, a stack entry, a pattern of either: the keys they share */
static const struct keydef attr_keys[] = {
    KD(FM_K_COMM, K_COMM),	   KD(FM_K_PID, K_PID),
    KD(FM_K_PIDS, K_PIDS),	   KD(FM_K_STEAL, K_A_STEAL),
    KD(FM_K_CLAIM, K_A_CLAIM),	   KD(FM_K_FRAGMENTING, K_A_FRAG),
    KD(FM_K_PATTERNS, K_PATTERNS), KD(FM_K_ID, K_ID),
    KD(FM_K_FRAMES, K_FRAMES),	   {NULL, 0, K_NONE},
};
static const struct keydef stacks_keys[] = {
    KD(FM_K_ENABLED, K_ENABLED), KD(FM_K_DISTINCT, K_DISTINCT), KD(FM_K_MAP_FULL, K_MAP_FULL),
    KD(FM_K_FAILED, K_SFAILED),	 KD(FM_K_ENTRIES, K_ENTRIES),	{NULL, 0, K_NONE},
};

static enum key lookup(const struct keydef *t, const unsigned char *s, size_t len)
{
	for (; t->s; t++)
		if (t->len == len && !memcmp(t->s, s, len))
			return t->k;
	return K_NONE;
}

/* event keys are the hot path (~20 per event): index the table by length and
 * first byte once */
#define KEY_MAXLEN 32
#define KEY_SLOTS 3 /* keys of one length and first byte */
static const struct keydef *event_by_len[KEY_MAXLEN][32][KEY_SLOTS];

static void index_event_keys(void)
{
	for (const struct keydef *t = event_keys; t->s; t++)
		for (int i = 0; i < KEY_SLOTS; i++)
			if (t->len < KEY_MAXLEN && !event_by_len[t->len][t->s[0] & 31][i]) {
				event_by_len[t->len][t->s[0] & 31][i] = t;
				break;
			}
}

static enum key lookup_event(const unsigned char *s, size_t len)
{
	const struct keydef *const *c;

	if (len >= KEY_MAXLEN || !len)
		return K_NONE;
	c = event_by_len[len][s[0] & 31];
	/* the last byte tells nearly every key apart: memcmp only then */
	for (int i = 0; i < KEY_SLOTS && c[i]; i++)
		if (c[i]->s[len - 1] == (char)s[len - 1] && !memcmp(c[i]->s, s, len))
			return c[i]->k;
	return K_NONE;
}

struct frame {
	enum ctx ctx;
	enum key key;
	int idx;
};

#define MAX_DEPTH 64

struct pm_reader {
	struct pm_run *run;
	yajl_handle h;
	struct frame st[MAX_DEPTH];
	int depth; /* st[depth-1] is the current container; 0 = nothing open */
	int skip;  /* nesting inside a container we ignore */
	int root_done;
	int started; /* the top-level value has begun */
	int torn;    /* stopped at NUL bytes */
	struct pm_event ev;
	struct pm_snapzone *zone;
	struct pm_snapzone spill; /* zones past PM_MAX_ZONES: counted in the totals only */
	/* attribution: the task or stack entry being read, the pattern in it */
	struct po_task *task;
	struct po_stack *stack;
	char pat[PO_PAT];
	size_t patlen;
	long long pat_n;
	char err[512];
	unsigned long long consumed; /* bytes of earlier chunks */
	unsigned long long lines;    /* newlines in earlier chunks */
	unsigned long long last_nl;  /* offset just past the last newline */
};

static int fail(struct pm_reader *rd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rd->err, sizeof(rd->err), fmt, ap);
	va_end(ap);
	return 0;
}

static struct frame *top(struct pm_reader *rd)
{
	static struct frame none = {C_TOP, K_NONE, 0};

	return rd->depth ? &rd->st[rd->depth - 1] : &none;
}

/* ---- numbers without strtod on the hot path ---- */

/* a double as an integer, saturated (the cast alone is undefined out of range) */
static long long to_ll(double d)
{
	if (!(d == d))
		return 0;
	if (d >= 9.2e18)
		return LLONG_MAX;
	if (d <= -9.2e18)
		return LLONG_MIN;
	return (long long)d;
}

static int parse_num(const char *s, size_t len, double *d, long long *ll, int *is_int)
{
	size_t i = 0;
	int neg = 0;
	unsigned long long ip = 0;
	double v;

	if (i < len && s[i] == '-') {
		neg = 1;
		i++;
	}
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		ip = ip * 10 + (unsigned)(s[i] - '0');
	if (i == len && len - (size_t)neg <= 18) {
		*ll = neg ? -(long long)ip : (long long)ip;
		*d = (double)*ll;
		*is_int = 1;
		return 0;
	}
	*is_int = 0;
	if (i < len && s[i] == '.' && len <= 30) {
		unsigned long long fp = 0;
		double scale = 1;
		size_t j = i + 1;

		for (; j < len && s[j] >= '0' && s[j] <= '9' && j - i <= 18; j++) {
			fp = fp * 10 + (unsigned)(s[j] - '0');
			scale *= 10;
		}
		if (j == len) {
			v = (double)ip + (double)fp / scale;
			*d = neg ? -v : v;
			*ll = to_ll(*d);
			return 0;
		}
	}
	{
		char buf[64];

		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, s, len);
		buf[len] = '\0';
		*d = strtod(buf, NULL);
		*ll = to_ll(*d);
	}
	return 0;
}

static void set_str(char *dst, size_t cap, const unsigned char *s, size_t len)
{
	if (len >= cap)
		len = cap - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

/* the run's attribution, made when the file first has any (NULL: out of memory) */
static struct po_origin *origin(struct pm_reader *rd)
{
	if (!rd->run->origin)
		rd->run->origin = po_new();
	return rd->run->origin;
}

/* the attribution's values (plot/origin.h): out of scalar(), which every
 * event's values go through */
static __attribute__((noinline)) void attr_scalar(struct pm_reader *rd, const struct frame *f,
						  int is_num, long long ll, const unsigned char *s,
						  size_t slen, int is_bool, int b)
{
	struct pm_run *r = rd->run;

	switch (f->ctx) {
	case C_RUN:
	case C_META:
		/* "markers": "kmsg": attribute the events to tests from the first on */
		if (s && origin(rd)) {
			set_str(r->origin->markers, sizeof(r->origin->markers), s, slen);
			if (slen >= 4 && !memcmp(s, FM_K_MARKERS_KMSG, 4))
				r->origin->tracking = 1;
		}
		break;
	case C_SMARK:
		if (is_num && f->key >= K_SM_TEST && f->key <= K_SM_LOST && origin(rd)) {
			long long *v[] = {&r->origin->st_test, &r->origin->st_phase,
					  &r->origin->st_lines_read, &r->origin->st_lines_lost};

			*v[f->key - K_SM_TEST] = ll;
		}
		break;
	case C_TASK:
		if (!rd->task)
			break;
		if (f->key == K_COMM && s)
			set_str(rd->task->comm, sizeof(rd->task->comm), s, slen);
		else if (is_num && f->key == K_PID)
			rd->task->pid = ll;
		else if (is_num && f->key == K_PIDS)
			rd->task->pids = ll;
		else if (is_num && f->key == K_A_STEAL)
			rd->task->steal = ll;
		else if (is_num && f->key == K_A_CLAIM)
			rd->task->claim = ll;
		else if (is_num && f->key == K_A_FRAG)
			rd->task->fragmenting = ll;
		break;
	case C_STACKS:
		if (!origin(rd))
			break;
		if (is_bool && f->key == K_ENABLED)
			r->origin->stacks_enabled = b;
		else if (is_num && f->key == K_DISTINCT)
			r->origin->st_distinct = ll;
		else if (is_num && f->key == K_MAP_FULL)
			r->origin->st_map_full = ll;
		else if (is_num && f->key == K_SFAILED)
			r->origin->st_failed = ll;
		break;
	case C_SENTRY:
		if (!rd->stack || !is_num)
			break;
		if (f->key == K_ID)
			rd->stack->id = ll;
		else if (f->key == K_A_STEAL)
			rd->stack->steal = ll;
		else if (f->key == K_A_CLAIM)
			rd->stack->claim = ll;
		break;
	case C_SFRAMES:
		if (rd->stack && s)
			po_stack_frame(r->origin, rd->stack, (const char *)s, slen);
		break;
	case C_PAT:
		if (is_num && (f->key == K_A_STEAL || f->key == K_A_CLAIM) && ll > 0)
			rd->pat_n += ll;
		break;
	default:
		break;
	}
}

/* a scalar value (number, bool, string, null) arrived for the current key */
static int scalar(struct pm_reader *rd, int is_num, double d, long long ll, const unsigned char *s,
		  size_t slen, int is_bool, int b)
{
	struct frame *f = top(rd);
	struct pm_run *r = rd->run;
	struct pm_event *ev = &rd->ev;

	if (rd->skip)
		return 1;
	switch (f->ctx) {
	case C_TOP:
		return fail(rd, "the top-level value is not an object");
	case C_EVENTS:
		return fail(rd, "events[%d] is not an object", f->idx);
	case C_EVENT:
		switch (f->key) {
		case K_TS:
			if (is_num) {
				ev->t = d;
				ev->have_t = 1;
			}
			break;
		case K_TYPE:
			if (s) {
				ev->type = pm_evtype_of((const char *)s, slen);
				ev->marker = ev->type == PM_EV_UNKNOWN &&
					     slen == sizeof(FM_EV_MARKER) - 1 &&
					     !memcmp(s, FM_EV_MARKER, slen);
			}
			break;
		case K_MNAME:
			if (s)
				set_str(ev->mname, sizeof(ev->mname), s, slen);
			break;
		case K_MKIND:
			if (s)
				set_str(ev->mkind, sizeof(ev->mkind), s, slen);
			break;
		case K_MEDGE:
			if (s)
				set_str(ev->medge, sizeof(ev->medge), s, slen);
			break;
		case K_STACK_ID:
			if (is_num)
				ev->stack_id = ll < 0 || ll > INT_MAX ? -1 : (int)ll;
			break;
		case K_ORDER:
			if (is_num)
				ev->order = (int)ll;
			break;
		case K_FBORDER:
			if (is_num)
				ev->fallback_order = (int)ll;
			break;
		case K_FROM:
			if (s)
				set_str(ev->from, sizeof(ev->from), s, slen);
			break;
		case K_TO:
			if (s)
				set_str(ev->to, sizeof(ev->to), s, slen);
			break;
		case K_STEAL:
			if (is_bool)
				ev->is_steal = b;
			break;
		case K_FRAGMENTING:
			if (is_bool)
				ev->fragmenting = b;
			break;
		case K_FI:
			if (is_num) {
				ev->fi = (int)ll;
				ev->have_fi = 1;
			}
			break;
		case K_MIG_OK:
			if (is_num)
				ev->mig_ok = ll;
			break;
		case K_MIG_FAIL:
			if (is_num)
				ev->mig_fail = ll;
			break;
		case K_NODE:
			if (is_num)
				ev->node = (int)ll;
			break;
		case K_ZONE:
			/* the zone of an extfrag event's page: which zone is under pressure */
			if (s) {
				set_str(ev->zone, sizeof(ev->zone), s, slen);
				ev->have_zone = 1;
			}
			break;
		default:
			break;
		}
		break;
	case C_ZONE:
		if (!rd->zone)
			break;
		if (f->key == K_NODE && is_num)
			rd->zone->node = (int)ll;
		else if (f->key == K_ZONE && s)
			set_str(rd->zone->name, sizeof(rd->zone->name), s, slen);
		break;
	case C_VMSTAT:
		if (is_num && f->key >= K_VM_STALL && f->key <= K_VM_SUCCESS) {
			ev->vm[f->key - K_VM_STALL] = ll;
			ev->have_vm = 1;
		} else if (is_num && f->key == K_VM_PGALLOC && ll > 0) {
			/* pgalloc_dma, _dma32, _normal, _movable, ...: pages allocated */
			ev->vm[PM_VM_PGALLOC] += ll;
			ev->have_pgalloc = 1;
		}
		break;
	case C_TPS:
		/* "attached", or missing/disabled/rejected: .../failed: ... */
		if (s && f->key >= K_TP_EXTFRAG && f->key <= K_TP_MIGRATE && !r->bpf_error[0]) {
			int k = f->key - K_TP_EXTFRAG, ok = slen == 8 && !memcmp(s, "attached", 8);

			/* compaction: either of its two tracepoint sets will do */
			if (ok || r->tp[k] != 1)
				r->tp[k] = ok;
			if (!ok && r->tp_why[k][0] == '\0')
				snprintf(r->tp_why[k], sizeof(r->tp_why[k]), "%.*s",
					 (int)(slen < 80 ? slen : 80), (const char *)s);
		}
		break;
	case C_ZUS:
		if (rd->zone && is_num && f->idx < FM_MAX_ORDERS) {
			rd->zone->us[f->idx] = (int)ll;
			rd->zone->nus = f->idx + 1;
		}
		f->idx++;
		break;
	case C_ZPB:
		/* pageblocks: {"UNMOVABLE": 60, ...}; the key is the owner (kind + 200) */
		if (rd->zone && is_num && ll > 0 && (int)f->key >= 200 &&
		    (int)f->key < 200 + PM_MT_KINDS) {
			rd->zone->pb[f->key - 200] += (double)ll;
			rd->zone->have_pb = 1;
		}
		break;
	case C_ZFREE:
		if (rd->zone && is_num && f->idx < FM_MAX_ORDERS) {
			rd->zone->free[f->idx] = ll > 0 ? (unsigned long long)ll : 0;
			rd->zone->nfree = f->idx + 1;
		}
		f->idx++;
		break;
	case C_ZFI:
		if (rd->zone && is_num && f->idx < FM_MAX_ORDERS) {
			rd->zone->fi[f->idx] = (int)ll;
			rd->zone->nfi = f->idx + 1;
		}
		f->idx++;
		break;
	case C_RUN:
	case C_META:
		switch (f->key) {
		case K_START_TIME:
			if (is_num)
				r->start_time = d;
			break;
		case K_END_TIME:
			if (is_num)
				r->end_time = d;
			break;
		case K_DURATION:
			if (is_num && d > 0 && d < 1e9)
				r->duration = d;
			break;
		case K_TOTAL_EVENTS:
			if (is_num)
				r->meta_total_events = ll;
			break;
		case K_KERNEL:
			if (s)
				set_str(r->kernel, sizeof(r->kernel), s, slen);
			break;
		case K_HOSTNAME:
			if (s)
				set_str(r->hostname, sizeof(r->hostname), s, slen);
			break;
		case K_MODE:
			if (s)
				set_str(r->mode, sizeof(r->mode), s, slen);
			break;
		case K_END_REASON:
			if (s)
				set_str(r->end_reason, sizeof(r->end_reason), s, slen);
			break;
		case K_FISRC:
			if (s)
				set_str(r->fi_source, sizeof(r->fi_source), s, slen);
			break;
		case K_COMPLETE:
			if (is_bool)
				r->complete = b;
			break;
		case K_DROPPED:
			if (is_num)
				r->events_dropped = ll;
			break;
		case K_CAPPED:
			if (is_num)
				r->events_capped = ll;
			break;
		case K_PBO:
			if (is_num)
				r->pageblock_order = (int)ll;
			break;
		case K_NRORD:
			if (is_num)
				r->nr_orders = (int)ll;
			break;
		case K_SNAPIV:
			if (is_num && d > 0 && d < 1e9)
				r->snap_interval = d / 1000.0;
			break;
		case K_BPF_ERROR:
			/* BPF capture did not run: the file has snapshots only */
			if (s && slen) {
				set_str(r->bpf_error, sizeof(r->bpf_error), s, slen);
				r->tp[PM_TP_EXTFRAG] = r->tp[PM_TP_COMPACTION] =
				    r->tp[PM_TP_MIGRATE] = 0;
			}
			break;
		case K_PAGESIZE:
			if (is_num && ll >= 512 && ll <= (1 << 24))
				r->page_size = (int)ll;
			break;
		case K_MARKERS:
			attr_scalar(rd, f, is_num, ll, s, slen, is_bool, b);
			break;
		default:
			break;
		}
		break;
	case C_SMARK:
	case C_TASK:
	case C_STACKS:
	case C_SENTRY:
	case C_SFRAMES:
	case C_PAT:
		attr_scalar(rd, f, is_num, ll, s, slen, is_bool, b);
		break;
	case C_STATS:
		if (is_num && f->key == K_ST_STEAL)
			r->st_steal = ll;
		else if (is_num && f->key == K_ST_CLAIM)
			r->st_claim = ll;
		break;
	case C_BYTYPE:
		if (is_num) {
			if (f->key == (enum key)(100 + PM_EV_EXTFRAG))
				r->st_extfrag = ll;
			else if (f->key == (enum key)(100 + PM_EV_CSUCC))
				r->st_csucc = ll;
			else if (f->key == (enum key)(100 + PM_EV_CFAIL))
				r->st_cfail = ll;
		}
		break;
	default:
		break;
	}
	return 1;
}

static int cb_null(void *ctx)
{
	return scalar(ctx, 0, 0, 0, NULL, 0, 0, 0);
}

/* an event's value nobody reads (pid, tid, comm, cpu, pfn, zone, ...): the
 * common case, answered before anything else */
static int unread(struct pm_reader *rd)
{
	const struct frame *f = top(rd);

	return rd->skip || (f->ctx == C_EVENT && f->key == K_NONE);
}

static int cb_bool(void *ctx, int b)
{
	if (unread(ctx))
		return 1;
	return scalar(ctx, 0, 0, 0, NULL, 0, 1, b);
}

static int cb_number(void *ctx, const char *s, size_t len)
{
	struct pm_reader *rd = ctx;
	double d;
	long long ll;
	int is_int;

	/* hot path: most numbers of an event (pid, tid, cpu, pfn, ...) are not used */
	if (unread(rd))
		return 1;
	parse_num(s, len, &d, &ll, &is_int);
	return scalar(ctx, 1, d, ll, NULL, 0, 0, 0);
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
	if (unread(ctx))
		return 1;
	return scalar(ctx, 0, 0, 0, s, len, 0, 0);
}

static int push(struct pm_reader *rd, enum ctx c)
{
	if (rd->depth == MAX_DEPTH)
		return fail(rd, "nesting deeper than %d", MAX_DEPTH);
	rd->st[rd->depth++] = (struct frame){c, K_NONE, 0};
	return 1;
}

/* a container opens: decide what it is from where we are */
static int open_container(struct pm_reader *rd, int is_map)
{
	struct frame *f = top(rd);
	struct pm_run *r = rd->run;

	if (rd->skip) {
		rd->skip++;
		return 1;
	}
	switch (f->ctx) {
	case C_TOP:
		rd->started = 1;
		if (rd->root_done)
			return fail(rd, "more than one top-level value");
		if (!is_map)
			return fail(rd, "the top-level value is not an object");
		return push(rd, C_ROOT);
	case C_ROOT:
		if (f->key == K_EVENTS) {
			if (is_map)
				return fail(rd, "\"events\" is not an array");
			return push(rd, C_EVENTS);
		}
		if (is_map && f->key == K_RUN) {
			r->have_run = 1;
			r->real_fi = 1;
			return push(rd, C_RUN);
		}
		if (is_map && f->key == K_META) {
			r->have_metadata = 1;
			return push(rd, C_META);
		}
		if (is_map && f->key == K_STATS) {
			r->have_stats = 1;
			return push(rd, C_STATS);
		}
		break;
	case C_RUN:
	case C_META:
		if (is_map && f->key == K_TPS)
			return push(rd, C_TPS);
		break;
	case C_EVENTS:
		if (!is_map)
			return fail(rd, "events[%d] is not an object", f->idx);
		pm_event_reset(&rd->ev);
		return push(rd, C_EVENT);
	case C_EVENT:
		if (!is_map && f->key == K_ZONES)
			return push(rd, C_ZONES);
		if (is_map && f->key == K_VMSTAT)
			return push(rd, C_VMSTAT);
		break;
	case C_ZONES:
		if (is_map) {
			struct pm_event *ev = &rd->ev;

			rd->zone =
			    ev->nzones < PM_MAX_ZONES ? &ev->zones[ev->nzones++] : &rd->spill;
			memset(rd->zone, 0, sizeof(*rd->zone));
			return push(rd, C_ZONE);
		}
		break;
	case C_ZONE:
		if (!is_map && f->key == K_FREE)
			return push(rd, C_ZFREE);
		if (!is_map && f->key == K_FI)
			return push(rd, C_ZFI);
		if (!is_map && f->key == K_US)
			return push(rd, C_ZUS);
		if (is_map && f->key == K_PB)
			return push(rd, C_ZPB);
		break;
	case C_STATS:
		if (is_map && f->key == K_BYTYPE)
			return push(rd, C_BYTYPE);
		if (is_map && f->key == K_MARKERS)
			return push(rd, C_SMARK);
		if (!is_map && f->key == K_BY_TASK && origin(rd)) {
			r->origin->have_tasks = 1;
			return push(rd, C_TASKS);
		}
		if (is_map && f->key == K_STACKS && origin(rd)) {
			r->origin->have_stacks = 1;
			return push(rd, C_STACKS);
		}
		break;
	case C_TASKS:
		if (is_map) {
			rd->task = po_task_add(r->origin);
			return push(rd, C_TASK);
		}
		break;
	case C_STACKS:
		if (!is_map && f->key == K_ENTRIES)
			return push(rd, C_SENTRIES);
		break;
	case C_SENTRIES:
		if (is_map) {
			rd->stack = po_stack_add(r->origin);
			return push(rd, C_SENTRY);
		}
		break;
	case C_SENTRY:
		if (!is_map && f->key == K_FRAMES)
			return push(rd, C_SFRAMES);
		/* fall through */
	case C_TASK:
		if (is_map && f->key == K_PATTERNS)
			return push(rd, C_PATS);
		break;
	case C_PATS:
		if (is_map) {
			rd->pat_n = 0;
			return push(rd, C_PAT);
		}
		break;
	default:
		break;
	}
	rd->skip = 1;
	return 1;
}

static int close_container(struct pm_reader *rd)
{
	struct frame *f;

	if (rd->skip) {
		rd->skip--;
		return 1;
	}
	f = top(rd);
	switch (f->ctx) {
	case C_EVENT:
		if (rd->ev.marker && !origin(rd))
			rd->ev.marker = 0;
		pm_run_add(rd->run, &rd->ev);
		break;
	case C_PAT: {
		/* the pattern with the most fallbacks names the task or stack */
		struct frame *up = &rd->st[rd->depth - 3];

		if (up->ctx == C_TASK && rd->task)
			po_top_pattern(rd->task->pattern, &rd->task->pattern_n, rd->pat, rd->patlen,
				       rd->pat_n);
		else if (up->ctx == C_SENTRY && rd->stack)
			po_top_pattern(rd->stack->pattern, &rd->stack->pattern_n, rd->pat,
				       rd->patlen, rd->pat_n);
		break;
	}
	case C_TASK:
		rd->task = NULL;
		break;
	case C_SENTRY:
		rd->stack = NULL;
		break;
	case C_ZONE: {
		struct pm_event *ev = &rd->ev;

		for (int o = 0; o < rd->zone->nfree; o++)
			ev->tot_free[o] += rd->zone->free[o];
		if (rd->zone->nfree > ev->tot_nfree)
			ev->tot_nfree = rd->zone->nfree;
		if (rd->zone->have_pb) {
			for (int k = 0; k < PM_MT_KINDS; k++)
				ev->pageblocks[k] += rd->zone->pb[k];
			ev->have_pb = 1;
		}
		break;
	}
	case C_META:
		/* legacy files carry metadata first: size the bins for the run */
		if (rd->run->duration > 0 && !rd->run->n_events)
			pm_run_presize(rd->run, rd->run->duration);
		break;
	default:
		break;
	}
	rd->depth--;
	if (!rd->depth)
		rd->root_done = 1;
	else if (rd->st[rd->depth - 1].ctx == C_EVENTS)
		rd->st[rd->depth - 1].idx++;
	return 1;
}

static int cb_start_map(void *ctx)
{
	return open_container(ctx, 1);
}

static int cb_start_array(void *ctx)
{
	return open_container(ctx, 0);
}

static int cb_end(void *ctx)
{
	return close_container(ctx);
}

static int cb_key(void *ctx, const unsigned char *s, size_t len)
{
	struct pm_reader *rd = ctx;
	struct frame *f = top(rd);

	if (rd->skip)
		return 1;
	switch (f->ctx) {
	case C_EVENT:
		f->key = lookup_event(s, len);
		break;
	case C_ROOT:
		f->key = lookup(root_keys, s, len);
		break;
	case C_RUN:
	case C_META:
		f->key = lookup(meta_keys, s, len);
		break;
	case C_ZONE:
		f->key = lookup(zone_keys, s, len);
		break;
	case C_STATS:
		f->key = lookup(stats_keys, s, len);
		break;
	case C_VMSTAT:
		f->key = lookup(vmstat_keys, s, len);
		if (f->key == K_NONE && len > 8 && !memcmp(s, "pgalloc_", 8))
			f->key = K_VM_PGALLOC;
		break;
	case C_TPS:
		f->key = lookup(tp_keys, s, len);
		break;
	case C_SMARK:
		f->key = lookup(smark_keys, s, len);
		break;
	case C_TASK:
	case C_SENTRY:
	case C_PAT:
		f->key = lookup(attr_keys, s, len);
		break;
	case C_STACKS:
		f->key = lookup(stacks_keys, s, len);
		break;
	case C_PATS:
		/* "MOVABLE->UNMOVABLE": the pattern, read when its map closes */
		rd->patlen = len < sizeof(rd->pat) ? len : sizeof(rd->pat) - 1;
		memcpy(rd->pat, s, rd->patlen);
		break;
	case C_ZPB: {
		char name[FM_MT_NAME_LEN], canon[FM_MT_NAME_LEN];

		set_str(name, sizeof(name), s, len);
		fm_mt_canonical(name, canon, sizeof(canon));
		f->key = (enum key)(200 + fm_mt_kind_of(canon));
		break;
	}
	case C_BYTYPE:
		/* statistics.events_by_type: the key is an event type, kept as 100 + type */
		f->key = (enum key)(100 + pm_evtype_of((const char *)s, len));
		break;
	default:
		break;
	}
	return 1;
}

static const yajl_callbacks callbacks = {
    .yajl_null = cb_null,
    .yajl_boolean = cb_bool,
    .yajl_number = cb_number,
    .yajl_string = cb_string,
    .yajl_start_map = cb_start_map,
    .yajl_map_key = cb_key,
    .yajl_end_map = cb_end,
    .yajl_start_array = cb_start_array,
    .yajl_end_array = cb_end,
};

struct pm_reader *pm_reader_new(struct pm_run *run)
{
	struct pm_reader *rd = calloc(1, sizeof(*rd));

	if (!rd)
		return NULL;
	rd->run = run;
	if (!event_by_len[sizeof(FM_K_TIMESTAMP) - 1][FM_K_TIMESTAMP[0] & 31][0])
		index_event_keys();
	rd->h = yajl_alloc(&callbacks, NULL, rd);
	if (!rd->h) {
		free(rd);
		return NULL;
	}
	yajl_config(rd->h, yajl_dont_validate_strings, 1);
	return rd;
}

void pm_reader_free(struct pm_reader *rd)
{
	if (!rd)
		return;
	yajl_free(rd->h);
	free(rd);
}

/* "byte N (line L, column C)" for an offset inside the current chunk, or for
 * the last byte of the earlier chunks (off 0, back 1: a number that ended with
 * them, seen through the next byte); the byte offset counts from 0 (as cmp and
 * dd do), lines and columns from 1 */
static void where(struct pm_reader *rd, const unsigned char *buf, size_t off, int back, char *out,
		  size_t cap)
{
	unsigned long long line = rd->lines + 1, nl = rd->last_nl;

	for (size_t i = 0; i < off; i++)
		if (buf[i] == '\n') {
			line++;
			nl = rd->consumed + i + 1;
		}
	snprintf(out, cap, "byte %llu (line %llu, column %llu)", rd->consumed + off - back, line,
		 rd->consumed + off - back - nl + 1);
}

static void yajl_msg(struct pm_reader *rd, char *out, size_t cap)
{
	unsigned char *m = yajl_get_error(rd->h, 0, NULL, 0);
	size_t n;

	snprintf(out, cap, "%s", m ? (char *)m : "parse error");
	if (m)
		yajl_free_error(rd->h, m);
	n = strlen(out);
	while (n && (out[n - 1] == '\n' || out[n - 1] == ' ' || out[n - 1] == '.'))
		out[--n] = '\0';
}

int pm_reader_feed(struct pm_reader *rd, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	yajl_status s;

	if (rd->torn)
		return 1;
	s = yajl_parse(rd->h, p, len);

	if (s != yajl_status_ok) {
		size_t off = yajl_get_bytes_consumed(rd->h);
		char pos[128], msg[256];
		int back = 0;

		if (s == yajl_status_client_canceled)
			snprintf(msg, sizeof(msg), "%s", rd->err);
		else
			yajl_msg(rd, msg, sizeof(msg));
		/* yajl counts the offending byte as consumed: point at it; nothing
		 * consumed here: the value refused ended with the earlier chunks */
		if (off)
			off--;
		else if (s == yajl_status_client_canceled && rd->consumed)
			back = 1;
		if (off > len)
			off = len;
		if (s == yajl_status_error && off < len && p[off] == '\0') {
			/* zeros where data should be: a torn write after a crash; the
			 * file is as truncated as a clean prefix */
			rd->torn = 1;
			rd->consumed += off;
			snprintf(
			    rd->err, sizeof(rd->err),
			    "byte %llu: NUL bytes where JSON should be (torn write): input ends "
			    "here",
			    rd->consumed);
			return 1;
		}
		where(rd, p, off, back, pos, sizeof(pos));
		snprintf(rd->err, sizeof(rd->err), "%s: %s", pos, msg);
		return -1;
	}
	for (const unsigned char *q = p, *end = p + len; (q = memchr(q, '\n', (size_t)(end - q)));
	     q++) {
		rd->lines++;
		rd->last_nl = rd->consumed + (unsigned long long)(q - p) + 1;
	}
	rd->consumed += len;
	return 0;
}

int pm_reader_finish(struct pm_reader *rd)
{
	struct pm_run *r = rd->run;
	/* a number at the very end is handed over only now */
	yajl_status s = rd->torn ? yajl_status_ok : yajl_complete_parse(rd->h);

	pm_run_finish(r);
	if (r->origin)
		po_finish(r->origin, pm_run_duration(r));
	if (s == yajl_status_client_canceled) {
		char pos[128], msg[256];

		snprintf(msg, sizeof(msg), "%s", rd->err);
		where(rd, NULL, 0, 1, pos, sizeof(pos));
		snprintf(rd->err, sizeof(rd->err), "%s: %s", pos, msg);
		return -1;
	}
	if (!rd->started) {
		/* an empty file is no run at all, even a killed one: say so */
		snprintf(rd->err, sizeof(rd->err), "no JSON data: the input is %s",
			 rd->torn && rd->consumed ? "whitespace, then NUL bytes"
			 : rd->torn		  ? "NUL bytes only"
			 : rd->consumed		  ? "whitespace only"
						  : "empty (0 bytes)");
		return -1;
	}
	if (rd->torn || s != yajl_status_ok || !rd->root_done) {
		/* a prefix of a JSON text: what a killed agent leaves */
		r->truncated = 1;
		r->trunc_at = (long long)rd->consumed;
	}
	return 0;
}

const char *pm_reader_error(const struct pm_reader *rd)
{
	return rd->err;
}

unsigned long long pm_reader_bytes(const struct pm_reader *rd)
{
	return rd->consumed;
}
