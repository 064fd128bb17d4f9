// SPDX-License-Identifier: MIT
/*
 * The memory map view: every cell's regions on the physical address
 * axis, coloured by owner, hypervisor memory, root-shared, ivshmem and
 * communication regions marked, gaps shown; scrolling and zoom.
 */
#include "app.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The memory map's own state. */
struct memmap_view {
	size_t sel;		/* the selected segment */
	int top;
	unsigned int zoom;	/* tui_zoom_bytes_per_row() */
};

static bool *visible_segs(const struct tui_app *app)
{
	const struct hvctl_layout *mm = &app->model.memmap;
	const char *filter = app->filter[TUI_VIEW_MEMMAP];
	bool *show;
	size_t i;

	if (!filter[0] || !mm->count)
		return NULL;
	show = calloc(mm->count, sizeof(*show));
	if (!show)
		return NULL;
	for (i = 0; i < mm->count; i++) {
		const struct hvctl_segment *s = &mm->segs[i];
		char text[HVCTL_SEG_OWNERS_MAX + HVCTL_SEG_NAME_MAX + 32];

		snprintf(text, sizeof(text), "%s %s %s", s->owners,
			 hvctl_region_kind_name(s->kind), s->name);
		show[i] = tui_filter_match(filter, text);
	}
	return show;
}

/* Rows the map shows for the current zoom and filter (caller frees). */
static size_t memmap_rows(const struct tui_app *app, const struct memmap_view *v,
			  struct tui_mmrow **out)
{
	const struct hvctl_layout *mm = &app->model.memmap;
	bool *show = visible_segs(app);
	size_t n = tui_memmap_rows(mm, v->zoom, show, NULL, 0);

	*out = calloc(n + 1, sizeof(**out));
	if (*out)
		tui_memmap_rows(mm, v->zoom, show, *out, n);
	else
		n = 0;
	free(show);
	return n;
}

static enum tui_role seg_role(const struct tui_app *app, const struct hvctl_segment *s)
{
	const struct tui_cell_row *owner;

	switch (s->kind) {
	case HVCTL_REGION_HYPERVISOR:
		return TUI_ROLE_MEM_HYPERVISOR;
	case HVCTL_REGION_IVSHMEM:
		return TUI_ROLE_MEM_IVSHMEM;
	case HVCTL_REGION_GAP:
		return TUI_ROLE_MEM_GAP;
	case HVCTL_REGION_COMM:
		return TUI_ROLE_MEM_COMM;
	default:
		break;
	}
	if (s->shared_root)
		return TUI_ROLE_MEM_ROOTSHARED;
	owner = tui_model_cell(&app->model, s->cell_id);
	return owner ? owner->owner_role : TUI_ROLE_NORMAL;
}

static void seg_marks(const struct hvctl_segment *s, char *m)
{
	int n = 0;

	if (s->kind == HVCTL_REGION_HYPERVISOR)
		m[n++] = 'H';
	if (s->shared_root)
		m[n++] = 'S';
	if (s->kind == HVCTL_REGION_IVSHMEM)
		m[n++] = 'V';
	if (s->kind == HVCTL_REGION_IO)
		m[n++] = 'I';
	if (s->kind == HVCTL_REGION_COMM)
		m[n++] = 'C';
	if (s->overlap)
		m[n++] = '!';
	m[n] = '\0';
}

enum { MC_ADDR, MC_BAR, MC_OWNER, MC_KIND, MC_SIZE, MC_MARK, MC_DETAIL, MC_COUNT };

static void mm_columns(struct tui_column *c, int width, int digits)
{
	static const struct tui_column def[MC_COUNT] = {
		[MC_ADDR]	= { "ADDRESS", 18, 18, false, false, false },
		[MC_BAR]	= { "", 2, 2, false, false, false },
		[MC_OWNER]	= { "OWNER", 16, 10, true, false, false },
		[MC_KIND]	= { "KIND", 10, 10, false, false, false },
		[MC_SIZE]	= { "SIZE", 9, 9, false, true, false },
		[MC_MARK]	= { "MARK", 4, 4, false, false, false },
		[MC_DETAIL]	= { "FLAGS / NAME", 10, 4, true, false, true },
	};

	memcpy(c, def, sizeof(def));
	/* "0x" and the digits the board's largest address needs. */
	c[MC_ADDR].width = c[MC_ADDR].min = digits + 2;
	tui_columns_fit(c, MC_COUNT, width);
}

static void draw_seg_row(struct tui_app *app, int y, const struct tui_column *c,
			 const struct hvctl_segment *s, const struct tui_mmrow *r, bool sel)
{
	const struct tui_screen *sc = &app->scr;
	enum tui_role role = seg_role(app, s);
	char buf[MC_COUNT][160];
	int x = 0, k;

	memset(buf, 0, sizeof(buf));
	snprintf(buf[MC_ADDR], 128, "0x%0*" PRIx64, app->model.addr_digits, r->addr);
	if (r->first) {
		if (s->kind == HVCTL_REGION_GAP) {
			snprintf(buf[MC_OWNER], 128, "(unused)");
			snprintf(buf[MC_KIND], 128, "gap");
		} else {
			hvctl_sanitize_str(buf[MC_OWNER], 128, s->owners);
			snprintf(buf[MC_KIND], 128, "%s", hvctl_region_kind_name(s->kind));
		}
		tui_fmt_size(buf[MC_SIZE], 128, s->size);
		seg_marks(s, buf[MC_MARK]);
		if (s->kind != HVCTL_REGION_GAP && s->kind != HVCTL_REGION_HYPERVISOR) {
			char flags[96], name[HVCTL_SEG_NAME_MAX];

			hvctl_config_mem_flags_str(flags, sizeof(flags), s->flags);
			hvctl_sanitize_str(name, sizeof(name), s->name);
			snprintf(buf[MC_DETAIL], 160, "%s%s%s", flags, name[0] ? "  " : "", name);
		}
	}
	if (r->hidden) {
		char size[32];

		tui_fmt_size(size, sizeof(size), r->hidden);
		snprintf(buf[MC_DETAIL], 160, "... %s more not shown", size);
	}
	if (sel)
		tui_fill(sc, y, 0, sc->cols, TUI_ROLE_SELECTED, 0);
	for (k = 0; k < MC_COUNT; k++) {
		enum tui_role rr = sel ? TUI_ROLE_SELECTED :
				   k == MC_ADDR ? (r->first ? TUI_ROLE_NORMAL : TUI_ROLE_DIM) :
				   k == MC_MARK ? TUI_ROLE_WARNING :
				   s->kind == HVCTL_REGION_GAP ? TUI_ROLE_MEM_GAP :
				   k == MC_OWNER ? role : TUI_ROLE_NORMAL;

		if (c[k].width <= 0)
			continue;
		if (k == MC_BAR) {
			if (s->kind == HVCTL_REGION_GAP)
				tui_put(sc, y, x, c[k].width, TUI_ROLE_MEM_GAP, ":");
			else if (app->mono)
				tui_fill(sc, y, x, c[k].width, role, tui_vline_char(sc));
			else
				tui_fill(sc, y, x, c[k].width, role, tui_block_char(sc));
		} else {
			tui_put_pad(sc, y, x, c[k].width, rr, buf[k], c[k].right);
		}
		x += c[k].width + 1;
	}
}

static void memmap_draw(struct tui_app *app, void *state, int y, int h)
{
	struct memmap_view *v = state;
	const struct tui_screen *sc = &app->scr;
	const struct hvctl_layout *mm = &app->model.memmap;
	struct tui_column c[MC_COUNT];
	struct tui_mmrow *rows = NULL;
	size_t n, i, total;
	int row = y, x, sel_row = 0, visible;
	uint64_t bpr = tui_zoom_bytes_per_row(v->zoom);
	char zoom[48];

	if (!app->model.snap || !app->model.snap->system.enabled) {
		tui_view_message(app, y, h, app->model.snap ? TUI_ROLE_WARNING :
				 TUI_ROLE_STATUS_ERROR, app->model.snap ?
				 "The hypervisor is disabled: no memory is partitioned." :
				 "Backend not reachable.", app->conn_msg[0] ? app->conn_msg : NULL);
		return;
	}
	if (bpr) {
		tui_fmt_size(zoom, sizeof(zoom), bpr);
		strcat(zoom, " per row");
	} else {
		snprintf(zoom, sizeof(zoom), "one row per region");
	}
	x = tui_putf(sc, row, 0, -1, TUI_ROLE_LABEL, "Physical memory, %s", zoom);
	tui_put(sc, row, x + 2, -1, TUI_ROLE_DIM,
		"marks: H hypervisor S root-shared V ivshmem I I/O ! overlap");
	row++;
	if (!mm->hv_known)
		tui_put(sc, row++, 0, -1, TUI_ROLE_DIM,
			"(hypervisor memory not shown: the system config was not recorded)");

	mm_columns(c, sc->cols, app->model.addr_digits);
	tui_fill(sc, row, 0, sc->cols, TUI_ROLE_HEADER, 0);
	for (i = 0, x = 0; i < MC_COUNT; i++) {
		if (c[i].width <= 0)
			continue;
		tui_put_pad(sc, row, x, c[i].width, TUI_ROLE_HEADER, c[i].title, c[i].right);
		x += c[i].width + 1;
	}
	row++;

	n = memmap_rows(app, v, &rows);
	if (!n) {
		tui_put(sc, row, 2, -1, TUI_ROLE_DIM, mm->count ?
			"No region matches the filter." :
			"No region known (no cell config is available).");
		free(rows);
		return;
	}
	/* Keep the selection on a shown segment. */
	for (i = 0; i < n; i++)
		if (rows[i].seg == v->sel && rows[i].first)
			break;
	if (i == n) {
		v->sel = rows[0].seg;
		i = 0;
	}
	sel_row = (int)i;
	total = n + (mm->num_comm ? mm->num_comm + 2 : 0);
	visible = y + h - row;
	v->top = tui_scroll_top(v->top, sel_row, visible, (int)total);
	for (i = (size_t)v->top; i < total && row < y + h; i++, row++) {
		if (i < n) {
			draw_seg_row(app, row, c, &mm->segs[rows[i].seg], &rows[i],
				     rows[i].seg == v->sel);
		} else if (i == n + 1) {
			tui_put(sc, row, 0, -1, TUI_ROLE_LABEL,
				"Communication regions (guest-physical; the hypervisor provides the page)");
		} else if (i > n + 1) {
			const struct hvctl_segment *s = &mm->comm[i - n - 2];
			struct tui_mmrow r = { 0, s->start, true, 0 };

			draw_seg_row(app, row, c, s, &r, false);
		}
	}
	free(rows);
}

static bool memmap_key(struct tui_app *app, void *state, enum tui_action a)
{
	struct memmap_view *v = state;
	struct tui_mmrow *rows = NULL;
	size_t n, i, sel = 0, target;
	const struct hvctl_segment *s;

	switch (a) {
	case TUI_ACT_ZOOM_IN:
	case TUI_ACT_ZOOM_OUT:
		if (a == TUI_ACT_ZOOM_IN && v->zoom < TUI_ZOOM_MAX)
			v->zoom++;
		else if (a == TUI_ACT_ZOOM_OUT && v->zoom > 0)
			v->zoom--;
		if (v->zoom) {
			char size[32];

			tui_fmt_size(size, sizeof(size), tui_zoom_bytes_per_row(v->zoom));
			tui_app_status(app, TUI_ROLE_STATUS, "zoom: %s per row", size);
		} else {
			tui_app_status(app, TUI_ROLE_STATUS, "zoom: one row per region");
		}
		return true;
	case TUI_ACT_DETAIL:
		if (v->sel >= app->model.memmap.count)
			return true;
		s = &app->model.memmap.segs[v->sel];
		if (s->cell_id < 0 || !tui_model_cell(&app->model, s->cell_id)) {
			tui_app_status(app, TUI_ROLE_WARNING, "this region belongs to no cell");
			return true;
		}
		tui_app_open_detail(app, s->cell_id, -1);
		return true;
	default:
		break;
	}
	n = memmap_rows(app, v, &rows);
	if (!n) {
		free(rows);
		return false;
	}
	for (i = 0; i < n; i++)
		if (rows[i].seg == v->sel && rows[i].first)
			sel = i;
	switch (a) {
	case TUI_ACT_UP:
		/* The first row of the previous segment. */
		target = sel;
		while (target > 0 && (rows[target].seg == rows[sel].seg || !rows[target].first))
			target--;
		break;
	case TUI_ACT_DOWN:
		target = sel + 1;
		while (target < n && !rows[target].first)
			target++;
		if (target >= n)
			target = sel;
		break;
	case TUI_ACT_PAGE_UP:
		target = sel > (size_t)app->lay.body_h ? sel - (size_t)app->lay.body_h : 0;
		break;
	case TUI_ACT_PAGE_DOWN:
		target = sel + (size_t)app->lay.body_h < n ? sel + (size_t)app->lay.body_h : n - 1;
		break;
	case TUI_ACT_HOME:
		target = 0;
		break;
	case TUI_ACT_END:
		target = n - 1;
		break;
	default:
		free(rows);
		return false;
	}
	v->sel = rows[target].seg;
	free(rows);
	app->dirty |= TUI_DIRTY_FRAME;
	return true;
}

static size_t memmap_help(const struct tui_app *app, const void *state,
			  char (*lines)[160], size_t max)
{
	const struct memmap_view *v = state;
	char size[32];

	(void)app;
	if (!max)
		return 0;
	if (v->zoom) {
		tui_fmt_size(size, sizeof(size), tui_zoom_bytes_per_row(v->zoom));
		snprintf(lines[0], 160, "Zoom: %s per row; zoom out to one row per region.", size);
	} else {
		snprintf(lines[0], 160, "Zoom: one row per region; zoom in for rows of equal size.");
	}
	return 1;
}

const struct tui_view_ops tui_view_memmap_ops = {
	.name = "memory",
	.title = "Memory map",
	.keys = TUI_KEYS_MEMMAP,
	.parent = -1,
	.state_size = sizeof(struct memmap_view),
	.draw = memmap_draw,
	.key = memmap_key,
	.help = memmap_help,
};
