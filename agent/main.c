// SPDX-License-Identifier: GPL-2.0
/*
 * fragmon-agent: set up, trace until a signal or the duration, write the
 * final file.  See README "fragmon-agent" and docs/format.md.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "cli.h"
#include "pidfile.h"

static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t checkpoint_requested;

static void on_stop(int sig)
{
	static const int later[] = {SIGINT, SIGTERM, SIGUSR1, SIGHUP};
	struct sigaction ign;

	if (!stop_signal)
		stop_signal = sig;
	/*
	 * Ignore every further stop and checkpoint signal from now on
	 * (sigaction is async-signal-safe).  Without this a sender faster than
	 * our handler keeps one of them pending at every return to user space,
	 * the handler runs again and again, and the final write never does.
	 */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	for (unsigned i = 0; i < sizeof(later) / sizeof(later[0]); i++)
		sigaction(later[i], &ign, NULL);
}

static void on_checkpoint(int sig)
{
	(void)sig;
	checkpoint_requested = 1;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	/* the stop handlers block each other: the first signal names the end */
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sa.sa_handler = on_stop; /* no SA_RESTART: poll returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_checkpoint;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logmsg(const char *fmt, ...)
{
	va_list ap;

	fputs("fragmon-agent: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void status(struct fm_agent *a, double t, double *last_t, unsigned long long *last_n,
		   bool tty)
{
	unsigned long long n = fm_ingest_received(a);
	double rate = t > *last_t ? (double)(n - *last_n) / (t - *last_t) : 0;

	char rejected[48] = "";

	if (a->tracer.nrejected)
		snprintf(rejected, sizeof(rejected), ", %d tracepoints rejected",
			 a->tracer.nrejected);
	if (!a->bpf)
		snprintf(rejected, sizeof(rejected), ", snapshots only");
	if (tty)
		fprintf(stderr,
			"\r[%8.1fs] %llu events (%.0f/s), %llu dropped, %llu written%s%s   ", t, n,
			rate, (unsigned long long)a->counts[FM_CNT_DROPPED], a->writer.nwritten,
			a->writer.capped ? " (output cap reached)" : "", rejected);
	else
		logmsg("%.1fs: %llu events (%.0f/s), %llu dropped, %llu written%s%s", t, n, rate,
		       (unsigned long long)a->counts[FM_CNT_DROPPED], a->writer.nwritten,
		       a->writer.capped ? ", output cap reached" : "", rejected);
	*last_t = t;
	*last_n = n;
}

static int setup_kernel_view(struct fm_agent *a)
{
	struct utsname u;

	a->t0_ns = fm_mono_ns();
	a->start_epoch = fm_epoch();
	if (!uname(&u)) {
		snprintf(a->kernel, sizeof(a->kernel), "%s", u.release);
		snprintf(a->hostname, sizeof(a->hostname), "%s", u.nodename);
	}
	a->nspans = fm_read_zoneinfo(a->spans, FM_MAX_NODES * FM_MAX_ZONES, "/proc");
	if (a->nspans <= 0) {
		logmsg("cannot read /proc/zoneinfo: %s", strerror(errno));
		return -1;
	}
	a->snap.pageblock_order = 0;
	if (fm_read_snapshot(&a->snap, a->spans, a->nspans, "/proc")) {
		logmsg("cannot read /proc/buddyinfo: %s", strerror(errno));
		return -1;
	}
	a->have_snap = true;
	a->nr_orders = a->snap.nr_orders;
	a->pageblock_order =
	    a->snap.pageblock_order > 0 ? a->snap.pageblock_order : a->nr_orders - 2;
	return 0;
}

/* A snapshot; the first failure is logged (path, errno), and the recovery. */
static void snapshot(struct fm_agent *a)
{
	if (fm_snapshot_take(a)) {
		if (!a->snap_failing)
			logmsg("snapshot failed: cannot read /proc/buddyinfo: %s; the index comes "
			       "from the last snapshot that worked",
			       strerror(errno));
		a->snap_failing = true;
	} else if (a->snap_failing) {
		logmsg("snapshots work again");
		a->snap_failing = false;
	}
}

/*
 * Load and attach the BPF programs.  Returns 0, or -1 with the reason in
 * a->bpf_error when BPF capture is impossible here: the run goes on with the
 * snapshots, which need no BPF.
 */
static int start_bpf(struct fm_agent *a)
{
	struct fm_tracer_opts o = {
	    .cfg = &a->cfg,
	    .kinfo = &a->kinfo,
	    .spans = a->spans,
	    .nspans = a->nspans,
	    .nr_orders = a->nr_orders,
	    .pageblock_order = a->pageblock_order,
	    .on_event = fm_ingest,
	    .ctx = a,
	};

	if (fm_tracer_load(&a->tracer, &o, a->bpf_error, sizeof(a->bpf_error)) ||
	    fm_tracer_attach(&a->tracer, &o, a->bpf_error, sizeof(a->bpf_error))) {
		fm_tracer_destroy(&a->tracer); /* keeps the per-tracepoint status */
		return -1;
	}
	a->bpf = true;
	return 0;
}

static int run(struct fm_agent *a)
{
	struct fm_config *c = &a->cfg;
	bool tty = isatty(STDERR_FILENO) && !c->quiet;
	double last_flush = 0, last_snap = 0, last_status = 0, status_t = 0, t = 0;
	double status_every = tty ? 1.0 : 60.0;
	unsigned long long status_n = 0;
	char err[PATH_MAX + 256];
	int rc = FM_EXIT_OK, rc_ck;

	if (setup_kernel_view(a))
		return FM_EXIT_RUNTIME;
	if (fm_markers_start(a) && !c->markers_off)
		logmsg("test and phase markers %s", a->markers_why);
	fm_tracefs(&a->kinfo);
	fm_kinfo_from_tracefs(&a->kinfo);
	if (c->mode != FM_MODE_SNAPSHOT && start_bpf(a))
		logmsg("BPF capture unavailable: %s; writing snapshots only", a->bpf_error);
	a->attach_ms = (double)(fm_mono_ns() - a->main_ns) / 1e6;
	if (a->bpf && c->index_at_event && !a->tracer.index_at_event)
		logmsg("index_source event: %s; using the snapshots", a->tracer.index_why);
	/* names are only needed for writing, so BTF is parsed after attaching */
	fm_kinfo_load(&a->kinfo, c->btf_path, &a->snap);
	if (!strcmp(a->kinfo.btf_source, "none") && !c->quiet)
		logmsg("%s: record fields come from tracefs, migratetype names from %s; only "
		       "index_source event needs BTF (btf: FILE, e.g. pahole --btf_encode_detached "
		       "from the kernel's DWARF vmlinux)",
		       a->kinfo.btf_why, a->kinfo.migratetype.source);
	if (fm_writer_open(&a->writer, c->output_dir, (unsigned long long)c->max_output_mb << 20,
			   c->gzip, fm_header_json, a, err, sizeof(err))) {
		logmsg("%s", err);
		return FM_EXIT_RUNTIME;
	}
	if (!c->quiet) {
		double ms = (double)(fm_mono_ns() - a->main_ns) / 1e6;

		if (a->bpf)
			logmsg(
			    "ready: mode %s, %d tracepoints attached (%d rejected, %d missing) in "
			    "%.1f ms, writing %s",
			    fm_mode_name(c->mode), fm_tracer_count_status(&a->tracer, "attached"),
			    a->tracer.nrejected, fm_tracer_count_status(&a->tracer, "missing"), ms,
			    a->writer.partial);
		else
			logmsg("ready: mode %s, snapshots only, in %.1f ms, writing %s",
			       fm_mode_name(c->mode), ms, a->writer.partial);
	}
	snapshot(a);
	fm_prom_write(a);

	while (!stop_signal) {
		int wait_ms = 100, n = 0;

		if (c->snapshot_interval_ms) {
			double due =
			    last_snap * 1000.0 + (double)c->snapshot_interval_ms - t * 1000.0;

			if (due < wait_ms)
				wait_ms = due < 1 ? 1 : (int)due;
		}
		if (a->bpf)
			n = fm_tracer_poll(&a->tracer, wait_ms);
		else
			usleep((useconds_t)wait_ms * 1000);
		if (fm_markers_poll(a) < 0)
			logmsg("test and phase markers: %s; the rest runs", a->kmsg.why);
		if (n < 0 && n != -EINTR) {
			logmsg("ring buffer poll failed: %s", strerror(-n));
			rc = FM_EXIT_RUNTIME;
			break;
		}
		t = fm_secs(a->t0_ns, fm_mono_ns());
		if (c->duration && t >= (double)c->duration)
			break;
		if (c->snapshot_interval_ms &&
		    (t - last_snap) * 1000.0 >= (double)c->snapshot_interval_ms) {
			snapshot(a);
			last_snap = t;
			fm_ingest_totals(a);
			fm_prom_write(a);
		}
		if (t - last_flush >= 0.5) {
			bool removed = a->writer.removed;

			if (fm_writer_flush(&a->writer) && !a->writer.err)
				logmsg("flush failed");
			if (a->writer.removed && !removed)
				logmsg("%s was removed (with its directory?): the data is kept and "
				       "written there again at the end",
				       a->writer.partial);
			last_flush = t;
		}
		if (checkpoint_requested) {
			checkpoint_requested = 0;
			if (a->bpf) /* what is staged counts in the checkpoint's totals */
				fm_tracer_drain(&a->tracer);
			fm_ingest_totals(a);
			a->end_epoch = a->start_epoch + t;
			a->complete = false;
			a->end_reason = NULL;
			rc_ck = fm_writer_checkpoint(&a->writer, fm_tail_json, a, err, sizeof(err));
			if (rc_ck)
				logmsg("%s", err);
			if (rc_ck >= 0)
				logmsg("checkpoint written: %s", a->writer.ckpt);
		}
		if (!c->quiet && t - last_status >= status_every) {
			fm_ingest_totals(a);
			status(a, t, &status_t, &status_n, tty);
			last_status = t;
		}
	}
	if (tty)
		fputc('\n', stderr);
	a->end_reason = stop_signal == SIGINT	 ? "SIGINT"
			: stop_signal == SIGTERM ? "SIGTERM"
						 : "duration";
	if (rc != FM_EXIT_OK)
		a->end_reason = "error";
	/* the handlers stop recording, then everything is drained: every event
	 * the counters saw is either written, capped, or counted as dropped; the
	 * programs are detached after the final file (main) */
	if (a->bpf)
		fm_tracer_stop(&a->tracer);
	fm_markers_stop(a);
	snapshot(a);
	fm_ingest_totals(a);
	fm_prom_write(a);
	a->end_epoch = fm_epoch();
	a->complete = true;
	if (a->writer.removed)
		logmsg("making %s again for the final file", a->writer.dir);
	rc_ck = fm_writer_finish(&a->writer, fm_tail_json, a, err, sizeof(err));
	if (rc_ck)
		logmsg("%s", err);
	if (rc_ck < 0)
		return FM_EXIT_RUNTIME;
	if (!c->quiet)
		logmsg("%s: %llu events written, %llu received, %llu dropped, %llu capped (%s)",
		       a->writer.final, a->writer.nwritten, fm_ingest_received(a),
		       (unsigned long long)a->counts[FM_CNT_DROPPED], a->writer.ncapped,
		       a->end_reason);
	return rc;
}

int main(int argc, char **argv)
{
	static struct fm_agent agent; /* large: keep it off the stack */
	struct fm_agent *a = &agent;
	char pidpath[PATH_MAX], err[PATH_MAX + 128];
	struct fm_cli cli;
	int rc, pidfd, holder = 0;

	a->main_ns = fm_mono_ns();
	fm_writer_init(&a->writer);
	install_signals();
	fm_config_defaults(&a->cfg);
	rc = fm_cli_parse(argc, argv, &a->cfg, &cli);
	if (rc >= 0) {
		fm_config_free(&a->cfg);
		return rc;
	}
	if (cli.probe) {
		rc = fm_probe(stdout, &a->cfg) ? FM_EXIT_RUNTIME : FM_EXIT_OK;
		fm_config_free(&a->cfg);
		return rc;
	}
	if (fm_mkdir_p(a->cfg.output_dir)) {
		logmsg("cannot create output directory %s: %s", a->cfg.output_dir, strerror(errno));
		return FM_EXIT_RUNTIME;
	}
	if (a->cfg.pidfile)
		snprintf(pidpath, sizeof(pidpath), "%s", a->cfg.pidfile);
	else
		snprintf(pidpath, sizeof(pidpath), "%s/fragmon-agent.pid", a->cfg.output_dir);
	pidfd = fm_pidfile_acquire(pidpath, &holder, err, sizeof(err));
	if (pidfd == -2) {
		logmsg("another agent (pid %d) is running with pidfile %s", holder, pidpath);
		return FM_EXIT_RUNNING;
	}
	if (pidfd < 0) {
		logmsg("%s", err);
		return FM_EXIT_RUNTIME;
	}
	rc = run(a);
	if (a->bpf)
		fm_tracer_destroy(&a->tracer);
	fm_writer_close(&a->writer);
	fm_pidfile_release(pidpath, pidfd);
	fm_config_free(&a->cfg);
	return rc;
}
