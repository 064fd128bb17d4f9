// SPDX-License-Identifier: MIT
/*
 * The 256-CPU board with 63 cells shared by bench_snapshot and
 * bench_hvtop (bench_board.h).
 */
#include "bench_board.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hvctl/hvctl.h>

void bench_board_stop(struct bench_board *b)
{
	char cmd[128];

	if (b->hvsim_pid > 0) {
		kill(b->hvsim_pid, SIGTERM);
		waitpid(b->hvsim_pid, NULL, 0);
		b->hvsim_pid = -1;
	}
	if (b->dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", b->dir);
		if (system(cmd))
			fprintf(stderr, "%s: could not remove %s\n", b->prog,
				b->dir);
		b->dir[0] = '\0';
	}
}

void bench_die(struct bench_board *b, const char *what)
{
	fprintf(stderr, "%s: %s\n", b->prog, what);
	bench_board_stop(b);
	exit(1);
}

/* BUILD/bench/PROG -> BUILD */
static void find_build(struct bench_board *b)
{
	char exe[PATH_MAX];
	ssize_t len;

	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len <= 0)
		bench_die(b, "cannot find myself");
	exe[len] = '\0';
	*strrchr(exe, '/') = '\0';
	*strrchr(exe, '/') = '\0';
	snprintf(b->build, sizeof(b->build), "%s", exe);
}

/*
 * The default sim board's devices, but 256 CPUs, so the GIC
 * redistributors (128 KiB each) move above the UART.
 */
static void write_board(struct bench_board *b)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/board.json", b->dir);
	f = fopen(path, "w");
	if (!f)
		bench_die(b, "cannot write the board file");
	fprintf(f, "{ \"name\": \"bench-256\", \"cpus\": %d,\n"
		"  \"ram\": [ { \"start\": \"0x40000000\", \"size\": \"0x40000000\" } ],\n"
		"  \"gic\": { \"version\": 3,\n"
		"           \"gicd\": { \"start\": \"0x08000000\", \"size\": \"0x10000\" },\n"
		"           \"gicr\": { \"start\": \"0x0a000000\", \"size\": \"0x%x\" } },\n"
		"  \"uart\": { \"type\": \"pl011\", \"start\": \"0x09000000\", \"size\": \"0x1000\", \"irq\": 33 },\n"
		"  \"pci\": { \"ecam\": \"0x08e00000\", \"end_bus\": 0, \"domain\": 1 },\n"
		"  \"root_activity\": 100 }\n",
		BENCH_NUM_CPUS, BENCH_NUM_CPUS * 0x20000);
	if (fclose(f))
		bench_die(b, "cannot write the board file");
}

static void start_hvsim(struct bench_board *b, bool quiet)
{
	char bin[PATH_MAX + 8], board[PATH_MAX], sock[PATH_MAX];
	struct stat st;
	int i;

	snprintf(bin, sizeof(bin), "%s/hvsim", b->build);
	snprintf(board, sizeof(board), "%s/board.json", b->dir);
	snprintf(sock, sizeof(sock), "%s/control.sock", b->dir);
	b->hvsim_pid = fork();
	if (b->hvsim_pid < 0)
		bench_die(b, "fork");
	if (!b->hvsim_pid) {
		if (quiet) {
			int null = open("/dev/null", O_WRONLY);

			if (null >= 0)
				dup2(null, STDERR_FILENO);
		}
		execl(bin, bin, "--board", board, b->dir, (char *)NULL);
		_exit(127);
	}
	/* control.sock appearing means ready (PROTOCOL.md §1). */
	for (i = 0; i < 1000; i++) {
		struct timespec ts = { 0, 10000000 };

		if (!stat(sock, &st))
			return;
		if (waitpid(b->hvsim_pid, NULL, WNOHANG) == b->hvsim_pid) {
			b->hvsim_pid = -1;
			bench_die(b, "hvsim exited during start-up");
		}
		nanosleep(&ts, NULL);
	}
	bench_die(b, "hvsim did not create control.sock within 10 s");
}

void bench_board_start(struct bench_board *b, const char *prog, bool quiet)
{
	b->prog = prog;
	b->hvsim_pid = -1;
	b->dir[0] = '\0';
	find_build(b);
	snprintf(b->dir, sizeof(b->dir), "/tmp/%s-XXXXXX", prog);
	if (!mkdtemp(b->dir)) {
		b->dir[0] = '\0';
		bench_die(b, "mkdtemp");
	}
	snprintf(b->uri, sizeof(b->uri), "sim:%s", b->dir);
	write_board(b);
	start_hvsim(b, quiet);
}

static struct hvctl_config *parse(struct bench_board *b, const char *text,
				  const char *name)
{
	struct hvctl_config *c;
	struct hvctl_error err = { "" };

	if (hvctl_config_parse_json(&c, text, name, &err)) {
		fprintf(stderr, "%s: %s\n", b->prog, err.msg);
		bench_die(b, "generated config refused");
	}
	return c;
}

/*
 * The root cell keeps the UART and its RAM; the GIC and ECAM windows are
 * the hypervisor's, which refuses root regions over them.
 */
static struct hvctl_config *system_config(struct bench_board *b)
{
	char text[2048];

	snprintf(text, sizeof(text),
		 "{ \"type\": \"system\", \"architecture\": \"arm64\",\n"
		 "  \"flags\": [\"virtual_debug_console\"],\n"
		 "  \"hypervisor_memory\": { \"phys_start\": \"0x7f000000\", \"size\": \"16M\" },\n"
		 "  \"debug_console\": { \"address\": \"0x09000000\", \"size\": \"4K\",\n"
		 "      \"type\": \"pl011\", \"flags\": [\"access_mmio\", \"regdist_4\"] },\n"
		 "  \"platform_info\": { \"pci_mmconfig_base\": \"0x08e00000\",\n"
		 "      \"pci_mmconfig_end_bus\": 0, \"pci_is_virtual\": 1, \"pci_domain\": 1,\n"
		 "      \"arm\": { \"maintenance_irq\": 25, \"gic_version\": 3,\n"
		 "               \"gicd_base\": \"0x08000000\", \"gicr_base\": \"0x0a000000\" } },\n"
		 "  \"root_cell\": { \"name\": \"bench-root\", \"cpu_set\": \"0-%d\",\n"
		 "      \"memory_regions\": [\n"
		 "        { \"phys_start\": \"0x09000000\", \"virt_start\": \"0x09000000\",\n"
		 "          \"size\": \"4K\", \"flags\": [\"read\", \"write\", \"io\"] },\n"
		 "        { \"phys_start\": \"0x40000000\", \"virt_start\": \"0x40000000\",\n"
		 "          \"size\": \"0x3f000000\", \"flags\": [\"read\", \"write\", \"execute\"] } ],\n"
		 "      \"irqchips\": [ { \"address\": \"0x08000000\", \"pin_base\": 32,\n"
		 "                      \"interrupts\": \"32-159\" } ] } }\n",
		 BENCH_NUM_CPUS - 1);
	return parse(b, text, "bench system");
}

/* Cell n (1..63): 4 CPUs after the root cell's, 1 MiB of RAM, a comm region. */
static struct hvctl_config *cell_config(struct bench_board *b, int n)
{
	char text[1024], name[32];
	int first = BENCH_ROOT_CPUS + (n - 1) * BENCH_CELL_CPUS;

	snprintf(name, sizeof(name), "bench-%02d", n);
	snprintf(text, sizeof(text),
		 "{ \"type\": \"cell\", \"architecture\": \"arm64\", \"name\": \"%s\",\n"
		 "  \"flags\": [\"passive_commreg\"], \"cpu_set\": \"%d-%d\",\n"
		 "  \"memory_regions\": [\n"
		 "    { \"phys_start\": \"0x%x\", \"virt_start\": 0, \"size\": \"1M\",\n"
		 "      \"flags\": [\"read\", \"write\", \"execute\", \"loadable\"] },\n"
		 "    { \"virt_start\": \"0x80000000\", \"size\": \"4K\",\n"
		 "      \"flags\": [\"read\", \"write\", \"comm_region\"] } ] }\n",
		 name, first, first + BENCH_CELL_CPUS - 1,
		 0x60000000 + (n - 1) * 0x100000);
	return parse(b, text, name);
}

void bench_board_populate(struct bench_board *b)
{
	struct hvctl_config *c;
	struct hvctl_ctx *ctx;
	int n;

	if (hvctl_open(&ctx, b->uri, NULL))
		bench_die(b, "hvctl_open");
	c = system_config(b);
	if (hvctl_enable(ctx, c)) {
		fprintf(stderr, "%s: enable: %s\n", b->prog, hvctl_errmsg(ctx));
		hvctl_config_free(c);
		hvctl_close(ctx);
		bench_die(b, "enable failed");
	}
	hvctl_config_free(c);
	for (n = 1; n < BENCH_NUM_CELLS; n++) {
		c = cell_config(b, n);
		if (hvctl_cell_create(ctx, c, NULL)) {
			fprintf(stderr, "%s: create bench-%02d: %s\n", b->prog,
				n, hvctl_errmsg(ctx));
			hvctl_config_free(c);
			hvctl_close(ctx);
			bench_die(b, "create failed");
		}
		hvctl_config_free(c);
	}
	hvctl_close(ctx);
}
