/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internals of the libhvctl runtime (context, transports, sysfs reader,
 * snapshots, rates, console, events). Nothing here is exported.
 */
#ifndef HVCTL_RUNTIME_INT_H
#define HVCTL_RUNTIME_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>

#include <hvctl/hvctl.h>
#include <hvabi/ioctl.h>
#include <hvabi/stats.h>

struct hvctl_ctx;

/* ---- Messages ---- */

void rt_set_err(struct hvctl_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Set the message and return err (a negative errno), for tail calls. */
int rt_fail(struct hvctl_ctx *ctx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void rt_clear_err(struct hvctl_ctx *ctx);
void rt_error(struct hvctl_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* DIR made absolute (so a later chdir() changes nothing); NULL on OOM. */
char *rt_absolute_dir(const char *dir);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t rt_now_ns(void);

/* ---- Reference-counted configs (shared by the cache and snapshots) ---- */

struct cfg_ref {
	unsigned int refs;
	struct hvctl_config *config;
};

/* Takes over config (freed on failure). NULL on OOM. */
struct cfg_ref *cfg_ref_new(struct hvctl_config *config);
struct cfg_ref *cfg_ref_get(struct cfg_ref *ref);
void cfg_ref_put(struct cfg_ref *ref);

/* ---- Transports ---- */

/*
 * One control request, described once for both transports. arg is the
 * ioctl argument struct as the kernel wants it (pointers filled in);
 * data are the bytes those pointers refer to, in the order hvsim wants
 * them inline (for LOAD the sim transport rewrites source_address to
 * offsets itself).
 */
struct rt_request {
	uint32_t cmd;
	void *arg;
	size_t arg_size;
	const struct iovec *data;
	int num_data;
	/* Out: a reply payload (CELL_CREATE: the new ID), and the backend's
	 * own explanation of a refusal where it gives one. */
	int32_t reply_id;
	bool has_reply_id;
	char why[256];
};

/* One console reader's transport part; console.c keeps the rest. */
struct rt_console {
	int cell_id;		/* HVCTL_CONSOLE_HYPERVISOR or a cell ID */
	/*
	 * Set by console_open: read the tree's console file (console.c
	 * compares the ring with what it saw) instead of console_fetch.
	 */
	bool from_tree;
	int fd;			/* the transport's descriptor, or -1 */
	uint64_t head;		/* the transport's cursor */
	uint32_t generation;
};

struct rt_events;

/*
 * A backend. Only the transports know which one they are: everything
 * else in the library goes through these operations, and a new backend
 * is one transport_*.c file and one line in ctx.c's table.
 */
struct rt_transport {
	const char *scheme;		/* URI prefix, "sim:" */
	/*
	 * The directory of shipped configs for this backend's boards
	 * (configs/<name>), or NULL when it has none of its own.
	 */
	const char *config_family;
	/* Console output is announced (HVCTL_EVENT_CONSOLE), not polled. */
	bool console_events;

	/*
	 * Take the rest of the URI (after the scheme): set ctx->tree_path,
	 * ctx->registry's default (def_registry) and the transport's own
	 * fields. device: the caller's device node or NULL. 0 or -errno,
	 * with err set.
	 */
	int (*open)(struct hvctl_ctx *ctx, const char *rest, const char *uri,
		    const char *device, char **def_registry,
		    struct hvctl_error *err);
	/* Is the backend there? Reconnects if needed. 0 or -errno + message. */
	int (*check)(struct hvctl_ctx *ctx);
	/* Open the sysfs-shaped tree's root directory: a descriptor or -errno + message. */
	int (*tree_open)(struct hvctl_ctx *ctx);
	/* Issue a control request. 0 or the backend's -errno. */
	int (*request)(struct hvctl_ctx *ctx, struct rt_request *req);
	/*
	 * May this caller change anything? false with the reason in why
	 * (size bytes) when it certainly may not; true when it may or when
	 * only trying will tell.
	 */
	bool (*may_control)(struct hvctl_ctx *ctx, char *why, size_t size);

	/* Set up a console reader (rc->cell_id set, rc->fd -1). 0 or -errno + message. */
	int (*console_open)(struct hvctl_ctx *ctx, struct rt_console *rc);
	/*
	 * New console bytes into buf: *len of them (0: none), *lost bytes
	 * lost before them. 0 or -errno + message.
	 */
	int (*console_fetch)(struct hvctl_ctx *ctx, struct rt_console *rc,
			     char *buf, size_t size, size_t *len, uint64_t *lost);

	/*
	 * Events: start watching once the common timer and queue exist;
	 * each timer tick; a descriptor the transport watches is readable;
	 * stop (free ev->tr). See events.c for what they may call.
	 */
	int (*events_start)(struct hvctl_ctx *ctx, struct rt_events *ev);
	void (*events_tick)(struct hvctl_ctx *ctx, struct rt_events *ev);
	void (*events_ready)(struct hvctl_ctx *ctx, struct rt_events *ev, int fd);
	void (*events_stop)(struct hvctl_ctx *ctx, struct rt_events *ev);

	/*
	 * The statistics report in one call (kernel: HV_IOC_STATS_READ) into
	 * buf (cap bytes): 0 with *len set (0: hypervisor disabled);
	 * -ENOSPC with *needed set; 1: no such call here (read the tree's
	 * statistics_all); other -errno with message. NULL: never.
	 */
	int (*stats_read)(struct hvctl_ctx *ctx, void *buf, size_t cap,
			  size_t *len, size_t *needed);

	/* The root cell's ivshmem PCI devices; NULL: it has no PCI bus of its own. */
	int (*ivshmem_list)(struct hvctl_ctx *ctx, struct hvctl_ivshmem_list *list);

	void (*close)(struct hvctl_ctx *ctx);
};

/* The messages every transport gives for the same causes. */
#define RT_MSG_NO_DEBUG_CONSOLE	"the system config does not let the root cell read the hypervisor console (no virtual debug console flag)"

/* ---- The sysfs-shaped tree (sysfs.c: parsing; tree.c: the file cache) ---- */

/* Parse "%lu"/"%ld"/"%d" text with an optional trailing newline. */
int sysfs_parse_u64(const char *text, uint64_t *value);
/*
 * Parse a CPU list ("1,4-7", "" for none) into a sorted array (caller
 * frees). Refuses descending ranges, junk and CPUs >= limit.
 */
int sysfs_parse_cpulist(const char *text, unsigned int limit,
			unsigned int **cpus, unsigned int *num);
/* Parse a cpumask ("00,00000006"), same result as the list. */
int sysfs_parse_cpumask(const char *text, unsigned int limit,
			unsigned int **cpus, unsigned int *num);
/* Format CPUs as a sysfs list ("1,4-7"); NULL on OOM. Caller frees. */
char *sysfs_format_cpulist(const unsigned int *cpus, unsigned int num);
/* The sysfs state text (without newline) to a state. */
enum hvctl_cell_state sysfs_parse_state(const char *text);
/* Strip one trailing newline in place; returns the new length. */
size_t sysfs_chomp(char *text, size_t len);
/* Highest CPU number we accept from text (matches the 4096-byte set). */
#define SYSFS_CPU_LIMIT		(4096u * 8u)

/* Files kept open, within a budget of descriptors. */
struct fd_budget {
	unsigned int used;
	unsigned int max;
};

void fd_budget_init(struct fd_budget *b);

struct tree_cell {
	int id;
	char name[HVCTL_CELL_NAME_MAX + 1];
	uint64_t key;		/* tells a re-created cell with the same ID apart */
	unsigned int *cpus;
	unsigned int num_cpus;
	char *cpus_list;
	int fd_state;
	int fd_failed;
	int fd_stat[HVCTL_STATS_MAX];
	/* Per-CPU counter files (num_cpus x num_stats), opened on request. */
	int *fd_cpu_stat;
	/* Read on the first snapshot that asks for configs. */
	bool config_read;
	struct cfg_ref *config;
	enum hvctl_config_origin config_origin;
};

struct tree {
	int root_fd;		/* the tree's directory, -1 until opened */
	uint64_t epoch;		/* transport epoch the cache belongs to */
	int fd_enabled;
	int fd_pool[4];		/* mem size, mem used, remap size, remap used */
	bool dir_valid;
	struct timespec dir_mtime;
	struct timespec dir_ctime;
	ino_t dir_ino;
	nlink_t dir_nlink;
	bool dirty;		/* rescan the cells on the next snapshot */

	struct tree_cell *cells;
	size_t num_cells;
	/* Counter names, learnt on the first snapshot that reads counters. */
	bool stats_scanned;
	char *stat_names[HVCTL_STATS_MAX];
	unsigned int num_stats;
	unsigned int num_cpus;		/* highest CPU in any cell + 1 */
	bool system_read;		/* system_config looked up */
	struct cfg_ref *system_config;	/* registry's system config */

	struct fd_budget budget;

	/* The statistics report (stats_all.c): whether the tree has one. */
	enum { STATS_ALL_UNKNOWN, STATS_ALL_ABSENT, STATS_ALL_PRESENT } stats_all;
	int fd_stats_all;
	uint8_t *stats_buf;
	size_t stats_cap;
};

void tree_init(struct tree *t);
void tree_reset(struct tree *t);	/* close everything */
void tree_free(struct tree *t);

/* Room for any path tree_rel() and tree_rel_stat() build. */
#define TREE_REL_MAX	320
/* "cells/<id>/<leaf>" in rel (TREE_REL_MAX bytes); returns rel. */
const char *tree_rel(char *rel, int id, const char *leaf);
/*
 * "cells/<id>/statistics/<stat>", or with cpu >= 0
 * "cells/<id>/statistics/cpu<cpu>/<stat>", in rel; returns rel.
 */
const char *tree_rel_stat(char *rel, int id, long cpu, const char *stat);
/*
 * Read a file kept open in *fd (opened from rel, relative to the tree
 * root, on first use; beyond the descriptor budget it is opened and
 * closed each time). NUL-terminates buf; *len excludes it.
 */
int tree_kept_read(struct hvctl_ctx *ctx, int *fd, const char *rel, char *buf,
		   size_t size, size_t *len);
/* Errors that mean "this file or its cell is gone": rescan and retry. */
bool tree_vanished(int err);
/*
 * The cell IDs a cells/ directory lists (dfd, an open directory that is
 * consumed), ascending; caller frees *ids. 0 or -errno.
 */
int tree_list_cell_ids(int dfd, int **ids, size_t *num);
/* Has the set of cells changed since the last rescan? One fstatat(). */
int tree_cells_changed(struct hvctl_ctx *ctx, bool *changed);
/* Read the set of cells again: names and CPU sets. */
int tree_rescan(struct hvctl_ctx *ctx);
/* Learn the counter names, once per set of cells. */
int tree_scan_stats(struct hvctl_ctx *ctx);
/* The same names, taken from the report's fixed set instead. */
int tree_report_stats(struct hvctl_ctx *ctx);
/* Read the configs not read yet (cells/<id>/config, then the registry). */
int tree_read_configs(struct hvctl_ctx *ctx);
/*
 * cells/<id>/<what>_list, or the <what> mask when there is no list file,
 * as an ascending array and (if text) the list text. Caller frees both.
 */
int tree_read_cpus(struct hvctl_ctx *ctx, int id, const char *what,
		   unsigned int **cpus, unsigned int *num, char **text);
bool tree_same_cpus(const unsigned int *a, unsigned int na,
		    const unsigned int *b, unsigned int nb);

/* Open the tree's root directory unless it is open. 0 or -errno + message. */
int tree_open_root(struct hvctl_ctx *ctx);
/* Read a small file relative to the tree root (open, read, close). */
int tree_read_file(struct hvctl_ctx *ctx, const char *rel, char *buf,
		   size_t size, size_t *len);
/* Read a whole (possibly binary) file relative to the tree root. */
int tree_read_blob(struct hvctl_ctx *ctx, const char *rel, uint8_t **data,
		   size_t *size);

/* ---- Rates (rates.c) ---- */

/* Increase of a 31-bit counter from old to new (modulo 2^31). */
uint32_t rate_delta31(uint32_t old_value, uint32_t new_value);
/*
 * Increase of a cell total (sum of 31-bit per-CPU counters) over one
 * interval, for a cell whose CPU set did not change: modulo 2^31, which
 * is exact as long as fewer than 2^31 events happen in the interval.
 */
uint64_t rate_delta_total(uint64_t old_value, uint64_t new_value);

struct rate_cpu_sample {
	unsigned int cpu;
	bool moved;		/* the CPU came from elsewhere since prev */
	uint32_t prev;		/* valid when !moved */
	uint32_t now;
};

/*
 * A cell's increase from per-CPU samples: CPUs that stayed add their
 * delta modulo 2^31, CPUs that moved in add their whole value (their
 * counter restarted at 0 when they moved in).
 */
uint64_t rate_cell_from_cpus(const struct rate_cpu_sample *s, size_t n);
/* events / seconds, 0 for a zero interval. */
double rate_per_second(uint64_t delta, uint64_t interval_ns);

/* ---- Registry (registry.c) ---- */

int registry_record_cell(struct hvctl_ctx *ctx,
			 const struct hvctl_config *config);
int registry_record_system(struct hvctl_ctx *ctx,
			   const struct hvctl_config *config);
void registry_forget_cell(struct hvctl_ctx *ctx, const char *name);
void registry_clear(struct hvctl_ctx *ctx);
/*
 * The config recorded for a running cell, if the record matches it (same
 * name and CPU set); NULL otherwise. Caller owns the result.
 */
struct hvctl_config *registry_lookup_cell(struct hvctl_ctx *ctx,
					  const char *name,
					  const unsigned int *cpus,
					  unsigned int num_cpus);
struct hvctl_config *registry_lookup_system(struct hvctl_ctx *ctx,
					    const char *root_name,
					    const unsigned int *cpus,
					    unsigned int num_cpus);

/* ---- Explanations (explain.c) ---- */

enum rt_op {
	RT_OP_ENABLE,
	RT_OP_DISABLE,
	RT_OP_CREATE,
	RT_OP_LOAD,
	RT_OP_START,
	RT_OP_SHUTDOWN,
	RT_OP_DESTROY,
};

struct rt_explain_in {
	enum rt_op op;
	int err;				/* negative errno */
	const struct hvctl_config *config;	/* ENABLE, CREATE */
	const struct hvctl_cell_ref *cell;	/* LOAD ... DESTROY */
	const struct hvctl_image *images;	/* LOAD */
	size_t num_images;
	const char *backend_why;		/* the backend's own text, or "" */
};

/*
 * Set ctx's message to the reason err was returned, from snap (taken
 * after the refusal; may be NULL when none could be taken).
 */
void rt_explain(struct hvctl_ctx *ctx, const struct rt_explain_in *in,
		const struct hvctl_snapshot *snap);

/*
 * Does every image fit a loadable region of the cell's config? If not,
 * set the message naming the image and the region and return true. False
 * also when the config is unknown.
 */
bool rt_check_images(struct hvctl_ctx *ctx, const struct hvctl_cell_info *cell,
		     const struct hvctl_image *images, size_t num);

/* ---- Events (events.c) ---- */

/* The common part of the event machinery, and the transport's. */
struct rt_events {
	int epfd;
	int timerfd;
	void *tr;		/* the transport's own state */

	struct hvctl_event *q;
	size_t q_len;
	size_t q_cap;
	size_t q_head;
};

void events_free(struct hvctl_ctx *ctx);
/* Note that the cell set may have changed (our own create/destroy). */
void events_note_change(struct hvctl_ctx *ctx);
/* For transports: watch or stop watching fd (events_ready gets it). */
int events_watch(struct rt_events *ev, int fd);
void events_unwatch(struct rt_events *ev, int fd);
/* For transports: queue an event. 0, -ENOSPC (nobody drains) or -ENOMEM. */
int events_push(struct rt_events *ev, enum hvctl_event_type type, int cell_id);

/* ---- The context ---- */

struct hvctl_ctx {
	const struct rt_transport *tr;
	void *tr_priv;		/* a transport's own state, if it needs more */
	char *uri;
	char *dir;		/* the URI's DIR, or NULL */
	char *tree_path;	/* the sysfs-shaped tree */
	char *device;		/* kernel: device node, or NULL: read-only */
	char *sock_path;	/* sim: control socket */
	char *registry;
	unsigned int tick_ms;

	/* Tells this context's snapshots from another's (rate baselines). */
	uint64_t serial;

	/* Transport state. */
	int ctl_fd;		/* sim control connection or device, -1 */
	/* kernel: the device opened read-only for HV_IOC_STATS_READ, -1 */
	int stats_fd;
	/* HV_IOC_STATS_READ: 0 not tried yet, 1 works, -1 not there */
	int stats_ioc;
	uint64_t epoch;		/* bumped on every (re)connection */
	unsigned int num_cpus;	/* board CPUs from HELLO (sim), 0: unknown */

	struct tree tree;
	uint64_t generation;
	struct rt_events *events;

	/* The last failure was an unreachable backend (tools exit 3). */
	bool unreachable;
	char errmsg[HVCTL_ERROR_MAX];
};

/* ---- stats_all.c: the statistics report ---- */

struct stats_report {
	bool valid;		/* false: no report, read the files */
	struct hv_stats_header hdr;
	const uint8_t *buf;	/* the tree's buffer, until the next read */
	size_t cells_off, cpus_off, links_off;
	unsigned int next_cell;	/* where stats_all_cell looks first */
};

/*
 * Reads the tree's statistics_all when it has one (rep->valid), checking
 * every size; a tree without it, a disabled hypervisor or a report of
 * another version leaves rep->valid false. 0 or -errno (message set).
 */
int stats_all_read(struct hvctl_ctx *ctx, struct stats_report *rep);
bool stats_all_cell(struct stats_report *rep, int id,
		    struct hv_stats_cell *out);
bool stats_all_cpu(const struct stats_report *rep, unsigned int cpu,
		   struct hv_stats_cpu *out);
/* Every present peer of every link, in report order; caller frees. */
int stats_all_ivshmem(const struct stats_report *rep,
		      struct hvctl_ivshmem_peer **out, size_t *num);

#endif /* !HVCTL_RUNTIME_INT_H */
