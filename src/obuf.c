// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * obuf.c - buffered output (see obuf.h).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif

#include "obuf.h"

enum { OBUF_SIZE = 1 << 16 };

int obuf_init(struct obuf *o, int fd)
{
	o->fd = fd;
	o->err = 0;
	o->oneline = 0;
	o->len = 0;
	o->cap = OBUF_SIZE;
	o->p = malloc(OBUF_SIZE);
	return o->p ? 0 : -ENOMEM;
}

/* Drop each newline and the indentation after it (JSON outside strings). */
static void squeeze_lines(struct obuf *o)
{
	size_t w = 0;

	for (size_t r = 0; r < o->len; r++) {
		if (o->p[r] != '\n') {
			o->p[w++] = o->p[r];
			continue;
		}
		while (r + 1 < o->len && o->p[r + 1] == ' ')
			r++;
	}
	o->len = w;
}

int obuf_flush(struct obuf *o)
{
	size_t off = 0;

	if (o->oneline)
		squeeze_lines(o);
	while (off < o->len && !o->err) {
		ssize_t n = write(o->fd, o->p + off, o->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			o->err = -errno;
		else
			off += (size_t)n;
	}
	o->len = 0;
	return o->err;
}

int obuf_close(struct obuf *o)
{
	int r = obuf_flush(o);

	free(o->p);
	o->p = NULL;
	o->cap = 0;
	return r;
}

void obuf_put_slow(struct obuf *o, const char *s, size_t n)
{
	while (n) {
		size_t room = o->cap - o->len, k = n < room ? n : room;

		memcpy(o->p + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
		if (o->len == o->cap)
			obuf_flush(o);
	}
}

unsigned int obuf_dec_digits(uint64_t v)
{
	unsigned int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

unsigned int obuf_hex_digits(uint64_t v)
{
	unsigned int n = 1;

	while (v >= 16) {
		v >>= 4;
		n++;
	}
	return n;
}

void obuf_pad(struct obuf *o, size_t n)
{
	static const char sp[] = "                                ";

	while (n) {
		size_t k = n < sizeof(sp) - 1 ? n : sizeof(sp) - 1;

		obuf_put(o, sp, k);
		n -= k;
	}
}

void obuf_left(struct obuf *o, const char *s, unsigned int width)
{
	size_t n = strlen(s);

	obuf_put(o, s, n);
	obuf_pad(o, width > n ? width - n : 0);
}

void obuf_right(struct obuf *o, const char *s, unsigned int width)
{
	size_t n = strlen(s);

	obuf_pad(o, width > n ? width - n : 0);
	obuf_put(o, s, n);
}

void obuf_u64(struct obuf *o, uint64_t v, unsigned int width)
{
	char tmp[20];
	unsigned int n = 0;

	do {
		tmp[sizeof(tmp) - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (width > n)
		obuf_pad(o, width - n);
	obuf_put(o, tmp + sizeof(tmp) - n, n);
}

#if defined(__SSE2__) && defined(__x86_64__)
/*
 * Sixteen digits in one register: @v shifted so that its @n digits lead,
 * bytes in memory order, each byte split into its two nibbles, and '0' or
 * 'a' - 10 added to each.  Stores 16 bytes.
 */
static inline void hex_digits(char *p, uint64_t v, unsigned int n)
{
	uint64_t w = __builtin_bswap64(v << (4 * (16 - n)));
	__m128i x = _mm_cvtsi64_si128((long long)w);
	__m128i low = _mm_set1_epi8(0x0f);
	__m128i d = _mm_unpacklo_epi8(_mm_and_si128(_mm_srli_epi64(x, 4), low),
				      _mm_and_si128(x, low));
	__m128i letter = _mm_cmpgt_epi8(d, _mm_set1_epi8(9));

	d = _mm_add_epi8(d, _mm_set1_epi8('0'));
	d = _mm_add_epi8(d, _mm_and_si128(letter,
					  _mm_set1_epi8('a' - '0' - 10)));
	_mm_storeu_si128((__m128i *)(void *)p, d);
}
#else
/* "000102...feff": two hex digits per byte value. */
static char hex_pairs[512];

static void __attribute__((constructor)) hex_pairs_init(void)
{
	static const char hx[] = "0123456789abcdef";

	for (int i = 0; i < 256; i++) {
		hex_pairs[2 * i] = hx[i >> 4];
		hex_pairs[2 * i + 1] = hx[i & 15];
	}
}

/* The last @n digits of @v, two at a time from the right. */
static inline void hex_digits(char *p, uint64_t v, unsigned int n)
{
	char *end = p + n;

	for (; end - p >= 2; v >>= 8) {
		end -= 2;
		memcpy(end, hex_pairs + 2 * (v & 0xff), 2);
	}
	if (end > p)
		*--end = "0123456789abcdef"[v & 15];
}
#endif

char *obuf_hex_at(char *p, uint64_t v, unsigned int digits)
{
	unsigned int n = v ? (67 - (unsigned int)__builtin_clzll(v)) / 4 : 1;

	if (n < digits)
		n = digits > 16 ? 16 : digits;
	hex_digits(p, v, n);
	return p + n;
}

void obuf_hex(struct obuf *o, uint64_t v, unsigned int digits)
{
	char *p = obuf_reserve(o, 16);

	obuf_commit(o, obuf_hex_at(p, v, digits));
}

void obuf_printf(struct obuf *o, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	obuf_put(o, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

void obuf_utc(struct obuf *o, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char b[32];
	size_t n = 0;

	if (gmtime_r(&tt, &tm))
		n = strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%SZ", &tm);
	obuf_put(o, b, n);
}
