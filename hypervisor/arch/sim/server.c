// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket (PROTOCOL.md §3-5): non-blocking connections, framing,
 * a FIFO of ioctl commands executed one at a time (like the driver's
 * mutex), immediate answers for HELLO/CONSOLE_READ/SUBSCRIBE, and the event
 * stream of subscribers.
 *
 * Connections are never freed while a handler may still hold them: a
 * closed connection is marked dead, taken out of epoll, and freed from the
 * top level of the loop once no queued request refers to it.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <hvabi/console.h>
#include <hvabi/ioctl.h>
#include <hvabi/sim-protocol.h>

#include <sim/board.h>
#include <sim/driver.h>
#include <sim/loop.h>
#include <sim/server.h>
#include <sim/sim.h>
#include <sim/simdir.h>

#define SUBSCRIBER_MAX_QUEUE	(256 * 1024)
/*
 * Backpressure: a client with more than this many reply bytes unread gets
 * no further requests parsed (and nothing more read from it) until it has
 * read them; unparsed input read ahead is bounded the same way.
 */
#define CLIENT_MAX_OUT		(1024 * 1024)
#define CLIENT_MAX_IN		(1024 * 1024)
#define READ_CHUNK		65536
#define SOCK_TMP_NAME		".control.sock.new"

struct buf {
	uint8_t *data;
	size_t len, cap, off;	/* off: consumed bytes at the front */
};

struct client {
	struct loop_fd lfd;
	struct sim_server *srv;
	struct client *next;
	struct buf in, out;
	bool dead;
	bool subscribed;
	bool close_after_flush;
	unsigned int refs;	/* queued requests */
	/* An ioctl of this connection is queued or running: read no further. */
	bool in_flight;
	/* Too many replies unread: read no further until they drain. */
	bool throttled;
	uint32_t ev_mask;	/* epoll interest as last set */
	/* SO_PEERCRED at connect: only hvsim's owner may change the board. */
	uid_t peer_uid;
	bool may_control;
};

struct request {
	struct request *next;
	struct client *client;
	uint32_t cmd;
	uint8_t *arg;
	uint32_t arg_size;
	uint8_t *data;
	uint32_t data_size;
};

/* The socket's state (struct sim_board.server). */
struct sim_server {
	struct sim_board *sb;
	struct loop_fd listen_lfd;
	bool sock_made;
	struct client *clients;
	struct request *queue_head, **queue_tail;
	/* An ioctl command runs (it may nest the loop). */
	bool busy;
};

static int buf_reserve(struct buf *b, size_t more)
{
	uint8_t *n;
	size_t cap;

	if (b->off && b->off == b->len) {
		b->off = b->len = 0;
	} else if (b->off > b->cap / 2) {
		memmove(b->data, b->data + b->off, b->len - b->off);
		b->len -= b->off;
		b->off = 0;
	}
	if (b->len + more <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more)
		cap *= 2;
	n = realloc(b->data, cap);
	if (!n)
		return -ENOMEM;
	b->data = n;
	b->cap = cap;
	return 0;
}

static void buf_free(struct buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

static void client_kill(struct client *c)
{
	if (c->dead)
		return;
	c->dead = true;
	loop_del_fd(&c->srv->sb->loop, &c->lfd);
	close(c->lfd.fd);
	c->lfd.fd = -1;
	buf_free(&c->in);
	buf_free(&c->out);
}

static size_t out_pending(const struct client *c)
{
	return c->out.len - c->out.off;
}

/*
 * Reads only while the connection may go on: no ioctl of it in flight and
 * its replies read. EPOLLHUP and EPOLLERR still come (and end a client
 * that went away).
 */
static void update_events(struct client *c)
{
	uint32_t mask = 0;

	if (c->dead)
		return;
	if (!c->in_flight && !c->throttled)
		mask |= EPOLLIN | EPOLLRDHUP;
	if (out_pending(c))
		mask |= EPOLLOUT;
	if (mask == c->ev_mask)
		return;
	c->ev_mask = mask;
	loop_mod_fd(&c->srv->sb->loop, &c->lfd, mask);
}

static void flush_out(struct client *c)
{
	while (!c->dead && c->out.len > c->out.off) {
		ssize_t n = send(c->lfd.fd, c->out.data + c->out.off,
				 c->out.len - c->out.off, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				client_kill(c);
			break;
		}
		c->out.off += (size_t)n;
	}
	if (c->dead)
		return;
	if (c->out.off == c->out.len) {
		c->out.off = c->out.len = 0;
		if (c->close_after_flush) {
			client_kill(c);
			return;
		}
	}
	/* Half drained: parse again (client_fn does, after the flush). */
	if (c->throttled && out_pending(c) <= CLIENT_MAX_OUT / 2)
		c->throttled = false;
	update_events(c);
}

static void queue_bytes(struct client *c, const void *p, size_t len)
{
	if (c->dead || buf_reserve(&c->out, len)) {
		client_kill(c);
		return;
	}
	memcpy(c->out.data + c->out.len, p, len);
	c->out.len += len;
}

static void respond(struct client *c, int32_t result, const void *data,
		    size_t len)
{
	struct hvsim_response r = {
		.magic = HVSIM_MAGIC,
		.result = result,
		.data_size = (uint32_t)len,
	};

	if (c->dead)
		return;
	queue_bytes(c, &r, sizeof(r));
	if (len)
		queue_bytes(c, data, len);
	flush_out(c);
}

static void respond_err(struct client *c, int32_t result, const char *msg)
{
	respond(c, result, msg, strlen(msg));
}

void server_event(struct sim_board *sb, uint32_t type, int32_t cell_id)
{
	struct sim_server *srv = sb->server;
	struct hvsim_event ev = {
		.magic = HVSIM_MAGIC,
		.type = type,
		.cell_id = cell_id,
	};
	struct client *c;

	if (!srv)
		return;
	for (c = srv->clients; c; c = c->next) {
		if (c->dead || !c->subscribed)
			continue;
		if (c->out.len - c->out.off + sizeof(ev) > SUBSCRIBER_MAX_QUEUE) {
			client_kill(c);	/* it stopped reading */
			continue;
		}
		queue_bytes(c, &ev, sizeof(ev));
		flush_out(c);
	}
}

static void do_hello(struct client *c)
{
	const struct board *board = &c->srv->sb->board;
	struct hvsim_hello h = {
		.version = HVSIM_VERSION,
		.num_cpus = board->cpus,
	};

	snprintf(h.board, sizeof(h.board), "%s", board->name);
	respond(c, 0, &h, sizeof(h));
}

static void do_access(struct client *c)
{
	struct hvsim_access a = {
		.may_control = c->may_control,
		.uid = (uint32_t)c->peer_uid,
		.owner_uid = (uint32_t)geteuid(),
	};

	respond(c, 0, &a, sizeof(a));
}

static void do_console_read(struct client *c, const struct request *rq)
{
	struct hvsim_console_read arg;
	struct hvsim_console_data hdr;
	char msg[DRV_MSG_LEN];
	uint8_t out[sizeof(hdr) + HV_CONSOLE_SIZE + HV_CELL_CONSOLE_SIZE];
	size_t len;
	int err;

	if (rq->arg_size != sizeof(arg) || rq->data_size) {
		respond_err(c, -EINVAL, "CONSOLE_READ takes a 16-byte argument and no data");
		return;
	}
	memcpy(&arg, rq->arg, sizeof(arg));
	err = drv_console_read(c->srv->sb, arg.cell_id, arg.head, &hdr,
			       (char *)out + sizeof(hdr), &len, msg);
	if (err) {
		respond_err(c, err, msg);
		return;
	}
	memcpy(out, &hdr, sizeof(hdr));
	respond(c, 0, out, sizeof(hdr) + len);
}

/* One ioctl command; runs with `busy` set (it may nest the loop). */
static void run_ioctl(struct request *rq)
{
	struct client *c = rq->client;
	struct sim_board *sb = c->srv->sb;
	char msg[DRV_MSG_LEN] = "";
	int32_t id = -1;
	int err;

	switch (rq->cmd) {
	case HV_IOC_ENABLE:
		if (rq->arg_size)
			err = -EINVAL, snprintf(msg, sizeof(msg), "ENABLE takes no argument struct, the config is data");
		else
			err = drv_enable(sb, rq->data, rq->data_size, msg);
		break;
	case HV_IOC_DISABLE:
		if (rq->arg_size || rq->data_size)
			err = -EINVAL, snprintf(msg, sizeof(msg), "DISABLE takes no argument");
		else
			err = drv_disable(sb, msg);
		break;
	case HV_IOC_CELL_CREATE: {
		struct hv_ioc_cell_create arg;

		if (rq->arg_size != sizeof(arg)) {
			err = -EINVAL;
			snprintf(msg, sizeof(msg), "CELL_CREATE takes a %zu-byte argument",
				 sizeof(arg));
			break;
		}
		memcpy(&arg, rq->arg, sizeof(arg));
		err = drv_cell_create(sb, &arg, rq->data, rq->data_size, &id, msg);
		break;
	}
	case HV_IOC_CELL_LOAD: {
		struct hv_ioc_cell_load *arg;

		if (rq->arg_size < sizeof(*arg)) {
			err = -EINVAL;
			snprintf(msg, sizeof(msg), "CELL_LOAD takes at least a %zu-byte argument",
				 sizeof(*arg));
			break;
		}
		/* Aligned copy: the receive buffer carries no alignment. */
		arg = malloc(rq->arg_size);
		if (!arg) {
			err = -ENOMEM;
			snprintf(msg, sizeof(msg), "out of memory");
			break;
		}
		memcpy(arg, rq->arg, rq->arg_size);
		err = drv_cell_load(sb, arg, rq->arg_size, rq->data, rq->data_size,
				    msg);
		free(arg);
		break;
	}
	case HV_IOC_CELL_START:
	case HV_IOC_CELL_DESTROY: {
		struct hv_ioc_cell_id arg;

		if (rq->arg_size != sizeof(arg) || rq->data_size) {
			err = -EINVAL;
			snprintf(msg, sizeof(msg), "%s takes a %zu-byte argument and no data",
				 rq->cmd == HV_IOC_CELL_START ? "CELL_START" :
				 "CELL_DESTROY", sizeof(arg));
			break;
		}
		memcpy(&arg, rq->arg, sizeof(arg));
		err = rq->cmd == HV_IOC_CELL_START ?
		      drv_cell_start(sb, &arg, msg) : drv_cell_destroy(sb, &arg, msg);
		break;
	}
	default:
		err = -EINVAL;
		snprintf(msg, sizeof(msg), "unknown command 0x%08x", rq->cmd);
		break;
	}
	if (err)
		respond_err(c, err, msg);
	else if (rq->cmd == HV_IOC_CELL_CREATE)
		respond(c, 0, &id, sizeof(id));
	else
		respond(c, 0, NULL, 0);
}

static void free_request(struct request *rq)
{
	struct client *c = rq->client;

	c->refs--;
	if (c->in_flight) {
		c->in_flight = false;
		update_events(c);
	}
	free(rq->arg);
	free(rq->data);
	free(rq);
}

static void reap_clients(struct sim_server *srv)
{
	struct client **pc = &srv->clients, *c;

	while ((c = *pc)) {
		if (c->dead && !c->refs) {
			*pc = c->next;
			free(c);
		} else {
			pc = &c->next;
		}
	}
}

static void resume_clients(struct sim_server *srv);

void server_process_queue(struct sim_board *sb)
{
	struct sim_server *srv = sb->server;

	if (!srv || srv->busy || loop_nested(&sb->loop))
		return;
	for (;;) {
		while (srv->queue_head) {
			struct request *rq = srv->queue_head;

			srv->queue_head = rq->next;
			if (!srv->queue_head)
				srv->queue_tail = &srv->queue_head;
			srv->busy = true;
			run_ioctl(rq);
			srv->busy = false;
			free_request(rq);
		}
		/* Requests that waited behind the ones just run. */
		resume_clients(srv);
		if (!srv->queue_head)
			break;
	}
	reap_clients(srv);
}

static bool is_ioctl(uint32_t cmd)
{
	return cmd == HV_IOC_ENABLE || cmd == HV_IOC_DISABLE ||
	       cmd == HV_IOC_CELL_CREATE || cmd == HV_IOC_CELL_LOAD ||
	       cmd == HV_IOC_CELL_START || cmd == HV_IOC_CELL_DESTROY;
}

/* Handles every complete request in the input buffer. */
static void parse_input(struct client *c)
{
	while (!c->dead && !c->close_after_flush) {
		struct hvsim_request hdr;
		size_t avail = c->in.len - c->in.off;
		uint8_t *p = c->in.data + c->in.off;
		struct request *rq;
		uint64_t payload;

		if (c->subscribed) {
			c->in.off = c->in.len;	/* ignored */
			return;
		}
		if (out_pending(c) > CLIENT_MAX_OUT) {
			c->throttled = true;
			update_events(c);
			return;
		}
		if (avail < sizeof(hdr))
			return;
		memcpy(&hdr, p, sizeof(hdr));
		if (hdr.magic != HVSIM_MAGIC) {
			respond_err(c, -EPROTO, "bad magic");
			c->close_after_flush = true;
			flush_out(c);
			return;
		}
		payload = (uint64_t)hdr.arg_size + hdr.data_size;
		if (payload > HVSIM_MAX_PAYLOAD) {
			respond_err(c, -E2BIG, "request larger than HVSIM_MAX_PAYLOAD");
			c->close_after_flush = true;
			flush_out(c);
			return;
		}
		if (avail < sizeof(hdr) + payload)
			return;
		p += sizeof(hdr);
		c->in.off += sizeof(hdr) + payload;

		if (hdr.cmd == HVSIM_CMD_HELLO) {
			if (payload)
				respond_err(c, -EINVAL, "HELLO takes no payload");
			else
				do_hello(c);
			continue;
		}
		if (hdr.cmd == HVSIM_CMD_ACCESS) {
			if (payload)
				respond_err(c, -EINVAL, "ACCESS takes no payload");
			else
				do_access(c);
			continue;
		}
		if (is_ioctl(hdr.cmd) && !c->may_control) {
			char msg[160];

			/* The driver's CAP_SYS_ADMIN check, before any other. */
			snprintf(msg, sizeof(msg),
				 "uid %u may only read this board: changes are for its owner, uid %u, who runs hvsim",
				 (unsigned int)c->peer_uid,
				 (unsigned int)geteuid());
			respond_err(c, -EPERM, msg);
			continue;
		}
		if (hdr.cmd == HVSIM_CMD_SUBSCRIBE) {
			if (payload) {
				respond_err(c, -EINVAL, "SUBSCRIBE takes no payload");
				continue;
			}
			respond(c, 0, NULL, 0);
			c->subscribed = true;
			continue;
		}
		rq = calloc(1, sizeof(*rq));
		if (!rq || (hdr.arg_size && !(rq->arg = malloc(hdr.arg_size))) ||
		    (hdr.data_size && !(rq->data = malloc(hdr.data_size)))) {
			if (rq) {
				free(rq->arg);
				free(rq);
			}
			respond_err(c, -ENOMEM, "out of memory");
			continue;
		}
		rq->client = c;
		rq->cmd = hdr.cmd;
		rq->arg_size = hdr.arg_size;
		rq->data_size = hdr.data_size;
		if (hdr.arg_size)
			memcpy(rq->arg, p, hdr.arg_size);
		if (hdr.data_size)
			memcpy(rq->data, p + hdr.arg_size, hdr.data_size);
		c->refs++;
		if (hdr.cmd == HVSIM_CMD_CONSOLE_READ) {
			do_console_read(c, rq);
			free_request(rq);
			continue;
		}
		if (!is_ioctl(hdr.cmd)) {
			char msg[64];

			snprintf(msg, sizeof(msg), "unknown command 0x%08x",
				 hdr.cmd);
			respond_err(c, -EINVAL, msg);
			free_request(rq);
			continue;
		}
		/* Later requests of this connection wait for this one. */
		c->in_flight = true;
		update_events(c);
		rq->next = NULL;
		*c->srv->queue_tail = rq;
		c->srv->queue_tail = &rq->next;
		return;
	}
}

static void client_fn(struct loop_fd *lfd, uint32_t events)
{
	struct client *c = (struct client *)lfd;

	if (c->dead)
		return;
	if (events & EPOLLOUT)
		flush_out(c);
	if (c->dead)
		return;
	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
		for (;;) {
			ssize_t n;

			/*
			 * Enough read ahead; the rest waits in the socket
			 * (unless the peer is gone: then read to the end).
			 */
			if (c->in.len - c->in.off >= CLIENT_MAX_IN &&
			    !(events & (EPOLLHUP | EPOLLERR)))
				break;
			if (buf_reserve(&c->in, READ_CHUNK)) {
				client_kill(c);
				return;
			}
			n = recv(c->lfd.fd, c->in.data + c->in.len, READ_CHUNK,
				 0);
			if (n > 0) {
				c->in.len += (size_t)n;
				continue;
			}
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EAGAIN)
				break;
			/* EOF or error: the client is gone. */
			client_kill(c);
			return;
		}
	}
	if (!c->in_flight)
		parse_input(c);
}

int server_add_client(struct sim_board *sb, int fd)
{
	struct sim_server *srv = sb->server;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct client *c;

	/* Who connected decides what the connection may do. */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len))
		return -errno;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->lfd.fd = fd;
	c->lfd.fn = client_fn;
	c->srv = srv;
	c->peer_uid = cred.uid;
	c->may_control = cred.uid == geteuid();
	c->ev_mask = EPOLLIN | EPOLLRDHUP;
	if (loop_add_fd(&sb->loop, &c->lfd, c->ev_mask)) {
		free(c);
		return -errno;
	}
	c->next = srv->clients;
	srv->clients = c;
	return 0;
}

static void listen_fn(struct loop_fd *lfd, uint32_t events)
{
	struct sim_server *srv = (struct sim_server *)((char *)lfd -
		offsetof(struct sim_server, listen_lfd));

	(void)events;
	for (;;) {
		int fd = accept4(lfd->fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		if (server_add_client(srv->sb, fd))
			close(fd);
	}
}

/* After a queued request of a connection finished, read on. */
static void resume_clients(struct sim_server *srv)
{
	struct client *c;

	for (c = srv->clients; c; c = c->next)
		if (!c->dead && !c->in_flight &&
		    c->in.len > c->in.off)
			parse_input(c);
}

int server_init(struct sim_board *sb)
{
	struct sim_server *srv = calloc(1, sizeof(*srv));

	if (!srv)
		return -ENOMEM;
	srv->sb = sb;
	srv->listen_lfd.fd = -1;
	srv->queue_tail = &srv->queue_head;
	sb->server = srv;
	return 0;
}

int server_listen(struct sim_board *sb, const char *dir)
{
	struct sim_server *srv = sb->server;
	int dfd = sb->dir.fd;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int fd, err;

	/* Clients connect by path: refuse one they could not use. */
	if (strlen(dir) + 1 + strlen(HVSIM_SOCKET_NAME) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "hvsim: socket path %s/%s is too long\n", dir,
			HVSIM_SOCKET_NAME);
		return -ENAMETOOLONG;
	}
	/*
	 * Bind through DIR's descriptor (/proc/self/fd/N), not its path, so
	 * the socket lands in the directory that was checked. Listen under a
	 * temporary name, then rename: the socket's appearance means ready,
	 * and a client never meets a bound socket that does not listen yet.
	 * We hold DIR's lock, so a socket already there is stale.
	 */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/%s",
		 dfd, SOCK_TMP_NAME);
	unlinkat(dfd, SOCK_TMP_NAME, 0);
	if (unlinkat(dfd, HVSIM_SOCKET_NAME, 0) && errno != ENOENT) {
		err = -errno;
		fprintf(stderr, "hvsim: cannot remove the stale %s/%s: %s\n",
			dir, HVSIM_SOCKET_NAME, strerror(errno));
		return err;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/*
	 * Created 0660 from the start: the owner's group may connect to read
	 * (consoles, events); only the owner may change anything (peer_uid).
	 */
	old = umask(0117);
	err = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (err || listen(fd, 64) ||
	    renameat(dfd, SOCK_TMP_NAME, dfd, HVSIM_SOCKET_NAME)) {
		err = -errno;
		fprintf(stderr, "hvsim: cannot listen on %s/%s: %s\n", dir,
			HVSIM_SOCKET_NAME, strerror(errno));
		unlinkat(dfd, SOCK_TMP_NAME, 0);
		close(fd);
		return err;
	}
	srv->sock_made = true;
	srv->listen_lfd.fd = fd;
	srv->listen_lfd.fn = listen_fn;
	return loop_add_fd(&sb->loop, &srv->listen_lfd, EPOLLIN);
}

void server_exit(struct sim_board *sb)
{
	struct sim_server *srv = sb->server;
	struct client *c;

	if (!srv)
		return;
	server_event(sb, HVSIM_EV_SHUTDOWN, -1);
	for (c = srv->clients; c; c = c->next) {
		/* Best effort: a blocking flush of what is queued. */
		if (!c->dead && c->out.len > c->out.off) {
			int fl = fcntl(c->lfd.fd, F_GETFL);

			fcntl(c->lfd.fd, F_SETFL, fl & ~O_NONBLOCK);
			flush_out(c);
		}
		client_kill(c);
	}
	while (srv->queue_head) {
		struct request *rq = srv->queue_head;

		srv->queue_head = rq->next;
		free_request(rq);
	}
	srv->queue_tail = &srv->queue_head;
	reap_clients(srv);
	if (srv->listen_lfd.fd >= 0) {
		loop_del_fd(&sb->loop, &srv->listen_lfd);
		close(srv->listen_lfd.fd);
		srv->listen_lfd.fd = -1;
	}
	if (srv->sock_made)
		unlinkat(sb->dir.fd, HVSIM_SOCKET_NAME, 0);
	free(srv);
	sb->server = NULL;
}

