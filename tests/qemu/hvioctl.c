// SPDX-License-Identifier: MIT
/*
 * In-guest checks that /dev/jailhouse refuses bad ioctl arguments (bad
 * pointers, sizes, garbage configs) with the documented errno and without
 * harm. Prints one "ok - ..." or "not ok - ..." line per check and exits
 * with the number of failures.
 *
 *   hvioctl disabled SYSTEM.cell    checks while the hypervisor is off
 *   hvioctl enabled SYSTEM.cell     checks while it is on
 *   hvioctl enable SYSTEM.cell      plain ENABLE (bring-up without hvctl)
 *   hvioctl disable                 plain DISABLE
 *   hvioctl readonly SYSTEM.cell    as an operator-group member: the device
 *                                   opens read-only, reads, and every ioctl
 *                                   is EPERM
 *   hvioctl nocap SYSTEM.cell       as root without CAP_SYS_ADMIN: the
 *                                   device opens read-write, every ioctl is
 *                                   EPERM (the driver checks, not the mode)
 *   hvioctl badload CELL            a CELL_LOAD whose image fits no region:
 *                                   EINVAL (the cell must keep running)
 *   hvioctl as UID GID PROG ARGS... runs PROG as UID with group GID only
 *   hvioctl stats                   statistics_all decoded, one line per
 *                                   cell, CPU and present ivshmem peer
 *                                   (exits 1 on a malformed report)
 *   hvioctl stats-ioctl             the same from HV_IOC_STATS_READ (one
 *                                   call on a read-only descriptor)
 *   hvioctl statscheck              HV_IOC_STATS_READ against the
 *                                   attribute: same layout and size; a
 *                                   buffer too small gets ENOSPC and the
 *                                   size; a bad version EINVAL
 *   hvioctl kvm refused|allowed     KVM_CREATE_VM on /dev/kvm must fail
 *                                   with EBUSY (hypervisor enabled) or
 *                                   succeed (disabled; the VM is closed);
 *                                   exits 77 when there is no /dev/kvm
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include <hvabi/cell-config.h>
#include <hvabi/stats.h>
#include <hvabi/ioctl.h>

static int failures;
static int fd;
/* Not a literal, so the compiler cannot see the bad pointer coming. */
static volatile uintptr_t bad_address = 16;

static void check(const char *what, long ret, int want)
{
	int got = ret < 0 ? errno : 0;

	if (got == want) {
		printf("ok - %s -> %s\n", what, want ? strerror(want) : "0");
	} else {
		printf("not ok - %s: got %s, want %s\n", what,
		       got ? strerror(got) : "success",
		       want ? strerror(want) : "success");
		failures++;
	}
}

static uint8_t stats_buf[1 << 20];

static void check_ok(const char *what, bool ok)
{
	printf("%s - %s\n", ok ? "ok" : "not ok", what);
	if (!ok)
		failures++;
}

static void *load(const char *path, size_t *size)
{
	struct stat st;
	void *buf;
	int f = open(path, O_RDONLY);

	if (f < 0 || fstat(f, &st) < 0) {
		perror(path);
		exit(100);
	}
	buf = malloc(st.st_size);
	if (!buf || read(f, buf, st.st_size) != st.st_size) {
		perror(path);
		exit(100);
	}
	close(f);
	*size = st.st_size;
	return buf;
}

/* A buffer whose last `tail` bytes end right before an inaccessible page. */
static void *edge_buffer(const void *data, size_t tail)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED || mprotect(m + pg, pg, PROT_NONE)) {
		perror("mmap");
		exit(100);
	}
	memcpy(m + pg - tail, data, tail);
	return m + pg - tail;
}

static void common_checks(void)
{
	check("unknown ioctl number", ioctl(fd, 0x4008aa07, 0), EINVAL);
	check("CELL_START with a NULL pointer",
	      ioctl(fd, HV_IOC_CELL_START, NULL), EFAULT);
	check("CELL_DESTROY with an unmapped pointer",
	      ioctl(fd, HV_IOC_CELL_DESTROY, (void *)16), EFAULT);
	check("CELL_LOAD with a kernel pointer",
	      ioctl(fd, HV_IOC_CELL_LOAD, (void *)0xffff000000001000UL),
	      EFAULT);
	check("CELL_CREATE with a NULL pointer",
	      ioctl(fd, HV_IOC_CELL_CREATE, NULL), EFAULT);
}

static void disabled_checks(const char *sys_path)
{
	struct hv_system *sys;
	size_t size;
	char garbage[4096];
	struct hv_memory *regions;
	unsigned int i;
	void *edge;

	sys = load(sys_path, &size);
	for (i = 0; i < sizeof(garbage); i++)
		garbage[i] = (char)(i * 37 + 11);

	check("ENABLE with a NULL pointer", ioctl(fd, HV_IOC_ENABLE, NULL),
	      EFAULT);
	check("ENABLE with an unmapped pointer",
	      ioctl(fd, HV_IOC_ENABLE, (void *)0x10), EFAULT);
	check("ENABLE with garbage bytes", ioctl(fd, HV_IOC_ENABLE, garbage),
	      EINVAL);
	sys->architecture = HV_ARCH_X86;
	check("ENABLE with an x86 system config",
	      ioctl(fd, HV_IOC_ENABLE, sys), EINVAL);
	sys->architecture = HV_ARCH_ARM64;
	sys->revision = 13;
	check("ENABLE with config revision 13",
	      ioctl(fd, HV_IOC_ENABLE, sys), EINVAL);
	sys->revision = HV_CONFIG_REVISION;
	sys->root_cell.cpu_set_size = 0x7fffffff;
	check("ENABLE with a 2 GiB CPU set", ioctl(fd, HV_IOC_ENABLE, sys),
	      EINVAL);
	sys->root_cell.cpu_set_size = 8;
	sys->root_cell.num_memory_regions += 64;
	edge = edge_buffer(sys, size);
	check("ENABLE with arrays running into an unmapped page",
	      ioctl(fd, HV_IOC_ENABLE, edge), EFAULT);
	sys->root_cell.num_memory_regions -= 64;
	edge = edge_buffer(sys, 100);
	check("ENABLE with a header cut by an unmapped page",
	      ioctl(fd, HV_IOC_ENABLE, edge), EFAULT);
	check("DISABLE while disabled", ioctl(fd, HV_IOC_DISABLE, 0), EINVAL);

	/* Passes the driver's checks; the hypervisor itself must refuse it
	 * on every CPU and hand EL2 back to Linux. */
	regions = (struct hv_memory *)((char *)(sys + 1) +
				       sys->root_cell.cpu_set_size);
	regions[sys->root_cell.num_memory_regions - 1].size += 0x800;
	check("ENABLE with a root memory region that is not page aligned",
	      ioctl(fd, HV_IOC_ENABLE, sys), EINVAL);
	regions[sys->root_cell.num_memory_regions - 1].size -= 0x800;
	common_checks();
	free(sys);
}

static void enabled_checks(const char *sys_path)
{
	struct hv_ioc_cell_create cc = { 0 };
	struct hv_ioc_cell_load *ld;
	struct hv_ioc_cell_id id;
	struct hv_cell_desc desc;
	struct hv_system *sys;
	size_t size;
	char buf[64];
	int fd2;

	sys = load(sys_path, &size);
	check("ENABLE while enabled", ioctl(fd, HV_IOC_ENABLE, sys), EBUSY);
	common_checks();

	cc.config_address = 0x10;
	cc.config_size = sizeof(desc);
	check("CELL_CREATE with an unmapped config",
	      ioctl(fd, HV_IOC_CELL_CREATE, &cc), EFAULT);
	memset(&desc, 0, sizeof(desc));
	cc.config_address = (uintptr_t)&desc;
	cc.config_size = 8;
	check("CELL_CREATE with an 8-byte config",
	      ioctl(fd, HV_IOC_CELL_CREATE, &cc), EINVAL);
	cc.config_size = 1 << 20;
	check("CELL_CREATE with a 1 MiB config",
	      ioctl(fd, HV_IOC_CELL_CREATE, &cc), E2BIG);
	cc.config_size = sizeof(desc);
	memset(&desc, 0xa5, sizeof(desc));
	check("CELL_CREATE with garbage bytes",
	      ioctl(fd, HV_IOC_CELL_CREATE, &cc), EINVAL);
	memcpy(desc.signature, HV_CELL_SIGNATURE, HV_SIGNATURE_LEN);
	desc.architecture = HV_ARCH_ARM64;
	desc.revision = HV_CONFIG_REVISION;
	desc.cpu_set_size = 8;
	desc.num_memory_regions = 1000;
	check("CELL_CREATE with counts beyond the config size",
	      ioctl(fd, HV_IOC_CELL_CREATE, &cc), EINVAL);

	memset(&id, 0, sizeof(id));
	id.id = 7;
	check("CELL_START of a cell that does not exist",
	      ioctl(fd, HV_IOC_CELL_START, &id), ENOENT);
	id.id = HV_CELL_ID_UNUSED;
	strcpy(id.name, "no-such-cell");
	check("CELL_DESTROY by an unknown name",
	      ioctl(fd, HV_IOC_CELL_DESTROY, &id), ENOENT);
	id.id = 0;
	check("CELL_DESTROY of the root cell",
	      ioctl(fd, HV_IOC_CELL_DESTROY, &id), EINVAL);
	ld = calloc(1, sizeof(*ld) + sizeof(ld->image[0]));
	ld->cell_id.id = 9;
	ld->num_preload_images = 1;
	ld->image[0].source_address = 0x10;
	ld->image[0].size = 4096;
	check("CELL_LOAD of a cell that does not exist",
	      ioctl(fd, HV_IOC_CELL_LOAD, ld), ENOENT);
	check("read() of the console",
	      read(fd, buf, sizeof(buf)) > 0 ? 0 : -1, 0);
	/* poll: a fresh reader has the ring pending; a drained one waits. */
	fd2 = open(HV_DEVICE_PATH, O_RDONLY | O_NONBLOCK);
	{
		struct pollfd p = { .fd = fd2, .events = POLLIN };
		char drain[4096];

		check("poll() reports the console ring to a new reader",
		      poll(&p, 1, 0) == 1 && (p.revents & POLLIN) ? 0 : -1, 0);
		while (read(fd2, drain, sizeof(drain)) > 0)
			;
		p.revents = 0;
		check("poll() waits on a drained console (300 ms)",
		      poll(&p, 1, 300) == 0 ? 0 : -1, 0);
	}
	close(fd2);

	/* A fresh reader has the whole ring pending: the copy must fail. */
	fd2 = open(HV_DEVICE_PATH, O_RDONLY | O_NONBLOCK);
	check("read() into an unmapped buffer",
	      read(fd2, (void *)bad_address, 64), EFAULT);
	close(fd2);
	free(ld);
	free(sys);
}

/* Every ioctl refused with EPERM, whatever its argument. */
static void all_refused(const char *who, void *sys)
{
	struct hv_ioc_cell_id cid = { .id = 0 };
	char what[128];

	snprintf(what, sizeof(what), "%s: ENABLE", who);
	check(what, ioctl(fd, HV_IOC_ENABLE, sys), EPERM);
	snprintf(what, sizeof(what), "%s: DISABLE", who);
	check(what, ioctl(fd, HV_IOC_DISABLE, 0), EPERM);
	snprintf(what, sizeof(what), "%s: CELL_CREATE", who);
	check(what, ioctl(fd, HV_IOC_CELL_CREATE, NULL), EPERM);
	snprintf(what, sizeof(what), "%s: CELL_LOAD", who);
	check(what, ioctl(fd, HV_IOC_CELL_LOAD, NULL), EPERM);
	snprintf(what, sizeof(what), "%s: CELL_START", who);
	check(what, ioctl(fd, HV_IOC_CELL_START, &cid), EPERM);
	snprintf(what, sizeof(what), "%s: CELL_DESTROY", who);
	check(what, ioctl(fd, HV_IOC_CELL_DESTROY, &cid), EPERM);
}

static void readonly_checks(const char *sys_path)
{
	size_t size;
	void *sys = load(sys_path, &size);
	char buf[256];
	ssize_t n;

	check("operator: open read-write", open(HV_DEVICE_PATH, O_RDWR),
	      EACCES);
	fd = open(HV_DEVICE_PATH, O_RDONLY | O_NONBLOCK);
	check("operator: open read-only", fd, 0);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf));
	check("operator: read the console", n < 0 && errno == EAGAIN ? 0 : n,
	      0);
	all_refused("operator", sys);
	free(sys);
	/* The one command that changes nothing: the statistics report. */
	{
		struct hv_ioc_stats_read req = {
			.version = HV_IOC_STATS_READ_VERSION,
			.buffer = (uintptr_t)stats_buf,
			.size = sizeof(stats_buf),
		};
		long r = ioctl(fd, HV_IOC_STATS_READ, &req);
		char what[96];

		snprintf(what, sizeof(what),
			 "operator: HV_IOC_STATS_READ (%ld bytes)", r);
		check(what, r < 0 ? r : 0, 0);
	}
}

static void nocap_checks(const char *sys_path)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	size_t size;
	void *sys = load(sys_path, &size);

	if (syscall(SYS_capget, &hdr, data)) {
		perror("capget");
		exit(100);
	}
	data[CAP_SYS_ADMIN / 32].effective &= ~(1u << (CAP_SYS_ADMIN % 32));
	if (syscall(SYS_capset, &hdr, data)) {
		perror("capset");
		exit(100);
	}
	fd = open(HV_DEVICE_PATH, O_RDWR);
	check("root without CAP_SYS_ADMIN: open read-write", fd, 0);
	if (fd < 0)
		return;
	all_refused("root without CAP_SYS_ADMIN", sys);
	free(sys);
}

static void badload_check(const char *cell)
{
	static const char image[16] = "not loaded";
	struct hv_ioc_cell_load *ld = calloc(1, sizeof(*ld) +
					     sizeof(ld->image[0]));

	fd = open(HV_DEVICE_PATH, O_RDWR);
	if (!ld || fd < 0) {
		perror(HV_DEVICE_PATH);
		exit(100);
	}
	ld->cell_id.id = HV_CELL_ID_UNUSED;
	snprintf(ld->cell_id.name, sizeof(ld->cell_id.name), "%s", cell);
	ld->num_preload_images = 1;
	ld->image[0].source_address = (uintptr_t)image;
	ld->image[0].size = sizeof(image);
	ld->image[0].target_address = 0xfff0000000ULL;
	check("CELL_LOAD of an image that fits no region",
	      ioctl(fd, HV_IOC_CELL_LOAD, ld), EINVAL);
	free(ld);
}

/* KVM's ioctl number (linux/kvm.h): KVMIO is 0xAE, CREATE_VM is 1. */
#define HVIOCTL_KVM_CREATE_VM _IO(0xAE, 0x01)

static int kvm_check(const char *want)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int vm, err;

	if (kvm < 0) {
		if (errno == ENOENT) {
			printf("kvm: no /dev/kvm (KVM is not initialised in this kernel)\n");
			return 77;
		}
		perror("/dev/kvm");
		return 1;
	}
	vm = ioctl(kvm, HVIOCTL_KVM_CREATE_VM, 0);
	err = vm < 0 ? errno : 0;
	printf("kvm: KVM_CREATE_VM returned %d (%s)\n", vm,
	       vm < 0 ? strerror(err) : "a VM file descriptor");
	if (vm >= 0)
		close(vm);
	close(kvm);
	if (!strcmp(want, "refused"))
		return err == EBUSY ? 0 : 1;
	return vm >= 0 ? 0 : 1;
}

/*
 * statistics_all decoded (include/hvabi/stats.h): "report BYTES SEQ",
 * "cell ID STATE NCPUS V0..V8", "cpu N CELL STATE V0..V8", "peer
 * DDDD:BB:DD.F PEER CELL STATE INT_CTRL RUNG RECEIVED". Reads page by page
 * as sysfs hands it out.
 */
/* The attribute, read to its end (sysfs: a page per read). */
static size_t stats_from_attr(uint8_t *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int sfd = open("/sys/devices/jailhouse/statistics_all", O_RDONLY);

	if (sfd < 0) {
		perror("statistics_all");
		exit(1);
	}
	while ((n = read(sfd, buf + len, size - len)) > 0)
		len += (size_t)n;
	close(sfd);
	return len;
}

/* HV_IOC_STATS_READ on a read-only descriptor: -errno or the size. */
static long stats_from_ioctl(uint8_t *buf, size_t size, uint64_t *needed,
			     uint32_t version)
{
	struct hv_ioc_stats_read req = {
		.version = version,
		.buffer = (uintptr_t)buf,
		.size = size,
		.needed = ~0ull,
	};
	int dfd = open(HV_DEVICE_PATH, O_RDONLY | O_NONBLOCK);
	long ret;

	if (dfd < 0) {
		perror(HV_DEVICE_PATH);
		exit(1);
	}
	ret = ioctl(dfd, HV_IOC_STATS_READ, &req);
	if (ret < 0)
		ret = -errno;
	close(dfd);
	*needed = req.needed;
	return ret;
}

static int stats_dump(bool via_ioctl)
{
	uint8_t *buf = stats_buf;
	struct hv_stats_header h;
	struct hv_stats_trailer tr;
	size_t len = 0, off;
	unsigned int i, k, p;

	if (via_ioctl) {
		uint64_t needed;
		long n = stats_from_ioctl(buf, sizeof(stats_buf), &needed,
					  HV_IOC_STATS_READ_VERSION);

		if (n < 0) {
			fprintf(stderr, "HV_IOC_STATS_READ: %s\n",
				strerror((int)-n));
			return 1;
		}
		len = (size_t)n;
	} else {
		len = stats_from_attr(buf, sizeof(stats_buf));
	}
	if (len < sizeof(h)) {
		fprintf(stderr, "statistics_all: %zu bytes\n", len);
		return 1;
	}
	memcpy(&h, buf, sizeof(h));
	memcpy(&tr, buf + len - sizeof(tr), sizeof(tr));
	if (h.magic != HV_STATS_MAGIC || h.version != HV_STATS_VERSION ||
	    h.total_size != len || tr.magic != HV_STATS_TRAILER_MAGIC ||
	    tr.sequence != h.sequence ||
	    len != (size_t)h.header_size + (size_t)h.num_cells * h.cell_size +
		   (size_t)h.num_cpus * h.cpu_size +
		   (size_t)h.num_links * h.link_size + sizeof(tr)) {
		fprintf(stderr, "statistics_all: malformed (%zu bytes)\n", len);
		return 1;
	}
	printf("report %zu %llu\n", len, (unsigned long long)h.sequence);
	off = h.header_size;
	for (i = 0; i < h.num_cells; i++, off += h.cell_size) {
		struct hv_stats_cell c;

		memcpy(&c, buf + off, sizeof(c));
		printf("cell %u %u %u", c.id, c.state, c.num_cpus);
		for (k = 0; k < HV_NUM_CPU_STATS; k++)
			printf(" %llu", (unsigned long long)c.stats[k]);
		printf("\n");
	}
	for (i = 0; i < h.num_cpus; i++, off += h.cpu_size) {
		struct hv_stats_cpu c;

		memcpy(&c, buf + off, sizeof(c));
		printf("cpu %u %d %u", c.cpu_id, c.cell_id, c.state);
		for (k = 0; k < HV_NUM_CPU_STATS; k++)
			printf(" %u", c.stats[k]);
		printf("\n");
	}
	for (i = 0; i < h.num_links; i++, off += h.link_size) {
		struct hv_stats_link l;

		memcpy(&l, buf + off, sizeof(l));
		for (p = 0; p < h.max_peers && p < HV_IVSHMEM_MAX_PEERS; p++) {
			const struct hv_stats_peer *e = &l.peers[p];

			if (e->cell_id < 0)
				continue;
			printf("peer %04x:%02x:%02x.%x %u %d %u %u %llu %llu\n",
			       l.domain, l.bdf >> 8, (l.bdf >> 3) & 0x1f,
			       l.bdf & 7, p, e->cell_id, e->state, e->int_ctrl,
			       (unsigned long long)e->doorbells_rung,
			       (unsigned long long)e->doorbells_received);
		}
	}
	return 0;
}

/*
 * HV_IOC_STATS_READ against statistics_all: the same layout (header sizes
 * and counts) and size; too small a buffer (0, and one byte short) gets
 * ENOSPC with the size and is left untouched; an unknown version EINVAL.
 */
static int stats_check(void)
{
	static uint8_t attr[1 << 20];
	struct hv_stats_header ha, hi;
	uint64_t needed;
	size_t alen;
	long ilen;
	char what[160];

	alen = stats_from_attr(attr, sizeof(attr));
	ilen = stats_from_ioctl(stats_buf, sizeof(stats_buf), &needed,
				HV_IOC_STATS_READ_VERSION);
	printf("# attribute %zu bytes, ioctl %ld bytes (needed %llu)\n", alen,
	       ilen, (unsigned long long)needed);
	check_ok("HV_IOC_STATS_READ on a read-only descriptor", ilen >= 0);
	if (ilen < (long)sizeof(hi) || alen < sizeof(ha))
		return failures + 1;
	memcpy(&ha, attr, sizeof(ha));
	memcpy(&hi, stats_buf, sizeof(hi));
	snprintf(what, sizeof(what),
		 "ioctl report as the attribute's (%ld/%zu bytes, %u/%u cells, %u/%u CPUs, %u/%u links)",
		 ilen, alen, hi.num_cells, ha.num_cells, hi.num_cpus,
		 ha.num_cpus, hi.num_links, ha.num_links);
	check_ok(what,
	      (size_t)ilen == alen && needed == (uint64_t)ilen &&
	      hi.total_size == ha.total_size && hi.magic == ha.magic &&
	      hi.version == ha.version && hi.header_size == ha.header_size &&
	      hi.cell_size == ha.cell_size && hi.cpu_size == ha.cpu_size &&
	      hi.link_size == ha.link_size && hi.num_stats == ha.num_stats &&
	      hi.num_cells == ha.num_cells && hi.num_cpus == ha.num_cpus &&
	      hi.num_links == ha.num_links && hi.max_peers == ha.max_peers &&
	      hi.sequence != ha.sequence);

	memset(stats_buf, 0xa5, sizeof(stats_buf));
	ilen = stats_from_ioctl(stats_buf, (size_t)hi.total_size - 1, &needed,
				HV_IOC_STATS_READ_VERSION);
	snprintf(what, sizeof(what),
		 "a buffer one byte short: ENOSPC, needed %llu (report %u), buffer untouched",
		 (unsigned long long)needed, hi.total_size);
	check_ok(what, ilen == -ENOSPC && needed == hi.total_size &&
		 stats_buf[0] == 0xa5 && stats_buf[hi.total_size - 2] == 0xa5);
	ilen = stats_from_ioctl(NULL, 0, &needed, HV_IOC_STATS_READ_VERSION);
	snprintf(what, sizeof(what), "no buffer: ENOSPC, needed %llu",
		 (unsigned long long)needed);
	check_ok(what, ilen == -ENOSPC && needed == hi.total_size);
	ilen = stats_from_ioctl(stats_buf, sizeof(stats_buf), &needed, 99);
	check_ok("HV_IOC_STATS_READ version 99: EINVAL", ilen == -EINVAL);
	return failures;
}

int main(int argc, char **argv)
{
	size_t size;
	void *sys;

	if (argc == 2 && !strcmp(argv[1], "disable")) {
		fd = open(HV_DEVICE_PATH, O_RDWR);
		if (fd < 0 || ioctl(fd, HV_IOC_DISABLE, 0) < 0) {
			perror("disable");
			return 1;
		}
		return 0;
	}
	if (argc >= 5 && !strcmp(argv[1], "as")) {
		gid_t gid = (gid_t)strtoul(argv[3], NULL, 0);
		uid_t uid = (uid_t)strtoul(argv[2], NULL, 0);

		if (setgroups(1, &gid) || setresgid(gid, gid, gid) ||
		    setresuid(uid, uid, uid)) {
			perror("as");
			return 100;
		}
		execv(argv[4], argv + 4);
		perror(argv[4]);
		return 100;
	}
	if (argc == 2 && !strcmp(argv[1], "stats"))
		return stats_dump(false);
	if (argc == 2 && !strcmp(argv[1], "stats-ioctl"))
		return stats_dump(true);
	if (argc == 2 && !strcmp(argv[1], "statscheck"))
		return stats_check();
	if (argc == 3 && !strcmp(argv[1], "kvm") &&
	    (!strcmp(argv[2], "refused") || !strcmp(argv[2], "allowed")))
		return kvm_check(argv[2]);
	if (argc != 3) {
		fprintf(stderr, "usage: hvioctl disabled|enabled|enable|readonly|nocap SYSTEM.cell | badload CELL | disable | kvm refused|allowed | as UID GID PROG ARGS...\n");
		return 100;
	}
	if (!strcmp(argv[1], "readonly") || !strcmp(argv[1], "nocap") ||
	    !strcmp(argv[1], "badload")) {
		if (!strcmp(argv[1], "readonly"))
			readonly_checks(argv[2]);
		else if (!strcmp(argv[1], "nocap"))
			nocap_checks(argv[2]);
		else
			badload_check(argv[2]);
		return failures;
	}
	if (!strcmp(argv[1], "enable")) {
		sys = load(argv[2], &size);
		fd = open(HV_DEVICE_PATH, O_RDWR);
		if (fd < 0 || ioctl(fd, HV_IOC_ENABLE, sys) < 0) {
			perror("enable");
			return 1;
		}
		return 0;
	}
	fd = open(HV_DEVICE_PATH, O_RDWR | O_NONBLOCK);
	if (fd < 0) {
		perror(HV_DEVICE_PATH);
		return 100;
	}
	if (!strcmp(argv[1], "disabled"))
		disabled_checks(argv[2]);
	else
		enabled_checks(argv[2]);
	close(fd);
	return failures;
}
