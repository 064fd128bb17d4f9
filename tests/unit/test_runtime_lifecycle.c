// SPDX-License-Identifier: MIT
/*
 * libhvctl against a real hvsim child process: 1,000 full cell
 * lifecycles without leaking memory or descriptors, random operation
 * sequences that must keep CPU ownership consistent (and leave refused
 * operations without effect), refusal explanations, consoles, events, a
 * stopped and restarted hvsim, and the kernel transport's parser on a
 * copy of hvsim's tree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "runtime_int.h"

#define SRC		HVCTL_SOURCE_DIR
#define SIM_CONFIGS	SRC "/configs/sim"
#define CYCLES		1000

struct sim {
	char dir[64];
	char uri[80];
	pid_t pid;
	struct hvctl_ctx *ctx;
	struct hvctl_config *system;
	struct hvctl_config *rtos;
	uint8_t *image;
	size_t image_size;
};

static void sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static void build_dir(char *buf, size_t len)
{
	const char *env = getenv("HVCTL_BUILD");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		if (env[0] == '/')
			snprintf(buf, len, "%s", env);
		else
			snprintf(buf, len, "%s/%s", SRC, env);
		return;
	}
	/* BUILD/tests/test_runtime_lifecycle -> BUILD */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	*strrchr(exe, '/') = '\0';
	snprintf(buf, len, "%s", exe);
}

/* The shipped board, with the root cell's background activity set. */
static void write_board(struct sim *s, int root_activity)
{
	struct json_object *board;
	char path[256];

	board = json_object_from_file(SIM_CONFIGS "/board.json");
	assert_non_null(board);
	json_object_object_add(board, "root_activity",
			       json_object_new_int(root_activity));
	snprintf(path, sizeof(path), "%s/board.json", s->dir);
	assert_int_equal(json_object_to_file(path, board), 0);
	json_object_put(board);
}

static void sim_spawn(struct sim *s)
{
	char build[PATH_MAX], bin[PATH_MAX + 8], board[256], sock[256];
	struct timespec ts = { 0, 5000000 };
	struct stat st;
	int i;

	build_dir(build, sizeof(build));
	snprintf(bin, sizeof(bin), "%s/hvsim", build);
	snprintf(board, sizeof(board), "%s/board.json", s->dir);
	snprintf(sock, sizeof(sock), "%s/control.sock", s->dir);
	s->pid = fork();
	assert_true(s->pid >= 0);
	if (!s->pid) {
		int null = open("/dev/null", O_WRONLY);

		/* hvsim's diagnostics would clutter the test output. */
		if (null >= 0)
			dup2(null, 2);
		execl(bin, bin, "--board", board, s->dir, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 2000; i++) {
		if (!stat(sock, &st))
			return;
		assert_int_not_equal(waitpid(s->pid, NULL, WNOHANG), s->pid);
		nanosleep(&ts, NULL);
	}
	fail_msg("hvsim did not create %s within 10 s", sock);
}

static void sim_kill(struct sim *s, int sig)
{
	if (s->pid <= 0)
		return;
	kill(s->pid, sig);
	waitpid(s->pid, NULL, 0);
	s->pid = -1;
}

static struct hvctl_config *load_config(const char *path)
{
	struct hvctl_config *c;
	struct hvctl_error err = { "" };

	if (hvctl_config_read_file(&c, path, &err))
		fail_msg("%s", err.msg);
	return c;
}

/* A variant of a shipped JSON config, with text substitutions. */
static struct hvctl_config *config_variant(const char *path, const char *from,
					   const char *to, const char *from2,
					   const char *to2)
{
	struct hvctl_config *c;
	struct hvctl_error err = { "" };
	char *text, *p, *out;
	FILE *f;
	long len;

	f = fopen(path, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)len + 1);
	assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	out = calloc(1, (size_t)len + 256);
	p = strstr(text, from);
	assert_non_null(p);
	sprintf(out, "%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
	free(text);
	if (from2) {
		text = out;
		out = calloc(1, strlen(text) + 256);
		p = strstr(text, from2);
		assert_non_null(p);
		sprintf(out, "%.*s%s%s", (int)(p - text), text, to2, p + strlen(from2));
		free(text);
	}
	if (hvctl_config_parse_json(&c, out, path, &err))
		fail_msg("%s", err.msg);
	free(out);
	return c;
}

static void read_image(const char *path, uint8_t **data, size_t *size)
{
	struct stat st;
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	assert_int_equal(fstat(fileno(f), &st), 0);
	*size = (size_t)st.st_size;
	*data = malloc(*size + 1);
	assert_int_equal(fread(*data, 1, *size, f), *size);
	fclose(f);
}

static int sim_setup_activity(void **state, int root_activity)
{
	struct sim *s = calloc(1, sizeof(*s));

	unsetenv("HVCTL_URI");
	unsetenv("HVCTL_REGISTRY");
	strcpy(s->dir, "/tmp/hvctl-test-sim-XXXXXX");
	if (!mkdtemp(s->dir))
		return -1;
	write_board(s, root_activity);
	sim_spawn(s);
	snprintf(s->uri, sizeof(s->uri), "sim:%s", s->dir);
	if (hvctl_open(&s->ctx, s->uri, NULL))
		return -1;
	s->system = load_config(SIM_CONFIGS "/system.json");
	s->rtos = load_config(SIM_CONFIGS "/rtos.json");
	read_image(SIM_CONFIGS "/rtos.guest", &s->image, &s->image_size);
	*state = s;
	return 0;
}

static int sim_setup(void **state)
{
	return sim_setup_activity(state, 100);
}

static int sim_setup_quiet(void **state)
{
	return sim_setup_activity(state, 0);
}

static int sim_teardown(void **state)
{
	struct sim *s = *state;

	hvctl_close(s->ctx);
	sim_kill(s, SIGTERM);
	hvctl_config_free(s->system);
	hvctl_config_free(s->rtos);
	free(s->image);
	sh("rm -rf %s", s->dir);
	free(s);
	return 0;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the directory stream itself */
}

static struct hvctl_snapshot *snap(struct sim *s)
{
	struct hvctl_snapshot *sn;

	if (hvctl_snapshot(s->ctx, HVCTL_READ_COUNTERS | HVCTL_READ_CONFIGS,
			     HVCTL_CPU_STATS_NONE, NULL, &sn))
		fail_msg("snapshot: %s", hvctl_errmsg(s->ctx));
	return sn;
}

/* Same cells, states, CPUs and pools (counters aside). */
static bool same_state(const struct hvctl_snapshot *a,
		       const struct hvctl_snapshot *b)
{
	size_t i;

	if (a->system.enabled != b->system.enabled ||
	    a->system.mem_pool_used != b->system.mem_pool_used ||
	    a->system.mem_pool_size != b->system.mem_pool_size ||
	    a->system.remap_pool_used != b->system.remap_pool_used ||
	    a->num_cells != b->num_cells)
		return false;
	for (i = 0; i < a->num_cells; i++) {
		const struct hvctl_cell_info *x = &a->cells[i], *y = &b->cells[i];

		if (x->id != y->id || strcmp(x->name, y->name) ||
		    x->state != y->state || strcmp(x->cpus_list, y->cpus_list) ||
		    strcmp(x->failed_list, y->failed_list))
			return false;
	}
	return true;
}

static void expect_ok(struct sim *s, int ret, const char *what)
{
	if (ret)
		fail_msg("%s: %s (%s)", what, hvctl_errmsg(s->ctx), strerror(-ret));
}

static void lifecycle__cycles(void **state)
{
	struct sim *s = *state;
	struct hvctl_snapshot *first, *last;
	struct hvctl_image img = { s->image, s->image_size, 0, "rtos.guest" };
	struct hvctl_cell_ref ref;
	int fds_before_open, fds, i, id;

	expect_ok(s, hvctl_enable(s->ctx, s->system), "enable");
	first = snap(s);
	fds = count_fds();
	for (i = 0; i < CYCLES; i++) {
		expect_ok(s, hvctl_cell_create(s->ctx, s->rtos, &id), "create");
		assert_int_equal(id, 1);
		hvctl_cell_ref_id(&ref, id);
		expect_ok(s, hvctl_cell_load(s->ctx, &ref, &img, 1), "load");
		expect_ok(s, hvctl_cell_start(s->ctx, &ref), "start");
		expect_ok(s, hvctl_cell_shutdown(s->ctx, &ref), "shutdown");
		expect_ok(s, hvctl_cell_destroy(s->ctx, &ref), "destroy");
		/* Every so often a snapshot, which opens and closes files. */
		if (i % 100 == 50) {
			struct hvctl_snapshot *mid = snap(s);

			assert_int_equal(mid->num_cells, 1);
			hvctl_snapshot_free(mid);
		}
	}
	last = snap(s);
	assert_true(same_state(first, last));
	assert_int_equal(count_fds(), fds);
	hvctl_snapshot_free(first);
	hvctl_snapshot_free(last);

	/* Closing gives every descriptor back. */
	hvctl_close(s->ctx);
	s->ctx = NULL;
	fds_before_open = count_fds();
	assert_int_equal(hvctl_open(&s->ctx, s->uri, NULL), 0);
	last = snap(s);
	hvctl_snapshot_free(last);
	hvctl_close(s->ctx);
	assert_int_equal(count_fds(), fds_before_open);
	assert_int_equal(hvctl_open(&s->ctx, s->uri, NULL), 0);
}

/* Every board CPU belongs to exactly one cell; the root has the rest. */
static void check_ownership(const struct hvctl_snapshot *sn, unsigned int board_cpus)
{
	unsigned int owners[64] = { 0 };
	size_t i;
	unsigned int j, cpu;

	assert_true(sn->num_cpus >= board_cpus && sn->num_cpus <= 64);
	for (i = 0; i < sn->num_cells; i++)
		for (j = 0; j < sn->cells[i].num_cpus; j++)
			owners[sn->cells[i].cpus[j]]++;
	for (cpu = 0; cpu < board_cpus; cpu++) {
		assert_int_equal(owners[cpu], 1);
		assert_true(sn->cpus[cpu].cell_id >= 0);
	}
}

static void lifecycle__random(void **state)
{
	static const char *const names[] = {
		"rtos", "linux-demo", "ivshmem-a", "ivshmem-b",
	};
	struct sim *s = *state;
	struct hvctl_config *cfg[4];
	struct hvctl_image img = { s->image, s->image_size, 0, "rtos.guest" };
	bool exists[4] = { false }, loaded[4] = { false };
	unsigned int seed = 20261125, board_cpus, step, k;
	char path[256];

	for (k = 0; k < 4; k++) {
		snprintf(path, sizeof(path), SIM_CONFIGS "/%s.json", names[k]);
		cfg[k] = load_config(path);
	}
	expect_ok(s, hvctl_enable(s->ctx, s->system), "enable");
	board_cpus = hvctl_config_cpu_count(s->system);
	print_message("random operations, seed %u\n", seed);
	srand(seed);
	for (step = 0; step < 300; step++) {
		struct hvctl_snapshot *before = snap(s), *after;
		struct hvctl_cell_ref ref;
		int op = rand() % 6, ret = 0, c = rand() % 4;
		bool skipped = false;
		char msg[HVCTL_ERROR_MAX];

		hvctl_cell_ref_name(&ref, names[c], NULL);
		switch (op) {
		case 0:		/* create: refused with EEXIST when it exists */
			ret = hvctl_cell_create(s->ctx, cfg[c], NULL);
			if (exists[c])
				assert_int_equal(ret, -EEXIST);
			break;
		case 1:
			/* Only rtos runs the rtos guest. */
			skipped = c != 0;
			if (!skipped)
				ret = hvctl_cell_load(s->ctx, &ref, &img, 1);
			break;
		case 2:
			/* An unloaded non-passive cell would never answer. */
			skipped = !loaded[c];
			if (!skipped)
				ret = hvctl_cell_start(s->ctx, &ref);
			break;
		case 3:
			ret = hvctl_cell_shutdown(s->ctx, &ref);
			break;
		case 4:
			ret = hvctl_cell_destroy(s->ctx, &ref);
			break;
		case 5:		/* the root cell cannot be destroyed */
			hvctl_cell_ref_id(&ref, 0);
			ret = hvctl_cell_destroy(s->ctx, &ref);
			assert_int_equal(ret, -EINVAL);
			assert_non_null(strstr(hvctl_errmsg(s->ctx), "root cell"));
			break;
		}
		if (skipped) {
			hvctl_snapshot_free(before);
			continue;
		}
		/* The next snapshot starts with a clean message. */
		snprintf(msg, sizeof(msg), "%s", hvctl_errmsg(s->ctx));
		after = snap(s);
		check_ownership(after, board_cpus);
		if (ret) {
			/* Refused: nothing changed, and it was explained. */
			assert_true(same_state(before, after));
			assert_true(msg[0] != '\0');
			if (op != 0 && !exists[c] && op != 5) {
				assert_int_equal(ret, -ENOENT);
				assert_non_null(strstr(msg, "no cell"));
			}
		} else if (op == 0) {
			exists[c] = true;
			loaded[c] = false;
		} else if (op == 1) {
			loaded[c] = true;
		} else if (op == 4) {
			exists[c] = false;
			loaded[c] = false;
		}
		hvctl_snapshot_free(before);
		hvctl_snapshot_free(after);
	}
	for (k = 0; k < 4; k++)
		hvctl_config_free(cfg[k]);
}

static void expect_refusal(struct sim *s, int ret, int err, const char *text)
{
	if (ret != err)
		fail_msg("expected %d, got %d (%s)", err, ret, hvctl_errmsg(s->ctx));
	if (!strstr(hvctl_errmsg(s->ctx), text))
		fail_msg("message '%s' lacks '%s'", hvctl_errmsg(s->ctx), text);
}

static void lifecycle__explanations(void **state)
{
	struct sim *s = *state;
	struct hvctl_config *dup_cpu, *no_cpu, *linux_demo;
	struct hvctl_image img = { s->image, s->image_size, 0, "rtos.guest" };
	struct hvctl_cell_ref ref;
	int id;

	dup_cpu = config_variant(SIM_CONFIGS "/rtos.json", "\"name\": \"rtos\"",
				 "\"name\": \"rtos2\"", NULL, NULL);
	no_cpu = config_variant(SIM_CONFIGS "/rtos.json", "\"name\": \"rtos\"",
				"\"name\": \"far\"", "\"cpu_set\": \"1\"",
				"\"cpu_set\": \"9\"");
	linux_demo = load_config(SIM_CONFIGS "/linux-demo.json");

	expect_refusal(s, hvctl_cell_create(s->ctx, s->rtos, NULL), -EINVAL,
		       "the hypervisor is not enabled");
	hvctl_cell_ref_name(&ref, "rtos", NULL);
	expect_refusal(s, hvctl_cell_start(s->ctx, &ref), -EINVAL,
		       "the hypervisor is not enabled");
	expect_refusal(s, hvctl_disable(s->ctx), -EINVAL,
		       "the hypervisor is not enabled");
	expect_ok(s, hvctl_enable(s->ctx, s->system), "enable");
	expect_refusal(s, hvctl_enable(s->ctx, s->system), -EBUSY,
		       "the hypervisor is already enabled");

	expect_ok(s, hvctl_cell_create(s->ctx, s->rtos, &id), "create rtos");
	expect_refusal(s, hvctl_cell_create(s->ctx, s->rtos, NULL), -EEXIST,
		       "a cell named 'rtos' already exists (id 1)");
	expect_refusal(s, hvctl_cell_create(s->ctx, dup_cpu, NULL), -EBUSY,
		       "CPU 1 is owned by cell 'rtos'");
	expect_refusal(s, hvctl_cell_create(s->ctx, no_cpu, NULL), -EBUSY,
		       "CPU 9 does not exist on this system");

	hvctl_cell_ref_name(&ref, "foo", NULL);
	expect_refusal(s, hvctl_cell_start(s->ctx, &ref), -ENOENT, "no cell 'foo'");
	hvctl_cell_ref_id(&ref, 7);
	expect_refusal(s, hvctl_cell_destroy(s->ctx, &ref), -ENOENT,
		       "no cell with ID 7");
	hvctl_cell_ref_id(&ref, 0);
	expect_refusal(s, hvctl_cell_start(s->ctx, &ref), -EINVAL, "root cell");

	/* Images: outside every region, then past the end of "ram" (1 MiB). */
	hvctl_cell_ref_name(&ref, "rtos", NULL);
	img.address = 0x40000000;
	expect_refusal(s, hvctl_cell_load(s->ctx, &ref, &img, 1), -EINVAL,
		       "image 1 (rtos.guest");
	assert_non_null(strstr(hvctl_errmsg(s->ctx),
			       "is outside every memory region of cell 'rtos'"));
	img.address = 0x100000 - 16;
	if (img.size <= 16)
		img.size = 64;
	expect_refusal(s, hvctl_cell_load(s->ctx, &ref, &img, 1), -EINVAL,
		       "runs past the end of region 0 'ram' (0x0-0xfffff)");
	/* The ivshmem state table is not loadable. */
	img.address = 0x7faf0000;
	img.size = 4;
	expect_refusal(s, hvctl_cell_load(s->ctx, &ref, &img, 1), -EINVAL,
		       "not loadable");

	/* linux-demo takes CPUs 2-3; a second cell on CPU 3 names it. */
	expect_ok(s, hvctl_cell_create(s->ctx, linux_demo, NULL), "create linux-demo");
	hvctl_config_free(dup_cpu);
	dup_cpu = config_variant(SIM_CONFIGS "/rtos.json", "\"name\": \"rtos\"",
				 "\"name\": \"rtos3\"", "\"cpu_set\": \"1\"",
				 "\"cpu_set\": \"3\"");
	expect_refusal(s, hvctl_cell_create(s->ctx, dup_cpu, NULL), -EBUSY,
		       "CPU 3 is owned by cell 'linux-demo'");

	hvctl_config_free(dup_cpu);
	hvctl_config_free(no_cpu);
	hvctl_config_free(linux_demo);
}

/* Read a console until text shows up, or fail after a deadline. */
static void console_wait(struct sim *s, struct hvctl_console *con,
			 const char *text)
{
	static char seen[65536];
	size_t used = 0, len;
	uint64_t lost;
	int i;

	for (i = 0; i < 500; i++) {
		struct timespec ts = { 0, 20000000 };

		do {
			if (hvctl_console_read(con, seen + used,
					       sizeof(seen) - 1 - used, &len, &lost))
				fail_msg("console: %s", hvctl_errmsg(s->ctx));
			used += len;
		} while (len && used < sizeof(seen) - 1);
		seen[used] = '\0';
		if (strstr(seen, text))
			return;
		nanosleep(&ts, NULL);
	}
	fail_msg("console never showed '%s'; it showed: %s", text, seen);
}

static void lifecycle__console(void **state)
{
	struct sim *s = *state;
	struct hvctl_image img = { s->image, s->image_size, 0, "rtos.guest" };
	struct hvctl_console *hv, *cell;
	struct hvctl_cell_ref ref;
	int id;

	expect_ok(s, hvctl_enable(s->ctx, s->system), "enable");
	assert_int_equal(hvctl_console_open(s->ctx, HVCTL_CONSOLE_HYPERVISOR, &hv), 0);
	expect_ok(s, hvctl_cell_create(s->ctx, s->rtos, &id), "create");
	/* The hypervisor announces the new cell on its console. */
	console_wait(s, hv, "rtos");
	assert_int_equal(hvctl_console_open(s->ctx, id, &cell), 0);
	hvctl_cell_ref_id(&ref, id);
	expect_ok(s, hvctl_cell_load(s->ctx, &ref, &img, 1), "load");
	expect_ok(s, hvctl_cell_start(s->ctx, &ref), "start");
	/* The rtos guest prints its greeting through the debug console. */
	console_wait(s, cell, "rtos");
	hvctl_console_close(cell);
	hvctl_console_close(hv);
}

static void lifecycle__events_and_restart(void **state)
{
	struct sim *s = *state;
	struct hvctl_event ev[32];
	struct hvctl_snapshot *sn;
	bool seen_enabled = false, seen_add = false, down = false, up = false;
	size_t n, i;
	int fd, round, ret, id;

	fd = hvctl_event_fd(s->ctx);
	assert_true(fd >= 0);
	expect_ok(s, hvctl_enable(s->ctx, s->system), "enable");
	expect_ok(s, hvctl_cell_create(s->ctx, s->rtos, &id), "create");
	for (round = 0; round < 50 && !(seen_enabled && seen_add); round++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		poll(&p, 1, 100);
		assert_int_equal(hvctl_event_process(s->ctx, ev, 32, &n), 0);
		for (i = 0; i < n; i++) {
			if (ev[i].type == HVCTL_EVENT_ENABLED)
				seen_enabled = true;
			if (ev[i].type == HVCTL_EVENT_CELL_ADDED && ev[i].cell_id == id)
				seen_add = true;
		}
	}
	assert_true(seen_enabled);
	assert_true(seen_add);

	/* hvsim killed: a clear error, and an event. */
	sim_kill(s, SIGKILL);
	ret = hvctl_snapshot(s->ctx, HVCTL_READ_COUNTERS | HVCTL_READ_CONFIGS,
			     HVCTL_CPU_STATS_NONE, NULL, &sn);
	assert_true(ret == -ENOTCONN || ret == -ECONNREFUSED);
	assert_true(hvctl_backend_unreachable(s->ctx));
	assert_non_null(strstr(hvctl_errmsg(s->ctx), "is not running"));
	assert_non_null(strstr(hvctl_errmsg(s->ctx), s->dir));
	for (round = 0; round < 50 && !down; round++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		poll(&p, 1, 100);
		assert_int_equal(hvctl_event_process(s->ctx, ev, 32, &n), 0);
		for (i = 0; i < n; i++)
			down |= ev[i].type == HVCTL_EVENT_BACKEND_DOWN;
	}
	assert_true(down);

	/* Started again: picked up without reopening the context. */
	sim_spawn(s);
	for (round = 0; round < 50 && !up; round++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		poll(&p, 1, 100);
		assert_int_equal(hvctl_event_process(s->ctx, ev, 32, &n), 0);
		for (i = 0; i < n; i++)
			up |= ev[i].type == HVCTL_EVENT_BACKEND_UP;
	}
	assert_true(up);
	sn = snap(s);
	assert_false(sn->system.enabled);	/* a fresh power-on */
	assert_int_equal(sn->num_cells, 0);
	hvctl_snapshot_free(sn);
	expect_ok(s, hvctl_enable(s->ctx, s->system), "enable after restart");
	sn = snap(s);
	assert_int_equal(sn->num_cells, 1);
	hvctl_snapshot_free(sn);
}

/* The kernel transport's parser reads a copy of hvsim's tree alike. */
static void lifecycle__copied_tree(void **state)
{
	struct sim *s = *state;
	struct hvctl_config *linux_demo = load_config(SIM_CONFIGS "/linux-demo.json");
	struct hvctl_snapshot *a, *b;
	struct hvctl_ctx *copy;
	char uri[128];
	size_t i;
	unsigned int k;
	int tries;

	expect_ok(s, hvctl_enable(s->ctx, s->system), "enable");
	expect_ok(s, hvctl_cell_create(s->ctx, s->rtos, NULL), "create rtos");
	expect_ok(s, hvctl_cell_create(s->ctx, linux_demo, NULL), "create linux-demo");
	/*
	 * The root's counters may still move just after the creates (its
	 * hypercalls are counted as hvsim gets to them): copy the tree while
	 * they stand still, as a snapshot before and one after agree.
	 */
	for (tries = 0;; tries++) {
		struct hvctl_snapshot *after;
		bool still = true;

		a = snap(s);
		sh("rm -rf %s/copy && cp -r %s/sysfs %s/copy", s->dir, s->dir,
		   s->dir);
		after = snap(s);
		for (i = 0; i < a->num_cells && i < after->num_cells; i++)
			for (k = 0; k < a->num_stats; k++)
				still &= a->cells[i].stats.value[k] ==
					 after->cells[i].stats.value[k];
		hvctl_snapshot_free(after);
		if (still || tries == 20)
			break;
		hvctl_snapshot_free(a);
		usleep(100000);
	}
	snprintf(uri, sizeof(uri), "jailhouse:%s/copy", s->dir);
	assert_int_equal(hvctl_open(&copy, uri, NULL), 0);
	assert_int_equal(hvctl_snapshot(copy, HVCTL_READ_ALL, HVCTL_CPU_STATS_ALL, NULL, &b), 0);
	assert_true(same_state(a, b));
	assert_int_equal(a->num_stats, b->num_stats);
	for (i = 0; i < a->num_cells; i++) {
		const struct hvctl_cell_info *x = &a->cells[i], *y = &b->cells[i];

		/* Quiet board, cells not started: the counters stand still. */
		for (k = 0; k < a->num_stats; k++)
			assert_int_equal(x->stats.value[k], y->stats.value[k]);
		assert_int_equal(y->config_origin, HVCTL_CONFIG_FROM_SYSFS);
		assert_non_null(x->config);
		assert_non_null(y->config);
		assert_int_equal(x->config->size, y->config->size);
		assert_memory_equal(x->config->data, y->config->data, x->config->size);
	}
	assert_string_equal(b->cells[1].name, "rtos");
	assert_string_equal(b->cells[2].cpus_list, "2-3");
	assert_true(b->cpus[2].has_stats);
	hvctl_snapshot_free(a);
	hvctl_snapshot_free(b);
	hvctl_close(copy);
	hvctl_config_free(linux_demo);
}

static void lifecycle__ivshmem_sim(void **state)
{
	struct sim *s = *state;
	struct hvctl_ivshmem_list *list;

	assert_int_equal(hvctl_ivshmem_list(s->ctx, &list), 0);
	assert_int_equal(list->count, 0);
	hvctl_ivshmem_list_free(list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(lifecycle__cycles, sim_setup, sim_teardown),
		cmocka_unit_test_setup_teardown(lifecycle__random, sim_setup, sim_teardown),
		cmocka_unit_test_setup_teardown(lifecycle__explanations, sim_setup, sim_teardown),
		cmocka_unit_test_setup_teardown(lifecycle__console, sim_setup, sim_teardown),
		cmocka_unit_test_setup_teardown(lifecycle__events_and_restart, sim_setup, sim_teardown),
		cmocka_unit_test_setup_teardown(lifecycle__copied_tree, sim_setup_quiet, sim_teardown),
		cmocka_unit_test_setup_teardown(lifecycle__ivshmem_sim, sim_setup, sim_teardown),
	};

	/* A killed hvsim must not take the test down with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("runtime lifecycle", tests, NULL, NULL);
}
