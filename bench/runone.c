// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * runone.c - benchmark timer: run a command with stdout to /dev/null
 * (stdin from $RUNONE_STDIN if set, else /dev/null) and print "WALL_US CPU_US MAXRSS_KB
 * STATUS" from clock_gettime and wait4's rusage.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}

static void child(char **argv)
{
	const char *in = getenv("RUNONE_STDIN");
	int null = open("/dev/null", O_WRONLY);
	/* Never the caller's stdin: a command that reads it (script(1)
	 * passes it to the program as keys) would eat the bench's input. */
	int fd = open(in && *in ? in : "/dev/null", O_RDONLY);

	if (fd < 0 || dup2(fd, 0) < 0)
		_exit(126);
	if (null < 0 || dup2(null, 1) < 0)
		_exit(126);
	execvp(argv[0], argv);
	_exit(127);
}

int main(int argc, char **argv)
{
	struct rusage ru;
	long long t0;
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: runone CMD [ARG]...\n");
		return 2;
	}
	t0 = now_us();
	pid = fork();
	if (pid == 0)
		child(argv + 1);
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) {
		perror("runone");
		return 1;
	}
	printf("%lld %lld %ld %d\n", now_us() - t0,
	       ru.ru_utime.tv_sec * 1000000LL + ru.ru_utime.tv_usec +
	       ru.ru_stime.tv_sec * 1000000LL + ru.ru_stime.tv_usec,
	       ru.ru_maxrss, WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	return 0;
}
