/* SPDX-License-Identifier: MIT */
/*
 * A fixed-size ring of past samples (rates) and its scaling into graph bars.
 */
#ifndef HVTOP_HISTORY_H
#define HVTOP_HISTORY_H


struct tui_history {
	unsigned int cap;
	unsigned int len;
	unsigned int head;	/* index of the next slot to write */
	double *v;
};

/* 0 or -ENOMEM. cap must be >= 1. */
int tui_history_init(struct tui_history *h, unsigned int cap);
void tui_history_free(struct tui_history *h);
void tui_history_clear(struct tui_history *h);
void tui_history_push(struct tui_history *h, double v);
/* i = 0 is the oldest sample kept; i must be < len. */
double tui_history_get(const struct tui_history *h, unsigned int i);
double tui_history_last(const struct tui_history *h);
double tui_history_max(const struct tui_history *h);

/*
 * Bar heights for a graph width columns wide and height rows high, one
 * column per sample, newest at the right. Columns without a sample get
 * 0; any non-zero sample gets at least 1 so activity is never invisible.
 * Scaled to max(the largest visible sample, floor). Returns the scale.
 */
double tui_history_bars(const struct tui_history *h, unsigned int width,
			unsigned int height, double floor, unsigned int *out);

#endif /* !HVTOP_HISTORY_H */
