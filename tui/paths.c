// SPDX-License-Identifier: MIT
/*
 * File locations and atomic writes.
 */
#include "paths.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int tui_config_home(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int len;

	/* The XDG spec says relative values are to be ignored. */
	if (xdg && xdg[0] == '/')
		len = snprintf(buf, n, "%s/hvtop", xdg);
	else if (home && home[0])
		len = snprintf(buf, n, "%s/.config/hvtop", home);
	else
		return -ENOENT;
	return len < 0 || (size_t)len >= n ? -ENAMETOOLONG : 0;
}

int tui_exe_dir(char *buf, size_t n)
{
	ssize_t len;
	char *slash;

	if (n < 2)
		return -EINVAL;
	len = readlink("/proc/self/exe", buf, n - 1);
	if (len < 0)
		return -errno;
	if ((size_t)len >= n - 1)
		return -ENAMETOOLONG;
	buf[len] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return -ENOENT;
	if (slash == buf)
		slash[1] = '\0';
	else
		*slash = '\0';
	return 0;
}

static void add_dir(char (*dirs)[TUI_PATH_MAX], size_t *count, size_t max,
		    const char *path)
{
	char real[PATH_MAX];
	struct stat st;
	size_t i;

	if (*count >= max || !realpath(path, real))
		return;
	if (stat(real, &st) || !S_ISDIR(st.st_mode))
		return;
	for (i = 0; i < *count; i++)
		if (!strcmp(dirs[i], real))
			return;
	snprintf(dirs[*count], TUI_PATH_MAX, "%s", real);
	(*count)++;
}

size_t tui_data_dirs(char (*dirs)[TUI_PATH_MAX], size_t max,
		     const char *exe_dir, const char *sub)
{
	static const char *const rel[] = { "", "/..", "/../..", "/../share/hvtop" };
	char path[TUI_PATH_MAX + 64];
	size_t count = 0, i;

	if (!exe_dir)
		return 0;
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(path, sizeof(path), "%s%s/%s", exe_dir, rel[i], sub);
		add_dir(dirs, &count, max, path);
	}
	return count;
}

int tui_mkdir_p(const char *path, unsigned int mode)
{
	char buf[TUI_PATH_MAX];
	size_t len = strlen(path);
	char *p;

	if (!len || len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (p = buf + 1; ; p++) {
		if (*p == '/' || !*p) {
			char saved = *p;

			*p = '\0';
			if (mkdir(buf, mode) && errno != EEXIST)
				return -errno;
			*p = saved;
			if (!saved)
				break;
		}
	}
	return 0;
}

int tui_write_atomic(const char *path, const void *data, size_t len,
		     char *err, size_t errlen)
{
	char tmp[TUI_PATH_MAX];
	const char *p = data;
	int fd, ret;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -ENAMETOOLONG;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: cannot create a temporary file: %s",
			 path, strerror(-ret));
		return ret;
	}
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			goto fail;
		}
		p += n;
		len -= (size_t)n;
	}
	/* Readable like any file the user would create, not 0600. */
	if (fchmod(fd, 0644) || fsync(fd)) {
		ret = -errno;
		goto fail;
	}
	if (close(fd)) {
		fd = -1;
		ret = -errno;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path)) {
		ret = -errno;
		goto fail;
	}
	return 0;
fail:
	snprintf(err, errlen, "%s: cannot write: %s", path, strerror(-ret));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return ret;
}

int tui_read_file(const char *path, char **out, size_t *len, size_t max)
{
	size_t size = 0, cap = 4096;
	char *buf;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n;

		if (size + 1 >= cap) {
			char *nbuf;

			if (cap >= max) {
				ret = -EFBIG;
				goto fail;
			}
			cap *= 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				ret = -ENOMEM;
				goto fail;
			}
			buf = nbuf;
		}
		n = read(fd, buf + size, cap - size - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto fail;
		}
		if (!n)
			break;
		size += (size_t)n;
	}
	close(fd);
	buf[size] = '\0';
	*out = buf;
	if (len)
		*len = size;
	return 0;
fail:
	close(fd);
	free(buf);
	return ret;
}
