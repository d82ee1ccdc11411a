/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * array.h - growable arrays: room for one more element, doubling.
 */
#ifndef VMAMAP_ARRAY_H
#define VMAMAP_ARRAY_H

#include <errno.h>
#include <stdlib.h>

/*
 * Make room for element @n of the array at *@arr (@cap elements of @size
 * bytes held, updated).  Returns 0 or -ENOMEM (the array is kept).
 */
static inline int array_grow(void *arr, size_t n, size_t *cap, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 8;
	void *na;

	if (n < *cap)
		return 0;
	na = realloc(*(void **)arr, ncap * size);
	if (!na)
		return -ENOMEM;
	*(void **)arr = na;
	*cap = ncap;
	return 0;
}

#endif
