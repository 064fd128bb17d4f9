/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * /dev/jailhouse ioctl numbers and argument structs.
 *
 * The structs are not packed: explicit padding makes natural alignment
 * give one layout on 32- and 64-bit. The hvsim control socket carries the
 * very same structs (see hypervisor/arch/sim/PROTOCOL.md).
 */
#ifndef HVABI_IOCTL_H
#define HVABI_IOCTL_H

#include "types.h"

#define HV_DEVICE_NAME		"jailhouse"
#define HV_DEVICE_PATH		"/dev/jailhouse"
#define HV_SYSFS_PATH		"/sys/devices/jailhouse"
#define HV_FIRMWARE_NAME	"jailhouse.bin"

#define HV_CELL_ID_NAMELEN	31
#define HV_CELL_ID_UNUSED	(-1)

/* Linux's generic _IOC encoding, spelled out so no kernel header is needed. */
#define HV_IOC_NONE		0u
#define HV_IOC_WRITE		1u
#define HV_IOC_READ		2u
#define HV_IOC(dir, nr, size)                                                \
	(((dir) << 30) | ((unsigned int)(size) << 16) | (0u << 8) | (nr))

#define HV_IOC_ENABLE		HV_IOC(HV_IOC_WRITE, 0, sizeof(void *))
#define HV_IOC_DISABLE		HV_IOC(HV_IOC_NONE, 1, 0)
#define HV_IOC_CELL_CREATE	HV_IOC(HV_IOC_WRITE, 2, sizeof(struct hv_ioc_cell_create))
#define HV_IOC_CELL_LOAD	HV_IOC(HV_IOC_WRITE, 3, sizeof(struct hv_ioc_cell_load))
#define HV_IOC_CELL_START	HV_IOC(HV_IOC_WRITE, 4, sizeof(struct hv_ioc_cell_id))
#define HV_IOC_CELL_DESTROY	HV_IOC(HV_IOC_WRITE, 5, sizeof(struct hv_ioc_cell_id))

/*
 * Our extension, outside upstream's numbers (0-5): the statistics report
 * (include/hvabi/stats.h, doc/statistics.md) copied to a user buffer in
 * one call. nr 0x80 leaves upstream's range free to grow. Needs no
 * CAP_SYS_ADMIN (it changes nothing; the same report is the world-readable
 * statistics_all attribute): a read-only descriptor will do.
 *
 * Returns the report's size in bytes (0 while the hypervisor is disabled),
 * with needed set to it. A buffer smaller than the report: -ENOSPC, needed
 * set, nothing copied to buffer. version other than
 * HV_IOC_STATS_READ_VERSION or flags not 0: -EINVAL (what upstream's
 * driver answers for the unknown command too). buffer not writable:
 * -EFAULT.
 */
#define HV_IOC_STATS_READ	HV_IOC(HV_IOC_READ | HV_IOC_WRITE, 0x80,       \
				       sizeof(struct hv_ioc_stats_read))
#define HV_IOC_STATS_READ_VERSION	1

struct hv_ioc_cell_create {
	uint64_t config_address;
	uint32_t config_size;
	uint32_t padding;
};

struct hv_ioc_cell_id {
	int32_t id;
	uint32_t padding;
	char name[HV_CELL_ID_NAMELEN + 1];
};

struct hv_ioc_preload_image {
	uint64_t source_address;
	uint64_t size;
	uint64_t target_address;
	uint64_t padding;
};

struct hv_ioc_cell_load {
	struct hv_ioc_cell_id cell_id;
	uint32_t num_preload_images;
	uint32_t padding;
	struct hv_ioc_preload_image image[];
};

struct hv_ioc_stats_read {
	uint32_t version;	/* HV_IOC_STATS_READ_VERSION */
	uint32_t flags;		/* 0 */
	uint64_t buffer;	/* user address of the report buffer */
	uint64_t size;		/* its bytes */
	uint64_t needed;	/* out: the report's size */
};

HV_ABI_SIZE(struct hv_ioc_cell_create, 16);
HV_ABI_OFFSET(struct hv_ioc_cell_create, config_size, 8);
HV_ABI_SIZE(struct hv_ioc_cell_id, 40);
HV_ABI_OFFSET(struct hv_ioc_cell_id, name, 8);
HV_ABI_SIZE(struct hv_ioc_preload_image, 32);
HV_ABI_OFFSET(struct hv_ioc_preload_image, size, 8);
HV_ABI_OFFSET(struct hv_ioc_preload_image, target_address, 16);
HV_ABI_SIZE(struct hv_ioc_cell_load, 48);
HV_ABI_OFFSET(struct hv_ioc_cell_load, num_preload_images, 40);
HV_ABI_OFFSET(struct hv_ioc_cell_load, image, 48);
HV_ABI_SIZE(struct hv_ioc_stats_read, 32);
HV_ABI_OFFSET(struct hv_ioc_stats_read, buffer, 8);
HV_ABI_OFFSET(struct hv_ioc_stats_read, needed, 24);

_Static_assert(HV_IOC_DISABLE == 0x00000001, "DISABLE ioctl number");
_Static_assert(HV_IOC_CELL_CREATE == 0x40100002, "CELL_CREATE ioctl number");
_Static_assert(HV_IOC_CELL_LOAD == 0x40300003, "CELL_LOAD ioctl number");
_Static_assert(HV_IOC_CELL_START == 0x40280004, "CELL_START ioctl number");
_Static_assert(HV_IOC_CELL_DESTROY == 0x40280005, "CELL_DESTROY ioctl number");
_Static_assert(HV_IOC_STATS_READ == 0xc0200080, "STATS_READ ioctl number");
_Static_assert(sizeof(void *) != 8 || HV_IOC_ENABLE == 0x40080000,
	       "ENABLE ioctl number on 64-bit");
_Static_assert(sizeof(void *) != 4 || HV_IOC_ENABLE == 0x40040000,
	       "ENABLE ioctl number on 32-bit");

#endif /* !HVABI_IOCTL_H */
