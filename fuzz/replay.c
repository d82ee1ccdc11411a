// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * replay.c - main() for a fuzz target built without libFuzzer: runs
 * LLVMFuzzerTestOneInput() once on each FILE argument (a directory: on
 * each file in it).  Exits 0 when every input ran; a bug aborts.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

/* Read all of @path into a malloc'd block of exactly its size. */
static int run_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	uint8_t *buf = NULL;
	ssize_t got = -1;

	if (fd >= 0 && !fstat(fd, &st)) {
		buf = malloc(st.st_size ? (size_t)st.st_size : 1);
		if (buf)
			got = read(fd, buf, (size_t)st.st_size);
	}
	if (fd >= 0)
		close(fd);
	if (got < 0 || got != st.st_size) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		free(buf);
		return 1;
	}
	LLVMFuzzerTestOneInput(buf, (size_t)got);
	free(buf);
	return 0;
}

static int run_dir(const char *dir)
{
	struct dirent **ent;
	int n = scandir(dir, &ent, NULL, alphasort), bad = 0;
	char path[4096];

	if (n < 0) {
		fprintf(stderr, "replay: %s: cannot list\n", dir);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		if (ent[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir,
				 ent[i]->d_name);
			bad |= run_file(path);
		}
		free(ent[i]);
	}
	free(ent);
	return bad;
}

int main(int argc, char **argv)
{
	struct stat st;
	int bad = 0;

	for (int i = 1; i < argc; i++) {
		if (!stat(argv[i], &st) && S_ISDIR(st.st_mode))
			bad |= run_dir(argv[i]);
		else
			bad |= run_file(argv[i]);
	}
	return bad;
}
