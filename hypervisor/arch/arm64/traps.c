// SPDX-License-Identifier: GPL-2.0
/*
 * Traps from EL1 into EL2: hypercalls (hvc #0x4a48), SMCs (PSCI and SMCCC
 * of the root cell), stage-2 data aborts, and faults of EL2 itself.
 *
 * PSCI for the root cell: CPU_OFF parks the CPU inside the hypervisor and
 * CPU_ON resumes it, still under the hypervisor, at the entry Linux gives;
 * SYSTEM_OFF and SYSTEM_RESET are passed on to the firmware. Other cells
 * get the same CPU calls within themselves, and SYSTEM_OFF and SYSTEM_RESET
 * end or restart that cell alone (psci_call_supported says what else).
 */
#include <hv/arch.h>
#include <hv/cell.h>
#include <hv/control.h>
#include <hv/mmio.h>
#include <hv/printk.h>

#include "include/arm64.h"
#include "include/decode.h"
#include "include/gic.h"
#include <hv/errno.h>

/* 0 when free, else the owner's CPU id + 1 */
static uint32_t big_lock;

static uint32_t lock_token(void)
{
	return this_cpu()->core.cpu_id + 1;
}

/*
 * The core is entered for management by one CPU at a time: hypercalls and
 * PSCI requests of all CPUs are serialised here.
 */
void hv_lock(void)
{
	uint32_t free = 0;

	while (!__atomic_compare_exchange_n(&big_lock, &free, lock_token(),
					    false, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		free = 0;
		cpu_relax();
	}
}

/* Only the owner releases: a CPU parked with the lock already gave it up. */
void hv_unlock(void)
{
	uint32_t mine = lock_token();

	__atomic_compare_exchange_n(&big_lock, &mine, 0, false,
				    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
}

/*
 * The lock for a trap of guest code. While waiting, the CPU answers the
 * events a lock holder may be waiting for (its IRQs are masked here, so
 * the event SGI cannot get through). Returns false when that parked and
 * reset the CPU: the trap frame then holds the new context, and the trap
 * must be dropped without the lock.
 */
static bool lock_from_guest(void)
{
	struct arm64_cpu *ac = this_cpu();

	for (;;) {
		uint32_t free = 0;

		if (__atomic_compare_exchange_n(&big_lock, &free, lock_token(),
						false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return true;
		while (__atomic_load_n(&big_lock, __ATOMIC_RELAXED)) {
			if (__atomic_load_n(&ac->core.park_requested,
					    __ATOMIC_ACQUIRE) ||
			    __atomic_load_n(&ac->core.reset_requested,
					    __ATOMIC_ACQUIRE)) {
				hv_cpu_handle_events(&ac->core);
				__atomic_add_fetch(&ac->events_done, 1,
						   __ATOMIC_RELEASE);
				return false;
			}
			cpu_relax();
		}
	}
}

#define PSCI_VERSION_1_1	0x10001
#define SMCCC_VERSION_1_1	0x10001
#define PSCI_MIGRATE_NONE	2	/* no Trusted OS to migrate */


/* Issue an SMC from EL2: the firmware (QEMU's PSCI) answers it. */
static uint64_t firmware_smc(uint64_t fn, uint64_t a1, uint64_t a2,
			     uint64_t a3)
{
	register uint64_t x0 asm("x0") = fn;
	register uint64_t x1 asm("x1") = a1;
	register uint64_t x2 asm("x2") = a2;
	register uint64_t x3 asm("x3") = a3;

	asm volatile("smc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		     :
		     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
		       "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

/* The caller's CPU with that MPIDR (PSCI target), or -1. */
/* An SMC with x0-x7 of the guest; x1-x3 of the answer go back to it. */
static int64_t firmware_smc_regs(struct trap_regs *regs)
{
	register uint64_t x0 asm("x0") = regs->x[0];
	register uint64_t x1 asm("x1") = regs->x[1];
	register uint64_t x2 asm("x2") = regs->x[2];
	register uint64_t x3 asm("x3") = regs->x[3];
	register uint64_t x4 asm("x4") = regs->x[4];
	register uint64_t x5 asm("x5") = regs->x[5];
	register uint64_t x6 asm("x6") = regs->x[6];
	register uint64_t x7 asm("x7") = regs->x[7];

	asm volatile("smc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4),
		       "+r"(x5), "+r"(x6), "+r"(x7)
		     :
		     : "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
		       "x16", "x17", "memory");
	regs->x[1] = x1;
	regs->x[2] = x2;
	regs->x[3] = x3;
	return (int64_t)x0;
}

static int cpu_by_mpidr(const struct cell *cell, uint64_t mpidr)
{
	int cpu = mpidr_to_cpu(mpidr);

	return cpu >= 0 && (unsigned int)cpu < hv_max_cpus &&
	       cell_owns_cpu(cell, cpu) ? cpu : -1;
}

static int64_t psci_affinity_info(struct per_cpu *caller, uint64_t mpidr,
				  uint64_t level)
{
	int cpu = cpu_by_mpidr(caller->cell, mpidr);
	struct per_cpu *pc;

	if (cpu < 0 || level != 0)
		return PSCI_INVALID_PARAMETERS;
	pc = per_cpu(cpu);
	return pc->parked && pc->wait_for_poweron ? PSCI_AFFINITY_OFF :
						    PSCI_AFFINITY_ON;
}

static bool psci_supported(uint32_t fn, bool root)
{
	bool is64;

	return fn == SMCCC_VERSION ||
	       psci_call_supported(psci_decode(fn, &is64), root);
}

/*
 * SYSTEM_OFF of a cell ends that cell only: its other CPUs are parked,
 * its state becomes "shut down", and the caller parks until the cell is
 * started again (the trap frame then holds the new start).
 */
static int64_t cell_system_off(struct per_cpu *pc)
{
	struct cell *cell = pc->cell;
	unsigned int cpu;

	if (!lock_from_guest())
		return 0;
	printk("Cell \"%s\" powered itself off (PSCI SYSTEM_OFF on CPU %u)\n",
	       cell->config->name, pc->cpu_id);
	for_each_cpu_id(cpu) {
		struct per_cpu *t = per_cpu(cpu);

		if (t == pc || !cell_owns_cpu(cell, cpu) || t->parked)
			continue;
		t->park_requested = true;
		arch_send_event(t);
	}
	cell_set_state(cell, HV_CELL_SHUT_DOWN);
	pc->parked = true;
	arch_park_cpu(pc);	/* lets the lock go */
	return 0;
}

/*
 * SYSTEM_RESET of a cell resets that cell only: a fresh comm region
 * (state running), its other CPUs reset, and the caller restarts too,
 * at the cell's entry if it is the cell's first CPU, else waiting for
 * CPU_ON. The root and other cells do not notice.
 */
static int64_t cell_system_reset(struct per_cpu *pc)
{
	if (!lock_from_guest())
		return 0;
	printk("Cell \"%s\" reset itself (PSCI SYSTEM_RESET on CPU %u)\n",
	       pc->cell->config->name, pc->cpu_id);
	cell_restart(pc->cell, pc);
	pc->parked = pc->wait_for_poweron;
	/* Under the lock: no event of another CPU is in flight to us. */
	arch_reset_cpu(pc);
	if (pc->parked)
		arch_park_cpu(pc);	/* lets the lock go */
	else
		hv_unlock();
	return 0;
}

/* Returns the value for x0. CPU_OFF returns only after a CPU_ON. */
static int64_t handle_psci(struct trap_regs *regs, enum psci_call call,
			   bool is64)
{
	struct per_cpu *pc = &this_cpu()->core;
	uint64_t a1 = regs->x[1], a2 = regs->x[2], a3 = regs->x[3];
	int64_t ret;
	int cpu;

	if (!is64) {
		a1 &= 0xffffffff;
		a2 &= 0xffffffff;
		a3 &= 0xffffffff;
	}
	if (pc->cell != &root_cell && !psci_call_supported(call, false)) {
		cpu_stat_exit(pc, HV_STAT_PSCI);
		return PSCI_NOT_SUPPORTED;
	}
	switch (call) {
	case PSCI_CALL_CPU_OFF:
		/* The core counts it; the CPU waits in arch_park_cpu. */
		cpu_psci_cpu_off(pc);
		return (int64_t)regs->x[0];
	case PSCI_CALL_CPU_ON:
		if (!lock_from_guest())
			return 0;
		cpu = cpu_by_mpidr(pc->cell, a1);
		if (cpu < 0) {
			cpu_stat_exit(pc, HV_STAT_PSCI);
			ret = PSCI_INVALID_PARAMETERS;
		} else {
			ret = cpu_psci_cpu_on(pc, cpu, a2, a3);
		}
		hv_unlock();
		return ret;
	default:
		break;
	}

	cpu_stat_exit(pc, HV_STAT_PSCI);
	switch (call) {
	case PSCI_CALL_VERSION:
		return PSCI_VERSION_1_1;
	case PSCI_CALL_CPU_SUSPEND:
		/* Any wake-up event ends the suspend. */
		asm volatile("wfi" : : : "memory");
		return PSCI_SUCCESS;
	case PSCI_CALL_AFFINITY_INFO:
		return psci_affinity_info(pc, a1, a2);
	case PSCI_CALL_MIGRATE_INFO_TYPE:
		return PSCI_MIGRATE_NONE;
	case PSCI_CALL_FEATURES:
		return psci_supported((uint32_t)a1, pc->cell == &root_cell) ?
		       PSCI_SUCCESS :
						      PSCI_NOT_SUPPORTED;
	case PSCI_CALL_SYSTEM_OFF:
	case PSCI_CALL_SYSTEM_RESET:
	case PSCI_CALL_SYSTEM_RESET2:
		if (pc->cell != &root_cell)
			return call == PSCI_CALL_SYSTEM_OFF ? cell_system_off(pc) :
							      cell_system_reset(pc);
		if (!lock_from_guest())
			return 0;
		printk("Root cell requests system %s\n",
		       call == PSCI_CALL_SYSTEM_OFF ? "off" : "reset");
		hv_unlock();
		return (int64_t)firmware_smc(regs->x[0], regs->x[1],
					     regs->x[2], regs->x[3]);
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

static int64_t handle_smc(struct trap_regs *regs)
{
	struct per_cpu *pc = &this_cpu()->core;
	uint32_t fn = (uint32_t)regs->x[0];
	enum psci_call call;
	bool is64;

	call = psci_decode(fn, &is64);
	if (call != PSCI_CALL_NONE)
		return handle_psci(regs, call, is64);
	cpu_stat_exit(pc, HV_STAT_SMCCC);
	if ((fn & SMCCC_FAST) && SMCCC_OWNER(fn) == SMCCC_OWNER_ARCH) {
		if (fn == SMCCC_VERSION)
			return SMCCC_VERSION_1_1;
		/* The root's mitigations must really run in the firmware. */
		if (pc->cell == &root_cell &&
		    (fn == SMCCC_ARCH_FEATURES || fn == SMCCC_ARCH_WORKAROUND_1 ||
		     fn == SMCCC_ARCH_WORKAROUND_2 ||
		     fn == SMCCC_ARCH_WORKAROUND_3))
			return (int64_t)firmware_smc(fn, regs->x[1], regs->x[2],
						     regs->x[3]);
	}
	/* Silicon-provider and OEM services (RK3588's SCMI clocks) belong to
	 * the root's platform: passed on with all their registers. */
	if (pc->cell == &root_cell &&
	    (SMCCC_OWNER(fn) == SMCCC_OWNER_SIP ||
	     SMCCC_OWNER(fn) == SMCCC_OWNER_OEM))
		return firmware_smc_regs(regs);
	return SMCCC_RET_NOT_SUPPORTED;
}

static void skip_instruction(void)
{
	write_sysreg(read_sysreg(elr_el2) + 4, elr_el2);
}

/* Stage-2 data abort: an emulated device of the core, or a violation. */
static void handle_dabt(struct trap_regs *regs, uint64_t esr)
{
	uint64_t ipa = fault_ipa(read_sysreg(hpfar_el2), read_sysreg(far_el2));
	struct per_cpu *pc = &this_cpu()->core;
	enum mmio_result res = MMIO_UNHANDLED;
	struct dabt_info d;
	uint64_t value = 0;

	decode_dabt(esr, &d);
	if (d.isv && !d.s1ptw && !d.ea && !d.cm) {
		if (d.write && d.reg != 31)
			value = regs->x[d.reg];
		if (d.size < 8)
			value &= (1ULL << (d.size * 8)) - 1;
		/* Counted once: here for the GIC, by the core otherwise. */
		if (gic_mmio_access(pc, ipa, d.size, d.write, &value)) {
			cpu_stat_exit(pc, HV_STAT_MMIO);
			res = MMIO_HANDLED;
		} else {
			if (!lock_from_guest())
				return;
			res = mmio_handle_access(pc, ipa, d.size, d.write,
						 &value);
			hv_unlock();
		}
	} else {
		cpu_stat_exit(pc, HV_STAT_MMIO);
	}
	if (res == MMIO_HANDLED) {
		if (!d.write && d.reg != 31) {
			if (d.sign_extend && d.size < 8 &&
			    (value & (1ULL << (d.size * 8 - 1))))
				value |= ~0ULL << (d.size * 8);
			if (!d.reg64)
				value &= 0xffffffff;
			regs->x[d.reg] = value;
		}
		skip_instruction();
		if (this_cpu()->gic.report_what && lock_from_guest()) {
			gic_print_report(pc);
			hv_unlock();
		}
		return;
	}
	if (!lock_from_guest())
		return;
	cpu_fail_at(pc, HV_CPU_FAULT_DATA_ABORT, ipa,
		    "CPU %u: %s of %u bytes at IPA 0x%llx: %s (ESR 0x%llx, PC 0x%llx)",
		 pc->cpu_id, d.write ? "write" : "read", d.size,
		 (unsigned long long)ipa, dfsc_name(d.dfsc),
		 (unsigned long long)esr,
		 (unsigned long long)read_sysreg(elr_el2));
	hv_unlock();
	/* A root CPU goes on (reads give 0); a cell CPU was parked and
	 * resumes here only after a reset, with a fresh frame. */
	if (pc->cell == &root_cell) {
		if (!d.write && d.isv && d.reg != 31)
			regs->x[d.reg] = 0;
		skip_instruction();
	}
}

static void handle_hvc(struct trap_regs *regs, uint64_t esr)
{
	struct arm64_cpu *ac = this_cpu();
	struct per_cpu *pc = &ac->core;
	uint64_t code = regs->x[0];
	int64_t ret;

	if ((esr & 0xffff) != HV_HVC_IMMEDIATE) {
		/* Linux's own stub calls (kexec) cannot be honoured. */
		cpu_stat_exit(pc, HV_STAT_HYPERCALL);
		regs->x[0] = (uint64_t)-ENOSYS;
		return;
	}
	if (code == HV_HC_DISABLE) {
		unsigned int cpu;

		/* All root CPUs must be here, none waiting for CPU_ON. */
		if (!lock_from_guest())
			return;
		for_each_cpu_id(cpu)
			if (cell_owns_cpu(&root_cell, cpu) &&
			    per_cpu(cpu)->parked && pc->cell == &root_cell) {
				cpu_stat_exit(pc, HV_STAT_HYPERCALL);
				hv_unlock();
				regs->x[0] = (uint64_t)-EBUSY;
				return;
			}
		ret = hv_hypercall(pc, code, regs->x[1], regs->x[2]);
		hv_unlock();
		if (ret == 0)
			arch_cpu_shutdown(regs, 0);
		regs->x[0] = (uint64_t)ret;
		return;
	}
	if (!lock_from_guest())
		return;
	ret = hv_hypercall(pc, code, regs->x[1], regs->x[2]);
	hv_unlock();
	regs->x[0] = (uint64_t)ret;
}

void arch_handle_trap(struct trap_regs *regs)
{
	struct arm64_cpu *ac = this_cpu();
	struct per_cpu *pc = &ac->core;
	uint64_t esr = read_sysreg(esr_el2);

	ac->regs = regs;
	switch (esr_ec(esr)) {
	case EC_HVC64:
		handle_hvc(regs, esr);
		break;
	case EC_SMC64: {
		uint64_t elr = read_sysreg(elr_el2);
		int64_t ret;

		ret = handle_smc(regs);
		/* A CPU reset while parked starts at its new entry instead. */
		if (read_sysreg(elr_el2) == elr) {
			write_sysreg(elr + 4, elr_el2);
			regs->x[0] = (uint64_t)ret;
		}
		break;
	}
	case EC_DABT_LOW:
		handle_dabt(regs, esr);
		break;
	case EC_SYS64:
		if (gic_handle_sysreg(regs, esr)) {
			skip_instruction();
			break;
		}
		/* no other system register is trapped */
		__attribute__((fallthrough));
	default:
		cpu_stat_exit(pc, HV_STAT_TOTAL);
		if (!lock_from_guest())
			break;
		cpu_fail_at(pc, HV_CPU_FAULT_UNHANDLED_TRAP, 0,
			    "CPU %u: unhandled trap, ESR 0x%llx, PC 0x%llx",
			 pc->cpu_id, (unsigned long long)esr,
			 (unsigned long long)read_sysreg(elr_el2));
		hv_unlock();
		if (pc->cell == &root_cell)
			skip_instruction();
		break;
	}
}

/* Physical interrupt at EL2, on every CPU while the hypervisor runs. */
void arch_handle_irq(struct trap_regs *regs)
{
	this_cpu()->regs = regs;
	gic_handle_irq();
}

void arch_handle_lower_fault(struct trap_regs *regs, unsigned long kind)
{
	static const char *const what[] = {
		[LOWER_FIQ] = "FIQ (group 0 interrupts are not offered)",
		[LOWER_SERROR] = "SError",
		[LOWER_AARCH32] = "exception from AArch32 code",
	};
	struct arm64_cpu *ac = this_cpu();
	struct per_cpu *pc = &ac->core;
	uint64_t esr = read_sysreg(esr_el2), elr = read_sysreg(elr_el2);

	ac->regs = regs;
	if (kind == LOWER_FIQ) {
		uint64_t irq = read_sysreg(s3_0_c12_c8_0);	/* ICC_IAR0_EL1 */

		if (irq < 1020) {
			write_sysreg(irq, s3_0_c12_c8_1);	/* ICC_EOIR0_EL1 */
			write_sysreg(irq, s3_0_c12_c11_1);	/* ICC_DIR_EL1 */
		}
	}
	cpu_stat_exit(pc, HV_STAT_TOTAL);
	if (!lock_from_guest())
		return;
	/* A cell CPU parks here until the cell is reset; the root's CPU is
	 * only reported and resumes where it was. */
	cpu_fail(pc, "CPU %u: %s (ESR 0x%llx, PC 0x%llx)", pc->cpu_id,
		 what[kind <= LOWER_AARCH32 ? kind : LOWER_AARCH32],
		 (unsigned long long)esr, (unsigned long long)elr);
	hv_unlock();
}

void arch_handle_hyp_fault(struct trap_regs *regs)
{
	printk("FATAL: hypervisor fault on CPU %u: ESR 0x%llx ELR 0x%llx FAR 0x%llx\n",
	       this_cpu()->core.cpu_id,
	       (unsigned long long)read_sysreg(esr_el2),
	       (unsigned long long)read_sysreg(elr_el2),
	       (unsigned long long)read_sysreg(far_el2));
	(void)regs;
	for (;;)
		wfe();
}
