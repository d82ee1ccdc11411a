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

/* "00" to "99": two decimal digits a step. */
static const char dec_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

char *obuf_u64_at(char *p, uint64_t v, unsigned int width)
{
	/* The digits end at tmp + 20; 20 bytes from the first are copied
	 * whatever their number (one fixed-size copy, no call). */
	char tmp[40];
	unsigned int n = 0;

	for (; v >= 100; v /= 100) {
		n += 2;
		memcpy(tmp + 20 - n, dec_pairs + 2 * (v % 100), 2);
	}
	if (v >= 10) {
		n += 2;
		memcpy(tmp + 20 - n, dec_pairs + 2 * v, 2);
	} else {
		tmp[20 - ++n] = (char)('0' + v);
	}
	if (width > n)
		p = obuf_spaces_at(p, width - n);
	memcpy(p, tmp + 20 - n, 20);
	return p + n;
}

void obuf_u64(struct obuf *o, uint64_t v, unsigned int width)
{
	if (width > 20) {	/* obuf_u64_at() pads to 20 at most */
		obuf_pad(o, width - 20);
		width = 20;
	}
	obuf_commit(o, obuf_u64_at(obuf_reserve(o, 40), v, width));
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
