// SPDX-License-Identifier: MIT
/*
 * Alarms: cells that failed or have a failed CPU. The title bar counts
 * them in red whatever view is shown, the rows are marked, and the reason
 * (CPU, fault, address) is attached. The reason comes from the cell's
 * failure record when the backend has one (libhvctl's
 * hvctl_cell_info.failure); upstream's driver has none, and then it is
 * the hypervisor console's line before "Parking CPU N (cell "NAME")".
 */
#include "app.h"

#include <stdio.h>
#include <string.h>

bool tui_alarm_cell(const struct hvctl_cell_info *ci)
{
	return ci->state == HVCTL_CELL_FAILED || ci->num_failed > 0;
}

size_t tui_alarm_count(const struct tui_model *m)
{
	size_t i, n = 0;

	for (i = 0; i < m->num_cells; i++)
		if (tui_alarm_cell(m->cells[i].cell))
			n++;
	return n;
}

/* The console line before "Parking CPU <cpu> (cell "<name>")", newest first. */
static bool console_reason(const struct tui_app *app, const struct hvctl_cell_info *ci,
			   char *buf, size_t n)
{
	const struct tui_console_src *src = NULL;
	char park[HVCTL_CELL_NAME_MAX + 64];
	uint64_t begin, end, l;
	size_t i;

	for (i = 0; i < app->num_cons; i++)
		if (app->cons[i].cell_id == HVCTL_CONSOLE_HYPERVISOR)
			src = &app->cons[i];
	if (!src)
		return false;
	begin = tui_conbuf_begin(&src->buf);
	end = tui_conbuf_end(&src->buf);
	for (l = end; l > begin + 1; l--) {
		enum tui_conline_kind kind;
		unsigned int len;
		const char *t = tui_conbuf_line(&src->buf, l - 1, &len, &kind);
		unsigned int k;

		if (!t || kind != TUI_CONLINE_TEXT || strncmp(t, "Parking CPU ", 12))
			continue;
		for (k = 0; k < ci->num_failed; k++) {
			int m = snprintf(park, sizeof(park), "Parking CPU %u (cell \"%s\")",
					 ci->failed_cpus[k], ci->name);

			if (m > 0 && (size_t)m == len && !memcmp(t, park, len)) {
				const char *why = tui_conbuf_line(&src->buf, l - 2, NULL, &kind);

				if (!why || kind != TUI_CONLINE_TEXT)
					return false;
				snprintf(buf, n, "%s", why);
				return true;
			}
		}
	}
	return false;
}

/* "2 data-abort 0x80000000" lines to "CPU 2: data-abort at 0x80000000". */
static void format_record(const char *rec, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	while (*rec && len + 1 < n) {
		char line[160], fault[64], addr[64];
		const char *nl = strchr(rec, '\n');
		size_t l = nl ? (size_t)(nl - rec) : strlen(rec);
		unsigned int cpu;
		int m;

		if (l >= sizeof(line))
			l = sizeof(line) - 1;
		memcpy(line, rec, l);
		line[l] = '\0';
		rec += nl ? (size_t)(nl - rec) + 1 : strlen(rec);
		if (sscanf(line, "%u %63s %63s", &cpu, fault, addr) != 3)
			m = snprintf(buf + len, n - len, "%s%s", len ? "\n" : "", line);
		else if (!strcmp(addr, "-"))
			m = snprintf(buf + len, n - len, "%sCPU %u: %s", len ? "\n" : "",
				     cpu, fault);
		else
			m = snprintf(buf + len, n - len, "%sCPU %u: %s at %s", len ? "\n" : "",
				     cpu, fault, addr);
		if (m < 0 || (size_t)m >= n - len)
			break;
		len += (size_t)m;
	}
}

bool tui_alarm_reason(const struct tui_app *app, const struct hvctl_cell_info *ci,
		      char *buf, size_t n)
{
	buf[0] = '\0';
	if (!tui_alarm_cell(ci))
		return false;
	if (ci->failure && ci->failure[0]) {
		char *p;

		/* Backend text: printable, but its line breaks kept. */
		format_record(ci->failure, buf, n);
		for (p = buf; *p; p++)
			if (*p != '\n' && (*p < 0x20 || *p == 0x7f))
				*p = '?';
		return true;
	}
	if (console_reason(app, ci, buf, n))
		return true;
	if (ci->num_failed)
		snprintf(buf, n, "CPU %s failed (no reason recorded)", ci->failed_list);
	else
		snprintf(buf, n, "no reason recorded");
	return false;
}

static bool seen(const struct tui_app *app, int id, unsigned int failed)
{
	size_t i;

	for (i = 0; i < app->num_alarms; i++)
		if (app->alarms[i].id == id)
			return app->alarms[i].failed >= failed;
	return false;
}

void tui_alarm_update(struct tui_app *app)
{
	const struct tui_model *m = &app->model;
	struct tui_alarm next[TUI_ALARMS_MAX];
	size_t i, n = 0;

	if (!m->snap)
		return;
	for (i = 0; i < m->num_cells && n < TUI_ALARMS_MAX; i++) {
		const struct hvctl_cell_info *ci = m->cells[i].cell;
		unsigned int failed = ci->num_failed + (ci->state == HVCTL_CELL_FAILED);
		char why[256], name[HVCTL_CELL_NAME_MAX + 1];

		if (!tui_alarm_cell(ci))
			continue;
		next[n].id = ci->id;
		next[n].failed = failed;
		n++;
		if (seen(app, ci->id, failed))
			continue;
		/* A new failure replaces whatever the status line said (a
		 * "started" there would contradict the row). */
		tui_alarm_reason(app, ci, why, sizeof(why));
		hvctl_sanitize_str(name, sizeof(name), ci->name);
		/* A cell whose other CPUs run on is not called failed: the
		 * table still reads its state. */
		if (ci->state == HVCTL_CELL_FAILED)
			tui_app_status_as(app, TUI_ROLE_STATUS_ERROR,
					  TUI_EV_FAILURE, "cell \"%s\" FAILED: %s",
					  name, why);
		else
			tui_app_status_as(app, TUI_ROLE_STATUS_ERROR,
					  TUI_EV_FAILURE,
					  "cell \"%s\" runs on with %u CPU%s FAILED: %s",
					  name, ci->num_failed,
					  ci->num_failed == 1 ? "" : "s", why);
	}
	memcpy(app->alarms, next, n * sizeof(next[0]));
	app->num_alarms = n;
}
