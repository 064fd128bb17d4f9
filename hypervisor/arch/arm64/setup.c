// SPDX-License-Identifier: GPL-2.0
/*
 * Bring-up and tear-down at EL2 (MMU on, at the link address).
 *
 * All CPUs that Linux had online arrive here from entry.S. The first one
 * runs the core's hv_init (config checks, pools, root cell with its stage
 * 2 built through arch_map_memory_region) and builds the hypervisor's own
 * page tables; every CPU registers with hv_cpu_init; the last one to
 * register completes with hv_init_late. Each CPU then turns on stage 2 and
 * SMC trapping and returns to Linux at EL1. A failure anywhere is reported
 * with the same error on every CPU, which then hands EL2 back to the stub.
 */
#include <hv/cell.h>
#include <hv/control.h>
#include <hv/paging.h>
#include <hv/pool.h>
#include <hv/printk.h>

#include "include/arm64.h"
#include "include/gic.h"
#include <hv/errno.h>

/*
 * EL2 stage-1 tables come from pages in the image: they are needed before
 * the core's pools exist (hv_init already copies through the window).
 */
#define S1_POOL_PAGES		32
/* Virtual address of the one-page window onto physical memory. */
#define EL2_WINDOW_VA		0x0000fffff0000000ULL

struct pt_tables hv_s1;
uint64_t hv_phys_base, hv_mem_size;
uint64_t vtcr_value;

static struct pt_pool s1_pool;
static uint8_t s1_pool_bitmap[S1_POOL_PAGES / 8];
static uint8_t s1_pages[S1_POOL_PAGES][PT_PAGE_SIZE]
	__attribute__((aligned(4096)));
static uint32_t arrived, registered, finished;
/* The smallest ID_AA64MMFR0_EL1.PARange of the CPUs, and whose it is. */
static uint64_t cpu_mmfr0[MPIDR_MAX_CPUS];
/* Marks a recorded value (bit 63 of ID_AA64MMFR0_EL1 is RES0). */
#define MMFR0_SEEN	(1ULL << 63)
static uint32_t min_parange = 0xf;
static uint64_t min_parange_mmfr0;
static unsigned int min_parange_cpu;
static volatile int init_error;
static volatile bool global_done, late_done;
static bool el2_tables_ready;
extern uint8_t shutdown_trampoline[];

uint64_t hv_virt_to_phys(const void *v)
{
	return (uint64_t)v - (uint64_t)__image_start + hv_phys_base;
}

static void flush_el2_tlb_page(uint64_t va)
{
	dsb(ishst);
	asm volatile("tlbi vae2is, %0" : : "r"(va >> 12) : "memory");
	dsb(ish);
	isb();
}

void *el2_map_window(uint64_t phys)
{
	if (pt_map(&hv_s1, EL2_WINDOW_VA, phys & ~0xfffULL, PT_PAGE_SIZE,
		   PG_READ | PG_WRITE))
		return NULL;
	flush_el2_tlb_page(EL2_WINDOW_VA);
	return (void *)(EL2_WINDOW_VA + (phys & 0xfff));
}

void el2_unmap_window(void)
{
	pt_unmap(&hv_s1, EL2_WINDOW_VA, PT_PAGE_SIZE);
	flush_el2_tlb_page(EL2_WINDOW_VA);
}

/*
 * The hypervisor's own tables: its memory at the link address (text
 * read-only and executable, the rest writable), the trampoline also at its
 * physical address for turning the MMU on and off, the debug UART, and the
 * page-table levels of the physical-memory window.
 */
static int build_el2_tables(const struct hv_system *sys)
{
	const struct hv_platform_arm *arm = &sys->platform_info.arm;
	const struct hv_console *con = &sys->debug_console;
	uint64_t text = __text_end - __image_start;
	uint64_t tramp = hv_virt_to_phys(__trampoline_start);
	int err;

	pt_pool_init(&s1_pool, s1_pages, S1_POOL_PAGES, s1_pool_bitmap,
		     (uint64_t)__image_start - hv_phys_base);
	err = pt_init(&hv_s1, &s1_pool);
	if (!err)
		err = pt_map(&hv_s1, (uint64_t)__image_start, hv_phys_base,
			     text, PG_READ | PG_EXEC | PG_NO_BLOCKS);
	if (!err)
		err = pt_map(&hv_s1, (uint64_t)__image_start + text,
			     hv_phys_base + text, hv_mem_size - text,
			     PG_READ | PG_WRITE | PG_NO_BLOCKS);
	if (!err)
		err = pt_map(&hv_s1, tramp, tramp,
			     __trampoline_end - __trampoline_start,
			     PG_READ | PG_EXEC);
	if (!err && con->type != HV_CON_TYPE_NONE &&
	    (con->flags & HV_CON_ACCESS_MMIO) && con->address)
		err = pt_map(&hv_s1, con->address & ~0xfffULL,
			     con->address & ~0xfffULL, PT_PAGE_SIZE,
			     PG_READ | PG_WRITE | PG_DEVICE);
	/* The distributor, for setting ivshmem INTx lines pending. */
	if (!err)
		err = pt_map(&hv_s1, arm->gicd_base & ~0xfffULL,
			     arm->gicd_base & ~0xfffULL, 0x10000,
			     PG_READ | PG_WRITE | PG_DEVICE);
	/* The redistributors, for enabling the event SGI of cell CPUs. */
	if (!err)
		err = pt_map(&hv_s1, arm->gicr_base & ~0xfffULL,
			     arm->gicr_base & ~0xfffULL,
			     0x20000ULL * hv_header.max_cpus,
			     PG_READ | PG_WRITE | PG_DEVICE);
	/* Create the window's tables now, so using it never allocates. */
	if (!err)
		err = pt_map(&hv_s1, EL2_WINDOW_VA, hv_phys_base, PT_PAGE_SIZE,
			     PG_READ);
	if (!err)
		err = pt_unmap(&hv_s1, EL2_WINDOW_VA, PT_PAGE_SIZE);
	if (err)
		hv_set_error("hypervisor page tables: %s",
			     err == -ENOMEM ? "out of pages" : "bad layout");
	return err;
}

static void cpu_activate_paging(void)
{
	write_sysreg(pt_root_phys(&hv_s1), ttbr0_el2);
	isb();
	asm volatile("tlbi alle2" : : : "memory");
	dsb(nsh);
	isb();
}

static int global_init(void)
{
	const struct hv_system *sys;
	struct hv_layout layout;
	unsigned int start_level, root_pages;
	uint64_t off;
	int err;

	off = hv_header.core_size +
	      (uint64_t)hv_header.max_cpus * hv_header.percpu_size;
	sys = (const struct hv_system *)(__image_start + off);
	/* CPU ids are registered anew by every enable. */
	mpidr_reset();
	hv_phys_base = sys->hypervisor_memory.phys_start;
	hv_mem_size = sys->hypervisor_memory.size;
	/*
	 * Stage 2 for the PA range all CPUs share: the IPA as wide as the
	 * smallest PARange (the root cell is mapped 1:1), with the start
	 * level and concatenated root tables that size needs.
	 */
	vtcr_value = pt_vtcr(min_parange, &start_level, &root_pages);
	err = paging_set_ipa_bits(pt_parange_bits(min_parange));
	if (err) {
		hv_set_error("stage 2: cannot use a %u-bit IPA",
			     pt_parange_bits(min_parange));
		return err;
	}

	/* The size check is the core's; the tables must fit the VA range. */
	if (hv_mem_size > (1ULL << 30) || (hv_mem_size & 0xfff)) {
		hv_set_error("hypervisor memory must be whole pages, at most 1 GiB");
		return -EINVAL;
	}
	err = build_el2_tables(sys);
	if (err)
		return err;
	cpu_activate_paging();
	el2_tables_ready = true;

	layout.header = &hv_header;
	layout.phys_start = hv_phys_base;
	layout.size = hv_mem_size;
	return hv_init(&layout);
}

void arch_cpu_shutdown(struct trap_regs *regs, long result)
{
	gic_cpu_shutdown(this_cpu());
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

/* Every CPU, before counting itself in: its ID_AA64MMFR0_EL1. */
static void record_parange(unsigned int cpu_id)
{
	if (cpu_id < MPIDR_MAX_CPUS)
		cpu_mmfr0[cpu_id] = read_sysreg(id_aa64mmfr0_el1) | MMFR0_SEEN;
}

/* The first CPU, once all arrived: the smallest PA range of them all. */
static void find_min_parange(void)
{
	unsigned int n;

	for (n = 0; n < MPIDR_MAX_CPUS; n++) {
		uint64_t v = cpu_mmfr0[n];

		if ((v & MMFR0_SEEN) && (v & 0xf) < min_parange) {
			min_parange = v & 0xf;
			min_parange_mmfr0 = v & ~MMFR0_SEEN;
			min_parange_cpu = n;
		}
	}
}

void hv_entry_c(unsigned int cpu_id, struct trap_regs *regs)
{
	struct arm64_cpu *ac = this_cpu();
	unsigned int online = hv_header.online_cpus;
	int err;

	record_parange(cpu_id);
	if (__atomic_fetch_add(&arrived, 1, __ATOMIC_ACQ_REL) == 0) {
		/* The stage-2 size depends on every CPU's PA range. */
		while (__atomic_load_n(&arrived, __ATOMIC_ACQUIRE) < online)
			cpu_relax();
		find_min_parange();
		err = global_init();
		if (!err) {
			uart_init(&hv_sys->debug_console);
			printk("Initializing hvctl hypervisor (arm64) on CPU %u: memory 0x%llx-0x%llx\n",
			       cpu_id, (unsigned long long)hv_phys_base,
			       (unsigned long long)(hv_phys_base +
						    hv_mem_size - 1));
			printk("PARange %u bits (smallest of %u CPUs: CPU %u, ID_AA64MMFR0_EL1 0x%llx); stage 2: %u-bit IPA, start level %u, %u concatenated root table%s, VTCR_EL2 0x%llx\n",
			       pt_parange_bits(min_parange), online,
			       min_parange_cpu,
			       (unsigned long long)min_parange_mmfr0,
			       paging_ipa_bits(), paging_start_level(),
			       paging_root_pages(),
			       paging_root_pages() == 1 ? "" : "s",
			       (unsigned long long)vtcr_value);
		}
		init_error = err;
		__atomic_store_n(&global_done, true, __ATOMIC_RELEASE);
	} else {
		while (!__atomic_load_n(&global_done, __ATOMIC_ACQUIRE))
			cpu_relax();
		/* Also on failure: the UART is mapped in these tables only. */
		if (el2_tables_ready)
			cpu_activate_paging();
	}

	/* The core's per-CPU data exists only after hv_init. */
	if (!init_error) {
		ac->mpidr = mpidr_aff(read_sysreg(mpidr_el1));
		ac->regs = regs;
		hv_lock();
		err = mpidr_register(cpu_id, ac->mpidr);
		/* ICC_SGI1R_EL1's target list names Aff0 0-15 only. */
		if (err || mpidr_aff_level(ac->mpidr, 0) >= 16) {
			hv_set_error("CPU %u: MPIDR 0x%llx cannot be a target of SGIs (Aff0 above 15 or CPU id too high)",
				     cpu_id, (unsigned long long)ac->mpidr);
			err = -EINVAL;
		} else {
			err = hv_cpu_init(cpu_id);
		}
		/* Before any CPU returns to Linux with IMO set. */
		if (!err)
			err = gic_cpu_init(ac);
		if (err && !init_error)
			init_error = err;
		hv_unlock();
	}
	/* The last CPU to register completes (or rolls back) the enable. */
	if (__atomic_add_fetch(&registered, 1, __ATOMIC_ACQ_REL) == online) {
		hv_lock();
		if (!init_error) {
			err = hv_init_late();
			if (err)
				init_error = err;
		}
		if (init_error) {
			printk("Hypervisor initialisation failed: %s (%d)\n",
			       hv_error(), init_error);
			if (hv_sys)
				hv_teardown();
		}
		hv_unlock();
		__atomic_store_n(&late_done, true, __ATOMIC_RELEASE);
	}
	while (!__atomic_load_n(&late_done, __ATOMIC_ACQUIRE))
		cpu_relax();

	/*
	 * Return straight to arch_entry's caller: the rest of arch_entry
	 * lies in hypervisor memory, which the root cell can no longer read.
	 */
	write_sysreg(regs->x[30], elr_el2);
	if (init_error)
		arch_cpu_shutdown(regs, init_error);

	arm64_cpu_enter_cell(ac);
	if (__atomic_add_fetch(&finished, 1, __ATOMIC_ACQ_REL) == online) {
		hv_lock();
		printk("Activating hypervisor on %u CPUs: root cell \"%s\" running\n",
		       online, hv_sys->root_cell.name);
		hv_unlock();
	}
	regs->x[0] = 0;
	vmreturn(regs);
}
