// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sim transport: the ioctl argument structs sent over hvsim's control
 * socket (hypervisor/arch/sim/PROTOCOL.md), with the bytes they point to
 * inline.
 *
 * One control connection is kept. Before each use it is checked with a
 * zero-timeout poll(): a connection hvsim closed (it exited, or another
 * hvsim replaced it) reads as hang-up, and we connect afresh; every new
 * connection bumps ctx->epoch so cached tree files are reopened.
 * The tree is DIR/sysfs; consoles are read with CONSOLE_READ (exact lost
 * counts); events come from a SUBSCRIBE connection of their own.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <hvabi/console.h>
#include <hvabi/sim-protocol.h>

#include "runtime_int.h"

static int not_running(struct hvctl_ctx *ctx, int err)
{
	ctx->unreachable = true;
	return rt_fail(ctx, err, "hvsim at %s is not running", ctx->dir);
}

static int sim_open(struct hvctl_ctx *ctx, const char *rest, const char *uri,
		    const char *device, char **def_registry,
		    struct hvctl_error *err)
{
	(void)device;
	if (!*rest) {
		rt_error(err, "URI '%s' names no directory (use sim:DIR)", uri);
		return -EINVAL;
	}
	ctx->dir = rt_absolute_dir(rest);
	if (!ctx->dir)
		return -ENOMEM;
	/* Each simulated board keeps its own registry. */
	if (asprintf(&ctx->tree_path, "%s/%s", ctx->dir, HVSIM_SYSFS_DIR) < 0 ||
	    asprintf(&ctx->sock_path, "%s/%s", ctx->dir, HVSIM_SOCKET_NAME) < 0 ||
	    asprintf(def_registry, "%s/registry", ctx->dir) < 0) {
		/* asprintf leaves the pointer undefined on failure. */
		*def_registry = NULL;
		return -ENOMEM;
	}
	if (strlen(ctx->sock_path) >=
	    sizeof(((struct sockaddr_un *)0)->sun_path)) {
		rt_error(err, "socket path %s is too long for a UNIX socket",
			 ctx->sock_path);
		return -ENAMETOOLONG;
	}
	return 0;
}

static int sim_tree_open(struct hvctl_ctx *ctx)
{
	int fd = open(ctx->tree_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return rt_fail(ctx, -errno, "cannot open %s: %s",
			       ctx->tree_path, strerror(errno));
	return fd;
}

static int sim_connect(struct hvctl_ctx *ctx, int *out)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, err;

	strncpy(sa.sun_path, ctx->sock_path, sizeof(sa.sun_path) - 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return rt_fail(ctx, -errno, "socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = errno;
		close(fd);
		if (err == ENOENT || err == ENOTDIR)
			return not_running(ctx, -ENOTCONN);
		if (err == ECONNREFUSED)
			return not_running(ctx, -ECONNREFUSED);
		ctx->unreachable = true;
		return rt_fail(ctx, -err, "cannot connect to hvsim at %s: %s",
			       ctx->dir, strerror(err));
	}
	*out = fd;
	return 0;
}

/* Send all of iov[0..n), adjusting it as partial writes complete. */
static int send_all(int fd, struct iovec *iov, int n)
{
	while (n) {
		struct msghdr msg = {
			.msg_iov = iov,
			.msg_iovlen = (size_t)(n > 64 ? 64 : n),
		};
		ssize_t done = sendmsg(fd, &msg, MSG_NOSIGNAL);

		if (done < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		while (n && (size_t)done >= iov->iov_len) {
			done -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n) {
			iov->iov_base = (char *)iov->iov_base + done;
			iov->iov_len -= (size_t)done;
		}
	}
	return 0;
}

static int recv_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = recv(fd, p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!n)
			return -ECONNRESET;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int discard(int fd, size_t len)
{
	char sink[512];

	while (len) {
		size_t n = len < sizeof(sink) ? len : sizeof(sink);
		int ret = recv_all(fd, sink, n);

		if (ret)
			return ret;
		len -= n;
	}
	return 0;
}

/*
 * One request and its response. Returns 0 with *result set when the
 * exchange worked (result is hvsim's answer), or a negative errno when
 * the connection failed. The reply payload goes to reply (up to
 * reply_size, more is an error), an error text to why.
 */
static int roundtrip(int fd, uint32_t cmd, const void *arg, size_t arg_size,
		     const struct iovec *data, int num_data, void *reply,
		     size_t reply_size, size_t *reply_len, char *why,
		     size_t why_size, int *result)
{
	struct hvsim_request rq = {
		.magic = HVSIM_MAGIC,
		.cmd = cmd,
		.arg_size = (uint32_t)arg_size,
	};
	struct hvsim_response rs;
	struct iovec stack_iov[8], *iov = stack_iov;
	size_t total = 0;
	int i, n = 0, ret;

	for (i = 0; i < num_data; i++)
		total += data[i].iov_len;
	if (arg_size + total > HVSIM_MAX_PAYLOAD)
		return -E2BIG;
	rq.data_size = (uint32_t)total;
	if (num_data + 2 > (int)(sizeof(stack_iov) / sizeof(stack_iov[0]))) {
		iov = malloc((size_t)(num_data + 2) * sizeof(*iov));
		if (!iov)
			return -ENOMEM;
	}
	iov[n].iov_base = &rq;
	iov[n++].iov_len = sizeof(rq);
	if (arg_size) {
		iov[n].iov_base = (void *)arg;
		iov[n++].iov_len = arg_size;
	}
	for (i = 0; i < num_data; i++)
		if (data[i].iov_len)
			iov[n++] = data[i];
	ret = send_all(fd, iov, n);
	if (iov != stack_iov)
		free(iov);
	if (ret)
		return ret;

	ret = recv_all(fd, &rs, sizeof(rs));
	if (ret)
		return ret;
	if (rs.magic != HVSIM_MAGIC)
		return -EPROTO;
	*result = rs.result;
	if (reply_len)
		*reply_len = 0;
	if (why && why_size)
		why[0] = '\0';
	if (rs.result < 0) {
		size_t keep = 0;

		if (why && why_size) {
			keep = rs.data_size < why_size - 1 ? rs.data_size :
							      why_size - 1;
			ret = recv_all(fd, why, keep);
			if (ret)
				return ret;
			why[keep] = '\0';
		}
		return discard(fd, rs.data_size - keep);
	}
	if (rs.data_size > reply_size) {
		/* Keep the stream in step, but this is not what we asked for. */
		ret = discard(fd, rs.data_size);
		return ret ? ret : -EPROTO;
	}
	ret = recv_all(fd, reply, rs.data_size);
	if (!ret && reply_len)
		*reply_len = rs.data_size;
	return ret;
}

static int sim_roundtrip(struct hvctl_ctx *ctx, int fd, uint32_t cmd,
			 const void *arg, size_t arg_size,
			 const struct iovec *data, int num_data, void *reply,
			 size_t reply_size, size_t *reply_len, char *why,
			 size_t why_size)
{
	int result = 0, ret;

	ret = roundtrip(fd, cmd, arg, arg_size, data, num_data, reply,
			reply_size, reply_len, why, why_size, &result);
	if (ret == -E2BIG)
		return rt_fail(ctx, ret, "request too large for hvsim (%u MiB at most)",
			       HVSIM_MAX_PAYLOAD >> 20);
	if (ret == -ENOMEM)
		return rt_fail(ctx, ret, "out of memory");
	if (ret == -EPROTO)
		return rt_fail(ctx, ret, "hvsim at %s sent a malformed reply",
			       ctx->dir);
	if (ret) {
		ctx->unreachable = true;
		return rt_fail(ctx, -ENOTCONN,
			       "hvsim at %s is not running (the connection broke: %s)",
			       ctx->dir, strerror(-ret));
	}
	return result;
}

static void drop_connection(struct hvctl_ctx *ctx)
{
	if (ctx->ctl_fd >= 0)
		close(ctx->ctl_fd);
	ctx->ctl_fd = -1;
}

static int sim_check(struct hvctl_ctx *ctx)
{
	struct hvsim_hello hello;
	size_t len;
	int fd, ret;

	if (ctx->ctl_fd >= 0) {
		struct pollfd p = { .fd = ctx->ctl_fd, .events = POLLIN | POLLRDHUP };

		/* Nothing is ever unsolicited here: readable means closed. */
		if (poll(&p, 1, 0) == 0)
			return 0;
		drop_connection(ctx);
	}
	ret = sim_connect(ctx, &fd);
	if (ret)
		return ret;
	memset(&hello, 0, sizeof(hello));
	ret = sim_roundtrip(ctx, fd, HVSIM_CMD_HELLO, NULL, 0, NULL, 0, &hello,
			    sizeof(hello), &len, NULL, 0);
	if (ret) {
		close(fd);
		if (ret > 0 || ret == -EINVAL)
			ret = -EPROTO;
		if (!ctx->errmsg[0] || ret == -EPROTO)
			rt_set_err(ctx, "hvsim at %s refused the HELLO request",
				   ctx->dir);
		return ret;
	}
	if (len < sizeof(hello.version) || hello.version != HVSIM_VERSION) {
		close(fd);
		return rt_fail(ctx, -EPROTO,
			       "hvsim at %s speaks protocol version %u, this libhvctl version %u",
			       ctx->dir, hello.version, HVSIM_VERSION);
	}
	ctx->num_cpus = hello.num_cpus;
	ctx->ctl_fd = fd;
	ctx->epoch++;
	return 0;
}

/*
 * Connecting needs write permission on the socket: without it nothing
 * can be asked of hvsim, not even a read. Connected, hvsim says whether
 * this peer may change the board (only its owner may; its group reads).
 */
static bool sim_may_control(struct hvctl_ctx *ctx, char *why, size_t size)
{
	struct hvsim_access a;
	size_t len = 0;
	int ret;

	if (access(ctx->sock_path, F_OK) == 0 &&
	    access(ctx->sock_path, W_OK) != 0) {
		snprintf(why, size, "no permission to use hvsim's socket %s",
			 ctx->sock_path);
		return false;
	}
	/* Not running, or an hvsim without ACCESS: trying will tell. */
	if (sim_check(ctx)) {
		rt_clear_err(ctx);
		ctx->unreachable = false;
		return true;
	}
	memset(&a, 0, sizeof(a));
	ret = sim_roundtrip(ctx, ctx->ctl_fd, HVSIM_CMD_ACCESS, NULL, 0, NULL,
			    0, &a, sizeof(a), &len, NULL, 0);
	if (ret == -ENOTCONN || ret == -EPROTO)
		drop_connection(ctx);
	rt_clear_err(ctx);
	ctx->unreachable = false;
	if (ret || len != sizeof(a) || a.may_control)
		return true;
	snprintf(why, size,
		 "hvsim at %s may only be changed by its owner (uid %u); uid %u may read",
		 ctx->dir, a.owner_uid, a.uid);
	return false;
}

static int sim_request(struct hvctl_ctx *ctx, struct rt_request *req)
{
	struct hv_ioc_cell_load *load = NULL;
	const void *arg = req->arg;
	int32_t id = -1;
	size_t len = 0;
	int ret;

	ret = sim_check(ctx);
	if (ret)
		return ret;
	if (req->cmd == HV_IOC_CELL_LOAD) {
		uint64_t off = 0;
		uint32_t i;

		/* hvsim wants each image's offset within the data instead. */
		load = malloc(req->arg_size);
		if (!load)
			return rt_fail(ctx, -ENOMEM, "out of memory");
		memcpy(load, req->arg, req->arg_size);
		for (i = 0; i < load->num_preload_images; i++) {
			load->image[i].source_address = off;
			off += req->data[i].iov_len;
		}
		arg = load;
	}
	ret = sim_roundtrip(ctx, ctx->ctl_fd, req->cmd, arg, req->arg_size,
			    req->data, req->num_data, &id, sizeof(id), &len,
			    req->why, sizeof(req->why));
	free(load);
	if (ret == -ENOTCONN || ret == -EPROTO) {
		drop_connection(ctx);
		return ret;
	}
	if (!ret && req->cmd == HV_IOC_CELL_CREATE && len == sizeof(id)) {
		req->reply_id = id;
		req->has_reply_id = true;
	}
	return ret;
}

static int console_read(struct hvctl_ctx *ctx, int cell_id, uint64_t *head,
			uint32_t *generation, char *buf, size_t size,
			size_t *len, uint64_t *lost)
{
	struct {
		struct hvsim_console_data hdr;
		char bytes[HV_CONSOLE_SIZE > HV_CELL_CONSOLE_SIZE ?
			   HV_CONSOLE_SIZE : HV_CELL_CONSOLE_SIZE];
	} reply;
	struct hvsim_console_read rq = { .cell_id = cell_id };
	char why[256];
	size_t got, n, take;
	int attempt, ret;

	ret = sim_check(ctx);
	if (ret)
		return ret;
	for (attempt = 0; attempt < 2; attempt++) {
		rq.head = *head;
		ret = sim_roundtrip(ctx, ctx->ctl_fd, HVSIM_CMD_CONSOLE_READ,
				    &rq, sizeof(rq), NULL, 0, &reply,
				    sizeof(reply), &got, why, sizeof(why));
		if (ret == -ENOTCONN || ret == -EPROTO)
			drop_connection(ctx);
		if (ret)
			return ret;
		if (got < sizeof(reply.hdr))
			return rt_fail(ctx, -EPROTO,
				       "hvsim at %s sent a short console reply",
				       ctx->dir);
		/* A cell console handed to a new cell: start over at 0. */
		if (cell_id >= 0 && reply.hdr.generation != *generation &&
		    *head) {
			*generation = reply.hdr.generation;
			*head = 0;
			continue;
		}
		break;
	}
	*generation = reply.hdr.generation;
	n = got - sizeof(reply.hdr);
	/*
	 * The bytes end at tail; they start past our cursor when some were
	 * lost, or before it when the ring restarted (tail below the cursor
	 * after a new enable: hvsim then answers as for head 0).
	 */
	*lost = reply.hdr.lost;
	*head = reply.hdr.tail - n;
	take = n < size ? n : size;
	memcpy(buf, reply.bytes, take);
	*head += take;
	*len = take;
	return 0;
}

static int sim_console_open(struct hvctl_ctx *ctx, struct rt_console *rc)
{
	(void)ctx;
	(void)rc;
	return 0;
}

static int sim_console_fetch(struct hvctl_ctx *ctx, struct rt_console *rc,
			     char *buf, size_t size, size_t *len,
			     uint64_t *lost)
{
	int ret;

	*len = 0;
	*lost = 0;
	ret = console_read(ctx, rc->cell_id, &rc->head, &rc->generation, buf,
			   size, len, lost);
	if (ret == -EAGAIN)
		return 0;	/* never enabled: nothing yet */
	if (ret >= 0 || ctx->errmsg[0])
		return ret;
	switch (ret) {
	case -EPERM:
		return rt_fail(ctx, ret, RT_MSG_NO_DEBUG_CONSOLE);
	case -ENOENT:
		return rt_fail(ctx, ret, "no cell with ID %d", rc->cell_id);
	case -EINVAL:
		return rt_fail(ctx, ret, "the hypervisor is not enabled");
	default:
		return rt_fail(ctx, ret, "reading the console: %s",
			       strerror(-ret));
	}
}

/* ---- Events: hvsim's SUBSCRIBE connection ---- */

struct sim_events {
	int fd;			/* the subscription, -1 */
	unsigned char buf[sizeof(struct hvsim_event)];
	size_t len;
};

static void sub_close(struct rt_events *ev)
{
	struct sim_events *se = ev->tr;

	if (se->fd < 0)
		return;
	events_unwatch(ev, se->fd);
	close(se->fd);
	se->fd = -1;
	se->len = 0;
}

static int sub_open(struct hvctl_ctx *ctx, struct rt_events *ev)
{
	struct sim_events *se = ev->tr;
	char saved[HVCTL_ERROR_MAX];
	bool unreachable = ctx->unreachable;
	int fd, ret;

	/* Attempts on a timer must not clobber the caller's last message. */
	memcpy(saved, ctx->errmsg, sizeof(saved));
	ret = sim_connect(ctx, &fd);
	if (!ret) {
		ret = sim_roundtrip(ctx, fd, HVSIM_CMD_SUBSCRIBE, NULL, 0, NULL,
				    0, NULL, 0, NULL, NULL, 0);
		if (!ret) {
			int fl = fcntl(fd, F_GETFL);

			if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK))
				ret = -errno;
		}
		if (!ret)
			ret = events_watch(ev, fd);
		if (ret)
			close(fd);
	}
	memcpy(ctx->errmsg, saved, sizeof(saved));
	ctx->unreachable = unreachable;
	if (ret)
		return ret;
	se->fd = fd;
	se->len = 0;
	return 0;
}

static void sub_event(struct hvctl_ctx *ctx, struct rt_events *ev,
		      const struct hvsim_event *e)
{
	if (e->magic != HVSIM_MAGIC)
		return;
	switch (e->type) {
	case HVSIM_EV_ENABLED:
		events_push(ev, HVCTL_EVENT_ENABLED, -1);
		break;
	case HVSIM_EV_DISABLED:
		ctx->tree.dirty = true;
		events_push(ev, HVCTL_EVENT_DISABLED, -1);
		break;
	case HVSIM_EV_CELL_ADD:
		ctx->tree.dirty = true;
		events_push(ev, HVCTL_EVENT_CELL_ADDED, e->cell_id);
		break;
	case HVSIM_EV_CELL_REMOVE:
		ctx->tree.dirty = true;
		events_push(ev, HVCTL_EVENT_CELL_REMOVED, e->cell_id);
		break;
	case HVSIM_EV_CELL_STATE:
		events_push(ev, HVCTL_EVENT_CELL_STATE, e->cell_id);
		break;
	case HVSIM_EV_CONSOLE:
		events_push(ev, HVCTL_EVENT_CONSOLE, e->cell_id);
		break;
	case HVSIM_EV_SHUTDOWN:
		/* The close follows; BACKEND_DOWN is pushed then. */
		break;
	default:
		break;
	}
}

static int sim_events_start(struct hvctl_ctx *ctx, struct rt_events *ev)
{
	struct sim_events *se = calloc(1, sizeof(*se));

	if (!se)
		return -ENOMEM;
	se->fd = -1;
	ev->tr = se;
	/* hvsim may not run yet: the timer retries. */
	sub_open(ctx, ev);
	return 0;
}

static void sim_events_tick(struct hvctl_ctx *ctx, struct rt_events *ev)
{
	struct sim_events *se = ev->tr;

	if (se->fd < 0 && !sub_open(ctx, ev)) {
		/* Back (or there for the first time): reread everything. */
		ctx->tree.dirty = true;
		events_push(ev, HVCTL_EVENT_BACKEND_UP, -1);
	}
}

static void sim_events_ready(struct hvctl_ctx *ctx, struct rt_events *ev,
			     int fd)
{
	struct sim_events *se = ev->tr;

	if (fd != se->fd)
		return;
	for (;;) {
		ssize_t n = recv(se->fd, se->buf + se->len,
				 sizeof(se->buf) - se->len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			/* hvsim went away (or dropped a slow subscriber). */
			sub_close(ev);
			ctx->tree.dirty = true;
			events_push(ev, HVCTL_EVENT_BACKEND_DOWN, -1);
			return;
		}
		se->len += (size_t)n;
		if (se->len == sizeof(se->buf)) {
			struct hvsim_event e;

			memcpy(&e, se->buf, sizeof(e));
			se->len = 0;
			sub_event(ctx, ev, &e);
		}
	}
}

static void sim_events_stop(struct hvctl_ctx *ctx, struct rt_events *ev)
{
	(void)ctx;
	if (!ev->tr)
		return;
	sub_close(ev);
	free(ev->tr);
	ev->tr = NULL;
}

static void sim_close(struct hvctl_ctx *ctx)
{
	drop_connection(ctx);
}

const struct rt_transport rt_transport_sim = {
	.scheme = "sim:",
	.config_family = "sim",
	.console_events = true,
	.open = sim_open,
	.check = sim_check,
	.tree_open = sim_tree_open,
	.request = sim_request,
	.may_control = sim_may_control,
	.console_open = sim_console_open,
	.console_fetch = sim_console_fetch,
	.events_start = sim_events_start,
	.events_tick = sim_events_tick,
	.events_ready = sim_events_ready,
	.events_stop = sim_events_stop,
	.close = sim_close,
};
