// SPDX-License-Identifier: MIT
/*
 * The cell detail: one cell's counters per reason and per CPU, its rate
 * history, its config. A view of its own, opened from the Cells tab (or
 * from a CPU, a memory region or an ivshmem link) and left with Back.
 */
#include "app.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

#define GRAPH_ROWS	6

/* The detail's own state. */
struct detail_view {
	int id;		/* the cell shown */
	int cpu;	/* -1: all CPUs, else one CPU's counters */
	int top;	/* first line shown */
};

static void add_counters(struct tui_app *app, const struct detail_view *dv,
			 struct tui_doc *d, const struct tui_cell_row *row)
{
	const struct hvctl_snapshot *snap = app->model.snap;
	const struct hvctl_cell_info *ci = row->cell;
	const struct tui_cpu_row *cpus[16];
	unsigned int ncpu = 0, i, k;
	char v[32];

	/* The cell's CPUs whose counters this snapshot read. */
	for (i = 0; i < ci->num_cpus; i++) {
		unsigned int cpu = ci->cpus[i];

		const struct tui_cpu_row *cr = tui_model_cpu(&app->model, cpu);

		if (cr && cr->info->has_stats &&
		    (dv->cpu < 0 || (unsigned int)dv->cpu == cpu) &&
		    ncpu < 16)
			cpus[ncpu++] = cr;
	}
	tui_doc_newline(d);
	if (dv->cpu < 0) {
		tui_doc_add(d, TUI_ROLE_HEADER, "COUNTER (all CPUs)      TOTAL    PER SEC");
	} else {
		/* The padding outside the bracket: "COUNTER (CPU 2)". */
		char cpu_label[32];

		snprintf(cpu_label, sizeof(cpu_label), "COUNTER (CPU %d)", dv->cpu);
		tui_doc_addf(d, TUI_ROLE_HEADER, "%-18s      TOTAL    PER SEC", cpu_label);
	}
	for (k = 0; k < ncpu && dv->cpu < 0; k++) {
		unsigned int cpu = cpus[k]->cpu;
		char label[24];

		snprintf(label, sizeof(label), "cpu%u/s", cpu);
		tui_doc_addf(d, TUI_ROLE_HEADER, "%11s", label);
	}
	for (i = 0; i < snap->num_stats; i++) {
		const struct hvctl_counters *c = &row->stats;
		const char *name = snap->stat_names[i];
		uint64_t value;
		bool valid;
		double rate;

		if (dv->cpu >= 0) {
			if (!ncpu)
				break;
			c = &cpus[0]->stats;
		}
		value = c->value[i];
		valid = c->rate_valid;
		rate = c->rate[i];
		tui_doc_newline(d);
		if (!strncmp(name, "vmexits_", 8))
			name += 8;
		tui_doc_addf(d, i ? TUI_ROLE_NORMAL : TUI_ROLE_VALUE, "%-18s", name);
		tui_fmt_count(v, sizeof(v), value);
		tui_doc_addf(d, TUI_ROLE_VALUE, "%11s", v);
		if (valid)
			tui_fmt_rate(v, sizeof(v), rate);
		else
			snprintf(v, sizeof(v), "-");
		tui_doc_addf(d, rate > 0 ? TUI_ROLE_VALUE : TUI_ROLE_DIM, "%11s", v);
		for (k = 0; k < ncpu && dv->cpu < 0; k++) {
			if (cpus[k]->stats.rate_valid)
				tui_fmt_rate(v, sizeof(v), cpus[k]->stats.rate[i]);
			else
				snprintf(v, sizeof(v), "-");
			tui_doc_addf(d, TUI_ROLE_NORMAL, "%11s", v);
		}
	}
	if (dv->cpu >= 0 && !ncpu) {
		tui_doc_newline(d);
		tui_doc_addf(d, TUI_ROLE_DIM, "No counters read for CPU %d yet.", dv->cpu);
	}
}

/*
 * The rate history as a line, not filled bars (a steady rate would be a
 * solid block): each sample is one mark at its height, four heights to
 * a row, scaled from 0 to the largest sample in view, which labels the
 * top row. A flat series is a flat line.
 */
static void add_graph(struct tui_app *app, const struct detail_view *v,
		      struct tui_doc *d, const struct tui_cell_row *row, int width)
{
	const unsigned int levels = GRAPH_ROWS * TUI_DOC_SCANS;
	const struct tui_history *h = NULL;
	unsigned int bars[TUI_HISTORY_LEN], r, shown;
	char scale[32], label[40], title[96];
	int i, w = width - 12;
	double max;

	if (v->cpu >= 0 && (size_t)v->cpu < app->model.num_cpu_hist) {
		h = &app->model.cpu_hist[v->cpu];
		snprintf(title, sizeof(title), "VM exits per second on CPU %d", v->cpu);
	} else if (row->hist) {
		h = &row->hist->total;
		snprintf(title, sizeof(title), "VM exits per second");
	}
	tui_doc_newline(d);
	tui_doc_newline(d);
	if (!h) {
		tui_doc_add(d, TUI_ROLE_DIM, "No history yet.");
		return;
	}
	if (w > TUI_HISTORY_LEN)
		w = TUI_HISTORY_LEN;
	if (w < 10)
		w = 10;
	shown = h->len < (unsigned int)w ? h->len : (unsigned int)w;
	/* Levels 0 .. levels - 1; any exits at all lift a mark off the floor. */
	max = tui_history_bars(h, (unsigned int)w, levels - 1, 1.0, bars);
	tui_fmt_rate(scale, sizeof(scale), max);
	tui_doc_addf(d, TUI_ROLE_LABEL, "%s, last %u samples (every %.1f s), 0 to %s", title,
		     h->len, app->settings.refresh_ms / 1000.0, scale);
	for (r = GRAPH_ROWS; r > 0; r--) {
		tui_doc_newline(d);
		if (r == GRAPH_ROWS)
			snprintf(label, sizeof(label), "max %s", scale);
		else
			snprintf(label, sizeof(label), "%s", r == 1 ? "0" : "");
		tui_doc_addf(d, TUI_ROLE_DIM, "%10s ", label);
		tui_doc_add(d, TUI_ROLE_BORDER, "|");
		for (i = 0; i < w; i++) {
			if ((unsigned int)i < (unsigned int)w - shown ||
			    bars[i] / TUI_DOC_SCANS != r - 1)
				tui_doc_add(d, TUI_ROLE_NORMAL, " ");
			else
				tui_doc_scan(d, TUI_ROLE_GRAPH, bars[i] % TUI_DOC_SCANS);
		}
	}
}

/* The colour of a config's memory region, by what the library says it is. */
static enum tui_role region_role(const struct hvctl_config *c, uint32_t i)
{
	enum hvctl_region_kind kind = hvctl_region_kind(c, i);

	if (kind == HVCTL_REGION_COMM)
		return TUI_ROLE_MEM_COMM;
	if (hvctl_region_shared(c, i))
		return TUI_ROLE_MEM_ROOTSHARED;
	return kind == HVCTL_REGION_IO ? TUI_ROLE_MEM_IO : TUI_ROLE_NORMAL;
}

/*
 * Addresses as wide as the memory map's (digits, from the whole board),
 * wider only if this config reaches past what the layout knows.
 */
static int config_addr_digits(const struct hvctl_config *c, int digits)
{
	uint32_t i;

	for (i = 0; i < c->cell->num_memory_regions; i++) {
		uint64_t size = c->mem[i].size ? c->mem[i].size - 1 : 0;
		int dp = tui_addr_digits(c->mem[i].phys_start + size);
		int dv = tui_addr_digits(c->mem[i].virt_start + size);

		digits = dp > digits ? dp : digits;
		digits = dv > digits ? dv : digits;
	}
	return digits;
}

static void add_config(struct tui_doc *d, const struct hvctl_cell_info *ci, int digits)
{
	const struct hvctl_config *c = ci->config;
	const struct hv_cell_desc *cd;
	uint32_t i, p;
	char buf[256], size[32];

	tui_doc_newline(d);
	tui_doc_newline(d);
	if (!c || !c->cell) {
		tui_doc_add(d, TUI_ROLE_DIM,
			    "Config unknown: the backend does not export it and no tool recorded it.");
		return;
	}
	cd = c->cell;
	tui_doc_addf(d, TUI_ROLE_TITLE, "Config%s%s", c->source ? " from " : "",
		     c->source ? c->source : "");
	tui_doc_add(d, TUI_ROLE_DIM, ci->config_origin == HVCTL_CONFIG_FROM_SYSFS ?
		    "  (as the hypervisor holds it)" :
		    ci->config_origin == HVCTL_CONFIG_FROM_REGISTRY ?
		    "  (as recorded when it was created)" : "");
	tui_doc_newline(d);
	hvctl_flags_str(buf, sizeof(buf), HVCTL_NAMES_CELL_FLAGS, cd->flags, " ");
	tui_doc_addf(d, TUI_ROLE_NORMAL, "  flags:%s%s  reset address 0x%" PRIx64,
		     buf[0] ? " " : "", buf, (uint64_t)cd->cpu_reset_address);

	tui_doc_newline(d);
	tui_doc_newline(d);
	digits = config_addr_digits(c, digits);
	tui_doc_addf(d, TUI_ROLE_HEADER, "%-3s %-*s %-*s %-10s %-34s %s", "#", digits + 2, "PHYS",
		     digits + 2, "VIRT", "SIZE", "FLAGS", "NAME");
	for (i = 0; i < cd->num_memory_regions; i++) {
		struct hv_memory m = c->mem[i];
		char name[40] = "";

		hvctl_config_mem_flags_str(buf, sizeof(buf), m.flags);
		tui_fmt_size(size, sizeof(size), m.size);
		if (c->mem_names && c->mem_names[i])
			hvctl_sanitize_str(name, sizeof(name), c->mem_names[i]);
		tui_doc_newline(d);
		tui_doc_addf(d, region_role(c, i),
			     "%-3u 0x%0*" PRIx64 " 0x%0*" PRIx64 " %-10s %-34.34s %s", i,
			     digits, (uint64_t)m.phys_start, digits, (uint64_t)m.virt_start,
			     size, buf, name);
	}

	tui_doc_newline(d);
	tui_doc_newline(d);
	tui_doc_addf(d, TUI_ROLE_LABEL, "IRQ chips: %u", cd->num_irqchips);
	for (i = 0; i < cd->num_irqchips; i++) {
		struct hv_irqchip ic = c->irqchips[i];

		/* The interrupts as the config format lists them ("33,144"). */
		hvctl_irqchip_str(buf, sizeof(buf), &ic);
		tui_doc_newline(d);
		tui_doc_addf(d, TUI_ROLE_NORMAL, "  at 0x%" PRIx64 " id %u: %s%s",
			     (uint64_t)ic.address, ic.id, buf[0] ? "interrupts " : "no interrupts",
			     buf);
	}

	tui_doc_newline(d);
	tui_doc_newline(d);
	tui_doc_addf(d, TUI_ROLE_LABEL, "PCI devices: %u", cd->num_pci_devices);
	for (p = 0; p < cd->num_pci_devices; p++) {
		struct hv_pci_device dev = c->pci[p];
		char bdf[24], proto[40];

		hvctl_bdf_str(bdf, sizeof(bdf), dev.domain, dev.bdf, true);
		tui_doc_newline(d);
		if (dev.type == HV_PCI_TYPE_IVSHMEM) {
			hvctl_shmem_protocol_str(proto, sizeof(proto), dev.shmem_protocol);
			tui_doc_addf(d, TUI_ROLE_MEM_IVSHMEM,
				     "  %s ivshmem, peer %u of %u, %s, regions from #%u", bdf,
				     dev.shmem_dev_id, dev.shmem_peers, proto,
				     dev.shmem_regions_start);
		} else {
			const char *type = hvctl_name_of(HVCTL_NAMES_PCI_TYPE, dev.type);

			tui_doc_addf(d, TUI_ROLE_NORMAL, "  %s %s, %u MSI, %u MSI-X vectors", bdf,
				     type ? type : "unknown type", dev.num_msi_vectors,
				     dev.num_msix_vectors);
		}
	}

	tui_doc_newline(d);
	tui_doc_newline(d);
	if (!cd->console.type) {
		tui_doc_add(d, TUI_ROLE_LABEL, "Console: none");
	} else {
		struct hv_console con = cd->console;
		const char *type = hvctl_name_of(HVCTL_NAMES_CONSOLE_TYPE, con.type);

		hvctl_flags_str(buf, sizeof(buf), HVCTL_NAMES_CONSOLE_FLAGS, con.flags, ", ");
		tui_doc_addf(d, TUI_ROLE_LABEL, "Console: %s at 0x%" PRIx64 ", %u bytes%s%s",
			     type ? type : "unknown", (uint64_t)con.address, con.size,
			     buf[0] ? ", " : "", buf);
	}
}

static void detail_draw(struct tui_app *app, void *state, int y, int h)
{
	struct detail_view *v = state;
	const struct tui_cell_row *row;
	const struct hvctl_cell_info *ci;
	struct tui_doc d;
	char mem[32], shared[32];

	if (!tui_view_have_system(app, y, h))
		return;
	row = tui_model_cell(&app->model, v->id);
	if (!row) {
		tui_view_message(app, y, h, TUI_ROLE_WARNING, "This cell no longer exists.",
				 "Esc goes back to the list.");
		return;
	}
	ci = row->cell;
	tui_doc_init(&d);
	tui_doc_newline(&d);
	tui_doc_addf(&d, TUI_ROLE_TITLE, "Cell %d \"%s\"  ", ci->id, ci->name);
	tui_doc_add(&d, tui_state_role(ci->state), ci->state_name ? ci->state_name : "?");
	tui_doc_addf(&d, TUI_ROLE_NORMAL, "  CPUs %s", ci->cpus_list[0] ? ci->cpus_list : "-");
	if (ci->num_failed)
		tui_doc_addf(&d, TUI_ROLE_CPU_FAILED, "  failed %s", ci->failed_list);
	if (row->mem_known) {
		tui_fmt_size(mem, sizeof(mem), row->mem_owned);
		tui_fmt_size(shared, sizeof(shared), row->mem_shared);
		tui_doc_addf(&d, TUI_ROLE_NORMAL, "  memory %s own, %s shared", mem, shared);
	}
	if (tui_alarm_cell(ci)) {
		char why[1024], *line, *save = NULL;

		tui_alarm_reason(app, ci, why, sizeof(why));
		for (line = strtok_r(why, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			tui_doc_newline(&d);
			tui_doc_add(&d, TUI_ROLE_STATE_FAILED, "FAILED ");
			tui_doc_add(&d, TUI_ROLE_NORMAL, line);
		}
	}
	add_counters(app, v, &d, row);
	add_graph(app, v, &d, row, app->scr.cols - 2);
	add_config(&d, ci, app->model.addr_digits);

	if (v->top > (int)d.count - h)
		v->top = (int)d.count - h;
	if (v->top < 0)
		v->top = 0;
	tui_doc_draw(&d, &app->scr, y, 0, app->scr.cols, h, (size_t)v->top);
	tui_doc_free(&d);
}

static bool detail_key(struct tui_app *app, void *state, enum tui_action a)
{
	struct detail_view *v = state;
	const struct tui_cell_row *row = tui_model_cell(&app->model, v->id);
	/* The drawer clamps the end to the last page. */
	int top = tui_scroll_move(v->top, a, app->lay.body_h, TUI_SCROLL_END);
	unsigned int i;

	if (top >= 0) {
		v->top = top;
		app->dirty |= TUI_DIRTY_FRAME;
		return true;
	}
	switch (a) {
	case TUI_ACT_BACK:
		tui_app_set_view(app, tui_view_tab(TUI_VIEW_DETAIL));
		return true;
	case TUI_ACT_EXPORT:
		tui_export_config(app, row);
		return true;
	case TUI_ACT_DIFF:
		tui_diff_config(app, row);
		return true;
	case TUI_ACT_NEXT_CPU:
		/* all -> first CPU -> ... -> last CPU -> all */
		if (!row || !row->cell->num_cpus)
			break;
		if (v->cpu < 0) {
			v->cpu = (int)row->cell->cpus[0];
		} else {
			for (i = 0; i < row->cell->num_cpus; i++)
				if ((int)row->cell->cpus[i] == v->cpu)
					break;
			v->cpu = i + 1 < row->cell->num_cpus ?
					  (int)row->cell->cpus[i + 1] : -1;
		}
		break;
	case TUI_ACT_CELL_CONSOLE:
		tui_app_show_console(app, v->id);
		return true;
	default:
		return false;
	}
	if (v->top < 0)
		v->top = 0;
	app->dirty |= TUI_DIRTY_FRAME;
	return true;
}

static int detail_cpu_stats(const struct tui_app *app, const void *state)
{
	const struct detail_view *v = state;

	(void)app;
	return v->id;
}

static const struct tui_cell_row *detail_cell(const struct tui_app *app, const void *state)
{
	const struct detail_view *v = state;

	return tui_model_cell(&app->model, v->id);
}

static size_t detail_help(const struct tui_app *app, const void *state,
			  char (*lines)[160], size_t max)
{
	const struct detail_view *v = state;

	(void)app;
	if (!max)
		return 0;
	if (v->cpu < 0)
		snprintf(lines[0], 160, "Counters of all the cell's CPUs; the CPU key shows one at a time.");
	else
		snprintf(lines[0], 160, "Counters of CPU %d; the CPU key goes on to the next.", v->cpu);
	return 1;
}

void tui_app_open_detail(struct tui_app *app, int cell_id, int cpu)
{
	struct detail_view *v = tui_view_state(app, TUI_VIEW_DETAIL);

	v->id = cell_id;
	v->cpu = cpu;
	v->top = 0;
	app->cells_sel_id = cell_id;
	/* Shows this cell's per-CPU counters: set_view refreshes at once. */
	tui_app_set_view(app, TUI_VIEW_DETAIL);
}

void tui_app_close_detail(struct tui_app *app, int cell_id)
{
	const struct detail_view *v = tui_view_state(app, TUI_VIEW_DETAIL);

	if (app->view == TUI_VIEW_DETAIL && (cell_id < 0 || v->id == cell_id)) {
		app->view = tui_view_tab(TUI_VIEW_DETAIL);
		app->dirty |= TUI_DIRTY_FRAME;
	}
}

const struct tui_view_ops tui_view_detail_ops = {
	.name = "detail",
	.title = "cell detail",
	.keys = TUI_KEYS_DETAIL,
	.parent = TUI_VIEW_CELLS,
	.state_size = sizeof(struct detail_view),
	.draw = detail_draw,
	.key = detail_key,
	.help = detail_help,
	.cpu_stats = detail_cpu_stats,
	.cell = detail_cell,
};
