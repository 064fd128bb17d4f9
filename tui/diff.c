// SPDX-License-Identifier: MIT
/*
 * Diff a cell's running config against a file, one key away: what
 * `hvctl config diff CELL FILE` prints, from the same library function
 * (hvctl_config_diff), shown in a dialog.
 */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialog.h"

#define DIFF_LINE	160

/* "PATH (label): RUNNING -> FILE", plain, marked when cut. */
static void change_line(char *out, size_t n, const struct hvctl_config_change *c)
{
	char raw[4 * DIFF_LINE];
	size_t len;

	snprintf(raw, sizeof(raw), "%s%s%s%s: %s -> %s", c->path, c->label ? " (" : "",
		 c->label ? c->label : "", c->label ? ")" : "",
		 c->old_value ? c->old_value : "(absent)",
		 c->new_value ? c->new_value : "(absent)");
	hvctl_sanitize_str(out, n, raw);
	len = strlen(raw);
	if (len >= n && n > 4)
		snprintf(out + n - 4, 4, "...");
}

static void diff_file_chosen(struct tui_app *app, bool ok, int button, const char *path,
			     void *data)
{
	int id = *(int *)data;
	const struct tui_cell_row *row = tui_model_cell(&app->model, id);
	struct tui_dialog_spec spec = { .kind = TUI_DLG_INFO };
	static char lines[TUI_DLG_MAX_LINES][DIFF_LINE];
	static char title[DIFF_LINE];
	struct hvctl_config_changes *ch = NULL;
	struct hvctl_config *file = NULL;
	const struct hvctl_config *running;
	struct hvctl_error err = { { 0 } };
	char name[HVCTL_CELL_NAME_MAX + 1];
	size_t i, n = 0, room;
	int ret;

	(void)button;
	if (!ok) {
		tui_app_status(app, TUI_ROLE_STATUS, "diff cancelled");
		return;
	}
	/* Looked up now: the cell may have gone while the selector was open. */
	if (!row || !row->cell->config) {
		tui_app_status(app, TUI_ROLE_STATUS_ERROR, "cell %d or its running config is "
			       "gone; nothing compared", id);
		return;
	}
	ret = hvctl_config_read_file(&file, path, &err);
	if (ret) {
		tui_app_status(app, TUI_ROLE_STATUS_ERROR, "%s", err.msg[0] ? err.msg :
			       strerror(-ret));
		return;
	}
	hvctl_sanitize_str(name, sizeof(name), row->cell->name);
	running = row->cell->config;
	if (row->cell->is_root && file->is_system && app->model.snap)
		running = app->model.snap->system_config;
	if (!running || running->is_system != file->is_system) {
		tui_app_status(app, TUI_ROLE_STATUS_ERROR, "%s is a %s config; cell \"%s\" runs "
			       "%s", path, file->is_system ? "system" : "cell", name,
			       running ? (running->is_system ? "a system config" :
					  "a cell config") : "a config not known here");
		hvctl_config_free(file);
		return;
	}
	ret = hvctl_config_diff(running, file, &ch, &err);
	hvctl_config_free(file);
	if (ret) {
		tui_app_status(app, TUI_ROLE_STATUS_ERROR, "comparing with %s: %s", path,
			       err.msg[0] ? err.msg : strerror(-ret));
		return;
	}
	snprintf(title, sizeof(title), "Running config of \"%s\" vs %.100s", name, path);
	if (!ch->count) {
		snprintf(lines[n++], DIFF_LINE, "No difference: cell \"%s\" runs what the file "
			 "holds.", name);
	} else {
		snprintf(lines[n++], DIFF_LINE, "%zu field%s differ%s (PATH: RUNNING -> FILE):",
			 ch->count, ch->count == 1 ? "" : "s", ch->count == 1 ? "s" : "");
		/* What fits the screen; the rest is counted. */
		room = app->scr.rows > 12 ? (size_t)app->scr.rows - 10 : 2;
		if (room > TUI_DLG_MAX_LINES - 2)
			room = TUI_DLG_MAX_LINES - 2;
		for (i = 0; i < ch->count && n < room; i++)
			change_line(lines[n++], DIFF_LINE, &ch->items[i]);
		if (i < ch->count)
			snprintf(lines[n++], DIFF_LINE, "... and %zu more: hvctl config diff %d FILE "
				 "lists all", ch->count - i, id);
	}
	hvctl_config_changes_free(ch);
	spec.title = title;
	for (i = 0; i < n; i++)
		spec.lines[i] = lines[i];
	spec.num_lines = (unsigned int)n;
	tui_dialog_open(app, &spec, NULL, NULL, NULL);
}

void tui_diff_config(struct tui_app *app, const struct tui_cell_row *row)
{
	int *id;

	id = tui_config_cell_id(app, row);
	if (!id)
		return;
	tui_choose_file(app, "Diff the running config with: choose a config", TUI_FILES_CONFIGS,
			diff_file_chosen, id, free);
}
