// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the agent's YAML config loader (agent/config.c): the
 * input is the config file.  It lives in a memfd, so fm_config_load() opens
 * it through /proc/self/fd like any file and nothing touches the disk.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct fm_config c;
	char path[64];
	int fd;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	fd = memfd_create("fuzz-config", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	fm_config_defaults(&c);
	if (!fm_config_load(&c, path, devnull ? devnull : stderr)) {
		/* a loaded config is usable: what the agent reads next */
		if (!c.output_dir || !*c.output_dir || c.ringbuf_kb < 4 ||
		    (c.ringbuf_kb & (c.ringbuf_kb - 1)) || c.duration < 0 ||
		    c.snapshot_interval_ms < 0 || c.max_output_mb < 0)
			__builtin_trap();
		(void)fm_mode_name(c.mode);
		if (c.pidfile && !*c.pidfile)
			__builtin_trap();
	}
	fm_config_free(&c);
	close(fd);
	return 0;
}
