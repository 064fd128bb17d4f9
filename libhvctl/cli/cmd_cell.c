// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * hvctl cell: create, load, start, shutdown (stop), destroy, list, stats.
 *
 * Shapes follow upstream's jailhouse tool: CELL is an ID or a name
 * ("--name NAME" forces a name), images are files or -s strings (with
 * their trailing NUL), each optionally followed by -a ADDR.
 *
 * Output formats of list and stats (--json, --prometheus) are documented
 * in doc/hvctl.1 and kept stable: fields may be added, never renamed.
 */
#include "cli_runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


/* Parse the optional "--name" before CELL; returns the index of CELL. */
static int cell_arg(const char *op, int argc, char **argv, int i,
		    struct hvctl_cell_ref *ref, int *status)
{
	bool by_name = false;

	if (i < argc && !strcmp(argv[i], "--name")) {
		by_name = true;
		i++;
	}
	if (i >= argc) {
		*status = cli_usage_error(op, "no cell given (an ID or a name)");
		return -1;
	}
	*status = cli_rt_cell_ref(op, argv[i], by_name, ref);
	return *status ? -1 : i + 1;
}

static bool is_help(int argc, char **argv)
{
	return argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"));
}

/* ---- create ---- */

static const char create_usage[] =
	"Usage: hvctl cell create CONFIG\n"
	"\n"
	"Create a cell from a cell config (.cell, or .json compiled in memory).\n"
	"Its CPUs, memory and devices move from the root cell to it; it starts\n"
	"in state 'shut down'. The config is recorded in the registry.\n";

static int cell_create(struct cli *cli, int argc, char **argv)
{
	struct hvctl_config *config;
	struct hvctl_ctx *ctx;
	char name[HVCTL_CELL_NAME_MAX + 1];
	int ret, id;

	if (is_help(argc, argv)) {
		fputs(create_usage, stdout);
		return CLI_EXIT_OK;
	}
	if (argc != 2)
		return cli_usage_error("cell create", "expected one cell config");
	ret = cli_load_config(argv[1], &config);
	if (ret)
		return ret;
	if (config->is_system) {
		cli_error("cell create: %s is a system config, not a cell config",
			  argv[1]);
		hvctl_config_free(config);
		return CLI_EXIT_USAGE;
	}
	memcpy(name, config->cell->name, HVCTL_CELL_NAME_MAX);
	name[HVCTL_CELL_NAME_MAX] = '\0';
	ret = cli_rt_open(cli, "cell create", &ctx);
	if (ret) {
		hvctl_config_free(config);
		return ret;
	}
	ret = hvctl_cell_create(ctx, config, &id);
	if (ret)
		ret = cli_rt_fail(ctx, "cell create", name, ret);
	hvctl_config_free(config);
	hvctl_close(ctx);
	return ret;
}

/* ---- load ---- */

static const char load_usage[] =
	"Usage: hvctl cell load CELL {IMAGE | -s STRING} [-a ADDR]\n"
	"                         [{IMAGE | -s STRING} [-a ADDR]]...\n"
	"\n"
	"Stop the cell and load images into its loadable memory, in order (later\n"
	"images overwrite earlier ones where they overlap). CELL is an ID or a\n"
	"name (--name NAME forces a name).\n"
	"\n"
	"  IMAGE                 a file\n"
	"  -s, --string STRING   the string and its terminating NUL\n"
	"  -a, --address ADDR    load address of the preceding image in the cell\n"
	"                        (decimal, 0x hex or 0 octal; default 0)\n";

struct image_buf {
	char *data;
	size_t size;
	char *label;
};

static int read_image(const char *path, struct image_buf *img)
{
	struct stat st;
	size_t done = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		cli_error("cell load: %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return CLI_EXIT_USAGE;
	}
	if (!S_ISREG(st.st_mode)) {
		cli_error("cell load: %s: not a regular file", path);
		close(fd);
		return CLI_EXIT_USAGE;
	}
	img->size = (size_t)st.st_size;
	img->data = malloc(img->size ? img->size : 1);
	if (!img->data) {
		close(fd);
		cli_error("cell load: %s: out of memory", path);
		return CLI_EXIT_REFUSED;
	}
	while (done < img->size) {
		ssize_t n = read(fd, img->data + done, img->size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			cli_error("cell load: %s: %s", path,
				  n < 0 ? strerror(errno) : "file shrank while reading");
			close(fd);
			return CLI_EXIT_USAGE;
		}
		done += (size_t)n;
	}
	close(fd);
	return CLI_EXIT_OK;
}

static int parse_addr(const char *text, uint64_t *addr)
{
	char *end;

	if (!*text || *text == '-')
		return -EINVAL;
	errno = 0;
	*addr = strtoull(text, &end, 0);
	return *end || errno ? -EINVAL : 0;
}

static int cell_load(struct cli *cli, int argc, char **argv)
{
	struct hvctl_cell_ref ref;
	struct image_buf *bufs = NULL;
	struct hvctl_image *images = NULL;
	struct hvctl_ctx *ctx = NULL;
	size_t n = 0, nbufs = 0, i;
	char who[48];
	int ret, a;

	if (is_help(argc, argv)) {
		fputs(load_usage, stdout);
		return CLI_EXIT_OK;
	}
	a = cell_arg("cell load", argc, argv, 1, &ref, &ret);
	if (a < 0)
		return ret;
	if (a >= argc)
		return cli_usage_error("cell load", "no image given");
	/* At most one image per remaining word. */
	nbufs = (size_t)(argc - a);
	bufs = calloc(nbufs, sizeof(*bufs));
	images = calloc(nbufs, sizeof(*images));
	if (!bufs || !images) {
		cli_error("cell load: out of memory");
		ret = CLI_EXIT_REFUSED;
		goto out;
	}
	for (; a < argc; a++) {
		const char *w = argv[a];

		if (!strcmp(w, "-a") || !strcmp(w, "--address")) {
			if (!n) {
				ret = cli_usage_error("cell load", "%s before any image", w);
				goto out;
			}
			if (a + 1 >= argc) {
				ret = cli_usage_error("cell load", "%s needs an address", w);
				goto out;
			}
			if (parse_addr(argv[++a], &images[n - 1].address)) {
				ret = cli_usage_error("cell load", "invalid address '%s'",
						      argv[a]);
				goto out;
			}
			continue;
		}
		if (!strcmp(w, "-s") || !strcmp(w, "--string")) {
			if (a + 1 >= argc) {
				ret = cli_usage_error("cell load", "%s needs a string", w);
				goto out;
			}
			w = argv[++a];
			bufs[n].size = strlen(w) + 1;
			bufs[n].data = strdup(w);
			if (asprintf(&bufs[n].label, "string #%zu", n + 1) < 0)
				bufs[n].label = NULL;
			if (!bufs[n].data || !bufs[n].label) {
				cli_error("cell load: out of memory");
				ret = CLI_EXIT_REFUSED;
				goto out;
			}
		} else if (w[0] == '-' && w[1]) {
			ret = cli_usage_error("cell load", "unknown option '%s'", w);
			goto out;
		} else {
			ret = read_image(w, &bufs[n]);
			if (ret)
				goto out;
			bufs[n].label = strdup(w);
		}
		images[n].data = bufs[n].data;
		images[n].size = bufs[n].size;
		images[n].label = bufs[n].label;
		n++;
	}
	ret = cli_rt_open(cli, "cell load", &ctx);
	if (ret)
		goto out;
	ret = hvctl_cell_load(ctx, &ref, images, n);
	if (ret)
		ret = cli_rt_fail(ctx, "cell load",
				  ref.id >= 0 ? hvctl_cell_ref_str(&ref, who, sizeof(who)) :
						ref.name, ret);
out:
	hvctl_close(ctx);
	if (bufs)
		for (i = 0; i < nbufs; i++) {
			free(bufs[i].data);
			free(bufs[i].label);
		}
	free(bufs);
	free(images);
	return ret;
}

/* ---- start, shutdown, destroy ---- */

static int simple(struct cli *cli, int argc, char **argv, const char *op,
		  int (*fn)(struct hvctl_ctx *, const struct hvctl_cell_ref *),
		  const char *what)
{
	struct hvctl_cell_ref ref;
	struct hvctl_ctx *ctx;
	char who[48];
	int ret, a;

	if (is_help(argc, argv)) {
		cli_printf("Usage: hvctl %s CELL\n\n%s\nCELL is an ID or a name (--name NAME forces a name).\n",
		       op, what);
		return CLI_EXIT_OK;
	}
	a = cell_arg(op, argc, argv, 1, &ref, &ret);
	if (a < 0)
		return ret;
	if (a != argc)
		return cli_usage_error(op, "unexpected argument '%s'", argv[a]);
	ret = cli_rt_open(cli, op, &ctx);
	if (ret)
		return ret;
	ret = fn(ctx, &ref);
	if (ret)
		ret = cli_rt_fail(ctx, op, ref.id >= 0 ?
				  hvctl_cell_ref_str(&ref, who, sizeof(who)) :
				  ref.name, ret);
	hvctl_close(ctx);
	return ret;
}

static int cell_start(struct cli *cli, int argc, char **argv)
{
	return simple(cli, argc, argv, "cell start", hvctl_cell_start,
		      "Start a loaded cell at its reset address.\n");
}

static int cell_shutdown(struct cli *cli, int argc, char **argv)
{
	return simple(cli, argc, argv, "cell shutdown", hvctl_cell_shutdown,
		      "Stop a cell (after it approves); it keeps its resources.\n");
}

static int cell_stop(struct cli *cli, int argc, char **argv)
{
	return simple(cli, argc, argv, "cell stop", hvctl_cell_shutdown,
		      "Another name of 'cell shutdown'.\n");
}

static int cell_destroy(struct cli *cli, int argc, char **argv)
{
	return simple(cli, argc, argv, "cell destroy", hvctl_cell_destroy,
		      "Destroy a cell; its CPUs, memory and devices return to the root cell.\n");
}

/* ---- list ---- */

static const char list_usage[] =
	"Usage: hvctl cell list [--json]\n"
	"\n"
	"List the cells: ID, name, state, assigned and failed CPUs. Prints\n"
	"nothing while the hypervisor is disabled (like upstream's tool).\n"
	"\n"
	"  -j, --json   one JSON object (doc/hvctl.1 describes the fields)\n";

/*
 * The snapshot in the library's one JSON schema (doc/snapshot-schema.json),
 * as hvtop -b --json writes it too (without "time", so that the same
 * state prints the same text); only_cell -1 for all cells.
 */
static int print_snapshot_json(struct hvctl_ctx *ctx, const struct hvctl_snapshot *snap,
			       double interval, int only_cell)
{
	struct hvctl_snapshot_json opts = {
		.flags = HVCTL_JSON_PRETTY,
		.uri = hvctl_uri(ctx),
		.interval = interval,
		.only_cell = only_cell,
	};
	char *text;

	if (hvctl_snapshot_to_json(snap, &opts, &text)) {
		cli_error("out of memory");
		return CLI_EXIT_REFUSED;
	}
	puts(text);
	free(text);
	return CLI_EXIT_OK;
}

/* s left-aligned in width columns (longer text is kept whole), at p. */
static char *put_padded(char *p, const char *s, size_t width)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	p += n;
	if (n < width) {
		memset(p, ' ', width - n);
		p += width - n;
	}
	return p;
}

/*
 * One row of the table, as printf("%-8d%-24s%-18s%-24s%-24s\n") would
 * print it: put together by hand, as printf's formatting cost more than
 * reading the cell (the cost floor in tests/bench/bench_cell_list.c).
 */
static void print_list_row(const char *id, const char *name, const char *state,
			   const char *cpus, const char *failed)
{
	char line[512], *p = line;

	int flags = cli_term_flags(STDOUT_FILENO);

	if (strlen(id) + strlen(name) + strlen(state) + strlen(cpus) +
	    strlen(failed) + 8 + 24 + 18 + 24 + 24 + 2 > sizeof(line)) {
		cli_printf("%-8s%-24s%-18s%-24s%-24s\n", id, name, state, cpus,
			   failed);
		return;
	}
	p = put_padded(p, id, 8);
	p = put_padded(p, name, 24);
	p = put_padded(p, state, 18);
	p = put_padded(p, cpus, 24);
	p = put_padded(p, failed, 24);
	*p++ = '\n';
	*p = '\0';
	/* On a terminal, neutralised like everything cli_printf() prints. */
	if (flags >= 0)
		hvctl_sanitize_name(line, sizeof(line), line,
				    (unsigned int)flags | HVCTL_SAN_KEEP_LINES);
	fputs_unlocked(line, stdout);
}

static int cell_list(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hvctl_snapshot *snap;
	struct hvctl_ctx *ctx;
	bool json = false;
	size_t i;
	int opt, ret;
	struct cli_cmd cmd = { "cell list", list_usage, ":jh", options, 0 };

	while ((opt = cli_getopt(&cmd, argc, argv)) > 0) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		}
	}
	if (opt < 0)
		return cmd.status;
	if (cli_operands(&cmd, argc, argv, 0, 0, NULL))
		return cmd.status;
	ret = cli_rt_open(cli, "cell list", &ctx);
	if (ret)
		return ret;
	/* The table needs no configs; the JSON names where each came from. */
	ret = hvctl_snapshot(ctx, json ? HVCTL_READ_CONFIGS : HVCTL_READ_CELLS,
			     HVCTL_CPU_STATS_NONE, NULL, &snap);
	if (ret) {
		ret = cli_rt_fail(ctx, "cell list", NULL, ret);
		hvctl_close(ctx);
		return ret;
	}
	if (json) {
		ret = print_snapshot_json(ctx, snap, 0, -1);
	} else if (snap->num_cells) {
		print_list_row("ID", "Name", "State", "Assigned CPUs",
			       "Failed CPUs");
		for (i = 0; i < snap->num_cells; i++) {
			const struct hvctl_cell_info *c = &snap->cells[i];
			char id[16], *e = id + sizeof(id) - 1;
			unsigned int v = (unsigned int)c->id;

			/* IDs are never negative (sysfs directory names). */
			*e = '\0';
			do {
				*--e = (char)('0' + v % 10);
				v /= 10;
			} while (v);
			print_list_row(e, c->name, c->state_name, c->cpus_list,
				       c->failed_list);
		}
	}
	hvctl_snapshot_free(snap);
	hvctl_close(ctx);
	return ret;
}

/* ---- stats ---- */

static const char stats_usage[] =
	"Usage: hvctl cell stats [CELL] [-i SECS] [--json | --prometheus]\n"
	"\n"
	"VM-exit counters of every cell (or of CELL, with its CPUs one by one),\n"
	"with per-second rates: two samples SECS apart (default 1; 0 takes one\n"
	"sample and shows no rates). A rate is left out ('-', null) when a\n"
	"counter restarted in between (a cell re-created, a CPU moved).\n"
	"\n"
	"  -i, --interval SECS   time between the two samples\n"
	"  -j, --json            one JSON object (doc/hvctl.1)\n"
	"  -p, --prometheus      Prometheus text exposition format, one sample\n";

/*
 * Prometheus label values escape backslash, quote and newline; the
 * library also makes them valid UTF-8 without control characters.
 */
static void prom_str(const char *s)
{
	/* Cell names are at most 31 bytes: 3 bytes each at worst. */
	char v[256];

	hvctl_prom_label(v, sizeof(v), s);
	fputs(v, stdout);
}

static void prom_cell_labels(const struct hvctl_cell_info *c)
{
	fputs("cell=\"", stdout);
	prom_str(c->name);
	cli_printf("\",id=\"%d\"", c->id);
}

/* "vmexits_mmio" -> "mmio" */
static const char *reason(const char *stat)
{
	return strncmp(stat, "vmexits_", 8) ? stat : stat + 8;
}

static void print_prometheus(const struct hvctl_snapshot *snap,
			     const struct hvctl_cell_info *only)
{
	size_t i;
	unsigned int k, j;
	int total = hvctl_snapshot_stat_index(snap, "vmexits_total");

	puts("# HELP hvctl_enabled Whether the hypervisor is enabled (1) or not (0).");
	puts("# TYPE hvctl_enabled gauge");
	cli_printf("hvctl_enabled %d\n", snap->system.enabled ? 1 : 0);
	/* Prometheus wants base units: the 4 KiB pages as bytes. */
	puts("# HELP hvctl_pool_bytes Hypervisor memory pools, in bytes.");
	puts("# TYPE hvctl_pool_bytes gauge");
	cli_printf("hvctl_pool_bytes{pool=\"mem\",kind=\"size\"} %" PRIu64 "\n",
	       snap->system.mem_pool_size * HV_PAGE_SIZE);
	cli_printf("hvctl_pool_bytes{pool=\"mem\",kind=\"used\"} %" PRIu64 "\n",
	       snap->system.mem_pool_used * HV_PAGE_SIZE);
	cli_printf("hvctl_pool_bytes{pool=\"remap\",kind=\"size\"} %" PRIu64 "\n",
	       snap->system.remap_pool_size * HV_PAGE_SIZE);
	cli_printf("hvctl_pool_bytes{pool=\"remap\",kind=\"used\"} %" PRIu64 "\n",
	       snap->system.remap_pool_used * HV_PAGE_SIZE);

	puts("# HELP hvctl_cell_state The state of each cell (1 for the state it is in).");
	puts("# TYPE hvctl_cell_state gauge");
	for (i = 0; i < snap->num_cells; i++) {
		const struct hvctl_cell_info *c = &snap->cells[i];

		if (only && c != only)
			continue;
		fputs("hvctl_cell_state{", stdout);
		prom_cell_labels(c);
		cli_printf(",state=\"%s\"} 1\n", c->state_name);
	}
	puts("# HELP hvctl_cell_cpus CPUs assigned to the cell.");
	puts("# TYPE hvctl_cell_cpus gauge");
	for (i = 0; i < snap->num_cells; i++) {
		if (only && &snap->cells[i] != only)
			continue;
		fputs("hvctl_cell_cpus{", stdout);
		prom_cell_labels(&snap->cells[i]);
		cli_printf("} %u\n", snap->cells[i].num_cpus);
	}
	puts("# HELP hvctl_cell_cpus_failed CPUs of the cell in the failed state.");
	puts("# TYPE hvctl_cell_cpus_failed gauge");
	for (i = 0; i < snap->num_cells; i++) {
		if (only && &snap->cells[i] != only)
			continue;
		fputs("hvctl_cell_cpus_failed{", stdout);
		prom_cell_labels(&snap->cells[i]);
		cli_printf("} %u\n", snap->cells[i].num_failed);
	}
	if (total >= 0) {
		puts("# HELP hvctl_cell_vmexits_all_total VM exits of the cell's CPUs, all reasons together.");
		puts("# TYPE hvctl_cell_vmexits_all_total counter");
		for (i = 0; i < snap->num_cells; i++) {
			if (only && &snap->cells[i] != only)
				continue;
			fputs("hvctl_cell_vmexits_all_total{", stdout);
			prom_cell_labels(&snap->cells[i]);
			cli_printf("} %" PRIu64 "\n",
			       snap->cells[i].stats.value[total]);
		}
	}
	puts("# HELP hvctl_cell_vmexits_total VM exits of the cell's CPUs by reason.");
	puts("# TYPE hvctl_cell_vmexits_total counter");
	for (i = 0; i < snap->num_cells; i++) {
		const struct hvctl_cell_info *c = &snap->cells[i];

		if (only && c != only)
			continue;
		for (k = 0; k < snap->num_stats; k++) {
			if ((int)k == total)
				continue;
			fputs("hvctl_cell_vmexits_total{", stdout);
			prom_cell_labels(c);
			cli_printf(",reason=\"%s\"} %" PRIu64 "\n",
			       reason(snap->stat_names[k]), c->stats.value[k]);
		}
	}
	if (!only)
		return;
	if (total >= 0) {
		puts("# HELP hvctl_cpu_vmexits_all_total VM exits of one CPU, all reasons together (31-bit; restarts when the CPU changes cell).");
		puts("# TYPE hvctl_cpu_vmexits_all_total counter");
		for (j = 0; j < only->num_cpus; j++) {
			unsigned int cpu = only->cpus[j];

			if (cpu >= snap->num_cpus || !snap->cpus[cpu].has_stats)
				continue;
			cli_printf("hvctl_cpu_vmexits_all_total{cpu=\"%u\",", cpu);
			prom_cell_labels(only);
			cli_printf("} %" PRIu64 "\n", snap->cpus[cpu].stats.value[total]);
		}
	}
	puts("# HELP hvctl_cpu_vmexits_total VM exits of one CPU by reason (31-bit; restarts when the CPU changes cell).");
	puts("# TYPE hvctl_cpu_vmexits_total counter");
	for (j = 0; j < only->num_cpus; j++) {
		unsigned int cpu = only->cpus[j];
		const struct hvctl_cpu_info *ci;

		if (cpu >= snap->num_cpus || !snap->cpus[cpu].has_stats)
			continue;
		ci = &snap->cpus[cpu];
		for (k = 0; k < snap->num_stats; k++) {
			if ((int)k == total)
				continue;
			cli_printf("hvctl_cpu_vmexits_total{cpu=\"%u\",", cpu);
			prom_cell_labels(only);
			cli_printf(",reason=\"%s\"} %" PRIu64 "\n",
			       reason(snap->stat_names[k]), ci->stats.value[k]);
		}
	}
}

static void print_table(const struct hvctl_snapshot *snap,
			const struct hvctl_counters *c, bool rates)
{
	unsigned int k;

	cli_printf("  %-24s %14s %12s\n", "COUNTER", "VALUE", "PER SEC");
	for (k = 0; k < snap->num_stats; k++) {
		cli_printf("  %-24s %14" PRIu64, snap->stat_names[k], c->value[k]);
		if (rates && c->rate_valid)
			cli_printf(" %12.1f\n", c->rate[k]);
		else
			cli_printf(" %12s\n", "-");
	}
}

static void print_stats_text(const struct hvctl_snapshot *snap,
			     const struct hvctl_cell_info *only, bool rates)
{
	unsigned int j;
	size_t i;
	bool first = true;

	for (i = 0; i < snap->num_cells; i++) {
		const struct hvctl_cell_info *c = &snap->cells[i];

		if (only && c != only)
			continue;
		cli_printf("%sCell %d \"%s\" (%s, CPUs %s)", first ? "" : "\n",
		       c->id, c->name, c->state_name,
		       c->cpus_list[0] ? c->cpus_list : "none");
		if (rates && c->stats.rate_valid)
			cli_printf(", rates over %.2f s", c->stats.interval);
		putchar('\n');
		first = false;
		print_table(snap, &c->stats, rates);
		if (!only)
			continue;
		for (j = 0; j < c->num_cpus; j++) {
			unsigned int cpu = c->cpus[j];

			if (cpu >= snap->num_cpus || !snap->cpus[cpu].has_stats)
				continue;
			cli_printf("\nCPU %u of \"%s\"%s\n", cpu, c->name,
			       snap->cpus[cpu].failed ? " (failed)" : "");
			print_table(snap, &snap->cpus[cpu].stats, rates);
		}
	}
}

static int parse_interval(const char *text, double *secs)
{
	char *end;

	errno = 0;
	*secs = strtod(text, &end);
	if (*end || errno || !(*secs >= 0) || *secs > 3600)
		return -EINVAL;
	return 0;
}

static int cell_stats(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "prometheus", no_argument, NULL, 'p' },
		{ "interval", required_argument, NULL, 'i' },
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hvctl_snapshot *snap = NULL, *base = NULL;
	const struct hvctl_cell_info *only = NULL;
	struct hvctl_cell_ref ref;
	struct hvctl_ctx *ctx;
	const char *cell = NULL;
	bool json = false, prom = false, by_name = false;
	double interval = 1.0;
	char who[48];
	unsigned int what = HVCTL_READ_COUNTERS;
	int opt, ret, which = HVCTL_CPU_STATS_NONE;
	struct cli_cmd cmd = {
		"cell stats", stats_usage, ":jpi:h", options, 0
	};

	while ((opt = cli_getopt(&cmd, argc, argv)) > 0) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'p':
			prom = true;
			break;
		case 'i':
			if (parse_interval(optarg, &interval))
				return cli_usage_error("cell stats",
						       "invalid interval '%s' (seconds, 0 to 3600)",
						       optarg);
			break;
		case 'n':
			cell = optarg;
			by_name = true;
			break;
		}
	}
	if (opt < 0)
		return cmd.status;
	if (json && prom)
		return cli_usage_error("cell stats", "--json and --prometheus exclude each other");
	if (optind < argc && !cell)
		cell = argv[optind++];
	if (cli_operands(&cmd, argc, argv, 0, 0, NULL))
		return cmd.status;
	if (cell) {
		ret = cli_rt_cell_ref("cell stats", cell, by_name, &ref);
		if (ret)
			return ret;
	}
	ret = cli_rt_open(cli, "cell stats", &ctx);
	if (ret)
		return ret;

	/* Find CELL's ID first, so its per-CPU counters are read. */
	if (cell) {
		ret = hvctl_snapshot(ctx, HVCTL_READ_CELLS, HVCTL_CPU_STATS_NONE,
				     NULL, &snap);
		if (ret)
			goto fail;
		only = hvctl_snapshot_find(snap, &ref);
		if (!only) {
			cli_error("cell stats %s: no such cell",
				  hvctl_cell_ref_str(&ref, who, sizeof(who)));
			ret = CLI_EXIT_REFUSED;
			goto out;
		}
		which = only->id;
		what |= HVCTL_READ_CPU_COUNTERS;
		hvctl_snapshot_free(snap);
		snap = NULL;
	}
	if (!prom && interval > 0) {
		struct timespec ts = {
			.tv_sec = (time_t)interval,
			.tv_nsec = (long)((interval - (double)(time_t)interval) * 1e9),
		};

		ret = hvctl_snapshot(ctx, what, which, NULL, &base);
		if (ret)
			goto fail;
		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
	}
	ret = hvctl_snapshot(ctx, what, which, base, &snap);
	if (ret)
		goto fail;
	if (cell) {
		only = hvctl_snapshot_cell(snap, which);
		if (!only) {
			cli_error("cell stats %s: the cell went away",
				  hvctl_cell_ref_str(&ref, who, sizeof(who)));
			ret = CLI_EXIT_REFUSED;
			goto out;
		}
	}
	if (prom)
		print_prometheus(snap, only);
	else if (json)
		ret = print_snapshot_json(ctx, snap, interval, only ? only->id : -1);
	else
		print_stats_text(snap, only, interval > 0);
	goto out;

fail:
	ret = cli_rt_fail(ctx, "cell stats", cell, ret);
out:
	hvctl_snapshot_free(base);
	hvctl_snapshot_free(snap);
	hvctl_close(ctx);
	return ret;
}

static const struct cli_subcommand cell_subs[] = {
	{ "create", "CONFIG", "create a cell from a config", cell_create },
	{ "load", "CELL {IMAGE | -s STRING} [-a ADDR]...",
	  "stop a cell and load images into it", cell_load },
	{ "start", "CELL", "start a loaded cell", cell_start },
	{ "shutdown", "CELL", "stop a cell, keeping its resources", cell_shutdown },
	{ "stop", "CELL", "another name of shutdown", cell_stop },
	{ "destroy", "CELL", "destroy a cell, returning its resources to the root cell",
	  cell_destroy },
	{ "list", "[--json]", "list cells with state and CPUs", cell_list },
	{ "stats", "[CELL] [-i SECS] [--json | --prometheus]",
	  "VM-exit counters and rates", cell_stats },
};

int cmd_cell(struct cli *cli, int argc, char **argv)
{
	return cli_run_subcommand(cli, "cell", cell_subs,
				  sizeof(cell_subs) / sizeof(cell_subs[0]),
				  argc, argv);
}
