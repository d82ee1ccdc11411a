// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_jread.c - unit test of the JSON reader (jread.h): every element of
 * the grammar and the values handed over (keys of the table and others,
 * array indexes, containers skipped), every check of what strict JSON
 * refuses with its exact message and place ("LABEL:LINE:COLUMN: what",
 * the column in characters), the edges of numbers and strings, nesting
 * at the limit and one level over; and every text, good or bad, fed cut
 * in two at every byte and fed one byte at a time, giving the same values
 * and the same result as in one piece.  Each piece is a buffer of its own
 * (a read past it is caught by the sanitizers and valgrind).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jread.h"
#include "tap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The key table: ids 0..; a NULL name matches nothing. */
static const char *const keys[] = {
	"a", "b", "", "x\xc3\xa9", NULL, "skip", "a_key_of_more_than_16_bytes",
};

/* What the reader handed over, as text: "name#id=VALUE", "[i]=VALUE",
 * containers "{" "[" and their ends ")". */
struct trace {
	char t[8192];
	size_t len;
	struct err *e;
};

static void put(struct trace *tr, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct trace *tr, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tr->t + tr->len, sizeof(tr->t) - tr->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		tr->len += (size_t)n;
	if (tr->len >= sizeof(tr->t))
		tr->len = sizeof(tr->t) - 1;
}

static void put_bytes(struct trace *tr, const char *p, size_t len)
{
	put(tr, "\"");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"')
			put(tr, "%c", c);
		else
			put(tr, "\\x%02x", c);
	}
	put(tr, "\"");
}

/* Where the value is: its key (checked against the table) or index. */
static bool put_place(struct trace *tr, const struct jread_value *v)
{
	if (v->key == JR_KEY_NONE) {
		if (v->kname)
			return false;
		if (tr->len)
			put(tr, " ");
		put(tr, "[%zu]=", v->index);
		return true;
	}
	if (!v->kname || strlen(v->kname) != v->klen ||
	    (v->key >= 0 && (v->key >= (int)ARRAY_SIZE(keys) ||
			     !keys[v->key] || strcmp(keys[v->key], v->kname))))
		return false;
	if (tr->len)
		put(tr, " ");
	put_bytes(tr, v->kname, v->klen);
	if (v->key >= 0)
		put(tr, "#%d", v->key);
	put(tr, "=");
	return true;
}

static int on_value(void *ctx, const struct jread_value *v)
{
	struct trace *tr = ctx;

	if (!put_place(tr, v))
		put(tr, "!BADKEY!");
	switch (v->type) {
	case JR_NULL:
		put(tr, "null");
		break;
	case JR_FALSE:
		put(tr, "false");
		break;
	case JR_TRUE:
		put(tr, "true");
		break;
	case JR_INT:
		put(tr, "i:%lld", (long long)v->i);
		if (v->d != (double)v->i)
			put(tr, "!BADDOUBLE!");
		break;
	case JR_REAL:
		put(tr, "r:%.17g", v->d);
		break;
	case JR_STR:
		put_bytes(tr, v->s, v->len);
		if (v->len == 4 && !memcmp(v->s, "FAIL", 4))
			return err_set(tr->e, -EIO, "t: refused by the caller");
		break;
	default:
		put(tr, v->type == JR_OBJ ? "{" : "[");
		return v->kname && !strcmp(v->kname, "skip") ? JR_NEXT :
		       JR_ENTER;
	}
	return 0;
}

static int on_end(void *ctx)
{
	put(ctx, " )");
	return 0;
}

static const struct jread_ops ops = { on_value, on_end };

/* A result: the return of the reader, its message, the trace. */
struct result {
	int rc;
	struct err e;
	struct trace tr;
};

/*
 * @p (@len bytes) through a reader, in pieces ending at the @ncuts
 * offsets @cuts (ascending), each in a buffer of its own.
 */
static void read_cut(const char *p, size_t len, const size_t *cuts,
		     size_t ncuts, struct result *res)
{
	struct jread *r;
	size_t at = 0;

	memset(res, 0, sizeof(*res));
	res->tr.e = &res->e;
	r = jread_new(keys, ARRAY_SIZE(keys), &ops, &res->tr, "t", &res->e);
	if (!r) {
		res->rc = -ENOMEM;
		return;
	}
	for (size_t i = 0; i <= ncuts && !res->rc; i++) {
		size_t to = i < ncuts ? cuts[i] : len;
		char *c = malloc(to - at + 1);

		if (!c)
			abort();
		memcpy(c, p + at, to - at);
		res->rc = jread_feed(r, c, to - at);
		free(c);
		at = to;
	}
	if (!res->rc)
		res->rc = jread_finish(r);
	jread_free(r);
}

static void read_one(const char *p, size_t len, struct result *res)
{
	read_cut(p, len, NULL, 0, res);
}

static bool same(const struct result *a, const struct result *b)
{
	return a->rc == b->rc && !strcmp(a->e.msg, b->e.msg) &&
	       a->tr.len == b->tr.len && !memcmp(a->tr.t, b->tr.t, a->tr.len);
}

/*
 * The text cut in two at every byte, and fed a byte at a time, reads as
 * it does in one piece (@whole).
 */
static bool same_in_pieces(const char *p, size_t len,
			   const struct result *whole)
{
	size_t *cuts = malloc((len + 1) * sizeof(*cuts));
	struct result *res = malloc(sizeof(*res));
	bool all = cuts && res;

	for (size_t c = 0; all && c <= len; c++) {
		read_cut(p, len, &c, 1, res);
		if (!same(res, whole))
			diag("cut at %zu: %d %s", c, res->rc, res->e.msg);
		all &= same(res, whole);
	}
	for (size_t c = 0; all && c + 1 < len; c++)
		cuts[c] = c + 1;
	if (all)
		read_cut(p, len, cuts, len ? len - 1 : 0, res);
	if (all && !same(res, whole))
		diag("a byte at a time: %d %s", res->rc, res->e.msg);
	all = all && same(res, whole);
	free(cuts);
	free(res);
	return all;
}

/* ----------------------------------------------------------- good */

struct good {
	const char *json;
	size_t len;		/* 0: strlen */
	const char *trace;
};

#define WITH_NUL(s)	s, sizeof(s) - 1

static const struct good good[] = {
	/* scalars at the top, white space */
	{ "null", 0, "[0]=null" },
	{ " \t\r\ntrue \t\r\n", 0, "[0]=true" },
	{ "false", 0, "[0]=false" },
	{ "\"\"", 0, "[0]=\"\"" },
	/* numbers */
	{ "0", 0, "[0]=i:0" },
	{ "-0", 0, "[0]=i:0" },
	{ "[1, 1.0, -1, 10, 123456789012345678]", 0, "[0]=[ [0]=i:1 "
	  "[1]=r:1 [2]=i:-1 [3]=i:10 [4]=i:123456789012345678 )" },
	{ "[9223372036854775807, -9223372036854775808]", 0, "[0]=[ "
	  "[0]=i:9223372036854775807 [1]=i:-9223372036854775808 )" },
	{ "[1e308, -1e308, 1.7976931348623157e308, 1e-400, -0.0]", 0,
	  "[0]=[ [0]=r:1e+308 [1]=r:-1e+308 [2]=r:1.7976931348623157e+308 "
	  "[3]=r:0 [4]=r:-0 )" },
	{ "[1.5E+3, 2e-1, 0.25, 1E2, 0e0, -1.5e-0]", 0, "[0]=[ [0]=r:1500 "
	  "[1]=r:0.20000000000000001 [2]=r:0.25 [3]=r:100 [4]=r:0 "
	  "[5]=r:-1.5 )" },
	/* strings: escapes, UTF-8, NUL */
	{ "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", 0,
	  "[0]=\"\\x22\\x5c/\\x08\\x0c\\x0a\\x0d\\x09\"" },
	{ "\"\\u0041\\u00e9\\u20AC\\u0000z\"", 0,
	  "[0]=\"A\\xc3\\xa9\\xe2\\x82\\xac\\x00z\"" },
	{ "\"\\ud83d\\ude00\\uD83D\\uDE00\\udbff\\udfff\"", 0,
	  "[0]=\"\\xf0\\x9f\\x98\\x80\\xf0\\x9f\\x98\\x80\\xf4\\x8f\\xbf\\xbf\"" },
	{ "\"\xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf \xf0\x90\x80\x80\"", 0,
	  "[0]=\"\\xf0\\x9f\\x98\\x80 \\xf4\\x8f\\xbf\\xbf \\xf0\\x90\\x80\\x80\"" },
	{ "\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbb\xbf"
	  "\x7f\"", 0, "[0]=\"\\xc2\\x80\\xdf\\xbf\\xe0\\xa0\\x80\\xed\\x9f"
	  "\\xbf\\xee\\x80\\x80\\xef\\xbb\\xbf\\x7f\"" },
	{ "\"a string longer than sixteen bytes, then \\n and \xc3\xa9 at "
	  "the end\"", 0, "[0]=\"a string longer than sixteen bytes, then "
	  "\\x0a and \\xc3\\xa9 at the end\"" },
	{ "\"\\\\ud800\"", 0, "[0]=\"\\x5cud800\"" },
	/* arrays and objects, keys of the table and others */
	{ "[]", 0, "[0]=[ )" },
	{ "{}", 0, "[0]={ )" },
	{ "[[], {}, [[1]]]", 0, "[0]=[ [0]=[ ) [1]={ ) [2]=[ [0]=[ [0]=i:1 ) "
	  ") )" },
	{ "{\"a\": 1, \"b\": {\"a\": 2}, \"zz\": [true, null]}", 0,
	  "[0]={ \"a\"#0=i:1 \"b\"#1={ \"a\"#0=i:2 ) \"zz\"=[ [0]=true "
	  "[1]=null ) )" },
	{ "{\"\": 1, \"x\\u00e9\": 2, \"\\u0061\": 3, \"x\xc3\xa9y\": 4}", 0,
	  "[0]={ \"\"#2=i:1 \"x\\xc3\\xa9\"#3=i:2 \"a\"#0=i:3 "
	  "\"x\\xc3\\xa9y\"=i:4 )" },
	{ "{\"a_key_of_more_than_16_bytes\": 1, \"a_key_of_more_than_16_byteZ\""
	  ": 2}", 0, "[0]={ \"a_key_of_more_than_16_bytes\"#6=i:1 "
	  "\"a_key_of_more_than_16_byteZ\"=i:2 )" },
	{ "{\"a\":{\"b\":[1,{\"a\":\"x\"}],\"c\":2},\"b\":3}", 0,
	  "[0]={ \"a\"#0={ \"b\"#1=[ [0]=i:1 [1]={ \"a\"#0=\"x\" ) ) "
	  "\"c\"=i:2 ) \"b\"#1=i:3 )" },
	{ " {\n\t\"a\" :\r\n 1 ,\"b\"\n:\t[ 2 , 3 ] } ", 0,
	  "[0]={ \"a\"#0=i:1 \"b\"#1=[ [0]=i:2 [1]=i:3 ) )" },
	/* a key twice, in different objects: allowed */
	{ "[{\"a\": 1, \"zz\": 1}, {\"a\": 2, \"zz\": 2}]", 0, "[0]=[ "
	  "[0]={ \"a\"#0=i:1 \"zz\"=i:1 ) [1]={ \"a\"#0=i:2 \"zz\"=i:2 ) )" },
	/* skipped: read and checked, not handed over */
	{ "{\"skip\": {\"a\": [1, {\"b\": 2}]}, \"b\": [3]}", 0,
	  "[0]={ \"skip\"#5={ \"b\"#1=[ [0]=i:3 ) )" },
	{ "[{\"skip\": [1]}, 2]", 0, "[0]=[ [0]={ \"skip\"#5=[ ) [1]=i:2 )" },
	/* a NUL in a string value is kept */
	{ WITH_NUL("\"a\\u0000b\""), "[0]=\"a\\x00b\"" },
};

static void test_good(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		const struct good *g = &good[i];
		size_t len = g->len ? g->len : strlen(g->json);
		struct result *res = malloc(sizeof(*res));

		if (!res)
			abort();
		read_one(g->json, len, res);
		if (!ok(res->rc == 0 && !strcmp(res->tr.t, g->trace),
			"good %zu: %s", i, g->trace))
			diag("got %d [%s]: %s", res->rc, res->e.msg, res->tr.t);
		ok(same_in_pieces(g->json, len, res), "good %zu: the same cut "
		   "anywhere and a byte at a time", i);
		free(res);
	}
}

/* ------------------------------------------------------------ bad */

struct bad {
	const char *json;
	const char *msg;
};

static const struct bad bad[] = {
	/* the end comes too soon */
	{ "", "t:1:0: premature end of input" },
	{ " \n ", "t:2:1: premature end of input" },
	{ "{", "t:1:1: premature end of input" },
	{ "[1,", "t:1:3: premature end of input" },
	{ "{\"a\"", "t:1:4: premature end of input" },
	{ "{\"a\":", "t:1:5: premature end of input" },
	{ "\"abc", "t:1:4: premature end of input" },
	{ "\"\\u12", "t:1:5: premature end of input" },
	{ "\"\xc3", "t:1:2: premature end of input" },
	{ "tru", "t:1:3: premature end of input" },
	{ "-", "t:1:1: premature end of input" },
	{ "1.", "t:1:2: premature end of input" },
	{ "1e+", "t:1:3: premature end of input" },
	/* \v and \f: white space to C, not to JSON */
	{ "\v1", "t:1:1: invalid character 0x0b (vertical tab)" },
	{ "[1,\f2]", "t:1:4: invalid character 0x0c (form feed)" },
	{ "\"a\vb\"", "t:1:3: invalid character 0x0b (vertical tab)" },
	{ "12\v", "t:1:3: invalid character 0x0b (vertical tab)" },
	{ "tr\vue", "t:1:3: invalid character 0x0b (vertical tab)" },
	{ "{}\f", "t:1:3: invalid character 0x0c (form feed)" },
	{ "\"\\u12\v4\"", "t:1:6: invalid character 0x0b (vertical tab)" },
	{ "\"\\\f\"", "t:1:3: invalid character 0x0c (form feed)" },
	{ "\"\xc3\v\"", "t:1:3: invalid character 0x0b (vertical tab)" },
	/* after the value */
	{ "{} x", "t:1:4: parse error: trailing garbage" },
	{ "1 2", "t:1:3: parse error: trailing garbage" },
	{ "{}\n\n  \"abc", "t:3:3: parse error: trailing garbage" },
	/* tokens */
	{ "x", "t:1:1: lexical error: invalid char in json text." },
	{ "[1 x]", "t:1:4: lexical error: invalid char in json text." },
	{ "[1, /* */ 2]", "t:1:4: lexical error: probable comment found in "
	  "input text, comments are not enabled." },
	{ "tx", "t:1:1: lexical error: invalid string in json text." },
	{ "[nulx]", "t:1:4: lexical error: invalid string in json text." },
	{ "True", "t:1:1: lexical error: invalid char in json text." },
	{ "-a", "t:1:1: lexical error: malformed number, a digit is required "
	  "after the minus sign." },
	{ "1.a", "t:1:2: lexical error: malformed number, a digit is required "
	  "after the decimal point." },
	{ "[1ea]", "t:1:3: lexical error: malformed number, a digit is "
	  "required after the exponent." },
	{ "1e+a", "t:1:3: lexical error: malformed number, a digit is "
	  "required after the exponent." },
	{ "01", "t:1:2: parse error: trailing garbage" },
	{ "[01]", "t:1:3: parse error: after array element, I expect ',' or "
	  "']'" },
	{ "+1", "t:1:1: lexical error: invalid char in json text." },
	{ ".5", "t:1:1: lexical error: invalid char in json text." },
	/* strings */
	{ "\"a\x01\"", "t:1:2: lexical error: invalid character inside "
	  "string." },
	{ "\"\n\"", "t:1:1: lexical error: invalid character inside string." },
	{ "\"\\x\"", "t:1:2: lexical error: inside a string, '\\' occurs before "
	  "a character which it may not." },
	{ "\"\\u12g4\"", "t:1:5: lexical error: invalid (non-hex) character "
	  "occurs after '\\u' inside string." },
	{ "\"\xff\"", "t:1:2: lexical error: invalid bytes in UTF8 string." },
	{ "\"\x80\"", "t:1:1: lexical error: invalid bytes in UTF8 string." },
	{ "\"\xf8\x88\x80\x80\x80\"", "t:1:2: lexical error: invalid bytes in "
	  "UTF8 string." },
	{ "\"\xc3(\"", "t:1:3: lexical error: invalid bytes in UTF8 string." },
	{ "\"\xe2\x82\"", "t:1:3: lexical error: invalid bytes in UTF8 "
	  "string." },
	/* UTF-8 that is well formed but not valid: at the string's end */
	{ "\"\xc0\x80\"", "t:1:3: invalid UTF-8 in a string" },
	{ "\"\xc1\xbf\"", "t:1:3: invalid UTF-8 in a string" },
	{ "\"\xe0\x80\x80\"", "t:1:3: invalid UTF-8 in a string" },
	{ "\"\xe0\x9f\xbf\"", "t:1:3: invalid UTF-8 in a string" },
	{ "\"\xf0\x8f\xbf\xbf\"", "t:1:3: invalid UTF-8 in a string" },
	{ "\"\xed\xa0\x80\"", "t:1:3: invalid UTF-8 in a string" },
	{ "\"\xed\xbf\xbf\"", "t:1:3: invalid UTF-8 in a string" },
	{ "\"\xf4\x90\x80\x80\"", "t:1:3: invalid UTF-8 in a string" },
	{ "\"\xf5\x80\x80\x80\"", "t:1:3: invalid UTF-8 in a string" },
	{ "[\"ok\", \"\xc0\x80 and more\"]", "t:1:19: invalid UTF-8 in a "
	  "string" },
	{ "\"\xc0\x80\x01\"", "t:1:2: lexical error: invalid character inside "
	  "string." },
	{ "{\"\xc0\x80\": 1}", "t:1:4: invalid UTF-8 in an object key" },
	{ "{\"zz\": 1, \"\xed\xa0\x80\": 1}", "t:1:13: invalid UTF-8 in an "
	  "object key" },
	/* \u escapes of a lone surrogate */
	{ "\"\\ud800\"", "t:1:8: invalid Unicode escape: a lone surrogate" },
	{ "\"\\udc00\"", "t:1:7: invalid Unicode escape: a lone surrogate" },
	{ "\"\\uDFFF\"", "t:1:7: invalid Unicode escape: a lone surrogate" },
	{ "\"\\ud800\\u0041\"", "t:1:13: invalid Unicode escape: a lone "
	  "surrogate" },
	{ "\"\\ud800\\ud800\"", "t:1:13: invalid Unicode escape: a lone "
	  "surrogate" },
	{ "\"\\ud800\\n\"", "t:1:9: invalid Unicode escape: a lone "
	  "surrogate" },
	{ "\"\\udbffx\"", "t:1:8: invalid Unicode escape: a lone surrogate" },
	{ "{\"\\ud800\": 1}", "t:1:9: invalid Unicode escape: a lone "
	  "surrogate" },
	/* keys */
	{ "{\"a\\u0000\": 1}", "t:1:10: NUL byte in object key not "
	  "supported" },
	{ "{\"a\": 1, \"a\": 2}", "t:1:12: duplicate object key \"a\"" },
	{ "{\"zz\": 1, \"zz\": 2}", "t:1:14: duplicate object key \"zz\"" },
	{ "{\"a b\": 1, \"a b\": 2}", "t:1:16: duplicate object key" },
	{ "{\"a\": 1, \"\\u0061\": 2}", "t:1:17: duplicate object key \"a\"" },
	{ "[{\"a\": {\"b\": 1, \"b\": 2}}]", "t:1:19: duplicate object key "
	  "\"b\"" },
	{ "{\"skip\": {\"q\": 1, \"q\": 2}}", "t:1:21: duplicate object key "
	  "\"q\"" },
	{ "{\n  \"a\": 1,\n  \"a\": 2\n}", "t:3:5: duplicate object key \"a\"" },
	/* numbers out of range */
	{ "9223372036854775808", "t:1:19: too big integer" },
	{ "-9223372036854775809", "t:1:20: too big negative integer" },
	{ "[18446744073709551616]", "t:1:21: too big integer" },
	{ "{\"a\": 99999999999999999999999}", "t:1:29: too big integer" },
	{ "1e309", "t:1:5: real number overflow" },
	{ "[-1e309]", "t:1:7: real number overflow" },
	{ "[1.8e308]", "t:1:8: real number overflow" },
	/* the grammar */
	{ "[1,]", "t:1:4: parse error: unallowed token at this point in JSON "
	  "text" },
	{ "[,1]", "t:1:2: parse error: unallowed token at this point in JSON "
	  "text" },
	{ "]", "t:1:1: parse error: unallowed token at this point in JSON "
	  "text" },
	{ "{\"a\": }", "t:1:7: parse error: unallowed token at this point in "
	  "JSON text" },
	{ "{\"a\" 1}", "t:1:6: parse error: object key and value must be "
	  "separated by a colon (':')" },
	{ "{\"a\": 1 \"b\": 2}", "t:1:7: parse error: after key and value, "
	  "inside map, I expect ',' or '}'" },
	{ "{\"a\": [1]\n\n 2}", "t:1:9: parse error: after key and value, "
	  "inside map, I expect ',' or '}'" },
	{ "{\"a\": 1]", "t:1:7: parse error: after key and value, inside map, "
	  "I expect ',' or '}'" },
	{ "{\"a\": 1,}", "t:1:9: parse error: invalid object key (must be a "
	  "string)" },
	{ "{123: 1}", "t:1:4: parse error: invalid object key (must be a "
	  "string)" },
	{ "[1 2]", "t:1:4: parse error: after array element, I expect ',' or "
	  "']'" },
	{ "[1}", "t:1:3: parse error: after array element, I expect ',' or "
	  "']'" },
	{ "[\"x\" \"yz\"]", "t:1:9: parse error: after array element, I expect "
	  "',' or ']'" },
	/* a number the end of the text ends, where no value may come */
	{ "[1, {\"a\" 5", "t:1:10: parse error: object key and value must be "
	  "separated by a colon (':')" },
	{ "{\"a\": \"x\" 5", "t:1:9: parse error: after key and value, inside "
	  "map, I expect ',' or '}'" },
	/* columns count characters */
	{ "[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\", x]", "t:1:9: lexical "
	  "error: invalid char in json text." },
	/* the caller's error */
	{ "[1, \"FAIL\", 2]", "t: refused by the caller" },
};

static void test_bad(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		const struct bad *b = &bad[i];
		size_t len = strlen(b->json);
		struct result *res = malloc(sizeof(*res));
		int want = strstr(b->msg, "caller") ? -EIO : -EBADMSG;

		if (!res)
			abort();
		read_one(b->json, len, res);
		if (!ok(res->rc == want && !strcmp(res->e.msg, b->msg),
			"bad %zu: %s", i, b->msg))
			diag("got %d: %s", res->rc, res->e.msg);
		ok(same_in_pieces(b->json, len, res), "bad %zu: the same cut "
		   "anywhere and a byte at a time", i);
		free(res);
	}
}

/* A value read before the error is handed over; none after it. */
static void test_stop(void)
{
	struct result *res = malloc(sizeof(*res));
	static const char text[] = "[1, \"FAIL\", 2, x]";

	if (!res)
		abort();
	read_one(text, sizeof(text) - 1, res);
	ok(res->rc == -EIO && !strcmp(res->tr.t, "[0]=[ [0]=i:1 "
				      "[1]=\"FAIL\""), "the caller's error "
	   "stops the reading: %s", res->tr.t);
	read_one("[1, 2, x]", 9, res);
	ok(res->rc == -EBADMSG && !strcmp(res->tr.t, "[0]=[ [0]=i:1 [1]=i:2"),
	   "values before a syntax error are handed over: %s", res->tr.t);
	free(res);
}

/* ---------------------------------------------------------- depth */

/* @n levels of arrays, or of objects ({"a": ... 1 ...}). */
static char *nested(unsigned int n, bool obj, size_t *len)
{
	const char *open = obj ? "{\"a\":" : "[", *close = obj ? "}" : "]";
	size_t lo = strlen(open), need = n * (lo + 1) + 2;
	char *p = malloc(need), *w = p;

	if (!p)
		abort();
	for (unsigned int i = 0; i < n; i++, w += lo)
		memcpy(w, open, lo);
	*w++ = '1';
	for (unsigned int i = 0; i < n; i++)
		*w++ = *close;
	*len = (size_t)(w - p);
	return p;
}

static void test_depth(void)
{
	struct result *res = malloc(sizeof(*res)), *cut = malloc(sizeof(*cut));
	char want[80];
	size_t len, mid;

	if (!res || !cut)
		abort();
	for (int obj = 0; obj < 2; obj++) {
		char *p = nested(JR_MAX_DEPTH, obj, &len);

		read_one(p, len, res);
		ok(res->rc == 0, "%d levels of %s: read (%s)", JR_MAX_DEPTH,
		   obj ? "objects" : "arrays", res->e.msg);
		mid = len / 2;
		read_cut(p, len, &mid, 1, cut);
		ok(same(res, cut), "... the same cut in the middle");
		free(p);
		p = nested(JR_MAX_DEPTH + 1, obj, &len);
		read_one(p, len, res);
		/* after the '[' or '{' one too deep */
		snprintf(want, sizeof(want), "t:1:%d: maximum parsing depth "
			 "reached", JR_MAX_DEPTH * (obj ? 5 : 1) + 1);
		ok(res->rc == -EBADMSG && !strcmp(res->e.msg, want), "one "
		   "level more: %s", res->e.msg);
		mid = len / 3;
		read_cut(p, len, &mid, 1, cut);
		ok(same(res, cut), "... the same cut before the limit");
		free(p);
	}
	free(res);
	free(cut);
}

/* ---------------------------------------------------------- other */

static void test_digits(void)
{
	uint64_t n = 7;

	ok(jread_digits("18446744073709551615", 20, UINT64_MAX, &n) &&
	   n == UINT64_MAX, "jread_digits: UINT64_MAX");
	ok(!jread_digits("18446744073709551616", 20, UINT64_MAX, &n) &&
	   !jread_digits("", 0, 10, &n) && !jread_digits("1a", 2, 100, &n) &&
	   !jread_digits("11", 2, 10, &n) && jread_digits("10", 2, 10, &n) &&
	   n == 10, "jread_digits: the limit, empty, not a digit");
}

/* Nothing fed, or finish after an error: the error again. */
static void test_finish(void)
{
	struct trace tr = { .len = 0 };
	struct err e = { 0 };
	struct jread *r = jread_new(keys, ARRAY_SIZE(keys), &ops, &tr, "t", &e);
	int rc;

	if (!r)
		abort();
	rc = jread_finish(r);
	ok(rc == -EBADMSG && !strcmp(e.msg, "t:1:0: premature end of input"),
	   "nothing fed: %s", e.msg);
	jread_free(r);
	r = jread_new(keys, ARRAY_SIZE(keys), &ops, &tr, "t", &e);
	if (!r)
		abort();
	rc = jread_feed(r, "[x", 2);
	ok(rc == -EBADMSG && jread_feed(r, "]", 1) == rc &&
	   jread_finish(r) == rc && strstr(e.msg, "t:1:2: lexical error"),
	   "after an error, feed and finish return it: %s", e.msg);
	jread_free(r);
	jread_free(NULL);
}

int main(void)
{
	test_good();
	test_bad();
	test_stop();
	test_depth();
	test_digits();
	test_finish();
	return tap_done();
}
