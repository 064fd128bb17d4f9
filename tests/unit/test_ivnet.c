// SPDX-License-Identifier: MIT
/*
 * Host tests of the ivshmem-net protocol pieces (include/hvabi/
 * ivshmem-net.h, inmates/lib/ivnet.c, inmates/lib/ivnet_echo.c): the
 * layout both peers derive from the section size (figures from upstream's
 * vring_size() arithmetic), two ends exchanging frames over two buffers
 * until every index and the data areas have wrapped, a peer posting
 * hostile ring entries, and net-echo's ARP and ICMP replies checked
 * against an independent checksum.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* The inmate library's files, compiled for the host. */
#include "../../inmates/lib/ivnet.c"
#include "../../inmates/lib/ivnet_echo.c"

static void test_layout(void **state)
{
	static const struct {
		uint64_t size;
		uint32_t qlen, used_off, data_off, data_size;
	} cases[] = {
		/* The QEMU board's net link: two 508 KiB outputs. */
		{ 0x7f000, 2048, 36928, 53376, 466816 },
		{ 0x100000, 4096, 73792, 106624, 941952 },
		{ 0x10000, 256, 4672, 6784, 58752 },
		{ 0x4000, 64, 1216, 1792, 14592 },
		/* Upstream's search ends at 32 entries with the size of 64. */
		{ 0x1000, 32, 640, 1792, 2304 },
	};
	struct ivnet_layout l = { 0 };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(ivnet_layout_of(cases[i].size, &l), 0);
		assert_int_equal(l.qlen, cases[i].qlen);
		assert_int_equal(l.avail_off, 16 * cases[i].qlen);
		assert_int_equal(l.used_off, cases[i].used_off);
		assert_int_equal(l.data_off, cases[i].data_off);
		assert_int_equal(l.data_size, cases[i].data_size);
		assert_true(ivnet_avail_event_off(&l) + 2 <= l.data_off);
	}
	assert_int_equal(ivnet_layout_of(0x7f000, &l), 0);
	assert_int_equal(ivnet_mtu_default(&l), 16384);
	assert_int_equal(ivnet_mtu_max(&l), 65535);
	assert_int_equal(ivnet_layout_of(0x1000, &l), 0);
	assert_int_equal(ivnet_mtu_default(&l), 144);
	assert_int_equal(ivnet_mtu_max(&l), 576);
	/* Too small for four minimum frames, or beyond 32-bit offsets. */
	assert_int_equal(ivnet_layout_of(0, &l), -1);
	assert_int_equal(ivnet_layout_of(1792 + 4 * 68 - 1, &l), -1);
	assert_int_equal(ivnet_layout_of(0x100000000ull, &l), -1);
	assert_int_equal(ivnet_frame_size(0), 64);
	assert_int_equal(ivnet_frame_size(46), 64);
	assert_int_equal(ivnet_frame_size(47), 128);
	assert_int_equal(ivnet_frame_size(1514), 1536);
}

static void test_need_event(void **state)
{
	(void)state;
	/* Moving from 4 to 7 passes events 4, 5 and 6 only. */
	assert_false(ivnet_need_event(3, 7, 4));
	assert_true(ivnet_need_event(4, 7, 4));
	assert_true(ivnet_need_event(6, 7, 4));
	assert_false(ivnet_need_event(7, 7, 4));
	/* Across the 16-bit wrap. */
	assert_true(ivnet_need_event(0xffff, 2, 0xfffe));
	assert_true(ivnet_need_event(1, 2, 0xfffe));
	assert_false(ivnet_need_event(2, 2, 0xfffe));
}

static void test_desc_ok(void **state)
{
	struct ivnet_layout l = { 0 };
	uint64_t end;

	(void)state;
	assert_int_equal(ivnet_layout_of(0x10000, &l), 0);
	end = (uint64_t)l.data_off + l.data_size;
	assert_true(ivnet_desc_ok(&l, l.data_off, 60, 0));
	assert_true(ivnet_desc_ok(&l, end - 60, 60, 0));
	assert_true(ivnet_desc_ok(&l, end - 1, 0, 0));
	assert_false(ivnet_desc_ok(&l, end - 60, 61, 0));
	assert_false(ivnet_desc_ok(&l, end, 0, 0));
	assert_false(ivnet_desc_ok(&l, l.data_off - 1, 1, 0));
	assert_false(ivnet_desc_ok(&l, 0, 1, 0));
	assert_false(ivnet_desc_ok(&l, l.data_off, 60, 1));
	assert_false(ivnet_desc_ok(&l, ~0ull, 1, 0));
	assert_false(ivnet_desc_ok(&l, l.data_off, 0xffffffffu, 0));
}

/* The sender's placement rule, which the driver and the inmate share. */
static void test_tx_place(void **state)
{
	struct ivnet_layout l = { 0 };
	uint32_t ds;

	(void)state;
	assert_int_equal(ivnet_layout_of(0x4000, &l), 0);
	ds = l.data_size;	/* 14592 */
	/* Empty: at head, or at the start when it does not fit before the
	 * end; too big for the area at all: never. */
	assert_int_equal(ivnet_tx_place(&l, 0, 0, 0, 1000), 0);
	assert_int_equal(ivnet_tx_place(&l, 4096, 4096, 0, 1000), 4096);
	assert_int_equal(ivnet_tx_place(&l, ds - 64, ds - 64, 0, 1000), 0);
	assert_int_equal(ivnet_tx_place(&l, 0, 0, 0, ds - 18), 0);
	assert_int_equal(ivnet_tx_place(&l, 0, 0, 0, ds - 17), -1);
	/* In flight from tail 1024 to head 8192: on at head, or wrapped
	 * to the start only if it ends before tail. */
	assert_int_equal(ivnet_tx_place(&l, 8192, 1024, 3, 1000), 8192);
	assert_int_equal(ivnet_tx_place(&l, ds - 512, 1024, 3, 1000), -1);
	assert_int_equal(ivnet_tx_place(&l, ds - 512, 2048, 3, 1000), 0);
	assert_int_equal(ivnet_tx_place(&l, ds - 512, 1024, 3, 100), ds - 512);
	/* Wrapped (head below tail): only between them, never touching. */
	assert_int_equal(ivnet_tx_place(&l, 1024, 4096, 3, 1000), 1024);
	assert_int_equal(ivnet_tx_place(&l, 1024, 2048, 3, 1000), -1);
	assert_int_equal(ivnet_tx_place(&l, 1024, 2049, 3, 1000), 1024);
	/* One descriptor always stays free; a head past the area is bad. */
	assert_int_equal(ivnet_tx_place(&l, 4096, 0, l.qlen - 2, 10), 4096);
	assert_int_equal(ivnet_tx_place(&l, 4096, 0, l.qlen - 1, 10), -1);
	assert_int_equal(ivnet_tx_place(&l, ds + 64, 0, 1, 10), -1);
	assert_int_equal(ivnet_tx_place(&l, 0, 0, 0, 0xffffffffu), -1);
}

/* Two 64-bit-aligned output sections and the two ends over them. */
struct link {
	uint64_t *sec[2];
	uint64_t size;
	struct ivnet_end a, b;
};

static void link_init(struct link *k, uint64_t size)
{
	k->size = size;
	k->sec[0] = malloc(size);
	k->sec[1] = malloc(size);
	assert_non_null(k->sec[0]);
	assert_non_null(k->sec[1]);
	memset(k->sec[0], 0xa5, size);
	memset(k->sec[1], 0x5a, size);
	assert_int_equal(ivnet_init(&k->a, k->sec[0], k->sec[1], size), 0);
	assert_int_equal(ivnet_init(&k->b, k->sec[1], k->sec[0], size), 0);
}

static void link_free(struct link *k)
{
	free(k->sec[0]);
	free(k->sec[1]);
}

static uint8_t pattern(uint32_t seq, uint32_t i)
{
	return (uint8_t)(seq * 31 + i * 7);
}

static void send_frame(struct ivnet_end *e, uint32_t seq, uint32_t len)
{
	volatile uint8_t *p = ivnet_tx_reserve(e, len);
	uint32_t i;

	assert_non_null(p);
	for (i = 0; i < len; i++)
		p[i] = pattern(seq, i);
	ivnet_tx_commit(e, len);
}

static void expect_frame(struct ivnet_end *e, uint32_t seq, uint32_t len)
{
	struct ivnet_frame f;
	uint32_t i;

	assert_int_equal(ivnet_rx_next(e, &f), 1);
	assert_int_equal(f.len, len);
	for (i = 0; i < len; i++)
		assert_int_equal(f.data[i], pattern(seq, i));
	ivnet_rx_done(e, f.id);
}

/*
 * Many frames of changing sizes in bursts: the 16-bit indices wrap
 * (over 65536 frames), the data area wraps many times, every frame
 * arrives intact and in order, and each side gets back all it sent.
 */
static void test_exchange_wraps(void **state)
{
	struct link k;
	uint32_t seq = 0, got = 0, burst, n, len;
	struct ivnet_frame f;

	(void)state;
	link_init(&k, 0x4000);	/* 64 descriptors, 14592 data bytes */
	while (seq < 70000) {
		burst = 1 + seq % 13;
		for (n = 0; n < burst; n++) {
			len = 42 + (seq * 97) % 1500;
			if (!ivnet_tx_reserve(&k.a, len))
				break;
			send_frame(&k.a, seq++, len);
		}
		assert_true(n > 0);
		while (got < seq) {
			len = 42 + (got * 97) % 1500;
			expect_frame(&k.b, got++, len);
		}
		assert_int_equal(ivnet_rx_next(&k.b, &f), 0);
		assert_int_equal(ivnet_tx_clean(&k.a), (int)n);
		assert_int_equal(k.a.tx_inflight, 0);
	}
	assert_int_equal(k.a.stats.tx_frames, seq);
	assert_int_equal(k.b.stats.rx_frames, seq);
	assert_int_equal(k.a.stats.tx_bad + k.b.stats.rx_bad, 0);
	link_free(&k);
}

/* With nothing returned the sender fills up and refuses, never overlaps. */
static void test_tx_full(void **state)
{
	struct link k;
	uint32_t seq = 0, i;

	(void)state;
	link_init(&k, 0x4000);
	while (ivnet_tx_reserve(&k.a, 1000))
		send_frame(&k.a, seq++, 1000);
	/* 14592 bytes hold 14 frames of 1024 bytes. */
	assert_int_equal(seq, 14);
	for (i = 0; i < 5; i++)
		expect_frame(&k.b, i, 1000);
	assert_int_equal(ivnet_tx_clean(&k.a), 5);
	/* The freed 5120 bytes are at the start: the next frames wrap
	 * there, and stop short of the oldest (head never meets tail). */
	while (ivnet_tx_reserve(&k.a, 1000))
		send_frame(&k.a, seq++, 1000);
	assert_int_equal(seq, 18);
	assert_int_equal(k.a.tx_head, 4096);
	assert_int_equal(k.a.tx_tail, 5120);
	for (; i < seq; i++)
		expect_frame(&k.b, i, 1000);
	assert_int_equal(ivnet_tx_clean(&k.a), 13);
	/* Descriptors run out before bytes with tiny frames: one stays. */
	seq = 0;
	while (ivnet_tx_reserve(&k.a, 10))
		send_frame(&k.a, 100 + seq++, 10);
	assert_int_equal(seq, 63);
	link_free(&k);
}

/* A reservation may be sent shorter; the next frame follows it. */
static void test_tx_shorter_commit(void **state)
{
	struct link k;

	(void)state;
	link_init(&k, 0x4000);
	assert_non_null(ivnet_tx_reserve(&k.a, 1500));
	ivnet_tx_commit(&k.a, 42);
	assert_int_equal(k.a.tx_head, 64);
	/* Longer than reserved: refused, nothing sent. */
	assert_non_null(ivnet_tx_reserve(&k.a, 100));
	ivnet_tx_commit(&k.a, 101);
	assert_int_equal(k.a.stats.tx_frames, 1);
	assert_int_equal(k.a.tx_last_avail, 1);
	link_free(&k);
}

static volatile struct ivnet_desc *peer_desc(struct link *k, unsigned int i)
{
	return (volatile struct ivnet_desc *)k->sec[1] + i;
}

static void peer_post(struct link *k, uint16_t idx, uint16_t id)
{
	volatile struct ivnet_avail *a = (volatile struct ivnet_avail *)
		((uint8_t *)k->sec[1] + k->a.l.avail_off);

	a->ring[idx & (k->a.l.qlen - 1)] = id;
	a->idx = (uint16_t)(idx + 1);
}

static uint16_t used_idx(struct link *k)
{
	return ((volatile struct ivnet_used *)
		((uint8_t *)k->sec[0] + k->a.l.used_off))->idx;
}

/*
 * The peer (b's side, written by hand) posts garbage: descriptor ids
 * beyond the ring, frames outside the data area, flags. Each is counted
 * and consumed, returned when its id was valid, and a good frame after
 * them still arrives.
 */
static void test_rx_hostile(void **state)
{
	struct link k;
	struct ivnet_frame f;
	const struct ivnet_layout *l;

	(void)state;
	link_init(&k, 0x4000);
	l = &k.a.l;
	peer_desc(&k, 0)->addr = l->data_off;
	peer_desc(&k, 0)->len = 60;
	peer_desc(&k, 0)->flags = 0;
	peer_desc(&k, 1)->addr = l->data_off + l->data_size - 10;
	peer_desc(&k, 1)->len = 11;
	peer_desc(&k, 1)->flags = 0;
	peer_desc(&k, 2)->addr = 0;	/* the ring itself */
	peer_desc(&k, 2)->len = 16;
	peer_desc(&k, 2)->flags = 0;
	peer_desc(&k, 3)->addr = l->data_off;
	peer_desc(&k, 3)->len = 60;
	peer_desc(&k, 3)->flags = 1;	/* chained: not this protocol */

	peer_post(&k, 0, 64);		/* no such descriptor */
	assert_int_equal(ivnet_rx_next(&k.a, &f), -1);
	assert_int_equal(used_idx(&k), 0);
	peer_post(&k, 1, 0xffff);
	assert_int_equal(ivnet_rx_next(&k.a, &f), -1);
	peer_post(&k, 2, 1);
	assert_int_equal(ivnet_rx_next(&k.a, &f), -1);
	assert_int_equal(used_idx(&k), 1);
	peer_post(&k, 3, 2);
	assert_int_equal(ivnet_rx_next(&k.a, &f), -1);
	peer_post(&k, 4, 3);
	assert_int_equal(ivnet_rx_next(&k.a, &f), -1);
	assert_int_equal(used_idx(&k), 3);
	assert_int_equal(k.a.stats.rx_bad, 5);
	assert_int_equal(ivnet_rx_next(&k.a, &f), 0);

	peer_post(&k, 5, 0);
	assert_int_equal(ivnet_rx_next(&k.a, &f), 1);
	assert_int_equal(f.len, 60);
	assert_ptr_equal(f.data, (uint8_t *)k.sec[1] + l->data_off);
	ivnet_rx_done(&k.a, f.id);
	assert_int_equal(used_idx(&k), 4);
	assert_int_equal(k.a.stats.rx_frames, 1);
	link_free(&k);
}

static volatile struct ivnet_used *peer_used(struct link *k)
{
	return (volatile struct ivnet_used *)((uint8_t *)k->sec[1] +
					      k->a.l.used_off);
}

/* The peer returns what we never sent, out of order, or malformed. */
static void test_tx_clean_hostile(void **state)
{
	struct link k;
	volatile struct ivnet_used *u;

	(void)state;
	link_init(&k, 0x4000);
	u = peer_used(&k);
	/* Nothing in flight, yet an entry. */
	u->ring[0].id = 0;
	u->ring[0].len = 1;
	u->idx = 1;
	assert_int_equal(ivnet_tx_clean(&k.a), -1);
	assert_int_equal(k.a.stats.tx_bad, 1);
	link_free(&k);

	link_init(&k, 0x4000);
	u = peer_used(&k);
	send_frame(&k.a, 1, 100);
	send_frame(&k.a, 2, 100);
	/* Second frame first: out of order. */
	u->ring[0].id = 1;
	u->ring[0].len = 1;
	u->idx = 1;
	assert_int_equal(ivnet_tx_clean(&k.a), -1);
	/* Wrong length, then beyond the ring. */
	u->ring[0].id = 0;
	u->ring[0].len = 100;
	assert_int_equal(ivnet_tx_clean(&k.a), -1);
	u->ring[0].id = 0xffffffffu;
	u->ring[0].len = 1;
	assert_int_equal(ivnet_tx_clean(&k.a), -1);
	assert_int_equal(k.a.tx_inflight, 2);
	/* A proper return is still taken. */
	u->ring[0].id = 0;
	assert_int_equal(ivnet_tx_clean(&k.a), 1);
	assert_int_equal(k.a.tx_inflight, 1);
	assert_int_equal(k.a.stats.tx_bad, 3);
	link_free(&k);
}

/* Doorbells only when the other side asked for one (event indices). */
static void test_kicks(void **state)
{
	struct link k;
	struct ivnet_frame f;

	(void)state;
	link_init(&k, 0x4000);
	/* b never armed: event 0, so the first frame needs a doorbell. */
	send_frame(&k.a, 0, 60);
	assert_true(ivnet_tx_kick_needed(&k.a, 1));
	send_frame(&k.a, 1, 60);
	assert_false(ivnet_tx_kick_needed(&k.a, 1));
	expect_frame(&k.b, 0, 60);
	expect_frame(&k.b, 1, 60);
	/* b arms at 2: the next frame rings again. */
	assert_false(ivnet_rx_arm(&k.b));
	send_frame(&k.a, 2, 60);
	assert_true(ivnet_tx_kick_needed(&k.a, 1));
	/* Arming with a frame waiting says so. */
	assert_true(ivnet_rx_arm(&k.b));
	assert_int_equal(ivnet_rx_next(&k.b, &f), 1);
	ivnet_rx_done(&k.b, f.id);
	/* a's used_event is 0 (never set): returns need no doorbell. */
	assert_false(ivnet_rx_kick_needed(&k.b, 1));
	link_free(&k);
}

/* ---- net-echo's replies ---- */

static const struct ivnet_echo_cfg cfg = {
	.mac = { 0x02, 0x00, 0x00, 0x4e, 0x45, 0x54 },
	.ip = { 192, 168, 19, 2 },
};
static const uint8_t peer_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t peer_ip[4] = { 192, 168, 19, 1 };

/* An independent checksum: sum of 16-bit words, end-around carry. */
static uint16_t ref_csum(const uint8_t *p, size_t len)
{
	uint64_t s = 0;
	size_t i;

	for (i = 0; i < len; i++)
		s += (i & 1) ? p[i] : (uint64_t)p[i] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static size_t arp_request(uint8_t *b, const uint8_t *dst_mac,
			  const uint8_t *target)
{
	memcpy(b, dst_mac, 6);
	memcpy(b + 6, peer_mac, 6);
	b[12] = 0x08;
	b[13] = 0x06;
	memcpy(b + 14, "\x00\x01\x08\x00\x06\x04\x00\x01", 8);
	memcpy(b + 22, peer_mac, 6);
	memcpy(b + 28, peer_ip, 4);
	memset(b + 32, 0, 6);
	memcpy(b + 38, target, 4);
	return 42;
}

static void test_arp(void **state)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t other[4] = { 192, 168, 19, 3 };
	uint8_t req[64], out[64];
	struct ivnet_echo_stats st = { 0 };
	size_t n;

	(void)state;
	n = arp_request(req, bcast, cfg.ip);
	assert_int_equal(ivnet_echo_reply(&cfg, req, n, out, sizeof(out), &st),
			 42);
	assert_memory_equal(out, peer_mac, 6);
	assert_memory_equal(out + 6, cfg.mac, 6);
	assert_memory_equal(out + 12, "\x08\x06\x00\x01\x08\x00\x06\x04\x00\x02",
			    10);
	assert_memory_equal(out + 22, cfg.mac, 6);
	assert_memory_equal(out + 28, cfg.ip, 4);
	assert_memory_equal(out + 32, peer_mac, 6);
	assert_memory_equal(out + 38, peer_ip, 4);
	assert_int_equal(st.arp_replies, 1);

	/* For another address, or a reply: no answer. */
	n = arp_request(req, bcast, other);
	assert_int_equal(ivnet_echo_reply(&cfg, req, n, out, 64, &st), 0);
	n = arp_request(req, bcast, cfg.ip);
	req[21] = 2;
	assert_int_equal(ivnet_echo_reply(&cfg, req, n, out, 64, &st), 0);
	/* To some other station's MAC. */
	n = arp_request(req, peer_mac, cfg.ip);
	assert_int_equal(ivnet_echo_reply(&cfg, req, n, out, 64, &st), 0);
	assert_int_equal(st.ignored, 3);
	/* Truncated, not Ethernet/IPv4, no room for the reply. */
	n = arp_request(req, bcast, cfg.ip);
	assert_int_equal(ivnet_echo_reply(&cfg, req, 41, out, 64, &st), 0);
	assert_int_equal(ivnet_echo_reply(&cfg, req, 13, out, 64, &st), 0);
	assert_int_equal(ivnet_echo_reply(&cfg, req, n, out, 41, &st), 0);
	req[19] = 5;
	assert_int_equal(ivnet_echo_reply(&cfg, req, n, out, 64, &st), 0);
	assert_int_equal(st.malformed, 4);
	assert_int_equal(st.arp_replies, 1);
}

/* An echo request with optlen bytes of IP options and datalen of data. */
static size_t echo_request(uint8_t *b, size_t optlen, size_t datalen)
{
	size_t ihl = 20 + optlen, i;
	uint8_t *ip = b + 14, *ic = ip + ihl;
	uint16_t c;

	memcpy(b, cfg.mac, 6);
	memcpy(b + 6, peer_mac, 6);
	b[12] = 0x08;
	b[13] = 0x00;
	ip[0] = (uint8_t)(0x40 | ihl / 4);
	ip[1] = 0;
	ip[2] = (uint8_t)((ihl + 8 + datalen) >> 8);
	ip[3] = (uint8_t)(ihl + 8 + datalen);
	ip[4] = 0x12;
	ip[5] = 0x34;
	ip[6] = 0x40;	/* DF */
	ip[7] = 0;
	ip[8] = 64;
	ip[9] = 1;
	ip[10] = ip[11] = 0;
	memcpy(ip + 12, peer_ip, 4);
	memcpy(ip + 16, cfg.ip, 4);
	memset(ip + 20, 1, optlen);	/* NOPs */
	c = ref_csum(ip, ihl);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	ic[0] = 8;
	ic[1] = 0;
	ic[2] = ic[3] = 0;
	ic[4] = 0xbe;	/* identifier */
	ic[5] = 0xef;
	ic[6] = 0;	/* sequence */
	ic[7] = 7;
	for (i = 0; i < datalen; i++)
		ic[8 + i] = (uint8_t)(i * 13 + 1);
	c = ref_csum(ic, 8 + datalen);
	ic[2] = (uint8_t)(c >> 8);
	ic[3] = (uint8_t)c;
	return 14 + ihl + 8 + datalen;
}

static void check_echo_reply(const uint8_t *req, size_t optlen,
			     const uint8_t *out, size_t n, size_t datalen)
{
	const uint8_t *ip = out + 14, *ic = ip + 20;
	const uint8_t *qic = req + 14 + 20 + optlen;

	assert_int_equal(n, 14 + 20 + 8 + datalen);
	assert_memory_equal(out, peer_mac, 6);
	assert_memory_equal(out + 6, cfg.mac, 6);
	assert_int_equal(out[12], 0x08);
	assert_int_equal(out[13], 0x00);
	assert_int_equal(ip[0], 0x45);
	assert_int_equal((ip[2] << 8) | ip[3], 20 + 8 + datalen);
	assert_int_equal(ip[9], 1);
	assert_memory_equal(ip + 12, cfg.ip, 4);
	assert_memory_equal(ip + 16, peer_ip, 4);
	/* A correct checksum sums to all ones: ref_csum() gives 0. */
	assert_int_equal(ref_csum(ip, 20), 0);
	assert_int_equal(ic[0], 0);
	assert_int_equal(ic[1], 0);
	assert_int_equal(ref_csum(ic, 8 + datalen), 0);
	assert_memory_equal(ic + 4, qic + 4, 4 + datalen);
}

static void test_icmp_echo(void **state)
{
	static const size_t sizes[] = { 0, 1, 56, 57, 1472, 16000 };
	struct ivnet_echo_stats st = { 0 };
	uint8_t *req = malloc(17000), *out = malloc(17000);
	unsigned int i;
	size_t n;

	(void)state;
	assert_non_null(req);
	assert_non_null(out);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		n = echo_request(req, 0, sizes[i]);
		assert_int_equal(ivnet_echo_reply(&cfg, req, n, out, 17000,
						  &st), n);
		check_echo_reply(req, 0, out, n, sizes[i]);
	}
	/* IP options are not echoed; Ethernet padding after the packet
	 * is no part of it. */
	n = echo_request(req, 8, 56);
	memset(req + n, 0xee, 20);
	assert_int_equal(ivnet_echo_reply(&cfg, req, n + 20, out, 17000, &st),
			 n - 8);
	check_echo_reply(req, 8, out, n - 8, 56);
	/* Broadcast destination MAC is fine too. */
	n = echo_request(req, 0, 56);
	memset(req, 0xff, 6);
	assert_int_equal(ivnet_echo_reply(&cfg, req, n, out, 17000, &st), n);
	assert_int_equal(st.icmp_replies, 8);
	assert_int_equal(st.malformed + st.ignored, 0);
	free(req);
	free(out);
}

static void fix_ip_csum(uint8_t *frame)
{
	uint16_t c;

	frame[14 + 10] = frame[14 + 11] = 0;
	c = ref_csum(frame + 14, 20);
	frame[14 + 10] = (uint8_t)(c >> 8);
	frame[14 + 11] = (uint8_t)c;
}

static void test_icmp_refused(void **state)
{
	struct ivnet_echo_stats st = { 0 };
	uint8_t req[200], out[200];
	size_t n = echo_request(req, 0, 56);
	uint8_t save;

	(void)state;
	/* Malformed: each field broken in turn. */
	req[14 + 10] ^= 1;		/* IP checksum */
	assert_int_equal(ivnet_echo_reply(&cfg, req, n, out, 200, &st), 0);
	req[14 + 10] ^= 1;
	req[14 + 20 + 9] ^= 1;		/* ICMP data: checksum wrong */
	assert_int_equal(ivnet_echo_reply(&cfg, req, n, out, 200, &st), 0);
	req[14 + 20 + 9] ^= 1;
	/* Total length beyond the frame. */
	assert_int_equal(ivnet_echo_reply(&cfg, req, n - 1, out, 200, &st), 0);
	/* Header shorter than 20 bytes, or version 6. */
	save = req[14];
	req[14] = 0x44;
	assert_int_equal(ivnet_echo_reply(&cfg, req, n, out, 200, &st), 0);
	req[14] = 0x65;
	assert_int_equal(ivnet_echo_reply(&cfg, req, n, out, 200, &st), 0);
	req[14] = save;
	/* No room for the reply. */
	assert_int_equal(ivnet_echo_reply(&cfg, req, n, out, n - 1, &st), 0);
	assert_int_equal(st.malformed, 6);

	/* Ignored: not to us, fragments, not ICMP, not an echo request. */
	n = echo_request(req, 0, 56);
	req[14 + 19] = 9;
	fix_ip_csum(req);
	assert_int_equal(ivnet_echo_reply(&cfg, req, n, out, 200, &st), 0);
	n = echo_request(req, 0, 56);
	req[14 + 6] = 0x20;		/* more fragments */
	fix_ip_csum(req);
	assert_int_equal(ivnet_echo_reply(&cfg, req, n, out, 200, &st), 0);
	n = echo_request(req, 0, 56);
	req[12] = 0x86;
	req[13] = 0xdd;			/* IPv6 */
	assert_int_equal(ivnet_echo_reply(&cfg, req, n, out, 200, &st), 0);
	n = echo_request(req, 0, 56);
	req[14 + 20] = 0;		/* an echo reply: no answer */
	req[14 + 20 + 2] = (uint8_t)(req[14 + 20 + 2] + 8);
	assert_int_equal(ivnet_echo_reply(&cfg, req, n, out, 200, &st), 0);
	assert_int_equal(st.ignored, 4);
	assert_int_equal(st.icmp_replies, 0);
}

/* Every truncation of a good request is refused without reading past it. */
static void test_truncations(void **state)
{
	struct ivnet_echo_stats st = { 0 };
	uint8_t req[200], out[200];
	size_t n, len;
	uint8_t *exact;

	(void)state;
	n = echo_request(req, 4, 30);
	for (len = 0; len < n; len++) {
		/* An allocation of exactly len bytes: ASan sees overreads. */
		exact = malloc(len ? len : 1);
		assert_non_null(exact);
		memcpy(exact, req, len);
		assert_int_equal(ivnet_echo_reply(&cfg, exact, (uint32_t)len,
						  out, 200, &st), 0);
		free(exact);
	}
	assert_int_equal(st.malformed, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_need_event),
		cmocka_unit_test(test_desc_ok),
		cmocka_unit_test(test_tx_place),
		cmocka_unit_test(test_exchange_wraps),
		cmocka_unit_test(test_tx_full),
		cmocka_unit_test(test_tx_shorter_commit),
		cmocka_unit_test(test_rx_hostile),
		cmocka_unit_test(test_tx_clean_hostile),
		cmocka_unit_test(test_kicks),
		cmocka_unit_test(test_arp),
		cmocka_unit_test(test_icmp_echo),
		cmocka_unit_test(test_icmp_refused),
		cmocka_unit_test(test_truncations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
