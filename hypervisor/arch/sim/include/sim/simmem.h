/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Physical memory of the simulated board: RAM is sparse (a page exists once
 * written), hypervisor memory is one host buffer, device windows read as
 * zero and ignore writes.
 */
#ifndef SIM_SIMMEM_H
#define SIM_SIMMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Hypervisor memory: where it sits physically and its host buffer. */
void simmem_set_hv(uint64_t phys, void *host, uint64_t size);

/* 0, or -EFAULT when part of the range is neither RAM, hypervisor memory
 * nor a device window. */
int simmem_read(void *dst, uint64_t phys, uint64_t len);
int simmem_write(uint64_t phys, const void *src, uint64_t len);
/* Forgets RAM contents (reads return zero again). */
void simmem_discard(uint64_t phys, uint64_t len);
/* RAM pages currently backed by host memory. */
size_t simmem_pages(void);
void simmem_free_all(void);

#endif /* !SIM_SIMMEM_H */
