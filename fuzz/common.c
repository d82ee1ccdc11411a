// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * common.c - what the fuzz targets share (see fuzz.h).
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "account.h"
#include "classify.h"
#include "fuzz.h"
#include "maps_parse.h"
#include "../tests/unit/pieces.h"
#include "render_json.h"
#include "render_summary.h"
#include "render_table.h"
#include "snapshot.h"
#include "summary.h"

void fuzz_assert(bool cond, const char *what)
{
	if (cond)
		return;
	fprintf(stderr, "fuzz: %s\n", what);
	abort();
}

/* Feed bytes [done, have) of @p to @mp from a heap block of their own. */
static long feed_window(struct maps_parser *mp, const char *p, size_t done,
			size_t have)
{
	char *w = malloc(have - done);
	long used;

	if (!w)
		return -ENOMEM;
	memcpy(w, p + done, have - done);
	used = maps_parser_feed(mp, w, have - done);
	free(w);
	return used;
}

/* The streaming parser fed as a reader would: a window that grows by
 * @chunk bytes and slides past what each feed consumed. */
static int parse_chunked(struct vmaset *s, const char *p, size_t len,
			 size_t chunk, struct err *e)
{
	struct maps_parser mp;
	size_t done = 0, have = 0;
	long used;

	maps_parser_init(&mp, s, "fuzz", e);
	while (have < len) {
		have = len - have > chunk ? have + chunk : len;
		used = feed_window(&mp, p, done, have);
		if (used < 0) {
			maps_parser_abort(&mp);
			return (int)used;
		}
		done += (size_t)used;
	}
	return maps_parser_finish(&mp, len - done);
}

int fuzz_snap_pieces(struct vmaset *s, const char *p, size_t len,
		     size_t chunk, struct err *e)
{
	struct pieces pc = { p, len, chunk, NULL };
	int r = snap_load_stream(s, pieces_read, &pc, "fuzz", e);

	pieces_free(&pc);
	return r;
}

/* A snapshot, or maps text that came from a file (as target.c sets it). */
static int parse_any(struct vmaset *s, const char *p, size_t len,
		     size_t chunk, struct err *e)
{
	int r;

	if (maps_parse_detect(p, len) == MF_JSON)
		return chunk ? fuzz_snap_pieces(s, p, len, chunk, e) :
			       snap_load(s, p, len, "fuzz", e);
	if (!chunk)
		r = maps_parse(s, p, len, "fuzz", e);
	else
		r = parse_chunked(s, p, len, chunk, e);
	if (r < 0)
		return r;
	s->src.kind = VS_FILE;
	s->src.file = vset_intern(s, "fuzz", 4);
	return s->src.file ? r : -ENOMEM;
}

int fuzz_load(struct vmaset *s, const char *p, size_t len, size_t chunk,
	      struct err *e)
{
	int r;

	vset_init(s);
	memset(e, 0, sizeof(*e));
	r = parse_any(s, p, len, chunk, e);
	if (r >= 0) {
		s->torn = s->torn || vset_disorder(s) > 0;
		r = vset_index(s);
	}
	if (r < 0) {
		vset_free(s);
		return r;
	}
	class_assign(s);
	return 0;
}

void fuzz_sink(struct obuf *o)
{
	static int fd = -1;

	if (fd < 0)
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	fuzz_assert(fd >= 0 && !obuf_init(o, fd), "cannot open /dev/null");
}

static void render_map(const struct vmaset *s, struct obuf *o)
{
	struct table_opts topt = { .gaps = true };
	uint32_t *idx;
	long n = acct_select(s, ACCT_ALL_CLASSES, AS_START, &idx);

	fuzz_assert(n >= 0, "acct_select: out of memory");
	table_render(s, idx, (size_t)n, &topt, o);
	topt.smaps = topt.bytes = topt.color = true;
	topt.gaps = false;
	table_render(s, idx, (size_t)n, &topt, o);
	json_render(s, idx, (size_t)n, true, o);
	free(idx);
}

void fuzz_render(struct vmaset *s)
{
	struct summary sum;
	struct obuf o;

	fuzz_sink(&o);
	render_map(s, &o);
	fuzz_assert(!summary_build(s, NULL, &sum), "summary: out of memory");
	summary_render_table(s, &sum, false, &o);
	summary_render_json(s, &sum, &o);
	summary_free(&sum);
	obuf_close(&o);
}

char *fuzz_json(const struct vmaset *s, size_t *len)
{
	int fd = memfd_create("fuzz-json", MFD_CLOEXEC);
	struct obuf o;
	struct stat st;
	uint32_t *idx;
	long n;
	char *p;

	fuzz_assert(fd >= 0 && !obuf_init(&o, fd), "memfd");
	n = acct_select(s, ACCT_ALL_CLASSES, AS_START, &idx);
	fuzz_assert(n >= 0, "acct_select: out of memory");
	json_render(s, idx, (size_t)n, false, &o);
	free(idx);
	fuzz_assert(!obuf_close(&o) && !fstat(fd, &st), "write to memfd");
	*len = (size_t)st.st_size;
	p = malloc(*len + 1);
	fuzz_assert(p && pread(fd, p, *len, 0) == (ssize_t)*len,
		    "read back memfd");
	p[*len] = '\0';
	close(fd);
	return p;
}

static bool same_vma(const struct vmaset *a, const struct vma *x,
		     const struct vmaset *b, const struct vma *y)
{
	size_t xl, yl;
	const char *xp = vma_path(a, x, &xl), *yp = vma_path(b, y, &yl);

	return x->start == y->start && x->end == y->end &&
	       x->offset == y->offset && x->inode == y->inode &&
	       x->major == y->major && x->minor == y->minor &&
	       x->perms == y->perms && x->name == y->name &&
	       (x->flags & VF_DELETED) == (y->flags & VF_DELETED) &&
	       xl == yl && (!xl || !memcmp(xp, yp, xl));
}

bool fuzz_same_set(const struct vmaset *a, const struct vmaset *b)
{
	if (a->n != b->n || a->torn != b->torn)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (!same_vma(a, &a->v[i], b, &b->v[i]))
			return false;
	return true;
}

void fuzz_round_trip(const struct vmaset *s, bool same_json)
{
	struct vmaset back;
	struct err e;
	size_t len, len2;
	char *json = fuzz_json(s, &len), *json2;
	int r = fuzz_load(&back, json, len, 0, &e);

	fuzz_assert(!r, "the JSON written does not load back");
	fuzz_assert(fuzz_same_set(s, &back), "the JSON loads back different");
	if (same_json) {
		json2 = fuzz_json(&back, &len2);
		fuzz_assert(len == len2 && !memcmp(json, json2, len),
			    "the JSON loaded back is written differently");
		free(json2);
	}
	vset_free(&back);
	free(json);
}
