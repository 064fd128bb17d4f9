// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Parsing the text of a sysfs-shaped tree (/sys/devices/jailhouse or
 * hvsim's DIR/sysfs): numbers, CPU lists and masks, cell states.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hvabi/hypercall.h>

#include "runtime_int.h"

size_t sysfs_chomp(char *text, size_t len)
{
	if (len && text[len - 1] == '\n')
		text[--len] = '\0';
	return len;
}

int sysfs_parse_u64(const char *text, uint64_t *value)
{
	const char *p = text;
	uint64_t v = 0;
	/* Per-CPU files print "%d"; the driver clamps negatives to 0. */
	bool negative = *p == '-';

	if (negative)
		p++;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (negative)
			continue;
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (*p == '\n')
		p++;
	if (*p)
		return -EINVAL;
	*value = v;
	return 0;
}

static int parse_uint(const char **pp, unsigned int limit, unsigned int *out)
{
	const char *p = *pp;
	unsigned long v = 0;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v >= limit)
			return -ERANGE;
		p++;
	}
	*pp = p;
	*out = (unsigned int)v;
	return 0;
}

/* Append CPUs first..last to a growing array, keeping it ascending. */
static int cpus_add_range(unsigned int **cpus, unsigned int *num,
			  size_t *cap, unsigned int first,
			  unsigned int last)
{
	unsigned int c;

	if (*num && first <= (*cpus)[*num - 1])
		return -EINVAL;
	if (hvctl_grow(cpus, cap, (size_t)*num + (last - first) + 1, sizeof(**cpus)))
		return -ENOMEM;
	for (c = first; c <= last; c++)
		(*cpus)[(*num)++] = c;
	return 0;
}

int sysfs_parse_cpulist(const char *text, unsigned int limit,
			unsigned int **cpus, unsigned int *num)
{
	const char *p = text;
	unsigned int *out = NULL, n = 0;
	size_t cap = 0;
	int ret = 0;

	while (*p && *p != '\n') {
		unsigned int first, last;

		ret = parse_uint(&p, limit, &first);
		if (ret)
			goto fail;
		last = first;
		if (*p == '-') {
			p++;
			ret = parse_uint(&p, limit, &last);
			if (ret)
				goto fail;
			if (last < first) {
				ret = -EINVAL;
				goto fail;
			}
		}
		ret = cpus_add_range(&out, &n, &cap, first, last);
		if (ret)
			goto fail;
		if (*p == ',') {
			p++;
			if (!*p || *p == '\n') {
				ret = -EINVAL;
				goto fail;
			}
		} else if (*p && *p != '\n') {
			ret = -EINVAL;
			goto fail;
		}
	}
	if (*p == '\n' && p[1]) {
		ret = -EINVAL;
		goto fail;
	}
	*cpus = out;
	*num = n;
	return 0;

fail:
	free(out);
	return ret;
}

int sysfs_parse_cpumask(const char *text, unsigned int limit,
			unsigned int **cpus, unsigned int *num)
{
	size_t len = strlen(text), ndigits = 0, i;
	unsigned int *out = NULL, n = 0;
	size_t cap = 0;
	unsigned int bit = 0;
	int ret;

	if (len && text[len - 1] == '\n')
		len--;
	if (!len)
		return -EINVAL;
	/* Walk from the least significant (last) digit backwards. */
	for (i = len; i-- > 0;) {
		char ch = text[i];
		unsigned int nib, b;

		if (ch == ',') {
			/* Groups are 32 bits: 8 digits, except the first. */
			if (ndigits % 8 || i == 0 || i == len - 1) {
				ret = -EINVAL;
				goto fail;
			}
			continue;
		}
		if (!isxdigit((unsigned char)ch)) {
			ret = -EINVAL;
			goto fail;
		}
		nib = (unsigned int)(isdigit((unsigned char)ch) ? ch - '0' :
				     tolower((unsigned char)ch) - 'a' + 10);
		for (b = 0; b < 4; b++, bit++) {
			if (!(nib & (1u << b)))
				continue;
			if (bit >= limit) {
				ret = -ERANGE;
				goto fail;
			}
			/* Bits rise as we go, so the array stays ascending. */
			ret = cpus_add_range(&out, &n, &cap, bit, bit);
			if (ret)
				goto fail;
		}
		ndigits++;
	}
	*cpus = out;
	*num = n;
	return 0;

fail:
	free(out);
	return ret;
}

char *sysfs_format_cpulist(const unsigned int *cpus, unsigned int num)
{
	size_t cap = 12 * (size_t)num * 2 + 1, len = 0;
	unsigned int i = 0;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	s[0] = '\0';
	while (i < num) {
		unsigned int j = i;

		while (j + 1 < num && cpus[j + 1] == cpus[j] + 1)
			j++;
		len += (size_t)snprintf(s + len, cap - len, "%s%u",
					len ? "," : "", cpus[i]);
		if (j > i)
			len += (size_t)snprintf(s + len, cap - len, "-%u", cpus[j]);
		i = j + 1;
	}
	return s;
}

enum hvctl_cell_state sysfs_parse_state(const char *text)
{
	static const char *const names[] = HV_CELL_STATE_NAMES;
	size_t len = strlen(text);
	unsigned int i;

	if (len && text[len - 1] == '\n')
		len--;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && !memcmp(names[i], text, len))
			return (enum hvctl_cell_state)i;
	return HVCTL_CELL_INVALID;
}

const char *hvctl_cell_state_name(enum hvctl_cell_state state)
{
	static const char *const names[] = HV_CELL_STATE_NAMES;

	if ((unsigned int)state < sizeof(names) / sizeof(names[0]))
		return names[state];
	return HV_CELL_STATE_INVALID_NAME;
}
