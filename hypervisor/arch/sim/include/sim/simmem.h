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

struct board;
struct mem_page;

#define SIMMEM_BUCKETS		4096

/* The board's memory (struct sim_board.mem); zeroed is empty. */
struct simmem {
	const struct board *board;	/* where RAM and devices are */
	struct mem_page *buckets[SIMMEM_BUCKETS];
	size_t num_pages;
	uint64_t hv_phys;
	uint8_t *hv_host;
	uint64_t hv_size;
};

/* Hypervisor memory: where it sits physically and its host buffer. */
void simmem_set_hv(struct simmem *m, uint64_t phys, void *host, uint64_t size);

/* 0, or -EFAULT when part of the range is neither RAM, hypervisor memory
 * nor a device window. */
int simmem_read(struct simmem *m, void *dst, uint64_t phys, uint64_t len);
int simmem_write(struct simmem *m, uint64_t phys, const void *src,
		 uint64_t len);
/* Forgets RAM contents (reads return zero again). */
void simmem_discard(struct simmem *m, uint64_t phys, uint64_t len);
/* RAM pages currently backed by host memory. */
size_t simmem_pages(const struct simmem *m);
void simmem_free_all(struct simmem *m);

#endif /* !SIM_SIMMEM_H */
