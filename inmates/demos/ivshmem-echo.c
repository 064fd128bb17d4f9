// SPDX-License-Identifier: MIT
/*
 * ivshmem-echo: answers the other peers of its first ivshmem device. On
 * each doorbell it looks at every peer's output section for a request
 * (include/hvabi/ivshmem-echo.h) it has not answered, writes the reply
 * into its own output section and rings that peer back. Everything a peer
 * wrote is read once and checked before use.
 */
#include "inmate.h"
#include "ivshmem.h"

#include <hvabi/ivshmem-echo.h>

static struct ivshmem_dev dev;
static volatile uint64_t irqs, others;
static uint32_t last_seq[HV_IVSHMEM_MAX_PEERS];
static uint64_t answered;

static void on_irq(unsigned int irq)
{
	if (irq == dev.irq)
		irqs++;
	else
		others++;
}

static void barrier(void)
{
	asm volatile("dsb sy" : : : "memory");
}

/* The isolation demonstrations: each write faults, the cell fails. */
static void forbidden(uint32_t cmd, unsigned int peer)
{
	volatile uint32_t *at = cmd == HV_ECHO_CMD_WRITE_STATE ?
		(volatile uint32_t *)dev.state_table :
		(volatile uint32_t *)ivshmem_output(&dev, peer);

	printk("ivshmem-echo: writing the %s, as asked\n",
	       cmd == HV_ECHO_CMD_WRITE_STATE ? "state table" :
						 "asker's output section");
	*at = 0xbad;
	printk("ivshmem-echo: the write went through\n");
}

static void answer(unsigned int peer)
{
	const volatile struct hv_echo_msg *in =
		(const volatile struct hv_echo_msg *)ivshmem_output(&dev, peer);
	volatile struct hv_echo_msg *out =
		(volatile struct hv_echo_msg *)ivshmem_output(&dev, dev.id);
	uint32_t magic, seq, cmd, len, sum = 0, n;

	if (!in || !out || dev.out_size < sizeof(*in))
		return;
	seq = in->seq;
	barrier();
	magic = in->magic;
	cmd = in->cmd;
	len = in->len;
	if (magic != HV_ECHO_MAGIC || seq == last_seq[peer])
		return;
	last_seq[peer] = seq;
	if (cmd == HV_ECHO_CMD_WRITE_STATE || cmd == HV_ECHO_CMD_WRITE_PEER)
		forbidden(cmd, peer);
	if (cmd == HV_ECHO_CMD_RING_ABSENT) {
		/* Beyond the link's peers, and an id nobody has. */
		ivshmem_ring(&dev, dev.peers);
		ivshmem_ring(&dev, 0xffff);
	}
	out->status = HV_ECHO_OK;
	if (len > HV_ECHO_MAX_DATA) {
		out->status = HV_ECHO_BAD_LENGTH;
		len = 0;
	}
	for (n = 0; n < len; n++) {
		uint8_t b = in->data[n];

		out->data[n] = (uint8_t)~b;
		sum += b;
	}
	out->cmd = cmd;
	out->len = len;
	out->sum = sum;
	out->magic = HV_ECHO_MAGIC;
	barrier();
	out->seq = seq;
	barrier();
	answered++;
	ivshmem_ring(&dev, peer);
}

void inmate_main(unsigned int cpu_index)
{
	uint64_t seen = 0;
	unsigned int p;

	(void)cpu_index;
	if (!ivshmem_find(&dev, 0)) {
		printk("ivshmem-echo: no ivshmem device on bus 0\n");
		inmate_stop();
	}
	printk("ivshmem-echo: device %x:%x.%x, peer %u of %u, INTID %u, output sections 0x%lx bytes at 0x%lx\n",
	       dev.bdf >> 8, (dev.bdf >> 3) & 0x1f, dev.bdf & 7, dev.id,
	       dev.peers, dev.irq, dev.out_size, dev.outputs);
	if (dev.id >= dev.peers || dev.peers > HV_IVSHMEM_MAX_PEERS) {
		printk("ivshmem-echo: peer %u has no output section\n", dev.id);
		inmate_stop();
	}
	/* Requests written before we came are not answered. */
	for (p = 0; p < dev.peers; p++) {
		const volatile struct hv_echo_msg *in =
			(const volatile struct hv_echo_msg *)ivshmem_output(&dev, p);

		last_seq[p] = in->seq;
	}
	inmate_irq_handler = on_irq;
	ivshmem_enable_irq(&dev);
	ivshmem_set_state(&dev, HV_ECHO_STATE_READY);
	irqs_enable();
	for (;;) {
		/* Masked while deciding to sleep: no doorbell slips by. */
		irqs_disable();
		if (irqs == seen)
			wfi();
		irqs_enable();
		if (comm_poll()) {
			ivshmem_set_state(&dev, 0);
			printk("ivshmem-echo: shutdown after %lu answers, %lu interrupts\n",
			       answered, irqs);
			inmate_stop();
		}
		if (irqs == seen)
			continue;
		seen = irqs;
		for (p = 0; p < dev.peers; p++)
			if (p != dev.id)
				answer(p);
	}
}
