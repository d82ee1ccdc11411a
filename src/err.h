/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * err.h - error reporting shared by every stage.
 *
 * Functions that can fail return 0 (or a count) on success and a negative
 * errno on failure, and fill a caller-owned struct err with one line that
 * says what went wrong and to which target.  Only main() turns the code
 * into an exit status (err_exit_code()).
 */
#ifndef VMAMAP_ERR_H
#define VMAMAP_ERR_H

#include <errno.h>

/* Exit codes, documented in vmamap(1). */
enum {
	EXIT_OK = 0,
	EXIT_DIFFERENT = 1,	/* reserved for --diff */
	EXIT_USAGE = 2,
	EXIT_NOTFOUND = 3,
	EXIT_PERM = 4,
	EXIT_MALFORMED = 5,
	EXIT_FAILURE_OTHER = 6,
};

struct err {
	int code;		/* negative errno, 0 when unset */
	char msg[1024];		/* one line, no trailing newline */
};

/*
 * Record an error in @e (which may be NULL) and return @code, which must be
 * a negative errno.  The message is printf-formatted and truncated to fit.
 * Use -EBADMSG for malformed input and -EINVAL for bad user arguments.
 */
int err_set(struct err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Map a negative errno to the documented exit code. */
int err_exit_code(int code);

#endif
