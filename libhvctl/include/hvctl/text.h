/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Untrusted text made safe to show or to hand on: guest console bytes,
 * cell names and anything else that comes from a cell or a config.
 *
 * - The terminal sanitiser neutralises what a terminal would act on:
 *   escape sequences (CSI, OSC, DCS, SOS, PM, APC and the two-byte ESC
 *   forms) are dropped whole, even when split across calls; BEL, CR, BS
 *   and every other C0 control except newline and tab are dropped; C1
 *   controls (raw bytes 0x80-0x9f, or U+0080-U+009F in UTF-8) never pass.
 *   hvtop and hvctl both use it.
 * - The JSON and Prometheus helpers make text that leaves the tools valid
 *   UTF-8 with every control character escaped.
 */
#ifndef HVCTL_TEXT_H
#define HVCTL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <hvctl/common.h>

enum hvctl_san_state {
	HVCTL_SAN_GROUND = 0,
	HVCTL_SAN_ESC,		/* after ESC */
	HVCTL_SAN_CSI,		/* ESC [ ... final byte 0x40-0x7e */
	HVCTL_SAN_STRING,	/* ESC ] / P / X / ^ / _ ... BEL or ESC \ */
	HVCTL_SAN_STRING_ESC,	/* ESC seen inside a string */
};

/* Keep valid UTF-8 (except C1 controls) instead of showing '?' for it. */
#define HVCTL_SAN_KEEP_UTF8	0x1u
/* hvctl_sanitize_name(): keep newline and tab (for whole lines of text). */
#define HVCTL_SAN_KEEP_LINES	0x2u

/* State of one stream; zero it (or call hvctl_sanitize_reset) to start. */
struct hvctl_sanitizer {
	enum hvctl_san_state state;
	unsigned int flags;		/* HVCTL_SAN_* */
	unsigned int utf8_left;		/* continuation bytes still expected */
	unsigned int seq_len;		/* bytes in the current escape sequence */
	unsigned int pend_len;		/* bytes held in pend (KEEP_UTF8) */
	unsigned char pend[4];		/* a UTF-8 sequence not yet complete */
};

/* What hvctl_sanitize_byte() asks the caller to do. */
#define HVCTL_SAN_SKIP		(-1)	/* nothing */
#define HVCTL_SAN_NEWLINE	(-2)	/* end the line */
#define HVCTL_SAN_TAB		(-3)	/* advance to the next tab stop */

/* Start a stream with the given HVCTL_SAN_* flags. */
HVCTL_EXPORT void hvctl_sanitize_init(struct hvctl_sanitizer *s,
				      unsigned int flags);
/* Start again, as shown ASCII only (flags 0). */
HVCTL_EXPORT void hvctl_sanitize_reset(struct hvctl_sanitizer *s);

/*
 * ASCII only (flags are ignored): returns a printable ASCII character
 * (0x20..0x7e) or a HVCTL_SAN_* code. One '?' stands for each UTF-8
 * sequence or stray byte above 0x7f.
 */
HVCTL_EXPORT int hvctl_sanitize_byte(struct hvctl_sanitizer *s,
				     unsigned char c);

/*
 * Sanitise len bytes of a stream into out, which must hold len bytes
 * (the output is never longer than the input, plus at most 4 bytes of a
 * UTF-8 sequence held from an earlier call). Newline and tab are kept.
 * Returns the number of bytes written (no NUL is added).
 */
HVCTL_EXPORT size_t hvctl_sanitize_buf(struct hvctl_sanitizer *s,
				       const void *in, size_t len, char *out);

/*
 * One-shot, for a name: copy src into dst (size n, always NUL-terminated)
 * as printable ASCII; newline and tab become a space, escape sequences
 * vanish, other bytes above 0x7e show as '?'. Returns the length written.
 */
HVCTL_EXPORT size_t hvctl_sanitize_str(char *dst, size_t n, const char *src);

/*
 * Like hvctl_sanitize_str() but keeps valid UTF-8 (not C1), for output
 * to a terminal whose character set is UTF-8 (HVCTL_SAN_KEEP_UTF8); each
 * escape sequence or control character shows as '?', so a name made only
 * of them stays visible. With HVCTL_SAN_KEEP_LINES newline and tab pass,
 * for text that holds names among lines of output. The result is never
 * longer than src.
 */
HVCTL_EXPORT size_t hvctl_sanitize_name(char *dst, size_t n, const char *src,
					unsigned int flags);

/* True if text (len bytes) is valid UTF-8 without control characters
 * (C0, DEL, C1). */
HVCTL_EXPORT bool hvctl_text_is_clean(const char *text, size_t len);
/* How many leading bytes of text are clean in that sense (len if all). */
HVCTL_EXPORT size_t hvctl_text_clean_len(const char *text, size_t len);

/*
 * Make JSON text (as json-c writes it) safe: invalid UTF-8 becomes
 * U+FFFD and DEL and C1 controls are written as \u escapes, so the result
 * is valid UTF-8 that any JSON parser reads. json-c already escapes C0.
 * Returns a new string (free()), or NULL when out of memory.
 */
HVCTL_EXPORT char *hvctl_json_clean(const char *json);

/*
 * A Prometheus label value, escaped as the text exposition format wants
 * (backslash, double quote, newline), with invalid UTF-8 and other
 * control characters replaced by U+FFFD. Writes at most n bytes with the
 * NUL; returns the length the whole value needs (like snprintf).
 */
HVCTL_EXPORT size_t hvctl_prom_label(char *dst, size_t n, const char *src);

#endif /* !HVCTL_TEXT_H */
