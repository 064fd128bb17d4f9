/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * The ivshmem-echo demo's messages (inmates/demos/ivshmem-echo.c): a peer
 * writes a request at the start of its output section and rings the echo
 * cell; the echo cell answers at the start of its own output section and
 * rings back. The reply repeats seq, carries the request's bytes each
 * inverted and their sum, so the asker can check that the echo cell read
 * exactly what it wrote.
 */
#ifndef HVABI_IVSHMEM_ECHO_H
#define HVABI_IVSHMEM_ECHO_H

#include "types.h"

#define HV_ECHO_MAGIC		0x4f484345u	/* "ECHO" */
#define HV_ECHO_MAX_DATA	256u
/* The state the echo cell sets once it serves requests. */
#define HV_ECHO_STATE_READY	1u

/* struct hv_echo_msg.cmd */
#define HV_ECHO_CMD_ECHO	0	/* answer */
/*
 * Isolation demonstrations: the echo cell writes where the spec lets no
 * peer but the hypervisor (the state table) or the asker alone (the
 * asker's output section) write; the hypervisor fails the cell.
 */
#define HV_ECHO_CMD_WRITE_STATE	1
#define HV_ECHO_CMD_WRITE_PEER	2
/* Rings absent peers (ignored by the hypervisor), then answers. */
#define HV_ECHO_CMD_RING_ABSENT	3

/* struct hv_echo_msg.status of a reply */
#define HV_ECHO_OK		0
#define HV_ECHO_BAD_LENGTH	1

struct hv_echo_msg {
	uint32_t magic;
	uint32_t seq;		/* written last by the sender */
	uint32_t cmd;
	uint32_t len;		/* bytes of data, at most HV_ECHO_MAX_DATA */
	uint32_t sum;		/* reply: sum of the request's bytes */
	uint32_t status;
	uint8_t data[HV_ECHO_MAX_DATA];
} HV_PACKED;

HV_ABI_SIZE(struct hv_echo_msg, 24 + HV_ECHO_MAX_DATA);

#endif /* !HVABI_IVSHMEM_ECHO_H */
