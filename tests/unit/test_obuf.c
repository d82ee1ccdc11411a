// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_obuf.c - unit test of the output buffer's number writers: obuf_hex
 * and obuf_hex_at (sixteen digits per vector operation where there is one)
 * against snprintf for every length and padding, across the point where
 * the buffer fills and is flushed; obuf_reserve/obuf_commit lines; decimal.
 */
#include "config.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "obuf.h"
#include "tap.h"

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Values of every length: 0, powers of 16 and their neighbours, random. */
static uint64_t pick(long i)
{
	unsigned int shift = (unsigned int)(i % 64);

	switch (i % 5) {
	case 0:
		return (uint64_t)1 << shift;
	case 1:
		return ((uint64_t)1 << shift) - 1;
	case 2:
		return i < 5 ? 0 : UINT64_MAX >> shift;
	case 3:
		return rnd() >> shift;
	default:
		return rnd();
	}
}

/* What obuf_hex(v, digits) must write: %0*x with digits capped at 16. */
static int expect_hex(char *out, size_t size, uint64_t v, unsigned int digits)
{
	return snprintf(out, size, "%0*" PRIx64, (int)(digits > 16 ? 16 : digits),
			v);
}

/*
 * 20000 numbers through obuf_hex (past the 64 KiB the buffer holds, so
 * that it flushes between numbers), each followed by a space; the whole
 * output equals snprintf's.
 */
static void test_hex_stream(void)
{
	struct obuf o;
	FILE *f = capture_start(&o);
	size_t cap = 20000 * 18 + 1, len = 0, got_len;
	char *want = malloc(cap), *got;

	if (!want)
		abort();
	for (long i = 0; i < 20000; i++) {
		uint64_t v = pick(i);
		unsigned int digits = (unsigned int)(i % 21);

		obuf_hex(&o, v, digits);
		obuf_putc(&o, ' ');
		len += (size_t)expect_hex(want + len, cap - len, v, digits);
		want[len++] = ' ';
	}
	want[len] = '\0';
	got = capture_end(f, &o, &got_len);
	ok(got_len == len && !memcmp(got, want, len),
	   "obuf_hex: 20000 numbers of every length and padding, across "
	   "buffer flushes, as snprintf writes them (%zu bytes)", len);
	free(got);
	free(want);
}

/* obuf_hex_at: the end it returns and the digits before it. */
static void test_hex_at(void)
{
	char buf[64], want[32];
	long off = 0;

	for (long i = 0; i < 100000; i++) {
		uint64_t v = pick(i);
		unsigned int digits = (unsigned int)(i % 19);
		int n = expect_hex(want, sizeof(want), v, digits);
		char *end;

		memset(buf, 'z', sizeof(buf));
		end = obuf_hex_at(buf + 3, v, digits);
		off += end != buf + 3 + n || memcmp(buf + 3, want, (size_t)n) ||
		       memchr(buf, 'z', 3) != buf;
	}
	ok(off == 0, "obuf_hex_at: 100000 numbers, digits and end as snprintf "
	   "(%ld off)", off);
}

/* A line put together after one obuf_reserve, committed at its end. */
static void test_reserve(void)
{
	struct obuf o;
	FILE *f = capture_start(&o);
	char *got, *want = malloc(5000 * 40 + 1);
	size_t len = 0, got_len;

	if (!want)
		abort();
	for (long i = 0; i < 5000; i++) {
		char *p = obuf_reserve(&o, 40);
		uint64_t v = rnd();

		memcpy(p, "0x", 2);
		p = obuf_hex_at(p + 2, v, 1);
		*p++ = '\n';
		obuf_commit(&o, p);
		len += (size_t)sprintf(want + len, "0x%" PRIx64 "\n", v);
	}
	got = capture_end(f, &o, &got_len);
	ok(got_len == len && !memcmp(got, want, len),
	   "obuf_reserve/obuf_commit: 5000 lines across buffer flushes");
	free(got);
	free(want);
}

static void test_dec(void)
{
	struct obuf o;
	FILE *f = capture_start(&o);
	char want[64], *got;

	snprintf(want, sizeof(want), "%20" PRIu64 "|0|%" PRIu64, UINT64_MAX,
		 (uint64_t)1234567);
	obuf_u64(&o, UINT64_MAX, 20);
	obuf_putc(&o, '|');
	obuf_u64(&o, 0, 0);
	obuf_putc(&o, '|');
	obuf_u64(&o, 1234567, 3);
	got = capture_end(f, &o, NULL);
	ok(!strcmp(got, want), "obuf_u64: widest, zero, wider than its field");
	free(got);
}

/*
 * obuf_u64 and obuf_u64_at against printf: every power of ten and its
 * neighbours, 0-999, and random values of every length, at every width
 * from 0 to 25.
 */
static void test_dec_many(void)
{
	char want[64], got[64], *end;
	unsigned int seed = 7;
	size_t bad = 0, n = 0;
	uint64_t v, p10;

	for (int i = 0; i < 4000; i++, n++) {
		if (i < 1000) {
			v = (uint64_t)i;
		} else if (i < 1060) {	/* 10^0 .. 10^19, each -1, +0, +1 */
			p10 = 1;
			for (int k = 0; k < (i - 1000) / 3; k++)
				p10 *= 10;
			v = p10 + (uint64_t)(i % 3) - 1;
		} else {
			v = ((uint64_t)rand_r(&seed) << 33 ^
			     (uint64_t)rand_r(&seed) << 11 ^
			     (uint64_t)rand_r(&seed)) >> (i % 64);
		}
		for (unsigned int w = 0; w <= 20; w += 5) {
			snprintf(want, sizeof(want), "%*" PRIu64, (int)w, v);
			end = obuf_u64_at(got, v, w);
			*end = '\0';
			bad += strcmp(got, want) != 0;
		}
	}
	ok(!bad, "obuf_u64_at: %zu values at widths 0-20 as printf writes "
	   "them (%zu wrong)", n, bad);
}

int main(void)
{
	test_dec_many();
	test_hex_stream();
	test_hex_at();
	test_reserve();
	test_dec();
	return tap_done();
}
