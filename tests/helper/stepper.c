// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
/*
 * stepper - a helper for tests/diffwatch.sh: change its own address space
 * one known step at a time, on command, so that --diff and --watch can be
 * checked against what really happened.
 *
 * Usage: stepper DIR
 *
 * DIR is a scratch directory (created if missing) for DIR/data.bin.  The
 * helper prints "ready PID", then reads one command a line from standard
 * input and answers each with one line:
 *
 *	done CMD ADDR...	(addresses in hex, as listed below)
 *	fail CMD WHY		(nothing was changed)
 *
 *	heap		sbrk() 256 KiB more:	    done heap OLD_BRK NEW_BRK
 *	map		map 7 rw pages in a hole:   done map START END
 *	unmap		unmap them again:	    done unmap START END
 *	mapfile		map DIR/data.bin (4 pages, shared, read-only), at a
 *			place the kernel picks:	    done mapfile START END
 *	protect		make the first page of a 4-page rw region read-only
 *			(it splits):		    done protect START END
 *	unprotect	make it rw again (merged):  done unprotect START END
 *	remap		move a 5-page rw region to the other of two holes
 *			(mremap MREMAP_FIXED):	    done remap OLD NEW
 *	grow		mremap a 3-page rw region in place to 6 pages:
 *						    done grow START END
 *	shrink		and back to 3 pages:	    done shrink START END
 *	touch		write to the last 3 pages of the "protect" region
 *			(RSS grows, the map stays): done touch START END
 *	exit		exit 0
 *
 * All test regions sit in one PROT_NONE reservation, each between
 * PROT_NONE guard pages, so the kernel cannot merge them with a
 * neighbour.  Everything that could change the map (stdio buffers,
 * malloc, the heap) is set up before "ready"; the command loop uses only
 * read(2), write(2) and static buffers.  End of input or SIGTERM: exit 0.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED		2
#endif

#define HEAP_STEP	(256 * 1024)

/*
 * The reservation, in pages: guards (PROT_NONE) around each place.
 *
 *	0 g | 2 map hole (7) | 9 g | 11 protect (4) | 15 g | 17 remap A (5)
 *	| 22 g | 24 remap B hole (5) | 29 g | 31 grow (3) + hole (3) | 37 g
 */
enum {
	PG_MAP = 2, NP_MAP = 7,
	PG_PROT = 11, NP_PROT = 4,
	PG_REMAP_A = 17, PG_REMAP_B = 24, NP_REMAP = 5,
	PG_GROW = 31, NP_GROW = 3,
	NP_RESV = 39,
};

static size_t page;
static char *resv;
static char data_path[4096];
static char out[256];
static size_t out_len;

static struct {
	bool mapped, protected, grown;
	char *remap_at;		/* where the 5-page region is now */
} st;

static void on_term(int sig)
{
	(void)sig;
	_exit(0);
}

static char *pg(size_t n)
{
	return resv + n * page;
}

/* -------------------------------------------------------------- output */

static void put(const char *s)
{
	size_t n = strlen(s);

	if (out_len + n < sizeof(out)) {
		memcpy(out + out_len, s, n);
		out_len += n;
	}
}

/* " 0x1f" (@base 16) or " 31" (@base 10). */
static void put_num(uintptr_t v, unsigned int base)
{
	char b[2 + 3 * sizeof(v) + 1];
	int i = (int)sizeof(b) - 1;

	b[i] = '\0';
	do {
		b[--i] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (base == 16) {
		b[--i] = 'x';
		b[--i] = '0';
	}
	put(" ");
	put(b + i);
}

/* Write the line built so far, plus a newline, and start a new one. */
static void flush_line(void)
{
	const char *p = out;

	put("\n");
	while (out_len) {
		ssize_t n = write(STDOUT_FILENO, p, out_len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(1);
		p += n;
		out_len -= (size_t)n;
	}
}

static void done(const char *cmd, const void *a, const void *b)
{
	put("done ");
	put(cmd);
	put_num((uintptr_t)a, 16);
	put_num((uintptr_t)b, 16);
	flush_line();
}

/* ------------------------------------------------------------ commands */

/*
 * Each command returns NULL once it has said "done", or why it failed
 * (nothing changed).
 */
static const char *cmd_heap(void)
{
	void *old = sbrk(HEAP_STEP);

	if (old == (void *)-1)
		return strerror(errno);
	done("heap", old, sbrk(0));
	return NULL;
}

static const char *cmd_map(void)
{
	void *a;

	if (st.mapped)
		return "already mapped";
	a = mmap(pg(PG_MAP), NP_MAP * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (a == MAP_FAILED)
		return strerror(errno);
	if (a != pg(PG_MAP)) {	/* a kernel that ignores the flag */
		munmap(a, NP_MAP * page);
		return "not placed in the hole";
	}
	st.mapped = true;
	done("map", a, pg(PG_MAP + NP_MAP));
	return NULL;
}

static const char *cmd_unmap(void)
{
	if (!st.mapped)
		return "not mapped";
	if (munmap(pg(PG_MAP), NP_MAP * page))
		return strerror(errno);
	st.mapped = false;
	done("unmap", pg(PG_MAP), pg(PG_MAP + NP_MAP));
	return NULL;
}

static const char *cmd_mapfile(void)
{
	int fd = open(data_path, O_RDONLY | O_CLOEXEC);
	char *a;

	if (fd < 0)
		return strerror(errno);
	a = mmap(NULL, 4 * page, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (a == MAP_FAILED)
		return strerror(errno);
	done("mapfile", a, a + 4 * page);
	return NULL;
}

/* mprotect the first page of the "protect" region; @ro: read-only. */
static const char *protect_first(const char *cmd, bool ro)
{
	int prot = ro ? PROT_READ : PROT_READ | PROT_WRITE;

	if (st.protected == ro)
		return ro ? "already protected" : "not protected";
	if (mprotect(pg(PG_PROT), page, prot))
		return strerror(errno);
	st.protected = ro;
	done(cmd, pg(PG_PROT), pg(PG_PROT + NP_PROT));
	return NULL;
}

static const char *cmd_remap(void)
{
	char *to = st.remap_at == pg(PG_REMAP_A) ? pg(PG_REMAP_B)
						 : pg(PG_REMAP_A);
	void *a = mremap(st.remap_at, NP_REMAP * page, NP_REMAP * page,
			 MREMAP_MAYMOVE | MREMAP_FIXED, to);

	if (a == MAP_FAILED)
		return strerror(errno);
	done("remap", st.remap_at, a);
	st.remap_at = a;
	return NULL;
}

/* mremap the "grow" region in place, without moving it. */
static const char *resize(const char *cmd, bool grow)
{
	size_t from = grow ? NP_GROW : 2 * NP_GROW;
	size_t to = grow ? 2 * NP_GROW : NP_GROW;

	if (st.grown == grow)
		return grow ? "already grown" : "not grown";
	if (mremap(pg(PG_GROW), from * page, to * page, 0) == MAP_FAILED)
		return strerror(errno);
	st.grown = grow;
	done(cmd, pg(PG_GROW), pg(PG_GROW + to));
	return NULL;
}

static const char *cmd_touch(void)
{
	for (size_t i = 1; i < NP_PROT; i++)
		*(volatile char *)pg(PG_PROT + i) = 1;
	done("touch", pg(PG_PROT + 1), pg(PG_PROT + NP_PROT));
	return NULL;
}

static const char *dispatch(const char *cmd)
{
	if (!strcmp(cmd, "heap"))
		return cmd_heap();
	if (!strcmp(cmd, "map"))
		return cmd_map();
	if (!strcmp(cmd, "unmap"))
		return cmd_unmap();
	if (!strcmp(cmd, "mapfile"))
		return cmd_mapfile();
	if (!strcmp(cmd, "protect") || !strcmp(cmd, "unprotect"))
		return protect_first(cmd, cmd[0] == 'p');
	if (!strcmp(cmd, "remap"))
		return cmd_remap();
	if (!strcmp(cmd, "grow") || !strcmp(cmd, "shrink"))
		return resize(cmd, cmd[0] == 'g');
	if (!strcmp(cmd, "touch"))
		return cmd_touch();
	if (!strcmp(cmd, "exit"))
		_exit(0);
	return "unknown command";
}

static void run(const char *cmd)
{
	const char *why = dispatch(cmd);

	if (why) {
		put("fail ");
		put(cmd);
		put(" ");
		put(why);
		flush_line();
	}
}

/* Read commands, one a line, until end of input. */
static void loop(void)
{
	static char in[256];
	size_t len = 0;
	ssize_t n;

	while ((n = read(STDIN_FILENO, in + len, sizeof(in) - 1 - len))) {
		char *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			_exit(1);
		len += (size_t)n;
		while ((nl = memchr(in, '\n', len))) {
			*nl = '\0';
			run(in);
			len -= (size_t)(nl + 1 - in);
			memmove(in, nl + 1, len);
		}
		if (len == sizeof(in) - 1)
			len = 0;	/* a line too long: dropped */
	}
}

/* --------------------------------------------------------------- setup */

static void die(const char *what)
{
	fprintf(stderr, "stepper: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void map_rw(size_t at, size_t npages)
{
	if (mmap(pg(at), npages * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		die("mmap");
}

static void setup_regions(void)
{
	resv = mmap(NULL, NP_RESV * page, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (resv == MAP_FAILED)
		die("mmap reservation");
	if (munmap(pg(PG_MAP), NP_MAP * page) ||
	    munmap(pg(PG_REMAP_B), NP_REMAP * page) ||
	    munmap(pg(PG_GROW + NP_GROW), NP_GROW * page))
		die("munmap");
	map_rw(PG_PROT, NP_PROT);
	map_rw(PG_REMAP_A, NP_REMAP);
	map_rw(PG_GROW, NP_GROW);
	st.remap_at = pg(PG_REMAP_A);
}

static void setup_file(const char *dir)
{
	static char buf[4 * 65536];
	size_t len = 4 * page;
	int fd;

	if (mkdir(dir, 0700) && errno != EEXIST)
		die(dir);
	if ((size_t)snprintf(data_path, sizeof(data_path), "%s/data.bin",
			     dir) >= sizeof(data_path))
		die("path too long");
	if (len > sizeof(buf))
		die("page too large");
	memset(buf, 'd', len);
	fd = open(data_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len || close(fd))
		die(data_path);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_term };
	long ps = sysconf(_SC_PAGESIZE);

	if (argc != 2) {
		fprintf(stderr, "usage: stepper DIR\n");
		return 2;
	}
	page = ps > 0 ? (size_t)ps : 4096;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL))
		die("sigaction");
	signal(SIGPIPE, SIG_IGN);
	setup_file(argv[1]);
	setup_regions();
	if (sbrk((intptr_t)page) == (void *)-1)	/* a [heap] from the start */
		die("sbrk");
	put("ready");
	put_num((uintptr_t)getpid(), 10);
	flush_line();
	loop();
	return 0;
}
