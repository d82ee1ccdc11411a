// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * colors.c - colour policy (NO_COLOR, --color) and class palette.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "colors.h"
#include "vmaset.h"

const char colors_reset[] = "\033[0m";

int colors_parse(const char *when, enum color_mode *mode, struct err *e)
{
	if (!when || !strcmp(when, "always"))
		*mode = COLOR_ALWAYS;
	else if (!strcmp(when, "auto"))
		*mode = COLOR_AUTO;
	else if (!strcmp(when, "never"))
		*mode = COLOR_NEVER;
	else
		return err_set(e, -EINVAL, "--color: unknown value '%.40s' "
			       "(auto, always, never)", when);
	return 0;
}

bool colors_enabled(enum color_mode mode, int fd)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (mode != COLOR_AUTO)
		return mode == COLOR_ALWAYS;
	if (nc && *nc)
		return false;
	if (term && !strcmp(term, "dumb"))
		return false;
	return isatty(fd);
}

const char *colors_class(unsigned int cls)
{
	static const char *const sgr[VC_NCLASS] = {
		[VC_TEXT] = "\033[31m",		/* red, as pwndbg's code */
		[VC_RODATA] = "\033[33m",	/* yellow */
		[VC_DATA] = "\033[35m",		/* magenta */
		[VC_BSS] = "\033[95m",		/* bright magenta */
		[VC_HEAP] = "\033[34m",		/* blue */
		[VC_STACK] = "\033[93m",	/* bright yellow */
		[VC_ANON] = "\033[36m",		/* cyan */
		[VC_SHARED] = "\033[32m",	/* green */
		[VC_FILE] = "\033[39m",		/* default */
		[VC_GUARD] = "\033[90m",	/* grey */
		[VC_KERNEL] = "\033[91m",	/* bright red */
	};

	return cls < VC_NCLASS ? sgr[cls] : "";
}

const char *colors_change(bool added, bool removed)
{
	if (added)
		return "\033[32m";	/* green */
	return removed ? "\033[31m" : "\033[33m";	/* red, yellow */
}
