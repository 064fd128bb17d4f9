// SPDX-License-Identifier: GPL-2.0
/*
 * hvdrv: loads the hvctl hypervisor (hv.bin) through the arm64 hyp stub and
 * exposes the Jailhouse-compatible /dev/jailhouse and /sys/devices/jailhouse.
 *
 * Kernel symbols that are not exported are found through a kprobe on
 * kallsyms_lookup_name, so no kernel patch is needed.
 */
#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/cdev.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/firmware.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/reboot.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/vmalloc.h>
#include <asm/cacheflush.h>
#include <asm/cpufeature.h>
#include <asm/memory.h>
#include <asm/sysreg.h>
#include <asm/virt.h>

#include "hvcall.h"
#include "hvdrv.h"

MODULE_DESCRIPTION("Driver for the hvctl partitioning hypervisor (Jailhouse ABI)");
MODULE_LICENSE("GPL");
MODULE_FIRMWARE(HV_FIRMWARE_NAME);
MODULE_VERSION("0.1");

static char *firmware = HV_FIRMWARE_NAME;
module_param(firmware, charp, 0444);
MODULE_PARM_DESC(firmware, "hypervisor image file name in the firmware path");

static unsigned int operator_gid;
module_param(operator_gid, uint, 0444);
MODULE_PARM_DESC(operator_gid,
		 "group that may read /dev/jailhouse and the cells' console and config files (default 0: root only); changes always need CAP_SYS_ADMIN");

#ifdef HVDRV_TEST_HOOKS
static unsigned int test_read_delay_ms;
module_param(test_read_delay_ms, uint, 0644);
MODULE_PARM_DESC(test_read_delay_ms,
		 "test build: ms the hypervisor memory readers sleep mid-read");

void hv_test_read_delay(void)
{
	unsigned int ms = READ_ONCE(test_read_delay_ms);

	if (ms)
		msleep(ms);
}

static unsigned int test_create_delay_ms;
module_param(test_create_delay_ms, uint, 0644);
MODULE_PARM_DESC(test_create_delay_ms,
		 "test build: ms cell create sleeps between offlining the cell's CPUs and handing them over");

void hv_test_create_delay(void)
{
	unsigned int ms = READ_ONCE(test_create_delay_ms);

	if (ms)
		msleep(ms);
}
#endif

/* Largest system config the driver accepts: far above any real board. */
#define HV_MAX_SYSTEM_CONFIG	(1024 * 1024)
/* Stub call numbers >= 4 are answered with this by a live Linux hyp stub. */
#define HV_STUB_PROBE_CALL	4

DEFINE_MUTEX(hv_lock);
DECLARE_RWSEM(hv_mem_lock);
kgid_t hv_operator_gid;
bool hv_enabled;
struct device *hv_root_dev;
struct hv_image_header *hv_header;
struct hv_image_header hv_image;
void *hv_mem;
unsigned long hv_mem_size;
bool hv_console_permitted;

static phys_addr_t hv_mem_phys;
static struct resource *hv_mem_res;
static phys_addr_t hyp_stub_pa;

static unsigned long (*sym_lookup_name)(const char *name);
static int (*sym_ioremap_page_range)(unsigned long addr, unsigned long end,
				     phys_addr_t phys_addr, pgprot_t prot);
static struct vm_struct *(*sym_get_vm_area_caller)(unsigned long size,
						   unsigned long flags,
						   unsigned long start,
						   unsigned long end,
						   const void *caller);
/*
 * Clean and invalidate to the PoC: dcache_clean_inval_poc(start, end)
 * since 5.14, __flush_dcache_area(addr, len) before (Linux 5.10).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 14, 0)
#define HVDRV_DCACHE_SYM	"dcache_clean_inval_poc"
static void (*sym_dcache_clean_inval_poc)(unsigned long start,
					  unsigned long end);
#else
#define HVDRV_DCACHE_SYM	"__flush_dcache_area"
static void (*sym_flush_dcache_area)(void *addr, size_t len);
#endif
static int (*sym_set_memory_x)(unsigned long addr, int numpages);

static atomic_t call_done;
static int call_error;

long hv_hypercall(unsigned long code, unsigned long arg1, unsigned long arg2)
{
	return hv_hvc(code, arg1, arg2);
}

/* A call into the Linux hyp stub; the stub may clobber x0-x17. */
static unsigned long hyp_stub_call(unsigned long nr)
{
	register unsigned long x0 asm("x0") = nr;

	asm volatile("hvc #0"
		     : "+r"(x0)
		     :
		     : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
		       "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
		       "memory");
	return x0;
}

static int resolve_symbols(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long stub;
	int err;

	err = register_kprobe(&kp);
	if (err) {
		pr_err(HVDRV_NAME ": cannot find kallsyms_lookup_name through a kprobe (%d); CONFIG_KPROBES is required\n",
		       err);
		return err;
	}
	sym_lookup_name = (void *)kp.addr;
	unregister_kprobe(&kp);

#define RESOLVE(var, name)                                                   \
	do {                                                                 \
		var = (void *)sym_lookup_name(name);                         \
		if (!var) {                                                  \
			pr_err(HVDRV_NAME ": kernel symbol %s not found\n", \
			       name);                                        \
			return -EINVAL;                                      \
		}                                                            \
	} while (0)

	RESOLVE(sym_ioremap_page_range, "ioremap_page_range");
	RESOLVE(sym_get_vm_area_caller, "__get_vm_area_caller");
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 14, 0)
	RESOLVE(sym_dcache_clean_inval_poc, HVDRV_DCACHE_SYM);
#else
	RESOLVE(sym_flush_dcache_area, HVDRV_DCACHE_SYM);
#endif
	RESOLVE(sym_set_memory_x, "set_memory_x");
#undef RESOLVE
	stub = sym_lookup_name("__hyp_stub_vectors");
	if (!stub) {
		pr_err(HVDRV_NAME ": kernel symbol __hyp_stub_vectors not found\n");
		return -EINVAL;
	}
	hyp_stub_pa = __pa_symbol(stub);
	return 0;
}

/*
 * KVM must not create a VM while the hypervisor owns EL2: its hardware
 * enable would issue hyp-stub calls our EL2 cannot answer, and the kernel
 * warns on every CPU. kvm_create_vm() calls kvm_arch_init_vm() before it
 * enables anything (5.10 and 6.1), so a kprobe there makes the creation
 * fail with -EBUSY and KVM unwinds cleanly. Armed from before EL2 is taken
 * until after it is handed back; absent when the kernel has no KVM.
 */
static int kvm_refuse_pre(struct kprobe *p, struct pt_regs *regs)
{
	pr_info_once(HVDRV_NAME ": refusing a KVM VM while the hypervisor is enabled\n");
	regs->regs[0] = (unsigned long)-EBUSY;
	/* Return to the caller without running the function; 1 tells the
	 * kprobe core not to single-step the probed instruction. */
	instruction_pointer_set(regs, regs->regs[30]);
	return 1;
}

static struct kprobe kvm_refuse_kp;
static bool kvm_refuse_armed;

static void kvm_refuse_arm(void)
{
	int err;

	if (!sym_lookup_name("kvm_arch_init_vm"))
		return;
	memset(&kvm_refuse_kp, 0, sizeof(kvm_refuse_kp));
	kvm_refuse_kp.symbol_name = "kvm_arch_init_vm";
	kvm_refuse_kp.pre_handler = kvm_refuse_pre;
	err = register_kprobe(&kvm_refuse_kp);
	if (err) {
		pr_warn(HVDRV_NAME ": cannot guard kvm_arch_init_vm (%d): a KVM VM created while the hypervisor is enabled will fail with kernel warnings\n",
			err);
		return;
	}
	kvm_refuse_armed = true;
}

static void kvm_refuse_disarm(void)
{
	if (!kvm_refuse_armed)
		return;
	unregister_kprobe(&kvm_refuse_kp);
	kvm_refuse_armed = false;
}

/* EL2 must be owned by Linux's hyp stub, with the kernel itself at EL1. */
static int check_el2(void)
{
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1);
	unsigned long ret;

	if (is_kernel_in_hyp_mode()) {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 12, 0)
		pr_err(HVDRV_NAME ": the kernel runs at EL2 (VHE), so EL2 is not free for the hypervisor; boot with 'id_aa64mmfr1.vh=0 kvm-arm.mode=none' on the kernel command line\n");
#else
		/* No command-line switch keeps VHE off before 5.12. */
		pr_err(HVDRV_NAME ": the kernel runs at EL2 (VHE), so EL2 is not free for the hypervisor; rebuild the kernel without CONFIG_ARM64_VHE\n");
#endif
		return -ENODEV;
	}
	/* ID_AA64PFR0_EL1.EL2 is bits 11:8 (its macro's name differs
	 * between 5.10 and 6.1). */
	if (((pfr0 >> 8) & 0xf) == 0) {
		pr_err(HVDRV_NAME ": this CPU has no EL2 (ID_AA64PFR0_EL1.EL2 = 0); a partitioning hypervisor cannot run\n");
		return -ENODEV;
	}
	ret = hyp_stub_call(HV_STUB_PROBE_CALL);
	if (ret != HV_STUB_ERR) {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 16, 0)
		pr_err(HVDRV_NAME ": EL2 is not held by the Linux hyp stub (probe returned 0x%lx); boot the kernel at EL2 with 'kvm-arm.mode=none'\n",
		       ret);
#else
		/* KVM takes EL2 while a VM exists; no switch before 5.16. */
		pr_err(HVDRV_NAME ": EL2 is not held by the Linux hyp stub (probe returned 0x%lx); boot the kernel at EL2 and stop every KVM virtual machine, or rebuild the kernel without CONFIG_KVM\n",
		       ret);
#endif
		return -ENODEV;
	}
	return 0;
}

static void enter_hypervisor(void *info)
{
	int (*entry)(unsigned int cpu) = info;
	int err;

	err = entry(smp_processor_id());
	if (err)
		call_error = err;
	atomic_inc(&call_done);
}

static void leave_hypervisor(void *info)
{
	long err;

	(void)info;
	err = hv_hypercall(HV_HC_DISABLE, 0, 0);
	if (err)
		call_error = (int)err;
	atomic_inc(&call_done);
}

static void wait_for_cpus(unsigned int n)
{
	while (atomic_read(&call_done) != n)
		cpu_relax();
}

static void *map_hypervisor_memory(phys_addr_t phys, unsigned long size)
{
	struct vm_struct *vma;
	unsigned long off;

	/*
	 * ioremap_page_range() maps non-executable since 6.1; set_memory_x()
	 * then lifts that, and it only accepts areas flagged VM_ALLOC.
	 */
	vma = sym_get_vm_area_caller(size, VM_IOREMAP | VM_ALLOC, VMALLOC_START,
				     VMALLOC_END, __builtin_return_address(0));
	if (!vma)
		return NULL;
	vma->phys_addr = phys;
	/* Page by page: set_memory_x() cannot change block mappings. */
	for (off = 0; off < size; off += PAGE_SIZE) {
		if (sym_ioremap_page_range((unsigned long)vma->addr + off,
					   (unsigned long)vma->addr + off +
						   PAGE_SIZE,
					   phys + off, PAGE_KERNEL_EXEC)) {
			vunmap(vma->addr);
			return NULL;
		}
	}
	if (sym_set_memory_x((unsigned long)vma->addr, size >> PAGE_SHIFT)) {
		vunmap(vma->addr);
		return NULL;
	}
	return vma->addr;
}

void hv_flush_dcache(void *start, size_t size)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 14, 0)
	sym_dcache_clean_inval_poc((unsigned long)start,
				   (unsigned long)start + size);
#else
	sym_flush_dcache_area(start, size);
#endif
}

static void release_hypervisor_memory(void)
{
	/* No sysfs reader may be inside the mapping when it goes. */
	down_write(&hv_mem_lock);
	if (hv_mem)
		vunmap(hv_mem);
	hv_mem = NULL;
	hv_header = NULL;
	up_write(&hv_mem_lock);
	if (hv_mem_res)
		release_mem_region(hv_mem_phys, hv_mem_size);
	hv_mem_res = NULL;
}

static unsigned int cpu_set_max_cpus(const u8 *set, unsigned int size)
{
	int i, b;

	for (i = size - 1; i >= 0; i--)
		for (b = 7; b >= 0; b--)
			if (set[i] & (1u << b))
				return i * 8 + b + 1;
	return 0;
}

static int check_system_header(const struct hv_system *hdr)
{
	if (memcmp(hdr->signature, HV_SYSTEM_SIGNATURE, HV_SIGNATURE_LEN)) {
		pr_err(HVDRV_NAME ": enable: not a system configuration (signature)\n");
		return -EINVAL;
	}
	if (hdr->revision != HV_CONFIG_REVISION) {
		pr_err(HVDRV_NAME ": enable: configuration revision %u, expected %u\n",
		       hdr->revision, HV_CONFIG_REVISION);
		return -EINVAL;
	}
	if (hdr->architecture != HV_ARCH_ARM64) {
		pr_err(HVDRV_NAME ": enable: configuration is for architecture %u, not arm64 (%u)\n",
		       hdr->architecture, HV_ARCH_ARM64);
		return -EINVAL;
	}
	if (hdr->root_cell.cpu_set_size == 0 ||
	    hdr->root_cell.cpu_set_size > HV_CPU_SET_MAX_SIZE) {
		pr_err(HVDRV_NAME ": enable: root cell cpu_set_size %u out of range\n",
		       hdr->root_cell.cpu_set_size);
		return -EINVAL;
	}
	if (hv_system_config_size(hdr) > HV_MAX_SYSTEM_CONFIG) {
		pr_err(HVDRV_NAME ": enable: system configuration too large\n");
		return -EINVAL;
	}
	return 0;
}

static int hv_cmd_enable(void __user *arg)
{
	const struct firmware *fw = NULL;
	const struct hv_image_header *fw_hdr;
	struct hv_system hdr, *sys = NULL;
	unsigned long config_size, percpu_off, online;
	unsigned int max_cpus, cpu;
	const u8 *cpu_set;
	int err;

	if (copy_from_user(&hdr, arg, sizeof(hdr)))
		return -EFAULT;
	err = check_system_header(&hdr);
	if (err)
		return err;
	config_size = hv_system_config_size(&hdr);
	sys = kvmalloc(config_size, GFP_KERNEL);
	if (!sys)
		return -ENOMEM;
	if (copy_from_user(sys, arg, config_size)) {
		err = -EFAULT;
		goto out_free;
	}
	/* The header may have changed under us; validate the copy we use. */
	err = check_system_header(sys);
	if (err)
		goto out_free;
	if (hv_system_config_size(sys) != config_size) {
		err = -EINVAL;
		goto out_free;
	}
	cpu_set = (const u8 *)(sys + 1);
	max_cpus = cpu_set_max_cpus(cpu_set, sys->root_cell.cpu_set_size);
	err = hv_pci_prepare(sys);
	if (err)
		goto out_free;
	if (max_cpus == 0) {
		pr_err(HVDRV_NAME ": enable: root cell CPU set is empty\n");
		err = -EINVAL;
		goto out_free;
	}

	err = mutex_lock_interruptible(&hv_lock);
	if (err)
		goto out_free;
	if (hv_enabled || !try_module_get(THIS_MODULE)) {
		err = -EBUSY;
		goto out_unlock;
	}

	kvm_refuse_arm();
	err = check_el2();
	if (err)
		goto out_put;

	err = request_firmware(&fw, firmware, hv_root_dev);
	if (err) {
		pr_err(HVDRV_NAME ": enable: missing hypervisor image %s (%d)\n",
		       firmware, err);
		goto out_put;
	}
	fw_hdr = (const struct hv_image_header *)fw->data;
	hv_mem_phys = sys->hypervisor_memory.phys_start;
	hv_mem_size = sys->hypervisor_memory.size;
	if (fw->size < sizeof(*fw_hdr) ||
	    memcmp(fw_hdr->signature, HV_IMAGE_SIGNATURE,
		   HV_IMAGE_SIGNATURE_LEN)) {
		pr_err(HVDRV_NAME ": enable: %s is not a hypervisor image\n",
		       firmware);
		err = -EINVAL;
		goto out_fw;
	}
	if (fw->size >= hv_mem_size || fw_hdr->core_size < fw->size ||
	    fw_hdr->entry >= fw->size || !PAGE_ALIGNED(hv_mem_phys) ||
	    !PAGE_ALIGNED(hv_mem_size)) {
		pr_err(HVDRV_NAME ": enable: image %s (%zu bytes) does not fit hypervisor memory 0x%llx+0x%lx\n",
		       firmware, fw->size, (u64)hv_mem_phys, hv_mem_size);
		err = -EINVAL;
		goto out_fw;
	}
	percpu_off = fw_hdr->core_size;
	if (fw_hdr->percpu_size > hv_mem_size ||
	    percpu_off + (u64)max_cpus * fw_hdr->percpu_size + config_size >=
		    hv_mem_size) {
		pr_err(HVDRV_NAME ": enable: hypervisor memory too small for %u CPUs and the configuration\n",
		       max_cpus);
		err = -EINVAL;
		goto out_fw;
	}

	hv_mem_res = request_mem_region(hv_mem_phys, hv_mem_size,
					"hvctl hypervisor");
	if (!hv_mem_res) {
		pr_err(HVDRV_NAME ": enable: hypervisor memory 0x%llx+0x%lx is in use by Linux (reserve it with mem=)\n",
		       (u64)hv_mem_phys, hv_mem_size);
		err = -EINVAL;
		goto out_fw;
	}
	hv_mem = map_hypervisor_memory(hv_mem_phys, hv_mem_size);
	if (!hv_mem) {
		pr_err(HVDRV_NAME ": enable: cannot map hypervisor memory\n");
		err = -EINVAL;
		goto out_release;
	}
	memcpy(hv_mem, fw->data, fw->size);
	memset(hv_mem + fw->size, 0, hv_mem_size - fw->size);
	hv_header = hv_mem;
	hv_header->max_cpus = max_cpus;
	hv_header->arm_linux_hyp_vectors = hyp_stub_pa;
	hv_header->arm_linux_hyp_abi = HV_HYP_STUB_ABI_OPCODE;
	memcpy(hv_mem + percpu_off + max_cpus * fw_hdr->percpu_size, sys,
	       config_size);
	release_firmware(fw);
	fw = NULL;

	err = hv_sysfs_core_create(hv_root_dev, hv_header->core_size);
	if (err)
		goto out_release;

	cpus_read_lock();
	online = num_online_cpus();
	for_each_online_cpu(cpu) {
		if (cpu >= max_cpus || !(cpu_set[cpu / 8] & (1u << (cpu % 8)))) {
			pr_err(HVDRV_NAME ": enable: online CPU %u is not in the root cell's CPU set\n",
			       cpu);
			err = -EINVAL;
			goto out_cpus;
		}
	}
	hv_header->online_cpus = online;
	hv_image = *hv_header;
	/* Rings outside the image are ignored rather than trusted. */
	if (hv_image.console_page >= hv_image.core_size ||
	    hv_image.core_size - hv_image.console_page <
		    sizeof(struct hv_virt_console))
		hv_image.console_page = 0;
	if (hv_image.cell_consoles >= hv_image.core_size ||
	    hv_image.num_cell_consoles >
		    (hv_image.core_size - hv_image.cell_consoles) /
			    sizeof(struct hv_cell_console))
		hv_image.cell_consoles = 0;
	hv_flush_dcache(hv_mem, hv_mem_size);
	hv_clean_inval_pou(hv_mem, hv_header->core_size);

	atomic_set(&call_done, 0);
	call_error = 0;
	preempt_disable();
	on_each_cpu(enter_hypervisor, hv_mem + hv_header->entry, 0);
	wait_for_cpus(online);
	preempt_enable();
	if (call_error) {
		char why[160];

		err = call_error;
		/* Keep what the hypervisor said for `hvctl console`. */
		hv_console_disabling();
		hv_console_last_line(why, sizeof(why));
		pr_err(HVDRV_NAME ": enable: the hypervisor refused to start (%d): %s\n",
		       err, why);
		goto out_cpus;
	}
	cpus_read_unlock();

	hv_console_permitted = sys->flags & HV_SYS_VIRTUAL_DEBUG_CONSOLE;
	err = hv_cell_create_root(sys);
	if (err) {
		/* Leave EL2 again so Linux keeps a usable stub. */
		atomic_set(&call_done, 0);
		cpus_read_lock();
		on_each_cpu(leave_hypervisor, NULL, 0);
		wait_for_cpus(num_online_cpus());
		cpus_read_unlock();
		hv_console_disabling();
		goto out_release;
	}
	down_write(&hv_mem_lock);
	hv_enabled = true;
	up_write(&hv_mem_lock);
	hv_console_enabled();
	/* Without it the root merely lacks its ivshmem devices. */
	err = hv_pci_create();
	if (err)
		pr_warn(HVDRV_NAME ": enable: no virtual PCI host for the root's ivshmem devices (%d)\n",
			err);
	mutex_unlock(&hv_lock);
	kvfree(sys);
	pr_info(HVDRV_NAME ": The hypervisor is running (root cell \"%s\", %lu CPUs)\n",
		hv_root_cell->name, online);
	return 0;

out_cpus:
	cpus_read_unlock();
out_release:
	release_hypervisor_memory();
out_fw:
	if (fw)
		release_firmware(fw);
out_put:
	kvm_refuse_disarm();
	module_put(THIS_MODULE);
out_unlock:
	mutex_unlock(&hv_lock);
out_free:
	kvfree(sys);
	return err;
}

static int hv_cmd_disable(void)
{
	unsigned int cpu;
	int err;

	err = mutex_lock_interruptible(&hv_lock);
	if (err)
		return err;
	if (!hv_enabled) {
		err = -EINVAL;
		goto out;
	}
	err = hv_cells_destroy_non_root();
	if (err)
		goto out;

	/*
	 * The root's ivshmem devices need the hypervisor: gone before it is
	 * (outside the hotplug lock, which their drivers' teardown may take).
	 */
	hv_pci_remove();
	cpus_read_lock();
	for_each_cpu(cpu, &hv_root_cell->cpus_assigned) {
		if (!cpu_online(cpu)) {
			pr_err(HVDRV_NAME ": disable: root cell CPU %u is offline; bring it online first\n",
			       cpu);
			cpus_read_unlock();
			err = -EBUSY;
			goto out_pci;
		}
	}
	atomic_set(&call_done, 0);
	call_error = 0;
	preempt_disable();
	on_each_cpu(leave_hypervisor, NULL, 0);
	wait_for_cpus(num_online_cpus());
	preempt_enable();
	cpus_read_unlock();
	if (call_error) {
		err = call_error;
		pr_err(HVDRV_NAME ": disable: the hypervisor refused (%d)\n",
		       err);
		goto out_pci;
	}

	hv_console_disabling();
	down_write(&hv_mem_lock);
	hv_enabled = false;
	up_write(&hv_mem_lock);
	hv_cell_delete_root();
	release_hypervisor_memory();
	kvm_refuse_disarm();
	module_put(THIS_MODULE);
	pr_info(HVDRV_NAME ": The hypervisor was closed.\n");
	goto out;

out_pci:
	/* Still running: the root gets its devices back. */
	if (hv_pci_create())
		pr_warn(HVDRV_NAME ": disable: the virtual PCI host could not be restored\n");
out:
	mutex_unlock(&hv_lock);
	return err;
}

static long hv_ioctl(struct file *file, unsigned int ioctl, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	/*
	 * The statistics report only reads, like the world-readable
	 * statistics_all attribute: any descriptor, no capability.
	 */
	if (ioctl == HV_IOC_STATS_READ)
		return hv_cmd_stats_read(uarg);
	/*
	 * Every other command changes the system: only CAP_SYS_ADMIN,
	 * whatever the device node's mode lets the operator group open.
	 */
	switch (ioctl) {
	case HV_IOC_ENABLE:
	case HV_IOC_DISABLE:
	case HV_IOC_CELL_CREATE:
	case HV_IOC_CELL_LOAD:
	case HV_IOC_CELL_START:
	case HV_IOC_CELL_DESTROY:
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		break;
	default:
		return -EINVAL;
	}
	switch (ioctl) {
	case HV_IOC_ENABLE:
		return hv_cmd_enable(uarg);
	case HV_IOC_DISABLE:
		return hv_cmd_disable();
	case HV_IOC_CELL_CREATE:
		return hv_cmd_cell_create(uarg);
	case HV_IOC_CELL_LOAD:
		return hv_cmd_cell_load(uarg);
	case HV_IOC_CELL_START:
		return hv_cmd_cell_start(uarg);
	case HV_IOC_CELL_DESTROY:
		return hv_cmd_cell_destroy(uarg);
	default:
		return -EINVAL;
	}
}

static int hv_open(struct inode *inode, struct file *file)
{
	return hv_console_open(file);
}

static int hv_release(struct inode *inode, struct file *file)
{
	return hv_console_release(file);
}

static const struct file_operations hv_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = hv_ioctl,
	.compat_ioctl = hv_ioctl,
	.open = hv_open,
	.release = hv_release,
	.read = hv_console_read,
	.poll = hv_console_poll,
	.llseek = noop_llseek,
};

/*
 * /dev/jailhouse: 0640 root:operator_gid. A character device of our own
 * class rather than a misc device, because only a device type's devnode()
 * can give devtmpfs the group.
 */
static dev_t hv_devt;
static struct cdev hv_cdev;
static struct class *hv_class;
static struct device *hv_dev;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
static char *hv_devnode(const struct device *dev, umode_t *mode, kuid_t *uid,
			kgid_t *gid)
#else
static char *hv_devnode(struct device *dev, umode_t *mode, kuid_t *uid,
			kgid_t *gid)
#endif
{
	if (mode)
		*mode = 0640;
	if (gid)
		*gid = hv_operator_gid;
	return NULL;
}

static const struct device_type hv_dev_type = {
	.name = HV_DEVICE_NAME,
	.devnode = hv_devnode,
};

static void hv_dev_release(struct device *dev)
{
	kfree(dev);
}

static int hv_chrdev_register(void)
{
	int err;

	err = alloc_chrdev_region(&hv_devt, 0, 1, HV_DEVICE_NAME);
	if (err)
		return err;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	hv_class = class_create(HVDRV_NAME);
#else
	hv_class = class_create(THIS_MODULE, HVDRV_NAME);
#endif
	if (IS_ERR(hv_class)) {
		err = PTR_ERR(hv_class);
		goto out_region;
	}
	cdev_init(&hv_cdev, &hv_fops);
	hv_cdev.owner = THIS_MODULE;
	hv_dev = kzalloc(sizeof(*hv_dev), GFP_KERNEL);
	if (!hv_dev) {
		err = -ENOMEM;
		goto out_class;
	}
	device_initialize(hv_dev);
	hv_dev->devt = hv_devt;
	hv_dev->class = hv_class;
	hv_dev->type = &hv_dev_type;
	hv_dev->release = hv_dev_release;
	err = dev_set_name(hv_dev, "%s", HV_DEVICE_NAME);
	if (!err)
		err = cdev_device_add(&hv_cdev, hv_dev);
	if (err) {
		put_device(hv_dev);
		goto out_class;
	}
	return 0;

out_class:
	class_destroy(hv_class);
out_region:
	unregister_chrdev_region(hv_devt, 1);
	return err;
}

static void hv_chrdev_unregister(void)
{
	cdev_device_del(&hv_cdev, hv_dev);
	put_device(hv_dev);
	class_destroy(hv_class);
	unregister_chrdev_region(hv_devt, 1);
}

static int hv_shutdown_notify(struct notifier_block *nb, unsigned long code,
			      void *unused)
{
	/* Hand EL2 back before the machine goes down or reboots. */
	if (hv_cmd_disable() == 0)
		pr_info(HVDRV_NAME ": disabled for shutdown\n");
	return NOTIFY_DONE;
}

static struct notifier_block hv_shutdown_nb = {
	.notifier_call = hv_shutdown_notify,
};

static int __init hv_init(void)
{
	int err;

	hv_operator_gid = make_kgid(current_user_ns(), operator_gid);
	if (!gid_valid(hv_operator_gid)) {
		pr_err(HVDRV_NAME ": operator_gid=%u is not a valid group\n",
		       operator_gid);
		return -EINVAL;
	}
	err = check_el2();
	if (err)
		return err;
	err = resolve_symbols();
	if (err)
		return err;

	hv_root_dev = root_device_register(HV_DEVICE_NAME);
	if (IS_ERR(hv_root_dev))
		return PTR_ERR(hv_root_dev);
	err = hv_sysfs_init(hv_root_dev);
	if (err)
		goto out_root;
	err = hv_console_init();
	if (err)
		goto out_sysfs;
	err = hv_chrdev_register();
	if (err)
		goto out_console;
	err = hv_cell_hotplug_init();
	if (err)
		goto out_chrdev;
	err = register_reboot_notifier(&hv_shutdown_nb);
	if (err)
		goto out_hotplug;
	pr_info(HVDRV_NAME ": loaded; EL2 held by the hyp stub at 0x%llx\n",
		(u64)hyp_stub_pa);
	return 0;

out_hotplug:
	hv_cell_hotplug_exit();
out_chrdev:
	hv_chrdev_unregister();
out_console:
	hv_console_exit();
out_sysfs:
	hv_sysfs_exit(hv_root_dev);
out_root:
	root_device_unregister(hv_root_dev);
	return err;
}

static void __exit hv_exit(void)
{
	unregister_reboot_notifier(&hv_shutdown_nb);
	hv_cell_hotplug_exit();
	hv_chrdev_unregister();
	hv_console_exit();
	hv_sysfs_core_delete(hv_root_dev);
	hv_sysfs_exit(hv_root_dev);
	root_device_unregister(hv_root_dev);
}

module_init(hv_init);
module_exit(hv_exit);
