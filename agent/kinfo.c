// SPDX-License-Identifier: GPL-2.0
#include "kinfo.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#include "jsonw.h"
#include "tracepoints.h"

static void enum_from_btf(const struct btf *btf, const char *ename, const char *prefix, bool lower,
			  const char *const *skip, struct fm_enum *out)
{
	int id = btf ? btf__find_by_name_kind(btf, ename, BTF_KIND_ENUM) : -1;
	const struct btf_type *t;
	const struct btf_enum *v;

	if (id < 0)
		return;
	t = btf__type_by_id(btf, id);
	v = btf_enum(t);
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < btf_vlen(t); i++, v++) {
		const char *name = btf__name_by_offset(btf, v->name_off);
		size_t plen = strlen(prefix);
		bool skipped = false;

		if (!name || v->val < 0 || v->val >= FM_ENUM_MAX)
			continue;
		if (!strncmp(name, prefix, plen))
			name += plen;
		for (const char *const *s = skip; s && *s; s++)
			if (!strcmp(name, *s))
				skipped = true;
		if (skipped || out->names[v->val][0])
			continue;
		for (size_t j = 0; name[j] && j + 1 < FM_ENUM_NAME_LEN; j++)
			out->names[v->val][j] =
			    lower ? (char)tolower((unsigned char)name[j]) : name[j];
		if (v->val + 1 > out->n)
			out->n = v->val + 1;
	}
}

static void set_defaults(struct fm_enum *e, const char *const *names)
{
	memset(e, 0, sizeof(*e));
	for (int i = 0; names[i] && i < FM_ENUM_MAX; i++) {
		snprintf(e->names[i], FM_ENUM_NAME_LEN, "%s", names[i]);
		e->n = i + 1;
	}
}

void fm_kinfo_load(struct fm_kinfo *k)
{
	static const char *const mt_def[] = {"UNMOVABLE", "MOVABLE", "RECLAIMABLE", "HIGHATOMIC",
					     "CMA",	  "ISOLATE", NULL};
	static const char *const cr_def[] = {
	    "not_suitable_zone", "skipped",	    "deferred",	 "no_suitable_page", "continue",
	    "complete",		 "partial_skipped", "contended", "success",	     NULL};
	static const char *const mr_def[] = {"compaction",
					     "memory_failure",
					     "memory_hotplug",
					     "syscall",
					     "mempolicy_mbind",
					     "numa_misplaced",
					     "contig_range",
					     "longterm_pin",
					     "demotion",
					     "damon",
					     NULL};
	static const char *const mm_def[] = {"async", "sync_light", "sync", NULL};
	static const char *const mt_skip[] = {"PCPTYPES", "TYPES", NULL};
	static const char *const mr_skip[] = {"TYPES", NULL};
	struct btf *btf;

	set_defaults(&k->migratetype, mt_def);
	set_defaults(&k->compact_result, cr_def);
	set_defaults(&k->migrate_reason, mr_def);
	set_defaults(&k->migrate_mode, mm_def);
	btf = btf__load_vmlinux_btf();
	k->have_btf = btf != NULL;
	if (!btf)
		return;
	enum_from_btf(btf, "migratetype", "MIGRATE_", false, mt_skip, &k->migratetype);
	enum_from_btf(btf, "compact_result", "COMPACT_", true, NULL, &k->compact_result);
	enum_from_btf(btf, "migrate_reason", "MR_", true, mr_skip, &k->migrate_reason);
	enum_from_btf(btf, "migrate_mode", "MIGRATE_", true, NULL, &k->migrate_mode);
	btf__free(btf);
}

const char *fm_enum_name(const struct fm_enum *e, int v, char *buf, size_t buflen)
{
	if (v >= 0 && v < e->n && e->names[v][0])
		return e->names[v];
	snprintf(buf, buflen, "%d", v);
	return buf;
}

static bool is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

const char *fm_tracefs(struct fm_kinfo *k)
{
	if (k->tracefs[0])
		return k->tracefs;
	if (is_dir("/sys/kernel/tracing/events"))
		snprintf(k->tracefs, sizeof(k->tracefs), "/sys/kernel/tracing");
	else if (is_dir("/sys/kernel/debug/tracing/events"))
		snprintf(k->tracefs, sizeof(k->tracefs), "/sys/kernel/debug/tracing");
	else if (!mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) &&
		 is_dir("/sys/kernel/tracing/events"))
		snprintf(k->tracefs, sizeof(k->tracefs), "/sys/kernel/tracing");
	return k->tracefs;
}

bool fm_tracepoint_exists(struct fm_kinfo *k, const char *category, const char *name)
{
	char p[256];

	if (!fm_tracefs(k)[0])
		return false;
	snprintf(p, sizeof(p), "%s/events/%s/%s", k->tracefs, category, name);
	return is_dir(p);
}

static void print_cb(void *ctx, const char *s, size_t len)
{
	fwrite(s, 1, len, ctx);
}

int fm_probe(FILE *out)
{
	struct fm_kinfo k = {0};
	bool btf, ringbuf, root = geteuid() == 0, extfrag;
	yajl_gen g = yajl_gen_alloc(NULL);
	int ok;

	yajl_gen_config(g, yajl_gen_beautify, 1);
	yajl_gen_config(g, yajl_gen_print_callback, print_cb, out);
	btf = !access("/sys/kernel/btf/vmlinux", R_OK);
	ringbuf = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) == 1;
	fm_tracefs(&k);
	extfrag = fm_tracepoint_exists(&k, "kmem", "mm_page_alloc_extfrag");
	ok = btf && ringbuf && root && extfrag;

	yajl_gen_map_open(g);
	jw_kstr(g, "agent_version", FRAGMON_VERSION);
	jw_kbool(g, "root", root);
	jw_kbool(g, "btf", btf);
	jw_kbool(g, "ringbuf", ringbuf);
	jw_kstr(g, "tracefs", k.tracefs);
	jw_key(g, "tracepoints");
	yajl_gen_map_open(g);
	for (int i = 0; i < fm_ntracepoints; i++) {
		const struct fm_tracepoint *tp = &fm_tracepoints[i];
		char full[128];
		bool have = fm_tracepoint_exists(&k, tp->category, tp->name);

		for (int c = 0; !have && tp->alt_category[c]; c++)
			have = fm_tracepoint_exists(&k, tp->alt_category[c], tp->name);
		snprintf(full, sizeof(full), "%s:%s", tp->category, tp->name);
		jw_kbool(g, full, have);
	}
	yajl_gen_map_close(g);
	jw_kbool(g, "debugfs_extfrag_index",
		 !access("/sys/kernel/debug/extfrag/extfrag_index", R_OK));
	jw_kbool(g, "debugfs_unusable_index",
		 !access("/sys/kernel/debug/extfrag/unusable_index", R_OK));
	jw_kbool(g, "buddyinfo", !access("/proc/buddyinfo", R_OK));
	jw_kbool(g, "pagetypeinfo", !access("/proc/pagetypeinfo", R_OK));
	jw_kbool(g, "can_run", ok);
	jw_kbool(g, "can_run_snapshot_mode", !access("/proc/buddyinfo", R_OK));
	yajl_gen_map_close(g);
	yajl_gen_free(g);
	fputc('\n', out);
	return ok ? 0 : 1;
}
