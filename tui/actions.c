// SPDX-License-Identifier: MIT
/*
 * Actions that change the system: create (file selector, preview of what
 * moves from the root cell, confirm), load (image and address; confirm
 * first when it stops a running cell), start (confirm when hvtop saw no
 * image loaded), stop and destroy (confirm), enable and disable
 * (confirm), and re-create of the cell destroyed last (create, load,
 * start). Everything goes through libhvctl; a refusal shows the
 * library's explanation and changes nothing.
 */
#include "app.h"

#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dialog.h"

#define IMAGE_MAX	(1ull << 30)

void tui_app_set_readonly(struct tui_app *app, const char *why)
{
	app->readonly = true;
	snprintf(app->readonly_why, sizeof(app->readonly_why), "%s", why);
	app->dirty |= TUI_DIRTY_FRAME;
}

/*
 * Report a failed call: the library's explanation, then the errno text
 * in brackets, as hvctl puts it.
 */
static void failed(struct tui_app *app, const char *what, int ret)
{
	const char *msg = hvctl_errmsg(app->ctx);

	if (msg[0])
		tui_app_status(app, TUI_ROLE_STATUS_ERROR, "%s failed: %s (%s)", what, msg,
			       strerror(-ret));
	else
		tui_app_status(app, TUI_ROLE_STATUS_ERROR, "%s failed: %s", what,
			       strerror(-ret));
	/* A device we may not write to: stop offering what cannot work. */
	if (ret == -EROFS || ret == -EACCES)
		tui_app_set_readonly(app, msg[0] ? msg : strerror(-ret));
}

static bool is_dir(const char *path)
{
	struct stat st;

	return path && path[0] && !stat(path, &st) && S_ISDIR(st.st_mode);
}

/*
 * Where the file selector starts: the directory used last, else the
 * shipped configs (next to the executable, in the build tree, under the
 * install prefix, then ./configs), preferring those made for the
 * backend's boards (hvctl_config_family()).
 */
static void config_dir(const struct tui_app *app, const char *last, char *out, size_t n)
{
	char dirs[6][TUI_PATH_MAX], cwd[TUI_PATH_MAX], sub[TUI_PATH_MAX + 8];
	size_t nd, i;

	/*
	 * The demo's board first (--demo=rk3588: configs/rk3588), until a
	 * file is chosen: the directory remembered from another session may
	 * be another board's.
	 */
	if (app->demo_cfg[0] && !app->dir_chosen && is_dir(app->demo_cfg)) {
		snprintf(out, n, "%s", app->demo_cfg);
		return;
	}
	if (is_dir(last)) {
		snprintf(out, n, "%s", last);
		return;
	}
	nd = tui_data_dirs(dirs, 5, app->exe_dir, "configs");
	if (getcwd(cwd, sizeof(cwd)) && nd < 6) {
		snprintf(dirs[nd], TUI_PATH_MAX, "%.4000s/configs", cwd);
		if (is_dir(dirs[nd]))
			nd++;
	}
	/*
	 * The JSON sources (with the guest images next to them) are the
	 * directory to offer; compiled .cell files in the build tree are
	 * the fallback.
	 */
	for (i = 0; i < nd; i++) {
		snprintf(sub, sizeof(sub), "%.4000s/sim/system.json", dirs[i]);
		if (!access(sub, R_OK))
			break;
	}
	if (i == nd)
		i = 0;
	if (nd) {
		/* The configs made for this backend's boards, if it has some. */
		const char *family = hvctl_config_family(app->ctx);

		snprintf(sub, sizeof(sub), "%.4000s/%.64s", dirs[i],
			 family ? family : "");
		if (family && is_dir(sub))
			snprintf(out, n, "%.4000s", sub);
		else
			snprintf(out, n, "%.4000s", dirs[i]);
		return;
	}
	if (!getcwd(out, n))
		snprintf(out, n, "/");
}

static void remember_dir(struct tui_app *app, char *setting, const char *path)
{
	char copy[TUI_PATH_MAX];

	snprintf(copy, sizeof(copy), "%s", path);
	snprintf(setting, TUI_PATH_MAX, "%s", dirname(copy));
	app->settings.dirty = true;
	app->dir_chosen = true;
}

/* ---- create ---- */

struct create_ctx {
	struct hvctl_config *config;
	char path[TUI_PATH_MAX];
};

static void create_free(void *p)
{
	struct create_ctx *cc = p;

	hvctl_config_free(cc->config);
	free(cc);
}

/*
 * Read the config file chosen for create or enable; NULL after a status
 * line when it cannot be read. The caller frees the result with
 * create_free.
 */
static struct create_ctx *read_chosen_config(struct tui_app *app, const char *path)
{
	struct hvctl_error err = { { 0 } };
	struct create_ctx *cc;
	int ret;

	remember_dir(app, app->settings.config_dir, path);
	cc = calloc(1, sizeof(*cc));
	if (!cc)
		return NULL;
	snprintf(cc->path, sizeof(cc->path), "%s", path);
	ret = hvctl_config_read_file(&cc->config, path, &err);
	if (ret) {
		tui_app_status(app, TUI_ROLE_STATUS_ERROR, "%s", err.msg[0] ? err.msg :
			       strerror(-ret));
		free(cc);
		return NULL;
	}
	return cc;
}

/*
 * A confirmation of n lines with buttons yes and Cancel; Cancel is the
 * default, the safe answer to a question that changes the system.
 */
static void confirm_spec(struct tui_dialog_spec *spec, const char *title,
			 char (*lines)[160], size_t n, const char *yes)
{
	size_t i;

	spec->kind = TUI_DLG_CONFIRM;
	spec->title = title;
	for (i = 0; i < n; i++)
		spec->lines[i] = lines[i];
	spec->num_lines = (unsigned int)n;
	spec->buttons[0] = yes;
	spec->buttons[1] = "Cancel";
	spec->num_buttons = 2;
	spec->default_button = 1;
}

static void create_confirmed(struct tui_app *app, bool ok, int button, const char *value,
			     void *data)
{
	struct create_ctx *cc = data;
	int id = -1, ret;

	(void)button;
	(void)value;
	if (!ok) {
		tui_app_status(app, TUI_ROLE_STATUS, "create cancelled; nothing changed");
		return;
	}
	ret = hvctl_cell_create(app->ctx, cc->config, &id);
	if (ret) {
		char what[96];

		snprintf(what, sizeof(what), "creating cell \"%s\"", cc->config->cell->name);
		failed(app, what, ret);
		return;
	}
	tui_app_status(app, TUI_ROLE_STATUS_OK, "created cell \"%s\" with ID %d",
		       cc->config->cell->name, id);
	app->cells_sel_id = id;
	tui_app_refresh(app);
}

static void list_cpus(char *buf, size_t n, const struct hvctl_config *c)
{
	if (!c->cpu_set || hvctl_cpulist_format(buf, n, c->cpu_set, c->cell->cpu_set_size) < 0)
		snprintf(buf, n, "?");
	if (!buf[0])
		snprintf(buf, n, "none");
}

/* A create preview line holds a whole finding; the dialog wraps it. */
#define PREVIEW_LINE	400

/* The preview: what the new cell takes from the root cell, and warnings. */
static size_t create_preview(struct tui_app *app, const struct hvctl_config *c,
			     const char *path, char (*lines)[PREVIEW_LINE], size_t max)
{
	const struct hvctl_snapshot *snap = app->model.snap;
	const struct hv_cell_desc *cd = c->cell;
	char cpus[128], size[32], flags[96];
	struct hvctl_claim claim;
	size_t n = 0, i;
	unsigned int cpu;

	hvctl_config_claim(c, &claim);
	list_cpus(cpus, sizeof(cpus), c);
	snprintf(lines[n++], PREVIEW_LINE, "Cell \"%.31s\" from %.100s", cd->name, path);
	snprintf(lines[n++], PREVIEW_LINE, "It takes from the root cell:");
	snprintf(lines[n++], PREVIEW_LINE, "  CPUs %s", cpus);
	for (i = 0; i < cd->num_memory_regions && n + 8 < max; i++) {
		struct hv_memory m = c->mem[i];
		enum hvctl_region_kind kind = hvctl_region_kind(c, (uint32_t)i);

		if (kind != HVCTL_REGION_RAM && kind != HVCTL_REGION_IVSHMEM)
			continue;
		tui_fmt_size(size, sizeof(size), m.size);
		hvctl_flags_str(flags, sizeof(flags), HVCTL_NAMES_MEM_FLAGS, m.flags, ",");
		snprintf(lines[n++], PREVIEW_LINE, "  %s 0x%" PRIx64 "-0x%" PRIx64 " %s %s",
			 hvctl_region_shared(c, (uint32_t)i) ? "shares" : "memory",
			 (uint64_t)m.phys_start, (uint64_t)(m.phys_start + m.size - 1), size,
			 flags);
	}
	tui_fmt_size(size, sizeof(size), claim.mem_own);
	snprintf(lines[n++], PREVIEW_LINE, "  in all %s of memory%s, %u I/O region%s, %u PCI device%s",
		 size, claim.mem_shared ? " (plus shared regions)" : "", claim.num_io,
		 claim.num_io == 1 ? "" : "s", claim.num_pci, claim.num_pci == 1 ? "" : "s");
	/* CPUs another cell holds: the create would be refused. */
	for (cpu = 0; snap && cpu < snap->num_cpus && n + 3 < max; cpu++) {
		const struct hvctl_cpu_info *ci = &snap->cpus[cpu];

		if (!hvctl_config_has_cpu(c, cpu) || ci->cell_id <= 0)
			continue;
		snprintf(lines[n++], PREVIEW_LINE, "! CPU %u belongs to cell \"%.31s\", not to the root cell",
			 cpu, ci->cell >= 0 ? snap->cells[ci->cell].name : "?");
	}
	if (snap && hvctl_snapshot_cell(snap, (int)cd->id) && cd->id && n + 2 < max)
		snprintf(lines[n++], PREVIEW_LINE, "  (the ID in the file is ignored; the driver assigns one)");
	for (i = 0; snap && i < snap->num_cells && n + 2 < max; i++)
		if (!strncmp(snap->cells[i].name, cd->name, sizeof(snap->cells[i].name)))
			snprintf(lines[n++], PREVIEW_LINE, "! a cell named \"%.31s\" exists already", cd->name);
	return n;
}

/*
 * A finding's text with each running cell's config, which the checker
 * knows by its sysfs path ("cells/1/config"), named as that cell.
 */
static void name_cells(const struct hvctl_snapshot *snap, const char *in, char *out,
		       size_t n)
{
	size_t o = 0, i;

	while (*in && o + 1 < n) {
		bool done = false;

		for (i = 0; i < snap->num_cells && !done; i++) {
			const struct hvctl_config *c = snap->cells[i].id ? snap->cells[i].config :
							     snap->system_config;
			size_t len;

			if (!c || !c->source || !c->source[0])
				continue;
			len = strlen(c->source);
			if (strncmp(in, c->source, len))
				continue;
			o += (size_t)snprintf(out + o, n - o, "cell \"%.31s\"", snap->cells[i].name);
			if (o >= n)
				o = n - 1;
			in += len;
			done = true;
		}
		if (!done)
			out[o++] = *in++;
	}
	out[o] = '\0';
}

/*
 * The checker's findings for the create preview, each once, put in lines
 * from *n on; returns how many were added. The message begins with the
 * JSON path, so that is not repeated.
 */
static size_t add_findings(struct tui_app *app, const struct hvctl_config *c,
			   char (*lines)[PREVIEW_LINE], size_t *n, size_t max)
{
	const struct hvctl_snapshot *snap = app->model.snap;
	const struct hvctl_config **cells;
	struct hvctl_findings *f = NULL;
	size_t nc = 0, i, added = 0;

	if (!snap || !snap->system_config)
		return 0;
	cells = calloc(snap->num_cells + 1, sizeof(*cells));
	if (!cells)
		return 0;
	for (i = 0; i < snap->num_cells; i++)
		if (snap->cells[i].id != 0 && snap->cells[i].config)
			cells[nc++] = snap->cells[i].config;
	cells[nc++] = c;
	if (!hvctl_config_check(snap->system_config, cells, nc, &f) && f) {
		for (i = 0; i < f->count && *n + 1 < max; i++) {
			const struct hvctl_finding *it = &f->items[i];
			size_t plen = strlen(it->path), k;
			char text[320];

			if (!strncmp(it->message, it->path, plen))
				name_cells(snap, it->message, text, sizeof(text));
			else {
				char both[320];

				snprintf(both, sizeof(both), "%s: %s", it->path, it->message);
				name_cells(snap, both, text, sizeof(text));
			}
			snprintf(lines[*n], PREVIEW_LINE, "! %s", text);
			/* The same finding twice (from two configs) once. */
			for (k = 0; k < *n && strcmp(lines[k], lines[*n]); k++)
				;
			if (k == *n) {
				(*n)++;
				added++;
			}
		}
	}
	hvctl_findings_free(f);
	free(cells);
	return added;
}

static void create_file_chosen(struct tui_app *app, bool ok, int button, const char *path,
			       void *data)
{
	struct tui_dialog_spec spec = { .kind = TUI_DLG_CONFIRM };
	static char lines[TUI_DLG_MAX_LINES][PREVIEW_LINE], found[TUI_DLG_MAX_LINES][PREVIEW_LINE];
	static char out[TUI_DLG_MAX_LINES][PREVIEW_LINE];
	struct create_ctx *cc;
	size_t n, nf = 0, no = 0, i, blocking = 0;
	bool cpu_found = false;

	(void)button;
	(void)data;
	if (!ok) {
		tui_app_status(app, TUI_ROLE_STATUS, "create cancelled; nothing changed");
		return;
	}
	cc = read_chosen_config(app, path);
	if (!cc)
		return;
	if (cc->config->is_system) {
		tui_app_status(app, TUI_ROLE_STATUS_ERROR,
			       "%s is a system config: E enables the hypervisor with it", path);
		create_free(cc);
		return;
	}
	n = create_preview(app, cc->config, path, lines, TUI_DLG_MAX_LINES - 3);
	add_findings(app, cc->config, found, &nf, TUI_DLG_MAX_LINES - 3);
	/*
	 * The checker names the CPUs other cells hold too, as the preview
	 * does from the live state: say them once, the preview's way.
	 */
	for (i = 0; i < n; i++)
		cpu_found |= !strncmp(lines[i], "! CPU ", 6);
	/* The conflicts first, so that a short window still shows them. */
	for (i = 0; i < n && no + 2 < TUI_DLG_MAX_LINES; i++)
		if (!i || lines[i][0] == '!')
			memcpy(out[no++], lines[i], PREVIEW_LINE);
	for (i = 0; i < nf && no + 2 < TUI_DLG_MAX_LINES; i++) {
		if (cpu_found && !strncmp(found[i], "! cpu_set", 9) &&
		    strstr(found[i], "also claimed by cell \""))
			continue;
		memcpy(out[no++], found[i], PREVIEW_LINE);
	}
	blocking = no - 1;
	if (blocking)
		snprintf(out[no++], PREVIEW_LINE, "Create will fail: the hypervisor refuses a cell "
			 "with these conflicts.");
	for (i = 1; i < n && no < TUI_DLG_MAX_LINES; i++)
		if (lines[i][0] != '!')
			memcpy(out[no++], lines[i], PREVIEW_LINE);
	confirm_spec(&spec, "Create cell?", NULL, 0, "Create");
	for (i = 0; i < no; i++)
		spec.lines[i] = out[i];
	spec.num_lines = (unsigned int)no;
	/* Creating destroys nothing: Create is the default, unless it will fail. */
	spec.default_button = blocking ? 1 : 0;
	tui_dialog_open(app, &spec, create_confirmed, cc, create_free);
}

static void open_file_dialog(struct tui_app *app, const char *title, const char *last,
			     enum tui_file_filter filter, tui_dialog_done done, void *data,
			     void (*free_data)(void *))
{
	struct tui_dialog_spec spec = { .kind = TUI_DLG_FILE };
	char dir[TUI_PATH_MAX];

	config_dir(app, last, dir, sizeof(dir));
	spec.title = title;
	spec.dir = dir;
	spec.filter = filter;
	tui_dialog_open(app, &spec, done, data, free_data);
}

void tui_choose_file(struct tui_app *app, const char *title, enum tui_file_filter filter,
		     tui_dialog_done done, void *data, void (*free_data)(void *))
{
	open_file_dialog(app, title, app->settings.config_dir, filter, done, data, free_data);
}

/* ---- load ---- */

struct load_ctx {
	int id;
	char name[HVCTL_CELL_NAME_MAX + 1];
	char path[TUI_PATH_MAX];
};

static void load_address(struct tui_app *app, bool ok, int button, const char *value,
			 void *data)
{
	struct load_ctx *lc = data;
	struct hvctl_cell_ref ref;
	struct hvctl_image img = { 0 };
	char *bytes = NULL, *end, what[96];
	size_t len = 0;
	int ret;

	(void)button;
	if (!ok) {
		tui_app_status(app, TUI_ROLE_STATUS, "load cancelled; nothing changed");
		return;
	}
	errno = 0;
	img.address = strtoull(value, &end, 0);
	if (errno || end == value || *end) {
		tui_app_status(app, TUI_ROLE_STATUS_ERROR,
			       "load address \"%s\": not a number (use 0x... or decimal); "
			       "nothing loaded", value);
		return;
	}
	ret = tui_read_file(lc->path, &bytes, &len, IMAGE_MAX);
	if (ret) {
		tui_app_status(app, TUI_ROLE_STATUS_ERROR, "%s: %s; nothing loaded", lc->path,
			       ret == -EFBIG ? "larger than 1 GiB" : strerror(-ret));
		return;
	}
	img.data = bytes;
	img.size = len;
	img.label = lc->path;
	hvctl_cell_ref_id(&ref, lc->id);
	ret = hvctl_cell_load(app->ctx, &ref, &img, 1);
	free(bytes);
	snprintf(what, sizeof(what), "loading into cell \"%s\"", lc->name);
	if (ret) {
		failed(app, what, ret);
	} else {
		tui_app_status(app, TUI_ROLE_STATUS_OK, "loaded %zu bytes at 0x%" PRIx64
			       " into cell \"%s\"; S starts it", len, img.address, lc->name);
		tui_recall_loaded(&app->recall, lc->id, lc->path, img.address);
		tui_app_refresh(app);
	}
}

static void load_file_chosen(struct tui_app *app, bool ok, int button, const char *path,
			     void *data)
{
	struct load_ctx *src = data, *lc;
	const struct tui_cell_row *row;
	struct tui_dialog_spec spec = { .kind = TUI_DLG_ENTRY };
	char addr[32] = "0x0", line[160];

	(void)button;
	if (!ok) {
		tui_app_status(app, TUI_ROLE_STATUS, "load cancelled; nothing changed");
		return;
	}
	remember_dir(app, app->settings.image_dir, path);
	lc = malloc(sizeof(*lc));
	if (!lc)
		return;
	*lc = *src;
	snprintf(lc->path, sizeof(lc->path), "%s", path);
	/* Suggest where the cell starts running. */
	row = tui_model_cell(&app->model, lc->id);
	if (row && row->cell->config && row->cell->config->cell)
		snprintf(addr, sizeof(addr), "0x%" PRIx64,
			 (uint64_t)row->cell->config->cell->cpu_reset_address);
	snprintf(line, sizeof(line), "Load %.60s into cell \"%s\".", path, lc->name);
	spec.title = "Load image";
	spec.lines[0] = line;
	spec.lines[1] = "Loading stops the cell if it is running.";
	spec.num_lines = 2;
	spec.label = "Address: ";
	spec.initial = addr;
	tui_dialog_open(app, &spec, load_address, lc, free);
}

/* ---- stop, destroy ---- */

struct cell_ctx {
	int id;
	char name[HVCTL_CELL_NAME_MAX + 1];
	enum tui_action action;
};

static void cell_confirmed(struct tui_app *app, bool ok, int button, const char *value,
			   void *data)
{
	struct cell_ctx *cc = data;
	struct hvctl_cell_ref ref;
	const char *verb = cc->action == TUI_ACT_STOP ? "stopping" : "destroying";
	char what[96];
	int ret;

	(void)button;
	(void)value;
	if (!ok) {
		tui_app_status(app, TUI_ROLE_STATUS, "%s cell \"%s\" cancelled; nothing changed",
			       cc->action == TUI_ACT_STOP ? "stop" : "destroy", cc->name);
		return;
	}
	hvctl_cell_ref_id(&ref, cc->id);
	ret = cc->action == TUI_ACT_STOP ? hvctl_cell_shutdown(app->ctx, &ref) :
	      hvctl_cell_destroy(app->ctx, &ref);
	snprintf(what, sizeof(what), "%s cell \"%s\"", verb, cc->name);
	if (ret) {
		failed(app, what, ret);
		return;
	}
	tui_app_status(app, TUI_ROLE_STATUS_OK, "cell \"%s\" %s", cc->name,
		       cc->action == TUI_ACT_STOP ? "stopped" : "destroyed");
	if (cc->action == TUI_ACT_DESTROY)
		tui_app_close_detail(app, cc->id);
	tui_app_refresh(app);
}

/*
 * What else stopping or destroying cell id affects: each ivshmem link it
 * is a peer of, and the peers it leaves ("It cuts ivshmem 0001:00:00.0
 * to sim-root."). Returns the lines added.
 */
static size_t affected_links(const struct tui_app *app, int id, char (*lines)[160],
			     size_t max)
{
	const struct hvctl_links *links = &app->model.links;
	size_t i, n = 0;
	unsigned int k;

	for (i = 0; i < links->count && n < max; i++) {
		const struct hvctl_link *l = &links->items[i];
		char bdf[24], others[120] = "", name[40];
		bool member = false;
		size_t used = 0;
		uint16_t domain = 0;

		for (k = 0; k < l->num_peers; k++)
			if (l->peers[k].cell_id == id) {
				member = true;
				domain = l->peers[k].domain;
			}
		if (!member)
			continue;
		for (k = 0; k < l->num_peers && used < sizeof(others); k++) {
			if (l->peers[k].cell_id == id)
				continue;
			hvctl_sanitize_str(name, sizeof(name), l->peers[k].cell);
			used += (size_t)snprintf(others + used, sizeof(others) - used, "%s%s",
						 used ? ", " : "", name);
		}
		if (!others[0])
			continue;
		hvctl_bdf_str(bdf, sizeof(bdf), domain, l->bdf, true);
		snprintf(lines[n++], 160, "It cuts ivshmem %s to %.100s.", bdf, others);
	}
	return n;
}

static void confirm_cell(struct tui_app *app, const struct hvctl_cell_info *c,
			 enum tui_action a)
{
	struct tui_dialog_spec spec = { .kind = TUI_DLG_CONFIRM };
	static char lines[12][160];
	size_t n;
	const struct tui_cell_row *row = tui_model_cell(&app->model, c->id);
	struct cell_ctx *cc = malloc(sizeof(*cc));
	char mem[32] = "?";

	if (!cc)
		return;
	cc->id = c->id;
	snprintf(cc->name, sizeof(cc->name), "%s", c->name);
	cc->action = a;
	if (row && row->mem_known)
		tui_fmt_size(mem, sizeof(mem), row->mem_owned + row->mem_shared);
	if (a == TUI_ACT_STOP) {
		snprintf(lines[0], 160, "Stop cell %d \"%.31s\" (%.20s)?", c->id, c->name,
			 c->state_name);
		snprintf(lines[1], 160, "Its CPUs %.60s are parked; it keeps its resources.",
			 c->cpus_list);
		snprintf(lines[2], 160, "S starts it again (after L loads an image).");
		n = 3 + affected_links(app, c->id, lines + 3, 8);
		confirm_spec(&spec, "Stop cell?", lines, n, "Stop");
	} else {
		snprintf(lines[0], 160, "Destroy cell %d \"%.31s\" (%.20s)?", c->id, c->name,
			 c->state_name);
		snprintf(lines[1], 160, "It owns CPUs %.60s and %s of memory%s.", c->cpus_list,
			 mem, c->config && c->config->cell ? "" : " (config unknown)");
		if (c->config && c->config->cell)
			snprintf(lines[2], 160, "%u memory region%s and %u PCI device%s return "
				 "to the root cell.", c->config->cell->num_memory_regions,
				 c->config->cell->num_memory_regions == 1 ? "" : "s",
				 c->config->cell->num_pci_devices,
				 c->config->cell->num_pci_devices == 1 ? "" : "s");
		else
			snprintf(lines[2], 160, "Everything it owns returns to the root cell.");
		n = 3 + affected_links(app, c->id, lines + 3, 8);
		confirm_spec(&spec, "Destroy cell?", lines, n, "Destroy");
	}
	tui_dialog_open(app, &spec, cell_confirmed, cc, free);
}

/* ---- load into a running cell, start of an empty one: ask first ---- */

static bool cell_running(const struct hvctl_cell_info *c)
{
	return c->state == HVCTL_CELL_RUNNING || c->state == HVCTL_CELL_RUNNING_LOCKED;
}

static void open_load_selector(struct tui_app *app, int id, const char *name)
{
	struct load_ctx *lc = calloc(1, sizeof(*lc));

	if (!lc)
		return;
	lc->id = id;
	snprintf(lc->name, sizeof(lc->name), "%s", name);
	/* Images only: a config is never what a cell runs. */
	open_file_dialog(app, "Load: choose an image", app->settings.image_dir,
			 TUI_FILES_IMAGES, load_file_chosen, lc, free);
}

static void load_running_confirmed(struct tui_app *app, bool ok, int button,
				   const char *value, void *data)
{
	struct cell_ctx *cc = data;

	(void)button;
	(void)value;
	if (!ok) {
		tui_app_status(app, TUI_ROLE_STATUS, "load into cell \"%s\" cancelled; it keeps "
			       "running", cc->name);
		return;
	}
	open_load_selector(app, cc->id, cc->name);
}

static struct cell_ctx *cell_ctx_new(const struct hvctl_cell_info *c, enum tui_action a)
{
	struct cell_ctx *cc = malloc(sizeof(*cc));

	if (!cc)
		return NULL;
	cc->id = c->id;
	snprintf(cc->name, sizeof(cc->name), "%s", c->name);
	cc->action = a;
	return cc;
}

/* Loading stops a running cell: ask, Cancel the default, as Stop does. */
static void confirm_load_running(struct tui_app *app, const struct hvctl_cell_info *c)
{
	struct tui_dialog_spec spec = { .kind = TUI_DLG_CONFIRM };
	static char lines[12][160];
	struct cell_ctx *cc = cell_ctx_new(c, TUI_ACT_LOAD);
	size_t n;

	if (!cc)
		return;
	snprintf(lines[0], 160, "Load an image into cell %d \"%.31s\" (%.20s)?", c->id,
		 c->name, c->state_name);
	snprintf(lines[1], 160, "Loading stops it first: its CPUs %.60s are parked and "
		 "what it runs ends.", c->cpus_list);
	n = 2 + affected_links(app, c->id, lines + 2, 8);
	snprintf(lines[n++], 160, "After the load, S starts it with the new image.");
	confirm_spec(&spec, "Load into a running cell?", lines, n, "Load");
	tui_dialog_open(app, &spec, load_running_confirmed, cc, free);
}

static void start_cell(struct tui_app *app, int id, const char *name)
{
	struct hvctl_cell_ref ref;
	char what[96];
	int ret;

	hvctl_cell_ref_id(&ref, id);
	snprintf(what, sizeof(what), "starting cell \"%s\"", name);
	ret = hvctl_cell_start(app->ctx, &ref);
	if (ret) {
		failed(app, what, ret);
		return;
	}
	tui_app_status(app, TUI_ROLE_STATUS_OK, "cell \"%s\" started", name);
	tui_app_refresh(app);
}

static void start_confirmed(struct tui_app *app, bool ok, int button, const char *value,
			    void *data)
{
	struct cell_ctx *cc = data;

	(void)button;
	(void)value;
	if (!ok) {
		tui_app_status(app, TUI_ROLE_STATUS, "start cell \"%s\" cancelled; nothing "
			       "changed", cc->name);
		return;
	}
	start_cell(app, cc->id, cc->name);
}

/* A cell hvtop saw created and saw nothing loaded into: say so first. */
static void confirm_start_empty(struct tui_app *app, const struct hvctl_cell_info *c,
				const struct tui_recall_cell *e)
{
	struct tui_dialog_spec spec = { .kind = TUI_DLG_CONFIRM };
	static char lines[4][160];
	struct cell_ctx *cc = cell_ctx_new(c, TUI_ACT_START);
	char when[16] = "?";
	struct tm tm;

	if (!cc)
		return;
	if (e->created && localtime_r(&e->created, &tm))
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
	snprintf(lines[0], 160, "Start cell %d \"%.31s\"? It may never have been loaded:", c->id,
		 c->name);
	snprintf(lines[1], 160, "hvtop has seen no image loaded into it since it was "
		 "created at %s.", when);
	snprintf(lines[2], 160, "Started empty, its CPUs run whatever its memory holds "
		 "(often they fail at once).");
	snprintf(lines[3], 160, "L loads an image first.");
	confirm_spec(&spec, "Start an empty cell?", lines, 4, "Start");
	tui_dialog_open(app, &spec, start_confirmed, cc, free);
}

/* ---- re-create the cell destroyed last ---- */

struct recreate_ctx {
	struct hvctl_config *config;
	char name[HVCTL_CELL_NAME_MAX + 1];
	time_t gone_at;
	struct tui_recall_image images[TUI_RECALL_IMAGES];
	size_t num_images;
};

static void recreate_free(void *p)
{
	struct recreate_ctx *rc = p;

	hvctl_config_free(rc->config);
	free(rc);
}

static void forget_gone(struct tui_app *app, const char *name, time_t gone_at)
{
	size_t i;

	for (i = 0; i < app->recall.count; i++) {
		const struct tui_recall_cell *e = &app->recall.cells[i];

		if (e->gone && e->gone_at == gone_at && !strcmp(e->name, name)) {
			tui_recall_forget(&app->recall, e);
			return;
		}
	}
}

/* Step 2: every image hvtop loaded, in the order it loaded them. */
static int recreate_load(struct tui_app *app, struct recreate_ctx *rc, int id,
			 char *done, size_t n)
{
	struct hvctl_image img[TUI_RECALL_IMAGES];
	char *bytes[TUI_RECALL_IMAGES] = { NULL };
	struct hvctl_cell_ref ref;
	size_t i, used = 0;
	int ret = 0;

	for (i = 0; i < rc->num_images; i++) {
		size_t len = 0;

		ret = tui_read_file(rc->images[i].path, &bytes[i], &len, IMAGE_MAX);
		if (ret) {
			tui_app_status(app, TUI_ROLE_STATUS_ERROR, "re-creating cell \"%s\": "
				       "step 2 of 3 (load) failed: %s: %s; cell \"%s\" was created "
				       "(ID %d) and is left shut down", rc->name, rc->images[i].path,
				       ret == -EFBIG ? "larger than 1 GiB" : strerror(-ret),
				       rc->name, id);
			goto out;
		}
		img[i].data = bytes[i];
		img[i].size = len;
		img[i].address = rc->images[i].address;
		img[i].label = rc->images[i].path;
		used += (size_t)snprintf(done + used, used < n ? n - used : 0,
					 ", loaded %s at 0x%" PRIx64, rc->images[i].path,
					 rc->images[i].address);
	}
	hvctl_cell_ref_id(&ref, id);
	ret = hvctl_cell_load(app->ctx, &ref, img, rc->num_images);
	if (ret) {
		char what[160];

		snprintf(what, sizeof(what), "re-creating cell \"%s\": step 2 of 3 (load, "
			 "the cell was created with ID %d and is left shut down)", rc->name, id);
		failed(app, what, ret);
		goto out;
	}
	for (i = 0; i < rc->num_images; i++)
		tui_recall_loaded(&app->recall, id, rc->images[i].path, rc->images[i].address);
out:
	for (i = 0; i < rc->num_images; i++)
		free(bytes[i]);
	return ret;
}

static void recreate_confirmed(struct tui_app *app, bool ok, int button, const char *value,
			       void *data)
{
	struct recreate_ctx *rc = data;
	struct hvctl_cell_ref ref;
	char what[160], done[1024] = "";
	int id = -1, ret;

	(void)button;
	(void)value;
	if (!ok) {
		tui_app_status(app, TUI_ROLE_STATUS, "re-create cell \"%s\" cancelled; nothing "
			       "changed", rc->name);
		return;
	}
	/* Step 1: create from the config it ran with. */
	ret = hvctl_cell_create(app->ctx, rc->config, &id);
	if (ret) {
		snprintf(what, sizeof(what), "re-creating cell \"%s\": step 1 of 3 (create, "
			 "nothing changed)", rc->name);
		failed(app, what, ret);
		return;
	}
	forget_gone(app, rc->name, rc->gone_at);
	app->cells_sel_id = id;
	/* The new cell into the model (and hvtop's memory of cells) first. */
	tui_app_refresh(app);
	tui_app_status_as(app, TUI_ROLE_STATUS_OK, TUI_EV_ACTION, "re-creating cell \"%s\": "
			  "created with ID %d from its config", rc->name, id);
	if (!rc->num_images) {
		tui_app_status(app, TUI_ROLE_STATUS_OK, "re-created cell \"%s\" with ID %d from "
			       "its config; hvtop loaded no image into it before, so it is left "
			       "shut down: L loads one", rc->name, id);
		return;
	}
	if (recreate_load(app, rc, id, done, sizeof(done))) {
		tui_app_refresh(app);
		return;
	}
	/* Step 3: start. */
	hvctl_cell_ref_id(&ref, id);
	ret = hvctl_cell_start(app->ctx, &ref);
	if (ret) {
		snprintf(what, sizeof(what), "re-creating cell \"%s\": step 3 of 3 (start, the "
			 "cell was created with ID %d and loaded)", rc->name, id);
		failed(app, what, ret);
		tui_app_refresh(app);
		return;
	}
	tui_app_status(app, TUI_ROLE_STATUS_OK, "re-created cell \"%s\" with ID %d: created "
		       "from its config%s, started", rc->name, id, done);
	tui_app_refresh(app);
}

static void confirm_recreate(struct tui_app *app)
{
	const struct tui_recall_cell *e = tui_recall_last_gone(&app->recall);
	const struct hvctl_snapshot *snap = app->model.snap;
	struct tui_dialog_spec spec = { .kind = TUI_DLG_CONFIRM };
	static char lines[TUI_RECALL_IMAGES + 6][160];
	struct hvctl_error err;
	struct recreate_ctx *rc;
	struct hvctl_claim claim;
	char when[16] = "?", cpus[128], size[32];
	struct tm tm;
	size_t n = 0, i;

	if (!e) {
		tui_app_status(app, TUI_ROLE_WARNING, "no destroyed cell to re-create: R creates "
			       "again a cell hvtop saw destroyed this session");
		return;
	}
	for (i = 0; snap && i < snap->num_cells; i++)
		if (!strcmp(snap->cells[i].name, e->name)) {
			tui_app_status(app, TUI_ROLE_WARNING, "a cell named \"%s\" exists again "
				       "(ID %d): nothing to re-create", e->name, snap->cells[i].id);
			return;
		}
	rc = calloc(1, sizeof(*rc));
	if (!rc)
		return;
	if (hvctl_config_parse_binary(&rc->config, e->config->data, e->config->size,
				      e->config->source, &err)) {
		tui_app_status(app, TUI_ROLE_STATUS_ERROR, "%s", err.msg);
		free(rc);
		return;
	}
	snprintf(rc->name, sizeof(rc->name), "%s", e->name);
	rc->gone_at = e->gone_at;
	rc->num_images = e->num_images;
	memcpy(rc->images, e->images, sizeof(rc->images));
	if (localtime_r(&e->gone_at, &tm))
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
	hvctl_config_claim(rc->config, &claim);
	list_cpus(cpus, sizeof(cpus), rc->config);
	tui_fmt_size(size, sizeof(size), claim.mem_own);
	snprintf(lines[n++], 160, "Re-create cell \"%.31s\", destroyed at %s?", e->name, when);
	snprintf(lines[n++], 160, "1. create it from the config it ran with (CPUs %.60s, %s)",
		 cpus, size);
	if (!e->num_images)
		snprintf(lines[n++], 160, "2. (no image: hvtop loaded none into it; it stays "
			 "shut down)");
	for (i = 0; i < e->num_images; i++)
		snprintf(lines[n++], 160, "%s load %.100s at 0x%" PRIx64, i ? "  " : "2.",
			 e->images[i].path, e->images[i].address);
	if (e->num_images)
		snprintf(lines[n++], 160, "3. start it");
	snprintf(lines[n++], 160, "A step that fails stops there and says which.");
	confirm_spec(&spec, "Re-create cell?", lines, n, "Re-create");
	/* Creating destroys nothing: Re-create is the default. */
	spec.default_button = 0;
	tui_dialog_open(app, &spec, recreate_confirmed, rc, recreate_free);
}

/* ---- enable, disable ---- */

static void enable_confirmed(struct tui_app *app, bool ok, int button, const char *value,
			     void *data)
{
	struct create_ctx *cc = data;
	int ret;

	(void)button;
	(void)value;
	if (!ok) {
		tui_app_status(app, TUI_ROLE_STATUS, "enable cancelled; nothing changed");
		return;
	}
	ret = hvctl_enable(app->ctx, cc->config);
	if (ret) {
		failed(app, "enabling the hypervisor", ret);
		return;
	}
	tui_app_status(app, TUI_ROLE_STATUS_OK, "hypervisor enabled with %s", cc->path);
	tui_app_refresh(app);
}

static void enable_file_chosen(struct tui_app *app, bool ok, int button, const char *path,
			       void *data)
{
	struct tui_dialog_spec spec = { .kind = TUI_DLG_CONFIRM };
	static char lines[4][160];
	struct create_ctx *cc;
	char cpus[128], size[32];

	(void)button;
	(void)data;
	if (!ok) {
		tui_app_status(app, TUI_ROLE_STATUS, "enable cancelled; nothing changed");
		return;
	}
	cc = read_chosen_config(app, path);
	if (!cc)
		return;
	if (!cc->config->is_system) {
		tui_app_status(app, TUI_ROLE_STATUS_ERROR,
			       "%s is a cell config, not a system config: n creates a cell from it",
			       path);
		create_free(cc);
		return;
	}
	list_cpus(cpus, sizeof(cpus), cc->config);
	tui_fmt_size(size, sizeof(size), cc->config->system->hypervisor_memory.size);
	snprintf(lines[0], 160, "Enable the hypervisor with %.100s?", path);
	snprintf(lines[1], 160, "Linux becomes root cell \"%.31s\" with CPUs %.60s.",
		 cc->config->cell->name, cpus);
	snprintf(lines[2], 160, "Hypervisor memory: %s at 0x%" PRIx64 ".", size,
		 (uint64_t)cc->config->system->hypervisor_memory.phys_start);
	confirm_spec(&spec, "Enable hypervisor?", lines, 3, "Enable");
	tui_dialog_open(app, &spec, enable_confirmed, cc, create_free);
}

static void disable_confirmed(struct tui_app *app, bool ok, int button, const char *value,
			      void *data)
{
	int ret;

	(void)button;
	(void)value;
	(void)data;
	if (!ok) {
		tui_app_status(app, TUI_ROLE_STATUS, "disable cancelled; nothing changed");
		return;
	}
	ret = hvctl_disable(app->ctx);
	if (ret) {
		failed(app, "disabling the hypervisor", ret);
		return;
	}
	tui_app_close_detail(app, -1);
	tui_app_status(app, TUI_ROLE_STATUS_OK, "hypervisor disabled");
	tui_app_refresh(app);
}

static void confirm_disable(struct tui_app *app)
{
	struct tui_dialog_spec spec = { .kind = TUI_DLG_CONFIRM };
	const struct hvctl_snapshot *snap = app->model.snap;
	static char lines[3][160];
	size_t i, used = 0;

	snprintf(lines[0], 160, "Disable the hypervisor?");
	if (snap && snap->num_cells > 1) {
		used = (size_t)snprintf(lines[1], 160, "This destroys %zu cell%s:",
					snap->num_cells - 1, snap->num_cells == 2 ? "" : "s");
		for (i = 1; i < snap->num_cells && used < 150; i++)
			used += (size_t)snprintf(lines[1] + used, 160 - used, " %.31s",
						 snap->cells[i].name);
	} else {
		snprintf(lines[1], 160, "No cell other than the root cell exists.");
	}
	snprintf(lines[2], 160, "Every CPU and all memory go back to Linux.");
	confirm_spec(&spec, "Disable hypervisor?", lines, 3, "Disable");
	tui_dialog_open(app, &spec, disable_confirmed, NULL, NULL);
}

/* ---- entry ---- */

void tui_action_run(struct tui_app *app, enum tui_action a)
{
	const struct tui_cell_row *row = NULL;
	const struct hvctl_snapshot *snap = app->model.snap;

	if (app->readonly) {
		tui_app_status(app, TUI_ROLE_WARNING, "read-only (%s): \"%s\" is not available",
			       app->readonly_why, tui_action_name(a));
		return;
	}
	if (!app->connected) {
		tui_app_status(app, TUI_ROLE_STATUS_ERROR, "not connected: %s", app->conn_msg);
		return;
	}
	switch (a) {
	case TUI_ACT_ENABLE:
		if (snap && snap->system.enabled) {
			tui_app_status(app, TUI_ROLE_WARNING, "the hypervisor is already enabled");
			return;
		}
		open_file_dialog(app, "Enable: choose a system config", app->settings.config_dir,
				 TUI_FILES_CONFIGS, enable_file_chosen, NULL, NULL);
		return;
	case TUI_ACT_DISABLE:
		if (!snap || !snap->system.enabled) {
			tui_app_status(app, TUI_ROLE_WARNING, "the hypervisor is not enabled");
			return;
		}
		confirm_disable(app);
		return;
	case TUI_ACT_RECREATE:
		if (!snap || !snap->system.enabled) {
			tui_app_status(app, TUI_ROLE_WARNING,
				       "the hypervisor is not enabled: E enables it first");
			return;
		}
		confirm_recreate(app);
		return;
	case TUI_ACT_CREATE:
		if (!snap || !snap->system.enabled) {
			tui_app_status(app, TUI_ROLE_WARNING,
				       "the hypervisor is not enabled: E enables it first");
			return;
		}
		open_file_dialog(app, "Create: choose a cell config", app->settings.config_dir,
				 TUI_FILES_CONFIGS, create_file_chosen, NULL, NULL);
		return;
	default:
		break;
	}

	row = tui_app_selected_cell(app);
	if (!row) {
		tui_app_status(app, TUI_ROLE_WARNING, "no cell selected");
		return;
	}
	if (row->cell->is_root) {
		tui_app_status(app, TUI_ROLE_WARNING, "the root cell cannot be %s",
			       a == TUI_ACT_LOAD ? "loaded" : a == TUI_ACT_START ? "started" :
			       a == TUI_ACT_STOP ? "stopped" : "destroyed (X disables the hypervisor)");
		return;
	}
	switch (a) {
	case TUI_ACT_LOAD:
		if (cell_running(row->cell))
			confirm_load_running(app, row->cell);
		else
			open_load_selector(app, row->cell->id, row->cell->name);
		return;
	case TUI_ACT_START: {
		const struct tui_recall_cell *e = tui_recall_find(&app->recall, row->cell->id);

		if (e && e->fresh && !cell_running(row->cell))
			confirm_start_empty(app, row->cell, e);
		else
			start_cell(app, row->cell->id, row->cell->name);
		return;
	}
	case TUI_ACT_STOP:
	case TUI_ACT_DESTROY:
		confirm_cell(app, row->cell, a);
		return;
	default:
		return;
	}
}
