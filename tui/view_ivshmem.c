// SPDX-License-Identifier: MIT
/*
 * The ivshmem view: every link (BDF, protocol, sections), its peers by
 * cell name with their state, and the root cell's device where it has one.
 */
#include "app.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

/* The ivshmem view's own state. */
struct ivshmem_view {
	int sel;				/* the selected link, among those shown */
	int top;
	struct hvctl_ivshmem_list *devs;	/* the root cell's devices, when listed */
};

static bool link_shown(const struct tui_app *app, const struct hvctl_link *l)
{
	const char *filter = app->filter[TUI_VIEW_IVSHMEM];
	char text[512], proto[40], bdf[24];
	size_t used;
	unsigned int i;

	if (!filter[0])
		return true;
	hvctl_shmem_protocol_str(proto, sizeof(proto), l->protocol);
	hvctl_bdf_str(bdf, sizeof(bdf), l->num_peers ? l->peers[0].domain : 0, l->bdf, true);
	used = (size_t)snprintf(text, sizeof(text), "%s %s", bdf, proto);
	for (i = 0; i < l->num_peers && used < sizeof(text); i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, " %s",
					 l->peers[i].cell);
	return tui_filter_match(filter, text);
}

/* The root cell's PCI device for this link, matched by BDF. */
static const struct hvctl_ivshmem_device *root_device(const struct ivshmem_view *v,
						      const struct hvctl_link_peer *p,
						      uint16_t bdf)
{
	char want[24];
	size_t i;

	if (!v->devs)
		return NULL;
	hvctl_bdf_str(want, sizeof(want), p->domain, bdf, true);
	for (i = 0; i < v->devs->count; i++)
		if (v->devs->items[i].slot &&
		    !strcmp(v->devs->items[i].slot, want))
			return &v->devs->items[i];
	return NULL;
}

/* What the hypervisor reports of this peer, NULL when it has no such peer. */
static const struct hvctl_ivshmem_peer *reported_peer(const struct hvctl_snapshot *snap,
						      const struct hvctl_link_peer *p,
						      uint16_t bdf)
{
	size_t i;

	for (i = 0; i < snap->num_ivshmem; i++)
		if (snap->ivshmem[i].domain == p->domain &&
		    snap->ivshmem[i].bdf == bdf &&
		    snap->ivshmem[i].dev_id == p->dev_id)
			return &snap->ivshmem[i];
	return NULL;
}

/* The peer's State register, interrupts and doorbells, live. */
static void add_peer_report(struct tui_app *app, struct tui_doc *d,
			    const struct hvctl_link_peer *p, uint16_t bdf)
{
	const struct hvctl_snapshot *snap = app->model.snap;
	const struct hvctl_ivshmem_peer *r;

	if (!snap || !snap->ivshmem_reported)
		return;
	r = reported_peer(snap, p, bdf);
	tui_doc_newline(d);
	if (!r) {
		tui_doc_add(d, TUI_ROLE_DIM, "             not on the link now");
		return;
	}
	tui_doc_add(d, TUI_ROLE_DIM, "             ivshmem state ");
	tui_doc_addf(d, r->state ? TUI_ROLE_STATE_RUNNING : TUI_ROLE_STATE_SHUTDOWN,
		     "%-10" PRIu32, r->state);
	tui_doc_addf(d, TUI_ROLE_DIM, " interrupts %-3s  doorbells received ",
		     r->interrupts ? "on" : "off");
	tui_doc_addf(d, TUI_ROLE_VALUE, "%" PRIu64, r->doorbells);
}

static void add_link(struct tui_app *app, const struct ivshmem_view *v, struct tui_doc *d,
		     const struct hvctl_link *l, bool sel)
{
	char bdf[24], proto[40], st[24], rw[24], out[24];
	unsigned int i;
	enum tui_role hdr = sel ? TUI_ROLE_SELECTED : TUI_ROLE_VALUE;

	/* With its PCI domain, as the cell detail writes it. */
	hvctl_bdf_str(bdf, sizeof(bdf), l->num_peers ? l->peers[0].domain : 0, l->bdf, true);
	tui_fmt_size(st, sizeof(st), l->state_size);
	tui_fmt_size(rw, sizeof(rw), l->rw_size);
	tui_fmt_size(out, sizeof(out), l->out_size);
	tui_doc_newline(d);
	/* Protocol 0 is "none set", not a protocol called "undefined". */
	if (!l->protocol)
		snprintf(proto, sizeof(proto), "no protocol");
	else {
		char name[40];

		hvctl_shmem_protocol_str(name, sizeof(name), l->protocol);
		snprintf(proto, sizeof(proto), "protocol %.30s", name);
	}
	tui_doc_addf(d, hdr, "%s  %-22s %u of %u peers present  state table %s  read/write %s  "
		     "output %s each", bdf, proto, l->num_peers, l->max_peers, st, rw, out);
	for (i = 0; i < l->num_peers; i++) {
		const struct hvctl_link_peer *p = &l->peers[i];
		const struct tui_cell_row *cell = tui_model_cell(&app->model, p->cell_id);
		const struct hvctl_ivshmem_device *dev;
		char name[40];

		hvctl_sanitize_str(name, sizeof(name), p->cell);
		tui_doc_newline(d);
		tui_doc_addf(d, TUI_ROLE_NORMAL, "    peer %-2u ", p->dev_id);
		tui_doc_addf(d, cell ? cell->owner_role : TUI_ROLE_NORMAL, "%-20s", name);
		tui_doc_addf(d, TUI_ROLE_DIM, " cell %-3d ", p->cell_id);
		if (cell)
			tui_doc_addf(d, tui_state_role(cell->cell->state), "%-14s",
				     cell->cell->state_name);
		else
			tui_doc_add(d, TUI_ROLE_DIM, "gone          ");
		tui_doc_addf(d, TUI_ROLE_NORMAL, " output at 0x%" PRIx64 ", sections at guest 0x%"
			     PRIx64, p->out_phys, p->shm_virt);
		add_peer_report(app, d, p, l->bdf);
		if (p->cell_id == 0) {
			dev = root_device(v, p, l->bdf);
			tui_doc_newline(d);
			if (dev)
				tui_doc_addf(d, TUI_ROLE_DIM,
					     "             root cell device %s, class 0x%06x, driver %s",
					     dev->slot, dev->class_code,
					     dev->driver ? dev->driver : "(none bound)");
			else
				tui_doc_add(d, TUI_ROLE_DIM,
					    "             root cell device not visible on this backend");
		}
	}
	if (l->problem[0]) {
		tui_doc_newline(d);
		tui_doc_addf(d, TUI_ROLE_WARNING, "    ! %s", l->problem);
	}
	if (l->max_peers < 2) {
		tui_doc_newline(d);
		tui_doc_add(d, TUI_ROLE_WARNING, "    ! only one peer is configured: no one to talk to");
	} else if (l->num_peers < 2) {
		/* The others are configured but do not exist (destroyed, not created). */
		tui_doc_newline(d);
		tui_doc_addf(d, TUI_ROLE_WARNING,
			     "    ! %u of %u peers present: no one to talk to until another is created",
			     l->num_peers, l->max_peers);
	}
	tui_doc_newline(d);
}

static void ivshmem_draw(struct tui_app *app, void *state, int y, int h)
{
	struct ivshmem_view *v = state;
	const struct hvctl_links *links = &app->model.links;
	struct tui_doc d;
	size_t i, shown = 0, sel_line = 0;
	int sel = v->sel;

	if (!app->model.snap || !app->model.snap->system.enabled) {
		tui_view_message(app, y, h, app->model.snap ? TUI_ROLE_WARNING :
				 TUI_ROLE_STATUS_ERROR, app->model.snap ?
				 "The hypervisor is disabled: no ivshmem link exists." :
				 "Backend not reachable.", app->conn_msg[0] ? app->conn_msg : NULL);
		return;
	}
	tui_doc_init(&d);
	tui_doc_newline(&d);
	tui_doc_addf(&d, TUI_ROLE_LABEL, "%zu ivshmem link%s (virtual PCI devices shared "
		     "between cells)", links->count, links->count == 1 ? "" : "s");
	tui_doc_newline(&d);
	for (i = 0; i < links->count; i++) {
		if (!link_shown(app, &links->items[i]))
			continue;
		if (sel < 0)
			sel = 0;
		if ((int)shown == sel)
			sel_line = d.count;
		add_link(app, v, &d, &links->items[i], (int)shown == sel);
		shown++;
	}
	if (!shown) {
		tui_doc_newline(&d);
		tui_doc_add(&d, TUI_ROLE_DIM, links->count ? "No link matches the filter." :
			    "No cell config with an ivshmem device is known.");
	} else if (v->sel >= (int)shown) {
		v->sel = (int)shown - 1;
		tui_doc_free(&d);
		ivshmem_draw(app, v, y, h);
		return;
	}
	v->top = tui_scroll_top(v->top, (int)sel_line, h, (int)d.count);
	tui_doc_draw(&d, &app->scr, y, 0, app->scr.cols, h, (size_t)v->top);
	tui_doc_free(&d);
}

static bool ivshmem_key(struct tui_app *app, void *state, enum tui_action a)
{
	struct ivshmem_view *v = state;
	const struct hvctl_links *links = &app->model.links;
	size_t i, shown = 0;
	int next;

	for (i = 0; i < links->count; i++)
		if (link_shown(app, &links->items[i]))
			shown++;
	if (a == TUI_ACT_DETAIL) {
		size_t k = 0;

		for (i = 0; i < links->count; i++) {
			const struct hvctl_link *l = &links->items[i];
			unsigned int p;

			if (!link_shown(app, l) || (int)k++ != v->sel)
				continue;
			for (p = 0; p < l->num_peers; p++) {
				if (l->peers[p].cell_id > 0 &&
				    tui_model_cell(&app->model, l->peers[p].cell_id)) {
					tui_app_open_detail(app, l->peers[p].cell_id, -1);
					return true;
				}
			}
		}
		tui_app_status(app, TUI_ROLE_WARNING, "no running non-root peer to show");
		return true;
	}
	next = tui_list_move(v->sel, (int)shown, a, 4);
	if (next < 0)
		return false;
	v->sel = next;
	app->dirty |= TUI_DIRTY_FRAME;
	return true;
}

/* The root cell's ivshmem devices, listed again with each snapshot. */
static void ivshmem_update(struct tui_app *app, void *state)
{
	struct ivshmem_view *v = state;

	hvctl_ivshmem_list_free(v->devs);
	v->devs = NULL;
	if (!app->ctx || hvctl_ivshmem_list(app->ctx, &v->devs))
		v->devs = NULL;
}

static void ivshmem_fini(struct tui_app *app, void *state)
{
	struct ivshmem_view *v = state;

	(void)app;
	hvctl_ivshmem_list_free(v->devs);
	v->devs = NULL;
}

const struct tui_view_ops tui_view_ivshmem_ops = {
	.name = "ivshmem",
	.title = "ivshmem",
	.keys = TUI_KEYS_IVSHMEM,
	.parent = -1,
	.state_size = sizeof(struct ivshmem_view),
	.fini = ivshmem_fini,
	.update = ivshmem_update,
	.draw = ivshmem_draw,
	.key = ivshmem_key,
};
