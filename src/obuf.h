/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * obuf.h - buffered output for the renderers: no per-line stdio, numbers
 * formatted by hand.  The buffer is flushed with write(2) when full.
 */
#ifndef VMAMAP_OBUF_H
#define VMAMAP_OBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif

struct obuf {
	int fd;
	int err;		/* first write error (negative errno) or 0 */
	int oneline;		/* drop newlines and indentation (NDJSON) */
	char *p;
	size_t len, cap;
};

/* Start writing to @fd; returns 0 or -ENOMEM. */
int obuf_init(struct obuf *o, int fd);
/* Flush and free; returns the first write error or 0. */
int obuf_close(struct obuf *o);
/* Write out what is buffered; returns the first write error or 0. */
int obuf_flush(struct obuf *o);

/* Make room for @n more bytes (flushing), then the slow path of put. */
void obuf_put_slow(struct obuf *o, const char *s, size_t n);

static inline void obuf_put(struct obuf *o, const char *s, size_t n)
{
	if (o->cap - o->len >= n) {
		memcpy(o->p + o->len, s, n);
		o->len += n;
	} else {
		obuf_put_slow(o, s, n);
	}
}

/*
 * Where to write @n more bytes (@n at most 64 KiB), flushing to make room;
 * obuf_commit() then takes what was written up to @end.  For a line put
 * together from pieces with one check of the room.
 */
static inline char *obuf_reserve(struct obuf *o, size_t n)
{
	if (o->cap - o->len < n)
		obuf_flush(o);
	return o->p + o->len;
}

static inline void obuf_commit(struct obuf *o, char *end)
{
	o->len = (size_t)(end - o->p);
}

/* Put @n bytes at @p (room reserved); returns the end. */
static inline char *obuf_put_at(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/*
 * Put @n spaces at @p (room reserved, and for 16 bytes whatever @n);
 * returns the end.
 */
static inline char *obuf_spaces_at(char *p, size_t n)
{
	if (n <= 16)
		memcpy(p, "                ", 16);
	else
		memset(p, ' ', n);
	return p + n;
}

static inline void obuf_puts(struct obuf *o, const char *s)
{
	obuf_put(o, s, strlen(s));
}

static inline void obuf_putc(struct obuf *o, char c)
{
	if (o->len < o->cap)
		o->p[o->len++] = c;
	else
		obuf_put_slow(o, &c, 1);
}

/* Decimal, right-aligned in @width columns (0: no padding). */
void obuf_u64(struct obuf *o, uint64_t v, unsigned int width);
/*
 * @v in decimal at @p, right-aligned in @width (at most 20) columns; room
 * for 40 bytes reserved.  Returns the end.
 */
char *obuf_u64_at(char *p, uint64_t v, unsigned int width);
/* Lower-case hex, zero-padded to at least @digits digits. */
void obuf_hex(struct obuf *o, uint64_t v, unsigned int digits);

/* How many digits obuf_hex() writes for @v with @digits. */
static inline unsigned int obuf_hex_len(uint64_t v, unsigned int digits)
{
	/* clz ^ 63 = 63 - clz, the index of the top bit: one bsr. */
	unsigned int n = ((unsigned int)__builtin_clzll(v | 1) ^ 63) / 4 + 1;

	if (n < digits)
		n = digits > 16 ? 16 : digits;
	return n;
}

#if defined(__SSE2__) && defined(__x86_64__)
/*
 * The last @n digits of @v at @p, as sixteen in one register: @v shifted
 * so that its @n digits lead, bytes in memory order, each byte split into
 * its two nibbles, and '0' or 'a' - 10 added to each.  Stores 16 bytes.
 */
static inline void obuf_hex_fill(char *p, uint64_t v, unsigned int n)
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
/* The last @n digits of @v at @p, one at a time from the right. */
static inline void obuf_hex_fill(char *p, uint64_t v, unsigned int n)
{
	while (n--) {
		p[n] = "0123456789abcdef"[v & 15];
		v >>= 4;
	}
}
#endif

/*
 * obuf_hex() at @p, which must have 16 bytes of room (from obuf_reserve());
 * returns the end of the number.
 */
static inline char *obuf_hex_at(char *p, uint64_t v, unsigned int digits)
{
	unsigned int n = obuf_hex_len(v, digits);

	obuf_hex_fill(p, v, n);
	return p + n;
}

/* @n spaces. */
void obuf_pad(struct obuf *o, size_t n);
/* @s padded with spaces to @width columns, on the right or the left. */
void obuf_left(struct obuf *o, const char *s, unsigned int width);
void obuf_right(struct obuf *o, const char *s, unsigned int width);
/* Unix time @t in UTC, RFC 3339: "2026-11-21T07:31:00Z". */
void obuf_utc(struct obuf *o, int64_t t);
/* printf, for the rare line that is not hot. */
void obuf_printf(struct obuf *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Number of decimal / hex digits of @v (at least 1). */
unsigned int obuf_dec_digits(uint64_t v);
unsigned int obuf_hex_digits(uint64_t v);

#endif
