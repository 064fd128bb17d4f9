/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DIR/control.sock: framing, request queue, subscribers (PROTOCOL.md §3-5).
 */
#ifndef SIM_SERVER_H
#define SIM_SERVER_H

#include <stdint.h>

struct sim_board;

/* Sets up the server's state (no socket yet); 0 or -ENOMEM. */
int server_init(struct sim_board *sb);
/* Listens on DIR/control.sock (simdir_open() first; dir for messages). */
int server_listen(struct sim_board *sb, const char *dir);
/*
 * Serves a connected socket (non-blocking) as a client; what it may do
 * follows its peer's uid. 0, or -errno and fd is still the caller's.
 */
int server_add_client(struct sim_board *sb, int fd);
/*
 * Sends HVSIM_EV_SHUTDOWN, closes every connection, unlinks the socket,
 * frees the state.
 */
void server_exit(struct sim_board *sb);
/*
 * Runs queued ioctl commands and the requests that waited behind them; does
 * nothing when called from a nested loop.
 */
void server_process_queue(struct sim_board *sb);
/* Queues an event for every subscriber (the hooks' event). */
void server_event(struct sim_board *sb, uint32_t type, int32_t cell_id);

#endif /* !SIM_SERVER_H */
