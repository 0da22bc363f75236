// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmarks' reference: a bare counter (one array increment) on the
 * tracepoint fragmon's handle_extfrag runs on.  Not part of the agent.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} bare_count SEC(".maps");

SEC("tp/kmem/mm_page_alloc_extfrag")
int bare_extfrag(void *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&bare_count, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}
