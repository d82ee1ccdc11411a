/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * source.h - the source stage: raw bytes from a proc tree (live /proc or a
 * captured copy under another root) or from a saved file / stdin.
 * Nothing here parses; every path is built from a caller-given root.
 */
#ifndef VMAMAP_SOURCE_H
#define VMAMAP_SOURCE_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/* A growable byte buffer; the owner frees p with free(). */
struct buf {
	char *p;
	size_t len, cap;
};

void buf_free(struct buf *b);

/*
 * Read all of @fd into @b (replacing its contents) in one loop of large
 * read() calls.  Returns 0 or a negative errno.
 */
int src_read_fd(int fd, struct buf *b);

/*
 * Read the file @path ("-" = standard input) into @b.  Returns 0 or a
 * negative errno with @e saying which file and why.
 */
int src_read_file(const char *path, struct buf *b, struct err *e);

/*
 * Open the directory ROOT/PID of a process, so that every file read later
 * comes from the same process even if the PID is reused.  Returns the
 * directory fd (owned by the caller) or a negative errno with @e filled.
 */
int src_proc_open(const char *root, pid_t pid, struct err *e);

/*
 * Read the file @name ("maps", "smaps", "status", ...) of the process
 * directory @dirfd into @b.  Returns 0 or a negative errno (@e names
 * ROOT/PID/NAME and explains EACCES and ESRCH).
 */
int src_proc_read(int dirfd, const char *root, pid_t pid, const char *name,
		  struct buf *b, struct err *e);

/*
 * True when the process behind @dirfd is still alive (its stat file can
 * still be read).
 */
int src_proc_alive(int dirfd);

#endif
