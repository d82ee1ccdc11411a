// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * many.c - benchmark helper: holds N distinct VMAs (alternate protections
 * so the kernel cannot merge neighbours, every page touched so smaps has
 * something to count), prints its PID and waits until stdin closes.
 *
 * "many N churn": the same regions, untouched, and a heap that grows every
 * millisecond, so that every read of its maps differs from the one
 * before: the --live refresh of a map that changes.
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * Grow the heap by a page every millisecond until stdin closes: the
 * [heap] line of maps changes between any two reads, never back to an
 * earlier text (a leak, the most common change), while the regions stay
 * N.  The pages are never touched.
 */
static int grow_heap(long pg)
{
	struct pollfd in = { .fd = 0, .events = POLLIN };
	char c;

	for (;;) {
		int r = poll(&in, 1, 1);

		if (r > 0 && read(0, &c, 1) <= 0)
			return 0;
		if (r == 0 && sbrk(pg) == (void *)-1) {
			perror("sbrk");
			return 1;
		}
	}
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 60000, pg = sysconf(_SC_PAGESIZE);
	int churn = argc > 2 && !strcmp(argv[2], "churn");
	char *base, c;

	if (n < 2) {
		fprintf(stderr, "usage: many N (N >= 2)\n");
		return 2;
	}
	base = mmap(NULL, (size_t)(n * pg), PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (long i = 0; !churn && i < n; i++)
		base[i * pg] = 1;
	for (long i = 0; i < n; i += 2)
		if (mprotect(base + i * pg, (size_t)pg, PROT_READ)) {
			perror("mprotect (raise vm.max_map_count?)");
			return 1;
		}
	printf("%d\n", (int)getpid());
	fflush(stdout);
	if (churn)
		return grow_heap(pg);
	while (read(0, &c, 1) > 0)
		;
	return 0;
}
