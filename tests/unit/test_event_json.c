// SPDX-License-Identifier: GPL-2.0
/*
 * agent/event_json.c: the JSON of an extfrag event (with its stack_id) and
 * of a marker, byte for byte; agent/kallsyms.c: naming stack frames.
 */
#include <stdlib.h>
#include <unistd.h>

#include "agent.h"
#include "unit.h"

static struct fm_agent agent; /* large: off the stack */

static void setup_agent(struct fm_agent *a)
{
	static const char *const mts[] = {"UNMOVABLE", "MOVABLE", "RECLAIMABLE"};

	memset(a, 0, sizeof(*a));
	a->t0_ns = 1000000000ULL;
	a->pageblock_order = 9;
	a->nspans = 1;
	a->spans[0].node = 0;
	a->spans[0].idx = 2;
	snprintf(a->spans[0].name, sizeof(a->spans[0].name), "Normal");
	a->spans[0].start_pfn = 0x100000;
	a->spans[0].spanned = 0x100000;
	a->kinfo.migratetype.n = 3;
	for (int i = 0; i < 3; i++)
		snprintf(a->kinfo.migratetype.names[i], FM_ENUM_NAME_LEN, "%s", mts[i]);
}

/* the generator's output as a string (static buffer) */
static const char *json_of(yajl_gen g)
{
	static char out[4096];
	const unsigned char *buf;
	size_t len;

	yajl_gen_get_buf(g, &buf, &len);
	snprintf(out, sizeof(out), "%.*s", (int)len, (const char *)buf);
	yajl_gen_clear(g);
	yajl_gen_reset(g, NULL); /* a new top-level value may follow */
	return out;
}

static void event_json_extfrag(void)
{
	struct fm_agent *a = &agent;
	struct fm_record r;
	yajl_gen g = yajl_gen_alloc(NULL);

	setup_agent(a);
	memset(&r, 0, sizeof(r));
	r.e.ts_ns = a->t0_ns + 2500000000ULL;
	r.e.kind = FM_KIND_EXTFRAG;
	r.e.pid = 42;
	r.e.tid = 43;
	r.e.cpu = 1;
	snprintf(r.e.comm, sizeof(r.e.comm), "fm \"pipes\"");
	r.e.order = 0;
	r.e.node = 0;
	r.e.zone = 2;
	r.e.extfrag.pfn = 0x100200;
	r.e.extfrag.fallback_order = 3;
	r.e.extfrag.alloc_mt = 0;
	r.e.extfrag.fallback_mt = 1;
	r.e.extfrag.change_ownership = 1;
	r.e.extfrag.stack_id = 17;
	r.e.fi = 250;
	r.e.ui = 400;
	r.fi_source = "bpf";
	fm_event_json(g, a, &r);
	UT_EQ_STR(json_of(g),
		  "{\"timestamp\":2.500000000,\"event_type\":\"extfrag\",\"pid\":42,\"tid\":43,"
		  "\"comm\":\"fm \\\"pipes\\\"\",\"cpu\":1,\"order\":0,\"fallback_order\":3,"
		  "\"migrate_from\":\"MOVABLE\",\"migrate_to\":\"UNMOVABLE\",\"is_steal\":false,"
		  "\"node\":0,\"zone\":\"Normal\",\"pfn\":1049088,\"pageblock\":2049,"
		  "\"fragmenting\":true,\"fragmentation_index\":250,\"unusable_index\":400,"
		  "\"fragmentation_index_source\":\"bpf\",\"stack_id\":17}",
		  "extfrag event");
	/* no stack, no index */
	r.e.extfrag.stack_id = -1;
	r.e.extfrag.change_ownership = 0;
	r.e.extfrag.fallback_order = 9;
	r.fi_source = NULL;
	fm_event_json(g, a, &r);
	UT_CHECK(strstr(json_of(g), "\"is_steal\":true,\"node\":0,\"zone\":\"Normal\","
				    "\"pfn\":1049088,\"pageblock\":2049,\"fragmenting\":false,"
				    "\"fragmentation_index\":null,\"stack_id\":-1}") != NULL,
		 "extfrag event without stack and index");
	yajl_gen_free(g);
}

static void event_json_marker(void)
{
	struct fm_agent *a = &agent;
	struct fm_marker m = {.kind = FM_MARKER_TEST, .source = "fstests"};
	static const char line[] = "run fstests generic/001 at 2026-12-06 20:00:00";
	char longmsg[400];
	yajl_gen g = yajl_gen_alloc(NULL);

	setup_agent(a);
	snprintf(m.name, sizeof(m.name), "generic/001");
	fm_marker_json(g, a, &m, line, strlen(line), a->t0_ns + 12345678000ULL);
	UT_EQ_STR(json_of(g),
		  "{\"timestamp\":12.345678,\"event_type\":\"marker\",\"pid\":0,\"tid\":0,"
		  "\"comm\":\"\",\"cpu\":-1,\"name\":\"generic/001\",\"kind\":\"test\","
		  "\"edge\":\"begin\",\"source\":\"fstests\","
		  "\"message\":\"run fstests generic/001 at 2026-12-06 20:00:00\"}",
		  "test marker");
	m.kind = FM_MARKER_PHASE;
	m.end = true;
	m.source = "fragmon";
	snprintf(m.name, sizeof(m.name), "x");
	memset(longmsg, 'a', sizeof(longmsg));
	/* before the agent's start: a negative time; the message cut at 256 bytes */
	fm_marker_json(g, a, &m, longmsg, sizeof(longmsg), a->t0_ns - 500000000ULL);
	const char *s = json_of(g);
	UT_CHECK(!strncmp(s, "{\"timestamp\":-0.500000,", 23), "negative time: %.40s", s);
	UT_CHECK(strstr(s, "\"kind\":\"phase\",\"edge\":\"end\",\"source\":\"fragmon\"") != NULL,
		 "phase end: %s", s);
	const char *msg = strstr(s, "\"message\":\"");
	UT_CHECK(msg && strlen(msg) == strlen("\"message\":\"") + FM_MARKER_MSG_MAX + 2,
		 "message cut to %d bytes", FM_MARKER_MSG_MAX);
	yajl_gen_free(g);
}

static void kallsyms_names(void)
{
	static const char text[] = "0000000000000000 A fixed_percpu_data\n"
				   "ffffffff81000000 T _stext\n"
				   "ffffffff81200000 t get_page_from_freelist\n"
				   "ffffffff81100000 T __alloc_pages\n"
				   "ffffffff81300000 D some_data\n"
				   "ffffffff81400000 W weak_fn\n"
				   "ffffffffc0a00000 t xfs_alloc_thing\t[xfs]\n"
				   "ffffffffc0a00100 t xfs_other\t[xfs]\n"
				   "ffffffffc0b00000 T ext4_fn\t[ext4]\n";
	char path[] = "/tmp/fm-kallsyms-XXXXXX", buf[128];
	struct fm_kallsyms k;
	int fd = mkstemp(path);

	UT_CHECK(fd >= 0, "mkstemp");
	if (fd < 0)
		return;
	UT_EQ_LL(write(fd, text, sizeof(text) - 1), (long long)sizeof(text) - 1, "write");
	close(fd);
	/* text symbols only (t T w W), addresses 0 (hidden) left out */
	UT_EQ_LL(fm_kallsyms_load(&k, path), 7, "text symbols");
	unlink(path);
	UT_EQ_STR(fm_kallsyms_name(&k, 0xffffffff81200010ULL, buf, sizeof(buf)),
		  "get_page_from_freelist", "inside a function");
	UT_EQ_STR(fm_kallsyms_name(&k, 0xffffffff81100000ULL, buf, sizeof(buf)), "__alloc_pages",
		  "at its first byte (the file is not sorted: sorted on load)");
	UT_EQ_STR(fm_kallsyms_name(&k, 0xffffffff81300010ULL, buf, sizeof(buf)),
		  "get_page_from_freelist", "data symbols are not functions");
	UT_EQ_STR(fm_kallsyms_name(&k, 0xffffffff81400008ULL, buf, sizeof(buf)), "weak_fn", "weak");
	UT_EQ_STR(fm_kallsyms_name(&k, 0xffffffffc0a00104ULL, buf, sizeof(buf)), "xfs_other [xfs]",
		  "module symbol");
	UT_EQ_STR(fm_kallsyms_name(&k, 0xffffffffc0a00004ULL, buf, sizeof(buf)),
		  "xfs_alloc_thing [xfs]", "module symbol");
	UT_EQ_STR(fm_kallsyms_name(&k, 0xffffffffc0b00001ULL, buf, sizeof(buf)), "ext4_fn [ext4]",
		  "another module");
	UT_EQ_STR(fm_kallsyms_name(&k, 0xffffffff80000000ULL, buf, sizeof(buf)),
		  "0xffffffff80000000", "below every symbol: hex");
	fm_kallsyms_free(&k);
	/* no symbols (kptr_restrict hides them): every frame is hex */
	UT_EQ_STR(fm_kallsyms_name(&k, 0xffffffff81200010ULL, buf, sizeof(buf)),
		  "0xffffffff81200010", "no symbols");
	UT_EQ_LL(fm_kallsyms_load(&k, "/nonexistent/kallsyms"), -1, "missing file");
}

const struct ut_test ut_event_json_tests[] = {
    {"event_json: an extfrag event, with and without stack and index", event_json_extfrag},
    {"event_json: test and phase markers, negative time, long message", event_json_marker},
    {"kallsyms: text symbols sorted, modules named, hex when unknown", kallsyms_names},
    {NULL, NULL},
};
