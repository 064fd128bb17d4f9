// SPDX-License-Identifier: GPL-2.0
/*
 * uio_ivshmem: user-space access to an ivshmem v2 device of the hvctl
 * hypervisor (the root's virtual PCI host, hvdrv's pci.c) through UIO.
 *
 * Maps, by index (mmap offset N * page size):
 *   0  registers       BAR0: ID, Max Peers, Interrupt Control, Doorbell,
 *                      State
 *   1  state_table     one u32 per peer, read-only
 *   2  rw_section      shared read/write section (may be empty)
 *   3  input_sections  every peer's output section, read-only
 *   4  output_section  this peer's output section, read/write
 * The sections are shared RAM that the other peers use with their own
 * attributes; they are mapped uncached here, as the hypervisor's inmates
 * (MMU off) see them. read() on /dev/uioN returns the interrupt count;
 * write() of 1 or 0 sets bit 0 of Interrupt Control (interrupts on/off).
 *
 * Binds protocol 0 (class ff0000) devices by default; others through
 * new_id, as upstream's driver: "110a 4106 110a 4106 <class> ffffff".
 */
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/uio_driver.h>
#include <linux/version.h>

#include <hvabi/cell-config.h>
#include <hvabi/ivshmem.h>

#define DRV_NAME		"uio_ivshmem"
#define MAP_REGS		0
#define MAP_STATE		1
#define MAP_RW			2
#define MAP_INPUT		3
#define MAP_OUTPUT		4

struct uio_ivshmem {
	struct uio_info info;
	void __iomem *regs;
	char name[64];
};

static irqreturn_t uio_ivshmem_handler(int irq, struct uio_info *info)
{
	/* Edge INTx, ours alone: counting it is all there is to do. */
	return IRQ_HANDLED;
}

static int uio_ivshmem_irqcontrol(struct uio_info *info, s32 on)
{
	struct uio_ivshmem *iv = info->priv;

	writel(on ? HV_IVSHMEM_INT_ENABLE : 0,
	       iv->regs + HV_IVSHMEM_REG_INT_CTRL);
	return 0;
}

/* Uncached like UIO's own, and read-only where the spec says so. */
static int uio_ivshmem_mmap(struct uio_info *info, struct vm_area_struct *vma)
{
	unsigned long mi = vma->vm_pgoff, size = vma->vm_end - vma->vm_start;
	struct uio_mem *mem;

	if (mi >= MAX_UIO_MAPS || !info->mem[mi].size)
		return -EINVAL;
	mem = &info->mem[mi];
	if ((mem->addr & ~PAGE_MASK) || size > PAGE_ALIGN(mem->size))
		return -EINVAL;
	if (mi == MAP_STATE || mi == MAP_INPUT) {
		if (vma->vm_flags & VM_WRITE)
			return -EPERM;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
		vm_flags_clear(vma, VM_MAYWRITE);
#else
		vma->vm_flags &= ~VM_MAYWRITE;
#endif
	}
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	return remap_pfn_range(vma, vma->vm_start, mem->addr >> PAGE_SHIFT,
			       size, vma->vm_page_prot);
}

static void set_map(struct uio_mem *mem, const char *name, phys_addr_t addr,
		    resource_size_t size)
{
	mem->name = name;
	mem->addr = addr;
	mem->size = size;
	mem->memtype = UIO_MEM_PHYS;
}

static int uio_ivshmem_probe(struct pci_dev *pdev,
			     const struct pci_device_id *id)
{
	struct uio_ivshmem *iv;
	u32 state_size, lo, hi, peers, own;
	u64 rw_size, out_size, base, sections;
	int cap, err;

	iv = devm_kzalloc(&pdev->dev, sizeof(*iv), GFP_KERNEL);
	if (!iv)
		return -ENOMEM;
	err = pcim_enable_device(pdev);
	if (err)
		return err;
	err = pcim_iomap_regions(pdev, BIT(0), DRV_NAME);
	if (err)
		return err;
	iv->regs = pcim_iomap_table(pdev)[0];

	cap = pci_find_capability(pdev, PCI_CAP_ID_VNDR);
	if (cap != HV_IVSHMEM_CFG_VNDR_CAP) {
		dev_err(&pdev->dev, "no ivshmem vendor capability at 0x%x\n",
			HV_IVSHMEM_CFG_VNDR_CAP);
		return -ENODEV;
	}
	pci_read_config_dword(pdev, HV_IVSHMEM_CFG_STATE_TAB_SZ, &state_size);
	pci_read_config_dword(pdev, HV_IVSHMEM_CFG_RW_SECTION_SZ, &lo);
	pci_read_config_dword(pdev, HV_IVSHMEM_CFG_RW_SECTION_SZ + 4, &hi);
	rw_size = ((u64)hi << 32) | lo;
	pci_read_config_dword(pdev, HV_IVSHMEM_CFG_OUTPUT_SECTION_SZ, &lo);
	pci_read_config_dword(pdev, HV_IVSHMEM_CFG_OUTPUT_SECTION_SZ + 4, &hi);
	out_size = ((u64)hi << 32) | lo;
	pci_read_config_dword(pdev, HV_IVSHMEM_CFG_ADDRESS, &lo);
	pci_read_config_dword(pdev, HV_IVSHMEM_CFG_ADDRESS + 4, &hi);
	base = ((u64)hi << 32) | lo;
	own = readl(iv->regs + HV_IVSHMEM_REG_ID);
	peers = readl(iv->regs + HV_IVSHMEM_REG_MAX_PEERS);

	/* What the device reports is checked before anything is mapped. */
	if (!state_size || !PAGE_ALIGNED(base) || !PAGE_ALIGNED(state_size) ||
	    !PAGE_ALIGNED(rw_size) || !PAGE_ALIGNED(out_size) || !peers ||
	    peers > HV_IVSHMEM_MAX_PEERS || own >= peers ||
	    state_size < peers * sizeof(u32)) {
		dev_err(&pdev->dev, "unusable layout: state table 0x%x, rw 0x%llx, outputs %u x 0x%llx at 0x%llx, peer %u\n",
			state_size, rw_size, peers, out_size, base, own);
		return -EINVAL;
	}
	sections = state_size + rw_size + peers * out_size;
	if (base + sections < base) {
		dev_err(&pdev->dev, "shared memory 0x%llx+0x%llx wraps\n",
			base, sections);
		return -EINVAL;
	}
	if (!devm_request_mem_region(&pdev->dev, base, sections,
				     dev_name(&pdev->dev))) {
		dev_err(&pdev->dev, "shared memory 0x%llx+0x%llx is in use\n",
			base, sections);
		return -EBUSY;
	}

	set_map(&iv->info.mem[MAP_REGS], "registers",
		pci_resource_start(pdev, 0), pci_resource_len(pdev, 0));
	set_map(&iv->info.mem[MAP_STATE], "state_table", base, state_size);
	if (rw_size)
		set_map(&iv->info.mem[MAP_RW], "rw_section", base + state_size,
			rw_size);
	if (out_size) {
		set_map(&iv->info.mem[MAP_INPUT], "input_sections",
			base + state_size + rw_size, peers * out_size);
		set_map(&iv->info.mem[MAP_OUTPUT], "output_section",
			base + state_size + rw_size + own * out_size,
			out_size);
	}
	snprintf(iv->name, sizeof(iv->name), DRV_NAME "-%s",
		 dev_name(&pdev->dev));
	iv->info.name = iv->name;
	iv->info.version = "1";
	iv->info.irq = pdev->irq ? pdev->irq : UIO_IRQ_NONE;
	iv->info.handler = uio_ivshmem_handler;
	iv->info.irqcontrol = uio_ivshmem_irqcontrol;
	iv->info.mmap = uio_ivshmem_mmap;
	iv->info.priv = iv;
	/* Interrupts stay off until user space writes 1. */
	writel(0, iv->regs + HV_IVSHMEM_REG_INT_CTRL);
	err = uio_register_device(&pdev->dev, &iv->info);
	if (err)
		return err;
	pci_set_drvdata(pdev, iv);
	dev_info(&pdev->dev, "peer %u of %u, state table 0x%llx, rw 0x%llx, outputs 0x%llx each, INTx %d\n",
		 own, peers, base, rw_size, out_size, pdev->irq);
	return 0;
}

static void uio_ivshmem_remove(struct pci_dev *pdev)
{
	struct uio_ivshmem *iv = pci_get_drvdata(pdev);

	writel(0, iv->regs + HV_IVSHMEM_REG_INT_CTRL);
	uio_unregister_device(&iv->info);
}

static const struct pci_device_id uio_ivshmem_ids[] = {
	{ PCI_DEVICE(HV_IVSHMEM_VENDOR_ID, HV_IVSHMEM_DEVICE_ID),
	  .class = (HV_IVSHMEM_CLASS_BASE << 16) | HV_SHMEM_PROTO_UNDEFINED,
	  .class_mask = 0xffffff },
	{ 0 }
};
MODULE_DEVICE_TABLE(pci, uio_ivshmem_ids);

static struct pci_driver uio_ivshmem_driver = {
	.name = DRV_NAME,
	.id_table = uio_ivshmem_ids,
	.probe = uio_ivshmem_probe,
	.remove = uio_ivshmem_remove,
};
module_pci_driver(uio_ivshmem_driver);

MODULE_DESCRIPTION("UIO driver for ivshmem v2 devices of the hvctl hypervisor");
MODULE_LICENSE("GPL");
