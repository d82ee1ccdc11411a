/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * testset.h - build a model from maps text for the C unit tests.
 */
#ifndef VMAMAP_TESTSET_H
#define VMAMAP_TESTSET_H

#include <errno.h>
#include <string.h>

#include "classify.h"
#include "err.h"
#include "maps_parse.h"
#include "vmaset.h"

/*
 * Parse, index and classify @text into the fresh set @s (the caller frees
 * it with vset_free()).  Returns the number of regions or a negative errno
 * with @e filled.
 */
static inline int build(struct vmaset *s, const char *text, struct err *e)
{
	int r;

	vset_init(s);
	memset(e, 0, sizeof(*e));
	r = maps_parse(s, text, strlen(text), "in.maps", e);
	if (r < 0)
		return r;
	if (vset_index(s))
		return -ENOMEM;
	class_assign(s);
	return r;
}

#endif
