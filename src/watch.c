// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * watch.c - poll a live process and report its changes (see watch.h).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mm.h"
#include "source.h"
#include "watch.h"

/* What the loop carries from one poll to the next. */
struct watch_state {
	const struct watch_opts *o;
	struct watch_proc p;
	struct vmaset cur;
};

int watch_parse_delay(const char *text, uint64_t *ns, struct err *e)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (end == text || *end || errno || !isfinite(v) || v <= 0 ||
	    v > 86400)
		return err_set(e, -EINVAL, "--delay: '%.40s' is not a number "
			       "of seconds above 0 (at most 86400)", text);
	*ns = (uint64_t)(v * 1e9);
	*ns = *ns ? *ns : 1;
	return 0;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void pause_ns(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / 1000000000),
		.tv_nsec = (long)(ns % 1000000000),
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Keep up to @cap bytes of @p; returns the length kept. */
static size_t keep(char *dst, size_t cap, const char *p, size_t len)
{
	len = len < cap ? len : cap;
	memcpy(dst, p, len);
	return len;
}

/*
 * starttime of ROOT/PID, and whether the name stat shows differs from
 * the one kept in @p (which is updated): 0, -ENOENT/-ESRCH when gone, or
 * -errno.
 */
static int start_time(struct watch_proc *p, uint64_t *t, bool *renamed)
{
	const char *root = p->t.proc_root, *name;
	struct err e = { 0 };
	struct buf b = { 0 };
	int fd = src_proc_open(root, p->pid, &e);
	size_t n;
	int r;

	if (fd < 0)
		return fd;
	r = src_proc_read(fd, root, p->pid, "stat", &b, NULL);
	if (!r)
		r = mm_parse_starttime(b.p, b.len, t);
	if (!r && !mm_parse_stat_comm(b.p, b.len, &name, &n)) {
		n = n < sizeof(p->stat_name) ? n : sizeof(p->stat_name);
		*renamed = n != p->stat_name_len ||
			   memcmp(name, p->stat_name, n);
		p->stat_name_len = keep(p->stat_name, sizeof(p->stat_name),
					name, n);
	}
	close(fd);
	buf_free(&b);
	return r;
}

/* Keep the name and command line of @s for the reads to come. */
static void keep_ident(struct watch_proc *p, const struct vmaset *s)
{
	const struct vset_source *src = &s->src;

	p->comm_len = src->comm ? keep(p->comm, sizeof(p->comm),
				       vset_str(s, src->comm),
				       vset_strlen(s, src->comm)) : 0;
	p->cmdline_len = src->cmdline ?
			 keep(p->cmdline, sizeof(p->cmdline),
			      vset_str(s, src->cmdline),
			      vset_strlen(s, src->cmdline)) : 0;
}

/* Give @s the name and command line kept; 0 or -ENOMEM. */
static int put_ident(const struct watch_proc *p, struct vmaset *s)
{
	if (p->comm_len &&
	    !(s->src.comm = vset_intern(s, p->comm, p->comm_len)))
		return -ENOMEM;
	if (p->cmdline_len &&
	    !(s->src.cmdline = vset_intern(s, p->cmdline, p->cmdline_len)))
		return -ENOMEM;
	return 0;
}

static void report(struct watch_state *w, enum watch_event ev,
		   const struct vmaset *s, const struct diff *d)
{
	struct watch_report r = {
		.ev = ev, .ns = now_ns(), .pid = w->p.pid, .s = s, .d = d,
	};

	w->o->report(&r, w->o->arg);
}

static bool gone(int r)
{
	return r == -ENOENT || r == -ESRCH;
}

/*
 * Is the PID still the process first read?  0 yes; WATCH_EXITED or
 * WATCH_REUSED (with @e saying so); other -errno.
 */
static int same_process(struct watch_proc *p, bool *renamed,
			struct err *e)
{
	uint64_t t;
	int r = start_time(p, &t, renamed);

	if (gone(r)) {
		err_set(e, -ESRCH, "pid %d exited", (int)p->pid);
		return WATCH_EXITED;
	}
	if (r)
		return err_set(e, r, "pid %d: cannot read its stat",
			       (int)p->pid);
	if (t == p->start)
		return 0;
	err_set(e, -ESRCH, "pid %d was reused by another process (its start "
		"time changed): stopped", (int)p->pid);
	return WATCH_REUSED;
}

/*
 * The start time is checked after the read only: a read of a process that
 * replaced ours under the same PID is thrown away then.  The name and
 * command line are those kept, unless stat shows a new name: then they
 * are read again with the map.
 */
static int reread_map(struct watch_proc *p, struct vmaset *s, struct err *e)
{
	bool renamed = false;
	int r = target_load(p->pidtext, &p->t, s, e);

	if (gone(r)) {		/* exited, or a zombie with no map left */
		r = same_process(p, &renamed, e);
		if (!r)
			err_set(e, -ESRCH, "pid %d exited", (int)p->pid);
		return r ? r : WATCH_EXITED;
	}
	if (!r)
		r = same_process(p, &renamed, e);
	if (!r && renamed) {
		src_memo_forget(&p->memo);
		vset_clear(s);
		p->t.no_ident = false;
		r = target_load(p->pidtext, &p->t, s, e);
		p->t.no_ident = true;
		if (!r)
			keep_ident(p, s);
		return r;
	}
	if (!r && src_memo_same(&p->memo))
		return WATCH_SAME;
	if (!r && put_ident(p, s))
		r = err_set(e, -ENOMEM, "out of memory");
	return r;
}

/* A failed read leaves the caller with no map of that text: forget it. */
int watch_reread(struct watch_proc *p, struct vmaset *s, struct err *e)
{
	int r = reread_map(p, s, e);

	if (r && r != WATCH_SAME)
		src_memo_forget(&p->memo);
	return r;
}

void watch_close(struct watch_proc *p)
{
	src_memo_free(&p->memo);
}

/* Read the map again and report what changed; 0, 1 exited, or -errno. */
static int poll_once(struct watch_state *w, struct err *e)
{
	struct vmaset next;
	struct diff d;
	int r;

	vset_init(&next);
	r = watch_reread(&w->p, &next, e);
	if (r == WATCH_SAME) {		/* nothing changed */
		vset_free(&next);
		return 0;
	}
	if (!r)
		r = diff_build(&w->cur, &next, &d);
	if (!r) {
		if (d.changed)
			report(w, WE_CHANGES, &next, &d);
		diff_free(&d);
		vset_free(&w->cur);
		w->cur = next;
		return 0;
	}
	vset_free(&next);
	if (r == WATCH_EXITED || r == WATCH_REUSED)
		report(w, r == WATCH_EXITED ? WE_EXITED : WE_REUSED, NULL,
		       NULL);
	if (r == WATCH_REUSED)
		return -ESRCH;
	return r == -ENOMEM ? err_set(e, r, "out of memory") : r;
}

int watch_open(struct watch_proc *p, const char *spec,
	       const struct target_opts *o, struct vmaset *s, struct err *e)
{
	bool renamed;
	int r;

	memset(p, 0, sizeof(*p));
	p->t = *o;
	p->t.lean = true;
	p->t.memo = &p->memo;
	r = target_load(spec, &p->t, s, e);
	if (r || !vset_live(s))
		return r;
	p->pid = s->src.pid;
	snprintf(p->pidtext, sizeof(p->pidtext), "%d", (int)p->pid);
	p->t.kind = TK_PID;
	p->t.no_ident = true;
	keep_ident(p, s);
	r = start_time(p, &p->start, &renamed);
	if (r)
		return err_set(e, gone(r) ? -ESRCH : r, "pid %d: %s",
			       (int)p->pid, gone(r) ? "exited before it "
			       "could be watched" : "cannot read its stat");
	return 0;
}

int watch_run(const char *spec, const struct watch_opts *o, struct err *e)
{
	struct watch_state w = { .o = o };
	int r;

	vset_init(&w.cur);
	if (target_is_file(spec, &o->target))
		return err_set(e, -EINVAL, "%s: --watch follows a live "
			       "process, not a saved file", spec);
	r = watch_open(&w.p, spec, &o->target, &w.cur, e);
	if (!r && !w.p.pid)
		r = err_set(e, -EINVAL, "%s: --watch follows a live "
			    "process, not a saved file", spec);
	if (!r)
		report(&w, WE_START, &w.cur, NULL);
	for (unsigned long i = 0; !r && (!o->iterations || i < o->iterations);
	     i++) {
		pause_ns(o->delay_ns);
		r = poll_once(&w, e);
	}
	if (!r)
		report(&w, WE_DONE, &w.cur, NULL);
	watch_close(&w.p);
	vset_free(&w.cur);
	return r > 0 ? 0 : r;
}
