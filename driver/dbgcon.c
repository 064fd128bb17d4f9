// SPDX-License-Identifier: GPL-2.0
/*
 * hvdbgcon: a Linux console named "jailhouse" that writes every byte
 * through the hypervisor's DEBUG_CONSOLE_PUTC hypercall, so the kernel's
 * messages land in this cell's console ring (`hvctl console --cell`,
 * hvtop) and on the hypervisor's UART. Works in the root cell and in a
 * Linux cell; the cell needs the virtual_console_permitted flag.
 *
 * Loading probes the hypervisor with one newline and refuses (with the
 * reason in the kernel log) when no hypervisor answers or the cell may
 * not use the debug console. If the hypervisor is disabled while the
 * module stays loaded, the hypercalls reach Linux's hyp stub, which
 * ignores them: the console goes quiet until the next enable.
 */
#include <linux/console.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <asm/sysreg.h>

#include "hvcall.h"

#define HVDBGCON_NAME	"hvdbgcon"

MODULE_DESCRIPTION("Kernel console through the hvctl hypervisor's debug console (Jailhouse ABI)");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1");

static bool replay;
module_param(replay, bool, 0444);
MODULE_PARM_DESC(replay,
		 "print the kernel log buffer through the console when loaded (default: only new messages)");

/*
 * ID_AA64PFR0_EL1.EL2, bits 11:8: zero when the CPU has no EL2, where
 * "hvc" is an undefined instruction. The field's macro was renamed
 * between Linux 5.10 and 6.1, so it is spelled out here.
 */
#define HVDBGCON_PFR0_EL2_SHIFT	8
#define HVDBGCON_PFR0_EL2_MASK	0xfUL

static void hvdbgcon_write(struct console *con, const char *s,
			   unsigned int count)
{
	unsigned int i;

	/* The result is ignored: a console cannot report errors. */
	for (i = 0; i < count; i++)
		hv_hvc(HV_HC_DEBUG_CONSOLE_PUTC, (unsigned char)s[i], 0);
}

static struct console hvdbgcon_console = {
	.name = "jailhouse",
	.write = hvdbgcon_write,
	/* Enabled by itself: the command line names another console. */
	.flags = CON_ENABLED | CON_ANYTIME,
	.index = -1,
};

static int __init hvdbgcon_init(void)
{
	unsigned long pfr0 = read_sysreg(id_aa64pfr0_el1);
	long ret;

	if (!((pfr0 >> HVDBGCON_PFR0_EL2_SHIFT) & HVDBGCON_PFR0_EL2_MASK)) {
		pr_err(HVDBGCON_NAME ": this CPU has no EL2, so no hypervisor to write to\n");
		return -ENODEV;
	}

	/*
	 * The probe is a real write: a newline, so that the first kernel
	 * message starts a line of its own in the cell's console.
	 */
	ret = hv_hvc(HV_HC_DEBUG_CONSOLE_PUTC, '\n', 0);
	if (ret == -EPERM) {
		pr_err(HVDBGCON_NAME ": the hypervisor refuses this cell the debug console (its config lacks the flag virtual_console_permitted)\n");
		return -EPERM;
	}
	if ((unsigned long)ret == HV_STUB_ERR) {
		pr_err(HVDBGCON_NAME ": the hypervisor is not enabled (Linux's hyp stub answered the hypercall); enable it first\n");
		return -ENODEV;
	}
	if (ret) {
		pr_err(HVDBGCON_NAME ": DEBUG_CONSOLE_PUTC returned %ld, not a hypervisor with the Jailhouse ABI\n",
		       ret);
		return -ENODEV;
	}

	if (replay)
		hvdbgcon_console.flags |= CON_PRINTBUFFER;
	register_console(&hvdbgcon_console);
	pr_info(HVDBGCON_NAME ": kernel messages go to the hypervisor's debug console\n");
	return 0;
}

static void __exit hvdbgcon_exit(void)
{
	unregister_console(&hvdbgcon_console);
}

module_init(hvdbgcon_init);
module_exit(hvdbgcon_exit);
