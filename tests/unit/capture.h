/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * capture.h - what a renderer writes, through a real fd, as a string: for
 * the C unit tests.
 */
#ifndef VMAMAP_CAPTURE_H
#define VMAMAP_CAPTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "obuf.h"

/* Start @o writing to a new temporary file, which is returned. */
static inline FILE *capture_start(struct obuf *o)
{
	FILE *f = tmpfile();

	if (!f || obuf_init(o, fileno(f)))
		abort();
	return f;
}

/*
 * Close @o and return what it wrote to @f (malloc'd, NUL-terminated; its
 * length in *@len unless NULL).  Closes @f.
 */
static inline char *capture_end(FILE *f, struct obuf *o, size_t *len)
{
	struct stat st;
	char *out;

	if (obuf_close(o) || fstat(fileno(f), &st))
		abort();
	out = calloc(1, (size_t)st.st_size + 1);
	if (!out || pread(fileno(f), out, (size_t)st.st_size, 0) != st.st_size)
		abort();
	if (len)
		*len = (size_t)st.st_size;
	fclose(f);
	return out;
}

#endif
