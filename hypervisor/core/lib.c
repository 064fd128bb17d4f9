// SPDX-License-Identifier: GPL-2.0
/*
 * Memory and string helpers for the freestanding core.
 */
#include <hv/lib.h>

void *hv_memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *hv_memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	/* Word stores for the bulk: pages are cleared often. */
	if (c == 0 && ((uintptr_t)d % sizeof(unsigned long)) == 0) {
		unsigned long *w = (unsigned long *)d;

		while (n >= sizeof(unsigned long)) {
			*w++ = 0;
			n -= sizeof(unsigned long);
		}
		d = (unsigned char *)w;
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int hv_memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

size_t hv_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int hv_strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		if (!*a)
			break;
	}
	return 0;
}

void hv_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = hv_strnlen(src, size - 1);

	hv_memcpy(dst, src, len);
	dst[len] = 0;
}
