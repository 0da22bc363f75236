// SPDX-License-Identifier: GPL-2.0
#include "kbtf.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct btf *fm_btf_load(const char *path, char *why, size_t whylen)
{
	struct btf *btf;

	if (path && *path) {
		btf = btf__parse(path, NULL);
		if (!btf)
			snprintf(why, whylen, "cannot read BTF from %s: %s", path, strerror(errno));
		return btf;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(why, whylen,
			 "kernel has no BTF (/sys/kernel/btf/vmlinux: %s; CONFIG_DEBUG_INFO_BTF is "
			 "not set?)",
			 strerror(errno));
		return NULL;
	}
	btf = btf__load_vmlinux_btf();
	if (!btf)
		snprintf(why, whylen, "cannot read /sys/kernel/btf/vmlinux: %s", strerror(errno));
	return btf;
}

/* byte offset of member name in struct/union id, searching anonymous members */
static long member_off(const struct btf *btf, int id, const char *name, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m;

	while (t && (btf_is_typedef(t) || btf_is_mod(t)))
		t = btf__type_by_id(btf, t->type);
	if (!t || !btf_is_composite(t) || depth > 4)
		return -1;
	m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(btf, m->name_off);
		__u32 bits = btf_member_bit_offset(t, i);

		if (mn && *mn) {
			if (!strcmp(mn, name))
				return bits % 8 ? -1 : (long)(bits / 8);
			continue;
		}
		/* an anonymous struct or union: look inside */
		long inner = member_off(btf, (int)m->type, name, depth + 1);

		if (inner >= 0)
			return (long)(bits / 8) + inner;
	}
	return -1;
}

/* type id of member name's type in struct id */
static int member_type(const struct btf *btf, int id, const char *name)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m;

	if (!t || !btf_is_composite(t))
		return -1;
	m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(btf, m->name_off);

		if (mn && !strcmp(mn, name))
			return (int)m->type;
	}
	return -1;
}

struct lookup {
	const struct btf *btf;
	char *why;
	size_t whylen;
	int failed;
};

static int struct_id(struct lookup *l, const char *name)
{
	int id = btf__find_by_name_kind(l->btf, name, BTF_KIND_STRUCT);

	if (id < 0 && !l->failed) {
		snprintf(l->why, l->whylen, "BTF has no struct %s", name);
		l->failed = 1;
	}
	return id;
}

static __u32 off(struct lookup *l, const char *sname, const char *member)
{
	int id = struct_id(l, sname);
	long o = id < 0 ? -1 : member_off(l->btf, id, member, 0);

	if (o < 0 && !l->failed) {
		snprintf(l->why, l->whylen, "BTF has no %s.%s", sname, member);
		l->failed = 1;
	}
	return o < 0 ? 0 : (__u32)o;
}

static __u32 size_of(struct lookup *l, const char *sname)
{
	int id = struct_id(l, sname);
	long s = id < 0 ? -1 : btf__resolve_size(l->btf, id);

	if (s <= 0 && !l->failed) {
		snprintf(l->why, l->whylen, "BTF has no size for struct %s", sname);
		l->failed = 1;
	}
	return s <= 0 ? 0 : (__u32)s;
}

static int enum_value(const struct btf *btf, const char *ename, const char *vname)
{
	int id = btf__find_by_name_kind(btf, ename, BTF_KIND_ENUM);
	const struct btf_type *t = id < 0 ? NULL : btf__type_by_id(btf, id);
	const struct btf_enum *v;

	if (!t)
		return -1;
	v = btf_enum(t);
	for (int i = 0; i < btf_vlen(t); i++, v++)
		if (!strcmp(btf__name_by_offset(btf, v->name_off), vname))
			return v->val;
	return -1;
}

int fm_btf_kernel_offsets(const struct btf *btf, struct fm_kernel_offsets *o, char *why,
			  size_t whylen)
{
	struct lookup l = {btf, why, whylen, 0};
	int mz;

	memset(o, 0, sizeof(*o));
	o->memory_cgrp_id = enum_value(btf, "cgroup_subsys_id", "memory_cgrp_id");
	if (o->memory_cgrp_id < 0) {
		snprintf(why, whylen, "BTF has no memory_cgrp_id (CONFIG_MEMCG is not set?)");
		return -1;
	}
	o->task_cgroups = off(&l, "task_struct", "cgroups");
	o->css_set_subsys = off(&l, "css_set", "subsys");
	o->memcg_css = off(&l, "mem_cgroup", "css");
	o->memcg_nodeinfo = off(&l, "mem_cgroup", "nodeinfo");
	/* mem_cgroup_per_node.lruvec.pgdat */
	mz = struct_id(&l, "mem_cgroup_per_node");
	if (mz >= 0) {
		int lv = member_type(btf, mz, "lruvec");

		o->mz_pgdat = off(&l, "mem_cgroup_per_node", "lruvec");
		if (lv < 0 && !l.failed) {
			snprintf(why, whylen, "BTF has no mem_cgroup_per_node.lruvec");
			l.failed = 1;
		}
		o->mz_pgdat += off(&l, "lruvec", "pgdat");
	}
	o->pgdat_node_zones = off(&l, "pglist_data", "node_zones");
	o->zone_size = size_of(&l, "zone");
	o->zone_free_area = off(&l, "zone", "free_area");
	o->free_area_size = size_of(&l, "free_area");
	o->free_area_nr_free = off(&l, "free_area", "nr_free");
	if (l.failed)
		return -1;
	o->valid = 1;
	return 0;
}
