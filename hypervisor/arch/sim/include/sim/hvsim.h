/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Process-wide state of hvsim shared by its modules.
 */
#ifndef SIM_HVSIM_H
#define SIM_HVSIM_H

#include <stdbool.h>

#include <sim/loop.h>

/* Set by SIGTERM/SIGINT; the loops end and hvsim cleans up. */
extern volatile bool hvsim_terminate;
/* -v: copy the hypervisor's UART output to stderr. */
extern bool hvsim_verbose;

/* signalfd for SIGTERM/SIGINT (closed by hvsim_exit). */
extern struct loop_fd hvsim_sig_lfd;

/* Cleans up and exits; usable from any loop depth. */
void hvsim_exit(int status) __attribute__((noreturn));

#endif /* !SIM_HVSIM_H */
