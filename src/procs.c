// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * procs.c - the process table (libproc2 for /proc; every libproc2 call of
 * vmamap lives in this file).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libproc2/pids.h>

#include "mm.h"
#include "procs.h"
#include "source.h"

struct matches {
	struct proc_match *m;
	size_t n, cap;
};

void procs_free(struct proc_match *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(m[i].cmdline);
	free(m);
}

const char *procs_lib_version(void)
{
	return PROC2_VERSION;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static int add_match(struct matches *ms, pid_t pid, const char *cmdline)
{
	if (ms->n == ms->cap) {
		size_t ncap = ms->cap ? ms->cap * 2 : 8;
		struct proc_match *nm = realloc(ms->m, ncap * sizeof(*nm));

		if (!nm)
			return -ENOMEM;
		ms->m = nm;
		ms->cap = ncap;
	}
	ms->m[ms->n].pid = pid;
	ms->m[ms->n].cmdline = strdup(cmdline);
	if (!ms->m[ms->n].cmdline)
		return -ENOMEM;
	ms->n++;
	return 0;
}

static bool name_matches(const char *name, const char *comm, const char *argv0)
{
	return (comm && !strcmp(comm, name)) ||
	       (argv0 && *argv0 && !strcmp(base_name(argv0), name));
}

/* libproc2 walk of the live /proc. */
static int find_live(const char *name, struct matches *ms)
{
	enum pids_item items[] = { PIDS_ID_PID, PIDS_CMD, PIDS_CMDLINE_V,
				   PIDS_CMDLINE };
	struct pids_info *info = NULL;
	struct pids_stack *st;
	int r = 0;

	if (procps_pids_new(&info, items, 4) < 0)
		return -errno ? -errno : -ENOMEM;
	while (!r && (st = procps_pids_get(info, PIDS_FETCH_TASKS_ONLY))) {
		pid_t pid = PIDS_VAL(0, s_int, st, info);
		char **argv = PIDS_VAL(2, strv, st, info);

		if (pid == getpid())
			continue;
		if (name_matches(name, PIDS_VAL(1, str, st, info),
				 argv ? argv[0] : NULL))
			r = add_match(ms, pid, PIDS_VAL(3, str, st, info));
	}
	procps_pids_unref(&info);
	return r;
}

/*
 * Read a small file of a captured process into @b, trailing newlines and
 * NULs dropped; the result is NUL-terminated (empty when unreadable).
 */
static int slurp(int dirfd, const char *file, struct buf *b)
{
	int fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC);
	int r = fd < 0 ? -errno : src_read_fd(fd, b);

	if (fd >= 0)
		close(fd);
	if (r == -ENOMEM)
		return r;
	if (r || !b->p) {
		if (!b->p && !(b->p = malloc(1)))
			return -ENOMEM;
		b->len = 0;
		b->p[0] = '\0';
		return 0;
	}
	while (b->len && (b->p[b->len - 1] == '\n' || !b->p[b->len - 1]))
		b->p[--b->len] = '\0';
	return 0;
}

static int scan_one(int rootfd, const char *dname, const char *name,
		    struct matches *ms)
{
	int fd = openat(rootfd, dname, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct buf comm = { 0 }, cmd = { 0 };
	int r;

	if (fd < 0)
		return 0;
	r = slurp(fd, "comm", &comm);
	if (!r)
		r = slurp(fd, "cmdline", &cmd);
	if (!r && name_matches(name, comm.p, cmd.p)) {
		for (size_t i = 0; i < cmd.len; i++)
			if (!cmd.p[i])
				cmd.p[i] = ' ';
		r = add_match(ms, (pid_t)atoi(dname), cmd.p);
	}
	buf_free(&comm);
	buf_free(&cmd);
	close(fd);
	return r;
}

/* Directory scan of a captured proc tree. */
static int find_captured(const char *root, const char *name,
			 struct matches *ms)
{
	DIR *d = opendir(root);
	struct dirent *de;
	int r = 0;

	if (!d)
		return -errno;
	while (!r && (de = readdir(d))) {
		if (strspn(de->d_name, "0123456789") != strlen(de->d_name))
			continue;
		r = scan_one(dirfd(d), de->d_name, name, ms);
	}
	closedir(d);
	return r;
}

/* Where a libproc2 item goes in struct mm_kernel. */
enum mm_slot { SLOT_COUNTER, SLOT_LAYOUT, SLOT_ROLLUP };

/* libproc2 items and the mm value each one fills (kB for sizes). */
static const struct {
	enum pids_item item;
	enum mm_slot slot;
	unsigned int index;
} mm_items[] = {
	{ PIDS_VM_SIZE, SLOT_COUNTER, MM_TOTAL_VM },
	{ PIDS_VM_DATA, SLOT_COUNTER, MM_DATA_VM },
	{ PIDS_VM_EXE, SLOT_COUNTER, MM_VM_EXE },
	{ PIDS_VM_LIB, SLOT_COUNTER, MM_VM_LIB },
	{ PIDS_VM_STACK, SLOT_COUNTER, MM_STACK_VM },
	{ PIDS_VM_RSS_LOCKED, SLOT_COUNTER, MM_LOCKED_VM },
	{ PIDS_VM_RSS, SLOT_COUNTER, MM_RSS },
	{ PIDS_VM_RSS_ANON, SLOT_COUNTER, MM_RSS_ANON },
	{ PIDS_VM_RSS_FILE, SLOT_COUNTER, MM_RSS_FILE },
	{ PIDS_VM_RSS_SHARED, SLOT_COUNTER, MM_RSS_SHMEM },
	{ PIDS_VM_SWAP, SLOT_COUNTER, MM_SWAP },
	{ PIDS_ADDR_CODE_START, SLOT_LAYOUT, ML_START_CODE },
	{ PIDS_ADDR_CODE_END, SLOT_LAYOUT, ML_END_CODE },
	{ PIDS_ADDR_STACK_START, SLOT_LAYOUT, ML_START_STACK },
	{ PIDS_SMAP_RSS, SLOT_ROLLUP, MR_RSS },
	{ PIDS_SMAP_PSS, SLOT_ROLLUP, MR_PSS },
	{ PIDS_SMAP_SWAP, SLOT_ROLLUP, MR_SWAP },
};
enum { N_MM_ITEMS = sizeof(mm_items) / sizeof(mm_items[0]) };

static void mm_store(struct mm_kernel *k, unsigned int i, unsigned long v)
{
	unsigned int x = mm_items[i].index;

	switch (mm_items[i].slot) {
	case SLOT_COUNTER:
		mm_set(k, x, (uint64_t)v * 1024, "libproc2");
		break;
	case SLOT_LAYOUT:
		k->layout[x] = v;
		k->layout_have |= 1u << x;
		break;
	case SLOT_ROLLUP:
		k->rollup[x] = (uint64_t)v * 1024;
		break;
	}
}

int procs_mm_live(pid_t pid, struct mm_kernel *k)
{
	enum pids_item items[N_MM_ITEMS];
	struct pids_info *info = NULL;
	struct pids_fetch *f;
	unsigned int want = (unsigned int)pid;
	int r = 0;

	for (int i = 0; i < N_MM_ITEMS; i++)
		items[i] = mm_items[i].item;
	if (procps_pids_new(&info, items, N_MM_ITEMS) < 0)
		return -ENOMEM;
	f = procps_pids_select(info, &want, 1, PIDS_SELECT_PID);
	if (!f || f->counts->total != 1) {
		r = -ESRCH;
	} else {
		for (unsigned int i = 0; i < N_MM_ITEMS; i++)
			mm_store(k, i, f->stacks[0]->head[i].result.ul_int);
		k->has_rollup = true;
		mm_set(k, MM_EXEC_VM, k->val[MM_VM_EXE] + k->val[MM_VM_LIB],
		       "libproc2");
	}
	procps_pids_unref(&info);
	return r;
}

int procs_find_by_name(const char *root, const char *name,
		       struct proc_match **out, struct err *e)
{
	struct matches ms = { 0 };
	int r;

	if (!strcmp(root, "/proc"))
		r = find_live(name, &ms);
	else
		r = find_captured(root, name, &ms);
	if (r) {
		procs_free(ms.m, ms.n);
		return err_set(e, r, "%s: cannot list processes: %s", root,
			       strerror(-r));
	}
	*out = ms.m;
	return (int)ms.n;
}
