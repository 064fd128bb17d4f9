// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Control operations. Each builds the ioctl argument struct once (with
 * real pointers, as the kernel wants it) and hands it to the transport;
 * a refusal is then explained from a fresh snapshot (explain.c).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime_int.h"

static void cell_name_of(const struct hvctl_config *config, char *buf)
{
	memcpy(buf, config->cell->name, HVCTL_CELL_NAME_MAX);
	buf[HVCTL_CELL_NAME_MAX] = '\0';
}

/* The name of a referenced cell as the cache last saw it, or "". */
static void cached_name(struct hvctl_ctx *ctx, const struct hvctl_cell_ref *ref,
			char *buf)
{
	size_t i;

	buf[0] = '\0';
	if (ref->id < 0) {
		memcpy(buf, ref->name, HVCTL_CELL_NAME_MAX + 1);
		return;
	}
	for (i = 0; i < ctx->tree.num_cells; i++)
		if (ctx->tree.cells[i].id == ref->id) {
			memcpy(buf, ctx->tree.cells[i].name,
			       HVCTL_CELL_NAME_MAX + 1);
			return;
		}
}

/*
 * Issue req; on a refusal (not a transport failure, which has its own
 * message already) set the explanation.
 */
static int issue(struct hvctl_ctx *ctx, struct rt_request *req,
		 struct rt_explain_in *ein)
{
	struct hvctl_snapshot *snap = NULL;
	char why[sizeof(req->why)];
	int ret;

	rt_clear_err(ctx);
	req->why[0] = '\0';
	ret = ctx->tr->request(ctx, req);
	if (!ret)
		return 0;
	if (ctx->unreachable || ctx->errmsg[0])
		return ret;
	memcpy(why, req->why, sizeof(why));
	ein->err = ret;
	ein->backend_why = why;
	/* The explanations look at configs (what fits where). */
	if (hvctl_snapshot(ctx, HVCTL_READ_CONFIGS, HVCTL_CPU_STATS_NONE, NULL,
			   &snap))
		snap = NULL;
	rt_clear_err(ctx);
	rt_explain(ctx, ein, snap);
	hvctl_snapshot_free(snap);
	return ret;
}

static void cell_id_from_ref(struct hv_ioc_cell_id *id,
			     const struct hvctl_cell_ref *ref)
{
	memset(id, 0, sizeof(*id));
	id->id = ref->id >= 0 ? ref->id : HV_CELL_ID_UNUSED;
	if (ref->id < 0)
		memcpy(id->name, ref->name, HV_CELL_ID_NAMELEN);
	id->name[HV_CELL_ID_NAMELEN] = '\0';
}

static int check_ref(struct hvctl_ctx *ctx, const struct hvctl_cell_ref *ref)
{
	if (!ref)
		return rt_fail(ctx, -EINVAL, "no cell given");
	if (ref->id < 0 && (ref->id != HVCTL_CELL_BY_NAME || !ref->name[0]))
		return rt_fail(ctx, -EINVAL, "invalid cell reference");
	return 0;
}

int hvctl_enable(struct hvctl_ctx *ctx, const struct hvctl_config *system)
{
	struct iovec iov;
	struct rt_request req = { .cmd = HV_IOC_ENABLE };
	struct rt_explain_in ein = { .op = RT_OP_ENABLE, .config = system };
	int ret;

	rt_clear_err(ctx);
	if (!system || !system->is_system)
		return rt_fail(ctx, -EINVAL, "%s is a cell config, not a system config",
			       system && system->source ? system->source :
							  "the config");
	iov.iov_base = system->data;
	iov.iov_len = system->size;
	req.data = &iov;
	req.num_data = 1;
	ret = issue(ctx, &req, &ein);
	if (ret)
		return ret;
	registry_clear(ctx);
	registry_record_system(ctx, system);
	events_note_change(ctx);
	return 0;
}

int hvctl_disable(struct hvctl_ctx *ctx)
{
	struct rt_request req = { .cmd = HV_IOC_DISABLE };
	struct rt_explain_in ein = { .op = RT_OP_DISABLE };
	int ret;

	ret = issue(ctx, &req, &ein);
	if (ret)
		return ret;
	registry_clear(ctx);
	events_note_change(ctx);
	return 0;
}

/* After a create the kernel gives no ID: find the new cell by name. */
static int find_created(struct hvctl_ctx *ctx, const char *name, int *id)
{
	struct hvctl_snapshot *snap;
	struct hvctl_cell_ref ref;
	const struct hvctl_cell_info *ci;
	int ret;

	ret = hvctl_snapshot(ctx, HVCTL_READ_CELLS, HVCTL_CPU_STATS_NONE, NULL,
			     &snap);
	if (ret)
		return ret;
	hvctl_cell_ref_name(&ref, name, NULL);
	ci = hvctl_snapshot_find(snap, &ref);
	if (ci)
		*id = ci->id;
	hvctl_snapshot_free(snap);
	if (!ci)
		/* Upstream's driver returns 0 for a config of another
		 * architecture without creating anything. */
		return rt_fail(ctx, -EINVAL,
			       "the driver reported success but no cell '%s' exists (a config for another architecture?)",
			       name);
	return 0;
}

int hvctl_cell_create(struct hvctl_ctx *ctx, const struct hvctl_config *cell,
		      int *id)
{
	struct hv_ioc_cell_create arg;
	struct iovec iov;
	struct rt_request req = {
		.cmd = HV_IOC_CELL_CREATE,
		.arg = &arg,
		.arg_size = sizeof(arg),
		.data = &iov,
		.num_data = 1,
	};
	struct rt_explain_in ein = { .op = RT_OP_CREATE, .config = cell };
	char name[HVCTL_CELL_NAME_MAX + 1];
	int new_id = -1, ret;

	rt_clear_err(ctx);
	if (!cell || cell->is_system)
		return rt_fail(ctx, -EINVAL, "%s is a system config, not a cell config",
			       cell && cell->source ? cell->source : "the config");
	if (cell->size > UINT32_MAX)
		return rt_fail(ctx, -E2BIG, "the config is too large");
	memset(&arg, 0, sizeof(arg));
	arg.config_address = (uintptr_t)cell->data;
	arg.config_size = (uint32_t)cell->size;
	iov.iov_base = cell->data;
	iov.iov_len = cell->size;
	ret = issue(ctx, &req, &ein);
	if (ret)
		return ret;
	cell_name_of(cell, name);
	events_note_change(ctx);
	if (req.has_reply_id)
		new_id = req.reply_id;
	else {
		ret = find_created(ctx, name, &new_id);
		if (ret)
			return ret;
	}
	registry_record_cell(ctx, cell);
	events_note_change(ctx);
	if (id)
		*id = new_id;
	return 0;
}

int hvctl_cell_load(struct hvctl_ctx *ctx, const struct hvctl_cell_ref *cell,
		    const struct hvctl_image *images, size_t num)
{
	struct hv_ioc_cell_load *arg;
	struct iovec *iov = NULL;
	struct rt_request req = { .cmd = HV_IOC_CELL_LOAD };
	struct rt_explain_in ein = {
		.op = num ? RT_OP_LOAD : RT_OP_SHUTDOWN,
		.cell = cell,
		.images = images,
		.num_images = num,
	};
	size_t i, size;
	int ret;

	rt_clear_err(ctx);
	ret = check_ref(ctx, cell);
	if (ret)
		return ret;
	if (num > (UINT32_MAX - sizeof(*arg)) / sizeof(arg->image[0]) ||
	    (num && !images))
		return rt_fail(ctx, -EINVAL, "invalid image list");
	/*
	 * The driver stops the cell before it checks the images; check them
	 * first against the cell's config, so a misfit changes nothing.
	 */
	if (num) {
		struct hvctl_snapshot *snap;
		const struct hvctl_cell_info *ci;
		bool misfit = false;

		if (!hvctl_snapshot(ctx, HVCTL_READ_CONFIGS,
				    HVCTL_CPU_STATS_NONE, NULL, &snap)) {
			ci = hvctl_snapshot_find(snap, cell);
			misfit = ci && !ci->is_root &&
				 rt_check_images(ctx, ci, images, num);
			hvctl_snapshot_free(snap);
			if (misfit)
				return -EINVAL;
		}
		rt_clear_err(ctx);
	}
	size = sizeof(*arg) + num * sizeof(arg->image[0]);
	arg = calloc(1, size);
	if (num)
		iov = calloc(num, sizeof(*iov));
	if (!arg || (num && !iov)) {
		free(arg);
		free(iov);
		return rt_fail(ctx, -ENOMEM, "out of memory");
	}
	cell_id_from_ref(&arg->cell_id, cell);
	arg->num_preload_images = (uint32_t)num;
	for (i = 0; i < num; i++) {
		arg->image[i].source_address = (uintptr_t)images[i].data;
		arg->image[i].size = images[i].size;
		arg->image[i].target_address = images[i].address;
		iov[i].iov_base = (void *)images[i].data;
		iov[i].iov_len = images[i].size;
	}
	req.arg = arg;
	req.arg_size = size;
	req.data = iov;
	req.num_data = (int)num;
	ret = issue(ctx, &req, &ein);
	free(arg);
	free(iov);
	if (!ret)
		events_note_change(ctx);
	return ret;
}

int hvctl_cell_shutdown(struct hvctl_ctx *ctx, const struct hvctl_cell_ref *cell)
{
	return hvctl_cell_load(ctx, cell, NULL, 0);
}

static int simple_op(struct hvctl_ctx *ctx, uint32_t cmd, enum rt_op op,
		     const struct hvctl_cell_ref *cell)
{
	struct hv_ioc_cell_id arg;
	struct rt_request req = {
		.cmd = cmd,
		.arg = &arg,
		.arg_size = sizeof(arg),
	};
	struct rt_explain_in ein = { .op = op, .cell = cell };
	int ret;

	rt_clear_err(ctx);
	ret = check_ref(ctx, cell);
	if (ret)
		return ret;
	cell_id_from_ref(&arg, cell);
	return issue(ctx, &req, &ein);
}

int hvctl_cell_start(struct hvctl_ctx *ctx, const struct hvctl_cell_ref *cell)
{
	int ret = simple_op(ctx, HV_IOC_CELL_START, RT_OP_START, cell);

	if (!ret)
		events_note_change(ctx);
	return ret;
}

int hvctl_cell_destroy(struct hvctl_ctx *ctx, const struct hvctl_cell_ref *cell)
{
	char name[HVCTL_CELL_NAME_MAX + 1];
	int ret;

	name[0] = '\0';
	if (cell) {
		cached_name(ctx, cell, name);
		if (!name[0] && cell->id >= 0) {
			struct hvctl_snapshot *snap;

			/* Learn the name, to drop the cell's registry record. */
			if (!hvctl_snapshot(ctx, HVCTL_READ_CELLS,
					    HVCTL_CPU_STATS_NONE, NULL, &snap)) {
				const struct hvctl_cell_info *ci =
					hvctl_snapshot_cell(snap, cell->id);

				if (ci)
					memcpy(name, ci->name, sizeof(name));
				hvctl_snapshot_free(snap);
			}
		}
	}
	ret = simple_op(ctx, HV_IOC_CELL_DESTROY, RT_OP_DESTROY, cell);
	if (ret)
		return ret;
	if (name[0])
		registry_forget_cell(ctx, name);
	events_note_change(ctx);
	return 0;
}
