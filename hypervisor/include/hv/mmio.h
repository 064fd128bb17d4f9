/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Emulated MMIO: accesses that stage 2 does not map end up here (the GIC
 * distributor and redistributors, the virtual PCI ECAM window, sub-page
 * device regions of the cell).
 */
#ifndef HV_MMIO_H
#define HV_MMIO_H

#include <stdbool.h>
#include <stdint.h>

struct per_cpu;

enum mmio_result {
	MMIO_UNHANDLED,
	MMIO_HANDLED,
};

/*
 * Handles an access of size 1, 2, 4 or 8 bytes at guest-physical addr; on
 * reads *value receives the result.
 */
enum mmio_result mmio_handle_access(struct per_cpu *cpu, uint64_t addr,
				    unsigned int size, bool is_write,
				    uint64_t *value);

#endif /* !HV_MMIO_H */
