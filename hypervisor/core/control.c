// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercall dispatch, cell management with the comm-region handshake, CPU
 * events, failures and PSCI.
 */
#include <hv/arch.h>
#include <hv/cell.h>
#include <hv/control.h>
#include <hv/errno.h>
#include <hv/ivshmem.h>
#include <hv/lib.h>
#include <hv/percpu.h>
#include <hv/pool.h>
#include <hv/printk.h>
#include <hv/stats.h>

enum msg_type { MSG_REQUEST, MSG_INFORMATION };

static char error_text[256];

const char *hv_error(void)
{
	return error_text;
}

void hv_set_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(error_text, sizeof(error_text), fmt, ap);
	va_end(ap);
}

void hv_clear_error(void)
{
	error_text[0] = 0;
}

static bool state_is_terminal(uint32_t state)
{
	return state == HV_CELL_SHUT_DOWN || state == HV_CELL_FAILED ||
	       state == HV_CELL_FAILED_COMM_REV;
}

/* Parks every CPU of the cell that still runs. */
static void cell_suspend(struct cell *cell)
{
	unsigned int cpu;

	for_each_cpu_id(cpu) {
		struct per_cpu *pc;

		if (!test_bit(cpu, cell->cpu_set))
			continue;
		pc = per_cpu(cpu);
		if (pc->parked)
			continue;
		pc->park_requested = true;
		arch_send_event(pc);
	}
}

/*
 * Sends a message through the comm region and waits for the answer.
 * Returns true when the cell agreed (or cannot answer any more).
 */
static bool cell_send_message(struct cell *cell, uint32_t msg,
			      enum msg_type type)
{
	volatile struct hv_comm_region_arm64 *comm =
		&cell->comm_page->comm_region;
	uint64_t timeout = cell->config->msg_reply_timeout;

	if (cell->config->flags & HV_CELL_PASSIVE_COMMREG)
		return true;
	comm->reply_from_cell = HV_MSG_REPLY_NONE;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	comm->msg_to_cell = msg;

	for (;;) {
		uint32_t reply = comm->reply_from_cell;
		uint32_t state = comm->cell_state;

		if (state == HV_CELL_SHUT_DOWN || state == HV_CELL_FAILED)
			return true;
		if ((type == MSG_REQUEST && reply == HV_MSG_REQUEST_APPROVED) ||
		    (type == MSG_INFORMATION && reply == HV_MSG_RECEIVED))
			return true;
		if (reply != HV_MSG_REPLY_NONE)
			return false;
		if (timeout) {
			uint64_t used = arch_comm_wait(cell, timeout);

			timeout = used >= timeout ? 0 : timeout - used;
			if (!timeout) {
				printk("Cell \"%s\" did not answer in time, stopping it\n",
				       cell->config->name);
				cell_suspend(cell);
				comm->cell_state = HV_CELL_FAILED;
				return true;
			}
		} else {
			arch_comm_wait(cell, 0);
		}
	}
}

/*
 * A refusal is the cell's right; the operator learns which cell said no
 * from the console and from the error text, and the cell runs on.
 */
static bool cell_shutdown_ok(struct cell *cell)
{
	if (state_is_terminal(cell_get_state(cell)))
		return true;
	if (cell_send_message(cell, HV_MSG_SHUTDOWN_REQUEST, MSG_REQUEST))
		return true;
	printk("Cell '%s' refused shutdown\n", cell->config->name);
	hv_set_error("cell '%s' refused shutdown", cell->config->name);
	return false;
}

/* No other cell holds the configuration lock (running/locked). */
static bool cell_reconfig_ok(const struct cell *excluded)
{
	struct cell *cell;

	for_each_non_root_cell(cell)
		if (cell != excluded &&
		    cell_get_state(cell) == HV_CELL_RUNNING_LOCKED) {
			hv_set_error("cell \"%s\" has locked the configuration",
				     cell->config->name);
			return false;
		}
	return true;
}

static void cell_reconfig_completed(void)
{
	struct cell *cell;

	for_each_non_root_cell(cell) {
		uint32_t state = cell_get_state(cell);

		if (state == HV_CELL_RUNNING || state == HV_CELL_RUNNING_LOCKED)
			cell_send_message(cell, HV_MSG_RECONFIG_COMPLETED,
					  MSG_INFORMATION);
	}
}

static int cell_management_prologue(struct per_cpu *caller, uint64_t id,
				    struct cell **out)
{
	struct cell *cell;

	if (caller->cell != &root_cell) {
		hv_set_error("only the root cell may manage cells");
		return -EPERM;
	}
	cell = id > 0xffffffffULL ? NULL : cell_find((unsigned int)id);
	if (!cell) {
		hv_set_error("no cell with id %llu", (unsigned long long)id);
		return -ENOENT;
	}
	if (cell == &root_cell) {
		hv_set_error("the root cell cannot be managed");
		return -EINVAL;
	}
	if (!cell_reconfig_ok(cell))
		return -EPERM;
	if (!cell_shutdown_ok(cell))
		return -EPERM;
	cell_suspend(cell);
	*out = cell;
	return 0;
}

/* Copies from root's guest-physical memory, page by page through stage 2. */
static int copy_from_root(void *dst, uint64_t gpa, uint64_t len)
{
	uint8_t *d = dst;

	while (len) {
		uint64_t chunk = PAGE_SIZE - (gpa & PAGE_OFFS_MASK);
		struct paging_result res;

		if (chunk > len)
			chunk = len;
		if (!paging_translate(&root_cell.stage2, gpa, &res) ||
		    !(res.flags & HV_MEM_READ) ||
		    arch_phys_read(d, res.phys, chunk))
			return -EINVAL;
		d += chunk;
		gpa += chunk;
		len -= chunk;
	}
	return 0;
}

static int64_t hc_cell_create(struct per_cpu *caller, uint64_t config_gpa)
{
	struct hv_cell_desc header, *cfg;
	unsigned long cfg_pages, remap_pages;
	uint64_t cfg_size;
	struct cell *cell;
	void *window;
	int err;

	if (caller->cell != &root_cell) {
		hv_set_error("only the root cell may create cells");
		return -EPERM;
	}
	if (!cell_reconfig_ok(NULL))
		return -EPERM;
	if (copy_from_root(&header, config_gpa, sizeof(header))) {
		hv_set_error("the config at 0x%llx is not in root cell memory",
			     (unsigned long long)config_gpa);
		return -EINVAL;
	}
	cfg_size = hv_cell_config_size(&header);
	if ((config_gpa & PAGE_OFFS_MASK) + cfg_size >
	    HV_CELL_CONFIG_MAX_PAGES * PAGE_SIZE) {
		hv_set_error("the config (%llu bytes) exceeds %u pages",
			     (unsigned long long)cfg_size,
			     HV_CELL_CONFIG_MAX_PAGES);
		return -E2BIG;
	}
	/* The config is read through a temporary hypervisor mapping. */
	remap_pages = PAGES((config_gpa & PAGE_OFFS_MASK) + cfg_size);
	window = page_alloc(&remap_pool, remap_pages);
	cfg_pages = PAGES(cfg_size);
	cfg = page_alloc(&mem_pool, cfg_pages);
	if (!window || !cfg) {
		page_free(&remap_pool, window, remap_pages);
		page_free(&mem_pool, cfg, cfg_pages);
		hv_set_error("hypervisor memory pool exhausted");
		return -ENOMEM;
	}
	err = copy_from_root(cfg, config_gpa, cfg_size);
	page_free(&remap_pool, window, remap_pages);
	if (err) {
		page_free(&mem_pool, cfg, cfg_pages);
		hv_set_error("the config at 0x%llx is not in root cell memory",
			     (unsigned long long)config_gpa);
		return -EINVAL;
	}
	err = cell_check_config(cfg, cfg_size, caller);
	if (err) {
		page_free(&mem_pool, cfg, cfg_pages);
		return err;
	}
	err = cell_create_from(cfg, cfg_pages, &cell);
	if (err)
		return err;
	printk("Created cell \"%s\" (id %u); pool use: mem %lu/%lu, remap %lu/%lu pages\n",
	       cell->config->name, cell->id, mem_pool.used, mem_pool.pages,
	       remap_pool.used, remap_pool.pages);
	cell_reconfig_completed();
	return cell->id;
}

/*
 * The cell as a start leaves it: a fresh comm region, its ivshmem links
 * reset, and every CPU reset, the first to the cell's entry and the others
 * waiting for PSCI CPU_ON. A CPU of the cell that resets the cell itself
 * (`self`) gets its flags only: it resets itself afterwards.
 */
void cell_restart(struct cell *cell, struct per_cpu *self)
{
	volatile struct hv_comm_region_arm64 *comm;
	const struct hv_system *sys = hv_sys;
	unsigned int cpu;
	int first;

	comm = &cell->comm_page->comm_region;
	hv_memset(cell->comm_page, 0, sizeof(*cell->comm_page));
	hv_memcpy((void *)comm->signature, HV_COMM_REGION_MAGIC,
		  HV_COMM_REGION_MAGIC_LEN);
	comm->revision = HV_COMM_REGION_ABI_REVISION;
	comm->cell_state = HV_CELL_RUNNING;
	comm->msg_to_cell = HV_MSG_NONE;
	comm->reply_from_cell = HV_MSG_REPLY_NONE;
	if (cell->config->flags & HV_CELL_VIRTUAL_CONSOLE_PERMITTED)
		comm->flags |= HV_COMM_FLAG_DBG_PUTC_PERMITTED;
	if (cell->config->flags & HV_CELL_VIRTUAL_CONSOLE_ACTIVE)
		comm->flags |= HV_COMM_FLAG_DBG_PUTC_ACTIVE;
	hv_memcpy((void *)&comm->console, &cell->config->console,
		  sizeof(struct hv_console));
	comm->pci_mmconfig_base = sys->platform_info.pci_mmconfig_base;
	comm->gic_version = sys->platform_info.arm.gic_version;
	comm->gicd_base = sys->platform_info.arm.gicd_base;
	comm->gicc_base = sys->platform_info.arm.gicc_base;
	comm->gicr_base = sys->platform_info.arm.gicr_base;
	comm->vpci_irq_base = cell->config->vpci_irq_base;

	ivshmem_reset_cell(cell);
	first = cell_first_cpu(cell);
	for_each_cpu_id(cpu) {
		struct per_cpu *pc;

		if (!test_bit(cpu, cell->cpu_set))
			continue;
		pc = per_cpu(cpu);
		pc->failed = false;
		pc->wait_for_poweron = (int)cpu != first;
		pc->cpu_on_entry = 0;
		pc->cpu_on_context = 0;
		if (pc == self)
			continue;
		pc->reset_requested = true;
		arch_send_event(pc);
	}
}

static int64_t hc_cell_start(struct per_cpu *caller, uint64_t id)
{
	struct cell *cell;
	int err;

	err = cell_management_prologue(caller, id, &cell);
	if (err)
		return err;
	if (cell->loadable) {
		err = cell_set_loadable(cell, false);
		if (err)
			return err;
	}
	cell_restart(cell, NULL);
	arch_config_commit(cell);
	printk("Started cell \"%s\"\n", cell->config->name);
	return 0;
}

static int64_t hc_cell_set_loadable(struct per_cpu *caller, uint64_t id)
{
	struct cell *cell;
	unsigned int cpu;
	int err;

	err = cell_management_prologue(caller, id, &cell);
	if (err)
		return err;
	for_each_cpu_id(cpu)
		if (test_bit(cpu, cell->cpu_set))
			per_cpu(cpu)->failed = false;
	if (cell->loadable)
		return 0;
	cell_set_state(cell, HV_CELL_SHUT_DOWN);
	/* A peer that stopped has left its links: state 0, others told. */
	ivshmem_reset_cell(cell);
	err = cell_set_loadable(cell, true);
	if (err)
		return err;
	printk("Cell \"%s\" can be loaded\n", cell->config->name);
	return 0;
}

static int64_t hc_cell_destroy(struct per_cpu *caller, uint64_t id)
{
	struct cell *cell;
	char name[HV_CELL_NAME_MAXLEN + 1];
	int err;

	err = cell_management_prologue(caller, id, &cell);
	if (err)
		return err;
	hv_strlcpy(name, cell->config->name, sizeof(name));
	cell_destroy(cell);
	printk("Closed cell \"%s\"; pool use: mem %lu/%lu, remap %lu/%lu pages\n",
	       name, mem_pool.used, mem_pool.pages, remap_pool.used,
	       remap_pool.pages);
	cell_reconfig_completed();
	return 0;
}

static int64_t hc_disable(struct per_cpu *caller)
{
	unsigned int cpu;

	if (caller->cell != &root_cell) {
		hv_set_error("only the root cell may disable the hypervisor");
		return -EPERM;
	}
	if (num_cells > 1) {
		hv_set_error("non-root cells exist");
		return -EBUSY;
	}
	caller->shutdown_called = true;
	for_each_cpu_id(cpu)
		if (cell_owns_cpu(&root_cell, cpu) &&
		    per_cpu(cpu)->online && !per_cpu(cpu)->shutdown_called)
			return 0;	/* the others still have to call */
	printk("Shutting down hypervisor\n");
	arch_shutdown();
	for_each_cpu_id(cpu)
		per_cpu(cpu)->shutdown_called = false;
	hv_teardown();
	return 0;
}

static int64_t hc_get_info(uint64_t type)
{
	switch (type) {
	case HV_INFO_MEM_POOL_SIZE:
		return (int64_t)mem_pool.pages;
	case HV_INFO_MEM_POOL_USED:
		return (int64_t)mem_pool.used;
	case HV_INFO_REMAP_POOL_SIZE:
		return (int64_t)remap_pool.pages;
	case HV_INFO_REMAP_POOL_USED:
		return (int64_t)remap_pool.used;
	case HV_INFO_NUM_CELLS:
		return num_cells;
	default:
		hv_set_error("unknown information type %llu",
			     (unsigned long long)type);
		return -EINVAL;
	}
}

static int64_t hc_cell_get_state(struct per_cpu *caller, uint64_t id)
{
	struct cell *cell;
	uint32_t state;

	if (caller->cell != &root_cell) {
		hv_set_error("only the root cell may query cell states");
		return -EPERM;
	}
	cell = id > 0xffffffffULL ? NULL : cell_find((unsigned int)id);
	if (!cell) {
		hv_set_error("no cell with id %llu", (unsigned long long)id);
		return -ENOENT;
	}
	state = cell_get_state(cell);
	if (state > HV_CELL_FAILED_COMM_REV) {
		hv_set_error("cell \"%s\" reports an invalid state %u",
			     cell->config->name, state);
		return -EINVAL;
	}
	return state;
}

static int64_t hc_cpu_get_info(struct per_cpu *caller, uint64_t cpu_id,
			       uint64_t type)
{
	struct per_cpu *pc;

	if (cpu_id >= hv_max_cpus || !per_cpu((unsigned int)cpu_id)->online) {
		hv_set_error("no CPU %llu", (unsigned long long)cpu_id);
		return -EINVAL;
	}
	pc = per_cpu((unsigned int)cpu_id);
	if (caller->cell != &root_cell && pc->cell != caller->cell) {
		hv_set_error("CPU %llu belongs to another cell",
			     (unsigned long long)cpu_id);
		return -EPERM;
	}
	if (type == HV_CPU_INFO_STATE)
		return pc->failed ? HV_CPU_FAILED : HV_CPU_RUNNING;
	if (type == HV_CPU_INFO_FAULT)
		return pc->failed ? pc->fail_fault : HV_CPU_FAULT_NONE;
	if (type == HV_CPU_INFO_FAULT_ADDR)
		return pc->failed ? (int64_t)pc->fail_addr : 0;
	if (type >= HV_CPU_INFO_STAT_BASE &&
	    type < HV_CPU_INFO_STAT_BASE + HV_NUM_CPU_STATS)
		return cpu_stat_read(pc, (unsigned int)(type -
						       HV_CPU_INFO_STAT_BASE));
	hv_set_error("unknown CPU information type %llu",
		     (unsigned long long)type);
	return -EINVAL;
}

static int64_t hc_putc(struct per_cpu *caller, uint64_t c)
{
	struct cell *cell = caller->cell;

	if (!(cell->config->flags & HV_CELL_VIRTUAL_CONSOLE_PERMITTED)) {
		hv_set_error("cell \"%s\" may not use the debug console",
			     cell->config->name);
		return -EPERM;
	}
	console_cell_putc(cell, (char)(c & 0xff));
	return 0;
}

int64_t hv_hypercall(struct per_cpu *cpu, uint64_t code, uint64_t arg1,
		     uint64_t arg2)
{
	cpu_stat_exit(cpu, HV_STAT_HYPERCALL);
	hv_clear_error();
	switch (code) {
	case HV_HC_DISABLE:
		return hc_disable(cpu);
	case HV_HC_CELL_CREATE:
		return hc_cell_create(cpu, arg1);
	case HV_HC_CELL_START:
		return hc_cell_start(cpu, arg1);
	case HV_HC_CELL_SET_LOADABLE:
		return hc_cell_set_loadable(cpu, arg1);
	case HV_HC_CELL_DESTROY:
		return hc_cell_destroy(cpu, arg1);
	case HV_HC_HYPERVISOR_GET_INFO:
		return hc_get_info(arg1);
	case HV_HC_CELL_GET_STATE:
		return hc_cell_get_state(cpu, arg1);
	case HV_HC_CPU_GET_INFO:
		return hc_cpu_get_info(cpu, arg1, arg2);
	case HV_HC_DEBUG_CONSOLE_PUTC:
		return hc_putc(cpu, arg1);
	case HV_HC_STATS_READ:
		return stats_read(cpu, arg1, arg2);
	default:
		hv_set_error("unknown hypercall %llu", (unsigned long long)code);
		return -ENOSYS;
	}
}

void hv_cpu_handle_events(struct per_cpu *cpu)
{
	cpu_stat_exit(cpu, HV_STAT_MANAGEMENT);
	if (cpu->park_requested) {
		cpu->park_requested = false;
		cpu->parked = true;
		arch_park_cpu(cpu);
	}
	if (cpu->reset_requested) {
		cpu->reset_requested = false;
		cpu->parked = cpu->wait_for_poweron;
		arch_reset_cpu(cpu);
	}
}

static void cpu_vfail(struct per_cpu *cpu, uint32_t fault, uint64_t addr,
		      const char *fmt, va_list ap)
{
	struct cell *cell = cpu->cell;
	char reason[160];
	bool all_failed = true;
	unsigned int n;

	hv_vsnprintf(reason, sizeof(reason), fmt, ap);
	printk("%s\n", reason);
	cpu->fail_fault = fault < HV_NUM_CPU_FAULTS ? fault : HV_CPU_FAULT_OTHER;
	cpu->fail_addr = HV_CPU_FAULT_HAS_ADDR(cpu->fail_fault) ? addr : 0;
	if (cell == &root_cell) {
		printk("CPU %u of the root cell hit a fatal condition; it keeps running\n",
		       cpu->cpu_id);
		return;
	}
	printk("Parking CPU %u (cell \"%s\")\n", cpu->cpu_id,
	       cell->config->name);
	cpu->failed = true;
	cpu->parked = true;
	for_each_cpu_id(n)
		if (test_bit(n, cell->cpu_set) && !per_cpu(n)->failed)
			all_failed = false;
	/* Before parking: the CPU waits there until the cell is reset. */
	if (all_failed) {
		cell_set_state(cell, HV_CELL_FAILED);
		/* A failed peer has left its ivshmem links: others told. */
		ivshmem_reset_cell(cell);
	}
	arch_park_cpu(cpu);
}

void cpu_fail(struct per_cpu *cpu, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cpu_vfail(cpu, HV_CPU_FAULT_OTHER, 0, fmt, ap);
	va_end(ap);
}

void cpu_fail_at(struct per_cpu *cpu, uint32_t fault, uint64_t addr,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cpu_vfail(cpu, fault, addr, fmt, ap);
	va_end(ap);
}

int cpu_psci_cpu_on(struct per_cpu *caller, unsigned int target,
		    uint64_t entry, uint64_t context)
{
	struct per_cpu *pc;

	cpu_stat_exit(caller, HV_STAT_PSCI);
	if (target >= hv_max_cpus || !cell_owns_cpu(caller->cell, target))
		return PSCI_INVALID_PARAMETERS;
	pc = per_cpu(target);
	if (pc->failed)
		return PSCI_DENIED;
	if (!pc->parked || !pc->wait_for_poweron)
		return PSCI_ALREADY_ON;
	pc->wait_for_poweron = false;
	pc->cpu_on_entry = entry;
	pc->cpu_on_context = context;
	pc->reset_requested = true;
	arch_send_event(pc);
	return PSCI_SUCCESS;
}

void cpu_psci_cpu_off(struct per_cpu *cpu)
{
	cpu_stat_exit(cpu, HV_STAT_PSCI);
	cpu->wait_for_poweron = true;
	cpu->parked = true;
	arch_park_cpu(cpu);
}
