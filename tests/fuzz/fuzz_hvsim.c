// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for hvsim's control socket (PROTOCOL.md §3-4): the
 * real server, driver and hypervisor core of hvsim in this process, spoken
 * to over a socketpair.
 *
 * Each input starts from the same board: enabled with the shipped
 * system.cell, rtos created, loaded with rtos.guest and running. The input
 * is a list of records, each sent as bytes on the connection:
 *   0x00..0x7f  raw: 1 length byte, then that many bytes as they are
 *               (malformed frames, split headers, bad magic, huge sizes)
 *   0x80..0xff  a well-framed request built from a valid template (ENABLE,
 *               DISABLE, CELL_CREATE, CELL_LOAD, CELL_START, CELL_DESTROY,
 *               CONSOLE_READ, HELLO, ACCESS, SUBSCRIBE or an unknown
 *               command), then 1 byte n and n mutations (2-byte offset,
 *               1-byte xor) of its argument struct and data, and 1 byte
 *               that may shift arg_size / data_size
 * After each record every reply it produced is read; when none of them
 * succeeded, a digest of the board (what the hypervisor decides, not
 * what guests do) must be what it was before the record: a refused
 * request changes nothing.
 *
 * The one liberty taken: a created cell's msg_reply_timeout is bounded
 * (0 means "wait for ever" on real hardware, PROTOCOL.md §4.6, which would
 * only show up as a fuzzer timeout).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/sockios.h>

#include <hvabi/cell-config.h>
#include <hvabi/ioctl.h>
#include <hvabi/sim-protocol.h>

#include <hv/arch.h>
#include <hv/cell.h>
#include <hv/lib.h>
#include <hv/pool.h>

#include <sim/board.h>
#include <sim/driver.h>
#include <sim/hvsim.h>
#include <sim/loop.h>
#include <sim/server.h>
#include <sim/sim.h>
#include <sim/simdir.h>
#include <sim/sysfs.h>

#define MAX_TIMEOUT	10000

struct blob {
	uint8_t *data;
	size_t len;
};

static struct blob sys_cell, rtos_cell, rtos_guest;
static uint64_t rtos_load_addr;
static char dir[64];
static struct board fz_board;
/* The board of the input being run (board_up() to board_down()). */
static struct sim_board *sb;

static void die(const char *what)
{
	fprintf(stderr, "fuzz_hvsim: %s\n", what);
	abort();
}

static struct blob read_file(const char *path)
{
	struct blob b = { 0 };
	FILE *f = fopen(path, "rb");
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 ||
	    fseek(f, 0, SEEK_SET))
		die("cannot read the templates (build/configs/sim/*.cell, configs/sim/rtos.guest; run from the source tree after make)");
	b.len = (size_t)n;
	b.data = malloc(b.len);
	if (!b.data || fread(b.data, 1, b.len, f) != b.len)
		die("cannot read a template");
	fclose(f);
	return b;
}

/* The first LOADABLE region's guest address: where rtos.guest goes. */
static uint64_t loadable_addr(const struct blob *cell)
{
	const struct hv_cell_desc *d = (const void *)cell->data;
	const struct hv_memory *m = (const void *)(cell->data + sizeof(*d) +
						   d->cpu_set_size);
	unsigned int i;

	for (i = 0; i < d->num_memory_regions; i++)
		if (m[i].flags & HV_MEM_LOADABLE)
			return m[i].virt_start;
	die("rtos.cell has no loadable region");
	return 0;
}

/* CELL_LOAD of rtos.guest into cell id (malloc'ed, one image). */
static struct hv_ioc_cell_load *load_arg(int32_t id)
{
	struct hv_ioc_cell_load *ld = calloc(1, sizeof(*ld) +
					     sizeof(ld->image[0]));

	if (!ld)
		die("out of memory");
	ld->cell_id.id = id;
	ld->num_preload_images = 1;
	ld->image[0].size = rtos_guest.len;
	ld->image[0].target_address = rtos_load_addr;
	return ld;
}

static void board_up(void)
{
	struct hv_ioc_cell_create cc = { .config_size = (uint32_t)rtos_cell.len };
	struct hv_ioc_cell_id cid = { .id = 1 };
	struct hv_ioc_cell_load *ld;
	char msg[DRV_MSG_LEN];
	int32_t id;

	sb = sim_board_new(&fz_board);
	if (!sb || simdir_open(&sb->dir, dir, 0700, msg, sizeof(msg)) ||
	    loop_init(&sb->loop) || drv_init(sb) || sysfs_init(sb) ||
	    server_init(sb))
		die("cannot set up the board");
	if (drv_enable(sb, sys_cell.data, sys_cell.len, msg))
		die(msg);
	if (drv_cell_create(sb, &cc, rtos_cell.data, rtos_cell.len, &id, msg))
		die(msg);
	ld = load_arg(id);
	if (drv_cell_load(sb, ld, sizeof(*ld) + sizeof(ld->image[0]),
			  rtos_guest.data, rtos_guest.len, msg))
		die(msg);
	free(ld);
	cid.id = id;
	if (drv_cell_start(sb, &cid, msg))
		die(msg);
}

/* As hvsim's exit: a cell that refuses to go is torn down anyway. */
static void board_down(void)
{
	char msg[DRV_MSG_LEN];

	/* The socket goes first, as at hvsim's exit. */
	server_exit(sb);
	if (drv_enabled(sb))
		drv_disable(sb, msg);
	sim_board_free(sb);
	sb = NULL;
}

static void remove_dir(void)
{
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[512];

	(void)argc;
	(void)argv;
	if (board_load("configs/sim/board.json", &fz_board, err, sizeof(err)))
		die(err);
	fz_board.root_activity = 0;
	sys_cell = read_file("build/configs/sim/system.cell");
	rtos_cell = read_file("build/configs/sim/rtos.cell");
	rtos_guest = read_file("configs/sim/rtos.guest");
	rtos_load_addr = loadable_addr(&rtos_cell);
	/* Memory-backed when there is one: a board's tree per input. */
	strcpy(dir, access("/dev/shm", W_OK) ? "/tmp/fuzz-hvsim.XXXXXX" :
		    "/dev/shm/fuzz-hvsim.XXXXXX");
	if (!mkdtemp(dir))
		die("cannot make the board's directory");
	atexit(remove_dir);
	return 0;
}

/* FNV-1a over what the hypervisor decides: a refusal must leave it. */
struct digest {
	uint64_t h;
};

static void dg_add(struct digest *d, const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len--) {
		d->h ^= *b++;
		d->h *= 0x100000001b3ULL;
	}
}

static uint64_t board_digest(void)
{
	struct digest d = { 0xcbf29ce484222325ULL };
	bool on = drv_enabled(sb);
	struct cell *cell;

	dg_add(&d, &on, sizeof(on));
	if (!on)
		return d.h;
	dg_add(&d, &mem_pool.used, sizeof(mem_pool.used));
	dg_add(&d, &remap_pool.used, sizeof(remap_pool.used));
	for_each_cell(cell) {
		uint64_t size = 0;
		const void *cfg = drv_cell_config(sb, cell->id, &size);

		dg_add(&d, &cell->id, sizeof(cell->id));
		dg_add(&d, &cell->loadable, sizeof(cell->loadable));
		dg_add(&d, &cell->num_cpus, sizeof(cell->num_cpus));
		dg_add(&d, cell->cpu_set,
		       BITMAP_LONGS(sb->board.cpus) * sizeof(long));
		dg_add(&d, cell->config, (size_t)hv_cell_config_size(cell->config));
		if (cfg)
			dg_add(&d, cfg, (size_t)size);
	}
	return d.h;
}

struct conn {
	int fd;
	uint8_t in[1 << 16];
	size_t in_len;
	bool any_ok;		/* a reply of this record succeeded */
	/*
	 * Replies and events (after a SUBSCRIBE, which raw bytes may carry
	 * too) share the stream; once they cannot be told apart, every
	 * record counts as having succeeded (no check, no false alarm).
	 * A subscribed connection's requests are ignored anyway.
	 */
	bool lost;
};

/* Reads what hvsim sent; notes whether any reply succeeded. */
static void drain(struct conn *c)
{
	for (;;) {
		ssize_t n = recv(c->fd, c->in + c->in_len,
				 sizeof(c->in) - c->in_len, MSG_DONTWAIT);

		if (n <= 0)
			break;
		c->in_len += (size_t)n;
		while (!c->lost && c->in_len >= sizeof(struct hvsim_response)) {
			struct hvsim_response r;
			size_t whole;

			memcpy(&r, c->in, sizeof(r));
			/* An event: its type reads as a positive result. */
			if (r.magic != HVSIM_MAGIC || r.result > 0 ||
			    r.data_size > sizeof(c->in) - sizeof(r)) {
				c->lost = true;
				break;
			}
			whole = sizeof(r) + r.data_size;
			if (c->in_len < whole)
				break;
			if (r.result == 0)
				c->any_ok = true;
			memmove(c->in, c->in + whole, c->in_len - whole);
			c->in_len -= whole;
		}
		if (c->lost)
			c->in_len = 0;
	}
	if (c->lost)
		c->any_ok = true;
}

/* Runs hvsim until it has taken every byte sent and answered. */
static void pump(struct conn *c)
{
	int i, queued = 1;

	for (i = 0; i < 64; i++) {
		loop_run_once(&sb->loop, loop_now() + 200 * NSEC_PER_USEC);
		server_process_queue(sb);
		drain(c);
		if (ioctl(c->fd, SIOCOUTQ, &queued) || queued == 0) {
			/* Taken; one more turn for what it queued. */
			loop_run_once(&sb->loop, loop_now() + 100 * NSEC_PER_USEC);
			server_process_queue(sb);
			drain(c);
			break;
		}
	}
}

static void send_bytes(struct conn *c, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = send(c->fd, p, len, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0) {
			if (errno != EAGAIN)
				return;	/* hvsim closed the connection */
			pump(c);
			continue;
		}
		p += n;
		len -= (size_t)n;
	}
}

static const uint32_t cmds[] = {
	HV_IOC_ENABLE, HV_IOC_DISABLE, HV_IOC_CELL_CREATE, HV_IOC_CELL_LOAD,
	HV_IOC_CELL_START, HV_IOC_CELL_DESTROY, HVSIM_CMD_CONSOLE_READ,
	HVSIM_CMD_HELLO, HVSIM_CMD_ACCESS, HVSIM_CMD_SUBSCRIBE, 0x12345678,
};

/* A valid request for cmd: arg and data (malloc'ed), ready to mutate. */
static void template(uint32_t cmd, struct blob *arg, struct blob *data)
{
	memset(arg, 0, sizeof(*arg));
	memset(data, 0, sizeof(*data));
	switch (cmd) {
	case HV_IOC_ENABLE:
		*data = (struct blob){ malloc(sys_cell.len), sys_cell.len };
		memcpy(data->data, sys_cell.data, sys_cell.len);
		break;
	case HV_IOC_CELL_CREATE: {
		struct hv_ioc_cell_create cc = { .config_size =
						 (uint32_t)rtos_cell.len };
		struct hv_cell_desc *d;

		*arg = (struct blob){ malloc(sizeof(cc)), sizeof(cc) };
		memcpy(arg->data, &cc, sizeof(cc));
		*data = (struct blob){ malloc(rtos_cell.len), rtos_cell.len };
		memcpy(data->data, rtos_cell.data, rtos_cell.len);
		/* Another name: the running rtos keeps its own. */
		d = (struct hv_cell_desc *)data->data;
		memcpy(d->name, "fuzz", 5);
		break;
	}
	case HV_IOC_CELL_LOAD: {
		struct hv_ioc_cell_load *ld = load_arg(1);

		*arg = (struct blob){ (uint8_t *)ld,
				      sizeof(*ld) + sizeof(ld->image[0]) };
		*data = (struct blob){ malloc(rtos_guest.len), rtos_guest.len };
		memcpy(data->data, rtos_guest.data, rtos_guest.len);
		break;
	}
	case HV_IOC_CELL_START:
	case HV_IOC_CELL_DESTROY: {
		struct hv_ioc_cell_id cid = { .id = 1 };

		*arg = (struct blob){ malloc(sizeof(cid)), sizeof(cid) };
		memcpy(arg->data, &cid, sizeof(cid));
		break;
	}
	case HVSIM_CMD_CONSOLE_READ: {
		struct hvsim_console_read cr = { .cell_id = -1 };

		*arg = (struct blob){ malloc(sizeof(cr)), sizeof(cr) };
		memcpy(arg->data, &cr, sizeof(cr));
		break;
	}
	default:
		break;
	}
}

/* See the top of the file: the harness's one liberty. */
static void bound_timeout(uint32_t cmd, struct blob *data)
{
	struct hv_cell_desc *d = (struct hv_cell_desc *)data->data;

	if (cmd != HV_IOC_CELL_CREATE || data->len < sizeof(*d))
		return;
	if (d->msg_reply_timeout == 0 || d->msg_reply_timeout > MAX_TIMEOUT)
		d->msg_reply_timeout = MAX_TIMEOUT;
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	static struct conn c;
	size_t pos = 0;
	int sv[2];

	board_up();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
		       sv))
		die("socketpair");
	if (server_add_client(sb, sv[0]))
		die("server_add_client");
	memset(&c, 0, sizeof(c));
	c.fd = sv[1];

	while (pos < size) {
		uint8_t kind = in[pos++];
		uint64_t before;

		c.any_ok = false;
		before = board_digest();
		if (kind < 0x80) {
			size_t len = pos < size ? in[pos++] : 0;

			if (len > size - pos)
				len = size - pos;
			send_bytes(&c, in + pos, len);
			pos += len;
		} else {
			uint32_t cmd = cmds[(kind & 0x7f) %
					    (sizeof(cmds) / sizeof(cmds[0]))];
			struct hvsim_request rq = { .magic = HVSIM_MAGIC,
						    .cmd = cmd };
			struct blob arg, data;
			unsigned int n = pos < size ? in[pos++] : 0, i;
			uint8_t shift;

			template(cmd, &arg, &data);
			for (i = 0; i < n && pos + 3 <= size; i++, pos += 3) {
				size_t off = (size_t)in[pos] | (size_t)in[pos + 1] << 8;
				size_t total = arg.len + data.len;

				if (!total)
					continue;
				off %= total;
				if (off < arg.len)
					arg.data[off] ^= in[pos + 2];
				else
					data.data[off - arg.len] ^= in[pos + 2];
			}
			bound_timeout(cmd, &data);
			shift = pos < size ? in[pos++] : 0;
			rq.arg_size = (uint32_t)arg.len;
			rq.data_size = (uint32_t)data.len;
			/* Sizes that disagree with what follows, sometimes. */
			if (shift & 0x80)
				rq.arg_size = shift & 0x40 ?
					      rq.arg_size - (shift & 0x7) :
					      rq.arg_size + (shift & 0x7);
			if (shift & 0x08)
				rq.data_size = shift & 0x10 ?
					       rq.data_size / 2 :
					       rq.data_size + (shift & 0x7);
			send_bytes(&c, (const uint8_t *)&rq, sizeof(rq));
			if (arg.len)
				send_bytes(&c, arg.data, arg.len);
			if (data.len)
				send_bytes(&c, data.data, data.len);
			free(arg.data);
			free(data.data);
		}
		pump(&c);
		if (!c.any_ok && board_digest() != before)
			die("a refused request changed the board");
	}
	close(sv[1]);
	board_down();
	return 0;
}
