// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmarks' references on the tracepoint fragmon's handle_extfrag runs
 * on: a bare counter (one array increment), and the same with the kernel
 * stack taken (bpf_get_stackid(), what fragmon's stacks cost the kernel's
 * unwinder).  Not part of the agent.
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

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1024);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 64 * sizeof(__u64));
} bare_stacks SEC(".maps");

SEC("tp/kmem/mm_page_alloc_extfrag")
int bare_stack(void *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&bare_count, &k);

	if (v && bpf_get_stackid(ctx, &bare_stacks, 0) >= 0)
		__sync_fetch_and_add(v, 1);
	return 0;
}
