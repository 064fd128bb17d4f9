/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvsim's directory: opened once without following links, checked (ours,
 * not writable by others), locked against a second hvsim; every later
 * access goes through the descriptor, one path component at a time with
 * O_NOFOLLOW. Paths given here are relative to DIR ("sysfs/cells/1").
 */
#ifndef SIM_SIMDIR_H
#define SIM_SIMDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct simdir {
	int fd;			/* DIR's descriptor, -1 before simdir_open() */
	int lock_fd;		/* DIR/.hvsim.lock, held locked */
	bool no_openat2;	/* the kernel lacks openat2: walk instead */
};

/* Before simdir_open(): no descriptors. */
void simdir_init(struct simdir *d);

/*
 * Creates DIR with mode if missing, refuses one that is a link, is not
 * ours or is writable by group or others, and takes DIR/.hvsim.lock
 * (-EBUSY: another hvsim serves DIR). 0 or -errno with a message in err.
 */
int simdir_open(struct simdir *d, const char *path, mode_t mode, char *err,
		size_t errlen);
/* Drops the lock (removing the lock file) and DIR's descriptor. */
void simdir_close(struct simdir *d);

/*
 * A descriptor of the directory holding rel's last component, reached
 * without following links; *last points into rel. -errno on failure.
 */
int simdir_parent(struct simdir *d, const char *rel, const char **last);

/* 0 or -errno; none of them follows a link. */
int simdir_mkdir(struct simdir *d, const char *rel, mode_t mode);
/* A new file (O_EXCL), open for writing: its descriptor or -errno. */
int simdir_create(struct simdir *d, const char *rel, mode_t mode);
int simdir_unlink(struct simdir *d, const char *rel);
int simdir_rename(struct simdir *d, const char *from, const char *to);
/* Removes a file, link or tree; 0 when it did not exist. */
int simdir_rm_tree(struct simdir *d, const char *rel);

#endif /* !SIM_SIMDIR_H */
