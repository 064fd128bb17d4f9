// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * hvctl events: lifecycle changes and failures as they happen, one
 * timestamped line each, until interrupted (or COUNT lines).
 */
#include "cli.h"
#include "cli_runtime.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hvctl/hvctl.h>

static const char events_usage[] =
	"Usage: hvctl events [-n COUNT]\n"
	"\n"
	"Print what happens to the hypervisor and its cells, one line each with\n"
	"the local time: enabled and disabled, cells created and destroyed, each\n"
	"change of a cell's state, and a cell's or CPU's failure with its reason\n"
	"(CPU, fault, address, where the driver records it). Runs until\n"
	"interrupted.\n"
	"\n"
	"  -n, --count COUNT   stop after COUNT lines\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct watch {
	struct hvctl_snapshot_diff *diff;
	long left;		/* lines still to print; -1: no limit */
};

/* One line: "2026-12-04T22:10:03 KIND text", text made printable. */
static void line(struct watch *w, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void line(struct watch *w, const char *kind, const char *fmt, ...)
{
	char raw[1024], clean[1024], when[32];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	if (!w->left)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	hvctl_sanitize_str(clean, sizeof(clean), raw);
	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	printf("%s %-7s %s\n", when, kind, clean);
	fflush(stdout);
	if (w->left > 0)
		w->left--;
}

static const char *kind_word(enum hvctl_change_kind kind)
{
	switch (kind) {
	case HVCTL_CHANGE_ENABLED:
	case HVCTL_CHANGE_DISABLED:
		return "system";
	case HVCTL_CHANGE_FAILED:
		return "FAILED";
	default:
		return "change";
	}
}

/* Print what changed since the last snapshot (the library's diff). */
static int compare(struct watch *w, const struct hvctl_snapshot *s)
{
	struct hvctl_change *changes;
	char text[1024];
	size_t n, i;
	int ret;

	ret = hvctl_snapshot_diff(w->diff, s, &changes, &n);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		hvctl_change_text(&changes[i], text, sizeof(text));
		line(w, kind_word(changes[i].kind), "%s", text);
	}
	hvctl_changes_free(changes, n);
	return 0;
}

static int take(struct hvctl_ctx *ctx, struct watch *w)
{
	struct hvctl_snapshot *s = NULL;
	int ret = hvctl_snapshot(ctx, 0, HVCTL_CPU_STATS_NONE, NULL, &s);

	if (ret)
		return ret;
	ret = compare(w, s);
	hvctl_snapshot_free(s);
	return ret;
}

int cmd_events(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hvctl_open_opts opts = {
		.version = HVCTL_OPEN_OPTS_VERSION,
		.uri = cli->uri,
	};
	struct hvctl_error err = { .msg = "" };
	struct cli_cmd cmd = { "events", events_usage, ":n:h", options, 0 };
	struct watch w = { .left = -1 };
	struct hvctl_event evs[32];
	struct sigaction sa;
	struct hvctl_ctx *ctx;
	bool down = false;
	int opt, ret, fd;
	size_t n, i;
	char *end;

	while ((opt = cli_getopt(&cmd, argc, argv)) > 0) {
		if (opt == 'n') {
			errno = 0;
			w.left = strtol(optarg, &end, 10);
			if (errno || *end || w.left < 1) {
				cli_error("events: --count: '%s' is not a number of lines", optarg);
				return CLI_EXIT_USAGE;
			}
		}
	}
	if (opt < 0)
		return cmd.status;
	if (cli_operands(&cmd, argc, argv, 0, 0, NULL))
		return cmd.status;
	ret = hvctl_open_opts(&ctx, &opts, &err);
	if (ret) {
		cli_error("events: %s", err.msg[0] ? err.msg : strerror(-ret));
		return CLI_EXIT_USAGE;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = hvctl_snapshot_diff_new(&w.diff);
	if (ret) {
		ret = cli_rt_fail(ctx, "events", NULL, ret);
		goto out;
	}
	fd = hvctl_event_fd(ctx);
	if (fd < 0) {
		ret = cli_rt_fail(ctx, "events", NULL, fd);
		goto out;
	}
	/* The state now is the baseline: only changes from here are printed. */
	ret = take(ctx, &w);
	if (ret) {
		ret = cli_rt_fail(ctx, "events", NULL, ret);
		goto out;
	}
	ret = CLI_EXIT_OK;
	while (!stop && w.left) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		bool changed = false;

		if (poll(&p, 1, 1000) < 0 && errno != EINTR) {
			ret = cli_rt_fail(ctx, "events", NULL, -errno);
			break;
		}
		do {
			if (hvctl_event_process(ctx, evs, 32, &n)) {
				n = 0;
				break;
			}
			for (i = 0; i < n; i++) {
				switch (evs[i].type) {
				case HVCTL_EVENT_BACKEND_DOWN:
					if (!down)
						line(&w, "system", "backend gone: %s", hvctl_errmsg(ctx));
					down = true;
					break;
				case HVCTL_EVENT_BACKEND_UP:
					if (down)
						line(&w, "system", "backend back");
					down = false;
					changed = true;
					break;
				case HVCTL_EVENT_ENABLED:
				case HVCTL_EVENT_DISABLED:
				case HVCTL_EVENT_CELL_ADDED:
				case HVCTL_EVENT_CELL_REMOVED:
				case HVCTL_EVENT_CELL_STATE:
					changed = true;
					break;
				default:
					break;
				}
			}
		} while (n == 32);
		if (changed && !down && take(ctx, &w) && !hvctl_backend_unreachable(ctx)) {
			ret = cli_rt_fail(ctx, "events", NULL, -EIO);
			break;
		}
	}
out:
	hvctl_snapshot_diff_free(w.diff);
	hvctl_close(ctx);
	return ret;
}
