// SPDX-License-Identifier: GPL-2.0
#include "kinfo.h"

#include <bpf/btf.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "kbtf.h"
#include "procfs.h"
#include "tpformat.h"

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
	if (out->n)
		out->source = "btf";
}

static void set_defaults(struct fm_enum *e, const char *const *names)
{
	memset(e, 0, sizeof(*e));
	for (int i = 0; names[i] && i < FM_ENUM_MAX; i++) {
		snprintf(e->names[i], FM_ENUM_NAME_LEN, "%s", names[i]);
		e->n = i + 1;
	}
	e->source = "default";
}

static void symbols(struct fm_kinfo *k, const char *cat, const char *name, const char *field,
		    const char *strip, struct fm_enum *out)
{
	struct fm_tp_format f;

	if (!fm_tracefs(k)[0] || fm_tp_format_read(k->tracefs, cat, name, &f))
		return;
	memset(out, 0, sizeof(*out));
	if (fm_tp_symbols(f.print_fmt, field, strip, true, out) > 0)
		out->source = "tracefs";
	else
		memset(out, 0, sizeof(*out));
	fm_tp_format_free(&f);
}

void fm_kinfo_from_tracefs(struct fm_kinfo *k)
{
	symbols(k, "compaction", "mm_compaction_end", "status", NULL, &k->compact_result);
	symbols(k, "migrate", "mm_migrate_pages", "mode", "MIGRATE_", &k->migrate_mode);
	symbols(k, "migrate", "mm_migrate_pages", "reason", "MR_", &k->migrate_reason);
}

void fm_kinfo_load(struct fm_kinfo *k, const char *btf_path, const struct fm_mem_snapshot *snap)
{
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
	struct btf *btf = fm_btf_load(btf_path, k->btf_why, sizeof(k->btf_why));

	k->btf_source = !btf ? "none" : btf_path && *btf_path ? "file" : "kernel";
	memset(&k->migratetype, 0, sizeof(k->migratetype));
	enum_from_btf(btf, "migratetype", "MIGRATE_", false, mt_skip, &k->migratetype);
	if (!k->migratetype.n && snap && snap->ntypes > 0) {
		for (int i = 0; i < snap->ntypes && i < FM_ENUM_MAX; i++)
			snprintf(k->migratetype.names[i], FM_ENUM_NAME_LEN, "%s", snap->types[i]);
		k->migratetype.n = snap->ntypes;
		k->migratetype.source = "pagetypeinfo";
	}
	if (!k->migratetype.n) {
		const char *mt_def[FM_MT_MAX + 1] = {NULL};

		for (int i = 0; i < FM_MT_MAX && fm_mt_default_name(i); i++)
			mt_def[i] = fm_mt_default_name(i);
		set_defaults(&k->migratetype, mt_def);
	}
	if (!k->compact_result.n)
		enum_from_btf(btf, "compact_result", "COMPACT_", true, NULL, &k->compact_result);
	if (!k->migrate_reason.n)
		enum_from_btf(btf, "migrate_reason", "MR_", true, mr_skip, &k->migrate_reason);
	if (!k->migrate_mode.n)
		enum_from_btf(btf, "migrate_mode", "MIGRATE_", true, NULL, &k->migrate_mode);
	if (!k->compact_result.n)
		set_defaults(&k->compact_result, cr_def);
	if (!k->migrate_reason.n)
		set_defaults(&k->migrate_reason, mr_def);
	if (!k->migrate_mode.n)
		set_defaults(&k->migrate_mode, mm_def);
	btf__free(btf);
}

int fm_enum_value(const struct fm_enum *e, const char *name, int dflt)
{
	for (int v = 0; v < e->n; v++)
		if (!strcmp(e->names[v], name))
			return v;
	return dflt;
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
