// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysview.c - the system-wide views (see sysview.h).
 */
#include "config.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "array.h"
#include "procs.h"
#include "source.h"
#include "sysview.h"

void sysv_init(struct sysv *v)
{
	memset(v, 0, sizeof(*v));
}

void sysv_free(struct sysv *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->rows[i].user);
		free(v->rows[i].comm);
		free(v->rows[i].cmdline);
		free(v->rows[i].path);
	}
	for (size_t i = 0; i < v->nfails; i++)
		free(v->fails[i].comm);
	free(v->rows);
	free(v->fails);
	sysv_init(v);
}

int sysv_parse_sort(const char *key, bool classes, int *out, struct err *e)
{
	static const char *const names[SK_CLASS] = {
		"pid", "comm", "regions", "size", "rss", "pss", "swap",
	};
	int c = classes ? vma_class_from_name(key, strlen(key)) : -1;

	for (int i = 0; i < SK_CLASS; i++)
		if (!strcmp(key, names[i])) {
			*out = i;
			return 0;
		}
	if (c >= 0) {
		*out = SK_CLASS + c;
		return 0;
	}
	return err_set(e, -EINVAL, "unknown sort key '%.40s' (pid, comm, "
		       "regions, size, rss, pss, swap%s)", key,
		       classes ? " or a class name" : "");
}

const char *sysv_reason(int code)
{
	switch (-code) {
	case EACCES:
	case EPERM:
		return "permission denied";
	case EBADMSG:
		return "malformed";
	default:
		return strerror(-code);
	}
}

/* A copy of @len bytes at @p (NUL-terminated), or NULL. */
static char *dup_bytes(const char *p, size_t len)
{
	char *d = malloc(len + 1);

	if (d) {
		memcpy(d, p, len);
		d[len] = '\0';
	}
	return d;
}

/* A copy of the pool string at @off; "" when there is none. */
static char *dup_pool(const struct vmaset *s, uint32_t off)
{
	return off ? dup_bytes(vset_str(s, off), vset_strlen(s, off))
		   : dup_bytes("", 0);
}

/* A zeroed row at the end of @v, or NULL. */
static struct sysv_row *new_row(struct sysv *v)
{
	if (array_grow(&v->rows, v->n, &v->cap, sizeof(*v->rows)))
		return NULL;
	memset(&v->rows[v->n], 0, sizeof(*v->rows));
	return &v->rows[v->n++];
}

/* Who @r is: PID, command and, from the table entry @p, the user. */
static int fill_ident(struct sysv_row *r, const struct vmaset *s,
		      const struct proc_info *p)
{
	const struct vset_source *src = &s->src;

	r->pid = src->kind == VS_PID ? src->pid : 0;
	r->comm = dup_pool(s, src->kind == VS_PID ? src->comm : src->file);
	r->cmdline = dup_pool(s, src->cmdline);
	if (p) {
		r->uid = p->uid;
		r->has_uid = p->has_uid;
		if (p->user && !(r->user = strdup(p->user)))
			return -ENOMEM;
	}
	return r->comm && r->cmdline ? 0 : -ENOMEM;
}

/* Totals of the process: its smaps, else the rollup @k. */
static void fill_mem(struct sysv_row *r, const struct mm_kernel *k)
{
	if (r->a.smaps) {
		r->rss = r->a.total.rss;
		r->pss = r->a.total.pss;
		r->swap = r->a.total.swap;
		r->has_mem = true;
	} else if (k && k->has_rollup) {
		r->rss = k->rollup[MR_RSS];
		r->pss = k->rollup[MR_PSS];
		r->swap = k->rollup[MR_SWAP];
		r->has_mem = true;
	}
}

static int add_proc(struct sysv *v, const struct vmaset *s,
		    const struct mm_kernel *k, const struct proc_info *p)
{
	struct sysv_row *r = new_row(v);

	if (!r)
		return -ENOMEM;
	acct_sum_all(s, &r->a);
	fill_mem(r, s->src.smaps ? NULL : k);
	v->nprocs++;
	return fill_ident(r, s, p);
}

static bool same_target(const struct sysv_row *r, const struct vmaset *s)
{
	const struct vset_source *src = &s->src;
	uint32_t name = src->kind == VS_PID ? src->comm : src->file;

	if (src->kind == VS_PID)
		return r->pid == src->pid;
	return !r->pid && name && !strcmp(r->comm, vset_str(s, name));
}

int sysv_add_set(struct sysv *v, const struct vmaset *s,
		 const struct mm_kernel *k)
{
	for (size_t i = 0; i < v->n; i++)
		if (same_target(&v->rows[i], s))
			return 0;
	return add_proc(v, s, k, NULL);
}

/* The raw comm of @pid (anyone may read it), "" when it cannot be read. */
static char *read_comm(const char *root, pid_t pid)
{
	struct buf b = { 0 };
	int fd = src_proc_open(root, pid, NULL);
	char *comm;

	if (fd < 0 || src_proc_read(fd, root, pid, "comm", &b, NULL))
		b.len = 0;
	while (b.len && b.p[b.len - 1] == '\n')
		b.len--;
	comm = dup_bytes(b.p ? b.p : "", b.len);
	buf_free(&b);
	if (fd >= 0)
		close(fd);
	return comm;
}

static int add_fail(struct sysv *v, pid_t pid, const char *root, int code)
{
	struct sysv_fail *f;

	if (array_grow(&v->fails, v->nfails, &v->failcap, sizeof(*v->fails)))
		return -ENOMEM;
	f = &v->fails[v->nfails];
	f->pid = pid;
	f->code = code;
	f->comm = read_comm(root, pid);
	if (!f->comm)
		return -ENOMEM;
	v->nfails++;
	return 0;
}

/*
 * Load the process @p into @s (empty) with @k as target_load_pid().
 * Returns 1 when loaded; 0 when it has no address space, is gone or
 * cannot be read (noted in @v); or -ENOMEM.
 */
static int load_proc(struct sysv *v, const struct proc_info *p,
		     const struct target_opts *o, struct vmaset *s,
		     struct mm_kernel *k)
{
	struct err e = { 0 };
	int r;

	if (p->no_mm) {
		v->no_mm++;
		return 0;
	}
	r = target_load_pid(p->pid, o, s, k, &e);
	if (!r)
		return 1;
	if (r == -ENOMEM)
		return r;
	if (r == -ESRCH || r == -ENOENT) {
		v->gone++;
		return 0;
	}
	return add_fail(v, p->pid, o->proc_root, r);
}

/*
 * Call @fn for every process of the table, with lean reads; stops at the
 * first negative return (out of memory).
 */
static int each_proc(struct sysv *v, const struct target_opts *o,
		     int (*fn)(struct sysv *v, const struct proc_info *p,
			       const struct target_opts *o, const void *arg),
		     const void *arg, struct err *e)
{
	struct target_opts to = *o;
	struct proc_info *p;
	int n = procs_list(o->proc_root, &p, e);
	int r = 0;

	if (n < 0)
		return n;
	to.lean = true;
	to.kind = TK_PID;
	for (int i = 0; i < n && r >= 0; i++)
		r = fn(v, &p[i], &to, arg);
	procs_list_free(p, (size_t)n);
	return r < 0 ? err_set(e, r, "out of memory") : 0;
}

static int all_one(struct sysv *v, const struct proc_info *p,
		   const struct target_opts *o, const void *arg)
{
	struct mm_kernel k;
	struct vmaset s;
	int r;

	(void)arg;
	vset_init(&s);
	r = load_proc(v, p, o, &s, o->smaps ? NULL : &k);
	if (r > 0)
		r = add_proc(v, &s, o->smaps ? NULL : &k, p);
	vset_free(&s);
	return r;
}

int sysv_scan_all(struct sysv *v, const struct target_opts *o,
		  struct err *e)
{
	return each_proc(v, o, all_one, NULL, e);
}

static bool matches(const char *pattern, const struct vmaset *s,
		    const struct vma *v)
{
	size_t len;
	const char *p = vma_path(s, v, &len);
	const char *base;

	if (v->name != VN_FILE || !p)
		return false;
	base = strchr(pattern, '/') ? NULL : strrchr(p, '/');
	return !fnmatch(pattern, base ? base + 1 : p, 0);
}

static bool any_match(const char *pattern, const struct vmaset *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (matches(pattern, s, &s->v[i]))
			return true;
	return false;
}

/* The row of file @m among the rows from @first on, or a new one. */
static struct sysv_row *file_row(struct sysv *v, size_t first,
				 const struct vmaset *s, const struct vma *m,
				 const struct proc_info *p)
{
	size_t len;
	const char *path = vma_path(s, m, &len);
	bool deleted = m->flags & VF_DELETED;
	struct sysv_row *r;

	for (size_t i = first; i < v->n; i++) {
		r = &v->rows[i];
		if (r->inode == m->inode && r->major == m->major &&
		    r->minor == m->minor && r->deleted == deleted &&
		    strlen(r->path) == len && !memcmp(r->path, path, len))
			return r;
	}
	r = new_row(v);
	if (!r || fill_ident(r, s, p) || !(r->path = dup_bytes(path, len)))
		return NULL;
	r->deleted = deleted;
	r->inode = m->inode;
	r->major = m->major;
	r->minor = m->minor;
	return r;
}

/* One row per matching file of @s, its regions summed. */
static int add_files(struct sysv *v, const struct vmaset *s,
		     const struct proc_info *p, const char *pattern)
{
	size_t first = v->n;

	for (size_t i = 0; i < s->n; i++) {
		const struct vma *m = &s->v[i];
		struct sysv_row *r;

		if (!matches(pattern, s, m))
			continue;
		r = file_row(v, first, s, m, p);
		if (!r)
			return -ENOMEM;
		acct_add_row(&r->a.total, m, vset_smaps(s, m));
	}
	for (size_t i = first; i < v->n; i++) {
		v->rows[i].a.smaps = s->src.smaps;
		fill_mem(&v->rows[i], NULL);
	}
	v->nprocs += v->n > first;
	return 0;
}

/* maps first; smaps only when a file matches. */
static int who_one(struct sysv *v, const struct proc_info *p,
		   const struct target_opts *o, const void *arg)
{
	const char *pattern = arg;
	struct target_opts so = *o;
	struct vmaset s;
	int r;

	vset_init(&s);
	so.smaps = false;
	r = load_proc(v, p, &so, &s, NULL);
	if (r > 0 && any_match(pattern, &s)) {
		vset_free(&s);
		so.smaps = true;
		r = load_proc(v, p, &so, &s, NULL);
		if (r > 0)
			r = add_files(v, &s, p, pattern);
	}
	vset_free(&s);
	return r;
}

int sysv_who_maps(struct sysv *v, const char *pattern,
		  const struct target_opts *o, struct err *e)
{
	return each_proc(v, o, who_one, pattern, e);
}

static uint64_t key_value(const struct sysv_row *r, int key)
{
	switch (key) {
	case SK_REGIONS:
		return r->a.total.count;
	case SK_SIZE:
		return r->a.total.size;
	case SK_RSS:
		return r->rss;
	case SK_PSS:
		return r->pss;
	case SK_SWAP:
		return r->swap;
	default:
		return r->a.cls[key - SK_CLASS].size;
	}
}

static int row_cmp(const void *a, const void *b, void *arg)
{
	const struct sysv_row *x = a, *y = b;
	int key = *(const int *)arg, c = 0;

	if (key == SK_COMM)
		c = strcmp(x->comm, y->comm);
	else if (key != SK_PID)
		c = cmp_u64(key_value(y, key), key_value(x, key));
	if (!c)
		c = cmp_u64((uint64_t)x->pid, (uint64_t)y->pid);
	if (!c && x->path && y->path)
		c = strcmp(x->path, y->path);
	return c ? c : cmp_u64(x->deleted, y->deleted);
}

void sysv_sort(struct sysv *v, int key)
{
	if (v->n)	/* rows is NULL when there is none */
		qsort_r(v->rows, v->n, sizeof(*v->rows), row_cmp, &key);
}
