/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * maps_parse.h - the parser: text of /proc/PID/maps or /proc/PID/smaps
 * into a vmaset, in one pass, with no fixed-size line buffer.
 */
#ifndef VMAMAP_MAPS_PARSE_H
#define VMAMAP_MAPS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif

#include "err.h"
#include "vmaset.h"

enum maps_format {
	MF_EMPTY,	/* no bytes at all */
	MF_MAPS,
	MF_SMAPS,
	MF_JSON,	/* starts with '{' or '[': a vmamap snapshot */
	MF_UNKNOWN,
};

/* Guess the format of @len bytes at @buf from their first lines. */
enum maps_format maps_parse_detect(const char *buf, size_t len);

/*
 * Streaming parser: feed it text in chunks of any size.  Private fields;
 * declared here so callers can keep one on the stack.
 */
struct maps_parser {
	struct vmaset *s;
	const char *name;	/* for messages */
	unsigned long line;
	struct vma *cur;	/* region the key lines belong to */
	struct vma_smaps *sm;
	size_t first;		/* index of the first region added */
	unsigned int hint;	/* next smaps key expected */
	char *scratch;		/* decoded name buffer */
	size_t scratchcap;
	struct err *e;
};

/* Start parsing into @s; @name and @e as for maps_parse(). */
void maps_parser_init(struct maps_parser *mp, struct vmaset *s,
		      const char *name, struct err *e);

/*
 * Parse the complete lines at the start of @buf; returns the number of
 * bytes consumed (up to and including the last newline; the rest must be
 * fed again with more text), or a negative errno.
 */
long maps_parser_feed(struct maps_parser *mp, const char *buf, size_t len);

/*
 * End of input, with @rest bytes never consumed (a last line without a
 * newline, which is an error).  Releases the parser's memory; returns the
 * number of regions added or a negative errno.  Call it exactly once.
 */
int maps_parser_finish(struct maps_parser *mp, size_t rest);

/* Give up after an error from maps_parser_feed(): release the parser's
 * memory without running the end-of-input checks (which would replace the
 * error message). */
void maps_parser_abort(struct maps_parser *mp);

/*
 * Parse @len bytes of maps or smaps text and append the regions to @s,
 * which keeps copies of everything it needs (@buf may be freed after).
 * @name labels error messages ("FILE:LINE: what is wrong").  Returns the
 * number of regions added, or -EBADMSG (malformed: nothing is skipped
 * silently) or -ENOMEM, with @e filled in.  Sets s->src.smaps when the
 * text carried smaps fields.
 */
int maps_parse(struct vmaset *s, const char *buf, size_t len,
	       const char *name, struct err *e);

/*
 * Parse one maps header line (no newline) into @v, without the name
 * processing; exposed for unit tests and for address parsing.  Returns 0
 * or -EBADMSG with a short reason in *@why.
 */
int maps_parse_header(const char *p, size_t len, struct vma *v,
		      const char **name, size_t *namelen, const char **why);

/* Hex digit value + 1 for each byte; 0 for a byte that is not a digit. */
extern const unsigned char maps_hex_table[256];

/* Value of the hex digit @c (either case), or -1. */
static inline int maps_parse_hex_digit(char c)
{
	return maps_hex_table[(unsigned char)c] - 1;
}

/* Eight bytes at @p as one word, in the machine's byte order. */
static inline uint64_t maps_load64(const char *p)
{
	uint64_t w;

	__builtin_memcpy(&w, p, 8);
	return w;
}

/* Exactly @n hex digits (either case) at @p into *@out; false if one is not. */
static inline bool maps_hex_fixed(const char *p, unsigned int n,
				  uint64_t *out)
{
	uint64_t v = 0;
	unsigned int ok = 1;

	for (unsigned int i = 0; i < n; i++) {
		unsigned int d = maps_hex_table[(unsigned char)p[i]];

		ok &= d != 0;
		v = v << 4 | ((d - 1) & 15);
	}
	*out = v;
	return ok;
}

/* High bit of each byte of @w7 (bytes < 0x80) set where @lo <= byte <= @hi. */
static inline uint64_t maps_bytes_in(uint64_t w7, unsigned int lo,
				     unsigned int hi)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = ones << 7;

	return ((w7 | highs) - ones * lo) & (ones * (0x80 + hi) - w7) & highs;
}

/*
 * Exactly eight lower-case hex digits at @p into *@out, with word
 * operations rather than a loop; false if one is not such a digit (callers
 * then try a general parser, which also takes upper case).
 */
static inline bool maps_hex_word(const char *p, uint64_t *out)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = ones << 7;
	const uint64_t pairs = 0x00ff00ff00ff00ffULL;
	uint64_t w = maps_load64(p), w7 = w & ~highs, n;

	if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__)
		return maps_hex_fixed(p, 8, out);
	if (((maps_bytes_in(w7, '0', '9') | maps_bytes_in(w7, 'a', 'f')) &
	     ~w) != highs)
		return false;
	/* Digit values, the first (most significant) in the low byte. */
	n = (w7 & ones * 0x0f) + ((w7 >> 6) & ones) * 9;
	n = ((n & pairs) << 4) | ((n >> 8) & pairs);
	n = ((n & 0x000000ff000000ffULL) << 8) |
	    ((n >> 16) & 0x000000ff000000ffULL);
	*out = ((n & 0xffff) << 16) | (n >> 32);
	return true;
}

#if defined(__SSE2__) && defined(__x86_64__)
/*
 * Sixteen bytes at once: bit i of the result is set when byte i of @x is a
 * lower-case hex digit, and *@nib gets the digit values of those bytes (and
 * some value below 16 for the others).
 */
static inline unsigned int maps_hex16(__m128i x, __m128i *nib)
{
	/* Adding 127 - hi moves [lo, hi] (and nothing else) to the top of
	 * the signed bytes, above 126 - (hi - lo). */
	__m128i digit = _mm_cmpgt_epi8(_mm_add_epi8(x, _mm_set1_epi8(127 - '9')),
				       _mm_set1_epi8(126 - ('9' - '0')));
	__m128i letter = _mm_cmpgt_epi8(_mm_add_epi8(x, _mm_set1_epi8(127 - 'f')),
					_mm_set1_epi8(126 - ('f' - 'a')));

	/* The low four bits, and 9 more for a letter: below 16 for every
	 * byte, so that no byte disturbs its neighbour in maps_hex16_value. */
	*nib = _mm_add_epi8(_mm_and_si128(x, _mm_set1_epi8(0x0f)),
			    _mm_and_si128(letter, _mm_set1_epi8(9)));
	return (unsigned int)_mm_movemask_epi8(_mm_or_si128(digit, letter));
}

/* Sixteen digit values, the first the most significant, as one number. */
static inline uint64_t maps_hex16_value(__m128i nib)
{
	/* Each 16-bit lane: first digit << 4 | second, in its low byte. */
	__m128i pair = _mm_or_si128(_mm_slli_epi16(nib, 4),
				    _mm_srli_epi16(nib, 8));

	pair = _mm_and_si128(pair, _mm_set1_epi16(0xff));
	return __builtin_bswap64((uint64_t)_mm_cvtsi128_si64(
		_mm_packus_epi16(pair, pair)));
}

/*
 * Exactly @n lower-case hex digits, 8 <= @n <= 16, at @p into *@out: the
 * first eight and the last eight bytes (they overlap when @n < 16) read
 * and checked in one register.
 */
static inline bool maps_hex_wide(const char *p, unsigned int n, uint64_t *out)
{
	__m128i nib, x = _mm_set_epi64x((long long)maps_load64(p + n - 8),
					(long long)maps_load64(p));
	uint64_t v;

	if (maps_hex16(x, &nib) != 0xffff)
		return false;
	v = maps_hex16_value(nib);
	*out = (v >> 32 >> (4 * (16 - n))) << 32 | (v & 0xffffffff);
	return true;
}
#else
/*
 * Exactly @n lower-case hex digits, 8 <= @n <= 16, at @p into *@out: the
 * first eight and the last eight as words (they overlap when @n < 16).
 */
static inline bool maps_hex_wide(const char *p, unsigned int n, uint64_t *out)
{
	uint64_t hi, lo;

	if (!maps_hex_word(p, &hi) || !maps_hex_word(p + n - 8, &lo))
		return false;
	*out = (hi >> (4 * (16 - n))) << 32 | lo;
	return true;
}
#endif

/*
 * What a region's name is (enum vma_name) from its bytes as stored in the
 * model (" (deleted)" already removed): VN_NONE for an empty name.
 */
enum vma_name maps_parse_name_kind(const char *p, size_t len);

/*
 * A file's name as maps prints it ends in " (deleted)" when the file was
 * unlinked: then drop it from *@len and return true.
 */
bool maps_parse_deleted(const char *p, size_t *len);

/*
 * Copy the @len bytes at @p to @dst (room for @len), the kernel's "\012"
 * turned back into '\n'; returns the new length.
 */
size_t maps_parse_unescape(char *dst, const char *p, size_t len);

#endif
