// SPDX-License-Identifier: MIT
/*
 * Export a cell's running config (cells/<id>/config, as the hypervisor
 * holds it) as JSON: what `hvctl config decompile` of that file gives,
 * one key away in hvtop.
 */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialog.h"

static void export_done(struct tui_app *app, bool ok, int button, const char *value,
			void *data)
{
	int id = *(int *)data;
	const struct tui_cell_row *row = tui_model_cell(&app->model, id);
	struct hvctl_error herr = { { 0 } };
	char err[512], *json = NULL;
	int ret;

	(void)button;
	if (!ok || !value[0])
		return;
	/* Looked up now: the cell may have gone while the dialog was open. */
	if (!row || !row->cell->config) {
		tui_app_status(app, TUI_ROLE_STATUS_ERROR,
			       "cell %d or its running config is gone; nothing written", id);
		return;
	}
	ret = hvctl_config_to_json(row->cell->config, &json, &herr);
	if (ret) {
		tui_app_status(app, TUI_ROLE_STATUS_ERROR, "exporting cell %d: %s", id,
			       herr.msg[0] ? herr.msg : strerror(-ret));
		return;
	}
	if (tui_write_atomic(value, json, strlen(json), err, sizeof(err)))
		tui_app_status(app, TUI_ROLE_STATUS_ERROR, "%s", err);
	else
		tui_app_status(app, TUI_ROLE_STATUS_OK,
			       "wrote the running config of cell %d to %s", id, value);
	free(json);
}

/*
 * The ID of a row's cell for a dialog's callback (the caller frees it), or
 * NULL, said on the status line, when its running config is not known.
 */
int *tui_config_cell_id(struct tui_app *app, const struct tui_cell_row *row)
{
	int *id;

	if (!row)
		return NULL;
	if (!row->cell->config) {
		tui_app_status(app, TUI_ROLE_STATUS_ERROR,
			       "the running config of cell %d is not known here (no cells/%d/config)",
			       row->cell->id, row->cell->id);
		return NULL;
	}
	id = malloc(sizeof(*id));
	if (id)
		*id = row->cell->id;
	return id;
}

void tui_export_config(struct tui_app *app, const struct tui_cell_row *row)
{
	struct tui_dialog_spec spec = { .kind = TUI_DLG_ENTRY };
	char path[HVCTL_CELL_NAME_MAX + 32], name[HVCTL_CELL_NAME_MAX + 1];
	size_t i;
	int *id;

	id = tui_config_cell_id(app, row);
	if (!id)
		return;
	/* A file name from the cell's name: only the safe characters of it. */
	snprintf(name, sizeof(name), "%s", row->cell->name);
	for (i = 0; name[i]; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9') || name[i] == '-' || name[i] == '_'))
			name[i] = '_';
	snprintf(path, sizeof(path), "%s-running.json", name);
	spec.title = "Export running config";
	spec.lines[0] = "The cell's config as the hypervisor holds it, as JSON";
	spec.lines[1] = "(what hvctl config decompile of cells/<id>/config gives).";
	spec.num_lines = 2;
	spec.label = "File: ";
	spec.initial = path;
	tui_dialog_open(app, &spec, export_done, id, free);
}
