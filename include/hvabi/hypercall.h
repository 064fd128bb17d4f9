/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Hypercall codes, information types, statistics and the per-cell
 * communication region (comm region ABI revision 2).
 *
 * arm64 calling convention: "hvc #0x4a48", code in x0, arguments in x1
 * and x2, result in x0 (negative errno on failure).
 */
#ifndef HVABI_HYPERCALL_H
#define HVABI_HYPERCALL_H

#include "cell-config.h"
#include "types.h"

#define HV_HVC_IMMEDIATE		0x4a48

#define HV_HC_DISABLE			0
#define HV_HC_CELL_CREATE		1
#define HV_HC_CELL_START		2
#define HV_HC_CELL_SET_LOADABLE		3
#define HV_HC_CELL_DESTROY		4
#define HV_HC_HYPERVISOR_GET_INFO	5
#define HV_HC_CELL_GET_STATE		6
#define HV_HC_CPU_GET_INFO		7
#define HV_HC_DEBUG_CONSOLE_PUTC	8
#define HV_HC_COUNT			9
/*
 * Our extension, far from upstream's codes (0-8): every counter at once
 * into a root buffer (hvabi/stats.h, doc/statistics.md).
 */
#define HV_HC_STATS_READ		0x100

/* HYPERVISOR_GET_INFO types */
#define HV_INFO_MEM_POOL_SIZE		0
#define HV_INFO_MEM_POOL_USED		1
#define HV_INFO_REMAP_POOL_SIZE		2
#define HV_INFO_REMAP_POOL_USED		3
#define HV_INFO_NUM_CELLS		4

/* CPU_GET_INFO types: the state, or statistic n as HV_CPU_INFO_STAT_BASE + n */
#define HV_CPU_INFO_STATE		0
/*
 * Extension (not upstream's, which refuses them with -EINVAL): why the CPU
 * failed, as HV_CPU_FAULT_* (HV_CPU_FAULT_NONE while it has not), and the
 * faulting address (IPA) where HV_CPU_FAULT_HAS_ADDR() says it has one.
 */
#define HV_CPU_INFO_FAULT		1
#define HV_CPU_INFO_FAULT_ADDR		2
#define HV_CPU_INFO_STAT_BASE		1000

/* CPU states */
#define HV_CPU_RUNNING			0
#define HV_CPU_FAILED			2

/*
 * Why a CPU failed, in value order, with the names the failure attribute
 * (cells/<id>/failure of hvdrv and hvsim) uses. X(value-name, text).
 */
#define HV_CPU_FAULTS(X)                                                     \
	X(NONE, "none")                                                      \
	X(OTHER, "other")                                                    \
	X(DATA_ABORT, "data-abort")                                          \
	X(EXTERNAL_ABORT, "external-abort")                                  \
	X(UNHANDLED_TRAP, "unhandled-trap")                                  \
	X(UNDEFINED, "undefined-instruction")

enum {
#define HV_CPU_FAULT_ENUM(n, s)	HV_CPU_FAULT_##n,
	HV_CPU_FAULTS(HV_CPU_FAULT_ENUM)
#undef HV_CPU_FAULT_ENUM
	HV_NUM_CPU_FAULTS
};

/* Aborts name the address accessed; traps and the rest have none. */
#define HV_CPU_FAULT_HAS_ADDR(f)                                             \
	((f) == HV_CPU_FAULT_DATA_ABORT || (f) == HV_CPU_FAULT_EXTERNAL_ABORT)

/* Statistic values are masked to this many bits by the hypervisor. */
#define HV_CPU_STAT_BITS		31
#define HV_CPU_STAT_MASK		0x7fffffffu

/*
 * arm64 statistics in index order, with their sysfs file names. Used as
 * HV_ARM64_STATS(X) with X(index-name, file-name).
 */
#define HV_ARM64_STATS(X)                                                    \
	X(TOTAL, "vmexits_total")                                            \
	X(MMIO, "vmexits_mmio")                                              \
	X(MANAGEMENT, "vmexits_management")                                  \
	X(HYPERCALL, "vmexits_hypercall")                                    \
	X(MAINTENANCE, "vmexits_maintenance")                                \
	X(VIRQ, "vmexits_virt_irq")                                          \
	X(VSGI, "vmexits_virt_sgi")                                          \
	X(PSCI, "vmexits_psci")                                              \
	X(SMCCC, "vmexits_smccc")

enum hv_arm64_stat {
#define HV_STAT_ENUM(name, file) HV_STAT_##name,
	HV_ARM64_STATS(HV_STAT_ENUM)
#undef HV_STAT_ENUM
	HV_NUM_CPU_STATS
};
_Static_assert(HV_NUM_CPU_STATS == 9, "arm64 has 9 CPU statistics");

/* Comm region: one page mapped into each cell. */
#define HV_COMM_REGION_MAGIC		"JHCOMM"
#define HV_COMM_REGION_MAGIC_LEN	6
#define HV_COMM_REGION_ABI_REVISION	2

/* comm_region.flags */
#define HV_COMM_FLAG_DBG_PUTC_PERMITTED	0x0001
#define HV_COMM_FLAG_DBG_PUTC_ACTIVE	0x0002

/* Messages to the cell */
#define HV_MSG_NONE			0
#define HV_MSG_SHUTDOWN_REQUEST		1
#define HV_MSG_RECONFIG_COMPLETED	2

/* Replies from the cell */
#define HV_MSG_REPLY_NONE		0
#define HV_MSG_UNKNOWN			1
#define HV_MSG_REQUEST_DENIED		2
#define HV_MSG_REQUEST_APPROVED		3
#define HV_MSG_RECEIVED			4

/* Cell states (comm_region.cell_state and CELL_GET_STATE) */
#define HV_CELL_RUNNING			0
#define HV_CELL_RUNNING_LOCKED		1
#define HV_CELL_SHUT_DOWN		2
#define HV_CELL_FAILED			3
#define HV_CELL_FAILED_COMM_REV		4

/* The state strings sysfs shows, indexed by the states above. */
#define HV_CELL_STATE_NAMES                                                  \
	{ "running", "running/locked", "shut down", "failed",                \
	  "Comm ABI mismatch" }
#define HV_CELL_STATE_INVALID_NAME	"invalid"

struct hv_comm_region_arm64 {
	char signature[HV_COMM_REGION_MAGIC_LEN];
	uint16_t revision;
	volatile uint32_t cell_state;
	volatile uint32_t msg_to_cell;
	volatile uint32_t reply_from_cell;
	uint32_t flags;
	struct hv_console console;
	uint64_t pci_mmconfig_base;
	uint8_t gic_version;
	uint8_t padding[7];
	uint64_t gicd_base;
	uint64_t gicc_base;
	uint64_t gicr_base;
	uint32_t vpci_irq_base;
} HV_PACKED;

HV_ABI_SIZE(struct hv_comm_region_arm64, 100);
HV_ABI_OFFSET(struct hv_comm_region_arm64, revision, 6);
HV_ABI_OFFSET(struct hv_comm_region_arm64, cell_state, 8);
HV_ABI_OFFSET(struct hv_comm_region_arm64, msg_to_cell, 12);
HV_ABI_OFFSET(struct hv_comm_region_arm64, reply_from_cell, 16);
HV_ABI_OFFSET(struct hv_comm_region_arm64, flags, 20);
HV_ABI_OFFSET(struct hv_comm_region_arm64, console, 24);
HV_ABI_OFFSET(struct hv_comm_region_arm64, pci_mmconfig_base, 56);
HV_ABI_OFFSET(struct hv_comm_region_arm64, gic_version, 64);
HV_ABI_OFFSET(struct hv_comm_region_arm64, gicd_base, 72);
HV_ABI_OFFSET(struct hv_comm_region_arm64, gicc_base, 80);
HV_ABI_OFFSET(struct hv_comm_region_arm64, gicr_base, 88);
HV_ABI_OFFSET(struct hv_comm_region_arm64, vpci_irq_base, 96);

#endif /* !HVABI_HYPERCALL_H */
