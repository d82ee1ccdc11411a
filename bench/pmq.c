// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmq.c - benchmark helper: walk every VMA of a process with the
 * PROCMAP_QUERY ioctl (Linux 6.11+), the binary alternative to the maps
 * text, through the same source-stage call vmamap uses; prints the count.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "source.h"

int main(int argc, char **argv)
{
	struct err e;
	int dirfd;
	long n;

	if (argc != 2) {
		fprintf(stderr, "usage: pmq PID\n");
		return 2;
	}
	dirfd = src_proc_open("/proc", (pid_t)atoi(argv[1]), &e);
	if (dirfd < 0) {
		fprintf(stderr, "pmq: %s\n", e.msg);
		return 1;
	}
	n = src_proc_map_count(dirfd);
	close(dirfd);
	if (n < 0) {
		fprintf(stderr, "pmq: PROCMAP_QUERY: error %ld\n", -n);
		return 1;
	}
	printf("%ld\n", n);
	return 0;
}
