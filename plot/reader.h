/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Streaming reader: feeds bytes of a fragmon or legacy JSON file to yajl's
 * callback parser and aggregates each event into a struct pm_run as soon as
 * its object closes.  Nothing is kept per event.
 */
#ifndef FRAGMON_PLOT_READER_H
#define FRAGMON_PLOT_READER_H

#include <stddef.h>

#include "model.h"

struct pm_reader;

struct pm_reader *pm_reader_new(struct pm_run *run);
void pm_reader_free(struct pm_reader *rd);
/* 0 ok, -1 bad input: pm_reader_error() says where and why; 1: NUL bytes where
 * JSON should be (a torn write): stop feeding, the input counts as truncated
 * (pm_reader_error() says where) */
int pm_reader_feed(struct pm_reader *rd, const void *buf, size_t len);
/* end of input: a JSON prefix sets run->truncated (not an error); -1 when no
 * JSON value began at all (empty, whitespace or NUL bytes: pm_reader_error) */
int pm_reader_finish(struct pm_reader *rd);
const char *pm_reader_error(const struct pm_reader *rd);
unsigned long long pm_reader_bytes(const struct pm_reader *rd);

#endif
