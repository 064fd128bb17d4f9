// SPDX-License-Identifier: MIT
/*
 * The communication region (hvabi/hypercall.h, as upstream Jailhouse):
 * the cell says it runs, answers the hypervisor's messages, and approves
 * a shutdown request.
 */
#include "inmate.h"

bool comm_init(void)
{
	volatile struct hv_comm_region_arm64 *c = comm_region;
	unsigned int n;

	for (n = 0; n < HV_COMM_REGION_MAGIC_LEN; n++)
		if (c->signature[n] != HV_COMM_REGION_MAGIC[n])
			return false;
	c->cell_state = HV_CELL_RUNNING;
	return true;
}

static void reply(uint32_t answer)
{
	comm_region->msg_to_cell = HV_MSG_NONE;
	comm_region->reply_from_cell = answer;
}

bool comm_poll(void)
{
	switch (comm_region->msg_to_cell) {
	case HV_MSG_NONE:
		return false;
	case HV_MSG_SHUTDOWN_REQUEST:
		reply(HV_MSG_REQUEST_APPROVED);
		return true;
	case HV_MSG_RECONFIG_COMPLETED:
		reply(HV_MSG_RECEIVED);
		return false;
	default:
		reply(HV_MSG_UNKNOWN);
		return false;
	}
}

void inmate_stop(void)
{
	irqs_disable();
	timer_stop();
	comm_region->cell_state = HV_CELL_SHUT_DOWN;
	for (;;)
		wfi();
}
