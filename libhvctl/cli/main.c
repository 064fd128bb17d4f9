// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * hvctl: administer hvctl and Jailhouse hypervisors from scripts.
 *
 *   hvctl [-c URI] COMMAND [ARGS...]
 *
 * Global options come before the command; everything after the command
 * name belongs to the command (see cli.h for adding one).
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <hvabi/cell-config.h>

/* HVCTL_VERSION comes from the file VERSION, through the Makefile. */

struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(struct cli *cli, int argc, char **argv);
};

#define CLI_COMMAND_ENTRY(cmd, text) { #cmd, text, cmd_##cmd },
static const struct cli_command commands[] = {
	CLI_COMMANDS(CLI_COMMAND_ENTRY)
};
#undef CLI_COMMAND_ENTRY

#define NUM_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: hvctl [-c URI] COMMAND [ARGS...]\n"
		"\n"
		"Administer an hvctl or Jailhouse partitioning hypervisor.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < NUM_COMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out,
		"\n"
		"Options:\n"
		"  -c URI      backend for runtime commands: jailhouse: (the kernel\n"
		"              driver, default), jailhouse:DIR or sim:DIR (hvsim);\n"
		"              default: $HVCTL_URI\n"
		"  -h, --help  show this help\n"
		"  --version   show the version\n"
		"\n"
		"'hvctl COMMAND --help' describes a command. Exit status: 0 done,\n"
		"1 refused or findings, 2 usage error or unreadable input,\n"
		"3 backend unreachable.\n");
}

static const struct cli_command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NUM_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli cli = { .uri = NULL };
	const struct cli_command *cmd;
	int opt;

	/* '+': stop at the command name; its options are its own. */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:c:h", options, NULL)) != -1) {
		switch (opt) {
		case 'c':
			if (!*optarg) {
				cli_error("-c: the backend URI is empty");
				return CLI_EXIT_USAGE;
			}
			cli.uri = optarg;
			break;
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		case 'V':
			printf("hvctl %s (config revision %d)\n", HVCTL_VERSION,
			       HV_CONFIG_REVISION);
			return CLI_EXIT_OK;
		default:
			if (opt == ':')
				cli_error("option '%s' needs an argument (see 'hvctl --help')",
					  argv[optind - 1]);
			else if (optopt)
				cli_error("unknown option '-%c' (see 'hvctl --help')",
					  optopt);
			else
				cli_error("unknown option '%s' (see 'hvctl --help')",
					  argv[optind - 1]);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}

	/* "hvctl help [COMMAND]" is "hvctl [COMMAND] --help". */
	if (!strcmp(argv[optind], "help")) {
		char *help_argv[] = { NULL, "--help", NULL };

		if (optind + 1 >= argc) {
			usage(stdout);
			return CLI_EXIT_OK;
		}
		cmd = find_command(argv[optind + 1]);
		if (!cmd) {
			cli_error("unknown command '%s' (see 'hvctl --help')",
				  argv[optind + 1]);
			return CLI_EXIT_USAGE;
		}
		help_argv[0] = argv[optind + 1];
		optind = 0;
		return cmd->run(&cli, 2, help_argv);
	}

	cmd = find_command(argv[optind]);
	if (!cmd) {
		cli_error("unknown command '%s' (see 'hvctl --help')",
			  argv[optind]);
		return CLI_EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	optind = 0;
	return cmd->run(&cli, argc, argv);
}
