// SPDX-License-Identifier: GPL-2.0
#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *fm_slurp(const char *path, size_t max, size_t *len)
{
	size_t cap = 16384, n = 0;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	buf = malloc(cap + 1);
	while (buf) {
		ssize_t r;

		if (n == cap) {
			char *nb;

			if (cap >= max)
				break;
			cap *= 2;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (buf) {
		buf[n] = '\0';
		if (len)
			*len = n;
	}
	return buf;
}

int fm_read_zoneinfo(struct fm_zone_span *spans, int max, const char *root)
{
	char path[512], *buf, *line, *save = NULL;
	int n = 0, node = -1, idx = 0;

	snprintf(path, sizeof(path), "%s/zoneinfo", root);
	buf = fm_slurp(path, 1 << 22, NULL);

	if (!buf)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int nd;
		char name[FM_ZONE_NAME_LEN];
		unsigned long long v;

		if (sscanf(line, "Node %d, zone %15s", &nd, name) == 2) {
			if (nd != node)
				idx = 0;
			node = nd;
			if (n >= max || nd >= FM_MAX_NODES || idx >= FM_MAX_ZONES) {
				idx++;
				continue;
			}
			spans[n].node = nd;
			spans[n].idx = idx++;
			snprintf(spans[n].name, sizeof(spans[n].name), "%s", name);
			spans[n].start_pfn = 0;
			spans[n].spanned = 0;
			n++;
		} else if (n > 0 && sscanf(line, " spanned %llu", &v) == 1) {
			spans[n - 1].spanned = v;
		} else if (n > 0 && sscanf(line, " start_pfn: %llu", &v) == 1) {
			spans[n - 1].start_pfn = v;
		}
	}
	free(buf);
	return n;
}

static int zone_idx(const struct fm_zone_span *spans, int nspans, int node, const char *name)
{
	for (int i = 0; i < nspans; i++)
		if (spans[i].node == node && !strcmp(spans[i].name, name))
			return spans[i].idx;
	return -1;
}

static struct fm_zone_free *find_zone(struct fm_mem_snapshot *s, int node, const char *name)
{
	for (int i = 0; i < s->nzones; i++)
		if (s->zones[i].node == node && !strcmp(s->zones[i].name, name))
			return &s->zones[i];
	return NULL;
}

const struct fm_zone_free *fm_snapshot_zone(const struct fm_mem_snapshot *snap, int node, int idx)
{
	for (int i = 0; i < snap->nzones; i++)
		if (snap->zones[i].node == node && snap->zones[i].idx == idx)
			return &snap->zones[i];
	return NULL;
}

/* parse up to FM_MAX_ORDERS numbers from p; returns how many */
static int parse_counts(const char *p, unsigned long long *out)
{
	int n = 0;

	while (n < FM_MAX_ORDERS) {
		char *end;
		unsigned long long v = strtoull(p, &end, 10);

		if (end == p)
			break;
		out[n++] = v;
		p = end;
	}
	return n;
}

static int read_buddyinfo(struct fm_mem_snapshot *s, const struct fm_zone_span *spans, int nspans,
			  const char *root)
{
	char path[256], *buf, *line, *save = NULL;

	snprintf(path, sizeof(path), "%s/buddyinfo", root);
	buf = fm_slurp(path, 1 << 20, NULL);
	if (!buf)
		return -1;
	s->nzones = 0;
	s->nr_orders = 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int node, off = 0, n;
		char name[FM_ZONE_NAME_LEN];
		struct fm_zone_free *z;

		if (sscanf(line, "Node %d, zone %15s%n", &node, name, &off) != 2 ||
		    s->nzones >= FM_MAX_NODES * FM_MAX_ZONES)
			continue;
		z = &s->zones[s->nzones++];
		memset(z, 0, sizeof(*z));
		z->node = node;
		z->idx = zone_idx(spans, nspans, node, name);
		snprintf(z->name, sizeof(z->name), "%s", name);
		n = parse_counts(line + off, z->free);
		if (n > s->nr_orders)
			s->nr_orders = n;
	}
	free(buf);
	return s->nzones ? 0 : -1;
}

static void read_pagetypeinfo(struct fm_mem_snapshot *s, const char *root)
{
	char path[256], *buf, *line, *save = NULL;
	int section = 0;

	snprintf(path, sizeof(path), "%s/pagetypeinfo", root);
	s->have_types = false;
	buf = fm_slurp(path, 1 << 22, NULL);
	if (!buf)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int node, off = 0, pbo;
		char zname[FM_ZONE_NAME_LEN], tname[32], canon[FM_MT_NAME_LEN];
		struct fm_zone_free *z;

		if (sscanf(line, "Page block order: %d", &pbo) == 1) {
			s->pageblock_order = pbo;
		} else if (!strncmp(line, "Free pages count", 16)) {
			section = 1;
		} else if (!strncmp(line, "Number of blocks type", 21)) {
			/* header lists the type names in enum order */
			char *p = line + 21, *tok, *tsave = NULL;

			section = 2;
			s->ntypes = 0;
			for (tok = strtok_r(p, " \t", &tsave); tok && s->ntypes < FM_MT_MAX;
			     tok = strtok_r(NULL, " \t", &tsave)) {
				fm_mt_canonical(tok, s->types[s->ntypes], FM_MT_NAME_LEN);
				s->ntypes++;
			}
		} else if (section == 1 && sscanf(line, "Node %d, zone %15[^,], type %31s%n", &node,
						  zname, tname, &off) == 3) {
			char *zn = zname;
			int t;

			while (*zn == ' ')
				zn++;
			z = find_zone(s, node, zn);
			if (!z)
				continue;
			fm_mt_canonical(tname, canon, sizeof(canon));
			for (t = 0; t < s->ntypes; t++)
				if (!strcmp(s->types[t], canon))
					break;
			if (t == s->ntypes && s->ntypes < FM_MT_MAX) /* before the blocks header */
				snprintf(s->types[s->ntypes++], FM_MT_NAME_LEN, "%s", canon);
			if (t < FM_MT_MAX)
				parse_counts(line + off, z->by_type[t]);
			s->have_types = true;
		} else if (section == 2 &&
			   sscanf(line, "Node %d, zone %15s%n", &node, zname, &off) == 2) {
			unsigned long long counts[FM_MAX_ORDERS] = {0};
			int n;

			z = find_zone(s, node, zname);
			if (!z)
				continue;
			n = parse_counts(line + off, counts);
			for (int t = 0; t < n && t < FM_MT_MAX; t++)
				z->blocks[t] = counts[t];
		}
	}
	free(buf);
}

/* compaction and migration, and the pages allocated per zone type (for rates per GiB allocated) */
static const char *const vm_prefixes[] = {"compact_", "pgmigrate_", "thp_migration_", "kcompactd",
					  "pgalloc_"};

static void read_vmstat(struct fm_mem_snapshot *s, const char *root)
{
	char path[256], *buf, *line, *save = NULL;

	snprintf(path, sizeof(path), "%s/vmstat", root);
	s->nvmstat = 0;
	buf = fm_slurp(path, 1 << 20, NULL);
	if (!buf)
		return;
	for (line = strtok_r(buf, "\n", &save); line && s->nvmstat < FM_MAX_VMSTAT;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[40];
		unsigned long long v;
		bool want = false;

		if (sscanf(line, "%39s %llu", name, &v) != 2)
			continue;
		for (size_t i = 0; i < sizeof(vm_prefixes) / sizeof(vm_prefixes[0]); i++)
			if (!strncmp(name, vm_prefixes[i], strlen(vm_prefixes[i])))
				want = true;
		if (!want)
			continue;
		snprintf(s->vm_name[s->nvmstat], sizeof(s->vm_name[0]), "%s", name);
		s->vm_val[s->nvmstat++] = v;
	}
	free(buf);
}

int fm_read_snapshot(struct fm_mem_snapshot *snap, const struct fm_zone_span *spans, int nspans,
		     const char *root)
{
	int pbo = snap->pageblock_order, ntypes = snap->ntypes;
	char types[FM_MT_MAX][FM_MT_NAME_LEN];

	memcpy(types, snap->types, sizeof(types));
	if (read_buddyinfo(snap, spans, nspans, root))
		return -1;
	snap->pageblock_order = pbo;
	snap->ntypes = ntypes;
	memcpy(snap->types, types, sizeof(types));
	read_pagetypeinfo(snap, root);
	read_vmstat(snap, root);
	return 0;
}

int fm_zone_of_pfn(const struct fm_zone_span *spans, int nspans, unsigned long long pfn, int *node)
{
	for (int i = 0; i < nspans; i++)
		if (pfn >= spans[i].start_pfn && pfn < spans[i].start_pfn + spans[i].spanned) {
			*node = spans[i].node;
			return spans[i].idx;
		}
	return -1;
}

const char *fm_zone_name(const struct fm_zone_span *spans, int nspans, int node, int idx)
{
	for (int i = 0; i < nspans; i++)
		if (spans[i].node == node && spans[i].idx == idx)
			return spans[i].name;
	return "";
}
