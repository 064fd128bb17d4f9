/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * The ivshmem-net protocol (virtual Ethernet over a 2-peer ivshmem link,
 * class code 0xff0001), as upstream Jailhouse's Linux driver speaks it;
 * doc/ivshmem-net.md describes it in prose. Shared by the root's driver
 * (driver/ivshmem_net.c), the net-echo inmate and the host tests.
 *
 * Each peer's output section holds one split virtqueue (descriptor table,
 * available ring, used ring, aligned to 64 bytes) followed by a data area.
 * A peer transmits through the descriptors and available ring of its own
 * section; the receiver returns descriptors through the used ring in ITS
 * own section, at the same offset. So every byte a peer writes lies in
 * its own output section, which is all the hypervisor lets it write.
 *
 * Descriptor addr is the frame's offset from the start of the sender's
 * section; len its length in bytes; flags must be 0. Used entries carry
 * the descriptor index and len 1. Event indices (VIRTIO_RING_F_EVENT_IDX
 * style) decide when a doorbell is needed.
 */
#ifndef HVABI_IVSHMEM_NET_H
#define HVABI_IVSHMEM_NET_H

#include "types.h"

/* The class code's low 16 bits (subclass, prog-if) for this protocol. */
#define IVNET_PROTOCOL		0x0001
#define IVNET_CLASS		0xff0001

/* Peer states, written to the State register (and so the state table). */
#define IVNET_STATE_RESET	0
#define IVNET_STATE_INIT	1
#define IVNET_STATE_READY	2
#define IVNET_STATE_RUN		3

/* Doorbell vector for both data and state changes with INTx. */
#define IVNET_VECTOR		0

#define IVNET_VQ_ALIGN		64u
#define IVNET_QLEN_MAX		4096u
#define IVNET_QLEN_MIN		32u
/* Frames take 18 bytes more than their length, rounded up to 64. */
#define IVNET_FRAME_EXTRA	18u
#define IVNET_FRAME_ALIGN	64u
#define IVNET_MTU_DEFAULT	16384u
#define IVNET_MTU_MIN		68u	/* ETH_MIN_MTU */
#define IVNET_MTU_MAX		65535u	/* ETH_MAX_MTU */
#define IVNET_ETH_HLEN		14u
/* The len of every used-ring entry. */
#define IVNET_USED_LEN		1u

struct ivnet_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct ivnet_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];	/* qlen entries, then used_event */
};

struct ivnet_used_elem {
	uint32_t id;
	uint32_t len;
};

struct ivnet_used {
	uint16_t flags;
	uint16_t idx;
	struct ivnet_used_elem ring[];	/* qlen entries, then avail_event */
};

HV_ABI_SIZE(struct ivnet_desc, 16);
HV_ABI_OFFSET(struct ivnet_desc, len, 8);
HV_ABI_OFFSET(struct ivnet_desc, flags, 12);
HV_ABI_OFFSET(struct ivnet_desc, next, 14);
HV_ABI_SIZE(struct ivnet_avail, 4);
HV_ABI_OFFSET(struct ivnet_avail, ring, 4);
HV_ABI_SIZE(struct ivnet_used_elem, 8);
HV_ABI_SIZE(struct ivnet_used, 4);
HV_ABI_OFFSET(struct ivnet_used, ring, 4);

/* Where things are in one output section; the same for both peers. */
struct ivnet_layout {
	uint32_t qlen;		/* ring entries, a power of two */
	uint32_t avail_off;	/* available ring */
	uint32_t used_off;	/* used ring */
	uint32_t data_off;	/* data area = ring bytes, 64-aligned */
	uint32_t data_size;	/* bytes of the data area */
	uint32_t section_size;
};

#define IVNET_ALIGN(x, a)	(((x) + ((a) - 1)) & ~((uint64_t)(a) - 1))

static inline uint32_t ivnet_frame_size(uint32_t len)
{
	return (uint32_t)IVNET_ALIGN((uint64_t)len + IVNET_FRAME_EXTRA,
				     IVNET_FRAME_ALIGN);
}

/* Offset of the used ring in a ring of qlen entries. */
static inline uint32_t ivnet_used_off(uint32_t qlen)
{
	/* descriptors, then flags, idx, ring[qlen], used_event */
	return (uint32_t)IVNET_ALIGN(16ull * qlen + 2ull * (3 + qlen),
				     IVNET_VQ_ALIGN);
}

/* Bytes of a ring of qlen entries, as vring_size() counts them. */
static inline uint32_t ivnet_ring_bytes(uint32_t qlen)
{
	return ivnet_used_off(qlen) + 2u * 3 + 8u * qlen;
}

/*
 * The layout both peers derive from the output section size: the
 * longest ring (4096 entries down) whose 64-aligned size is under an
 * eighth of the section, the rest is data. Upstream's search stops at 32
 * entries keeping the size it computed for 64; that is reproduced, so
 * both ends agree on tiny sections too. Returns 0, or -1 when the
 * section is too small (under 4 minimum frames of data) or over 4 GiB.
 */
static inline int ivnet_layout_of(uint64_t section_size, struct ivnet_layout *l)
{
	uint32_t qlen, rsize = 0;

	if (section_size > 0xffffffffull)
		return -1;
	for (qlen = IVNET_QLEN_MAX; qlen > IVNET_QLEN_MIN; qlen >>= 1) {
		rsize = (uint32_t)IVNET_ALIGN(ivnet_ring_bytes(qlen),
					      IVNET_VQ_ALIGN);
		if (rsize < section_size / 8)
			break;
	}
	if (rsize > section_size ||
	    section_size - rsize < 4ull * IVNET_MTU_MIN)
		return -1;
	l->qlen = qlen;
	l->avail_off = 16u * qlen;
	l->used_off = ivnet_used_off(qlen);
	l->data_off = rsize;
	l->data_size = (uint32_t)(section_size - rsize);
	l->section_size = (uint32_t)section_size;
	return 0;
}

/*
 * The event indices, each behind its ring's last entry: used_event (in
 * the sender's avail ring: "ring the doorbell once you used this entry")
 * and avail_event (in the receiver's used ring: "ring once you made this
 * entry available").
 */
static inline uint32_t ivnet_used_event_off(const struct ivnet_layout *l)
{
	return l->avail_off + 4 + 2 * l->qlen;
}

static inline uint32_t ivnet_avail_event_off(const struct ivnet_layout *l)
{
	return l->used_off + 4 + 8 * l->qlen;
}

/* The largest MTU a peer may use on this layout, and the default. */
static inline uint32_t ivnet_mtu_max(const struct ivnet_layout *l)
{
	return l->data_size / 4 < IVNET_MTU_MAX ? l->data_size / 4 :
						   IVNET_MTU_MAX;
}

static inline uint32_t ivnet_mtu_default(const struct ivnet_layout *l)
{
	return l->data_size / 16 < IVNET_MTU_DEFAULT ? l->data_size / 16 :
							IVNET_MTU_DEFAULT;
}

/*
 * A descriptor read from the peer (copied once into locals): is its
 * frame inside the data area of the peer's section? Hostile input.
 */
static inline int ivnet_desc_ok(const struct ivnet_layout *l, uint64_t addr,
				uint32_t len, uint16_t flags)
{
	uint64_t end = (uint64_t)l->data_off + l->data_size;

	if (flags != 0 || addr < l->data_off || addr >= end)
		return 0;
	return len <= end - addr;
}

/*
 * Where a sender puts its next frame of len bytes in its data area, or -1
 * when it does not fit now. Frames in flight (inflight of them) occupy
 * the area from tail to head, wrapping at its end; a frame goes at head,
 * or at the start when it does not fit before the end. head never meets
 * tail while frames are in flight, and one descriptor stays unused. The
 * receiver does not rely on this placement: any frame inside the area is
 * valid (ivnet_desc_ok), so this is each sender's own rule.
 */
static inline int64_t ivnet_tx_place(const struct ivnet_layout *l,
				     uint32_t head, uint32_t tail,
				     uint32_t inflight, uint32_t len)
{
	uint64_t fs = (uint64_t)len + IVNET_FRAME_EXTRA;
	uint32_t off;

	fs = IVNET_ALIGN(fs, IVNET_FRAME_ALIGN);
	if (fs > l->data_size || inflight + 1 >= l->qlen ||
	    head > l->data_size)
		return -1;
	off = l->data_size - head < fs ? 0 : head;
	if (inflight) {
		if (head > tail ? off == 0 && fs >= tail :
				  off != head || head + fs >= tail)
			return -1;
	}
	return (int64_t)off;
}

/* True when moving an index from old to new_idx passes event: notify. */
static inline int ivnet_need_event(uint16_t event, uint16_t new_idx,
				   uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

#endif /* !HVABI_IVSHMEM_NET_H */
