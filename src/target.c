// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * target.c - resolve and load a target (see target.h).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "classify.h"
#include "maps_parse.h"
#include "mm.h"
#include "procs.h"
#include "snapshot.h"
#include "source.h"
#include "target.h"

static bool all_digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

static int parse_pid(const char *spec, pid_t *pid, struct err *e)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(spec, &end, 10);
	if (!all_digits(spec) || *end || errno || v <= 0 || v > 0x3fffffff)
		return err_set(e, -EINVAL, "invalid PID '%s'", spec);
	*pid = (pid_t)v;
	return 0;
}

static int intern_str(struct vmaset *s, uint32_t *off, const char *p,
		      size_t len)
{
	*off = vset_intern(s, p, len);
	return *off ? 0 : -ENOMEM;
}

/* comm and cmdline are informative: a missing one is not an error. */
static void read_ident(struct vmaset *s, int dirfd, const char *root,
		       pid_t pid)
{
	struct buf b = { 0 };

	if (!src_proc_read(dirfd, root, pid, "comm", &b, NULL)) {
		while (b.len && b.p[b.len - 1] == '\n')
			b.len--;
		intern_str(s, &s->src.comm, b.p, b.len);
	}
	if (!src_proc_read(dirfd, root, pid, "cmdline", &b, NULL)) {
		while (b.len && !b.p[b.len - 1])
			b.len--;
		for (size_t i = 0; i < b.len; i++)
			if (!b.p[i])
				b.p[i] = ' ';
		intern_str(s, &s->src.cmdline, b.p, b.len);
	}
	buf_free(&b);
}

/* What a live process is now, from its status file. */
enum proc_state { PS_GONE, PS_ZOMBIE, PS_KTHREAD, PS_EXITING, PS_MAPPED };

static enum proc_state proc_state(int dirfd, const char *root, pid_t pid)
{
	struct buf b = { 0 };
	enum proc_state st = PS_GONE;

	if (!src_proc_read(dirfd, root, pid, "status", &b, NULL)) {
		if (strstr(b.p, "\nState:\tZ") || strstr(b.p, "\nState:\tX"))
			st = PS_ZOMBIE;
		else if (strstr(b.p, "\nVmSize:"))
			st = PS_MAPPED;
		else if (strstr(b.p, "\nKthread:\t0"))
			st = PS_EXITING;	/* between exit_mm and zombie */
		else
			st = PS_KTHREAD;
	}
	buf_free(&b);
	return st;
}

/*
 * A read found no regions (@n == 0), or its address space went away
 * before the end (the text may be cut short).  -EAGAIN when the process
 * has an address space again (it called execve: read the new one);
 * otherwise -ESRCH saying why there is no map.
 */
static int lost_mm(int dirfd, const char *root, pid_t pid, int n,
		   struct err *e)
{
	enum proc_state st = proc_state(dirfd, root, pid);

	if (st == PS_MAPPED)
		return -EAGAIN;
	if (st == PS_GONE || n > 0)
		return err_set(e, -ESRCH, "pid %d: process exited while being "
			       "read", (int)pid);
	return err_set(e, -ESRCH, "pid %d: no user address space (%s)",
		       (int)pid, st == PS_ZOMBIE ? "zombie process" :
		       st == PS_KTHREAD ? "kernel thread" :
		       "process is exiting");
}

/*
 * Stream the reader's text through the parser into @s, starting with what
 * is already in its window.  Returns the number of regions or a negative
 * errno.
 */
static int parse_stream(struct src_reader *rd, struct vmaset *s,
			const char *label, struct err *e)
{
	struct maps_parser mp;
	long n, used;

	maps_parser_init(&mp, s, label, e);
	do {
		used = maps_parser_feed(&mp, rd->b.p, rd->b.len);
		n = used < 0 ? used : src_reader_more(rd, (size_t)used, e);
	} while (n > 0);
	if (n < 0) {
		maps_parser_abort(&mp);
		return (int)n;
	}
	return maps_parser_finish(&mp, rd->b.len);
}

/*
 * Once the text read differs from the last read, parse the lines of it
 * not parsed yet (@done bytes were).  0 or a negative errno.
 */
static long memo_feed(struct maps_parser *mp, const struct src_memo *m,
		      size_t *done)
{
	long used;

	if (!m->differs || m->cur.len == *done)
		return 0;
	used = maps_parser_feed(mp, m->cur.p + *done, m->cur.len - *done);
	if (used < 0)
		return used;
	*done += (size_t)used;
	return 0;
}

/*
 * As parse_stream(), comparing the text with the last read kept in @m
 * first: nothing is parsed while it matches.  Returns the number of
 * regions, with m->regions and @s left empty when the whole text was the
 * same (src_memo_same()), or a negative errno.
 */
static int parse_memo(struct src_reader *rd, struct src_memo *m,
		      struct vmaset *s, const char *label, struct err *e)
{
	struct maps_parser mp;
	size_t done = 0;
	long n;

	src_memo_begin(m, rd->label);
	maps_parser_init(&mp, s, label, e);
	do {
		n = src_memo_take(m, rd->b.p, rd->b.len);
		if (!n)
			n = memo_feed(&mp, m, &done);
		if (!n)
			n = src_reader_more(rd, rd->b.len, e);
	} while (n > 0);
	if (!n && !src_memo_same(m) && !(n = src_memo_diverge(m)))
		n = memo_feed(&mp, m, &done);
	if (n < 0 || src_memo_same(m)) {
		maps_parser_abort(&mp);
		if (n == -ENOMEM)
			return err_set(e, -ENOMEM, "out of memory");
		return n < 0 ? (int)n : (int)m->regions;
	}
	return maps_parser_finish(&mp, m->cur.len - done);
}

/*
 * Open smaps, or when it cannot be opened (no access, no such file) while
 * the process is there, maps: s->src.smaps_errno says why.
 */
static int open_text(struct src_reader *rd, struct vmaset *s, int dirfd,
		     const struct target_opts *o, pid_t pid, struct err *e)
{
	int r = src_reader_proc(rd, dirfd, o->proc_root, pid,
				o->smaps ? "smaps" : "maps", e);

	s->src.smaps_errno = 0;
	if (!o->smaps || (r != -EACCES && r != -ESRCH) ||
	    proc_state(dirfd, o->proc_root, pid) == PS_GONE)
		return r;
	s->src.smaps_errno = r == -EACCES ? EACCES : ENOENT;
	return src_reader_proc(rd, dirfd, o->proc_root, pid, "maps", e);
}

/*
 * One read + parse of maps or smaps into @s; returns the number of
 * regions, or -errno (-EAGAIN: the process called execve during the read:
 * read again).
 */
static int read_once(struct vmaset *s, int dirfd, const struct target_opts *o,
		     pid_t pid, struct err *e)
{
	struct src_reader rd;
	char label[4200];
	int r = open_text(&rd, s, dirfd, o, pid, e);

	if (r)
		return r;
	snprintf(label, sizeof(label), "%s/%d/%s", o->proc_root, (int)pid,
		 rd.label);
	r = o->memo ? parse_memo(&rd, o->memo, s, label, e)
		    : parse_stream(&rd, s, label, e);
	if (r == 0 || (r > 0 && src_reader_mapped(&rd) <= 0))
		r = lost_mm(dirfd, o->proc_root, pid, r, e);
	src_reader_close(&rd);
	return r;
}

/*
 * Read until the text is sorted and non-overlapping, at most
 * TARGET_READ_TRIES times; keep the read with the fewest violations.  A
 * read cut short by an execve is not kept.
 */
static int read_consistent(struct vmaset *s, int dirfd,
			   const struct target_opts *o, pid_t pid,
			   struct err *e)
{
	struct vmaset best;
	size_t best_bad = SIZE_MAX;
	int r = 0;

	vset_init(&best);
	for (int i = 0; i < TARGET_READ_TRIES && (r >= 0 || r == -EAGAIN);
	     i++) {
		size_t bad;

		vset_clear(s);
		r = read_once(s, dirfd, o, pid, e);
		if (r < 0)
			continue;
		bad = vset_disorder(s);
		if (bad == 0) {
			if (o->memo)
				src_memo_keep(o->memo, (size_t)r);
			vset_free(&best);
			return r;
		}
		if (bad < best_bad) {
			struct vmaset t = best;

			best = *s;
			*s = t;
			best_bad = bad;
		}
	}
	if (o->memo)
		src_memo_forget(o->memo);
	if (best_bad != SIZE_MAX && (r >= 0 || r == -EAGAIN)) {
		vset_free(s);
		*s = best;
		s->torn = true;
		return 0;
	}
	vset_free(&best);
	if (r == -EAGAIN)
		return err_set(e, -ESRCH, "pid %d: its address space was "
			       "replaced (execve) during each of %d reads",
			       (int)pid, TARGET_READ_TRIES);
	return r;
}

/* Room for a name from PROCMAP_QUERY, which gives at most PATH_MAX. */
enum { QUERY_NAME_MAX = 4096 };

/*
 * Whether @raw (@len bytes, as the kernel has the name) is the name of
 * region @v: the kernel writes it with '\n' as \012 and ` (deleted)`
 * after an unlinked file's, so the text read gives back @v's name.
 */
static bool is_reading_of(const struct vmaset *s, const struct vma *v,
			  const char *raw, size_t len, char *tmp)
{
	size_t have;
	const char *name = vma_path(s, v, &have);

	if (!!(v->flags & VF_DELETED) != maps_parse_deleted(raw, &len))
		return false;
	return maps_parse_unescape(tmp, raw, len) == have &&
	       !memcmp(tmp, name, have);
}

/*
 * The maps text is ambiguous: a backslash is not escaped, so the file
 * "a\012b" prints as the file "a<newline>b" does, and the parser reads a
 * newline.  For each such name, ask the kernel for the region's name
 * unescaped (PROCMAP_QUERY, no file system access); if the region is the
 * same and its name reads as the text did, it is the exact name.  Where
 * the ioctl is missing the text's reading is kept.
 */
static int exact_name(struct vmaset *s, struct vma *v, int dirfd, char *raw,
		      char *tmp)
{
	struct src_vma q;
	long n = src_proc_vma_name(dirfd, v->start, &q, raw, QUERY_NAME_MAX);
	size_t len = n > 0 ? (size_t)n : 0;

	if (n <= 0 || q.start != v->start || q.end != v->end ||
	    q.inode != v->inode || q.major != v->major ||
	    q.minor != v->minor || !is_reading_of(s, v, raw, len, tmp))
		return 0;
	maps_parse_deleted(raw, &len);
	v->path = vset_intern(s, raw, len);
	v->path_len = (uint32_t)len;
	return v->path ? 0 : -ENOMEM;
}

static bool has_newline(const struct vmaset *s, const struct vma *v)
{
	size_t len;
	const char *p = vma_path(s, v, &len);

	return v->name == VN_FILE && memchr(p, '\n', len);
}

/*
 * Names holding a newline come back from maps as \012: ask the kernel for
 * each such name as it is.  Returns how many there were, or -errno.
 */
static int exact_names(struct vmaset *s, int dirfd)
{
	char *raw = NULL, *tmp = NULL;
	size_t n = 0;
	int r = 0;

	for (size_t i = 0; i < s->n && !r; i++) {
		if (!has_newline(s, &s->v[i]))
			continue;
		n++;
		if (!raw) {
			raw = malloc(QUERY_NAME_MAX);
			tmp = malloc(QUERY_NAME_MAX);
		}
		r = raw && tmp ? exact_name(s, &s->v[i], dirfd, raw, tmp)
			       : -ENOMEM;
	}
	free(raw);
	free(tmp);
	return r ? r : (int)n;
}

/* Thread stack pointers, read with the regions of a process. */
struct thread_sps {
	struct vma_thread_sp *v;
	size_t n;
};

/* Unreadable ones are left out: only -ENOMEM is an error. */
static int read_stacks(int dirfd, struct thread_sps *t)
{
	int n = src_proc_stack_pointers(dirfd, &t->v);

	t->n = n > 0 ? (size_t)n : 0;
	return n < 0 ? n : 0;
}

/* smaps_rollup is smaps text with one region: reuse the parser. */
static void read_rollup(int dirfd, const struct target_opts *o, pid_t pid,
			struct mm_kernel *k)
{
	struct buf b = { 0 };
	struct vmaset r;

	vset_init(&r);
	if (!src_proc_read(dirfd, o->proc_root, pid, "smaps_rollup", &b, NULL) &&
	    maps_parse(&r, b.p, b.len, "smaps_rollup", NULL) == 1 && r.nsm) {
		k->rollup[MR_RSS] = r.sm[0].val[SM_RSS];
		k->rollup[MR_PSS] = r.sm[0].val[SM_PSS];
		k->rollup[MR_SWAP] = r.sm[0].val[SM_SWAP];
		k->has_rollup = true;
	}
	vset_free(&r);
	buf_free(&b);
}

/* With @k, the smaps_rollup sums are read from the same directory. */
static int load_pid(pid_t pid, const struct target_opts *o, struct vmaset *s,
		    struct thread_sps *t, struct mm_kernel *k, struct err *e)
{
	int dirfd = src_proc_open(o->proc_root, pid, e);
	struct vset_source src;
	int r;

	if (dirfd < 0)
		return dirfd;
	r = read_consistent(s, dirfd, o, pid, e);
	if (r >= 0)
		r = exact_names(s, dirfd);
	if (r > 0 && o->memo)	/* the text does not tell these names */
		src_memo_forget(o->memo);
	if (r >= 0) {
		src = s->src;
		src.kind = VS_PID;
		src.pid = pid;
		src.captured_at = (int64_t)time(NULL);
		r = intern_str(s, &src.proc_root, o->proc_root,
			       strlen(o->proc_root));
		s->src = src;
		if (!o->no_ident)
			read_ident(s, dirfd, o->proc_root, pid);
	}
	if (r >= 0 && !o->lean)
		r = read_stacks(dirfd, t);
	if (r >= 0 && k)
		read_rollup(dirfd, o, pid, k);
	close(dirfd);
	return r < 0 ? r : 0;
}

/* A saved copy of maps or smaps text: the file is the source. */
static int load_text(struct src_reader *rd, const char *path,
		     const char *label, struct vmaset *s, struct err *e)
{
	int r = parse_stream(rd, s, label, e);

	if (r < 0)
		return r;
	/* The kernel prints regions in address order, never overlapping: a
	 * copy that breaks the order is damaged, or a torn read of a live
	 * process (which vmamap itself re-reads; its snapshot keeps the
	 * torn flag and loads). */
	for (size_t i = 1; i < s->n; i++)
		if (s->v[i].start < s->v[i - 1].end)
			return err_set(e, -EBADMSG, "%s:%u: region overlaps or "
				       "comes before the one on line %u (a "
				       "torn read of a live process? read "
				       "it again)", label, s->v[i].line,
				       s->v[i - 1].line);
	s->src.kind = VS_FILE;
	return intern_str(s, &s->src.file, path, strlen(path));
}

/* The reader's text handed to the snapshot loader piece by piece. */
struct snap_feed {
	struct src_reader *rd;
	size_t at;		/* bytes of the window already handed out */
	struct err *e;
};

static long snap_pull(const char **p, void *arg)
{
	struct snap_feed *f = arg;
	long n = 0;

	if (f->at == f->rd->b.len) {
		n = src_reader_more(f->rd, f->at, f->e);
		f->at = 0;
	}
	if (n < 0)
		return n;
	*p = f->rd->b.p + f->at;
	n = (long)(f->rd->b.len - f->at);
	f->at = f->rd->b.len;
	return n;
}

/* A vmamap JSON snapshot, parsed as it is read. */
static int load_snapshot(struct src_reader *rd, const char *label,
			 struct vmaset *s, struct err *e)
{
	struct snap_feed f = { rd, 0, e };

	return snap_load_stream(s, snap_pull, &f, label, e);
}

/* A saved file or stdin; what it holds is told by its first bytes. */
static int load_file(const char *path, struct vmaset *s, struct err *e)
{
	const char *label = strcmp(path, "-") ? path : "<stdin>";
	struct src_reader rd;
	long n;
	int r = src_reader_file(&rd, path, e);

	if (r)
		return r;
	n = src_reader_more(&rd, 0, e);
	if (n < 0)
		r = (int)n;
	else if (n == 0)
		r = err_set(e, -EBADMSG, "%s: empty file: no regions", label);
	else if (maps_parse_detect(rd.b.p, rd.b.len) == MF_JSON)
		r = load_snapshot(&rd, label, s, e);
	else
		r = load_text(&rd, path, label, s, e);
	src_reader_close(&rd);
	return r < 0 ? r : 0;
}

/*
 * A snapshot keeps the classes it was saved with; regions saved without
 * one are classified (class_assign() looks at the neighbours, so it runs
 * over all, and the saved classes are put back).  Overlapping regions
 * mark the set torn, as for a saved maps file.
 */
static int classify_snapshot(struct vmaset *s)
{
	uint8_t *cls;
	size_t i;

	if (vset_disorder(s))
		s->torn = true;
	for (i = 0; i < s->n && s->v[i].cls != VC_NCLASS; i++)
		;
	if (i == s->n)
		return 0;
	cls = malloc(s->n);
	if (!cls)
		return -ENOMEM;
	for (i = 0; i < s->n; i++)
		cls[i] = s->v[i].cls;
	class_assign(s);
	for (i = 0; i < s->n; i++)
		if (cls[i] != VC_NCLASS)
			s->v[i].cls = cls[i];
	free(cls);
	return 0;
}

/* 'self' is vmamap itself: its PID in the live /proc, ROOT/self otherwise. */
static int resolve_self(const struct target_opts *o, pid_t *pid,
			struct err *e)
{
	char path[4096], link[64];
	ssize_t n;

	if (!strcmp(o->proc_root, "/proc")) {
		*pid = getpid();
		return 0;
	}
	snprintf(path, sizeof(path), "%s/self", o->proc_root);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return err_set(e, -ENOENT, "self: %s: %s", path,
			       strerror(errno));
	link[n] = '\0';
	return parse_pid(link, pid, e);
}

static int ambiguous(const char *name, struct proc_match *m, int n,
		     struct err *e)
{
	char list[800] = "";
	size_t used = 0;

	for (int i = 0; i < n && used < sizeof(list) - 1; i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used,
					 "%s%d (%.60s)", i ? ", " : "",
					 (int)m[i].pid, m[i].cmdline);
	return err_set(e, -EINVAL, "'%s' matches %d processes: %s; "
		       "give a PID", name, n, list);
}

static int resolve_name(const char *name, const struct target_opts *o,
			pid_t *pid, struct err *e)
{
	struct proc_match *m = NULL;
	int n = procs_find_by_name(o->proc_root, name, &m, e);

	if (n < 0)
		return n;
	if (n == 1)
		*pid = m[0].pid;
	else if (n == 0)
		err_set(e, -ENOENT, "'%s': no such process or file", name);
	else
		ambiguous(name, m, n, e);
	procs_free(m, (size_t)n);
	return n == 1 ? 0 : e->code;
}

static bool looks_like_file(const char *spec)
{
	struct stat st;

	return strchr(spec, '/') || stat(spec, &st) == 0;
}

bool target_is_file(const char *spec, const struct target_opts *o)
{
	if (o->kind == TK_FILE || !strcmp(spec, "-"))
		return true;
	if (o->kind == TK_PID || !strcmp(spec, "self") || all_digits(spec))
		return false;
	return looks_like_file(spec);
}

static int resolve(const char *spec, const struct target_opts *o,
		   pid_t *pid, bool *file, struct err *e)
{
	*file = false;
	if (o->kind == TK_FILE || !strcmp(spec, "-")) {
		*file = true;
		return 0;
	}
	if (!strcmp(spec, "self"))
		return resolve_self(o, pid, e);
	if (o->kind == TK_PID || all_digits(spec))
		return parse_pid(spec, pid, e);
	if (looks_like_file(spec)) {
		*file = true;
		return 0;
	}
	return resolve_name(spec, o, pid, e);
}

/* Totals that would wrap: the input is malformed (see vset_sum_overflow). */
static int check_sums(const struct vmaset *s, const char *spec, pid_t pid,
		      struct err *e)
{
	static const char why[] = "sizes add up to more than 2^64 bytes";
	size_t i = vset_sum_overflow(s);
	const char *label = strcmp(spec, "-") ? spec : "<stdin>";

	if (i == SIZE_MAX)
		return 0;
	if (s->src.snapshot)
		return err_set(e, -EBADMSG, "%s: vmas[%u]: %s", label,
			       s->v[i].line - 1, why);
	if (pid)
		return err_set(e, -EBADMSG, "pid %d: %s/%d/%s:%u: %s",
			       (int)pid, s->src.proc_root ?
			       vset_str(s, s->src.proc_root) : "",
			       (int)pid, s->src.smaps ? "smaps" : "maps",
			       s->v[i].line, why);
	return err_set(e, -EBADMSG, "%s:%u: %s", label, s->v[i].line, why);
}

/*
 * Check the totals, sort and classify what was loaded (@r: the load's
 * result; @pid 0 for a file); frees the stack pointers.  @what names the
 * target in messages.  The tree is built by the first lookup.
 */
static int finish(struct vmaset *s, struct thread_sps *t, int r,
		  const char *what, pid_t pid, struct err *e)
{
	if (!r)
		r = check_sums(s, what, pid, e);
	if (!r)
		vset_sort(s);
	if (!r && s->src.snapshot) {
		r = classify_snapshot(s);
	} else if (!r) {
		class_assign(s);
		r = class_thread_stacks(s, t->v, t->n);
	}
	free(t->v);
	if (r == -ENOMEM)
		return err_set(e, r, "%s: out of memory", what);
	return r;
}

int target_load(const char *spec, const struct target_opts *o,
		struct vmaset *s, struct err *e)
{
	struct thread_sps t = { NULL, 0 };
	pid_t pid = 0;
	bool file;
	int r = resolve(spec, o, &pid, &file, e);

	if (r)
		return r;
	r = file ? load_file(spec, s, e) : load_pid(pid, o, s, &t, NULL, e);
	return finish(s, &t, r, spec, file ? 0 : pid, e);
}

int target_load_pid(pid_t pid, const struct target_opts *o, struct vmaset *s,
		    struct mm_kernel *k, struct err *e)
{
	struct thread_sps t = { NULL, 0 };
	char what[32];
	int r;

	if (k)
		memset(k, 0, sizeof(*k));
	snprintf(what, sizeof(what), "pid %d", (int)pid);
	r = load_pid(pid, o, s, &t, k, e);
	return finish(s, &t, r, what, pid, e);
}

static void read_status_stat(int dirfd, const struct target_opts *o,
			     pid_t pid, struct mm_kernel *k)
{
	struct buf b = { 0 };

	if (!src_proc_read(dirfd, o->proc_root, pid, "status", &b, NULL))
		mm_parse_status(b.p, b.len, k);
	if (!o->lean &&
	    !src_proc_read(dirfd, o->proc_root, pid, "stat", &b, NULL))
		mm_parse_stat(b.p, b.len, k);
	buf_free(&b);
}

/* What a lean read leaves out: libproc2 or smaps_rollup, PROCMAP_QUERY. */
static void read_deep(int dirfd, const struct target_opts *o, pid_t pid,
		      struct mm_kernel *k)
{
	long count;

	if (strcmp(o->proc_root, "/proc") || procs_mm_live(pid, k))
		read_rollup(dirfd, o, pid, k);
	count = src_proc_map_count(dirfd);
	if (count >= 0)
		mm_set(k, MM_MAP_COUNT, (uint64_t)count, "PROCMAP_QUERY");
}

static void set_brk(const struct vmaset *s, struct mm_kernel *k)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].name == VN_HEAP) {
			k->layout[ML_BRK] = s->v[i].end;
			k->layout_have |= 1u << ML_BRK;
		}
}

int target_load_mm(const struct vmaset *s, const struct target_opts *o,
		   struct mm_kernel *k, struct err *e)
{
	pid_t pid = s->src.pid;
	int dirfd = src_proc_open(o->proc_root, pid, e);

	memset(k, 0, sizeof(*k));
	if (dirfd < 0)
		return dirfd;
	read_status_stat(dirfd, o, pid, k);
	if (!o->lean)
		read_deep(dirfd, o, pid, k);
	set_brk(s, k);
	close(dirfd);
	return 0;
}

/*
 * The regions read on a second thread while this one reads the kernel's
 * view: the page walks behind that view (smaps_rollup, the PROCMAP_QUERY
 * count) then overlap the kernel's generation of maps or smaps text
 * instead of following it.  The view stays on the calling thread because
 * libproc2 keeps per-thread buffers that a thread's exit would leak.  Or
 * a saved file (@spec), loaded while this thread loads another.
 */
struct load_job {
	pthread_t thread;
	pid_t pid;
	const char *spec;	/* a saved file: target_load() of it */
	const struct target_opts *o;
	struct vmaset *s;
	struct thread_sps t;
	struct err e;
	int r;
	bool running;
};

static void *load_job_run(void *arg)
{
	struct load_job *j = arg;

	if (j->spec)
		j->r = target_load(j->spec, j->o, j->s, &j->e);
	else
		j->r = load_pid(j->pid, j->o, j->s, &j->t, NULL, &j->e);
	return NULL;
}

/* Start the job; without a thread it runs in load_job_wait(). */
static void load_job_start(struct load_job *j)
{
	sigset_t all, old;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	j->running = !pthread_create(&j->thread, NULL, load_job_run, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static int load_job_wait(struct load_job *j, struct err *e)
{
	if (j->running)
		pthread_join(j->thread, NULL);
	else
		load_job_run(j);
	if (j->r && e)
		*e = j->e;
	return j->r;
}

/* The kernel's view of @pid into @k, as target_load_mm() reads it. */
static void read_view(const struct target_opts *o, pid_t pid,
		      struct mm_kernel *k)
{
	int dirfd = src_proc_open(o->proc_root, pid, NULL);

	if (dirfd < 0)
		return;
	read_status_stat(dirfd, o, pid, k);
	if (!o->lean)
		read_deep(dirfd, o, pid, k);
	close(dirfd);
}

int target_load_with_mm(const char *spec, const struct target_opts *o,
			struct vmaset *s, struct mm_kernel *k, struct err *e)
{
	struct load_job job = { .o = o, .s = s };
	bool file;
	int r = resolve(spec, o, &job.pid, &file, e);

	memset(k, 0, sizeof(*k));
	if (r || file)
		return r ? r : target_load(spec, o, s, e);
	load_job_start(&job);
	read_view(o, job.pid, k);
	r = load_job_wait(&job, e);
	r = finish(s, &job.t, r, spec, job.pid, e);
	if (!r)
		set_brk(s, k);
	return r;
}

/* A file named on the command line: not stdin, not a process. */
static bool named_file(const char *spec, const struct target_opts *o)
{
	return strcmp(spec, "-") && target_is_file(spec, o);
}

void target_load_two(const char *const spec[2],
		     const struct target_opts o[2], struct vmaset s[2],
		     struct err e[2], int r[2])
{
	struct load_job job = { .spec = spec[0], .o = &o[0], .s = &s[0] };

	if (!named_file(spec[0], &o[0]) || !named_file(spec[1], &o[1])) {
		r[0] = target_load(spec[0], &o[0], &s[0], &e[0]);
		r[1] = r[0] ? 0 : target_load(spec[1], &o[1], &s[1], &e[1]);
		return;
	}
	load_job_start(&job);
	r[1] = target_load(spec[1], &o[1], &s[1], &e[1]);
	r[0] = load_job_wait(&job, &e[0]);
}
