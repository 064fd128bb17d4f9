// SPDX-License-Identifier: MIT
/*
 * net-echo: the far end of the root's virtual Ethernet (ivshmem-net,
 * doc/ivshmem-net.md). It finds its ivshmem device of class 0xff0001 in
 * the emulated config space, follows the link's state machine with the
 * root's driver and answers ARP requests for NET_ECHO_IP and ICMP echo
 * requests to it, so the root can ping it:
 *
 *   ip addr add 192.168.19.1/24 dev eth0; ip link set eth0 up
 *   ping 192.168.19.2
 *
 * It prints each state change and, every 5 s while frames flow, what it
 * answered; the same figures once more when the cell is shut down.
 */
#include "inmate.h"
#include "ivnet.h"
#include "ivshmem.h"

#include <hvabi/ivshmem.h>

#define NET_ECHO_IP	{ 192, 168, 19, 2 }
/* Locally administered, unicast. */
#define NET_ECHO_MAC	{ 0x02, 0x00, 0x00, 0x4e, 0x45, 0x54 }

#define REPORT_SECONDS	5
/* The timer wakes the loop this often for the comm region's messages. */
#define POLL_HZ		20

static struct ivnet_end net;
static struct ivnet_echo_stats echo;
static volatile uint64_t irqs;
static uint64_t tx_full, timer_period;

static struct ivshmem_dev dev;
static uint32_t peer_id;
static uint32_t state, peer_state = ~0u;

static void on_irq(unsigned int irq)
{
	if (irq == dev.irq)
		irqs++;
	else if (irq == TIMER_VIRT_IRQ)
		timer_arm(timer_count() + timer_period);
}

static void set_state(uint32_t s)
{
	/* Everything written before is visible before the peer sees s. */
	asm volatile("dmb ish" : : : "memory");
	state = s;
	ivshmem_set_state(&dev, s);
}

/* The class code of a device found by the library (config offset 8). */
static uint32_t dev_class(const struct ivshmem_dev *d)
{
	return mmio_read32(comm_region->pci_mmconfig_base +
			   ((uint64_t)d->bdf << 12) + 8) >> 8;
}

/* Finds the ivshmem device of class 0xff0001 and maps out its link. */
static bool net_probe(void)
{
	unsigned int i, slot;

	for (i = 0; ivshmem_find(&dev, i); i++)
		if (dev_class(&dev) == IVNET_CLASS)
			break;
	if (!dev.regs || dev_class(&dev) != IVNET_CLASS) {
		printk("net-echo: no ivshmem-net device (class 0x%x)\n",
		       IVNET_CLASS);
		return false;
	}
	slot = (dev.bdf >> 3) & 31;
	if (dev.id > 1 || dev.peers != 2) {
		printk("net-echo: 00:%s%x.0: peer %u of %u: ivshmem-net links "
		       "have 2 peers\n", slot < 16 ? "0" : "", slot, dev.id,
		       dev.peers);
		return false;
	}
	peer_id = !dev.id;
	if (ivnet_layout_of(dev.out_size, &net.l) < 0) {
		printk("net-echo: output sections of %lu bytes are too small\n",
		       dev.out_size);
		return false;
	}
	net.own = ivshmem_output(&dev, dev.id);
	net.peer = ivshmem_output(&dev, peer_id);
	/* printk knows no field widths: the leading zero by hand. */
	printk("net-echo: 00:%s%x.0 peer %u, sections of %lu bytes at 0x%lx, "
	       "%u descriptors, INTID %u\n", slot < 16 ? "0" : "", slot,
	       dev.id, dev.out_size, dev.outputs, net.l.qlen, dev.irq);
	return true;
}

/* The link's state machine, run on every change of the peer's state. */
static void state_update(void)
{
	uint32_t ps = ivshmem_peer_state(&dev, peer_id);

	if (ps == peer_state)
		return;
	peer_state = ps;
	switch (state) {
	case IVNET_STATE_RESET:
		/* A peer still READY or RUN must first see our reset. */
		if (ps < IVNET_STATE_READY)
			set_state(IVNET_STATE_INIT);
		break;
	case IVNET_STATE_INIT:
		if (ps > IVNET_STATE_RESET) {
			ivnet_init(&net, net.own, net.peer, net.l.section_size);
			set_state(IVNET_STATE_READY);
		}
		break;
	default:
		if (ps >= IVNET_STATE_READY) {
			if (state != IVNET_STATE_RUN) {
				set_state(IVNET_STATE_RUN);
				printk("net-echo: link up\n");
			}
		} else {
			/* The peer restarted: our queues are stale. */
			printk("net-echo: link down (peer state %u)\n", ps);
			set_state(IVNET_STATE_RESET);
			if (ps == IVNET_STATE_INIT)
				set_state(IVNET_STATE_INIT);
		}
		break;
	}
}

static void net_poll(void)
{
	static const struct ivnet_echo_cfg cfg = {
		.mac = NET_ECHO_MAC, .ip = NET_ECHO_IP,
	};
	unsigned int sent = 0, done = 0;
	struct ivnet_frame f;
	int r;

	do {
		ivnet_tx_clean(&net);
		while ((r = ivnet_rx_next(&net, &f)) != 0) {
			volatile uint8_t *out;
			uint32_t n = 0;

			if (r < 0) {
				done++;
				continue;
			}
			out = ivnet_tx_reserve(&net, f.len < 64 ? 64 : f.len);
			if (out)
				n = ivnet_echo_reply(&cfg, f.data, f.len, out,
						     f.len < 64 ? 64 : f.len,
						     &echo);
			if (n) {
				ivnet_tx_commit(&net, n);
				sent++;
			} else if (!out) {
				tx_full++;
			}
			ivnet_rx_done(&net, f.id);
			done++;
		}
		if (sent && ivnet_tx_kick_needed(&net, sent))
			ivshmem_ring(&dev, peer_id);
		if (done && ivnet_rx_kick_needed(&net, done))
			ivshmem_ring(&dev, peer_id);
		sent = done = 0;
	} while (ivnet_rx_arm(&net));
}

static void report(const char *when)
{
	printk("net-echo%s: rx %lu tx %lu, ARP replies %lu, ICMP echo replies "
	       "%lu, ignored %lu, malformed %lu, no room %lu, bad ring entries "
	       "%lu/%lu, interrupts %lu\n", when, net.stats.rx_frames,
	       net.stats.tx_frames, echo.arp_replies, echo.icmp_replies,
	       echo.ignored, echo.malformed, tx_full, net.stats.rx_bad,
	       net.stats.tx_bad, irqs);
}

void inmate_main(unsigned int cpu_index)
{
	uint64_t freq = timer_freq(), next, seen = 0, last_rx = 0;

	(void)cpu_index;
	if (!net_probe())
		inmate_stop();
	inmate_irq_handler = on_irq;
	ivshmem_enable_irq(&dev);
	gic_enable_irq(TIMER_VIRT_IRQ);
	timer_period = freq / POLL_HZ;
	timer_arm(timer_count() + timer_period);
	set_state(IVNET_STATE_RESET);
	next = timer_count() + REPORT_SECONDS * freq;
	irqs_enable();
	for (;;) {
		/* Sleep only when no interrupt came since the last pass;
		 * a masked WFI still wakes on a pending interrupt. */
		irqs_disable();
		if (irqs == seen)
			wfi();
		irqs_enable();
		seen = irqs;
		if (comm_poll()) {
			set_state(IVNET_STATE_RESET);
			mmio_write32(dev.regs + HV_IVSHMEM_REG_INT_CTRL, 0);
			report(" shutdown");
			inmate_stop();
		}
		state_update();
		if (state == IVNET_STATE_RUN)
			net_poll();
		if (timer_count() >= next) {
			next = timer_count() + REPORT_SECONDS * freq;
			if (net.stats.rx_frames != last_rx)
				report("");
			last_rx = net.stats.rx_frames;
		}
	}
}
