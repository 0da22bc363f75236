/* SPDX-License-Identifier: GPL-2.0 */
/* Command line: options override the config file. */
#ifndef FRAGMON_CLI_H
#define FRAGMON_CLI_H

#include <stdbool.h>
#include "config.h"

/* exit statuses (README "Exit status") */
#define FM_EXIT_OK 0
#define FM_EXIT_RUNTIME 1
#define FM_EXIT_CONFIG 2
#define FM_EXIT_RUNNING 3

struct fm_cli {
	bool probe;
	const char *config_path;
};

/* Returns -1 to continue, or an exit status (help, version, errors). */
int fm_cli_parse(int argc, char **argv, struct fm_config *cfg, struct fm_cli *cli);

#endif
