// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem v2 links: peer presence, state table, doorbells.
 *
 * The state table is the first shared-memory region of a link: one 32-bit
 * word per peer, written by the hypervisor when a peer changes its State
 * register (and zeroed when a peer leaves). A state change interrupts the
 * other peers on vector 0, a doorbell write the addressed peer on the given
 * vector, each only when that peer enabled interrupts (INT_CTRL bit 0).
 */
#include <hv/arch.h>
#include <hv/cell.h>
#include <hv/control.h>
#include <hv/errno.h>
#include <hv/ivshmem.h>
#include <hv/lib.h>
#include <hv/percpu.h>
#include <hv/printk.h>

static struct ivshmem_link links[IVSHMEM_MAX_LINKS];

void ivshmem_reset_all(void)
{
	hv_memset(links, 0, sizeof(links));
}

struct ivshmem_link *ivshmem_find_link(uint16_t domain, uint16_t bdf)
{
	unsigned int n;

	for (n = 0; n < IVSHMEM_MAX_LINKS; n++)
		if (links[n].used && links[n].domain == domain &&
		    links[n].bdf == bdf)
			return &links[n];
	return NULL;
}

static void bdf_text(char *buf, unsigned int size, uint16_t bdf)
{
	hv_snprintf(buf, size, "%02x:%02x.%x", bdf >> 8, (bdf >> 3) & 0x1f,
		    bdf & 7);
}

int ivshmem_check_cell(const struct hv_cell_desc *cfg)
{
	const struct hv_pci_device *dev = cfg_pci_devices(cfg);
	const struct hv_memory *mem = cfg_mem(cfg);
	unsigned int n, free_links = 0, new_links = 0;
	char bdf[16];

	for (n = 0; n < IVSHMEM_MAX_LINKS; n++)
		if (!links[n].used)
			free_links++;
	for (n = 0; n < cfg->num_pci_devices; n++) {
		const struct hv_pci_device *d = &dev[n];
		struct ivshmem_link *link;

		if (d->type != HV_PCI_TYPE_IVSHMEM)
			continue;
		bdf_text(bdf, sizeof(bdf), d->bdf);
		if (!d->shmem_peers || d->shmem_peers > HV_IVSHMEM_MAX_PEERS) {
			hv_set_error("ivshmem %s: %u peers (1 to %u allowed)",
				     bdf, d->shmem_peers, HV_IVSHMEM_MAX_PEERS);
			return -EINVAL;
		}
		if (d->shmem_dev_id >= d->shmem_peers) {
			hv_set_error("ivshmem %s: peer id %u but only %u peers",
				     bdf, d->shmem_dev_id, d->shmem_peers);
			return -EINVAL;
		}
		if ((uint64_t)d->shmem_regions_start + 2 + d->shmem_peers >
		    cfg->num_memory_regions) {
			hv_set_error("ivshmem %s: its %u memory regions from index %u exceed num_memory_regions %u",
				     bdf, 2 + d->shmem_peers,
				     d->shmem_regions_start,
				     cfg->num_memory_regions);
			return -EINVAL;
		}
		link = ivshmem_find_link(d->domain, d->bdf);
		if (!link) {
			if (++new_links > free_links) {
				hv_set_error("ivshmem %s: too many ivshmem links",
					     bdf);
				return -ENOMEM;
			}
			continue;
		}
		if (link->peers != d->shmem_peers) {
			hv_set_error("ivshmem %s: %u peers, but the link has %u",
				     bdf, d->shmem_peers, link->peers);
			return -EINVAL;
		}
		if (link->eps[d->shmem_dev_id].cell) {
			hv_set_error("ivshmem %s: peer %u is taken by cell \"%s\"",
				     bdf, d->shmem_dev_id,
				     link->eps[d->shmem_dev_id].cell->config->name);
			return -EBUSY;
		}
		if (link->state_table_phys &&
		    mem[d->shmem_regions_start].size &&
		    mem[d->shmem_regions_start].phys_start !=
		    link->state_table_phys) {
			hv_set_error("ivshmem %s: state table at 0x%llx, but the link's is at 0x%llx",
				     bdf,
				     (unsigned long long)mem[d->shmem_regions_start].phys_start,
				     (unsigned long long)link->state_table_phys);
			return -EINVAL;
		}
	}
	return 0;
}

static void write_state_table(struct ivshmem_endpoint *ep, uint32_t state)
{
	unsigned int id = ep->dev->shmem_dev_id;

	if (ep->link->state_table_phys)
		arch_phys_write(ep->link->state_table_phys + id * 4, &state,
				sizeof(state));
}

static void set_state(struct ivshmem_endpoint *ep, uint32_t state)
{
	struct ivshmem_link *link = ep->link;
	unsigned int n;

	write_state_table(ep, state);
	if (ep->state == state)
		return;
	ep->state = state;
	for (n = 0; n < link->peers; n++) {
		struct ivshmem_endpoint *peer = &link->eps[n];

		if (peer != ep && peer->cell && (peer->int_ctrl & 1))
			arch_ivshmem_trigger_interrupt(peer, 0);
	}
}

void ivshmem_add_cell(struct cell *cell)
{
	const struct hv_cell_desc *cfg = cell->config;
	const struct hv_pci_device *dev = cfg_pci_devices(cfg);
	const struct hv_memory *mem = cfg_mem(cfg);
	unsigned int n, l;

	for (n = 0; n < cfg->num_pci_devices; n++) {
		const struct hv_pci_device *d = &dev[n];
		const struct hv_memory *state_region;
		struct ivshmem_link *link;
		struct ivshmem_endpoint *ep;

		if (d->type != HV_PCI_TYPE_IVSHMEM)
			continue;
		link = ivshmem_find_link(d->domain, d->bdf);
		if (!link) {
			for (l = 0; l < IVSHMEM_MAX_LINKS; l++)
				if (!links[l].used)
					break;
			link = &links[l];
			hv_memset(link, 0, sizeof(*link));
			link->used = true;
			link->domain = d->domain;
			link->bdf = d->bdf;
			link->peers = d->shmem_peers;
		}
		state_region = &mem[d->shmem_regions_start];
		if (!link->state_table_phys && state_region->size)
			link->state_table_phys = state_region->phys_start;
		ep = &link->eps[d->shmem_dev_id];
		hv_memset(ep, 0, sizeof(*ep));
		ep->link = link;
		ep->cell = cell;
		ep->dev = d;
		write_state_table(ep, 0);
	}
}

void ivshmem_remove_cell(struct cell *cell)
{
	unsigned int l, n;

	for (l = 0; l < IVSHMEM_MAX_LINKS; l++) {
		struct ivshmem_link *link = &links[l];
		bool any = false;

		if (!link->used)
			continue;
		for (n = 0; n < link->peers; n++) {
			struct ivshmem_endpoint *ep = &link->eps[n];

			if (ep->cell == cell) {
				ep->int_ctrl = 0;
				set_state(ep, 0);
				ep->cell = NULL;
				ep->dev = NULL;
			}
			if (ep->cell)
				any = true;
		}
		if (!any)
			link->used = false;
	}
}

void ivshmem_reset_cell(struct cell *cell)
{
	unsigned int l, n;

	for (l = 0; l < IVSHMEM_MAX_LINKS; l++) {
		struct ivshmem_link *link = &links[l];

		if (!link->used)
			continue;
		for (n = 0; n < link->peers; n++)
			if (link->eps[n].cell == cell) {
				link->eps[n].int_ctrl = 0;
				set_state(&link->eps[n], 0);
			}
	}
}

struct ivshmem_endpoint *ivshmem_find_endpoint(const struct cell *cell,
					       uint16_t bdf)
{
	unsigned int l, n;

	for (l = 0; l < IVSHMEM_MAX_LINKS; l++) {
		struct ivshmem_link *link = &links[l];

		if (!link->used || link->bdf != bdf)
			continue;
		for (n = 0; n < link->peers; n++)
			if (link->eps[n].cell == cell)
				return &link->eps[n];
	}
	return NULL;
}

int ivshmem_register_access(struct per_cpu *cpu, struct ivshmem_endpoint *ep,
			    unsigned int reg, bool is_write, uint32_t *value)
{
	struct ivshmem_link *link = ep->link;
	unsigned int peer, vector;

	(void)cpu;
	switch (reg) {
	case IVSHMEM_REG_ID:
		if (!is_write)
			*value = ep->dev->shmem_dev_id;
		return 0;
	case IVSHMEM_REG_MAX_PEERS:
		if (!is_write)
			*value = link->peers;
		return 0;
	case IVSHMEM_REG_INT_CTRL:
		if (is_write)
			ep->int_ctrl = *value & 1;
		else
			*value = ep->int_ctrl;
		return 0;
	case IVSHMEM_REG_DOORBELL:
		if (!is_write) {
			*value = 0;
			return 0;
		}
		peer = *value >> 16;
		vector = *value & 0xffff;
		/* Writes to absent or unwilling peers vanish, as on hardware. */
		if (peer < link->peers && link->eps[peer].cell &&
		    (link->eps[peer].int_ctrl & 1)) {
			link->eps[peer].doorbells_received++;
			arch_ivshmem_trigger_interrupt(&link->eps[peer],
						       vector);
		}
		return 0;
	case IVSHMEM_REG_STATE:
		if (is_write)
			set_state(ep, *value);
		else
			*value = ep->state;
		return 0;
	default:
		return -EINVAL;
	}
}
