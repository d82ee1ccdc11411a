// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * jread.c - JSON text as a stream of values, with yajl (see jread.h).
 *
 * yajl does the lexing and the grammar and calls back for each token; the
 * callbacks here add the checks jansson made and yajl does not, keep the
 * stack of open objects and arrays (their keys read so far, for
 * duplicates; their element counts), and hand values to the caller.  What
 * yajl takes and JSON does not is found before yajl sees it: the text is
 * scanned for \v, \f and \u escapes of lone surrogates (yajl reads \v and
 * \f as white space and makes '?' of a lone high surrogate), and yajl is
 * given the text up to the first such byte only, so that an earlier error
 * is still reported first.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "escape.h"
#include "jread.h"
#include "maps_parse.h"
#include "vmaset.h"

enum { KEY_SLOTS = 256 };	/* open addressing for JR_MAX_KEYS names */
#define NONE SIZE_MAX

/* An object or array being read. */
struct frame {
	uint64_t seen[JR_MAX_KEYS / 64];	/* its keys from the table */
	struct vmaset *others;	/* its other keys, once there is one */
	size_t index;		/* an array: elements so far */
	bool obj;
};

/* Where the scan for \u escapes is: text, after '\', in the hex digits. */
enum { U_TEXT, U_BSLASH, U_HEX };

struct uscan {
	uint8_t state, ndig;
	uint16_t cp;
	bool want_low;		/* a high surrogate was read: a low one next */
};

struct jread {
	yajl_handle h;
	const struct jread_ops *ops;
	void *ctx;
	const char *label;
	struct err *e;
	int rc;			/* the error that stopped the parse */
	const char *const *names;
	uint8_t nlen[JR_MAX_KEYS];
	uint8_t slot[KEY_SLOTS];	/* 1 + id; 0: empty */
	struct frame *fr;
	size_t depth, cap;
	size_t skip;		/* depth of the container skipped, or 0 */
	int key;		/* the key of the next value */
	const char *kname;
	size_t klen;
	const char *chunk;	/* the text yajl is reading */
	size_t line, col;	/* of the last byte before it */
	size_t vend;		/* where the last value ended in it, or NONE */
	size_t vline, vcol;	/* where it ended, in an earlier chunk */
	struct uscan u;
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

/* A syntax error after the character at @line, @col; returns 0. */
static int syntax_at(struct jread *r, size_t line, size_t col,
		     const char *what)
{
	r->rc = err_set(r->e, -EBADMSG, "%s:%zu:%zu: %s", r->label, line,
			col, what);
	return 0;
}

/*
 * A syntax error at byte @off of the chunk (the bytes before it read);
 * returns 0, which stops yajl when returned by a callback.
 */
static int syntax(struct jread *r, size_t off, const char *what)
{
	size_t line = r->line, col = r->col;

	advance(r->chunk, off, &line, &col);
	return syntax_at(r, line, col, what);
}

/* Where yajl is in the chunk: just after the token it called back for. */
static size_t here(const struct jread *r)
{
	return yajl_get_bytes_consumed(r->h);
}

/*
 * A value ends here: the place a missing ',' or '}' after it is reported.
 * (yajl reports it at the start of the token that came instead, which
 * may have begun in an earlier chunk: it then says 0, and the place would
 * depend on how the text was cut.)
 */
static void value_end(struct jread *r)
{
	r->vend = here(r);
}

static int oom(struct jread *r)
{
	r->rc = err_set(r->e, -ENOMEM, "%s: out of memory", r->label);
	return 0;
}

/* ------------------------------------------------------------ keys */

static unsigned int key_hash(const char *p, size_t len)
{
	unsigned int h = (unsigned int)len * 31;

	if (len)
		h += (unsigned char)p[0] * 7u + (unsigned char)p[len - 1] * 3u +
		     (unsigned char)p[len / 2];
	return h & (KEY_SLOTS - 1);
}

static void keys_build(struct jread *r, unsigned int n)
{
	for (unsigned int id = 0; id < n && id < JR_MAX_KEYS; id++) {
		size_t len = r->names[id] ? strlen(r->names[id]) : 0;
		unsigned int j;

		if (!r->names[id] || len > UINT8_MAX)
			continue;
		r->nlen[id] = (uint8_t)len;
		j = key_hash(r->names[id], len);
		while (r->slot[j])
			j = (j + 1) & (KEY_SLOTS - 1);
		r->slot[j] = (uint8_t)(id + 1);
	}
}

/* The id of the key @p (@len bytes), or JR_KEY_OTHER. */
static int key_id(const struct jread *r, const char *p, size_t len)
{
	for (unsigned int j = key_hash(p, len); r->slot[j];
	     j = (j + 1) & (KEY_SLOTS - 1)) {
		unsigned int id = r->slot[j] - 1u;

		if (r->nlen[id] == len && !memcmp(r->names[id], p, len))
			return (int)id;
	}
	return JR_KEY_OTHER;
}

/* True when @p holds valid UTF-8 only (jansson's check of every string). */
static bool utf8_valid(const unsigned char *p, size_t len)
{
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		size_t n = p[i] < 0x80 ? 1 : esc_utf8(p + i, len - i, &cp);

		if (!n)
			return false;
		i += n;
	}
	return true;
}

/* "duplicate object key", with the key when it prints as it is. */
static int duplicate(struct jread *r, const char *p, size_t len)
{
	bool plain = len <= 64;
	char msg[96];

	for (size_t i = 0; plain && i < len; i++)
		plain = p[i] > ' ' && p[i] < 0x7f && p[i] != '"' &&
			p[i] != '\\';
	snprintf(msg, sizeof(msg), "duplicate object key%s%.*s%s",
		 plain ? " \"" : "", plain ? (int)len : 0, p,
		 plain ? "\"" : "");
	return syntax(r, here(r), msg);
}

/* A key not in the table: kept in the frame's set, to find it twice. */
static int other_key(struct jread *r, struct frame *f, const char *p,
		     size_t len)
{
	size_t before;
	uint32_t off;

	if (memchr(p, '\0', len))
		return syntax(r, here(r), "NUL byte in object key not "
			      "supported");
	if (!utf8_valid((const unsigned char *)p, len))
		return syntax(r, here(r), "invalid UTF-8 in an object key");
	if (!f->others && !(f->others = calloc(1, sizeof(*f->others))))
		return oom(r);
	before = f->others->hashn;
	off = vset_intern(f->others, p, len);
	if (!off)
		return oom(r);
	if (f->others->hashn == before)
		return duplicate(r, p, len);
	r->key = JR_KEY_OTHER;
	r->kname = vset_str(f->others, off);
	r->klen = len;
	return 1;
}

static int cb_key(void *ctx, const unsigned char *key, size_t len)
{
	struct jread *r = ctx;
	struct frame *f = &r->fr[r->depth - 1];
	const char *p = (const char *)key;
	int id = key_id(r, p, len);
	uint64_t bit = UINT64_C(1) << (id & 63);

	if (id == JR_KEY_OTHER)
		return other_key(r, f, p, len);
	if (f->seen[id / 64] & bit)
		return duplicate(r, p, len);
	f->seen[id / 64] |= bit;
	r->key = id;
	r->kname = r->names[id];
	r->klen = len;
	return 1;
}

/* ---------------------------------------------------------- values */

/* @v (type and contents set) to the caller, with its key or index. */
static int deliver(struct jread *r, struct jread_value *v)
{
	struct frame *f = r->depth ? &r->fr[r->depth - 1] : NULL;
	int rc;

	value_end(r);
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

static int scalar(struct jread *r, struct jread_value *v)
{
	return deliver(r, v) >= 0;
}

static int cb_null(void *ctx)
{
	struct jread_value v = { .type = JR_NULL };

	return scalar(ctx, &v);
}

static int cb_boolean(void *ctx, int b)
{
	struct jread_value v = { .type = b ? JR_TRUE : JR_FALSE };

	return scalar(ctx, &v);
}

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

/* An integer (yajl checked the grammar) into v->i, as jansson: int64. */
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

/* A number with a fraction or an exponent (yajl checked the grammar). */
static bool is_real(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] == '.' || p[i] == 'e' || p[i] == 'E')
			return true;
	return false;
}

static int cb_number(void *ctx, const char *p, size_t len)
{
	struct jread *r = ctx;
	struct jread_value v = { .type = JR_INT };
	const char *bad = is_real(p, len) ? take_real(p, len, &v) :
			  take_int(p, len, &v);

	if (bad && !*bad)
		return oom(r);
	if (bad)
		return syntax(r, here(r), bad);
	return scalar(r, &v);
}

static int cb_string(void *ctx, const unsigned char *p, size_t len)
{
	struct jread *r = ctx;
	struct jread_value v = { .type = JR_STR, .s = (const char *)p,
				 .len = len };

	if (!utf8_valid(p, len))
		return syntax(r, here(r), "invalid UTF-8 in a string");
	return scalar(r, &v);
}

/* ------------------------------------------------------ containers */

static int push(struct jread *r, bool obj)
{
	struct frame *f;

	if (r->depth == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 16;

		f = realloc(r->fr, ncap * sizeof(*f));
		if (!f)
			return -ENOMEM;
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

static int enter(struct jread *r, bool obj)
{
	struct jread_value v = { .type = obj ? JR_OBJ : JR_ARR };
	int rc;

	if (r->depth >= JR_MAX_DEPTH)
		return syntax(r, here(r), "maximum parsing depth reached");
	rc = deliver(r, &v);
	if (rc < 0)
		return 0;
	if (push(r, obj))
		return oom(r);
	if (rc != JR_ENTER && !r->skip)
		r->skip = r->depth;
	return 1;
}

static int leave(struct jread *r)
{
	bool entered = !r->skip;
	int rc;

	value_end(r);
	pop(r);
	if (r->skip > r->depth)
		r->skip = 0;
	if (!entered)
		return 1;
	rc = r->ops->end(r->ctx);
	if (rc < 0)
		r->rc = rc;
	return rc >= 0;
}

static int cb_start_map(void *ctx)
{
	return enter(ctx, true);
}

static int cb_start_array(void *ctx)
{
	return enter(ctx, false);
}

static int cb_end(void *ctx)
{
	return leave(ctx);
}

static const yajl_callbacks callbacks = {
	.yajl_null = cb_null,
	.yajl_boolean = cb_boolean,
	.yajl_number = cb_number,
	.yajl_string = cb_string,
	.yajl_start_map = cb_start_map,
	.yajl_map_key = cb_key,
	.yajl_end_map = cb_end,
	.yajl_start_array = cb_start_array,
	.yajl_end_array = cb_end,
};

/* ------------------------------------------------- what yajl takes */

static bool uscan_cp(struct uscan *u)
{
	bool low = u->cp >= 0xdc00 && u->cp <= 0xdfff;

	if (u->want_low) {
		u->want_low = false;
		return low;
	}
	u->want_low = u->cp >= 0xd800 && u->cp <= 0xdbff;
	return !low;
}

/* One byte of a \u escape or right after one; false: a lone surrogate. */
static bool uscan_byte(struct uscan *u, char c)
{
	int d;

	switch (u->state) {
	case U_TEXT:	/* c is '\', or follows a high surrogate */
		u->state = c == '\\' ? U_BSLASH : U_TEXT;
		return c == '\\' || !u->want_low;
	case U_BSLASH:
		u->state = c == 'u' ? U_HEX : U_TEXT;
		u->ndig = 0;
		u->cp = 0;
		return c == 'u' || !u->want_low;
	default:
		d = maps_parse_hex_digit(c);
		if (d < 0) {	/* yajl refuses the escape */
			memset(u, 0, sizeof(*u));
			return true;
		}
		u->cp = (uint16_t)(u->cp << 4 | (unsigned int)d);
		if (++u->ndig < 4)
			return true;
		u->state = U_TEXT;
		return uscan_cp(u);
	}
}

/* The first \v or \f in @p (@len bytes), or @len. */
static size_t first_vf(const char *p, size_t len)
{
	const char *v = memchr(p, '\v', len);
	const char *f = memchr(p, '\f', v ? (size_t)(v - p) : len);

	return f ? (size_t)(f - p) : v ? (size_t)(v - p) : len;
}

/*
 * The offset in @p (@len bytes) of the first byte yajl must not be given
 * (*@what says why), or @len.
 */
static size_t strict_scan(struct uscan *u, const char *p, size_t len,
			  const char **what)
{
	size_t end = first_vf(p, len), i = 0;

	*what = end < len && p[end] == '\v' ? "invalid character 0x0b "
		"(vertical tab)" : "invalid character 0x0c (form feed)";
	while (i < end) {
		if (u->state == U_TEXT && !u->want_low) {
			const char *b = memchr(p + i, '\\', end - i);

			if (!b)
				break;
			i = (size_t)(b - p);
		}
		if (!uscan_byte(u, p[i])) {
			*what = "invalid Unicode escape: a lone surrogate";
			return i;
		}
		i++;
	}
	return end;
}

/* ----------------------------------------------------------- reader */

/* The missing ',' or '}' after a value: where the value ended. */
static void after_value(struct jread *r, const char *what)
{
	if (r->vend != NONE)
		syntax(r, r->vend, what);
	else
		syntax_at(r, r->vline, r->vcol, what);
}

static void yajl_failed(struct jread *r)
{
	unsigned char *msg = yajl_get_error(r->h, 0, NULL, 0);
	const char *what = msg ? (const char *)msg : "syntax error";
	char *nl = msg ? strchr((char *)msg, '\n') : NULL;

	if (nl)
		*nl = '\0';
	if (strstr(what, "after key and value"))
		after_value(r, what);
	else
		syntax(r, here(r), what);
	if (msg)
		yajl_free_error(r->h, msg);
}

static int parse(struct jread *r, const char *p, size_t len)
{
	yajl_status st = yajl_parse(r->h, (const unsigned char *)p, len);

	if (st == yajl_status_error)
		yajl_failed(r);
	return st == yajl_status_ok ? 0 : r->rc;
}

/* The position after the chunk @p (@len bytes), and where its last value
 * ended. */
static void chunk_read(struct jread *r, const char *p, size_t len)
{
	if (r->vend != NONE) {
		advance(p, r->vend, &r->line, &r->col);
		r->vline = r->line;
		r->vcol = r->col;
		p += r->vend;
		len -= r->vend;
	}
	advance(p, len, &r->line, &r->col);
}

int jread_feed(struct jread *r, const char *p, size_t len)
{
	const char *what;
	size_t good = strict_scan(&r->u, p, len, &what);

	r->chunk = p;
	r->vend = NONE;
	if (good && parse(r, p, good))
		return r->rc;
	if (good < len) {
		syntax(r, good + 1, what);
		return r->rc;
	}
	chunk_read(r, p, len);
	return 0;
}

int jread_finish(struct jread *r)
{
	yajl_status st;

	r->chunk = "";
	st = yajl_complete_parse(r->h);
	if (st == yajl_status_error)
		syntax(r, 0, "premature end of input");
	return st == yajl_status_ok ? 0 : r->rc;
}

struct jread *jread_new(const char *const *keys, unsigned int nkeys,
			const struct jread_ops *ops, void *ctx,
			const char *label, struct err *e)
{
	struct jread *r = calloc(1, sizeof(*r));

	if (r) {
		r->names = keys;
		keys_build(r, nkeys);
		r->ops = ops;
		r->ctx = ctx;
		r->label = label;
		r->e = e;
		r->line = 1;
		r->chunk = "";
		r->h = yajl_alloc(&callbacks, NULL, r);
	}
	if (r && r->h)
		return r;
	free(r);
	err_set(e, -ENOMEM, "%s: out of memory", label);
	return NULL;
}

void jread_free(struct jread *r)
{
	if (!r)
		return;
	while (r->depth)
		pop(r);
	free(r->fr);
	yajl_free(r->h);
	free(r);
}
