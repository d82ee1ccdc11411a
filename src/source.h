/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * source.h - the source stage: raw bytes from a proc tree (live /proc or a
 * captured copy under another root) or from a saved file / stdin.
 * Nothing here parses; every path is built from a caller-given root.
 */
#ifndef VMAMAP_SOURCE_H
#define VMAMAP_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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

struct src_readahead;

/*
 * A streaming reader: text arrives in a window of the buffer, the caller
 * consumes what it has parsed, and memory stays bounded by the longest
 * line rather than by the file.
 *
 * Once a regular file (every /proc file is one) has given more than a few
 * reads, a second thread goes on reading it ahead into a few fixed slots
 * while the caller parses: the kernel's generation of maps or smaps text,
 * most of the cost, then overlaps the parsing.  The caller sees no
 * difference but the time.
 */
struct src_reader {
	int fd;
	bool own_fd;		/* close fd in src_reader_close() */
	struct buf b;		/* unconsumed bytes are b.p[0..b.len) */
	const char *label;	/* for messages (not owned) */
	const char *root;	/* proc root, for a process file */
	pid_t pid;		/* 0 for a plain file */
	size_t got;		/* bytes read so far */
	bool may_readahead;	/* a regular file: read-ahead allowed */
	struct src_readahead *ra;	/* the read-ahead thread, or NULL */
};

/* Open @path ("-" = stdin) for streaming; 0 or -errno with @e filled. */
int src_reader_file(struct src_reader *r, const char *path, struct err *e);

/* Open ROOT/PID/NAME of the process directory @dirfd for streaming. */
int src_reader_proc(struct src_reader *r, int dirfd, const char *root,
		    pid_t pid, const char *name, struct err *e);

/*
 * Drop the first @consumed bytes of the window, then read more after what
 * is left (growing the buffer when a line fills it).  Returns the number
 * of bytes read, 0 at end of file, or a negative errno with @e filled.
 */
long src_reader_more(struct src_reader *r, size_t consumed, struct err *e);

/* Stop the read-ahead thread, close the file (if owned), free the buffer. */
void src_reader_close(struct src_reader *r);

/*
 * Count the process's VMAs with the PROCMAP_QUERY ioctl on its maps file
 * (Linux 6.11+), an account independent of the maps text.  Returns the
 * count, or a negative errno (-ENOTTY / -EINVAL on older kernels and on
 * captured trees, where maps is a plain file).
 */
long src_proc_map_count(int dirfd);

/* The identity of a region, as PROCMAP_QUERY gives it. */
struct src_vma {
	uint64_t start, end, inode;
	uint32_t major, minor;
};

/*
 * The region holding @start in the process directory @dirfd, from the
 * PROCMAP_QUERY ioctl (Linux 6.11+) on its maps file, into @v, with its
 * name as the kernel has it (no newline escaped as \012; " (deleted)"
 * kept; NUL-terminated) in @name of @cap bytes.  The ioctl takes no path
 * and reads no file system.  Returns the name's length (0: none), or
 * -errno: -ENOENT no region there, -ENAMETOOLONG, -ENOTTY / -EINVAL (an
 * older kernel, or a captured tree where maps is a plain file).
 */
long src_proc_vma_name(int dirfd, uint64_t start, struct src_vma *v,
		       char *name, size_t cap);

/*
 * After the end of a process file: is the address space it was read from
 * still there?  Reads the first byte again: 1 yes (and so it was there
 * for the whole read: an mm never comes back); 0 no, the text may be cut
 * short at a chunk boundary (the process exited or called execve; the
 * kernel ends the text early then); -ESRCH once the process is reaped.
 * A file that cannot seek (a pipe) answers 1: there is no telling.
 */
int src_reader_mapped(struct src_reader *r);

/*
 * The text of the last read of a process file, kept so that the next read
 * can tell whether it gives the same bytes: a refresh of a process whose
 * map did not change then skips parsing and everything after it.  While
 * the text read matches, nothing is copied; from the first byte that
 * differs, the text read so far is in @cur (the matched prefix copied
 * from @prev) for the parser.  Owned by the caller; src_memo_free()
 * releases it.
 */
struct src_memo {
	struct buf prev;	/* the last whole read */
	struct buf cur;		/* this read, once it differs from prev */
	char name[8];		/* the file prev was read from ("maps") */
	size_t at;		/* bytes of this read that matched prev */
	size_t regions;		/* regions parsed from prev */
	bool valid;		/* prev is the text of the map the caller
				 * holds: only then can a read be the same */
	bool differs;		/* this read left prev behind */
};

/* Start a read of the file @name (truncated to fit). */
void src_memo_begin(struct src_memo *m, const char *name);

/*
 * Take @len bytes read next.  While they match the last read nothing is
 * kept; once they differ, every byte read is appended to m->cur.  Returns
 * 0 or -ENOMEM.
 */
int src_memo_take(struct src_memo *m, const char *p, size_t len);

/* At end of file: the read gave the last one's bytes, and all of them. */
bool src_memo_same(const struct src_memo *m);

/*
 * At end of file of a read that was not the same: m->cur gets the text
 * (the matched prefix, when the read ended early).  0 or -ENOMEM.
 */
int src_memo_diverge(struct src_memo *m);

/* The read just ended, with @regions parsed, is the caller's map now. */
void src_memo_keep(struct src_memo *m, size_t regions);

/* The caller does not hold the map of the last read: next read differs. */
static inline void src_memo_forget(struct src_memo *m)
{
	m->valid = false;
}

void src_memo_free(struct src_memo *m);

struct vma_thread_sp;

/*
 * The stack pointer of every thread of the process directory @dirfd, from
 * task/TID/syscall (the second-to-last field).  Threads whose pointer
 * cannot be read (no access, running, exited, malformed, no task
 * directory) are left out silently.  Returns the count with *@out a
 * malloc'd array sorted by TID that the caller frees (NULL when 0), or
 * -ENOMEM.
 */
int src_proc_stack_pointers(int dirfd, struct vma_thread_sp **out);

#endif
