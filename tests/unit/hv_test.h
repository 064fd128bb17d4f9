/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the hypervisor unit tests (tests/unit/test_hv_*.c): a
 * simulated board in the test process, configs built from the
 * include/hvabi structs, and the sim driver calls. Header-only because the
 * test_hv_* binaries link the core and the sim port and nothing else.
 */
#ifndef HV_TEST_H
#define HV_TEST_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <hvabi/cell-config.h>
#include <hvabi/hypercall.h>
#include <hvabi/ioctl.h>

#include <hv/arch.h>
#include <hv/cell.h>
#include <hv/control.h>
#include <hv/lib.h>
#include <hv/percpu.h>
#include <hv/pool.h>

#include <sim/board.h>
#include <sim/driver.h>
#include <sim/guest.h>
#include <sim/hvsim.h>
#include <sim/loop.h>
#include <sim/sim.h>
#include <sim/simdir.h>
#include <sim/simmem.h>
#include <sim/sysfs.h>

#define HVT_MAX_MEM	24
#define HVT_BUF		65536

struct hvt_cell {
	const char *name;
	uint64_t cpus;
	uint32_t flags;
	uint64_t reset;
	uint64_t timeout;
	uint32_t vpci_irq_base;
	struct hv_memory mem[HVT_MAX_MEM];
	unsigned int nmem;
	struct hv_irqchip irq[2];
	unsigned int nirq;
	struct hv_pci_device pci[4];
	unsigned int npci;
};

static char hvt_dir[64];
static char hvt_msg[DRV_MSG_LEN];
/* The test's board, from hvt_setup() to hvt_teardown(). */
static struct sim_board *hvt_sb;

static inline void hvt_board(struct board *board, unsigned int cpus)
{
	memset(board, 0, sizeof(*board));
	strcpy(board->name, "test-board");
	board->cpus = cpus;
	board->ram[0].start = 0x40000000;
	board->ram[0].size = 0x40000000;
	board->num_ram = 1;
	board->gic_version = 3;
	board->gicd.start = 0x08000000;
	board->gicd.size = 0x10000;
	board->gicr.start = 0x080a0000;
	board->gicr.size = 0xf60000;
	board->uart.start = 0x09000000;
	board->uart.size = 0x1000;
	board->uart_type = HV_CON_TYPE_PL011;
	board->uart_irq = 33;
	board->pci_ecam = 0x08e00000;
	board->pci_domain = 1;
	/* Quiet root: counters only move when a test makes them. */
	board->root_activity = 0;
}

static inline int hvt_setup_cpus(unsigned int cpus)
{
	struct board board;

	hvt_board(&board, cpus);
	hvt_sb = sim_board_new(&board);
	if (!hvt_sb)
		return -1;
	strcpy(hvt_dir, "/tmp/hvtest.XXXXXX");
	if (!mkdtemp(hvt_dir))
		return -1;
	if (simdir_open(&hvt_sb->dir, hvt_dir, 0700, hvt_msg,
			sizeof(hvt_msg)) ||
	    loop_init(&hvt_sb->loop) || drv_init(hvt_sb) || sysfs_init(hvt_sb))
		return -1;
	return 0;
}

static inline int hvt_setup(void **state)
{
	(void)state;
	return hvt_setup_cpus(8);
}

static inline int hvt_teardown(void **state)
{
	(void)state;
	/* Where a cell refuses, sim_board_free() tears down as hvsim does. */
	if (drv_enabled(hvt_sb))
		drv_disable(hvt_sb, hvt_msg);
	sim_board_free(hvt_sb);
	hvt_sb = NULL;
	rmdir(hvt_dir);
	return 0;
}

static inline void hvt_mem(struct hvt_cell *c, uint64_t phys, uint64_t virt,
			   uint64_t size, uint64_t flags)
{
	struct hv_memory *m = &c->mem[c->nmem++];

	m->phys_start = phys;
	m->virt_start = virt;
	m->size = size;
	m->flags = flags;
}

/* Grants INTIDs first..last (at most 128 from first & ~31, first >= 32). */
static inline void hvt_irqs(struct hvt_cell *c, unsigned int first,
			    unsigned int last)
{
	struct hv_irqchip *chip = &c->irq[c->nirq++];
	unsigned int irq, base = first & ~31u;

	memset(chip, 0, sizeof(*chip));
	chip->address = 0x08000000;
	chip->pin_base = base;
	for (irq = first; irq <= last && irq - base < HV_IRQCHIP_PINS; irq++)
		chip->pin_bitmap[(irq - base) / 32] |= 1u << ((irq - base) % 32);
}

static inline struct hv_pci_device *hvt_ivshmem(struct hvt_cell *c,
						uint16_t bdf,
						unsigned int regions_start,
						uint8_t id, uint8_t peers)
{
	struct hv_pci_device *d = &c->pci[c->npci++];

	memset(d, 0, sizeof(*d));
	d->type = HV_PCI_TYPE_IVSHMEM;
	d->domain = 1;
	d->bdf = bdf;
	d->bar_mask[0] = 0xfffff000;
	d->shmem_regions_start = regions_start;
	d->shmem_dev_id = id;
	d->shmem_peers = peers;
	return d;
}

/* The regions of the a/b ivshmem link at 0x7fb00000, peer `id` writable. */
static inline unsigned int hvt_link_regions(struct hvt_cell *c, int id,
					    uint64_t extra)
{
	unsigned int start = c->nmem;

	hvt_mem(c, 0x7fb00000, 0x7fb00000, 0x1000, HV_MEM_READ | extra);
	hvt_mem(c, 0, 0, 0, 0);
	hvt_mem(c, 0x7fb01000, 0x7fb01000, 0x7f000,
		HV_MEM_READ | (id == 0 ? HV_MEM_WRITE : 0) | extra);
	hvt_mem(c, 0x7fb80000, 0x7fb80000, 0x7f000,
		HV_MEM_READ | (id == 1 ? HV_MEM_WRITE : 0) | extra);
	return start;
}

static inline size_t hvt_put_desc(const struct hvt_cell *c, uint8_t *out,
				  struct hv_cell_desc *d)
{
	uint8_t *p = (uint8_t *)(d + 1);
	uint64_t cpus = c->cpus;

	memcpy(d->signature, HV_CELL_SIGNATURE, HV_SIGNATURE_LEN);
	d->architecture = HV_ARCH_ARM64;
	d->revision = HV_CONFIG_REVISION;
	snprintf(d->name, sizeof(d->name), "%s", c->name);
	d->flags = c->flags;
	d->cpu_set_size = 8;
	d->num_memory_regions = c->nmem;
	d->num_irqchips = c->nirq;
	d->num_pci_devices = c->npci;
	d->vpci_irq_base = c->vpci_irq_base;
	d->cpu_reset_address = c->reset;
	d->msg_reply_timeout = c->timeout;
	memcpy(p, &cpus, 8);
	p += 8;
	memcpy(p, c->mem, c->nmem * sizeof(struct hv_memory));
	p += c->nmem * sizeof(struct hv_memory);
	memcpy(p, c->irq, c->nirq * sizeof(struct hv_irqchip));
	p += c->nirq * sizeof(struct hv_irqchip);
	memcpy(p, c->pci, c->npci * sizeof(struct hv_pci_device));
	p += c->npci * sizeof(struct hv_pci_device);
	return (size_t)(p - out);
}

static inline size_t hvt_cell_bytes(const struct hvt_cell *c, uint8_t *out)
{
	memset(out, 0, HVT_BUF);
	return hvt_put_desc(c, out, (struct hv_cell_desc *)out);
}

static inline size_t hvt_system_bytes(const struct hvt_cell *root,
				      uint32_t sys_flags, uint8_t *out)
{
	struct hv_system *s = (struct hv_system *)out;

	memset(out, 0, HVT_BUF);
	memcpy(s->signature, HV_SYSTEM_SIGNATURE, HV_SIGNATURE_LEN);
	s->architecture = HV_ARCH_ARM64;
	s->revision = HV_CONFIG_REVISION;
	s->flags = sys_flags;
	s->hypervisor_memory.phys_start = 0x7fc00000;
	s->hypervisor_memory.size = 0x400000;
	s->debug_console.address = 0x09000000;
	s->debug_console.size = 0x1000;
	s->debug_console.type = HV_CON_TYPE_PL011;
	s->debug_console.flags = HV_CON_ACCESS_MMIO | HV_CON_REGDIST_4;
	s->platform_info.pci_mmconfig_base = 0x08e00000;
	s->platform_info.pci_is_virtual = 1;
	s->platform_info.pci_domain = 1;
	s->platform_info.arm.gic_version = 3;
	s->platform_info.arm.maintenance_irq = 25;
	s->platform_info.arm.gicd_base = 0x08000000;
	s->platform_info.arm.gicr_base = 0x080a0000;
	return hvt_put_desc(root, out, &s->root_cell);
}

/* Root cell of the sim board (as configs/sim/system.json, n CPUs). */
static inline void hvt_root(struct hvt_cell *c, unsigned int cpus)
{
	memset(c, 0, sizeof(*c));
	c->name = "sim-root";
	c->cpus = cpus >= 64 ? ~0ULL : (1ULL << cpus) - 1;
	c->vpci_irq_base = 96;
	hvt_mem(c, 0x40000000, 0x40000000, 0x3fa00000,
		HV_MEM_READ | HV_MEM_WRITE | HV_MEM_EXECUTE);
	/* Devices around what the hypervisor keeps (GIC, ECAM), the UART. */
	hvt_mem(c, 0x081a0000, 0x081a0000, 0x00c60000,
		HV_MEM_READ | HV_MEM_WRITE | HV_MEM_IO);
	hvt_mem(c, 0x08f00000, 0x08f00000, 0x00101000,
		HV_MEM_READ | HV_MEM_WRITE | HV_MEM_IO);
	hvt_link_regions(c, -1, 0);
	hvt_irqs(c, 32, 159);
}

/* An RTOS-like cell on one CPU with 1 MiB of RAM at phys, virt 0. */
static inline void hvt_small_cell(struct hvt_cell *c, const char *name,
				  unsigned int cpu, uint64_t phys)
{
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->cpus = 1ULL << cpu;
	c->flags = HV_CELL_PASSIVE_COMMREG | HV_CELL_VIRTUAL_CONSOLE_PERMITTED;
	hvt_mem(c, phys, 0, 0x100000, HV_MEM_READ | HV_MEM_WRITE |
		HV_MEM_EXECUTE | HV_MEM_LOADABLE);
	hvt_mem(c, 0, 0x80000000, 0x1000,
		HV_MEM_READ | HV_MEM_WRITE | HV_MEM_COMM_REGION);
	/* A device page shared with the root (not the hypervisor's UART). */
	hvt_mem(c, 0x08f00000, 0x08f00000, 0x1000, HV_MEM_READ |
		HV_MEM_WRITE | HV_MEM_IO | HV_MEM_ROOTSHARED);
}

static inline int hvt_enable_flags(uint32_t sys_flags)
{
	static uint8_t buf[HVT_BUF];
	struct hvt_cell root;
	size_t len;

	hvt_root(&root, hvt_sb->board.cpus);
	len = hvt_system_bytes(&root, sys_flags, buf);
	return drv_enable(hvt_sb, buf, len, hvt_msg);
}

static inline int hvt_enable(void)
{
	return hvt_enable_flags(HV_SYS_VIRTUAL_DEBUG_CONSOLE);
}

/* Creates the cell; returns its id or -errno. */
static inline int hvt_create(const struct hvt_cell *c)
{
	static uint8_t buf[HVT_BUF];
	struct hv_ioc_cell_create arg = { 0 };
	int32_t id = -1;
	size_t len = hvt_cell_bytes(c, buf);
	int err;

	arg.config_size = (uint32_t)len;
	err = drv_cell_create(hvt_sb, &arg, buf, len, &id, hvt_msg);
	return err ? err : id;
}

static inline struct hv_ioc_cell_id hvt_id(int id)
{
	struct hv_ioc_cell_id cid;

	memset(&cid, 0, sizeof(cid));
	cid.id = id;
	return cid;
}

static inline int hvt_load(int id, const void *bytes, size_t len,
			   uint64_t addr)
{
	struct {
		struct hv_ioc_cell_load load;
		struct hv_ioc_preload_image img;
	} arg;

	memset(&arg, 0, sizeof(arg));
	arg.load.cell_id = hvt_id(id);
	arg.load.num_preload_images = 1;
	arg.img.source_address = 0;
	arg.img.size = len;
	arg.img.target_address = addr;
	return drv_cell_load(hvt_sb, &arg.load, sizeof(arg), bytes, len, hvt_msg);
}

static inline int hvt_start(int id)
{
	struct hv_ioc_cell_id cid = hvt_id(id);

	return drv_cell_start(hvt_sb, &cid, hvt_msg);
}

static inline int hvt_destroy(int id)
{
	struct hv_ioc_cell_id cid = hvt_id(id);

	return drv_cell_destroy(hvt_sb, &cid, hvt_msg);
}

static inline int hvt_run_script(int id, const char *script)
{
	int err = hvt_load(id, script, strlen(script) + 1, 0);

	return err ? err : hvt_start(id);
}

/* Runs the simulated board (guests, timers) for ms milliseconds. */
static inline void hvt_run_ms(unsigned int ms)
{
	uint64_t end = loop_now() + ms * NSEC_PER_MSEC;

	while (loop_now() < end)
		loop_run_once(&hvt_sb->loop, end);
}

static inline struct per_cpu *hvt_root_cpu(void)
{
	return per_cpu((unsigned int)cell_first_cpu(&root_cell));
}

static inline uint32_t hvt_stat(unsigned int cpu, unsigned int stat)
{
	return cpu_stat_read(per_cpu(cpu), stat);
}

/* Reads a sysfs file of the test board into buf (NUL-terminated). */
static inline const char *hvt_sysfs(const char *rel, char *buf, size_t size)
{
	char path[256];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/sysfs/%s", hvt_dir, rel);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, size - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/* Whether cell `cell`'s console file reads exactly `want` now. */
static inline bool hvt_console_is(int cell, const char *want)
{
	char rel[64], buf[4096];

	sysfs_flush(hvt_sb);
	snprintf(rel, sizeof(rel), "cells/%d/console", cell);
	return hvt_sysfs(rel, buf, sizeof(buf)) && strcmp(buf, want) == 0;
}

/*
 * Runs the board until a cell's console reads exactly `want`, or `max_ms`
 * pass. Guests sleep in real time, so a fixed run length fails on a slow
 * or loaded machine (valgrind, CI); waiting for the outcome does not.
 * The caller then asserts the console text itself.
 */
static inline void hvt_run_until_console(int cell, const char *want,
					 unsigned int max_ms)
{
	uint64_t end = loop_now() + (uint64_t)max_ms * NSEC_PER_MSEC;

	while (!hvt_console_is(cell, want) && loop_now() < end)
		hvt_run_ms(1);
}

/* Runs the board until CPU `cpu` is parked as failed, or `max_ms` pass. */
static inline void hvt_run_until_failed(unsigned int cpu, unsigned int max_ms)
{
	uint64_t end = loop_now() + (uint64_t)max_ms * NSEC_PER_MSEC;

	while (!per_cpu(cpu)->failed && loop_now() < end)
		hvt_run_ms(1);
}

#endif /* !HV_TEST_H */
