// SPDX-License-Identifier: GPL-2.0
/*
 * Enable: take over the system config from the image layout, set up the
 * per-CPU area, pools, console and the root cell.
 *
 * Hypervisor memory: [image (core_size)][max_cpus x percpu_size][system
 * config][memory pool ...]. The remap pool is virtual address space only.
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

/* Where remap pool addresses start (hypervisor virtual), and its size. */
#define REMAP_BASE		0x0000000000100000ULL
#define REMAP_POOL_PAGES	(4 * PAGE_SIZE * 8)
#define GICD_PAGES		16
#define GICR_PAGES_PER_CPU	32

const struct hv_system *hv_sys;
unsigned int hv_max_cpus;

static uint8_t *percpu_base;
static uint64_t percpu_size;
static bool enabled;
static unsigned int cpus_registered;

struct per_cpu *per_cpu(unsigned int cpu_id)
{
	if (cpu_id >= hv_max_cpus)
		return NULL;
	return (struct per_cpu *)(percpu_base + cpu_id * percpu_size);
}

bool hv_enabled(void)
{
	return enabled;
}

static int check_system(const struct hv_system *sys, uint64_t room)
{
	const struct hv_cell_desc *rc = &sys->root_cell;
	unsigned int cpu, last = 0;
	bool any = false;

	if (room < sizeof(*sys) ||
	    hv_memcmp(sys->signature, HV_SYSTEM_SIGNATURE, HV_SIGNATURE_LEN) ||
	    sys->revision != HV_CONFIG_REVISION ||
	    sys->architecture != HV_ARCH_ARM64) {
		hv_set_error("not an arm64 system config of revision %u",
			     HV_CONFIG_REVISION);
		return -EINVAL;
	}
	if (rc->cpu_set_size > HV_CPU_SET_MAX_SIZE) {
		hv_set_error("root cell: cpu_set_size %u exceeds %u bytes",
			     rc->cpu_set_size, HV_CPU_SET_MAX_SIZE);
		return -EINVAL;
	}
	if (hv_system_config_size(sys) > room) {
		hv_set_error("the system config does not fit into hypervisor memory");
		return -EINVAL;
	}
	for (cpu = 0; cpu < rc->cpu_set_size * 8; cpu++)
		if (test_byte_bit(cpu, cfg_cpu_set(rc), rc->cpu_set_size)) {
			any = true;
			last = cpu;
		}
	if (!any || last + 1 != hv_max_cpus) {
		hv_set_error("the root CPU set does not match max_cpus %u",
			     hv_max_cpus);
		return -EINVAL;
	}
	return 0;
}

int hv_init(const struct hv_layout *layout)
{
	struct hv_image_header *hdr = layout->header;
	const struct hv_system *sys;
	uint64_t cfg_offset, cfg_size, pool_offset;
	unsigned int cpu;
	int err;

	hv_clear_error();
	enabled = false;
	cpus_registered = 0;
	if (hv_memcmp(hdr->signature, HV_IMAGE_SIGNATURE,
		      HV_IMAGE_SIGNATURE_LEN) ||
	    (hdr->core_size & PAGE_OFFS_MASK) || !hdr->percpu_size ||
	    !hdr->max_cpus) {
		hv_set_error("bad hypervisor image header");
		return -EINVAL;
	}
	hv_max_cpus = hdr->max_cpus;
	percpu_size = hdr->percpu_size;
	cfg_offset = hdr->core_size + (uint64_t)hv_max_cpus * percpu_size;
	if (cfg_offset >= layout->size) {
		hv_set_error("hypervisor memory too small for %u CPUs",
			     hv_max_cpus);
		return -EINVAL;
	}
	sys = (const struct hv_system *)((uint8_t *)hdr + cfg_offset);
	err = check_system(sys, layout->size - cfg_offset);
	if (err)
		return err;
	cfg_size = hv_system_config_size(sys);
	pool_offset = PAGE_ALIGN(cfg_offset + cfg_size);
	if (pool_offset >= layout->size) {
		hv_set_error("hypervisor memory leaves no page pool");
		return -EINVAL;
	}
	err = arch_check_platform(sys);
	if (err)
		return err;

	hv_sys = sys;
	percpu_base = (uint8_t *)hdr + hdr->core_size;
	paging_set_hv_base(hdr, layout->phys_start, layout->size);
	console_init(hdr->console_page ?
		     (struct hv_virt_console *)((uint8_t *)hdr +
						hdr->console_page) : NULL,
		     hdr->cell_consoles ?
		     (struct hv_cell_console *)((uint8_t *)hdr +
						hdr->cell_consoles) : NULL,
		     hdr->num_cell_consoles);
	for_each_cpu_id(cpu) {
		struct per_cpu *pc = per_cpu(cpu);

		hv_memset(pc, 0, sizeof(*pc));
		pc->cpu_id = cpu;
	}

	err = pool_init_mem((uint8_t *)hdr + pool_offset,
			    (layout->size - pool_offset) / PAGE_SIZE);
	if (!err)
		err = pool_init_remap(REMAP_BASE, REMAP_POOL_PAGES);
	if (err) {
		hv_set_error("hypervisor memory pool too small");
		goto fail;
	}
	/* The hypervisor's own device mappings: UART and GIC. */
	if (sys->debug_console.type != HV_CON_TYPE_NONE &&
	    sys->debug_console.size &&
	    !page_alloc(&remap_pool, PAGES(sys->debug_console.size)))
		err = -ENOMEM;
	if (!err && !page_alloc(&remap_pool, GICD_PAGES))
		err = -ENOMEM;
	if (!err && sys->platform_info.arm.gicr_base &&
	    !page_alloc(&remap_pool, GICR_PAGES_PER_CPU * hv_max_cpus))
		err = -ENOMEM;
	if (err) {
		hv_set_error("hypervisor remap pool too small");
		goto fail;
	}

	ivshmem_reset_all();
	err = cell_check_root_config(sys);
	if (err)
		goto fail;
	err = cell_init_root(sys);
	if (err)
		goto fail;
	printk("\nhvctl hypervisor " HV_VERSION " initializing on %u CPUs\n",
	       hv_max_cpus);
	printk("Page pool: %lu of %lu pages used, remap pool: %lu of %lu\n",
	       mem_pool.used, mem_pool.pages, remap_pool.used,
	       remap_pool.pages);
	return 0;

fail:
	hv_sys = NULL;
	return err;
}

int hv_cpu_init(unsigned int cpu_id)
{
	struct per_cpu *pc = per_cpu(cpu_id);

	if (!hv_sys || !pc || !cell_owns_cpu(&root_cell, cpu_id)) {
		hv_set_error("CPU %u is not in the root cell's CPU set", cpu_id);
		return -EINVAL;
	}
	if (pc->online) {
		hv_set_error("CPU %u entered twice", cpu_id);
		return -EINVAL;
	}
	pc->online = true;
	pc->cell = &root_cell;
	cpus_registered++;
	return 0;
}

int hv_init_late(void)
{
	if (!hv_sys)
		return -EINVAL;
	if (cpus_registered != root_cell.num_cpus) {
		hv_set_error("%u CPUs entered, the root cell has %u",
			     cpus_registered, root_cell.num_cpus);
		return -EINVAL;
	}
	enabled = true;
	printk("Activating hypervisor\n");
	return 0;
}

void hv_teardown(void)
{
	cell_exit_root();
	ivshmem_reset_all();
	hv_sys = NULL;
	enabled = false;
}
