// SPDX-License-Identifier: GPL-2.0
/*
 * Test and phase markers in the run: /dev/kmsg lines that match a marker
 * pattern (marker.c) become "marker" events on the agent's clock
 * (docs/format.md "Markers").
 */
#include <stdio.h>
#include <string.h>

#include "agent.h"
#include "jsonw.h"
#include "schema.h"

#define FM_KMSG_PATH "/dev/kmsg"
#define FM_KMSG_PER_POLL 1024 /* records per poll (10,000 lines/s at a 100 ms poll) */

int fm_markers_start(struct fm_agent *a)
{
	char why[sizeof(a->markers_why) - 16];

	a->kmsg.fd = -1;
	if (a->cfg.markers_off) {
		snprintf(a->markers_why, sizeof(a->markers_why), "unavailable: disabled by config");
		return -1;
	}
	if (fm_markers_init(&a->markers, a->cfg.marker_patterns, a->cfg.nmarker_patterns, why,
			    sizeof(why))) {
		snprintf(a->markers_why, sizeof(a->markers_why), "unavailable: %s", why);
		return -1;
	}
	if (fm_kmsg_open(&a->kmsg, FM_KMSG_PATH)) {
		snprintf(a->markers_why, sizeof(a->markers_why), "unavailable: %s", a->kmsg.why);
		fm_markers_free(&a->markers);
		return -1;
	}
	snprintf(a->markers_why, sizeof(a->markers_why), FM_K_MARKERS_KMSG);
	return 0;
}

static void on_line(void *ctx, const struct fm_kmsg_rec *r, __u64 mono_ns)
{
	struct fm_agent *a = ctx;
	struct fm_marker m;
	yajl_gen g;

	if (!fm_markers_match(&a->markers, r->msg, r->len, &m))
		return;
	a->nmarkers[m.kind]++;
	g = fm_writer_event_begin(&a->writer);
	if (!g)
		return;
	fm_marker_json(g, a, &m, r->msg, r->len, mono_ns);
	fm_writer_event_end(&a->writer);
}

int fm_markers_poll(struct fm_agent *a)
{
	int n;

	if (a->kmsg.fd < 0)
		return 0;
	n = fm_kmsg_poll(&a->kmsg, FM_KMSG_PER_POLL, on_line, a);
	if (n < 0)
		snprintf(a->markers_why, sizeof(a->markers_why), "unavailable: %s", a->kmsg.why);
	return n;
}

void fm_markers_stop(struct fm_agent *a)
{
	/* what was logged up to the end of the run: all of it, in bounded steps */
	for (int i = 0; i < 64 && fm_markers_poll(a) == FM_KMSG_PER_POLL; i++)
		;
	if (a->kmsg.fd >= 0)
		fm_kmsg_close(&a->kmsg);
	fm_markers_free(&a->markers);
}

void fm_markers_run_json(yajl_gen g, const struct fm_agent *a)
{
	jw_kstr(g, FM_K_MARKERS, a->markers_why[0] ? a->markers_why : "unavailable: not started");
	if (a->kmsg.sync_err_ns >= 0 && !strcmp(a->markers_why, FM_K_MARKERS_KMSG))
		jw_kfixed(g, FM_K_MARKERS_CLOCK_OFFSET_US, (double)a->kmsg.offset_ns / 1e3, 1);
}

void fm_markers_stats_json(yajl_gen g, const struct fm_agent *a)
{
	jw_key(g, FM_K_MARKERS);
	yajl_gen_map_open(g);
	jw_kuint(g, FM_K_MARKER_TEST, a->nmarkers[FM_MARKER_TEST]);
	jw_kuint(g, FM_K_MARKER_PHASE, a->nmarkers[FM_MARKER_PHASE]);
	jw_kuint(g, FM_K_LINES_READ, a->kmsg.lines_read);
	jw_kuint(g, FM_K_LINES_LOST, a->kmsg.lines_lost);
	yajl_gen_map_close(g);
}
