/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The words of the config format (configs/README.md, "Names shown by the
 * tools") for everything that displays a config: flag names, enumeration
 * names, shmem protocols, BDFs, addresses and sizes. hvtop, `hvctl config
 * show` and the JSON codec all take their words from here, so a flag is
 * spelt the same on every screen and in every file.
 */
#ifndef HVCTL_NAMES_H
#define HVCTL_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hvabi/cell-config.h>
#include <hvctl/common.h>

/* The name tables: one per flags field or enumeration of the format. */
enum hvctl_names {
	HVCTL_NAMES_MEM_FLAGS = 0,	/* hv_memory.flags: "read", "comm_region" */
	HVCTL_NAMES_CELL_FLAGS,		/* hv_cell_desc.flags: "passive_commreg" */
	HVCTL_NAMES_SYSTEM_FLAGS,	/* hv_system.flags */
	HVCTL_NAMES_CONSOLE_FLAGS,	/* hv_console.flags: "access_mmio" */
	HVCTL_NAMES_CACHE_FLAGS,	/* hv_cache.flags */
	HVCTL_NAMES_PCI_CAP_FLAGS,	/* hv_pci_capability.flags */
	HVCTL_NAMES_ARCH,		/* "x86", "arm", "arm64" */
	HVCTL_NAMES_CONSOLE_TYPE,	/* "none", "pl011", "imx_lpuart" */
	HVCTL_NAMES_PCI_TYPE,		/* "device", "bridge", "ivshmem" */
	HVCTL_NAMES_CACHE_TYPE,		/* "l3_code", "l3_data", "l3" */
	HVCTL_NAMES_IOMMU_TYPE,		/* "unused", "amd", "smmuv3" */
	HVCTL_NAMES_SHMEM_PROTOCOL,	/* "undefined", "veth", "virtio_front" */
	HVCTL_NAMES_COUNT
};

/*
 * Entry i of a table, in the order the JSON format lists them: true and
 * *value (the bit of a flag, or the value) and *name set; false past the
 * end or for an unknown table.
 */
HVCTL_EXPORT bool hvctl_names_entry(enum hvctl_names table, size_t i,
				    uint64_t *value, const char **name);

/* The name of an enumeration value, or NULL when it has none. */
HVCTL_EXPORT const char *hvctl_name_of(enum hvctl_names table, uint64_t value);

/*
 * Flags as names joined by sep ("read,write,loadable"), in table order,
 * then the bits without a name as one hex number ("read,0x200000"); ""
 * for no flags. Returns the length the full text needs, like snprintf.
 */
HVCTL_EXPORT int hvctl_flags_str(char *buf, size_t len, enum hvctl_names table,
				 uint64_t flags, const char *sep);

/*
 * A shmem protocol: its name when it has one ("veth", "virtio_back");
 * a virtio protocol with a device as the base name and the device
 * ("virtio_front net", "virtio_back console", "virtio_back 9"); other
 * custom values as "custom 0x4001", values in no range as "0x0005".
 */
HVCTL_EXPORT int hvctl_shmem_protocol_str(char *buf, size_t len,
					  uint16_t protocol);

/* "00:01.0", or "0001:00:01.0" with the domain. */
HVCTL_EXPORT int hvctl_bdf_str(char *buf, size_t len, uint16_t domain,
			       uint16_t bdf, bool with_domain);

/*
 * Numbers as the JSON format writes them: addresses "0" or "0x9000000";
 * sizes "0", "4K", "1M", "2G" where exact, else hex. Like snprintf.
 */
HVCTL_EXPORT int hvctl_addr_str(char *buf, size_t len, uint64_t addr);
HVCTL_EXPORT int hvctl_size_str(char *buf, size_t len, uint64_t size);

/* An irqchip's interrupts as the JSON format lists them ("32-35,40"). */
HVCTL_EXPORT int hvctl_irqchip_str(char *buf, size_t len,
				   const struct hv_irqchip *chip);

#endif /* !HVCTL_NAMES_H */
