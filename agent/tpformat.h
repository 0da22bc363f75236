/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tracepoint's record layout and symbol tables, as the kernel describes
 * them in tracefs (events/<system>/<name>/format): field offsets and sizes,
 * and the value names of __print_symbolic() in its print format.  Needs no
 * BTF: every kernel with tracepoints has it.
 */
#ifndef FRAGMON_TPFORMAT_H
#define FRAGMON_TPFORMAT_H

#include <stdbool.h>
#include "kinfo.h"

#define FM_TPF_MAX 32
#define FM_TPF_NAME_LEN 48

struct fm_tpf_field {
	char name[FM_TPF_NAME_LEN];
	int offset;
	int size;
	bool is_signed;
};

struct fm_tp_format {
	int n;
	struct fm_tpf_field f[FM_TPF_MAX];
	char *print_fmt; /* malloc'd, NULL if absent */
};

/*
 * Parse the text of a format file.  Returns 0, or -1 when it has no field
 * at all.  fm_tp_format_free() releases print_fmt either way.
 */
int fm_tp_format_parse(const char *text, struct fm_tp_format *out);

/* Read tracefs/events/category/name/format.  Returns 0 or -1 (errno set). */
int fm_tp_format_read(const char *tracefs, const char *category, const char *name,
		      struct fm_tp_format *out);

void fm_tp_format_free(struct fm_tp_format *f);

/* The field called name, or NULL. */
const struct fm_tpf_field *fm_tp_format_field(const struct fm_tp_format *f, const char *name);

/*
 * The names __print_symbolic(REC->field, {value, "name"}, ...) gives field's
 * values, into out (values 0..FM_ENUM_MAX-1).  strip is a prefix removed
 * from each name (e.g. "MIGRATE_"); lower folds names to lower case.
 * Returns the number of names found.
 */
int fm_tp_symbols(const char *print_fmt, const char *field, const char *strip, bool lower,
		  struct fm_enum *out);

#endif
