// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * procs.c - the process table (libproc2 for /proc; every libproc2 call of
 * vmamap lives in this file).
 *
 * libproc2 is opened with dlopen() on its first use, not linked: it
 * brings in libsystemd and its compression and crypto libraries, nine
 * shared objects in all, ~1.3 ms of every start, and most runs (a table,
 * JSON, a diff of one process or file) never call it.
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

#include <dlfcn.h>
#include <pthread.h>

#include <libproc2/pids.h>

#include "array.h"
#include "mm.h"
#include "procs.h"
#include "source.h"

/* The libproc2 functions vmamap calls, typed by the library's header. */
struct proc2 {
	__typeof__(procps_pids_new) *pids_new;
	__typeof__(procps_pids_get) *pids_get;
	__typeof__(procps_pids_select) *pids_select;
	__typeof__(procps_pids_unref) *pids_unref;
};

static struct proc2 proc2_fn;
static pthread_once_t proc2_once = PTHREAD_ONCE_INIT;

/* Open the library once (never closed); every pointer or none is set. */
static void proc2_open(void)
{
	void *h = dlopen(PROC2_SONAME, RTLD_NOW | RTLD_LOCAL);
	struct proc2 f;

	if (!h)
		return;
	f.pids_new = (__typeof__(f.pids_new))dlsym(h, "procps_pids_new");
	f.pids_get = (__typeof__(f.pids_get))dlsym(h, "procps_pids_get");
	f.pids_select =
		(__typeof__(f.pids_select))dlsym(h, "procps_pids_select");
	f.pids_unref = (__typeof__(f.pids_unref))dlsym(h, "procps_pids_unref");
	if (f.pids_new && f.pids_get && f.pids_select && f.pids_unref)
		proc2_fn = f;
}

/*
 * libproc2's functions, opened on the first call (from any thread), or
 * NULL when the library cannot be opened: -ELIBACC for the caller.
 */
static const struct proc2 *proc2(void)
{
	pthread_once(&proc2_once, proc2_open);
	return proc2_fn.pids_new ? &proc2_fn : NULL;
}

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
	if (array_grow(&ms->m, ms->n, &ms->cap, sizeof(*ms->m)))
		return -ENOMEM;
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
	const struct proc2 *lib = proc2();
	struct pids_info *info = NULL;
	struct pids_stack *st;
	int r = 0;

	if (!lib)
		return -ELIBACC;
	if (lib->pids_new(&info, items, 4) < 0)
		return -errno ? -errno : -ENOMEM;
	while (!r && (st = lib->pids_get(info, PIDS_FETCH_TASKS_ONLY))) {
		pid_t pid = PIDS_VAL(0, s_int, st, info);
		char **argv = PIDS_VAL(2, strv, st, info);

		if (pid == getpid())
			continue;
		if (name_matches(name, PIDS_VAL(1, str, st, info),
				 argv ? argv[0] : NULL))
			r = add_match(ms, pid, PIDS_VAL(3, str, st, info));
	}
	lib->pids_unref(&info);
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

struct name_scan {
	const char *name;
	struct matches *ms;
};

static int scan_one(int fd, const char *dname, void *arg)
{
	struct name_scan *ns = arg;
	struct buf comm = { 0 }, cmd = { 0 };
	int r = slurp(fd, "comm", &comm);

	if (!r)
		r = slurp(fd, "cmdline", &cmd);
	if (!r && name_matches(ns->name, comm.p, cmd.p)) {
		for (size_t i = 0; i < cmd.len; i++)
			if (!cmd.p[i])
				cmd.p[i] = ' ';
		r = add_match(ns->ms, (pid_t)atoi(dname), cmd.p);
	}
	buf_free(&comm);
	buf_free(&cmd);
	return r;
}

/*
 * Directory scan of a captured proc tree: @fn for the directory (@fd,
 * closed after) of each process, until it returns non-zero.
 */
static int each_captured(const char *root,
			 int (*fn)(int fd, const char *dname, void *arg),
			 void *arg)
{
	DIR *d = opendir(root);
	struct dirent *de;
	int r = 0;

	if (!d)
		return -errno;
	while (!r && (de = readdir(d))) {
		int fd;

		if (strspn(de->d_name, "0123456789") != strlen(de->d_name))
			continue;
		fd = openat(dirfd(d), de->d_name,
			    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		r = fn(fd, de->d_name, arg);
		close(fd);
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
	const struct proc2 *lib = proc2();
	struct pids_info *info = NULL;
	struct pids_fetch *f;
	unsigned int want = (unsigned int)pid;
	int r = 0;

	for (int i = 0; i < N_MM_ITEMS; i++)
		items[i] = mm_items[i].item;
	if (!lib)
		return -ELIBACC;
	if (lib->pids_new(&info, items, N_MM_ITEMS) < 0)
		return -ENOMEM;
	f = lib->pids_select(info, &want, 1, PIDS_SELECT_PID);
	if (!f || f->counts->total != 1) {
		r = -ESRCH;
	} else {
		for (unsigned int i = 0; i < N_MM_ITEMS; i++)
			mm_store(k, i, f->stacks[0]->head[i].result.ul_int);
		k->has_rollup = true;
		mm_set(k, MM_EXEC_VM, k->val[MM_VM_EXE] + k->val[MM_VM_LIB],
		       "libproc2");
	}
	lib->pids_unref(&info);
	return r;
}

/* The message of a process listing of @root that failed with @r. */
static int list_failed(const char *root, int r, struct err *e)
{
	if (r == -ELIBACC)
		return err_set(e, r, "%s: cannot list processes: cannot "
			       "open %s", root, PROC2_SONAME);
	return err_set(e, r, "%s: cannot list processes: %s", root,
		       strerror(-r));
}

int procs_find_by_name(const char *root, const char *name,
		       struct proc_match **out, struct err *e)
{
	struct matches ms = { 0 };
	int r;

	if (!strcmp(root, "/proc"))
		r = find_live(name, &ms);
	else
		r = each_captured(root, scan_one,
				  &(struct name_scan){ name, &ms });
	if (r) {
		procs_free(ms.m, ms.n);
		return list_failed(root, r, e);
	}
	*out = ms.m;
	return (int)ms.n;
}

/* ---------------------------------------------------------------- list */

struct plist {
	struct proc_info *v;
	size_t n, cap;
};

void procs_list_free(struct proc_info *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(p[i].user);
	free(p);
}

/* A zeroed entry for @pid at the end of @l, or NULL. */
static struct proc_info *plist_add(struct plist *l, pid_t pid)
{
	struct proc_info *p;

	if (array_grow(&l->v, l->n, &l->cap, sizeof(*l->v)))
		return NULL;
	p = &l->v[l->n++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	return p;
}

enum { PF_KTHREAD = 0x00200000 };	/* include/linux/sched.h */

static int add_live(struct plist *l, struct pids_stack *st,
		    struct pids_info *info)
{
	struct proc_info *p = plist_add(l, PIDS_VAL(0, s_int, st, info));
	const char *user = PIDS_VAL(2, str, st, info);

	(void)info;	/* PIDS_VAL() names it, today without using it */
	if (!p)
		return -ENOMEM;
	p->uid = PIDS_VAL(1, u_int, st, info);
	p->has_uid = true;
	p->no_mm = (PIDS_VAL(3, ul_int, st, info) & PF_KTHREAD) ||
		   PIDS_VAL(4, s_ch, st, info) == 'Z';
	p->user = user && *user ? strdup(user) : NULL;
	return p->user || !user || !*user ? 0 : -ENOMEM;
}

/* libproc2 walk of the live /proc. */
static int list_live(struct plist *l)
{
	enum pids_item items[] = { PIDS_ID_PID, PIDS_ID_EUID, PIDS_ID_EUSER,
				   PIDS_FLAGS, PIDS_STATE };
	const struct proc2 *lib = proc2();
	struct pids_info *info = NULL;
	struct pids_stack *st;
	int r = 0;

	if (!lib)
		return -ELIBACC;
	if (lib->pids_new(&info, items, 5) < 0)
		return -errno ? -errno : -ENOMEM;
	while (!r && (st = lib->pids_get(info, PIDS_FETCH_TASKS_ONLY)))
		r = add_live(l, st, info);
	lib->pids_unref(&info);
	return r;
}

/* "Uid:\tREAL\tEFFECTIVE..." of a status text: the effective UID. */
static bool status_euid(const char *st, uint32_t *uid)
{
	const char *p = strstr(st, "\nUid:");
	char *real, *end;
	unsigned long v;

	if (!p)
		return false;
	strtoul(p + 5, &real, 10);
	v = strtoul(real, &end, 10);
	if (real == p + 5 || end == real || v > UINT32_MAX)
		return false;
	*uid = (uint32_t)v;
	return true;
}

/*
 * A process of a captured tree.  Without a status file it is taken to
 * have an address space; with one, a zombie, a kernel thread and a
 * status without VmSize have none.
 */
static int add_captured(int fd, const char *dname, void *arg)
{
	struct proc_info *p = plist_add(arg, (pid_t)atoi(dname));
	struct buf st = { 0 };
	int r = p ? slurp(fd, "status", &st) : -ENOMEM;

	if (!r) {
		p->has_uid = status_euid(st.p, &p->uid);
		p->no_mm = st.len && (!strstr(st.p, "\nVmSize:") ||
				      strstr(st.p, "\nState:\tZ") ||
				      strstr(st.p, "\nKthread:\t1"));
	}
	buf_free(&st);
	return r;
}

static int pid_cmp(const void *a, const void *b)
{
	const struct proc_info *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

int procs_list(const char *root, struct proc_info **out, struct err *e)
{
	struct plist l = { 0 };
	int r;

	if (!strcmp(root, "/proc"))
		r = list_live(&l);
	else
		r = each_captured(root, add_captured, &l);
	if (r) {
		procs_list_free(l.v, l.n);
		return list_failed(root, r, e);
	}
	qsort(l.v, l.n, sizeof(*l.v), pid_cmp);
	*out = l.v;
	return (int)l.n;
}
