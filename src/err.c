// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "err.h"

int err_set(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

int err_exit_code(int code)
{
	switch (-code) {
	case 0:
		return EXIT_OK;
	case EINVAL:
		return EXIT_USAGE;
	case ENOENT:
	case ESRCH:
		return EXIT_NOTFOUND;
	case EACCES:
	case EPERM:
		return EXIT_PERM;
	case EBADMSG:
	case EPROTO:
		return EXIT_MALFORMED;
	default:
		return EXIT_FAILURE_OTHER;
	}
}
