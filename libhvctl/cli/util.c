// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Helpers shared by the hvctl commands: messages, option errors,
 * subcommand dispatch, atomic file output, JSON output, reading configs.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include <hvctl/config.h>
#include <hvctl/text.h>

/* Does the locale (as the environment sets it) speak UTF-8? */
static bool locale_utf8(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return strcasestr(v, "utf-8") || strcasestr(v, "utf8");
	}
	return false;
}

int cli_term_flags(int fd)
{
	static int cached[3] = { -2, -2, -2 };

	if (fd < 0 || fd > 2)
		return -1;
	if (cached[fd] == -2)
		cached[fd] = !isatty(fd) ? -1 :
			     locale_utf8() ? (int)HVCTL_SAN_KEEP_UTF8 : 0;
	return cached[fd];
}

static int vprint_safe(FILE *f, const char *fmt, va_list ap)
{
	int flags = cli_term_flags(fileno(f));
	char *text;
	int n;

	if (flags < 0)
		return vfprintf(f, fmt, ap);
	n = vasprintf(&text, fmt, ap);
	if (n < 0)
		return n;
	/* The sanitised text is never longer: it fits in place. */
	n = (int)hvctl_sanitize_name(text, (size_t)n + 1, text,
				     (unsigned int)flags | HVCTL_SAN_KEEP_LINES);
	fputs(text, f);
	free(text);
	return n;
}

int cli_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprint_safe(stdout, fmt, ap);
	va_end(ap);
	return n;
}

int cli_fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprint_safe(f, fmt, ap);
	va_end(ap);
	return n;
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("hvctl: ", stderr);
	va_start(ap, fmt);
	vprint_safe(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	cli_fprintf(stderr, "hvctl: %s: ", cmd);
	va_start(ap, fmt);
	vprint_safe(stderr, fmt, ap);
	va_end(ap);
	cli_fprintf(stderr, " (see 'hvctl %s --help')\n", cmd);
	return CLI_EXIT_USAGE;
}

int cli_option_error(const char *cmd, int opt, char **argv)
{
	/* getopt leaves the offending word just before optind. */
	const char *word = optind > 0 ? argv[optind - 1] : "?";

	if (opt == ':')
		return cli_usage_error(cmd, "option '%s' needs an argument",
				       word);
	if (optopt)
		return cli_usage_error(cmd, "unknown option '-%c'", optopt);
	return cli_usage_error(cmd, "unknown option '%s'", word);
}

int cli_getopt(struct cli_cmd *c, int argc, char **argv)
{
	int opt;

	/* Our messages replace getopt's. */
	opterr = 0;
	opt = getopt_long(argc, argv, c->shortopts, c->options, NULL);
	if (opt == -1)
		return 0;
	if (opt == 'h') {
		fputs(c->usage, stdout);
		c->status = CLI_EXIT_OK;
		return -1;
	}
	if (opt == '?' || opt == ':') {
		c->status = cli_option_error(c->name, opt, argv);
		return -1;
	}
	return opt;
}

int cli_operands(struct cli_cmd *c, int argc, char **argv, int min, int max,
		 const char *missing)
{
	int n = argc - optind;

	if (n < min) {
		c->status = cli_usage_error(c->name, "%s", missing);
		return c->status;
	}
	if (max >= 0 && n > max) {
		c->status = cli_usage_error(c->name, "unexpected argument '%s'",
					    argv[optind + max]);
		return c->status;
	}
	return 0;
}

static void list_subcommands(FILE *out, const char *group,
			     const struct cli_subcommand *subs,
			     size_t num_subs)
{
	size_t i;

	fprintf(out, "Usage: hvctl %s COMMAND [ARGS...]\n\nCommands:\n", group);
	for (i = 0; i < num_subs; i++)
		fprintf(out, "  %s %s\n      %s\n", subs[i].name, subs[i].args,
			subs[i].summary);
	fprintf(out, "\nEach command explains itself with --help, e.g. 'hvctl %s %s --help'.\n",
		group, num_subs ? subs[0].name : "COMMAND");
}

int cli_run_subcommand(struct cli *cli, const char *group,
		       const struct cli_subcommand *subs, size_t num_subs,
		       int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;
	size_t i;

	if (!name) {
		list_subcommands(stderr, group, subs, num_subs);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(name, "-h") || !strcmp(name, "--help") ||
	    !strcmp(name, "help")) {
		list_subcommands(stdout, group, subs, num_subs);
		return CLI_EXIT_OK;
	}
	for (i = 0; i < num_subs; i++) {
		if (strcmp(name, subs[i].name))
			continue;
		/* Subcommands parse their own options from scratch. */
		optind = 0;
		return subs[i].run(cli, argc - 1, argv + 1);
	}
	return cli_usage_error(group, "unknown command '%s'", name);
}

int cli_write_file(const char *path, const void *data, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	const char *p = data;
	char *tmp;
	int fd, err = 0;

	if (asprintf(&tmp, "%.*s.%s.XXXXXX", (int)dirlen, path,
		     slash ? slash + 1 : path) < 0) {
		cli_error("%s: out of memory", path);
		return -ENOMEM;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = -errno;
		cli_error("%s: cannot create a temporary file next to it: %s",
			  path, strerror(errno));
		free(tmp);
		return err;
	}
	while (size) {
		ssize_t n = write(fd, p, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		p += n;
		size -= (size_t)n;
	}
	/* mkstemp makes the file 0600; give it the mode a plain create would. */
	if (!err) {
		mode_t mask = umask(0);

		umask(mask);
		if (fchmod(fd, 0666 & ~mask) < 0)
			err = -errno;
	}
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err) {
		cli_error("%s: cannot write: %s", path, strerror(-err));
		unlink(tmp);
	}
	free(tmp);
	return err;
}

int cli_print_json(struct json_object *obj)
{
	const char *text = json_object_to_json_string_ext(obj,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE);
	char *clean;

	/* json-c passes bytes above 0x7f as they are: make it valid UTF-8. */
	clean = text ? hvctl_json_clean(text) : NULL;
	if (!clean) {
		cli_error("out of memory");
		return CLI_EXIT_REFUSED;
	}
	puts(clean);
	free(clean);
	return CLI_EXIT_OK;
}

int cli_load_config(const char *path, struct hvctl_config **out)
{
	struct hvctl_error err = { .msg = "" };
	int ret;

	ret = hvctl_config_read_file(out, path, &err);
	if (ret) {
		/* The library's message starts with the file name. */
		if (err.msg[0])
			cli_error("%s", err.msg);
		else
			cli_error("%s: %s", path, strerror(-ret));
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

int cli_exit_for_errno(int err)
{
	switch (err) {
	case -ENOTCONN:
	case -ECONNREFUSED:
	case -ENODEV:
	case -EHOSTDOWN:
		return CLI_EXIT_BACKEND;
	default:
		return CLI_EXIT_REFUSED;
	}
}
