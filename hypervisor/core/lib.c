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

/*
 * Length of the UTF-8 sequence at s (at most len bytes), or 0 when it is
 * malformed: overlong, a surrogate, above U+10FFFF, or cut short.
 */
static unsigned int utf8_seq(const unsigned char *s, size_t len,
			     uint32_t *cp)
{
	unsigned int n, i;
	uint32_t c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, c &= 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, c &= 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, c &= 0x07;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

int hv_text_check(const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = hv_strnlen(s, max), off = 0;
	uint32_t cp;

	while (off < len) {
		unsigned int n = utf8_seq(p + off, len - off, &cp);

		if (!n)
			return (int)off;
		/* C0, DEL and C1 controls steer terminals. */
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			return (int)off;
		off += n;
	}
	return -1;
}
