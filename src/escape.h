/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * escape.h - renderer helpers: write attacker-chosen bytes (file names,
 * command lines) safely for a terminal or for JSON.
 *
 * Terminal (tables, TUI): valid printable UTF-8 passes; a backslash is
 * written "\\"; C0 controls, DEL, C1 controls (raw bytes or U+0080..U+009F),
 * invisible format characters (Unicode category Cf: bidi overrides and
 * isolates, zero-width characters, BOM, tags...; and the line/paragraph
 * separators) and every byte of invalid UTF-8 are written as \xNN, one
 * per byte.  The result is unambiguous and never contains a control byte.
 *
 * JSON: the content of a string literal; '"' and '\' escaped, controls,
 * C1 and format characters as \uXXXX (a surrogate pair above U+FFFF), and
 * each byte of invalid UTF-8 as \u00XX (its Latin-1 code point).
 */
#ifndef VMAMAP_ESCAPE_H
#define VMAMAP_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "obuf.h"

/*
 * Length of the valid UTF-8 sequence at @p (1-4), or 0 when the byte at
 * @p does not start one (overlong forms, surrogates and code points above
 * U+10FFFF are invalid).  Stores the code point in *@cp.
 */
size_t esc_utf8(const unsigned char *p, size_t len, uint32_t *cp);

/* True for a code point that must not reach a terminal raw. */
bool esc_unsafe_cp(uint32_t cp);

/*
 * Write @len bytes for a terminal; returns the number of terminal columns
 * written (double-width characters count 2).
 */
size_t esc_term(struct obuf *o, const char *p, size_t len);

/*
 * Write @len bytes as the inside of a JSON string.  Returns true when the
 * bytes were valid UTF-8 (so the string is an exact copy).
 */
bool esc_json(struct obuf *o, const char *p, size_t len);

/*
 * Write @len bytes as the inside of an OpenMetrics (Prometheus text)
 * label value: backslash, '"' and newline escaped as the format says
 * (\\ \" \n); the other bytes esc_term() writes as \xNN are written as
 * that text, its backslash escaped (\\xNN), so that the value holds no
 * control character and is valid UTF-8.
 */
void esc_label(struct obuf *o, const char *p, size_t len);

/* Write @len bytes as lower-case hex. */
void esc_hex(struct obuf *o, const char *p, size_t len);

#endif
