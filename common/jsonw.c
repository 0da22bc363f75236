// SPDX-License-Identifier: GPL-2.0
#include "jsonw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jw_key(yajl_gen g, const char *key)
{
	yajl_gen_string(g, (const unsigned char *)key, strlen(key));
}

/* length of a valid UTF-8 sequence at s (at most n bytes), 0 if invalid */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

size_t jw_utf8_sanitize(const char *s, size_t n, char *out, size_t outlen)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0;

	while (i < n && o + 4 < outlen) {
		size_t l = utf8_len(u + i, n - i);

		if (l) {
			memcpy(out + o, u + i, l);
			o += l;
			i += l;
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	out[o] = '\0';
	return o;
}

void jw_strn(yajl_gen g, const char *s, size_t n)
{
	char stackbuf[256], *buf = stackbuf;
	size_t need = 3 * n + 5, len;

	if (need > sizeof(stackbuf)) {
		buf = malloc(need);
		if (!buf) {
			yajl_gen_string(g, (const unsigned char *)"", 0);
			return;
		}
	}
	len = jw_utf8_sanitize(s, n, buf, need);
	yajl_gen_string(g, (const unsigned char *)buf, len);
	if (buf != stackbuf)
		free(buf);
}

void jw_str(yajl_gen g, const char *s)
{
	jw_strn(g, s, strlen(s));
}

void jw_int(yajl_gen g, long long v)
{
	yajl_gen_integer(g, v);
}

void jw_uint(yajl_gen g, unsigned long long v)
{
	char b[32];
	int n = snprintf(b, sizeof(b), "%llu", v);

	yajl_gen_number(g, b, (size_t)n);
}

void jw_bool(yajl_gen g, bool v)
{
	yajl_gen_bool(g, v);
}

void jw_fixed(yajl_gen g, double v, int decimals)
{
	char b[64];
	int n;

	if (!isfinite(v)) {
		yajl_gen_null(g);
		return;
	}
	n = snprintf(b, sizeof(b), "%.*f", decimals, v);
	yajl_gen_number(g, b, (size_t)n);
}
