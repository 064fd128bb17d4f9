// SPDX-License-Identifier: GPL-2.0
/*
 * The root cell's virtual PCI host: on enable, when the system config says
 * pci_is_virtual, a PCI root bus over the hypervisor's emulated ECAM window
 * with the root's ivshmem devices on it; removed again before disable.
 *
 * Upstream adds this host through a device-tree overlay, which needs
 * CONFIG_OF_OVERLAY; Debian's arm64 kernels lack it. So the bus is made
 * here, as paravirtual host drivers do: config accessors over the
 * ioremap'd window, one 32-bit memory window for the BARs right after the
 * ECAM window (as upstream's overlay places it), INTx through the GIC's
 * irq domain (SPI vpci_irq_base + pin - 1, edge rising), and the PCI
 * domain of the system config.
 */
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/of.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "hvdrv.h"

#define GIC_SPI_TYPE		0	/* first cell of a GIC specifier */
#define GIC_FIRST_SPI		32
#define ECAM_BUS_SIZE		(1UL << 20)
#define NUM_INTX		4

/* What enable learnt from the system config; kept for a failed disable. */
static struct {
	bool present;
	u64 ecam_base;
	u8 end_bus;
	u16 domain;
	u32 irq_base;
	u64 mem_size;
} info;

static struct {
	struct platform_device *pdev;
	struct pci_host_bridge *bridge;
	void __iomem *ecam;
	struct resource *ecam_res;	/* NULL: in use by Linux, not claimed */
	struct resource mem;
	struct resource busn;
	unsigned int virq[NUM_INTX];	/* mappings this driver created */
#if !defined(PCI_DOMAIN_NR_NOT_SET)
	struct device_node node;
	struct property domain_prop;
	__be32 domain_be;
#endif
} host;

static void __iomem *hv_pci_map_bus(struct pci_bus *bus, unsigned int devfn,
				    int where)
{
	if (bus->number > info.end_bus || where >= 4096)
		return NULL;
	return host.ecam + ((unsigned long)bus->number << 20) +
	       (devfn << 12) + where;
}

static struct pci_ops hv_pci_ops = {
	.map_bus = hv_pci_map_bus,
	.read = pci_generic_config_read,
	.write = pci_generic_config_write,
};

/* The GIC's SPI for an INTx pin; created on first use, kept until removal. */
static int hv_pci_map_irq(const struct pci_dev *dev, u8 slot, u8 pin)
{
	struct irq_fwspec spec = { 0 };
	struct device_node *gic;
	struct irq_domain *domain;
	unsigned int virq;
	bool existed;

	if (pin < 1 || pin > NUM_INTX)
		return 0;
	if (host.virq[pin - 1])
		return host.virq[pin - 1];
	gic = of_find_compatible_node(NULL, NULL, "arm,gic-v3");
	if (!gic) {
		dev_err(&dev->dev, "no GICv3 node in the device tree for INTx\n");
		return 0;
	}
	spec.fwnode = of_node_to_fwnode(gic);
	spec.param_count = 3;
	spec.param[0] = GIC_SPI_TYPE;
	spec.param[1] = info.irq_base + pin - 1;
	spec.param[2] = IRQ_TYPE_EDGE_RISING;
	domain = irq_find_matching_fwspec(&spec, DOMAIN_BUS_WIRED);
	if (!domain)
		domain = irq_find_matching_fwspec(&spec, DOMAIN_BUS_ANY);
	existed = domain &&
		  irq_find_mapping(domain, GIC_FIRST_SPI + spec.param[1]);
	virq = irq_create_fwspec_mapping(&spec);
	of_node_put(gic);
	if (!virq) {
		dev_err(&dev->dev, "cannot map INTx pin %u (GIC SPI %u)\n", pin,
			spec.param[1]);
		return 0;
	}
	/* Somebody else's mapping stays theirs at removal. */
	if (!existed)
		host.virq[pin - 1] = virq;
	return virq;
}

static void hv_pci_release_resources(void)
{
	unsigned int n;

	for (n = 0; n < NUM_INTX; n++) {
		if (host.virq[n])
			irq_dispose_mapping(host.virq[n]);
		host.virq[n] = 0;
	}
	if (host.mem.parent)
		release_resource(&host.mem);
	if (host.ecam)
		iounmap(host.ecam);
	host.ecam = NULL;
	if (host.ecam_res)
		release_mem_region(info.ecam_base,
				   (info.end_bus + 1) * ECAM_BUS_SIZE);
	host.ecam_res = NULL;
	if (host.pdev)
		platform_device_unregister(host.pdev);
	host.pdev = NULL;
}

/* The parent device carries the PCI domain where the bridge cannot. */
static int hv_pci_set_domain(struct pci_host_bridge *bridge)
{
	if (info.domain == 0xffff)
		return 0;
#if defined(PCI_DOMAIN_NR_NOT_SET)
	bridge->domain_nr = info.domain;
	return 0;
#elif !IS_ENABLED(CONFIG_OF_DYNAMIC)
	/*
	 * Before Linux 5.19 the domain comes from the parent's device-tree
	 * node ("linux,pci-domain"). A node of our own, outside the tree:
	 * without OF_DYNAMIC nodes are not reference counted, so it needs
	 * no kobject. Having none in sysfs, the bus device's "of_node" link
	 * cannot be made: the core says "Error -2 creating of_node link"
	 * and goes on.
	 */
	host.domain_be = cpu_to_be32(info.domain);
	host.domain_prop.name = "linux,pci-domain";
	host.domain_prop.length = sizeof(host.domain_be);
	host.domain_prop.value = &host.domain_be;
	host.node.name = "hvctl-vpci";
	host.node.full_name = "hvctl-vpci";
	host.node.properties = &host.domain_prop;
	host.node.fwnode.ops = &of_fwnode_ops;
	host.pdev->dev.of_node = &host.node;
	return 0;
#else
	dev_warn(&host.pdev->dev, "this kernel cannot take PCI domain %u from a module; Linux picks one\n",
		 info.domain);
	return 0;
#endif
}

int hv_pci_prepare(const struct hv_system *sys)
{
	const struct hv_cell_desc *rc = &sys->root_cell;
	const struct hv_pci_device *dev;
	const u8 *p = (const u8 *)(rc + 1);
	u64 bar_max = 0;
	unsigned int n, count = 0;

	memset(&info, 0, sizeof(info));
	if (!sys->platform_info.pci_is_virtual)
		return 0;
	p += rc->cpu_set_size +
	     rc->num_memory_regions * sizeof(struct hv_memory) +
	     rc->num_cache_regions * sizeof(struct hv_cache) +
	     rc->num_irqchips * sizeof(struct hv_irqchip) +
	     rc->num_pio_regions * sizeof(struct hv_pio);
	dev = (const struct hv_pci_device *)p;
	for (n = 0; n < rc->num_pci_devices; n++) {
		u32 mask = dev[n].bar_mask[0] & HV_IVSHMEM_BAR0_DEFAULT_MASK;
		u64 size;

		if (dev[n].type != HV_PCI_TYPE_IVSHMEM)
			continue;
		if (!mask)
			mask = HV_IVSHMEM_BAR0_DEFAULT_MASK;
		size = mask & (~mask + 1);
		if (size > bar_max)
			bar_max = size;
		count++;
	}
	if (!count)
		return 0;
	if (!sys->platform_info.pci_mmconfig_base ||
	    !PAGE_ALIGNED(sys->platform_info.pci_mmconfig_base)) {
		pr_err(HVDRV_NAME ": enable: platform_info.pci_mmconfig_base 0x%llx is not a page-aligned ECAM address\n",
		       sys->platform_info.pci_mmconfig_base);
		return -EINVAL;
	}
	info.present = true;
	info.ecam_base = sys->platform_info.pci_mmconfig_base;
	info.end_bus = sys->platform_info.pci_mmconfig_end_bus;
	info.domain = sys->platform_info.pci_domain;
	info.irq_base = rc->vpci_irq_base;
	/* Two BAR0s' worth per device leaves room for their alignment. */
	info.mem_size = 2 * count * bar_max;
	return 0;
}

int hv_pci_create(void)
{
	u64 ecam_size = (info.end_bus + 1) * ECAM_BUS_SIZE;
	struct pci_host_bridge *bridge;
	struct pci_bus *child;
	int err;

	if (!info.present || host.bridge)
		return 0;
	host.pdev = platform_device_register_simple("hvctl-vpci",
						    PLATFORM_DEVID_NONE,
						    NULL, 0);
	if (IS_ERR(host.pdev)) {
		err = PTR_ERR(host.pdev);
		host.pdev = NULL;
		return err;
	}
	/*
	 * The window is claimed when it is free; where Linux already covers
	 * it (upstream's 0x08e00000 lies inside QEMU's GICR range), it is
	 * only mapped: the hypervisor traps every access anyway.
	 */
	host.ecam_res = request_mem_region(info.ecam_base, ecam_size,
					   "hvctl vPCI ECAM");
	if (!host.ecam_res)
		dev_info(&host.pdev->dev, "ECAM window 0x%llx+0x%llx is claimed by Linux; mapping it without a claim\n",
			 info.ecam_base, ecam_size);
	host.ecam = ioremap(info.ecam_base, ecam_size);
	if (!host.ecam) {
		err = -ENOMEM;
		goto err_release;
	}
	memset(&host.mem, 0, sizeof(host.mem));
	host.mem.name = "hvctl vPCI memory";
	host.mem.start = info.ecam_base + ecam_size;
	host.mem.end = host.mem.start + info.mem_size - 1;
	host.mem.flags = IORESOURCE_MEM;
	/* Drivers request their BARs below it: it must be free space. */
	err = request_resource(&iomem_resource, &host.mem);
	if (err) {
		dev_err(&host.pdev->dev, "BAR window %pR overlaps a claimed range; move platform_info.pci_mmconfig_base to free address space\n",
			&host.mem);
		goto err_release;
	}
	memset(&host.busn, 0, sizeof(host.busn));
	host.busn.name = "hvctl vPCI bus";
	host.busn.start = 0;
	host.busn.end = info.end_bus;
	host.busn.flags = IORESOURCE_BUS;

	bridge = pci_alloc_host_bridge(0);
	if (!bridge) {
		err = -ENOMEM;
		goto err_release;
	}
	err = hv_pci_set_domain(bridge);
	if (err)
		goto err_free;
	bridge->dev.parent = &host.pdev->dev;
	bridge->sysdata = &host;
	bridge->busnr = 0;
	bridge->ops = &hv_pci_ops;
	bridge->map_irq = hv_pci_map_irq;
	bridge->swizzle_irq = pci_common_swizzle;
	pci_add_resource(&bridge->windows, &host.busn);
	pci_add_resource(&bridge->windows, &host.mem);

	pci_lock_rescan_remove();
	err = pci_scan_root_bus_bridge(bridge);
	if (err) {
		pci_unlock_rescan_remove();
		goto err_free;
	}
	pci_bus_size_bridges(bridge->bus);
	pci_bus_assign_resources(bridge->bus);
	list_for_each_entry(child, &bridge->bus->children, node)
		pcie_bus_configure_settings(child);
	pci_bus_add_devices(bridge->bus);
	pci_unlock_rescan_remove();
	host.bridge = bridge;
	dev_info(&host.pdev->dev, "virtual PCI host: domain %04x, ECAM 0x%llx, BARs %pR, INTx SPI %u-%u\n",
		 pci_domain_nr(bridge->bus), info.ecam_base, &host.mem,
		 info.irq_base, info.irq_base + NUM_INTX - 1);
	return 0;

err_free:
	pci_free_host_bridge(bridge);
err_release:
	hv_pci_release_resources();
	return err;
}

void hv_pci_remove(void)
{
	struct pci_bus *bus;

	if (!host.bridge)
		return;
	bus = host.bridge->bus;
	pci_lock_rescan_remove();
	pci_stop_root_bus(bus);
	/* Frees the bridge with its last reference. */
	pci_remove_root_bus(bus);
	pci_unlock_rescan_remove();
	host.bridge = NULL;
	hv_pci_release_resources();
}
