// SPDX-License-Identifier: MIT
/*
 * CDK dialogs under hvtop's event loop.
 */
#include "dialog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINE_MAX_TEXT	512
#define MARKUP_MAX	(LINE_MAX_TEXT * 2 + 32)

struct tui_dialog {
	struct tui_dialog_spec spec;
	/* Copies of the spec's strings (the caller's may be temporary). */
	char title[LINE_MAX_TEXT];
	char lines[TUI_DLG_MAX_LINES][LINE_MAX_TEXT];
	char buttons[TUI_DLG_MAX_BUTTONS][64];
	char dir[TUI_PATH_MAX];
	char label[128];
	char text[256];		/* ENTRY value kept across rebuilds */
	int button;		/* CONFIRM current button across rebuilds */

	tui_dialog_done done;
	void *data;
	void (*free_data)(void *);

	/* CDK fselect changes the working directory; we put it back. */
	int cwd_fd;
	/* The directory whose listing was last filtered. */
	char filtered[TUI_PATH_MAX];

	CDKDIALOG *dlg;
	CDKFSELECT *fsel;
	CDKENTRY *entry;
};

static void widget_destroy(struct tui_dialog *d)
{
	if (d->dlg)
		destroyCDKDialog(d->dlg);
	if (d->fsel) {
		const char *pwd = getCDKFselectDirectory(d->fsel);

		if (pwd)
			snprintf(d->dir, sizeof(d->dir), "%s", pwd);
		destroyCDKFselect(d->fsel);
	}
	if (d->entry) {
		const char *v = getCDKEntryValue(d->entry);

		snprintf(d->text, sizeof(d->text), "%s", v ? v : "");
		destroyCDKEntry(d->entry);
	}
	d->dlg = NULL;
	d->fsel = NULL;
	d->entry = NULL;
}

static bool has_suffix(const char *name, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len > n && !strncmp(name + len - n, suffix, n);
}

bool tui_file_fits(enum tui_file_filter f, const char *name)
{
	size_t len = strlen(name);
	bool config = has_suffix(name, len, ".json") || has_suffix(name, len, ".cell");

	switch (f) {
	case TUI_FILES_CONFIGS:
		return config;
	case TUI_FILES_IMAGES:
		return !config;
	default:
		return true;
	}
}

/*
 * CDK's selector lists every file and has no filter of its own: after it
 * reads a directory, drop the entries that do not fit from its list (kept
 * in step with the scroll list it selects from). Entries read
 * "<attr>NAME<t>", t the type mark: '/' directory, '@' link, '&' socket,
 * '*' executable, ' ' other.
 */
static void filter_listing(struct tui_dialog *d)
{
	const char *pwd = getCDKFselectDirectory(d->fsel);
	char **list;
	int n, i;

	if (d->spec.filter == TUI_FILES_ALL || !pwd || !strcmp(pwd, d->filtered))
		return;
	snprintf(d->filtered, sizeof(d->filtered), "%s", pwd);
	list = getCDKFselectDirContents(d->fsel, &n);
	/*
	 * From the end, so positions stay valid; each entry goes from the
	 * scroll list through CDK's own delete (replacing the whole list
	 * would leak the old items in this CDK) and from the listing.
	 */
	for (i = n - 1; list && i >= 0; i--) {
		char name[TUI_PATH_MAX], full[2 * TUI_PATH_MAX];
		const char *s = list[i], *gt;
		size_t len;
		char mark;
		struct stat st;

		if (s[0] == '<' && (gt = strchr(s, '>')) != NULL)
			s = gt + 1;
		len = strlen(s);
		mark = len ? s[len - 1] : ' ';
		snprintf(name, sizeof(name), "%.*s", len ? (int)len - 1 : 0, s);
		snprintf(full, sizeof(full), "%s/%s", pwd, name);
		/* A link counts as what it points to. */
		if (mark == '/' || (mark == '@' && !stat(full, &st) && S_ISDIR(st.st_mode)) ||
		    tui_file_fits(d->spec.filter, name))
			continue;
		deleteCDKScrollItem(d->fsel->scrollField, i);
		free(list[i]);
		memmove(&list[i], &list[i + 1], (size_t)(n - i - 1) * sizeof(list[0]));
		list[--n] = NULL;
	}
	d->fsel->fileCounter = n;
}

static void restore_cwd(struct tui_dialog *d)
{
	/* Paths hvtop keeps are absolute, so a failure here breaks nothing. */
	if (d->cwd_fd >= 0 && fchdir(d->cwd_fd) < 0)
		return;
}

static void free_dialog(struct tui_dialog *d)
{
	widget_destroy(d);
	restore_cwd(d);
	if (d->cwd_fd >= 0)
		close(d->cwd_fd);
	if (d->free_data)
		d->free_data(d->data);
	free(d);
}

/*
 * Split text into pieces of at most width bytes, breaking at spaces where
 * it can; pieces after the first start with indent spaces. Returns how
 * many pieces there are; stores at most max of them in out.
 */
static int wrap_text(const char *text, int width, int indent, char (*out)[LINE_MAX_TEXT],
		     int max)
{
	const char *p = text;
	int n = 0;

	do {
		int lead = n ? indent : 0, room = width - lead, len = (int)strlen(p), cut = len;

		if (len > room) {
			/* The last space that fits; none: cut the word. */
			for (cut = room; cut > 0 && p[cut] != ' '; cut--)
				;
			if (cut == 0)
				cut = room;
		}
		if (n < max)
			snprintf(out[n], LINE_MAX_TEXT, "%*s%.*s", lead, "", cut, p);
		n++;
		p += cut;
		while (*p == ' ')
			p++;
	} while (*p);
	return n;
}

/*
 * Build the CDK markup lines: title in bold, then the escaped text, long
 * lines wrapped inside the screen (CDK would clip the box). Text that
 * does not fit the height ends in a line saying how much is not shown.
 */
static int build_lines(struct tui_app *app, struct tui_dialog *d,
		       char (*out)[MARKUP_MAX], const char **ptrs, int max)
{
	static char wrapped[TUI_DLG_MAX_LINES * 4][LINE_MAX_TEXT];
	const int wmax = TUI_DLG_MAX_LINES * 4;
	int n = 0, nw = 0, width = app->scr.cols - 8, i;
	unsigned int k;
	char esc[LINE_MAX_TEXT * 2];

	if (width < 10)
		width = 10;
	if (d->title[0] && n < max) {
		tui_cdk_text(&app->scr, esc, sizeof(esc), d->title);
		snprintf(out[n], sizeof(out[n]), "<C></B>%s<!B>", esc);
		ptrs[n] = out[n];
		n++;
	}
	for (k = 0; k < d->spec.num_lines; k++) {
		char clean[LINE_MAX_TEXT];
		int indent;

		hvctl_sanitize_str(clean, sizeof(clean), d->lines[k]);
		/* Continuations line up under the text, past "! " marks. */
		indent = (int)strspn(clean, " ");
		if (clean[0] == '!' && clean[1] == ' ')
			indent = 2;
		if (indent > width / 2)
			indent = 0;
		nw += wrap_text(clean, width, indent, wrapped + (nw < wmax ? nw : wmax),
				nw < wmax ? wmax - nw : 0);
	}
	if (nw > wmax)
		nw = wmax;
	for (i = 0; i < nw && n < max; i++) {
		if (n == max - 1 && i < nw - 1) {
			snprintf(out[n], sizeof(out[n]),
				 "(%d more lines: a taller window shows them)", nw - i);
		} else {
			tui_cdk_text(&app->scr, esc, sizeof(esc), wrapped[i]);
			snprintf(out[n], sizeof(out[n]), "%s", esc[0] ? esc : " ");
		}
		ptrs[n] = out[n];
		n++;
	}
	return n;
}

static void widget_create(struct tui_app *app, struct tui_dialog *d)
{
	CDKSCREEN *cdk = app->scr.cdk;
	int rows = app->scr.rows, cols = app->scr.cols;

	switch (d->spec.kind) {
	case TUI_DLG_CONFIRM:
	case TUI_DLG_INFO: {
		static char text[TUI_DLG_MAX_LINES + 1][MARKUP_MAX];
		const char *ptrs[TUI_DLG_MAX_LINES + 1];
		char btext[TUI_DLG_MAX_BUTTONS][80];
		const char *bptrs[TUI_DLG_MAX_BUTTONS];
		int max = rows - 6 > 1 ? rows - 6 : 1, n, i;
		int nb = (int)d->spec.num_buttons;

		if (max > TUI_DLG_MAX_LINES + 1)
			max = TUI_DLG_MAX_LINES + 1;
		n = build_lines(app, d, text, ptrs, max);
		for (i = 0; i < nb; i++) {
			snprintf(btext[i], sizeof(btext[i]), " %s ", d->buttons[i]);
			bptrs[i] = btext[i];
		}
		d->dlg = newCDKDialog(cdk, CENTER, CENTER, (CDK_CSTRING2)ptrs, n,
				      (CDK_CSTRING2)bptrs, nb, A_REVERSE, TRUE, TRUE, FALSE);
		if (d->dlg) {
			d->dlg->currentButton = d->button < nb ? d->button : 0;
			setCDKDialogBackgroundAttrib(d->dlg, tui_attr(&app->scr, TUI_ROLE_NORMAL));
		}
		break;
	}
	case TUI_DLG_FILE: {
		char title[MARKUP_MAX], esc[LINE_MAX_TEXT * 2];
		int h = rows - 4 < 20 ? rows - 4 : 20, w = cols - 8 < 72 ? cols - 8 : 72;

		/* The selector starts in the working directory. */
		if (d->dir[0] && chdir(d->dir))
			d->dir[0] = '\0';
		tui_cdk_text(&app->scr, esc, sizeof(esc), d->title);
		snprintf(title, sizeof(title), "<C></B>%s<!B>", esc);
		d->fsel = newCDKFselect(cdk, CENTER, CENTER, h, w, title, "File: ",
					A_NORMAL, '_', A_REVERSE, "</B>", "</N>", "</N>",
					"</N>", TRUE, FALSE);
		d->filtered[0] = '\0';
		if (d->fsel)
			filter_listing(d);
		break;
	}
	case TUI_DLG_ENTRY: {
		char title[MARKUP_MAX * 4], esc[LINE_MAX_TEXT * 2], label[256];
		int w = cols - 8 < 60 ? cols - 8 : 60;
		int n = 0;
		unsigned int i;

		tui_cdk_text(&app->scr, esc, sizeof(esc), d->title);
		n = snprintf(title, sizeof(title), "<C></B>%s<!B>", esc);
		for (i = 0; i < d->spec.num_lines && n > 0 && (size_t)n < sizeof(title); i++) {
			tui_cdk_text(&app->scr, esc, sizeof(esc), d->lines[i]);
			n += snprintf(title + n, sizeof(title) - (size_t)n, "\n%s", esc);
		}
		tui_cdk_text(&app->scr, label, sizeof(label), d->label);
		d->entry = newCDKEntry(cdk, CENTER, CENTER, title, label, A_NORMAL, '_',
				       vMIXED, w - (int)strlen(d->label) - 4, 0, 250, TRUE, FALSE);
		if (d->entry)
			setCDKEntryValue(d->entry, d->text);
		break;
	}
	}
}

int tui_dialog_open(struct tui_app *app, const struct tui_dialog_spec *spec,
		    tui_dialog_done done, void *data, void (*free_data)(void *))
{
	struct tui_dialog *d;
	unsigned int i;

	if (app->dialog) {
		struct tui_dialog *old = app->dialog;

		app->dialog = NULL;
		free_dialog(old);
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		if (free_data)
			free_data(data);
		return -ENOMEM;
	}
	d->spec = *spec;
	d->cwd_fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	snprintf(d->title, sizeof(d->title), "%s", spec->title ? spec->title : "");
	if (d->spec.num_lines > TUI_DLG_MAX_LINES)
		d->spec.num_lines = TUI_DLG_MAX_LINES;
	for (i = 0; i < d->spec.num_lines; i++)
		snprintf(d->lines[i], sizeof(d->lines[i]), "%s", spec->lines[i]);
	if (spec->kind == TUI_DLG_INFO && !spec->num_buttons) {
		d->spec.num_buttons = 1;
		snprintf(d->buttons[0], sizeof(d->buttons[0]), "OK");
	}
	if (d->spec.num_buttons > TUI_DLG_MAX_BUTTONS)
		d->spec.num_buttons = TUI_DLG_MAX_BUTTONS;
	for (i = 0; i < spec->num_buttons && i < TUI_DLG_MAX_BUTTONS; i++)
		snprintf(d->buttons[i], sizeof(d->buttons[i]), "%s", spec->buttons[i]);
	d->button = (int)spec->default_button;
	snprintf(d->dir, sizeof(d->dir), "%s", spec->dir ? spec->dir : "");
	snprintf(d->label, sizeof(d->label), "%s", spec->label ? spec->label : "");
	snprintf(d->text, sizeof(d->text), "%s", spec->initial ? spec->initial : "");
	d->done = done;
	d->data = data;
	d->free_data = free_data;
	app->dialog = d;
	widget_create(app, d);
	if (!d->dlg && !d->fsel && !d->entry) {
		app->dialog = NULL;
		free_dialog(d);
		return -ENOMEM;
	}
	app->dirty |= TUI_DIRTY_FRAME;
	return 0;
}

static void finish(struct tui_app *app, bool ok, int button, const char *value)
{
	struct tui_dialog *d = app->dialog;
	char copy[TUI_PATH_MAX];

	snprintf(copy, sizeof(copy), "%s", value ? value : "");
	/* Detach first: done() may open the next dialog. */
	app->dialog = NULL;
	widget_destroy(d);
	restore_cwd(d);
	if (d->done)
		d->done(app, ok, button, copy, d->data);
	free_dialog(d);
	app->dirty |= TUI_DIRTY_FRAME | TUI_DIRTY_FULL;
}

void tui_dialog_key(struct tui_app *app, int key)
{
	struct tui_dialog *d = app->dialog;

	if (!d)
		return;
	/*
	 * CDK's own input loop turns Return into KEY_ENTER before a widget
	 * sees it; injected keys must come the same way.
	 */
	key = tui_key_normalise(key);
	if (key == '\n')
		key = KEY_ENTER;
	if (d->dlg) {
		int b = injectCDKDialog(d->dlg, (chtype)key);

		d->button = d->dlg->currentButton;
		if (d->dlg->exitType == vESCAPE_HIT)
			finish(app, false, -1, NULL);
		else if (d->dlg->exitType == vNORMAL)
			finish(app, b >= 0 && (unsigned int)b + 1 < d->spec.num_buttons +
			       (d->spec.kind == TUI_DLG_INFO), b, NULL);
	} else if (d->fsel) {
		char *path = injectCDKFselect(d->fsel, (chtype)key);

		if (d->fsel->exitType == vESCAPE_HIT)
			finish(app, false, -1, NULL);
		else if (d->fsel->exitType == vNORMAL && path)
			finish(app, true, 0, path);
		else
			/* Into another directory: its listing is filtered too. */
			filter_listing(d);
	} else if (d->entry) {
		char *text = injectCDKEntry(d->entry, (chtype)key);

		if (d->entry->exitType == vESCAPE_HIT)
			finish(app, false, -1, NULL);
		else if (d->entry->exitType == vNORMAL)
			finish(app, true, 0, text ? text : "");
	}
	app->dirty |= TUI_DIRTY_FRAME;
}

void tui_dialog_draw(struct tui_app *app)
{
	struct tui_dialog *d = app->dialog;

	if (!d)
		return;
	if (d->dlg) {
		touchwin(d->dlg->win);
		drawCDKDialog(d->dlg, TRUE);
	} else if (d->fsel) {
		touchwin(d->fsel->win);
		drawCDKFselect(d->fsel, TRUE);
	} else if (d->entry) {
		touchwin(d->entry->win);
		drawCDKEntry(d->entry, TRUE);
	}
}

void tui_dialog_relayout(struct tui_app *app)
{
	struct tui_dialog *d = app->dialog;

	if (!d)
		return;
	widget_destroy(d);
	widget_create(app, d);
	if (!d->dlg && !d->fsel && !d->entry)
		finish(app, false, -1, NULL);
}

void tui_dialog_close(struct tui_app *app)
{
	struct tui_dialog *d = app->dialog;

	if (!d)
		return;
	app->dialog = NULL;
	free_dialog(d);
}
