// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem_net: a virtual Ethernet over a two-peer ivshmem link (PCI
 * 110a:4106, class 0xff0001), speaking upstream Jailhouse's ivshmem-net
 * protocol (include/hvabi/ivshmem-net.h, doc/ivshmem-net.md), so the
 * other end may be the net-echo inmate, a Linux cell with this driver or
 * one with upstream's.
 *
 * Our frames go out through the virtqueue at the start of our output
 * section and its data area; the peer's arrive through the one in its
 * section, which we may only read. The link's state (RESET, INIT, READY,
 * RUN) goes through the State register and is read back from the state
 * table; the carrier is on while both ends run. One INTx interrupt
 * serves state changes and data: it schedules NAPI and, when the peer's
 * state moved, the state machine's work.
 *
 * Everything in the peer's section is hostile input: every index, id,
 * offset and length is read once and checked before use.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/skbuff.h>
#include <linux/version.h>
#include <linux/workqueue.h>

#include <hvabi/cell-config.h>
#include <hvabi/ivshmem.h>
#include <hvabi/ivshmem-net.h>

#define IVNET_NAME		"ivshmem_net"
#define IVNET_STATE_UNKNOWN	(~0u)

MODULE_DESCRIPTION("Virtual Ethernet over ivshmem links (Jailhouse ivshmem-net protocol)");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1");

/* One virtqueue as one end sees it; the pointers into the peer's
 * section are const: the hypervisor maps it read-only for us. */
struct ivnet_tx {
	struct ivnet_desc *desc;
	struct ivnet_avail *avail;
	const struct ivnet_used *used;
	u16 *used_event;		/* ours: "kick when you used this" */
	const u16 *avail_event;		/* the peer's */
	u16 last_avail;
	u16 last_used;
	u16 free_head;
	u16 pending;			/* made available, not kicked yet */
	/* Frames in flight occupy the data area from tail to head. */
	u32 head;
	u32 tail;
	u32 inflight;
};

struct ivnet_rx {
	const struct ivnet_desc *desc;
	const struct ivnet_avail *avail;
	struct ivnet_used *used;
	const u16 *used_event;		/* the peer's */
	u16 *avail_event;		/* ours */
	u16 last_avail;
	u16 last_used;
};

struct ivnet {
	struct net_device *ndev;
	struct pci_dev *pdev;
	struct napi_struct napi;
	void __iomem *regs;
	const u32 *state_table;
	u8 *own;
	const u8 *peer;
	struct ivnet_layout l;
	u32 id;
	u32 peer_id;

	struct ivnet_tx tx;
	struct ivnet_rx rx;

	/* The state machine: state_work under state_lock. */
	struct mutex state_lock;
	struct work_struct state_work;
	u32 state;
	u32 peer_state;
	bool running;			/* queue and NAPI enabled */

	u64 rx_bad;
	u64 tx_bad;
};

static void ivnet_set_state(struct ivnet *in, u32 state)
{
	/* The queues we set up are visible before the peer sees state. */
	wmb();
	WRITE_ONCE(in->state, state);
	writel(state, in->regs + HV_IVSHMEM_REG_STATE);
}

static void ivnet_kick(struct ivnet *in)
{
	writel(HV_IVSHMEM_DOORBELL(in->peer_id, IVNET_VECTOR),
	       in->regs + HV_IVSHMEM_REG_DOORBELL);
}

/* Clears our section and points both queues at the two sections. */
static void ivnet_init_queues(struct ivnet *in)
{
	const struct ivnet_layout *l = &in->l;
	struct ivnet_tx *tx = &in->tx;
	struct ivnet_rx *rx = &in->rx;
	u32 i;

	memset(in->own, 0, l->section_size);
	memset(tx, 0, sizeof(*tx));
	memset(rx, 0, sizeof(*rx));

	tx->desc = (struct ivnet_desc *)in->own;
	tx->avail = (struct ivnet_avail *)(in->own + l->avail_off);
	tx->used = (const struct ivnet_used *)(in->peer + l->used_off);
	tx->used_event = (u16 *)(in->own + ivnet_used_event_off(l));
	tx->avail_event = (const u16 *)(in->peer + ivnet_avail_event_off(l));
	for (i = 0; i + 1 < l->qlen; i++)
		tx->desc[i].next = i + 1;

	rx->desc = (const struct ivnet_desc *)in->peer;
	rx->avail = (const struct ivnet_avail *)(in->peer + l->avail_off);
	rx->used = (struct ivnet_used *)(in->own + l->used_off);
	rx->used_event = (const u16 *)(in->peer + ivnet_used_event_off(l));
	rx->avail_event = (u16 *)(in->own + ivnet_avail_event_off(l));
}

/* ---- transmit ---- */

/* Where a frame of len bytes goes if there is room, else -1. */
static s64 ivnet_tx_slot(const struct ivnet *in, u32 len)
{
	return ivnet_tx_place(&in->l, in->tx.head, in->tx.tail,
			      in->tx.inflight, len);
}

/* The largest frame the stack may hand us: MTU, header and a VLAN tag. */
static u32 ivnet_max_frame(const struct net_device *ndev)
{
	return ndev->mtu + IVNET_FRAME_EXTRA;
}

/* Takes back what the peer consumed; called with the tx lock held. */
static void ivnet_tx_clean(struct ivnet *in)
{
	struct ivnet_tx *tx = &in->tx;
	u32 mask = in->l.qlen - 1;

	while (tx->last_used != smp_load_acquire(&tx->used->idx)) {
		u32 slot = tx->last_used & mask;
		u32 id = READ_ONCE(tx->used->ring[slot].id);
		u32 len = READ_ONCE(tx->used->ring[slot].len);

		/* In order, as sent: the oldest in flight is the one our
		 * avail ring holds at this slot. */
		if (!tx->inflight || len != IVNET_USED_LEN ||
		    id != tx->avail->ring[slot]) {
			if (!in->tx_bad++)
				netdev_err(in->ndev,
					   "peer returned descriptor %u (len %u) out of order\n",
					   id, len);
			return;
		}
		tx->tail = (u32)(tx->desc[id].addr - in->l.data_off) +
			   ivnet_frame_size(tx->desc[id].len);
		tx->inflight--;
		tx->desc[id].next = tx->free_head;
		tx->free_head = id;
		tx->last_used++;
	}
	if (!tx->inflight)
		tx->head = tx->tail = 0;
}

static bool ivnet_tx_room(struct ivnet *in)
{
	return ivnet_tx_slot(in, ivnet_max_frame(in->ndev)) >= 0;
}

static void ivnet_tx_kick(struct ivnet *in)
{
	struct ivnet_tx *tx = &in->tx;
	u16 evt;

	if (!tx->pending)
		return;
	smp_mb();
	evt = READ_ONCE(*tx->avail_event);
	if (ivnet_need_event(evt, tx->last_avail,
			     tx->last_avail - tx->pending))
		ivnet_kick(in);
	tx->pending = 0;
}

static netdev_tx_t ivnet_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct ivnet *in = netdev_priv(ndev);
	struct ivnet_tx *tx = &in->tx;
	struct ivnet_desc *d;
	u32 len = skb->len;
	bool more = netdev_xmit_more();
	s64 off;
	u16 id;

	ivnet_tx_clean(in);
	if (len > ivnet_max_frame(ndev)) {
		ndev->stats.tx_dropped++;
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	off = ivnet_tx_slot(in, len);
	if (off < 0) {
		/* The queue stops before this can happen. */
		netif_stop_queue(ndev);
		return NETDEV_TX_BUSY;
	}
	skb_copy_and_csum_dev(skb, in->own + in->l.data_off + off);

	id = tx->free_head;
	d = &tx->desc[id];
	tx->free_head = d->next;
	d->addr = in->l.data_off + off;
	d->len = len;
	d->flags = 0;
	tx->head = off + ivnet_frame_size(len);
	tx->inflight++;
	tx->avail->ring[tx->last_avail & (in->l.qlen - 1)] = id;
	tx->last_avail++;
	tx->pending++;
	smp_store_release(&tx->avail->idx, tx->last_avail);

	ndev->stats.tx_packets++;
	ndev->stats.tx_bytes += len;
	dev_consume_skb_any(skb);

	if (!ivnet_tx_room(in)) {
		netif_stop_queue(ndev);
		/* Ask for a doorbell once the peer used what is in flight,
		 * then look again: it may have done so meanwhile. */
		WRITE_ONCE(*tx->used_event, tx->last_used);
		smp_mb();
		ivnet_tx_clean(in);
		if (ivnet_tx_room(in))
			netif_wake_queue(ndev);
		more = false;
	}
	if (!more)
		ivnet_tx_kick(in);
	return NETDEV_TX_OK;
}

/* ---- receive ---- */

static void ivnet_rx_done(struct ivnet *in, u16 id)
{
	struct ivnet_rx *rx = &in->rx;
	u32 slot = rx->last_used & (in->l.qlen - 1);

	rx->used->ring[slot].id = id;
	rx->used->ring[slot].len = IVNET_USED_LEN;
	rx->last_used++;
	smp_store_release(&rx->used->idx, rx->last_used);
}

/* One frame from the peer into an skb: true if an entry was consumed. */
static bool ivnet_rx_one(struct ivnet *in)
{
	struct net_device *ndev = in->ndev;
	struct ivnet_rx *rx = &in->rx;
	struct sk_buff *skb;
	u64 addr;
	u32 len;
	u16 id, flags;

	if (rx->last_avail == smp_load_acquire(&rx->avail->idx))
		return false;
	id = READ_ONCE(rx->avail->ring[rx->last_avail & (in->l.qlen - 1)]);
	rx->last_avail++;
	if (id >= in->l.qlen) {
		if (!in->rx_bad++)
			netdev_err(ndev, "peer posted descriptor %u of %u\n",
				   id, in->l.qlen);
		ndev->stats.rx_errors++;
		return true;
	}
	addr = READ_ONCE(rx->desc[id].addr);
	len = READ_ONCE(rx->desc[id].len);
	flags = READ_ONCE(rx->desc[id].flags);
	if (!ivnet_desc_ok(&in->l, addr, len, flags)) {
		if (!in->rx_bad++)
			netdev_err(ndev, "peer's descriptor %u is outside its data area (0x%llx, %u bytes, flags 0x%x)\n",
				   id, addr, len, flags);
		ndev->stats.rx_errors++;
		goto done;
	}
	if (len < ETH_HLEN) {
		ndev->stats.rx_length_errors++;
		ndev->stats.rx_errors++;
		goto done;
	}
	skb = napi_alloc_skb(&in->napi, len);
	if (!skb) {
		ndev->stats.rx_dropped++;
		goto done;
	}
	skb_put_data(skb, in->peer + addr, len);
	skb->protocol = eth_type_trans(skb, ndev);
	ndev->stats.rx_packets++;
	ndev->stats.rx_bytes += len;
	napi_gro_receive(&in->napi, skb);
done:
	ivnet_rx_done(in, id);
	return true;
}

static int ivnet_poll(struct napi_struct *napi, int budget)
{
	struct ivnet *in = container_of(napi, struct ivnet, napi);
	struct netdev_queue *txq = netdev_get_tx_queue(in->ndev, 0);
	struct ivnet_rx *rx = &in->rx;
	int done = 0;
	u16 evt;

	if (__netif_tx_trylock(txq)) {
		ivnet_tx_clean(in);
		if (netif_queue_stopped(in->ndev) && ivnet_tx_room(in))
			netif_wake_queue(in->ndev);
		__netif_tx_unlock(txq);
	}

	while (done < budget && ivnet_rx_one(in))
		done++;

	if (done) {
		smp_mb();
		evt = READ_ONCE(*rx->used_event);
		if (ivnet_need_event(evt, rx->last_used, rx->last_used - done))
			ivnet_kick(in);
	}
	if (done < budget && napi_complete_done(napi, done)) {
		/* Ask for a doorbell at the next frame, then look again. */
		WRITE_ONCE(*rx->avail_event, rx->last_avail);
		smp_mb();
		if (READ_ONCE(rx->avail->idx) != rx->last_avail)
			napi_schedule(napi);
	}
	return done;
}

/* ---- the link's state ---- */

/* Starts the queue once we are READY and the interface is up. */
static void ivnet_run(struct ivnet *in)
{
	struct net_device *ndev = in->ndev;

	if (in->state < IVNET_STATE_READY || !netif_running(ndev))
		return;
	if (!in->running) {
		in->running = true;
		napi_enable(&in->napi);
		netif_wake_queue(ndev);
		/* Frames the peer sent before we ran. */
		local_bh_disable();
		napi_schedule(&in->napi);
		local_bh_enable();
		ivnet_set_state(in, IVNET_STATE_RUN);
	}
	/* The carrier (and so the stack's transmits) once both run. */
	if (in->peer_state == IVNET_STATE_RUN)
		netif_carrier_on(ndev);
}

static void ivnet_do_stop(struct ivnet *in)
{
	ivnet_set_state(in, IVNET_STATE_RESET);
	if (!in->running)
		return;
	in->running = false;
	netif_carrier_off(in->ndev);
	/* Waits for a transmit in progress: the queues are ours again. */
	netif_tx_disable(in->ndev);
	napi_disable(&in->napi);
}

/*
 * Follows the peer's state (the same rules as upstream's driver): from
 * RESET to INIT once the peer is below READY, from INIT to READY (queues
 * set up) once the peer left RESET, RUN while the peer is READY or RUN.
 * A peer that falls back below READY while we run restarted: we stop
 * and start over; upstream waits for RESET there, and would miss a peer
 * that was gone and back to INIT before we looked.
 */
static void ivnet_state_change(struct work_struct *work)
{
	struct ivnet *in = container_of(work, struct ivnet, state_work);
	u32 ps;

	mutex_lock(&in->state_lock);
	ps = READ_ONCE(in->state_table[in->peer_id]);
	if (ps == in->peer_state)
		goto out;
	in->peer_state = ps;
	switch (in->state) {
	case IVNET_STATE_RESET:
		if (ps < IVNET_STATE_READY)
			ivnet_set_state(in, IVNET_STATE_INIT);
		break;
	case IVNET_STATE_INIT:
		if (ps > IVNET_STATE_RESET) {
			ivnet_init_queues(in);
			ivnet_set_state(in, IVNET_STATE_READY);
		}
		break;
	default:
		if (ps >= IVNET_STATE_READY) {
			ivnet_run(in);
		} else {
			netdev_info(in->ndev, "peer left (state %u): link down\n",
				    ps);
			ivnet_do_stop(in);
			if (ps == IVNET_STATE_INIT)
				ivnet_set_state(in, IVNET_STATE_INIT);
		}
		break;
	}
out:
	mutex_unlock(&in->state_lock);
}

static irqreturn_t ivnet_irq(int irq, void *data)
{
	struct ivnet *in = data;

	if (READ_ONCE(in->state_table[in->peer_id]) != READ_ONCE(in->peer_state))
		schedule_work(&in->state_work);
	napi_schedule_irqoff(&in->napi);
	return IRQ_HANDLED;
}

static int ivnet_open(struct net_device *ndev)
{
	struct ivnet *in = netdev_priv(ndev);

	mutex_lock(&in->state_lock);
	ivnet_run(in);
	mutex_unlock(&in->state_lock);
	return 0;
}

static int ivnet_stop(struct net_device *ndev)
{
	struct ivnet *in = netdev_priv(ndev);

	mutex_lock(&in->state_lock);
	ivnet_do_stop(in);
	mutex_unlock(&in->state_lock);
	return 0;
}

static const struct net_device_ops ivnet_ops = {
	.ndo_open		= ivnet_open,
	.ndo_stop		= ivnet_stop,
	.ndo_start_xmit		= ivnet_xmit,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
};

static void ivnet_get_drvinfo(struct net_device *ndev,
			      struct ethtool_drvinfo *info)
{
	struct ivnet *in = netdev_priv(ndev);

	strscpy(info->driver, IVNET_NAME, sizeof(info->driver));
	strscpy(info->bus_info, pci_name(in->pdev), sizeof(info->bus_info));
}

static const struct ethtool_ops ivnet_ethtool_ops = {
	.get_drvinfo	= ivnet_get_drvinfo,
	.get_link	= ethtool_op_get_link,
};

/* ---- the PCI device ---- */

static u64 ivnet_cfg_read64(struct pci_dev *pdev, int pos)
{
	u32 lo, hi;

	pci_read_config_dword(pdev, pos, &lo);
	pci_read_config_dword(pdev, pos + 4, &hi);
	return lo | (u64)hi << 32;
}

#define IVNET_CAP(reg)	((reg) - HV_IVSHMEM_CFG_VNDR_CAP)

static int ivnet_probe(struct pci_dev *pdev, const struct pci_device_id *pid)
{
	struct device *dev = &pdev->dev;
	u64 base, st_size, rw_size, out_size, sections;
	struct ivnet_layout l;
	struct net_device *ndev;
	void __iomem *regs;
	struct ivnet *in;
	u32 id, peers;
	void *st, *shm;
	int cap, ret;

	ret = pcim_enable_device(pdev);
	if (ret) {
		dev_err(dev, "cannot enable the device: %d\n", ret);
		return ret;
	}
	ret = pcim_iomap_regions(pdev, BIT(0), IVNET_NAME);
	if (ret) {
		dev_err(dev, "cannot map BAR0: %d\n", ret);
		return ret;
	}
	regs = pcim_iomap_table(pdev)[0];

	id = readl(regs + HV_IVSHMEM_REG_ID);
	peers = readl(regs + HV_IVSHMEM_REG_MAX_PEERS);
	if (peers != 2 || id > 1) {
		dev_err(dev, "peer %u of %u: ivshmem-net links have exactly 2 peers\n",
			id, peers);
		return -EINVAL;
	}
	cap = pci_find_capability(pdev, PCI_CAP_ID_VNDR);
	if (!cap) {
		dev_err(dev, "no vendor capability: not an ivshmem v2 device\n");
		return -EINVAL;
	}
	pci_read_config_dword(pdev, cap + IVNET_CAP(HV_IVSHMEM_CFG_STATE_TAB_SZ),
			      &peers);
	st_size = peers;
	rw_size = ivnet_cfg_read64(pdev,
				   cap + IVNET_CAP(HV_IVSHMEM_CFG_RW_SECTION_SZ));
	out_size = ivnet_cfg_read64(pdev,
				    cap + IVNET_CAP(HV_IVSHMEM_CFG_OUTPUT_SECTION_SZ));
	base = ivnet_cfg_read64(pdev, cap + IVNET_CAP(HV_IVSHMEM_CFG_ADDRESS));
	if (st_size < 2 * sizeof(u32)) {
		dev_err(dev, "state table of %llu bytes cannot hold 2 peers\n",
			st_size);
		return -EINVAL;
	}
	if (ivnet_layout_of(out_size, &l) < 0) {
		dev_err(dev, "output sections of %llu bytes: too small for the protocol (or over 4 GiB)\n",
			out_size);
		return -EINVAL;
	}
	if (rw_size > U64_MAX / 2 || base > U64_MAX - st_size - rw_size -
	    2 * out_size) {
		dev_err(dev, "shared memory at 0x%llx wraps around\n", base);
		return -EINVAL;
	}
	if (rw_size)
		dev_info(dev, "read/write section of %llu bytes: not used by this protocol\n",
			 rw_size);
	sections = base + st_size + rw_size;

	if (!devm_request_mem_region(dev, base, st_size, IVNET_NAME) ||
	    !devm_request_mem_region(dev, sections, 2 * out_size, IVNET_NAME)) {
		dev_err(dev, "shared memory at 0x%llx is taken\n", base);
		return -EBUSY;
	}
	st = devm_memremap(dev, base, st_size, MEMREMAP_WB);
	if (IS_ERR(st))
		return PTR_ERR(st);
	shm = devm_memremap(dev, sections, 2 * out_size, MEMREMAP_WB);
	if (IS_ERR(shm))
		return PTR_ERR(shm);

	ndev = alloc_etherdev(sizeof(*in));
	if (!ndev)
		return -ENOMEM;
	SET_NETDEV_DEV(ndev, dev);
	pci_set_drvdata(pdev, ndev);
	in = netdev_priv(ndev);
	in->ndev = ndev;
	in->pdev = pdev;
	in->regs = regs;
	in->state_table = st;
	in->own = (u8 *)shm + id * out_size;
	in->peer = (const u8 *)shm + !id * out_size;
	in->l = l;
	in->id = id;
	in->peer_id = !id;
	in->peer_state = IVNET_STATE_UNKNOWN;
	mutex_init(&in->state_lock);
	INIT_WORK(&in->state_work, ivnet_state_change);

	eth_hw_addr_random(ndev);
	ndev->netdev_ops = &ivnet_ops;
	ndev->ethtool_ops = &ivnet_ethtool_ops;
	ndev->min_mtu = IVNET_MTU_MIN;
	ndev->max_mtu = ivnet_mtu_max(&l);
	ndev->mtu = ivnet_mtu_default(&l);
	/* Checksums are completed while copying into the section. */
	ndev->hw_features = NETIF_F_HW_CSUM | NETIF_F_SG;
	ndev->features = ndev->hw_features;
	netif_carrier_off(ndev);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)
	netif_napi_add(ndev, &in->napi, ivnet_poll);
#else
	netif_napi_add(ndev, &in->napi, ivnet_poll, NAPI_POLL_WEIGHT);
#endif

	if (!pdev->irq) {
		dev_err(dev, "no INTx interrupt assigned\n");
		ret = -ENODEV;
		goto err_free;
	}
	ret = register_netdev(ndev);
	if (ret)
		goto err_free;
	ret = request_irq(pdev->irq, ivnet_irq, 0, netdev_name(ndev), in);
	if (ret) {
		dev_err(dev, "cannot request INTx %u: %d\n", pdev->irq, ret);
		goto err_unregister;
	}
	pci_set_master(pdev);
	/* Interrupts stay enabled after delivery (no one-shot mode). */
	pci_write_config_byte(pdev, cap + IVNET_CAP(HV_IVSHMEM_CFG_PRIV_CNTL), 0);
	writel(HV_IVSHMEM_INT_ENABLE, regs + HV_IVSHMEM_REG_INT_CTRL);
	ivnet_set_state(in, IVNET_STATE_RESET);
	schedule_work(&in->state_work);

	netdev_info(ndev, "ivshmem-net peer %u at %s: sections of %llu bytes at 0x%llx, %u descriptors, MTU %u\n",
		    id, pci_name(pdev), out_size, sections, l.qlen, ndev->mtu);
	return 0;

err_unregister:
	unregister_netdev(ndev);
err_free:
	netif_napi_del(&in->napi);
	free_netdev(ndev);
	return ret;
}

static void ivnet_remove(struct pci_dev *pdev)
{
	struct net_device *ndev = pci_get_drvdata(pdev);
	struct ivnet *in = netdev_priv(ndev);

	/* Tell the peer first, then silence the device. */
	writel(IVNET_STATE_RESET, in->regs + HV_IVSHMEM_REG_STATE);
	writel(0, in->regs + HV_IVSHMEM_REG_INT_CTRL);
	free_irq(pdev->irq, in);
	cancel_work_sync(&in->state_work);
	unregister_netdev(ndev);
	netif_napi_del(&in->napi);
	free_netdev(ndev);
}

static const struct pci_device_id ivnet_ids[] = {
	{ PCI_DEVICE(HV_IVSHMEM_VENDOR_ID, HV_IVSHMEM_DEVICE_ID),
	  .class = IVNET_CLASS, .class_mask = 0xffffff },
	{ }
};
MODULE_DEVICE_TABLE(pci, ivnet_ids);

static struct pci_driver ivnet_driver = {
	.name		= IVNET_NAME,
	.id_table	= ivnet_ids,
	.probe		= ivnet_probe,
	.remove		= ivnet_remove,
};
module_pci_driver(ivnet_driver);
