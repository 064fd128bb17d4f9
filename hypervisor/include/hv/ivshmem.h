/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ivshmem v2 links between cells: which peers are present, their state
 * registers (mirrored into the link's state table), doorbells.
 *
 * A link is identified by (PCI domain, bdf); every cell with an IVSHMEM
 * device of that address is one endpoint, its shmem_dev_id the peer number.
 *
 * The link's shared memory (state table, read/write section, one output
 * section per peer) is the same physical memory in every peer's config:
 * the first peer sets it, every later one must list exactly the same
 * regions. The hypervisor writes only into the state table, only at a
 * peer's own slot, and a link with no peer left forgets everything, so no
 * address of a link outlives the configs that grant its memory.
 */
#ifndef HV_IVSHMEM_H
#define HV_IVSHMEM_H

#include <stdbool.h>
#include <stdint.h>

#include <hvabi/cell-config.h>
#include <hvabi/ivshmem.h>

#define IVSHMEM_MAX_LINKS	64

struct cell;
struct per_cpu;
struct ivshmem_link;

struct ivshmem_endpoint {
	struct ivshmem_link *link;
	struct cell *cell;		/* NULL: peer absent */
	const struct hv_pci_device *dev;
	uint32_t state;
	/* Interrupt Control register: bit 0 enables interrupts. */
	uint32_t int_ctrl;
	uint64_t doorbells_received;
	/* Doorbell writes of this peer, whether or not they interrupted. */
	uint64_t doorbells_rung;
	/*
	 * What the guest wrote into its config space (spec 6.1): Command
	 * (memory space, bus master, INTx disable), BAR0, Interrupt Line,
	 * the privileged control byte (one-shot). Zero at reset.
	 */
	uint16_t cmd;
	uint8_t int_line;
	uint8_t priv_ctrl;
	uint32_t bar0;
};

/* Index of the sections in a link's shared memory (spec 6.3). */
#define IVSHMEM_SEC_STATE	0u
#define IVSHMEM_SEC_RW		1u
#define IVSHMEM_SEC_OUTPUT	2u	/* + peer number */
#define IVSHMEM_MAX_SECTIONS	(IVSHMEM_SEC_OUTPUT + HV_IVSHMEM_MAX_PEERS)

struct ivshmem_section {
	uint64_t phys;
	uint64_t size;		/* 0: the section is empty */
};

struct ivshmem_link {
	bool used;
	uint16_t domain;
	uint16_t bdf;
	/* shmem_peers of the link: output sections, the Max Peers register. */
	unsigned int peers;
	/* 2 + peers sections, from the first peer's config. */
	struct ivshmem_section shm[IVSHMEM_MAX_SECTIONS];
	/* Indexed by peer id, which may reach HV_IVSHMEM_MAX_PEERS - 1. */
	struct ivshmem_endpoint eps[HV_IVSHMEM_MAX_PEERS];
};

/* Register offsets in BAR0 (ivshmem v2), as include/hvabi/ivshmem.h. */
#define IVSHMEM_REG_ID		HV_IVSHMEM_REG_ID
#define IVSHMEM_REG_MAX_PEERS	HV_IVSHMEM_REG_MAX_PEERS
#define IVSHMEM_REG_INT_CTRL	HV_IVSHMEM_REG_INT_CTRL
#define IVSHMEM_REG_DOORBELL	HV_IVSHMEM_REG_DOORBELL
#define IVSHMEM_REG_STATE	HV_IVSHMEM_REG_STATE

void ivshmem_reset_all(void);
/*
 * Validates the cell's IVSHMEM devices against the existing links: the
 * same shared regions as the other peers, a free peer slot, a state table
 * that holds the peer's slot; and that none of the cell's exclusive memory
 * takes a live link's shared memory unless the cell joins that link.
 */
int ivshmem_check_cell(const struct hv_cell_desc *config);
/* Joins the links of the cell's IVSHMEM devices (after a successful check). */
void ivshmem_add_cell(struct cell *cell);
void ivshmem_remove_cell(struct cell *cell);
/* The cell was (re)started: registers back to reset values. */
void ivshmem_reset_cell(struct cell *cell);

struct ivshmem_endpoint *ivshmem_find_endpoint(const struct cell *cell,
					       uint16_t bdf);
/*
 * The cell's endpoints one by one: start with *pos = 0; NULL after the
 * last.
 */
struct ivshmem_endpoint *ivshmem_next_endpoint(const struct cell *cell,
					       unsigned int *pos);
/*
 * Whether memory region `region` of the config is a section its cell may
 * only read (spec 6.3): a state table, or another peer's output section.
 * Such regions are mapped read-only whatever their flags say.
 */
bool ivshmem_region_read_only(const struct hv_cell_desc *config,
			      unsigned int region);
struct ivshmem_link *ivshmem_find_link(uint16_t domain, uint16_t bdf);
/*
 * Link slot n (below IVSHMEM_MAX_LINKS), or NULL when unused: how a port
 * reports every link's peers, states and doorbell counts to the root.
 */
const struct ivshmem_link *ivshmem_link_at(unsigned int n);

/*
 * A register access of the CPU to its endpoint's BAR0. Returns 0, or
 * -EINVAL for an unknown register. Doorbell writes interrupt the target
 * peer through arch_ivshmem_trigger_interrupt when it is present and has
 * interrupts enabled.
 */
int ivshmem_register_access(struct per_cpu *cpu, struct ivshmem_endpoint *ep,
			    unsigned int reg, bool is_write, uint32_t *value);

#endif /* !HV_IVSHMEM_H */
