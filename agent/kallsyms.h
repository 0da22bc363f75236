/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel text symbols from /proc/kallsyms (the kernel's and the modules'),
 * sorted by address, for naming the frames of kernel stacks.
 */
#ifndef FRAGMON_KALLSYMS_H
#define FRAGMON_KALLSYMS_H

#include <stddef.h>
#include <linux/types.h>

struct fm_ksym {
	__u64 addr;
	__u32 name; /* offsets into strs */
	__u32 mod;  /* 0: the kernel itself */
};

struct fm_kallsyms {
	struct fm_ksym *sym;
	size_t n;
	char *strs;
	size_t strs_len, strs_cap;
};

/*
 * Read path (/proc/kallsyms): its text symbols (t, T, w, W).  Returns the
 * number read (0 when the kernel hides the addresses: kptr_restrict), or -1
 * (errno set).
 */
long fm_kallsyms_load(struct fm_kallsyms *k, const char *path);
void fm_kallsyms_free(struct fm_kallsyms *k);

/*
 * Name addr as "func" or "func [module]" (the symbol at or below it) into
 * buf, else "0x<hex>".  Returns buf.
 */
const char *fm_kallsyms_name(const struct fm_kallsyms *k, __u64 addr, char *buf, size_t len);

#endif
