// SPDX-License-Identifier: GPL-2.0
/* Prometheus node_exporter textfile, rewritten atomically (tmp + rename). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"

#define PROM_NAME "fragmon.prom"

static void kinds(FILE *f, struct fm_agent *a)
{
	fprintf(f, "# HELP fragmon_events_total Events seen by the BPF programs, by type.\n"
		   "# TYPE fragmon_events_total counter\n");
	for (int k = 0; k < FM_KIND_MAX; k++) {
		unsigned long long n = 0;

		for (int o = -1; o < FM_ORDER_SLOTS - 1; o++)
			n += a->counts[FM_CNT_KIND(k, o)];
		fprintf(f, "fragmon_events_total{host=\"%s\",type=\"%s\",kind=\"%d\"} %llu\n",
			a->hostname, fm_kind_name(a, k), k, n);
	}
	fprintf(f,
		"# HELP fragmon_events_dropped_total Events lost to a full ring buffer.\n"
		"# TYPE fragmon_events_dropped_total counter\n"
		"fragmon_events_dropped_total{host=\"%s\"} %llu\n",
		a->hostname, (unsigned long long)a->counts[FM_CNT_DROPPED]);
}

static void zones(FILE *f, struct fm_agent *a)
{
	const struct fm_mem_snapshot *s = &a->snap;

	fprintf(f, "# HELP fragmon_free_blocks Free blocks per zone and order (buddyinfo).\n"
		   "# TYPE fragmon_free_blocks gauge\n");
	for (int i = 0; i < s->nzones; i++)
		for (int o = 0; o < s->nr_orders; o++)
			fprintf(f,
				"fragmon_free_blocks{host=\"%s\",node=\"%d\",zone=\"%s\","
				"order=\"%d\"} %llu\n",
				a->hostname, s->zones[i].node, s->zones[i].name, o,
				s->zones[i].free[o]);
	fprintf(f, "# HELP fragmon_fragmentation_index Kernel fragmentation index x1000.\n"
		   "# TYPE fragmon_fragmentation_index gauge\n");
	for (int i = 0; i < s->nzones; i++)
		for (int o = 0; o < s->nr_orders; o++)
			fprintf(f,
				"fragmon_fragmentation_index{host=\"%s\",node=\"%d\",zone=\"%s\","
				"order=\"%d\"} %d\n",
				a->hostname, s->zones[i].node, s->zones[i].name, o,
				fm_fragmentation_index(s->zones[i].free, s->nr_orders, o));
}

int fm_prom_write(struct fm_agent *a)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	FILE *f;
	int fd, rc = 0;

	if (!a->cfg.prometheus_dir || !a->cfg.prometheus_dir[0])
		return 0;
	snprintf(path, sizeof(path), "%s/%s", a->cfg.prometheus_dir, PROM_NAME);
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, getpid());
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	kinds(f, a);
	if (a->have_snap)
		zones(f, a);
	if (fflush(f) || ferror(f))
		rc = -1;
	if (fclose(f))
		rc = -1;
	if (!rc && rename(tmp, path))
		rc = -1;
	if (rc)
		unlink(tmp);
	return rc;
}
