// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The public face of the config format's name tables (config.c holds the
 * tables the codec reads and writes; this file only hands them out), and
 * the formatting of protocols, BDFs and numbers for display.
 */
#include <hvctl/names.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "config_internal.h"

/* Each public table is a flags table or an enumeration table. */
static const struct {
	const struct config_flag_name *flags;
	const struct config_enum_name *values;
} tables[HVCTL_NAMES_COUNT] = {
	[HVCTL_NAMES_MEM_FLAGS]		= { config_mem_flags, NULL },
	[HVCTL_NAMES_CELL_FLAGS]	= { config_cell_flags, NULL },
	[HVCTL_NAMES_SYSTEM_FLAGS]	= { config_sys_flags, NULL },
	[HVCTL_NAMES_CONSOLE_FLAGS]	= { config_console_flags, NULL },
	[HVCTL_NAMES_CACHE_FLAGS]	= { config_cache_flags, NULL },
	[HVCTL_NAMES_PCI_CAP_FLAGS]	= { config_pcicap_flags, NULL },
	[HVCTL_NAMES_ARCH]		= { NULL, config_arch_names },
	[HVCTL_NAMES_CONSOLE_TYPE]	= { NULL, config_console_types },
	[HVCTL_NAMES_PCI_TYPE]		= { NULL, config_pci_types },
	[HVCTL_NAMES_CACHE_TYPE]	= { NULL, config_cache_types },
	[HVCTL_NAMES_IOMMU_TYPE]	= { NULL, config_iommu_types },
	[HVCTL_NAMES_SHMEM_PROTOCOL]	= { NULL, config_shmem_protocols },
};

static bool known_table(enum hvctl_names table)
{
	return (unsigned int)table < HVCTL_NAMES_COUNT;
}

bool hvctl_names_entry(enum hvctl_names table, size_t i, uint64_t *value,
		       const char **name)
{
	size_t k;

	if (!known_table(table))
		return false;
	if (tables[table].flags) {
		const struct config_flag_name *f = tables[table].flags;

		for (k = 0; k < i && f[k].name; k++)
			;
		if (!f[k].name)
			return false;
		*value = f[k].bit;
		*name = f[k].name;
		return true;
	}
	for (k = 0; k < i && tables[table].values[k].name; k++)
		;
	if (!tables[table].values[k].name)
		return false;
	*value = tables[table].values[k].value;
	*name = tables[table].values[k].name;
	return true;
}

const char *hvctl_name_of(enum hvctl_names table, uint64_t value)
{
	uint64_t v;
	const char *name;
	size_t i;

	for (i = 0; hvctl_names_entry(table, i, &v, &name); i++)
		if (v == value)
			return name;
	return NULL;
}

int hvctl_flags_str(char *buf, size_t len, enum hvctl_names table,
		    uint64_t flags, const char *sep)
{
	static const struct config_flag_name none[] = { { 0, NULL } };
	const struct config_flag_name *f = none;

	/* An enumeration has no bits: everything is printed as hex. */
	if (known_table(table) && tables[table].flags)
		f = tables[table].flags;
	return config_flags_format(buf, len, f, flags, sep ? sep : ",");
}

int hvctl_shmem_protocol_str(char *buf, size_t len, uint16_t protocol)
{
	static const char *const devices[] = {
		[HV_SHMEM_VIRTIO_NET] = "net",
		[HV_SHMEM_VIRTIO_BLOCK] = "block",
		[HV_SHMEM_VIRTIO_CONSOLE] = "console",
	};
	const char *name = hvctl_name_of(HVCTL_NAMES_SHMEM_PROTOCOL, protocol);
	unsigned int range = protocol & 0xc000u, device = protocol & 0x3fffu;

	if (name)
		return snprintf(buf, len, "%s", name);
	if (range == HV_SHMEM_PROTO_VIRTIO_FRONT || range == HV_SHMEM_PROTO_VIRTIO_BACK) {
		name = hvctl_name_of(HVCTL_NAMES_SHMEM_PROTOCOL, range);
		if (device < sizeof(devices) / sizeof(devices[0]) && devices[device])
			return snprintf(buf, len, "%s %s", name, devices[device]);
		return snprintf(buf, len, "%s %u", name, device);
	}
	if (range == HV_SHMEM_PROTO_CUSTOM)
		return snprintf(buf, len, "%s 0x%04x",
				hvctl_name_of(HVCTL_NAMES_SHMEM_PROTOCOL, range),
				protocol);
	return snprintf(buf, len, "0x%04x", protocol);
}

int hvctl_bdf_str(char *buf, size_t len, uint16_t domain, uint16_t bdf,
		  bool with_domain)
{
	if (with_domain)
		return snprintf(buf, len, "%04x:%02x:%02x.%x", domain, bdf >> 8,
				(bdf >> 3) & 0x1f, bdf & 7);
	return snprintf(buf, len, "%02x:%02x.%x", bdf >> 8, (bdf >> 3) & 0x1f,
			bdf & 7);
}

int hvctl_addr_str(char *buf, size_t len, uint64_t addr)
{
	return config_format_addr(buf, len, addr);
}

int hvctl_size_str(char *buf, size_t len, uint64_t size)
{
	return config_format_size(buf, len, size);
}

int hvctl_irqchip_str(char *buf, size_t len, const struct hv_irqchip *chip)
{
	uint8_t bits[HV_IRQCHIP_PINS / 8];
	unsigned int k;

	/* The bitmap is in 32-bit words; the formatter takes bytes. */
	for (k = 0; k < sizeof(bits); k++)
		bits[k] = (uint8_t)(chip->pin_bitmap[k / 4] >> (8 * (k % 4)));
	return config_bitmap_format(buf, len, bits, sizeof(bits), chip->pin_base);
}
