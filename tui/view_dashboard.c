// SPDX-License-Identifier: MIT
/*
 * The dashboard, hvtop's first view: the pool gauges, one bar per
 * physical CPU in the colour of the cell that owns it (with a legend),
 * the cell table with each cell's exit-rate sparkline, and the latest
 * console lines, coloured by the cell that wrote them, in the rows left.
 * What gives way on a small terminal is tui_dash_plan()'s (layout.h).
 */
#include "app.h"

#include <stdio.h>
#include <string.h>

struct dash_view {
	int top;			/* first cell row shown */
};

/* The bar's fill: the CPU's exit rate against the busiest CPU's. */
static double busiest_rate(const struct tui_model *m)
{
	double max = 0.0;
	size_t i;

	for (i = 0; i < m->num_cpus; i++)
		if (m->cpus[i].rate_valid && m->cpus[i].rate > max)
			max = m->cpus[i].rate;
	return max;
}

static void draw_bar(struct tui_app *app, int y, int x, int w, const struct tui_cpu_row *c,
		     double max)
{
	const struct tui_screen *s = &app->scr;
	enum tui_role role = TUI_ROLE_CPU_FREE;
	char inner[256], name[HVCTL_CELL_NAME_MAX + 1], rate[32] = "";
	int iw = w - 6, fill = 0, i, nl, rl;
	chtype attr;

	if (iw < 2)
		return;
	if (iw > (int)sizeof(inner) - 1)
		iw = (int)sizeof(inner) - 1;
	tui_putf(s, y, x, 4, TUI_ROLE_DIM, "%3u ", c->cpu);
	if (c->info->failed) {
		role = TUI_ROLE_CPU_FAILED;
		snprintf(name, sizeof(name), "FAILED");
		fill = iw;
	} else if (c->owner) {
		role = c->owner->owner_role;
		hvctl_sanitize_str(name, sizeof(name), c->owner->cell->name);
		if (c->rate_valid) {
			tui_fmt_rate(rate, sizeof(rate), c->rate);
			snprintf(rate + strlen(rate), sizeof(rate) - strlen(rate), "/s");
			fill = tui_gauge_fill((uint64_t)(c->rate * 1000.0),
					      (uint64_t)(max * 1000.0), iw);
		}
	} else {
		snprintf(name, sizeof(name), "free");
	}
	/* The owner's name at the left, the rate at the right, over the fill. */
	memset(inner, ' ', (size_t)iw);
	inner[iw] = '\0';
	nl = (int)strlen(name);
	rl = (int)strlen(rate);
	if (rl + 1 >= iw)
		rl = 0;
	if (nl > iw - (rl ? rl + 1 : 0)) {
		/* Cut short: the last column that fits is the '>' mark. */
		nl = iw - (rl ? rl + 1 : 0);
		if (nl > 1)
			name[nl - 1] = '>';
	}
	memcpy(inner, name, (size_t)(nl > 0 ? nl : 0));
	if (rl)
		memcpy(inner + iw - rl, rate, (size_t)rl);
	tui_put(s, y, x + 4, 1, TUI_ROLE_BORDER, "[");
	attr = tui_attr(s, role);
	for (i = 0; i < iw; i++) {
		bool on = i < fill;

		/* Monochrome keeps the fill visible as reverse video too. */
		attrset(on ? attr | A_REVERSE : attr);
		mvaddch(y, x + 5 + i, (chtype)(unsigned char)inner[i]);
	}
	attrset(A_NORMAL);
	tui_put(s, y, x + 5 + iw, 1, TUI_ROLE_BORDER, "]");
}

static void draw_bars(struct tui_app *app, int y, const struct tui_dash_plan *p)
{
	const struct tui_model *m = &app->model;
	double max = busiest_rate(m);
	size_t i;

	/* Column by column, so CPU numbers run downwards as in htop. */
	for (i = 0; i < m->num_cpus; i++) {
		int col = (int)i / p->cpu_rows, row = (int)i % p->cpu_rows;

		if (col >= p->cpu_cols)
			break;
		draw_bar(app, y + row, col * p->bar_w, p->bar_w - 1, &m->cpus[i], max);
	}
}

/* "CPUs owned by: 0 sim-root  1 rtos ...  . free  ! failed", cut with '>'. */
static void draw_legend(struct tui_app *app, int y)
{
	const struct tui_model *m = &app->model;
	const struct tui_screen *s = &app->scr;
	int x, room = s->cols - 1;
	size_t i;

	x = tui_put(s, y, 0, -1, TUI_ROLE_LABEL, "CPUs owned by: ");
	for (i = 0; i < m->num_cells; i++) {
		const struct tui_cell_row *r = &m->cells[i];
		char name[HVCTL_CELL_NAME_MAX + 1];
		int need;

		hvctl_sanitize_str(name, sizeof(name), r->cell->name);
		need = 2 + (int)strlen(name) + 2;
		if (x + need > room - 18) {
			tui_put(s, y, x, 1, TUI_ROLE_DIM, ">");
			return;
		}
		attrset(tui_attr(s, r->owner_role) | A_REVERSE);
		mvaddch(y, x, (chtype)(unsigned char)r->tag);
		attrset(A_NORMAL);
		x += 2;
		x += tui_put(s, y, x, -1, r->owner_role, name);
		x += 2;
	}
	x += tui_put(s, y, x, -1, TUI_ROLE_CPU_FREE, ". free");
	x += 2;
	tui_put(s, y, x, -1, TUI_ROLE_CPU_FAILED, "! failed");
}

static const struct tui_console_src *hv_console(const struct tui_app *app)
{
	size_t i;

	for (i = 0; i < app->num_cons; i++)
		if (app->cons[i].cell_id == HVCTL_CONSOLE_HYPERVISOR)
			return &app->cons[i];
	return NULL;
}

/* A line "[name] ..." is that cell's: its owner colour. */
static enum tui_role line_role(const struct tui_model *m, const char *t, unsigned int len)
{
	const char *end;
	size_t i, n;

	if (len < 3 || t[0] != '[')
		return TUI_ROLE_CONSOLE_TEXT;
	end = memchr(t, ']', len);
	if (!end)
		return TUI_ROLE_CONSOLE_TEXT;
	n = (size_t)(end - t - 1);
	for (i = 0; i < m->num_cells; i++) {
		const char *name = m->cells[i].cell->name;

		if (strlen(name) == n && !memcmp(name, t + 1, n))
			return m->cells[i].owner_role;
	}
	return TUI_ROLE_CONSOLE_TEXT;
}

static void draw_console(struct tui_app *app, int y, int h)
{
	const struct tui_console_src *src = hv_console(app);
	const struct tui_screen *s = &app->scr;
	uint64_t begin, end, n;
	int row;

	tui_fill(s, y, 0, s->cols, TUI_ROLE_HEADER, 0);
	tui_put(s, y, 0, -1, TUI_ROLE_HEADER, "CONSOLE (latest; 5 opens the console view)");
	if (!src)
		return;
	if (!src->reader && src->why[0]) {
		tui_put(s, y + 1, 1, -1, TUI_ROLE_DIM, src->why);
		return;
	}
	begin = tui_conbuf_begin(&src->buf);
	end = tui_conbuf_end(&src->buf);
	n = (uint64_t)(h - 1);
	if (end - begin > n)
		begin = end - n;
	for (row = y + 1; begin < end; begin++, row++) {
		enum tui_conline_kind kind = TUI_CONLINE_TEXT;
		unsigned int len = 0;
		const char *t = tui_conbuf_line(&src->buf, begin, &len, &kind);
		enum tui_role role;

		if (!t)
			continue;
		role = kind == TUI_CONLINE_LOST ? TUI_ROLE_CONSOLE_LOST :
		       kind == TUI_CONLINE_NOTE ? TUI_ROLE_CONSOLE_NOTE :
		       line_role(&app->model, t, len);
		tui_put_clip(s, row, 0, s->cols, role, t);
	}
}

static void dash_draw(struct tui_app *app, void *state, int y, int h)
{
	struct dash_view *v = state;
	struct tui_dash_plan p;
	int row = y;

	if (!tui_view_have_system(app, y, h))
		return;
	tui_dash_plan(&p, app->scr.cols, h, (unsigned int)app->model.num_cpus,
		      (unsigned int)app->model.num_cells);
	row += tui_cells_gauges(app, row, p.gauge_rows > 1);
	if (p.bar_w)
		draw_bars(app, row, &p);
	else
		tui_cells_strip(app, row, p.cpu_rows);
	row += p.cpu_rows;
	draw_legend(app, row);
	row += p.legend_rows;
	row += tui_cells_table(app, row, p.table_rows, TUI_VIEW_DASHBOARD, &v->top, true);
	if (p.console_rows > 1)
		draw_console(app, y + h - p.console_rows, p.console_rows);
}

static bool dash_key(struct tui_app *app, void *state, enum tui_action a)
{
	(void)state;
	return tui_cells_key(app, TUI_VIEW_DASHBOARD, 5, a);
}

/* The bars show each CPU's own exit rate; the strip of a big board none. */
static int dash_cpu_stats(const struct tui_app *app, const void *state)
{
	struct tui_dash_plan p;
	unsigned int ncpus = app->model.snap ? app->model.snap->num_cpus : 0;

	(void)state;
	tui_dash_plan(&p, app->scr.cols, app->lay.body_h, ncpus,
		      app->model.snap ? (unsigned int)app->model.snap->num_cells : 0);
	return p.bar_w ? HVCTL_CPU_STATS_ALL : HVCTL_CPU_STATS_NONE;
}

static const char *const dash_help_text[] = {
	"Pool gauges; one bar per CPU in its owner's colour, filled by its",
	"exit rate against the busiest CPU (too many CPUs for bars: the strip",
	"of the Cells view); the cells (keys as in Cells);",
	"the latest console lines in the colour of the cell that wrote them.",
	"A small terminal drops the sparklines, then the console lines, then",
	"puts both gauges on one line.",
	NULL,
};

const struct tui_view_ops tui_view_dashboard_ops = {
	.name = "dashboard",
	.title = "Dashboard",
	.keys = TUI_KEYS_CELLS,
	.parent = -1,
	.state_size = sizeof(struct dash_view),
	.draw = dash_draw,
	.key = dash_key,
	.help_text = dash_help_text,
	.cpu_stats = dash_cpu_stats,
};
