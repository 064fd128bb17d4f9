// SPDX-License-Identifier: GPL-2.0
/*
 * ESR_EL2, fault-address and SMCCC/PSCI decoding (see decode.h).
 */
#include "include/decode.h"

void decode_dabt(uint64_t esr, struct dabt_info *d)
{
	uint32_t iss = esr_iss(esr);

	d->isv = iss & (1u << 24);
	d->size = 1u << ((iss >> 22) & 3);
	d->sign_extend = iss & (1u << 21);
	d->reg = (iss >> 16) & 0x1f;
	d->reg64 = iss & (1u << 15);
	d->cm = iss & (1u << 8);
	d->ea = iss & (1u << 9);
	d->s1ptw = iss & (1u << 7);
	d->write = iss & (1u << 6);
	d->dfsc = iss & 0x3f;
}

uint64_t fault_ipa(uint64_t hpfar, uint64_t far)
{
	return ((hpfar & ~0xfULL) << 8) | (far & 0xfff);
}

const char *dfsc_name(unsigned int dfsc)
{
	switch (dfsc & 0x3c) {
	case 0x04:
		return "translation fault";
	case 0x08:
		return "access flag fault";
	case 0x0c:
		return "permission fault";
	default:
		return "abort";
	}
}

void decode_sysreg(uint64_t esr, struct sysreg_access *s)
{
	uint32_t iss = esr_iss(esr);

	s->op0 = (iss >> 20) & 3;
	s->op2 = (iss >> 17) & 7;
	s->op1 = (iss >> 14) & 7;
	s->crn = (iss >> 10) & 0xf;
	s->reg = (iss >> 5) & 0x1f;
	s->crm = (iss >> 1) & 0xf;
	s->read = iss & 1;
}

enum psci_call psci_decode(uint32_t fn, bool *is64)
{
	*is64 = fn & SMCCC_64;
	if (!(fn & SMCCC_FAST) || SMCCC_OWNER(fn) != SMCCC_OWNER_STANDARD)
		return PSCI_CALL_NONE;
	/* Bits 23:16 are reserved for fast calls; PSCI uses 15:0 (0-0x1f). */
	if (fn & 0x00ff0000)
		return PSCI_CALL_OTHER;

	switch (fn & 0xffff) {
	case 0x0:
		return *is64 ? PSCI_CALL_OTHER : PSCI_CALL_VERSION;
	case 0x1:
		return PSCI_CALL_CPU_SUSPEND;
	case 0x2:
		return *is64 ? PSCI_CALL_OTHER : PSCI_CALL_CPU_OFF;
	case 0x3:
		return PSCI_CALL_CPU_ON;
	case 0x4:
		return PSCI_CALL_AFFINITY_INFO;
	case 0x5:
		return PSCI_CALL_MIGRATE;
	case 0x6:
		return *is64 ? PSCI_CALL_OTHER : PSCI_CALL_MIGRATE_INFO_TYPE;
	case 0x7:
		return PSCI_CALL_MIGRATE_INFO_UP_CPU;
	case 0x8:
		return *is64 ? PSCI_CALL_OTHER : PSCI_CALL_SYSTEM_OFF;
	case 0x9:
		return *is64 ? PSCI_CALL_OTHER : PSCI_CALL_SYSTEM_RESET;
	case 0xa:
		return *is64 ? PSCI_CALL_OTHER : PSCI_CALL_FEATURES;
	case 0x12:
		return PSCI_CALL_SYSTEM_RESET2;
	default:
		return PSCI_CALL_OTHER;
	}
}

bool psci_call_supported(enum psci_call call, bool root)
{
	switch (call) {
	case PSCI_CALL_VERSION:
	case PSCI_CALL_FEATURES:
	case PSCI_CALL_CPU_ON:
	case PSCI_CALL_CPU_OFF:
	case PSCI_CALL_AFFINITY_INFO:
	case PSCI_CALL_SYSTEM_OFF:
	case PSCI_CALL_SYSTEM_RESET:
		return true;
	case PSCI_CALL_CPU_SUSPEND:
	case PSCI_CALL_MIGRATE_INFO_TYPE:
		return root;
	default:
		return false;
	}
}
