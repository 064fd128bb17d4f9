// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated Jailhouse driver: what /dev/jailhouse does before and after
 * each hypercall (spec §1.5), including loading the "firmware" image into
 * hypervisor memory and keeping the console after disable.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <hvabi/cell-config.h>
#include <hvabi/console.h>
#include <hvabi/header.h>
#include <hvabi/hypercall.h>
#include <hvabi/stats.h>

#include <hv/cell.h>
#include <hv/control.h>
#include <hv/lib.h>
#include <hv/paging.h>
#include <hv/percpu.h>

#include <sim/board.h>
#include <sim/driver.h>
#include <sim/guest.h>
#include <sim/sim.h>
#include <sim/simmem.h>

/* The sim "firmware": header page, console page, the per-cell rings. */
#define IMG_CELL_CONSOLES	64
#define IMG_CONSOLE_OFFSET	PAGE_SIZE
#define IMG_CELLCON_OFFSET	(2 * PAGE_SIZE)
#define IMG_CORE_SIZE		(IMG_CELLCON_OFFSET + \
				 PAGE_ALIGN(IMG_CELL_CONSOLES * \
					    sizeof(struct hv_cell_console)))
#define IMG_PERCPU_SIZE		PAGE_ALIGN(sizeof(struct per_cpu))

struct drv_cell {
	struct drv_cell *next;
	unsigned int id;
	char name[HV_CELL_NAME_MAXLEN + 1];
	uint8_t *config;
	uint64_t config_size;
	/* 64-bit view of the cell ring's 32-bit tail. */
	uint32_t con_gen;
	uint32_t con_last;
	uint64_t con_total;
};

/* The driver's state (struct sim_board.drv). */
struct sim_drv {
	struct drv_cell *cells;
	bool enabled, ever_enabled, console_flag;
	uint8_t *hv_mem;
	uint64_t hv_mem_size;
	uint32_t hv_con_last;
	uint64_t hv_con_total;
	/* Cell owning each board CPU (0 = root) while enabled. */
	unsigned int *cpu_owner;
};

static int fail(char *msg, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *msg, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, DRV_MSG_LEN, fmt, ap);
	va_end(ap);
	return err;
}

static int hv_fail(char *msg, int err)
{
	snprintf(msg, DRV_MSG_LEN, "%s", hv_error());
	return err;
}

int drv_init(struct sim_board *sb)
{
	struct sim_drv *d = calloc(1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	sb->drv = d;
	d->cpu_owner = calloc(sb->board.cpus, sizeof(*d->cpu_owner));
	if (!d->cpu_owner)
		return -ENOMEM;
	return guest_init(sb);
}

bool drv_enabled(struct sim_board *sb)
{
	return sb->drv && sb->drv->enabled;
}

static struct drv_cell *find_id(struct sim_board *sb, unsigned int id)
{
	struct sim_drv *d = sb->drv;
	struct drv_cell *c;

	for (c = d->cells; c; c = c->next)
		if (c->id == id)
			return c;
	return NULL;
}

static struct drv_cell *lookup(struct sim_board *sb,
			       const struct hv_ioc_cell_id *cid, char *msg)
{
	struct sim_drv *d = sb->drv;
	char name[HV_CELL_ID_NAMELEN + 1];
	struct drv_cell *c;

	if (cid->id >= 0) {
		c = find_id(sb, (unsigned int)cid->id);
		if (!c)
			fail(msg, 0, "no cell with id %d", cid->id);
		return c;
	}
	memcpy(name, cid->name, sizeof(name));
	name[HV_CELL_ID_NAMELEN] = 0;
	if (cid->id == HV_CELL_ID_UNUSED)
		for (c = d->cells; c; c = c->next)
			if (!strcmp(c->name, name))
				return c;
	if (cid->id == HV_CELL_ID_UNUSED)
		fail(msg, 0, "no cell named \"%s\"", name);
	else
		fail(msg, 0, "cell id %d is not valid", cid->id);
	return NULL;
}

const void *drv_cell_config(struct sim_board *sb, unsigned int id,
			    uint64_t *size)
{
	struct drv_cell *c = find_id(sb, id);

	if (!c)
		return NULL;
	*size = c->config_size;
	return c->config;
}

static struct drv_cell *register_cell(struct sim_board *sb, unsigned int id,
				      const char *name,
				      uint8_t *config, uint64_t size)
{
	struct sim_drv *d = sb->drv;
	struct drv_cell *c = calloc(1, sizeof(*c)), **link;

	if (!c)
		return NULL;
	c->id = id;
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->config = config;
	c->config_size = size;
	for (link = &d->cells; *link && (*link)->id < id; link = &(*link)->next)
		;
	c->next = *link;
	*link = c;
	return c;
}

static void unregister_cell(struct sim_board *sb, struct drv_cell *c)
{
	struct sim_drv *d = sb->drv;
	struct drv_cell **link;

	for (link = &d->cells; *link != c; link = &(*link)->next)
		;
	*link = c->next;
	free(c->config);
	free(c);
}

/* A root CPU that is not in `set` to issue hypercalls on. */
static struct per_cpu *root_cpu(struct sim_board *sb, const uint8_t *set,
				uint32_t set_size)
{
	struct sim_drv *d = sb->drv;
	unsigned int cpu;

	for (cpu = 0; cpu < sb->board.cpus; cpu++)
		if (d->cpu_owner[cpu] == 0 &&
		    !(set && test_byte_bit(cpu, set, set_size)) &&
		    !per_cpu(cpu)->parked)
			return per_cpu(cpu);
	return NULL;
}

static void free_hv_mem(uint8_t *mem, uint64_t size)
{
	if (mem)
		munmap(mem, size);
}

int drv_enable(struct sim_board *sb, const void *config, size_t size, char *msg)
{
	struct sim_drv *d = sb->drv;
	const struct hv_system *sys = config;
	const struct hv_cell_desc *rc;
	uint64_t total, phys, hvsize, need;
	struct hv_image_header *hdr;
	struct hv_layout layout;
	unsigned int cpu, max_cpus = 0;
	uint8_t *mem, *root_cfg;
	uint64_t root_size;
	int err;

	if (!sys || size < sizeof(*sys) ||
	    memcmp(sys->signature, HV_SYSTEM_SIGNATURE, HV_SIGNATURE_LEN))
		return fail(msg, -EINVAL, "not a system configuration");
	rc = &sys->root_cell;
	if (sys->revision != HV_CONFIG_REVISION)
		return fail(msg, -EINVAL, "config revision %u, expected %u",
			    sys->revision, HV_CONFIG_REVISION);
	if (sys->architecture != HV_ARCH_ARM64)
		return fail(msg, -EINVAL, "config for architecture %u, this board is arm64 (%u)",
			    sys->architecture, HV_ARCH_ARM64);
	for (cpu = 0; cpu < rc->cpu_set_size * 8u &&
	     sizeof(*sys) + (cpu / 8) < size; cpu++)
		if (test_byte_bit(cpu, cfg_cpu_set(rc), rc->cpu_set_size))
			max_cpus = cpu + 1;
	if (!max_cpus)
		return fail(msg, -EINVAL, "the root cell's CPU set is empty");
	if (d->enabled)
		return fail(msg, -EBUSY, "the hypervisor is already enabled");
	total = hv_system_config_size(sys);
	if (total > size)
		return fail(msg, -EINVAL, "the config is truncated: %zu of %" PRIu64 " bytes",
			    size, total);
	phys = sys->hypervisor_memory.phys_start;
	hvsize = sys->hypervisor_memory.size;
	if ((phys | hvsize) & PAGE_OFFS_MASK || !hvsize ||
	    !board_range_in_ram(&sb->board, phys, hvsize))
		return fail(msg, -EINVAL, "hypervisor memory 0x%" PRIx64 "+0x%" PRIx64 " is not page-aligned RAM of the board",
			    phys, hvsize);
	for (cpu = 0; cpu < max_cpus || cpu < sb->board.cpus; cpu++) {
		bool in_set = test_byte_bit(cpu, cfg_cpu_set(rc),
					    rc->cpu_set_size);

		if (in_set && cpu >= sb->board.cpus)
			return fail(msg, -EINVAL, "CPU %u of the root cell's set is not online (the board has %u CPUs)",
				    cpu, sb->board.cpus);
		if (!in_set && cpu < sb->board.cpus)
			return fail(msg, -EINVAL, "CPU %u is online but not in the root cell's CPU set",
				    cpu);
	}
	need = IMG_CORE_SIZE + (uint64_t)max_cpus * IMG_PERCPU_SIZE + total;
	if (need >= hvsize)
		return fail(msg, -EINVAL, "hypervisor memory (%" PRIu64 " KiB) too small for the image, %u CPUs and the config",
			    hvsize / 1024, max_cpus);

	mem = mmap(NULL, hvsize, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		return fail(msg, -ENOMEM, "cannot allocate hypervisor memory");
	hdr = (struct hv_image_header *)mem;
	memcpy(hdr->signature, HV_IMAGE_SIGNATURE, HV_IMAGE_SIGNATURE_LEN);
	hdr->core_size = IMG_CORE_SIZE;
	hdr->percpu_size = IMG_PERCPU_SIZE;
	hdr->console_page = IMG_CONSOLE_OFFSET;
	hdr->cell_consoles = IMG_CELLCON_OFFSET;
	hdr->num_cell_consoles = IMG_CELL_CONSOLES;
	hdr->max_cpus = max_cpus;
	hdr->online_cpus = sb->board.cpus;
	hdr->debug_console_base = sb->board.uart.start;
	memcpy(mem + IMG_CORE_SIZE + (uint64_t)max_cpus * IMG_PERCPU_SIZE,
	       config, total);

	root_size = hv_cell_config_size(rc);
	root_cfg = malloc(root_size);
	if (!root_cfg) {
		free_hv_mem(mem, hvsize);
		return fail(msg, -ENOMEM, "out of memory");
	}
	memcpy(root_cfg, rc, root_size);
	memcpy(root_cfg, HV_CELL_SIGNATURE, HV_SIGNATURE_LEN);
	((struct hv_cell_desc *)root_cfg)->architecture = HV_ARCH_ARM64;
	((struct hv_cell_desc *)root_cfg)->revision = HV_CONFIG_REVISION;
	((struct hv_cell_desc *)root_cfg)->id = 0;

	simmem_set_hv(&sb->mem, phys, mem, hvsize);
	layout.header = hdr;
	layout.phys_start = phys;
	layout.size = hvsize;
	err = hv_init(&layout);
	for (cpu = 0; !err && cpu < sb->board.cpus; cpu++) {
		sb->guest.cpus[cpu].pc = per_cpu(cpu);
		per_cpu(cpu)->arch = &sb->guest.cpus[cpu];
		err = hv_cpu_init(cpu);
	}
	if (!err)
		err = hv_init_late();
	if (err) {
		fail(msg, err, "%s", hv_error());
		hv_teardown();
		for (cpu = 0; cpu < sb->board.cpus; cpu++)
			sb->guest.cpus[cpu].pc = NULL;
		free_hv_mem(mem, hvsize);
		free(root_cfg);
		/* Back to the previous console snapshot, if any. */
		simmem_set_hv(&sb->mem, 0, d->hv_mem, d->hv_mem_size);
		return err;
	}
	free_hv_mem(d->hv_mem, d->hv_mem_size);
	d->hv_mem = mem;
	d->hv_mem_size = hvsize;
	d->hv_con_last = 0;
	d->hv_con_total = 0;
	d->console_flag = sys->flags & HV_SYS_VIRTUAL_DEBUG_CONSOLE;
	d->enabled = true;
	d->ever_enabled = true;
	for (cpu = 0; cpu < sb->board.cpus; cpu++) {
		d->cpu_owner[cpu] = 0;
		sb->guest.cpus[cpu].root_running = true;
	}
	register_cell(sb, 0, rc->name, root_cfg, root_size);
	sb->hooks->enabled(sb);
	sb->hooks->event(sb, HVSIM_EV_ENABLED, -1);
	sb->hooks->event(sb, HVSIM_EV_CELL_ADD, 0);
	return 0;
}

/*
 * Writes (src) or clears (src NULL) root guest-physical memory as the root
 * cell's Linux would, through the root cell's stage-2 tables: the real
 * driver can reach only what the root maps, so hvsim writes nothing that
 * the root does not currently own or was lent for loading. Checks the
 * whole range before it writes anything.
 */
static int root_access(struct sim_board *sb, uint64_t addr, const void *src,
		       uint64_t len)
{
	struct paging_result res;
	uint64_t a, end = addr + len;
	int pass;

	if (end < addr)
		return -EFAULT;
	for (pass = 0; pass < 2; pass++)
		for (a = addr; a < end;) {
			uint64_t chunk = PAGE_SIZE - (a & PAGE_OFFS_MASK);

			if (chunk > end - a)
				chunk = end - a;
			if (!paging_translate(&root_cell.stage2, a, &res) ||
			    !(res.flags & HV_MEM_WRITE))
				return -EFAULT;
			if (pass && src &&
			    simmem_write(&sb->mem, res.phys,
					 (const uint8_t *)src + (a - addr), chunk))
				return -ENOMEM;
			if (pass && !src)
				simmem_discard(&sb->mem, res.phys, chunk);
			a += chunk;
		}
	return 0;
}

/* Destroy as the ioctl does it; on success the cell's CPUs are back. */
static int destroy_cell(struct sim_board *sb, struct drv_cell *c, char *msg)
{
	struct sim_drv *d = sb->drv;
	const struct hv_cell_desc *desc = (const void *)c->config;
	unsigned long *cpus;
	struct per_cpu *caller;
	unsigned int cpu, id = c->id;
	int64_t ret;

	caller = root_cpu(sb, NULL, 0);
	ret = hv_hypercall(caller, HV_HC_CELL_DESTROY, id, 0);
	if (ret < 0)
		return hv_fail(msg, (int)ret);
	cpus = calloc(BITMAP_LONGS(sb->board.cpus), sizeof(unsigned long));
	for (cpu = 0; cpu < sb->board.cpus; cpu++) {
		if (!test_byte_bit(cpu, cfg_cpu_set(desc), desc->cpu_set_size))
			continue;
		if (cpus)
			set_bit(cpu, cpus);
		d->cpu_owner[cpu] = 0;
		/* Linux onlines the CPU again: PSCI CPU_ON. */
		cpu_psci_cpu_on(caller, cpu, 0, 0);
	}
	if (cpus)
		sb->hooks->cell_removed(sb, id, cpus);
	free(cpus);
	unregister_cell(sb, c);
	sb->hooks->cell_status(sb, &root_cell);
	sb->hooks->pools(sb);
	sb->hooks->event(sb, HVSIM_EV_CELL_REMOVE, (int32_t)id);
	return 0;
}

int drv_disable(struct sim_board *sb, char *msg)
{
	struct sim_drv *d = sb->drv;
	struct drv_cell *c;
	unsigned int cpu;
	int err;

	if (!d->enabled)
		return fail(msg, -EINVAL, "the hypervisor is not enabled");
	while ((c = d->cells) && c->id == 0 && c->next) {
		err = destroy_cell(sb, c->next, msg);
		if (err)
			return err;
	}
	for (cpu = 0; cpu < sb->board.cpus; cpu++) {
		int64_t ret = hv_hypercall(per_cpu(cpu), HV_HC_DISABLE, 0, 0);

		if (ret < 0)
			return hv_fail(msg, (int)ret);
	}
	drv_console_poll(sb);
	d->enabled = false;
	for (cpu = 0; cpu < sb->board.cpus; cpu++) {
		sb->guest.cpus[cpu].pc = NULL;
		sb->guest.cpus[cpu].root_running = false;
	}
	while (d->cells)
		unregister_cell(sb, d->cells);
	sb->hooks->disabled(sb);
	sb->hooks->event(sb, HVSIM_EV_CELL_REMOVE, 0);
	sb->hooks->event(sb, HVSIM_EV_DISABLED, -1);
	return 0;
}

/* Memory the root shares with a cell (ROOTSHARED) is that cell's too. */
static bool in_other_cell(uint64_t phys, uint64_t size)
{
	const struct cell *cell;
	unsigned int m;

	for_each_non_root_cell(cell) {
		const struct hv_memory *cm = cfg_mem(cell->config);

		for (m = 0; m < cell->config->num_memory_regions; m++)
			if (cm[m].size && !(cm[m].flags & HV_MEM_COMM_REGION) &&
			    phys < cm[m].phys_start + cm[m].size &&
			    cm[m].phys_start < phys + size)
				return true;
	}
	return false;
}

static bool root_candidate(struct sim_board *sb, const struct hv_memory *r,
			   uint64_t cand,
			   uint64_t size, uint64_t *gpa, uint64_t *phys)
{
	if (cand < r->phys_start || cand + size > r->phys_start + r->size ||
	    !cell_root_owns_mem(cand, size) || !board_range_in_ram(&sb->board, cand, size) ||
	    in_other_cell(cand, size))
		return false;
	*phys = cand;
	*gpa = r->virt_start + (cand - r->phys_start);
	return true;
}

/*
 * A root-owned, page-aligned RAM range for the driver's copy of a config
 * (what kmalloc would give the real driver): tried at the start of each
 * root RAM region and right behind each non-root cell's memory.
 */
static bool place_in_root(struct sim_board *sb, uint64_t len, uint64_t *gpa,
			  uint64_t *phys)
{
	const struct hv_cell_desc *rc = &hv_sys->root_cell;
	const struct hv_memory *mem = cfg_mem(rc);
	uint64_t size = PAGE_ALIGN(len);
	const struct cell *cell;
	unsigned int n, m;

	for (n = 0; n < rc->num_memory_regions; n++) {
		const struct hv_memory *r = &mem[n];

		if (!r->size || (r->flags & (HV_MEM_IO | HV_MEM_COMM_REGION)) ||
		    (r->flags & (HV_MEM_READ | HV_MEM_WRITE)) !=
		    (HV_MEM_READ | HV_MEM_WRITE) ||
		    ((r->phys_start | r->size) & PAGE_OFFS_MASK))
			continue;
		if (root_candidate(sb, r, r->phys_start, size, gpa, phys))
			return true;
		for_each_non_root_cell(cell) {
			const struct hv_memory *cm = cfg_mem(cell->config);

			for (m = 0; m < cell->config->num_memory_regions; m++)
				if (cm[m].size &&
				    root_candidate(sb, r, PAGE_ALIGN(cm[m].phys_start +
								 cm[m].size),
						   size, gpa, phys))
					return true;
		}
	}
	return false;
}

/*
 * The statistics report as hvdrv's statistics_all reads it: one
 * HV_HC_STATS_READ into a root RAM buffer, here from the root's last
 * running CPU (the observer; the real driver uses the reader's CPU).
 */
int drv_stats_report(struct sim_board *sb, uint8_t *buf, size_t cap,
		     size_t *len)
{
	struct sim_drv *d = sb->drv;
	struct per_cpu *caller = NULL;
	uint64_t gpa, phys;
	unsigned int cpu;
	int64_t ret;

	*len = 0;
	if (!d->enabled || !hv_enabled())
		return -ENODEV;
	for (cpu = 0; cpu < sb->board.cpus; cpu++)
		if (d->cpu_owner[cpu] == 0 && !per_cpu(cpu)->parked)
			caller = per_cpu(cpu);
	if (!caller || !place_in_root(sb, cap, &gpa, &phys))
		return -ENOMEM;
	ret = hv_hypercall(caller, HV_HC_STATS_READ, gpa, cap);
	if (ret >= 0 && (uint64_t)ret <= cap &&
	    simmem_read(&sb->mem, buf, phys, (uint64_t)ret))
		ret = -EFAULT;
	simmem_discard(&sb->mem, phys, PAGE_ALIGN(cap));
	if (ret < 0)
		return (int)ret;
	*len = (size_t)ret;
	return 0;
}

int drv_cell_create(struct sim_board *sb, const struct hv_ioc_cell_create *arg,
		    const void *config,
		    size_t size, int32_t *id_out, char *msg)
{
	struct sim_drv *d = sb->drv;
	const struct hv_cell_desc *desc = config;
	struct hv_cell_desc *copy;
	struct drv_cell *c;
	struct per_cpu *caller;
	uint64_t total, gpa, phys;
	unsigned int cpu, id, root_left = 0;
	struct cell *cell;
	int64_t ret;

	if (arg->config_size != size)
		return fail(msg, -EINVAL, "config_size %u does not match the %zu bytes sent",
			    arg->config_size, size);
	if (!desc || size < sizeof(*desc) ||
	    memcmp(desc->signature, HV_CELL_SIGNATURE, HV_SIGNATURE_LEN))
		return fail(msg, -EINVAL, "not a cell configuration");
	if (desc->revision != HV_CONFIG_REVISION)
		return fail(msg, -EINVAL, "config revision %u, expected %u",
			    desc->revision, HV_CONFIG_REVISION);
	if (desc->architecture != HV_ARCH_ARM64)
		return fail(msg, -EINVAL, "config for architecture %u, this board is arm64 (%u)",
			    desc->architecture, HV_ARCH_ARM64);
	if (!d->enabled)
		return fail(msg, -EINVAL, "the hypervisor is not enabled");
	for (c = d->cells; c; c = c->next)
		if (!strncmp(c->name, desc->name, HV_CELL_NAME_MAXLEN + 1))
			return fail(msg, -EEXIST, "a cell named \"%s\" exists (id %u)",
				    c->name, c->id);
	total = hv_cell_config_size(desc);
	if (total > size)
		return fail(msg, -EINVAL, "the config is truncated: %zu of %" PRIu64 " bytes",
			    size, total);
	for (cpu = 0; cpu < desc->cpu_set_size * 8u; cpu++) {
		if (!test_byte_bit(cpu, cfg_cpu_set(desc), desc->cpu_set_size))
			continue;
		if (cpu >= sb->board.cpus)
			return fail(msg, -EBUSY, "CPU %u does not exist on this board (%u CPUs)",
				    cpu, sb->board.cpus);
		if (d->cpu_owner[cpu] != 0)
			return fail(msg, -EBUSY, "CPU %u is owned by cell \"%s\"",
				    cpu, find_id(sb, d->cpu_owner[cpu])->name);
	}
	for (cpu = 0; cpu < sb->board.cpus; cpu++)
		if (d->cpu_owner[cpu] == 0 &&
		    !test_byte_bit(cpu, cfg_cpu_set(desc), desc->cpu_set_size))
			root_left++;
	caller = root_cpu(sb, cfg_cpu_set(desc), desc->cpu_set_size);
	if (!root_left || !caller)
		return fail(msg, -EBUSY, "the root cell would keep no CPU");

	for (id = 1; find_id(sb, id); id++)
		;
	copy = malloc(total);
	if (!copy)
		return fail(msg, -ENOMEM, "out of memory");
	memcpy(copy, config, total);
	copy->id = id;
	copy->name[HV_CELL_NAME_MAXLEN] = 0;
	if (copy->flags & HV_CELL_VIRTUAL_CONSOLE_ACTIVE)
		copy->flags |= HV_CELL_VIRTUAL_CONSOLE_PERMITTED;

	if (!place_in_root(sb, total, &gpa, &phys) ||
	    root_access(sb, gpa, copy, total)) {
		free(copy);
		return fail(msg, -ENOMEM, "no root cell memory for the config");
	}
	ret = hv_hypercall(caller, HV_HC_CELL_CREATE, gpa, 0);
	root_access(sb, gpa, NULL, total);
	if (ret < 0) {
		free(copy);
		return hv_fail(msg, (int)ret);
	}
	c = register_cell(sb, id, copy->name, (uint8_t *)copy, total);
	if (!c) {
		free(copy);
		return fail(msg, -ENOMEM, "out of memory");
	}
	for (cpu = 0; cpu < sb->board.cpus; cpu++)
		if (test_byte_bit(cpu, cfg_cpu_set(copy), copy->cpu_set_size))
			d->cpu_owner[cpu] = id;
	cell = cell_find(id);
	c->con_gen = cell->console ? cell->console->generation : 0;
	sb->hooks->cell_added(sb, cell, copy, total);
	sb->hooks->cell_status(sb, &root_cell);
	sb->hooks->pools(sb);
	sb->hooks->event(sb, HVSIM_EV_CELL_ADD, (int32_t)id);
	*id_out = (int32_t)id;
	return 0;
}

/* The region of the cell config an image goes into, or NULL (msg set). */
static const struct hv_memory *image_region(const struct drv_cell *c,
					    const struct hv_ioc_preload_image *img,
					    unsigned int i, size_t data_size,
					    int *err, char *msg)
{
	const struct hv_cell_desc *desc = (const void *)c->config;
	const struct hv_memory *mem = cfg_mem(desc), *r;
	unsigned int n;

	if (img->source_address > data_size ||
	    img->size > data_size - img->source_address) {
		*err = fail(msg, -EFAULT, "image %u: bytes %" PRIu64 "+%" PRIu64 " lie outside the %zu bytes sent",
			    i, (uint64_t)img->source_address,
			    (uint64_t)img->size, data_size);
		return NULL;
	}
	for (n = 0; n < desc->num_memory_regions; n++) {
		r = &mem[n];
		if (!r->size || img->target_address < r->virt_start ||
		    img->target_address - r->virt_start >= r->size)
			continue;
		if (img->size > r->size - (img->target_address - r->virt_start)) {
			*err = fail(msg, -EINVAL, "image %u: %" PRIu64 " bytes at 0x%" PRIx64 " cross the end of memory region %u (0x%" PRIx64 "+0x%" PRIx64 ")",
				    i, (uint64_t)img->size,
				    (uint64_t)img->target_address, n,
				    (uint64_t)r->virt_start, (uint64_t)r->size);
			return NULL;
		}
		if (r->flags & HV_MEM_COMM_REGION) {
			*err = fail(msg, -EINVAL, "image %u: memory region %u at 0x%" PRIx64 " is the comm region, the hypervisor's page, which is never loaded",
				    i, n, (uint64_t)r->virt_start);
			return NULL;
		}
		if ((r->flags & (HV_MEM_WRITE | HV_MEM_LOADABLE)) !=
		    (HV_MEM_WRITE | HV_MEM_LOADABLE)) {
			*err = fail(msg, -EINVAL, "image %u: memory region %u at 0x%" PRIx64 " is not writable and loadable",
				    i, n, (uint64_t)r->virt_start);
			return NULL;
		}
		return r;
	}
	*err = fail(msg, -EINVAL, "image %u: address 0x%" PRIx64 " is in no memory region of cell \"%s\"",
		    i, (uint64_t)img->target_address, c->name);
	return NULL;
}

int drv_cell_load(struct sim_board *sb, const struct hv_ioc_cell_load *arg,
		  size_t arg_size,
		  const uint8_t *data, size_t data_size, char *msg)
{
	struct sim_drv *d = sb->drv;
	const struct hv_cell_desc *desc;
	const struct hv_memory *mem, *r;
	struct drv_cell *c;
	unsigned int i;
	bool *cleared;
	int64_t ret;
	int err = 0;

	if (arg_size < sizeof(*arg) ||
	    arg_size != sizeof(*arg) + (uint64_t)arg->num_preload_images *
	    sizeof(struct hv_ioc_preload_image))
		return fail(msg, -EINVAL, "argument size %zu does not fit %u images",
			    arg_size, arg_size < sizeof(*arg) ? 0 :
			    arg->num_preload_images);
	if (!d->enabled)
		return fail(msg, -EINVAL, "the hypervisor is not enabled");
	c = lookup(sb, &arg->cell_id, msg);
	if (!c)
		return -ENOENT;
	if (c->id == 0)
		return fail(msg, -EINVAL, "the root cell cannot be loaded");
	/*
	 * Every image is checked before the cell is touched (the upstream
	 * driver stops the cell first): a refused load changes nothing.
	 */
	for (i = 0; i < arg->num_preload_images; i++)
		if (arg->image[i].size &&
		    !image_region(c, &arg->image[i], i, data_size, &err, msg))
			return err;

	ret = hv_hypercall(root_cpu(sb, NULL, 0), HV_HC_CELL_SET_LOADABLE, c->id,
			   0);
	if (ret < 0)
		return hv_fail(msg, (int)ret);
	sb->hooks->cell_status(sb, cell_find(c->id));
	sb->hooks->pools(sb);

	desc = (const void *)c->config;
	mem = cfg_mem(desc);
	cleared = calloc(desc->num_memory_regions + 1, sizeof(*cleared));
	if (!cleared)
		return fail(msg, -ENOMEM, "out of memory");
	for (i = 0; i < arg->num_preload_images; i++) {
		const struct hv_ioc_preload_image *img = &arg->image[i];

		if (!img->size)
			continue;
		r = image_region(c, img, i, data_size, &err, msg);
		/*
		 * hvsim's deviation from real RAM: a region is cleared before
		 * its first new image, so a shorter guest script never runs
		 * into the tail of an older one (GUEST.md).
		 */
		if (!cleared[r - mem]) {
			if (root_access(sb, r->phys_start, NULL, r->size)) {
				err = fail(msg, -EBUSY, "image %u: the root cell does not map memory region %u (0x%" PRIx64 "+0x%" PRIx64 ") for loading",
					   i, (unsigned int)(r - mem),
					   (uint64_t)r->phys_start,
					   (uint64_t)r->size);
				break;
			}
			cleared[r - mem] = true;
		}
		if (root_access(sb, r->phys_start +
				(img->target_address - r->virt_start),
				data + img->source_address, img->size)) {
			err = fail(msg, -EBUSY, "image %u: cannot map the cell's memory",
				   i);
			break;
		}
	}
	free(cleared);
	return err;
}

int drv_cell_start(struct sim_board *sb, const struct hv_ioc_cell_id *arg,
		   char *msg)
{
	struct sim_drv *d = sb->drv;
	struct drv_cell *c;
	int64_t ret;

	if (!d->enabled)
		return fail(msg, -EINVAL, "the hypervisor is not enabled");
	c = lookup(sb, arg, msg);
	if (!c)
		return -ENOENT;
	ret = hv_hypercall(root_cpu(sb, NULL, 0), HV_HC_CELL_START, c->id, 0);
	if (ret < 0)
		return hv_fail(msg, (int)ret);
	sb->hooks->cell_status(sb, cell_find(c->id));
	sb->hooks->pools(sb);
	return 0;
}

int drv_cell_destroy(struct sim_board *sb, const struct hv_ioc_cell_id *arg,
		     char *msg)
{
	struct sim_drv *d = sb->drv;
	struct drv_cell *c;

	if (!d->enabled)
		return fail(msg, -EINVAL, "the hypervisor is not enabled");
	c = lookup(sb, arg, msg);
	if (!c)
		return -ENOENT;
	if (c->id == 0)
		return fail(msg, -EINVAL, "the root cell cannot be destroyed");
	return destroy_cell(sb, c, msg);
}

static struct hv_virt_console *hv_ring(struct sim_board *sb)
{
	struct sim_drv *d = sb->drv;

	return d->hv_mem ? (struct hv_virt_console *)(d->hv_mem + IMG_CONSOLE_OFFSET)
		      : NULL;
}

void drv_console_poll(struct sim_board *sb)
{
	struct sim_drv *d = sb->drv;
	struct hv_virt_console *ring = hv_ring(sb);
	struct drv_cell *c;

	if (ring && d->enabled) {
		d->hv_con_total += (uint32_t)(ring->tail - d->hv_con_last);
		d->hv_con_last = ring->tail;
	}
	if (!d->enabled)
		return;
	for (c = d->cells; c; c = c->next) {
		struct cell *cell = cell_find(c->id);
		struct hv_cell_console *cr = cell ? cell->console : NULL;

		if (!cr)
			continue;
		if (cr->generation != c->con_gen) {
			c->con_gen = cr->generation;
			c->con_last = 0;
			c->con_total = 0;
		}
		c->con_total += (uint32_t)(cr->tail - c->con_last);
		c->con_last = cr->tail;
	}
}

int drv_console_read(struct sim_board *sb, int32_t cell_id, uint64_t head,
		     struct hvsim_console_data *hdr, char *buf, size_t *len,
		     char *msg)
{
	struct sim_drv *d = sb->drv;
	const char *content = NULL;
	uint64_t tail = 0, start;
	uint32_t size = HV_CONSOLE_SIZE;

	memset(hdr, 0, sizeof(*hdr));
	*len = 0;
	if (cell_id < -1)
		return fail(msg, -EINVAL, "cell id %d is not valid", cell_id);
	drv_console_poll(sb);
	if (cell_id == -1) {
		if (!d->ever_enabled)
			return fail(msg, -EAGAIN, "the hypervisor has not been enabled yet");
		if (!d->console_flag)
			return fail(msg, -EPERM, "the system config does not allow reading the hypervisor console");
		content = hv_ring(sb)->content;
		tail = d->hv_con_total;
	} else {
		struct drv_cell *c;
		struct cell *cell;

		if (!d->enabled)
			return fail(msg, -EINVAL, "the hypervisor is not enabled");
		c = find_id(sb, (unsigned int)cell_id);
		if (!c)
			return fail(msg, -ENOENT, "no cell with id %d", cell_id);
		cell = cell_find(c->id);
		if (cell && cell->console) {
			content = cell->console->content;
			size = HV_CELL_CONSOLE_SIZE;
			tail = c->con_total;
			hdr->generation = cell->console->generation;
		}
	}
	if (head > tail)
		head = 0;
	start = tail > size ? tail - size : 0;
	if (start < head)
		start = head;
	hdr->tail = tail;
	hdr->lost = start - head;
	if (content)
		*len = hv_console_ring_copy(buf, content, size, start, tail);
	return 0;
}

static size_t ring_text(const char *content, uint32_t size, uint64_t tail,
			char *buf)
{
	return hv_console_ring_copy(buf, content, size,
				    tail > size ? tail - size : 0, tail);
}

size_t drv_hv_console_text(struct sim_board *sb, char *buf)
{
	struct sim_drv *d = sb->drv;

	if (!d->enabled || !hv_ring(sb))
		return 0;
	drv_console_poll(sb);
	return ring_text(hv_ring(sb)->content, HV_CONSOLE_SIZE, d->hv_con_total,
			 buf);
}

size_t drv_cell_console_text(struct sim_board *sb, unsigned int id, char *buf)
{
	struct sim_drv *d = sb->drv;
	struct drv_cell *c = find_id(sb, id);
	struct cell *cell = d->enabled ? cell_find(id) : NULL;

	if (!c || !cell || !cell->console)
		return 0;
	return ring_text(cell->console->content, HV_CELL_CONSOLE_SIZE,
			 c->con_total, buf);
}

bool drv_console_permitted(struct sim_board *sb)
{
	struct sim_drv *d = sb->drv;

	return d->console_flag;
}

void drv_exit(struct sim_board *sb)
{
	struct sim_drv *d = sb->drv;

	if (!d)
		return;
	while (d->cells)
		unregister_cell(sb, d->cells);
	free_hv_mem(d->hv_mem, d->hv_mem_size);
	d->hv_mem = NULL;
	simmem_set_hv(&sb->mem, 0, NULL, 0);
	simmem_free_all(&sb->mem);
	guest_exit(sb);
	free(d->cpu_owner);
	free(d);
	sb->drv = NULL;
}
