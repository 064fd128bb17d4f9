// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated MMIO: the GIC distributor and redistributors (read as zero
 * except identification registers, writes ignored: interrupt routing is
 * the port's business), the virtual PCI ECAM window with the cell's ivshmem
 * devices and their BAR0 registers (vpci.c), and sub-page device regions of
 * the cell.
 */
#include <hv/arch.h>
#include <hv/cell.h>
#include <hv/control.h>
#include <hv/ivshmem.h>
#include <hv/lib.h>
#include <hv/mmio.h>
#include <hv/percpu.h>
#include <hv/vpci.h>

#define GICD_SIZE		0x10000ULL
#define GICR_STRIDE		0x20000ULL	/* RD_base + SGI_base frames */
#define GICD_TYPER		0x0004
#define GIC_PIDR2		0xffe8
#define GIC_PIDR2_ARCH_V3	0x30
#define GICR_TYPER		0x0008

static bool in_window(uint64_t addr, unsigned int size, uint64_t base,
		      uint64_t len)
{
	return addr >= base && addr - base < len && len - (addr - base) >= size;
}

static uint64_t gicd_read(uint64_t off)
{
	if (off == GICD_TYPER)
		return (1020 / 32) - 1;	/* ITLinesNumber: all SPIs */
	if (off == GIC_PIDR2)
		return GIC_PIDR2_ARCH_V3;
	return 0;
}

static uint64_t gicr_read(uint64_t off)
{
	uint64_t cpu = off / GICR_STRIDE, reg = off % GICR_STRIDE;

	if (reg == GICR_TYPER)
		/* Processor number, and Last for the final redistributor. */
		return (cpu << 8) | (cpu + 1 == hv_max_cpus ? (1 << 4) : 0);
	if (reg == GIC_PIDR2)
		return GIC_PIDR2_ARCH_V3;
	return 0;
}

static bool width_allowed(uint64_t flags, unsigned int size)
{
	switch (size) {
	case 1:
		return flags & HV_MEM_IO_8;
	case 2:
		return flags & HV_MEM_IO_16;
	case 4:
		return flags & HV_MEM_IO_32;
	case 8:
		return flags & HV_MEM_IO_64;
	default:
		return false;
	}
}

/*
 * Device regions of the cell that are emulated access by access: its
 * sub-page regions and, for the root cell, the rest of a page-aligned
 * region whose page it lost to a sub-page region of another cell. The root
 * is checked against what it owns now, not against its config, so a
 * device it gave away is out of its reach until the other cell goes.
 */
static enum mmio_result subpage_access(struct cell *cell, uint64_t addr,
				       unsigned int size, bool is_write,
				       uint64_t *value)
{
	const struct hv_memory *mem = cfg_mem(cell->config);
	bool is_root = cell == &root_cell;
	unsigned int n;

	for (n = 0; n < cell->config->num_memory_regions; n++) {
		const struct hv_memory *r = &mem[n];
		bool subpage = (r->phys_start | r->virt_start | r->size) &
			       PAGE_OFFS_MASK;
		uint64_t phys;

		if (!r->size || !(r->flags & HV_MEM_IO) ||
		    (r->flags & HV_MEM_COMM_REGION) || (!subpage && !is_root) ||
		    !in_window(addr, size, r->virt_start, r->size))
			continue;
		phys = r->phys_start + (addr - r->virt_start);
		if (is_root && !cell_root_owns_mem(phys, size))
			return MMIO_UNHANDLED;
		if (subpage ? !width_allowed(r->flags, size) ||
			      (!(r->flags & HV_MEM_IO_UNALIGNED) &&
			       (addr & (size - 1)))
			    : (addr & (size - 1)) != 0)
			return MMIO_UNHANDLED;
		if (!(r->flags & (is_write ? HV_MEM_WRITE : HV_MEM_READ)))
			return MMIO_UNHANDLED;
		if (is_write)
			return arch_phys_write(phys, value, size) ?
			       MMIO_UNHANDLED : MMIO_HANDLED;
		*value = 0;
		return arch_phys_read(value, phys, size) ? MMIO_UNHANDLED :
							  MMIO_HANDLED;
	}
	return MMIO_UNHANDLED;
}

enum mmio_result mmio_handle_access(struct per_cpu *cpu, uint64_t addr,
				    unsigned int size, bool is_write,
				    uint64_t *value)
{
	const struct hv_platform_info *pi = &hv_sys->platform_info;
	uint64_t ecam_size = ((uint64_t)pi->pci_mmconfig_end_bus + 1) << 20;

	cpu_stat_exit(cpu, HV_STAT_MMIO);
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return MMIO_UNHANDLED;
	if (in_window(addr, size, pi->arm.gicd_base, GICD_SIZE)) {
		if (!is_write)
			*value = gicd_read(addr - pi->arm.gicd_base);
		return MMIO_HANDLED;
	}
	if (pi->arm.gicr_base &&
	    in_window(addr, size, pi->arm.gicr_base,
		      GICR_STRIDE * hv_max_cpus)) {
		if (!is_write)
			*value = gicr_read(addr - pi->arm.gicr_base);
		return MMIO_HANDLED;
	}
	if (pi->pci_is_virtual && pi->pci_mmconfig_base &&
	    in_window(addr, size, pi->pci_mmconfig_base, ecam_size)) {
		return vpci_ecam_access(cpu->cell,
					addr - pi->pci_mmconfig_base, size,
					is_write, value);
	}
	if (pi->pci_is_virtual &&
	    vpci_bar_access(cpu, addr, size, is_write, value) == MMIO_HANDLED)
		return MMIO_HANDLED;
	return subpage_access(cpu->cell, addr, size, is_write, value);
}
