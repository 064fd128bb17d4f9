/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Hypervisor image header: the first bytes of hv.bin (jailhouse.bin).
 *
 * Laid out as upstream's on LP64 (arm64), where its unsigned long and
 * pointer fields are 8 bytes. Fields after arm_linux_hyp_abi are our
 * extension; upstream's driver does not read them.
 */
#ifndef HVABI_HEADER_H
#define HVABI_HEADER_H

#include "types.h"

#define HV_IMAGE_SIGNATURE	"JAILHOUS"
#define HV_IMAGE_SIGNATURE_LEN	8

/* Link address of the hypervisor on arm64. */
#define HV_ARM64_BASE		0xffffc0200000ULL

/* arm_linux_hyp_abi */
#define HV_HYP_STUB_ABI_LEGACY	0
#define HV_HYP_STUB_ABI_OPCODE	1

struct hv_image_header {
	char signature[HV_IMAGE_SIGNATURE_LEN];
	uint64_t core_size;		/* header to end of bss, page aligned */
	uint64_t percpu_size;
	uint64_t entry;			/* offset of the entry from image start */
	uint64_t console_page;		/* offset of struct hv_virt_console */
	uint64_t gcov_info_head;
	uint32_t max_cpus;		/* set by the driver */
	uint32_t online_cpus;		/* set by the driver */
	uint64_t debug_console_base;	/* arm64: set by the entry code */
	uint64_t arm_linux_hyp_vectors;	/* set by the driver */
	uint32_t arm_linux_hyp_abi;	/* set by the driver */
	uint32_t padding;
	/* Extension: the per-cell console rings (struct hv_cell_console). */
	uint64_t cell_consoles;		/* offset from image start, 0 = none */
	uint32_t num_cell_consoles;
	uint32_t reserved;
};

HV_ABI_OFFSET(struct hv_image_header, core_size, 8);
HV_ABI_OFFSET(struct hv_image_header, percpu_size, 16);
HV_ABI_OFFSET(struct hv_image_header, entry, 24);
HV_ABI_OFFSET(struct hv_image_header, console_page, 32);
HV_ABI_OFFSET(struct hv_image_header, gcov_info_head, 40);
HV_ABI_OFFSET(struct hv_image_header, max_cpus, 48);
HV_ABI_OFFSET(struct hv_image_header, online_cpus, 52);
HV_ABI_OFFSET(struct hv_image_header, debug_console_base, 56);
HV_ABI_OFFSET(struct hv_image_header, arm_linux_hyp_vectors, 64);
HV_ABI_OFFSET(struct hv_image_header, arm_linux_hyp_abi, 72);
HV_ABI_OFFSET(struct hv_image_header, cell_consoles, 80);
HV_ABI_SIZE(struct hv_image_header, 96);

#endif /* !HVABI_HEADER_H */
