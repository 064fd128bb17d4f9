// SPDX-License-Identifier: MIT
/*
 * The history ring behind the graphs.
 */
#include "history.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int tui_history_init(struct tui_history *h, unsigned int cap)
{
	memset(h, 0, sizeof(*h));
	if (!cap)
		return -EINVAL;
	h->v = calloc(cap, sizeof(*h->v));
	if (!h->v)
		return -ENOMEM;
	h->cap = cap;
	return 0;
}

void tui_history_free(struct tui_history *h)
{
	free(h->v);
	memset(h, 0, sizeof(*h));
}

void tui_history_clear(struct tui_history *h)
{
	h->len = 0;
	h->head = 0;
}

void tui_history_push(struct tui_history *h, double v)
{
	if (!h->cap)
		return;
	if (!isfinite(v) || v < 0.0)
		v = 0.0;
	h->v[h->head] = v;
	h->head = (h->head + 1) % h->cap;
	if (h->len < h->cap)
		h->len++;
}

double tui_history_get(const struct tui_history *h, unsigned int i)
{
	unsigned int oldest;

	if (i >= h->len)
		return 0.0;
	oldest = (h->head + h->cap - h->len) % h->cap;
	return h->v[(oldest + i) % h->cap];
}

double tui_history_last(const struct tui_history *h)
{
	return h->len ? tui_history_get(h, h->len - 1) : 0.0;
}

double tui_history_max(const struct tui_history *h)
{
	double max = 0.0;
	unsigned int i;

	for (i = 0; i < h->len; i++)
		if (tui_history_get(h, i) > max)
			max = tui_history_get(h, i);
	return max;
}

double tui_history_bars(const struct tui_history *h, unsigned int width,
			unsigned int height, double floor, unsigned int *out)
{
	unsigned int shown = h->len < width ? h->len : width;
	unsigned int first = h->len - shown;
	double scale = floor > 0.0 ? floor : 0.0;
	unsigned int i;

	for (i = 0; i < shown; i++)
		if (tui_history_get(h, first + i) > scale)
			scale = tui_history_get(h, first + i);
	for (i = 0; i < width; i++)
		out[i] = 0;
	if (!(scale > 0.0) || !height)
		return scale;
	for (i = 0; i < shown; i++) {
		double v = tui_history_get(h, first + i);
		unsigned int bar = (unsigned int)lround(v / scale * height);

		if (v > 0.0 && !bar)
			bar = 1;
		if (bar > height)
			bar = height;
		out[width - shown + i] = bar;
	}
	return scale;
}
