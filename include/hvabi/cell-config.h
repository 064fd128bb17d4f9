/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Cell and system configuration, binary format revision 14.
 *
 * A ".cell" file is one descriptor (struct hv_cell_desc, or struct
 * hv_system whose last member is the root cell's descriptor) followed
 * back-to-back by the arrays listed in hv_cell_config_size(). Everything
 * is packed and little-endian; byte-compatible with Jailhouse.
 */
#ifndef HVABI_CELL_CONFIG_H
#define HVABI_CELL_CONFIG_H

#include "types.h"

#define HV_CONFIG_REVISION		14
#define HV_SIGNATURE_LEN		5
#define HV_SYSTEM_SIGNATURE		"JHSYS"
#define HV_CELL_SIGNATURE		"JHCLL"

/* Jailhouse v0.12 (revision 12) used 6-byte signatures and no arch byte. */
#define HV_V012_REVISION		12
#define HV_V012_SYSTEM_SIGNATURE	"JHSYST"
#define HV_V012_CELL_SIGNATURE		"JHCELL"

#define HV_ARCH_X86			0
#define HV_ARCH_ARM			1
#define HV_ARCH_ARM64			2

#define HV_CELL_NAME_MAXLEN		31

/* The hypervisor refuses cell configs larger than this (E2BIG). */
#define HV_CELL_CONFIG_MAX_PAGES	16
#define HV_PAGE_SIZE			4096
/* The driver refuses system configs larger than this (EINVAL). */
#define HV_SYSTEM_CONFIG_MAX_SIZE	(1024 * 1024)
/* The hypervisor refuses larger CPU sets (EINVAL). */
#define HV_CPU_SET_MAX_SIZE		4096

/* struct hv_cell_desc.flags */
#define HV_CELL_PASSIVE_COMMREG			0x00000001
#define HV_CELL_TEST_DEVICE			0x00000002
#define HV_CELL_AARCH32				0x00000004
#define HV_CELL_VIRTUAL_CONSOLE_PERMITTED	0x40000000
#define HV_CELL_VIRTUAL_CONSOLE_ACTIVE		0x80000000

/* struct hv_memory.flags */
#define HV_MEM_READ			0x0001
#define HV_MEM_WRITE			0x0002
#define HV_MEM_EXECUTE			0x0004
#define HV_MEM_DMA			0x0008
#define HV_MEM_IO			0x0010
#define HV_MEM_COMM_REGION		0x0020
#define HV_MEM_LOADABLE			0x0040
#define HV_MEM_ROOTSHARED		0x0080
#define HV_MEM_NO_HUGEPAGES		0x0100
#define HV_MEM_IO_UNALIGNED		0x8000
#define HV_MEM_IO_8			0x10000
#define HV_MEM_IO_16			0x20000
#define HV_MEM_IO_32			0x40000
#define HV_MEM_IO_64			0x80000

/* struct hv_console.type */
#define HV_CON_TYPE_NONE		0x0000
#define HV_CON_TYPE_EFIFB		0x0001
#define HV_CON_TYPE_8250		0x0002
#define HV_CON_TYPE_PL011		0x0003
#define HV_CON_TYPE_XUARTPS		0x0004
#define HV_CON_TYPE_MVEBU		0x0005
#define HV_CON_TYPE_HSCIF		0x0006
#define HV_CON_TYPE_SCIFA		0x0007
#define HV_CON_TYPE_IMX			0x0008
#define HV_CON_TYPE_IMX_LPUART		0x0009
#define HV_CON_TYPE_SCIF		0x000a
#define HV_CON_TYPE_MAX			HV_CON_TYPE_SCIF

/* struct hv_console.flags */
#define HV_CON_ACCESS_MMIO		0x0001
#define HV_CON_REGDIST_4		0x0002
#define HV_CON_FB_1920x1080		0x0004
#define HV_CON_INVERTED_GATE		0x1000
#define HV_CON_MDR_QUIRK		0x2000

/* struct hv_cache.type and .flags */
#define HV_CACHE_L3_CODE		0x01
#define HV_CACHE_L3_DATA		0x02
#define HV_CACHE_L3			0x03
#define HV_CACHE_ROOTSHARED		0x0001

/* struct hv_pci_device.type */
#define HV_PCI_TYPE_DEVICE		0x01
#define HV_PCI_TYPE_BRIDGE		0x02
#define HV_PCI_TYPE_IVSHMEM		0x03

/* struct hv_pci_device.msi_flags (a C bitfield byte upstream) */
#define HV_PCI_MSI_64BITS		0x01
#define HV_PCI_MSI_MASKABLE		0x02

/* struct hv_pci_device.shmem_protocol */
#define HV_SHMEM_PROTO_UNDEFINED	0x0000
#define HV_SHMEM_PROTO_VETH		0x0001
#define HV_SHMEM_PROTO_CUSTOM		0x4000
#define HV_SHMEM_PROTO_VIRTIO_FRONT	0x8000
#define HV_SHMEM_PROTO_VIRTIO_BACK	0xc000
#define HV_SHMEM_VIRTIO_NET		1
#define HV_SHMEM_VIRTIO_BLOCK		2
#define HV_SHMEM_VIRTIO_CONSOLE		3

/* ivshmem: the hypervisor accepts at most this many peers per link. */
#define HV_IVSHMEM_MAX_PEERS		12
#define HV_IVSHMEM_VENDOR_ID		0x110a
#define HV_IVSHMEM_DEVICE_ID		0x4106

/* struct hv_pci_capability.id and .flags */
#define HV_PCI_EXT_CAP			0x8000
#define HV_PCICAPS_WRITE		0x0001

/* struct hv_iommu.type */
#define HV_IOMMU_UNUSED			0
#define HV_IOMMU_AMD			1
#define HV_IOMMU_INTEL			2
#define HV_IOMMU_SMMUV3			3
#define HV_IOMMU_PVU			4
#define HV_IOMMU_ARM_MMU500		5
#define HV_MAX_IOMMU_UNITS		8

/* struct hv_system.flags */
#define HV_SYS_VIRTUAL_DEBUG_CONSOLE	0x0001

/* platform_info.x86.apic_mode */
#define HV_APIC_MODE_AUTO		0
#define HV_APIC_MODE_XAPIC		1
#define HV_APIC_MODE_X2APIC		2

struct hv_console {
	uint64_t address;
	uint32_t size;
	uint16_t type;
	uint16_t flags;
	uint32_t divider;
	uint32_t gate_nr;
	uint64_t clock_reg;
} HV_PACKED;

struct hv_cell_desc {
	char signature[HV_SIGNATURE_LEN];
	uint8_t architecture;
	uint16_t revision;
	char name[HV_CELL_NAME_MAXLEN + 1];
	uint32_t id;
	uint32_t flags;
	uint32_t cpu_set_size;
	uint32_t num_memory_regions;
	uint32_t num_cache_regions;
	uint32_t num_irqchips;
	uint32_t num_pio_regions;
	uint32_t num_pci_devices;
	uint32_t num_pci_caps;
	uint32_t num_stream_ids;
	uint32_t vpci_irq_base;
	uint64_t cpu_reset_address;
	uint64_t msg_reply_timeout;
	struct hv_console console;
} HV_PACKED;

struct hv_memory {
	uint64_t phys_start;
	uint64_t virt_start;
	uint64_t size;
	uint64_t flags;
} HV_PACKED;

struct hv_cache {
	uint32_t start;
	uint32_t size;
	uint8_t type;
	uint8_t padding;
	uint16_t flags;
} HV_PACKED;

#define HV_IRQCHIP_PINS			128

struct hv_irqchip {
	uint64_t address;
	uint32_t id;
	uint32_t pin_base;
	uint32_t pin_bitmap[HV_IRQCHIP_PINS / 32];
} HV_PACKED;

struct hv_pio {
	uint16_t base;
	uint16_t length;
} HV_PACKED;

struct hv_pci_device {
	uint8_t type;
	uint8_t iommu;
	uint16_t domain;
	uint16_t bdf;
	uint32_t bar_mask[6];
	uint16_t caps_start;
	uint16_t num_caps;
	uint8_t num_msi_vectors;
	uint8_t msi_flags;
	uint16_t num_msix_vectors;
	uint16_t msix_region_size;
	uint64_t msix_address;
	uint32_t shmem_regions_start;
	uint8_t shmem_dev_id;
	uint8_t shmem_peers;
	uint16_t shmem_protocol;
} HV_PACKED;

struct hv_pci_capability {
	uint16_t id;
	uint16_t start;
	uint16_t len;
	uint16_t flags;
} HV_PACKED;

union hv_stream_id {
	uint32_t id;
	struct {
		uint16_t id;
		uint16_t mask_out;
	} HV_PACKED mmu500;
} HV_PACKED;

struct hv_iommu {
	uint32_t type;
	uint64_t base;
	uint32_t size;
	union {
		struct {
			uint16_t bdf;
			uint8_t base_cap;
			uint8_t msi_cap;
			uint32_t features;
		} HV_PACKED amd;
		struct {
			uint64_t tlb_base;
			uint32_t tlb_size;
		} HV_PACKED tipvu;
		uint8_t raw[12];
	} HV_PACKED;
} HV_PACKED;

struct hv_platform_arm {
	uint8_t maintenance_irq;
	uint8_t gic_version;
	uint8_t padding[2];
	uint64_t gicd_base;
	uint64_t gicc_base;
	uint64_t gich_base;
	uint64_t gicv_base;
	uint64_t gicr_base;
} HV_PACKED;

struct hv_platform_x86 {
	uint16_t pm_timer_address;
	uint8_t apic_mode;
	uint8_t padding;
	uint32_t vtd_interrupt_limit;
	uint32_t tsc_khz;
	uint32_t apic_khz;
} HV_PACKED;

#define HV_PLATFORM_ARCH_SIZE		44

struct hv_platform_info {
	uint64_t pci_mmconfig_base;
	uint8_t pci_mmconfig_end_bus;
	uint8_t pci_is_virtual;
	uint16_t pci_domain;
	struct hv_iommu iommu_units[HV_MAX_IOMMU_UNITS];
	union {
		struct hv_platform_arm arm;
		struct hv_platform_x86 x86;
		uint8_t raw[HV_PLATFORM_ARCH_SIZE];
	} HV_PACKED;
} HV_PACKED;

struct hv_system {
	char signature[HV_SIGNATURE_LEN];
	uint8_t architecture;
	uint16_t revision;
	uint32_t flags;
	struct hv_memory hypervisor_memory;
	struct hv_console debug_console;
	struct hv_platform_info platform_info;
	struct hv_cell_desc root_cell;
} HV_PACKED;

/*
 * Size of a cell config from its counts, as the hypervisor computes it.
 * The counts are 32-bit, so the sum fits in 64 bits without overflow.
 */
static inline uint64_t hv_cell_config_size(const struct hv_cell_desc *c)
{
	return (uint64_t)sizeof(struct hv_cell_desc) + c->cpu_set_size +
	       (uint64_t)c->num_memory_regions * sizeof(struct hv_memory) +
	       (uint64_t)c->num_cache_regions * sizeof(struct hv_cache) +
	       (uint64_t)c->num_irqchips * sizeof(struct hv_irqchip) +
	       (uint64_t)c->num_pio_regions * sizeof(struct hv_pio) +
	       (uint64_t)c->num_pci_devices * sizeof(struct hv_pci_device) +
	       (uint64_t)c->num_pci_caps * sizeof(struct hv_pci_capability) +
	       (uint64_t)c->num_stream_ids * sizeof(union hv_stream_id);
}

/* A system config is the fixed part before the root cell plus the root cell. */
static inline uint64_t hv_system_config_size(const struct hv_system *s)
{
	return (uint64_t)__builtin_offsetof(struct hv_system, root_cell) +
	       hv_cell_config_size(&s->root_cell);
}

HV_ABI_SIZE(struct hv_console, 32);
HV_ABI_OFFSET(struct hv_console, size, 8);
HV_ABI_OFFSET(struct hv_console, type, 12);
HV_ABI_OFFSET(struct hv_console, flags, 14);
HV_ABI_OFFSET(struct hv_console, divider, 16);
HV_ABI_OFFSET(struct hv_console, gate_nr, 20);
HV_ABI_OFFSET(struct hv_console, clock_reg, 24);

HV_ABI_SIZE(struct hv_cell_desc, 132);
HV_ABI_OFFSET(struct hv_cell_desc, architecture, 5);
HV_ABI_OFFSET(struct hv_cell_desc, revision, 6);
HV_ABI_OFFSET(struct hv_cell_desc, name, 8);
HV_ABI_OFFSET(struct hv_cell_desc, id, 40);
HV_ABI_OFFSET(struct hv_cell_desc, flags, 44);
HV_ABI_OFFSET(struct hv_cell_desc, cpu_set_size, 48);
HV_ABI_OFFSET(struct hv_cell_desc, num_memory_regions, 52);
HV_ABI_OFFSET(struct hv_cell_desc, num_cache_regions, 56);
HV_ABI_OFFSET(struct hv_cell_desc, num_irqchips, 60);
HV_ABI_OFFSET(struct hv_cell_desc, num_pio_regions, 64);
HV_ABI_OFFSET(struct hv_cell_desc, num_pci_devices, 68);
HV_ABI_OFFSET(struct hv_cell_desc, num_pci_caps, 72);
HV_ABI_OFFSET(struct hv_cell_desc, num_stream_ids, 76);
HV_ABI_OFFSET(struct hv_cell_desc, vpci_irq_base, 80);
HV_ABI_OFFSET(struct hv_cell_desc, cpu_reset_address, 84);
HV_ABI_OFFSET(struct hv_cell_desc, msg_reply_timeout, 92);
HV_ABI_OFFSET(struct hv_cell_desc, console, 100);

HV_ABI_SIZE(struct hv_memory, 32);
HV_ABI_OFFSET(struct hv_memory, virt_start, 8);
HV_ABI_OFFSET(struct hv_memory, size, 16);
HV_ABI_OFFSET(struct hv_memory, flags, 24);

HV_ABI_SIZE(struct hv_cache, 12);
HV_ABI_OFFSET(struct hv_cache, type, 8);
HV_ABI_OFFSET(struct hv_cache, flags, 10);

HV_ABI_SIZE(struct hv_irqchip, 32);
HV_ABI_OFFSET(struct hv_irqchip, id, 8);
HV_ABI_OFFSET(struct hv_irqchip, pin_base, 12);
HV_ABI_OFFSET(struct hv_irqchip, pin_bitmap, 16);

HV_ABI_SIZE(struct hv_pio, 4);
HV_ABI_OFFSET(struct hv_pio, length, 2);

HV_ABI_SIZE(struct hv_pci_device, 56);
HV_ABI_OFFSET(struct hv_pci_device, iommu, 1);
HV_ABI_OFFSET(struct hv_pci_device, domain, 2);
HV_ABI_OFFSET(struct hv_pci_device, bdf, 4);
HV_ABI_OFFSET(struct hv_pci_device, bar_mask, 6);
HV_ABI_OFFSET(struct hv_pci_device, caps_start, 30);
HV_ABI_OFFSET(struct hv_pci_device, num_caps, 32);
HV_ABI_OFFSET(struct hv_pci_device, num_msi_vectors, 34);
HV_ABI_OFFSET(struct hv_pci_device, msi_flags, 35);
HV_ABI_OFFSET(struct hv_pci_device, num_msix_vectors, 36);
HV_ABI_OFFSET(struct hv_pci_device, msix_region_size, 38);
HV_ABI_OFFSET(struct hv_pci_device, msix_address, 40);
HV_ABI_OFFSET(struct hv_pci_device, shmem_regions_start, 48);
HV_ABI_OFFSET(struct hv_pci_device, shmem_dev_id, 52);
HV_ABI_OFFSET(struct hv_pci_device, shmem_peers, 53);
HV_ABI_OFFSET(struct hv_pci_device, shmem_protocol, 54);

HV_ABI_SIZE(struct hv_pci_capability, 8);
HV_ABI_OFFSET(struct hv_pci_capability, start, 2);
HV_ABI_OFFSET(struct hv_pci_capability, len, 4);
HV_ABI_OFFSET(struct hv_pci_capability, flags, 6);

HV_ABI_SIZE(union hv_stream_id, 4);
HV_ABI_OFFSET(union hv_stream_id, mmu500.mask_out, 2);

HV_ABI_SIZE(struct hv_iommu, 28);
HV_ABI_OFFSET(struct hv_iommu, base, 4);
HV_ABI_OFFSET(struct hv_iommu, size, 12);
HV_ABI_OFFSET(struct hv_iommu, amd.bdf, 16);
HV_ABI_OFFSET(struct hv_iommu, amd.base_cap, 18);
HV_ABI_OFFSET(struct hv_iommu, amd.msi_cap, 19);
HV_ABI_OFFSET(struct hv_iommu, amd.features, 20);
HV_ABI_OFFSET(struct hv_iommu, tipvu.tlb_base, 16);
HV_ABI_OFFSET(struct hv_iommu, tipvu.tlb_size, 24);

HV_ABI_SIZE(struct hv_platform_arm, 44);
HV_ABI_SIZE(struct hv_platform_info, 280);

HV_ABI_SIZE(struct hv_system, 488);
HV_ABI_OFFSET(struct hv_system, architecture, 5);
HV_ABI_OFFSET(struct hv_system, revision, 6);
HV_ABI_OFFSET(struct hv_system, flags, 8);
HV_ABI_OFFSET(struct hv_system, hypervisor_memory, 12);
HV_ABI_OFFSET(struct hv_system, debug_console, 44);
HV_ABI_OFFSET(struct hv_system, platform_info.pci_mmconfig_base, 76);
HV_ABI_OFFSET(struct hv_system, platform_info.pci_mmconfig_end_bus, 84);
HV_ABI_OFFSET(struct hv_system, platform_info.pci_is_virtual, 85);
HV_ABI_OFFSET(struct hv_system, platform_info.pci_domain, 86);
HV_ABI_OFFSET(struct hv_system, platform_info.iommu_units, 88);
HV_ABI_OFFSET(struct hv_system, platform_info.arm.maintenance_irq, 312);
HV_ABI_OFFSET(struct hv_system, platform_info.arm.gic_version, 313);
HV_ABI_OFFSET(struct hv_system, platform_info.arm.gicd_base, 316);
HV_ABI_OFFSET(struct hv_system, platform_info.arm.gicc_base, 324);
HV_ABI_OFFSET(struct hv_system, platform_info.arm.gich_base, 332);
HV_ABI_OFFSET(struct hv_system, platform_info.arm.gicv_base, 340);
HV_ABI_OFFSET(struct hv_system, platform_info.arm.gicr_base, 348);
HV_ABI_OFFSET(struct hv_system, platform_info.x86.pm_timer_address, 312);
HV_ABI_OFFSET(struct hv_system, platform_info.x86.apic_mode, 314);
HV_ABI_OFFSET(struct hv_system, platform_info.x86.vtd_interrupt_limit, 316);
HV_ABI_OFFSET(struct hv_system, platform_info.x86.tsc_khz, 320);
HV_ABI_OFFSET(struct hv_system, platform_info.x86.apic_khz, 324);
HV_ABI_OFFSET(struct hv_system, root_cell, 356);

#endif /* !HVABI_CELL_CONFIG_H */
