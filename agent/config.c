// SPDX-License-Identifier: GPL-2.0
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "marker.h"

static const char *const mode_names[] = {
    [FM_MODE_FULL] = "full",
    [FM_MODE_EXTFRAG] = "extfrag",
    [FM_MODE_COMPACTION] = "compaction",
    [FM_MODE_SNAPSHOT] = "snapshot",
};

const char *fm_mode_name(enum fm_mode m)
{
	return mode_names[m];
}

void fm_config_defaults(struct fm_config *c)
{
	memset(c, 0, sizeof(*c));
	c->duration = 0;
	c->output_dir = strdup(FM_DEFAULT_OUTPUT_DIR);
	c->mode = FM_MODE_FULL;
	c->snapshot_interval_ms = 1000;
	c->max_output_mb = 1024;
	c->ringbuf_kb = 4096;
}

void fm_config_free(struct fm_config *c)
{
	free(c->output_dir);
	free(c->pidfile);
	free(c->prometheus_dir);
	free(c->btf_path);
	for (int i = 0; i < c->nmarker_patterns; i++)
		free(c->marker_patterns[i]);
	free(c->marker_patterns);
	memset(c, 0, sizeof(*c));
}

static int parse_long(const char *s, long min, long max, long *out, char *msg, size_t msglen)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno == ERANGE) {
		snprintf(msg, msglen, "expected an integer, got \"%s\"", s);
		return -1;
	}
	if (v < min || v > max) {
		snprintf(msg, msglen, "%ld is out of range [%ld, %ld]", v, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int set_string(char **dst, const char *v, bool allow_empty, char *msg, size_t msglen)
{
	if (!allow_empty && !*v) {
		snprintf(msg, msglen, "must not be empty");
		return -1;
	}
	if (strlen(v) >= PATH_MAX) {
		snprintf(msg, msglen, "path longer than %d bytes", PATH_MAX - 1);
		return -1;
	}
	free(*dst);
	*dst = strdup(v);
	return 0;
}

/* one "LABEL=ERE" more (the YAML list's items, each --marker-pattern) */
static int add_marker_pattern(struct fm_config *c, const char *v, char *msg, size_t msglen)
{
	char **p;

	if (c->nmarker_patterns >= FM_MAX_MARKER_PATTERNS) {
		snprintf(msg, msglen, "more than %d patterns", FM_MAX_MARKER_PATTERNS);
		return -1;
	}
	if (strlen(v) > 1024) {
		snprintf(msg, msglen, "a pattern is at most 1024 bytes");
		return -1;
	}
	if (fm_marker_pattern_check(v, msg, msglen))
		return -1;
	p = realloc(c->marker_patterns, sizeof(*p) * (size_t)(c->nmarker_patterns + 1));
	if (!p || !(p[c->nmarker_patterns] = strdup(v))) {
		if (p)
			c->marker_patterns = p;
		snprintf(msg, msglen, "out of memory");
		return -1;
	}
	c->marker_patterns = p;
	c->nmarker_patterns++;
	return 0;
}

int fm_config_set(struct fm_config *c, const char *key, const char *v, char *msg, size_t msglen)
{
	if (!strcmp(key, "duration"))
		return parse_long(v, 0, 10L * 365 * 24 * 3600, &c->duration, msg, msglen);
	if (!strcmp(key, "output_dir"))
		return set_string(&c->output_dir, v, false, msg, msglen);
	if (!strcmp(key, "mode")) {
		for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
			if (!strcmp(v, mode_names[i])) {
				c->mode = (enum fm_mode)i;
				return 0;
			}
		snprintf(msg, msglen, "unknown mode \"%s\" (full, extfrag, compaction, snapshot)",
			 v);
		return -1;
	}
	if (!strcmp(key, "snapshot_interval_ms")) {
		if (parse_long(v, 0, 3600000, &c->snapshot_interval_ms, msg, msglen))
			return -1;
		if (c->snapshot_interval_ms && c->snapshot_interval_ms < 10) {
			snprintf(msg, msglen, "must be 0 (start and end only) or at least 10 ms");
			return -1;
		}
		return 0;
	}
	if (!strcmp(key, "max_output_mb"))
		return parse_long(v, 0, 1L << 20, &c->max_output_mb, msg, msglen);
	if (!strcmp(key, "ringbuf_kb")) {
		if (parse_long(v, 4, 1L << 20, &c->ringbuf_kb, msg, msglen))
			return -1;
		if (c->ringbuf_kb & (c->ringbuf_kb - 1)) {
			snprintf(msg, msglen, "%ld is not a power of two", c->ringbuf_kb);
			return -1;
		}
		return 0;
	}
	if (!strcmp(key, "pidfile"))
		return set_string(&c->pidfile, v, false, msg, msglen);
	if (!strcmp(key, "prometheus_dir"))
		return set_string(&c->prometheus_dir, v, true, msg, msglen);
	if (!strcmp(key, "index_source")) {
		if (strcmp(v, "snapshot") && strcmp(v, "event")) {
			snprintf(msg, msglen, "unknown index_source \"%s\" (snapshot, event)", v);
			return -1;
		}
		c->index_at_event = !strcmp(v, "event");
		return 0;
	}
	if (!strcmp(key, "btf"))
		return set_string(&c->btf_path, v, true, msg, msglen);
	if (!strcmp(key, "markers")) {
		if (strcmp(v, "kmsg") && strcmp(v, "off")) {
			snprintf(msg, msglen, "unknown markers \"%s\" (kmsg, off)", v);
			return -1;
		}
		c->markers_off = !strcmp(v, "off");
		return 0;
	}
	if (!strcmp(key, "stacks")) {
		if (strcmp(v, "on") && strcmp(v, "off")) {
			snprintf(msg, msglen, "unknown stacks \"%s\" (on, off)", v);
			return -1;
		}
		c->stacks_off = !strcmp(v, "off");
		return 0;
	}
	if (!strcmp(key, "marker_patterns"))
		return add_marker_pattern(c, v, msg, msglen);
	if (!strcmp(key, "compress")) {
		if (strcmp(v, "none") && strcmp(v, "gzip")) {
			snprintf(msg, msglen, "unknown compress \"%s\" (none, gzip)", v);
			return -1;
		}
		c->gzip = !strcmp(v, "gzip");
		return 0;
	}
	snprintf(msg, msglen,
		 "unknown key \"%s\" (known: duration, output_dir, mode, snapshot_interval_ms, "
		 "max_output_mb, ringbuf_kb, pidfile, prometheus_dir, index_source, btf, markers, "
		 "marker_patterns, compress, stacks)",
		 key);
	return -1;
}

static void report(FILE *err, const char *path, const yaml_mark_t *m, const char *what)
{
	fprintf(err, "fragmon-agent: %s:%zu:%zu: %s\n", path, m->line + 1, m->column + 1, what);
}

#define MAX_CONFIG_BYTES (1 << 20)

int fm_config_load(struct fm_config *c, const char *path, FILE *err)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct stat st;
	char seen[16][32];
	int nseen = 0, rc = -1, depth = 0, done = 0;
	char *key = NULL;
	yaml_mark_t key_mark = {0};
	FILE *f;
	int fd;

	/* O_NONBLOCK: a FIFO or device must be refused, not waited on */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		fprintf(err, "fragmon-agent: %s: cannot open config: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		fprintf(err, "fragmon-agent: %s: config is not a regular file\n", path);
		close(fd);
		return -1;
	}
	f = fdopen(fd, "r");
	if (!f) {
		fprintf(err, "fragmon-agent: %s: cannot read config: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (st.st_size > MAX_CONFIG_BYTES) {
		fprintf(err, "fragmon-agent: %s: config larger than %d bytes\n", path,
			MAX_CONFIG_BYTES);
		fclose(f);
		return -1;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);

	while (!done) {
		char msg[512];

		if (!yaml_parser_parse(&parser, &ev)) {
			fprintf(err, "fragmon-agent: %s:%zu:%zu: YAML error: %s\n", path,
				parser.problem_mark.line + 1, parser.problem_mark.column + 1,
				parser.problem ? parser.problem : "unknown");
			goto out;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (depth < 0) {
				report(err, path, &ev.start_mark,
				       "only one YAML document is allowed");
				goto fail_ev;
			}
			break;
		case YAML_MAPPING_START_EVENT:
			if (depth != 0 || key) {
				report(err, path, &ev.start_mark,
				       key ? "expected a scalar value, got a mapping"
					   : "nested mappings are not allowed");
				goto fail_ev;
			}
			depth = 1;
			break;
		case YAML_SEQUENCE_END_EVENT:
			depth = 1;
			free(key);
			key = NULL;
			break;
		case YAML_MAPPING_END_EVENT:
			depth = -1; /* a second document is refused above */
			break;
		case YAML_SEQUENCE_START_EVENT:
			/* the one list-valued key: its items are set one by one */
			if (depth == 1 && key && !strcmp(key, "marker_patterns")) {
				depth = 2;
				break;
			}
			report(err, path, &ev.start_mark,
			       key ? "expected a scalar value, got a list"
				   : "the config must be a mapping of keys to values");
			goto fail_ev;
		case YAML_ALIAS_EVENT:
			report(err, path, &ev.start_mark, "aliases are not allowed");
			goto fail_ev;
		case YAML_SCALAR_EVENT: {
			const char *val = (const char *)ev.data.scalar.value;

			if (depth != 1 && depth != 2) {
				report(err, path, &ev.start_mark,
				       "the config must be a mapping of keys to values");
				goto fail_ev;
			}
			if (!key) {
				for (int i = 0; i < nseen; i++)
					if (!strcmp(seen[i], val)) {
						snprintf(msg, sizeof(msg), "duplicate key \"%s\"",
							 val);
						report(err, path, &ev.start_mark, msg);
						goto fail_ev;
					}
				if (nseen < 16)
					snprintf(seen[nseen++], sizeof(seen[0]), "%s", val);
				key = strdup(val);
				key_mark = ev.start_mark;
				break;
			}
			if (ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
			    (!*val || !strcmp(val, "~") || !strcmp(val, "null"))) {
				snprintf(msg, sizeof(msg), "%s: missing value", key);
				report(err, path, &ev.start_mark, msg);
				goto fail_ev;
			}
			if (fm_config_set(c, key, val, msg, sizeof(msg))) {
				char full[640];

				snprintf(full, sizeof(full), "%s: %s", key, msg);
				report(err, path,
				       strncmp(msg, "unknown key", 11) ? &ev.start_mark : &key_mark,
				       full);
				goto fail_ev;
			}
			if (depth == 1) {
				free(key);
				key = NULL;
			}
			break;
		}
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	rc = 0;
	goto out;
fail_ev:
	yaml_event_delete(&ev);
out:
	free(key);
	yaml_parser_delete(&parser);
	fclose(f);
	return rc;
}
