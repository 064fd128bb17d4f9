/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding of what a trap into EL2 reports: ESR_EL2 (exception class,
 * data-abort syndrome, trapped system register access) and SMC calling
 * convention / PSCI function IDs. Plain logic, unit-tested on the host.
 */
#ifndef ARM64_DECODE_H
#define ARM64_DECODE_H

#include <stdbool.h>
#include <stdint.h>

/* Exception classes (ESR_EL2.EC) */
#define EC_UNKNOWN	0x00
#define EC_WFX		0x01
#define EC_HVC64	0x16
#define EC_SMC64	0x17
#define EC_SYS64	0x18
#define EC_IABT_LOW	0x20
#define EC_IABT_CUR	0x21
#define EC_DABT_LOW	0x24
#define EC_DABT_CUR	0x25

static inline unsigned int esr_ec(uint64_t esr)
{
	return (esr >> 26) & 0x3f;
}

static inline uint32_t esr_iss(uint64_t esr)
{
	return esr & 0x1ffffff;
}

/* Data abort from a lower EL, as far as the syndrome tells. */
struct dabt_info {
	bool isv;		/* false: size/register unknown, no emulation */
	unsigned int size;	/* bytes: 1, 2, 4 or 8 */
	bool sign_extend;
	unsigned int reg;	/* 31 = zero register */
	bool reg64;
	bool write;
	bool s1ptw, ea, cm;	/* not an MMIO access: a real fault */
	unsigned int dfsc;
};

void decode_dabt(uint64_t esr, struct dabt_info *d);
/* IPA of a stage-2 fault from HPFAR_EL2 and FAR_EL2. */
uint64_t fault_ipa(uint64_t hpfar, uint64_t far);
/* "translation fault" / "access flag" / "permission" / "other" */
const char *dfsc_name(unsigned int dfsc);

/* Trapped MSR/MRS (EC 0x18). */
struct sysreg_access {
	unsigned int op0, op1, crn, crm, op2;
	unsigned int reg;
	bool read;
};

void decode_sysreg(uint64_t esr, struct sysreg_access *s);

/* SMC calling convention */
#define SMCCC_FAST		(1u << 31)
#define SMCCC_64		(1u << 30)
#define SMCCC_OWNER(id)		(((id) >> 24) & 0x3f)
#define SMCCC_OWNER_ARCH	0
#define SMCCC_OWNER_SIP		2
#define SMCCC_OWNER_OEM		3
#define SMCCC_OWNER_STANDARD	4
#define SMCCC_OWNER_HYP		5

#define SMCCC_VERSION			0x80000000u
#define SMCCC_ARCH_FEATURES		0x80000001u
#define SMCCC_ARCH_WORKAROUND_1		0x80008000u
#define SMCCC_ARCH_WORKAROUND_2		0x80007fffu
#define SMCCC_ARCH_WORKAROUND_3		0x80003fffu
#define SMCCC_RET_NOT_SUPPORTED		(-1)

#define PSCI_0_2_FN(n)			(0x84000000u + (n))
#define PSCI_0_2_FN64(n)		(0xc4000000u + (n))

enum psci_call {
	PSCI_CALL_VERSION,
	PSCI_CALL_CPU_SUSPEND,
	PSCI_CALL_CPU_OFF,
	PSCI_CALL_CPU_ON,
	PSCI_CALL_AFFINITY_INFO,
	PSCI_CALL_MIGRATE,
	PSCI_CALL_MIGRATE_INFO_TYPE,
	PSCI_CALL_MIGRATE_INFO_UP_CPU,
	PSCI_CALL_SYSTEM_OFF,
	PSCI_CALL_SYSTEM_RESET,
	PSCI_CALL_FEATURES,
	PSCI_CALL_SYSTEM_RESET2,
	PSCI_CALL_OTHER,	/* a standard-service call we do not know */
	PSCI_CALL_NONE,		/* not a standard-service (PSCI) call */
};

/* PSCI return codes */
#define PSCI_SUCCESS			0
#define PSCI_NOT_SUPPORTED		(-1)
#define PSCI_INVALID_PARAMETERS		(-2)
#define PSCI_DENIED			(-3)
#define PSCI_ALREADY_ON			(-4)
#define PSCI_ON_PENDING			(-5)
#define PSCI_INTERNAL_FAILURE		(-6)

#define PSCI_AFFINITY_ON		0
#define PSCI_AFFINITY_OFF		1

/*
 * Classifies a function ID; *is64 tells whether the 64-bit convention is
 * used (32-bit calls take their arguments masked to 32 bits).
 */
enum psci_call psci_decode(uint32_t fn, bool *is64);

/*
 * Whether the hypervisor answers a PSCI call (and FEATURES says so). The
 * root cell has the firmware's calls; another cell only what ends, resets
 * or moves its own CPUs: VERSION, FEATURES, CPU_ON and CPU_OFF within the
 * cell, AFFINITY_INFO, SYSTEM_OFF and SYSTEM_RESET. The rest (suspend,
 * migration, SYSTEM_RESET2, unknown calls) is NOT_SUPPORTED there.
 */
bool psci_call_supported(enum psci_call call, bool root);

/* Aff3..Aff0 of an MPIDR, packed as Aff3:Aff2:Aff1:Aff0 in 32 bits. */
static inline uint32_t mpidr_affinity(uint64_t mpidr)
{
	return (uint32_t)(((mpidr >> 8) & 0xff000000) | (mpidr & 0xffffff));
}

#endif /* !ARM64_DECODE_H */
