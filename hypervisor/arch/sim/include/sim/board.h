/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated board: CPUs, RAM banks and device windows, read from a JSON
 * board file (format in hypervisor/arch/sim/PROTOCOL.md §6).
 */
#ifndef SIM_BOARD_H
#define SIM_BOARD_H

#include <stdbool.h>
#include <stdint.h>

#define BOARD_MAX_CPUS		1024
#define BOARD_MAX_RAM		16
#define BOARD_NAMELEN		31

struct board_window {
	uint64_t start;
	uint64_t size;
};

struct board {
	char name[BOARD_NAMELEN + 1];
	unsigned int cpus;
	struct board_window ram[BOARD_MAX_RAM];
	unsigned int num_ram;
	unsigned int gic_version;
	struct board_window gicd;
	struct board_window gicr;
	struct board_window uart;
	unsigned int uart_irq;
	uint16_t uart_type;
	uint64_t pci_ecam;
	unsigned int pci_end_bus;
	unsigned int pci_domain;
	unsigned int root_activity;	/* percent */
};

/*
 * Loads the board file; on error returns -errno and puts a message naming
 * the file and key into err (size errlen).
 */
int board_load(const char *path, struct board *b, char *err,
	       unsigned int errlen);
/* Default board file next to the executable, or NULL (err filled). */
const char *board_default_path(char *buf, unsigned int size);

bool board_range_in_ram(const struct board *b, uint64_t start, uint64_t size);
/* A device window of the board (GIC, UART, ECAM) contains the range. */
bool board_range_in_device(const struct board *b, uint64_t start,
			   uint64_t size);

#endif /* !SIM_BOARD_H */
