/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DIR/control.sock: framing, request queue, subscribers (PROTOCOL.md §3-5).
 */
#ifndef SIM_SERVER_H
#define SIM_SERVER_H

#include <stdint.h>

/* Listens on DIR/control.sock (simdir_open() first; dir for messages). */
int server_init(const char *dir);
/*
 * Serves a connected socket (non-blocking) as a client; what it may do
 * follows its peer's uid. 0, or -errno and fd is still the caller's.
 */
int server_add_client(int fd);
/* Sends HVSIM_EV_SHUTDOWN, closes every connection, unlinks the socket. */
void server_exit(void);
/*
 * Runs queued ioctl commands and the requests that waited behind them; does
 * nothing when called from a nested loop.
 */
void server_process_queue(void);
/* Queues an event for every subscriber. */
void server_event(uint32_t type, int32_t cell_id);

#endif /* !SIM_SERVER_H */
