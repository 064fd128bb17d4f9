// SPDX-License-Identifier: GPL-2.0
/*
 * hvdrv cells: the root cell registered at enable, and the
 * CELL_CREATE/LOAD/START/DESTROY ioctls (Jailhouse semantics and errnos).
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/cacheflush.h>

#include "hvdrv.h"

LIST_HEAD(hv_cells);
struct hv_cell *hv_root_cell;

/*
 * CPUs reserved for a cell, from before create offlines them until the
 * create fails or the cell is destroyed, with the id of the cell each
 * belongs to. Create holds hv_lock around remove_cpu(), which runs the
 * hotplug callbacks under the hotplug lock: the callback therefore reads
 * these without any lock of ours (the mask's bit operations are atomic).
 */
static cpumask_t hv_reserved_cpus;
static unsigned int hv_cpu_owner[NR_CPUS];
static int hv_cpuhp_state = -1;

/*
 * A prepare-stage state runs on the controlling CPU before the CPU is
 * started at all, and its failure rolls the bring-up back (Linux 5.10 and
 * 6.1 alike): a reserved CPU never runs Linux code again while a cell may
 * own it, and the PSCI CPU_ON never reaches the hypervisor.
 */
static int hv_cpu_prepare(unsigned int cpu)
{
	if (!cpumask_test_cpu(cpu, &hv_reserved_cpus))
		return 0;
	pr_warn(HVDRV_NAME ": CPU %u belongs to cell %u: it stays offline until the cell is destroyed\n",
		cpu, READ_ONCE(hv_cpu_owner[cpu]));
	return -EBUSY;
}

int hv_cell_hotplug_init(void)
{
	int ret;

	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "hvdrv:reserve",
					hv_cpu_prepare, NULL);
	if (ret < 0) {
		pr_err(HVDRV_NAME ": cannot register a CPU hotplug state (%d)\n",
		       ret);
		return ret;
	}
	hv_cpuhp_state = ret;
	return 0;
}

void hv_cell_hotplug_exit(void)
{
	if (hv_cpuhp_state >= 0)
		cpuhp_remove_state_nocalls(hv_cpuhp_state);
	hv_cpuhp_state = -1;
}

static void cell_reserve_cpus(const struct hv_cell *cell)
{
	unsigned int cpu;

	for_each_cpu(cpu, &cell->cpus_assigned) {
		WRITE_ONCE(hv_cpu_owner[cpu], cell->id);
		cpumask_set_cpu(cpu, &hv_reserved_cpus);
	}
}

static struct hv_cell *cell_alloc(const struct hv_cell_desc *desc,
				  const void *config, size_t config_size)
{
	const u8 *cpu_set = (const u8 *)(desc + 1);
	struct hv_cell *cell;
	unsigned int cpu;

	cell = kzalloc(sizeof(*cell), GFP_KERNEL);
	if (!cell)
		return NULL;
	cell->config = kmemdup(config, config_size, GFP_KERNEL);
	if (!cell->config) {
		kfree(cell);
		return NULL;
	}
	cell->config_size = config_size;
	memcpy(cell->name, desc->name, HV_CELL_NAME_MAXLEN);
	cell->name[HV_CELL_NAME_MAXLEN] = 0;
	cpumask_clear(&cell->cpus_assigned);
	for (cpu = 0; cpu < desc->cpu_set_size * 8 && cpu < nr_cpu_ids; cpu++)
		if (cpu_set[cpu / 8] & (1u << (cpu % 8)))
			cpumask_set_cpu(cpu, &cell->cpus_assigned);
	/* The memory regions follow the CPU set in the descriptor's arrays. */
	cell->num_memory_regions = desc->num_memory_regions;
	cell->memory_regions = (struct hv_memory *)((u8 *)cell->config +
		((const u8 *)(cpu_set + desc->cpu_set_size) -
		 (const u8 *)config));
	INIT_LIST_HEAD(&cell->entry);
	return cell;
}

static void cell_free(struct hv_cell *cell)
{
	kfree(cell->config);
	kfree(cell);
}

int hv_cell_create_root(const struct hv_system *sys)
{
	struct hv_cell *cell;
	unsigned int cpu;
	int err;

	cell = cell_alloc(&sys->root_cell, sys, hv_system_config_size(sys));
	if (!cell)
		return -ENOMEM;
	cell->id = 0;
	/* Linux's CPUs beyond the set cannot be online (checked by enable). */
	for_each_cpu(cpu, &cell->cpus_assigned)
		if (cpu >= nr_cpu_ids)
			cpumask_clear_cpu(cpu, &cell->cpus_assigned);
	err = hv_sysfs_cell_create(cell);
	if (err)
		return err;	/* the cell is gone with its kobject */
	list_add_tail(&cell->entry, &hv_cells);
	hv_root_cell = cell;
	hv_sysfs_cell_register(cell);
	return 0;
}

void hv_cell_delete_root(void)
{
	if (!hv_root_cell)
		return;
	list_del(&hv_root_cell->entry);
	/* sysfs release frees the cell. */
	hv_sysfs_cell_delete(hv_root_cell);
	hv_root_cell = NULL;
}

static struct hv_cell *find_cell(const struct hv_ioc_cell_id *id)
{
	struct hv_cell *cell;

	list_for_each_entry(cell, &hv_cells, entry)
		if ((id->id >= 0 && cell->id == (unsigned int)id->id) ||
		    (id->id == HV_CELL_ID_UNUSED &&
		     strcmp(cell->name, id->name) == 0))
			return cell;
	return NULL;
}

static unsigned int free_cell_id(void)
{
	struct hv_cell *cell;
	unsigned int id = 0;

again:
	list_for_each_entry(cell, &hv_cells, entry)
		if (cell->id == id) {
			id++;
			goto again;
		}
	return id;
}

/* Before the cell's CPUs leave its mask: Linux may online them again. */
static void cell_unreserve_cpus(const struct hv_cell *cell)
{
	unsigned int cpu;

	for_each_cpu(cpu, &cell->cpus_assigned)
		cpumask_clear_cpu(cpu, &hv_reserved_cpus);
}

static void cell_online_cpus(struct hv_cell *cell)
{
	unsigned int cpu;

	for_each_cpu(cpu, &cell->cpus_offlined)
		if (add_cpu(cpu))
			pr_err(HVDRV_NAME ": cannot bring CPU %u back online\n",
			       cpu);
	cpumask_clear(&cell->cpus_offlined);
}

static void move_cpus(struct hv_cell *from, struct hv_cell *to,
		      const cpumask_t *cpus)
{
	unsigned int cpu;

	for_each_cpu(cpu, cpus) {
		cpumask_clear_cpu(cpu, &from->cpus_assigned);
		cpumask_set_cpu(cpu, &to->cpus_assigned);
		if (from->cpu_kobj[cpu] &&
		    !kobject_move(from->cpu_kobj[cpu], &to->stats_kobj)) {
			to->cpu_kobj[cpu] = from->cpu_kobj[cpu];
			from->cpu_kobj[cpu] = NULL;
		}
	}
}

int hv_cmd_cell_create(void __user *arg)
{
	struct hv_ioc_cell_create req;
	struct hv_cell_desc *desc;
	struct hv_cell *cell, *c;
	unsigned int cpu;
	void *config;
	long ret;
	int err;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.config_size < sizeof(struct hv_cell_desc))
		return -EINVAL;
	if (req.config_size > HV_CELL_CONFIG_MAX_PAGES * HV_PAGE_SIZE)
		return -E2BIG;
	config = kmalloc(req.config_size, GFP_KERNEL);
	if (!config)
		return -ENOMEM;
	if (copy_from_user(config, u64_to_user_ptr(req.config_address),
			   req.config_size)) {
		err = -EFAULT;
		goto out_free;
	}
	desc = config;
	if (memcmp(desc->signature, HV_CELL_SIGNATURE, HV_SIGNATURE_LEN) ||
	    desc->revision != HV_CONFIG_REVISION ||
	    desc->architecture != HV_ARCH_ARM64 ||
	    desc->cpu_set_size > HV_CPU_SET_MAX_SIZE ||
	    hv_cell_config_size(desc) > req.config_size) {
		pr_err(HVDRV_NAME ": cell create: not a valid arm64 cell configuration (revision %u)\n",
		       HV_CONFIG_REVISION);
		err = -EINVAL;
		goto out_free;
	}
	desc->name[HV_CELL_NAME_MAXLEN] = 0;
	if (desc->flags & HV_CELL_VIRTUAL_CONSOLE_ACTIVE)
		desc->flags |= HV_CELL_VIRTUAL_CONSOLE_PERMITTED;

	err = mutex_lock_interruptible(&hv_lock);
	if (err)
		goto out_free;
	if (!hv_enabled) {
		err = -EINVAL;
		goto out_unlock;
	}
	list_for_each_entry(c, &hv_cells, entry)
		if (strcmp(c->name, desc->name) == 0) {
			err = -EEXIST;
			goto out_unlock;
		}
	desc->id = free_cell_id();
	cell = cell_alloc(desc, config, req.config_size);
	if (!cell) {
		err = -ENOMEM;
		goto out_unlock;
	}
	cell->id = desc->id;
	if (cpumask_empty(&cell->cpus_assigned) ||
	    !cpumask_subset(&cell->cpus_assigned, &hv_root_cell->cpus_assigned)) {
		err = -EBUSY;
		goto out_cell;
	}
	err = hv_sysfs_cell_create(cell);
	if (err)
		goto out_unlock;	/* freed with its kobject */

	/* Reserved first: nothing may online them once they are down. */
	cpumask_clear(&cell->cpus_offlined);
	cell_reserve_cpus(cell);
	for_each_cpu(cpu, &cell->cpus_assigned) {
		if (!cpu_online(cpu))
			continue;
		err = remove_cpu(cpu);
		if (err)
			goto out_online;
		cpumask_set_cpu(cpu, &cell->cpus_offlined);
	}
	hv_test_create_delay();

	/* The hypervisor reads the config by physical address. */
	ret = hv_hypercall(HV_HC_CELL_CREATE, __pa(cell->config), 0);
	if (ret < 0) {
		err = ret;
		goto out_online;
	}
	move_cpus(hv_root_cell, cell, &cell->cpus_assigned);
	list_add_tail(&cell->entry, &hv_cells);
	hv_sysfs_cell_register(cell);
	mutex_unlock(&hv_lock);
	kfree(config);
	pr_info(HVDRV_NAME ": Created cell \"%s\"\n", cell->name);
	return 0;

out_online:
	cell_unreserve_cpus(cell);
	cell_online_cpus(cell);
	hv_sysfs_cell_delete(cell);
	goto out_unlock;
out_cell:
	cell_free(cell);
out_unlock:
	mutex_unlock(&hv_lock);
out_free:
	kfree(config);
	return err;
}

static int lookup_locked(void __user *arg, struct hv_cell **cell)
{
	struct hv_ioc_cell_id id;
	int err;

	if (copy_from_user(&id, arg, sizeof(id)))
		return -EFAULT;
	id.name[HV_CELL_ID_NAMELEN] = 0;
	err = mutex_lock_interruptible(&hv_lock);
	if (err)
		return err;
	if (!hv_enabled) {
		mutex_unlock(&hv_lock);
		return -EINVAL;
	}
	*cell = find_cell(&id);
	if (!*cell) {
		mutex_unlock(&hv_lock);
		return -ENOENT;
	}
	return 0;
}

/*
 * EPERM from a stop, start or destroy: another cell holds the
 * configuration lock, or this cell refused its shutdown request. The log
 * names the cell that said no (hvctl tells the operator the same).
 */
static void report_eperm(const struct hv_cell *cell, const char *what)
{
	const struct hv_cell *c;

	list_for_each_entry(c, &hv_cells, entry)
		if (c != cell && c != hv_root_cell &&
		    hv_hypercall(HV_HC_CELL_GET_STATE, c->id, 0) ==
		    HV_CELL_RUNNING_LOCKED) {
			pr_err(HVDRV_NAME ": cell %s \"%s\": cell '%s' has locked the configuration\n",
			       what, cell->name, c->name);
			return;
		}
	pr_err(HVDRV_NAME ": cell %s \"%s\": cell '%s' refused shutdown\n",
	       what, cell->name, cell->name);
}

/* Loads per request: far above what any loader sends. */
#define HV_MAX_PRELOAD_IMAGES	1024

/*
 * The region an image goes to, or an error: the target lies in one of the
 * cell's regions, the image does not cross its end, and the region is
 * WRITE and LOADABLE and not the comm region (the hypervisor's page).
 */
static int image_region(const struct hv_cell *cell,
			const struct hv_ioc_preload_image *img,
			const struct hv_memory **region)
{
	const struct hv_memory *mem = NULL;
	unsigned int n;

	for (n = 0; n < cell->num_memory_regions; n++) {
		const struct hv_memory *m = &cell->memory_regions[n];

		if (img->target_address >= m->virt_start &&
		    img->target_address - m->virt_start < m->size) {
			mem = m;
			break;
		}
	}
	if (!mem || img->size > mem->size - (img->target_address -
					       mem->virt_start))
		return -EINVAL;
	if (mem->flags & HV_MEM_COMM_REGION)
		return -EINVAL;
	if ((mem->flags & (HV_MEM_WRITE | HV_MEM_LOADABLE)) !=
	    (HV_MEM_WRITE | HV_MEM_LOADABLE))
		return -EINVAL;
	if (!access_ok(u64_to_user_ptr(img->source_address), img->size))
		return -EFAULT;
	*region = mem;
	return 0;
}

static int load_image(const struct hv_memory *mem,
		      const struct hv_ioc_preload_image *img)
{
	unsigned long off, map_start, map_size;
	void *map;
	int err = 0;

	off = img->target_address - mem->virt_start;
	map_start = round_down(mem->phys_start + off, PAGE_SIZE);
	map_size = round_up(mem->phys_start + off + img->size, PAGE_SIZE) -
		   map_start;
	map = memremap(map_start, map_size, MEMREMAP_WB);
	if (!map)
		return -EBUSY;
	if (copy_from_user(map + (mem->phys_start + off - map_start),
			   u64_to_user_ptr(img->source_address), img->size))
		err = -EFAULT;
	/* The cell starts with its caches off: push the image to the PoC. */
	hv_clean_inval_pou(map, map_size);
	hv_flush_dcache(map, map_size);
	memunmap(map);
	return err;
}

/*
 * Every image is checked before SET_LOADABLE stops the cell (upstream's
 * driver checks each only after): a refused load leaves the cell running.
 * The image list is copied once, so what was checked is what is loaded.
 */
int hv_cmd_cell_load(void __user *arg)
{
	struct hv_ioc_cell_load __user *uload = arg;
	struct hv_ioc_preload_image *imgs = NULL;
	const struct hv_memory **regions = NULL;
	struct hv_ioc_cell_load load;
	struct hv_cell *cell;
	unsigned int n;
	long ret;
	int err;

	if (copy_from_user(&load, uload, sizeof(load)))
		return -EFAULT;
	if (load.num_preload_images > HV_MAX_PRELOAD_IMAGES) {
		pr_err(HVDRV_NAME ": cell load: %u images, at most %u\n",
		       load.num_preload_images, HV_MAX_PRELOAD_IMAGES);
		return -EINVAL;
	}
	if (load.num_preload_images) {
		imgs = kvmalloc_array(load.num_preload_images, sizeof(*imgs),
				      GFP_KERNEL);
		regions = kvmalloc_array(load.num_preload_images,
					 sizeof(*regions), GFP_KERNEL);
		if (!imgs || !regions) {
			err = -ENOMEM;
			goto out_free;
		}
		if (copy_from_user(imgs, uload->image,
				   load.num_preload_images * sizeof(*imgs))) {
			err = -EFAULT;
			goto out_free;
		}
	}
	err = lookup_locked(arg, &cell);
	if (err)
		goto out_free;
	for (n = 0; n < load.num_preload_images; n++) {
		if (imgs[n].size == 0)
			continue;
		err = image_region(cell, &imgs[n], &regions[n]);
		if (err) {
			pr_err(HVDRV_NAME ": cell load: image %u (target 0x%llx, %llu bytes) does not fit a loadable region of \"%s\"; the cell was not stopped\n",
			       n, imgs[n].target_address, imgs[n].size,
			       cell->name);
			goto out;
		}
	}
	ret = hv_hypercall(HV_HC_CELL_SET_LOADABLE, cell->id, 0);
	if (ret < 0) {
		if (ret == -EPERM)
			report_eperm(cell, load.num_preload_images ?
				     "load" : "stop");
		err = ret;
		goto out;
	}
	for (n = 0; n < load.num_preload_images; n++) {
		if (imgs[n].size == 0)
			continue;
		err = load_image(regions[n], &imgs[n]);
		if (err)
			goto out;
	}
	if (load.num_preload_images)
		pr_info(HVDRV_NAME ": Cell \"%s\" loaded\n", cell->name);
out:
	mutex_unlock(&hv_lock);
out_free:
	kvfree(imgs);
	kvfree(regions);
	return err;
}

int hv_cmd_cell_start(void __user *arg)
{
	struct hv_cell *cell;
	long ret;
	int err;

	err = lookup_locked(arg, &cell);
	if (err)
		return err;
	ret = hv_hypercall(HV_HC_CELL_START, cell->id, 0);
	if (ret == -EPERM)
		report_eperm(cell, "start");
	if (ret < 0)
		err = ret;
	else
		pr_info(HVDRV_NAME ": Started cell \"%s\"\n", cell->name);
	mutex_unlock(&hv_lock);
	return err;
}

static int cell_destroy(struct hv_cell *cell)
{
	long ret;

	ret = hv_hypercall(HV_HC_CELL_DESTROY, cell->id, 0);
	if (ret == -EPERM)
		report_eperm(cell, "destroy");
	if (ret < 0)
		return ret;
	cell_unreserve_cpus(cell);
	move_cpus(cell, hv_root_cell, &cell->cpus_assigned);
	cell_online_cpus(cell);
	list_del(&cell->entry);
	pr_info(HVDRV_NAME ": Destroyed cell \"%s\"\n", cell->name);
	hv_sysfs_cell_delete(cell);
	return 0;
}

int hv_cmd_cell_destroy(void __user *arg)
{
	struct hv_cell *cell;
	int err;

	err = lookup_locked(arg, &cell);
	if (err)
		return err;
	err = cell == hv_root_cell ? -EINVAL : cell_destroy(cell);
	mutex_unlock(&hv_lock);
	return err;
}

int hv_cells_destroy_non_root(void)
{
	struct hv_cell *cell, *tmp;
	int err;

	list_for_each_entry_safe(cell, tmp, &hv_cells, entry) {
		if (cell == hv_root_cell)
			continue;
		err = cell_destroy(cell);
		if (err)
			return err;
	}
	return 0;
}
