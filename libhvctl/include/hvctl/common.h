/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Conventions shared by every libhvctl header.
 *
 * - Fallible functions return 0 or a negative errno value.
 * - An object returned through a "**out" parameter belongs to the caller
 *   and is released with that type's _free()/_close(); every release
 *   function accepts NULL.
 * - Functions without a context report the reason through a caller-owned
 *   struct hvctl_error (may be NULL); functions with a context keep the
 *   last message on the context (hvctl_errmsg()).
 * - The library never prints.
 */
#ifndef HVCTL_COMMON_H
#define HVCTL_COMMON_H

#if defined(HVCTL_BUILDING_LIB)
#define HVCTL_EXPORT __attribute__((visibility("default")))
#else
#define HVCTL_EXPORT
#endif

#define HVCTL_ERROR_MAX 512

/* A human-readable reason, filled on failure. */
struct hvctl_error {
	char msg[HVCTL_ERROR_MAX];
};

#endif /* !HVCTL_COMMON_H */
