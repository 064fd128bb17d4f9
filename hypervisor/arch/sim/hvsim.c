// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim: a simulated arm64 board running the hypervisor core in a process.
 *
 *   hvsim [--board FILE] [-v] DIR
 *
 * Serves DIR/sysfs and DIR/control.sock (PROTOCOL.md) in the foreground
 * until SIGTERM or SIGINT.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hvabi/sim-protocol.h>

#include <hv/arch.h>
#include <hv/cell.h>
#include <hv/control.h>

#include <sim/board.h>
#include <sim/driver.h>
#include <sim/guest.h>
#include <sim/hvsim.h>
#include <sim/loop.h>
#include <sim/server.h>
#include <sim/sim.h>
#include <sim/simdir.h>
#include <sim/sysfs.h>

/* Statistics and console files are refreshed this often while enabled. */
#define TICK_NS			(200 * NSEC_PER_MSEC)

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hvsim [--board FILE] [-v] DIR\n"
		"Simulates an arm64 board with the hvctl hypervisor; serves\n"
		"DIR/sysfs (like /sys/devices/jailhouse) and DIR/control.sock\n"
		"until SIGTERM or SIGINT. DIR must be yours and not writable by\n"
		"others (e.g. from mktemp -d); one hvsim per DIR.\n"
		"  -b, --board FILE  board description (default: the shipped\n"
		"                    configs/sim/board.json)\n"
		"  -v, --verbose     copy the hypervisor's UART output to stderr\n"
		"  -h, --help        this text\n");
}

static void sig_fn(struct loop_fd *lfd, uint32_t events)
{
	struct sim_board *sb = (struct sim_board *)((char *)lfd -
		offsetof(struct sim_board, sig_lfd));
	struct signalfd_siginfo si;

	(void)events;
	while (read(lfd->fd, &si, sizeof(si)) == sizeof(si))
		sb->terminate = true;
}

static void tick_fn(struct loop_timer *t)
{
	struct sim_board *sb = (struct sim_board *)((char *)t -
		offsetof(struct sim_board, tick));
	uint64_t now = loop_now();

	if (!drv_enabled(sb))
		return;
	guest_root_tick(sb, now - sb->last_tick);
	sb->last_tick = now;
	sysfs_flush(sb);
	loop_timer_arm(&sb->loop, &sb->tick, now + TICK_NS);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char path[PATH_MAX], err[512];
	const char *board_path = NULL, *dir;
	struct sim_board *sb;
	struct board board;
	bool verbose = false;
	sigset_t mask;
	int c;

	while ((c = getopt_long(argc, argv, "b:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			board_path = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return 2;
	}
	dir = argv[optind];
	umask(022);

	if (!board_path) {
		board_path = board_default_path(path, sizeof(path));
		if (!board_path) {
			fprintf(stderr, "hvsim: no default board file (configs/sim/board.json next to the executable); use --board FILE\n");
			return 1;
		}
	}
	if (board_load(board_path, &board, err, sizeof(err))) {
		fprintf(stderr, "hvsim: %s\n", err);
		return 1;
	}
	sb = sim_board_new(&board);
	if (!sb) {
		fprintf(stderr, "hvsim: out of memory\n");
		return 1;
	}
	sb->verbose = verbose;
	/* 0750: the owner's group reads the board (the operator group). */
	if (simdir_open(&sb->dir, dir, 0750, err, sizeof(err))) {
		fprintf(stderr, "hvsim: %s\n", err);
		sim_board_free(sb);
		return 1;
	}

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	if (loop_init(&sb->loop) || drv_init(sb) || server_init(sb)) {
		fprintf(stderr, "hvsim: out of resources\n");
		hvsim_exit(sb, 1);
	}
	sb->sig_lfd.fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	sb->sig_lfd.fn = sig_fn;
	if (sb->sig_lfd.fd < 0 || loop_add_fd(&sb->loop, &sb->sig_lfd, EPOLLIN)) {
		fprintf(stderr, "hvsim: signalfd: %s\n", strerror(errno));
		hvsim_exit(sb, 1);
	}
	if (sysfs_init(sb) || server_listen(sb, dir))
		hvsim_exit(sb, 1);
	sb->tick.fn = tick_fn;

	while (!sb->terminate) {
		loop_run_once(&sb->loop, 0);
		server_process_queue(sb);
		if (drv_enabled(sb) && !loop_timer_armed(&sb->tick)) {
			sb->last_tick = loop_now();
			loop_timer_arm(&sb->loop, &sb->tick,
				       sb->last_tick + TICK_NS);
		}
	}
	hvsim_exit(sb, 0);
}
