// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim's directory (PROTOCOL.md §1): claimed once, then reached only
 * through a descriptor held open, never through its path again.
 *
 * DIR may lie in a directory other users can write (/tmp), so everything
 * here assumes someone may have planted links: DIR itself must be a real
 * directory owned by us that nobody else can write; every name below it is
 * resolved one component at a time with O_NOFOLLOW, and removal descends
 * only into real directories. An flock on DIR/.hvsim.lock keeps a second
 * hvsim away for as long as the first one lives.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

#include <sim/simdir.h>

#define LOCK_NAME	".hvsim.lock"

void simdir_init(struct simdir *d)
{
	d->fd = -1;
	d->lock_fd = -1;
	d->no_openat2 = false;
}

static int refuse(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int refuse(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return ret;
}

/* The lock file is ours and regular, and still the one named LOCK_NAME. */
static int lock_dir(struct simdir *d, const char *path, char *err,
		    size_t errlen)
{
	struct stat a, b;
	int fd, tries;

	for (tries = 0; tries < 10; tries++) {
		fd = openat(d->fd, LOCK_NAME,
			    O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			return refuse(err, errlen, -errno,
				      "%s/%s: cannot open the lock file: %s", path,
				      LOCK_NAME, strerror(errno));
		if (fstat(fd, &a) || !S_ISREG(a.st_mode) ||
		    a.st_uid != geteuid()) {
			close(fd);
			return refuse(err, errlen, -EPERM,
				      "%s/%s is not a regular file of yours; remove it",
				      path, LOCK_NAME);
		}
		if (flock(fd, LOCK_EX | LOCK_NB)) {
			int e = errno;

			close(fd);
			if (e == EWOULDBLOCK)
				return refuse(err, errlen, -EBUSY,
					      "%s is served by a running hvsim",
					      path);
			return refuse(err, errlen, -e, "%s/%s: flock: %s", path,
				      LOCK_NAME, strerror(e));
		}
		/*
		 * An hvsim that just exited may have unlinked the file we
		 * locked: then a third one could lock a new file of that
		 * name. Only the file still under the name counts.
		 */
		if (!fstatat(d->fd, LOCK_NAME, &b, AT_SYMLINK_NOFOLLOW) &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
			d->lock_fd = fd;
			return 0;
		}
		close(fd);
	}
	return refuse(err, errlen, -EBUSY, "%s: the lock file keeps changing",
		      path);
}

int simdir_open(struct simdir *d, const char *path, mode_t mode, char *err,
		size_t errlen)
{
	struct stat st;
	int ret;

	if (mkdir(path, mode) && errno != EEXIST)
		return refuse(err, errlen, -errno, "cannot create %s: %s", path,
			      strerror(errno));
	d->fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d->fd < 0) {
		ret = -errno;
		if (errno == ELOOP || errno == ENOTDIR)
			return refuse(err, errlen, ret,
				      "%s is not a directory (a symbolic link is refused too): give hvsim a directory of its own, e.g. \"$(mktemp -d)\"",
				      path);
		return refuse(err, errlen, ret, "cannot open %s: %s", path,
			      strerror(errno));
	}
	if (fstat(d->fd, &st)) {
		ret = refuse(err, errlen, -errno, "%s: %s", path,
			     strerror(errno));
		goto fail;
	}
	if (st.st_uid != geteuid()) {
		ret = refuse(err, errlen, -EPERM,
			     "%s belongs to uid %u, not to you (uid %u): another user could swap its contents; use a directory you own, e.g. under $XDG_RUNTIME_DIR or from mktemp -d",
			     path, (unsigned int)st.st_uid,
			     (unsigned int)geteuid());
		goto fail;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		ret = refuse(err, errlen, -EPERM,
			     "%s is writable by %s (mode %04o): others could plant links in it; run 'chmod go-w %s' or use a private directory",
			     path, st.st_mode & S_IWOTH ? "everyone" : "its group",
			     (unsigned int)(st.st_mode & 07777), path);
		goto fail;
	}
	ret = lock_dir(d, path, err, errlen);
	if (ret)
		goto fail;
	return 0;
fail:
	close(d->fd);
	d->fd = -1;
	return ret;
}

void simdir_close(struct simdir *d)
{
	if (d->lock_fd >= 0) {
		/* Unlinked while still locked: see lock_dir(). */
		unlinkat(d->fd, LOCK_NAME, 0);
		close(d->lock_fd);
		d->lock_fd = -1;
	}
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

/*
 * The directory dirs (relative to DIR) in one call where the kernel has
 * openat2: no link anywhere on the way, nothing outside DIR. -ENOSYS
 * where it has not.
 */
static int open_beneath(struct simdir *d, const char *dirs)
{
#ifdef SYS_openat2
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
			   RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	/* Asked once: without it (old kernel, valgrind) walk instead. */
	if (d->no_openat2)
		return -ENOSYS;
	fd = syscall(SYS_openat2, d->fd, dirs, &how, sizeof(how));
	if (fd < 0 && (errno == ENOSYS || errno == EPERM)) {
		d->no_openat2 = true;
		return -ENOSYS;
	}
	return fd < 0 ? -errno : (int)fd;
#else
	(void)d;
	(void)dirs;
	return -ENOSYS;
#endif
}

int simdir_parent(struct simdir *d, const char *rel, const char **last)
{
	char comp[NAME_MAX + 1], dirs[PATH_MAX];
	const char *p = rel, *slash;
	int fd, next;

	slash = strrchr(rel, '/');
	if (slash && slash[1] && strcmp(slash + 1, "..") &&
	    (size_t)(slash - rel) < sizeof(dirs)) {
		memcpy(dirs, rel, (size_t)(slash - rel));
		dirs[slash - rel] = 0;
		fd = open_beneath(d, dirs);
		if (fd != -ENOSYS) {
			if (fd >= 0)
				*last = slash + 1;
			return fd;
		}
	}
	/* One component at a time, each opened without following a link. */
	fd = dup(d->fd);
	if (fd < 0)
		return -errno;
	while ((slash = strchr(p, '/'))) {
		size_t n = (size_t)(slash - p);

		if (n == 0 || n > NAME_MAX) {
			close(fd);
			return -EINVAL;
		}
		memcpy(comp, p, n);
		comp[n] = 0;
		if (!strcmp(comp, "..")) {
			close(fd);
			return -EINVAL;
		}
		next = openat(fd, comp,
			      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		if (next < 0)
			return -errno;
		fd = next;
		p = slash + 1;
	}
	if (!*p || !strcmp(p, "..")) {
		close(fd);
		return -EINVAL;
	}
	*last = p;
	return fd;
}

int simdir_mkdir(struct simdir *d, const char *rel, mode_t mode)
{
	const char *name;
	int fd = simdir_parent(d, rel, &name), ret = 0;

	if (fd < 0)
		return fd;
	if (mkdirat(fd, name, mode))
		ret = -errno;
	close(fd);
	return ret;
}

int simdir_create(struct simdir *d, const char *rel, mode_t mode)
{
	const char *name;
	int fd = simdir_parent(d, rel, &name), ret;

	if (fd < 0)
		return fd;
	/* O_EXCL: a name that exists (a link among them) is not ours. */
	ret = openat(fd, name,
		     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (ret < 0)
		ret = -errno;
	close(fd);
	return ret;
}

int simdir_unlink(struct simdir *d, const char *rel)
{
	const char *name;
	int fd = simdir_parent(d, rel, &name), ret = 0;

	if (fd < 0)
		return fd;
	if (unlinkat(fd, name, 0))
		ret = -errno;
	close(fd);
	return ret;
}

int simdir_rename(struct simdir *d, const char *from, const char *to)
{
	const char *a, *b;
	int fa, fb, ret = 0;

	fa = simdir_parent(d, from, &a);
	if (fa < 0)
		return fa;
	fb = simdir_parent(d, to, &b);
	if (fb < 0) {
		close(fa);
		return fb;
	}
	if (renameat(fa, a, fb, b))
		ret = -errno;
	close(fa);
	close(fb);
	return ret;
}

/* Removes name in dirfd: links and files are unlinked, never followed. */
static int rm_at(int dirfd, const char *name, unsigned int depth)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int fd, ret = 0;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0) ? -errno : 0;
	if (depth > 16)
		return -ELOOP;
	fd = openat(dirfd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (rm_at(fd, de->d_name, depth + 1))
			ret = -EIO;
	}
	closedir(d);
	if (unlinkat(dirfd, name, AT_REMOVEDIR))
		ret = -errno;
	return ret;
}

int simdir_rm_tree(struct simdir *d, const char *rel)
{
	const char *name;
	int fd = simdir_parent(d, rel, &name), ret;

	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	ret = rm_at(fd, name, 0);
	close(fd);
	return ret;
}
