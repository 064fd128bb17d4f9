// SPDX-License-Identifier: MIT
/*
 * The whole-process cost of `hvctl cell list` on the big board (hvsim
 * with 256 CPUs: the root cell and 63 cells of 4 CPUs each), read as a
 * jailhouse:DIR tree, the shape of /sys/devices/jailhouse read through the
 * kernel transport. System calls are counted by `strace -f -c`,
 * instructions by `valgrind --tool=callgrind`, both for the whole
 * process, next to two floors: upstream Jailhouse's C `jailhouse cell
 * list` on the same board (1,065 system calls, 0.70 M instructions, as
 * measured for issue 10) and `hvctl --version`, which is what starting
 * the process costs before any cell is read.
 *
 *   bench_cell_list
 *
 * Figures only; nothing is asserted about cost.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_board.h"

/* Upstream's `jailhouse cell list` on this board (issue 10). */
#define UPSTREAM_SYSCALLS	1065
#define UPSTREAM_MINSTR		0.70

static struct bench_board board;

struct cost {
	long syscalls;		/* -1: not measured */
	double minstr;		/* millions; < 0: not measured */
};

static bool have(const char *tool)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

/* The number after key on the line of file that contains key, or -1. */
static double number_after(const char *path, const char *key, bool last_field)
{
	char line[512];
	double v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, key);
		double a, b, c, d;

		if (!p)
			continue;
		if (last_field) {
			/* strace -c: "100.00 secs usecs/call calls errors total" */
			if (sscanf(line, "%lf %lf %lf %lf", &a, &b, &c, &d) == 4)
				v = d;
		} else {
			char digits[64];
			size_t n = 0;

			/* callgrind: "Collected : 1,234,567" */
			for (p += strlen(key); *p && n + 1 < sizeof(digits); p++)
				if (*p >= '0' && *p <= '9')
					digits[n++] = *p;
			digits[n] = '\0';
			if (n)
				v = strtod(digits, NULL);
		}
	}
	fclose(f);
	return v;
}

static void measure(const char *args, struct cost *c)
{
	char cmd[PATH_MAX * 3], out[PATH_MAX];

	c->syscalls = -1;
	c->minstr = -1;
	snprintf(out, sizeof(out), "%s/measure.txt", board.dir);
	if (have("strace")) {
		snprintf(cmd, sizeof(cmd),
			 "strace -f -c -o '%s' '%s/hvctl' %s >/dev/null 2>&1",
			 out, board.build, args);
		if (system(cmd) == 0)
			c->syscalls = (long)number_after(out, "total", true);
	}
	if (have("valgrind")) {
		snprintf(cmd, sizeof(cmd),
			 "valgrind --tool=callgrind --callgrind-out-file=/dev/null "
			 "'%s/hvctl' %s >/dev/null 2>'%s'",
			 board.build, args, out);
		if (system(cmd) == 0)
			c->minstr = number_after(out, "Collected :", false) / 1e6;
	}
}

static void row(const char *what, long syscalls, double minstr)
{
	char s[32] = "not measured", m[32] = "not measured";

	if (syscalls >= 0)
		snprintf(s, sizeof(s), "%ld", syscalls);
	if (minstr >= 0)
		snprintf(m, sizeof(m), "%.3f M", minstr);
	printf("  %-44s %14s %16s\n", what, s, m);
}

/* The table must list every cell, or the figures mean nothing. */
static int count_rows(const char *args)
{
	char cmd[PATH_MAX * 3], line[512];
	int rows = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "'%s/hvctl' %s", board.build, args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p))
		rows++;
	if (pclose(p))
		return -1;
	return rows - 1;	/* the header */
}

int main(void)
{
	struct cost list, version;
	char args[PATH_MAX + 64];
	int rows;

	bench_board_start(&board, "bench_cell_list", true);
	bench_board_populate(&board);
	snprintf(args, sizeof(args), "-c 'jailhouse:%s/sysfs' cell list",
		 board.dir);
	rows = count_rows(args);
	if (rows != BENCH_NUM_CELLS) {
		fprintf(stderr, "bench_cell_list: hvctl cell list printed %d cells, not %d\n",
			rows, BENCH_NUM_CELLS);
		bench_die(&board, "wrong listing");
	}
	measure(args, &list);
	measure("--version", &version);

	printf("hvctl cell list, whole process: %d cells on %d CPUs, a jailhouse:DIR tree\n",
	       BENCH_NUM_CELLS, BENCH_NUM_CPUS);
	printf("  %-44s %14s %16s\n", "", "system calls", "instructions");
	row("hvctl cell list", list.syscalls, list.minstr);
	row("floor: upstream jailhouse cell list", UPSTREAM_SYSCALLS,
	    UPSTREAM_MINSTR);
	row("floor: hvctl --version (starting the process)",
	    version.syscalls, version.minstr);
	if (list.syscalls >= 0 && version.syscalls >= 0 && list.minstr >= 0 &&
	    version.minstr >= 0)
		printf("  reading and printing the cells: %ld system calls, %.3f M instructions\n",
		       list.syscalls - version.syscalls,
		       list.minstr - version.minstr);
	bench_board_stop(&board);
	return 0;
}
