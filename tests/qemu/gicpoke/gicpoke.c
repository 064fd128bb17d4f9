// SPDX-License-Identifier: GPL-2.0
/*
 * gicpoke: a one-shot module for the QEMU end-to-end test. Debian's kernel
 * keeps /dev/mem away from the GIC, which its driver claims, so the
 * isolation checks reach GIC registers from here:
 *   insmod gicpoke.ko op=r32 addr=PHYS        read 32 bits
 *   insmod gicpoke.ko op=w32 addr=PHYS val=V  write 32 bits
 *   insmod gicpoke.ko op=sgi val=V            write ICC_SGI1R_EL1
 * The result is a "gicpoke:" line in the kernel log; rmmod afterwards.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/string.h>
#include <asm/barrier.h>
#include <asm/sysreg.h>

static unsigned long addr;
static unsigned long val;
static char *op = "r32";
module_param(addr, ulong, 0444);
MODULE_PARM_DESC(addr, "physical address of the register");
module_param(val, ulong, 0444);
MODULE_PARM_DESC(val, "value to write");
module_param(op, charp, 0444);
MODULE_PARM_DESC(op, "r32, w32 or sgi");

static int __init gicpoke_init(void)
{
	void __iomem *page;
	void __iomem *reg;

	if (!strcmp(op, "sgi")) {
		write_sysreg_s(val, SYS_ICC_SGI1R_EL1);
		isb();
		pr_info("gicpoke: sgi 0x%lx\n", val);
		return 0;
	}
	if (strcmp(op, "r32") && strcmp(op, "w32")) {
		pr_err("gicpoke: op must be r32, w32 or sgi, not '%s'\n", op);
		return -EINVAL;
	}
	if (addr & 3) {
		pr_err("gicpoke: addr 0x%lx is not 32-bit aligned\n", addr);
		return -EINVAL;
	}
	page = ioremap(addr & PAGE_MASK, PAGE_SIZE);
	if (!page)
		return -ENOMEM;
	reg = page + offset_in_page(addr);
	if (!strcmp(op, "w32")) {
		writel(val, reg);
		pr_info("gicpoke: w32 0x%lx 0x%lx\n", addr, val);
	} else {
		pr_info("gicpoke: r32 0x%lx 0x%x\n", addr, readl(reg));
	}
	iounmap(page);
	return 0;
}

static void __exit gicpoke_exit(void)
{
}

module_init(gicpoke_init);
module_exit(gicpoke_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("GIC register access for the hvctl QEMU test");
