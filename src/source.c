// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * source.c - read raw bytes from a proc tree or a file.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <unistd.h>

#include "source.h"
#include "vmaset.h"

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static int buf_reserve(struct buf *b, size_t room)
{
	size_t ncap = b->cap ? b->cap : 1 << 16;
	char *np;

	if (b->cap - b->len >= room)
		return 0;
	while (ncap - b->len < room)
		ncap *= 2;
	np = realloc(b->p, ncap);
	if (!np)
		return -ENOMEM;
	b->p = np;
	b->cap = ncap;
	return 0;
}

int src_read_fd(int fd, struct buf *b)
{
	b->len = 0;
	for (;;) {
		ssize_t n;

		if (buf_reserve(b, 1 << 16))
			return -ENOMEM;
		n = read(fd, b->p + b->len, b->cap - b->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		b->len += (size_t)n;
	}
	b->p[b->len] = '\0';
	return 0;
}

static bool is_procfs(const char *root)
{
	struct statfs st;

	return statfs(root, &st) == 0 && st.f_type == PROC_SUPER_MAGIC;
}

/* A proc where not even PID 1 is there hides other users' processes. */
static bool hides_pids(const char *root)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/1", root);
	return is_procfs(root) && access(path, F_OK) && errno == ENOENT;
}

int src_proc_open(const char *root, pid_t pid, struct err *e)
{
	char path[4096];
	int fd, r;

	snprintf(path, sizeof(path), "%s/%d", root, (int)pid);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	r = -errno;
	if (r == -ENOENT && hides_pids(root))
		return err_set(e, r, "pid %d: no such process, or hidden from "
			       "this user (%s is mounted with hidepid=2)",
			       (int)pid, root);
	if (r == -ENOENT)
		return err_set(e, r, "pid %d: no such process (%s)", (int)pid,
			       path);
	if ((r == -EACCES || r == -EPERM) && is_procfs(root))
		return err_set(e, -EACCES, "pid %d: permission denied opening "
			       "%s (%s is mounted with hidepid=1: only your "
			       "own processes can be read)", (int)pid, path,
			       root);
	return err_set(e, r, "pid %d: %s: %s", (int)pid, path, strerror(-r));
}

static int proc_error(struct err *e, int r, const char *root, pid_t pid,
		      const char *name)
{
	switch (-r) {
	case EACCES:
	case EPERM:
		return err_set(e, -EACCES, "pid %d: permission denied reading "
			       "%s/%d/%s (needs ptrace access: same user, or "
			       "root/CAP_SYS_PTRACE)", (int)pid, root,
			       (int)pid, name);
	case ENOENT:
	case ESRCH:
		return err_set(e, -ESRCH, "pid %d: process exited while "
			       "being read (%s/%d/%s)", (int)pid, root,
			       (int)pid, name);
	default:
		return err_set(e, r, "pid %d: %s/%d/%s: %s", (int)pid, root,
			       (int)pid, name, strerror(-r));
	}
}

int src_proc_read(int dirfd, const char *root, pid_t pid, const char *name,
		  struct buf *b, struct err *e)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return proc_error(e, -errno, root, pid, name);
	r = src_read_fd(fd, b);
	close(fd);
	return r ? proc_error(e, r, root, pid, name) : 0;
}

enum { READER_CHUNK = 1 << 18 };

static int reader_init(struct src_reader *r, int fd, bool own,
		       const char *label)
{
	struct stat st;

	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->own_fd = own;
	r->label = label;
	r->may_readahead = !fstat(fd, &st) && S_ISREG(st.st_mode);
	return buf_reserve(&r->b, READER_CHUNK);
}

int src_reader_file(struct src_reader *r, const char *path, struct err *e)
{
	bool std = !strcmp(path, "-");
	int fd = std ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err_set(e, -errno, "%s: %s", path, strerror(errno));
	if (reader_init(r, fd, !std, std ? "standard input" : path)) {
		src_reader_close(r);
		return err_set(e, -ENOMEM, "%s: out of memory", path);
	}
	return 0;
}

int src_reader_proc(struct src_reader *r, int dirfd, const char *root,
		    pid_t pid, const char *name, struct err *e)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return proc_error(e, -errno, root, pid, name);
	if (reader_init(r, fd, true, name)) {
		src_reader_close(r);
		return err_set(e, -ENOMEM, "pid %d: out of memory", (int)pid);
	}
	r->root = root;
	r->pid = pid;
	return 0;
}

/*
 * Read-ahead.  The thread fills slots in turn (a slot is full when it has
 * no room left, or at end of file or an error) and the reader empties them
 * in the same order; head - tail slots are full.  Only the thread reads the
 * file once it runs.  Slots hold 64 KiB: sixteen of the kernel's one-page
 * reads of a /proc file for each hand-over.
 */
enum { RA_SLOTS = 4, RA_SLOT = 1 << 16, RA_AFTER = 1 << 15 };

struct src_readahead {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;	/* a slot was filled or emptied, or stop */
	int fd;
	unsigned int head, tail;
	size_t len[RA_SLOTS];
	int err;		/* -errno of the read that failed, or 0 */
	bool done, stop;	/* done: end of file or error reached */
	char slot[RA_SLOTS][RA_SLOT];
};

/*
 * Fill @p with up to RA_SLOT bytes; stops early only at end of file (*@err
 * set to 1) or an error (*@err set to its -errno).
 */
static size_t ra_fill(int fd, char *p, int *err)
{
	size_t len = 0;

	while (len < RA_SLOT) {
		ssize_t n = read(fd, p + len, RA_SLOT - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*err = n < 0 ? -errno : 1;	/* 1: end of file */
			break;
		}
		len += (size_t)n;
	}
	return len;
}

/* Wait for a free slot; false when told to stop. */
static bool ra_wait_free(struct src_readahead *ra)
{
	bool go;

	pthread_mutex_lock(&ra->lock);
	while (!ra->stop && ra->head - ra->tail == RA_SLOTS)
		pthread_cond_wait(&ra->cond, &ra->lock);
	go = !ra->stop;
	pthread_mutex_unlock(&ra->lock);
	return go;
}

static void *ra_main(void *arg)
{
	struct src_readahead *ra = arg;
	bool done = false;

	while (!done && ra_wait_free(ra)) {
		int end = 0;
		size_t len = ra_fill(ra->fd, ra->slot[ra->head % RA_SLOTS], &end);

		pthread_mutex_lock(&ra->lock);
		ra->len[ra->head % RA_SLOTS] = len;
		if (len)
			ra->head++;
		done = end != 0;
		ra->done = done;
		ra->err = end < 0 ? end : 0;
		pthread_cond_broadcast(&ra->cond);
		pthread_mutex_unlock(&ra->lock);
	}
	return NULL;
}

/* Start reading ahead; on any failure the reader simply goes on alone. */
static void ra_start(struct src_reader *r)
{
	struct src_readahead *ra = calloc(1, sizeof(*ra));
	sigset_t all, old;

	r->may_readahead = false;
	if (!ra)
		return;
	ra->fd = r->fd;
	pthread_mutex_init(&ra->lock, NULL);
	pthread_cond_init(&ra->cond, NULL);
	/* Signals go to the caller's thread (the live map's handlers). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (pthread_create(&ra->thread, NULL, ra_main, ra) == 0)
		r->ra = ra;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!r->ra) {
		pthread_mutex_destroy(&ra->lock);
		pthread_cond_destroy(&ra->cond);
		free(ra);
	}
}

static void ra_stop(struct src_readahead *ra)
{
	pthread_mutex_lock(&ra->lock);
	ra->stop = true;
	pthread_cond_broadcast(&ra->cond);
	pthread_mutex_unlock(&ra->lock);
	pthread_join(ra->thread, NULL);
	pthread_mutex_destroy(&ra->lock);
	pthread_cond_destroy(&ra->cond);
	free(ra);
}

/*
 * Move the next full slot to the end of @b.  Returns its length, 0 at end
 * of file, -ENOMEM, or the read's -errno.
 */
static long ra_take(struct src_readahead *ra, struct buf *b)
{
	size_t len;
	int err;

	pthread_mutex_lock(&ra->lock);
	while (ra->head == ra->tail && !ra->done)
		pthread_cond_wait(&ra->cond, &ra->lock);
	len = ra->head == ra->tail ? 0 : ra->len[ra->tail % RA_SLOTS];
	err = ra->err;
	pthread_mutex_unlock(&ra->lock);
	if (!len)
		return err;
	if (buf_reserve(b, len + 1))
		return -ENOMEM;
	memcpy(b->p + b->len, ra->slot[ra->tail % RA_SLOTS], len);
	pthread_mutex_lock(&ra->lock);
	ra->tail++;
	pthread_cond_broadcast(&ra->cond);
	pthread_mutex_unlock(&ra->lock);
	return (long)len;
}

/* One read() of the file by the caller itself. */
static long read_direct(struct src_reader *r)
{
	ssize_t n;

	if (buf_reserve(&r->b, READER_CHUNK / 2))
		return -ENOMEM;
	do
		n = read(r->fd, r->b.p + r->b.len, r->b.cap - r->b.len - 1);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : (long)n;
}

long src_reader_more(struct src_reader *r, size_t consumed, struct err *e)
{
	long n;

	if (consumed) {
		memmove(r->b.p, r->b.p + consumed, r->b.len - consumed);
		r->b.len -= consumed;
	}
	if (r->may_readahead && r->got >= RA_AFTER)
		ra_start(r);
	n = r->ra ? ra_take(r->ra, &r->b) : read_direct(r);
	if (n == -ENOMEM)
		return err_set(e, -ENOMEM, "%s: out of memory", r->label);
	if (n < 0 && r->pid)
		return proc_error(e, (int)n, r->root, r->pid, r->label);
	if (n < 0)
		return err_set(e, (int)n, "%s: %s", r->label, strerror((int)-n));
	r->b.len += (size_t)n;
	r->b.p[r->b.len] = '\0';
	r->got += (size_t)n;
	return n;
}

void src_reader_close(struct src_reader *r)
{
	if (r->ra)
		ra_stop(r->ra);
	r->ra = NULL;
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	buf_free(&r->b);
}

/* include/uapi/linux/fs.h (6.11), not in older installed headers. */
struct vmamap_procmap_query {
	uint64_t size, query_flags, query_addr;
	uint64_t vma_start, vma_end, vma_flags, vma_page_size, vma_offset;
	uint64_t inode;
	uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
	uint64_t vma_name_addr, build_id_addr;
};

enum { PROCMAP_COVERING_OR_NEXT_VMA = 0x10 };

static const unsigned long procmap_query_cmd =
	_IOWR('f', 17, struct vmamap_procmap_query);

/* One PROCMAP_QUERY call; 0 or -errno (-ENOENT: no region at or above). */
static int procmap_query(int fd, uint64_t addr, uint64_t flags,
			 struct vmamap_procmap_query *q, char *name,
			 size_t cap)
{
	memset(q, 0, sizeof(*q));
	q->size = sizeof(*q);
	q->query_flags = flags;
	q->query_addr = addr;
	q->vma_name_addr = (uint64_t)(uintptr_t)name;
	q->vma_name_size = (uint32_t)cap;
	return ioctl(fd, procmap_query_cmd, q) < 0 ? -errno : 0;
}

long src_proc_map_count(int dirfd)
{
	struct vmamap_procmap_query q;
	int fd = openat(dirfd, "maps", O_RDONLY | O_CLOEXEC);
	long n = 0;
	int r;

	if (fd < 0)
		return -errno;
	for (uint64_t addr = 0;
	     !(r = procmap_query(fd, addr, PROCMAP_COVERING_OR_NEXT_VMA, &q,
				 NULL, 0)); n++)
		addr = q.vma_end;
	close(fd);
	return r == -ENOENT ? n : r;
}

long src_proc_vma_name(int dirfd, uint64_t start, struct src_vma *v,
		       char *name, size_t cap)
{
	struct vmamap_procmap_query q;
	int fd = openat(dirfd, "maps", O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -errno;
	/* The kernel fills the name; zeroed first so that tools that do
	 * not know this ioctl (valgrind) do not call it uninitialised. */
	memset(name, 0, cap);
	r = procmap_query(fd, start, 0, &q, name, cap);
	close(fd);
	if (r)
		return r;
	v->start = q.vma_start;
	v->end = q.vma_end;
	v->inode = q.inode;
	v->major = q.dev_major;
	v->minor = q.dev_minor;
	return q.vma_name_size ? (long)q.vma_name_size - 1 : 0;
}

int src_reader_mapped(struct src_reader *r)
{
	ssize_t n;
	char c;

	if (lseek(r->fd, 0, SEEK_SET) < 0)
		return errno == ESPIPE ? 1 : -errno;
	do
		n = read(r->fd, &c, 1);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n == 1;
}

/* "0x" and 1 to 16 hex digits, exactly @len bytes. */
static bool parse_hex_field(const char *p, size_t len, uint64_t *v)
{
	uint64_t x = 0;

	if (len < 3 || len > 18 || p[0] != '0' || p[1] != 'x')
		return false;
	for (size_t i = 2; i < len; i++) {
		char c = p[i];

		if (c >= '0' && c <= '9')
			x = x << 4 | (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			x = x << 4 | (uint64_t)(c - 'a' + 10);
		else
			return false;
	}
	*v = x;
	return true;
}

/*
 * A syscall file: "NR ARG1..ARG6 SP PC", "-1 SP PC" or "running".  The
 * stack pointer is the second-to-last field; fewer than 3 fields: none.
 */
static bool parse_syscall_sp(const char *p, uint64_t *sp)
{
	const char *prev = NULL, *last = NULL;
	size_t prev_len = 0, last_len = 0, n = 0;

	for (;;) {
		p += strspn(p, " \t\n");
		if (!*p)
			break;
		prev = last;
		prev_len = last_len;
		last = p;
		last_len = strcspn(p, " \t\n");
		p += last_len;
		n++;
	}
	return n >= 3 && parse_hex_field(prev, prev_len, sp);
}

struct sp_list {
	struct vma_thread_sp *v;
	size_t n, cap;
};

static int sp_push(struct sp_list *l, uint32_t tid, uint64_t sp)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		struct vma_thread_sp *nv = realloc(l->v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		l->v = nv;
		l->cap = ncap;
	}
	l->v[l->n].tid = tid;
	l->v[l->n].sp = sp;
	l->n++;
	return 0;
}

/* Add the thread of task directory entry @name, if its SP can be read. */
static int add_thread(struct sp_list *l, int taskfd, const char *name,
		      struct buf *b)
{
	size_t len = strlen(name);
	unsigned long tid;
	char path[32];
	uint64_t sp;
	int fd, r;

	if (!len || len > 10 || strspn(name, "0123456789") != len)
		return 0;
	tid = strtoul(name, NULL, 10);
	if (!tid || tid > UINT32_MAX)
		return 0;
	snprintf(path, sizeof(path), "%s/syscall", name);
	fd = openat(taskfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	r = src_read_fd(fd, b);
	close(fd);
	if (r)
		return r == -ENOMEM ? r : 0;
	return parse_syscall_sp(b->p, &sp) ? sp_push(l, (uint32_t)tid, sp) : 0;
}

static int sp_cmp(const void *a, const void *b)
{
	const struct vma_thread_sp *x = a, *y = b;

	return cmp_u64(x->tid, y->tid);
}

int src_proc_stack_pointers(int dirfd, struct vma_thread_sp **out)
{
	int fd = openat(dirfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct sp_list l = { 0 };
	struct buf b = { 0 };
	struct dirent *de;
	DIR *d;
	int r = 0;

	*out = NULL;
	if (fd < 0)
		return 0;
	d = fdopendir(fd);
	if (!d) {
		r = errno == ENOMEM ? -ENOMEM : 0;
		close(fd);
		return r;
	}
	while (!r && (de = readdir(d)))
		r = add_thread(&l, fd, de->d_name, &b);	/* fd is d's */
	closedir(d);
	buf_free(&b);
	if (r) {
		free(l.v);
		return r;
	}
	qsort(l.v, l.n, sizeof(*l.v), sp_cmp);
	*out = l.v;
	return (int)l.n;
}

/* ------------------------------------------------------------- memo */

static int buf_append(struct buf *b, const char *p, size_t len)
{
	if (!len)
		return 0;
	if (buf_reserve(b, len))
		return -ENOMEM;
	memcpy(b->p + b->len, p, len);
	b->len += len;
	return 0;
}

void src_memo_begin(struct src_memo *m, const char *name)
{
	char want[sizeof(m->name)];

	snprintf(want, sizeof(want), "%s", name);
	if (strcmp(m->name, want)) {
		m->valid = false;
		memcpy(m->name, want, sizeof(want));
	}
	m->at = 0;
	m->cur.len = 0;
	m->differs = !m->valid;
}

/* Whether all @len bytes at @p are the last read's next ones. */
static bool memo_matches(const struct src_memo *m, const char *p, size_t len)
{
	return m->prev.len - m->at >= len &&
	       !memcmp(m->prev.p + m->at, p, len);
}

int src_memo_take(struct src_memo *m, const char *p, size_t len)
{
	int r;

	if (!m->differs && memo_matches(m, p, len)) {
		m->at += len;
		return 0;
	}
	if (!m->differs && (r = src_memo_diverge(m)))
		return r;
	return buf_append(&m->cur, p, len);
}

bool src_memo_same(const struct src_memo *m)
{
	return m->valid && !m->differs && m->at == m->prev.len;
}

int src_memo_diverge(struct src_memo *m)
{
	if (m->differs)
		return 0;
	m->differs = true;
	m->cur.len = 0;
	return buf_append(&m->cur, m->prev.p, m->at);
}

void src_memo_keep(struct src_memo *m, size_t regions)
{
	struct buf t;

	if (m->differs) {
		t = m->prev;
		m->prev = m->cur;
		m->cur = t;
		m->cur.len = 0;
	}
	m->regions = regions;
	m->valid = true;
}

void src_memo_free(struct src_memo *m)
{
	buf_free(&m->prev);
	buf_free(&m->cur);
	memset(m, 0, sizeof(*m));
}
