/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual PCI host of every cell with ivshmem devices: the ECAM window
 * at the system config's pci_mmconfig_base (one 4 KiB config space per
 * bdf, 1 MiB per bus) and each device's BAR0 register block wherever the
 * guest placed it (spec/jailhouse-abi.md 6.1, 6.2). Only the cell's own
 * ivshmem devices exist in its window; everything else reads all ones.
 */
#ifndef HV_VPCI_H
#define HV_VPCI_H

#include <stdbool.h>
#include <stdint.h>

#include <hv/mmio.h>

struct cell;
struct per_cpu;
struct ivshmem_endpoint;

/* PCI Command register bits the device implements. */
#define VPCI_CMD_MEM		(1u << 1)
#define VPCI_CMD_MASTER		(1u << 2)
#define VPCI_CMD_INTX_OFF	(1u << 10)

/* BAR0's size mask (low 4 bits clear: 32-bit non-prefetchable memory). */
uint32_t vpci_bar0_mask(const struct ivshmem_endpoint *ep);
/* Bytes BAR0 decodes: the lowest bit of its mask. */
uint64_t vpci_bar0_size(const struct ivshmem_endpoint *ep);

/*
 * Config space of an endpoint: size 1, 2 or 4 bytes at reg (below 4096).
 * Bytes at or above HV_IVSHMEM_CFG_SIZE read as 0xff; writes change only
 * the writable fields (Command bits 1, 2 and 10, BAR0 under its mask,
 * Interrupt Line, the one-shot bit) and leave everything else as it was.
 */
uint32_t vpci_cfg_read(const struct ivshmem_endpoint *ep, unsigned int reg,
		       unsigned int size);
void vpci_cfg_write(struct ivshmem_endpoint *ep, unsigned int reg,
		    unsigned int size, uint32_t value);

/*
 * An access at offset off of the ECAM window by a CPU of cell: always
 * handled (absent devices read all ones, their writes vanish).
 */
enum mmio_result vpci_ecam_access(struct cell *cell, uint64_t off,
				  unsigned int size, bool is_write,
				  uint64_t *value);
/*
 * An access at guest-physical addr: handled when it falls into the BAR0
 * of one of the CPU's cell's devices with memory decoding on. Aligned
 * 32-bit accesses reach the registers; others read 0 and writes vanish.
 */
enum mmio_result vpci_bar_access(struct per_cpu *cpu, uint64_t addr,
				 unsigned int size, bool is_write,
				 uint64_t *value);

#endif /* !HV_VPCI_H */
