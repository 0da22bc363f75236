/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers over yajl's generator, shared by the agent and the plotter. */
#ifndef FRAGMON_JSONW_H
#define FRAGMON_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <yajl/yajl_gen.h>

void jw_key(yajl_gen g, const char *key);
/* any bytes: invalid UTF-8 becomes U+FFFD, so the output is always valid JSON */
void jw_str(yajl_gen g, const char *s);
void jw_strn(yajl_gen g, const char *s, size_t n);
void jw_int(yajl_gen g, long long v);
void jw_uint(yajl_gen g, unsigned long long v);
void jw_bool(yajl_gen g, bool v);
/* fixed-point with `decimals` digits, never exponent or NaN (NaN/inf -> null) */
void jw_fixed(yajl_gen g, double v, int decimals);

static inline void jw_kstr(yajl_gen g, const char *k, const char *v)
{
	jw_key(g, k);
	jw_str(g, v);
}
static inline void jw_kint(yajl_gen g, const char *k, long long v)
{
	jw_key(g, k);
	jw_int(g, v);
}
static inline void jw_kuint(yajl_gen g, const char *k, unsigned long long v)
{
	jw_key(g, k);
	jw_uint(g, v);
}
static inline void jw_kbool(yajl_gen g, const char *k, bool v)
{
	jw_key(g, k);
	jw_bool(g, v);
}
static inline void jw_kfixed(yajl_gen g, const char *k, double v, int decimals)
{
	jw_key(g, k);
	jw_fixed(g, v, decimals);
}

/* Sanitise to valid UTF-8 into out (outlen >= 3*n+1 is always enough). */
size_t jw_utf8_sanitize(const char *s, size_t n, char *out, size_t outlen);

#endif
