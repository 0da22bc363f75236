// SPDX-License-Identifier: GPL-2.0
/*
 * gen-events: write a synthetic fragmentation_data.json in the agent's
 * format (docs/format.md) with N events over D seconds, snapshots of two
 * zones every second, unsorted timestamps across "CPUs".  For benchmarks and
 * tests of fragmon-plot; deterministic for a given seed.
 *
 *   gen-events [-n EVENTS] [-d SECONDS] [-s SEED] [-S] [-i SNAPSHOT_S] [-o FILE]
 *
 * By default free memory drifts over the run (high orders drain); -S keeps
 * every snapshot quantity stationary (noise around a fixed level), a steady
 * run whose halves must compare as the same.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fragindex.h"
#include "schema.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double unif(void)
{
	return (double)(next() >> 11) / 9007199254740992.0;
}

static const char *const mts[] = {"UNMOVABLE", "MOVABLE", "RECLAIMABLE", "HIGHATOMIC"};
static const char *const comms[] = {"kworker/u8:2", "fio", "xfsaild/sda", "kswapd0", "dd"};

static void snapshot(FILE *f, double t, unsigned long long free_[2][11], const int pb[2][2])
{
	static const char *const zn[2] = {"DMA32", "Normal"};

	fprintf(f,
		"{\"timestamp\": %.9f, \"event_type\": \"snapshot\", \"pid\": 0, \"tid\": 0, "
		"\"comm\": \"\", \"cpu\": -1, \"zones\": [",
		t);
	for (int z = 0; z < 2; z++) {
		fprintf(f, "%s{\"node\": 0, \"zone\": \"%s\", \"free\": [", z ? ", " : "", zn[z]);
		for (int o = 0; o < 11; o++)
			fprintf(f, "%s%llu", o ? ", " : "", free_[z][o]);
		fprintf(f, "], \"fragmentation_index\": [");
		for (int o = 0; o < 11; o++)
			fprintf(f, "%s%d", o ? ", " : "", fm_fragmentation_index(free_[z], 11, o));
		fprintf(f, "], \"unusable_index\": [");
		for (int o = 0; o < 11; o++)
			fprintf(f, "%s%d", o ? ", " : "", fm_unusable_index(free_[z], 11, o));
		fprintf(f, "], \"pageblocks\": {\"UNMOVABLE\": %d, \"MOVABLE\": %d}}", pb[z][0],
			pb[z][1]);
	}
	fprintf(f, "], \"vmstat\": {\"compact_stall\": 0, \"compact_fail\": 0}}");
}

int main(int argc, char **argv)
{
	long long n = 100000;
	double dur = 600;
	const char *out = NULL;
	unsigned long long free_[2][11], steal = 0, claim = 0, by[3] = {0, 0, 0};
	long long snaps, written = 0;
	FILE *f = stdout;
	int opt, steady = 0, pb[2][2];
	double every = 1; /* s between snapshots */

	while ((opt = getopt(argc, argv, "n:d:s:Si:o:")) != -1) {
		switch (opt) {
		case 'n':
			n = atoll(optarg);
			break;
		case 'd':
			dur = atof(optarg);
			break;
		case 's':
			rng ^= strtoull(optarg, NULL, 0) * 0x2545F4914F6CDD1DULL;
			break;
		case 'S':
			steady = 1;
			break;
		case 'i':
			every = atof(optarg);
			if (!(every > 0))
				every = 1;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			fprintf(
			    stderr,
			    "usage: gen-events [-n N] [-d SECONDS] [-s SEED] [-S] [-i SNAPSHOT_S] "
			    "[-o FILE]\n");
			return 2;
		}
	}
	if (out && !(f = fopen(out, "w"))) {
		perror(out);
		return 1;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	for (int z = 0; z < 2; z++)
		for (int o = 0; o < 11; o++)
			free_[z][o] = (unsigned long long)((z ? 9000 : 2000) >> (o / 2));
	fprintf(
	    f,
	    "{\"run\": {\"format\": \"fragmon\", \"format_version\": 1, \"agent_version\": "
	    "\"0.1.0\", \"start_time\": 1763770000.0, \"kernel_version\": \"6.18.0-gen\", "
	    "\"hostname\": \"gen-host\", \"mode\": \"full\", \"snapshot_interval_ms\": %.0f, "
	    "\"pageblock_order\": 9, \"nr_page_orders\": 11, \"migratetypes\": [\"UNMOVABLE\", "
	    "\"MOVABLE\", \"RECLAIMABLE\", \"HIGHATOMIC\", \"CMA\", \"ISOLATE\"], \"zones\": []},\n"
	    "\"events\": [\n",
	    every * 1000);
	snaps = (long long)(dur / every) + 1;
	for (long long i = 0, s = 0; i < n || s < snaps;) {
		/* interleave snapshots in time order; events jitter across CPUs */
		double t = n ? dur * (double)i / (double)n : dur;
		double ts = (double)s * every;

		if (written++)
			fputs(",\n", f);
		if (s < snaps && (i >= n || ts <= t)) {
			/* memory drifts: high orders drain, low orders fill; -S: a fixed
			 * level with noise */
			double ph = steady ? 0.4 : ts / (dur > 0 ? dur : 1);

			for (int z = 0; z < 2; z++) {
				for (int o = 0; o < 11; o++) {
					double base = (z ? 9000 : 2000) / pow(1.6, o);
					double k = o >= 7 ? 1 - 1.5 * ph : 1 + ph;

					if (steady)
						k *= 0.8 + 0.4 * unif();
					free_[z][o] =
					    (unsigned long long)(base * (k > 0 ? k : 0) +
								 (o < 7 ? unif() * 20 : 0));
				}
				pb[z][0] = (z ? 60 : 20) + (int)(next() % 8);
				pb[z][1] = (z ? 819 : 200) - pb[z][0] + (z ? 60 : 20);
			}
			snapshot(f, ts, free_, pb);
			s++;
			continue;
		}
		t += (unif() - 0.5) * 0.002;
		if (t < 0)
			t = 0;
		{
			double u = unif();
			const char *comm = comms[next() % 5];
			int pid = 1000 + (int)(next() % 5000), cpu = (int)(next() % 2);

			if (u < 0.62) {
				int from = (int)(next() % 3), to = (int)(next() % 3), order, fb;
				int is_steal = unif() < 0.7;
				unsigned long long pfn = next() % 4000000;

				if (to == from)
					to = (to + 1) % 3;
				if (unif() < 0.01)
					from = 3;
				order = unif() < 0.8 ? 0 : (int)(next() % 10);
				fb = order + (int)(next() % (11 - order));
				steal += is_steal;
				claim += !is_steal;
				by[0]++;
				fprintf(
				    f,
				    "{\"timestamp\": %.9f, \"event_type\": \"extfrag\", \"pid\": "
				    "%d, "
				    "\"tid\": %d, \"comm\": \"%s\", \"cpu\": %d, \"order\": %d, "
				    "\"fallback_order\": %d, \"migrate_from\": \"%s\", "
				    "\"migrate_to\": "
				    "\"%s\", \"is_steal\": %s, \"node\": 0, \"zone\": \"Normal\", "
				    "\"pfn\": %llu, \"pageblock\": %llu, \"fragmenting\": %s, "
				    "\"fragmentation_index\": %d, \"unusable_index\": %d, "
				    "\"fragmentation_index_source\": \"bpf\"}",
				    t, pid, pid, comm, cpu, order, fb, mts[from], mts[to],
				    is_steal ? "true" : "false", pfn, pfn >> 9,
				    fb < 9 ? "true" : "false",
				    fm_fragmentation_index(free_[1], 11, order),
				    fm_unusable_index(free_[1], 11, order));
			} else if (u < 0.97) {
				int ok = unif() < 0.45,
				    order = unif() < 0.85 ? 9 : (int)(next() % 11);
				int fi =
				    ok ? (unif() < 0.2 ? -1000 : 850 + (int)(next() % 151)) : -1;

				by[ok ? 1 : 2]++;
				fprintf(
				    f,
				    "{\"timestamp\": %.9f, \"event_type\": \"%s\", \"pid\": %d, "
				    "\"tid\": %d, \"comm\": \"%s\", \"cpu\": %d, \"order\": %d, "
				    "\"fragmentation_index\": %d, \"node\": 0, \"zone\": "
				    "\"Normal\", "
				    "\"status\": \"%s\", \"sync\": %s, \"duration_us\": %.1f, "
				    "\"source\": \"run\"}",
				    t, ok ? "compaction_success" : "compaction_failure", pid, pid,
				    comm, cpu, order, fi, ok ? "success" : "partial_skipped",
				    unif() < 0.5 ? "true" : "false", unif() * 500);
			} else {
				fprintf(f,
					"{\"timestamp\": %.9f, \"event_type\": \"kcompactd_wake\", "
					"\"pid\": %d, \"tid\": %d, \"comm\": \"%s\", \"cpu\": %d, "
					"\"node\": 0, \"order\": 9, \"zone\": \"Normal\"}",
					t, pid, pid, comm, cpu);
			}
			i++;
		}
	}
	fprintf(
	    f,
	    "\n],\n\"statistics\": {\"events_by_type\": {\"extfrag\": %llu, "
	    "\"compaction_success\": %llu, \"compaction_failure\": %llu}, \"extfrag_steal\": "
	    "%llu, \"extfrag_claim\": %llu},\n"
	    "\"metadata\": {\"start_time\": 1763770000.0, \"end_time\": %.3f, \"duration\": %.3f, "
	    "\"total_events\": %lld, \"kernel_version\": \"6.18.0-gen\", \"format\": \"fragmon\", "
	    "\"format_version\": 1, \"hostname\": \"gen-host\", \"mode\": \"full\", "
	    "\"complete\": true, \"end_reason\": \"duration\", \"events_dropped\": 0, "
	    "\"events_capped\": 0, \"output_capped\": false, \"pageblock_order\": 9, "
	    "\"nr_page_orders\": 11, \"fragmentation_index_source\": \"bpf\"}}\n",
	    by[0], by[1], by[2], steal, claim, 1763770000.0 + dur, dur, written);
	if (fflush(f) || (out && fclose(f))) {
		perror(out ? out : "stdout");
		return 1;
	}
	return 0;
}
