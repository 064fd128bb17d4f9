// SPDX-License-Identifier: MIT
/*
 * hvsim's control socket spoken with raw structs: starts BUILD/hvsim
 * (BUILD from argv[1] or $HVCTL_BUILD, default "build") on a temporary
 * directory and checks framing, every command, errors and events.
 */
#include "hv_test.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <hvabi/sim-protocol.h>

static char bin[512];
static char sdir[64];
static pid_t child = -1;

static int connect_sim(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", sdir,
		 HVSIM_SOCKET_NAME);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void send_all(int fd, const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len) {
		ssize_t n = send(fd, b, len, MSG_NOSIGNAL);

		assert_true(n > 0);
		b += n;
		len -= (size_t)n;
	}
}

static bool recv_all(int fd, void *p, size_t len)
{
	uint8_t *b = p;

	while (len) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 10000) != 1)
			return false;
		n = recv(fd, b, len, 0);
		if (n <= 0)
			return false;
		b += n;
		len -= (size_t)n;
	}
	return true;
}

static void request(int fd, uint32_t cmd, const void *arg, uint32_t arg_size,
		    const void *data, uint32_t data_size)
{
	struct hvsim_request rq = {
		.magic = HVSIM_MAGIC,
		.cmd = cmd,
		.arg_size = arg_size,
		.data_size = data_size,
	};

	send_all(fd, &rq, sizeof(rq));
	if (arg_size)
		send_all(fd, arg, arg_size);
	if (data_size)
		send_all(fd, data, data_size);
}

/* Reads one response; returns its result, data into buf (NUL-ended). */
static int32_t response(int fd, char *buf, size_t size, uint32_t *len)
{
	struct hvsim_response r;

	assert_true(recv_all(fd, &r, sizeof(r)));
	assert_int_equal(r.magic, HVSIM_MAGIC);
	assert_true(r.data_size < size);
	assert_true(recv_all(fd, buf, r.data_size));
	buf[r.data_size] = 0;
	if (len)
		*len = r.data_size;
	return r.result;
}

static int32_t call(int fd, uint32_t cmd, const void *arg, uint32_t arg_size,
		    const void *data, uint32_t data_size, char *buf)
{
	static char scratch[8192];

	request(fd, cmd, arg, arg_size, data, data_size);
	return response(fd, buf ? buf : scratch, 8192, NULL);
}

static struct hvsim_event next_event(int fd)
{
	struct hvsim_event ev;

	assert_true(recv_all(fd, &ev, sizeof(ev)));
	assert_int_equal(ev.magic, HVSIM_MAGIC);
	return ev;
}

/* Skips console events; returns the next other event. */
static struct hvsim_event next_non_console(int fd)
{
	struct hvsim_event ev;

	do
		ev = next_event(fd);
	while (ev.type == HVSIM_EV_CONSOLE);
	return ev;
}

static int start_sim(void **state)
{
	char path[128];
	int i;

	(void)state;
	strcpy(sdir, "/tmp/hvsock.XXXXXX");
	if (!mkdtemp(sdir))
		return -1;
	child = fork();
	if (child == 0) {
		execl(bin, bin, sdir, (char *)NULL);
		_exit(127);
	}
	snprintf(path, sizeof(path), "%s/%s", sdir, HVSIM_SOCKET_NAME);
	for (i = 0; i < 100; i++) {
		if (!access(path, F_OK))
			return 0;
		usleep(50000);
	}
	return -1;
}

static int stop_sim(void **state)
{
	char cmd[128];
	int status;

	(void)state;
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
	}
	child = -1;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", sdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_hello_and_framing(void **state)
{
	struct hvsim_hello *h;
	char buf[8192];
	struct stat st;
	uint32_t len;
	int fd, fd2;
	uint8_t junk[16];

	(void)state;
	snprintf(buf, sizeof(buf), "%s/%s", sdir, HVSIM_SOCKET_NAME);
	assert_int_equal(stat(buf, &st), 0);
	/* The owner's group may connect (to read); see test_access. */
	assert_int_equal(st.st_mode & 0777, 0660);
	fd = connect_sim();
	request(fd, HVSIM_CMD_HELLO, NULL, 0, NULL, 0);
	assert_int_equal(response(fd, buf, sizeof(buf), &len), 0);
	assert_int_equal(len, sizeof(*h));
	h = (struct hvsim_hello *)buf;
	assert_int_equal(h->version, HVSIM_VERSION);
	assert_int_equal(h->num_cpus, 8);
	assert_string_equal(h->board, "sim-arm64");
	/* Unknown command and wrong sizes: errors with text, still usable. */
	assert_int_equal(call(fd, 0x12345678, "abc", 3, NULL, 0, buf), -EINVAL);
	assert_non_null(strstr(buf, "unknown command"));
	assert_int_equal(call(fd, HV_IOC_CELL_START, "abc", 3, NULL, 0, buf),
			 -EINVAL);
	assert_int_equal(call(fd, HVSIM_CMD_HELLO, "x", 1, NULL, 0, buf),
			 -EINVAL);
	assert_int_equal(call(fd, HV_IOC_DISABLE, NULL, 0, NULL, 0, buf),
			 -EINVAL);
	assert_non_null(strstr(buf, "not enabled"));
	{
		struct hvsim_console_read cr = { .cell_id = -1 };

		assert_int_equal(call(fd, HVSIM_CMD_CONSOLE_READ, &cr,
				      sizeof(cr), NULL, 0, buf), -EAGAIN);
	}
	assert_int_equal(call(fd, HVSIM_CMD_HELLO, NULL, 0, NULL, 0, buf), 0);

	/* A client vanishing mid-request does not hurt. */
	fd2 = connect_sim();
	{
		struct hvsim_request rq = { HVSIM_MAGIC, HV_IOC_ENABLE, 0,
					    1000 };

		send_all(fd2, &rq, sizeof(rq));
		send_all(fd2, junk, 10);
		close(fd2);
	}
	assert_int_equal(call(fd, HVSIM_CMD_HELLO, NULL, 0, NULL, 0, buf), 0);

	/* Bad magic: EPROTO, then hvsim closes the connection. */
	fd2 = connect_sim();
	memset(junk, 0x55, sizeof(junk));
	send_all(fd2, junk, sizeof(junk));
	assert_int_equal(response(fd2, buf, sizeof(buf), NULL), -EPROTO);
	assert_false(recv_all(fd2, junk, 1));
	close(fd2);
	/* Larger than HVSIM_MAX_PAYLOAD: E2BIG and closed. */
	fd2 = connect_sim();
	request(fd2, HV_IOC_ENABLE, NULL, 0, NULL, 0);
	{
		struct hvsim_request rq = { HVSIM_MAGIC, HV_IOC_ENABLE, 0,
					    HVSIM_MAX_PAYLOAD + 1 };

		assert_int_equal(response(fd2, buf, sizeof(buf), NULL),
				 -EINVAL);
		send_all(fd2, &rq, sizeof(rq));
		assert_int_equal(response(fd2, buf, sizeof(buf), NULL), -E2BIG);
		assert_false(recv_all(fd2, junk, 1));
	}
	close(fd2);
	close(fd);
}

static void test_lifecycle_and_events(void **state)
{
	static uint8_t cfg[HVT_BUF];
	static const char script[] =
		"#!hvsim-guest\nprint guest says hi\nforever\n  sleep 50ms\nend\n";
	struct hv_ioc_cell_create cc = { 0 };
	struct {
		struct hv_ioc_cell_load load;
		struct hv_ioc_preload_image img;
	} ld;
	struct hvsim_console_read cr = { .cell_id = 1 };
	struct hvsim_console_data *cd;
	struct hv_ioc_cell_id cid;
	struct hvt_cell root, c;
	struct hvsim_event ev;
	char buf[8192];
	uint8_t data[256];
	uint32_t len;
	int fd, sub;
	size_t n;

	(void)state;
	fd = connect_sim();
	sub = connect_sim();
	assert_int_equal(call(sub, HVSIM_CMD_SUBSCRIBE, NULL, 0, NULL, 0, buf),
			 0);

	hvt_root(&root, 8);
	n = hvt_system_bytes(&root, HV_SYS_VIRTUAL_DEBUG_CONSOLE, cfg);
	assert_int_equal(call(fd, HV_IOC_ENABLE, NULL, 0, cfg, (uint32_t)n, buf),
			 0);
	assert_int_equal(call(fd, HV_IOC_ENABLE, NULL, 0, cfg, (uint32_t)n, buf),
			 -EBUSY);
	assert_non_null(strstr(buf, "already enabled"));
	ev = next_non_console(sub);
	assert_int_equal(ev.type, HVSIM_EV_ENABLED);
	assert_int_equal(ev.cell_id, -1);
	ev = next_non_console(sub);
	assert_int_equal(ev.type, HVSIM_EV_CELL_ADD);
	assert_int_equal(ev.cell_id, 0);

	hvt_small_cell(&c, "sock", 3, 0x7f000000);
	n = hvt_cell_bytes(&c, cfg);
	cc.config_address = 0xdeadbeef;	/* ignored */
	cc.config_size = (uint32_t)n;
	request(fd, HV_IOC_CELL_CREATE, &cc, sizeof(cc), cfg, (uint32_t)n);
	assert_int_equal(response(fd, buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 4);
	assert_int_equal(*(int32_t *)buf, 1);
	ev = next_non_console(sub);
	assert_int_equal(ev.type, HVSIM_EV_CELL_ADD);
	assert_int_equal(ev.cell_id, 1);
	/* The directory is complete once the reply is in. */
	snprintf((char *)data, sizeof(data), "%s/sysfs/cells/1/name", sdir);
	assert_int_equal(access((char *)data, R_OK), 0);
	/* Same name again: EEXIST with an explanation. */
	assert_int_equal(call(fd, HV_IOC_CELL_CREATE, &cc, sizeof(cc), cfg,
			      (uint32_t)n, buf), -EEXIST);
	assert_non_null(strstr(buf, "sock"));

	/* Load: the image's source_address is its offset in data. */
	memset(&ld, 0, sizeof(ld));
	memset(data, 'x', 16);
	memcpy(data + 16, script, sizeof(script));
	ld.load.cell_id.id = -1;
	strcpy(ld.load.cell_id.name, "sock");
	ld.load.num_preload_images = 1;
	ld.img.source_address = 16;
	ld.img.size = sizeof(script);
	assert_int_equal(call(fd, HV_IOC_CELL_LOAD, &ld, sizeof(ld), data,
			      16 + sizeof(script), buf), 0);
	ld.img.target_address = 0x100000;
	assert_int_equal(call(fd, HV_IOC_CELL_LOAD, &ld, sizeof(ld), data,
			      16 + sizeof(script), buf), -EINVAL);
	ld.img.target_address = 0;
	memset(&cid, 0, sizeof(cid));
	cid.id = 1;
	/* The refused load changed nothing; a good one goes through. */
	assert_int_equal(call(fd, HV_IOC_CELL_LOAD, &ld, sizeof(ld), data,
			      16 + sizeof(script), buf), 0);
	assert_int_equal(call(fd, HV_IOC_CELL_START, &cid, sizeof(cid), NULL, 0,
			      buf), 0);
	ev = next_non_console(sub);
	assert_int_equal(ev.type, HVSIM_EV_CELL_STATE);
	assert_int_equal(ev.cell_id, 1);
	/* Console output shows up as an event, and through CONSOLE_READ. */
	do
		ev = next_event(sub);
	while (!(ev.type == HVSIM_EV_CONSOLE && ev.cell_id == 1));
	request(fd, HVSIM_CMD_CONSOLE_READ, &cr, sizeof(cr), NULL, 0);
	assert_int_equal(response(fd, buf, sizeof(buf), &len), 0);
	cd = (struct hvsim_console_data *)buf;
	assert_int_equal(len, sizeof(*cd) + 14);
	assert_int_equal(cd->tail, 14);
	assert_int_equal(cd->lost, 0);
	assert_memory_equal(buf + sizeof(*cd), "guest says hi\n", 14);

	cid.id = 1;
	assert_int_equal(call(fd, HV_IOC_CELL_DESTROY, &cid, sizeof(cid), NULL,
			      0, buf), 0);
	ev = next_non_console(sub);
	assert_int_equal(ev.type, HVSIM_EV_CELL_REMOVE);
	assert_int_equal(ev.cell_id, 1);
	assert_int_equal(call(fd, HV_IOC_CELL_DESTROY, &cid, sizeof(cid), NULL,
			      0, buf), -ENOENT);
	assert_int_equal(call(fd, HV_IOC_DISABLE, NULL, 0, NULL, 0, buf), 0);
	ev = next_non_console(sub);
	assert_int_equal(ev.type, HVSIM_EV_CELL_REMOVE);
	assert_int_equal(ev.cell_id, 0);
	ev = next_non_console(sub);
	assert_int_equal(ev.type, HVSIM_EV_DISABLED);

	/* SIGTERM: a SHUTDOWN event, then the socket and tree are gone. */
	kill(child, SIGTERM);
	ev = next_non_console(sub);
	assert_int_equal(ev.type, HVSIM_EV_SHUTDOWN);
	{
		int status;

		assert_int_equal(waitpid(child, &status, 0), child);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		child = -1;
	}
	snprintf(buf, sizeof(buf), "%s/%s", sdir, HVSIM_SOCKET_NAME);
	assert_int_not_equal(access(buf, F_OK), 0);
	snprintf(buf, sizeof(buf), "%s/sysfs", sdir);
	assert_int_not_equal(access(buf, F_OK), 0);
	close(fd);
	close(sub);
}

/* hvsim's resident memory in kB (VmRSS), or -1. */
static long rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/*
 * A client that sends 300,000 CONSOLE_READs without reading a reply:
 * hvsim stops parsing (and reading) its requests once 1 MiB of replies
 * waits, so its memory stays bounded; every reply still arrives once the
 * client reads.
 */
static void test_backpressure(void **state)
{
	enum { COUNT = 300000 };
	struct hvsim_request rq = { HVSIM_MAGIC, HVSIM_CMD_CONSOLE_READ,
				    sizeof(struct hvsim_console_read), 0 };
	struct hvsim_console_read cr = { .cell_id = -1 };
	uint8_t frame[sizeof(rq) + sizeof(cr)];
	static uint8_t cfg[HVT_BUF];
	long before, peak = 0, kb;
	struct hvsim_response r;
	struct hvt_cell root;
	char text[8192];
	pid_t writer;
	int fd, status, i, got = 0;
	uint32_t rlen;
	size_t n;

	(void)state;
	memcpy(frame, &rq, sizeof(rq));
	memcpy(frame + sizeof(rq), &cr, sizeof(cr));
	fd = connect_sim();
	/* Enabled, so every reply carries the console's text. */
	hvt_root(&root, 8);
	n = hvt_system_bytes(&root, HV_SYS_VIRTUAL_DEBUG_CONSOLE, cfg);
	assert_int_equal(call(fd, HV_IOC_ENABLE, NULL, 0, cfg, (uint32_t)n,
			      text), 0);
	/* Fill the 2 KiB ring: a create and destroy print two lines. */
	for (i = 0; i < 40; i++) {
		struct hv_ioc_cell_create cc = { 0 };
		struct hv_ioc_cell_id cid = { .id = 1 };
		struct hvt_cell c;

		hvt_small_cell(&c, "bp", 3, 0x7f000000);
		n = hvt_cell_bytes(&c, cfg);
		cc.config_size = (uint32_t)n;
		assert_int_equal(call(fd, HV_IOC_CELL_CREATE, &cc, sizeof(cc),
				      cfg, (uint32_t)n, text), 0);
		assert_int_equal(call(fd, HV_IOC_CELL_DESTROY, &cid,
				      sizeof(cid), NULL, 0, text), 0);
	}
	request(fd, HVSIM_CMD_CONSOLE_READ, &cr, sizeof(cr), NULL, 0);
	assert_int_equal(response(fd, text, sizeof(text), &rlen), 0);
	printf("backpressure: each CONSOLE_READ reply carries %u bytes\n",
	       rlen);
	before = rss_kb(child);
	writer = fork();
	assert_true(writer >= 0);
	if (writer == 0) {
		for (i = 0; i < COUNT; i++) {
			const uint8_t *b = frame;
			size_t len = sizeof(frame);

			while (len) {
				ssize_t w = send(fd, b, len, MSG_NOSIGNAL);

				if (w <= 0)
					_exit(1);
				b += w;
				len -= (size_t)w;
			}
		}
		_exit(0);
	}
	/* The writer blocks once hvsim stops reading; watch hvsim meanwhile. */
	for (i = 0; i < 30; i++) {
		usleep(100000);
		kb = rss_kb(child);
		if (kb > peak)
			peak = kb;
	}
	/* Growth, not the total: a sanitizer build starts out larger. */
	printf("backpressure: hvsim VmRSS %ld kB before, peak %ld kB while unread (growth %ld kB, bound 65536 kB)\n",
	       before, peak, peak - before);
	assert_true(before > 0 && peak - before < 64 * 1024);
	/* hvsim stopped reading: the writer is still blocked. */
	assert_int_equal(waitpid(writer, &status, WNOHANG), 0);
	/* Now read everything: each request gets its reply. */
	while (got < COUNT) {
		if (!recv_all(fd, &r, sizeof(r)))
			break;
		assert_int_equal(r.magic, HVSIM_MAGIC);
		assert_int_equal(r.result, 0);
		assert_true(r.data_size < sizeof(text));
		assert_true(recv_all(fd, text, r.data_size));
		got++;
		if (got % 20000 == 0) {
			kb = rss_kb(child);
			if (kb > peak)
				peak = kb;
		}
	}
	assert_int_equal(waitpid(writer, &status, 0), writer);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* Only shown: ASan's quarantine of freed buffers counts here. */
	printf("backpressure: all %d replies read; hvsim VmRSS peak %ld kB\n",
	       got, peak);
	assert_int_equal(got, COUNT);
	close(fd);
}

/*
 * Run in a child as uid/gid 65534 (with group 0, hvsim's, when in_group):
 * exit status 0 when everything matched, else the failing step.
 */
static int as_other_user(bool in_group)
{
	struct hvsim_access *a;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct hv_ioc_cell_id cid = { .id = 1 };
	struct hvsim_console_read cr = { .cell_id = -1 };
	char buf[8192];
	gid_t g = 0;
	int fd;

	if (setgroups(in_group ? 1 : 0, &g) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return 10;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", sdir,
		 HVSIM_SOCKET_NAME);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return in_group ? 11 : (errno == EACCES ? 0 : 12);
	if (!in_group)
		return 13;
	if (call(fd, HVSIM_CMD_ACCESS, NULL, 0, NULL, 0, buf) != 0)
		return 14;
	a = (struct hvsim_access *)buf;
	if (a->may_control != 0 || a->uid != 65534 || a->owner_uid != 0)
		return 15;
	/* Reading works... */
	if (call(fd, HVSIM_CMD_HELLO, NULL, 0, NULL, 0, buf) != 0)
		return 16;
	if (call(fd, HVSIM_CMD_CONSOLE_READ, &cr, sizeof(cr), NULL, 0,
		 buf) != 0)
		return 17;
	/* ...changing does not, whatever the request. */
	if (call(fd, HV_IOC_CELL_START, &cid, sizeof(cid), NULL, 0, buf) !=
	    -EPERM || !strstr(buf, "may only read"))
		return 18;
	if (call(fd, HV_IOC_DISABLE, NULL, 0, NULL, 0, buf) != -EPERM)
		return 19;
	if (call(fd, HV_IOC_CELL_DESTROY, &cid, sizeof(cid), NULL, 0, buf) !=
	    -EPERM)
		return 20;
	return 0;
}

static void test_access(void **state)
{
	static uint8_t cfg[HVT_BUF];
	struct hvsim_access *a;
	struct hvt_cell root;
	char buf[8192];
	int fd, status, pass;
	size_t n;
	pid_t pid;

	(void)state;
	if (geteuid() != 0) {
		printf("test_access: needs root to act as another user; skipped\n");
		skip();
	}
	/* The operator group (hvsim's, root's here) may enter DIR. */
	assert_int_equal(chmod(sdir, 0750), 0);
	fd = connect_sim();
	assert_int_equal(call(fd, HVSIM_CMD_ACCESS, NULL, 0, NULL, 0, buf), 0);
	a = (struct hvsim_access *)buf;
	assert_int_equal(a->may_control, 1);
	assert_int_equal(a->uid, geteuid());
	assert_int_equal(a->owner_uid, geteuid());
	assert_int_equal(call(fd, HVSIM_CMD_ACCESS, "x", 1, NULL, 0, buf),
			 -EINVAL);
	hvt_root(&root, 8);
	n = hvt_system_bytes(&root, HV_SYS_VIRTUAL_DEBUG_CONSOLE, cfg);
	assert_int_equal(call(fd, HV_IOC_ENABLE, NULL, 0, cfg, (uint32_t)n,
			      buf), 0);
	for (pass = 0; pass < 2; pass++) {
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0)
			_exit(as_other_user(pass == 0));
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			printf("test_access: other user (%s group) failed at step %d\n",
			       pass == 0 ? "in" : "not in",
			       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	/* Still enabled: the refused DISABLE changed nothing. */
	snprintf(buf, sizeof(buf), "%s/sysfs/enabled", sdir);
	{
		FILE *f = fopen(buf, "r");
		int c;

		assert_non_null(f);
		c = fgetc(f);
		fclose(f);
		assert_int_equal(c, '1');
	}
	assert_int_equal(call(fd, HV_IOC_DISABLE, NULL, 0, NULL, 0, buf), 0);
	close(fd);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hello_and_framing,
						start_sim, stop_sim),
		cmocka_unit_test_setup_teardown(test_lifecycle_and_events,
						start_sim, stop_sim),
		cmocka_unit_test_setup_teardown(test_backpressure, start_sim,
						stop_sim),
		cmocka_unit_test_setup_teardown(test_access, start_sim,
						stop_sim),
	};
	const char *build = argc > 1 ? argv[1] : getenv("HVCTL_BUILD");

	snprintf(bin, sizeof(bin), "%s/hvsim", build ? build : "build");
	if (access(bin, X_OK)) {
		fprintf(stderr, "test_hv_socket: %s not found (pass BUILD or set HVCTL_BUILD)\n",
			bin);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
