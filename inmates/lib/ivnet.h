/* SPDX-License-Identifier: MIT */
/*
 * One end of an ivshmem-net link (include/hvabi/ivshmem-net.h) over plain
 * memory: the queues in the two output sections, and the ARP and ICMP
 * echo replies the net-echo demo sends. No hypervisor access here (the
 * caller rings doorbells and moves the state), so the host tests build
 * these files as they are and feed them hostile rings and frames.
 *
 * Everything the peer wrote is read once into locals and checked before
 * use: ring indices, descriptor ids, offsets and lengths, packet fields.
 */
#ifndef INMATE_IVNET_H
#define INMATE_IVNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hvabi/ivshmem-net.h>

struct ivnet_stats {
	uint64_t rx_frames;
	uint64_t tx_frames;
	/* Peer errors: avail entries naming no descriptor, descriptors
	 * outside the data area, used entries out of order or malformed. */
	uint64_t rx_bad;
	uint64_t tx_bad;
};

struct ivnet_end {
	struct ivnet_layout l;
	volatile uint8_t *own;		/* own output section (we write) */
	const volatile uint8_t *peer;	/* peer's output section */

	/* Our queue: descriptors and avail ring in own, used ring in peer. */
	volatile struct ivnet_desc *tx_desc;
	volatile struct ivnet_avail *tx_avail;
	const volatile struct ivnet_used *tx_used;
	/* Peer's queue: descriptors and avail ring in peer, used in own. */
	const volatile struct ivnet_desc *rx_desc;
	const volatile struct ivnet_avail *rx_avail;
	volatile struct ivnet_used *rx_used;

	uint16_t rx_last_avail;
	uint16_t rx_last_used;
	uint16_t tx_last_avail;
	uint16_t tx_last_used;
	/* Frames in flight occupy the data area from tail to head. */
	uint32_t tx_head;
	uint32_t tx_tail;
	uint32_t tx_inflight;
	uint16_t tx_free_head;
	/* The slot ivnet_tx_reserve() handed out: offset in the data area. */
	uint32_t tx_resv_off;
	uint32_t tx_resv_len;
	bool tx_resv;
	struct ivnet_stats stats;
};

/* A frame the peer sent, valid until ivnet_rx_done(). */
struct ivnet_frame {
	const volatile uint8_t *data;
	uint32_t len;
	uint16_t id;
};

/*
 * Sets up both queues over the sections (each size bytes) and clears
 * own: what a peer does on its way from INIT to READY. -1 when the size
 * gives no valid layout.
 */
int ivnet_init(struct ivnet_end *e, volatile void *own,
	       const volatile void *peer, uint64_t size);

/* 1 and the next frame, 0 when none is waiting, -1 when the peer posted
 * a bad entry (counted, consumed, and returned if its id was valid). */
int ivnet_rx_next(struct ivnet_end *e, struct ivnet_frame *f);
/* Hands the frame's descriptor back to the peer through the used ring. */
void ivnet_rx_done(struct ivnet_end *e, uint16_t id);
/* After returning num descriptors: does the peer want a doorbell? */
bool ivnet_rx_kick_needed(const struct ivnet_end *e, unsigned int num);
/* Asks for a doorbell at the peer's next frame; true if one already
 * arrived meanwhile (poll again). */
bool ivnet_rx_arm(struct ivnet_end *e);

/* Takes back the descriptors the peer used: their count, or -1 when the
 * peer returned something we never sent (counted; the rest is left). */
int ivnet_tx_clean(struct ivnet_end *e);
/* Room for a frame of up to len bytes in the data area, or NULL. */
volatile uint8_t *ivnet_tx_reserve(struct ivnet_end *e, uint32_t len);
/* Sends the reserved frame with its final length (<= the reserved). */
void ivnet_tx_commit(struct ivnet_end *e, uint32_t len);
/* After sending num frames: does the peer want a doorbell? */
bool ivnet_tx_kick_needed(const struct ivnet_end *e, unsigned int num);

/* net-echo's replies (ivnet_echo.c). */
struct ivnet_echo_cfg {
	uint8_t mac[6];
	uint8_t ip[4];
};

struct ivnet_echo_stats {
	uint64_t arp_replies;
	uint64_t icmp_replies;
	uint64_t ignored;	/* not for us, or not ARP request / echo */
	uint64_t malformed;	/* truncated, bad lengths or checksums */
};

/*
 * The reply to frame req (len bytes, the peer's memory: read with care)
 * written to out (cap bytes): its length, or 0 when there is none. ARP
 * requests for cfg->ip and ICMP echo requests to it are answered; IPv4
 * and ICMP checksums of the request are checked, the reply's computed.
 */
uint32_t ivnet_echo_reply(const struct ivnet_echo_cfg *cfg,
			  const volatile uint8_t *req, uint32_t len,
			  volatile uint8_t *out, uint32_t cap,
			  struct ivnet_echo_stats *st);

/* The Internet checksum (RFC 1071) of len bytes, folded, not inverted. */
uint32_t ivnet_csum_add(uint32_t sum, const volatile uint8_t *p,
			uint32_t len);
uint16_t ivnet_csum_fold(uint32_t sum);

#endif /* !INMATE_IVNET_H */
