// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
/*
 * churn - a helper for tests/torn.sh and tests/lifecycle.sh: a process
 * whose map is long (several pages of maps text) and, on demand, changes
 * while vmamap reads it.
 *
 * Usage: churn [-t THREADS] [-n REGIONS]
 *
 * An arena of REGIONS (default 200) regions of 2 pages each, alternately
 * read-only and read-write so that no two merge, sits in a PROT_NONE
 * reservation.  THREADS (default 0) threads then mmap, mprotect and
 * munmap small regions, and move the arena's region boundaries with
 * mprotect, as fast as they can, for ever.  The helper prints
 * "arena 0xSTART 0xEND" (the reservation), then "ready", then reads one
 * command a line from standard input and answers each:
 *
 *	shift	move every region boundary of the arena by one page (the
 *		layout alternates between two): "shifted"
 *	exec	execve /bin/sleep (never answers; the PID stays)
 *	exit	_exit(0) at once (the parent reaps it, or not: a zombie)
 *
 * End of input or SIGTERM: exit 0.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static size_t page;
static char *arena;
static size_t nregions = 200;
static int layout;		/* 0 or 1: the first region's page offset */

static void die(const char *what)
{
	fprintf(stderr, "churn: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void on_term(int sig)
{
	(void)sig;
	_exit(0);
}

/* Lay the regions out from page 1 + @shift of the arena. */
static void lay_out(int shift)
{
	size_t len = (nregions * 2 + 3) * page;

	if (mprotect(arena, len, PROT_NONE))
		die("mprotect arena");
	for (size_t i = 0; i < nregions; i++) {
		char *at = arena + (1 + (size_t)shift + 2 * i) * page;
		int prot = i % 2 ? PROT_READ | PROT_WRITE : PROT_READ;

		if (mprotect(at, 2 * page, prot))
			die("mprotect region");
	}
	layout = shift;
}

/*
 * A churn thread, for ever: small regions of its own made and unmade, and
 * the second page of a random arena region given a random protection, so
 * that it joins the next region or leaves it (region boundaries move all
 * over the arena, which spans several pages of maps text).
 */
static void *churn(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;

	for (;;) {
		size_t n = 2 + rand_r(&seed) % 7, i = rand_r(&seed) % nregions;
		char *p = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED) {
			mprotect(p + page, page, PROT_READ);
			munmap(p, n * page);
		}
		mprotect(arena + (2 + (size_t)layout + 2 * i) * page, page,
			 rand_r(&seed) % 2 ? PROT_READ : PROT_READ | PROT_WRITE);
	}
	return NULL;
}

static void serve(void)
{
	char line[64];

	while (fgets(line, sizeof(line), stdin)) {
		if (!strcmp(line, "shift\n")) {
			lay_out(!layout);
			puts("shifted");
		} else if (!strcmp(line, "exec\n")) {
			execl("/bin/sleep", "sleep", "1000", (char *)NULL);
			die("execl /bin/sleep");
		} else if (!strcmp(line, "exit\n")) {
			_exit(0);
		}
		if (fflush(stdout))
			die("stdout");
	}
}

int main(int argc, char **argv)
{
	unsigned long threads = 0;
	pthread_t t;
	int c;

	while ((c = getopt(argc, argv, "t:n:")) != -1) {
		if (c == 't')
			threads = strtoul(optarg, NULL, 10);
		else if (c == 'n')
			nregions = strtoul(optarg, NULL, 10);
		else
			return 2;
	}
	signal(SIGTERM, on_term);
	page = (size_t)sysconf(_SC_PAGESIZE);
	arena = mmap(NULL, (nregions * 2 + 3) * page, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (arena == MAP_FAILED)
		die("mmap arena");
	lay_out(0);
	printf("arena %p %p\n", (void *)arena,
	       (void *)(arena + (nregions * 2 + 3) * page));
	for (unsigned long i = 0; i < threads; i++) {
		errno = pthread_create(&t, NULL, churn, (void *)(uintptr_t)i);
		if (errno)
			die("pthread_create");
	}
	puts("ready");
	if (fflush(stdout))
		die("stdout");
	serve();
	return 0;
}
