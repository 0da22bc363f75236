// SPDX-License-Identifier: GPL-2.0
#include "fetch.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

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
	static int inited;
	struct fetch f = {o, sink, arg, 0, 0, 0};
	char cerr[CURL_ERROR_SIZE] = "";
	CURL *c;
	CURLcode rc;
	long http = 0;

	if (!inited) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		inited = 1;
	}
	c = curl_easy_init();
	if (!c) {
		snprintf(err, errcap, "cannot initialise libcurl");
		return -2;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, o->max_redirs);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->connect_timeout_s);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout_s);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "fragmon-plot/" FRAGMON_VERSION);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	if (o->max_bytes)
		curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &f);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &http);
	curl_easy_cleanup(c);
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
		snprintf(err, errcap, "TLS failure: %s", cerr[0] ? cerr : curl_easy_strerror(rc));
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		snprintf(err, errcap, "timed out: %s", cerr);
	else if (rc == CURLE_TOO_MANY_REDIRECTS)
		snprintf(err, errcap, "more than %ld redirects", o->max_redirs);
	else
		snprintf(err, errcap, "%s", cerr[0] ? cerr : curl_easy_strerror(rc));
	return -2;
}
