// SPDX-License-Identifier: MIT
/*
 * The root's side of the ivshmem-echo demo, through uio_ivshmem
 * (/dev/uioN of the ivshmem device with ID 0). Run in the QEMU guest by
 * tests/qemu/ivshmem.sh:
 *
 *   ivshmem-rt rt N CELL_ID   N requests, each through the output section
 *                             and a doorbell, each reply awaited with
 *                             read() on /dev/uioN and checked; prints round
 *                             trips per second and hypervisor exits per
 *                             round trip (root cell + CELL_ID, from sysfs)
 *   ivshmem-rt cmd NAME       one request asking the echo cell to
 *                             write-state, write-peer or ring-absent;
 *                             exit 0 when it answered, 3 when it did not
 *   ivshmem-rt word MAP OFF   prints the 32-bit word at OFF of UIO map
 *                             1 (state table), 3 (inputs) or 4 (output)
 *
 * Exit status 0 when every check held, 1 otherwise (2: usage or setup).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <hvabi/ivshmem-echo.h>
#include <hvabi/ivshmem.h>

#define ECHO_PEER	1
#define SYSFS		"/sys/devices/jailhouse"

static int uio_fd = -1;
static volatile uint32_t *regs;
static const volatile uint32_t *state_table;
static const volatile uint8_t *inputs;
static volatile uint8_t *output;
static uint64_t out_size;
static int verbose;

static uint64_t map_size(unsigned int uio, unsigned int map)
{
	char path[128];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/uio/uio%u/maps/map%u/size",
		 uio, map);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%llx", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

static void *map(unsigned int uio, unsigned int n, int prot)
{
	uint64_t size = map_size(uio, n);
	void *p;

	if (!size)
		return NULL;
	p = mmap(NULL, size, prot, MAP_SHARED, uio_fd, (off_t)n * getpagesize());
	return p == MAP_FAILED ? NULL : p;
}

/* The uio_ivshmem device whose registers say ID 0 on the 3-peer link. */
static int open_uio(void)
{
	unsigned int n;

	for (n = 0; n < 16; n++) {
		char path[64], name[128] = "";
		FILE *f;

		snprintf(path, sizeof(path), "/sys/class/uio/uio%u/name", n);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (!fgets(name, sizeof(name), f))
			name[0] = 0;
		fclose(f);
		name[strcspn(name, "\n")] = 0;
		if (strncmp(name, "uio_ivshmem", 11))
			continue;
		snprintf(path, sizeof(path), "/dev/uio%u", n);
		uio_fd = open(path, O_RDWR);
		if (uio_fd < 0) {
			perror(path);
			return -1;
		}
		regs = map(n, 0, PROT_READ | PROT_WRITE);
		state_table = map(n, 1, PROT_READ);
		inputs = map(n, 3, PROT_READ);
		output = map(n, 4, PROT_READ | PROT_WRITE);
		out_size = map_size(n, 4);
		if (!regs || !state_table || !inputs || !output ||
		    out_size < sizeof(struct hv_echo_msg)) {
			fprintf(stderr, "ivshmem-rt: %s: maps missing\n", path);
			return -1;
		}
		if (verbose)
			printf("ivshmem-rt: %s (%s), peer %u of %u, output section 0x%llx bytes\n",
			       path, name, regs[HV_IVSHMEM_REG_ID / 4],
			       regs[HV_IVSHMEM_REG_MAX_PEERS / 4],
			       (unsigned long long)out_size);
		/* A write-only map for the state table must not exist. */
		if (mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, uio_fd,
			 1 * getpagesize()) != MAP_FAILED) {
			fprintf(stderr, "ivshmem-rt: the state table maps writable\n");
			return -1;
		}
		return 0;
	}
	fprintf(stderr, "ivshmem-rt: no uio_ivshmem device\n");
	return -1;
}

static long stat_read(const char *rel)
{
	char path[160];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), SYSFS "/cells/%s", rel);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static long cell_exits(const char *cell, const char *which)
{
	char rel[96];

	snprintf(rel, sizeof(rel), "%s/statistics/%s", cell, which);
	return stat_read(rel);
}

/* Waits for the next interrupt; 0, or -1 after timeout_ms. */
static int wait_irq(int timeout_ms)
{
	struct pollfd pfd = { .fd = uio_fd, .events = POLLIN };
	uint32_t count;

	if (poll(&pfd, 1, timeout_ms) != 1)
		return -1;
	return read(uio_fd, &count, sizeof(count)) == sizeof(count) ? 0 : -1;
}

static const volatile struct hv_echo_msg *reply(void)
{
	return (const volatile struct hv_echo_msg *)(inputs +
						     ECHO_PEER * out_size);
}

static void send_msg(uint32_t seq, uint32_t cmd, uint32_t len)
{
	volatile struct hv_echo_msg *m = (volatile struct hv_echo_msg *)output;
	uint32_t n;

	m->magic = HV_ECHO_MAGIC;
	m->cmd = cmd;
	m->len = len;
	for (n = 0; n < len; n++)
		m->data[n] = (uint8_t)(seq * 7 + n);
	__sync_synchronize();
	m->seq = seq;
	__sync_synchronize();
	regs[HV_IVSHMEM_REG_DOORBELL / 4] = HV_IVSHMEM_DOORBELL(ECHO_PEER, 0);
}

/* The reply to seq, waited for (interrupts that are not it are skipped). */
static int await(uint32_t seq, int timeout_ms)
{
	int tries;

	for (tries = 0; tries < 4; tries++) {
		if (reply()->seq == seq)
			return 0;
		if (wait_irq(timeout_ms))
			return reply()->seq == seq ? 0 : -1;
	}
	return reply()->seq == seq ? 0 : -1;
}

static int check_reply(uint32_t seq, uint32_t len)
{
	const volatile struct hv_echo_msg *r = reply();
	uint32_t n, sum = 0;

	if (r->magic != HV_ECHO_MAGIC || r->seq != seq || r->len != len ||
	    r->status != HV_ECHO_OK)
		return -1;
	for (n = 0; n < len; n++) {
		uint8_t b = (uint8_t)(seq * 7 + n), got = r->data[n];

		sum += b;
		if (got + b != 0xff)
			return -1;
	}
	return r->sum == sum ? 0 : -1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int enable_irqs(void)
{
	uint32_t on = 1;

	return write(uio_fd, &on, sizeof(on)) == sizeof(on) ? 0 : -1;
}

static int round_trips(unsigned int count, const char *cell)
{
	long r0, e0, r1, e1, c0a, c0b, ea, eb;
	unsigned int i, ok = 0, late = 0;
	uint32_t seq0 = reply()->seq + 1000;
	double t0, t1;
	int waited;

	for (waited = 0; state_table[ECHO_PEER] != HV_ECHO_STATE_READY &&
	     waited < 100; waited++)
		usleep(50000);
	if (state_table[ECHO_PEER] != HV_ECHO_STATE_READY) {
		fprintf(stderr, "ivshmem-rt: echo peer not ready (state %u)\n",
			state_table[ECHO_PEER]);
		return 1;
	}
	r0 = cell_exits("0", "vmexits_total");
	e0 = cell_exits(cell, "vmexits_total");
	c0a = cell_exits("0", "cpu0/vmexits_total");
	ea = cell_exits(cell, "vmexits_mmio");
	t0 = now();
	for (i = 0; i < count; i++) {
		uint32_t seq = seq0 + i, len = 16 + i % 200;

		send_msg(seq, HV_ECHO_CMD_ECHO, len);
		if (await(seq, 2000)) {
			late++;
			continue;
		}
		if (!check_reply(seq, len))
			ok++;
	}
	t1 = now();
	r1 = cell_exits("0", "vmexits_total");
	e1 = cell_exits(cell, "vmexits_total");
	c0b = cell_exits("0", "cpu0/vmexits_total");
	eb = cell_exits(cell, "vmexits_mmio");
	printf("ivshmem-rt: %u round trips, %u replies correct, %u missing\n",
	       count, ok, late);
	printf("FIGURE: ivshmem round trips: %.0f per second (%u in %.3f s)\n",
	       count / (t1 - t0), count, t1 - t0);
	if (r0 >= 0 && e0 >= 0 && r1 >= 0 && e1 >= 0)
		printf("FIGURE: ivshmem exits per round trip: %.2f (root %.2f, of it CPU 0 %.2f; echo cell %.2f, of it MMIO %.2f)\n",
		       (double)((r1 - r0) + (e1 - e0)) / count,
		       (double)(r1 - r0) / count, (double)(c0b - c0a) / count,
		       (double)(e1 - e0) / count, (double)(eb - ea) / count);
	return ok == count ? 0 : 1;
}

static int command(const char *name)
{
	uint32_t cmd, seq = reply()->seq + 1;

	if (!strcmp(name, "write-state"))
		cmd = HV_ECHO_CMD_WRITE_STATE;
	else if (!strcmp(name, "write-peer"))
		cmd = HV_ECHO_CMD_WRITE_PEER;
	else if (!strcmp(name, "ring-absent"))
		cmd = HV_ECHO_CMD_RING_ABSENT;
	else
		return 2;
	send_msg(seq, cmd, 8);
	if (await(seq, 1500))
		return 3;
	return check_reply(seq, 8) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: ivshmem-rt rt N CELL_ID | cmd NAME | word MAP OFFSET\n");
		return 2;
	}
	verbose = !strcmp(argv[1], "rt");
	if (open_uio() || enable_irqs())
		return 2;
	if (!strcmp(argv[1], "rt") && argc == 4)
		return round_trips((unsigned int)strtoul(argv[2], NULL, 0),
				   argv[3]);
	if (!strcmp(argv[1], "cmd"))
		return command(argv[2]);
	if (!strcmp(argv[1], "word") && argc == 4) {
		unsigned long m = strtoul(argv[2], NULL, 0);
		unsigned long off = strtoul(argv[3], NULL, 0);
		const volatile uint8_t *base = m == 1 ? (const volatile uint8_t *)state_table :
					      m == 3 ? inputs : m == 4 ? output : NULL;

		if (!base || off % 4 || off >= out_size)
			return 2;
		printf("0x%08x\n", *(const volatile uint32_t *)(base + off));
		return 0;
	}
	return 2;
}
