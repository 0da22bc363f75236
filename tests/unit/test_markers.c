// SPDX-License-Identifier: GPL-2.0
/* agent/kmsg.c's record parser and agent/marker.c's patterns. */
#include "kmsg.h"
#include "marker.h"
#include "unit.h"

static void kmsg_parse_records(void)
{
	/* as /dev/kmsg returns them: a user line (facility user, prio 12), and a
	 * kernel line with a continuation flag and dictionary lines */
	static const char user[] = "12,346,435478139,-;run fstests generic/001 at 2026-12-06\n";
	static const char dict[] = "6,1021,5123456,c,caller=T12;usb 1-1: new device\n"
				   " SUBSYSTEM=usb\n DEVICE=c189:1\n";
	struct fm_kmsg_rec r;

	UT_EQ_LL(fm_kmsg_parse(user, sizeof(user) - 1, &r), 0, "user record");
	UT_EQ_LL(r.prio, 12, "prio");
	UT_EQ_LL(r.seq, 346, "seq");
	UT_EQ_LL(r.ts_us, 435478139, "ts_us");
	UT_EQ_LL(r.len, strlen("run fstests generic/001 at 2026-12-06"), "message length");
	UT_CHECK(!memcmp(r.msg, "run fstests", 11), "message");
	UT_EQ_LL(fm_kmsg_parse(dict, sizeof(dict) - 1, &r), 0, "record with dictionary");
	UT_EQ_LL(r.seq, 1021, "seq");
	UT_EQ_LL(r.len, strlen("usb 1-1: new device"), "message stops at the dictionary");
	/* without a trailing newline, an empty message */
	UT_EQ_LL(fm_kmsg_parse("4,7,9,-;x", 9, &r), 0, "no newline");
	UT_EQ_LL(r.len, 1, "message");
	UT_EQ_LL(fm_kmsg_parse("4,7,9,-;", 8, &r), 0, "empty message");
	UT_EQ_LL(r.len, 0, "message");
	/* not records */
	UT_EQ_LL(fm_kmsg_parse("4,7,9,-", 7, &r), -1, "no ';'");
	UT_EQ_LL(fm_kmsg_parse("4,7;x\n", 6, &r), -1, "fields missing");
	UT_EQ_LL(fm_kmsg_parse("a,7,9,-;x\n", 10, &r), -1, "not a number");
	UT_EQ_LL(fm_kmsg_parse("4,,9,-;x\n", 9, &r), -1, "empty seq");
	UT_EQ_LL(fm_kmsg_parse("4,7,9;x\n", 8, &r), -1, "no flags");
}

static bool match(const struct fm_markers *m, const char *line, struct fm_marker *out)
{
	return fm_markers_match(m, line, strlen(line), out);
}

static void marker_builtin_patterns(void)
{
	struct fm_markers m;
	struct fm_marker k;
	char why[256];

	UT_EQ_LL(fm_markers_init(&m, NULL, 0, why, sizeof(why)), 0, "built-in patterns compile");
	UT_CHECK(match(&m, "run fstests generic/001 at 2026-12-06 20:00:00", &k), "fstests");
	UT_EQ_STR(k.name, "generic/001", "fstests name");
	UT_EQ_STR(k.source, "fstests", "source");
	UT_EQ_LL(k.kind, FM_MARKER_TEST, "kind");
	UT_CHECK(!k.end, "tests are begin");
	UT_CHECK(match(&m, "run blktests block/031 at 2026-12-06 20:00:00", &k), "blktests");
	UT_EQ_STR(k.name, "block/031", "blktests name");
	UT_EQ_STR(k.source, "blktests", "source");
	UT_CHECK(match(&m, "fragmon: begin fstests", &k), "phase begin");
	UT_EQ_LL(k.kind, FM_MARKER_PHASE, "kind");
	UT_EQ_STR(k.name, "fstests", "phase name");
	UT_CHECK(!k.end, "begin");
	UT_CHECK(match(&m, "fragmon: end  xfs crc run 2  \t", &k), "phase end, blanks");
	UT_EQ_STR(k.name, "xfs crc run 2", "inner blanks kept, trailing dropped");
	UT_CHECK(k.end, "end");
	UT_CHECK(match(&m, "fragmon: begin x", &k), "one-letter name");
	UT_EQ_STR(k.name, "x", "name");
	/* near misses */
	UT_CHECK(!match(&m, "fragmon: begin ", &k), "no name");
	UT_CHECK(!match(&m, "fragmon: started", &k), "neither begin nor end");
	UT_CHECK(!match(&m, " run fstests generic/001 at x", &k), "not at the start");
	UT_CHECK(!match(&m, "run fstests generic/001", &k), "no ' at '");
	UT_CHECK(!match(&m, FM_KMSG_SYNC_LINE, &k), "the agent's own line");
	/* a name longer than the limit is cut, not refused */
	char longline[400] = "run fstests ";
	memset(longline + 12, 'a', 300);
	strcpy(longline + 312, " at now");
	UT_CHECK(match(&m, longline, &k), "long name");
	UT_EQ_LL(strlen(k.name), FM_MARKER_NAME_MAX - 1, "cut to the limit");
	fm_markers_free(&m);
}

static void marker_extra_patterns(void)
{
	char *extra[] = {"ltp=^LTP: starting ([^ ]+)", "whole=^mmtests-[a-z]+$"};
	struct fm_markers m;
	struct fm_marker k;
	char why[256];

	UT_EQ_LL(fm_markers_init(&m, extra, 2, why, sizeof(why)), 0, "extra patterns compile");
	UT_CHECK(match(&m, "LTP: starting mmap01 (mmap01)", &k), "extra pattern");
	UT_EQ_STR(k.name, "mmap01", "group 1");
	UT_EQ_STR(k.source, "ltp", "the label is the source");
	UT_EQ_LL(k.kind, FM_MARKER_TEST, "kind test");
	UT_CHECK(match(&m, "mmtests-thpscale", &k), "no group");
	UT_EQ_STR(k.name, "mmtests-thpscale", "the whole match");
	/* built-ins come first */
	UT_CHECK(match(&m, "run fstests xfs/001 at now", &k), "built-in");
	UT_EQ_STR(k.source, "fstests", "built-in wins");
	fm_markers_free(&m);

	UT_EQ_LL(fm_marker_pattern_check("ltp=^x(", why, sizeof(why)), -1, "bad ERE");
	UT_CHECK(strstr(why, "ltp") != NULL, "names the label: %s", why);
	UT_EQ_LL(fm_marker_pattern_check("no-equals-sign", why, sizeof(why)), -1, "no '='");
	UT_EQ_LL(fm_marker_pattern_check("=^x", why, sizeof(why)), -1, "empty label");
	UT_EQ_LL(fm_marker_pattern_check("a b=^x", why, sizeof(why)), -1, "blank in label");
	UT_EQ_LL(fm_marker_pattern_check("lbl=", why, sizeof(why)), -1, "empty ERE");
	UT_EQ_LL(fm_marker_pattern_check("fstests=^x", why, sizeof(why)), -1, "built-in label");
	UT_EQ_LL(fm_marker_pattern_check("my.suite-2=^x ([0-9]+)", why, sizeof(why)), 0, "good");
	char *bad[] = {"ok=^x", "bad=("};
	UT_EQ_LL(fm_markers_init(&m, bad, 2, why, sizeof(why)), -1, "init refuses a bad one");
	UT_EQ_LL(m.n, 0, "and keeps nothing");
}

const struct ut_test ut_markers_tests[] = {
    {"kmsg: records parse (user line, dictionary lines, not records)", kmsg_parse_records},
    {"markers: fstests, blktests, fragmon phases; near misses", marker_builtin_patterns},
    {"markers: extra LABEL=ERE patterns and their errors", marker_extra_patterns},
    {NULL, NULL},
};
