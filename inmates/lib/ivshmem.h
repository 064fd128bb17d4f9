/* SPDX-License-Identifier: MIT */
/*
 * ivshmem devices of the cell, found through the virtual PCI config space
 * the hypervisor emulates at the comm region's pci_mmconfig_base (bus 0):
 * BAR0 placed right after the ECAM window, memory decoding on, the
 * section layout from the vendor capability, the INTx line as GIC INTID
 * 32 + vpci_irq_base + pin - 1.
 */
#ifndef INMATE_IVSHMEM_H
#define INMATE_IVSHMEM_H

#include <stdbool.h>
#include <stdint.h>

struct ivshmem_dev {
	uint16_t bdf;
	uint64_t regs;			/* BAR0 */
	uint32_t id;			/* own peer number */
	uint32_t peers;			/* Max Peers */
	uint64_t state_table;		/* one u32 per peer */
	uint64_t rw, rw_size;		/* common read/write section */
	uint64_t outputs, out_size;	/* output section of peer 0, size */
	unsigned int irq;		/* GIC INTID of its INTx */
};

/*
 * The index-th ivshmem device of bus 0 (in device order); false when there
 * is none. Programs its BAR0 and enables memory decoding.
 */
bool ivshmem_find(struct ivshmem_dev *d, unsigned int index);
/* Output section of a peer (NULL for a peer number beyond Max Peers). */
volatile uint8_t *ivshmem_output(const struct ivshmem_dev *d,
				 unsigned int peer);
/* Enables its interrupt at the GIC and in Interrupt Control. */
void ivshmem_enable_irq(const struct ivshmem_dev *d);
/* Doorbell on vector 0 of a peer. */
void ivshmem_ring(const struct ivshmem_dev *d, unsigned int peer);
void ivshmem_set_state(const struct ivshmem_dev *d, uint32_t state);
/* A peer's entry of the state table (0: absent or reset). */
uint32_t ivshmem_peer_state(const struct ivshmem_dev *d, unsigned int peer);

#endif /* !INMATE_IVSHMEM_H */
