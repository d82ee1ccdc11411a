// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_source.c - the streaming reader: every byte arrives once and in
 * order whether the read-ahead thread runs or not, a pipe is never read
 * ahead, stopping early neither hangs nor leaks, and a large text read
 * through the reader parses exactly as the same text in memory.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "maps_parse.h"
#include "source.h"
#include "tap.h"
#include "target.h"
#include "vmaset.h"

/* A maps text of @n regions (about 75 bytes each), malloc'd. */
static char *make_maps(size_t n, size_t *len)
{
	size_t cap = n * 100 + 1, off = 0;
	char *p = malloc(cap);

	if (!p)
		abort();
	for (size_t i = 0; i < n; i++)
		off += (size_t)snprintf(p + off, cap - off,
			"%012zx-%012zx %s %08zx fe:01 %zu %*s/lib/x%zu.so\n",
			0x7f0000000000 + i * 0x2000,
			0x7f0000000000 + i * 0x2000 + 0x1000,
			i & 1 ? "r--p" : "rw-p", i * 0x1000, 1000 + i % 7,
			(int)(i % 30), "", i % 13);
	*len = off;
	return p;
}

static char *write_temp(const char *text, size_t len)
{
	char *path = strdup("/tmp/vmamap-test-source-XXXXXX");
	int fd = path ? mkstemp(path) : -1;

	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		abort();
	close(fd);
	return path;
}

/* Append @n bytes at @p to the growing copy @out. */
static void append(char **out, size_t *have, size_t *cap, const char *p,
		   size_t n)
{
	while (*have + n > *cap)
		if (!(*out = realloc(*out, *cap *= 2)))
			abort();
	memcpy(*out + *have, p, n);
	*have += n;
}

/*
 * Read @path as a parser would, leaving the last @keep bytes of each
 * window unconsumed (a partial line): returns the bytes seen in order;
 * *@ahead tells whether the thread ran.
 */
static char *read_all(const char *path, size_t keep, size_t *len,
		      bool *ahead)
{
	struct src_reader r;
	struct err e;
	size_t cap = 1 << 16, have = 0, used = 0;
	char *out = malloc(cap);

	if (!out || src_reader_file(&r, path, &e))
		abort();
	while (src_reader_more(&r, used, &e) > 0) {
		used = r.b.len > keep ? r.b.len - keep : 0;
		append(&out, &have, &cap, r.b.p, used);
	}
	append(&out, &have, &cap, r.b.p, r.b.len);
	*ahead = r.ra != NULL;
	src_reader_close(&r);
	*len = have;
	return out;
}

static void test_bytes(const char *path, const char *text, size_t len)
{
	static const size_t keeps[] = { 0, 1, 77, 4096, 100000 };

	for (size_t i = 0; i < sizeof(keeps) / sizeof(keeps[0]); i++) {
		size_t got;
		bool ahead;
		char *out = read_all(path, keeps[i], &got, &ahead);

		ok(got == len && !memcmp(out, text, len) && ahead,
		   "%zu bytes arrive once and in order, read ahead, %zu left "
		   "unconsumed each time (got %zu)", len, keeps[i], got);
		free(out);
	}
}

static void test_small(void)
{
	char *path = write_temp("00400000-00401000 r--p 00000000 00:00 0 \n",
				41);
	size_t got;
	bool ahead;
	char *out = read_all(path, 0, &got, &ahead);

	ok(got == 41 && !ahead, "a small file is read without a thread");
	free(out);
	unlink(path);
	free(path);
}

static void test_pipe(void)
{
	int fds[2];
	struct src_reader r;
	struct err e;
	char block[4096];
	long n, total = 0;

	memset(block, 'x', sizeof(block));
	if (pipe(fds))
		abort();
	if (fork() == 0) {
		for (int i = 0; i < 64; i++)
			if (write(fds[1], block, sizeof(block)) < 0)
				_exit(1);
		_exit(0);
	}
	close(fds[1]);
	dup2(fds[0], STDIN_FILENO);
	close(fds[0]);
	if (src_reader_file(&r, "-", &e))
		abort();
	while ((n = src_reader_more(&r, r.b.len, &e)) > 0)
		total += n;
	ok(total == 64 * 4096 && !r.ra && !r.may_readahead,
	   "standard input (a pipe) is read without a thread (%ld bytes)",
	   total);
	src_reader_close(&r);
}

static void test_stop_early(const char *path)
{
	struct src_reader r;
	struct err e;
	long n = 0;

	if (src_reader_file(&r, path, &e))
		abort();
	for (int i = 0; i < 40 && (n = src_reader_more(&r, r.b.len, &e)) > 0; i++)
		;
	ok(n > 0 && r.ra, "reading stopped early with the thread running");
	src_reader_close(&r);
	ok(r.ra == NULL && r.fd == -1, "closing stops the thread and the file");
}

static void test_parse_same(const char *path, const char *text, size_t len)
{
	struct vmaset a, b;
	struct err e;
	struct target_opts o = { .proc_root = "/proc", .kind = TK_FILE };
	int ra, rb;
	bool same;

	vset_init(&a);
	vset_init(&b);
	ra = target_load(path, &o, &a, &e);
	rb = maps_parse(&b, text, len, "mem", &e);
	same = ra == 0 && rb > 0 && a.n == (size_t)rb;
	for (size_t i = 0; same && i < a.n; i++)
		same = a.v[i].start == b.v[i].start && a.v[i].end == b.v[i].end &&
		       a.v[i].offset == b.v[i].offset &&
		       a.v[i].inode == b.v[i].inode &&
		       a.v[i].perms == b.v[i].perms &&
		       a.v[i].line == b.v[i].line &&
		       !strcmp(vset_str(&a, a.v[i].path), vset_str(&b, b.v[i].path));
	ok(same, "a %zu-byte file read through the reader parses as in memory "
	   "(%zu and %d regions)", len, a.n, rb);
	vset_free(&a);
	vset_free(&b);
}

/*
 * Read @len bytes of @text through @m in chunks of pseudo-random sizes
 * (seeded by @seed), as a reader's windows would give them.  Returns
 * whether the read was the same; the text it kept is then in m->cur
 * (after src_memo_diverge()) or m->prev.
 */
static bool memo_read(struct src_memo *m, const char *name, const char *text,
		      size_t len, unsigned int seed)
{
	size_t at = 0;

	src_memo_begin(m, name);
	while (at < len) {
		size_t n = 1 + (size_t)(rand_r(&seed) % 70000);

		n = n < len - at ? n : len - at;
		if (src_memo_take(m, text + at, n))
			abort();
		at += n;
	}
	if (src_memo_same(m))
		return true;
	if (src_memo_diverge(m))
		abort();
	return false;
}

/* The text kept for the parser after a read that was not the same. */
static bool memo_kept(const struct src_memo *m, const char *text, size_t len)
{
	return m->differs && m->cur.len == len && !memcmp(m->cur.p, text, len);
}

static void test_memo_changes(struct src_memo *m, char *text, size_t len)
{
	size_t bad = 0, at;

	for (unsigned int i = 0; i < 200; i++) {
		at = (size_t)i * 7919 * 13 % len;
		text[at] ^= 1;
		if (memo_read(m, "maps", text, len, i) ||
		    !memo_kept(m, text, len))
			bad++;
		text[at] ^= 1;
		if (!memo_read(m, "maps", text, len, i + 1000))
			bad++;
	}
	ok(!bad, "a one-byte change anywhere is never the same, and the whole "
	   "new text is kept for the parser (%zu wrong)", bad);
}

static void test_memo(const char *text, size_t len)
{
	struct src_memo m = { 0 };
	char *copy = malloc(len + 1);

	memcpy(copy, text, len);
	ok(!memo_read(&m, "maps", text, len, 1) && memo_kept(&m, text, len),
	   "a first read is never the same, and is kept whole");
	ok(!memo_read(&m, "maps", text, len, 2),
	   "nor a second before the caller keeps the first");
	src_memo_keep(&m, 123);
	ok(memo_read(&m, "maps", text, len, 3) && m.regions == 123 &&
	   m.cur.len == 0, "the same bytes in other chunks are the same, "
	   "with nothing copied");
	ok(!memo_read(&m, "smaps", text, len, 4),
	   "the same bytes from another file are not");
	src_memo_keep(&m, 1);
	ok(!memo_read(&m, "maps", text, len, 5),
	   "nor after a read of another file was kept");
	src_memo_keep(&m, 1);
	ok(!memo_read(&m, "maps", text, len - 1, 6) &&
	   memo_kept(&m, text, len - 1), "a read cut short is not the same; "
	   "its text is the prefix");
	copy[len] = '\n';
	ok(!memo_read(&m, "maps", copy, len + 1, 7) &&
	   memo_kept(&m, copy, len + 1), "a longer read is not the same");
	test_memo_changes(&m, copy, len);
	src_memo_forget(&m);
	ok(!memo_read(&m, "maps", text, len, 8), "after a forget, not the same");
	src_memo_free(&m);
	ok(!memo_read(&m, "maps", "", 0, 9), "a fresh memo never says same, "
	   "even for an empty read");
	src_memo_free(&m);
	free(copy);
}

int main(void)
{
	size_t len;
	char *text = make_maps(40000, &len);
	char *path = write_temp(text, len);

	test_bytes(path, text, len);
	test_small();
	test_stop_early(path);
	test_parse_same(path, text, len);
	test_pipe();
	test_memo(text, len);
	unlink(path);
	free(path);
	free(text);
	return tap_done();
}
