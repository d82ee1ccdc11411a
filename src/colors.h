/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * colors.h - when to colour, and the colour of each class (renderers only).
 */
#ifndef VMAMAP_COLORS_H
#define VMAMAP_COLORS_H

#include <stdbool.h>

#include "err.h"

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* Parse "auto", "always" or "never" (NULL means always, as --color alone). */
int colors_parse(const char *when, enum color_mode *mode, struct err *e);

/*
 * Whether to colour output going to @fd: always / never as asked; auto
 * only when @fd is a terminal, NO_COLOR is unset or empty, and TERM is
 * not "dumb".
 */
bool colors_enabled(enum color_mode mode, int fd);

/* SGR sequence starting a row of class @cls, and the reset sequence. */
const char *colors_class(unsigned int cls);
extern const char colors_reset[];

/* SGR of a diff row: added (green), removed (red), else changed (yellow). */
const char *colors_change(bool added, bool removed);

#endif
