// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
/*
 * pauseread.so - an LD_PRELOAD shim for tests/lifecycle.sh and
 * tests/torn.sh: stop vmamap between two read() calls on a file, so that
 * the test can change the target process at exactly that moment (make it
 * exit, exec, or move its regions), then let vmamap go on.
 *
 *	VMAMAP_PAUSE=NAME:N:DIR[:every]
 *
 * Before the read() call number N (counted from 0) on an open file whose
 * path ends in "/NAME" ("maps", "smaps", "comm"), the shim writes one line
 * "paused" to the fifo DIR/paused and waits for one line on the fifo
 * DIR/go.  Once per process; with ":every", once per open of the file.
 * A /proc file gives at most one page of text per read(), so N = 1 stops
 * vmamap after the first chunk of a map longer than a page.
 *
 * Without VMAMAP_PAUSE, or when it is malformed, the shim does nothing.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen);

enum { MAX_FD = 1024 };

static struct {
	bool ready, on, every, done;
	char name[64], dir[PATH_MAX - 16];
	unsigned long n;
	unsigned long count[MAX_FD];	/* read() calls per open file */
	ssize_t (*read)(int, void *, size_t);
	int (*close)(int);
} pr;

static void setup(void)
{
	const char *v = getenv("VMAMAP_PAUSE");
	char every[8] = "";

	pr.ready = true;
	pr.read = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	pr.close = (int (*)(int))dlsym(RTLD_NEXT, "close");
	if (v && sscanf(v, "%63[^:]:%lu:%4079[^:]:%7s", pr.name, &pr.n,
			pr.dir, every) >= 3)
		pr.on = true;
	pr.every = !strcmp(every, "every");
}

/* Does @fd name a file called pr.name? */
static bool watched(int fd)
{
	char link[64], path[PATH_MAX];
	size_t nl = strlen(pr.name);
	ssize_t len;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	len = readlink(link, path, sizeof(path) - 1);
	if (len <= (ssize_t)nl)
		return false;
	path[len] = '\0';
	return path[len - (ssize_t)nl - 1] == '/' &&
	       !strcmp(path + len - (ssize_t)nl, pr.name);
}

/* Say "paused" and wait for "go". */
static void hold(void)
{
	char path[PATH_MAX], c;
	int fd;

	snprintf(path, sizeof(path), "%s/paused", pr.dir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "paused\n", 7) != 7)
			perror("pauseread: paused");
		pr.close(fd);
	}
	snprintf(path, sizeof(path), "%s/go", pr.dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	while (fd >= 0 && pr.read(fd, &c, 1) == 1 && c != '\n')
		;
	if (fd >= 0)
		pr.close(fd);
}

static void before_read(int fd)
{
	if (!pr.ready)
		setup();
	if (!pr.on || pr.done || fd < 0 || fd >= MAX_FD || !watched(fd))
		return;
	if (pr.count[fd]++ != pr.n)
		return;
	pr.done = !pr.every;
	hold();
}

ssize_t read(int fd, void *buf, size_t n)
{
	before_read(fd);
	return pr.read(fd, buf, n);
}

ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen)
{
	(void)buflen;
	return read(fd, buf, n);
}

int close(int fd)
{
	if (!pr.ready)
		setup();
	if (fd >= 0 && fd < MAX_FD)
		pr.count[fd] = 0;
	return pr.close(fd);
}
