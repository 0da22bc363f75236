/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between a byte source (file, URL, stdin) and the JSON reader: gzip input
 * (magic 1f 8b) is inflated on the fly with zlib, anything else passes
 * through.  Results archives are often kept compressed.
 */
#ifndef FRAGMON_PLOT_GUNZIP_H
#define FRAGMON_PLOT_GUNZIP_H

#include <stddef.h>

#include "reader.h"

struct pm_gunzip;

struct pm_gunzip *pm_gunzip_new(struct pm_reader *rd);
void pm_gunzip_free(struct pm_gunzip *g);
/* as pm_reader_feed: 0 ok, -1 bad input (pm_gunzip_error), 1 stop (torn write) */
int pm_gunzip_feed(struct pm_gunzip *g, const void *buf, size_t len);
/* flush what is pending; a gzip stream cut short is a truncated input, not an error */
int pm_gunzip_finish(struct pm_gunzip *g);
/* the reader's message (positions in the decompressed data for gzip), or zlib's */
const char *pm_gunzip_error(struct pm_gunzip *g);

#endif
