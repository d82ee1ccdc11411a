/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jread.h - parser helper: JSON text read as a stream of values, for
 * snapshot.c, by a lexer and a grammar of our own (jread.c).  No tree of
 * the document is built: each value is handed to the caller as it is
 * read, with its key (or its index in the array that holds it); the
 * caller says whether to enter each object and array, and is told when an
 * entered one ends.  The text may come in chunks cut anywhere (in a
 * number, an escape, a UTF-8 sequence): what is read does not depend on
 * where.
 *
 * What is accepted is strict JSON (RFC 8259), as jansson, the library
 * vmamap used first, accepted it.  Refused, besides syntax errors, are
 * \v and \f as white space; UTF-8 that is overlong, encodes a surrogate
 * or a code point above U+10FFFF; a \u escape of a lone surrogate;
 * integers outside the signed 64-bit range; reals that overflow a double;
 * a NUL byte in an object key; a key twice in one object; nesting deeper
 * than JR_MAX_DEPTH; anything but white space after the top value.  A
 * string may hold NUL bytes (\u0000).  Any of these is one line
 * "LABEL:LINE:COLUMN: what" with -EBADMSG.  The place is after the last
 * character read (the column counts characters, as jansson's did): after
 * a token that has no place where it is, or a value that is refused;
 * after a bad byte in a token, or before a byte that cannot go on with
 * it; after the string for UTF-8 that is well formed but not valid; where
 * the value ended for a missing ',' or '}' after a member; at the first
 * byte of trailing garbage; after the last byte for a text cut short.
 */
#ifndef VMAMAP_JREAD_H
#define VMAMAP_JREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum jread_type {
	JR_NULL, JR_FALSE, JR_TRUE, JR_INT, JR_REAL, JR_STR, JR_OBJ, JR_ARR,
};

enum {
	JR_MAX_DEPTH = 2048,	/* objects and arrays inside one another */
	JR_MAX_KEYS = 128,	/* names in a key table */
	JR_KEY_NONE = -1,	/* the value is an array element or the top */
	JR_KEY_OTHER = -2,	/* its key is not in the key table */
};

/* What the value callback returns for an object or array (0: skip it). */
enum { JR_NEXT = 0, JR_ENTER = 1 };

/* One value, valid during the callback only. */
struct jread_value {
	enum jread_type type;
	int key;		/* id in the key table, or JR_KEY_* */
	const char *kname;	/* the key, NUL-terminated (NULL in arrays) */
	size_t klen;
	size_t index;		/* position in the array holding it */
	int64_t i;		/* JR_INT */
	double d;		/* JR_INT and JR_REAL */
	const char *s;		/* JR_STR: the decoded bytes (NULs allowed) */
	size_t len;
};

/*
 * The caller's side.  value() gets every value of the objects and arrays
 * entered (and the top one); for an object or array it returns JR_ENTER
 * to get its values, then end(), or JR_NEXT to skip it.  A negative errno
 * (with the message in the caller's struct err) stops the parse.
 */
struct jread_ops {
	int (*value)(void *ctx, const struct jread_value *v);
	int (*end)(void *ctx);
};

struct jread;

/*
 * A reader handing values to @ops with @ctx.  Object keys equal to one
 * of the @nkeys (at most JR_MAX_KEYS) @keys come with their index as id
 * (a NULL name matches nothing).  @label names the text in messages, @e
 * gets them.  NULL when out of memory (message in @e).  The caller owns
 * the reader: jread_free().
 */
struct jread *jread_new(const char *const *keys, unsigned int nkeys,
			const struct jread_ops *ops, void *ctx,
			const char *label, struct err *e);

/* The next @len bytes of the text.  Returns 0 or the error that stopped it. */
int jread_feed(struct jread *r, const char *p, size_t len);

/* The end of the text: 0 when it held one whole JSON value. */
int jread_finish(struct jread *r);

void jread_free(struct jread *r);

/*
 * @len decimal digits at @p (nothing else) whose value is at most @max,
 * into *@out; false otherwise.
 */
bool jread_digits(const char *p, size_t len, uint64_t max, uint64_t *out);

#endif
