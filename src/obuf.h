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
/* Lower-case hex, zero-padded to at least @digits digits. */
void obuf_hex(struct obuf *o, uint64_t v, unsigned int digits);
/*
 * The same at @p, which must have 16 bytes of room (from obuf_reserve());
 * returns the end of the number.
 */
char *obuf_hex_at(char *p, uint64_t v, unsigned int digits);
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
