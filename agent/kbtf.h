/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel BTF: where it comes from (the running kernel's
 * /sys/kernel/btf/vmlinux, a file given with `btf:`, or none) and the type
 * layout the BPF side needs to read a zone's free lists at the event.
 */
#ifndef FRAGMON_KBTF_H
#define FRAGMON_KBTF_H

#include <stddef.h>
#include "fragmon.h"

struct btf;

/*
 * Load BTF: from path if set, else the running kernel's.  Returns NULL with
 * the reason in why (e.g. "kernel has no BTF (CONFIG_DEBUG_INFO_BTF is not
 * set)") when there is none.
 */
struct btf *fm_btf_load(const char *path, char *why, size_t whylen);

/* Fill o from btf (o->valid = 1), or return -1 with the missing type in why. */
int fm_btf_kernel_offsets(const struct btf *btf, struct fm_kernel_offsets *o, char *why,
			  size_t whylen);

#endif
