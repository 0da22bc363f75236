// SPDX-License-Identifier: GPL-2.0
/*
 * agent/tpformat.c against the tracefs format files of real kernels
 * (tests/unit/data/<kernel>/events/<system>/<name>/format, capture.sh): the
 * offsets, sizes and signedness below were read in those files.
 */
#include <errno.h>
#include <stdlib.h>

#include "tpformat.h"
#include "unit.h"

static const char *const tps[][2] = {
    {"kmem", "mm_page_alloc_extfrag"},
    {"compaction", "mm_compaction_begin"},
    {"compaction", "mm_compaction_end"},
    {"compaction", "mm_compaction_finished"},
    {"compaction", "mm_compaction_suitable"},
    {"compaction", "mm_compaction_try_to_compact_pages"},
    {"compaction", "mm_compaction_deferred"},
    {"compaction", "mm_compaction_defer_compaction"},
    {"compaction", "mm_compaction_defer_reset"},
    {"compaction", "mm_compaction_kcompactd_wake"},
    {"compaction", "mm_compaction_kcompactd_sleep"},
    {"migrate", "mm_migrate_pages"},
};

struct field_expect {
	const char *kernel, *cat, *tp, *field;
	int offset, size, is_signed;
	int nfields; /* all fields of the record, the 4 common_* included */
};

static const struct field_expect fields[] = {
    /* "field:unsigned long pfn; offset:8; size:8; signed:0;" on every kernel */
    {"5.10", "kmem", "mm_page_alloc_extfrag", "pfn", 8, 8, 0, 10},
    {"6.18", "kmem", "mm_page_alloc_extfrag", "pfn", 8, 8, 0, 10},
    {"6.12-arm64", "kmem", "mm_page_alloc_extfrag", "change_ownership", 32, 4, 1, 10},
    {"6.1", "kmem", "mm_page_alloc_extfrag", "fallback_migratetype", 28, 4, 1, 10},
    /* "field:bool sync; offset:40; size:1; signed:0;", "field:int status; offset:44; ..." */
    {"6.12", "compaction", "mm_compaction_end", "sync", 40, 1, 0, 10},
    {"5.10", "compaction", "mm_compaction_end", "status", 44, 4, 1, 10},
    /* "field:enum zone_type idx; offset:12; size:4; signed:0;" */
    {"6.12", "compaction", "mm_compaction_finished", "idx", 12, 4, 0, 8},
    {"6.1", "compaction", "mm_compaction_suitable", "ret", 20, 4, 1, 8},
    {"6.18", "compaction", "mm_compaction_deferred", "defer_shift", 24, 4, 0, 10},
    {"5.10", "compaction", "mm_compaction_defer_reset", "order_failed", 28, 4, 1, 10},
    /* gfp_mask: 5.10 "gfp_t gfp_mask; offset:12; size:4", prio at 16;
     * 6.1 and later "unsigned long gfp_mask; offset:16; size:8", prio at 24 */
    {"5.10", "compaction", "mm_compaction_try_to_compact_pages", "gfp_mask", 12, 4, 0, 7},
    {"5.10", "compaction", "mm_compaction_try_to_compact_pages", "prio", 16, 4, 1, 7},
    {"6.1", "compaction", "mm_compaction_try_to_compact_pages", "gfp_mask", 16, 8, 0, 7},
    {"6.12-arm64", "compaction", "mm_compaction_try_to_compact_pages", "prio", 24, 4, 1, 7},
    /* "field:enum zone_type highest_zoneidx; offset:16; size:4; signed:0;"
     * (its print format still says "classzone_idx=", the name before 5.8) */
    {"5.10", "compaction", "mm_compaction_kcompactd_wake", "highest_zoneidx", 16, 4, 0, 7},
    {"6.18", "compaction", "mm_compaction_kcompactd_wake", "highest_zoneidx", 16, 4, 0, 7},
    {"6.12", "compaction", "mm_compaction_kcompactd_sleep", "nid", 8, 4, 1, 5},
    /* mm_migrate_pages: 6.12 added "unsigned long large_folio_split; offset:48",
     * which moved "enum migrate_mode mode" from 48 to 56 and "int reason" to 60 */
    {"5.10", "migrate", "mm_migrate_pages", "mode", 48, 4, 0, 11},
    {"6.1", "migrate", "mm_migrate_pages", "reason", 52, 4, 1, 11},
    {"6.12", "migrate", "mm_migrate_pages", "mode", 56, 4, 0, 12},
    {"6.12-arm64", "migrate", "mm_migrate_pages", "reason", 60, 4, 1, 12},
    {"6.18", "migrate", "mm_migrate_pages", "thp_split", 40, 8, 0, 12},
};

static int read_tp(const char *kernel, const char *cat, const char *tp, struct fm_tp_format *f)
{
	char dir[512];

	ut_path(dir, sizeof(dir), kernel, "");
	return fm_tp_format_read(dir, cat, tp, f);
}

/* every format of every kernel parses, with the common header first */
static void all_formats(void)
{
	for (int k = 0; k < ut_nkernels; k++)
		for (size_t i = 0; i < sizeof(tps) / sizeof(tps[0]); i++) {
			struct fm_tp_format f;
			const struct fm_tpf_field *c;

			if (read_tp(ut_kernels[k], tps[i][0], tps[i][1], &f)) {
				ut_fail(__FILE__, __LINE__, "%s %s: %s", ut_kernels[k], tps[i][1],
					strerror(errno));
				continue;
			}
			c = fm_tp_format_field(&f, "common_type");
			UT_CHECK(c && c->offset == 0 && c->size == 2 && !c->is_signed,
				 "%s %s: common_type", ut_kernels[k], tps[i][1]);
			c = fm_tp_format_field(&f, "common_pid");
			UT_CHECK(c && c->offset == 4 && c->size == 4 && c->is_signed,
				 "%s %s: common_pid", ut_kernels[k], tps[i][1]);
			UT_CHECK(f.print_fmt && f.print_fmt[0] == ' ' && f.print_fmt[1] == '"',
				 "%s %s: print fmt", ut_kernels[k], tps[i][1]);
			fm_tp_format_free(&f);
		}
}

static void field_layouts(void)
{
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const struct field_expect *e = &fields[i];
		struct fm_tp_format f;
		const struct fm_tpf_field *fld;

		if (read_tp(e->kernel, e->cat, e->tp, &f)) {
			ut_fail(__FILE__, __LINE__, "%s %s unreadable", e->kernel, e->tp);
			continue;
		}
		fld = fm_tp_format_field(&f, e->field);
		UT_CHECK(fld, "%s %s: no field %s", e->kernel, e->tp, e->field);
		if (fld) {
			if (fld->offset != e->offset || fld->size != e->size ||
			    fld->is_signed != e->is_signed)
				ut_fail(__FILE__, __LINE__,
					"%s %s.%s: offset %d size %d signed %d, want %d %d %d",
					e->kernel, e->tp, e->field, fld->offset, fld->size,
					fld->is_signed, e->offset, e->size, e->is_signed);
		}
		UT_EQ_LL(f.n, e->nfields, e->tp);
		fm_tp_format_free(&f);
	}
}

/* a name in the print format is not a field; an absent field is NULL */
static void absent_fields(void)
{
	struct fm_tp_format f;

	for (int k = 0; k < ut_nkernels; k++) {
		UT_CHECK(!read_tp(ut_kernels[k], "compaction", "mm_compaction_kcompactd_wake", &f),
			 "%s", ut_kernels[k]);
		UT_CHECK(strstr(f.print_fmt, "classzone_idx="), "%s: print fmt label",
			 ut_kernels[k]);
		UT_CHECK(!fm_tp_format_field(&f, "classzone_idx"), "%s: classzone_idx is no field",
			 ut_kernels[k]);
		UT_CHECK(fm_tp_format_field(&f, "highest_zoneidx"), "%s: highest_zoneidx",
			 ut_kernels[k]);
		fm_tp_format_free(&f);
	}
	UT_CHECK(!read_tp("5.10", "migrate", "mm_migrate_pages", &f), "5.10 migrate");
	UT_CHECK(!fm_tp_format_field(&f, "large_folio_split"), "5.10 has no large_folio_split");
	UT_CHECK(!fm_tp_format_field(&f, "succ"), "a prefix is not a field");
	fm_tp_format_free(&f);
	/* a text without fields is refused; the free is safe */
	UT_EQ_LL(fm_tp_format_parse("name: x\nID: 1\nformat:\n\nprint fmt: \"x\"\n", &f), -1,
		 "no fields");
	fm_tp_format_free(&f);
	errno = 0;
	UT_EQ_LL(read_tp("5.10", "kmem", "no_such_tracepoint", &f), -1, "missing format file");
	UT_EQ_LL(errno, ENOENT, "errno of a missing format");
}

static void symbols_of(const char *kernel, const char *cat, const char *tp, const char *field,
		       const char *strip, bool lower, struct fm_enum *out, int *found)
{
	struct fm_tp_format f;

	memset(out, 0, sizeof(*out));
	*found = -1;
	if (read_tp(kernel, cat, tp, &f)) {
		ut_fail(__FILE__, __LINE__, "%s %s unreadable", kernel, tp);
		return;
	}
	*found = fm_tp_symbols(f.print_fmt, field, strip, lower, out);
	fm_tp_format_free(&f);
}

/*
 * __print_symbolic tables:
 *   mm_compaction_end status: {1, "skipped"}, {2, "deferred"}, {4, "continue"},
 *     {8, "success"}, {6, "partial_skipped"}, {5, "complete"},
 *     {3, "no_suitable_page"}, {0, "not_suitable_zone"}, {7, "contended"}
 *   mm_migrate_pages mode: {0, "MIGRATE_ASYNC"}, {1, "MIGRATE_SYNC_LIGHT"}, {2, "MIGRATE_SYNC"}
 *   mm_migrate_pages reason: 5.10 ends at {6, "contig_range"}; 6.1 adds
 *     {7, "longterm_pin"}, {8, "demotion"}; 6.12 {9, "damon"}
 */
static void symbol_tables(void)
{
	struct fm_enum e;
	int found;

	for (int k = 0; k < ut_nkernels; k++) {
		symbols_of(ut_kernels[k], "compaction", "mm_compaction_end", "status", NULL, true,
			   &e, &found);
		UT_EQ_LL(found, 9, "compaction results");
		UT_EQ_LL(e.n, 9, "compaction results n");
		UT_EQ_STR(e.names[8], "success", "result 8");
		UT_EQ_STR(e.names[0], "not_suitable_zone", "result 0");
		UT_EQ_STR(e.names[6], "partial_skipped", "result 6");
		symbols_of(ut_kernels[k], "migrate", "mm_migrate_pages", "mode", "MIGRATE_", true,
			   &e, &found);
		UT_EQ_LL(found, 3, "migrate modes");
		UT_EQ_STR(e.names[1], "sync_light", "mode 1, prefix stripped, lower case");
		symbols_of(ut_kernels[k], "compaction", "mm_compaction_kcompactd_wake",
			   "highest_zoneidx", NULL, false, &e, &found);
		UT_EQ_LL(found, 4, "zone names");
		UT_EQ_STR(e.names[1], "DMA32", "zone 1, case kept");
		UT_EQ_STR(e.names[3], "Movable", "zone 3");
		/* __print_flags is not a symbol table */
		symbols_of(ut_kernels[k], "compaction", "mm_compaction_try_to_compact_pages",
			   "gfp_mask", NULL, false, &e, &found);
		UT_EQ_LL(found, 0, "gfp_mask flags");
	}
	symbols_of("5.10", "migrate", "mm_migrate_pages", "reason", "MR_", true, &e, &found);
	UT_EQ_LL(e.n, 7, "5.10 migrate reasons");
	UT_EQ_STR(e.names[6], "contig_range", "5.10 reason 6");
	UT_EQ_STR(e.names[3], "syscall_or_cpuset", "5.10 reason 3");
	symbols_of("6.1", "migrate", "mm_migrate_pages", "reason", "MR_", true, &e, &found);
	UT_EQ_LL(e.n, 9, "6.1 migrate reasons");
	UT_EQ_STR(e.names[8], "demotion", "6.1 reason 8");
	symbols_of("6.12-arm64", "migrate", "mm_migrate_pages", "reason", "MR_", true, &e, &found);
	UT_EQ_LL(e.n, 10, "6.12 migrate reasons");
	UT_EQ_STR(e.names[9], "damon", "6.12 reason 9");
	/* no print format, or no such field: nothing */
	UT_EQ_LL(fm_tp_symbols(NULL, "status", NULL, true, &e), 0, "NULL print fmt");
}

const struct ut_test ut_tpformat_tests[] = {
    {"tpformat: every captured format parses (common header, print fmt)", all_formats},
    {"tpformat: field offsets, sizes, signedness per kernel", field_layouts},
    {"tpformat: absent fields, names only in the print format, errors", absent_fields},
    {"tpformat: __print_symbolic tables per kernel", symbol_tables},
    {NULL, NULL},
};
