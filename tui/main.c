// SPDX-License-Identifier: MIT
/*
 * hvtop: the live operator console of the hvctl partitioning hypervisor.
 * Command line, then the interactive loop (app.c) or batch mode (batch.c).
 */
#include <errno.h>
#include <dirent.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: hvtop [OPTION]...\n"
		"Live console of the hvctl (Jailhouse-compatible) hypervisor: cells, CPUs,\n"
		"memory map, ivshmem links, consoles; create, load, start, stop, destroy.\n"
		"\n"
		"  -c, --connect URI     backend: jailhouse: (default), jailhouse:DIR, sim:DIR\n"
		"                        (default $HVCTL_URI)\n"
		"  -d, --delay SECS      refresh interval, 0.2 to 60 (default 2)\n"
		"  -b, --batch           print snapshots to stdout instead of a screen\n"
		"  -n, --iterations N    with -b: stop after N snapshots\n"
		"      --json            with -b: one JSON object per snapshot and line\n"
		"      --readonly        never change the system; hide those actions\n"
		"  -C, --no-color        no colours (also when NO_COLOR is set)\n"
		"      --ascii           ASCII instead of line-drawing characters\n"
		"      --theme NAME      colour theme (default, dark, light, high-contrast,\n"
		"                        mono, or a file path)\n"
		"      --list-themes     list the themes found and exit\n"
		"      --view NAME       start in dashboard, cells, cpus, memory, ivshmem,\n"
		"                        console or events (default: the last used, at\n"
		"                        first the dashboard)\n"
		"      --no-config       neither read nor write ~/.config/hvtop/config.json\n"
		"      --no-mouse        leave the mouse to the terminal (select, paste)\n"
		"      --demo[=BOARD]    start hvsim with demo cells and watch it; BOARD\n"
		"                        is a directory of configs/: sim (default), rk3588\n"
		"      --replay FILE     show a session recorded with -b --json, at its\n"
		"                        pace (p pauses, . steps, - and + speed); read-only\n"
		"  -h, --help            this text\n"
		"\n"
		"Keys: ? or F1 shows the keys of the current view. See hvtop(1).\n");
}

static int parse_delay(const char *arg, unsigned int *ms)
{
	char *end;
	double sec;

	errno = 0;
	sec = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(sec) ||
	    sec * 1000.0 < TUI_REFRESH_MIN_MS - 0.5 || sec * 1000.0 > TUI_REFRESH_MAX_MS + 0.5) {
		fprintf(stderr, "hvtop: -d: \"%s\" is not a number of seconds from %.1f to %d\n",
			arg, TUI_REFRESH_MIN_MS / 1000.0, TUI_REFRESH_MAX_MS / 1000);
		return -EINVAL;
	}
	*ms = (unsigned int)lround(sec * 1000.0);
	return 0;
}

static int list_themes(void)
{
	char exe[TUI_PATH_MAX], dirs[6][TUI_PATH_MAX];
	size_t n, i;

	if (tui_exe_dir(exe, sizeof(exe)))
		exe[0] = '\0';
	n = tui_theme_dirs(dirs, 6, exe[0] ? exe : NULL);
	if (!n) {
		printf("no theme directory found; the built-in default and mono themes remain\n");
		return 0;
	}
	for (i = 0; i < n; i++) {
		struct dirent **list = NULL;
		int k, m = scandir(dirs[i], &list, NULL, alphasort);

		printf("%s:\n", dirs[i]);
		for (k = 0; k < m; k++) {
			size_t len = strlen(list[k]->d_name);

			if (len > 6 && !strcmp(list[k]->d_name + len - 6, ".theme"))
				printf("  %.*s\n", (int)(len - 6), list[k]->d_name);
			free(list[k]);
		}
		free(list);
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_READONLY, OPT_ASCII, OPT_THEME, OPT_LIST_THEMES,
	       OPT_VIEW, OPT_NO_CONFIG, OPT_DEMO, OPT_NO_MOUSE, OPT_REPLAY };
	static const struct option longopts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "delay", required_argument, NULL, 'd' },
		{ "batch", no_argument, NULL, 'b' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "readonly", no_argument, NULL, OPT_READONLY },
		{ "no-color", no_argument, NULL, 'C' },
		{ "no-colour", no_argument, NULL, 'C' },
		{ "ascii", no_argument, NULL, OPT_ASCII },
		{ "theme", required_argument, NULL, OPT_THEME },
		{ "list-themes", no_argument, NULL, OPT_LIST_THEMES },
		{ "view", required_argument, NULL, OPT_VIEW },
		{ "no-config", no_argument, NULL, OPT_NO_CONFIG },
		{ "no-mouse", no_argument, NULL, OPT_NO_MOUSE },
		{ "demo", optional_argument, NULL, OPT_DEMO },
		{ "replay", required_argument, NULL, OPT_REPLAY },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tui_options opts = { 0 };
	const char *nc = getenv("NO_COLOR");
	static struct tui_app app;
	char err[1024] = "";
	char *end;
	int c, ret;

	/* https://no-color.org: any non-empty value. */
	opts.no_color = nc && nc[0];
	while ((c = getopt_long(argc, argv, "c:d:bn:Ch", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			opts.uri = optarg;
			break;
		case 'd':
			if (parse_delay(optarg, &opts.refresh_ms))
				return 2;
			break;
		case 'b':
			opts.batch = true;
			break;
		case 'n':
			errno = 0;
			opts.iterations = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || opts.iterations < 1) {
				fprintf(stderr, "hvtop: -n: \"%s\" is not a positive count\n", optarg);
				return 2;
			}
			break;
		case OPT_JSON:
			opts.json = true;
			break;
		case OPT_READONLY:
			opts.readonly = true;
			break;
		case 'C':
			opts.no_color = true;
			break;
		case OPT_ASCII:
			opts.ascii = true;
			break;
		case OPT_THEME:
			opts.theme = optarg;
			break;
		case OPT_LIST_THEMES:
			return list_themes();
		case OPT_VIEW:
			if (tui_view_from_name(optarg) < 0) {
				fprintf(stderr, "hvtop: --view: \"%s\" is not one of dashboard, cells, cpus, "
					"memory, ivshmem, console, events\n", optarg);
				return 2;
			}
			opts.view = optarg;
			break;
		case OPT_NO_MOUSE:
			opts.no_mouse = true;
			break;
		case OPT_NO_CONFIG:
			opts.no_config = true;
			break;
		case OPT_DEMO:
			opts.demo = true;
			opts.demo_board = optarg;
			break;
		case OPT_REPLAY:
			opts.replay = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "hvtop: unexpected argument \"%s\"\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if ((opts.json || opts.iterations) && !opts.batch) {
		fprintf(stderr, "hvtop: %s only goes with -b\n", opts.json ? "--json" : "-n");
		return 2;
	}
	if (opts.demo && (opts.batch || opts.uri)) {
		fprintf(stderr, "hvtop: --demo starts its own board; it takes neither -b nor -c\n");
		return 2;
	}
	if (opts.replay && (opts.batch || opts.uri || opts.demo)) {
		fprintf(stderr, "hvtop: --replay shows a recording; it takes neither -b, -c "
			"nor --demo\n");
		return 2;
	}
	tui_install_stop_signals();
	if (opts.batch)
		return tui_batch_run(&opts);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "hvtop: %s needs a terminal on stdin and stdout; "
			"-b prints snapshots without one\n", opts.demo ? "--demo" :
			opts.replay ? "--replay" : "hvtop");
		return 2;
	}

	ret = tui_app_init(&app, &opts, err, sizeof(err));
	if (!ret)
		ret = tui_app_run(&app);
	tui_app_fini(&app);
	if (ret) {
		fprintf(stderr, "hvtop: %s\n", err[0] ? err : strerror(-ret));
		return 1;
	}
	if (tui_stop_signal && tui_stop_signal != SIGINT)
		return 128 + tui_stop_signal;
	return 0;
}
