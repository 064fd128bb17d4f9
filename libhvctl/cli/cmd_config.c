// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * hvctl config: compile, decompile, check, show and diff configurations.
 *
 * Every command reads .json and .cell files alike (told apart by content).
 * A file that cannot be read or parsed is reported in one line naming it
 * and the reason, and gives exit status 2.
 *
 * `show` takes its words from the library's public name tables
 * (hvctl/names.h) and what regions and ivshmem devices mean from
 * hvctl/layout.h, so it speaks the vocabulary of the JSON format and of
 * hvtop; numbers come from the binary views.
 */
#include "cli.h"
#include "cli_runtime.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include <hvabi/cell-config.h>
#include <hvctl/config.h>
#include <hvctl/layout.h>
#include <hvctl/names.h>
#include <hvctl/text.h>

#define CELL_SIZE_LIMIT	((uint64_t)HV_CELL_CONFIG_MAX_PAGES * HV_PAGE_SIZE)

/* ---- compile ---- */

static const char compile_usage[] =
	"Usage: hvctl config compile [-o OUT.cell | -d DIR] IN...\n"
	"\n"
	"Compile JSON configs to binary .cell files (revision 14, byte for byte\n"
	"what upstream Jailhouse builds). A .cell input is re-encoded.\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE     output file (one input only); default: IN with\n"
	"                        .json replaced by .cell, next to IN\n"
	"  -d, --directory DIR   write each output as DIR/NAME.cell\n"
	"  -h, --help            show this help\n";

/* IN.json -> IN.cell (in dir if given). Caller frees. */
static char *output_name(const char *in, const char *dir)
{
	const char *base = in, *slash = strrchr(in, '/');
	size_t len;
	char *out;

	if (dir && slash)
		base = slash + 1;
	len = strlen(base);
	/* A .cell input maps onto itself, which compile_one() refuses. */
	if (len > 5 && (!strcmp(base + len - 5, ".json") ||
			!strcmp(base + len - 5, ".cell")))
		len -= 5;
	if (dir) {
		size_t dl = strlen(dir);
		const char *sep = dl && dir[dl - 1] == '/' ? "" : "/";

		if (asprintf(&out, "%s%s%.*s.cell", dir, sep, (int)len, base) < 0)
			return NULL;
	} else if (asprintf(&out, "%.*s.cell", (int)len, base) < 0) {
		return NULL;
	}
	return out;
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (!strcmp(a, b))
		return true;
	if (stat(a, &sa) || stat(b, &sb))
		return false;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * A .cell input goes through the JSON compiler too (JSON input passes it
 * again, harmlessly), so what the compiler refuses (names that are no
 * text, comm regions with an address or flags they cannot have) is
 * refused whatever the input. 0, or a message and CLI_EXIT_REFUSED.
 */
static int compilable(const struct hvctl_config *config, const char *in)
{
	struct hvctl_error err = { .msg = "" };
	struct hvctl_config *again = NULL;
	char *text = NULL;
	int ret = CLI_EXIT_OK;

	if (hvctl_config_to_json(config, &text, &err) ||
	    hvctl_config_parse_json(&again, text, in, &err)) {
		cli_error("%s", err.msg);
		ret = CLI_EXIT_REFUSED;
	}
	free(text);
	hvctl_config_free(again);
	return ret;
}

static int compile_one(const char *in, const char *out)
{
	struct hvctl_error err = { .msg = "" };
	struct hvctl_config *config;
	int ret;

	if (same_file(in, out)) {
		cli_error("%s: the output would overwrite the input; name another with -o",
			  in);
		return CLI_EXIT_USAGE;
	}
	ret = cli_load_config(in, &config);
	if (ret)
		return ret;
	if (!config->is_system &&
	    hv_cell_config_size(config->cell) > CELL_SIZE_LIMIT) {
		/* JSON stops at the parser; a binary input ends here. */
		cli_error("%s: cell config is too large for the hypervisor: %" PRIu64
			  " bytes, limit %" PRIu64, in,
			  hv_cell_config_size(config->cell), CELL_SIZE_LIMIT);
		ret = CLI_EXIT_REFUSED;
	} else if (config->is_system &&
		   hv_system_config_size(config->system) > HV_SYSTEM_CONFIG_MAX_SIZE) {
		cli_error("%s: system config is too large for the driver: %" PRIu64
			  " bytes, limit %d", in,
			  hv_system_config_size(config->system),
			  HV_SYSTEM_CONFIG_MAX_SIZE);
		ret = CLI_EXIT_REFUSED;
	} else if (compilable(config, in)) {
		ret = CLI_EXIT_REFUSED;
	} else if (hvctl_config_write_binary(config, out, &err)) {
		cli_error("%s", err.msg);
		ret = CLI_EXIT_REFUSED;
	}
	hvctl_config_free(config);
	return ret;
}

static int config_compile(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "directory", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL, *dir = NULL;
	struct stat st;
	int opt, i, ret = CLI_EXIT_OK;

	(void)cli;
	struct cli_cmd cmd = {
		"config compile", compile_usage, ":o:d:h", options, 0
	};

	while ((opt = cli_getopt(&cmd, argc, argv)) > 0) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 'd':
			dir = optarg;
			break;
		}
	}
	if (opt < 0)
		return cmd.status;
	if (cli_operands(&cmd, argc, argv, 1, -1, "no input file"))
		return cmd.status;
	if (output && dir)
		return cli_usage_error("config compile", "-o and -d exclude each other");
	if (output && argc - optind > 1)
		return cli_usage_error("config compile",
				       "-o takes one input; use -d DIR for several");
	if (dir && (stat(dir, &st) || !S_ISDIR(st.st_mode))) {
		cli_error("%s: not a directory", dir);
		return CLI_EXIT_USAGE;
	}

	for (i = optind; i < argc; i++) {
		char *out = output ? strdup(output) : output_name(argv[i], dir);
		int r;

		if (!out) {
			cli_error("out of memory");
			return CLI_EXIT_REFUSED;
		}
		r = compile_one(argv[i], out);
		free(out);
		/* Go on with the others; the worst status wins. */
		if (r > ret)
			ret = r;
	}
	return ret;
}

/*
 * Read a config and render it in the library's JSON format. On success
 * the caller owns *config (hvctl_config_free) and *text (free).
 */
static int load_as_json(const char *path, struct hvctl_config **config,
			char **text)
{
	struct hvctl_error err = { .msg = "" };
	int ret;

	ret = cli_load_config(path, config);
	if (ret)
		return ret;
	if (hvctl_config_to_json(*config, text, &err)) {
		cli_error("%s", err.msg);
		hvctl_config_free(*config);
		*config = NULL;
		return CLI_EXIT_REFUSED;
	}
	return CLI_EXIT_OK;
}

/* ---- decompile ---- */

static const char decompile_usage[] =
	"Usage: hvctl config decompile [-o OUT.json] IN\n"
	"\n"
	"Write a config (.cell or .json) as JSON in the format of configs/README.md\n"
	"(without comments). Compiling the output again gives the same bytes,\n"
	"except where a binary's names are not printable UTF-8: those are\n"
	"written with replacement characters, and a warning says so.\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE   write to FILE instead of standard output\n"
	"  -h, --help          show this help\n";

static int config_decompile(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hvctl_config *config;
	const char *output = NULL;
	char *text, *clean;
	int opt, ret;

	(void)cli;
	struct cli_cmd cmd = {
		"config decompile", decompile_usage, ":o:h", options, 0
	};

	while ((opt = cli_getopt(&cmd, argc, argv)) > 0) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		}
	}
	if (opt < 0)
		return cmd.status;
	if (cli_operands(&cmd, argc, argv, 1, 1, "no input file"))
		return cmd.status;
	if (output && same_file(argv[optind], output)) {
		cli_error("%s: the output would overwrite the input", output);
		return CLI_EXIT_USAGE;
	}

	ret = load_as_json(argv[optind], &config, &text);
	if (ret)
		return ret;
	/*
	 * JSON must be valid UTF-8, but a binary config's names are raw bytes:
	 * write what cannot be kept as U+FFFD (or an escape) and say that this
	 * output no longer compiles to the same bytes.
	 */
	clean = hvctl_json_clean(text);
	if (!clean) {
		cli_error("out of memory");
		ret = CLI_EXIT_REFUSED;
		goto out;
	}
	if (strcmp(clean, text) != 0)
		cli_error("%s: warning: a name is not printable UTF-8; written "
			  "with replacement characters, so the output does not "
			  "compile to the same bytes", argv[optind]);
	free(text);
	text = clean;
	if (output) {
		if (cli_write_file(output, text, strlen(text)))
			ret = CLI_EXIT_REFUSED;
	} else if (fputs(text, stdout) == EOF || fflush(stdout) == EOF) {
		cli_error("standard output: %s", strerror(errno));
		ret = CLI_EXIT_REFUSED;
	}
out:
	free(text);
	hvctl_config_free(config);
	return ret;
}

/* ---- check ---- */

static const char check_usage[] =
	"Usage: hvctl config check [--json] SYSTEM [CELL...]\n"
	"\n"
	"Check a system config together with cell configs, as they would be\n"
	"loaded at the same time: overlapping memory (within a cell, with the\n"
	"hypervisor), memory, CPUs and interrupts the root cell does not own or\n"
	"that two cells claim, ivshmem links whose peers disagree, names, unknown\n"
	"flags, console types, the hypervisor's size limit, architectures.\n"
	"Prints one finding per line (FILE: PATH ... what is wrong), then the\n"
	"count.\n"
	"\n"
	"Exit status: 0 no findings, 1 findings, 2 unreadable input or usage.\n"
	"\n"
	"Options:\n"
	"  --json       print the findings as JSON\n"
	"  -h, --help   show this help\n";

static int print_findings_json(const struct hvctl_findings *f)
{
	struct json_object *root = json_object_new_object();
	struct json_object *list = json_object_new_array();
	size_t i;
	int ret;

	if (!root || !list) {
		json_object_put(root);
		json_object_put(list);
		cli_error("out of memory");
		return CLI_EXIT_REFUSED;
	}
	for (i = 0; i < f->count; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "file",
				       json_object_new_string(f->items[i].file));
		json_object_object_add(o, "path",
				       json_object_new_string(f->items[i].path));
		json_object_object_add(o, "message",
				       json_object_new_string(f->items[i].message));
		json_object_array_add(list, o);
	}
	json_object_object_add(root, "findings", list);
	json_object_object_add(root, "count", json_object_new_uint64(f->count));
	ret = cli_print_json(root);
	json_object_put(root);
	return ret;
}

static int config_check(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hvctl_config **configs;
	struct hvctl_findings *findings = NULL;
	bool json = false;
	int opt, i, n, ret = CLI_EXIT_OK;

	(void)cli;
	struct cli_cmd cmd = { "config check", check_usage, ":h", options, 0 };

	while ((opt = cli_getopt(&cmd, argc, argv)) > 0) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		}
	}
	if (opt < 0)
		return cmd.status;
	if (cli_operands(&cmd, argc, argv, 1, -1, "no system config given"))
		return cmd.status;

	n = argc - optind;
	configs = calloc((size_t)n, sizeof(*configs));
	if (!configs) {
		cli_error("out of memory");
		return CLI_EXIT_REFUSED;
	}
	/* Read all, so every unreadable file is named at once. */
	for (i = 0; i < n; i++) {
		const char *path = argv[optind + i];
		int r = cli_load_config(path, &configs[i]);

		if (r) {
			ret = r;
			continue;
		}
		if (i == 0 && !configs[i]->is_system) {
			cli_error("%s: not a system config (the first file must be one)",
				  path);
			ret = CLI_EXIT_USAGE;
		} else if (i > 0 && configs[i]->is_system) {
			cli_error("%s: a system config; only the first file may be one",
				  path);
			ret = CLI_EXIT_USAGE;
		}
	}
	if (ret)
		goto out;

	i = hvctl_config_check(configs[0],
			       (const struct hvctl_config *const *)configs + 1,
			       (size_t)n - 1, &findings);
	if (i) {
		cli_error("checking failed: %s", strerror(-i));
		ret = CLI_EXIT_REFUSED;
		goto out;
	}
	if (json) {
		ret = print_findings_json(findings);
	} else {
		size_t k;

		for (k = 0; k < findings->count; k++)
			cli_printf("%s: %s\n", findings->items[k].file,
			       findings->items[k].message);
		cli_printf("%zu finding%s\n", findings->count,
		       findings->count == 1 ? "" : "s");
	}
	if (!ret && findings->count)
		ret = CLI_EXIT_REFUSED;
out:
	hvctl_findings_free(findings);
	for (i = 0; i < n; i++)
		hvctl_config_free(configs[i]);
	free(configs);
	return ret;
}

/* ---- show ---- */

static const char show_usage[] =
	"Usage: hvctl config show [--json] FILE\n"
	"\n"
	"Summarise a config (.json or .cell): name, type, architecture, CPUs,\n"
	"the memory map by physical address with flags and sizes, interrupts,\n"
	"PCI devices and ivshmem links with their peers. Warns when a binary\n"
	"cell config is over the hypervisor's limit of 16 pages.\n"
	"\n"
	"Options:\n"
	"  --json       print the summary as JSON\n"
	"  -h, --help   show this help\n";

/*
 * Words and numbers as the JSON format writes them, from the library's
 * public tables (hvctl/names.h); what regions and links mean comes from
 * hvctl/layout.h. Nothing here is derived from a rendering of the config.
 */
#define NUM_LEN	32

static const char *addr_text(char *buf, uint64_t v)
{
	hvctl_addr_str(buf, NUM_LEN, v);
	return buf;
}

static const char *size_text(char *buf, uint64_t v)
{
	hvctl_size_str(buf, NUM_LEN, v);
	return buf;
}

/* An enumeration value's name, or "0x7" as the JSON format writes it. */
static const char *enum_text(char *buf, enum hvctl_names table, uint64_t v)
{
	const char *name = hvctl_name_of(table, v);

	if (name)
		return name;
	snprintf(buf, NUM_LEN, "0x%" PRIx64, v);
	return buf;
}

static const char *flags_text(char *buf, size_t len, enum hvctl_names table,
			      uint64_t flags, const char *sep)
{
	hvctl_flags_str(buf, len, table, flags, sep);
	return buf;
}

/* Flags as a JSON array of names, the bits without one as a hex string. */
static struct json_object *flags_array(enum hvctl_names table, uint64_t flags)
{
	struct json_object *arr = json_object_new_array();
	uint64_t bit, rest = flags;
	const char *name;
	size_t i;

	for (i = 0; hvctl_names_entry(table, i, &bit, &name); i++) {
		if (flags & bit) {
			json_object_array_add(arr, json_object_new_string(name));
			rest &= ~bit;
		}
	}
	if (rest) {
		char hex[NUM_LEN];

		snprintf(hex, sizeof(hex), "0x%" PRIx64, rest);
		json_object_array_add(arr, json_object_new_string(hex));
	}
	return arr;
}

/* The cell's name (the field need not be terminated). */
static const char *cell_name(const struct hvctl_config *c, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)sizeof(c->cell->name), c->cell->name);
	return buf;
}

/* "0-3,6", or NULL when out of memory; caller frees. */
static char *cpus_text(const struct hvctl_config *c)
{
	int n = hvctl_cpulist_format(NULL, 0, c->cpu_set, c->cell->cpu_set_size);
	char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;

	if (s)
		hvctl_cpulist_format(s, (size_t)n + 1, c->cpu_set, c->cell->cpu_set_size);
	return s;
}

/* "32-35,40", or NULL when out of memory; caller frees. */
static char *irqs_text(const struct hv_irqchip *chip)
{
	int n = hvctl_irqchip_str(NULL, 0, chip);
	char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;

	if (s)
		hvctl_irqchip_str(s, (size_t)n + 1, chip);
	return s;
}

static char *fmt_range(uint64_t start, uint64_t size)
{
	char *s;

	if (!size)
		return strdup("-");
	if (start + (size - 1) < start) {
		if (asprintf(&s, "0x%" PRIx64 "+0x%" PRIx64, start, size) < 0)
			return NULL;
	} else if (asprintf(&s, "0x%" PRIx64 "-0x%" PRIx64, start,
			    start + size - 1) < 0) {
		return NULL;
	}
	return s;
}

static uint64_t config_size(const struct hvctl_config *c)
{
	return c->is_system ? hv_system_config_size(c->system) :
	       hv_cell_config_size(c->cell);
}

static bool too_large(const struct hvctl_config *c)
{
	return !c->is_system && config_size(c) > CELL_SIZE_LIMIT;
}

static void show_console_text(const char *label, const struct hv_console *con)
{
	char flags[256], t[NUM_LEN], a[NUM_LEN], z[NUM_LEN];

	flags_text(flags, sizeof(flags), HVCTL_NAMES_CONSOLE_FLAGS, con->flags, ", ");
	cli_printf("  %-18s %s at %s, size %s%s%s\n", label,
	       enum_text(t, HVCTL_NAMES_CONSOLE_TYPE, con->type),
	       addr_text(a, con->address), size_text(z, con->size),
	       flags[0] ? ", " : "", flags);
}

static int show_memory_text(const struct hvctl_config *c)
{
	uint32_t n = c->cell->num_memory_regions, i;
	uint32_t *order;
	char **col[4];
	size_t w[4] = { 5, 4, 4, 4 };
	int ret = 0, k;

	cli_printf("\nmemory regions (%" PRIu32 "), by physical address:\n", n);
	if (!n)
		return 0;
	order = calloc(n, sizeof(*order));
	for (k = 0; k < 4; k++)
		col[k] = calloc(n, sizeof(char *));
	if (!order || hvctl_regions_by_address(c, order) ||
	    !col[0] || !col[1] || !col[2] || !col[3]) {
		ret = -ENOMEM;
		goto out;
	}
	/* Columns: index, phys range, virt range, size; widths to fit. */
	for (i = 0; i < n; i++) {
		const struct hv_memory *m = &c->mem[order[i]];
		char z[NUM_LEN];

		if (asprintf(&col[0][i], "[%" PRIu32 "]", order[i]) < 0)
			col[0][i] = NULL;
		col[1][i] = hvctl_region_kind(c, order[i]) == HVCTL_REGION_COMM ?
			    strdup("(comm)") : fmt_range(m->phys_start, m->size);
		col[2][i] = fmt_range(m->virt_start, m->size);
		col[3][i] = strdup(size_text(z, m->size));
		for (k = 0; k < 4; k++) {
			if (!col[k][i]) {
				ret = -ENOMEM;
				goto out;
			}
			if (strlen(col[k][i]) > w[k])
				w[k] = strlen(col[k][i]);
		}
	}
	cli_printf("  %-*s  %-*s  %-*s  %*s  %s\n", (int)w[0], "INDEX", (int)w[1],
	       "PHYS", (int)w[2], "VIRT", (int)w[3], "SIZE", "FLAGS / NAME");
	for (i = 0; i < n; i++) {
		const char *name = c->mem_names ? c->mem_names[order[i]] : NULL;
		char flags[512];

		flags_text(flags, sizeof(flags), HVCTL_NAMES_MEM_FLAGS,
			   c->mem[order[i]].flags, ",");
		cli_printf("  %-*s  %-*s  %-*s  %*s  %s%s%s%s\n", (int)w[0],
		       col[0][i], (int)w[1], col[1][i], (int)w[2], col[2][i],
		       (int)w[3], col[3][i], flags[0] ? flags : "-",
		       name ? "  \"" : "", name ? name : "", name ? "\"" : "");
	}
out:
	for (k = 0; k < 4; k++) {
		for (i = 0; col[k] && i < n; i++)
			free(col[k][i]);
		free(col[k]);
	}
	free(order);
	return ret;
}

static void show_ivshmem_text(const struct hvctl_config *c)
{
	uint32_t i, count = 0;

	for (i = 0; i < c->cell->num_pci_devices; i++)
		count += c->pci[i].type == HV_PCI_TYPE_IVSHMEM;
	if (!count)
		return;
	cli_printf("\nivshmem links (%" PRIu32 "):\n", count);
	for (i = 0; i < c->cell->num_pci_devices; i++) {
		const struct hv_pci_device *p = &c->pci[i];
		uint64_t start = p->shmem_regions_start;
		uint64_t num = 2 + (uint64_t)p->shmem_peers;
		const char *name = c->pci_names ? c->pci_names[i] : NULL;
		int64_t intx = hvctl_pci_intx(c, p);
		char bdf[16], proto[48];
		unsigned int k;

		if (p->type != HV_PCI_TYPE_IVSHMEM)
			continue;
		hvctl_bdf_str(bdf, sizeof(bdf), p->domain, p->bdf, false);
		hvctl_shmem_protocol_str(proto, sizeof(proto), p->shmem_protocol);
		cli_printf("  %s%s%s%s: [%" PRIu32 "] peer %u of %u, protocol %s",
		       bdf, name ? " \"" : "", name ? name : "",
		       name ? "\"" : "", i, p->shmem_dev_id, p->shmem_peers, proto);
		if (intx >= 0)
			cli_printf(", INTx %" PRId64, intx);
		else if (p->num_msix_vectors)
			cli_printf(", %u MSI-X vectors", p->num_msix_vectors);
		putchar('\n');
		if (start + num > c->cell->num_memory_regions) {
			cli_printf("    regions [%" PRIu64 "]-[%" PRIu64 "] missing: the cell has %" PRIu32 "\n",
			       start, start + num - 1,
			       c->cell->num_memory_regions);
			continue;
		}
		for (k = 0; k < num; k++) {
			uint32_t ri = (uint32_t)(start + k);
			const struct hv_memory *m = &c->mem[ri];
			char label[32], flags[256], z[NUM_LEN];
			char *range = fmt_range(m->phys_start, m->size);

			hvctl_ivshmem_section_str(label, sizeof(label), k);
			flags_text(flags, sizeof(flags), HVCTL_NAMES_MEM_FLAGS,
				   m->flags, ",");
			cli_printf("    %-18s [%" PRIu32 "] %-23s %6s  %s%s\n", label, ri,
			       range ? range : "?",
			       m->size ? size_text(z, m->size) : "",
			       m->size ? flags : "(empty)",
			       k >= 2 && k - 2 == p->shmem_dev_id ?
			       "  (this peer)" : "");
			free(range);
		}
	}
}

static int show_text(const struct hvctl_config *c)
{
	const struct hv_cell_desc *cell = c->cell;
	char flags[512], name[HV_CELL_NAME_MAXLEN + 1], t[NUM_LEN];
	char *cpus, *hv;
	uint64_t first, last;
	uint32_t i;
	int ret;

	cell_name(c, name, sizeof(name));
	cli_printf("%s: %s config \"%s\", %s, %" PRIu64 " bytes\n",
	       c->source ? c->source : "config",
	       c->is_system ? "system" : "cell", name,
	       enum_text(t, HVCTL_NAMES_ARCH, c->architecture), config_size(c));
	if (too_large(c))
		cli_printf("warning: cell config is too large for the hypervisor: %"
		       PRIu64 " bytes, limit %" PRIu64 "\n", config_size(c),
		       CELL_SIZE_LIMIT);

	if (c->is_system) {
		const struct hv_system *sys = c->system;
		const struct hv_platform_info *pi = &sys->platform_info;
		char a[5][NUM_LEN];

		hv = fmt_range(sys->hypervisor_memory.phys_start,
			       sys->hypervisor_memory.size);
		cli_printf("  %-18s %s (%s)\n", "hypervisor memory", hv ? hv : "?",
		       size_text(a[0], sys->hypervisor_memory.size));
		free(hv);
		flags_text(flags, sizeof(flags), HVCTL_NAMES_SYSTEM_FLAGS, sys->flags, ", ");
		cli_printf("  %-18s %s\n", "system flags", flags[0] ? flags : "-");
		show_console_text("debug console", &sys->debug_console);
		cli_printf("  %-18s mmconfig %s, end bus %u, %s, domain %u\n", "PCI",
		       addr_text(a[0], pi->pci_mmconfig_base),
		       pi->pci_mmconfig_end_bus,
		       pi->pci_is_virtual ? "virtual" : "physical",
		       pi->pci_domain);
		if (c->architecture != HV_ARCH_X86 && pi->arm.gic_version == 2)
			cli_printf("  %-18s v2, gicd %s, gicc %s, gich %s, gicv %s, maintenance IRQ %u\n",
			       "GIC", addr_text(a[0], pi->arm.gicd_base),
			       addr_text(a[1], pi->arm.gicc_base),
			       addr_text(a[2], pi->arm.gich_base),
			       addr_text(a[3], pi->arm.gicv_base),
			       pi->arm.maintenance_irq);
		else if (c->architecture != HV_ARCH_X86)
			cli_printf("  %-18s v%u, gicd %s, gicr %s, maintenance IRQ %u\n",
			       "GIC", pi->arm.gic_version,
			       addr_text(a[0], pi->arm.gicd_base),
			       addr_text(a[1], pi->arm.gicr_base),
			       pi->arm.maintenance_irq);
		for (i = 0; i < HV_MAX_IOMMU_UNITS; i++) {
			const struct hv_iommu *u = &pi->iommu_units[i];

			if (u->type)
				cli_printf("  %-18s %s at %s, size %s\n", "IOMMU",
				       enum_text(a[0], HVCTL_NAMES_IOMMU_TYPE, u->type),
				       addr_text(a[1], u->base), size_text(a[2], u->size));
		}
		cli_printf("root cell:\n");
	}

	cpus = cpus_text(c);
	if (!cpus)
		return -ENOMEM;
	flags_text(flags, sizeof(flags), HVCTL_NAMES_CELL_FLAGS, cell->flags, ", ");
	cli_printf("  %-18s %s\n", "name", name);
	cli_printf("  %-18s %s\n", "flags", flags[0] ? flags : "-");
	cli_printf("  %-18s %s (%u CPU%s)\n", "CPUs", cpus, hvctl_config_cpu_count(c),
	       hvctl_config_cpu_count(c) == 1 ? "" : "s");
	free(cpus);
	if (cell->console.type || cell->console.address)
		show_console_text("console", &cell->console);
	cli_printf("  %-18s %" PRIu32, "vpci_irq_base", cell->vpci_irq_base);
	if (hvctl_intx_range(c, &first, &last))
		cli_printf(" (INTx INTID %" PRIu64 "-%" PRIu64 ")", first, last);
	putchar('\n');
	cli_printf("  %-18s 0x%" PRIx64 "\n", "cpu_reset_address",
	       cell->cpu_reset_address);
	if (cell->msg_reply_timeout)
		cli_printf("  %-18s %" PRIu64 "\n", "msg_reply_timeout",
		       cell->msg_reply_timeout);

	ret = show_memory_text(c);
	if (ret)
		return ret;

	if (cell->num_irqchips) {
		cli_printf("\nirqchips (%" PRIu32 "):\n", cell->num_irqchips);
		for (i = 0; i < cell->num_irqchips; i++) {
			char *irqs = irqs_text(&c->irqchips[i]);
			char a[NUM_LEN];

			if (!irqs)
				return -ENOMEM;
			cli_printf("  [%" PRIu32 "] %s, pin_base %" PRIu32 ": %s\n",
			       i, addr_text(a, c->irqchips[i].address),
			       c->irqchips[i].pin_base, irqs[0] ? irqs : "(none)");
			free(irqs);
		}
	}
	if (cell->num_pci_devices) {
		cli_printf("\nPCI devices (%" PRIu32 "):\n", cell->num_pci_devices);
		for (i = 0; i < cell->num_pci_devices; i++) {
			const char *pname = c->pci_names ? c->pci_names[i] : NULL;
			char bdf[16];

			hvctl_bdf_str(bdf, sizeof(bdf), 0, c->pci[i].bdf, false);
			cli_printf("  [%" PRIu32 "] %s %s, domain %u%s%s%s\n", i,
			       enum_text(t, HVCTL_NAMES_PCI_TYPE, c->pci[i].type), bdf,
			       c->pci[i].domain, pname ? ", \"" : "",
			       pname ? pname : "", pname ? "\"" : "");
		}
	}
	show_ivshmem_text(c);
	if (cell->num_cache_regions || cell->num_pio_regions ||
	    cell->num_pci_caps || cell->num_stream_ids)
		cli_printf("\nalso: %" PRIu32 " cache regions, %" PRIu32
		       " PIO regions, %" PRIu32 " PCI capabilities, %" PRIu32
		       " stream IDs\n", cell->num_cache_regions,
		       cell->num_pio_regions, cell->num_pci_caps,
		       cell->num_stream_ids);
	return 0;
}

static struct json_object *jrange(uint64_t start, uint64_t size)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "start", json_object_new_uint64(start));
	json_object_object_add(o, "size", json_object_new_uint64(size));
	return o;
}

static struct json_object *jnum(uint64_t v)
{
	return json_object_new_uint64(v);
}

static struct json_object *show_json_console(const struct hv_console *con)
{
	struct json_object *o = json_object_new_object();
	char t[NUM_LEN];

	json_object_object_add(o, "type", json_object_new_string(
		enum_text(t, HVCTL_NAMES_CONSOLE_TYPE, con->type)));
	json_object_object_add(o, "address", json_object_new_uint64(con->address));
	json_object_object_add(o, "size", json_object_new_uint64(con->size));
	json_object_object_add(o, "flags",
			       flags_array(HVCTL_NAMES_CONSOLE_FLAGS, con->flags));
	return o;
}

/*
 * platform_info with the keys of the JSON format, numbers as numbers like
 * the rest of the summary; units past the last one in use are left out.
 */
static struct json_object *show_json_platform(const struct hvctl_config *c)
{
	const struct hv_platform_info *pi = &c->system->platform_info;
	struct json_object *o = json_object_new_object();
	struct json_object *units = json_object_new_array(), *arch;
	char t[NUM_LEN], bdf[16];
	int i, last = -1;

	json_object_object_add(o, "pci_mmconfig_base", jnum(pi->pci_mmconfig_base));
	json_object_object_add(o, "pci_mmconfig_end_bus", jnum(pi->pci_mmconfig_end_bus));
	json_object_object_add(o, "pci_is_virtual", jnum(pi->pci_is_virtual));
	json_object_object_add(o, "pci_domain", jnum(pi->pci_domain));
	for (i = 0; i < HV_MAX_IOMMU_UNITS; i++)
		if (pi->iommu_units[i].type || pi->iommu_units[i].base ||
		    pi->iommu_units[i].size)
			last = i;
	for (i = 0; i <= last; i++) {
		const struct hv_iommu *u = &pi->iommu_units[i];
		struct json_object *uo = json_object_new_object();

		json_object_object_add(uo, "type", json_object_new_string(
			enum_text(t, HVCTL_NAMES_IOMMU_TYPE, u->type)));
		json_object_object_add(uo, "base", jnum(u->base));
		json_object_object_add(uo, "size", jnum(u->size));
		if (u->type == HV_IOMMU_AMD) {
			hvctl_bdf_str(bdf, sizeof(bdf), 0, u->amd.bdf, false);
			json_object_object_add(uo, "amd_bdf", json_object_new_string(bdf));
			json_object_object_add(uo, "amd_base_cap", jnum(u->amd.base_cap));
			json_object_object_add(uo, "amd_msi_cap", jnum(u->amd.msi_cap));
			json_object_object_add(uo, "amd_features", jnum(u->amd.features));
		} else if (u->type == HV_IOMMU_PVU) {
			json_object_object_add(uo, "tipvu_tlb_base", jnum(u->tipvu.tlb_base));
			json_object_object_add(uo, "tipvu_tlb_size", jnum(u->tipvu.tlb_size));
		}
		json_object_array_add(units, uo);
	}
	json_object_object_add(o, "iommu_units", units);
	arch = json_object_new_object();
	if (c->architecture == HV_ARCH_X86) {
		json_object_object_add(arch, "pm_timer_address",
				       jnum(pi->x86.pm_timer_address));
		json_object_object_add(arch, "apic_mode", jnum(pi->x86.apic_mode));
		json_object_object_add(arch, "vtd_interrupt_limit",
				       jnum(pi->x86.vtd_interrupt_limit));
		json_object_object_add(arch, "tsc_khz", jnum(pi->x86.tsc_khz));
		json_object_object_add(arch, "apic_khz", jnum(pi->x86.apic_khz));
		json_object_object_add(o, "x86", arch);
	} else {
		json_object_object_add(arch, "maintenance_irq", jnum(pi->arm.maintenance_irq));
		json_object_object_add(arch, "gic_version", jnum(pi->arm.gic_version));
		json_object_object_add(arch, "gicd_base", jnum(pi->arm.gicd_base));
		json_object_object_add(arch, "gicc_base", jnum(pi->arm.gicc_base));
		json_object_object_add(arch, "gich_base", jnum(pi->arm.gich_base));
		json_object_object_add(arch, "gicv_base", jnum(pi->arm.gicv_base));
		json_object_object_add(arch, "gicr_base", jnum(pi->arm.gicr_base));
		json_object_object_add(o, "arm", arch);
	}
	return o;
}

static struct json_object *show_json_memory(const struct hvctl_config *c)
{
	uint32_t n = c->cell->num_memory_regions, i;
	struct json_object *arr = json_object_new_array();
	uint32_t *order = calloc(n ? n : 1, sizeof(*order));

	if (!order || hvctl_regions_by_address(c, order)) {
		free(order);
		json_object_put(arr);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		uint32_t ri = order[i];
		const struct hv_memory *m = &c->mem[ri];
		struct json_object *o = json_object_new_object();
		const char *name = c->mem_names ? c->mem_names[ri] : NULL;
		bool comm = hvctl_region_kind(c, ri) == HVCTL_REGION_COMM;

		json_object_object_add(o, "index", json_object_new_uint64(ri));
		json_object_object_add(o, "name",
				       name ? json_object_new_string(name) : NULL);
		json_object_object_add(o, "phys_start", comm ? NULL :
				       json_object_new_uint64(m->phys_start));
		json_object_object_add(o, "virt_start",
				       json_object_new_uint64(m->virt_start));
		json_object_object_add(o, "size", json_object_new_uint64(m->size));
		json_object_object_add(o, "flags",
				       flags_array(HVCTL_NAMES_MEM_FLAGS, m->flags));
		json_object_array_add(arr, o);
	}
	free(order);
	return arr;
}

static struct json_object *show_json_ivshmem(const struct hvctl_config *c)
{
	struct json_object *arr = json_object_new_array();
	uint32_t i;

	for (i = 0; i < c->cell->num_pci_devices; i++) {
		const struct hv_pci_device *p = &c->pci[i];
		uint64_t start = p->shmem_regions_start;
		uint64_t num = 2 + (uint64_t)p->shmem_peers;
		int64_t intx = hvctl_pci_intx(c, p);
		struct json_object *o, *secs;
		char bdf[16], proto[48];
		unsigned int k;

		if (p->type != HV_PCI_TYPE_IVSHMEM)
			continue;
		o = json_object_new_object();
		hvctl_bdf_str(bdf, sizeof(bdf), p->domain, p->bdf, false);
		hvctl_shmem_protocol_str(proto, sizeof(proto), p->shmem_protocol);
		json_object_object_add(o, "pci_device", json_object_new_uint64(i));
		json_object_object_add(o, "bdf", json_object_new_string(bdf));
		json_object_object_add(o, "domain", json_object_new_uint64(p->domain));
		json_object_object_add(o, "dev_id",
				       json_object_new_uint64(p->shmem_dev_id));
		json_object_object_add(o, "peers",
				       json_object_new_uint64(p->shmem_peers));
		json_object_object_add(o, "protocol", json_object_new_string(proto));
		json_object_object_add(o, "intx", intx >= 0 ?
				       json_object_new_int64(intx) : NULL);
		secs = json_object_new_array();
		for (k = 0; start + num <= c->cell->num_memory_regions && k < num; k++) {
			const struct hv_memory *m = &c->mem[start + k];
			struct json_object *sec = jrange(m->phys_start, m->size);
			char label[32];

			hvctl_ivshmem_section_str(label, sizeof(label), k);
			json_object_object_add(sec, "section", json_object_new_string(label));
			json_object_object_add(sec, "region",
					       json_object_new_uint64(start + k));
			json_object_object_add(sec, "writable", json_object_new_boolean(
				(m->flags & HV_MEM_WRITE) != 0));
			json_object_array_add(secs, sec);
		}
		json_object_object_add(o, "sections", secs);
		json_object_object_add(o, "regions_missing", json_object_new_boolean(
			start + num > c->cell->num_memory_regions));
		json_object_array_add(arr, o);
	}
	return arr;
}

static int show_json(const struct hvctl_config *c)
{
	const struct hv_cell_desc *cell = c->cell;
	struct json_object *o = json_object_new_object();
	struct json_object *arr, *mem;
	char name[HV_CELL_NAME_MAXLEN + 1], t[NUM_LEN];
	char *cpus;
	uint32_t i;
	int ret;

	json_object_object_add(o, "file", json_object_new_string(
		c->source ? c->source : "config"));
	json_object_object_add(o, "type", json_object_new_string(
		c->is_system ? "system" : "cell"));
	json_object_object_add(o, "architecture", json_object_new_string(
		enum_text(t, HVCTL_NAMES_ARCH, c->architecture)));
	json_object_object_add(o, "size", json_object_new_uint64(config_size(c)));
	if (!c->is_system) {
		json_object_object_add(o, "size_limit",
				       json_object_new_uint64(CELL_SIZE_LIMIT));
		json_object_object_add(o, "too_large",
				       json_object_new_boolean(too_large(c)));
	}
	if (c->is_system) {
		const struct hv_system *sys = c->system;
		struct json_object *so = json_object_new_object();

		json_object_object_add(so, "flags",
				       flags_array(HVCTL_NAMES_SYSTEM_FLAGS, sys->flags));
		json_object_object_add(so, "hypervisor_memory", jrange(
			sys->hypervisor_memory.phys_start,
			sys->hypervisor_memory.size));
		json_object_object_add(so, "debug_console",
				       show_json_console(&sys->debug_console));
		json_object_object_add(so, "platform_info", show_json_platform(c));
		json_object_object_add(o, "system", so);
	}
	cpus = cpus_text(c);
	mem = show_json_memory(c);
	if (!cpus || !mem) {
		free(cpus);
		json_object_put(mem);
		json_object_put(o);
		cli_error("out of memory");
		return CLI_EXIT_REFUSED;
	}
	json_object_object_add(o, "name", json_object_new_string(
		cell_name(c, name, sizeof(name))));
	json_object_object_add(o, "flags",
			       flags_array(HVCTL_NAMES_CELL_FLAGS, cell->flags));
	json_object_object_add(o, "cpus", json_object_new_string(cpus));
	free(cpus);
	json_object_object_add(o, "cpu_count",
			       json_object_new_uint64(hvctl_config_cpu_count(c)));
	json_object_object_add(o, "console", show_json_console(&cell->console));
	json_object_object_add(o, "vpci_irq_base",
			       json_object_new_uint64(cell->vpci_irq_base));
	json_object_object_add(o, "cpu_reset_address",
			       json_object_new_uint64(cell->cpu_reset_address));
	json_object_object_add(o, "msg_reply_timeout",
			       json_object_new_uint64(cell->msg_reply_timeout));
	json_object_object_add(o, "memory_regions", mem);

	arr = json_object_new_array();
	for (i = 0; i < cell->num_irqchips; i++) {
		struct json_object *io = json_object_new_object();
		char *irqs = irqs_text(&c->irqchips[i]);

		json_object_object_add(io, "index", json_object_new_uint64(i));
		json_object_object_add(io, "address",
				       json_object_new_uint64(c->irqchips[i].address));
		json_object_object_add(io, "pin_base",
				       json_object_new_uint64(c->irqchips[i].pin_base));
		json_object_object_add(io, "interrupts",
				       json_object_new_string(irqs ? irqs : ""));
		free(irqs);
		json_object_array_add(arr, io);
	}
	json_object_object_add(o, "irqchips", arr);

	arr = json_object_new_array();
	for (i = 0; i < cell->num_pci_devices; i++) {
		struct json_object *po = json_object_new_object();
		const char *pname = c->pci_names ? c->pci_names[i] : NULL;
		char bdf[16];

		hvctl_bdf_str(bdf, sizeof(bdf), 0, c->pci[i].bdf, false);
		json_object_object_add(po, "index", json_object_new_uint64(i));
		json_object_object_add(po, "name",
				       pname ? json_object_new_string(pname) : NULL);
		json_object_object_add(po, "type", json_object_new_string(
			enum_text(t, HVCTL_NAMES_PCI_TYPE, c->pci[i].type)));
		json_object_object_add(po, "domain",
				       json_object_new_uint64(c->pci[i].domain));
		json_object_object_add(po, "bdf", json_object_new_string(bdf));
		json_object_array_add(arr, po);
	}
	json_object_object_add(o, "pci_devices", arr);
	json_object_object_add(o, "ivshmem_links", show_json_ivshmem(c));

	arr = json_object_new_array();
	if (too_large(c)) {
		char *w;

		if (asprintf(&w, "cell config is too large for the hypervisor: %"
			     PRIu64 " bytes, limit %" PRIu64, config_size(c),
			     CELL_SIZE_LIMIT) >= 0) {
			json_object_array_add(arr, json_object_new_string(w));
			free(w);
		}
	}
	json_object_object_add(o, "warnings", arr);

	ret = cli_print_json(o);
	json_object_put(o);
	return ret;
}

static int config_show(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hvctl_config *config;
	bool json = false;
	int opt, ret;

	(void)cli;
	struct cli_cmd cmd = { "config show", show_usage, ":h", options, 0 };

	while ((opt = cli_getopt(&cmd, argc, argv)) > 0) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		}
	}
	if (opt < 0)
		return cmd.status;
	if (cli_operands(&cmd, argc, argv, 1, 1, "no file given"))
		return cmd.status;

	ret = cli_load_config(argv[optind], &config);
	if (ret)
		return ret;
	if (json) {
		ret = show_json(config);
	} else if (show_text(config)) {
		cli_error("out of memory");
		ret = CLI_EXIT_REFUSED;
	}
	if (!ret && fflush(stdout) == EOF) {
		cli_error("standard output: %s", strerror(errno));
		ret = CLI_EXIT_REFUSED;
	}
	hvctl_config_free(config);
	return ret;
}

/* ---- diff ---- */

static const char diff_usage[] =
	"Usage: hvctl config diff [--name] CELL FILE\n"
	"\n"
	"Compare the config cell CELL (an ID or a name) runs with FILE (.json or\n"
	".cell), field by field, in the words of the JSON format: one line per\n"
	"field that differs, PATH: RUNNING -> FILE, a region or device also by its\n"
	"name in FILE. Names of regions and devices are not part of the running\n"
	"config and never differ. For the root cell and a system config FILE, the\n"
	"system config recorded at enable is compared.\n"
	"\n"
	"  --name   CELL is a name even if it looks like a number\n"
	"\n"
	"Exit status, as diff(1): 0 the same, 1 different, 2 trouble (no such\n"
	"cell, its running config unknown, FILE unreadable, backend unreachable).\n";

static void print_change(const struct hvctl_config_change *c)
{
	if (c->label)
		cli_printf("%s (%s): %s -> %s\n", c->path, c->label,
			   c->old_value ? c->old_value : "(absent)",
			   c->new_value ? c->new_value : "(absent)");
	else
		cli_printf("%s: %s -> %s\n", c->path,
			   c->old_value ? c->old_value : "(absent)",
			   c->new_value ? c->new_value : "(absent)");
}

static int config_diff(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "name", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_cmd cmd = { "config diff", diff_usage, ":h", options, 0 };
	struct hvctl_config *file = NULL;
	const struct hvctl_config *running;
	struct hvctl_config_changes *changes = NULL;
	struct hvctl_snapshot *snap = NULL;
	const struct hvctl_cell_info *cell;
	struct hvctl_ctx *ctx = NULL;
	struct hvctl_cell_ref ref;
	struct hvctl_error err = { { 0 } };
	bool by_name = false;
	char who[HVCTL_CELL_NAME_MAX + 8];
	size_t k;
	int opt, ret;

	while ((opt = cli_getopt(&cmd, argc, argv)) > 0)
		if (opt == 'n')
			by_name = true;
	if (opt < 0)
		return cmd.status;
	if (cli_operands(&cmd, argc, argv, 2, 2, "a cell and a file are needed"))
		return cmd.status;
	/* Every trouble is status 2 here, as diff(1) has it. */
	if (cli_rt_cell_ref("config diff", argv[optind], by_name, &ref))
		return CLI_EXIT_USAGE;
	if (cli_load_config(argv[optind + 1], &file))
		return CLI_EXIT_USAGE;
	if (cli_rt_open(cli, "config diff", &ctx)) {
		ret = CLI_EXIT_USAGE;
		goto out;
	}
	ret = hvctl_snapshot(ctx, HVCTL_READ_CONFIGS, HVCTL_CPU_STATS_NONE, NULL, &snap);
	if (ret) {
		cli_rt_fail(ctx, "config diff", NULL, ret);
		ret = CLI_EXIT_USAGE;
		goto out;
	}
	hvctl_cell_ref_str(&ref, who, sizeof(who));
	cell = hvctl_snapshot_find(snap, &ref);
	if (!cell) {
		cli_error("config diff %s: no such cell%s", who,
			  snap->system.enabled ? "" : " (the hypervisor is disabled)");
		ret = CLI_EXIT_USAGE;
		goto out;
	}
	running = cell->config;
	if (cell->is_root && file->is_system)
		running = snap->system_config;
	if (!running) {
		cli_error("config diff %s: the config cell %d runs is not known (no "
			  "cells/%d/config and no registry record%s)", who, cell->id, cell->id,
			  cell->is_root && file->is_system ? " of the system config" : "");
		ret = CLI_EXIT_USAGE;
		goto out;
	}
	if (running->is_system != file->is_system) {
		cli_error("config diff %s: %s is a %s config, the running one a %s config",
			  who, argv[optind + 1], file->is_system ? "system" : "cell",
			  running->is_system ? "system" : "cell");
		ret = CLI_EXIT_USAGE;
		goto out;
	}
	ret = hvctl_config_diff(running, file, &changes, &err);
	if (ret) {
		cli_error("config diff %s: %s", who, err.msg[0] ? err.msg : strerror(-ret));
		ret = CLI_EXIT_USAGE;
		goto out;
	}
	if (changes->count) {
		cli_printf("--- cell %d \"%s\" as it runs\n+++ %s\n", cell->id, cell->name,
			   argv[optind + 1]);
		for (k = 0; k < changes->count; k++)
			print_change(&changes->items[k]);
	}
	ret = changes->count ? CLI_EXIT_REFUSED : CLI_EXIT_OK;
out:
	hvctl_config_changes_free(changes);
	hvctl_snapshot_free(snap);
	hvctl_close(ctx);
	hvctl_config_free(file);
	return ret;
}

/* ---- the group ---- */

static const struct cli_subcommand config_commands[] = {
	{ "compile", "[-o OUT.cell | -d DIR] IN...",
	  "compile JSON configs to .cell files", config_compile },
	{ "decompile", "[-o OUT.json] IN",
	  "write a config as JSON", config_decompile },
	{ "check", "[--json] SYSTEM [CELL...]",
	  "check configs that are loaded together", config_check },
	{ "show", "[--json] FILE",
	  "summarise a config", config_show },
	{ "diff", "[--name] CELL FILE",
	  "compare a cell's running config with a file", config_diff },
};

int cmd_config(struct cli *cli, int argc, char **argv)
{
	return cli_run_subcommand(cli, "config", config_commands,
				  sizeof(config_commands) / sizeof(config_commands[0]),
				  argc, argv);
}
