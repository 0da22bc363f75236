/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ingest: every event from the ring buffer is counted, enriched, then
 * handed to the writer.  Enrichment happens here, before any serializer
 * sees the event: the zone of an extfrag event from its pfn, and the
 * fragmentation index from the latest snapshot where BPF did not read it.
 */
#ifndef FRAGMON_INGEST_H
#define FRAGMON_INGEST_H

#include <stddef.h>
#include "fragmon.h"

struct fm_agent;

/* An event as the serializers see it. */
struct fm_record {
	struct fm_event e;     /* zone, node, fi, ui filled where they can be */
	const char *fi_source; /* "bpf", "snapshot", or NULL: no index for this event */
};

/* One ring-buffer record, 1..FM_BATCH events back to back (ring_buffer_sample_fn). */
int fm_ingest(void *agent, void *data, size_t size);

/* Enrich r->e in place (exposed for tests and benchmarks). */
void fm_enrich(struct fm_agent *a, struct fm_record *r);

/* Exact totals into a->counts: what was received plus what BPF could not deliver. */
void fm_ingest_totals(struct fm_agent *a);

/* Events received from the ring buffer, all kinds. */
unsigned long long fm_ingest_received(const struct fm_agent *a);

#endif
