// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * hvctl up PROFILE / hvctl up --dry-run PROFILE / hvctl down PROFILE: boot
 * profiles (doc/profiles.md); the work is libhvctl's profile module.
 */
#include "cli_runtime.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char up_usage[] =
	"Usage: hvctl up [-n | --dry-run] [-q] PROFILE\n"
	"\n"
	"Bring the board to the state a boot profile declares: enable the\n"
	"hypervisor with its system config, then create, load and start its\n"
	"cells in order, each with its health check. When a step fails, the\n"
	"cells created so far are destroyed and a hypervisor this command\n"
	"enabled is disabled again; the message names the step and the reason.\n"
	"\n"
	"  -n, --dry-run   check the profile and its configs and images against\n"
	"                  each other, without touching the board\n"
	"  -q, --quiet     print no progress lines\n";

static const char down_usage[] =
	"Usage: hvctl down [-q] PROFILE\n"
	"\n"
	"Destroy the profile's cells in reverse order, then disable the\n"
	"hypervisor (which destroys any other cell too).\n"
	"\n"
	"  -q, --quiet     print no progress lines\n";

static void progress(void *arg, const char *line)
{
	/* Cell names come from configs: neutralised on a terminal. */
	cli_printf("%s: %s\n", (const char *)arg, line);
	fflush(stdout);
}

static int load_profile(const char *op, const char *path,
			struct hvctl_profile **out)
{
	struct hvctl_error err = { .msg = "" };
	int ret;

	ret = hvctl_profile_read(out, path, &err);
	if (ret) {
		cli_error("%s: %s", op, err.msg[0] ? err.msg : strerror(-ret));
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

static int dry_run(const struct hvctl_profile *profile)
{
	struct hvctl_findings *f;
	size_t k;
	int ret;

	ret = hvctl_profile_check(profile, &f);
	if (ret) {
		cli_error("up --dry-run: %s: %s", profile->path, strerror(-ret));
		return CLI_EXIT_REFUSED;
	}
	for (k = 0; k < f->count; k++)
		cli_printf("%s: %s\n", f->items[k].file, f->items[k].message);
	cli_printf("%s: %zu cell%s, %zu finding%s\n", profile->path,
	       profile->num_cells, profile->num_cells == 1 ? "" : "s",
	       f->count, f->count == 1 ? "" : "s");
	ret = f->count ? CLI_EXIT_REFUSED : CLI_EXIT_OK;
	hvctl_findings_free(f);
	return ret;
}

static int up_down(struct cli *cli, int argc, char **argv, bool up)
{
	static const struct option options[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *op = up ? "up" : "down";
	struct cli_cmd cmd = { op, up ? up_usage : down_usage,
			       up ? "+:nqh" : "+:qh", options, 0 };
	struct hvctl_profile *profile;
	struct hvctl_ctx *ctx;
	bool dry = false, quiet = false;
	int opt, ret;

	while ((opt = cli_getopt(&cmd, argc, argv)) > 0) {
		switch (opt) {
		case 'n':
			/* Only --dry-run gets here for down: -n is not its. */
			if (!up)
				return cli_usage_error(op, "--dry-run is an option of 'up'");
			dry = true;
			break;
		case 'q':
			quiet = true;
			break;
		}
	}
	if (opt < 0)
		return cmd.status;
	if (cli_operands(&cmd, argc, argv, 1, 1, "expected one profile"))
		return cmd.status;
	ret = load_profile(op, argv[optind], &profile);
	if (ret)
		return ret;
	if (dry) {
		ret = dry_run(profile);
		hvctl_profile_free(profile);
		return ret;
	}
	ret = cli_rt_open(cli, op, &ctx);
	if (ret) {
		hvctl_profile_free(profile);
		return ret;
	}
	ret = (up ? hvctl_profile_up : hvctl_profile_down)(ctx, profile,
		quiet ? NULL : progress, (void *)op);
	if (ret)
		ret = cli_rt_fail(ctx, op, profile->path, ret);
	hvctl_close(ctx);
	hvctl_profile_free(profile);
	return ret;
}

int cmd_up(struct cli *cli, int argc, char **argv)
{
	return up_down(cli, argc, argv, true);
}

int cmd_down(struct cli *cli, int argc, char **argv)
{
	return up_down(cli, argc, argv, false);
}
