// SPDX-License-Identifier: MIT
/*
 * ivshmem devices from the cell's side (ivshmem.h). Config space is read
 * and written 32 bits at a time (the MMU is off: Device memory, aligned).
 */
#include "inmate.h"
#include "ivshmem.h"

#include <hvabi/cell-config.h>
#include <hvabi/ivshmem.h>

#define ECAM_BUS_SIZE		0x100000UL
#define CFG_ID			0x00
#define CFG_COMMAND		0x04
#define CFG_BAR0		0x10
#define CFG_INT			0x3c	/* line, pin */
#define CMD_MEM			(1u << 1)

static uint64_t cfg_addr(uint16_t bdf, unsigned int reg)
{
	return comm_region->pci_mmconfig_base + ((uint64_t)bdf << 12) + reg;
}

static uint32_t cfg_read(uint16_t bdf, unsigned int reg)
{
	return mmio_read32(cfg_addr(bdf, reg));
}

static void cfg_write(uint16_t bdf, unsigned int reg, uint32_t v)
{
	mmio_write32(cfg_addr(bdf, reg), v);
}

static uint64_t cfg_read64(uint16_t bdf, unsigned int reg)
{
	return cfg_read(bdf, reg) | ((uint64_t)cfg_read(bdf, reg + 4) << 32);
}

bool ivshmem_find(struct ivshmem_dev *d, unsigned int index)
{
	uint64_t bar = comm_region->pci_mmconfig_base + ECAM_BUS_SIZE;
	uint32_t want = HV_IVSHMEM_VENDOR_ID | (HV_IVSHMEM_DEVICE_ID << 16);
	unsigned int dev, found = 0;

	if (!comm_region->pci_mmconfig_base)
		return false;
	for (dev = 0; dev < 32; dev++) {
		uint16_t bdf = (uint16_t)(dev << 3);
		uint32_t size;

		if (cfg_read(bdf, CFG_ID) != want)
			continue;
		/* Every device's BAR0 gets its slot, used or not. */
		cfg_write(bdf, CFG_BAR0, 0xffffffff);
		size = ~(cfg_read(bdf, CFG_BAR0) & ~0xfu) + 1;
		bar = (bar + size - 1) & ~((uint64_t)size - 1);
		if (found++ != index) {
			bar += size;
			continue;
		}
		cfg_write(bdf, CFG_BAR0, (uint32_t)bar);
		cfg_write(bdf, CFG_COMMAND, CMD_MEM);
		d->bdf = bdf;
		d->regs = bar;
		d->id = mmio_read32(bar + HV_IVSHMEM_REG_ID);
		d->peers = mmio_read32(bar + HV_IVSHMEM_REG_MAX_PEERS);
		d->state_table = cfg_read64(bdf, HV_IVSHMEM_CFG_ADDRESS);
		d->rw = d->state_table + cfg_read(bdf, HV_IVSHMEM_CFG_STATE_TAB_SZ);
		d->rw_size = cfg_read64(bdf, HV_IVSHMEM_CFG_RW_SECTION_SZ);
		d->outputs = d->rw + d->rw_size;
		d->out_size = cfg_read64(bdf, HV_IVSHMEM_CFG_OUTPUT_SECTION_SZ);
		d->irq = 32 + comm_region->vpci_irq_base +
			 ((cfg_read(bdf, CFG_INT) >> 8) & 0xff) - 1;
		return true;
	}
	return false;
}

volatile uint8_t *ivshmem_output(const struct ivshmem_dev *d,
				 unsigned int peer)
{
	if (peer >= d->peers)
		return 0;
	return (volatile uint8_t *)(d->outputs + peer * d->out_size);
}

void ivshmem_enable_irq(const struct ivshmem_dev *d)
{
	gic_enable_irq(d->irq);
	mmio_write32(d->regs + HV_IVSHMEM_REG_INT_CTRL, HV_IVSHMEM_INT_ENABLE);
}

void ivshmem_ring(const struct ivshmem_dev *d, unsigned int peer)
{
	mmio_write32(d->regs + HV_IVSHMEM_REG_DOORBELL,
		     HV_IVSHMEM_DOORBELL(peer, 0));
}

void ivshmem_set_state(const struct ivshmem_dev *d, uint32_t state)
{
	mmio_write32(d->regs + HV_IVSHMEM_REG_STATE, state);
}

uint32_t ivshmem_peer_state(const struct ivshmem_dev *d, unsigned int peer)
{
	if (peer >= d->peers)
		return 0;
	return mmio_read32(d->state_table + 4ULL * peer);
}
