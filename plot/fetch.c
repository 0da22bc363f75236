// SPDX-License-Identifier: GPL-2.0
#include "fetch.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

/*
 * libcurl is loaded when a URL is given, not at start: with its ~50
 * dependencies (TLS, SSH, LDAP, Kerberos, ...) it was most of the dynamic
 * linker's work for a local file, ~10 ms of a 60 ms dashboard.
 */
static struct {
	int tried;
	void *h;
	CURLcode (*global_init)(long);
	CURL *(*init)(void);
	CURLcode (*setopt)(CURL *, CURLoption, ...);
	CURLcode (*perform)(CURL *);
	CURLcode (*getinfo)(CURL *, CURLINFO, ...);
	void (*cleanup)(CURL *);
	const char *(*strerror)(CURLcode);
} cu;

static int load_curl(char *err, size_t cap)
{
	if (cu.tried)
		goto out;
	cu.tried = 1;
	cu.h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!cu.h) {
		snprintf(err, cap, "URL input needs libcurl: %s", dlerror());
		return -1;
	}
#define SYM(f, name)                                                                               \
	do {                                                                                       \
		*(void **)&cu.f = dlsym(cu.h, name);                                               \
		if (!cu.f) {                                                                       \
			snprintf(err, cap, "libcurl.so.4 has no %s", name);                        \
			dlclose(cu.h);                                                             \
			cu.h = NULL;                                                               \
			return -1;                                                                 \
		}                                                                                  \
	} while (0)
	SYM(global_init, "curl_global_init");
	SYM(init, "curl_easy_init");
	SYM(setopt, "curl_easy_setopt");
	SYM(perform, "curl_easy_perform");
	SYM(getinfo, "curl_easy_getinfo");
	SYM(cleanup, "curl_easy_cleanup");
	SYM(strerror, "curl_easy_strerror");
#undef SYM
	cu.global_init(CURL_GLOBAL_DEFAULT);
out:
	if (!cu.h) {
		snprintf(err, cap,
			 "URL input needs libcurl (libcurl.so.4), which cannot be loaded");
		return -1;
	}
	return 0;
}

int pm_is_url(const char *s)
{
	return !strncasecmp(s, "http://", 7) || !strncasecmp(s, "https://", 8);
}

struct fetch {
	const struct pm_fetch_opts *o;
	pm_sink sink;
	void *arg;
	unsigned long long got;
	int sink_failed, oversize;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct fetch *f = arg;
	size_t len = size * n;

	f->got += len;
	if (f->o->max_bytes && f->got > f->o->max_bytes) {
		f->oversize = 1;
		return 0;
	}
	if (f->sink(f->arg, p, len)) {
		f->sink_failed = 1;
		return 0;
	}
	return len;
}

int pm_fetch_url(const char *url, const struct pm_fetch_opts *o, pm_sink sink, void *arg, char *err,
		 size_t errcap)
{
	struct fetch f = {o, sink, arg, 0, 0, 0};
	char cerr[CURL_ERROR_SIZE] = "";
	CURL *c;
	CURLcode rc;
	long http = 0;

	if (load_curl(err, errcap))
		return -2;
	c = cu.init();
	if (!c) {
		snprintf(err, errcap, "cannot initialise libcurl");
		return -2;
	}
	cu.setopt(c, CURLOPT_URL, url);
	cu.setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	cu.setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	cu.setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	cu.setopt(c, CURLOPT_MAXREDIRS, o->max_redirs);
	cu.setopt(c, CURLOPT_CONNECTTIMEOUT, o->connect_timeout_s);
	cu.setopt(c, CURLOPT_TIMEOUT, o->timeout_s);
	cu.setopt(c, CURLOPT_FAILONERROR, 1L);
	cu.setopt(c, CURLOPT_NOSIGNAL, 1L);
	cu.setopt(c, CURLOPT_USERAGENT, "fragmon-plot/" FRAGMON_VERSION);
	cu.setopt(c, CURLOPT_ERRORBUFFER, cerr);
	cu.setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	if (o->max_bytes)
		cu.setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
	cu.setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	cu.setopt(c, CURLOPT_WRITEDATA, &f);
	rc = cu.perform(c);
	cu.getinfo(c, CURLINFO_RESPONSE_CODE, &http);
	cu.cleanup(c);
	if (rc == CURLE_OK)
		return 0;
	if (f.sink_failed)
		return -1;
	if (f.oversize || rc == CURLE_FILESIZE_EXCEEDED)
		snprintf(err, errcap, "larger than the size limit of %llu bytes (--max-size)",
			 o->max_bytes);
	else if (rc == CURLE_HTTP_RETURNED_ERROR)
		snprintf(err, errcap, "HTTP %ld%s", http,
			 http == 404   ? " Not Found"
			 : http >= 500 ? " server error"
				       : "");
	else if (rc == CURLE_COULDNT_CONNECT)
		snprintf(err, errcap, "connection refused or unreachable: %s", cerr);
	else if (rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_PEER_FAILED_VERIFICATION ||
		 rc == CURLE_SSL_CERTPROBLEM || rc == CURLE_SSL_CIPHER ||
		 rc == CURLE_SSL_CACERT_BADFILE)
		snprintf(err, errcap, "TLS failure: %s", cerr[0] ? cerr : cu.strerror(rc));
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		snprintf(err, errcap, "timed out: %s", cerr);
	else if (rc == CURLE_TOO_MANY_REDIRECTS)
		snprintf(err, errcap, "more than %ld redirects", o->max_redirs);
	else
		snprintf(err, errcap, "%s", cerr[0] ? cerr : cu.strerror(rc));
	return -2;
}
