// SPDX-License-Identifier: MIT
/*
 * hvtop on a big board: hvsim with 256 CPUs, the root cell and 63 cells
 * of 4 CPUs each (bench_board.h, shared with bench_snapshot). Prints:
 *
 *   1. CPU time per refresh of the cells view (snapshot, model, drawing
 *      and terminal output), and the snapshot's share of it; the same
 *      for the dashboard (CPU bars with per-CPU counters where they fit,
 *      here the 256-CPU strip);
 *   2. time from starting the hvtop binary to its first complete frame;
 *   3. CPU use of an idle hvtop at the default interval;
 *   4. resident memory of hvtop with 10,000 console lines kept.
 *
 * hvtop runs on a pseudo-terminal of 120x40 whose output is read and
 * thrown away, like a terminal that keeps up.
 *
 *   bench_hvtop [REFRESHES [IDLE_SECONDS]]
 *
 * Figures only; nothing is asserted about time.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <hvctl/hvctl.h>

#include "app.h"
#include "bench_board.h"

#define CONSOLE_LINES	10000

static struct bench_board board;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* ---- pseudo-terminals ---- */

struct pty_child {
	pid_t pid;
	int master;
};

/*
 * Fork a child on a new 120x40 pseudo-terminal (stdin, stdout and
 * controlling terminal). In the child, returns with pid 0.
 */
static void pty_fork(struct pty_child *pc)
{
	struct winsize ws = { .ws_row = 40, .ws_col = 120 };
	char *slave;
	int fd;

	pc->master = posix_openpt(O_RDWR | O_NOCTTY);
	if (pc->master < 0 || grantpt(pc->master) || unlockpt(pc->master))
		bench_die(&board, "no pseudo-terminal");
	slave = ptsname(pc->master);
	if (!slave)
		bench_die(&board, "ptsname");
	pc->pid = fork();
	if (pc->pid < 0)
		bench_die(&board, "fork");
	if (pc->pid)
		return;
	setsid();
	fd = open(slave, O_RDWR);
	if (fd < 0)
		_exit(126);
	ioctl(fd, TIOCSCTTY, 0);
	ioctl(fd, TIOCSWINSZ, &ws);
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	if (fd > STDOUT_FILENO)
		close(fd);
	close(pc->master);
	setenv("TERM", "xterm-256color", 1);
	unsetenv("NO_COLOR");
}

/* Read and drop what the child writes, until it exits; returns its status. */
static int pty_drain(struct pty_child *pc, int extra_fd, void *extra, size_t extra_len)
{
	char buf[65536];
	size_t got = 0;
	int status;

	for (;;) {
		struct pollfd fds[2] = {
			{ .fd = pc->master, .events = POLLIN },
			{ .fd = extra_fd, .events = POLLIN },
		};
		int n = poll(fds, extra_fd >= 0 ? 2 : 1, 200);

		if (n > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			if (read(pc->master, buf, sizeof(buf)) <= 0)
				fds[0].fd = -1;
		}
		if (n > 0 && extra_fd >= 0 && (fds[1].revents & POLLIN) && got < extra_len) {
			ssize_t r = read(extra_fd, (char *)extra + got, extra_len - got);

			if (r > 0)
				got += (size_t)r;
		}
		if (waitpid(pc->pid, &status, WNOHANG) == pc->pid)
			break;
	}
	close(pc->master);
	return status;
}

/* ---- 1 and 4: hvtop's own code in a child on a pseudo-terminal ---- */

struct inproc {
	double refresh_us;	/* CPU per refresh of the cells view */
	double dash_us;		/* CPU per refresh of the dashboard */
	double snapshot_us;	/* CPU per snapshot alone */
	double draw_us;		/* CPU per frame alone (no snapshot) */
	long rss_kb;		/* after start-up */
	long rss_lines_kb;	/* with CONSOLE_LINES lines kept */
	int lines_kept;
	int ok;
};

/* Resident memory of a process (this one: getpid()), -1 if unknown. */
static long proc_rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static void run_inproc(int refreshes, int out_fd)
{
	struct tui_options opts = { 0 };
	static struct tui_app app;
	struct inproc res = { 0 };
	struct hvctl_snapshot *snap;
	char err[512], line[100];
	double t0;
	int i;

	opts.uri = board.uri;
	opts.no_config = true;
	opts.view = "cells";
	if (tui_app_init(&app, &opts, err, sizeof(err)))
		_exit(3);
	/* Two warm-up turns so rates are valid and every path has run. */
	for (i = 0; i < 2; i++) {
		tui_app_refresh(&app);
		app.dirty |= TUI_DIRTY_FRAME;
		tui_draw_frame(&app);
	}
	res.rss_kb = proc_rss_kb(getpid());

	t0 = cpu_s();
	for (i = 0; i < refreshes; i++) {
		tui_app_refresh(&app);
		app.dirty |= TUI_DIRTY_FRAME;
		tui_draw_frame(&app);
	}
	res.refresh_us = (cpu_s() - t0) / refreshes * 1e6;

	t0 = cpu_s();
	for (i = 0; i < refreshes; i++) {
		if (hvctl_snapshot(app.ctx, HVCTL_READ_COUNTERS | HVCTL_READ_CONFIGS,
			     HVCTL_CPU_STATS_NONE, NULL, &snap))
			_exit(4);
		hvctl_snapshot_free(snap);
	}
	res.snapshot_us = (cpu_s() - t0) / refreshes * 1e6;

	t0 = cpu_s();
	for (i = 0; i < refreshes; i++) {
		app.dirty |= TUI_DIRTY_FRAME;
		tui_draw_frame(&app);
	}
	res.draw_us = (cpu_s() - t0) / refreshes * 1e6;

	tui_app_set_view(&app, TUI_VIEW_DASHBOARD);
	for (i = 0; i < 2; i++) {
		tui_app_refresh(&app);
		app.dirty |= TUI_DIRTY_FRAME;
		tui_draw_frame(&app);
	}
	t0 = cpu_s();
	for (i = 0; i < refreshes; i++) {
		tui_app_refresh(&app);
		app.dirty |= TUI_DIRTY_FRAME;
		tui_draw_frame(&app);
	}
	res.dash_us = (cpu_s() - t0) / refreshes * 1e6;

	/* 10,000 console lines of 80 characters in the hypervisor console. */
	for (i = 0; i < CONSOLE_LINES && app.num_cons; i++) {
		int len = snprintf(line, sizeof(line),
				   "[%5d.%06d] bench-%02d: a console line of eighty characters or so %05d\n",
				   i / 100, i % 100 * 10000, i % 63 + 1, i);

		tui_conbuf_feed(&app.cons[0].buf, line, (size_t)len);
	}
	tui_app_set_view(&app, TUI_VIEW_CONSOLE);
	app.dirty |= TUI_DIRTY_FRAME;
	tui_draw_frame(&app);
	res.rss_lines_kb = proc_rss_kb(getpid());
	res.lines_kept = app.num_cons ? (int)(tui_conbuf_end(&app.cons[0].buf) -
					      tui_conbuf_begin(&app.cons[0].buf)) : 0;
	res.ok = 1;
	tui_app_fini(&app);
	if (write(out_fd, &res, sizeof(res)) != sizeof(res))
		_exit(5);
	_exit(0);
}

/* ---- 2 and 3: the hvtop binary ---- */

/* Start hvtop on a pty; returns seconds until its first complete frame. */
static double start_binary(struct pty_child *pc, const char *interval)
{
	char bin[PATH_MAX + 8], buf[65536], seen[8192] = "";
	double t0 = now_s(), deadline = t0 + 10;
	size_t used = 0;

	snprintf(bin, sizeof(bin), "%s/hvtop", board.build);
	pty_fork(pc);
	if (!pc->pid) {
		if (interval)
			execl(bin, bin, "-c", board.uri, "--no-config", "-d", interval, (char *)NULL);
		else
			execl(bin, bin, "-c", board.uri, "--no-config", (char *)NULL);
		_exit(127);
	}
	/*
	 * Complete: the key bar (drawn last) and the last table row that
	 * fits 40 lines have both been written.
	 */
	while (now_s() < deadline) {
		struct pollfd fd = { .fd = pc->master, .events = POLLIN };
		ssize_t n;

		if (poll(&fd, 1, 100) <= 0)
			continue;
		n = read(pc->master, buf, sizeof(buf) - 1);
		if (n <= 0)
			break;
		/* Keep a window of the output so markers split across reads match. */
		if (used + (size_t)n >= sizeof(seen)) {
			size_t keep = used > 512 ? 512 : used;

			memmove(seen, seen + used - keep, keep);
			used = keep;
		}
		if ((size_t)n >= sizeof(seen) - used)
			n = (ssize_t)(sizeof(seen) - used - 1);
		memcpy(seen + used, buf, (size_t)n);
		used += (size_t)n;
		seen[used] = '\0';
		if (strstr(seen, "Quit") && strstr(seen, "bench-1"))
			return now_s() - t0;
	}
	return -1;
}

static void stop_binary(struct pty_child *pc)
{
	if (write(pc->master, "q", 1) != 1)
		kill(pc->pid, SIGTERM);
	pty_drain(pc, -1, NULL, 0);
}

static double proc_cpu_s(pid_t pid)
{
	char path[64], text[1024], *p;
	unsigned long ut = 0, st = 0;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	p = strrchr(text, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
			 &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / sysconf(_SC_CLK_TCK);
}

/* Drop output for secs seconds while hvtop runs. */
static void drain_for(struct pty_child *pc, double secs)
{
	double end = now_s() + secs;
	char buf[65536];

	while (now_s() < end) {
		struct pollfd fd = { .fd = pc->master, .events = POLLIN };

		if (poll(&fd, 1, 100) > 0 && read(pc->master, buf, sizeof(buf)) <= 0)
			break;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int refreshes = argc > 1 ? atoi(argv[1]) : 200;
	double idle_secs = argc > 2 ? atof(argv[2]) : 20.0;
	struct pty_child pc;
	struct inproc res = { 0 };
	double first[7], c0, c1;
	int pfd[2], i, status;
	long rss;

	if (refreshes <= 0)
		refreshes = 200;
	if (idle_secs <= 0)
		idle_secs = 20.0;
	/* hvsim quiet: nothing but the figures on the terminal. */
	bench_board_start(&board, "bench_hvtop", true);
	bench_board_populate(&board);
	printf("board: %d CPUs; root cell (%d CPUs) + %d cells of %d CPUs; terminal 120x40\n",
	       BENCH_NUM_CPUS, BENCH_ROOT_CPUS, BENCH_NUM_CELLS - 1,
	       BENCH_CELL_CPUS);

	/* 1 and 4 */
	if (pipe(pfd))
		bench_die(&board, "pipe");
	pty_fork(&pc);
	if (!pc.pid) {
		close(pfd[0]);
		run_inproc(refreshes, pfd[1]);
	}
	close(pfd[1]);
	status = pty_drain(&pc, pfd[0], &res, sizeof(res));
	close(pfd[0]);
	if (!res.ok)
		bench_die(&board, WIFEXITED(status) && WEXITSTATUS(status) == 3 ?
		    "hvtop could not start in the child" : "the in-process run failed");
	printf("1. cells view refresh (snapshot + model + draw + output): %8.0f us CPU  (target < 2000)\n",
	       res.refresh_us);
	printf("   of which: snapshot alone %.0f us, frame alone %.0f us  (%d refreshes)\n",
	       res.snapshot_us, res.draw_us, refreshes);
	printf("   dashboard refresh (the same, and the console lines):   %8.0f us CPU  (target < 1000)\n",
	       res.dash_us);

	/* 2 */
	for (i = 0; i < 7; i++) {
		first[i] = start_binary(&pc, NULL);
		stop_binary(&pc);
		if (first[i] < 0)
			bench_die(&board, "hvtop showed no complete frame within 10 s");
	}
	qsort(first, 7, sizeof(first[0]), cmp_double);
	printf("2. start to first complete frame: median %.1f ms, best %.1f ms, worst %.1f ms  (target < 30)\n",
	       first[3] * 1e3, first[0] * 1e3, first[6] * 1e3);

	/* 3 */
	if (start_binary(&pc, NULL) < 0)
		bench_die(&board, "hvtop did not start for the idle run");
	drain_for(&pc, 2.5);
	c0 = proc_cpu_s(pc.pid);
	drain_for(&pc, idle_secs);
	c1 = proc_cpu_s(pc.pid);
	rss = proc_rss_kb(pc.pid);
	stop_binary(&pc);
	printf("3. idle at the default interval (2 s): %.3f%% of a core over %.0f s  (target < 0.5)\n",
	       (c1 - c0) / idle_secs * 100.0, idle_secs);

	/* 4 */
	printf("4. resident memory: %.1f MiB after start, %.1f MiB with %d console lines kept  (target < 10)\n",
	       res.rss_kb / 1024.0, res.rss_lines_kb / 1024.0, res.lines_kept);
	printf("   (the hvtop binary after the idle run: %.1f MiB)\n", rss / 1024.0);
	bench_board_stop(&board);
	return 0;
}
