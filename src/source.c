// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * source.c - read raw bytes from a proc tree or a file.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static int buf_reserve(struct buf *b, size_t room)
{
	size_t ncap = b->cap ? b->cap : 1 << 16;
	char *np;

	if (b->cap - b->len >= room)
		return 0;
	while (ncap - b->len < room)
		ncap *= 2;
	np = realloc(b->p, ncap);
	if (!np)
		return -ENOMEM;
	b->p = np;
	b->cap = ncap;
	return 0;
}

int src_read_fd(int fd, struct buf *b)
{
	b->len = 0;
	for (;;) {
		ssize_t n;

		if (buf_reserve(b, 1 << 16))
			return -ENOMEM;
		n = read(fd, b->p + b->len, b->cap - b->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		b->len += (size_t)n;
	}
	b->p[b->len] = '\0';
	return 0;
}

int src_read_file(const char *path, struct buf *b, struct err *e)
{
	bool std = !strcmp(path, "-");
	int fd = std ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return err_set(e, -errno, "%s: %s", path, strerror(errno));
	r = src_read_fd(fd, b);
	if (!std)
		close(fd);
	if (r)
		return err_set(e, r, "%s: %s", std ? "standard input" : path,
			       strerror(-r));
	return 0;
}

int src_proc_open(const char *root, pid_t pid, struct err *e)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%d", root, (int)pid);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	if (errno == ENOENT)
		return err_set(e, -ENOENT, "pid %d: no such process (%s)",
			       (int)pid, path);
	return err_set(e, -errno, "pid %d: %s: %s", (int)pid, path,
		       strerror(errno));
}

static int proc_error(struct err *e, int r, const char *root, pid_t pid,
		      const char *name)
{
	switch (-r) {
	case EACCES:
	case EPERM:
		return err_set(e, -EACCES, "pid %d: permission denied reading "
			       "%s/%d/%s (needs ptrace access: same user, or "
			       "root/CAP_SYS_PTRACE)", (int)pid, root,
			       (int)pid, name);
	case ENOENT:
	case ESRCH:
		return err_set(e, -ESRCH, "pid %d: process exited while "
			       "being read (%s/%d/%s)", (int)pid, root,
			       (int)pid, name);
	default:
		return err_set(e, r, "pid %d: %s/%d/%s: %s", (int)pid, root,
			       (int)pid, name, strerror(-r));
	}
}

int src_proc_read(int dirfd, const char *root, pid_t pid, const char *name,
		  struct buf *b, struct err *e)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return proc_error(e, -errno, root, pid, name);
	r = src_read_fd(fd, b);
	close(fd);
	return r ? proc_error(e, r, root, pid, name) : 0;
}

enum { READER_CHUNK = 1 << 18 };

static int reader_init(struct src_reader *r, int fd, bool own,
		       const char *label)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->own_fd = own;
	r->label = label;
	return buf_reserve(&r->b, READER_CHUNK);
}

int src_reader_file(struct src_reader *r, const char *path, struct err *e)
{
	bool std = !strcmp(path, "-");
	int fd = std ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err_set(e, -errno, "%s: %s", path, strerror(errno));
	if (reader_init(r, fd, !std, std ? "standard input" : path)) {
		src_reader_close(r);
		return err_set(e, -ENOMEM, "%s: out of memory", path);
	}
	return 0;
}

int src_reader_proc(struct src_reader *r, int dirfd, const char *root,
		    pid_t pid, const char *name, struct err *e)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return proc_error(e, -errno, root, pid, name);
	if (reader_init(r, fd, true, name)) {
		src_reader_close(r);
		return err_set(e, -ENOMEM, "pid %d: out of memory", (int)pid);
	}
	r->root = root;
	r->pid = pid;
	return 0;
}

long src_reader_more(struct src_reader *r, size_t consumed, struct err *e)
{
	ssize_t n;

	if (consumed) {
		memmove(r->b.p, r->b.p + consumed, r->b.len - consumed);
		r->b.len -= consumed;
	}
	if (buf_reserve(&r->b, READER_CHUNK / 2))
		return err_set(e, -ENOMEM, "%s: out of memory", r->label);
	do
		n = read(r->fd, r->b.p + r->b.len, r->b.cap - r->b.len - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0 && r->pid)
		return proc_error(e, -errno, r->root, r->pid, r->label);
	if (n < 0)
		return err_set(e, -errno, "%s: %s", r->label, strerror(errno));
	r->b.len += (size_t)n;
	r->b.p[r->b.len] = '\0';
	return (long)n;
}

void src_reader_close(struct src_reader *r)
{
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	buf_free(&r->b);
}

int src_proc_alive(int dirfd)
{
	char c;
	int fd = openat(dirfd, "stat", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return errno == ENOENT || errno == ESRCH ? 0 : 1;
	n = read(fd, &c, 1);
	close(fd);
	return n == 1;
}
