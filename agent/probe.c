// SPDX-License-Identifier: GPL-2.0
/*
 * fragmon-agent --probe: what this kernel lets the agent capture, found the
 * way a run finds it (every program loaded and verified, none attached).
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#include "agent.h"
#include "jsonw.h"
#include "schema.h"

static void print_cb(void *ctx, const char *s, size_t len)
{
	fwrite(s, 1, len, ctx);
}

static int nop_event(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	return 0;
}

/* what mode m would capture: its tracepoints that load here, and snapshots */
static void mode_capture(yajl_gen g, const struct fm_tracer *t, bool bpf, enum fm_mode m)
{
	yajl_gen_array_open(g);
	for (int i = 0; bpf && i < FM_NTP; i++) {
		char full[128];

		if (!(fm_tracepoints[i].modes & FM_MODE_BIT(m)) || !t->status[i] ||
		    strcmp(t->status[i], "loaded"))
			continue;
		snprintf(full, sizeof(full), "%s:%s", t->category[i], fm_tracepoints[i].name);
		jw_str(g, full);
	}
	jw_str(g, "snapshots");
	yajl_gen_array_close(g);
}

int fm_probe(FILE *out, const struct fm_config *cfg)
{
	static struct fm_mem_snapshot snap;
	struct fm_zone_span spans[FM_MAX_NODES * FM_MAX_ZONES];
	struct fm_tracer t;
	struct fm_kinfo k;
	struct utsname u;
	char err[512] = "", kernel[65] = "";
	yajl_gen g = yajl_gen_alloc(NULL);
	int nspans = fm_read_zoneinfo(spans, FM_MAX_NODES * FM_MAX_ZONES, "/proc"), pbo;
	bool snap_ok, bpf = false, root = geteuid() == 0, can_run;

	memset(&k, 0, sizeof(k));
	memset(&t, 0, sizeof(t));
	if (!uname(&u))
		snprintf(kernel, sizeof(kernel), "%s", u.release);
	snap_ok = nspans > 0 && !fm_read_snapshot(&snap, spans, nspans, "/proc");
	pbo = snap.pageblock_order > 0 ? snap.pageblock_order : snap.nr_orders - 2;
	fm_tracefs(&k);
	fm_kinfo_from_tracefs(&k);
	if (!root) {
		snprintf(err, sizeof(err), "not root: loading BPF programs needs root");
	} else if (!snap_ok) {
		snprintf(err, sizeof(err), "cannot read /proc/zoneinfo or /proc/buddyinfo");
	} else {
		struct fm_tracer_opts o = {
		    .cfg = cfg,
		    .kinfo = &k,
		    .spans = spans,
		    .nspans = nspans,
		    .nr_orders = snap.nr_orders,
		    .pageblock_order = pbo,
		    .all_modes = true,
		    .on_event = nop_event,
		};

		bpf = !fm_tracer_load(&t, &o, err, sizeof(err)) &&
		      !fm_tracer_check_flush(&t, err, sizeof(err));
	}
	fm_kinfo_load(&k, cfg->btf_path, snap_ok ? &snap : NULL);
	can_run = bpf && t.status[FM_TP_EXTFRAG] && !strcmp(t.status[FM_TP_EXTFRAG], "loaded");

	yajl_gen_config(g, yajl_gen_beautify, 1);
	yajl_gen_config(g, yajl_gen_print_callback, print_cb, out);
	yajl_gen_map_open(g);
	jw_kstr(g, FM_K_AGENT_VERSION, FRAGMON_VERSION);
	jw_kstr(g, FM_K_KERNEL, kernel);
	jw_kbool(g, FM_K_ROOT, root);
	jw_kstr(g, FM_K_BTF, k.btf_source);
	if (!strcmp(k.btf_source, "none"))
		jw_kstr(g, FM_K_BTF_MISSING, k.btf_why);
	if (cfg->btf_path && *cfg->btf_path)
		jw_kstr(g, FM_K_BTF_PATH, cfg->btf_path);
	jw_kstr(g, FM_K_TRACEFS, k.tracefs);
	jw_kstr(g, FM_K_FIELD_OFFSETS, k.tracefs[0] ? "tracefs" : "none");
	jw_kstr(g, FM_K_BPF, bpf ? "ok" : err);
	jw_key(g, FM_K_TRACEPOINTS);
	yajl_gen_map_open(g);
	for (int i = 0; i < FM_NTP; i++) {
		const struct fm_tracepoint *tp = &fm_tracepoints[i];
		const char *s = t.status[i] ? t.status[i] : "unknown";
		char full[128];

		snprintf(full, sizeof(full), "%s:%s", t.category[i] ? t.category[i] : tp->category,
			 tp->name);
		jw_kstr(g, full, !strcmp(s, "loaded") ? "ok" : s);
	}
	yajl_gen_map_close(g);
	jw_kstr(g, FM_K_INDEX_SOURCE_EVENT,
		!bpf		   ? "unavailable"
		: t.index_at_event ? "ok"
		: t.index_why[0]   ? t.index_why
				   : "not asked for (index_source: snapshot)");
	jw_key(g, FM_K_MIGRATETYPES);
	yajl_gen_array_open(g);
	for (int i = 0; i < k.migratetype.n; i++)
		jw_str(g, k.migratetype.names[i]);
	yajl_gen_array_close(g);
	jw_kstr(g, FM_K_MIGRATETYPE_SOURCE, k.migratetype.source);
	jw_key(g, FM_K_MODES);
	yajl_gen_map_open(g);
	for (int m = FM_MODE_FULL; m <= FM_MODE_SNAPSHOT; m++) {
		jw_key(g, fm_mode_name((enum fm_mode)m));
		mode_capture(g, &t, bpf, (enum fm_mode)m);
	}
	yajl_gen_map_close(g);
	jw_kbool(g, FM_K_DEBUGFS_EXTFRAG_INDEX,
		 !access("/sys/kernel/debug/extfrag/extfrag_index", R_OK));
	jw_kbool(g, FM_K_BUDDYINFO, !access("/proc/buddyinfo", R_OK));
	jw_kbool(g, FM_K_PAGETYPEINFO, !access("/proc/pagetypeinfo", R_OK));
	jw_kbool(g, FM_K_CAN_RUN, can_run);
	jw_kbool(g, FM_K_CAN_RUN_SNAPSHOT_MODE, snap_ok);
	yajl_gen_map_close(g);
	yajl_gen_free(g);
	fputc('\n', out);
	fm_tracer_destroy(&t);
	return can_run ? 0 : 1;
}
