// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
/*
 * mapper - a helper for tests/live.sh: create mappings of known kinds, say
 * where they are, then sit still so vmamap can look at them.
 *
 * Usage: mapper DIR
 *
 * DIR is a scratch directory (created if missing) that receives the data
 * files.  One line per mapping is printed on standard output:
 *
 *	LABEL 0xADDR EXPECTED_CLASS
 *
 * where ADDR lies inside the region (a thread's stack line has a fourth
 * field, the thread's TID: "threadN 0xADDR stack TID"), then
 * "path LABEL HEX" for every file created (the exact bytes of its
 * canonical path, lower-case hex), "# ..." remarks for features the kernel
 * refused, and finally "ready".  Then the helper reads commands from
 * standard input, one per line, until end of file or SIGTERM, and exits
 * 0.  For tests that need the map to change (tests/live-tui.sh):
 *
 *	map	map a new file (DIR/new.bin) where the kernel chooses, so
 *		that it is a region of its own: "new 0xADDR file"
 *	unmap	unmap the region mapped last: "gone 0xADDR"
 *	comm HEX
 *		set the process name (comm) to the bytes given in hex (at
 *		most 15; PR_SET_NAME): "comm set"
 *	mapdir D map the first page of every regular file under the
 *		directory D (at any depth, paths longer than PATH_MAX too),
 *		each where the kernel chooses: "mapped 0xADDR HEX" a file
 *		(HEX: the bytes of its path), then "mapdir done"
 *
 * Any other line is ignored.
 *
 * Every mapping is placed inside one big PROT_NONE reservation with
 * MAP_FIXED, with at least one PROT_NONE page on each side, so the kernel
 * cannot merge it with a neighbour.  The "guard" mapping (itself PROT_NONE)
 * is instead sandwiched between the "rwx" and "locked" mappings, whose
 * protections differ from it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef PR_SET_VMA
#define PR_SET_VMA		0x53564d41
#endif
#ifndef PR_SET_VMA_ANON_NAME
#define PR_SET_VMA_ANON_NAME	0
#endif
#ifndef PR_SET_PTRACER
#define PR_SET_PTRACER		0x59616d61
#endif
#ifndef PR_SET_PTRACER_ANY
#define PR_SET_PTRACER_ANY	((unsigned long)-1)
#endif
#ifndef SHM_REMAP
#define SHM_REMAP		040000
#endif
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC		0x0001U
#endif

#define SLOT_PAGES	8	/* each mapping gets a slot of this many pages */
#define SLOT_GAP	2	/* PROT_NONE pages before the mapping in a slot */
#define NSLOTS		24

static size_t page;
static char *resv;
static int next_slot;
static const char *dir;

/* Files with awkward names, each mapped read-only private: class "file". */
static const struct {
	const char *label;
	const char *name;
} weird[] = {
	{ "space",   "name with  spaces  " },
	{ "newline", "new\nline" },
	{ "tab",     "tab\tname" },
	{ "esc",     "esc\033]0;pwned\007\033[31mred\033[0m\033]52;c;aGk=\007" },
	{ "badutf8", "bad-\xff\xfe-\x9b-\xc3" },
	{ "c1utf8",  "c1-\xc2\x9b-end" },
	{ "bidi",    "bidi-\xe2\x80\xae-txt.exe" },
};

static void die(const char *what)
{
	fprintf(stderr, "mapper: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void on_term(int sig)
{
	(void)sig;
	_exit(0);
}

/* Start of the next free slot's mapping area (SLOT_GAP pages in). */
static void *slot(void)
{
	if (next_slot >= NSLOTS) {
		fprintf(stderr, "mapper: out of slots\n");
		exit(1);
	}
	return resv + ((size_t)next_slot++ * SLOT_PAGES + SLOT_GAP) * page;
}

static void say(const char *label, const void *addr, const char *class)
{
	printf("%s 0x%lx %s\n", label, (unsigned long)(uintptr_t)addr, class);
}

static void say_path(const char *label, const char *path)
{
	const unsigned char *p;

	printf("path %s ", label);
	for (p = (const unsigned char *)path; *p; p++)
		printf("%02x", *p);
	putchar('\n');
}

/* Create DIR/NAME holding @npages pages of text; return its path. */
static char *make_file(const char *name, size_t npages)
{
	char *path, *buf;
	size_t len = npages * page, i;
	int fd;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		die("asprintf");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		die("open data file");
	buf = malloc(len);
	if (!buf)
		die("malloc");
	for (i = 0; i < len; i++)
		buf[i] = (i % 64 == 63) ? '\n' : (char)('a' + i % 26);
	if (write(fd, buf, len) != (ssize_t)len)
		die("write data file");
	free(buf);
	close(fd);
	return path;
}

/* Map @npages of @path from page @pgoff read-only private into a slot. */
static void *map_file_at(const char *path, size_t npages, size_t pgoff)
{
	void *addr;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("open data file");
	addr = mmap(slot(), npages * page, PROT_READ, MAP_PRIVATE | MAP_FIXED,
		    fd, (off_t)(pgoff * page));
	if (addr == MAP_FAILED)
		die("mmap data file");
	close(fd);
	return addr;
}

static void *map_file(const char *path, size_t npages)
{
	return map_file_at(path, npages, 0);
}

static void *map_anon(void *at, size_t npages, int prot, int flags)
{
	void *addr;

	addr = mmap(at, npages * page, prot,
		    flags | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (addr == MAP_FAILED)
		die("mmap anonymous");
	return addr;
}

static void file_mappings(void)
{
	char *path;
	void *addr;
	size_t i;

	path = make_file("data.bin", 3);
	addr = map_file(path, 3);
	say("file", addr, "file");
	say_path("file", path);
	free(path);

	/* Pages 2-3 of a 4-page file: file offsets start at 0x2000. */
	path = make_file("offset.bin", 4);
	addr = map_file_at(path, 2, 2);
	say("fileoff", addr, "file");
	say_path("fileoff", path);
	free(path);

	path = make_file("deleted.bin", 2);
	addr = map_file(path, 2);
	if (unlink(path))
		die("unlink");
	say("deleted", addr, "file");
	say_path("deleted", path);
	free(path);

	for (i = 0; i < sizeof(weird) / sizeof(weird[0]); i++) {
		path = make_file(weird[i].name, 2);
		addr = map_file(path, 2);
		say(weird[i].label, addr, "file");
		say_path(weird[i].label, path);
		free(path);
	}
}

static void shared_mappings(void)
{
	void *addr;
	int fd, id;

	fd = memfd_create("vmamap-test", MFD_CLOEXEC);
	if (fd < 0)
		die("memfd_create");
	if (ftruncate(fd, (off_t)(2 * page)))
		die("ftruncate memfd");
	addr = mmap(slot(), 2 * page, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_FIXED, fd, 0);
	if (addr == MAP_FAILED)
		die("mmap memfd");
	close(fd);
	memset(addr, 'm', 2 * page);
	say("memfd", addr, "shared");

	addr = map_anon(slot(), 2, PROT_READ | PROT_WRITE, MAP_SHARED);
	memset(addr, 's', page);
	say("shanon", addr, "shared");

	id = shmget(IPC_PRIVATE, 2 * page, IPC_CREAT | 0600);
	if (id < 0) {
		printf("# sysv unsupported: shmget: %s\n", strerror(errno));
		return;
	}
	addr = shmat(id, slot(), SHM_REMAP);
	if (addr == (void *)-1)
		addr = shmat(id, NULL, 0);
	if (addr == (void *)-1) {
		printf("# sysv unsupported: shmat: %s\n", strerror(errno));
		shmctl(id, IPC_RMID, NULL);
		return;
	}
	shmctl(id, IPC_RMID, NULL);
	memset(addr, 'v', page);
	say("sysv", addr, "shared");
}

static void anon_mappings(void)
{
	char *addr, *base;

	/* rwx | guard | locked, back to back: three protections, three VMAs */
	base = slot();
	next_slot++;		/* this run takes two slots */
	addr = map_anon(base, 2, PROT_READ | PROT_WRITE | PROT_EXEC,
			MAP_PRIVATE);
	addr[0] = 1;
	say("rwx", addr, "anon");
	addr = map_anon(base + 2 * page, 2, PROT_NONE, MAP_PRIVATE);
	say("guard", addr, "guard");
	addr = map_anon(base + 4 * page, 2, PROT_READ | PROT_WRITE,
			MAP_PRIVATE);
	if (mlock(addr, 2 * page))
		printf("# mlock failed: %s\n", strerror(errno));
	addr[0] = 1;
	say("locked", addr, "anon");

	addr = map_anon(slot(), 2, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_GROWSDOWN);
	say("growsdown", addr, "stack");

	addr = map_anon(slot(), 2, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	if (prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)addr,
		  2 * page, (unsigned long)"vmamap test"))
		printf("# anon name unsupported: %s\n", strerror(errno));
	addr[0] = 1;
	say("named", addr, "anon");
}

/*
 * Threads: each publishes the address of a local and its TID, then blocks
 * forever in a system call (futex), so that its task/TID/syscall file
 * shows its stack pointer.
 */
#define NTHREADS 3
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static uintptr_t thread_addr[NTHREADS];
static long thread_tid[NTHREADS];
static int nstarted;

static void *thread_main(void *arg)
{
	volatile char local[64];
	long i = (long)arg;

	local[0] = 1;
	pthread_mutex_lock(&lock);
	thread_addr[i] = (uintptr_t)local;
	thread_tid[i] = syscall(SYS_gettid);
	nstarted++;
	pthread_cond_broadcast(&cond);
	for (;;)
		pthread_cond_wait(&cond, &lock);
	return NULL;
}

static void thread_mappings(void)
{
	pthread_t tid;
	char label[16];
	long i;
	int err;

	for (i = 0; i < NTHREADS; i++) {
		err = pthread_create(&tid, NULL, thread_main, (void *)i);
		if (err) {
			errno = err;
			die("pthread_create");
		}
	}
	pthread_mutex_lock(&lock);
	while (nstarted < NTHREADS)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	for (i = 0; i < NTHREADS; i++) {
		snprintf(label, sizeof(label), "thread%ld", i + 1);
		printf("%s 0x%lx stack %ld\n", label,
		       (unsigned long)thread_addr[i], thread_tid[i]);
	}
}

/* "map": a new file mapped where the kernel wants it. */
static void *map_new(void)
{
	char *path = make_file("new.bin", 2);
	void *addr;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die("open new.bin");
	addr = mmap(NULL, 2 * page, PROT_READ, MAP_PRIVATE, fd, 0);
	if (addr == MAP_FAILED)
		die("mmap new.bin");
	close(fd);
	free(path);
	say("new", addr, "file");
	return addr;
}

/* "comm HEX\n": the bytes of HEX as the process name. */
static void set_comm(const char *hex)
{
	char name[16] = "";
	unsigned int b;
	size_t n = 0;

	while (n < sizeof(name) - 1 && sscanf(hex + 2 * n, "%2x", &b) == 1)
		name[n++] = (char)b;
	if (prctl(PR_SET_NAME, name, 0, 0, 0))
		die("prctl PR_SET_NAME");
	printf("comm set\n");
}

/* A path built one component at a time, for the "mapped" lines. */
struct walk {
	char *path;
	size_t len, cap;
};

static void walk_push(struct walk *w, const char *name)
{
	size_t n = strlen(name);

	if (w->len + n + 2 > w->cap) {
		w->cap = (w->len + n + 2) * 2;
		w->path = realloc(w->path, w->cap);
		if (!w->path)
			die("realloc");
	}
	w->path[w->len++] = '/';
	memcpy(w->path + w->len, name, n + 1);
	w->len += n;
}

/* Map page 0 of the file @name in the directory @dirfd. */
static void map_at(int dirfd, const char *name, struct walk *w)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	void *addr;

	if (fd < 0)
		die("open file to map");
	addr = mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0);
	if (addr == MAP_FAILED)
		die("mmap file");
	close(fd);
	printf("mapped 0x%lx ", (unsigned long)(uintptr_t)addr);
	for (size_t i = 0; i < w->len; i++)
		printf("%02x", (unsigned char)w->path[i]);
	putchar('\n');
}

/* Every regular file below the directory @fd (closed here), by openat. */
static void map_tree(int fd, struct walk *w)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;

	if (!d)
		die("fdopendir");
	while ((de = readdir(d))) {
		size_t at = w->len;
		int sub;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		walk_push(w, de->d_name);
		if (de->d_type == DT_DIR) {
			sub = openat(fd, de->d_name, O_RDONLY | O_DIRECTORY |
				     O_CLOEXEC | O_NOFOLLOW);
			if (sub < 0)
				die("open directory");
			map_tree(sub, w);
		} else if (de->d_type == DT_REG) {
			map_at(fd, de->d_name, w);
		}
		w->len = at;
		w->path[at] = '\0';
	}
	closedir(d);
}

static void map_dir(const char *top)
{
	struct walk w = { NULL, 0, 0 };
	char *real = realpath(top, NULL);
	int fd = real ? open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;

	if (fd < 0)
		die(top);
	w.cap = strlen(real) + 1;
	w.path = real;
	w.len = w.cap - 1;
	map_tree(fd, &w);
	free(w.path);
	printf("mapdir done\n");
}

/* The commands read from standard input (see the top of this file). */
static void serve(void)
{
	char line[256];
	void *last = NULL;

	while (fgets(line, sizeof(line), stdin)) {
		if (!strcmp(line, "map\n") && !last) {
			last = map_new();
		} else if (!strncmp(line, "mapdir ", 7)) {
			line[strcspn(line, "\n")] = '\0';
			map_dir(line + 7);
		} else if (!strcmp(line, "unmap\n") && last) {
			if (munmap(last, 2 * page))
				die("munmap");
			printf("gone 0x%lx\n", (unsigned long)(uintptr_t)last);
			last = NULL;
		} else if (!strncmp(line, "comm ", 5)) {
			set_comm(line + 5);
		}
		if (fflush(stdout))
			die("stdout");
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	long ps;

	if (argc != 2) {
		fprintf(stderr, "usage: mapper DIR\n");
		return 2;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL))
		die("sigaction");
	signal(SIGPIPE, SIG_IGN);
	/* Yama ptrace_scope 1: let vmamap (not our parent) read task syscall */
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);

	ps = sysconf(_SC_PAGESIZE);
	page = ps > 0 ? (size_t)ps : 4096;

	if (mkdir(argv[1], 0700) && errno != EEXIST)
		die(argv[1]);
	dir = realpath(argv[1], NULL);
	if (!dir)
		die(argv[1]);

	/* One slot past the end keeps the last mapping's upper side guarded. */
	resv = mmap(NULL, (NSLOTS + 1) * SLOT_PAGES * page, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (resv == MAP_FAILED)
		die("mmap reservation");

	file_mappings();
	shared_mappings();
	anon_mappings();
	thread_mappings();

	printf("ready\n");
	if (fflush(stdout))
		die("stdout");

	serve();
	return 0;
}
