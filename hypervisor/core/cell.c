// SPDX-License-Identifier: GPL-2.0
/*
 * Cells: config checks, resource ownership, create and destroy.
 *
 * Ownership is derived from the configs rather than stored twice: the root
 * cell owns what its config lists minus what non-root cells hold
 * exclusively (memory without ROOTSHARED, interrupt pins, PCI devices).
 * Checks run before anything changes, so a refused create leaves no trace.
 */
#include <hv/arch.h>
#include <hv/cell.h>
#include <hv/control.h>
#include <hv/errno.h>
#include <hv/ivshmem.h>
#include <hv/lib.h>
#include <hv/percpu.h>
#include <hv/pool.h>
#include <hv/printk.h>

struct cell root_cell;
struct cell *cell_list;
unsigned int num_cells;

struct cell *cell_find(unsigned int id)
{
	struct cell *cell;

	for_each_cell(cell)
		if (cell->id == id)
			return cell;
	return NULL;
}

struct cell *cell_find_name(const char *name)
{
	struct cell *cell;

	for_each_cell(cell)
		if (hv_strncmp(cell->config->name, name,
			       HV_CELL_NAME_MAXLEN + 1) == 0)
			return cell;
	return NULL;
}

bool cell_owns_cpu(const struct cell *cell, unsigned int cpu)
{
	return cpu < hv_max_cpus && test_bit(cpu, cell->cpu_set);
}

int cell_first_cpu(const struct cell *cell)
{
	unsigned int cpu;

	for_each_cpu_id(cpu)
		if (test_bit(cpu, cell->cpu_set))
			return (int)cpu;
	return -1;
}

uint32_t cell_get_state(const struct cell *cell)
{
	if (!cell->comm_page)
		return HV_CELL_RUNNING;
	return cell->comm_page->comm_region.cell_state;
}

void cell_set_state(struct cell *cell, uint32_t state)
{
	if (cell->comm_page)
		cell->comm_page->comm_region.cell_state = state;
}

static bool mem_is_exclusive(const struct hv_memory *m)
{
	return m->size && !(m->flags & (HV_MEM_COMM_REGION | HV_MEM_ROOTSHARED));
}

static bool mem_is_subpage(const struct hv_memory *m)
{
	return (m->phys_start | m->virt_start | m->size) & PAGE_OFFS_MASK;
}

/* Whether [phys, phys + size) is covered by the root config's regions. */
static bool root_cfg_covers(uint64_t phys, uint64_t size)
{
	const struct hv_cell_desc *rc = &hv_sys->root_cell;
	const struct hv_memory *mem = cfg_mem(rc);
	uint64_t cur = phys, end = phys + size;
	unsigned int n;
	bool progress = true;

	while (cur < end && progress) {
		progress = false;
		for (n = 0; n < rc->num_memory_regions; n++) {
			const struct hv_memory *r = &mem[n];

			if (!r->size || (r->flags & HV_MEM_COMM_REGION))
				continue;
			if (cur >= r->phys_start &&
			    cur - r->phys_start < r->size) {
				cur = r->phys_start + r->size;
				progress = true;
			}
		}
	}
	return cur >= end;
}

bool cell_root_owns_mem(uint64_t phys, uint64_t size)
{
	const struct cell *cell;
	unsigned int n;

	if (!size || !root_cfg_covers(phys, size))
		return false;
	for_each_non_root_cell(cell) {
		const struct hv_memory *mem = cfg_mem(cell->config);

		for (n = 0; n < cell->config->num_memory_regions; n++)
			if (mem_is_exclusive(&mem[n]) &&
			    ranges_overlap(phys, size, mem[n].phys_start,
					   mem[n].size))
				return false;
	}
	return true;
}

bool cell_cfg_has_irq(const struct hv_cell_desc *d, unsigned int irq)
{
	const struct hv_irqchip *chip = cfg_irqchips(d);
	unsigned int n;

	for (n = 0; n < d->num_irqchips; n++) {
		uint32_t base = chip[n].pin_base;

		if (chip[n].address != hv_sys->platform_info.arm.gicd_base)
			continue;
		if (irq >= base && irq - base < HV_IRQCHIP_PINS &&
		    (chip[n].pin_bitmap[(irq - base) / 32] >>
		     ((irq - base) % 32)) & 1)
			return true;
	}
	return false;
}

bool cell_root_owns_irq(unsigned int irq)
{
	const struct cell *cell;

	if (!cell_cfg_has_irq(&hv_sys->root_cell, irq))
		return false;
	for_each_non_root_cell(cell)
		if (cell_cfg_has_irq(cell->config, irq))
			return false;
	return true;
}

static const struct hv_pci_device *
cfg_find_pci(const struct hv_cell_desc *d, uint16_t domain, uint16_t bdf)
{
	const struct hv_pci_device *dev = cfg_pci_devices(d);
	unsigned int n;

	for (n = 0; n < d->num_pci_devices; n++)
		if (dev[n].type != HV_PCI_TYPE_IVSHMEM &&
		    dev[n].domain == domain && dev[n].bdf == bdf)
			return &dev[n];
	return NULL;
}

bool cell_root_owns_pci(uint16_t domain, uint16_t bdf)
{
	const struct cell *cell;

	if (!cfg_find_pci(&hv_sys->root_cell, domain, bdf))
		return false;
	for_each_non_root_cell(cell)
		if (cfg_find_pci(cell->config, domain, bdf))
			return false;
	return true;
}

/*
 * The comm page is the hypervisor's own memory: nothing may be loaded into
 * it, it is no device, the root has no part in it, and it has no physical
 * address in the config (loaders and the root must not be pointed
 * anywhere through it).
 */
static int check_comm_region(const struct hv_memory *r, const char *what,
			     unsigned int n)
{
	static const struct {
		uint64_t flag;
		const char *name, *why;
	} refused[] = {
		{ HV_MEM_LOADABLE, "loadable",
		  "no image is ever loaded into the hypervisor's page" },
		{ HV_MEM_IO, "io", "the page is memory, not a device" },
		{ HV_MEM_ROOTSHARED, "rootshared",
		  "the page belongs to the cell, the root cell has no part in it" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(refused); i++)
		if (r->flags & refused[i].flag) {
			hv_set_error("%s: comm region (memory region %u) has the %s flag: %s",
				     what, n, refused[i].name, refused[i].why);
			return -EINVAL;
		}
	if (r->phys_start) {
		hv_set_error("%s: comm region (memory region %u) has phys_start 0x%llx: the hypervisor provides the page, so phys_start must be 0",
			     what, n, (unsigned long long)r->phys_start);
		return -EINVAL;
	}
	return 0;
}

#define GICD_SIZE		0x10000ULL
#define GICR_SIZE_PER_CPU	0x20000ULL

struct reserved_range {
	uint64_t base, size;
	const char *what;
};

/*
 * MMIO the hypervisor keeps for itself and emulates or drives: the GIC
 * distributor and redistributors (one 0x20000 frame pair per CPU of the
 * system, from the first), the virtual PCI ECAM window and, for non-root
 * cells, the GIC's ITS frames, the IOMMUs and the hypervisor's debug UART
 * (the root may share that one, as upstream's configs do). Returns the
 * number of ranges.
 */
static unsigned int reserved_ranges(struct reserved_range *out, bool root)
{
	const struct hv_platform_info *pi = &hv_sys->platform_info;
	unsigned int n = 0, i;

	if (pi->arm.gicd_base)
		out[n++] = (struct reserved_range){ pi->arm.gicd_base,
			GICD_SIZE, "GIC distributor" };
	if (pi->arm.gicr_base)
		out[n++] = (struct reserved_range){ pi->arm.gicr_base,
			GICR_SIZE_PER_CPU * hv_max_cpus,
			"GIC redistributors" };
	/*
	 * The config format has no ITS base: the GICv3 frames between
	 * distributor and redistributors (ITS, MBI) are kept from cells.
	 */
	if (!root && pi->arm.gicd_base && pi->arm.gicr_base >
	    pi->arm.gicd_base + GICD_SIZE)
		out[n++] = (struct reserved_range){
			pi->arm.gicd_base + GICD_SIZE,
			pi->arm.gicr_base - pi->arm.gicd_base - GICD_SIZE,
			"GIC frames between distributor and redistributors (ITS)" };
	if (pi->pci_mmconfig_base)
		out[n++] = (struct reserved_range){ pi->pci_mmconfig_base,
			((uint64_t)pi->pci_mmconfig_end_bus + 1) << 20,
			"PCI ECAM window" };
	if (!root && hv_sys->debug_console.type != HV_CON_TYPE_NONE &&
	    (hv_sys->debug_console.flags & HV_CON_ACCESS_MMIO) &&
	    hv_sys->debug_console.address)
		out[n++] = (struct reserved_range){
			hv_sys->debug_console.address,
			hv_sys->debug_console.size ? hv_sys->debug_console.size
						   : PAGE_SIZE,
			"hypervisor's debug UART" };
	for (i = 0; !root && i < HV_MAX_IOMMU_UNITS; i++)
		if (pi->iommu_units[i].type && pi->iommu_units[i].size)
			out[n++] = (struct reserved_range){
				pi->iommu_units[i].base,
				pi->iommu_units[i].size, "IOMMU" };
	return n;
}

static int check_reserved(const struct hv_cell_desc *cfg, const char *what,
			  bool root)
{
	struct reserved_range res[5 + HV_MAX_IOMMU_UNITS];
	const struct hv_memory *mem = cfg_mem(cfg);
	unsigned int n, r, count = reserved_ranges(res, root);

	for (n = 0; n < cfg->num_memory_regions; n++) {
		if (!mem[n].size || (mem[n].flags & HV_MEM_COMM_REGION))
			continue;
		for (r = 0; r < count; r++)
			if (ranges_overlap(mem[n].phys_start, mem[n].size,
					   res[r].base, res[r].size)) {
				hv_set_error("%s: memory region %u (phys 0x%llx, size 0x%llx) overlaps the %s at 0x%llx-0x%llx, which the hypervisor keeps for itself",
					     what, n,
					     (unsigned long long)mem[n].phys_start,
					     (unsigned long long)mem[n].size,
					     res[r].what,
					     (unsigned long long)res[r].base,
					     (unsigned long long)(res[r].base +
								  res[r].size - 1));
				return -EINVAL;
			}
	}
	return 0;
}

/* Checks shared by root and non-root configs: array sizes, memory layout. */
static int check_common(const struct hv_cell_desc *cfg, const char *what)
{
	const struct hv_memory *mem = cfg_mem(cfg);
	const struct hv_pci_device *pci = cfg_pci_devices(cfg);
	const struct hv_irqchip *chip = cfg_irqchips(cfg);
	uint64_t gicd = hv_sys->platform_info.arm.gicd_base;
	unsigned int n, m, comm = 0;
	int err;

	if (cfg->cpu_set_size > HV_CPU_SET_MAX_SIZE) {
		hv_set_error("%s: cpu_set_size %u exceeds %u bytes", what,
			     cfg->cpu_set_size, HV_CPU_SET_MAX_SIZE);
		return -EINVAL;
	}
	if (cfg->console.type > HV_CON_TYPE_MAX) {
		hv_set_error("%s: unknown console type %u", what,
			     cfg->console.type);
		return -EINVAL;
	}
	for (n = 0; n < cfg->num_memory_regions; n++) {
		const struct hv_memory *r = &mem[n];

		if (!r->size)
			continue;	/* empty slots, e.g. in ivshmem layouts */
		if (r->phys_start + r->size < r->phys_start ||
		    r->virt_start + r->size < r->virt_start) {
			hv_set_error("%s: memory region %u wraps around", what,
				     n);
			return -EINVAL;
		}
		if (r->flags & HV_MEM_COMM_REGION) {
			if (++comm > 1) {
				hv_set_error("%s: memory region %u is a second comm region",
					     what, n);
				return -EINVAL;
			}
			if (r->size != PAGE_SIZE ||
			    (r->virt_start & PAGE_OFFS_MASK)) {
				hv_set_error("%s: comm region (memory region %u) must be one page at a page-aligned address",
					     what, n);
				return -EINVAL;
			}
			err = check_comm_region(r, what, n);
			if (err)
				return err;
		} else if (mem_is_subpage(r) &&
			   (!(r->flags & HV_MEM_IO) ||
			    !(r->flags & (HV_MEM_IO_8 | HV_MEM_IO_16 |
					  HV_MEM_IO_32 | HV_MEM_IO_64)))) {
			hv_set_error("%s: memory region %u (phys 0x%llx, size 0x%llx) is not page aligned and not a sub-page IO region",
				     what, n,
				     (unsigned long long)r->phys_start,
				     (unsigned long long)r->size);
			return -EINVAL;
		}
		if (!(r->flags & HV_MEM_COMM_REGION)) {
			uint64_t hvs = hv_sys->hypervisor_memory.phys_start;
			uint64_t hvz = hv_sys->hypervisor_memory.size;

			if (ranges_overlap(r->phys_start, r->size, hvs, hvz)) {
				hv_set_error("%s: memory region %u overlaps hypervisor memory",
					     what, n);
				return -EINVAL;
			}
		}
		for (m = 0; m < n; m++)
			if (mem[m].size &&
			    ranges_overlap(r->virt_start, r->size,
					   mem[m].virt_start, mem[m].size)) {
				hv_set_error("%s: memory regions %u and %u overlap at guest-physical 0x%llx",
					     what, m, n,
					     (unsigned long long)r->virt_start);
				return -EINVAL;
			}
	}
	for (n = 0; n < cfg->num_irqchips; n++) {
		/* An unused slot (address 0) grants nothing, as upstream. */
		if (!chip[n].address)
			continue;
		if (chip[n].address != gicd) {
			hv_set_error("%s: irqchip %u address 0x%llx is not the GIC distributor (0x%llx)",
				     what, n, (unsigned long long)chip[n].address,
				     (unsigned long long)gicd);
			return -EINVAL;
		}
		if (chip[n].pin_base % 32 || chip[n].pin_base < 32 ||
		    chip[n].pin_base + HV_IRQCHIP_PINS > 1020 + 32) {
			hv_set_error("%s: irqchip %u pin_base %u must be a multiple of 32 from 32 on (SPIs)",
				     what, n, chip[n].pin_base);
			return -EINVAL;
		}
	}
	for (n = 0; n < cfg->num_pci_devices; n++) {
		if (pci[n].type < HV_PCI_TYPE_DEVICE ||
		    pci[n].type > HV_PCI_TYPE_IVSHMEM) {
			hv_set_error("%s: PCI device %u has unknown type %u",
				     what, n, pci[n].type);
			return -EINVAL;
		}
		if ((uint32_t)pci[n].caps_start + pci[n].num_caps >
		    cfg->num_pci_caps) {
			hv_set_error("%s: PCI device %u capabilities exceed num_pci_caps",
				     what, n);
			return -EINVAL;
		}
		for (m = 0; m < n; m++)
			if (pci[m].domain == pci[n].domain &&
			    pci[m].bdf == pci[n].bdf) {
				hv_set_error("%s: PCI devices %u and %u have the same address %04x:%02x:%02x.%x",
					     what, m, n, pci[n].domain,
					     pci[n].bdf >> 8,
					     (pci[n].bdf >> 3) & 0x1f,
					     pci[n].bdf & 7);
				return -EINVAL;
			}
	}
	return 0;
}

int cell_check_root_config(const struct hv_system *sys)
{
	const struct hv_cell_desc *rc = &sys->root_cell;
	const struct hv_memory *mem = cfg_mem(rc);
	unsigned int n;
	int err, bad;

	bad = hv_text_check(rc->name, sizeof(rc->name));
	if (bad >= 0) {
		hv_set_error("root cell: the name has a control character or invalid UTF-8 at byte %d (0x%02x)",
			     bad, (unsigned char)rc->name[bad]);
		return -EINVAL;
	}
	err = check_common(rc, "root cell");
	if (err)
		return err;
	/* The port may still map the GIC into the root; the config may not. */
	err = check_reserved(rc, "root cell", true);
	if (err)
		return err;
	for (n = 0; n < rc->num_memory_regions; n++)
		if (mem[n].size && (mem[n].flags & HV_MEM_COMM_REGION)) {
			hv_set_error("root cell: memory region %u: the root cell has no comm region",
				     n);
			return -EINVAL;
		}
	return ivshmem_check_cell(rc);
}

static int check_cpus(const struct hv_cell_desc *cfg,
		      const struct per_cpu *caller)
{
	const uint8_t *set = cfg_cpu_set(cfg);
	unsigned long cpu, count = 0;

	for (cpu = 0; cpu < (unsigned long)cfg->cpu_set_size * 8; cpu++) {
		if (!test_byte_bit(cpu, set, cfg->cpu_set_size))
			continue;
		count++;
		if (cpu >= hv_max_cpus || !per_cpu(cpu)->online) {
			hv_set_error("CPU %lu does not exist", cpu);
			return -EBUSY;
		}
		if (!cell_owns_cpu(&root_cell, cpu)) {
			hv_set_error("CPU %lu is not owned by the root cell (cell \"%s\" has it)",
				     cpu, per_cpu(cpu)->cell->config->name);
			return -EBUSY;
		}
		if (caller && caller->cpu_id == cpu) {
			hv_set_error("CPU %lu is the CPU issuing the request",
				     cpu);
			return -EBUSY;
		}
	}
	if (!count) {
		hv_set_error("the CPU set is empty");
		return -EINVAL;
	}
	return 0;
}

static int check_memory_ownership(const struct hv_cell_desc *cfg)
{
	const struct hv_memory *mem = cfg_mem(cfg);
	const struct cell *other;
	unsigned int n, m;

	for (n = 0; n < cfg->num_memory_regions; n++) {
		const struct hv_memory *r = &mem[n];

		if (!r->size || (r->flags & HV_MEM_COMM_REGION))
			continue;
		if (!root_cfg_covers(r->phys_start, r->size)) {
			hv_set_error("memory region %u (phys 0x%llx, size 0x%llx) is not memory of the root cell",
				     n, (unsigned long long)r->phys_start,
				     (unsigned long long)r->size);
			return -EINVAL;
		}
		for_each_non_root_cell(other) {
			const struct hv_memory *om = cfg_mem(other->config);

			for (m = 0; m < other->config->num_memory_regions; m++) {
				if (!om[m].size ||
				    (om[m].flags & HV_MEM_COMM_REGION))
					continue;
				if (!mem_is_exclusive(r) &&
				    !mem_is_exclusive(&om[m]))
					continue;
				if (ranges_overlap(r->phys_start, r->size,
						   om[m].phys_start,
						   om[m].size)) {
					hv_set_error("memory region %u (phys 0x%llx) overlaps memory of cell \"%s\"",
						     n,
						     (unsigned long long)r->phys_start,
						     other->config->name);
					return -EBUSY;
				}
			}
		}
	}
	return 0;
}

static int check_irqs(const struct hv_cell_desc *cfg)
{
	const struct hv_irqchip *chip = cfg_irqchips(cfg);
	const struct cell *other;
	unsigned int n, pin;

	for (n = 0; n < cfg->num_irqchips; n++) {
		if (!chip[n].address)
			continue;	/* unused slot */
		for (pin = 0; pin < HV_IRQCHIP_PINS; pin++) {
			unsigned int irq = chip[n].pin_base + pin;

			if (!((chip[n].pin_bitmap[pin / 32] >> (pin % 32)) & 1))
				continue;
			if (!cell_cfg_has_irq(&hv_sys->root_cell, irq)) {
				hv_set_error("interrupt %u is not an interrupt of the root cell",
					     irq);
				return -EINVAL;
			}
			for_each_non_root_cell(other)
				if (cell_cfg_has_irq(other->config, irq)) {
					hv_set_error("interrupt %u belongs to cell \"%s\"",
						     irq, other->config->name);
					return -EBUSY;
				}
		}
	}
	return 0;
}

static int check_pci(const struct hv_cell_desc *cfg)
{
	const struct hv_pci_device *dev = cfg_pci_devices(cfg);
	const struct cell *other;
	unsigned int n;

	for (n = 0; n < cfg->num_pci_devices; n++) {
		if (dev[n].type == HV_PCI_TYPE_IVSHMEM)
			continue;
		if (!cfg_find_pci(&hv_sys->root_cell, dev[n].domain,
				  dev[n].bdf)) {
			hv_set_error("PCI device %04x:%02x:%02x.%x is not a device of the root cell",
				     dev[n].domain, dev[n].bdf >> 8,
				     (dev[n].bdf >> 3) & 0x1f, dev[n].bdf & 7);
			return -EINVAL;
		}
		for_each_non_root_cell(other)
			if (cfg_find_pci(other->config, dev[n].domain,
					 dev[n].bdf)) {
				hv_set_error("PCI device %04x:%02x:%02x.%x belongs to cell \"%s\"",
					     dev[n].domain, dev[n].bdf >> 8,
					     (dev[n].bdf >> 3) & 0x1f,
					     dev[n].bdf & 7,
					     other->config->name);
				return -EBUSY;
			}
	}
	return 0;
}

int cell_check_config(const struct hv_cell_desc *cfg, uint64_t size,
		      const struct per_cpu *caller)
{
	const struct cell *cell;
	int err, bad;

	if (size < sizeof(*cfg) || size < hv_cell_config_size(cfg)) {
		hv_set_error("config is truncated (%llu bytes)",
			     (unsigned long long)size);
		return -EINVAL;
	}
	if (hv_memcmp(cfg->signature, HV_CELL_SIGNATURE, HV_SIGNATURE_LEN) ||
	    cfg->revision != HV_CONFIG_REVISION ||
	    cfg->architecture != HV_ARCH_ARM64) {
		hv_set_error("not an arm64 cell config of revision %u",
			     HV_CONFIG_REVISION);
		return -EINVAL;
	}
	if (hv_strnlen(cfg->name, sizeof(cfg->name)) == sizeof(cfg->name) ||
	    !cfg->name[0]) {
		hv_set_error("the cell name is empty or not terminated");
		return -EINVAL;
	}
	/* Names reach terminals, JSON and logs: no escapes, valid UTF-8. */
	bad = hv_text_check(cfg->name, sizeof(cfg->name));
	if (bad >= 0) {
		hv_set_error("the cell name has a control character or invalid UTF-8 at byte %d (0x%02x)",
			     bad, (unsigned char)cfg->name[bad]);
		return -EINVAL;
	}
	err = check_cpus(cfg, caller);
	if (err)
		return err;
	for_each_cell(cell) {
		if (hv_strncmp(cell->config->name, cfg->name,
			       sizeof(cfg->name)) == 0) {
			hv_set_error("a cell named \"%s\" exists (id %u)",
				     cfg->name, cell->id);
			return -EEXIST;
		}
		if (cell->id == cfg->id) {
			hv_set_error("cell id %u is in use by \"%s\"", cfg->id,
				     cell->config->name);
			return -EEXIST;
		}
	}
	err = check_common(cfg, cfg->name);
	if (err)
		return err;
	err = check_reserved(cfg, cfg->name, false);
	if (err)
		return err;
	err = check_memory_ownership(cfg);
	if (err)
		return err;
	err = check_irqs(cfg);
	if (err)
		return err;
	err = check_pci(cfg);
	if (err)
		return err;
	return ivshmem_check_cell(cfg);
}

/*
 * Applies fn to every part of the root config's page-aligned regions that
 * intersects [phys, phys + size) rounded out to whole pages, as a region in
 * root's guest-physical space with root's access flags. Whole pages,
 * because a sub-page device given to a cell takes the root's mapping of its
 * page along (the rest of that page is emulated for the root, mmio.c); the
 * root's own sub-page regions are never mapped, mmio.c checks them against
 * current ownership.
 */
static int for_each_root_part(uint64_t phys, uint64_t size,
			      int (*fn)(const struct hv_memory *part,
					const struct cell *owner),
			      const struct cell *owner, bool stop_on_error)
{
	const struct hv_cell_desc *rc = &hv_sys->root_cell;
	const struct hv_memory *mem = cfg_mem(rc);
	uint64_t first = phys & PAGE_MASK, last = PAGE_ALIGN(phys + size);
	int err, ret = 0;
	unsigned int n;

	for (n = 0; n < rc->num_memory_regions; n++) {
		const struct hv_memory *r = &mem[n];
		struct hv_memory part;
		uint64_t start, end;

		if (!r->size || mem_is_subpage(r) ||
		    !ranges_overlap(first, last - first, r->phys_start,
				    r->size))
			continue;
		start = hv_max(first, r->phys_start);
		end = hv_min(last, r->phys_start + r->size);
		part.phys_start = start;
		part.virt_start = r->virt_start + (start - r->phys_start);
		part.size = end - start;
		part.flags = r->flags;
		err = fn(&part, owner);
		if (err) {
			ret = err;
			if (stop_on_error)
				return err;
		}
	}
	return ret;
}

/* A non-root cell other than owner holds some of the range exclusively. */
static bool taken_by_other(uint64_t phys, uint64_t size,
			   const struct cell *owner)
{
	const struct cell *cell;
	unsigned int n;

	for_each_non_root_cell(cell) {
		const struct hv_memory *mem = cfg_mem(cell->config);

		if (cell == owner)
			continue;
		for (n = 0; n < cell->config->num_memory_regions; n++)
			if (mem_is_exclusive(&mem[n]) &&
			    ranges_overlap(phys, size, mem[n].phys_start,
					   mem[n].size))
				return true;
	}
	return false;
}

static int root_unmap_part(const struct hv_memory *part,
			   const struct cell *owner)
{
	(void)owner;
	return arch_unmap_memory_region(&root_cell, part);
}

static int root_map_part(const struct hv_memory *part,
			 const struct cell *owner)
{
	struct hv_memory page = *part;
	uint64_t off;
	int err;

	if (!taken_by_other(part->phys_start, part->size, owner))
		return arch_map_memory_region(&root_cell, part);
	/* Pages with another cell's sub-page device stay with that cell. */
	page.size = PAGE_SIZE;
	for (off = 0; off < part->size; off += PAGE_SIZE) {
		page.phys_start = part->phys_start + off;
		page.virt_start = part->virt_start + off;
		if (taken_by_other(page.phys_start, PAGE_SIZE, owner))
			continue;
		err = arch_map_memory_region(&root_cell, &page);
		if (err)
			return err;
	}
	return 0;
}

static int unmap_from_root(const struct hv_memory *m)
{
	return for_each_root_part(m->phys_start, m->size, root_unmap_part,
				  NULL, true);
}

/*
 * Gives the range of owner's region back to root, as far as root's config
 * covers it and no other cell holds a part of a page.
 */
static int remap_to_root(const struct hv_memory *m, const struct cell *owner)
{
	return for_each_root_part(m->phys_start, m->size, root_map_part,
				  owner, false);
}

/*
 * A region of the cell's config into its stage 2; an ivshmem state table
 * or another peer's output section read-only, whatever its flags say
 * (spec 6.3): only the hypervisor writes the table, only its peer an
 * output section.
 */
static int map_region_checked(struct cell *cell, const struct hv_memory *m)
{
	struct hv_memory ro;

	if (!ivshmem_region_read_only(cell->config,
				      (unsigned int)(m - cfg_mem(cell->config))))
		return arch_map_memory_region(cell, m);
	ro = *m;
	ro.flags &= ~(uint64_t)(HV_MEM_WRITE | HV_MEM_EXECUTE);
	return arch_map_memory_region(cell, &ro);
}

static int map_into_cell(struct cell *cell, const struct hv_memory *m)
{
	struct hv_memory comm;

	if (m->flags & HV_MEM_COMM_REGION) {
		comm.phys_start = paging_hvirt2phys(cell->comm_page);
		comm.virt_start = m->virt_start;
		comm.size = PAGE_SIZE;
		comm.flags = (m->flags & (HV_MEM_READ | HV_MEM_WRITE)) |
			     HV_MEM_READ;
		return arch_map_memory_region(cell, &comm);
	}
	if (mem_is_subpage(m))
		return 0;	/* emulated access by access (mmio.c) */
	return map_region_checked(cell, m);
}

static struct cell *cell_alloc(void)
{
	unsigned long bytes = sizeof(struct cell) +
			      BITMAP_LONGS(hv_max_cpus) * sizeof(unsigned long);
	struct cell *cell = page_alloc(&mem_pool, PAGES(bytes));

	if (!cell)
		return NULL;
	cell->data_pages = PAGES(bytes);
	cell->cpu_set = (unsigned long *)(cell + 1);
	return cell;
}

static void cell_free(struct cell *cell)
{
	paging_destroy(&cell->stage2);
	if (cell->comm_page)
		page_free(&mem_pool, cell->comm_page, 1);
	page_free(&mem_pool, cell->config, cell->config_pages);
	page_free(&mem_pool, cell, cell->data_pages);
}

static void cpu_move(unsigned int cpu, struct cell *from, struct cell *to)
{
	struct per_cpu *pc = per_cpu(cpu);

	clear_bit(cpu, from->cpu_set);
	from->num_cpus--;
	set_bit(cpu, to->cpu_set);
	to->num_cpus++;
	pc->cell = to;
	pc->failed = false;
	/* Counters are per CPU and per cell: they restart with the new cell. */
	hv_memset(pc->stats, 0, sizeof(pc->stats));
}

int cell_create_from(struct hv_cell_desc *config, unsigned long config_pages,
		     struct cell **out)
{
	const struct hv_memory *mem = cfg_mem(config);
	const uint8_t *set = cfg_cpu_set(config);
	unsigned int n, undo;
	struct cell *cell, **link;
	unsigned long cpu;
	int err;

	cell = cell_alloc();
	if (!cell) {
		page_free(&mem_pool, config, config_pages);
		hv_set_error("hypervisor memory pool exhausted");
		return -ENOMEM;
	}
	cell->id = config->id;
	cell->config = config;
	cell->config_pages = config_pages;
	cell->comm_page = page_alloc(&mem_pool, 1);
	err = paging_init(&cell->stage2);
	if (!cell->comm_page || err)
		goto err_nomem;
	for (n = 0; n < config->num_memory_regions; n++) {
		if (!mem[n].size)
			continue;
		err = map_into_cell(cell, &mem[n]);
		if (err)
			goto err_nomem;
	}
	err = arch_cell_create(cell);
	if (err)
		goto err_nomem;

	/* From here on the root cell changes. */
	for (n = 0; n < config->num_memory_regions; n++) {
		if (!mem_is_exclusive(&mem[n]))
			continue;
		err = unmap_from_root(&mem[n]);
		if (err) {
			for (undo = 0; undo <= n; undo++)
				if (mem_is_exclusive(&mem[undo]))
					remap_to_root(&mem[undo], cell);
			arch_cell_destroy(cell);
			goto err_nomem;
		}
	}
	for (cpu = 0; cpu < hv_max_cpus; cpu++) {
		struct per_cpu *pc;

		if (!test_byte_bit(cpu, set, config->cpu_set_size))
			continue;
		pc = per_cpu(cpu);
		pc->park_requested = true;
		arch_send_event(pc);
		cpu_move(cpu, &root_cell, cell);
	}
	cell_set_state(cell, HV_CELL_SHUT_DOWN);
	ivshmem_add_cell(cell);
	console_cell_attach(cell);

	for (link = &cell_list; *link; link = &(*link)->next)
		;
	*link = cell;
	num_cells++;
	arch_config_commit(cell);
	*out = cell;
	return 0;

err_nomem:
	cell_free(cell);
	hv_set_error("hypervisor memory pool exhausted");
	return -ENOMEM;
}

void cell_destroy(struct cell *cell)
{
	const struct hv_memory *mem = cfg_mem(cell->config);
	struct cell **link;
	unsigned int n, cpu;

	for_each_cpu_id(cpu) {
		struct per_cpu *pc;

		if (!test_bit(cpu, cell->cpu_set))
			continue;
		pc = per_cpu(cpu);
		if (!pc->parked) {
			pc->park_requested = true;
			arch_send_event(pc);
		}
		cpu_move(cpu, cell, &root_cell);
		/* Root's OS brings the CPU back with PSCI CPU_ON. */
		pc->wait_for_poweron = true;
		pc->parked = true;
	}
	for (n = 0; n < cell->config->num_memory_regions; n++)
		if (mem_is_exclusive(&mem[n]))
			remap_to_root(&mem[n], cell);
	ivshmem_remove_cell(cell);
	console_cell_detach(cell);
	arch_cell_destroy(cell);

	for (link = &cell_list; *link != cell; link = &(*link)->next)
		;
	*link = cell->next;
	num_cells--;
	cell_free(cell);
	arch_config_commit(NULL);
}

int cell_set_loadable(struct cell *cell, bool loadable)
{
	const struct hv_memory *mem = cfg_mem(cell->config);
	unsigned int n;
	int err = 0;

	if (cell->loadable == loadable)
		return 0;
	for (n = 0; n < cell->config->num_memory_regions; n++) {
		if (!mem_is_exclusive(&mem[n]) ||
		    !(mem[n].flags & HV_MEM_LOADABLE))
			continue;
		err = loadable ? remap_to_root(&mem[n], cell)
			       : unmap_from_root(&mem[n]);
		if (err)
			break;
	}
	if (err) {
		/* Back to the previous mapping, as far as possible. */
		for (n = 0; n < cell->config->num_memory_regions; n++)
			if (mem_is_exclusive(&mem[n]) &&
			    (mem[n].flags & HV_MEM_LOADABLE)) {
				if (loadable)
					unmap_from_root(&mem[n]);
				else
					remap_to_root(&mem[n], cell);
			}
		hv_set_error("hypervisor memory pool exhausted");
		return err;
	}
	cell->loadable = loadable;
	arch_config_commit(cell);
	return 0;
}

int cell_init_root(const struct hv_system *sys)
{
	const struct hv_cell_desc *rc = &sys->root_cell;
	const struct hv_memory *mem = cfg_mem(rc);
	const uint8_t *set = cfg_cpu_set(rc);
	unsigned long bitmap_bytes;
	unsigned int n, cpu;
	int err;

	hv_memset(&root_cell, 0, sizeof(root_cell));
	root_cell.id = 0;
	root_cell.config = (struct hv_cell_desc *)rc;
	bitmap_bytes = BITMAP_LONGS(hv_max_cpus) * sizeof(unsigned long);
	root_cell.data_pages = PAGES(bitmap_bytes);
	root_cell.cpu_set = page_alloc(&mem_pool, root_cell.data_pages);
	if (!root_cell.cpu_set)
		goto err_nomem;
	for_each_cpu_id(cpu)
		if (test_byte_bit(cpu, set, rc->cpu_set_size)) {
			set_bit(cpu, root_cell.cpu_set);
			root_cell.num_cpus++;
			per_cpu(cpu)->cell = &root_cell;
		}
	if (paging_init(&root_cell.stage2))
		goto err_nomem;
	for (n = 0; n < rc->num_memory_regions; n++) {
		if (!mem[n].size || mem_is_subpage(&mem[n]))
			continue;
		err = map_region_checked(&root_cell, &mem[n]);
		if (err)
			goto err_nomem;
	}
	cell_list = &root_cell;
	num_cells = 1;
	err = arch_cell_create(&root_cell);
	if (err)
		goto err_nomem;
	console_cell_attach(&root_cell);
	ivshmem_add_cell(&root_cell);
	return 0;

err_nomem:
	paging_destroy(&root_cell.stage2);
	if (root_cell.cpu_set)
		page_free(&mem_pool, root_cell.cpu_set, root_cell.data_pages);
	root_cell.cpu_set = NULL;
	cell_list = NULL;
	num_cells = 0;
	hv_set_error("hypervisor memory pool too small for the root cell");
	return -ENOMEM;
}

void cell_exit_root(void)
{
	if (!cell_list)
		return;
	ivshmem_remove_cell(&root_cell);
	console_cell_detach(&root_cell);
	arch_cell_destroy(&root_cell);
	paging_destroy(&root_cell.stage2);
	page_free(&mem_pool, root_cell.cpu_set, root_cell.data_pages);
	root_cell.cpu_set = NULL;
	cell_list = NULL;
	num_cells = 0;
}
