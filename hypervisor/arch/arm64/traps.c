// SPDX-License-Identifier: GPL-2.0
/*
 * Traps from EL1 into EL2: hypercalls (hvc #0x4a48), SMCs (PSCI and SMCCC
 * of the root cell), stage-2 data aborts, and faults of EL2 itself.
 *
 * PSCI for the root cell: CPU_OFF parks the CPU inside the hypervisor and
 * CPU_ON resumes it, still under the hypervisor, at the entry Linux gives;
 * SYSTEM_OFF and SYSTEM_RESET are passed on to the firmware.
 */
#include "include/arm64.h"
#include "include/decode.h"
#include "include/errno.h"

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

static void __attribute__((noreturn)) cpu_fail(const char *why)
{
	struct per_cpu *pc = this_cpu();

	hv_printk("FATAL: root cell CPU %u stopped: %s (PC 0x%llx)\n",
		  pc->cpu_id, why, (unsigned long long)read_sysreg(elr_el2));
	pc->failed = true;
	for (;;)
		wfe();
}

static int cpu_by_mpidr(uint64_t mpidr)
{
	unsigned int cpu;

	for (cpu = 0; cpu < hv_num_cpus; cpu++)
		if (cpu_in_root(cpu) &&
		    per_cpu_of(cpu)->mpidr == (mpidr & MPIDR_AFF_MASK))
			return cpu;
	return -1;
}

/*
 * CPU_OFF: wait in EL2 until CPU_ON, then start over at EL1 with the MMU
 * off at the entry point given, context in x0.
 */
void arch_park_cpu(struct trap_regs *regs)
{
	struct per_cpu *pc = this_cpu();
	unsigned int n;

	__atomic_store_n(&pc->psci_state, CPU_PARKED, __ATOMIC_RELEASE);
	sev();
	while (__atomic_load_n(&pc->psci_state, __ATOMIC_ACQUIRE) != CPU_WAKING)
		wfe();

	for (n = 0; n < 31; n++)
		regs->x[n] = 0;
	regs->x[0] = pc->wake_context;
	write_sysreg(pc->wake_entry, elr_el2);
	write_sysreg(SPSR_EL1H_MASKED, spsr_el2);
	write_sysreg(SCTLR_EL1_RESET, sctlr_el1);
	isb();
	/* Nothing of the old EL1 translation regime may survive. */
	asm volatile("tlbi vmalle1" : : : "memory");
	asm volatile("ic iallu" : : : "memory");
	dsb(nsh);
	isb();
	__atomic_store_n(&pc->psci_state, CPU_RUNNING, __ATOMIC_RELEASE);
}

static int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context)
{
	int cpu = cpu_by_mpidr(mpidr);
	struct per_cpu *target;
	uint32_t expected = CPU_PARKED;

	if (cpu < 0)
		return PSCI_INVALID_PARAMETERS;
	target = per_cpu_of(cpu);
	target->wake_entry = entry;
	target->wake_context = context;
	if (!__atomic_compare_exchange_n(&target->psci_state, &expected,
					 CPU_WAKING, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return expected == CPU_WAKING ? PSCI_ON_PENDING :
						PSCI_ALREADY_ON;
	dsb(ish);
	sev();
	return PSCI_SUCCESS;
}

static int64_t psci_affinity_info(uint64_t mpidr, uint64_t level)
{
	int cpu = cpu_by_mpidr(mpidr);

	if (cpu < 0 || level != 0)
		return PSCI_INVALID_PARAMETERS;
	switch (__atomic_load_n(&per_cpu_of(cpu)->psci_state,
				__ATOMIC_ACQUIRE)) {
	case CPU_PARKED:
		return PSCI_AFFINITY_OFF;
	case CPU_WAKING:
		return PSCI_ON_PENDING;
	default:
		return PSCI_AFFINITY_ON;
	}
}

static bool psci_supported(uint32_t fn)
{
	bool is64;

	if (fn == SMCCC_VERSION)
		return true;
	switch (psci_decode(fn, &is64)) {
	case PSCI_CALL_VERSION:
	case PSCI_CALL_CPU_SUSPEND:
	case PSCI_CALL_CPU_OFF:
	case PSCI_CALL_CPU_ON:
	case PSCI_CALL_AFFINITY_INFO:
	case PSCI_CALL_MIGRATE_INFO_TYPE:
	case PSCI_CALL_SYSTEM_OFF:
	case PSCI_CALL_SYSTEM_RESET:
	case PSCI_CALL_FEATURES:
		return true;
	default:
		return false;
	}
}

/* Returns the value for x0; does not return for CPU_OFF until CPU_ON. */
static int64_t handle_psci(struct trap_regs *regs, enum psci_call call,
			   bool is64)
{
	uint64_t a1 = regs->x[1], a2 = regs->x[2], a3 = regs->x[3];

	if (!is64) {
		a1 &= 0xffffffff;
		a2 &= 0xffffffff;
		a3 &= 0xffffffff;
	}
	switch (call) {
	case PSCI_CALL_VERSION:
		return PSCI_VERSION_1_1;
	case PSCI_CALL_CPU_SUSPEND:
		/* Any wake-up event ends the suspend; interrupts go to EL1. */
		asm volatile("wfi" : : : "memory");
		return PSCI_SUCCESS;
	case PSCI_CALL_CPU_OFF:
		arch_park_cpu(regs);
		return (int64_t)regs->x[0];	/* the CPU_ON context */
	case PSCI_CALL_CPU_ON:
		return psci_cpu_on(a1, a2, a3);
	case PSCI_CALL_AFFINITY_INFO:
		return psci_affinity_info(a1, a2);
	case PSCI_CALL_MIGRATE_INFO_TYPE:
		return PSCI_MIGRATE_NONE;
	case PSCI_CALL_FEATURES:
		return psci_supported((uint32_t)a1) ? PSCI_SUCCESS :
						      PSCI_NOT_SUPPORTED;
	case PSCI_CALL_SYSTEM_OFF:
	case PSCI_CALL_SYSTEM_RESET:
	case PSCI_CALL_SYSTEM_RESET2:
		hv_printk("Root cell requests system %s\n",
			  call == PSCI_CALL_SYSTEM_OFF ? "off" : "reset");
		return (int64_t)firmware_smc(regs->x[0], regs->x[1],
					     regs->x[2], regs->x[3]);
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

long arch_handle_smc(struct trap_regs *regs)
{
	struct per_cpu *pc = this_cpu();
	uint32_t fn = (uint32_t)regs->x[0];
	enum psci_call call;
	bool is64;

	call = psci_decode(fn, &is64);
	if (call != PSCI_CALL_NONE) {
		pc->stats[HV_STAT_PSCI]++;
		return handle_psci(regs, call, is64);
	}
	if ((fn & SMCCC_FAST) && SMCCC_OWNER(fn) == SMCCC_OWNER_ARCH) {
		pc->stats[HV_STAT_SMCCC]++;
		if (fn == SMCCC_VERSION)
			return SMCCC_VERSION_1_1;
		if (fn == SMCCC_ARCH_FEATURES)
			return (int64_t)firmware_smc(fn, regs->x[1], 0, 0);
	}
	return SMCCC_RET_NOT_SUPPORTED;
}

static void handle_dabt(uint64_t esr)
{
	uint64_t ipa = fault_ipa(read_sysreg(hpfar_el2), read_sysreg(far_el2));
	struct per_cpu *pc = this_cpu();
	struct dabt_info d;

	decode_dabt(esr, &d);
	pc->stats[HV_STAT_MMIO]++;
	/* The root cell has no emulated devices here: any stage-2 fault is
	 * an access to memory it does not own. */
	hv_printk("FATAL: root cell CPU %u: %s of %u bytes at IPA 0x%llx: %s (ESR 0x%llx)\n",
		  pc->cpu_id, d.write ? "write" : "read", d.size,
		  (unsigned long long)ipa, dfsc_name(d.dfsc),
		  (unsigned long long)esr);
	cpu_fail("unhandled data abort");
}

void arch_handle_trap(struct trap_regs *regs)
{
	struct per_cpu *pc = this_cpu();
	uint64_t esr = read_sysreg(esr_el2);

	pc->stats[HV_STAT_TOTAL]++;
	switch (esr_ec(esr)) {
	case EC_HVC64:
		pc->stats[HV_STAT_HYPERCALL]++;
		if ((esr & 0xffff) != HV_HVC_IMMEDIATE) {
			/* Linux's own stub calls (kexec) cannot be honoured. */
			hv_printk("CPU %u: hvc #0x%llx refused\n", pc->cpu_id,
				  (unsigned long long)(esr & 0xffff));
			regs->x[0] = (uint64_t)-ENOSYS;
			break;
		}
		regs->x[0] = (uint64_t)hypercall(regs, regs->x[0], regs->x[1],
						  regs->x[2]);
		break;
	case EC_SMC64: {
		uint64_t elr = read_sysreg(elr_el2);
		int64_t ret;

		ret = arch_handle_smc(regs);
		/* A woken CPU_OFF caller starts at its new entry instead. */
		if (read_sysreg(elr_el2) == elr)
			write_sysreg(elr + 4, elr_el2);
		regs->x[0] = (uint64_t)ret;
		break;
	}
	case EC_DABT_LOW:
		handle_dabt(esr);
		break;
	default:
		hv_printk("FATAL: unhandled trap, ESR 0x%llx\n",
			  (unsigned long long)esr);
		cpu_fail("unhandled trap");
	}
}

void arch_handle_hyp_fault(struct trap_regs *regs)
{
	hv_printk("FATAL: hypervisor fault on CPU %u: ESR 0x%llx ELR 0x%llx FAR 0x%llx\n",
		  this_cpu()->cpu_id,
		  (unsigned long long)read_sysreg(esr_el2),
		  (unsigned long long)read_sysreg(elr_el2),
		  (unsigned long long)read_sysreg(far_el2));
	(void)regs;
	for (;;)
		wfe();
}
