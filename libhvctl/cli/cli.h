/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hvctl command-line tool: the command table and helpers shared by the
 * command files (cmd_*.c).
 *
 * Adding a top-level command "foo": write cmd_foo.c defining
 *   int cmd_foo(struct cli *cli, int argc, char **argv);
 * (argv[0] is "foo") and add one line X(foo, "...") to CLI_COMMANDS below;
 * the prototype, the dispatch entry and the help line follow from it.
 * A command with subcommands ("cell create") describes them in a table
 * of struct cli_subcommand and hands it to cli_run_subcommand().
 */
#ifndef HVCTL_CLI_H
#define HVCTL_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <getopt.h>
#include <stdio.h>

struct hvctl_config;
struct json_object;

/* Exit status of the whole tool (doc/hvctl.1, EXIT STATUS). */
#define CLI_EXIT_OK		0	/* done, or check found nothing */
#define CLI_EXIT_REFUSED	1	/* refused, failed, or check findings */
#define CLI_EXIT_USAGE		2	/* usage error or unreadable input */
#define CLI_EXIT_BACKEND	3	/* backend unreachable */

/* Global state of one invocation. */
struct cli {
	/* -c URI, or NULL: the library then takes $HVCTL_URI or its default. */
	const char *uri;
};

/* Top-level commands, in the order `hvctl --help` lists them. */
#define CLI_COMMANDS(X)							\
	X(enable, "enable the hypervisor with a system config")		\
	X(disable, "destroy all cells and disable the hypervisor")	\
	X(cell, "create, load, start, stop, destroy, list cells; statistics") \
	X(console, "print the hypervisor console or a cell's console")	\
	X(events, "print state changes and failures as they happen")	\
	X(config, "compile, decompile, check and show configurations")	\
	X(up, "bring the board up as a boot profile declares")		\
	X(down, "take a boot profile's cells and the hypervisor down")

#define CLI_DECLARE_COMMAND(name, summary)				\
	int cmd_##name(struct cli *cli, int argc, char **argv);
CLI_COMMANDS(CLI_DECLARE_COMMAND)
#undef CLI_DECLARE_COMMAND

/* A subcommand of a command group ("config compile"). */
struct cli_subcommand {
	const char *name;
	const char *args;	/* synopsis after the name */
	const char *summary;	/* one line for the group's help */
	int (*run)(struct cli *cli, int argc, char **argv);
};

/*
 * Run the subcommand named by argv[1] of group (argv[0] is the group's
 * name). "-h", "--help" and "help" list the subcommands on stdout; a
 * missing or unknown name is a usage error. Returns an exit status.
 */
int cli_run_subcommand(struct cli *cli, const char *group,
		       const struct cli_subcommand *subs, size_t num_subs,
		       int argc, char **argv);

/*
 * "hvctl: " + message + newline on stderr. Like everything the tool
 * prints, the message is neutralised when stderr is a terminal (see
 * cli_printf).
 */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The hvctl/text.h flags for text shown on fd (1 or 2): -1 when fd is no
 * terminal (text passes as it is), else HVCTL_SAN_KEEP_UTF8 when the
 * locale's character set is UTF-8, or 0.
 */
int cli_term_flags(int fd);

/*
 * printf to stdout for text that carries names from configs or cells:
 * on a terminal, escape sequences and control characters other than
 * newline and tab show as '?' (hvctl_sanitize_name), so a cell cannot
 * move the cursor or write the clipboard through its name.
 */
int cli_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_fprintf(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * One command's options, parsed by cli_getopt():
 *
 *	struct cli_cmd c = { "cell list", list_usage, ":jh", options };
 *
 *	while ((opt = cli_getopt(&c, argc, argv)) > 0)
 *		switch (opt) { case 'j': json = true; break; }
 *	if (opt < 0)
 *		return c.status;
 *	if (cli_operands(&c, argc, argv, 0, 0, NULL))
 *		return c.status;
 */
struct cli_cmd {
	const char *name;		/* "config compile", in messages */
	const char *usage;		/* printed for -h / --help */
	const char *shortopts;		/* getopt's, starting with ':' (or "+:") */
	const struct option *options;	/* getopt_long's */
	int status;			/* the exit status when done */
};

/*
 * The next option: its letter (val), 0 after the last one, or -1 when the
 * command is done: --help printed the usage (status CLI_EXIT_OK) or an
 * option was unknown or lacked its argument (message printed, status
 * CLI_EXIT_USAGE).
 */
int cli_getopt(struct cli_cmd *c, int argc, char **argv);

/*
 * Check the operands left after the options: at least min ("missing"
 * says what is missing, e.g. "no input file") and at most max (-1: no
 * limit; more is "unexpected argument 'X'"). 0, or nonzero with the
 * message printed and c->status set to CLI_EXIT_USAGE.
 */
int cli_operands(struct cli_cmd *c, int argc, char **argv, int min, int max,
		 const char *missing);

/*
 * Report a getopt failure of command cmd ("config compile") for the
 * option at argv[optind - 1] (opterr must be 0, optstring start with ':');
 * returns CLI_EXIT_USAGE.
 */
int cli_option_error(const char *cmd, int opt, char **argv);

/* A usage error of cmd with a pointer to its help; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Write data to path atomically (a temporary file in the same directory,
 * then rename). 0, or a negative errno after printing the reason.
 */
int cli_write_file(const char *path, const void *data, size_t size);

/*
 * Print obj on stdout as indented JSON and a newline (the tool's one JSON
 * style). Exit status; obj stays the caller's.
 */
int cli_print_json(struct json_object *obj);

/*
 * Read a .cell or .json config into *out (the caller frees it with
 * hvctl_config_free). Exit status; CLI_EXIT_USAGE after a message naming
 * the file when it cannot be read or parsed.
 */
int cli_load_config(const char *path, struct hvctl_config **out);

/*
 * Exit status for a negative errno of a runtime operation: backend
 * unreachable (-ENOTCONN, -ECONNREFUSED, -ENODEV, -EHOSTDOWN) gives
 * CLI_EXIT_BACKEND, anything else CLI_EXIT_REFUSED.
 */
int cli_exit_for_errno(int err);

#endif /* !HVCTL_CLI_H */
