/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cells: bookkeeping, config accessors and resource ownership.
 *
 * A cell's struct and CPU bitmap come from one memory pool allocation, its
 * config copy from another; the comm page and stage-2 tables from more pool
 * pages. The root cell is static and owns everything its config lists that
 * no other cell owns exclusively.
 */
#ifndef HV_CELL_H
#define HV_CELL_H

#include <stdbool.h>
#include <stdint.h>

#include <hvabi/cell-config.h>
#include <hvabi/console.h>
#include <hvabi/hypercall.h>

#include <hv/paging.h>

struct per_cpu;

/* The comm region page shared with a cell. */
union hv_comm_page {
	struct hv_comm_region_arm64 comm_region;
	uint8_t raw[4096];
};

struct cell {
	struct cell *next;
	unsigned int id;
	/* The hypervisor's copy of the config (do not trust the cell's). */
	struct hv_cell_desc *config;
	unsigned long config_pages;
	/* CPUs of the cell, hv_max_cpus bits. */
	unsigned long *cpu_set;
	unsigned int num_cpus;
	struct paging_structs stage2;
	/* NULL for the root cell. */
	union hv_comm_page *comm_page;
	/* LOADABLE regions are mapped into the root cell (SET_LOADABLE). */
	bool loadable;
	/* The cell's own console ring, or NULL. */
	struct hv_cell_console *console;
	/* Pages of this struct plus bitmap (0 for the static root cell). */
	unsigned long data_pages;
	/* Port-private data. */
	void *arch;
};

extern struct cell root_cell;
/* Cells in creation order; root_cell first. */
extern struct cell *cell_list;
extern unsigned int num_cells;

#define for_each_cell(c)		for ((c) = cell_list; (c); (c) = (c)->next)
#define for_each_non_root_cell(c)					     \
	for ((c) = root_cell.next; (c); (c) = (c)->next)

/* Config accessors: the arrays that follow a cell descriptor. */
static inline const uint8_t *cfg_cpu_set(const struct hv_cell_desc *d)
{
	return (const uint8_t *)(d + 1);
}

static inline const struct hv_memory *cfg_mem(const struct hv_cell_desc *d)
{
	return (const struct hv_memory *)(cfg_cpu_set(d) + d->cpu_set_size);
}

static inline const struct hv_cache *cfg_cache(const struct hv_cell_desc *d)
{
	return (const struct hv_cache *)(cfg_mem(d) + d->num_memory_regions);
}

static inline const struct hv_irqchip *cfg_irqchips(const struct hv_cell_desc *d)
{
	return (const struct hv_irqchip *)(cfg_cache(d) + d->num_cache_regions);
}

static inline const struct hv_pio *cfg_pio(const struct hv_cell_desc *d)
{
	return (const struct hv_pio *)(cfg_irqchips(d) + d->num_irqchips);
}

static inline const struct hv_pci_device *
cfg_pci_devices(const struct hv_cell_desc *d)
{
	return (const struct hv_pci_device *)(cfg_pio(d) + d->num_pio_regions);
}

static inline const struct hv_pci_capability *
cfg_pci_caps(const struct hv_cell_desc *d)
{
	return (const struct hv_pci_capability *)(cfg_pci_devices(d) +
						  d->num_pci_devices);
}

struct cell *cell_find(unsigned int id);
struct cell *cell_find_name(const char *name);
bool cell_owns_cpu(const struct cell *cell, unsigned int cpu);
/* The lowest CPU of the cell (the one that starts at cpu_reset_address). */
int cell_first_cpu(const struct cell *cell);
/* comm_region.cell_state, RUNNING for the root cell. */
uint32_t cell_get_state(const struct cell *cell);
void cell_set_state(struct cell *cell, uint32_t state);

/*
 * Ownership queries used by the checks and by the ownership invariant:
 * whether the root cell currently owns the physical range, the interrupt
 * pin (GIC INTID) and the PCI device (domain, bdf).
 */
bool cell_root_owns_mem(uint64_t phys, uint64_t size);
bool cell_root_owns_irq(unsigned int irq);
bool cell_root_owns_pci(uint16_t domain, uint16_t bdf);
/* Whether the cell's config grants it the pin. */
bool cell_cfg_has_irq(const struct hv_cell_desc *d, unsigned int irq);

/*
 * Validates a non-root cell config against the current system before any
 * state changes; returns 0 or -errno with hv_error() set. size is the number
 * of valid bytes at config.
 */
int cell_check_config(const struct hv_cell_desc *config, uint64_t size,
		      const struct per_cpu *caller);
/* Validates the root cell part of a system config at enable. */
int cell_check_root_config(const struct hv_system *sys);

/* Builds the root cell from the system config (enable). */
int cell_init_root(const struct hv_system *sys);
/*
 * Creates a cell from a checked config copy (which it takes over); on error
 * everything is undone and the copy freed.
 */
int cell_create_from(struct hv_cell_desc *config, unsigned long config_pages,
		     struct cell **out);
/* Returns every resource to the root cell and frees the cell. */
void cell_destroy(struct cell *cell);
/* Tears down the root cell at disable. */
void cell_exit_root(void);

/* Maps the cell's LOADABLE regions into the root cell, or takes them back. */
int cell_set_loadable(struct cell *cell, bool loadable);

#endif /* !HV_CELL_H */
