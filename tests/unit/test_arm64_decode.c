// SPDX-License-Identifier: MIT
/*
 * Host tests of the arm64 trap decoding: ESR_EL2 classes, data-abort
 * syndromes measured under QEMU, fault IPAs, trapped system registers and
 * PSCI/SMCCC function IDs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* The port's logic is compiled into the test itself (host build). */
#include "../../hypervisor/arch/arm64/decode.c"

static void test_exception_classes(void **state)
{
	(void)state;
	assert_int_equal(esr_ec(0x5a004a48), EC_HVC64);	/* hvc #0x4a48 */
	assert_int_equal(esr_iss(0x5a004a48) & 0xffff, 0x4a48);
	assert_int_equal(esr_ec(0x5e000000), EC_SMC64);	/* smc #0 */
	assert_int_equal(esr_ec(0x93850005), EC_DABT_LOW);
	assert_int_equal(esr_ec(0x8200000f), EC_IABT_LOW);
	assert_int_equal(esr_ec(0x96000045), EC_DABT_CUR);
}

/* The syndromes measured with stage 2 on and IPA 0x80000000 unmapped. */
static void test_dabt_measured(void **state)
{
	struct dabt_info d;

	(void)state;
	decode_dabt(0x93850005, &d);		/* ldr w5, [x6] */
	assert_true(d.isv);
	assert_int_equal(d.size, 4);
	assert_int_equal(d.reg, 5);
	assert_false(d.reg64);
	assert_false(d.write);
	assert_false(d.sign_extend);
	assert_int_equal(d.dfsc, 5);
	assert_string_equal(dfsc_name(d.dfsc), "translation fault");

	decode_dabt(0x93c78045, &d);		/* str x7, [x6, #8] */
	assert_true(d.isv);
	assert_int_equal(d.size, 8);
	assert_int_equal(d.reg, 7);
	assert_true(d.reg64);
	assert_true(d.write);

	decode_dabt(0x93658005, &d);		/* ldrsh x5, [x6, #2] */
	assert_int_equal(d.size, 2);
	assert_true(d.sign_extend);
	assert_true(d.reg64);

	decode_dabt(0x92000005, &d);		/* ldp x4, x5, [x6] */
	assert_false(d.isv);

	decode_dabt(0x931f0045, &d);		/* strb wzr, [x6, #1] */
	assert_int_equal(d.size, 1);
	assert_int_equal(d.reg, 31);
	assert_true(d.write);
}

static void test_fault_classes(void **state)
{
	(void)state;
	assert_string_equal(dfsc_name(0x0f), "permission fault");
	assert_string_equal(dfsc_name(0x0b), "access flag fault");
	assert_string_equal(dfsc_name(0x04), "translation fault");
	assert_string_equal(dfsc_name(0x10), "abort");
}

static void test_fault_ipa(void **state)
{
	(void)state;
	assert_int_equal(fault_ipa(0x800000, 0xffff800008001008ULL),
			 0x80000008ULL);
	/* HPFAR's low nibble is not part of the address */
	assert_int_equal(fault_ipa(0x7fc07f, 0x123), 0x7fc07123ULL);
	assert_int_equal(fault_ipa(0x40100000ULL, 0xfff), 0x4010000fffULL);
}

static void test_sysreg(void **state)
{
	struct sysreg_access s;

	(void)state;
	/* msr icc_sgi1r_el1, x3 (op0 3, op1 0, CRn 12, CRm 11, op2 5) */
	decode_sysreg(0x62000000 | 0x3a3016 | (3 << 5), &s);
	assert_int_equal(s.op0, 3);
	assert_int_equal(s.op1, 0);
	assert_int_equal(s.crn, 12);
	assert_int_equal(s.crm, 11);
	assert_int_equal(s.op2, 5);
	assert_int_equal(s.reg, 3);
	assert_false(s.read);
	decode_sysreg(0x62000000 | 0x3a3016 | (7 << 5) | 1, &s);
	assert_true(s.read);
	assert_int_equal(s.reg, 7);
}

static void test_psci_ids(void **state)
{
	bool is64;

	(void)state;
	assert_int_equal(psci_decode(0x84000000, &is64), PSCI_CALL_VERSION);
	assert_false(is64);
	assert_int_equal(psci_decode(0x84000002, &is64), PSCI_CALL_CPU_OFF);
	assert_int_equal(psci_decode(0xc4000003, &is64), PSCI_CALL_CPU_ON);
	assert_true(is64);
	assert_int_equal(psci_decode(0x84000003, &is64), PSCI_CALL_CPU_ON);
	assert_false(is64);
	assert_int_equal(psci_decode(0xc4000004, &is64),
			 PSCI_CALL_AFFINITY_INFO);
	assert_int_equal(psci_decode(0x84000006, &is64),
			 PSCI_CALL_MIGRATE_INFO_TYPE);
	assert_int_equal(psci_decode(0x84000008, &is64),
			 PSCI_CALL_SYSTEM_OFF);
	assert_int_equal(psci_decode(0x84000009, &is64),
			 PSCI_CALL_SYSTEM_RESET);
	assert_int_equal(psci_decode(0x8400000a, &is64), PSCI_CALL_FEATURES);
	assert_int_equal(psci_decode(0xc4000012, &is64),
			 PSCI_CALL_SYSTEM_RESET2);
	assert_int_equal(psci_decode(0xc4000001, &is64),
			 PSCI_CALL_CPU_SUSPEND);
	/* CPU_OFF, SYSTEM_OFF have no 64-bit variants */
	assert_int_equal(psci_decode(0xc4000002, &is64), PSCI_CALL_OTHER);
	assert_int_equal(psci_decode(0xc4000008, &is64), PSCI_CALL_OTHER);
	assert_int_equal(psci_decode(0x84000013, &is64), PSCI_CALL_OTHER);
	assert_int_equal(psci_decode(0x84010002, &is64), PSCI_CALL_OTHER);
}

/* What the root and the other cells may call (issue 9 item 8). */
static void test_psci_policy(void **state)
{
	static const enum psci_call cell_calls[] = {
		PSCI_CALL_VERSION, PSCI_CALL_FEATURES, PSCI_CALL_CPU_ON,
		PSCI_CALL_CPU_OFF, PSCI_CALL_AFFINITY_INFO,
		PSCI_CALL_SYSTEM_OFF, PSCI_CALL_SYSTEM_RESET,
	};
	static const enum psci_call refused[] = {
		PSCI_CALL_CPU_SUSPEND, PSCI_CALL_MIGRATE,
		PSCI_CALL_MIGRATE_INFO_TYPE, PSCI_CALL_MIGRATE_INFO_UP_CPU,
		PSCI_CALL_SYSTEM_RESET2, PSCI_CALL_OTHER, PSCI_CALL_NONE,
	};
	unsigned int n;
	bool is64;

	(void)state;
	for (n = 0; n < sizeof(cell_calls) / sizeof(cell_calls[0]); n++) {
		assert_true(psci_call_supported(cell_calls[n], false));
		assert_true(psci_call_supported(cell_calls[n], true));
	}
	for (n = 0; n < sizeof(refused) / sizeof(refused[0]); n++)
		assert_false(psci_call_supported(refused[n], false));
	/* The root keeps suspend and the migration query (Linux asks). */
	assert_true(psci_call_supported(PSCI_CALL_CPU_SUSPEND, true));
	assert_true(psci_call_supported(PSCI_CALL_MIGRATE_INFO_TYPE, true));
	assert_false(psci_call_supported(PSCI_CALL_MIGRATE, true));
	/* From function IDs as a cell sends them. */
	assert_true(psci_call_supported(psci_decode(0x84000009, &is64), false));
	assert_true(psci_call_supported(psci_decode(0xc4000003, &is64), false));
	assert_false(psci_call_supported(psci_decode(0xc4000001, &is64), false));
	assert_false(psci_call_supported(psci_decode(0xc4000012, &is64), false));
	assert_false(psci_call_supported(psci_decode(0x8400001f, &is64), false));
}

static void test_not_psci(void **state)
{
	bool is64;

	(void)state;
	/* SMCCC arch calls, SiP, hypervisor service, yielding calls */
	assert_int_equal(psci_decode(SMCCC_VERSION, &is64), PSCI_CALL_NONE);
	assert_int_equal(psci_decode(SMCCC_ARCH_WORKAROUND_1, &is64),
			 PSCI_CALL_NONE);
	assert_int_equal(psci_decode(0x82000001, &is64), PSCI_CALL_NONE);
	assert_int_equal(psci_decode(0x85000000, &is64), PSCI_CALL_NONE);
	assert_int_equal(psci_decode(0x04000002, &is64), PSCI_CALL_NONE);
	assert_int_equal(SMCCC_OWNER(SMCCC_ARCH_FEATURES), SMCCC_OWNER_ARCH);
	assert_int_equal(SMCCC_OWNER(0xc4000003u), SMCCC_OWNER_STANDARD);
}

static void test_mpidr(void **state)
{
	(void)state;
	assert_int_equal(mpidr_affinity(0x80000003), 3);
	assert_int_equal(mpidr_affinity(0x81000102ULL | (5ULL << 32)),
			 0x05000102);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exception_classes),
		cmocka_unit_test(test_dabt_measured),
		cmocka_unit_test(test_fault_classes),
		cmocka_unit_test(test_fault_ipa),
		cmocka_unit_test(test_sysreg),
		cmocka_unit_test(test_psci_ids),
		cmocka_unit_test(test_psci_policy),
		cmocka_unit_test(test_not_psci),
		cmocka_unit_test(test_mpidr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
