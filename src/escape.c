// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * escape.c - terminal and JSON escaping (rules in escape.h).
 */
#include "config.h"

#include <wchar.h>

#include "escape.h"

static const char hexd[] = "0123456789abcdef";

static bool cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

static size_t utf8_len_min(unsigned char c, uint32_t *cp, uint32_t *min)
{
	if (c >= 0xc2 && c <= 0xdf) {
		*cp = c & 0x1f;
		*min = 0x80;
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef) {
		*cp = c & 0x0f;
		*min = 0x800;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		*cp = c & 0x07;
		*min = 0x10000;
		return 4;
	}
	return 0;
}

size_t esc_utf8(const unsigned char *p, size_t len, uint32_t *cp)
{
	uint32_t min;
	size_t n;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	n = utf8_len_min(p[0], cp, &min);
	if (!n || n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if (!cont(p[i]))
			return 0;
		*cp = *cp << 6 | (p[i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * Invisible format characters: Unicode's category Cf (soft hyphen, bidi
 * controls, zero-width characters, invisible operators, the BOM,
 * interlinear annotation, tags...), and the line and paragraph separators.
 */
static const struct { uint32_t lo, hi; } invisible[] = {
	{ 0x00ad, 0x00ad }, { 0x0600, 0x0605 }, { 0x061c, 0x061c },
	{ 0x06dd, 0x06dd }, { 0x070f, 0x070f }, { 0x0890, 0x0891 },
	{ 0x08e2, 0x08e2 }, { 0x180e, 0x180e }, { 0x200b, 0x200f },
	{ 0x2028, 0x202e }, { 0x2060, 0x206f }, { 0xfeff, 0xfeff },
	{ 0xfff9, 0xfffb }, { 0x110bd, 0x110bd }, { 0x110cd, 0x110cd },
	{ 0x13430, 0x1343f }, { 0x1bca0, 0x1bca3 }, { 0x1d173, 0x1d17a },
	{ 0xe0001, 0xe0001 }, { 0xe0020, 0xe007f },
};

bool esc_unsafe_cp(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return true;
	for (size_t i = 0; i < sizeof(invisible) / sizeof(invisible[0]) &&
	     cp >= invisible[i].lo; i++)
		if (cp <= invisible[i].hi)
			return true;
	return false;
}

static void put_xnn(struct obuf *o, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char t[4] = { '\\', 'x', hexd[p[i] >> 4], hexd[p[i] & 15] };

		obuf_put(o, t, 4);
	}
}

static size_t cp_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);

	return w < 0 ? 1 : (size_t)w;
}

size_t esc_term(struct obuf *o, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, cols = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = esc_utf8(p + i, len - i, &cp);

		if (n == 1 && cp >= 0x20 && cp != 0x7f && cp != '\\') {
			obuf_putc(o, (char)cp);
			cols++;
		} else if (n == 1 && cp == '\\') {
			obuf_put(o, "\\\\", 2);
			cols += 2;
		} else if (n == 0 || esc_unsafe_cp(cp)) {
			n = n ? n : 1;
			put_xnn(o, p + i, n);
			cols += 4 * n;
		} else {
			obuf_put(o, s + i, n);
			cols += cp_width(cp);
		}
		i += n;
	}
	return cols;
}

static void put_u16(struct obuf *o, uint32_t u)
{
	char t[6] = { '\\', 'u', hexd[u >> 12 & 15], hexd[u >> 8 & 15],
		      hexd[u >> 4 & 15], hexd[u & 15] };

	obuf_put(o, t, 6);
}

/* \uXXXX, or a surrogate pair above U+FFFF. */
static void put_u(struct obuf *o, uint32_t cp)
{
	if (cp <= 0xffff) {
		put_u16(o, cp);
		return;
	}
	cp -= 0x10000;
	put_u16(o, 0xd800 | cp >> 10);
	put_u16(o, 0xdc00 | (cp & 0x3ff));
}

static bool json_short(struct obuf *o, uint32_t cp)
{
	static const char from[] = "\"\\\b\f\n\r\t";
	static const char to[] = "\"\\bfnrt";

	for (size_t i = 0; i < sizeof(from) - 1; i++)
		if (cp == (unsigned char)from[i]) {
			char t[2] = { '\\', to[i] };

			obuf_put(o, t, 2);
			return true;
		}
	return false;
}

bool esc_json(struct obuf *o, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	bool valid = true;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = esc_utf8(p + i, len - i, &cp);

		if (n == 0) {
			put_u(o, p[i]);
			valid = false;
			n = 1;
		} else if (json_short(o, cp)) {
			;
		} else if (esc_unsafe_cp(cp)) {
			put_u(o, cp);
		} else {
			obuf_put(o, s + i, n);
		}
		i += n;
	}
	return valid;
}

void esc_label(struct obuf *o, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = esc_utf8(p + i, len - i, &cp);

		if (n == 1 && (cp == '\\' || cp == '"')) {
			char t[2] = { '\\', (char)cp };

			obuf_put(o, t, 2);
		} else if (n == 1 && cp == '\n') {
			obuf_put(o, "\\n", 2);
		} else if (n == 0 || esc_unsafe_cp(cp)) {
			n = n ? n : 1;
			for (size_t k = 0; k < n; k++) {
				obuf_putc(o, '\\');
				put_xnn(o, p + i + k, 1);
			}
		} else {
			obuf_put(o, s + i, n);
		}
		i += n;
	}
}

void esc_hex(struct obuf *o, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len; i++) {
		char t[2] = { hexd[p[i] >> 4], hexd[p[i] & 15] };

		obuf_put(o, t, 2);
	}
}
