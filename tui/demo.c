// SPDX-License-Identifier: MIT
/*
 * hvtop --demo[=NAME]: a simulated board to look at. hvsim (next to
 * hvtop) is started with configs/NAME/board.json (NAME: sim by default)
 * on a temporary directory, the hypervisor is enabled with that
 * directory's system config, its cell configs are created, loaded with
 * their .guest images and started through libhvctl, and on exit (also on SIGTERM or SIGHUP)
 * hvsim is stopped and the directory removed.
 */
#include "app.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hvabi/sim-protocol.h>

#define START_TIMEOUT_MS	5000
#define STOP_TIMEOUT_MS		3000

volatile int tui_stop_signal;

static void on_stop(int sig)
{
	tui_stop_signal = sig;
}

void tui_install_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: poll() must return so the loop sees the flag. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void log_tail(const char *dir, char *out, size_t n)
{
	char path[TUI_PATH_MAX + 16], *text = NULL, *p;
	size_t len = 0;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/hvsim.log", dir);
	if (tui_read_file(path, &text, &len, 1u << 20))
		return;
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		text[--len] = '\0';
	p = strrchr(text, '\n');
	hvctl_sanitize_str(out, n, p ? p + 1 : text);
	free(text);
}

/* A board name is one directory name under configs/, nothing more. */
static bool board_name_ok(const char *name)
{
	size_t i;

	if (!name[0] || name[0] == '.' || strlen(name) > 64)
		return false;
	for (i = 0; name[i]; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("-_.", name[i]))
			return false;
	return true;
}

static bool has_board(const char *dir)
{
	char probe[TUI_PATH_MAX + 32];

	snprintf(probe, sizeof(probe), "%.4000s/system.json", dir);
	if (access(probe, R_OK))
		return false;
	snprintf(probe, sizeof(probe), "%.4000s/board.json", dir);
	return !access(probe, R_OK);
}

/* The boards (directories with board.json and system.json) in dir. */
static void list_boards(const char *dir, char *out, size_t n)
{
	char sub[TUI_PATH_MAX + 300];
	struct dirent **list = NULL;
	size_t len = strlen(out);
	int m, k;

	m = scandir(dir, &list, NULL, alphasort);
	for (k = 0; k < m; k++) {
		const char *name = list[k]->d_name;

		snprintf(sub, sizeof(sub), "%.4000s/%s", dir, name);
		if (board_name_ok(name) && has_board(sub) && len < n) {
			snprintf(out + len, n - len, "%s%s", len ? ", " : "", name);
			len += strlen(out + len);
		}
		free(list[k]);
	}
	free(list);
}

/*
 * The shipped configs/NAME directory of the board to simulate: the
 * first data directory that has NAME/system.json and NAME/board.json.
 */
static int board_configs(struct tui_app *app, const char *name, char *err, size_t errlen)
{
	char dirs[4][TUI_PATH_MAX], sub[TUI_PATH_MAX + 80], have[512] = "";
	size_t nd = tui_data_dirs(dirs, 4, app->exe_dir, "configs"), i;

	if (!board_name_ok(name)) {
		snprintf(err, errlen, "--demo=%.64s: a board name is one directory name of "
			 "configs/ (letters, digits, '-', '_', '.')", name);
		return -EINVAL;
	}
	for (i = 0; i < nd; i++) {
		snprintf(sub, sizeof(sub), "%.4000s/%s", dirs[i], name);
		if (has_board(sub)) {
			snprintf(app->demo_cfg, sizeof(app->demo_cfg), "%.4000s", sub);
			return 0;
		}
	}
	for (i = 0; i < nd; i++)
		list_boards(dirs[i], have, sizeof(have));
	if (!nd)
		snprintf(err, errlen, "--demo=%s: no configs directory near %s",
			 name, app->exe_dir);
	else
		snprintf(err, errlen, "--demo=%s: no configs/%s/ with board.json and "
			 "system.json in %s; boards there: %s", name, name, dirs[0],
			 have[0] ? have : "none");
	return -ENOENT;
}

int tui_demo_start(struct tui_app *app, char *uri, size_t urilen,
		   char *err, size_t errlen)
{
	char hvsim[TUI_PATH_MAX + 8], sock[TUI_PATH_MAX + 32], logp[TUI_PATH_MAX + 16];
	char board[TUI_PATH_MAX + 16];
	const char *tmp = getenv("TMPDIR");
	uint64_t deadline;
	struct stat st;
	pid_t pid;
	int ret;

	/* An unknown board is refused before anything is started. */
	ret = board_configs(app, app->opts.demo_board ? app->opts.demo_board : "sim",
			    err, errlen);
	if (ret)
		return ret;
	snprintf(board, sizeof(board), "%s/board.json", app->demo_cfg);

	snprintf(hvsim, sizeof(hvsim), "%s/hvsim", app->exe_dir);
	if (access(hvsim, X_OK)) {
		snprintf(err, errlen, "--demo needs hvsim next to hvtop (%s): %s", hvsim,
			 strerror(errno));
		return -ENOENT;
	}
	snprintf(app->demo_dir, sizeof(app->demo_dir), "%s/hvtop-demo-XXXXXX",
		 tmp && tmp[0] == '/' ? tmp : "/tmp");
	if (!mkdtemp(app->demo_dir)) {
		snprintf(err, errlen, "cannot create a temporary directory: %s", strerror(errno));
		app->demo_dir[0] = '\0';
		return -errno;
	}
	snprintf(logp, sizeof(logp), "%s/hvsim.log", app->demo_dir);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot start hvsim: %s", strerror(errno));
		return -errno;
	}
	if (!pid) {
		int fd = open(logp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

		/* Keep terminal signals away; die with hvtop if it is killed. */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		if (null >= 0)
			dup2(null, STDIN_FILENO);
		execl(hvsim, "hvsim", "--board", board, app->demo_dir, (char *)NULL);
		_exit(127);
	}
	app->demo_pid = pid;

	/* The socket's appearance means hvsim is ready. */
	snprintf(sock, sizeof(sock), "%s/%s", app->demo_dir, HVSIM_SOCKET_NAME);
	deadline = tui_now_ms() + START_TIMEOUT_MS;
	while (stat(sock, &st)) {
		int status;

		if (waitpid(pid, &status, WNOHANG) == pid) {
			char tail[256];

			app->demo_pid = -1;
			log_tail(app->demo_dir, tail, sizeof(tail));
			snprintf(err, errlen, "hvsim exited at once (status %d)%s%s",
				 WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
				 tail[0] ? ": " : "", tail);
			return -ECHILD;
		}
		if (tui_now_ms() > deadline || tui_stop_signal) {
			snprintf(err, errlen, "hvsim did not become ready within %d s",
				 START_TIMEOUT_MS / 1000);
			return -ETIMEDOUT;
		}
		usleep(20000);
	}
	snprintf(uri, urilen, "sim:%s", app->demo_dir);
	return 0;
}

static int json_filter(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return len > 5 && !strcmp(d->d_name + len - 5, ".json") &&
	       strcmp(d->d_name, "system.json") && strcmp(d->d_name, "board.json");
}

/* Create, load and start one demo cell; a message on failure. */
static void demo_cell(struct tui_app *app, const char *dir, const char *file,
		      char *msg, size_t msglen)
{
	char path[TUI_PATH_MAX + 300], guest[TUI_PATH_MAX + 300];
	struct hvctl_error herr = { { 0 } };
	struct hvctl_config *c = NULL;
	struct hvctl_cell_ref ref;
	struct hvctl_image img = { 0 };
	char *bytes = NULL;
	size_t len = 0;
	int id = -1, ret;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	ret = hvctl_config_read_file(&c, path, &herr);
	if (ret) {
		snprintf(msg, msglen, "demo: %.400s", herr.msg);
		return;
	}
	if (c->is_system)
		goto out;
	ret = hvctl_cell_create(app->ctx, c, &id);
	if (ret) {
		snprintf(msg, msglen, "demo: creating %s: %s", file, hvctl_errmsg(app->ctx));
		goto out;
	}
	/* rtos.json runs rtos.guest, if there is one. */
	snprintf(guest, sizeof(guest), "%s/%.*s.guest", dir, (int)(strlen(file) - 5), file);
	if (tui_read_file(guest, &bytes, &len, 1u << 24))
		goto out;
	hvctl_cell_ref_id(&ref, id);
	img.data = bytes;
	img.size = len;
	img.address = c->cell->cpu_reset_address;
	img.label = guest;
	ret = hvctl_cell_load(app->ctx, &ref, &img, 1);
	if (!ret)
		ret = hvctl_cell_start(app->ctx, &ref);
	if (ret)
		snprintf(msg, msglen, "demo: %s: %s", file, hvctl_errmsg(app->ctx));
out:
	free(bytes);
	hvctl_config_free(c);
}

int tui_demo_populate(struct tui_app *app, char *err, size_t errlen)
{
	const char *dir = app->demo_cfg;
	char path[TUI_PATH_MAX + 16], msg[512] = "";
	struct hvctl_error herr = { { 0 } };
	struct hvctl_config *sys = NULL;
	struct dirent **list = NULL;
	int n, i, ret;

	snprintf(path, sizeof(path), "%s/system.json", dir);
	ret = hvctl_config_read_file(&sys, path, &herr);
	if (ret) {
		snprintf(err, errlen, "--demo: %.400s", herr.msg);
		return ret;
	}
	ret = hvctl_enable(app->ctx, sys);
	hvctl_config_free(sys);
	if (ret) {
		snprintf(err, errlen, "--demo: enabling with %s: %s", path, hvctl_errmsg(app->ctx));
		return ret;
	}
	n = scandir(dir, &list, json_filter, alphasort);
	for (i = 0; i < n; i++) {
		demo_cell(app, dir, list[i]->d_name, msg, sizeof(msg));
		free(list[i]);
	}
	free(list);
	if (msg[0])
		tui_app_status(app, TUI_ROLE_STATUS_ERROR, "%s", msg);
	return 0;
}

void tui_demo_stop(struct tui_app *app)
{
	if (app->demo_pid > 0) {
		uint64_t deadline = tui_now_ms() + STOP_TIMEOUT_MS;
		int status;

		kill(app->demo_pid, SIGTERM);
		while (waitpid(app->demo_pid, &status, WNOHANG) == 0) {
			if (tui_now_ms() > deadline) {
				kill(app->demo_pid, SIGKILL);
				waitpid(app->demo_pid, &status, 0);
				break;
			}
			usleep(10000);
		}
		app->demo_pid = -1;
	}
	if (app->demo_dir[0]) {
		nftw(app->demo_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		app->demo_dir[0] = '\0';
	}
}
