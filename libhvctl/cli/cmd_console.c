// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * hvctl console [-f] [--raw] [--cell CELL]: print the hypervisor console,
 * or a cell's own console where the backend keeps one.
 *
 * The bytes come from a cell, so when stdout is a terminal they go
 * through the library's terminal sanitiser (hvctl/text.h, as in hvtop):
 * escape sequences and control characters other than newline and tab
 * never reach the terminal. --raw passes them as they are.
 *
 * Bytes the ring overwrote before we read them are reported inline, as
 * upstream's driver does: "<missed N bytes of console log>".
 * With -f the command sleeps in poll() on the library's event descriptor
 * (hvsim announces new output; on the kernel backend the timer ticks
 * every 100 ms, the period of upstream's blocking read) until SIGINT or
 * SIGTERM. A backend that goes away is waited for, not fatal.
 */
#include "cli_runtime.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#define FOLLOW_TICK_MS	100

static const char console_usage[] =
	"Usage: hvctl console [-f] [--raw] [--cell CELL]\n"
	"\n"
	"Print the hypervisor console (what the ring still holds, then only new\n"
	"output). Lost bytes show as '<missed N bytes of console log>'.\n"
	"On a terminal, escape sequences and control characters (other than\n"
	"newline and tab) are left out, as hvtop does.\n"
	"\n"
	"  -f, --follow        keep printing new output until interrupted\n"
	"  -r, --raw           pass every byte to the terminal as it is\n"
	"  -C, --cell CELL     the console of cell CELL (an ID or a name) instead\n"
	"                      of the hypervisor's, where the backend keeps one\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* The terminal sanitiser of the stream, or NULL for raw output. */
static struct hvctl_sanitizer *san;

/* Print everything new; 0, or the library's negative errno. */
static int drain(struct hvctl_console *con)
{
	char buf[4096], clean[sizeof(buf) + 4];
	size_t len;
	uint64_t lost;
	int ret;

	do {
		ret = hvctl_console_read(con, buf, sizeof(buf), &len, &lost);
		if (ret)
			return ret;
		if (lost == HVCTL_CONSOLE_LOST_UNKNOWN)
			fputs("<missed an unknown number of bytes of console log>\n",
			      stdout);
		else if (lost)
			printf("<missed %" PRIu64 " bytes of console log>\n", lost);
		if (len && san)
			fwrite(clean, 1, hvctl_sanitize_buf(san, buf, len, clean),
			       stdout);
		else if (len)
			fwrite(buf, 1, len, stdout);
	} while (len);
	fflush(stdout);
	return 0;
}

static int resolve_cell(struct hvctl_ctx *ctx, const char *text, int *id)
{
	struct hvctl_snapshot *snap;
	const struct hvctl_cell_info *ci;
	struct hvctl_cell_ref ref;
	int ret;

	ret = cli_rt_cell_ref("console", text, false, &ref);
	if (ret)
		return ret;
	if (ref.id >= 0) {
		*id = ref.id;
		return CLI_EXIT_OK;
	}
	ret = hvctl_snapshot(ctx, HVCTL_READ_CELLS, HVCTL_CPU_STATS_NONE, NULL,
			     &snap);
	if (ret)
		return cli_rt_fail(ctx, "console", text, ret);
	ci = hvctl_snapshot_find(snap, &ref);
	if (ci)
		*id = ci->id;
	hvctl_snapshot_free(snap);
	if (!ci) {
		cli_error("console %s: no cell '%s'", text, text);
		return CLI_EXIT_REFUSED;
	}
	return CLI_EXIT_OK;
}

static int follow(struct hvctl_ctx *ctx, struct hvctl_console *con,
		  const char *who)
{
	struct sigaction sa;
	struct hvctl_event evs[16];
	bool waiting = false;
	size_t n;
	int fd, ret;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	fd = hvctl_event_fd(ctx);
	if (fd < 0)
		return cli_rt_fail(ctx, "console", who, fd);
	while (!stop) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		ret = drain(con);
		if (ret && hvctl_backend_unreachable(ctx)) {
			if (!waiting)
				cli_error("console: %s; waiting for it",
					  hvctl_errmsg(ctx));
			waiting = true;
		} else if (ret) {
			return cli_rt_fail(ctx, "console", who, ret);
		} else {
			waiting = false;
		}
		if (poll(&p, 1, 1000) < 0 && errno != EINTR)
			return cli_rt_fail(ctx, "console", who, -errno);
		do {
			ret = hvctl_event_process(ctx, evs, 16, &n);
			if (ret)
				return cli_rt_fail(ctx, "console", who, ret);
		} while (n == 16);
	}
	return CLI_EXIT_OK;
}

int cmd_console(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "cell", required_argument, NULL, 'C' },
		{ "raw", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hvctl_open_opts opts = {
		.version = HVCTL_OPEN_OPTS_VERSION,
		.uri = cli->uri,
		.tick_ms = FOLLOW_TICK_MS,
	};
	struct hvctl_error err = { .msg = "" };
	struct hvctl_sanitizer sanitizer;
	struct hvctl_console *con;
	struct hvctl_ctx *ctx;
	const char *cell = NULL;
	bool follow_mode = false, raw = false;
	int opt, ret, flags, id = HVCTL_CONSOLE_HYPERVISOR;
	struct cli_cmd cmd = { "console", console_usage, ":fC:rh", options, 0 };

	while ((opt = cli_getopt(&cmd, argc, argv)) > 0) {
		switch (opt) {
		case 'f':
			follow_mode = true;
			break;
		case 'C':
			cell = optarg;
			break;
		case 'r':
			raw = true;
			break;
		}
	}
	if (opt < 0)
		return cmd.status;
	if (cli_operands(&cmd, argc, argv, 0, 0, NULL))
		return cmd.status;
	flags = cli_term_flags(1);
	san = NULL;
	if (!raw && flags >= 0) {
		hvctl_sanitize_init(&sanitizer, (unsigned int)flags);
		san = &sanitizer;
	}
	ret = hvctl_open_opts(&ctx, &opts, &err);
	if (ret) {
		cli_error("console: %s", err.msg[0] ? err.msg : strerror(-ret));
		return CLI_EXIT_USAGE;
	}
	if (cell) {
		ret = resolve_cell(ctx, cell, &id);
		if (ret)
			goto out;
	}
	ret = hvctl_console_open(ctx, id, &con);
	if (ret) {
		ret = cli_rt_fail(ctx, "console", cell, ret);
		goto out;
	}
	if (follow_mode) {
		ret = follow(ctx, con, cell);
	} else {
		ret = drain(con);
		if (ret)
			ret = cli_rt_fail(ctx, "console", cell, ret);
	}
	hvctl_console_close(con);
out:
	hvctl_close(ctx);
	return ret;
}
