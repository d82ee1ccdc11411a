// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * many.c - benchmark helper: holds N distinct VMAs (alternate protections
 * so the kernel cannot merge neighbours, every page touched so smaps has
 * something to count), prints its PID and waits until stdin closes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 60000, pg = sysconf(_SC_PAGESIZE);
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
	for (long i = 0; i < n; i++)
		base[i * pg] = 1;
	for (long i = 0; i < n; i += 2)
		if (mprotect(base + i * pg, (size_t)pg, PROT_READ)) {
			perror("mprotect (raise vm.max_map_count?)");
			return 1;
		}
	printf("%d\n", (int)getpid());
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	return 0;
}
