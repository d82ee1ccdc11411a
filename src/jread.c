// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * jread.c - JSON text as a stream of values (see jread.h).
 *
 * One pass over each chunk: white space is skipped, a token is read, and
 * the grammar (a state per place in the text, a frame per object or
 * array open) decides what it means.  A token read whole from the chunk
 * is used in place: a string without escapes is handed over as the bytes
 * of the chunk, found 16 at a time (SSE2) up to the first quote,
 * backslash, control or non-ASCII byte.  The rest of a string (escapes,
 * UTF-8 sequences) is read a byte at a time into a buffer, and so is a
 * token cut by the end of a chunk: it goes on in the next one from where
 * it stopped (the buffer, the state of the escape or UTF-8 sequence it is
 * in), so that a chunk may end anywhere.
 *
 * Positions are counted only when a message needs one: the line and
 * column of the start of the chunk are kept, and a message's place is
 * counted from there (see jread.h for which place each message names).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif

#include "jread.h"
#include "vmaset.h"

enum { KEY_SLOTS = 256 };	/* open addressing for JR_MAX_KEYS names */

/* An object or array being read. */
struct frame {
	uint64_t seen[JR_MAX_KEYS / 64];	/* its keys from the table */
	struct vmaset *others;	/* its other keys, once there is one */
	size_t index;		/* an array: elements so far */
	bool obj;
};

/* Where the grammar is: what the next token may be. */
enum state {
	S_VALUE,		/* a value: the top one, after ':' or ',' */
	S_ARR_FIRST,		/* after '[': a value or ']' */
	S_OBJ_FIRST,		/* after '{': a key or '}' */
	S_KEY,			/* after ',' in an object: a key */
	S_COLON,		/* after a key */
	S_OBJ_NEXT,		/* after a member: ',' or '}' */
	S_ARR_NEXT,		/* after an element: ',' or ']' */
	S_DONE,			/* after the top value: white space only */
};

enum tok {
	T_LBRACE, T_RBRACE, T_LBRACK, T_RBRACK, T_COLON, T_COMMA,
	T_STR, T_NUM, T_TRUE, T_FALSE, T_NULL,
};

/* A token read; @end is just after it, in the chunk. */
struct token {
	enum tok type;
	const char *s;		/* T_STR: decoded bytes; T_NUM: the text */
	size_t len;
	const char *end;
	const char *lim;	/* T_STR: s may be read up to here */
	bool real;		/* T_NUM with a fraction or an exponent */
	bool bad_utf8;		/* T_STR: overlong, surrogate, > U+10FFFF */
	bool nul;		/* T_STR: \u0000 in it */
};

/* The token a chunk ended in, to go on with in the next. */
enum cut { CUT_NONE, CUT_STR, CUT_NUM, CUT_LIT };

/* In a string, outside its plain runs: what the next byte is. */
enum unit {
	U_TEXT,			/* a byte of its own, or the closing quote */
	U_ESC,			/* after '\' */
	U_HEX,			/* a digit of \uXXXX */
	U_UTF8,			/* a continuation byte */
	U_LOW_BS,		/* after a high surrogate: '\' of the low one */
	U_LOW_U,		/* its 'u' */
};

/* The number grammar, a byte at a time. */
enum num {
	N_START, N_MINUS, N_ZERO, N_INT, N_DOT, N_FRAC, N_E, N_ESIGN, N_EXP,
};

struct jread {
	const struct jread_ops *ops;
	void *ctx;
	const char *label;
	struct err *e;
	int rc;			/* the error that stopped the parse */
	/* the key table */
	const char *const *names;
	struct kslot {
		uint64_t w;	/* the name's first 8 bytes */
		uint8_t len;
		uint8_t id1;	/* 1 + id; 0: empty */
	} slot[KEY_SLOTS];
	/* each name as it starts a member, NAME":, to find it at once */
	struct kpat {
		char b[32];
		uint8_t len;	/* 0: too long, or not plain */
	} pat[JR_MAX_KEYS];
	uint8_t succ[JR_MAX_KEYS + 1];	/* 1 + id of the key that came
					 * after id last; [JR_MAX_KEYS]:
					 * first in an object */
	/* the grammar */
	enum state state;
	struct frame *fr;
	size_t depth, cap;
	size_t skip;		/* depth of the container skipped, or 0 */
	int key;		/* the key of the next value */
	const char *kname;
	size_t klen;
	/* a token cut by the end of a chunk, and strings with escapes */
	enum cut cut;
	char *buf;		/* its bytes so far */
	size_t blen, bcap;
	enum unit unit;		/* CUT_STR, and any string read into buf */
	uint8_t need;		/* U_HEX, U_UTF8: bytes to go */
	uint8_t lo, hi;		/* U_UTF8: the range of the next byte */
	uint32_t cp;		/* U_HEX: the digits so far */
	uint32_t high;		/* U_LOW_*, U_HEX: a high surrogate read */
	bool low;		/* U_HEX: the low one is read */
	bool bad_utf8, nul;
	enum num num;		/* CUT_NUM */
	bool real;		/* CUT_NUM: a fraction or an exponent */
	uint8_t lit, lpos;	/* CUT_LIT: which literal, bytes matched */
	/* positions */
	const char *chunk;	/* the text being read */
	size_t line, col;	/* of the last character before it */
	const char *vend;	/* where the last value ended in it, or NULL */
	size_t vline, vcol;	/* where it ended, in an earlier chunk */
};

/* ------------------------------------------------------- positions */

/* Move *@line and *@col (of the last character) over @len bytes at @p. */
static void advance(const char *p, size_t len, size_t *line, size_t *col)
{
	const char *end = p + len, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		++*line;
		*col = 0;
		p = nl + 1;
	}
	for (; p < end; p++)	/* characters, not bytes */
		*col += ((unsigned char)*p & 0xc0) != 0x80;
}

static int fail_line(struct jread *r, size_t line, size_t col,
		     const char *what)
{
	r->rc = err_set(r->e, -EBADMSG, "%s:%zu:%zu: %s", r->label, line,
			col, what);
	return r->rc;
}

/* A syntax error after the bytes of the chunk before @at. */
static int fail(struct jread *r, const char *at, const char *what)
{
	size_t line = r->line, col = r->col;

	advance(r->chunk, (size_t)(at - r->chunk), &line, &col);
	return fail_line(r, line, col, what);
}

static int oom(struct jread *r)
{
	r->rc = err_set(r->e, -ENOMEM, "%s: out of memory", r->label);
	return r->rc;
}

/* \v and \f: white space to C, not to JSON. */
static inline bool is_vf(unsigned char c)
{
	return c == '\v' || c == '\f';
}

/* The byte at @p is \v or \f: refused as itself, wherever it is. */
static int fail_vf(struct jread *r, const char *p)
{
	return fail(r, p + 1, *p == '\v' ? "invalid character 0x0b "
		    "(vertical tab)" : "invalid character 0x0c (form feed)");
}

/* A lexical error at the byte at @p, which is not part of the token
 * (unless it is \v or \f: those are named). */
static int fail_before(struct jread *r, const char *p, const char *what)
{
	return is_vf((unsigned char)*p) ? fail_vf(r, p) : fail(r, p, what);
}

/* ------------------------------------------------------------ keys */

/* The first (up to) 8 bytes of @p (@len bytes; readable up to @end). */
static inline uint64_t word8(const char *p, size_t len, const char *end)
{
	uint64_t w = 0;

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (end - p >= 8) {
		memcpy(&w, p, 8);
		return len >= 8 ? w : w & ((UINT64_C(1) << (len * 8)) - 1);
	}
#else
	(void)end;
#endif
	memcpy(&w, p, len < 8 ? len : 8);
	return w;
}

static inline unsigned int key_hash(uint64_t w)
{
	return (unsigned int)((w * UINT64_C(0x9e3779b97f4a7c15)) >> 56) &
	       (KEY_SLOTS - 1);
}

static bool plain(unsigned char c);

/* NAME": for the name @k (@len bytes), when it fits and is plain. */
static void pat_build(struct kpat *pt, const char *k, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!plain((unsigned char)k[i]))
			return;
	if (len + 2 > sizeof(pt->b))
		return;
	memcpy(pt->b, k, len);
	memcpy(pt->b + len, "\":", 2);
	pt->len = (uint8_t)(len + 2);
}

/*
 * The bytes at @s (readable up to @end) start with the member name of
 * the table's key @id (its pattern @pt): the name, its closing quote
 * and ':'.
 */
static inline bool pat_at(const struct kpat *pt, const char *s,
			  const char *end)
{
#if defined(__SSE2__) && defined(__x86_64__)
	const __m128i *b = (const __m128i *)(const void *)pt->b;
	unsigned int eq, want;

	if (end - s < 32 || !pt->len)
		return false;
	eq = (unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8(
		_mm_loadu_si128((const __m128i *)(const void *)s),
		_mm_loadu_si128(b)));
	if (pt->len > 16)
		eq |= (unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const __m128i *)(const void *)(s + 16)),
			_mm_loadu_si128(b + 1))) << 16;
	want = pt->len == 32 ? ~0u : (1u << pt->len) - 1;
	return (eq & want) == want;
#else
	return pt->len && end - s >= pt->len && !memcmp(s, pt->b, pt->len);
#endif
}

static void keys_build(struct jread *r, unsigned int n)
{
	for (unsigned int id = 0; id < n && id < JR_MAX_KEYS; id++) {
		const char *k = r->names[id];
		size_t len = k ? strlen(k) : 0;
		uint64_t w;
		unsigned int j;

		if (!k || len > UINT8_MAX)
			continue;
		w = word8(k, len, k + len);
		pat_build(&r->pat[id], k, len);
		j = key_hash(w);
		while (r->slot[j].id1)
			j = (j + 1) & (KEY_SLOTS - 1);
		r->slot[j] = (struct kslot){ w, (uint8_t)len, (uint8_t)(id + 1) };
	}
}

/* The id of the key @p (@len bytes, readable up to @end), or
 * JR_KEY_OTHER. */
static inline int key_id(const struct jread *r, const char *p, size_t len,
			 const char *end)
{
	uint64_t w = word8(p, len, end);
	const struct kslot *k;

	for (unsigned int j = key_hash(w); (k = &r->slot[j])->id1;
	     j = (j + 1) & (KEY_SLOTS - 1)) {
		if (k->w == w && k->len == len && (len <= 8 ||
		    !memcmp(r->names[k->id1 - 1] + 8, p + 8, len - 8)))
			return k->id1 - 1;
	}
	return JR_KEY_OTHER;
}

/* "duplicate object key", with the key when it prints as it is. */
static int duplicate(struct jread *r, const struct token *t)
{
	bool plain = t->len <= 64;
	char msg[96];

	for (size_t i = 0; plain && i < t->len; i++)
		plain = t->s[i] > ' ' && t->s[i] < 0x7f && t->s[i] != '"' &&
			t->s[i] != '\\';
	snprintf(msg, sizeof(msg), "duplicate object key%s%.*s%s",
		 plain ? " \"" : "", plain ? (int)t->len : 0, t->s,
		 plain ? "\"" : "");
	return fail(r, t->end, msg);
}

/* A key not in the table: kept in the frame's set, to find it twice. */
static int other_key(struct jread *r, struct frame *f, const struct token *t)
{
	size_t before;
	uint32_t off;

	if (t->nul)
		return fail(r, t->end, "NUL byte in object key not supported");
	if (t->bad_utf8)
		return fail(r, t->end, "invalid UTF-8 in an object key");
	if (!f->others && !(f->others = calloc(1, sizeof(*f->others))))
		return oom(r);
	before = f->others->hashn;
	off = vset_intern(f->others, t->s, t->len);
	if (!off)
		return oom(r);
	if (f->others->hashn == before)
		return duplicate(r, t);
	r->key = JR_KEY_OTHER;
	r->kname = vset_str(f->others, off);
	r->klen = t->len;
	return 0;
}

/* The key @t of the object read: its id, checked. */
static inline int take_key(struct jread *r, const struct token *t)
{
	struct frame *f = &r->fr[r->depth - 1];
	int id = key_id(r, t->s, t->len, t->lim);
	uint64_t bit = UINT64_C(1) << (id & 63);

	if (id == JR_KEY_OTHER)
		return other_key(r, f, t);
	if (f->seen[(unsigned int)id / 64] & bit)
		return duplicate(r, t);
	f->seen[(unsigned int)id / 64] |= bit;
	r->key = id;
	r->kname = r->names[id];
	r->klen = t->len;
	return 0;
}

/* ---------------------------------------------------------- buffer */

static int buf_grow(struct jread *r, size_t need)
{
	size_t ncap = r->bcap ? r->bcap * 2 : 256;
	char *nb;

	while (ncap < need)
		ncap *= 2;
	nb = realloc(r->buf, ncap);
	if (!nb)
		return oom(r);
	r->buf = nb;
	r->bcap = ncap;
	return 0;
}

static inline int buf_put(struct jread *r, const char *p, size_t len)
{
	if (r->blen + len + 1 > r->bcap && buf_grow(r, r->blen + len + 1))
		return r->rc;
	memcpy(r->buf + r->blen, p, len);
	r->blen += len;
	return 0;
}

static inline int buf_putc(struct jread *r, char c)
{
	return buf_put(r, &c, 1);
}

/* ---------------------------------------------------------- strings */

/* Bytes a string holds as they are: not '"', '\', control, non-ASCII. */
static inline bool plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* The first byte from @p that is not plain, or @end. */
static inline const char *plain_run(const char *p, const char *end)
{
#if defined(__SSE2__) && defined(__x86_64__)
	const __m128i quote = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
	const __m128i space = _mm_set1_epi8(' ');

	for (; end - p >= 16; p += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* signed: below ' ' is a control byte or one from 0x80 */
		__m128i m = _mm_or_si128(_mm_cmplt_epi8(v, space),
					 _mm_or_si128(_mm_cmpeq_epi8(v, quote),
						      _mm_cmpeq_epi8(v, bs)));
		unsigned int bits = (unsigned int)_mm_movemask_epi8(m);

		if (bits)
			return p + __builtin_ctz(bits);
	}
#endif
	while (p < end && plain((unsigned char)*p))
		p++;
	return p;
}

/* The code point @cp in UTF-8, into the buffer. */
static int put_cp(struct jread *r, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	r->nul |= cp == 0;
	return buf_put(r, u, n);
}

static int lone(struct jread *r, const char *p)
{
	return fail(r, p + 1, "invalid Unicode escape: a lone surrogate");
}

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}


/* The last digit of a \u escape was read, at @p. */
static int escaped_cp(struct jread *r, const char *p)
{
	bool low = r->cp >= 0xdc00 && r->cp <= 0xdfff;

	r->unit = U_TEXT;
	if (r->low) {
		r->low = false;
		if (!low)
			return lone(r, p);
		return put_cp(r, 0x10000 + ((r->high - 0xd800) << 10) +
			      (r->cp - 0xdc00));
	}
	if (low)
		return lone(r, p);
	if (r->cp >= 0xd800 && r->cp <= 0xdbff) {
		r->high = r->cp;
		r->unit = U_LOW_BS;
		return 0;
	}
	return put_cp(r, r->cp);
}

static int hex_digit(struct jread *r, const char *p)
{
	int d = hex_value((unsigned char)*p);

	if (d < 0)
		return fail_before(r, p, "lexical error: invalid (non-hex) "
				   "character occurs after '\\u' inside "
				   "string.");
	r->cp = r->cp << 4 | (uint32_t)d;
	return --r->need ? 0 : escaped_cp(r, p);
}

/* The byte after '\' (at @p). */
static int escape(struct jread *r, const char *p)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e = *p ? strchr(from, *p) : NULL;

	if (*p == 'u') {
		r->unit = U_HEX;
		r->need = 4;
		r->cp = 0;
		return 0;
	}
	if (!e)
		return fail_before(r, p, "lexical error: inside a string, '\\' "
				   "occurs before a character which it may "
				   "not.");
	r->unit = U_TEXT;
	return buf_putc(r, to[e - from]);
}

/*
 * The first byte of a UTF-8 sequence, at @p.  Its form (a first byte and
 * as many continuation bytes as it says) is checked here and in
 * utf8_next(), as the bytes come; what else makes it invalid (overlong,
 * a surrogate, above U+10FFFF) is remembered and reported at the end of
 * the string, once the whole string was read without a lexical error.
 */
static int utf8_first(struct jread *r, const char *p)
{
	unsigned char c = (unsigned char)*p;

	if (c < 0xc0 || c > 0xf7)
		return fail(r, p + 1, "lexical error: invalid bytes in UTF8 "
			    "string.");
	r->need = c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;
	r->lo = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
	r->hi = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
	r->bad_utf8 |= c < 0xc2 || c > 0xf4;
	r->unit = U_UTF8;
	return buf_putc(r, (char)c);
}

static int utf8_next(struct jread *r, const char *p)
{
	unsigned char c = (unsigned char)*p;

	if (is_vf(c))
		return fail_vf(r, p);
	if ((c & 0xc0) != 0x80)
		return fail(r, p + 1, "lexical error: invalid bytes in UTF8 "
			    "string.");
	r->bad_utf8 |= c < r->lo || c > r->hi;
	r->lo = 0x80;
	r->hi = 0xbf;
	if (!--r->need)
		r->unit = U_TEXT;
	return buf_putc(r, (char)c);
}

/* A byte of its own in a string (not plain, not the closing quote). */
static int str_text(struct jread *r, const char *p)
{
	unsigned char c = (unsigned char)*p;

	if (c == '\\') {
		r->unit = U_ESC;
		return 0;
	}
	if (c >= 0x80)
		return utf8_first(r, p);
	return fail_before(r, p, "lexical error: invalid character inside "
			   "string.");
}

/* After a high surrogate: @want ('\' or 'u') of the low one, at @p. */
static int low_next(struct jread *r, const char *p, char want)
{
	if (is_vf((unsigned char)*p))
		return fail_vf(r, p);
	if (*p != want)
		return lone(r, p);
	if (want == '\\') {
		r->unit = U_LOW_U;
		return 0;
	}
	r->unit = U_HEX;
	r->need = 4;
	r->cp = 0;
	r->low = true;
	return 0;
}

/* One byte of a string outside its plain runs, at @p. */
static int str_byte(struct jread *r, const char *p)
{
	switch (r->unit) {
	case U_TEXT:
		return str_text(r, p);
	case U_ESC:
		return escape(r, p);
	case U_HEX:
		return hex_digit(r, p);
	case U_UTF8:
		return utf8_next(r, p);
	case U_LOW_BS:
		return low_next(r, p, '\\');
	default:
		return low_next(r, p, 'u');
	}
}

/*
 * The string read into the buffer goes on at *@pp.  0 at its closing
 * quote (@t set, *@pp after the quote), 1 at @end (to go on in the next
 * chunk), or the error.
 */
static int str_more(struct jread *r, const char **pp, const char *end,
		    struct token *t)
{
	const char *p = *pp, *q;

	for (;;) {
		if (r->unit == U_TEXT) {
			q = plain_run(p, end);
			if (buf_put(r, p, (size_t)(q - p)))
				return r->rc;
			p = q;
			if (p < end && *p == '"')
				break;
		}
		if (p == end) {
			r->cut = CUT_STR;
			*pp = p;
			return 1;
		}
		if (str_byte(r, p))
			return r->rc;
		p++;
	}
	*t = (struct token){ .type = T_STR, .s = r->buf, .len = r->blen,
			     .end = p + 1, .lim = r->buf + r->blen,
			     .bad_utf8 = r->bad_utf8, .nul = r->nul };
	*pp = p + 1;
	return 0;
}

/* A string whose opening quote is before *@pp. */
static inline int lex_str(struct jread *r, const char **pp, const char *end,
			  struct token *t)
{
	const char *s = *pp, *q = plain_run(s, end);

	if (q < end && *q == '"') {
		*t = (struct token){ .type = T_STR, .s = s,
				     .len = (size_t)(q - s), .end = q + 1,
				     .lim = end };
		*pp = q + 1;
		return 0;
	}
	r->blen = 0;
	r->unit = U_TEXT;
	r->low = r->bad_utf8 = r->nul = false;
	return str_more(r, pp, end, t);
}

/* ---------------------------------------------------------- numbers */

/* The number grammar after @n, given @c; N_START when the number ended
 * before @c, N_START + 100 + n when @c is wrong after n. */
static int num_step(int n, unsigned char c)
{
	bool digit = c >= '0' && c <= '9';

	switch (n) {
	case N_START:
		return c == '-' ? N_MINUS : c == '0' ? N_ZERO : N_INT;
	case N_MINUS:
		return c == '0' ? N_ZERO : digit ? N_INT : N_START + 100 + n;
	case N_ZERO:
	case N_INT:
	case N_FRAC:
		if (digit && n != N_ZERO)
			return n;
		if (c == '.' && n != N_FRAC)
			return N_DOT;
		return c == 'e' || c == 'E' ? N_E : N_START;
	case N_DOT:
		return digit ? N_FRAC : N_START + 100 + n;
	case N_E:
		if (c == '+' || c == '-')
			return N_ESIGN;
		return digit ? N_EXP : N_START + 100 + n;
	case N_ESIGN:
		return digit ? N_EXP : N_START + 100 + n;
	default:
		return digit ? N_EXP : N_START;
	}
}

/* The number's byte at @p is wrong after @n. */
static int num_wrong(struct jread *r, int n, const char *p)
{
	return fail_before(r, p, n == N_MINUS ? "lexical error: malformed "
			   "number, a digit is required after the minus "
			   "sign." : n == N_DOT ? "lexical error: malformed "
			   "number, a digit is required after the decimal "
			   "point." : "lexical error: malformed number, a "
			   "digit is required after the exponent.");
}

/*
 * The number whose bytes from @s (in the chunk; after those in the
 * buffer when it was cut) go on at *@pp, in state r->num.  0 when it
 * ended before a byte that is not \v or \f (@t set), 1 at @end, or the
 * error.
 */
static int num_more(struct jread *r, const char *s, const char **pp,
		    const char *end, struct token *t)
{
	const char *p = *pp;
	int n = (int)r->num, next = n;

	for (; p < end; p++, n = next) {
		next = num_step(n, (unsigned char)*p);
		if (next == N_START || next > N_EXP)
			break;
		r->real |= next == N_DOT || next == N_E;
	}
	if (p == end) {
		r->num = (enum num)n;
		r->cut = CUT_NUM;
		*pp = p;
		return buf_put(r, s, (size_t)(p - s)) ?: 1;
	}
	if (next != N_START)
		return num_wrong(r, n, p);
	if (is_vf((unsigned char)*p))
		return fail_vf(r, p);
	*t = (struct token){ .type = T_NUM, .s = s, .len = (size_t)(p - s),
			     .end = p, .real = r->real };
	if (r->cut == CUT_NUM) {
		if (buf_put(r, s, (size_t)(p - s)))
			return r->rc;
		t->s = r->buf;
		t->len = r->blen;
	}
	*pp = p;
	return 0;
}

static inline int lex_num(struct jread *r, const char **pp, const char *end,
			  struct token *t)
{
	r->num = N_START;
	r->real = false;
	r->blen = 0;
	return num_more(r, *pp, pp, end, t);
}

/* --------------------------------------------------------- literals */

static const char *const literal[] = { "true", "false", "null" };
static const enum tok literal_tok[] = { T_TRUE, T_FALSE, T_NULL };

/* The literal r->lit, r->lpos bytes of it read, goes on at *@pp. */
static int lit_more(struct jread *r, const char **pp, const char *end,
		    struct token *t)
{
	const char *want = literal[r->lit], *p = *pp;

	for (; want[r->lpos]; p++, r->lpos++) {
		if (p == end) {
			r->cut = CUT_LIT;
			*pp = p;
			return 1;
		}
		if (*p != want[r->lpos])
			return fail_before(r, p, "lexical error: invalid "
					   "string in json text.");
	}
	*t = (struct token){ .type = literal_tok[r->lit], .end = p };
	*pp = p;
	return 0;
}

static int lex_lit(struct jread *r, const char **pp, const char *end,
		   struct token *t)
{
	r->lit = **pp == 't' ? 0 : **pp == 'f' ? 1 : 2;
	r->lpos = 0;
	return lit_more(r, pp, end, t);
}

/* ------------------------------------------------------------ tokens */

/* A one-byte token at @p. */
static inline int punct(enum tok type, const char **pp, struct token *t)
{
	t->type = type;
	t->end = ++*pp;
	return 0;
}

/*
 * The token that starts at *@pp (not white space): 0 with @t set and
 * *@pp after it, 1 when the chunk ended in it, or the error.
 */
static int lex(struct jread *r, const char **pp, const char *end,
	       struct token *t)
{
	const char *p = *pp;

	switch (*p) {
	case '{':
		return punct(T_LBRACE, pp, t);
	case '}':
		return punct(T_RBRACE, pp, t);
	case '[':
		return punct(T_LBRACK, pp, t);
	case ']':
		return punct(T_RBRACK, pp, t);
	case ':':
		return punct(T_COLON, pp, t);
	case ',':
		return punct(T_COMMA, pp, t);
	case '"':
		++*pp;
		return lex_str(r, pp, end, t);
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return lex_num(r, pp, end, t);
	case 't': case 'f': case 'n':
		return lex_lit(r, pp, end, t);
	case '/':
		return fail(r, p, "lexical error: probable comment found in "
			    "input text, comments are not enabled.");
	case '\v': case '\f':
		return fail_vf(r, p);
	default:
		return fail(r, p + 1, "lexical error: invalid char in json "
			    "text.");
	}
}

/* The token cut by the end of the last chunk goes on at *@pp. */
static int lex_more(struct jread *r, const char **pp, const char *end,
		    struct token *t)
{
	switch (r->cut) {
	case CUT_STR:
		return str_more(r, pp, end, t);
	case CUT_NUM:
		return num_more(r, *pp, pp, end, t);
	default:
		return lit_more(r, pp, end, t);
	}
}

/* The first byte from @p that is not JSON white space, or @end. */
static inline const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (unsigned char)*p <= ' ' && (*p == ' ' ||
	       *p == '\n' || *p == '\t' || *p == '\r'))
		p++;
	return p;
}

/* ---------------------------------------------------------- values */

bool jread_digits(const char *p, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t n = 0;

	if (!len)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned int d = (unsigned int)(p[i] - '0');

		if (d > 9 || n > (max - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*out = n;
	return true;
}

/* An integer (its grammar checked) into v->i, as jansson: int64. */
static const char *take_int(const char *p, size_t len, struct jread_value *v)
{
	bool neg = *p == '-';
	uint64_t n;

	if (!jread_digits(p + neg, len - neg,
			  neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX, &n))
		return neg ? "too big negative integer" : "too big integer";
	v->i = neg ? -(int64_t)(n - 1) - 1 : (int64_t)n;
	v->d = (double)v->i;
	return NULL;
}

/*
 * A real into v->d (strtod in the C locale: vmamap sets LC_CTYPE only);
 * one that overflows a double is refused, as jansson did.  "" when out of
 * memory.
 */
static const char *take_real(const char *p, size_t len, struct jread_value *v)
{
	char buf[64], *t = len < sizeof(buf) ? buf : malloc(len + 1);

	if (!t)
		return "";
	memcpy(t, p, len);
	t[len] = '\0';
	v->d = strtod(t, NULL);
	if (t != buf)
		free(t);
	v->type = JR_REAL;
	return v->d > 1.7976931348623157e308 || v->d < -1.7976931348623157e308 ?
	       "real number overflow" : NULL;
}

/* The place after a value: in its object, its array, or at the end. */
static void value_read(struct jread *r, const char *end)
{
	r->vend = end;
	r->state = !r->depth ? S_DONE : r->fr[r->depth - 1].obj ? S_OBJ_NEXT :
		   S_ARR_NEXT;
}

/* @v (type and contents set) to the caller, with its key or index. */
static int deliver(struct jread *r, struct jread_value *v)
{
	struct frame *f = r->depth ? &r->fr[r->depth - 1] : NULL;
	int rc;

	v->key = JR_KEY_NONE;
	if (f && !f->obj) {
		v->index = f->index++;
	} else if (f) {
		v->key = r->key;
		v->kname = r->kname;
		v->klen = r->klen;
	}
	if (r->skip)
		return JR_NEXT;
	rc = r->ops->value(r->ctx, v);
	if (rc < 0)
		r->rc = rc;
	return rc;
}

/* The scalar @t, a value. */
static int scalar(struct jread *r, const struct token *t)
{
	struct jread_value v = { .type = JR_NULL };
	const char *bad = NULL;

	switch (t->type) {
	case T_STR:
		if (t->bad_utf8)
			return fail(r, t->end, "invalid UTF-8 in a string");
		v.type = JR_STR;
		v.s = t->s;
		v.len = t->len;
		break;
	case T_NUM:
		v.type = JR_INT;
		bad = t->real ? take_real(t->s, t->len, &v) :
		      take_int(t->s, t->len, &v);
		break;
	case T_TRUE:
		v.type = JR_TRUE;
		break;
	case T_FALSE:
		v.type = JR_FALSE;
		break;
	default:
		break;
	}
	if (bad)
		return *bad ? fail(r, t->end, bad) : oom(r);
	value_read(r, t->end);
	return deliver(r, &v) < 0 ? r->rc : 0;
}

/* ------------------------------------------------------ containers */

static int push(struct jread *r, bool obj)
{
	struct frame *f;

	if (r->depth == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 16;

		f = realloc(r->fr, ncap * sizeof(*f));
		if (!f)
			return oom(r);
		r->fr = f;
		r->cap = ncap;
	}
	f = &r->fr[r->depth++];
	memset(f, 0, sizeof(*f));
	f->obj = obj;
	return 0;
}

static void pop(struct jread *r)
{
	struct frame *f = &r->fr[--r->depth];

	if (f->others) {
		vset_free(f->others);
		free(f->others);
	}
}

/* '{' or '[' (@t) as a value. */
static int enter(struct jread *r, const struct token *t)
{
	bool obj = t->type == T_LBRACE;
	struct jread_value v = { .type = obj ? JR_OBJ : JR_ARR };
	int rc;

	if (r->depth >= JR_MAX_DEPTH)
		return fail(r, t->end, "maximum parsing depth reached");
	r->vend = t->end;
	rc = deliver(r, &v);
	if (rc < 0)
		return rc;
	if (push(r, obj))
		return r->rc;
	if (rc != JR_ENTER && !r->skip)
		r->skip = r->depth;
	r->state = obj ? S_OBJ_FIRST : S_ARR_FIRST;
	return 0;
}

/* '}' or ']' (@t) closes the object or array read. */
static int leave(struct jread *r, const struct token *t)
{
	bool entered = !r->skip;
	int rc;

	pop(r);
	if (r->skip > r->depth)
		r->skip = 0;
	value_read(r, t->end);
	if (!entered)
		return 0;
	rc = r->ops->end(r->ctx);
	if (rc < 0)
		r->rc = rc;
	return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------------- grammar */

static bool is_scalar(enum tok type)
{
	return type >= T_STR;
}

/* Where a value may come. */
static int at_value(struct jread *r, const struct token *t)
{
	if (is_scalar(t->type))
		return scalar(r, t);
	if (t->type == T_LBRACE || t->type == T_LBRACK)
		return enter(r, t);
	if (t->type == T_RBRACK && r->state == S_ARR_FIRST)
		return leave(r, t);
	return fail(r, t->end, "parse error: unallowed token at this point "
		    "in JSON text");
}

/* Where a key may come. */
static int at_key(struct jread *r, const struct token *t)
{
	if (t->type == T_STR) {
		r->state = S_COLON;
		return take_key(r, t);
	}
	if (t->type == T_RBRACE && r->state == S_OBJ_FIRST)
		return leave(r, t);
	return fail(r, t->end, "parse error: invalid object key (must be a "
		    "string)");
}

/*
 * After a member, the token is not ',' or '}': reported where the
 * member's value ended.
 */
static int after_member(struct jread *r)
{
	const char *what = "parse error: after key and value, inside map, "
			   "I expect ',' or '}'";

	if (r->vend)
		return fail(r, r->vend, what);
	return fail_line(r, r->vline, r->vcol, what);
}

/* The token @t, in the state of the grammar. */
static int grammar(struct jread *r, const struct token *t)
{
	switch (r->state) {
	case S_VALUE:
	case S_ARR_FIRST:
		return at_value(r, t);
	case S_OBJ_FIRST:
	case S_KEY:
		return at_key(r, t);
	case S_COLON:
		if (t->type != T_COLON)
			return fail(r, t->end, "parse error: object key and "
				    "value must be separated by a colon "
				    "(':')");
		r->state = S_VALUE;
		return 0;
	case S_OBJ_NEXT:
		if (t->type == T_COMMA)
			r->state = S_KEY;
		else if (t->type == T_RBRACE)
			return leave(r, t);
		else
			return after_member(r);
		return 0;
	default:	/* S_ARR_NEXT */
		if (t->type == T_COMMA)
			r->state = S_VALUE;
		else if (t->type == T_RBRACK)
			return leave(r, t);
		else
			return fail(r, t->end, "parse error: after array "
				    "element, I expect ',' or ']'");
		return 0;
	}
}

/* -------------------------------------------------------- fast paths */

/*
 * The common forms, read without tokens: scalars whole in the chunk (a
 * string without escapes, an integer of up to 18 digits, true, false,
 * null), and members of an object of a key whole in the chunk without
 * escapes, ':' right after it and such a scalar, with one space at most
 * after ':' and ','.  What is not of these forms, and the end of the
 * chunk, are left to lex() and grammar(), in the state reached.
 */

/* What may follow a number right away, in the forms read fast. */
static inline bool num_end(char c)
{
	return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' ||
	       c == '\r' || c == '\t';
}

/* An integer at @p ('-' or a digit) into @v: the end of it, or NULL. */
static inline const char *fast_int(const char *p, const char *end,
				   struct jread_value *v)
{
	const char *d = p + (*p == '-'), *q = d;
	uint64_t n = 0;
	unsigned int k;

	for (; q < end && (k = (unsigned int)(*q - '0')) <= 9; q++)
		n = n * 10 + k;
	if (q == end || q == d || q - d > 18 || (*d == '0' && q - d > 1) ||
	    !num_end(*q))
		return NULL;
	v->type = JR_INT;
	v->i = d > p ? -(int64_t)n : (int64_t)n;
	v->d = (double)v->i;
	return q;
}

/* The literal @lit (@len bytes) at @p into @v: the end of it, or NULL. */
static inline const char *fast_lit(const char *p, const char *end,
				   const char *lit, size_t len,
				   enum jread_type type, struct jread_value *v)
{
	if ((size_t)(end - p) < len || memcmp(p, lit, len))
		return NULL;
	v->type = type;
	return p + len;
}

/* A scalar at @p into @v: the end of it, or NULL when it is not of the
 * fast forms. */
static inline __attribute__((always_inline)) const char *
fast_scalar(const char *p, const char *end, struct jread_value *v)
{
	const char *q;

	switch (*p) {
	case '"':
		q = plain_run(p + 1, end);
		if (q == end || *q != '"')
			return NULL;
		v->type = JR_STR;
		v->s = p + 1;
		v->len = (size_t)(q - v->s);
		return q + 1;
	case 't':
		return fast_lit(p, end, "true", 4, JR_TRUE, v);
	case 'f':
		return fast_lit(p, end, "false", 5, JR_FALSE, v);
	case 'n':
		return fast_lit(p, end, "null", 4, JR_NULL, v);
	default:
		return *p == '-' || (*p >= '0' && *p <= '9') ?
		       fast_int(p, end, v) : NULL;
	}
}

/* After ':' or ',' at @p: the next byte, past one space. */
static inline const char *after_sep(const char *p, const char *end)
{
	return p + 1 < end && p[1] == ' ' ? p + 2 : p + 1;
}

/* The key @id (or JR_KEY_OTHER) from @s to @q (its closing quote) of
 * the object @f read. */
static inline int fast_key(struct jread *r, struct frame *f, int id,
			   const char *s, const char *q, const char *end)
{
	uint64_t bit = UINT64_C(1) << (id & 63);
	struct token t;

	if (id == JR_KEY_OTHER || (f->seen[(unsigned int)id / 64] & bit)) {
		t = (struct token){ .type = T_STR, .s = s,
				    .len = (size_t)(q - s), .end = q + 1,
				    .lim = end };
		return take_key(r, &t);
	}
	f->seen[(unsigned int)id / 64] |= bit;
	r->key = id;
	r->kname = r->names[id];
	r->klen = (size_t)(q - s);
	return 0;
}

/*
 * The key at @s (after its '"'), in an object whose last key was @prev
 * (JR_MAX_KEYS: none yet): the key that came after @prev last time, when
 * it is that one again, else looked up (and remembered).  Its closing
 * quote in *@q (NULL: not whole in the chunk, or not plain).
 */
static inline int fast_key_id(struct jread *r, unsigned int prev,
			      const char *s, const char *end, const char **q)
{
	unsigned int guess = r->succ[prev];
	int id;

	if (guess && pat_at(&r->pat[guess - 1], s, end)) {
		*q = s + r->pat[guess - 1].len - 2;
		return (int)guess - 1;
	}
	*q = plain_run(s, end);
	if (*q == end || **q != '"') {
		*q = NULL;
		return JR_KEY_OTHER;
	}
	id = key_id(r, s, (size_t)(*q - s), end);
	if (id >= 0)
		r->succ[prev] = (uint8_t)(id + 1);
	return id;
}

/* The member @v of the object read, to the caller. */
static inline int fast_member(struct jread *r, struct jread_value *v)
{
	int rc;

	if (r->skip)
		return 0;
	v->key = r->key;
	v->kname = r->kname;
	v->klen = r->klen;
	rc = r->ops->value(r->ctx, v);
	if (rc < 0)
		r->rc = rc;
	return rc < 0 ? rc : 0;
}

/*
 * Members from the key at @p ('"'): where the fast forms stop (the state
 * of the grammar set for what comes there), or NULL on an error.
 */
static const char *fast_members(struct jread *r, const char *p,
				const char *end)
{
	struct frame *f = &r->fr[r->depth - 1];
	unsigned int prev = r->state == S_OBJ_FIRST || r->key < 0 ?
			    JR_MAX_KEYS : (unsigned int)r->key;
	enum state state = r->state;
	const char *q = p;
	int id;

	while (*p == '"') {
		struct jread_value v = { .type = JR_NULL };

		id = fast_key_id(r, prev, p + 1, end, &q);
		if (!q) {
			q = p;
			break;
		}
		if (fast_key(r, f, id, p + 1, q, end))
			return NULL;
		prev = id < 0 ? JR_MAX_KEYS : (unsigned int)id;
		state = S_COLON;
		if (++q == end || *q != ':')
			break;
		state = S_VALUE;
		q = after_sep(q, end);
		if (q == end || !(p = fast_scalar(q, end, &v)))
			break;
		if (fast_member(r, &v))
			return NULL;
		state = S_OBJ_NEXT;
		q = p;
		if (p == end || *p != ',')
			break;
		state = S_KEY;
		q = p = after_sep(p, end);
		if (p == end)
			break;
	}
	r->state = state;
	if (state == S_OBJ_NEXT)
		r->vend = q;
	return q;
}

/* A scalar at @p where a value may come, delivered: after it, @p when
 * it is not of the fast forms, or NULL on an error. */
static inline const char *fast_value(struct jread *r, const char *p,
				     const char *end)
{
	struct jread_value v = { .type = JR_NULL };
	const char *q = fast_scalar(p, end, &v);

	if (!q)
		return p;
	value_read(r, q);
	return deliver(r, &v) < 0 ? NULL : q;
}

/* What comes at @p (not white space) read fast: after it, @p when it is
 * not of the fast forms, or NULL on an error. */
static inline const char *fast(struct jread *r, const char *p,
			       const char *end)
{
	switch (r->state) {
	case S_OBJ_FIRST:
	case S_KEY:
		return *p == '"' ? fast_members(r, p, end) : p;
	case S_VALUE:
	case S_ARR_FIRST:
		return fast_value(r, p, end);
	case S_OBJ_NEXT:
	case S_ARR_NEXT:
		if (*p != ',')
			return p;
		r->state = r->state == S_OBJ_NEXT ? S_KEY : S_VALUE;
		return p + 1;
	default:
		return p;
	}
}

/* ----------------------------------------------------------- reader */

/* The tokens of the chunk from @p to @end. */
static int run(struct jread *r, const char *p, const char *end)
{
	struct token t;
	const char *q;
	int rc;

	if (r->cut) {
		rc = lex_more(r, &p, end, &t);
		if (rc)
			return rc > 0 ? 0 : rc;
		r->cut = CUT_NONE;
		if (grammar(r, &t))
			return r->rc;
	}
	for (;;) {
		p = skip_ws(p, end);
		if (p == end)
			return 0;
		q = fast(r, p, end);
		if (q != p) {
			if (!q)
				return r->rc;
			p = q;
			continue;
		}
		if (r->state == S_DONE)
			return is_vf((unsigned char)*p) ? fail_vf(r, p) :
			       fail(r, p + 1, "parse error: trailing garbage");
		rc = lex(r, &p, end, &t);
		if (rc)
			return rc > 0 ? 0 : rc;
		if (grammar(r, &t))
			return r->rc;
	}
}

/* The chunk (@len bytes) was read: the place after it, and where its
 * last value ended. */
static void chunk_read(struct jread *r, size_t len)
{
	const char *p = r->chunk;

	if (r->vend) {
		advance(p, (size_t)(r->vend - p), &r->line, &r->col);
		r->vline = r->line;
		r->vcol = r->col;
		len -= (size_t)(r->vend - p);
		p = r->vend;
	}
	advance(p, len, &r->line, &r->col);
}

int jread_feed(struct jread *r, const char *p, size_t len)
{
	if (r->rc || !len)
		return r->rc;
	r->chunk = p;
	r->vend = NULL;
	if (run(r, p, p + len))
		return r->rc;
	chunk_read(r, len);
	return 0;
}

/* The end of the text in a number: it ends there, or is cut short. */
static int num_at_end(struct jread *r)
{
	const char *space = " ";
	struct token t;

	r->chunk = space;
	if (num_step(r->num, ' ') != N_START)
		return 1;
	t = (struct token){ .type = T_NUM, .s = r->buf, .len = r->blen,
			    .end = space, .real = r->real };
	r->cut = CUT_NONE;
	return grammar(r, &t) ? -1 : 0;
}

int jread_finish(struct jread *r)
{
	int rc = 0;

	if (r->rc)
		return r->rc;
	r->chunk = "";
	r->vend = NULL;
	if (r->cut == CUT_NUM)
		rc = num_at_end(r);
	if (rc < 0)
		return r->rc;
	r->chunk = "";
	if (rc || r->cut || r->state != S_DONE)
		return fail(r, r->chunk, "premature end of input");
	return 0;
}

struct jread *jread_new(const char *const *keys, unsigned int nkeys,
			const struct jread_ops *ops, void *ctx,
			const char *label, struct err *e)
{
	struct jread *r = calloc(1, sizeof(*r));

	if (!r) {
		err_set(e, -ENOMEM, "%s: out of memory", label);
		return NULL;
	}
	r->names = keys;
	keys_build(r, nkeys);
	r->ops = ops;
	r->ctx = ctx;
	r->label = label;
	r->e = e;
	r->line = 1;
	r->chunk = "";
	r->state = S_VALUE;
	return r;
}

void jread_free(struct jread *r)
{
	if (!r)
		return;
	while (r->depth)
		pop(r);
	free(r->fr);
	free(r->buf);
	free(r);
}
