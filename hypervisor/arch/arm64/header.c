// SPDX-License-Identifier: GPL-2.0
/*
 * The image header at the start of hv.bin. Sizes and offsets come from the
 * linker script as absolute symbols; the driver fills its own fields.
 */
#include "include/arm64.h"

extern const uint8_t __hv_core_size[], __hv_entry_offset[],
	__hv_console_offset[], __hv_cell_consoles_offset[];

struct hv_image_header hv_header __attribute__((section(".header"), used)) = {
	.signature = HV_IMAGE_SIGNATURE,
	.core_size = (uint64_t)__hv_core_size,
	.percpu_size = sizeof(struct arm64_cpu),
	.entry = (uint64_t)__hv_entry_offset,
	.console_page = (uint64_t)__hv_console_offset,
	.cell_consoles = (uint64_t)__hv_cell_consoles_offset,
	.num_cell_consoles = HV_NUM_CELL_CONSOLES,
};

struct hv_virt_console hv_console_ring __attribute__((section(".console")));
struct hv_cell_console hv_cell_consoles[HV_NUM_CELL_CONSOLES]
	__attribute__((section(".cell_consoles")));
