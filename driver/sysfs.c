// SPDX-License-Identifier: GPL-2.0
/*
 * hvdrv sysfs tree: /sys/devices/jailhouse with the files of Jailhouse's
 * driver plus cells/<id>/config and cells/<id>/console.
 *
 * Readers do not take hv_lock: removing a cell's directory waits for
 * running readers, and the hypercalls they issue (5, 6, 7) are answered
 * harmlessly by the Linux stub should the hypervisor just have left.
 * Readers of hypervisor memory (console, core) hold hv_mem_lock instead,
 * which disable takes before unmapping it.
 *
 * A cell's console and config are 0440, for root and the operator group
 * (operator_gid), which owns every cell directory's files.
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>
#include <linux/version.h>

#include <hvabi/stats.h>

#include "hvdrv.h"

static struct kobject *cells_dir;

struct hv_cpu_kobj {
	struct kobject kobj;
	unsigned int cpu;
};

static const char *const stat_names[] = {
#define HV_STAT_FILE(name, file) file,
	HV_ARM64_STATS(HV_STAT_FILE)
#undef HV_STAT_FILE
};

static long read_stat(unsigned int cpu, unsigned int stat)
{
	long ret;

	if (!READ_ONCE(hv_enabled))
		return -ENODEV;
	ret = hv_hypercall(HV_HC_CPU_GET_INFO, cpu, HV_CPU_INFO_STAT_BASE + stat);
	return ret < 0 || (unsigned long)ret > HV_CPU_STAT_MASK ? -EIO : ret;
}

/* ---- per-CPU statistics: cells/<id>/statistics/cpu<N>/<counter> ---- */

struct stat_attr {
	struct attribute attr;
	unsigned int index;
};

static struct stat_attr cpu_stat_attrs[HV_NUM_CPU_STATS];
static struct attribute *cpu_stat_attr_list[HV_NUM_CPU_STATS + 1];
static struct stat_attr total_stat_attrs[HV_NUM_CPU_STATS];
static struct attribute *total_stat_attr_list[HV_NUM_CPU_STATS + 1];

static ssize_t cpu_stat_show(struct kobject *kobj, struct attribute *attr,
			     char *buf)
{
	struct hv_cpu_kobj *ck = container_of(kobj, struct hv_cpu_kobj, kobj);
	struct stat_attr *sa = container_of(attr, struct stat_attr, attr);
	long v = read_stat(ck->cpu, sa->index);

	return sysfs_emit(buf, "%d\n", v < 0 ? 0 : (int)v);
}

static const struct sysfs_ops cpu_stat_ops = { .show = cpu_stat_show };

static void cpu_kobj_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct hv_cpu_kobj, kobj));
}

static struct attribute_group cpu_stat_group = {
	.attrs = cpu_stat_attr_list,
};
static const struct attribute_group *cpu_stat_groups[] = {
	&cpu_stat_group, NULL
};

static struct kobj_type cpu_stat_ktype = {
	.release = cpu_kobj_release,
	.sysfs_ops = &cpu_stat_ops,
	.default_groups = cpu_stat_groups,
};

/* ---- cell totals: cells/<id>/statistics/<counter> ---- */

static ssize_t total_stat_show(struct kobject *kobj, struct attribute *attr,
			       char *buf)
{
	struct hv_cell *cell = container_of(kobj, struct hv_cell, stats_kobj);
	struct stat_attr *sa = container_of(attr, struct stat_attr, attr);
	unsigned long sum = 0;
	unsigned int cpu;
	long v;

	for_each_cpu(cpu, &cell->cpus_assigned) {
		v = read_stat(cpu, sa->index);
		if (v > 0)
			sum += v;
	}
	return sysfs_emit(buf, "%lu\n", sum);
}

static const struct sysfs_ops total_stat_ops = { .show = total_stat_show };

static void stats_kobj_release(struct kobject *kobj)
{
	struct hv_cell *cell = container_of(kobj, struct hv_cell, stats_kobj);

	/* The cell kobject holds a reference on the statistics directory. */
	kobject_put(&cell->kobj);
}

static struct attribute_group total_stat_group = {
	.attrs = total_stat_attr_list,
};
static const struct attribute_group *total_stat_groups[] = {
	&total_stat_group, NULL
};

static struct kobj_type stats_ktype = {
	.release = stats_kobj_release,
	.sysfs_ops = &total_stat_ops,
	.default_groups = total_stat_groups,
};

/* ---- cells/<id>/ ---- */

static ssize_t name_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct hv_cell *cell = container_of(kobj, struct hv_cell, kobj);

	return sysfs_emit(buf, "%s\n", cell->name);
}

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	static const char *const names[] = HV_CELL_STATE_NAMES;
	struct hv_cell *cell = container_of(kobj, struct hv_cell, kobj);
	long state = -ENODEV;

	if (READ_ONCE(hv_enabled))
		state = hv_hypercall(HV_HC_CELL_GET_STATE, cell->id, 0);
	if (state >= 0 && state < ARRAY_SIZE(names))
		return sysfs_emit(buf, "%s\n", names[state]);
	return sysfs_emit(buf, "%s\n", HV_CELL_STATE_INVALID_NAME);
}

static ssize_t cpus_assigned_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	struct hv_cell *cell = container_of(kobj, struct hv_cell, kobj);

	return sysfs_emit(buf, "%*pb\n", cpumask_pr_args(&cell->cpus_assigned));
}

static ssize_t cpus_assigned_list_show(struct kobject *kobj,
				       struct kobj_attribute *attr, char *buf)
{
	struct hv_cell *cell = container_of(kobj, struct hv_cell, kobj);

	return sysfs_emit(buf, "%*pbl\n",
			  cpumask_pr_args(&cell->cpus_assigned));
}

static void cpus_failed(struct hv_cell *cell, cpumask_t *mask)
{
	unsigned int cpu;

	cpumask_clear(mask);
	if (!READ_ONCE(hv_enabled))
		return;
	for_each_cpu(cpu, &cell->cpus_assigned)
		if (hv_hypercall(HV_HC_CPU_GET_INFO, cpu, HV_CPU_INFO_STATE) ==
		    HV_CPU_FAILED)
			cpumask_set_cpu(cpu, mask);
}

static ssize_t cpus_failed_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct hv_cell *cell = container_of(kobj, struct hv_cell, kobj);
	cpumask_t mask;

	cpus_failed(cell, &mask);
	return sysfs_emit(buf, "%*pb\n", cpumask_pr_args(&mask));
}

static ssize_t cpus_failed_list_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	struct hv_cell *cell = container_of(kobj, struct hv_cell, kobj);
	cpumask_t mask;

	cpus_failed(cell, &mask);
	return sysfs_emit(buf, "%*pbl\n", cpumask_pr_args(&mask));
}

static const char *const fault_names[HV_NUM_CPU_FAULTS] = {
#define FAULT_NAME(n, s)	[HV_CPU_FAULT_##n] = s,
	HV_CPU_FAULTS(FAULT_NAME)
#undef FAULT_NAME
};

/*
 * Our extension: "CPU FAULT ADDRESS" for each failed CPU, as hvsim's
 * (hypervisor/arch/sim/PROTOCOL.md). A hypervisor that does not record
 * faults refuses the info type; its CPUs are left out.
 */
static ssize_t failure_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct hv_cell *cell = container_of(kobj, struct hv_cell, kobj);
	unsigned int cpu;
	cpumask_t mask;
	ssize_t len = 0;

	cpus_failed(cell, &mask);
	for_each_cpu(cpu, &mask) {
		long fault, addr;

		fault = hv_hypercall(HV_HC_CPU_GET_INFO, cpu, HV_CPU_INFO_FAULT);
		if (fault < 0 || fault >= HV_NUM_CPU_FAULTS)
			continue;
		if (HV_CPU_FAULT_HAS_ADDR(fault)) {
			addr = hv_hypercall(HV_HC_CPU_GET_INFO, cpu,
					    HV_CPU_INFO_FAULT_ADDR);
			if (addr < 0)
				continue;
			len += sysfs_emit_at(buf, len, "%u %s 0x%lx\n", cpu,
					     fault_names[fault], addr);
		} else {
			len += sysfs_emit_at(buf, len, "%u %s -\n", cpu,
					     fault_names[fault]);
		}
	}
	return len;
}

static ssize_t console_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct hv_cell *cell = container_of(kobj, struct hv_cell, kobj);

	return hv_cell_console_read(cell->id, buf, PAGE_SIZE);
}

static struct kobj_attribute cell_name_attr = __ATTR_RO(name);
static struct kobj_attribute cell_state_attr = __ATTR_RO(state);
static struct kobj_attribute cell_cpus_assigned_attr = __ATTR_RO(cpus_assigned);
static struct kobj_attribute cell_cpus_assigned_list_attr =
	__ATTR_RO(cpus_assigned_list);
static struct kobj_attribute cell_cpus_failed_attr = __ATTR_RO(cpus_failed);
static struct kobj_attribute cell_cpus_failed_list_attr =
	__ATTR_RO(cpus_failed_list);
static struct kobj_attribute cell_failure_attr = __ATTR_RO(failure);
static struct kobj_attribute cell_console_attr =
	__ATTR(console, 0440, console_show, NULL);

static struct attribute *cell_attrs[] = {
	&cell_name_attr.attr,
	&cell_state_attr.attr,
	&cell_cpus_assigned_attr.attr,
	&cell_cpus_assigned_list_attr.attr,
	&cell_cpus_failed_attr.attr,
	&cell_cpus_failed_list_attr.attr,
	&cell_failure_attr.attr,
	&cell_console_attr.attr,
	NULL,
};

static ssize_t config_read(struct file *filp, struct kobject *kobj,
			   struct bin_attribute *attr, char *buf, loff_t off,
			   size_t count)
{
	struct hv_cell *cell = container_of(kobj, struct hv_cell, kobj);

	return memory_read_from_buffer(buf, count, &off, cell->config,
				       cell->config_size);
}

static struct bin_attribute cell_config_attr = {
	.attr = { .name = "config", .mode = 0440 },
	.read = config_read,
};

static struct bin_attribute *cell_bin_attrs[] = { &cell_config_attr, NULL };

static const struct attribute_group cell_group = {
	.attrs = cell_attrs,
	.bin_attrs = cell_bin_attrs,
};
static const struct attribute_group *cell_groups[] = { &cell_group, NULL };

static void cell_kobj_release(struct kobject *kobj)
{
	struct hv_cell *cell = container_of(kobj, struct hv_cell, kobj);

	kfree(cell->config);
	kfree(cell);
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
static void cell_get_ownership(const struct kobject *kobj, kuid_t *uid,
			       kgid_t *gid)
#else
static void cell_get_ownership(struct kobject *kobj, kuid_t *uid, kgid_t *gid)
#endif
{
	*gid = hv_operator_gid;
}

static struct kobj_type cell_ktype = {
	.release = cell_kobj_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = cell_groups,
	.get_ownership = cell_get_ownership,
};

static int add_cpu_kobj(struct hv_cell *cell, unsigned int cpu)
{
	struct hv_cpu_kobj *ck;
	int err;

	ck = kzalloc(sizeof(*ck), GFP_KERNEL);
	if (!ck)
		return -ENOMEM;
	ck->cpu = cpu;
	err = kobject_init_and_add(&ck->kobj, &cpu_stat_ktype,
				   &cell->stats_kobj, "cpu%u", cpu);
	if (err) {
		kobject_put(&ck->kobj);
		return err;
	}
	cell->cpu_kobj[cpu] = &ck->kobj;
	return 0;
}

static void del_cpu_kobjs(struct hv_cell *cell)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!cell->cpu_kobj[cpu])
			continue;
		kobject_del(cell->cpu_kobj[cpu]);
		kobject_put(cell->cpu_kobj[cpu]);
		cell->cpu_kobj[cpu] = NULL;
	}
}

/*
 * Creates cells/<id>/ without a uevent. On failure the cell has been
 * freed through its kobject.
 */
int hv_sysfs_cell_create(struct hv_cell *cell)
{
	unsigned int cpu;
	int err;

	err = kobject_init_and_add(&cell->kobj, &cell_ktype, cells_dir, "%u",
				   cell->id);
	if (err) {
		kobject_put(&cell->kobj);
		return err;
	}
	err = kobject_init_and_add(&cell->stats_kobj, &stats_ktype, &cell->kobj,
				   "statistics");
	/* The statistics directory pins its cell until it is released. */
	kobject_get(&cell->kobj);
	if (err) {
		kobject_put(&cell->stats_kobj);
		kobject_del(&cell->kobj);
		kobject_put(&cell->kobj);
		return err;
	}
	/* Only the root cell starts with CPUs; others receive them moved. */
	if (cell->id == 0) {
		for_each_cpu(cpu, &cell->cpus_assigned) {
			err = add_cpu_kobj(cell, cpu);
			if (err) {
				hv_sysfs_cell_delete(cell);
				return err;
			}
		}
	}
	return 0;
}

void hv_sysfs_cell_register(struct hv_cell *cell)
{
	cell->registered = true;
	kobject_uevent(&cell->kobj, KOBJ_ADD);
}

void hv_sysfs_cell_delete(struct hv_cell *cell)
{
	del_cpu_kobjs(cell);
	kobject_del(&cell->stats_kobj);
	kobject_put(&cell->stats_kobj);
	kobject_del(&cell->kobj);
	kobject_put(&cell->kobj);
}

/* ---- /sys/devices/jailhouse/ ---- */

static ssize_t enabled_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(hv_enabled) ? 1 : 0);
}

static ssize_t info_show(char *buf, unsigned int type)
{
	long v = 0;

	if (READ_ONCE(hv_enabled))
		v = hv_hypercall(HV_HC_HYPERVISOR_GET_INFO, type, 0);
	return sysfs_emit(buf, "%ld\n", v < 0 ? 0 : v);
}

static ssize_t mem_pool_size_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return info_show(buf, HV_INFO_MEM_POOL_SIZE);
}

static ssize_t mem_pool_used_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return info_show(buf, HV_INFO_MEM_POOL_USED);
}

static ssize_t remap_pool_size_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	return info_show(buf, HV_INFO_REMAP_POOL_SIZE);
}

static ssize_t remap_pool_used_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	return info_show(buf, HV_INFO_REMAP_POOL_USED);
}

static ssize_t console_dev_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return hv_console_sysfs_read(buf);
}

static DEVICE_ATTR_RO(enabled);
static DEVICE_ATTR_RO(mem_pool_size);
static DEVICE_ATTR_RO(mem_pool_used);
static DEVICE_ATTR_RO(remap_pool_size);
static DEVICE_ATTR_RO(remap_pool_used);
static struct device_attribute dev_attr_console =
	__ATTR(console, 0444, console_dev_show, NULL);

static struct attribute *root_attrs[] = {
	&dev_attr_enabled.attr,
	&dev_attr_mem_pool_size.attr,
	&dev_attr_mem_pool_used.attr,
	&dev_attr_remap_pool_size.attr,
	&dev_attr_remap_pool_used.attr,
	&dev_attr_console.attr,
	NULL,
};

/*
 * statistics_all (our extension): the report of HV_HC_STATS_READ, every
 * counter of every cell and CPU at the cost of one hypercall. A read at
 * offset 0 takes a new report; reads further on continue in it, since
 * sysfs hands a binary attribute over at most a page per read(). The
 * trailer repeats the header's sequence, so a reader whose pieces come
 * from two reports (another reader started over between them) notices.
 * HV_IOC_STATS_READ hands the whole report over in one call; it has a
 * buffer of its own so it never cuts into an attribute reader's report.
 * The buffers are kmalloc'd, so root cell RAM the hypervisor accepts.
 */
struct hv_stats_snap {
	void *buf;
	size_t size;
	size_t len;
};

static DEFINE_MUTEX(stats_lock);
static struct hv_stats_snap stats_attr_snap;
static struct hv_stats_snap stats_ioc_snap;

/* A report's size is bounded; anything else is the hyp stub answering. */
static bool stats_size_ok(long size)
{
	return size >= (long)HV_STATS_SIZE(0, 0, 0) &&
	       size <= (long)HV_STATS_MAX_SIZE(HV_STATS_MAX_CPUS);
}

static int stats_take(struct hv_stats_snap *snap)
{
	unsigned int attempt;
	long ret;

	snap->len = 0;
	for (attempt = 0; attempt < 3; attempt++) {
		if (!READ_ONCE(hv_enabled))
			return 0;
		if (snap->buf) {
			ret = hv_hypercall(HV_HC_STATS_READ, __pa(snap->buf),
					   snap->size);
			if (ret >= 0 && (size_t)ret <= snap->size &&
			    stats_size_ok(ret)) {
				snap->len = ret;
				return 0;
			}
			if (ret != -E2BIG)
				return ret < 0 ? (int)ret : -EIO;
		}
		/* First use, or more cells and links: ask for the size. */
		ret = hv_hypercall(HV_HC_STATS_READ, 0, 0);
		if (ret < 0)
			return (int)ret;
		if (!stats_size_ok(ret))
			return -EIO;
		kfree(snap->buf);
		/* Room for a few more cells before the next size query. */
		snap->size = PAGE_ALIGN(ret + 4 * sizeof(struct hv_stats_cell));
		snap->buf = kmalloc(snap->size, GFP_KERNEL);
		if (!snap->buf) {
			snap->size = 0;
			return -ENOMEM;
		}
	}
	return -EAGAIN;
}

static ssize_t statistics_all_read(struct file *filp, struct kobject *kobj,
				   struct bin_attribute *attr, char *buf,
				   loff_t off, size_t count)
{
	ssize_t ret = 0;

	mutex_lock(&stats_lock);
	if (off == 0)
		ret = stats_take(&stats_attr_snap);
	if (!ret)
		ret = memory_read_from_buffer(buf, count, &off,
					      stats_attr_snap.buf,
					      stats_attr_snap.len);
	mutex_unlock(&stats_lock);
	return ret;
}

/*
 * HV_IOC_STATS_READ (include/hvabi/ioctl.h): one hypercall, one copy of
 * the whole report. A buffer too small gets -ENOSPC and the size needed;
 * the report taken for it is dropped (the next call takes a new one).
 */
long hv_cmd_stats_read(void __user *arg)
{
	struct hv_ioc_stats_read __user *uarg = arg;
	struct hv_ioc_stats_read req;
	long ret;
	u64 len;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (req.version != HV_IOC_STATS_READ_VERSION || req.flags)
		return -EINVAL;
	ret = mutex_lock_interruptible(&stats_lock);
	if (ret)
		return ret;
	ret = stats_take(&stats_ioc_snap);
	if (ret)
		goto out;
	len = stats_ioc_snap.len;
	if (put_user(len, &uarg->needed)) {
		ret = -EFAULT;
		goto out;
	}
	if (req.size < len) {
		ret = -ENOSPC;
		goto out;
	}
	if (len && copy_to_user(u64_to_user_ptr(req.buffer),
				stats_ioc_snap.buf, len)) {
		ret = -EFAULT;
		goto out;
	}
	ret = len;
out:
	mutex_unlock(&stats_lock);
	return ret;
}

static struct bin_attribute statistics_all_attr = {
	.attr = { .name = "statistics_all", .mode = 0444 },
	.read = statistics_all_read,
};

static struct bin_attribute *root_bin_attrs[] = {
	&statistics_all_attr,
	NULL,
};

static const struct attribute_group root_group = {
	.attrs = root_attrs,
	.bin_attrs = root_bin_attrs,
};

static ssize_t core_read(struct file *filp, struct kobject *kobj,
			 struct bin_attribute *attr, char *buf, loff_t off,
			 size_t count)
{
	ssize_t ret = 0;

	/* The whole copy under the lock: disable unmaps hv_mem. */
	down_read(&hv_mem_lock);
	if (hv_mem) {
		hv_test_read_delay();
		ret = memory_read_from_buffer(buf, count, &off, hv_mem,
					      attr->size);
	}
	up_read(&hv_mem_lock);
	return ret;
}

static struct bin_attribute core_attr = {
	.attr = { .name = "core", .mode = 0400 },
	.read = core_read,
};
static bool core_created;

int hv_sysfs_core_create(struct device *dev, size_t size)
{
	hv_sysfs_core_delete(dev);
	core_attr.size = size;
	if (sysfs_create_bin_file(&dev->kobj, &core_attr))
		return -ENOMEM;
	core_created = true;
	return 0;
}

void hv_sysfs_core_delete(struct device *dev)
{
	if (core_created)
		sysfs_remove_bin_file(&dev->kobj, &core_attr);
	core_created = false;
}

int hv_sysfs_init(struct device *dev)
{
	unsigned int i;
	int err;

	for (i = 0; i < HV_NUM_CPU_STATS; i++) {
		cpu_stat_attrs[i].attr.name = stat_names[i];
		cpu_stat_attrs[i].attr.mode = 0444;
		cpu_stat_attrs[i].index = i;
		cpu_stat_attr_list[i] = &cpu_stat_attrs[i].attr;
		total_stat_attrs[i] = cpu_stat_attrs[i];
		total_stat_attr_list[i] = &total_stat_attrs[i].attr;
	}
	err = sysfs_create_group(&dev->kobj, &root_group);
	if (err)
		return err;
	cells_dir = kobject_create_and_add("cells", &dev->kobj);
	if (!cells_dir) {
		sysfs_remove_group(&dev->kobj, &root_group);
		return -ENOMEM;
	}
	return 0;
}

void hv_sysfs_exit(struct device *dev)
{
	kobject_put(cells_dir);
	sysfs_remove_group(&dev->kobj, &root_group);
	kfree(stats_attr_snap.buf);
	stats_attr_snap.buf = NULL;
	kfree(stats_ioc_snap.buf);
	stats_ioc_snap.buf = NULL;
}
