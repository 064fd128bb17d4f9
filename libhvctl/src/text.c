// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Untrusted text: the terminal sanitiser hvtop and hvctl share, and the
 * escaping of text that leaves as JSON or Prometheus labels.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hvctl/text.h>

/* Give up on an escape sequence that never ends, so a guest cannot hide
 * the rest of its output inside one. */
#define CSI_MAX_LEN	64
#define STRING_MAX_LEN	1024

/* ---- UTF-8 ---- */

/* Length of the sequence a lead byte starts (2-4), or 0 if it starts none. */
static unsigned int utf8_lead_len(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/*
 * May c follow the lead byte and pos - 1 continuation bytes? The second
 * byte's range rules out overlong forms, surrogates and code points past
 * U+10FFFF (RFC 3629).
 */
static bool utf8_cont_ok(unsigned char lead, unsigned int pos, unsigned char c)
{
	if (c < 0x80 || c > 0xbf)
		return false;
	if (pos != 1)
		return true;
	switch (lead) {
	case 0xe0:
		return c >= 0xa0;
	case 0xed:
		return c <= 0x9f;
	case 0xf0:
		return c >= 0x90;
	case 0xf4:
		return c <= 0x8f;
	default:
		return true;
	}
}

static uint32_t utf8_decode(const unsigned char *s, unsigned int len)
{
	uint32_t cp = s[0] & (0xff >> (len + 1));
	unsigned int i;

	for (i = 1; i < len; i++)
		cp = cp << 6 | (s[i] & 0x3f);
	return cp;
}

/*
 * The valid sequence at s (at most avail bytes): its length and code
 * point, or 0 if s starts no valid sequence.
 */
static unsigned int utf8_next(const unsigned char *s, size_t avail,
			      uint32_t *cp)
{
	unsigned int len = utf8_lead_len(s[0]), i;

	if (!len || len > avail)
		return 0;
	for (i = 1; i < len; i++)
		if (!utf8_cont_ok(s[0], i, s[i]))
			return 0;
	*cp = utf8_decode(s, len);
	return len;
}

/* ---- the terminal sanitiser ---- */

void hvctl_sanitize_init(struct hvctl_sanitizer *s, unsigned int flags)
{
	memset(s, 0, sizeof(*s));
	s->flags = flags;
}

void hvctl_sanitize_reset(struct hvctl_sanitizer *s)
{
	hvctl_sanitize_init(s, 0);
}

static int ground_control(struct hvctl_sanitizer *s, unsigned char c)
{
	switch (c) {
	case '\n':
		s->state = HVCTL_SAN_GROUND;
		return HVCTL_SAN_NEWLINE;
	case '\t':
		return HVCTL_SAN_TAB;
	case 0x1b:
		s->state = HVCTL_SAN_ESC;
		s->seq_len = 1;
		return HVCTL_SAN_SKIP;
	case 0x18: /* CAN and SUB abort a sequence */
	case 0x1a:
		s->state = HVCTL_SAN_GROUND;
		return HVCTL_SAN_SKIP;
	default:
		/* CR (CRLF line ends), BS, BEL and the rest: dropped. */
		return HVCTL_SAN_SKIP;
	}
}

int hvctl_sanitize_byte(struct hvctl_sanitizer *s, unsigned char c)
{
	if (c >= 0x80) {
		/* Non-ASCII: one '?' per UTF-8 sequence, and one per stray byte. */
		if (s->state != HVCTL_SAN_GROUND)
			return HVCTL_SAN_SKIP;
		if (c <= 0xbf && s->utf8_left) {
			s->utf8_left--;
			return HVCTL_SAN_SKIP;
		}
		s->utf8_left = utf8_lead_len(c);
		if (s->utf8_left)
			s->utf8_left--;
		return '?';
	}
	s->utf8_left = 0;

	switch (s->state) {
	case HVCTL_SAN_GROUND:
		if (c >= 0x20 && c < 0x7f)
			return c;
		return ground_control(s, c);
	case HVCTL_SAN_ESC:
		s->seq_len++;
		if (c == '[') {
			s->state = HVCTL_SAN_CSI;
		} else if (c == ']' || c == 'P' || c == 'X' || c == '^' ||
			   c == '_') {
			s->state = HVCTL_SAN_STRING;
		} else if (c >= 0x20 && c <= 0x2f) {
			/* intermediate byte, as in ESC ( B: keep waiting */
			if (s->seq_len > CSI_MAX_LEN)
				s->state = HVCTL_SAN_GROUND;
		} else if (c >= 0x30 && c <= 0x7e) {
			s->state = HVCTL_SAN_GROUND;
		} else {
			s->state = HVCTL_SAN_GROUND;
			return ground_control(s, c);
		}
		return HVCTL_SAN_SKIP;
	case HVCTL_SAN_CSI:
		s->seq_len++;
		if (c >= 0x40 && c <= 0x7e) {
			s->state = HVCTL_SAN_GROUND;
		} else if (c < 0x20 || c == 0x7f) {
			if (c == 0x1b || c == '\n' || c == 0x18 || c == 0x1a) {
				s->state = HVCTL_SAN_GROUND;
				return ground_control(s, c);
			}
		} else if (s->seq_len > CSI_MAX_LEN) {
			s->state = HVCTL_SAN_GROUND;
		}
		return HVCTL_SAN_SKIP;
	case HVCTL_SAN_STRING:
		s->seq_len++;
		if (c == 0x07 || c == 0x18 || c == 0x1a) {
			s->state = HVCTL_SAN_GROUND;
		} else if (c == 0x1b) {
			s->state = HVCTL_SAN_STRING_ESC;
		} else if (c == '\n') {
			s->state = HVCTL_SAN_GROUND;
			return HVCTL_SAN_NEWLINE;
		} else if (s->seq_len > STRING_MAX_LEN) {
			s->state = HVCTL_SAN_GROUND;
		}
		return HVCTL_SAN_SKIP;
	case HVCTL_SAN_STRING_ESC:
		/* ESC \ is the string terminator; any other ESC x starts anew. */
		if (c == '\\') {
			s->state = HVCTL_SAN_GROUND;
			return HVCTL_SAN_SKIP;
		}
		s->state = HVCTL_SAN_ESC;
		s->seq_len = 1;
		return hvctl_sanitize_byte(s, c);
	}
	s->state = HVCTL_SAN_GROUND;
	return HVCTL_SAN_SKIP;
}

/*
 * KEEP_UTF8, in the ground state: take c into a pending sequence. Returns
 * the bytes written to out, or -1 if c is not part of a sequence (after
 * flushing a broken one as '?') and must go through the ASCII path.
 */
static int utf8_feed(struct hvctl_sanitizer *s, unsigned char c, char *out)
{
	int n = 0;

	if (s->pend_len) {
		if (utf8_cont_ok(s->pend[0], s->pend_len, c)) {
			s->pend[s->pend_len++] = c;
			if (s->pend_len < utf8_lead_len(s->pend[0]))
				return 0;
			/* C1 controls stay controls in UTF-8 too. */
			if (utf8_decode(s->pend, s->pend_len) < 0xa0) {
				out[0] = '?';
				n = 1;
			} else {
				memcpy(out, s->pend, s->pend_len);
				n = (int)s->pend_len;
			}
			s->pend_len = 0;
			return n;
		}
		/* A broken sequence: one '?', then look at c afresh. */
		out[n++] = '?';
		s->pend_len = 0;
	}
	if (c < 0x80)
		return n ? -2 : -1;
	if (!utf8_lead_len(c)) {
		out[n++] = '?';
		return n;
	}
	s->pend[0] = c;
	s->pend_len = 1;
	return n;
}

size_t hvctl_sanitize_buf(struct hvctl_sanitizer *s, const void *in,
			  size_t len, char *out)
{
	const unsigned char *p = in;
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		int r;

		if ((s->flags & HVCTL_SAN_KEEP_UTF8) &&
		    s->state == HVCTL_SAN_GROUND && (p[i] >= 0x80 || s->pend_len)) {
			r = utf8_feed(s, p[i], out + n);
			if (r >= 0) {
				n += (size_t)r;
				continue;
			}
			if (r == -2)	/* the '?' of a broken sequence */
				n++;
		}
		r = hvctl_sanitize_byte(s, p[i]);
		if (r >= 0)
			out[n++] = (char)r;
		else if (r == HVCTL_SAN_NEWLINE)
			out[n++] = '\n';
		else if (r == HVCTL_SAN_TAB)
			out[n++] = '\t';
	}
	return n;
}

size_t hvctl_sanitize_str(char *dst, size_t n, const char *src)
{
	struct hvctl_sanitizer s;
	size_t len = 0;

	if (!n)
		return 0;
	hvctl_sanitize_reset(&s);
	for (; src && *src && len + 1 < n; src++) {
		int c = hvctl_sanitize_byte(&s, (unsigned char)*src);

		if (c == HVCTL_SAN_NEWLINE || c == HVCTL_SAN_TAB)
			c = ' ';
		if (c >= 0)
			dst[len++] = (char)c;
	}
	dst[len] = '\0';
	return len;
}

size_t hvctl_sanitize_name(char *dst, size_t n, const char *src,
			   unsigned int flags)
{
	const unsigned char *p = (const unsigned char *)src;
	size_t len = 0;

	if (!n)
		return 0;
	while (p && *p && len + 1 < n) {
		uint32_t cp = 0;
		unsigned int k;

		if (*p == 0x1b) {
			struct hvctl_sanitizer s;

			/* The whole sequence shows as one '?'. */
			hvctl_sanitize_reset(&s);
			hvctl_sanitize_byte(&s, *p++);
			while (*p && s.state != HVCTL_SAN_GROUND)
				hvctl_sanitize_byte(&s, *p++);
			dst[len++] = '?';
			continue;
		}
		if ((*p >= 0x20 && *p < 0x7f) ||
		    ((*p == '\n' || *p == '\t') && (flags & HVCTL_SAN_KEEP_LINES))) {
			dst[len++] = (char)*p++;
			continue;
		}
		k = *p >= 0x80 ? utf8_next(p, strlen((const char *)p), &cp) : 0;
		if (k && cp >= 0xa0 && (flags & HVCTL_SAN_KEEP_UTF8)) {
			if (len + k + 1 > n)
				break;
			memcpy(dst + len, p, k);
			len += k;
			p += k;
			continue;
		}
		dst[len++] = '?';
		p += k ? k : 1;
	}
	dst[len] = '\0';
	return len;
}

size_t hvctl_text_clean_len(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		unsigned int k;

		if (p[i] < 0x80) {
			if (p[i] < 0x20 || p[i] == 0x7f)
				return i;
			i++;
			continue;
		}
		k = utf8_next(p + i, len - i, &cp);
		if (!k || cp < 0xa0)
			return i;
		i += k;
	}
	return len;
}

bool hvctl_text_is_clean(const char *text, size_t len)
{
	return hvctl_text_clean_len(text, len) == len;
}

char *hvctl_json_clean(const char *json)
{
	const unsigned char *p = (const unsigned char *)json;
	size_t len = strlen(json), i = 0, n = 0;
	char *out;

	/* At most one 6-byte escape per input byte. */
	out = malloc(len * 6 + 1);
	if (!out)
		return NULL;
	while (i < len) {
		uint32_t cp;
		unsigned int k;

		if (p[i] < 0x80) {
			if (p[i] == 0x7f)
				n += (size_t)sprintf(out + n, "\\u007f");
			else
				out[n++] = (char)p[i];
			i++;
			continue;
		}
		k = utf8_next(p + i, len - i, &cp);
		if (!k) {
			n += (size_t)sprintf(out + n, "\\ufffd");
			i++;
		} else if (cp < 0xa0) {
			n += (size_t)sprintf(out + n, "\\u%04x", (unsigned int)cp);
			i += k;
		} else {
			memcpy(out + n, p + i, k);
			n += k;
			i += k;
		}
	}
	out[n] = '\0';
	return out;
}

size_t hvctl_prom_label(char *dst, size_t n, const char *src)
{
	static const char replacement[] = "\xef\xbf\xbd";	/* U+FFFD */
	const unsigned char *p = (const unsigned char *)src;
	size_t len = strlen(src), i = 0, need = 0, done = 0;

	/* Whole pieces only: a cut never splits an escape or a character. */
#define PUT(text, tlen)							\
	do {								\
		if (done == need && need + (tlen) < n) {		\
			memcpy(dst + need, (text), (tlen));		\
			done += (tlen);					\
		}							\
		need += (tlen);						\
	} while (0)

	while (i < len) {
		uint32_t cp;
		unsigned int k;
		char c = (char)p[i];

		if (c == '\\' || c == '"') {
			char esc[2] = { '\\', c };

			PUT(esc, 2);
			i++;
		} else if (c == '\n') {
			PUT("\\n", 2);
			i++;
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			PUT(replacement, 3);
			i++;
		} else if (p[i] < 0x80) {
			PUT(&c, 1);
			i++;
		} else if ((k = utf8_next(p + i, len - i, &cp)) && cp >= 0xa0) {
			PUT(src + i, k);
			i += k;
		} else {
			PUT(replacement, 3);
			i += k ? k : 1;
		}
	}
#undef PUT
	if (n)
		dst[done] = '\0';
	return need;
}
