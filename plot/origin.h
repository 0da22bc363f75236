/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a run's fallbacks came from (docs/plot.md, "Where it came from"):
 * the tests and phases that were running (marker events), the tasks
 * (statistics.extfrag_by_task) and the kernel call paths
 * (statistics.extfrag_stacks) of the fallbacks.  A run without any of these
 * has no origin at all (pm_run.origin NULL): its outputs stay as they were.
 *
 * Attribution of extfrag events to tests: a test lasts from its begin marker
 * to the next test's begin, an end of its name or the end of the run; a phase
 * from its begin to its end of the same name.  Marker events may reach the
 * file a little after the events that follow them in time (the agent reads
 * /dev/kmsg once per poll), so each extfrag event waits in a bounded buffer
 * until the newest timestamp is PO_LAG s past it (or the buffer is full, or
 * the input ends) before it is given to the test running at its time.  A
 * marker arriving later than that ("late") still bounds its test, but the
 * events already given away stay where they went; po_origin.late counts such
 * markers.  Memory is bounded: PO_MAX_OCC test and PO_MAX_PHASE phase
 * occurrences, PO_MAX_NAMES names, PO_MAX_TASKS tasks, PO_MAX_STACKS stacks
 * of at most PO_MAX_FRAMES frames and PO_FRAME_BYTES of frame text; what
 * does not fit is counted (never silently lost).
 */
#ifndef FRAGMON_PLOT_ORIGIN_H
#define FRAGMON_PLOT_ORIGIN_H

#include <stddef.h>
#include <stdint.h>

#define PO_NAME 64
#define PO_SLOTS 16	  /* time slots per test occurrence (burstiness) */
#define PO_MAX_OCC 16384  /* test occurrences */
#define PO_MAX_PHASE 256  /* phase occurrences */
#define PO_MAX_NAMES 8192 /* distinct test and phase names */
#define PO_MAX_TASKS 80	  /* the agent writes at most 64 + "(other)" */
#define PO_MAX_STACKS 65536
#define PO_MAX_FRAMES 128
#define PO_FRAME_BYTES (32u << 20)
#define PO_TAIL 65536 /* extfrag events waiting for late markers */
#define PO_LAG 60.0   /* s */
#define PO_PAT 48     /* "RECLAIMABLE->UNMOVABLE" */

enum po_kind { PO_TEST, PO_PHASE };

/* a test or phase name: everything that ran under it, over its occurrences */
struct po_name {
	char name[PO_NAME];
	int kind;
	int occ;      /* occurrences */
	double first; /* start of the first */
	double dur;   /* s, summed */
	uint64_t n, steal, claim;
	double pearson; /* sum over occurrences of sum (x - mean)^2 / mean over full slots */
	int df;		/* sum of (full slots - 1) where events were */
};

/* one occurrence: [t0, t1), its events in PO_SLOTS slots of width sw from t0 */
struct po_occ {
	double t0, t1;
	int name;
	uint64_t n;
	double sw;
	uint32_t slot[PO_SLOTS];
};

/* a marker line to draw */
struct po_mark {
	double t;
	int name;
	int kind, begin;
};

struct po_task {
	char comm[PO_NAME];
	long long pid, pids, steal, claim, fragmenting;
	char pattern[PO_PAT]; /* the pattern with the most fallbacks */
	long long pattern_n;
};

struct po_stack {
	long long id, steal, claim;
	char *frames; /* innermost first, each NUL-terminated */
	size_t len;
	int nframes, frames_lost;
	char pattern[PO_PAT];
	long long pattern_n;
};

struct po_tailev {
	double t;
	int steal;
};

struct po_origin {
	char markers[96]; /* run/metadata "markers": "kmsg" or "unavailable: ..." */
	int tracking;	  /* extfrag events are attributed to tests (a run with markers) */
	/* statistics.markers, -1 absent */
	long long st_test, st_phase, st_lines_read, st_lines_lost;
	/* marker events */
	uint64_t n_markers, late, names_lost, occ_lost, marks_lost, phase_lost;
	struct po_name *names;
	int nnames, capnames;
	struct po_occ *occ; /* tests, sorted by t0 */
	int nocc, capocc;
	struct po_occ phase[PO_MAX_PHASE];
	int nphase;
	struct po_mark *marks;
	int nmarks, capmarks;
	/* extfrag events given to tests: in none of them (before the first, between) */
	uint64_t attributed, no_test, phase_events;
	struct po_tailev *tail;
	int ntail;
	double tmax, frontier; /* newest timestamp seen; events before frontier are given */
	/* per task */
	int have_tasks;
	struct po_task tasks[PO_MAX_TASKS];
	int ntasks;
	uint64_t tasks_lost;
	/* per call path */
	int have_stacks, stacks_enabled;
	long long st_distinct, st_map_full, st_failed;
	struct po_stack *stacks;
	int nstacks, capstacks;
	uint64_t stacks_lost, stack_lost_n; /* entries not kept, and their fallbacks */
	size_t frame_bytes;
	int finished;
	double end; /* the run's end, set by po_finish */
};

struct po_origin *po_new(void);
void po_free(struct po_origin *o);
/* a marker event at t (the reader's name/kind/edge strings) */
void po_marker(struct po_origin *o, double t, const char *name, const char *kind, const char *edge);
/* an extfrag event inside the run's span */
void po_extfrag(struct po_origin *o, double t, int steal);
/* the end of the input: give the waiting events away, close open occurrences
 * at end (s), compute durations and dispersions; idempotent */
void po_finish(struct po_origin *o, double end);
/* a new task / stack entry to fill (NULL when full: counted) */
struct po_task *po_task_add(struct po_origin *o);
struct po_stack *po_stack_add(struct po_origin *o);
void po_stack_frame(struct po_origin *o, struct po_stack *s, const char *f, size_t len);
/* a pattern's counts of a task or stack entry: keeps the largest */
void po_top_pattern(char *dst, long long *dst_n, const char *pat, size_t len, long long n);

/* names by kind sorted by fallbacks (most first; then by name); returns the count */
int po_sorted_names(const struct po_origin *o, int kind, const struct po_name **out, int max);
/* stacks sorted by steal + claim (most first; then by id) */
int po_sorted_stacks(const struct po_origin *o, const struct po_stack **out, int max);
/* the pooled dispersion of the test slots (variance / mean, >= 1): how much
 * burstier than Poisson the fallbacks are inside tests; 1 without data */
double po_dispersion(const struct po_origin *o);
/* the run has anything to show */
int po_any(const struct po_origin *o);

/*
 * A call path shortened to the allocator's caller and the entry it came in
 * through: "anon_pipe_write \xe2\x86\x90 ksys_write".  Frames are innermost first.
 * The allocator's own frames are skipped from the inside (po_is_alloc_frame),
 * the entry boilerplate from the outside (po_is_entry_frame); the caller is
 * the innermost frame left, the entry the outermost.  Module names are kept
 * ("xfs_buf_alloc [xfs]").  "(allocator only)" when nothing is left.
 */
void po_short_path(const char *const *frames, int n, char *out, size_t cap);
int po_is_alloc_frame(const char *f);
int po_is_entry_frame(const char *f);
/* the frames of a stack entry as an array (pointers into s->frames) */
int po_stack_frames(const struct po_stack *s, const char **out, int max);

#endif
