/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Freestanding helpers of the hypervisor core: memory and string routines,
 * bitmaps, alignment. The core links no C library, so it brings its own.
 *
 * Note for ports: the compiler may still emit calls to memcpy/memset for
 * structure copies; a freestanding port provides those two symbols.
 */
#ifndef HV_LIB_H
#define HV_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PAGE_OFFS_MASK		(PAGE_SIZE - 1)
#define PAGE_ALIGN(x)		(((x) + PAGE_SIZE - 1) & PAGE_MASK)
#define PAGES(x)		(PAGE_ALIGN(x) >> PAGE_SHIFT)

#define BITS_PER_LONG		(sizeof(unsigned long) * 8)
#define BITMAP_LONGS(bits)	(((bits) + BITS_PER_LONG - 1) / BITS_PER_LONG)

#define hv_min(a, b)		((a) < (b) ? (a) : (b))
#define hv_max(a, b)		((a) > (b) ? (a) : (b))

void *hv_memcpy(void *dst, const void *src, size_t n);
void *hv_memset(void *dst, int c, size_t n);
int hv_memcmp(const void *a, const void *b, size_t n);
size_t hv_strnlen(const char *s, size_t max);
int hv_strncmp(const char *a, const char *b, size_t n);
/* Copies at most size - 1 bytes and always terminates (size > 0). */
void hv_strlcpy(char *dst, const char *src, size_t size);
/*
 * Checks the text up to its NUL (or max bytes): -1 when it is valid UTF-8
 * without control characters (C0, DEL, C1), else the offset of the first
 * bad byte.
 */
int hv_text_check(const char *s, size_t max);

static inline bool test_bit(unsigned long nr, const unsigned long *map)
{
	return (map[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1;
}

static inline void set_bit(unsigned long nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

static inline void clear_bit(unsigned long nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}

/* Byte-granular bitmap as stored in configs (bit n of byte n / 8). */
static inline bool test_byte_bit(unsigned long nr, const uint8_t *map,
				 unsigned long map_bytes)
{
	if (nr / 8 >= map_bytes)
		return false;
	return (map[nr / 8] >> (nr % 8)) & 1;
}

/* Ranges [a, a + as) and [b, b + bs) intersect; sizes > 0. */
static inline bool ranges_overlap(uint64_t a, uint64_t as, uint64_t b,
				  uint64_t bs)
{
	return a < b + bs && b < a + as;
}

#endif /* !HV_LIB_H */
