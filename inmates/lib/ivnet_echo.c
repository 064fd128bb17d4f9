// SPDX-License-Identifier: MIT
/*
 * net-echo's answers (ivnet.h): ARP replies for its address and ICMP
 * echo replies, built from frames the peer wrote. The request stays in
 * the peer's memory, which the peer may change while we read it: every
 * length is read once and checked, and the reply's checksums are
 * computed over the reply as written, so it is consistent whatever the
 * peer did meanwhile.
 */
#include "ivnet.h"

#define ETH_ALEN	6
#define ETH_HLEN	14
#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
#define ARP_LEN		28
#define IP_HLEN		20
#define IP_PROTO_ICMP	1
#define ICMP_ECHO	8
#define ICMP_ECHOREPLY	0
#define ICMP_HLEN	8

static uint16_t get16(const volatile uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(volatile uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void copy(volatile uint8_t *d, const volatile uint8_t *s, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		d[i] = s[i];
}

static bool same(const volatile uint8_t *a, const uint8_t *b, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

uint32_t ivnet_csum_add(uint32_t sum, const volatile uint8_t *p, uint32_t len)
{
	uint32_t i;

	for (i = 0; i + 1 < len; i += 2) {
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
		/* Fold early: no overflow whatever the length. */
		if (sum & 0x80000000u)
			sum = (sum & 0xffff) + (sum >> 16);
	}
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

uint16_t ivnet_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static void eth_reply(const struct ivnet_echo_cfg *cfg,
		      const volatile uint8_t *req, volatile uint8_t *out,
		      uint16_t type)
{
	copy(out, req + ETH_ALEN, ETH_ALEN);	/* to the sender */
	copy(out + ETH_ALEN, (const volatile uint8_t *)cfg->mac, ETH_ALEN);
	put16(out + 12, type);
}

static uint32_t arp_reply(const struct ivnet_echo_cfg *cfg,
			  const volatile uint8_t *req, uint32_t len,
			  volatile uint8_t *out, uint32_t cap,
			  struct ivnet_echo_stats *st)
{
	const volatile uint8_t *a = req + ETH_HLEN;
	volatile uint8_t *r = out + ETH_HLEN;

	if (len < ETH_HLEN + ARP_LEN || cap < ETH_HLEN + ARP_LEN) {
		st->malformed++;
		return 0;
	}
	/* Ethernet/IPv4 requests only, for our address. */
	if (get16(a) != 1 || get16(a + 2) != ETH_P_IP || a[4] != ETH_ALEN ||
	    a[5] != 4) {
		st->malformed++;
		return 0;
	}
	if (get16(a + 6) != 1 || !same(a + 24, cfg->ip, 4)) {
		st->ignored++;
		return 0;
	}
	eth_reply(cfg, req, out, ETH_P_ARP);
	/* The request's sender becomes the target. */
	copy(r + 18, a + 8, ETH_ALEN + 4);
	put16(r, 1);
	put16(r + 2, ETH_P_IP);
	r[4] = ETH_ALEN;
	r[5] = 4;
	put16(r + 6, 2);
	copy(r + 8, (const volatile uint8_t *)cfg->mac, ETH_ALEN);
	copy(r + 14, (const volatile uint8_t *)cfg->ip, 4);
	/* The reply's Ethernet destination is the ARP sender too. */
	copy(out, r + 18, ETH_ALEN);
	st->arp_replies++;
	return ETH_HLEN + ARP_LEN;
}

static uint32_t icmp_reply(const struct ivnet_echo_cfg *cfg,
			   const volatile uint8_t *req, uint32_t len,
			   volatile uint8_t *out, uint32_t cap,
			   struct ivnet_echo_stats *st)
{
	const volatile uint8_t *ip = req + ETH_HLEN;
	volatile uint8_t *rip = out + ETH_HLEN, *ric = rip + IP_HLEN;
	uint32_t ihl, total, icmp_len;
	const volatile uint8_t *ic;
	uint8_t vihl;

	if (len < ETH_HLEN + IP_HLEN) {
		st->malformed++;
		return 0;
	}
	vihl = ip[0];
	ihl = (uint32_t)(vihl & 15) * 4;
	total = get16(ip + 2);
	if ((vihl >> 4) != 4 || ihl < IP_HLEN || total < ihl ||
	    total > len - ETH_HLEN) {
		st->malformed++;
		return 0;
	}
	if (ivnet_csum_fold(ivnet_csum_add(0, ip, ihl)) != 0xffff) {
		st->malformed++;
		return 0;
	}
	/* Not for us, not ICMP, or a fragment (nothing is reassembled). */
	if (!same(ip + 16, cfg->ip, 4) || ip[9] != IP_PROTO_ICMP ||
	    (get16(ip + 6) & 0x3fff)) {
		st->ignored++;
		return 0;
	}
	icmp_len = total - ihl;
	ic = ip + ihl;
	if (icmp_len < ICMP_HLEN) {
		st->malformed++;
		return 0;
	}
	if (ic[0] != ICMP_ECHO || ic[1] != 0) {
		st->ignored++;
		return 0;
	}
	if (ivnet_csum_fold(ivnet_csum_add(0, ic, icmp_len)) != 0xffff) {
		st->malformed++;
		return 0;
	}
	if (cap < ETH_HLEN + IP_HLEN + icmp_len) {
		st->malformed++;
		return 0;
	}

	eth_reply(cfg, req, out, ETH_P_IP);
	/* A fresh header without options, from us to the sender. */
	rip[0] = 0x45;
	rip[1] = ip[1];
	put16(rip + 2, (uint16_t)(IP_HLEN + icmp_len));
	copy(rip + 4, ip + 4, 2);	/* identification */
	put16(rip + 6, 0);
	rip[8] = 64;
	rip[9] = IP_PROTO_ICMP;
	put16(rip + 10, 0);
	copy(rip + 12, (const volatile uint8_t *)cfg->ip, 4);
	copy(rip + 16, ip + 12, 4);
	put16(rip + 10, (uint16_t)~ivnet_csum_fold(ivnet_csum_add(0, rip,
								   IP_HLEN)));
	/* Identifier, sequence and data as they came. */
	copy(ric + 4, ic + 4, icmp_len - 4);
	ric[0] = ICMP_ECHOREPLY;
	ric[1] = 0;
	put16(ric + 2, 0);
	put16(ric + 2, (uint16_t)~ivnet_csum_fold(ivnet_csum_add(0, ric,
								  icmp_len)));
	st->icmp_replies++;
	return ETH_HLEN + IP_HLEN + icmp_len;
}

uint32_t ivnet_echo_reply(const struct ivnet_echo_cfg *cfg,
			  const volatile uint8_t *req, uint32_t len,
			  volatile uint8_t *out, uint32_t cap,
			  struct ivnet_echo_stats *st)
{
	static const uint8_t bcast[ETH_ALEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	};
	uint16_t type;

	if (len < ETH_HLEN) {
		st->malformed++;
		return 0;
	}
	if (!same(req, cfg->mac, ETH_ALEN) && !same(req, bcast, ETH_ALEN)) {
		st->ignored++;
		return 0;
	}
	type = get16(req + 12);
	if (type == ETH_P_ARP)
		return arp_reply(cfg, req, len, out, cap, st);
	if (type == ETH_P_IP)
		return icmp_reply(cfg, req, len, out, cap, st);
	st->ignored++;
	return 0;
}
