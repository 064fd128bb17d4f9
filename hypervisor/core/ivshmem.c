// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem v2 links: peer presence, state table, doorbells.
 *
 * The state table is the first shared-memory region of a link: one 32-bit
 * word per peer, written by the hypervisor when a peer changes its State
 * register (zeroed when the link forms, and a leaving peer's slot when
 * other peers remain). It is the same physical memory in every peer's
 * config (checked when a peer joins), so these writes stay inside memory
 * that every present peer was given for the link. A state change interrupts the
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
#include <hv/vpci.h>

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

const struct ivshmem_link *ivshmem_link_at(unsigned int n)
{
	if (n >= IVSHMEM_MAX_LINKS || !links[n].used)
		return NULL;
	return &links[n];
}

static void bdf_text(char *buf, unsigned int size, uint16_t bdf)
{
	hv_snprintf(buf, size, "%02x:%02x.%x", bdf >> 8, (bdf >> 3) & 0x1f,
		    bdf & 7);
}

static const char *section_name(unsigned int sec, char *buf,
				unsigned int size)
{
	if (sec == IVSHMEM_SEC_STATE)
		return "state table";
	if (sec == IVSHMEM_SEC_RW)
		return "read/write section";
	hv_snprintf(buf, size, "output section of peer %u",
		    sec - IVSHMEM_SEC_OUTPUT);
	return buf;
}

static bool mem_is_exclusive(const struct hv_memory *m)
{
	return m->size && !(m->flags & (HV_MEM_COMM_REGION | HV_MEM_ROOTSHARED));
}

/* The device's own layout: peers, peer id, regions, state table. */
static int check_layout(const struct hv_cell_desc *cfg,
			const struct hv_pci_device *d, const char *bdf)
{
	const struct hv_memory *mem = cfg_mem(cfg);
	const struct hv_memory *st;
	unsigned int sec, idx;
	char name[32];

	if (!d->shmem_peers || d->shmem_peers > HV_IVSHMEM_MAX_PEERS) {
		hv_set_error("ivshmem %s: shmem_peers %u (1 to %u allowed)",
			     bdf, d->shmem_peers, HV_IVSHMEM_MAX_PEERS);
		return -EINVAL;
	}
	/*
	 * Upstream's rule: an id below its maximum peer count, not below
	 * shmem_peers. Such a peer has no output section; its state slot is
	 * checked to lie inside the state table below.
	 */
	if (d->shmem_dev_id >= HV_IVSHMEM_MAX_PEERS) {
		hv_set_error("ivshmem %s: shmem_dev_id %u (peer ids go up to %u, the maximum peer count)",
			     bdf, d->shmem_dev_id, HV_IVSHMEM_MAX_PEERS - 1);
		return -EINVAL;
	}
	if ((uint64_t)d->shmem_regions_start + IVSHMEM_SEC_OUTPUT +
	    d->shmem_peers > cfg->num_memory_regions) {
		hv_set_error("ivshmem %s: its %u memory regions from index %u exceed num_memory_regions %u",
			     bdf, IVSHMEM_SEC_OUTPUT + d->shmem_peers,
			     d->shmem_regions_start, cfg->num_memory_regions);
		return -EINVAL;
	}
	for (sec = 0; sec < IVSHMEM_SEC_OUTPUT + d->shmem_peers; sec++) {
		idx = d->shmem_regions_start + sec;
		if (mem[idx].size && (mem[idx].flags & HV_MEM_COMM_REGION)) {
			hv_set_error("ivshmem %s: memory region %u (the %s) is a comm region, which has no physical memory to share",
				     bdf, idx, section_name(sec, name,
							    sizeof(name)));
			return -EINVAL;
		}
	}
	idx = d->shmem_regions_start + IVSHMEM_SEC_STATE;
	st = &mem[idx];
	if (!st->size) {
		hv_set_error("ivshmem %s: the state table (memory region %u) is empty; the hypervisor mirrors each peer's State register into it",
			     bdf, idx);
		return -EINVAL;
	}
	if (st->flags & HV_MEM_IO) {
		hv_set_error("ivshmem %s: the state table (memory region %u) is I/O memory; the hypervisor writes peer states into it, so it must be RAM",
			     bdf, idx);
		return -EINVAL;
	}
	if (st->size < 4ULL * (d->shmem_dev_id + 1)) {
		hv_set_error("ivshmem %s: the state table (memory region %u) has 0x%llx bytes, too few for peer %u's slot at offset 0x%x",
			     bdf, idx, (unsigned long long)st->size,
			     d->shmem_dev_id, 4u * (unsigned int)d->shmem_dev_id);
		return -EINVAL;
	}
	return 0;
}

/* A joining peer lists exactly the link's shared memory. */
static int check_join(const struct hv_cell_desc *cfg,
		      const struct hv_pci_device *d,
		      const struct ivshmem_link *link, const char *bdf)
{
	const struct hv_memory *mem = cfg_mem(cfg);
	const struct ivshmem_endpoint *owner = NULL;
	unsigned int n, sec;
	char name[32];

	if (link->peers != d->shmem_peers) {
		hv_set_error("ivshmem %s: shmem_peers %u, but the link has %u",
			     bdf, d->shmem_peers, link->peers);
		return -EINVAL;
	}
	if (link->eps[d->shmem_dev_id].cell) {
		hv_set_error("ivshmem %s: peer %u is taken by cell \"%s\"",
			     bdf, d->shmem_dev_id,
			     link->eps[d->shmem_dev_id].cell->config->name);
		return -EBUSY;
	}
	for (n = 0; n < HV_IVSHMEM_MAX_PEERS && !owner; n++)
		if (link->eps[n].cell)
			owner = &link->eps[n];
	for (sec = 0; sec < IVSHMEM_SEC_OUTPUT + link->peers; sec++) {
		const struct hv_memory *r = &mem[d->shmem_regions_start + sec];
		const struct ivshmem_section *s = &link->shm[sec];

		if (r->size == s->size && (!s->size ||
					   r->phys_start == s->phys))
			continue;
		hv_set_error("ivshmem %s: the %s (memory region %u: phys 0x%llx, size 0x%llx) is not the link's (phys 0x%llx, size 0x%llx, as cell \"%s\" has it); every peer must list the same shared memory",
			     bdf, section_name(sec, name, sizeof(name)),
			     d->shmem_regions_start + sec,
			     (unsigned long long)r->phys_start,
			     (unsigned long long)r->size,
			     (unsigned long long)s->phys,
			     (unsigned long long)s->size,
			     owner ? owner->cell->config->name : "?");
		return -EINVAL;
	}
	return 0;
}

/*
 * Exclusive memory of the new cell may not take a live link's shared
 * memory away from its peers, unless it is that very section of a link the
 * cell joins.
 */
static int check_link_memory(const struct hv_cell_desc *cfg)
{
	const struct hv_memory *mem = cfg_mem(cfg);
	const struct hv_pci_device *dev = cfg_pci_devices(cfg);
	unsigned int n, l, sec, p;
	char bdf[16], name[32];

	for (n = 0; n < cfg->num_memory_regions; n++) {
		if (!mem_is_exclusive(&mem[n]))
			continue;
		for (l = 0; l < IVSHMEM_MAX_LINKS; l++) {
			const struct ivshmem_link *link = &links[l];

			if (!link->used)
				continue;
			for (sec = 0; sec < IVSHMEM_SEC_OUTPUT + link->peers;
			     sec++) {
				const struct ivshmem_section *s =
					&link->shm[sec];
				bool joins = false;

				if (!s->size ||
				    !ranges_overlap(mem[n].phys_start,
						    mem[n].size, s->phys,
						    s->size))
					continue;
				for (p = 0; p < cfg->num_pci_devices; p++)
					if (dev[p].type == HV_PCI_TYPE_IVSHMEM &&
					    dev[p].domain == link->domain &&
					    dev[p].bdf == link->bdf &&
					    dev[p].shmem_regions_start + sec == n)
						joins = true;
				if (joins && mem[n].phys_start == s->phys &&
				    mem[n].size == s->size)
					continue;
				bdf_text(bdf, sizeof(bdf), link->bdf);
				hv_set_error("memory region %u (phys 0x%llx) overlaps the %s of ivshmem link %s, which is in use",
					     n,
					     (unsigned long long)mem[n].phys_start,
					     section_name(sec, name,
							  sizeof(name)),
					     bdf);
				return -EBUSY;
			}
		}
	}
	return 0;
}

int ivshmem_check_cell(const struct hv_cell_desc *cfg)
{
	const struct hv_pci_device *dev = cfg_pci_devices(cfg);
	unsigned int n, free_links = 0, new_links = 0;
	char bdf[16];
	int err;

	for (n = 0; n < IVSHMEM_MAX_LINKS; n++)
		if (!links[n].used)
			free_links++;
	for (n = 0; n < cfg->num_pci_devices; n++) {
		const struct hv_pci_device *d = &dev[n];
		struct ivshmem_link *link;

		if (d->type != HV_PCI_TYPE_IVSHMEM)
			continue;
		bdf_text(bdf, sizeof(bdf), d->bdf);
		err = check_layout(cfg, d, bdf);
		if (err)
			return err;
		link = ivshmem_find_link(d->domain, d->bdf);
		if (!link) {
			if (++new_links > free_links) {
				hv_set_error("ivshmem %s: too many ivshmem links",
					     bdf);
				return -ENOMEM;
			}
			continue;
		}
		err = check_join(cfg, d, link, bdf);
		if (err)
			return err;
	}
	return check_link_memory(cfg);
}

/* Only the peer's own slot, which check_layout put inside the table. */
static void write_state_table(struct ivshmem_endpoint *ep, uint32_t state)
{
	const struct ivshmem_section *st = &ep->link->shm[IVSHMEM_SEC_STATE];
	uint64_t off = 4ULL * ep->dev->shmem_dev_id;

	if (st->size >= off + sizeof(state))
		arch_phys_write(st->phys + off, &state, sizeof(state));
}

/*
 * Interrupts the peer if it is present and enabled interrupts (INT_CTRL)
 * without masking INTx in its Command register; one-shot mode then
 * disables them until the peer enables them again. Returns whether it
 * interrupted.
 */
static bool deliver(struct ivshmem_endpoint *peer, unsigned int vector)
{
	if (!peer->cell || !(peer->int_ctrl & HV_IVSHMEM_INT_ENABLE) ||
	    (peer->cmd & VPCI_CMD_INTX_OFF))
		return false;
	arch_ivshmem_trigger_interrupt(peer, vector);
	if (peer->priv_ctrl & HV_IVSHMEM_PRIV_CNTL_ONESHOT_INT)
		peer->int_ctrl &= ~HV_IVSHMEM_INT_ENABLE;
	return true;
}

static void set_state(struct ivshmem_endpoint *ep, uint32_t state)
{
	struct ivshmem_link *link = ep->link;
	unsigned int n;

	write_state_table(ep, state);
	if (ep->state == state)
		return;
	ep->state = state;
	for (n = 0; n < HV_IVSHMEM_MAX_PEERS; n++) {
		struct ivshmem_endpoint *peer = &link->eps[n];

		if (peer != ep)
			deliver(peer, 0);
	}
}

void ivshmem_add_cell(struct cell *cell)
{
	const struct hv_cell_desc *cfg = cell->config;
	const struct hv_pci_device *dev = cfg_pci_devices(cfg);
	const struct hv_memory *mem = cfg_mem(cfg);
	static const uint32_t zero[HV_IVSHMEM_MAX_PEERS];
	unsigned int n, l, sec;

	for (n = 0; n < cfg->num_pci_devices; n++) {
		const struct hv_pci_device *d = &dev[n];
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
			for (sec = 0; sec < IVSHMEM_SEC_OUTPUT + link->peers;
			     sec++) {
				const struct hv_memory *r =
					&mem[d->shmem_regions_start + sec];

				link->shm[sec].size = r->size;
				link->shm[sec].phys = r->size ? r->phys_start
							      : 0;
			}
			/* A new link starts with every peer absent (0). */
			arch_phys_write(link->shm[IVSHMEM_SEC_STATE].phys, zero,
					hv_min(sizeof(zero),
					       link->shm[IVSHMEM_SEC_STATE].size));
		}
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
		bool others = false;

		if (!link->used)
			continue;
		for (n = 0; n < HV_IVSHMEM_MAX_PEERS; n++)
			if (link->eps[n].cell && link->eps[n].cell != cell)
				others = true;
		for (n = 0; n < HV_IVSHMEM_MAX_PEERS; n++) {
			struct ivshmem_endpoint *ep = &link->eps[n];

			if (ep->cell != cell)
				continue;
			ep->int_ctrl = 0;
			/* The state table only matters to remaining peers. */
			if (others)
				set_state(ep, 0);
			hv_memset(ep, 0, sizeof(*ep));
		}
		/* The last peer is gone: the link forgets its memory. */
		if (!others)
			hv_memset(link, 0, sizeof(*link));
	}
}

void ivshmem_reset_cell(struct cell *cell)
{
	unsigned int l, n;

	for (l = 0; l < IVSHMEM_MAX_LINKS; l++) {
		struct ivshmem_link *link = &links[l];

		if (!link->used)
			continue;
		for (n = 0; n < HV_IVSHMEM_MAX_PEERS; n++) {
			struct ivshmem_endpoint *ep = &link->eps[n];

			if (ep->cell != cell)
				continue;
			ep->int_ctrl = 0;
			/* Config space back to reset: no decoding, no BAR. */
			ep->cmd = 0;
			ep->bar0 = 0;
			ep->int_line = 0;
			ep->priv_ctrl = 0;
			set_state(ep, 0);
		}
	}
}

struct ivshmem_endpoint *ivshmem_next_endpoint(const struct cell *cell,
					       unsigned int *pos)
{
	for (; *pos < IVSHMEM_MAX_LINKS * HV_IVSHMEM_MAX_PEERS; (*pos)++) {
		struct ivshmem_link *link =
			&links[*pos / HV_IVSHMEM_MAX_PEERS];
		struct ivshmem_endpoint *ep =
			&link->eps[*pos % HV_IVSHMEM_MAX_PEERS];

		if (link->used && ep->cell == cell) {
			(*pos)++;
			return ep;
		}
	}
	return NULL;
}

bool ivshmem_region_read_only(const struct hv_cell_desc *cfg,
			      unsigned int region)
{
	const struct hv_pci_device *dev = cfg_pci_devices(cfg);
	unsigned int n, start;

	for (n = 0; n < cfg->num_pci_devices; n++) {
		if (dev[n].type != HV_PCI_TYPE_IVSHMEM)
			continue;
		start = dev[n].shmem_regions_start;
		if (region == start + IVSHMEM_SEC_STATE)
			return true;
		if (region >= start + IVSHMEM_SEC_OUTPUT &&
		    region < start + IVSHMEM_SEC_OUTPUT + dev[n].shmem_peers &&
		    region != start + IVSHMEM_SEC_OUTPUT + dev[n].shmem_dev_id)
			return true;
	}
	return false;
}

struct ivshmem_endpoint *ivshmem_find_endpoint(const struct cell *cell,
					       uint16_t bdf)
{
	unsigned int l, n;

	for (l = 0; l < IVSHMEM_MAX_LINKS; l++) {
		struct ivshmem_link *link = &links[l];

		if (!link->used || link->bdf != bdf)
			continue;
		for (n = 0; n < HV_IVSHMEM_MAX_PEERS; n++)
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
		ep->doorbells_rung++;
		/*
		 * Writes to absent or unwilling peers vanish, as on hardware;
		 * so do vectors the peer lacks: INTx is one vector.
		 */
		if (peer < HV_IVSHMEM_MAX_PEERS && vector == 0 &&
		    deliver(&link->eps[peer], vector))
			link->eps[peer].doorbells_received++;
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
