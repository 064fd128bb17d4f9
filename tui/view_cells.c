// SPDX-License-Identifier: MIT
/*
 * The cells view (pool gauges, CPU ownership strip, the cell table) and
 * the cell detail (counters per reason and per CPU, history graph, the
 * cell's config).
 */
#include "app.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

#define GRAPH_ROWS	6

int tui_list_move(int idx, int count, enum tui_action a, int page)
{
	if (page < 1)
		page = 1;
	switch (a) {
	case TUI_ACT_UP:
		idx--;
		break;
	case TUI_ACT_DOWN:
		idx++;
		break;
	case TUI_ACT_PAGE_UP:
		idx -= page;
		break;
	case TUI_ACT_PAGE_DOWN:
		idx += page;
		break;
	case TUI_ACT_HOME:
		idx = 0;
		break;
	case TUI_ACT_END:
		idx = count - 1;
		break;
	default:
		return -1;
	}
	if (idx >= count)
		idx = count - 1;
	if (idx < 0)
		idx = 0;
	return idx;
}

void tui_view_message(struct tui_app *app, int y, int h, enum tui_role role,
		      const char *line1, const char *line2)
{
	const struct tui_screen *s = &app->scr;
	int row = y + h / 3, x;

	x = (s->cols - (int)strlen(line1)) / 2;
	tui_put(s, row, x > 0 ? x : 0, -1, role, line1);
	if (line2) {
		x = (s->cols - (int)strlen(line2)) / 2;
		tui_put(s, row + 1, x > 0 ? x : 0, -1, TUI_ROLE_DIM, line2);
	}
}

/* Common checks before drawing a view of the system. */
static bool have_system(struct tui_app *app, int y, int h)
{
	const struct hvctl_snapshot *snap = app->model.snap;

	if (!app->connected || !snap) {
		char l1[HVCTL_ERROR_MAX + 32];

		snprintf(l1, sizeof(l1), "Backend not reachable: %.400s",
			 app->conn_msg[0] ? app->conn_msg : hvctl_uri(app->ctx));
		tui_view_message(app, y, h, TUI_ROLE_STATUS_ERROR, l1,
				 "hvtop reconnects as soon as it is back.");
		return false;
	}
	if (!snap->system.enabled) {
		tui_view_message(app, y, h, TUI_ROLE_WARNING, "The hypervisor is disabled.",
				 app->readonly ? "(read-only: it cannot be enabled from here)" :
				 "Press E to enable it with a system config.");
		return false;
	}
	return true;
}

static void draw_gauges(struct tui_app *app, int y)
{
	const struct hvctl_system_info *sys = &app->model.snap->system;
	const struct tui_screen *s = &app->scr;
	int half = s->cols / 2, x;
	char label[64];

	x = tui_put(s, y, 0, -1, TUI_ROLE_LABEL, "Hypervisor memory ");
	snprintf(label, sizeof(label), "%" PRIu64 "/%" PRIu64 " pages", sys->mem_pool_used,
		 sys->mem_pool_size);
	tui_gauge(s, y, x, half - x - 1, sys->mem_pool_used, sys->mem_pool_size, label);
	x = half + tui_put(s, y, half, -1, TUI_ROLE_LABEL, "Remap pool ");
	snprintf(label, sizeof(label), "%" PRIu64 "/%" PRIu64 " pages", sys->remap_pool_used,
		 sys->remap_pool_size);
	tui_gauge(s, y, x, s->cols - x, sys->remap_pool_used, sys->remap_pool_size, label);
}

/* One character per CPU, in groups of eight: the owner's tag in its colour. */
static int draw_strip(struct tui_app *app, int y, int max_rows)
{
	const struct tui_model *m = &app->model;
	const struct tui_screen *s = &app->scr;
	unsigned int per = tui_strip_per_row(s->cols - 5);
	unsigned int rows = tui_strip_rows((unsigned int)m->num_cpus, s->cols - 5);
	unsigned int r, i;

	if ((int)rows > max_rows)
		rows = (unsigned int)max_rows;
	for (r = 0; r < rows; r++) {
		int x;

		tui_put(s, y + (int)r, 0, 5, TUI_ROLE_LABEL, r ? "" : "CPUs");
		x = 5 + tui_putf(s, y + (int)r, 5, 4, TUI_ROLE_DIM, "%3u ", r * per);
		for (i = 0; i < per; i++) {
			unsigned int cpu = r * per + i;
			const struct tui_cpu_row *c = tui_model_cpu(m, cpu);
			char ch[2] = { '.', '\0' };
			enum tui_role role = TUI_ROLE_CPU_FREE;

			if (cpu >= m->num_cpus)
				break;
			if (i && !(i % 8))
				x++;
			if (c->info->failed) {
				ch[0] = '!';
				role = TUI_ROLE_CPU_FAILED;
			} else if (c->owner) {
				ch[0] = c->owner->tag;
				role = c->owner->owner_role;
			}
			if (!app->mono && c->owner && !c->info->failed) {
				/* A coloured block with the tag on it. */
				attrset(tui_attr(s, role) | A_REVERSE);
				mvaddch(y + (int)r, x, (chtype)(unsigned char)ch[0]);
				attrset(A_NORMAL);
			} else {
				tui_put(s, y + (int)r, x, 1, role, ch);
			}
			x++;
		}
	}
	return (int)rows;
}

enum { COL_TAG, COL_ID, COL_NAME, COL_STATE, COL_CPUS, COL_FAILED, COL_MEM, COL_RATE,
       COL_TOTAL, NUM_COLS };

static void cell_columns(struct tui_column *c, int width)
{
	static const struct tui_column def[NUM_COLS] = {
		[COL_TAG]	= { "T", 1, 1, false, false, false },
		[COL_ID]	= { "ID", 3, 3, false, true, false },
		[COL_NAME]	= { "NAME", 16, 10, true, false, false },
		[COL_STATE]	= { "STATE", 14, 14, false, false, false },
		[COL_CPUS]	= { "CPUS", 10, 5, true, false, false },
		[COL_FAILED]	= { "FAILED", 6, 6, false, false, true },
		[COL_MEM]	= { "MEMORY", 9, 9, false, true, false },
		[COL_RATE]	= { "EXITS/S", 8, 8, false, true, false },
		[COL_TOTAL]	= { "EXITS", 10, 10, false, true, true },
	};

	memcpy(c, def, sizeof(def));
	tui_columns_fit(c, NUM_COLS, width);
}

static const int sort_col[TUI_CELL_SORT_COUNT] = {
	[TUI_CELL_SORT_ID] = COL_ID, [TUI_CELL_SORT_NAME] = COL_NAME,
	[TUI_CELL_SORT_STATE] = COL_STATE, [TUI_CELL_SORT_CPUS] = COL_CPUS,
	[TUI_CELL_SORT_MEMORY] = COL_MEM, [TUI_CELL_SORT_RATE] = COL_RATE,
	[TUI_CELL_SORT_TOTAL] = COL_TOTAL,
};

static void draw_cell_row(struct tui_app *app, int y, const struct tui_column *c,
			  const struct tui_cell_row *r, bool sel)
{
	const struct tui_screen *s = &app->scr;
	const struct hvctl_cell_info *ci = r->cell;
	char buf[NUM_COLS][64];
	int x = 0, i;

	snprintf(buf[COL_TAG], 64, "%c", r->tag);
	snprintf(buf[COL_ID], 64, "%d", ci->id);
	hvctl_sanitize_str(buf[COL_NAME], 64, ci->name);
	snprintf(buf[COL_STATE], 64, "%s", ci->state_name ? ci->state_name : "?");
	snprintf(buf[COL_CPUS], 64, "%s", ci->cpus_list && ci->cpus_list[0] ? ci->cpus_list : "-");
	snprintf(buf[COL_FAILED], 64, "%s", ci->num_failed ? ci->failed_list : "-");
	if (r->mem_known)
		tui_fmt_size(buf[COL_MEM], 64, r->mem_owned + r->mem_shared);
	else
		snprintf(buf[COL_MEM], 64, "?");
	if (r->rate_valid)
		tui_fmt_rate(buf[COL_RATE], 64, r->rate);
	else
		snprintf(buf[COL_RATE], 64, "-");
	tui_fmt_count(buf[COL_TOTAL], 64, r->total);

	if (sel)
		tui_fill(s, y, 0, s->cols, TUI_ROLE_SELECTED, 0);
	for (i = 0; i < NUM_COLS; i++) {
		enum tui_role role = TUI_ROLE_NORMAL;

		if (c[i].width <= 0)
			continue;
		if (i == COL_TAG)
			role = r->owner_role;
		else if (i == COL_STATE)
			role = tui_state_role(ci->state);
		else if (i == COL_FAILED && ci->num_failed)
			role = TUI_ROLE_CPU_FAILED;
		if (sel)
			role = TUI_ROLE_SELECTED;
		/* A CPU list too long for its column says so with a '+'. */
		if (i == COL_CPUS && (int)strlen(buf[i]) > c[i].width && c[i].width > 1) {
			buf[i][c[i].width - 1] = '+';
			buf[i][c[i].width] = '\0';
		}
		tui_put_pad(s, y, x, c[i].width, role, buf[i], c[i].right);
		x += c[i].width + 1;
	}
}

static size_t cell_order(const struct tui_app *app, size_t *idx)
{
	return tui_model_cell_order(&app->model, app->cells_sort, app->cells_rev,
				    app->filter[TUI_VIEW_CELLS], idx);
}

static int selected_index(const struct tui_app *app, const size_t *idx, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (app->model.cells[idx[i]].cell->id == app->cells_sel_id)
			return (int)i;
	return 0;
}

void tui_view_cells_draw(struct tui_app *app, int y, int h)
{
	const struct tui_screen *s = &app->scr;
	struct tui_column c[NUM_COLS];
	size_t *idx, n, i;
	int row = y, x, sel, visible;

	if (!have_system(app, y, h))
		return;
	draw_gauges(app, row++);
	row += draw_strip(app, row, h / 4 > 1 ? h / 4 : 1);
	row++;

	cell_columns(c, s->cols);
	tui_fill(s, row, 0, s->cols, TUI_ROLE_HEADER, 0);
	for (i = 0, x = 0; i < NUM_COLS; i++) {
		if (c[i].width <= 0)
			continue;
		tui_put_pad(s, row, x, c[i].width,
			    (int)i == sort_col[app->cells_sort] ? TUI_ROLE_HEADER_SORT :
			    TUI_ROLE_HEADER, c[i].title, c[i].right);
		x += c[i].width + 1;
	}
	row++;

	idx = calloc(app->model.num_cells + 1, sizeof(*idx));
	if (!idx)
		return;
	n = cell_order(app, idx);
	visible = y + h - row;
	if (!n) {
		tui_put(s, row, 2, -1, TUI_ROLE_DIM, app->filter[TUI_VIEW_CELLS][0] ?
			"No cell matches the filter." : "No cells.");
		free(idx);
		return;
	}
	sel = selected_index(app, idx, n);
	app->cells_sel_id = app->model.cells[idx[sel]].cell->id;
	app->cells_top = tui_scroll_top(app->cells_top, sel, visible, (int)n);
	for (i = (size_t)app->cells_top; i < n && row < y + h; i++, row++)
		draw_cell_row(app, row, c, &app->model.cells[idx[i]], (int)i == sel);
	free(idx);
}

bool tui_view_cells_action(struct tui_app *app, enum tui_action a)
{
	size_t *idx, n;
	int sel, next;

	switch (a) {
	case TUI_ACT_SORT:
		app->cells_sort = (app->cells_sort + 1) % TUI_CELL_SORT_COUNT;
		snprintf(app->settings.cells_sort, sizeof(app->settings.cells_sort), "%s",
			 tui_cell_sort_name(app->cells_sort));
		app->settings.dirty = true;
		tui_app_status(app, TUI_ROLE_STATUS, "sorted by %s%s",
			       tui_cell_sort_name(app->cells_sort),
			       app->cells_rev ? ", reversed" : "");
		return true;
	case TUI_ACT_SORT_REVERSE:
		app->cells_rev = !app->cells_rev;
		app->settings.cells_sort_reverse = app->cells_rev;
		app->settings.dirty = true;
		tui_app_status(app, TUI_ROLE_STATUS, "sorted by %s%s",
			       tui_cell_sort_name(app->cells_sort),
			       app->cells_rev ? ", reversed" : "");
		return true;
	default:
		break;
	}
	if (!app->model.num_cells)
		return false;
	idx = calloc(app->model.num_cells, sizeof(*idx));
	if (!idx)
		return false;
	n = cell_order(app, idx);
	sel = n ? selected_index(app, idx, n) : -1;
	next = tui_list_move(sel, (int)n, a, app->lay.body_h - 6);
	if (next >= 0 && n) {
		app->cells_sel_id = app->model.cells[idx[next]].cell->id;
		app->dirty |= TUI_DIRTY_FRAME;
		free(idx);
		return true;
	}
	free(idx);
	if (sel < 0)
		return false;
	switch (a) {
	case TUI_ACT_DETAIL:
		app->detail_id = app->cells_sel_id;
		app->detail_cpu = -1;
		app->detail_top = 0;
		/* The detail wants this cell's per-CPU counters. */
		tui_app_refresh(app);
		app->next_refresh = tui_now_ms() +
			(app->settings.refresh_ms < 1000 ? app->settings.refresh_ms : 1000);
		return true;
	case TUI_ACT_CELL_CONSOLE:
		tui_app_show_console(app, app->cells_sel_id);
		return true;
	default:
		return false;
	}
}

/* ---- detail ---- */

static void add_counters(struct tui_app *app, struct tui_doc *d,
			 const struct tui_cell_row *row)
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
		    (app->detail_cpu < 0 || (unsigned int)app->detail_cpu == cpu) &&
		    ncpu < 16)
			cpus[ncpu++] = cr;
	}
	tui_doc_newline(d);
	if (app->detail_cpu < 0)
		tui_doc_add(d, TUI_ROLE_HEADER, "COUNTER (all CPUs)      TOTAL    PER SEC");
	else
		tui_doc_addf(d, TUI_ROLE_HEADER, "COUNTER (CPU %-3d)       TOTAL    PER SEC",
			     app->detail_cpu);
	for (k = 0; k < ncpu && app->detail_cpu < 0; k++) {
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

		if (app->detail_cpu >= 0) {
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
		for (k = 0; k < ncpu && app->detail_cpu < 0; k++) {
			if (cpus[k]->stats.rate_valid)
				tui_fmt_rate(v, sizeof(v), cpus[k]->stats.rate[i]);
			else
				snprintf(v, sizeof(v), "-");
			tui_doc_addf(d, TUI_ROLE_NORMAL, "%11s", v);
		}
	}
	if (app->detail_cpu >= 0 && !ncpu) {
		tui_doc_newline(d);
		tui_doc_addf(d, TUI_ROLE_DIM, "No counters read for CPU %d yet.", app->detail_cpu);
	}
}

static void add_graph(struct tui_app *app, struct tui_doc *d,
		      const struct tui_cell_row *row, int width)
{
	const struct tui_history *h = NULL;
	unsigned int bars[TUI_HISTORY_LEN], r;
	char scale[32], title[96];
	int i, w = width - 10;
	double max;

	if (app->detail_cpu >= 0 && (size_t)app->detail_cpu < app->model.num_cpu_hist) {
		h = &app->model.cpu_hist[app->detail_cpu];
		snprintf(title, sizeof(title), "VM exits per second on CPU %d", app->detail_cpu);
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
	max = tui_history_bars(h, (unsigned int)w, GRAPH_ROWS, 1.0, bars);
	tui_fmt_rate(scale, sizeof(scale), max);
	tui_doc_addf(d, TUI_ROLE_LABEL, "%s, last %u samples (every %.1f s)", title,
		     h->len, app->settings.refresh_ms / 1000.0);
	for (r = GRAPH_ROWS; r > 0; r--) {
		tui_doc_newline(d);
		if (r == GRAPH_ROWS)
			tui_doc_addf(d, TUI_ROLE_DIM, "%8s ", scale);
		else if (r == 1)
			tui_doc_addf(d, TUI_ROLE_DIM, "%8s ", "0");
		else
			tui_doc_add(d, TUI_ROLE_DIM, "         ");
		tui_doc_add(d, TUI_ROLE_BORDER, app->scr.ascii ? "|" : "|");
		for (i = 0; i < w; i++) {
			if (bars[i] >= r)
				tui_doc_blocks(d, TUI_ROLE_GRAPH, 1);
			else
				tui_doc_add(d, TUI_ROLE_NORMAL, " ");
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

static void add_config(struct tui_doc *d, const struct hvctl_cell_info *ci)
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
	tui_doc_addf(d, TUI_ROLE_HEADER, "%-3s %-18s %-18s %-10s %-34s %s", "#", "PHYS", "VIRT",
		     "SIZE", "FLAGS", "NAME");
	for (i = 0; i < cd->num_memory_regions; i++) {
		struct hv_memory m = c->mem[i];
		char name[40] = "";

		hvctl_config_mem_flags_str(buf, sizeof(buf), m.flags);
		tui_fmt_size(size, sizeof(size), m.size);
		if (c->mem_names && c->mem_names[i])
			hvctl_sanitize_str(name, sizeof(name), c->mem_names[i]);
		tui_doc_newline(d);
		tui_doc_addf(d, region_role(c, i),
			     "%-3u 0x%016" PRIx64 " 0x%016" PRIx64 " %-10s %-34.34s %s", i,
			     (uint64_t)m.phys_start, (uint64_t)m.virt_start, size, buf, name);
	}

	tui_doc_newline(d);
	tui_doc_newline(d);
	tui_doc_addf(d, TUI_ROLE_LABEL, "IRQ chips: %u", cd->num_irqchips);
	for (i = 0; i < cd->num_irqchips; i++) {
		struct hv_irqchip ic = c->irqchips[i];
		unsigned int pins = 0, w, first = 0, last = 0;
		bool any = false;

		for (w = 0; w < HV_IRQCHIP_PINS; w++) {
			if (!(ic.pin_bitmap[w / 32] & (1u << (w % 32))))
				continue;
			if (!any)
				first = w;
			last = w;
			any = true;
			pins++;
		}
		tui_doc_newline(d);
		if (any)
			tui_doc_addf(d, TUI_ROLE_NORMAL,
				     "  at 0x%" PRIx64 " id %u: %u interrupt%s between %u and %u",
				     (uint64_t)ic.address, ic.id, pins, pins == 1 ? "" : "s",
				     ic.pin_base + first, ic.pin_base + last);
		else
			tui_doc_addf(d, TUI_ROLE_NORMAL, "  at 0x%" PRIx64 " id %u: no interrupts",
				     (uint64_t)ic.address, ic.id);
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

void tui_view_detail_draw(struct tui_app *app, int y, int h)
{
	const struct tui_cell_row *row;
	const struct hvctl_cell_info *ci;
	struct tui_doc d;
	char mem[32], shared[32];

	if (!have_system(app, y, h))
		return;
	row = tui_model_cell(&app->model, app->detail_id);
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
	add_counters(app, &d, row);
	add_graph(app, &d, row, app->scr.cols - 2);
	add_config(&d, ci);

	if (app->detail_top > (int)d.count - h)
		app->detail_top = (int)d.count - h;
	if (app->detail_top < 0)
		app->detail_top = 0;
	tui_doc_draw(&d, &app->scr, y, 0, app->scr.cols, h, (size_t)app->detail_top);
	tui_doc_free(&d);
}

bool tui_view_detail_action(struct tui_app *app, enum tui_action a)
{
	const struct tui_cell_row *row = tui_model_cell(&app->model, app->detail_id);
	unsigned int i;

	switch (a) {
	case TUI_ACT_BACK:
		app->detail_id = -1;
		app->dirty |= TUI_DIRTY_FRAME;
		return true;
	case TUI_ACT_UP:
		app->detail_top--;
		break;
	case TUI_ACT_DOWN:
		app->detail_top++;
		break;
	case TUI_ACT_PAGE_UP:
		app->detail_top -= app->lay.body_h;
		break;
	case TUI_ACT_PAGE_DOWN:
		app->detail_top += app->lay.body_h;
		break;
	case TUI_ACT_HOME:
		app->detail_top = 0;
		break;
	case TUI_ACT_END:
		app->detail_top = 1 << 20;
		break;
	case TUI_ACT_NEXT_CPU:
		/* all -> first CPU -> ... -> last CPU -> all */
		if (!row || !row->cell->num_cpus)
			break;
		if (app->detail_cpu < 0) {
			app->detail_cpu = (int)row->cell->cpus[0];
		} else {
			for (i = 0; i < row->cell->num_cpus; i++)
				if ((int)row->cell->cpus[i] == app->detail_cpu)
					break;
			app->detail_cpu = i + 1 < row->cell->num_cpus ?
					  (int)row->cell->cpus[i + 1] : -1;
		}
		break;
	case TUI_ACT_CELL_CONSOLE:
		tui_app_show_console(app, app->detail_id);
		return true;
	default:
		return false;
	}
	if (app->detail_top < 0)
		app->detail_top = 0;
	app->dirty |= TUI_DIRTY_FRAME;
	return true;
}
