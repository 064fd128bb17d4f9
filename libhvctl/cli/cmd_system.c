// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * hvctl enable SYSCONFIG / hvctl disable, and the helpers every runtime
 * command shares (cli_runtime.h).
 */
#include "cli_runtime.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

int cli_rt_open(struct cli *cli, const char *op, struct hvctl_ctx **ctx)
{
	struct hvctl_error err = { .msg = "" };
	int ret;

	ret = hvctl_open(ctx, cli->uri, &err);
	if (ret) {
		cli_error("%s: %s", op, err.msg[0] ? err.msg : strerror(-ret));
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

int cli_rt_fail(struct hvctl_ctx *ctx, const char *op, const char *who,
		int err)
{
	const char *msg = hvctl_errmsg(ctx);

	if (!msg[0])
		msg = strerror(-err);
	if (who && *who)
		cli_error("%s %s: %s (%s)", op, who, msg, strerror(-err));
	else
		cli_error("%s: %s (%s)", op, msg, strerror(-err));
	return hvctl_backend_unreachable(ctx) ? CLI_EXIT_BACKEND :
						CLI_EXIT_REFUSED;
}

int cli_rt_cell_ref(const char *op, const char *text, bool by_name,
		    struct hvctl_cell_ref *ref)
{
	struct hvctl_error err = { .msg = "" };
	int ret;

	ret = by_name ? hvctl_cell_ref_name(ref, text, &err) :
			hvctl_cell_ref_parse(ref, text, &err);
	if (ret)
		return cli_usage_error(op, "%s", err.msg);
	return CLI_EXIT_OK;
}

/*
 * Only -h/--help: these commands take positional arguments alone, `nargs`
 * of them (`missing` says what lacks).
 */
static int help_only(const char *op, const char *usage, int argc, char **argv,
		     int nargs, const char *missing, bool *done)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_cmd cmd = { op, usage, "+:h", options, 0 };

	/* 'h' is the only option, so anything returned ends the command. */
	*done = cli_getopt(&cmd, argc, argv) < 0 ||
		cli_operands(&cmd, argc, argv, nargs, nargs, missing);
	return *done ? cmd.status : CLI_EXIT_OK;
}

static const char enable_usage[] =
	"Usage: hvctl enable SYSCONFIG\n"
	"\n"
	"Enable the hypervisor with a system configuration (.cell or .json; JSON\n"
	"is compiled in memory). The config is recorded in the registry so that\n"
	"later snapshots can show it.\n";

int cmd_enable(struct cli *cli, int argc, char **argv)
{
	struct hvctl_config *config;
	struct hvctl_ctx *ctx;
	bool done;
	int ret;

	ret = help_only("enable", enable_usage, argc, argv, 1,
			"expected one system config", &done);
	if (done)
		return ret;
	ret = cli_load_config(argv[optind], &config);
	if (ret)
		return ret;
	if (!config->is_system) {
		cli_error("enable: %s is a cell config, not a system config",
			  argv[optind]);
		hvctl_config_free(config);
		return CLI_EXIT_USAGE;
	}
	ret = cli_rt_open(cli, "enable", &ctx);
	if (ret) {
		hvctl_config_free(config);
		return ret;
	}
	ret = hvctl_enable(ctx, config);
	if (ret)
		ret = cli_rt_fail(ctx, "enable", argv[optind], ret);
	hvctl_config_free(config);
	hvctl_close(ctx);
	return ret;
}

static const char disable_usage[] =
	"Usage: hvctl disable\n"
	"\n"
	"Destroy every non-root cell and disable the hypervisor.\n";

int cmd_disable(struct cli *cli, int argc, char **argv)
{
	struct hvctl_ctx *ctx;
	bool done;
	int ret;

	ret = help_only("disable", disable_usage, argc, argv, 0, NULL, &done);
	if (done)
		return ret;
	ret = cli_rt_open(cli, "disable", &ctx);
	if (ret)
		return ret;
	ret = hvctl_disable(ctx);
	if (ret)
		ret = cli_rt_fail(ctx, "disable", NULL, ret);
	hvctl_close(ctx);
	return ret;
}
