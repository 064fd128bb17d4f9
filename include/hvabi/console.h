/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Console rings kept in hypervisor memory.
 *
 * struct hv_virt_console is Jailhouse's hypervisor console: every
 * hypervisor message, oldest bytes overwritten. Our extension, struct
 * hv_cell_console, keeps what each cell printed through the
 * DEBUG_CONSOLE_PUTC hypercall apart from the rest, one ring per cell ID,
 * so tools can show a cell's own output (cells/<id>/console).
 *
 * Writer: busy = 1, barrier, append (content[tail % SIZE], tail++),
 * barrier, busy = 0. Reader: wait for busy == 0, read tail, barrier, copy,
 * barrier, retry when tail or busy changed. A reader cursor "head" has
 * d = tail - head new bytes; d > SIZE means d - SIZE bytes were lost.
 */
#ifndef HVABI_CONSOLE_H
#define HVABI_CONSOLE_H

#include "types.h"

#ifndef __KERNEL__
#include <stddef.h>
#endif

#define HV_CONSOLE_SIZE		2048	/* must be a power of two */

struct hv_virt_console {
	uint32_t busy;
	uint32_t tail;
	char content[HV_CONSOLE_SIZE];
};

HV_ABI_SIZE(struct hv_virt_console, 2056);
HV_ABI_OFFSET(struct hv_virt_console, tail, 4);
HV_ABI_OFFSET(struct hv_virt_console, content, 8);

#define HV_CELL_CONSOLE_SIZE	2048	/* must be a power of two */

struct hv_cell_console {
	uint32_t busy;
	uint32_t tail;
	/* Cell ID owning the ring; HV_CELL_CONSOLE_FREE when unused. */
	uint32_t cell_id;
	/* Bumped whenever the slot is given to a new cell, so a reader can
	 * tell a fresh ring from one it has already read. */
	uint32_t generation;
	char content[HV_CELL_CONSOLE_SIZE];
};

#define HV_CELL_CONSOLE_FREE	0xffffffffu

HV_ABI_SIZE(struct hv_cell_console, 2064);
HV_ABI_OFFSET(struct hv_cell_console, cell_id, 8);
HV_ABI_OFFSET(struct hv_cell_console, generation, 12);
HV_ABI_OFFSET(struct hv_cell_console, content, 16);

_Static_assert((HV_CONSOLE_SIZE & (HV_CONSOLE_SIZE - 1)) == 0,
	       "console ring size is a power of two");
_Static_assert((HV_CELL_CONSOLE_SIZE & (HV_CELL_CONSOLE_SIZE - 1)) == 0,
	       "cell console ring size is a power of two");

/*
 * Copy ring positions [from, to) (bytes ever written, as tail counts
 * them) of a ring of size bytes, a power of two, to out, oldest first.
 * The caller keeps to - from <= size and copies from a consistent
 * snapshot of the ring (see the protocol above). Returns to - from.
 */
static inline size_t hv_console_ring_copy(char *out, const char *content,
					  uint32_t size, uint64_t from,
					  uint64_t to)
{
	uint64_t i;

	for (i = from; i < to; i++)
		out[i - from] = content[i & (size - 1)];
	return (size_t)(to - from);
}

#endif /* !HVABI_CONSOLE_H */
