// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_escape.c - unit test of the renderers' escaping (escape.h), over
 * every Unicode code point and every byte that cannot start UTF-8:
 *
 *   terminal  no control byte, no C1, no invisible format character and
 *             no invalid UTF-8 comes out; what comes out is the input
 *             itself or its \xNN bytes (a backslash doubled); the width
 *             returned is the columns the output takes
 *   JSON      the string literal parses (jread) back to the exact input
 *             when it is UTF-8, or to its bytes as Latin-1 code points
 *             when it is not; esc_json says which
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <wchar.h>

#include "escape.h"
#include "jread.h"
#include "obuf.h"
#include "tap.h"

/* UTF-8 of @cp into @b; returns the length. */
static size_t utf8(uint32_t cp, unsigned char *b)
{
	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	b[0] = (unsigned char)(0xf0 | cp >> 18);
	b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	b[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Nothing unsafe in @len bytes of terminal output; counts its columns. */
static bool term_safe(const char *p, size_t len, size_t *cols)
{
	const unsigned char *u = (const unsigned char *)p;

	*cols = 0;
	for (size_t i = 0, n; i < len; i += n) {
		uint32_t cp;
		int w;

		n = esc_utf8(u + i, len - i, &cp);
		if (!n || esc_unsafe_cp(cp))
			return false;
		w = wcwidth((wchar_t)cp);
		*cols += w < 0 ? 1 : (size_t)w;
	}
	return true;
}

/* The terminal form of @in is @in itself, or its bytes as \xNN. */
static bool term_form(const char *in, size_t len, const char *out,
		      size_t olen)
{
	char want[64];
	size_t w = 0;

	if (len == 1 && in[0] == '\\')
		return olen == 2 && !memcmp(out, "\\\\", 2);
	if (olen == len && !memcmp(in, out, len))
		return true;
	for (size_t i = 0; i < len; i++)
		w += (size_t)snprintf(want + w, sizeof(want) - w, "\\x%02x",
				      (unsigned char)in[i]);
	return olen == w && !memcmp(out, want, w);
}

/* The one string a JSON text holds, compared with the one expected. */
struct got {
	const char *want;
	size_t wlen;
	unsigned int strings;
	bool same;
};

static int got_value(void *ctx, const struct jread_value *v)
{
	struct got *g = ctx;

	g->strings++;
	g->same = v->type == JR_STR && v->len == g->wlen &&
		  !memcmp(v->s, g->want, v->len);
	return 0;
}

static int got_end(void *ctx)
{
	(void)ctx;
	return 0;
}

/* The JSON form of @in parses (jread) back to @want (@wlen bytes). */
static bool json_back(struct obuf *o, const char *want, size_t wlen)
{
	static const struct jread_ops ops = { got_value, got_end };
	struct got g = { want, wlen, 0, false };
	struct err e;
	struct jread *r = jread_new(NULL, 0, &ops, &g, "json", &e);
	bool parsed;

	obuf_putc(o, '"');
	parsed = r && !jread_feed(r, o->p, o->len) && !jread_finish(r);
	jread_free(r);
	return parsed && g.strings == 1 && g.same;
}

static unsigned long bad_term, bad_width, bad_json, bad_valid, checked;

static void one(struct obuf *o, const char *in, size_t len, bool valid,
		const char *json_want, size_t json_len)
{
	size_t cols, width;

	o->len = 0;
	width = esc_term(o, in, len);
	if (!term_safe(o->p, o->len, &cols) || !term_form(in, len, o->p, o->len))
		bad_term++;
	else if (cols != width)
		bad_width++;
	o->len = 0;
	obuf_putc(o, '"');
	if (esc_json(o, in, len) != valid)
		bad_valid++;
	if (!json_back(o, json_want, json_len))
		bad_json++;
	checked++;
}

/* Every code point but the surrogates, alone. */
static void every_code_point(struct obuf *o)
{
	unsigned char b[4];

	for (uint32_t cp = 0; cp <= 0x10ffff; cp++) {
		size_t n;

		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		n = utf8(cp, b);
		one(o, (const char *)b, n, true, (const char *)b, n);
	}
}

/* Every byte that does not start valid UTF-8 alone, and cut sequences. */
static void invalid_bytes(struct obuf *o)
{
	static const char *const cut[] = {
		"\xc3", "\xe2\x80", "\xf0\x9f\x98", "\xed\xa0\x80",
		"\xc0\xaf", "\xf4\x90\x80\x80", "\xe0\x80\xaf",
	};
	unsigned char latin1[16];

	for (unsigned int c = 0x80; c <= 0xff; c++) {
		char in = (char)c;
		size_t n = utf8(c, latin1);

		one(o, &in, 1, false, (const char *)latin1, n);
	}
	for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		size_t len = strlen(cut[i]), w = 0;

		for (size_t k = 0; k < len; k++)
			w += utf8((unsigned char)cut[i][k], latin1 + w);
		one(o, cut[i], len, false, (const char *)latin1, w);
	}
}

int main(void)
{
	struct obuf o;

	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		diag("no C.UTF-8 locale: widths are 1");
	if (obuf_init(&o, -1))
		return 99;
	every_code_point(&o);
	ok(checked == 0x110000 - 0x800, "%lu code points checked", checked);
	ok(!bad_term, "terminal: no unsafe byte or character out, the input "
	   "or its \\xNN bytes (%lu wrong)", bad_term);
	ok(!bad_width, "terminal: the width returned is the columns written "
	   "(%lu wrong)", bad_width);
	ok(!bad_valid, "JSON: every code point is valid UTF-8 (%lu wrong)",
	   bad_valid);
	ok(!bad_json, "JSON: each parses back to the exact code point "
	   "(%lu wrong)", bad_json);
	bad_term = bad_width = bad_json = bad_valid = checked = 0;
	invalid_bytes(&o);
	ok(!bad_term && !bad_width, "invalid UTF-8: \\xNN per byte on a "
	   "terminal (%lu wrong)", bad_term + bad_width);
	ok(!bad_valid && !bad_json, "invalid UTF-8: reported, and each byte "
	   "its Latin-1 code point in JSON (%lu wrong)", bad_valid + bad_json);
	o.len = 0;
	ok(esc_term(&o, "\xe6\x97\xa5", 3) == 2 || !strcmp(setlocale(LC_CTYPE,
	   NULL), "C"), "a double-width character counts 2 columns");
	o.len = 0;
	esc_json(&o, "\xf3\xa0\x80\xa1", 4);
	ok(o.len == 12 && !memcmp(o.p, "\\udb40\\udc21", 12),
	   "a format character above U+FFFF is a surrogate pair in JSON");
	o.len = 0;
	obuf_close(&o);
	return tap_done();
}
