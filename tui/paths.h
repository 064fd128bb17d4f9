/* SPDX-License-Identifier: MIT */
/*
 * Where hvtop finds and keeps its files: the XDG configuration directory,
 * data directories next to the executable (build tree) or under the
 * install prefix, and atomic file writes.
 */
#ifndef HVTOP_PATHS_H
#define HVTOP_PATHS_H

#include <stddef.h>

#define TUI_PATH_MAX	4096

/* "$XDG_CONFIG_HOME/hvtop", else "$HOME/.config/hvtop"; -ENOENT without either. */
int tui_config_home(char *buf, size_t n);

/* Directory of the running executable, from /proc/self/exe. */
int tui_exe_dir(char *buf, size_t n);

/*
 * Existing directories called sub next to exe_dir, one and two levels
 * above it, and exe_dir/../share/hvtop/sub, resolved and without
 * duplicates, in that order. Returns how many were stored.
 */
size_t tui_data_dirs(char (*dirs)[TUI_PATH_MAX], size_t max,
		     const char *exe_dir, const char *sub);

/* mkdir -p with mode for the directories created. 0 or -errno. */
int tui_mkdir_p(const char *path, unsigned int mode);

/*
 * Replace path with data atomically: write a temporary file in the same
 * directory, flush it, rename it over path. A failure leaves path as it
 * was. 0 or -errno with err filled.
 */
int tui_write_atomic(const char *path, const void *data, size_t len,
		     char *err, size_t errlen);

/* Read a whole file (NUL-terminated, caller frees). 0 or -errno. */
int tui_read_file(const char *path, char **out, size_t *len, size_t max);

#endif /* !HVTOP_PATHS_H */
