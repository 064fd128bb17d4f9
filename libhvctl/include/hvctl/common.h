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

#include <stddef.h>

#define HVCTL_ERROR_MAX 512

/* A human-readable reason, filled on failure. */
struct hvctl_error {
	char msg[HVCTL_ERROR_MAX];
};

/*
 * Make room for need elements of elem bytes in the array *arrp points to
 * (a T ** passed as void *), whose capacity is *cap: the capacity doubles
 * from 16 until it holds need. 0, or -ENOMEM with the array unchanged.
 * The one grow-by-realloc of the library, the CLI and hvtop.
 */
HVCTL_EXPORT int hvctl_grow(void *arrp, size_t *cap, size_t need,
			    size_t elem);

#endif /* !HVCTL_COMMON_H */
