/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * hvsim control socket framing (DIR/control.sock, SOCK_STREAM, mode 0660:
 * the owner's group may connect and read; only the owner may change).
 *
 * The socket stands in for /dev/jailhouse: a request carries an ioctl
 * number and the very same argument struct (include/hvabi/ioctl.h), with
 * the bytes the ioctl would have pointed to sent inline after it. See
 * hypervisor/arch/sim/PROTOCOL.md for the rules of each command.
 *
 *   client -> hvsim: struct hvsim_request, arg[arg_size], data[data_size]
 *   hvsim -> client: struct hvsim_response, data[data_size]
 *
 * All integers little-endian (host order: client and hvsim share a host).
 */
#ifndef HVABI_SIM_PROTOCOL_H
#define HVABI_SIM_PROTOCOL_H

#include "types.h"

#define HVSIM_MAGIC		0x4d535648u	/* "HVSM" */
#define HVSIM_VERSION		1
#define HVSIM_SOCKET_NAME	"control.sock"
#define HVSIM_SYSFS_DIR		"sysfs"
/* Upper bound on arg_size + data_size; larger requests are refused. */
#define HVSIM_MAX_PAYLOAD	(64u << 20)

/*
 * Commands: the five ioctl numbers of include/hvabi/ioctl.h
 * (HV_IOC_ENABLE ... HV_IOC_CELL_DESTROY), with the 64-bit ENABLE value,
 * plus these extensions, which have no argument struct of the ioctl ABI.
 */
#define HVSIM_CMD_HELLO		0x48560001u	/* version check, no payload */
#define HVSIM_CMD_SUBSCRIBE	0x48560002u	/* turn this connection into an event stream */
#define HVSIM_CMD_CONSOLE_READ	0x48560003u	/* arg: struct hvsim_console_read */
#define HVSIM_CMD_ACCESS	0x48560004u	/* may this connection change the board? */

/* HELLO reply data. */
#define HVSIM_BOARD_NAMELEN	31

struct hvsim_hello {
	uint32_t version;	/* HVSIM_VERSION */
	uint32_t num_cpus;	/* CPUs of the simulated board */
	char board[HVSIM_BOARD_NAMELEN + 1];	/* board name, NUL-terminated */
};

struct hvsim_request {
	uint32_t magic;
	uint32_t cmd;
	uint32_t arg_size;
	uint32_t data_size;
};

struct hvsim_response {
	uint32_t magic;
	int32_t result;		/* 0 or -errno, as the ioctl would return */
	uint32_t data_size;	/* bytes following: text for errors, data for reads */
	uint32_t reserved;
};

/*
 * CONSOLE_READ: cell_id -1 reads the hypervisor console, otherwise that
 * cell's console ring. The reply data is struct hvsim_console_data followed
 * by the bytes from max(head, tail - ring size) up to tail.
 */
struct hvsim_console_read {
	int32_t cell_id;
	uint32_t padding;
	uint64_t head;		/* bytes the caller has already seen */
};

struct hvsim_console_data {
	uint64_t tail;		/* total bytes ever written to the ring */
	uint64_t lost;		/* bytes between head and the oldest byte kept */
	uint32_t generation;	/* cell ring generation (0 for the hypervisor) */
	uint32_t padding;
};

/*
 * ACCESS reply data. Only hvsim's owner (the uid it runs as) may issue the
 * five ioctl commands; anyone else who can connect (its group: the socket
 * is 0660) gets -EPERM for them and may only read.
 */
struct hvsim_access {
	uint32_t may_control;	/* 1: the ioctl commands are allowed */
	uint32_t uid;		/* the connection's peer uid (SO_PEERCRED) */
	uint32_t owner_uid;	/* hvsim's uid */
	uint32_t reserved;	/* 0 */
};

/* Events sent on a subscribed connection, one struct each. */
#define HVSIM_EV_ENABLED	1
#define HVSIM_EV_DISABLED	2
#define HVSIM_EV_CELL_ADD	3
#define HVSIM_EV_CELL_REMOVE	4
#define HVSIM_EV_CELL_STATE	5	/* state or failed CPUs changed */
#define HVSIM_EV_CONSOLE	6	/* new console output (rate-limited) */
#define HVSIM_EV_SHUTDOWN	7	/* hvsim is exiting */

struct hvsim_event {
	uint32_t magic;
	uint32_t type;
	int32_t cell_id;	/* -1 where no cell applies */
	uint32_t reserved;
};

HV_ABI_SIZE(struct hvsim_request, 16);
HV_ABI_SIZE(struct hvsim_response, 16);
HV_ABI_SIZE(struct hvsim_console_read, 16);
HV_ABI_SIZE(struct hvsim_console_data, 24);
HV_ABI_SIZE(struct hvsim_event, 16);
HV_ABI_SIZE(struct hvsim_hello, 40);
HV_ABI_SIZE(struct hvsim_access, 16);
HV_ABI_OFFSET(struct hvsim_hello, board, 8);

#endif /* !HVABI_SIM_PROTOCOL_H */
