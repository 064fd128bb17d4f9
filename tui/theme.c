// SPDX-License-Identifier: MIT
/*
 * Theme roles, the built-in themes and the theme file parser.
 */
#include "theme.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const role_names[TUI_ROLE_COUNT] = {
	[TUI_ROLE_NORMAL]		= "normal",
	[TUI_ROLE_TITLE]		= "title",
	[TUI_ROLE_HEADER]		= "header",
	[TUI_ROLE_HEADER_SORT]		= "header.sort",
	[TUI_ROLE_SELECTED]		= "selected",
	[TUI_ROLE_BORDER]		= "border",
	[TUI_ROLE_DIM]			= "dim",
	[TUI_ROLE_LABEL]		= "label",
	[TUI_ROLE_VALUE]		= "value",
	[TUI_ROLE_KEYBAR_KEY]		= "keybar.key",
	[TUI_ROLE_KEYBAR_LABEL]		= "keybar.label",
	[TUI_ROLE_STATUS]		= "status",
	[TUI_ROLE_STATUS_ERROR]		= "status.error",
	[TUI_ROLE_STATUS_OK]		= "status.ok",
	[TUI_ROLE_WARNING]		= "warning",
	[TUI_ROLE_STATE_RUNNING]	= "state.running",
	[TUI_ROLE_STATE_LOCKED]		= "state.locked",
	[TUI_ROLE_STATE_SHUTDOWN]	= "state.shutdown",
	[TUI_ROLE_STATE_FAILED]		= "state.failed",
	[TUI_ROLE_STATE_OTHER]		= "state.other",
	[TUI_ROLE_GAUGE_FILL]		= "gauge.fill",
	[TUI_ROLE_GAUGE_HIGH]		= "gauge.high",
	[TUI_ROLE_GAUGE_EMPTY]		= "gauge.empty",
	[TUI_ROLE_GRAPH]		= "graph",
	[TUI_ROLE_CPU_FREE]		= "cpu.free",
	[TUI_ROLE_CPU_FAILED]		= "cpu.failed",
	[TUI_ROLE_OWNER0]		= "owner.0",
	[TUI_ROLE_OWNER1]		= "owner.1",
	[TUI_ROLE_OWNER2]		= "owner.2",
	[TUI_ROLE_OWNER3]		= "owner.3",
	[TUI_ROLE_OWNER4]		= "owner.4",
	[TUI_ROLE_OWNER5]		= "owner.5",
	[TUI_ROLE_OWNER6]		= "owner.6",
	[TUI_ROLE_OWNER7]		= "owner.7",
	[TUI_ROLE_MEM_HYPERVISOR]	= "mem.hypervisor",
	[TUI_ROLE_MEM_ROOTSHARED]	= "mem.rootshared",
	[TUI_ROLE_MEM_IVSHMEM]		= "mem.ivshmem",
	[TUI_ROLE_MEM_COMM]		= "mem.comm",
	[TUI_ROLE_MEM_IO]		= "mem.io",
	[TUI_ROLE_MEM_GAP]		= "mem.gap",
	[TUI_ROLE_CONSOLE_TEXT]		= "console.text",
	[TUI_ROLE_CONSOLE_LOST]		= "console.lost",
	[TUI_ROLE_CONSOLE_NOTE]		= "console.note",
	[TUI_ROLE_CONSOLE_MATCH]	= "console.match",
	[TUI_ROLE_HELP_KEY]		= "help.key",
	[TUI_ROLE_HELP_TEXT]		= "help.text",
	[TUI_ROLE_TOO_SMALL]		= "too-small",
};

static const char *const color_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char *name;
	unsigned int bit;
} attr_names[] = {
	{ "normal", 0 },
	{ "bold", TUI_ATTR_BOLD },
	{ "dim", TUI_ATTR_DIM },
	{ "underline", TUI_ATTR_UNDERLINE },
	{ "reverse", TUI_ATTR_REVERSE },
	{ "standout", TUI_ATTR_STANDOUT },
	{ "blink", TUI_ATTR_BLINK },
	{ "italic", TUI_ATTR_ITALIC },
};

/*
 * The default theme, in the theme file syntax so there is one parser;
 * themes/default.theme carries the same rules for users to copy.
 */
static const char builtin_default[] =
	"normal          default default\n"
	"title           cyan    default bold\n"
	"header          black   green\n"
	"header.sort     black   cyan    bold\n"
	"selected        black   cyan\n"
	"border          blue    default\n"
	"dim             default default dim\n"
	"label           cyan    default\n"
	"value           default default bold\n"
	"keybar.key      default default bold\n"
	"keybar.label    black   cyan\n"
	"status          default default\n"
	"status.error    white   red     bold\n"
	"status.ok       green   default bold\n"
	"warning         yellow  default bold\n"
	"state.running   green   default bold\n"
	"state.locked    cyan    default bold\n"
	"state.shutdown  yellow  default\n"
	"state.failed    white   red     bold\n"
	"state.other     magenta default\n"
	"gauge.fill      green   default bold\n"
	"gauge.high      red     default bold\n"
	"gauge.empty     default default dim\n"
	"graph           cyan    default bold\n"
	"cpu.free        default default dim\n"
	"cpu.failed      white   red     bold\n"
	"owner.0         blue    default\n"
	"owner.1         green   default\n"
	"owner.2         magenta default\n"
	"owner.3         cyan    default\n"
	"owner.4         yellow  default\n"
	"owner.5         red     default\n"
	"owner.6         white   default\n"
	"owner.7         blue    default bold\n"
	"mem.hypervisor  magenta default bold\n"
	"mem.rootshared  yellow  default bold\n"
	"mem.ivshmem     cyan    default bold\n"
	"mem.comm        green   default\n"
	"mem.io          red     default\n"
	"mem.gap         default default dim\n"
	"console.text    default default\n"
	"console.lost    black   yellow  bold\n"
	"console.note    cyan    default\n"
	"console.match   black   yellow\n"
	"help.key        yellow  default bold\n"
	"help.text       default default\n"
	"too-small       white   red     bold\n";

/* Monochrome: attributes carry every distinction the colours did. */
static const char builtin_mono[] =
	"title           default default bold\n"
	"header          default default bold underline\n"
	"header.sort     default default reverse bold underline\n"
	"selected        default default reverse\n"
	"border          default default\n"
	"dim             default default dim\n"
	"label           default default\n"
	"value           default default bold\n"
	"keybar.key      default default bold\n"
	"keybar.label    default default reverse\n"
	"status          default default\n"
	"status.error    default default reverse bold\n"
	"status.ok       default default bold\n"
	"warning         default default bold\n"
	"state.running   default default bold\n"
	"state.locked    default default bold underline\n"
	"state.shutdown  default default\n"
	"state.failed    default default reverse bold\n"
	"state.other     default default underline\n"
	"gauge.fill      default default bold\n"
	"gauge.high      default default reverse\n"
	"gauge.empty     default default dim\n"
	"graph           default default bold\n"
	"cpu.free        default default dim\n"
	"cpu.failed      default default reverse bold\n"
	"owner.0         default default\n"
	"owner.1         default default\n"
	"owner.2         default default\n"
	"owner.3         default default\n"
	"owner.4         default default\n"
	"owner.5         default default\n"
	"owner.6         default default\n"
	"owner.7         default default\n"
	"mem.hypervisor  default default bold\n"
	"mem.rootshared  default default underline\n"
	"mem.ivshmem     default default bold underline\n"
	"mem.comm        default default underline\n"
	"mem.io          default default\n"
	"mem.gap         default default dim\n"
	"console.text    default default\n"
	"console.lost    default default reverse\n"
	"console.note    default default bold\n"
	"console.match   default default bold underline\n"
	"help.key        default default bold\n"
	"help.text       default default\n"
	"too-small       default default reverse bold\n";

const char *tui_role_name(enum tui_role role)
{
	return (unsigned int)role < TUI_ROLE_COUNT ? role_names[role] : "?";
}

int tui_role_from_name(const char *name)
{
	int i;

	for (i = 0; i < TUI_ROLE_COUNT; i++)
		if (!strcmp(role_names[i], name))
			return i;
	return -1;
}

int tui_color_from_name(const char *name)
{
	char *end;
	long n;
	int i;

	if (!strcmp(name, "default"))
		return TUI_COLOR_DEFAULT;
	for (i = 0; i < 8; i++)
		if (!strcmp(name, color_names[i]))
			return i;
	if (!strncmp(name, "bright-", 7))
		for (i = 0; i < 8; i++)
			if (!strcmp(name + 7, color_names[i]))
				return 8 + i;
	if (!strncmp(name, "color", 5) && isdigit((unsigned char)name[5])) {
		errno = 0;
		n = strtol(name + 5, &end, 10);
		if (!*end && !errno && n >= 0 && n <= 255)
			return (int)n;
	}
	return -2;
}

short tui_color_fit(short color, int ncolors, bool *bold)
{
	if (bold)
		*bold = false;
	if (color < 0 || color < ncolors)
		return color;
	if (ncolors < 8)
		return TUI_COLOR_DEFAULT;
	if (color < 16) {
		if (bold)
			*bold = true;
		return (short)(color - 8);
	}
	if (color < 232) {
		int idx = color - 16;
		int r = idx / 36, g = (idx / 6) % 6, b = idx % 6;
		int max = r > g ? (r > b ? r : b) : (g > b ? g : b);

		if (bold)
			*bold = max == 5;
		return (short)((r >= 3 ? 1 : 0) | (g >= 3 ? 2 : 0) | (b >= 3 ? 4 : 0));
	}
	/* Grey ramp 232..255: black, bright black, white, bright white. */
	color -= 232;
	if (bold)
		*bold = color >= 6 && color < 12 ? true : color >= 18;
	return color < 12 ? 0 : 7;
}

static void set_err(char *err, size_t errlen, const char *source,
		    unsigned int line, const char *fmt, const char *arg)
{
	int len;

	if (!err || !errlen)
		return;
	len = snprintf(err, errlen, "%s:%u: ", source ? source : "theme", line);
	if (len >= 0 && (size_t)len < errlen)
		snprintf(err + len, errlen - (size_t)len, fmt, arg);
}

int tui_theme_parse(struct tui_theme *t, const char *text, const char *source,
		    char *err, size_t errlen)
{
	struct tui_theme work = *t;
	unsigned int lineno = 0;
	const char *p = text;

	while (*p) {
		char line[512], *tok[16], *save = NULL, *hash, *s;
		size_t len = strcspn(p, "\n");
		unsigned int ntok = 0, i, j;
		int role, fg, bg;

		lineno++;
		if (len >= sizeof(line)) {
			set_err(err, errlen, source, lineno, "line too long%s", "");
			return -EINVAL;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (p[len] == '\n');

		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		for (s = strtok_r(line, " \t\r", &save); s;
		     s = strtok_r(NULL, " \t\r", &save)) {
			if (ntok == sizeof(tok) / sizeof(tok[0])) {
				set_err(err, errlen, source, lineno,
					"too many words on the line%s", "");
				return -EINVAL;
			}
			tok[ntok++] = s;
		}
		if (!ntok)
			continue;
		role = tui_role_from_name(tok[0]);
		if (role < 0) {
			set_err(err, errlen, source, lineno, "unknown role \"%s\"", tok[0]);
			return -EINVAL;
		}
		if (ntok < 3) {
			set_err(err, errlen, source, lineno,
				"role %s needs a foreground and a background colour",
				tok[0]);
			return -EINVAL;
		}
		fg = tui_color_from_name(tok[1]);
		if (fg < -1) {
			set_err(err, errlen, source, lineno,
				"unknown foreground colour \"%s\"", tok[1]);
			return -EINVAL;
		}
		bg = tui_color_from_name(tok[2]);
		if (bg < -1) {
			set_err(err, errlen, source, lineno,
				"unknown background colour \"%s\"", tok[2]);
			return -EINVAL;
		}
		work.style[role].fg = (short)fg;
		work.style[role].bg = (short)bg;
		work.style[role].attrs = 0;
		for (i = 3; i < ntok; i++) {
			for (j = 0; j < sizeof(attr_names) / sizeof(attr_names[0]); j++)
				if (!strcmp(tok[i], attr_names[j].name))
					break;
			if (j == sizeof(attr_names) / sizeof(attr_names[0])) {
				set_err(err, errlen, source, lineno,
					"unknown attribute \"%s\"", tok[i]);
				return -EINVAL;
			}
			work.style[role].attrs |= attr_names[j].bit;
		}
	}
	*t = work;
	return 0;
}

static void theme_reset(struct tui_theme *t, const char *name)
{
	int i;

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	for (i = 0; i < TUI_ROLE_COUNT; i++) {
		t->style[i].fg = TUI_COLOR_DEFAULT;
		t->style[i].bg = TUI_COLOR_DEFAULT;
	}
}

void tui_theme_builtin_default(struct tui_theme *t)
{
	theme_reset(t, "default");
	tui_theme_parse(t, builtin_default, "built-in default", NULL, 0);
}

void tui_theme_builtin_mono(struct tui_theme *t)
{
	theme_reset(t, "mono");
	tui_theme_parse(t, builtin_mono, "built-in mono", NULL, 0);
}

int tui_theme_load_file(struct tui_theme *t, const char *path,
			char *err, size_t errlen)
{
	struct tui_theme work;
	const char *base;
	char *text;
	size_t len;
	int ret;

	ret = tui_read_file(path, &text, &len, 1u << 20);
	if (ret) {
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (strlen(text) != len) {
		snprintf(err, errlen, "%s: not a text file (contains NUL bytes)", path);
		free(text);
		return -EINVAL;
	}
	tui_theme_builtin_default(&work);
	ret = tui_theme_parse(&work, text, path, err, errlen);
	free(text);
	if (ret)
		return ret;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	snprintf(work.name, sizeof(work.name), "%.*s",
		 (int)(strlen(base) > 6 && !strcmp(base + strlen(base) - 6, ".theme") ?
		       strlen(base) - 6 : strlen(base)), base);
	*t = work;
	return 0;
}

size_t tui_theme_dirs(char (*dirs)[TUI_PATH_MAX], size_t max,
		      const char *exe_dir)
{
	char home[TUI_PATH_MAX];
	size_t count = 0;
	struct stat st;

	if (max && !tui_config_home(home, sizeof(home)) &&
	    strlen(home) + sizeof("/themes") <= TUI_PATH_MAX) {
		snprintf(dirs[0], TUI_PATH_MAX, "%s/themes", home);
		if (!stat(dirs[0], &st) && S_ISDIR(st.st_mode))
			count = 1;
	}
	return count + tui_data_dirs(dirs + count, max - count, exe_dir, "themes");
}

static bool valid_theme_name(const char *name)
{
	const char *p;

	if (!*name || *name == '.' || strlen(name) >= TUI_THEME_NAME_MAX)
		return false;
	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			return false;
	return true;
}

int tui_theme_find(char *out, size_t outlen, const char *name,
		   const char *exe_dir, char *err, size_t errlen)
{
	char dirs[6][TUI_PATH_MAX];
	size_t n, i, used = 0;
	struct stat st;
	int len;

	if (strchr(name, '/')) {
		if (stat(name, &st)) {
			snprintf(err, errlen, "theme %s: %s", name, strerror(errno));
			return -ENOENT;
		}
		snprintf(out, outlen, "%s", name);
		return 0;
	}
	if (!valid_theme_name(name)) {
		snprintf(err, errlen, "theme \"%.64s\": a theme name is letters, digits, '-', '_' and '.'",
			 name);
		return -EINVAL;
	}
	n = tui_theme_dirs(dirs, 6, exe_dir);
	for (i = 0; i < n; i++) {
		len = snprintf(out, outlen, "%s/%s.theme", dirs[i], name);
		if (len > 0 && (size_t)len < outlen && !stat(out, &st) &&
		    S_ISREG(st.st_mode))
			return 0;
	}
	len = snprintf(err, errlen, "theme \"%s\" not found (looked in", name);
	if (len > 0)
		used = (size_t)len;
	for (i = 0; i < n && used < errlen; i++) {
		len = snprintf(err + used, errlen - used, "%s %s", i ? "," : "", dirs[i]);
		if (len > 0)
			used += (size_t)len;
	}
	if (used < errlen)
		snprintf(err + used, errlen - used, "%s)", n ? "" : " no theme directory found");
	return -ENOENT;
}
