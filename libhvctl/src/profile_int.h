/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internals of profile.c shared with its unit test: the health check's
 * search for a console line containing a text, across reads.
 */
#ifndef HVCTL_PROFILE_INT_H
#define HVCTL_PROFILE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <hvctl/profile.h>

/*
 * Keeps the current line's last bytes, enough for a match that spans two
 * reads; a newline or carriage return starts a new line.
 */
struct profile_match {
	const char *needle;	/* 1..HVCTL_PROFILE_CONSOLE_MAX bytes, or NULL */
	size_t len;
	char buf[2 * HVCTL_PROFILE_CONSOLE_MAX];
	size_t fill;
	bool found;
};

/* Start looking for needle (NULL: never found). */
void profile_match_init(struct profile_match *m, const char *needle);
/* Feed console bytes (any bytes, NULs included). */
void profile_match_feed(struct profile_match *m, const char *data, size_t n);

#endif /* !HVCTL_PROFILE_INT_H */
