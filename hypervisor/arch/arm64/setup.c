// SPDX-License-Identifier: GPL-2.0
/*
 * Bring-up and tear-down at EL2 (MMU on, at the link address).
 *
 * All CPUs that Linux had online arrive here from entry.S. The first one
 * builds the hypervisor's final page tables and the root cell's stage 2
 * from the system config; then each CPU switches to them, turns on stage
 * 2 and SMC trapping, and returns to Linux at EL1. Any failure is reported
 * with the same error on every CPU, which then hands EL2 back to the stub.
 */
#include "include/arm64.h"
#include "include/errno.h"

#define HV_POOL_MAX_PAGES	(1024 * 1024 * 1024 / 4096)	/* 1 GiB */

const struct hv_system *hv_config;
struct page_pool hv_pool;
struct paging hv_s1;
struct paging root_s2;
uint64_t hv_phys_base, hv_mem_size;
unsigned int hv_num_cpus;

static uint8_t pool_bitmap[HV_POOL_MAX_PAGES / 8];
static uint64_t vtcr_value;
static uint32_t arrived, initialised, activated;
static volatile int init_error;
static volatile bool global_done;
extern uint8_t shutdown_trampoline[];

uint64_t hv_virt_to_phys(const void *v)
{
	return (uint64_t)v - (uint64_t)__image_start + hv_phys_base;
}

struct per_cpu *per_cpu_of(unsigned int cpu)
{
	return (struct per_cpu *)(__image_start + hv_header.core_size +
				  (uint64_t)cpu * hv_header.percpu_size);
}

bool cpu_in_root(unsigned int cpu)
{
	const uint8_t *set = (const uint8_t *)(hv_config + 1);

	return cpu < hv_config->root_cell.cpu_set_size * 8 &&
	       (set[cpu / 8] & (1u << (cpu % 8)));
}

static const struct hv_memory *root_regions(void)
{
	return (const struct hv_memory *)((const uint8_t *)(hv_config + 1) +
					  hv_config->root_cell.cpu_set_size);
}

static void wait_for(uint32_t *counter, uint32_t n)
{
	while (__atomic_load_n(counter, __ATOMIC_ACQUIRE) < n)
		cpu_relax();
}

static unsigned int mem_flags_to_pg(uint64_t flags)
{
	unsigned int pg = 0;

	if (flags & HV_MEM_READ)
		pg |= PG_READ;
	if (flags & HV_MEM_WRITE)
		pg |= PG_WRITE;
	if (flags & HV_MEM_EXECUTE)
		pg |= PG_EXEC;
	if (flags & HV_MEM_IO)
		pg |= PG_DEVICE;
	if (flags & HV_MEM_NO_HUGEPAGES)
		pg |= PG_NO_BLOCKS;
	return pg;
}

static bool page_is_shared_console(uint64_t off)
{
	uint64_t con = (uint8_t *)&hv_console_ring - __image_start;
	uint64_t cells = (uint8_t *)hv_cell_consoles - __image_start;
	uint64_t cells_end = cells + sizeof(struct hv_cell_console) *
				     HV_NUM_CELL_CONSOLES;

	return (off >= (con & ~0xfffULL) && off < con + sizeof(hv_console_ring)) ||
	       (off >= (cells & ~0xfffULL) && off < cells_end);
}

/*
 * The root cell's stage 2: its memory regions, the GIC (the root keeps
 * direct access in this port), and hypervisor memory replaced by an empty
 * page except the console rings, which the driver reads.
 */
static int build_root_stage2(void)
{
	const struct hv_platform_arm *arm = &hv_config->platform_info.arm;
	const struct hv_memory *mem = root_regions();
	unsigned int start_level, root_pages, n;
	uint64_t parange, off;
	void *zero_page;
	int err;

	parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	vtcr_value = paging_vtcr(parange, &start_level, &root_pages);
	err = paging_init(&root_s2, PT_STAGE2, start_level, root_pages,
			  &hv_pool);
	if (err)
		return err;

	for (n = 0; n < hv_config->root_cell.num_memory_regions; n++) {
		/* Comm regions are for non-root cells; empty regions (the
		 * ivshmem-net placeholder) map nothing. */
		if ((mem[n].flags & HV_MEM_COMM_REGION) || mem[n].size == 0)
			continue;
		err = paging_map(&root_s2, mem[n].virt_start, mem[n].phys_start,
				 mem[n].size, mem_flags_to_pg(mem[n].flags));
		if (err) {
			hv_printk("ERROR: root cell memory region %u (0x%llx, size 0x%llx): %s\n",
				  n, (unsigned long long)mem[n].phys_start,
				  (unsigned long long)mem[n].size,
				  err == -EINVAL ? "not page aligned" :
						   "out of memory");
			return err;
		}
	}

	if (hv_config->platform_info.arm.gic_version == 3) {
		err = paging_map(&root_s2, arm->gicd_base, arm->gicd_base,
				 0x10000, PG_READ | PG_WRITE | PG_DEVICE);
		if (!err)
			err = paging_map(&root_s2, arm->gicr_base,
					 arm->gicr_base,
					 0x20000ULL * hv_num_cpus,
					 PG_READ | PG_WRITE | PG_DEVICE);
		if (err) {
			hv_printk("ERROR: cannot map the GIC for the root cell\n");
			return err;
		}
	}

	zero_page = page_pool_alloc(&hv_pool, 1);
	if (!zero_page)
		return -ENOMEM;
	for (off = 0; off < hv_mem_size; off += PT_PAGE_SIZE) {
		uint64_t phys = page_is_shared_console(off) ?
				hv_phys_base + off :
				hv_virt_to_phys(zero_page);

		err = paging_map(&root_s2, hv_phys_base + off, phys,
				 PT_PAGE_SIZE, PG_READ | PG_NO_BLOCKS);
		if (err)
			return err;
	}
	return 0;
}

static int build_el2_tables(void)
{
	uint64_t text = __text_end - __image_start;
	uint64_t tramp = hv_virt_to_phys(__trampoline_start);
	const struct hv_console *con = &hv_config->debug_console;
	int err;

	err = paging_init(&hv_s1, PT_EL2_STAGE1, 0, 1, &hv_pool);
	if (err)
		return err;
	err = paging_map(&hv_s1, (uint64_t)__image_start, hv_phys_base, text,
			 PG_READ | PG_EXEC | PG_NO_BLOCKS);
	if (!err)
		err = paging_map(&hv_s1, (uint64_t)__image_start + text,
				 hv_phys_base + text, hv_mem_size - text,
				 PG_READ | PG_WRITE | PG_NO_BLOCKS);
	/* The trampoline also at its physical address: MMU on/off. */
	if (!err)
		err = paging_map(&hv_s1, tramp, tramp,
				 __trampoline_end - __trampoline_start,
				 PG_READ | PG_EXEC);
	if (!err && con->type != HV_CON_TYPE_NONE &&
	    (con->flags & HV_CON_ACCESS_MMIO) && con->address)
		err = paging_map(&hv_s1, con->address & ~0xfffULL,
				 con->address & ~0xfffULL, PT_PAGE_SIZE,
				 PG_READ | PG_WRITE | PG_DEVICE);
	return err;
}

static int global_init(void)
{
	uint64_t config_off, pool_start;
	int err;

	config_off = hv_header.core_size +
		     (uint64_t)hv_header.max_cpus * hv_header.percpu_size;
	hv_config = (const struct hv_system *)(__image_start + config_off);
	hv_phys_base = hv_config->hypervisor_memory.phys_start;
	hv_mem_size = hv_config->hypervisor_memory.size;
	hv_num_cpus = hv_header.max_cpus;

	pool_start = (config_off + hv_system_config_size(hv_config) + 4095) &
		     ~4095ULL;
	if (pool_start >= hv_mem_size ||
	    (hv_mem_size - pool_start) / 4096 > HV_POOL_MAX_PAGES)
		return -ENOMEM;
	page_pool_init(&hv_pool, __image_start + pool_start,
		       (hv_mem_size - pool_start) / 4096, pool_bitmap,
		       (uint64_t)__image_start - hv_phys_base);

	cell_consoles_init();
	err = build_el2_tables();
	if (err) {
		hv_printk("ERROR: cannot build the hypervisor page tables (%d)\n",
			  err);
		return err;
	}
	return 0;
}

static void cpu_activate_paging(void)
{
	write_sysreg(paging_root_phys(&hv_s1), ttbr0_el2);
	isb();
	asm volatile("tlbi alle2" : : : "memory");
	dsb(nsh);
	isb();
}

static void cpu_enable_stage2(void)
{
	write_sysreg(vtcr_value, vtcr_el2);
	write_sysreg(paging_root_phys(&root_s2), vttbr_el2);	/* VMID 0 */
	isb();
	asm volatile("tlbi vmalls12e1" : : : "memory");
	dsb(nsh);
	write_sysreg(HCR_ROOT, hcr_el2);
	isb();
}

void arch_cpu_shutdown(struct trap_regs *regs, long result)
{
	write_sysreg(HCR_STUB, hcr_el2);
	isb();
	asm volatile("tlbi vmalls12e1is" : : : "memory");
	dsb(ish);
	write_sysreg(0, vttbr_el2);
	write_sysreg(VTCR_RES1, vtcr_el2);
	isb();
	regs->x[0] = (uint64_t)result;
	el2_shutdown(regs, hv_virt_to_phys(regs),
		     hv_virt_to_phys(shutdown_trampoline),
		     hv_header.arm_linux_hyp_vectors);
}

void hv_entry_c(unsigned int cpu_id, struct trap_regs *regs)
{
	struct per_cpu *pc = this_cpu();
	unsigned int online = hv_header.online_cpus;
	int err;

	pc->cpu_id = cpu_id;
	pc->mpidr = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;

	if (__atomic_fetch_add(&arrived, 1, __ATOMIC_ACQ_REL) == 0) {
		err = global_init();
		if (!err) {
			uart_init(hv_config->debug_console.address,
				  hv_config->debug_console.type,
				  hv_config->debug_console.flags);
			cpu_activate_paging();
			hv_printk("\nInitializing hvctl hypervisor (arm64) on CPU %u\n",
				  cpu_id);
			hv_printk("Hypervisor memory 0x%llx-0x%llx, %u CPUs, page pool %llu pages\n",
				  (unsigned long long)hv_phys_base,
				  (unsigned long long)(hv_phys_base +
						       hv_mem_size - 1),
				  hv_num_cpus,
				  (unsigned long long)hv_pool.pages);
			err = build_root_stage2();
		}
		init_error = err;
		__atomic_store_n(&global_done, true, __ATOMIC_RELEASE);
	} else {
		while (!__atomic_load_n(&global_done, __ATOMIC_ACQUIRE))
			cpu_relax();
		/* Also on failure: the UART is mapped in these tables only. */
		if (hv_s1.root)
			cpu_activate_paging();
	}

	if (!init_error && (cpu_id >= hv_num_cpus || !cpu_in_root(cpu_id))) {
		hv_printk("ERROR: CPU %u is not in the root cell\n", cpu_id);
		init_error = -EINVAL;
	}
	__atomic_fetch_add(&initialised, 1, __ATOMIC_ACQ_REL);
	/* Everyone must agree on the result before anyone activates. */
	wait_for(&initialised, online);
	if (init_error) {
		if (cpu_id == 0)
			hv_printk("Hypervisor initialisation failed (%d)\n",
				  init_error);
		write_sysreg(regs->x[30], elr_el2);
		arch_cpu_shutdown(regs, init_error);
	}

	/*
	 * Return straight to arch_entry's caller: the rest of arch_entry
	 * lies in hypervisor memory, which the root cell can no longer read.
	 */
	write_sysreg(regs->x[30], elr_el2);
	cpu_enable_stage2();
	if (__atomic_add_fetch(&activated, 1, __ATOMIC_ACQ_REL) == online)
		hv_printk("Activating hypervisor on %u CPUs: root cell \"%s\" running\n",
			  online, hv_config->root_cell.name);
	regs->x[0] = 0;
	vmreturn(regs);
}

long arch_disable(struct trap_regs *regs)
{
	unsigned int cpu;

	for (cpu = 0; cpu < hv_num_cpus; cpu++)
		if (cpu_in_root(cpu) &&
		    __atomic_load_n(&per_cpu_of(cpu)->psci_state,
				    __ATOMIC_ACQUIRE) != CPU_RUNNING)
			return -EBUSY;
	if (__atomic_sub_fetch(&activated, 1, __ATOMIC_ACQ_REL) == 0)
		hv_printk("Shutting down hypervisor\n");
	arch_cpu_shutdown(regs, 0);
}
