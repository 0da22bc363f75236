// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus node_exporter textfile (prometheus_dir/fragmon.prom), rewritten
 * atomically (tmp + rename) after each snapshot and at the end.  Names and
 * labels follow node_exporter's conventions: fragmon_ prefix, base units,
 * _total counters (since the agent started), gauges for the latest snapshot;
 * no host label (Prometheus' instance label says which host).  The series
 * are listed in docs/format.md ("Prometheus textfile").
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"

#define PROM_NAME "fragmon.prom"

/* the kernel's fallback table: pattern series are always written among these */
#define PROM_PCPTYPES 3

static void family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* a label value: \, " and newline escaped */
static void label_value(FILE *f, const char *v)
{
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', f);
		if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
	fputc('"', f);
}

static void zone_labels(FILE *f, const struct fm_zone_free *z)
{
	fprintf(f, "node=\"%d\",zone=", z->node);
	label_value(f, z->name);
}

/* events of each JSON event type; kinds that share a name are summed, so
 * no type is written twice */
static void events_by_type(FILE *f, const struct fm_agent *a)
{
	const char *names[FM_KIND_MAX];
	unsigned long long n[FM_KIND_MAX] = {0};
	int nnames = 0;

	family(f, "fragmon_events_total", "counter",
	       "Tracepoint events seen, by event type (event_type in the JSON output).");
	for (int k = 0; k < FM_KIND_MAX; k++) {
		const char *name = fm_kind_name(a, k);
		unsigned long long c = 0;
		int i;

		for (int o = -1; o < FM_ORDER_SLOTS - 1; o++)
			c += a->counts[FM_CNT_KIND(k, o)];
		for (i = 0; i < nnames && strcmp(names[i], name); i++)
			;
		if (i == nnames)
			names[nnames++] = name;
		n[i] += c;
	}
	for (int i = 0; i < nnames; i++) {
		fputs("fragmon_events_total{event=", f);
		label_value(f, names[i]);
		fprintf(f, "} %llu\n", n[i]);
	}
	family(f, "fragmon_events_dropped_total", "counter",
	       "Events counted but not written: the BPF ring buffer was full.");
	fprintf(f, "fragmon_events_dropped_total %llu\n",
		(unsigned long long)a->counts[FM_CNT_DROPPED]);
	family(f, "fragmon_events_capped_total", "counter",
	       "Events counted but not written: max_output_mb was reached.");
	fprintf(f, "fragmon_events_capped_total %llu\n", a->writer.ncapped);
	family(f, "fragmon_snapshots_total", "counter",
	       "Snapshots of buddyinfo, pagetypeinfo and vmstat taken.");
	fprintf(f, "fragmon_snapshots_total %llu\n", a->snapshots);
}

/* orders 0 .. nr_orders-1 always (so that rate() sees them from 0), others when seen */
static bool order_wanted(const struct fm_agent *a, int order, unsigned long long n)
{
	return n || (order >= 0 && order < a->nr_orders);
}

static void extfrag(FILE *f, const struct fm_agent *a)
{
	char b1[24], b2[24];

	family(f, "fragmon_extfrag_events_total", "counter",
	       "External fragmentation events (kmem:mm_page_alloc_extfrag), by allocation order.");
	for (int o = -1; o < FM_ORDER_SLOTS - 1; o++) {
		unsigned long long n = a->counts[FM_CNT_KIND(FM_KIND_EXTFRAG, o)];

		if (order_wanted(a, o, n))
			fprintf(f, "fragmon_extfrag_events_total{order=\"%d\"} %llu\n", o, n);
	}
	family(f, "fragmon_extfrag_fallbacks_total", "counter",
	       "External fragmentation events by fallback: from the migratetype whose block was "
	       "used to the one the allocation wanted; action steal (pages taken, the block keeps "
	       "its type) or claim (the whole pageblock changed type).");
	for (int from = 0; from < FM_MT_MAX; from++)
		for (int to = 0; to < FM_MT_MAX; to++)
			for (int steal = 1; steal >= 0; steal--) {
				unsigned long long n = a->counts[FM_CNT_PATTERN(from, to, steal)];

				if (!n &&
				    (from == to || from >= PROM_PCPTYPES || to >= PROM_PCPTYPES))
					continue;
				fputs("fragmon_extfrag_fallbacks_total{from=", f);
				label_value(
				    f, fm_enum_name(&a->kinfo.migratetype, from, b1, sizeof(b1)));
				fputs(",to=", f);
				label_value(
				    f, fm_enum_name(&a->kinfo.migratetype, to, b2, sizeof(b2)));
				fprintf(f, ",action=\"%s\"} %llu\n", steal ? "steal" : "claim", n);
			}
	family(f, "fragmon_extfrag_fragmenting_total", "counter",
	       "External fragmentation events that split a pageblock (fallback order below "
	       "pageblock_order).");
	fprintf(f, "fragmon_extfrag_fragmenting_total %llu\n",
		(unsigned long long)a->counts[FM_CNT_FRAGMENTING]);
}

static void compaction(FILE *f, const struct fm_agent *a)
{
	/* the same outcome events as statistics.compaction in the JSON */
	int ok = a->tracer.oot ? FM_KIND_OOT_SUCCESS : FM_KIND_COMPACT_SUCCESS;
	int fail = a->tracer.oot ? FM_KIND_OOT_FAILURE : FM_KIND_COMPACT_FAILURE;

	family(f, "fragmon_compaction_runs_total", "counter",
	       "Compaction runs of a zone by requested order (-1: whole zone, e.g. kcompactd or "
	       "/proc/sys/vm/compact_memory) and result.");
	for (int o = -1; o < FM_ORDER_SLOTS - 1; o++) {
		unsigned long long s = a->counts[FM_CNT_KIND(ok, o)];
		unsigned long long x = a->counts[FM_CNT_KIND(fail, o)];

		if (!order_wanted(a, o, s + x) && o != -1)
			continue;
		fprintf(f, "fragmon_compaction_runs_total{order=\"%d\",result=\"success\"} %llu\n",
			o, s);
		fprintf(f, "fragmon_compaction_runs_total{order=\"%d\",result=\"failure\"} %llu\n",
			o, x);
	}
	family(f, "fragmon_migrate_pages_total", "counter",
	       "Pages migrated (migrate:mm_migrate_pages), by result.");
	fprintf(f, "fragmon_migrate_pages_total{result=\"succeeded\"} %llu\n",
		(unsigned long long)a->counts[FM_CNT_MIGRATE_OK]);
	fprintf(f, "fragmon_migrate_pages_total{result=\"failed\"} %llu\n",
		(unsigned long long)a->counts[FM_CNT_MIGRATE_FAIL]);
}

/* an index (x1000, contract/fragindex.h) per zone and order, printed /1000 as debugfs does */
static void index_family(FILE *f, const struct fm_mem_snapshot *s, const char *name,
			 const char *help, int (*index)(const unsigned long long *, int, int))
{
	family(f, name, "gauge", help);
	for (int i = 0; i < s->nzones; i++)
		for (int o = 0; o < s->nr_orders; o++) {
			fprintf(f, "%s{", name);
			zone_labels(f, &s->zones[i]);
			fprintf(f, ",order=\"%d\"} %.3f\n", o,
				index(s->zones[i].free, s->nr_orders, o) / 1000.0);
		}
}

/* gauges of the latest snapshot */
static void zones(FILE *f, const struct fm_agent *a)
{
	const struct fm_mem_snapshot *s = &a->snap;
	long page = sysconf(_SC_PAGESIZE);

	family(f, "fragmon_free_blocks", "gauge",
	       "Free blocks of 2^order pages per zone (/proc/buddyinfo, latest snapshot).");
	for (int i = 0; i < s->nzones; i++)
		for (int o = 0; o < s->nr_orders; o++) {
			fputs("fragmon_free_blocks{", f);
			zone_labels(f, &s->zones[i]);
			fprintf(f, ",order=\"%d\"} %llu\n", o, s->zones[i].free[o]);
		}
	family(f, "fragmon_free_bytes", "gauge",
	       "Free memory per zone in bytes (latest snapshot).");
	for (int i = 0; i < s->nzones; i++) {
		unsigned long long pages = 0;

		for (int o = 0; o < s->nr_orders; o++)
			pages += s->zones[i].free[o] << o;
		fputs("fragmon_free_bytes{", f);
		zone_labels(f, &s->zones[i]);
		fprintf(f, "} %llu\n", pages * (unsigned long long)(page > 0 ? page : 4096));
	}
	if (s->have_types) {
		family(f, "fragmon_pageblocks", "gauge",
		       "Pageblocks per zone by migratetype (/proc/pagetypeinfo, latest snapshot).");
		for (int i = 0; i < s->nzones; i++)
			for (int t = 0; t < s->ntypes; t++) {
				fputs("fragmon_pageblocks{", f);
				zone_labels(f, &s->zones[i]);
				fputs(",migratetype=", f);
				label_value(f, s->types[t]);
				fprintf(f, "} %llu\n", s->zones[i].blocks[t]);
			}
	}
	index_family(f, s, "fragmon_fragmentation_index",
		     "The kernel's fragmentation index per zone and order, as debugfs "
		     "extfrag/extfrag_index prints it: -1 a free block of the order exists; else 0 "
		     "(allocation would fail for lack of memory) to 1 (for fragmentation).",
		     fm_fragmentation_index);
	index_family(f, s, "fragmon_unusable_index",
		     "The kernel's unusable free space index per zone and order (debugfs "
		     "extfrag/unusable_index): the share of free memory in blocks smaller than the "
		     "order, 0 to 1.",
		     fm_unusable_index);
}

static void agent_info(FILE *f, const struct fm_agent *a)
{
	family(f, "fragmon_agent_info", "gauge",
	       "fragmon-agent's version and settings (always 1).");
	fprintf(f, "fragmon_agent_info{version=\"%s\",mode=\"%s\",index_source=\"%s\"} 1\n",
		FRAGMON_VERSION, fm_mode_name(a->cfg.mode),
		a->cfg.index_at_event ? "event" : "snapshot");
	family(f, "fragmon_agent_start_time_seconds", "gauge",
	       "When the agent started, seconds since the epoch.");
	fprintf(f, "fragmon_agent_start_time_seconds %.3f\n", a->start_epoch);
	/* main.c sets end_reason once the run is over, before the last write */
	family(f, "fragmon_agent_running", "gauge",
	       "1 while the agent runs; 0 in the file it writes when it stops (the values are "
	       "then the run's totals and stay until the next run).");
	fprintf(f, "fragmon_agent_running %d\n", a->end_reason ? 0 : 1);
}

/* the text into the open tmp file; 0 or -1 (errno set) */
static int write_text(int fd, const struct fm_agent *a)
{
	FILE *f = fdopen(fd, "w");
	int rc = 0, e = 0;

	if (!f) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	agent_info(f, a);
	events_by_type(f, a);
	extfrag(f, a);
	compaction(f, a);
	if (a->have_snap)
		zones(f, a);
	if (fflush(f) || ferror(f)) {
		rc = -1;
		e = errno ? errno : EIO;
	}
	if (fclose(f) && !rc) {
		rc = -1;
		e = errno;
	}
	errno = e;
	return rc;
}

/*
 * Write prometheus_dir/fragmon.prom.  A failure (missing or unwritable
 * directory, full disk) is logged once with the path and errno, and once
 * more when writing works again; the run goes on either way (the textfile
 * is a view, the JSON file is the record).  Returns 0, or -1 with errno set.
 */
int fm_prom_write(struct fm_agent *a)
{
	static bool failing;
	char path[PATH_MAX], tmp[PATH_MAX + 24];
	const char *dir = a->cfg.prometheus_dir, *what = NULL, *where = tmp;
	int fd, e = 0;

	if (!dir || !dir[0])
		return 0;
	if (snprintf(path, sizeof(path), "%s/%s", dir, PROM_NAME) >= (int)sizeof(path)) {
		what = "name";
		where = dir;
		e = ENAMETOOLONG;
	} else {
		snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
		unlink(tmp);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0) {
			what = "create";
			e = errno;
		} else if (write_text(fd, a)) {
			what = "write";
			e = errno;
			unlink(tmp);
		} else if (rename(tmp, path)) {
			what = "rename to";
			where = path;
			e = errno;
			unlink(tmp);
		}
	}
	if (what && !failing)
		fprintf(stderr,
			"fragmon-agent: prometheus_dir %s: cannot %s %s: %s (the textfile is not "
			"updated; logged once until it works again)\n",
			dir, what, where, strerror(e));
	else if (!what && failing)
		fprintf(stderr, "fragmon-agent: prometheus_dir %s: %s written again\n", dir, path);
	failing = what != NULL;
	errno = e;
	return what ? -1 : 0;
}
