/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypervisor lifecycle, hypercall dispatch, cell management and CPU events.
 *
 * Enable runs in three steps, as the entry code of a port drives them:
 * hv_init() once on the first CPU, hv_cpu_init() on every online CPU, then
 * hv_init_late() once. Disable is the DISABLE hypercall on every root CPU.
 */
#ifndef HV_CONTROL_H
#define HV_CONTROL_H

#include <stdbool.h>
#include <stdint.h>

#include <hvabi/header.h>

struct cell;
struct per_cpu;
struct hv_system;

#define HV_VERSION		"0.1"

/* The system config (in hypervisor memory) while enabled, else NULL. */
extern const struct hv_system *hv_sys;

/* Image layout of the hypervisor in its memory, filled by the port. */
struct hv_layout {
	struct hv_image_header *header;	/* start of hypervisor memory */
	uint64_t phys_start;		/* its physical address */
	uint64_t size;			/* hypervisor memory size */
};

/*
 * Takes the system config at header + core_size + max_cpus * percpu_size,
 * checks it, sets up per-CPU data, pools, console and the root cell.
 * Nothing is left behind on error.
 */
int hv_init(const struct hv_layout *layout);
/* Registers an online CPU; all online CPUs must call it. */
int hv_cpu_init(unsigned int cpu_id);
/* Completes enable once every online CPU was registered. */
int hv_init_late(void);
/*
 * Undoes hv_init: after a failed hv_cpu_init/hv_init_late, and at the end
 * of a successful DISABLE.
 */
void hv_teardown(void);
bool hv_enabled(void);

/*
 * The hypercall of the CPU: code and arguments as in x0-x2. Returns the
 * value for x0 (negative errno on failure). Counts vmexits_hypercall.
 */
int64_t hv_hypercall(struct per_cpu *cpu, uint64_t code, uint64_t arg1,
		     uint64_t arg2);

/*
 * A management event arrived on the CPU (the port delivers what
 * arch_send_event sent): parks or resets it as requested. Counts
 * vmexits_management.
 */
void hv_cpu_handle_events(struct per_cpu *cpu);

/*
 * A fatal condition on the CPU (unhandled trap or access): prints the reason
 * and the CPU's park, marks it failed, and fails its cell when all of the
 * cell's CPUs failed. The root cell's CPUs are not parked (the root keeps
 * running, as the sim documents); their failure is only reported.
 */
void cpu_fail(struct per_cpu *cpu, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The same, recording the fault (HV_CPU_FAULT_*) and its address for
 * CPU_GET_INFO and the failure attribute. */
void cpu_fail_at(struct per_cpu *cpu, uint32_t fault, uint64_t addr,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* PSCI CPU_ON from a cell CPU: 0 or a PSCI error code (negative). */
int cpu_psci_cpu_on(struct per_cpu *caller, unsigned int target,
		    uint64_t entry, uint64_t context);
/* PSCI CPU_OFF: the CPU stops until CPU_ON. */
void cpu_psci_cpu_off(struct per_cpu *cpu);
/*
 * Under the lock: the cell's comm region and CPUs as a start leaves them;
 * every CPU of the cell but self is reset now (see control.c).
 */
void cell_restart(struct cell *cell, struct per_cpu *self);

/*
 * Explanation of the last refused request, for the port to pass on to the
 * user (an empty string when there is none).
 */
const char *hv_error(void);
void hv_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hv_clear_error(void);

#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMETERS	(-2)
#define PSCI_DENIED		(-3)
#define PSCI_ALREADY_ON		(-4)

#endif /* !HV_CONTROL_H */
