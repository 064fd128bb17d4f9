// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Why was a request refused? The driver and hvsim answer with a bare
 * errno; the reason is derived here from a snapshot taken right after the
 * refusal and from the config or images of the request, so both
 * transports explain alike. Where nothing can be derived, hvsim's own
 * text is used, then a plain description of the errno for that request.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "runtime_int.h"

static const char *op_verb(enum rt_op op)
{
	switch (op) {
	case RT_OP_LOAD:
		return "loaded";
	case RT_OP_START:
		return "started";
	case RT_OP_SHUTDOWN:
		return "shut down";
	case RT_OP_DESTROY:
		return "destroyed";
	default:
		return "changed";
	}
}

static bool enabled(const struct hvctl_snapshot *snap)
{
	return snap && snap->system.enabled;
}

static const struct hvctl_cell_info *locked_cell(const struct hvctl_snapshot *snap,
						 int except)
{
	size_t i;

	if (!snap)
		return NULL;
	for (i = 0; i < snap->num_cells; i++)
		if (snap->cells[i].state == HVCTL_CELL_RUNNING_LOCKED &&
		    snap->cells[i].id != except)
			return &snap->cells[i];
	return NULL;
}

/* EINVAL while the hypervisor is off: being off is the reason. */
static bool explain_disabled(struct hvctl_ctx *ctx, const struct rt_explain_in *in,
			     const struct hvctl_snapshot *snap)
{
	if (in->err != -EINVAL || !snap || snap->system.enabled)
		return false;
	rt_set_err(ctx, "the hypervisor is not enabled");
	return true;
}

static bool fallback(struct hvctl_ctx *ctx, const struct rt_explain_in *in)
{
	if (in->backend_why && in->backend_why[0]) {
		rt_set_err(ctx, "%s", in->backend_why);
		return true;
	}
	return false;
}

static void cell_name(const struct hvctl_config *config, char *buf)
{
	memcpy(buf, config->cell->name, HVCTL_CELL_NAME_MAX);
	buf[HVCTL_CELL_NAME_MAX] = '\0';
}

static void explain_enable(struct hvctl_ctx *ctx, const struct rt_explain_in *in,
			   const struct hvctl_snapshot *snap)
{
	switch (in->err) {
	case -EBUSY:
		if (enabled(snap)) {
			rt_set_err(ctx, "the hypervisor is already enabled");
			return;
		}
		break;
	case -ENOMEM:
		if (fallback(ctx, in))
			return;
		rt_set_err(ctx, "the hypervisor memory of the system config is too small for its page tables");
		return;
	default:
		break;
	}
	if (fallback(ctx, in))
		return;
	switch (in->err) {
	case -EINVAL:
		rt_set_err(ctx, "the system config does not fit this machine (signature, revision, architecture, CPU set, hypervisor memory or devices)");
		return;
	case -ENODEV:
		rt_set_err(ctx, "this machine cannot run the hypervisor (no EL2/virtualization support, or the kernel was not booted at EL2)");
		return;
	case -ENOENT:
		rt_set_err(ctx, "the hypervisor image (%s) was not found by the firmware loader",
			   HV_FIRMWARE_NAME);
		return;
	case -EBUSY:
		rt_set_err(ctx, "the hypervisor is busy");
		return;
	default:
		rt_set_err(ctx, "%s", strerror(-in->err));
	}
}

static void explain_disable(struct hvctl_ctx *ctx, const struct rt_explain_in *in,
			    const struct hvctl_snapshot *snap)
{
	const struct hvctl_cell_info *ci;
	size_t i;

	if (explain_disabled(ctx, in, snap))
		return;
	if (in->err == -EPERM) {
		ci = locked_cell(snap, -1);
		if (ci) {
			rt_set_err(ctx, "cell '%s' is running/locked and blocks changes",
				   ci->name);
			return;
		}
		/* Cells are destroyed in ID order: the first left refused. */
		for (i = 0; snap && i < snap->num_cells; i++)
			if (!snap->cells[i].is_root) {
				rt_set_err(ctx, "cell '%s' refused shutdown",
					   snap->cells[i].name);
				return;
			}
	}
	if (fallback(ctx, in))
		return;
	if (in->err == -EBUSY)
		rt_set_err(ctx, "some CPUs of the root cell are offline in Linux; bring them online first");
	else
		rt_set_err(ctx, "%s", strerror(-in->err));
}

/* EBUSY on create: the first CPU of the config the root cell lacks. */
static bool explain_cpus(struct hvctl_ctx *ctx, const struct hvctl_config *config,
			 const struct hvctl_snapshot *snap)
{
	uint32_t size = config->cell->cpu_set_size;
	unsigned int cpu;

	for (cpu = 0; cpu < size * 8u; cpu++) {
		const struct hvctl_cpu_info *ci;

		if (!(config->cpu_set[cpu / 8] & (1u << (cpu % 8))))
			continue;
		if (cpu >= snap->num_cpus || snap->cpus[cpu].cell_id < 0) {
			rt_set_err(ctx, "CPU %u does not exist on this system", cpu);
			return true;
		}
		ci = &snap->cpus[cpu];
		if (ci->cell_id != 0) {
			rt_set_err(ctx, "CPU %u is owned by cell '%s'", cpu,
				   snap->cells[ci->cell].name);
			return true;
		}
	}
	return false;
}

static void explain_create(struct hvctl_ctx *ctx, const struct rt_explain_in *in,
			   const struct hvctl_snapshot *snap)
{
	const struct hvctl_config *config = in->config;
	const struct hvctl_cell_info *ci;
	struct hvctl_cell_ref ref;
	char name[HVCTL_CELL_NAME_MAX + 1];

	cell_name(config, name);
	if (explain_disabled(ctx, in, snap))
		return;
	switch (in->err) {
	case -EEXIST:
		if (snap && !hvctl_cell_ref_name(&ref, name, NULL) &&
		    (ci = hvctl_snapshot_find(snap, &ref))) {
			rt_set_err(ctx, "a cell named '%s' already exists (id %d)",
				   name, ci->id);
			return;
		}
		break;
	case -EBUSY:
		if (snap && explain_cpus(ctx, config, snap))
			return;
		if (fallback(ctx, in))
			return;
		rt_set_err(ctx, "a PCI device or ivshmem endpoint of '%s' is taken by another cell",
			   name);
		return;
	case -EPERM:
		ci = locked_cell(snap, -1);
		if (ci) {
			rt_set_err(ctx, "cell '%s' is running/locked and blocks creating cells",
				   ci->name);
			return;
		}
		break;
	case -E2BIG:
		rt_set_err(ctx, "the config is %zu bytes; the hypervisor takes at most %u KiB",
			   config->size, HV_CELL_CONFIG_MAX_PAGES * HV_PAGE_SIZE / 1024);
		return;
	case -ENOMEM:
		if (snap) {
			rt_set_err(ctx, "the hypervisor's memory pool is exhausted (%" PRIu64
				   " of %" PRIu64 " pages used)",
				   snap->system.mem_pool_used,
				   snap->system.mem_pool_size);
			return;
		}
		break;
	default:
		break;
	}
	if (fallback(ctx, in))
		return;
	switch (in->err) {
	case -EINVAL:
		rt_set_err(ctx, "the hypervisor refused the config of '%s' (a memory region, interrupt or device the root cell does not own, or an inconsistent layout)",
			   name);
		return;
	case -EEXIST:
		rt_set_err(ctx, "a cell named '%s' already exists", name);
		return;
	case -EPERM:
		rt_set_err(ctx, "the hypervisor refused to create '%s'", name);
		return;
	default:
		rt_set_err(ctx, "%s", strerror(-in->err));
	}
}

/* names: a config with region names for the same regions, or NULL. */
static void region_label(const struct hvctl_config *config,
			 const struct hvctl_config *names, uint32_t i,
			 char *buf, size_t len)
{
	const struct hv_memory *m = &config->mem[i];
	uint64_t start = m->virt_start, size = m->size;

	if (names && names->mem_names && names->mem_names[i])
		snprintf(buf, len, "region %u '%s' (0x%" PRIx64 "-0x%" PRIx64 ")",
			 i, names->mem_names[i], start, start + size - 1);
	else
		snprintf(buf, len, "region %u (0x%" PRIx64 "-0x%" PRIx64 ")", i,
			 start, start + size - 1);
}

/*
 * The binary config the hypervisor shows has no region names; our
 * registry record of the same cell does, if its regions are the same.
 */
static struct hvctl_config *named_twin(struct hvctl_ctx *ctx,
				       const struct hvctl_cell_info *cell)
{
	const struct hvctl_config *config = cell->config;
	struct hvctl_config *rec;
	uint32_t n = config->cell->num_memory_regions;

	if (config->mem_names)
		return NULL;
	rec = registry_lookup_cell(ctx, cell->name, cell->cpus, cell->num_cpus);
	if (rec && (rec->cell->num_memory_regions != n ||
		    memcmp(rec->mem, config->mem, n * sizeof(*config->mem)))) {
		hvctl_config_free(rec);
		rec = NULL;
	}
	return rec;
}

static void image_label(const struct hvctl_image *img, size_t i, char *buf,
			size_t len)
{
	if (img->label)
		snprintf(buf, len, "image %zu (%s, 0x%zx bytes at 0x%" PRIx64 ")",
			 i + 1, img->label, img->size, img->address);
	else
		snprintf(buf, len, "image %zu (0x%zx bytes at 0x%" PRIx64 ")",
			 i + 1, img->size, img->address);
}

bool rt_check_images(struct hvctl_ctx *ctx, const struct hvctl_cell_info *cell,
		     const struct hvctl_image *images, size_t num)
{
	const struct hvctl_config *config = cell->config;
	struct hvctl_config *names;
	char il[128], rl[128];
	bool found = false;
	size_t i;
	uint32_t r, n;

	if (!config)
		return false;
	names = named_twin(ctx, cell);
	n = config->cell->num_memory_regions;
	for (i = 0; i < num && !found; i++) {
		const struct hvctl_image *img = &images[i];
		uint64_t t = img->address;

		if (!img->size)
			continue;
		image_label(img, i, il, sizeof(il));
		for (r = 0; r < n; r++) {
			const struct hv_memory *m = &config->mem[r];
			uint64_t vs = m->virt_start, sz = m->size, fl = m->flags;

			if (t < vs || t - vs >= sz)
				continue;
			region_label(config, names ? names : config, r, rl,
				     sizeof(rl));
			if (fl & HV_MEM_COMM_REGION) {
				/* The hypervisor's page, whatever its flags. */
				rt_set_err(ctx, "%s targets %s of cell '%s', the comm region, which is the hypervisor's page and never loaded",
					   il, rl, cell->name);
				found = true;
			} else if (img->size > sz - (t - vs)) {
				rt_set_err(ctx, "%s runs past the end of %s of cell '%s'",
					   il, rl, cell->name);
				found = true;
			} else if ((fl & (HV_MEM_WRITE | HV_MEM_LOADABLE)) !=
				   (HV_MEM_WRITE | HV_MEM_LOADABLE)) {
				rt_set_err(ctx, "%s targets %s of cell '%s', which is not loadable (needs the write and loadable flags)",
					   il, rl, cell->name);
				found = true;
			}
			break;
		}
		if (!found && r == n) {
			rt_set_err(ctx, "%s is outside every memory region of cell '%s'",
				   il, cell->name);
			found = true;
		}
	}
	hvctl_config_free(names);
	return found;
}

static void explain_cell_op(struct hvctl_ctx *ctx, const struct rt_explain_in *in,
			    const struct hvctl_snapshot *snap)
{
	const struct hvctl_cell_info *ci = NULL, *lk;
	char who[48];

	hvctl_cell_ref_str(in->cell, who, sizeof(who));
	if (snap)
		ci = hvctl_snapshot_find(snap, in->cell);
	if (ci)
		snprintf(who, sizeof(who), "'%s'", ci->name);

	if (explain_disabled(ctx, in, snap))
		return;
	switch (in->err) {
	case -ENOENT:
		if (in->cell->id >= 0)
			rt_set_err(ctx, "no cell with ID %d", in->cell->id);
		else
			rt_set_err(ctx, "no cell '%s'", in->cell->name);
		return;
	case -EINVAL:
		if (ci && ci->is_root) {
			rt_set_err(ctx, "cell %s is the root cell, which cannot be %s",
				   who, op_verb(in->op));
			return;
		}
		if (in->op == RT_OP_LOAD && ci &&
		    rt_check_images(ctx, ci, in->images, in->num_images))
			return;
		break;
	case -EPERM:
		lk = locked_cell(snap, ci ? ci->id : -1);
		if (lk) {
			rt_set_err(ctx, "cell '%s' is running/locked and blocks changes to other cells",
				   lk->name);
			return;
		}
		rt_set_err(ctx, "cell %s refused shutdown", who);
		return;
	default:
		break;
	}
	if (fallback(ctx, in))
		return;
	switch (in->err) {
	case -EINVAL:
		if (in->op == RT_OP_LOAD) {
			rt_set_err(ctx, "an image lies outside the loadable memory of cell %s%s",
				   who, ci && !ci->config ?
				   " (its config is unknown, so which one cannot be told)" : "");
			return;
		}
		break;
	case -EBUSY:
		rt_set_err(ctx, "the memory of cell %s could not be mapped for loading",
			   who);
		return;
	case -ENOMEM:
		rt_set_err(ctx, "the hypervisor's memory pool is exhausted");
		return;
	default:
		break;
	}
	rt_set_err(ctx, "%s", strerror(-in->err));
}

void rt_explain(struct hvctl_ctx *ctx, const struct rt_explain_in *in,
		const struct hvctl_snapshot *snap)
{
	/*
	 * EPERM because this caller may only read (an operator-group
	 * member, no CAP_SYS_ADMIN) is not about any cell: say so.
	 */
	if (in->err == -EPERM) {
		char why[HVCTL_ERROR_MAX];

		why[0] = '\0';
		if (!ctx->tr->may_control(ctx, why, sizeof(why))) {
			rt_set_err(ctx, "%s", in->backend_why && in->backend_why[0] ?
				   in->backend_why : why);
			return;
		}
		rt_clear_err(ctx);
	}
	switch (in->op) {
	case RT_OP_ENABLE:
		explain_enable(ctx, in, snap);
		break;
	case RT_OP_DISABLE:
		explain_disable(ctx, in, snap);
		break;
	case RT_OP_CREATE:
		explain_create(ctx, in, snap);
		break;
	default:
		explain_cell_op(ctx, in, snap);
		break;
	}
}
