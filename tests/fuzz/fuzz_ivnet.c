// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for what an ivshmem-net peer controls
 * (inmates/lib/ivnet.c, inmates/lib/ivnet_echo.c): the first byte picks
 *   even: the rest is one frame for net-echo's reply builder, with an
 *         output buffer of exactly the size the second byte chooses;
 *   odd:  the rest is the peer's whole output section (rings, event
 *         indices, frames; zero beyond the input): net-echo's loop runs
 *         over it, answering, returning descriptors and taking back its
 *         own, with the peer's used ring rewritten by later input bytes.
 * Each buffer is allocated at its exact size, so AddressSanitizer sees
 * any read or write beyond what the peer gave or the reply may use.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../inmates/lib/ivnet.c"
#include "../../inmates/lib/ivnet_echo.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SECTION	0x4000u

static const struct ivnet_echo_cfg cfg = {
	.mac = { 0x02, 0x00, 0x00, 0x4e, 0x45, 0x54 },
	.ip = { 192, 168, 19, 2 },
};

static void fuzz_reply(const uint8_t *data, size_t size)
{
	struct ivnet_echo_stats st;
	uint32_t cap, n;
	uint8_t *req, *out;

	if (size < 2)
		return;
	cap = (uint32_t)data[1] * 8;
	data += 2;
	size -= 2;
	req = malloc(size ? size : 1);
	out = malloc(cap ? cap : 1);
	if (!req || !out)
		abort();
	memcpy(req, data, size);
	memset(&st, 0, sizeof(st));
	n = ivnet_echo_reply(&cfg, req, (uint32_t)size, out, cap, &st);
	if (n > cap || n > size)
		abort();
	if (st.arp_replies + st.icmp_replies + st.ignored + st.malformed != 1)
		abort();
	free(req);
	free(out);
}

static void run_echo(struct ivnet_end *e)
{
	struct ivnet_echo_stats st;
	struct ivnet_frame f;
	unsigned int rounds;
	int r;

	memset(&st, 0, sizeof(st));
	/* The peer's avail index can claim up to 65535 entries. */
	for (rounds = 0; rounds < 300; rounds++) {
		volatile uint8_t *out;
		uint32_t n = 0, cap;

		r = ivnet_rx_next(e, &f);
		if (r == 0)
			break;
		if (r < 0)
			continue;
		if (f.data < e->peer + e->l.data_off ||
		    f.data + f.len > e->peer + e->l.data_off + e->l.data_size)
			abort();
		cap = f.len < 64 ? 64 : f.len;
		out = ivnet_tx_reserve(e, cap);
		if (out) {
			if (out < e->own + e->l.data_off ||
			    out + cap > e->own + e->l.data_off + e->l.data_size)
				abort();
			n = ivnet_echo_reply(&cfg, f.data, f.len, out, cap, &st);
			if (n)
				ivnet_tx_commit(e, n);
		}
		ivnet_rx_done(e, f.id);
	}
	(void)ivnet_rx_kick_needed(e, 1);
	(void)ivnet_tx_kick_needed(e, 1);
	(void)ivnet_rx_arm(e);
}

static void fuzz_ring(const uint8_t *data, size_t size)
{
	uint8_t *own = malloc(SECTION), *peer = malloc(SECTION);
	struct ivnet_end e;
	size_t n = size < SECTION ? size : SECTION;

	if (!own || !peer)
		abort();
	memset(peer, 0, SECTION);
	memcpy(peer, data, n);
	if (ivnet_init(&e, own, peer, SECTION) < 0)
		abort();
	run_echo(&e);
	(void)ivnet_tx_clean(&e);
	/* The peer rewrites its used ring (our frames coming back) with the
	 * input read backwards, and posts more. */
	if (size > 0) {
		size_t i;

		for (i = 0; i < n && e.l.used_off + i < SECTION; i++)
			peer[e.l.used_off + i] = data[size - 1 - i];
	}
	(void)ivnet_tx_clean(&e);
	run_echo(&e);
	(void)ivnet_tx_clean(&e);
	if (e.tx_inflight >= e.l.qlen)
		abort();
	free(own);
	free(peer);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		fuzz_ring(data + 1, size - 1);
	else
		fuzz_reply(data + 1, size - 1);
	return 0;
}
