/* SPDX-License-Identifier: GPL-2.0 */
/* The agent's configuration: defaults, the YAML file, command-line overrides. */
#ifndef FRAGMON_CONFIG_H
#define FRAGMON_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

enum fm_mode {
	FM_MODE_FULL,
	FM_MODE_EXTFRAG,
	FM_MODE_COMPACTION,
	FM_MODE_SNAPSHOT,
};

struct fm_config {
	long duration; /* s, 0 = until signalled */
	char *output_dir;
	enum fm_mode mode;
	long snapshot_interval_ms; /* 0 = only at start and end */
	long max_output_mb;	   /* 0 = no cap */
	long ringbuf_kb;
	char *pidfile;		/* NULL = <output_dir>/fragmon-agent.pid */
	char *prometheus_dir;	/* NULL or "" = off */
	bool index_at_event;	/* index_source: event (read in BPF) or snapshot */
	char *btf_path;		/* btf: a BTF file for a kernel without; NULL = the kernel's */
	bool markers_off;	/* markers: off (no /dev/kmsg reading) */
	bool stacks_off;	/* stacks: off (no kernel stacks of extfrag events) */
	char **marker_patterns; /* marker_patterns: extra "LABEL=ERE", appended */
	int nmarker_patterns;
	bool gzip; /* compress: gzip (fragmentation_data.json.gz) or none */
	bool quiet;
};

#define FM_DEFAULT_OUTPUT_DIR "/root/monitoring/fragmentation"
#define FM_MAX_MARKER_PATTERNS 32

void fm_config_defaults(struct fm_config *c);
void fm_config_free(struct fm_config *c);

/*
 * Load path into c.  On error prints "fragmon-agent: PATH:LINE:COL: what" to
 * err and returns -1; c keeps what was read so far.
 */
int fm_config_load(struct fm_config *c, const char *path, FILE *err);

/*
 * Set one option by key (the YAML key) from a string, as both the file and
 * the command line do.  Returns 0, or -1 with a message in msg.
 */
int fm_config_set(struct fm_config *c, const char *key, const char *value, char *msg,
		  size_t msglen);

const char *fm_mode_name(enum fm_mode m);

#endif
