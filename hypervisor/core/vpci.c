// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual PCI for ivshmem (see hv/vpci.h): the emulated config space of
 * each endpoint, built from its link and its cell's config at every read,
 * and the dispatch of ECAM and BAR0 accesses. The registers behind BAR0
 * are ivshmem.c's.
 */
#include <hv/cell.h>
#include <hv/ivshmem.h>
#include <hv/lib.h>
#include <hv/percpu.h>
#include <hv/vpci.h>

#define CFG_VENDOR_ID		0x00
#define CFG_DEVICE_ID		0x02
#define CFG_COMMAND		0x04
#define CFG_STATUS		0x06
#define CFG_CLASS_IF		0x09
#define CFG_BAR0		0x10
#define CFG_SUBSYS_VENDOR	0x2c
#define CFG_SUBSYS_ID		0x2e
#define CFG_CAP_PTR		0x34
#define CFG_INT_LINE		0x3c
#define CFG_INT_PIN		0x3d
#define STATUS_CAP_LIST		0x10
#define CAP_ID_VENDOR		0x09
#define CMD_WRITABLE		(VPCI_CMD_MEM | VPCI_CMD_MASTER | \
				 VPCI_CMD_INTX_OFF)

uint32_t vpci_bar0_mask(const struct ivshmem_endpoint *ep)
{
	/* At least a page: the registers and nothing else of the guest's. */
	uint32_t mask = ep->dev->bar_mask[0] & HV_IVSHMEM_BAR0_DEFAULT_MASK;

	return mask ? mask : HV_IVSHMEM_BAR0_DEFAULT_MASK;
}

uint64_t vpci_bar0_size(const struct ivshmem_endpoint *ep)
{
	uint32_t mask = vpci_bar0_mask(ep);

	return mask & (~mask + 1);
}

static void put16(uint8_t *cfg, unsigned int off, uint16_t v)
{
	cfg[off] = v & 0xff;
	cfg[off + 1] = v >> 8;
}

static void put32(uint8_t *cfg, unsigned int off, uint32_t v)
{
	put16(cfg, off, v & 0xffff);
	put16(cfg, off + 2, v >> 16);
}

static void put64(uint8_t *cfg, unsigned int off, uint64_t v)
{
	put32(cfg, off, (uint32_t)v);
	put32(cfg, off + 4, (uint32_t)(v >> 32));
}

static void cfg_image(const struct ivshmem_endpoint *ep, uint8_t *cfg)
{
	const struct hv_pci_device *d = ep->dev;
	const struct ivshmem_link *link = ep->link;
	const struct hv_memory *state =
		&cfg_mem(ep->cell->config)[d->shmem_regions_start +
					   IVSHMEM_SEC_STATE];

	hv_memset(cfg, 0, HV_IVSHMEM_CFG_SIZE);
	put16(cfg, CFG_VENDOR_ID, HV_IVSHMEM_VENDOR_ID);
	put16(cfg, CFG_DEVICE_ID, HV_IVSHMEM_DEVICE_ID);
	put16(cfg, CFG_COMMAND, ep->cmd);
	put16(cfg, CFG_STATUS, STATUS_CAP_LIST);
	/* Revision 0; class 0xff, the protocol as subclass and interface. */
	put16(cfg, CFG_CLASS_IF, d->shmem_protocol);
	cfg[CFG_CLASS_IF + 2] = HV_IVSHMEM_CLASS_BASE;
	/* Header type 0; BAR0: 32-bit non-prefetchable memory. */
	put32(cfg, CFG_BAR0, ep->bar0);
	put16(cfg, CFG_SUBSYS_VENDOR, HV_IVSHMEM_VENDOR_ID);
	put16(cfg, CFG_SUBSYS_ID, HV_IVSHMEM_DEVICE_ID);
	cfg[CFG_CAP_PTR] = HV_IVSHMEM_CFG_VNDR_CAP;
	cfg[CFG_INT_LINE] = ep->int_line;
	/* INTx is the one delivery implemented: pin A to D by device. */
	cfg[CFG_INT_PIN] = ((d->bdf >> 3) & 3) + 1;
	cfg[HV_IVSHMEM_CFG_VNDR_CAP] = CAP_ID_VENDOR;
	cfg[HV_IVSHMEM_CFG_VNDR_CAP + 1] = 0;	/* last capability */
	cfg[HV_IVSHMEM_CFG_VNDR_CAP + 2] = HV_IVSHMEM_CFG_VNDR_LEN;
	cfg[HV_IVSHMEM_CFG_PRIV_CNTL] = ep->priv_ctrl;
	put32(cfg, HV_IVSHMEM_CFG_STATE_TAB_SZ,
	      (uint32_t)link->shm[IVSHMEM_SEC_STATE].size);
	put64(cfg, HV_IVSHMEM_CFG_RW_SECTION_SZ,
	      link->shm[IVSHMEM_SEC_RW].size);
	put64(cfg, HV_IVSHMEM_CFG_OUTPUT_SECTION_SZ,
	      link->shm[IVSHMEM_SEC_OUTPUT].size);
	/* Where this cell sees the sections: its own config's address. */
	put64(cfg, HV_IVSHMEM_CFG_ADDRESS, state->virt_start);
}

uint32_t vpci_cfg_read(const struct ivshmem_endpoint *ep, unsigned int reg,
		       unsigned int size)
{
	uint8_t cfg[HV_IVSHMEM_CFG_SIZE];
	uint32_t val = 0;
	unsigned int n;

	cfg_image(ep, cfg);
	for (n = 0; n < size && n < 4; n++)
		val |= (uint32_t)(reg + n < sizeof(cfg) ? cfg[reg + n] : 0xff)
		       << (8 * n);
	return val;
}

static void cfg_write_byte(struct ivshmem_endpoint *ep, unsigned int off,
			   uint8_t b)
{
	unsigned int shift;

	switch (off) {
	case CFG_COMMAND:
		ep->cmd = (ep->cmd & 0xff00) | (b & CMD_WRITABLE & 0xff);
		break;
	case CFG_COMMAND + 1:
		ep->cmd = (ep->cmd & 0x00ff) |
			  (((uint16_t)b << 8) & CMD_WRITABLE);
		break;
	case CFG_BAR0:
	case CFG_BAR0 + 1:
	case CFG_BAR0 + 2:
	case CFG_BAR0 + 3:
		/* All ones reads back the mask: how software sizes a BAR. */
		shift = 8 * (off - CFG_BAR0);
		ep->bar0 = ((ep->bar0 & ~(0xffu << shift)) |
			    ((uint32_t)b << shift)) & vpci_bar0_mask(ep);
		break;
	case CFG_INT_LINE:
		ep->int_line = b;
		break;
	case HV_IVSHMEM_CFG_PRIV_CNTL:
		ep->priv_ctrl = b & HV_IVSHMEM_PRIV_CNTL_ONESHOT_INT;
		break;
	default:
		break;	/* read-only, or a register the device does not have */
	}
}

void vpci_cfg_write(struct ivshmem_endpoint *ep, unsigned int reg,
		    unsigned int size, uint32_t value)
{
	unsigned int n;

	for (n = 0; n < size && n < 4; n++)
		cfg_write_byte(ep, reg + n, (uint8_t)(value >> (8 * n)));
}

enum mmio_result vpci_ecam_access(struct cell *cell, uint64_t off,
				  unsigned int size, bool is_write,
				  uint64_t *value)
{
	struct ivshmem_endpoint *ep =
		ivshmem_find_endpoint(cell, (uint16_t)(off >> 12));
	unsigned int reg = off & 0xfff, n;
	uint64_t val = 0;

	/* Misaligned: no such access on PCI; reads all ones. */
	if (reg & (size - 1))
		ep = NULL;
	for (n = 0; n < size; n += 4) {
		unsigned int part = size < 4 ? size : 4;

		if (is_write) {
			if (ep)
				vpci_cfg_write(ep, reg + n, part,
					       (uint32_t)(*value >> (8 * n)));
			continue;
		}
		val |= (uint64_t)(ep ? vpci_cfg_read(ep, reg + n, part) :
				       0xffffffffu) << (8 * n);
	}
	if (!is_write)
		*value = size == 8 ? val : val & ((1ULL << (8 * size)) - 1);
	return MMIO_HANDLED;
}

enum mmio_result vpci_bar_access(struct per_cpu *cpu, uint64_t addr,
				 unsigned int size, bool is_write,
				 uint64_t *value)
{
	struct ivshmem_endpoint *ep;
	unsigned int pos = 0;
	uint32_t reg_val;
	uint64_t off;

	while ((ep = ivshmem_next_endpoint(cpu->cell, &pos))) {
		if (!(ep->cmd & VPCI_CMD_MEM) || addr < ep->bar0 ||
		    addr - ep->bar0 >= vpci_bar0_size(ep))
			continue;
		off = addr - ep->bar0;
		if (!is_write)
			*value = 0;
		if (size != 4 || (off & 3) || off >= HV_IVSHMEM_REG_END)
			return MMIO_HANDLED;
		reg_val = (uint32_t)*value;
		ivshmem_register_access(cpu, ep, (unsigned int)off, is_write,
					&reg_val);
		if (!is_write)
			*value = reg_val;
		return MMIO_HANDLED;
	}
	return MMIO_UNHANDLED;
}
