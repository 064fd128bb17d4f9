/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The statistics report of HV_HC_STATS_READ (hvabi/stats.h): one copy of
 * every counter into a buffer of the root cell.
 */
#ifndef HV_STATS_H
#define HV_STATS_H

#include <stdint.h>

struct per_cpu;

/* Bytes the report has now (it changes with the cells and links). */
uint64_t stats_report_size(void);
/*
 * 0 when [gpa, gpa + size) is wholly writable RAM of the root cell: mapped
 * read/write as normal memory in its stage 2, outside hypervisor memory
 * and outside every other cell's memory regions; else -EINVAL, hv_error()
 * naming the first address that is not.
 */
int stats_check_buffer(uint64_t gpa, uint64_t size);
/* The hypercall: the report's size, or -EPERM/-EINVAL/-E2BIG. */
int64_t stats_read(struct per_cpu *caller, uint64_t gpa, uint64_t size);

#endif /* !HV_STATS_H */
