// SPDX-License-Identifier: GPL-2.0
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: fragmon-agent [-c FILE] [options]\n"
    "Trace Linux memory fragmentation (extfrag, compaction, migration) with BPF and\n"
    "snapshot buddyinfo/pagetypeinfo, writing OUTPUT_DIR/fragmentation_data.json.\n"
    "\n"
    "  -c, --config FILE        YAML config (keys: duration, output_dir, mode,\n"
    "                           snapshot_interval_ms, max_output_mb, ringbuf_kb,\n"
    "                           pidfile, prometheus_dir, index_source, btf,\n"
    "                           markers, marker_patterns, compress, stacks);\n"
    "                           options below override it\n"
    "  -d, --duration SEC       stop after SEC seconds (0 = until SIGINT/SIGTERM)\n"
    "  -o, --output-dir DIR     default " FM_DEFAULT_OUTPUT_DIR "\n"
    "  -m, --mode MODE          full | extfrag | compaction | snapshot (no BPF)\n"
    "  -i, --interval MS        snapshot interval in ms (0 = start and end only)\n"
    "      --max-output-mb N    stop writing events past N MiB of file (0 = no cap)\n"
    "      --compress C         none (default) | gzip: write\n"
    "                           fragmentation_data.json.gz, readable up to the\n"
    "                           last 0.5 s flush after a kill\n"
    "      --ringbuf-kb N       BPF ring buffer size, a power of two\n"
    "  -p, --pidfile FILE       default OUTPUT_DIR/fragmon-agent.pid\n"
    "      --prometheus-dir DIR write DIR/fragmon.prom every interval\n"
    "      --index-source SRC   snapshot (default: the latest snapshot's free lists)\n"
    "                           | event (read in BPF at each event, +0.5 us/event;\n"
    "                           needs kernel BTF or --btf)\n"
    "      --btf FILE           BTF of the running kernel, for a kernel built\n"
    "                           without CONFIG_DEBUG_INFO_BTF (pahole\n"
    "                           --btf_encode_detached); only index_source event\n"
    "                           and migratetype names use it\n"
    "      --markers kmsg|off   read test and phase markers from /dev/kmsg (default\n"
    "                           kmsg: fstests, blktests, \"fragmon: begin|end NAME\")\n"
    "      --marker-pattern LABEL=ERE  one more test marker (POSIX ERE, group 1\n"
    "                           the test's name); repeatable, added to the config's\n"
    "      --stacks on|off      the kernel stack of each extfrag event, counted per\n"
    "                           call path in BPF (default on)\n"
    "      --probe              load (verify) every BPF program without attaching\n"
    "                           and print what this kernel supports as JSON; exit\n"
    "                           0 if mode full would capture extfrag events here\n"
    "  -q, --quiet              no status line or progress log\n"
    "  -V, --version            print the version\n"
    "  -h, --help               this help\n"
    "\n"
    "Signals: SIGINT/SIGTERM stop and write the final file; SIGUSR1/SIGHUP write\n"
    "fragmentation_data.checkpoint.json and keep running.\n"
    "Exit status: 0 clean end, 1 runtime error, 2 bad config or usage,\n"
    "3 another agent holds the pidfile.\n";

enum {
	OPT_MAX_OUTPUT = 256,
	OPT_RINGBUF,
	OPT_PROM,
	OPT_PROBE,
	OPT_INDEX,
	OPT_BTF,
	OPT_MARKERS,
	OPT_MARKER_PATTERN,
	OPT_COMPRESS,
	OPT_STACKS
};

static const struct option longopts[] = {
    {"config", required_argument, NULL, 'c'},
    {"duration", required_argument, NULL, 'd'},
    {"output-dir", required_argument, NULL, 'o'},
    {"mode", required_argument, NULL, 'm'},
    {"interval", required_argument, NULL, 'i'},
    {"max-output-mb", required_argument, NULL, OPT_MAX_OUTPUT},
    {"ringbuf-kb", required_argument, NULL, OPT_RINGBUF},
    {"pidfile", required_argument, NULL, 'p'},
    {"prometheus-dir", required_argument, NULL, OPT_PROM},
    {"index-source", required_argument, NULL, OPT_INDEX},
    {"btf", required_argument, NULL, OPT_BTF},
    {"markers", required_argument, NULL, OPT_MARKERS},
    {"marker-pattern", required_argument, NULL, OPT_MARKER_PATTERN},
    {"compress", required_argument, NULL, OPT_COMPRESS},
    {"stacks", required_argument, NULL, OPT_STACKS},
    {"probe", no_argument, NULL, OPT_PROBE},
    {"quiet", no_argument, NULL, 'q'},
    {"version", no_argument, NULL, 'V'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const char *key_of(int opt)
{
	switch (opt) {
	case 'd':
		return "duration";
	case 'o':
		return "output_dir";
	case 'm':
		return "mode";
	case 'i':
		return "snapshot_interval_ms";
	case OPT_MAX_OUTPUT:
		return "max_output_mb";
	case OPT_RINGBUF:
		return "ringbuf_kb";
	case 'p':
		return "pidfile";
	case OPT_PROM:
		return "prometheus_dir";
	case OPT_INDEX:
		return "index_source";
	case OPT_BTF:
		return "btf";
	case OPT_MARKERS:
		return "markers";
	case OPT_MARKER_PATTERN:
		return "marker_patterns";
	case OPT_COMPRESS:
		return "compress";
	case OPT_STACKS:
		return "stacks";
	}
	return NULL;
}

static const char *long_name(int opt)
{
	for (const struct option *o = longopts; o->name; o++)
		if (o->val == opt)
			return o->name;
	return "?";
}

int fm_cli_parse(int argc, char **argv, struct fm_config *cfg, struct fm_cli *cli)
{
	const char *shortopts = "c:d:o:m:i:p:qVh";
	int opt;

	memset(cli, 0, sizeof(*cli));
	/* pass 1: the config file and the flags that need no config */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			cli->config_path = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return FM_EXIT_OK;
		case 'V':
			printf("fragmon-agent %s\n", FRAGMON_VERSION);
			return FM_EXIT_OK;
		case OPT_PROBE:
			cli->probe = true;
			break;
		case 'q':
			cfg->quiet = true;
			break;
		case '?':
			if (optopt)
				fprintf(stderr, "fragmon-agent: option -%c: %s\n", optopt,
					strchr(shortopts, optopt) ? "needs a value"
								  : "unknown option");
			else
				fprintf(stderr,
					"fragmon-agent: %s: unknown option or missing value\n",
					argv[optind - 1]);
			fputs("Try 'fragmon-agent --help'.\n", stderr);
			return FM_EXIT_CONFIG;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "fragmon-agent: unexpected argument \"%s\"\n", argv[optind]);
		return FM_EXIT_CONFIG;
	}
	if (cli->config_path && fm_config_load(cfg, cli->config_path, stderr))
		return FM_EXIT_CONFIG;
	/* pass 2: overrides */
	optind = 1;
	while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const char *key = key_of(opt);
		char msg[512];

		if (key && fm_config_set(cfg, key, optarg, msg, sizeof(msg))) {
			fprintf(stderr, "fragmon-agent: option --%s: %s\n", long_name(opt), msg);
			return FM_EXIT_CONFIG;
		}
	}
	return -1;
}
