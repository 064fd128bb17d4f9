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
static unsigned int net_irq;
static uint64_t tx_full, timer_period;

static uint64_t bar0;
static volatile uint32_t *state_table;
static uint32_t own_id, peer_id;
static uint32_t state, peer_state = ~0u;

static void on_irq(unsigned int irq)
{
	if (irq == net_irq)
		irqs++;
	else if (irq == TIMER_VIRT_IRQ)
		timer_arm(timer_count() + timer_period);
}

static uint32_t reg_read(unsigned int reg)
{
	return mmio_read32(bar0 + reg);
}

static void reg_write(unsigned int reg, uint32_t v)
{
	mmio_write32(bar0 + reg, v);
}

static void set_state(uint32_t s)
{
	/* Everything written before is visible before the peer sees s. */
	asm volatile("dmb ish" : : : "memory");
	state = s;
	reg_write(HV_IVSHMEM_REG_STATE, s);
}

static void kick(void)
{
	reg_write(HV_IVSHMEM_REG_DOORBELL,
		  HV_IVSHMEM_DOORBELL(peer_id, IVNET_VECTOR));
}

/* Config space of bus 0, device dev, through the ECAM window. */
static uint64_t cfg_addr(unsigned int dev, unsigned int reg)
{
	return comm_region->pci_mmconfig_base + ((uint64_t)dev << 15) + reg;
}

static uint64_t cfg_read64(unsigned int dev, unsigned int reg)
{
	return mmio_read32(cfg_addr(dev, reg)) |
	       (uint64_t)mmio_read32(cfg_addr(dev, reg + 4)) << 32;
}

/*
 * Finds the ivshmem-net device, places BAR0 right after the ECAM window
 * (address space nothing else uses in this cell) and maps out the
 * sections: state table, common section, one output section per peer.
 */
static bool net_probe(void)
{
	uint64_t base, st_size, rw_size, out_size, sections;
	unsigned int dev, pin;
	uint32_t id, class;

	for (dev = 0; dev < 32; dev++) {
		id = mmio_read32(cfg_addr(dev, 0));
		class = mmio_read32(cfg_addr(dev, 8)) >> 8;
		if (id == (HV_IVSHMEM_DEVICE_ID << 16 | HV_IVSHMEM_VENDOR_ID) &&
		    class == IVNET_CLASS)
			break;
	}
	if (dev == 32) {
		printk("net-echo: no ivshmem-net device (class 0x%x)\n",
		       IVNET_CLASS);
		return false;
	}
	st_size = mmio_read32(cfg_addr(dev, HV_IVSHMEM_CFG_STATE_TAB_SZ));
	rw_size = cfg_read64(dev, HV_IVSHMEM_CFG_RW_SECTION_SZ);
	out_size = cfg_read64(dev, HV_IVSHMEM_CFG_OUTPUT_SECTION_SZ);
	base = cfg_read64(dev, HV_IVSHMEM_CFG_ADDRESS);
	pin = (mmio_read32(cfg_addr(dev, 0x3c)) >> 8) & 0xff;

	bar0 = comm_region->pci_mmconfig_base + 0x100000;
	mmio_write32(cfg_addr(dev, 0x10), (uint32_t)bar0);
	mmio_write32(cfg_addr(dev, 4), 0x6);	/* memory space, master */

	own_id = reg_read(HV_IVSHMEM_REG_ID);
	if (own_id > 1 || reg_read(HV_IVSHMEM_REG_MAX_PEERS) != 2 || !pin) {
		printk("net-echo: 00:%s%x.0: ID %u of %u peers, pin %u: "
		       "need 2 peers and INTx\n", dev < 16 ? "0" : "", dev,
		       own_id, reg_read(HV_IVSHMEM_REG_MAX_PEERS), pin);
		return false;
	}
	peer_id = !own_id;
	state_table = (volatile uint32_t *)base;
	sections = base + st_size + rw_size;
	if (ivnet_layout_of(out_size, &net.l) < 0) {
		printk("net-echo: output sections of %lu bytes are too small\n",
		       out_size);
		return false;
	}
	net.own = (volatile uint8_t *)(sections + own_id * out_size);
	net.peer = (const volatile uint8_t *)(sections + peer_id * out_size);
	net_irq = 32 + comm_region->vpci_irq_base + pin - 1;
	/* printk knows no field widths: the leading zero by hand. */
	printk("net-echo: 00:%s%x.0 peer %u, sections of %lu bytes at 0x%lx, "
	       "%u descriptors, INTID %u\n", dev < 16 ? "0" : "", dev, own_id,
	       out_size, sections, net.l.qlen, net_irq);
	return true;
}

/* The link's state machine, run on every change of the peer's state. */
static void state_update(void)
{
	uint32_t ps = state_table[peer_id];

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
			kick();
		if (done && ivnet_rx_kick_needed(&net, done))
			kick();
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
	gic_enable_irq(net_irq);
	gic_enable_irq(TIMER_VIRT_IRQ);
	timer_period = freq / POLL_HZ;
	timer_arm(timer_count() + timer_period);
	reg_write(HV_IVSHMEM_REG_INT_CTRL, HV_IVSHMEM_INT_ENABLE);
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
			reg_write(HV_IVSHMEM_REG_INT_CTRL, 0);
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
