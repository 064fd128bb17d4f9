/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvdrv: Jailhouse-compatible driver for the hvctl hypervisor.
 * Shared declarations of the driver's parts (main, cell, sysfs, console).
 */
#ifndef HVDRV_H
#define HVDRV_H

#include <linux/cpumask.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/version.h>
#include <asm/cacheflush.h>

#include <hvabi/cell-config.h>
#include <hvabi/console.h>
#include <hvabi/header.h>
#include <hvabi/hypercall.h>
#include <hvabi/ioctl.h>
#include <hvabi/ivshmem.h>

#define HVDRV_NAME	"hvdrv"

struct hv_cell {
	struct kobject kobj;
	struct kobject stats_kobj;
	struct list_head entry;
	unsigned int id;
	char name[HV_CELL_NAME_MAXLEN + 1];
	cpumask_t cpus_assigned;
	/* CPUs this driver took offline for the cell; onlined on destroy. */
	cpumask_t cpus_offlined;
	struct hv_memory *memory_regions;
	unsigned int num_memory_regions;
	/* Kernel copy of the cell's config, shown as cells/<id>/config. */
	void *config;
	size_t config_size;
	struct kobject *cpu_kobj[NR_CPUS];
	bool registered;
};

/* Global driver state, all under hv_lock unless noted. */
extern struct mutex hv_lock;
extern bool hv_enabled;
extern struct device *hv_root_dev;
extern struct list_head hv_cells;
extern struct hv_cell *hv_root_cell;
extern struct hv_image_header *hv_header;	/* mapped image, NULL if off */
/* Copy of the header taken at enable: once the hypervisor runs, the root
 * cell sees only the console pages of hypervisor memory. */
extern struct hv_image_header hv_image;
extern void *hv_mem;				/* mapping of hypervisor RAM */
extern unsigned long hv_mem_size;
extern bool hv_console_permitted;		/* system config flag */
/*
 * Held for reading by sysfs readers of hypervisor memory (console rings,
 * core) for the whole copy, for writing around unmapping it: readers do
 * not take hv_lock, which is held while their files are removed.
 */
extern struct rw_semaphore hv_mem_lock;
/*
 * Test builds only (Kbuild with HVDRV_TEST_HOOKS=1): the readers of
 * hypervisor memory sleep test_read_delay_ms once they have found it
 * usable, so the QEMU test can make disable race them deterministically.
 */
#ifdef HVDRV_TEST_HOOKS
void hv_test_read_delay(void);
/* Cell create sleeps test_create_delay_ms with the CPUs offline, before
 * the hypercall: the window a CPU online must not slip into. */
void hv_test_create_delay(void);
#else
static inline void hv_test_read_delay(void) { }
static inline void hv_test_create_delay(void) { }
#endif
/* The operator group (module parameter operator_gid): may read. */
extern kgid_t hv_operator_gid;

long hv_hypercall(unsigned long code, unsigned long arg1, unsigned long arg2);
/* Clean and invalidate [start, end) of a kernel mapping to the PoC. */
void hv_flush_dcache(void *start, size_t size);

/*
 * Clean the D-cache and invalidate the I-cache to the PoU for code about
 * to run: caches_clean_inval_pou() since 5.14, __flush_icache_range()
 * before (Linux 5.10).
 */
static inline void hv_clean_inval_pou(void *start, size_t size)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 14, 0)
	caches_clean_inval_pou((unsigned long)start,
			       (unsigned long)start + size);
#else
	__flush_icache_range((unsigned long)start,
			     (unsigned long)start + size);
#endif
}

/* cell.c */
int hv_cell_hotplug_init(void);
void hv_cell_hotplug_exit(void);
int hv_cell_create_root(const struct hv_system *sys);
int hv_cells_destroy_non_root(void);
void hv_cell_delete_root(void);
int hv_cmd_cell_create(void __user *arg);
int hv_cmd_cell_load(void __user *arg);
int hv_cmd_cell_start(void __user *arg);
int hv_cmd_cell_destroy(void __user *arg);

/* sysfs.c */
int hv_sysfs_init(struct device *dev);
void hv_sysfs_exit(struct device *dev);
long hv_cmd_stats_read(void __user *arg);
int hv_sysfs_cell_create(struct hv_cell *cell);
void hv_sysfs_cell_register(struct hv_cell *cell);
void hv_sysfs_cell_delete(struct hv_cell *cell);
int hv_sysfs_core_create(struct device *dev, size_t size);
void hv_sysfs_core_delete(struct device *dev);

/* pci.c: the root's virtual PCI host (pci_is_virtual) */
/* Takes what the host needs from the system config; -EINVAL if unusable. */
int hv_pci_prepare(const struct hv_system *sys);
/* With the hypervisor running: bus, devices, drivers bound. */
int hv_pci_create(void);
/* Before leaving the hypervisor: drivers unbound, bus and claims gone. */
void hv_pci_remove(void);

/* console.c */
int hv_console_init(void);
void hv_console_exit(void);
void hv_console_enabled(void);
void hv_console_disabling(void);
void hv_console_last_line(char *out, size_t size);
ssize_t hv_console_sysfs_read(char *buf);
ssize_t hv_cell_console_read(unsigned int cell_id, char *buf, size_t size);
int hv_console_open(struct file *file);
int hv_console_release(struct file *file);
ssize_t hv_console_read(struct file *file, char __user *out, size_t size,
			loff_t *off);
__poll_t hv_console_poll(struct file *file, struct poll_table_struct *wait);

#endif /* !HVDRV_H */
