// SPDX-License-Identifier: GPL-2.0
/*
 * plot/reader.h and plot/gunzip.h: the plotter's JSON input, through their
 * public functions only (pm_reader_new/feed/finish/error, pm_gunzip_*), on
 * each format it reads (agent final file, a killed agent's .partial prefix,
 * a checkpoint, the legacy tracker's file, gzip) and each kind of bad input.
 * Every input is also fed one byte at a time: positions and results must not
 * depend on where the chunks are cut.  The files are tests/data/plot/ (their
 * counts are worked out by hand in tests/bats/plot.bats).
 */
#include <stdlib.h>
#include <zlib.h>

#include "gunzip.h"
#include "model.h"
#include "reader.h"
#include "unit.h"

#define PLOT_DATA "tests/data/plot/"

struct result {
	struct pm_run *run;
	int feed_rc;   /* the first non-zero pm_*_feed status, else 0 */
	int finish_rc; /* pm_*_finish, when the feeding went through */
	char err[512];
};

/* feed buf in chunks of at most chunk bytes, through gunzip when gz */
static struct result read_mem(const void *buf, size_t len, size_t chunk, int gz)
{
	struct result res = {pm_run_new("test"), 0, 0, ""};
	struct pm_reader *rd = res.run ? pm_reader_new(res.run) : NULL;
	struct pm_gunzip *g = rd && gz ? pm_gunzip_new(rd) : NULL;
	const char *p = buf;

	if (!rd || (gz && !g)) {
		snprintf(res.err, sizeof(res.err), "out of memory");
		res.feed_rc = -2;
		goto out;
	}
	for (size_t off = 0; off < len && !res.feed_rc; off += chunk) {
		size_t n = len - off < chunk ? len - off : chunk;

		res.feed_rc = gz ? pm_gunzip_feed(g, p + off, n) : pm_reader_feed(rd, p + off, n);
	}
	if (res.feed_rc >= 0) {
		if (gz && pm_gunzip_finish(g) < 0)
			res.finish_rc = -1;
		else
			res.finish_rc = pm_reader_finish(rd);
	}
	snprintf(res.err, sizeof(res.err), "%s", gz ? pm_gunzip_error(g) : pm_reader_error(rd));
out:
	pm_gunzip_free(g);
	pm_reader_free(rd);
	return res;
}

static struct result read_str(const char *json, size_t chunk)
{
	return read_mem(json, strlen(json), chunk, 0);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		if (buf) {
			buf[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

static uint64_t events_read(const struct pm_run *r)
{
	uint64_t s = 0;

	for (int t = 0; t < PM_EV_N; t++)
		s += r->by_type[t];
	return s;
}

/* an error message: the position, then what */
#define UT_ERR(res, want)                                                                          \
	do {                                                                                       \
		UT_CHECK(strstr((res).err, (want)) != NULL,                                        \
			 "error \"%s\" does not contain \"%s\"", (res).err, (want));               \
	} while (0)

/* the agent's final file: header, every event, statistics, metadata */
static void agent_final(void)
{
	size_t len;
	char *json = slurp(PLOT_DATA "small-agent.json", &len);

	if (!json)
		UT_SKIP("no " PLOT_DATA "small-agent.json (run from the top of the tree)");
	for (size_t chunk = len; chunk; chunk = chunk == len ? 1 : 0) {
		struct result res = read_mem(json, len, chunk, 0);
		struct pm_run *r = res.run;

		UT_EQ_LL(res.feed_rc, 0, "feed");
		UT_EQ_LL(res.finish_rc, 0, "finish");
		UT_EQ_STR(res.err, "", "no error");
		UT_CHECK(r->have_run && r->have_metadata && r->have_stats,
			 "run, metadata, statistics");
		UT_EQ_LL(r->truncated, 0, "truncated");
		UT_EQ_LL(r->complete, 1, "metadata.complete");
		UT_EQ_STR(r->hostname, "testhost", "hostname");
		UT_EQ_STR(r->kernel, "6.18.0-test", "kernel_version");
		UT_EQ_STR(r->end_reason, "duration", "end_reason");
		UT_EQ_STR(r->mode, "full", "mode");
		UT_CHECK(r->duration == 6.0, "duration %g", r->duration);
		UT_EQ_LL(r->meta_total_events, 15, "total_events");
		UT_EQ_LL(r->events_dropped, 3, "events_dropped");
		UT_EQ_LL(r->pageblock_order, 9, "pageblock_order");
		UT_EQ_LL(r->nr_orders, 11, "nr_page_orders");
		UT_EQ_LL(r->real_fi, 1, "real fragmentation index");
		UT_EQ_LL(events_read(r), 15, "events");
		UT_EQ_LL(r->by_type[PM_EV_EXTFRAG], 5, "extfrag");
		UT_EQ_LL(r->by_type[PM_EV_CSUCC], 3, "compaction_success");
		UT_EQ_LL(r->by_type[PM_EV_CFAIL], 3, "compaction_failure");
		UT_EQ_LL(r->by_type[PM_EV_SNAPSHOT], 2, "snapshot");
		UT_EQ_LL(r->by_type[PM_EV_MIGRATE], 1, "migrate");
		UT_EQ_LL(r->by_type[PM_EV_OTHER_COMPACTION], 1, "kcompactd_wake");
		UT_EQ_LL(r->steal, 3, "steal");
		UT_EQ_LL(r->claim, 2, "claim");
		UT_EQ_LL(r->st_extfrag, 5, "statistics.extfrag");
		pm_run_free(r);
	}
	free(json);
}

/*
 * A killed agent's .partial: a prefix of the final file.  Cut just before the
 * k-th event, inside it, and inside its first string: k events are read, the
 * run is truncated at the cut, and a prefix is never an error.
 */
static void agent_partial(void)
{
	size_t len, k = 0;
	char *json = slurp(PLOT_DATA "small-agent.json", &len);

	if (!json)
		UT_SKIP("no " PLOT_DATA "small-agent.json (run from the top of the tree)");
	for (const char *p = json; (p = strstr(p, "\n{\"timestamp\"")); p++, k++) {
		size_t cuts[] = {(size_t)(p - json) + 1, (size_t)(p - json) + 5,
				 (size_t)(p - json) + 20};

		for (size_t c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++) {
			struct result res = read_mem(json, cuts[c], c == 2 ? 1 : cuts[c], 0);

			UT_EQ_LL(res.feed_rc, 0, "feed of a prefix");
			UT_EQ_LL(res.finish_rc, 0, "finish of a prefix");
			UT_EQ_LL(res.run->truncated, 1, "truncated");
			UT_EQ_LL(res.run->trunc_at, (long long)cuts[c], "truncated at the cut");
			UT_EQ_LL(res.run->have_metadata, 0, "metadata (at the end) not read");
			UT_EQ_LL(events_read(res.run), (long long)k, "events before the cut");
			pm_run_free(res.run);
		}
	}
	UT_EQ_LL(k, 15, "events in the file");
	free(json);
}

/* a checkpoint (SIGUSR1): complete JSON, "complete": false */
static void checkpoint(void)
{
	static const char final[] = "\"complete\": true, \"end_reason\": \"duration\"";
	static const char ckpt[] = "\"complete\": false, \"end_reason\": \"checkpoint\"";
	size_t len;
	char *json = slurp(PLOT_DATA "small-agent.json", &len), *buf;
	char *m = json ? strstr(json, final) : NULL;
	struct result res;

	if (!json)
		UT_SKIP("no " PLOT_DATA "small-agent.json (run from the top of the tree)");
	UT_CHECK(m, "the final file's metadata");
	buf = m ? malloc(len + sizeof(ckpt)) : NULL;
	if (!buf) {
		free(json);
		return;
	}
	/* the final file with its metadata as a checkpoint writes it */
	memcpy(buf, json, (size_t)(m - json));
	strcpy(buf + (m - json), ckpt);
	strcat(buf, m + strlen(final));
	res = read_str(buf, 1);
	UT_EQ_LL(res.feed_rc, 0, "feed");
	UT_EQ_LL(res.finish_rc, 0, "finish");
	UT_EQ_LL(res.run->truncated, 0, "a checkpoint is complete JSON");
	UT_EQ_LL(res.run->complete, 0, "metadata.complete");
	UT_EQ_STR(res.run->end_reason, "checkpoint", "end_reason");
	UT_EQ_LL(events_read(res.run), 15, "events");
	pm_run_free(res.run);
	free(buf);
	free(json);
}

/* the legacy Python tracker's file: metadata first, no "run", placeholder indices */
static void legacy(void)
{
	size_t len;
	char *json = slurp(PLOT_DATA "small-legacy.json", &len);

	if (!json)
		UT_SKIP("no " PLOT_DATA "small-legacy.json (run from the top of the tree)");
	for (size_t chunk = len; chunk; chunk = chunk == len ? 1 : 0) {
		struct result res = read_mem(json, len, chunk, 0);
		struct pm_run *r = res.run;

		UT_EQ_LL(res.feed_rc, 0, "feed");
		UT_EQ_LL(res.finish_rc, 0, "finish");
		UT_EQ_LL(r->have_run, 0, "no run header");
		UT_EQ_LL(r->have_metadata, 1, "metadata");
		UT_EQ_LL(r->truncated, 0, "truncated");
		UT_EQ_LL(r->real_fi, 0, "legacy indices are placeholders");
		UT_EQ_STR(r->kernel, "6.17.0-legacy", "kernel_version");
		UT_CHECK(r->duration == 10.0, "duration %g", r->duration);
		UT_EQ_LL(r->by_type[PM_EV_EXTFRAG], 2, "extfrag");
		UT_EQ_LL(r->by_type[PM_EV_CSUCC], 1, "compaction_success");
		UT_EQ_LL(r->by_type[PM_EV_CFAIL], 2, "compaction_failure");
		UT_EQ_LL(r->steal, 1, "steal");
		UT_EQ_LL(r->claim, 1, "claim");
		pm_run_free(r);
	}
	free(json);
}

/* inflate a whole gzip file with zlib's own reader: what the stream must give */
static char *gunzip_file(const char *path, size_t *len)
{
	gzFile f = gzopen(path, "rb");
	size_t cap = 1 << 20, n = 0;
	char *buf = f ? malloc(cap) : NULL;
	int got;

	while (buf && (got = gzread(f, buf + n, (unsigned)(cap - n))) > 0) {
		n += (size_t)got;
		if (n == cap) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	if (f)
		gzclose(f);
	*len = n;
	return buf;
}

/*
 * gzip: the same run as the inflated bytes fed straight to the reader, in
 * any chunking; a stream cut short is a truncated run; a corrupt one is an
 * error; a syntax error is placed in the decompressed data.
 */
static void gzip_input(void)
{
	const char *path = PLOT_DATA "real-light90.json.gz";
	size_t zlen, plen;
	char *z = slurp(path, &zlen), *plain = gunzip_file(path, &plen);
	struct result want, res;

	if (!z || !plain) {
		free(z);
		free(plain);
		UT_SKIP("no " PLOT_DATA "real-light90.json.gz (run from the top of the tree)");
	}
	want = read_mem(plain, plen, plen, 0);
	UT_CHECK(want.run->n_events > 1000, "a real run: %llu events",
		 (unsigned long long)want.run->n_events);
	for (size_t chunk = 1; chunk <= zlen; chunk *= 37) {
		res = read_mem(z, zlen, chunk, 1);
		UT_EQ_LL(res.feed_rc, 0, "feed");
		UT_EQ_LL(res.finish_rc, 0, "finish");
		UT_EQ_LL(res.run->truncated, 0, "truncated");
		UT_EQ_LL(res.run->n_events, want.run->n_events, "events");
		for (int t = 0; t < PM_EV_N; t++)
			UT_EQ_LL(res.run->by_type[t], want.run->by_type[t], pm_evtype_name(t));
		UT_EQ_LL(res.run->steal, want.run->steal, "steal");
		UT_EQ_LL(res.run->claim, want.run->claim, "claim");
		UT_EQ_LL(res.run->nsnap, want.run->nsnap, "snapshots");
		UT_EQ_STR(res.run->hostname, want.run->hostname, "hostname");
		pm_run_free(res.run);
	}
	/* half the compressed stream: a prefix of the JSON, not an error */
	res = read_mem(z, zlen / 2, zlen, 1);
	UT_EQ_LL(res.feed_rc, 0, "feed of half a stream");
	UT_EQ_LL(res.finish_rc, 0, "finish of half a stream");
	UT_EQ_LL(res.run->truncated, 1, "half a stream is truncated");
	UT_CHECK(res.run->n_events > 0 && res.run->n_events < want.run->n_events,
		 "some events: %llu", (unsigned long long)res.run->n_events);
	pm_run_free(res.run);
	/* corrupt deflate data after the header */
	for (size_t i = 20; i < 60 && i < zlen; i++)
		z[i] ^= 0x5a;
	res = read_mem(z, zlen, zlen, 1);
	UT_EQ_LL(res.feed_rc, -1, "corrupt stream");
	UT_CHECK(res.err[0], "a message");
	pm_run_free(res.run);
	pm_run_free(want.run);
	free(z);
	free(plain);
}

/* the gzip'd form of s, made here */
static void *gzip_mem(const char *s, size_t *len)
{
	z_stream zs = {0};
	size_t cap = strlen(s) + 128;
	unsigned char *out = malloc(cap);

	if (!out || deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(out);
		return NULL;
	}
	zs.next_in = (unsigned char *)s;
	zs.avail_in = (unsigned)strlen(s);
	zs.next_out = out;
	zs.avail_out = (unsigned)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
		free(out);
		out = NULL;
	}
	*len = zs.total_out;
	deflateEnd(&zs);
	return out;
}

/*
 * A syntax error: "byte N (line L, column C): parse error: ..." with the byte
 * counted from 0 and line and column from 1, wherever the chunks were cut
 * (tests/data/plot/malformed.json: the second comma of ",," is byte 90); in
 * gzip input the position is in the decompressed data.
 */
static void syntax_error(void)
{
	size_t len, zlen;
	char *json = slurp(PLOT_DATA "malformed.json", &len);
	void *z;

	if (!json)
		UT_SKIP("no " PLOT_DATA "malformed.json (run from the top of the tree)");
	UT_CHECK(len > 90 && json[89] == ',' && json[90] == ',', "the ,, at byte 89-90");
	for (size_t chunk = len; chunk; chunk = chunk == len ? 1 : chunk == 1 ? 7 : 0) {
		struct result res = read_mem(json, len, chunk, 0);

		UT_EQ_LL(res.feed_rc, -1, "feed");
		UT_ERR(res, "byte 90 (line 3, column 46): parse error");
		pm_run_free(res.run);
	}
	z = gzip_mem(json, &zlen);
	UT_CHECK(z, "gzip");
	if (z) {
		struct result res = read_mem(z, zlen, 3, 1);

		UT_EQ_LL(res.feed_rc, -1, "feed (gzip)");
		UT_ERR(res, "byte 90 (line 3, column 46): parse error");
		pm_run_free(res.run);
		free(z);
	}
	free(json);
	{
		struct result res = read_str("{\"metadata\": {\"duration\": 1.0}}\n{}", 1);

		UT_EQ_LL(res.feed_rc, -1, "two documents");
		UT_ERR(res, "byte 32 (line 2, column 1): parse error: trailing garbage");
		pm_run_free(res.run);
	}
}

/* a value of the wrong type where the reader needs a container */
static void wrong_type(void)
{
	static const struct {
		const char *json, *want;
	} cases[] = {
	    {"[1, 2]", "byte 0 (line 1, column 1): the top-level value is not an object"},
	    {"42", "byte 1 (line 1, column 2): the top-level value is not an object"},
	    {"{\"events\": [12345]}", "byte 16 (line 1, column 17): events[0] is not an object"},
	    {"{\"events\": {}}", "byte 11 (line 1, column 12): \"events\" is not an array"},
	    {"{\"events\": [1]}", "byte 12 (line 1, column 13): events[0] is not an object"},
	    {"{\"events\":\n [{}, []]}", "byte 17 (line 2, column 7): events[1] is not an object"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (size_t chunk = 1; chunk <= 64; chunk *= 64) {
			struct result res = read_str(cases[i].json, chunk);

			UT_CHECK(res.feed_rc == -1 || res.finish_rc == -1, "%s: refused",
				 cases[i].json);
			UT_ERR(res, cases[i].want);
			pm_run_free(res.run);
		}
}

/* keys that are missing: not errors, the run says what it lacks */
static void missing_keys(void)
{
	struct result res = read_str("{\"events\": []}", 64);

	UT_EQ_LL(res.finish_rc, 0, "only events: finish");
	UT_EQ_LL(res.run->have_metadata, 0, "no metadata");
	UT_EQ_LL(res.run->have_run, 0, "no run header");
	UT_EQ_LL(res.run->have_stats, 0, "no statistics");
	UT_EQ_LL(res.run->complete, -1, "metadata.complete absent");
	UT_EQ_LL(res.run->st_extfrag, -1, "statistics.extfrag absent");
	UT_EQ_LL(res.run->truncated, 0, "complete JSON");
	UT_EQ_LL(events_read(res.run), 0, "no events");
	pm_run_free(res.run);

	/* an event without event_type is counted as of unknown type */
	res = read_str("{\"events\": [{\"timestamp\": 1.0}, {\"timestamp\": 2.0, "
		       "\"event_type\": \"extfrag\", \"order\": 3}]}",
		       64);
	UT_EQ_LL(res.finish_rc, 0, "finish");
	UT_EQ_LL(res.run->by_type[PM_EV_UNKNOWN], 1, "event without a type");
	UT_EQ_LL(res.run->by_type[PM_EV_EXTFRAG], 1, "extfrag");
	pm_run_free(res.run);
}

static char *nested(const char *pre, int depth, const char *post)
{
	size_t lp = strlen(pre), lq = strlen(post);
	char *s = malloc(lp + 2 * (size_t)depth + lq + 1);

	if (!s)
		return NULL;
	memcpy(s, pre, lp);
	memset(s + lp, '[', (size_t)depth);
	memset(s + lp + depth, ']', (size_t)depth);
	memcpy(s + lp + 2 * depth, post, lq + 1);
	return s;
}

/*
 * Deep nesting: 10,000 levels under a key the reader does not know (in the
 * root, in an event) are skipped, and what follows is still read; at the
 * top the first bracket is refused.
 */
static void too_deep(void)
{
	char *a = nested("{\"x\": ", 10000,
			 ", \"events\": [{\"event_type\": \"extfrag\", \"timestamp\": 1.0}]}");
	char *b = nested("{\"events\": [{\"event_type\": \"extfrag\", \"deep\": ", 10000,
			 ", \"order\": 4}, {\"event_type\": \"extfrag\"}]}");
	char *c = nested("", 10000, "");
	struct result res;

	UT_CHECK(a && b && c, "malloc");
	if (!a || !b || !c)
		goto out;
	res = read_str(a, 4096);
	UT_EQ_LL(res.feed_rc, 0, "deep in the root: feed");
	UT_EQ_LL(res.finish_rc, 0, "deep in the root: finish");
	UT_EQ_LL(res.run->by_type[PM_EV_EXTFRAG], 1, "the event after it");
	pm_run_free(res.run);
	res = read_str(b, 4096);
	UT_EQ_LL(res.feed_rc, 0, "deep in an event: feed");
	UT_EQ_LL(res.run->by_type[PM_EV_EXTFRAG], 2, "both events");
	pm_run_free(res.run);
	res = read_str(c, 4096);
	UT_EQ_LL(res.feed_rc, -1, "deep at the top");
	UT_ERR(res, "byte 0 (line 1, column 1): the top-level value is not an object");
	pm_run_free(res.run);
out:
	free(a);
	free(b);
	free(c);
}

/* oversized values: a 1 MiB string is cut to its field, huge numbers saturate */
static void oversized(void)
{
	size_t n = 1 << 20;
	const char *pre = "{\"metadata\": {\"hostname\": \"", *post =
								  "\", \"duration\": 5.0}, "
								  "\"events\": [{\"event_type\": "
								  "\"extfrag\", \"order\": 1e300, "
								  "\"timestamp\": 1e400}]}";
	char *s = malloc(strlen(pre) + n + strlen(post) + 1);
	struct result res;

	UT_CHECK(s, "malloc");
	if (!s)
		return;
	strcpy(s, pre);
	memset(s + strlen(pre), 'h', n);
	strcpy(s + strlen(pre) + n, post);
	res = read_str(s, 65536);
	UT_EQ_LL(res.feed_rc, 0, "feed");
	UT_EQ_LL(res.finish_rc, 0, "finish");
	UT_EQ_LL(strlen(res.run->hostname), sizeof(res.run->hostname) - 1,
		 "hostname cut to its field");
	UT_CHECK(res.run->duration == 5.0, "the key after it: duration %g", res.run->duration);
	UT_EQ_LL(res.run->by_type[PM_EV_EXTFRAG] + res.run->outside, 1,
		 "the event: read (or counted outside the run)");
	pm_run_free(res.run);
	free(s);
}

/* no JSON value at all is not a run; NUL bytes after a prefix are a torn write */
static void empty_and_torn(void)
{
	static const char torn[] = "{\"events\": [{\"event_type\": \"extfrag\"}, \0\0\0\0";
	struct result res = read_str("", 64);

	UT_EQ_LL(res.finish_rc, -1, "empty");
	UT_ERR(res, "no JSON data: the input is empty (0 bytes)");
	pm_run_free(res.run);
	res = read_str(" \n\t\n", 1);
	UT_EQ_LL(res.finish_rc, -1, "whitespace");
	UT_ERR(res, "no JSON data: the input is whitespace only");
	pm_run_free(res.run);
	res = read_mem("\0\0\0\0", 4, 4, 0);
	UT_EQ_LL(res.finish_rc, -1, "NUL bytes");
	UT_ERR(res, "no JSON data: the input is NUL bytes only");
	pm_run_free(res.run);
	for (size_t chunk = 1; chunk <= sizeof(torn); chunk *= 64) {
		res = read_mem(torn, sizeof(torn) - 1, chunk, 0);
		UT_EQ_LL(res.feed_rc, 1, "torn write: stop feeding");
		UT_EQ_LL(res.finish_rc, 0, "torn write: finish");
		UT_EQ_LL(res.run->truncated, 1, "truncated");
		UT_EQ_LL(res.run->by_type[PM_EV_EXTFRAG], 1, "the event before the NULs");
		UT_ERR(res, "byte 39: NUL bytes where JSON should be");
		pm_run_free(res.run);
	}
}

const struct ut_test ut_reader_tests[] = {
    {"reader: agent final file, whole and byte by byte", agent_final},
    {"reader: a killed agent's .partial prefix, cut anywhere", agent_partial},
    {"reader: a checkpoint", checkpoint},
    {"reader: legacy tracker file", legacy},
    {"reader: gzip, in any chunking; cut short; corrupt", gzip_input},
    {"reader: syntax error with its position (also in gzip input)", syntax_error},
    {"reader: wrong types with their position", wrong_type},
    {"reader: missing keys are not errors", missing_keys},
    {"reader: 10,000-deep nesting", too_deep},
    {"reader: oversized strings and numbers", oversized},
    {"reader: empty input; NUL bytes after a prefix", empty_and_torn},
    {NULL, NULL},
};
