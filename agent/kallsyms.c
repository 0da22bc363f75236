// SPDX-License-Identifier: GPL-2.0
#include "kallsyms.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long add_str(struct fm_kallsyms *k, const char *s, size_t n)
{
	size_t off = k->strs_len;

	if (k->strs_len + n + 1 > k->strs_cap) {
		size_t cap = k->strs_cap ? k->strs_cap * 2 : 1 << 20;
		char *p;

		while (cap < k->strs_len + n + 1)
			cap *= 2;
		if (!(p = realloc(k->strs, cap)))
			return -1;
		k->strs = p;
		k->strs_cap = cap;
	}
	memcpy(k->strs + off, s, n);
	k->strs[off + n] = '\0';
	k->strs_len += n + 1;
	return (long)off;
}

static int by_addr(const void *a, const void *b)
{
	const struct fm_ksym *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

long fm_kallsyms_load(struct fm_kallsyms *k, const char *path)
{
	FILE *f = fopen(path, "re");
	char line[512];
	size_t cap = 0;
	long mod_off = 0;
	char last_mod[128] = "";

	memset(k, 0, sizeof(*k));
	if (!f)
		return -1;
	if (add_str(k, "", 0) < 0) /* offset 0: no module */
		goto fail;
	while (fgets(line, sizeof(line), f)) {
		char *end, *name, *mod, type;
		__u64 addr = strtoull(line, &end, 16);
		size_t nlen;
		long noff;

		if (end == line || end[0] != ' ' || !end[1] || end[2] != ' ')
			continue;
		type = end[1];
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			continue;
		if (!addr)
			continue; /* hidden (kptr_restrict) */
		name = end + 3;
		nlen = strcspn(name, "\t\n");
		mod = name[nlen] == '\t' ? name + nlen + 1 : NULL;
		if (mod) {
			size_t mlen;

			mod += *mod == '[';
			mlen = strcspn(mod, "]\n");
			/* a module's symbols come together: its name is stored once */
			if (mlen != strlen(last_mod) || strncmp(mod, last_mod, mlen)) {
				snprintf(last_mod, sizeof(last_mod), "%.*s", (int)mlen, mod);
				if ((mod_off = add_str(k, mod, mlen)) < 0)
					goto fail;
			}
		}
		if ((noff = add_str(k, name, nlen)) < 0)
			goto fail;
		if (k->n == cap) {
			struct fm_ksym *p;

			cap = cap ? cap * 2 : 65536;
			if (!(p = realloc(k->sym, cap * sizeof(*p))))
				goto fail;
			k->sym = p;
		}
		k->sym[k->n].addr = addr;
		k->sym[k->n].name = (__u32)noff;
		k->sym[k->n].mod = mod ? (__u32)mod_off : 0;
		k->n++;
	}
	fclose(f);
	qsort(k->sym, k->n, sizeof(*k->sym), by_addr);
	return (long)k->n;
fail:
	fclose(f);
	fm_kallsyms_free(k);
	return -1;
}

void fm_kallsyms_free(struct fm_kallsyms *k)
{
	free(k->sym);
	free(k->strs);
	memset(k, 0, sizeof(*k));
}

const char *fm_kallsyms_name(const struct fm_kallsyms *k, __u64 addr, char *buf, size_t len)
{
	size_t lo = 0, hi = k->n;

	/* the last symbol at or below addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->sym[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo) {
		snprintf(buf, len, "0x%" PRIx64, (uint64_t)addr);
		return buf;
	}
	const struct fm_ksym *s = &k->sym[lo - 1];

	if (s->mod)
		snprintf(buf, len, "%s [%s]", k->strs + s->name, k->strs + s->mod);
	else
		snprintf(buf, len, "%s", k->strs + s->name);
	return buf;
}
