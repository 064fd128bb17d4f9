// SPDX-License-Identifier: MIT
/*
 * The queues of one ivshmem-net end (ivnet.h). Our frames go out through
 * the descriptors and avail ring at the start of our output section and
 * come back through the used ring the peer keeps at the same offset of
 * its section; the peer's frames arrive the other way round.
 *
 * Inmates access the sections as Device memory (MMU off), so every
 * access goes through volatile pointers and the ordering points are
 * explicit barriers.
 */
#include "ivnet.h"

/* Orders the accesses before it against those after it (dmb ish). */
static inline void ivnet_mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static void zero(volatile uint8_t *p, uint32_t len)
{
	uint32_t i;

	/* 64-bit stores where aligned: the section is large. */
	for (i = 0; i < len && ((uintptr_t)(p + i) & 7); i++)
		p[i] = 0;
	for (; i + 8 <= len; i += 8)
		*(volatile uint64_t *)(p + i) = 0;
	for (; i < len; i++)
		p[i] = 0;
}

int ivnet_init(struct ivnet_end *e, volatile void *own,
	       const volatile void *peer, uint64_t size)
{
	struct ivnet_layout l;
	volatile uint8_t *o = own;
	const volatile uint8_t *p = peer;
	uint32_t i;

	if (ivnet_layout_of(size, &l) < 0)
		return -1;
	zero((volatile uint8_t *)e, sizeof(*e));
	e->l = l;
	e->own = o;
	e->peer = p;
	zero(o, l.section_size);

	e->tx_desc = (volatile struct ivnet_desc *)o;
	e->tx_avail = (volatile struct ivnet_avail *)(o + l.avail_off);
	e->tx_used = (const volatile struct ivnet_used *)(p + l.used_off);
	e->rx_desc = (const volatile struct ivnet_desc *)p;
	e->rx_avail = (const volatile struct ivnet_avail *)(p + l.avail_off);
	e->rx_used = (volatile struct ivnet_used *)(o + l.used_off);

	/* Free descriptors chained through next, as the sender keeps them. */
	for (i = 0; i + 1 < l.qlen; i++)
		e->tx_desc[i].next = (uint16_t)(i + 1);
	e->tx_free_head = 0;
	ivnet_mb();
	return 0;
}

int ivnet_rx_next(struct ivnet_end *e, struct ivnet_frame *f)
{
	uint32_t qlen = e->l.qlen;
	uint16_t idx, id, flags;
	uint64_t addr;
	uint32_t len;

	idx = e->rx_avail->idx;
	if (idx == e->rx_last_avail)
		return 0;
	/* The entry and descriptor were written before idx. */
	ivnet_mb();
	id = e->rx_avail->ring[e->rx_last_avail & (qlen - 1)];
	e->rx_last_avail++;
	if (id >= qlen) {
		e->stats.rx_bad++;
		return -1;
	}
	addr = e->rx_desc[id].addr;
	len = e->rx_desc[id].len;
	flags = e->rx_desc[id].flags;
	if (!ivnet_desc_ok(&e->l, addr, len, flags)) {
		e->stats.rx_bad++;
		ivnet_rx_done(e, id);
		return -1;
	}
	f->data = e->peer + addr;
	f->len = len;
	f->id = id;
	e->stats.rx_frames++;
	return 1;
}

void ivnet_rx_done(struct ivnet_end *e, uint16_t id)
{
	uint32_t slot = e->rx_last_used & (e->l.qlen - 1);

	e->rx_used->ring[slot].id = id;
	e->rx_used->ring[slot].len = IVNET_USED_LEN;
	e->rx_last_used++;
	/* The entry before the index that publishes it. */
	ivnet_mb();
	e->rx_used->idx = e->rx_last_used;
}

bool ivnet_rx_kick_needed(const struct ivnet_end *e, unsigned int num)
{
	uint16_t evt;

	ivnet_mb();
	evt = *(const volatile uint16_t *)(e->peer +
					     ivnet_used_event_off(&e->l));
	return ivnet_need_event(evt, e->rx_last_used,
				(uint16_t)(e->rx_last_used - num));
}

bool ivnet_rx_arm(struct ivnet_end *e)
{
	*(volatile uint16_t *)(e->own + ivnet_avail_event_off(&e->l)) =
		e->rx_last_avail;
	ivnet_mb();
	return e->rx_avail->idx != e->rx_last_avail;
}

int ivnet_tx_clean(struct ivnet_end *e)
{
	uint32_t mask = e->l.qlen - 1;
	int n = 0;

	for (;;) {
		uint16_t idx = e->tx_used->idx;
		uint32_t slot, id, ulen;

		if (idx == e->tx_last_used)
			break;
		ivnet_mb();
		slot = e->tx_last_used & mask;
		id = e->tx_used->ring[slot].id;
		ulen = e->tx_used->ring[slot].len;
		/* The peer returns frames in the order we sent them: the
		 * oldest in flight is the one our avail ring names here. */
		if (!e->tx_inflight || ulen != IVNET_USED_LEN ||
		    id != e->tx_avail->ring[slot]) {
			e->stats.tx_bad++;
			return -1;
		}
		/* Our own descriptor, in memory only we write. */
		e->tx_tail = (uint32_t)(e->tx_desc[id].addr - e->l.data_off) +
			     ivnet_frame_size(e->tx_desc[id].len);
		e->tx_inflight--;
		e->tx_desc[id].next = e->tx_free_head;
		e->tx_free_head = (uint16_t)id;
		e->tx_last_used++;
		n++;
	}
	if (!e->tx_inflight)
		e->tx_head = e->tx_tail = 0;
	return n;
}

volatile uint8_t *ivnet_tx_reserve(struct ivnet_end *e, uint32_t len)
{
	int64_t off = ivnet_tx_place(&e->l, e->tx_head, e->tx_tail,
				     e->tx_inflight, len);

	if (off < 0)
		return NULL;
	e->tx_resv = true;
	e->tx_resv_off = (uint32_t)off;
	e->tx_resv_len = len;
	return e->own + e->l.data_off + off;
}

void ivnet_tx_commit(struct ivnet_end *e, uint32_t len)
{
	uint32_t qlen = e->l.qlen;
	uint16_t id = e->tx_free_head;
	volatile struct ivnet_desc *d = &e->tx_desc[id];

	if (!e->tx_resv || len > e->tx_resv_len)
		return;
	e->tx_resv = false;
	e->tx_free_head = d->next;
	d->addr = (uint64_t)e->l.data_off + e->tx_resv_off;
	d->len = len;
	d->flags = 0;
	e->tx_head = e->tx_resv_off + ivnet_frame_size(len);
	e->tx_inflight++;
	e->tx_avail->ring[e->tx_last_avail & (qlen - 1)] = id;
	e->tx_last_avail++;
	/* Descriptor and entry before the index that publishes them. */
	ivnet_mb();
	e->tx_avail->idx = e->tx_last_avail;
	e->stats.tx_frames++;
}

bool ivnet_tx_kick_needed(const struct ivnet_end *e, unsigned int num)
{
	uint16_t evt;

	ivnet_mb();
	evt = *(const volatile uint16_t *)(e->peer +
					     ivnet_avail_event_off(&e->l));
	return ivnet_need_event(evt, e->tx_last_avail,
				(uint16_t)(e->tx_last_avail - num));
}
