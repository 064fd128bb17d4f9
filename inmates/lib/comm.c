// SPDX-License-Identifier: MIT
/*
 * The communication region (hvabi/hypercall.h, as upstream Jailhouse):
 * the cell says it runs, answers the hypervisor's messages, and approves
 * a shutdown request (comm_poll), or answers them itself.
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

uint32_t comm_message(void)
{
	return comm_region->msg_to_cell;
}

/* As the ABI asks: clear the opposite field, barrier, then the answer. */
void comm_reply(uint32_t answer)
{
	comm_region->msg_to_cell = HV_MSG_NONE;
	asm volatile("dmb ishst" : : : "memory");
	comm_region->reply_from_cell = answer;
}

void comm_ignore(void)
{
	comm_region->msg_to_cell = HV_MSG_NONE;
}

bool comm_poll(void)
{
	switch (comm_message()) {
	case HV_MSG_NONE:
		return false;
	case HV_MSG_SHUTDOWN_REQUEST:
		comm_reply(HV_MSG_REQUEST_APPROVED);
		return true;
	case HV_MSG_RECONFIG_COMPLETED:
		comm_reply(HV_MSG_RECEIVED);
		return false;
	default:
		comm_reply(HV_MSG_UNKNOWN);
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
