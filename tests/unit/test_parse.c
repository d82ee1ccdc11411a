// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_parse.c - unit test of the maps/smaps parser and of the vmaset it
 * fills.
 *
 * Every case builds its text in memory and checks the resulting regions
 * field by field: 32- and 64-bit addresses, wide and hex device numbers,
 * kernel padding against collapsed copies, lines of any length, names byte
 * for byte (\012, " (deleted)", special names), smaps keys, extras and
 * VmFlags, every error message with its line number, format detection,
 * interning, disorder counting, sorting and find_vma.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maps_parse.h"
#include "tap.h"
#include "vmaset.h"

#define SRC	"in.maps"
#define KB	UINT64_C(1024)
#define R	VP_READ
#define W	VP_WRITE
#define X	VP_EXEC
#define S	VP_SHARED
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* --------------------------------------------------------- helpers */

/* A growable text buffer for generated input. */
struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_addn(struct sbuf *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_add(struct sbuf *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

static void sb_repeat(struct sbuf *b, const char *s, size_t times)
{
	while (times--)
		sb_add(b, s);
}

/* Parse @len bytes into the fresh set @s. */
static int parse_n(struct vmaset *s, const char *text, size_t len,
		   struct err *e)
{
	vset_init(s);
	memset(e, 0, sizeof(*e));
	return maps_parse(s, text, len, SRC, e);
}

static int parse(struct vmaset *s, const char *text, struct err *e)
{
	return parse_n(s, text, strlen(text), e);
}

/* The region's name is exactly @want (NULL: anonymous). */
static bool path_is(const struct vmaset *s, const struct vma *v,
		    const char *want)
{
	size_t len;
	const char *p = vma_path(s, v, &len);

	if (!want)
		return !p && !v->path && !v->path_len;
	return p && len == strlen(want) && v->path_len == len &&
	       !memcmp(p, want, len) && p[len] == '\0';
}

static void describe(const struct vmaset *s, const struct vma *v)
{
	size_t len;
	const char *p = vma_path(s, v, &len);

	diag("got %" PRIx64 "-%" PRIx64 " perms %u off %" PRIx64
	     " dev %x:%x ino %" PRIu64 " name %u flags %u line %u path '%.*s'",
	     v->start, v->end, v->perms, v->offset, v->major, v->minor,
	     v->inode, v->name, v->flags, v->line, (int)(p ? len : 4),
	     p ? p : "NULL");
}

/* vmflag_table index of @code, by its own search. */
static int flag_bit(const char *code)
{
	for (unsigned int i = 0; i < vmflag_count; i++)
		if (!strcmp(vmflag_table[i].code, code))
			return (int)i;
	return -1;
}

/* The VmFlags bits of space-separated @codes (all known). */
static uint64_t flag_bits(const char *codes)
{
	uint64_t bits = 0;
	char code[3] = "";

	for (const char *p = codes; *p; p++) {
		if (*p == ' ')
			continue;
		code[0] = p[0];
		code[1] = p[1];
		bits |= UINT64_C(1) << flag_bit(code);
		p++;
	}
	return bits;
}

/* ------------------------------------------------- one header line */

struct hcase {
	const char *what;
	const char *line;	/* one maps line without its newline */
	uint64_t start, end, offset, inode;
	uint32_t major, minor;
	uint8_t perms, name, flags;
	const char *path;	/* NULL: anonymous */
};

static const struct hcase hcases[] = {
	{ "64-bit kernel-padded file line",
	  "55646fb2b000-55646fb2d000 r--p 00000000 fe:00 5308615"
	  "                    /work/main/tests/helper/mapper",
	  0x55646fb2b000, 0x55646fb2d000, 0, 5308615, 0xfe, 0,
	  R, VN_FILE, 0, "/work/main/tests/helper/mapper" },
	{ "32-bit, 8-digit addresses",
	  "08049000-0804a000 r-xp 00001000 08:01 1311       /usr/bin/hello32",
	  0x08049000, 0x0804a000, 0x1000, 1311, 8, 1,
	  R | X, VN_FILE, 0, "/usr/bin/hello32" },
	{ "32-bit anonymous with the kernel's trailing space",
	  "b7f00000-b7f21000 rw-p 00000000 00:00 0 ",
	  0xb7f00000, 0xb7f21000, 0, 0, 0, 0, R | W, VN_NONE, 0, NULL },
	{ "16-digit addresses ([vsyscall])",
	  "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0"
	  "                  [vsyscall]",
	  0xffffffffff600000, 0xffffffffff601000, 0, 0, 0, 0,
	  X, VN_VSYSCALL, 0, "[vsyscall]" },
	{ "top of the address space, 16-digit offset",
	  "fffffffffffff000-ffffffffffffffff r--s ffffffffffff0000 00:00 0",
	  0xfffffffffffff000, UINT64_MAX, 0xffffffffffff0000, 0, 0, 0,
	  R | S, VN_NONE, 0, NULL },
	{ "device 103:03 wider than 2 digits",
	  "555555554000-555555556000 r-xp 00000000 103:03 1234567"
	  "                   /opt/app/bin/server",
	  0x555555554000, 0x555555556000, 0, 1234567, 0x103, 3,
	  R | X, VN_FILE, 0, "/opt/app/bin/server" },
	{ "hex device fe:01",
	  "7f0010403000-7f0010404000 r--p 00000000 fe:01 5555 /var/lib/x.db",
	  0x7f0010403000, 0x7f0010404000, 0, 5555, 0xfe, 1,
	  R, VN_FILE, 0, "/var/lib/x.db" },
	{ "8-digit device fields",
	  "00400000-00401000 r--p 00000000 12345678:9abcdef0 7 /x",
	  0x400000, 0x401000, 0, 7, 0x12345678, 0x9abcdef0,
	  R, VN_FILE, 0, "/x" },
	{ "inode 0, no trailing space",
	  "00400000-00401000 rw-p 00000000 00:00 0",
	  0x400000, 0x401000, 0, 0, 0, 0, R | W, VN_NONE, 0, NULL },
	{ "blanks only after the inode",
	  "00400000-00401000 rw-p 00000000 00:00 0  \t \t",
	  0x400000, 0x401000, 0, 0, 0, 0, R | W, VN_NONE, 0, NULL },
	{ "inode UINT64_MAX (20 digits)",
	  "00400000-00401000 r--p 00000000 08:01 18446744073709551615 /big",
	  0x400000, 0x401000, 0, UINT64_MAX, 8, 1, R, VN_FILE, 0, "/big" },
	{ "inode UINT64_MAX - 1",
	  "00400000-00401000 r--p 00000000 08:01 18446744073709551614 /big",
	  0x400000, 0x401000, 0, UINT64_MAX - 1, 8, 1, R, VN_FILE, 0, "/big" },
	{ "offset 7fff0000",
	  "00400000-00401000 r--p 7fff0000 08:01 9 /o",
	  0x400000, 0x401000, 0x7fff0000, 9, 8, 1, R, VN_FILE, 0, "/o" },
	{ "perms rwxs",
	  "00400000-00401000 rwxs 00000000 00:01 9 /s",
	  0x400000, 0x401000, 0, 9, 0, 1, R | W | X | S, VN_FILE, 0, "/s" },
	{ "perms rw-s",
	  "00400000-00401000 rw-s 00000000 00:01 9 /s",
	  0x400000, 0x401000, 0, 9, 0, 1, R | W | S, VN_FILE, 0, "/s" },
	{ "perms ---s",
	  "00400000-00401000 ---s 00000000 00:00 0 ",
	  0x400000, 0x401000, 0, 0, 0, 0, S, VN_NONE, 0, NULL },
	{ "perms ---p",
	  "00400000-00401000 ---p 00000000 00:00 0 ",
	  0x400000, 0x401000, 0, 0, 0, 0, 0, VN_NONE, 0, NULL },
	{ "perms -w-p",
	  "00400000-00401000 -w-p 00000000 00:00 0 ",
	  0x400000, 0x401000, 0, 0, 0, 0, W, VN_NONE, 0, NULL },
	{ "tabs between every field",
	  "00400000-00401000\tr-xp\t00001000\t08:01\t42\t/bin/x",
	  0x400000, 0x401000, 0x1000, 42, 8, 1, R | X, VN_FILE, 0, "/bin/x" },
};

static bool vma_is(const struct vmaset *s, const struct vma *v,
		   const struct hcase *c)
{
	return v->start == c->start && v->end == c->end &&
	       v->offset == c->offset && v->inode == c->inode &&
	       v->major == c->major && v->minor == c->minor &&
	       v->perms == c->perms && v->name == c->name &&
	       v->flags == c->flags && v->smaps == VMA_NO_SMAPS &&
	       v->line == 1 && path_is(s, v, c->path);
}

static void test_hcase(const struct hcase *c)
{
	struct sbuf b = { 0 };
	struct vmaset s;
	struct err e;
	int r;

	sb_add(&b, c->line);
	sb_add(&b, "\n");
	r = parse(&s, b.p, &e);
	if (!ok(r == 1 && s.n == 1 && vma_is(&s, &s.v[0], c) &&
		!s.src.smaps, "header: %s", c->what)) {
		diag("rc %d n %zu: %s", r, s.n, e.msg);
		if (s.n)
			describe(&s, &s.v[0]);
	}
	vset_free(&s);
	free(b.p);
}

static void test_headers(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(hcases); i++)
		test_hcase(&hcases[i]);
}

/* ------------------------------------------------------ name field */

struct ncase {
	const char *text;	/* what follows the inode */
	uint8_t kind, flags;
	const char *path;	/* expected bytes; NULL: anonymous */
};

static const struct ncase ncases[] = {
	{ "", VN_NONE, 0, NULL },
	{ "[heap]", VN_HEAP, 0, "[heap]" },
	{ "[stack]", VN_STACK, 0, "[stack]" },
	{ "[vdso]", VN_VDSO, 0, "[vdso]" },
	{ "[vvar]", VN_VVAR, 0, "[vvar]" },
	{ "[vvar_vclock]", VN_VVAR_VCLOCK, 0, "[vvar_vclock]" },
	{ "[vsyscall]", VN_VSYSCALL, 0, "[vsyscall]" },
	{ "[uprobes]", VN_UPROBES, 0, "[uprobes]" },
	{ "[anon:jemalloc arena 0]", VN_ANON, 0, "[anon:jemalloc arena 0]" },
	{ "[anon:a:b c]", VN_ANON, 0, "[anon:a:b c]" },
	{ "[anon:x (deleted)]", VN_ANON, 0, "[anon:x (deleted)]" },
	{ "[anon:a\\012b]", VN_ANON, 0, "[anon:a\\012b]" },
	{ "[anon_shmem:ring buffer]", VN_ANON_SHMEM, 0,
	  "[anon_shmem:ring buffer]" },
	{ "[stack:1234]", VN_STACK_TID, 0, "[stack:1234]" },
	{ "[stack:1]", VN_STACK_TID, 0, "[stack:1]" },
	{ "[stack:]", VN_OTHER, 0, "[stack:]" },
	{ "[stack:12x]", VN_OTHER, 0, "[stack:12x]" },
	{ "[stack:-1]", VN_OTHER, 0, "[stack:-1]" },
	{ "[stack:1234", VN_OTHER, 0, "[stack:1234" },
	{ "[anon:x", VN_OTHER, 0, "[anon:x" },
	{ "[vectors]", VN_OTHER, 0, "[vectors]" },
	{ "[heapx]", VN_OTHER, 0, "[heapx]" },
	{ "/memfd:wayland-shm (deleted)", VN_FILE, VF_DELETED,
	  "/memfd:wayland-shm" },
	{ "/SYSV0000162e (deleted)", VN_FILE, VF_DELETED, "/SYSV0000162e" },
	{ "/dev/zero (deleted)", VN_FILE, VF_DELETED, "/dev/zero" },
	{ "anon_inode:[io_uring]", VN_ANON_INODE, 0, "anon_inode:[io_uring]" },
	{ "anon_inode:x (deleted)", VN_ANON_INODE, 0,
	  "anon_inode:x (deleted)" },
	{ "/usr/lib/libc.so.6", VN_FILE, 0, "/usr/lib/libc.so.6" },
	{ "/tmp/a b  c  ", VN_FILE, 0, "/tmp/a b  c  " },
	{ "/tmp/t\tab\t", VN_FILE, 0, "/tmp/t\tab\t" },
	{ "/tmp/x     Rss: 999999 kB", VN_FILE, 0,
	  "/tmp/x     Rss: 999999 kB" },
	{ "/tmp/y Size: 4 kB", VN_FILE, 0, "/tmp/y Size: 4 kB" },
	{ "/tmp/a\\012b", VN_FILE, 0, "/tmp/a\nb" },
	{ "/tmp/\\012\\012Rss: 1 kB", VN_FILE, 0, "/tmp/\n\nRss: 1 kB" },
	{ "/tmp/a\\01", VN_FILE, 0, "/tmp/a\\01" },
	{ "/tmp/a\\\\012", VN_FILE, 0, "/tmp/a\\\n" },
	{ "/tmp/a\\012b (deleted)", VN_FILE, VF_DELETED, "/tmp/a\nb" },
	{ "/tmp/a (deleted) (deleted)", VN_FILE, VF_DELETED,
	  "/tmp/a (deleted)" },
	{ "/tmp/a  (deleted)", VN_FILE, VF_DELETED, "/tmp/a " },
	{ "/tmp/a(deleted)", VN_FILE, 0, "/tmp/a(deleted)" },
	{ "/tmp/a (deleted) ", VN_FILE, 0, "/tmp/a (deleted) " },
	{ "/ (deleted)", VN_FILE, VF_DELETED, "/" },
	{ "/", VN_FILE, 0, "/" },
	{ "foo", VN_OTHER, 0, "foo" },
	{ "\xff\x1b[31mevil", VN_OTHER, 0, "\xff\x1b[31mevil" },
};

static void test_ncase(const struct ncase *c)
{
	static const char prefix[] = "7f0000000000-7f0000001000 rw-p "
				     "00000000 00:00 0 ";
	struct sbuf b = { 0 };
	struct vmaset s;
	struct err e;
	const struct vma *v;
	int r;

	sb_add(&b, prefix);
	sb_repeat(&b, " ", 73 - strlen(prefix));
	sb_add(&b, c->text);
	sb_add(&b, "\n");
	r = parse(&s, b.p, &e);
	v = s.v;
	if (!ok(r == 1 && v->name == c->kind && v->flags == c->flags &&
		path_is(&s, v, c->path) && v->start == 0x7f0000000000,
		"name '%s': kind %u flags %u", c->text, c->kind, c->flags)) {
		diag("rc %d: %s", r, e.msg);
		if (s.n)
			describe(&s, v);
	}
	vset_free(&s);
	free(b.p);
}

static void test_names(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(ncases); i++)
		test_ncase(&ncases[i]);
}

/* ----------------------------------------- padding and collapsing */

struct row {
	const char *addr, *perms, *off, *dev, *ino, *name;
};

static const struct row rows64[] = {
	{ "55646fb2b000-55646fb2d000", "r--p", "00000000", "fe:00",
	  "5308615", "/work/bin/mapper" },
	{ "55646fb2d000-55646fb2f000", "r-xp", "00002000", "fe:00",
	  "5308615", "/work/bin/mapper" },
	{ "55646fb2f000-55646fb30000", "rw-p", "00000000", "00:00", "0", "" },
	{ "556470000000-556470021000", "rw-p", "00000000", "00:00", "0",
	  "[heap]" },
	{ "7f0010400000-7f0010401000", "rw-s", "00000000", "00:0e", "1056",
	  "anon_inode:[io_uring]" },
	{ "7f0010500000-7f0010501000", "r--p", "0001f000", "103:03",
	  "18446744073709551615", "/a b  c (deleted)" },
	{ "7f0010600000-7f0010601000", "r--p", "00000000", "08:01", "77",
	  "/x\\012y Rss: 4 kB" },
	{ "7f0010700000-7f0010701000", "rw-p", "00000000", "00:00", "0",
	  "[anon:x y]" },
	{ "7ffffffde000-7ffffffff000", "rw-p", "00000000", "00:00", "0",
	  "[stack]" },
	{ "ffffffffff600000-ffffffffff601000", "--xp", "00000000", "00:00",
	  "0", "[vsyscall]" },
};

static const struct row rows32[] = {
	{ "08048000-08049000", "r--p", "00000000", "08:01", "1311",
	  "/usr/bin/hello32" },
	{ "08049000-0804a000", "r-xp", "00001000", "08:01", "1311",
	  "/usr/bin/hello32" },
	{ "0804a000-0804b000", "rw-p", "00000000", "00:00", "0", "" },
	{ "b7f00000-b7f21000", "rw-p", "00000000", "00:00", "0", "[heap]" },
	{ "bffdf000-c0000000", "rw-p", "00000000", "00:00", "0", "[stack]" },
};

enum layout { KERNEL, COLLAPSED, TABS };

/* One line as the kernel pads it to @col, collapsed, or with tab runs. */
static void add_row(struct sbuf *b, const struct row *r, enum layout l,
		    size_t col)
{
	static const char *const sep[] = { " ", " ", "\t \t" };
	const char *fields[] = { r->addr, r->perms, r->off, r->dev, r->ino };
	size_t start = b->len;

	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		if (i)
			sb_add(b, sep[l]);
		sb_add(b, fields[i]);
	}
	if (l == KERNEL) {
		sb_add(b, " ");
		if (*r->name && b->len - start < col)
			sb_repeat(b, " ", col - (b->len - start));
	} else if (*r->name) {
		sb_add(b, l == TABS ? " \t" : " ");
	}
	sb_add(b, r->name);
	sb_add(b, "\n");
}

static void build_rows(struct sbuf *b, const struct row *rows, size_t n,
		       enum layout l, size_t col)
{
	for (size_t i = 0; i < n; i++)
		add_row(b, &rows[i], l, col);
}

static bool same_vma(const struct vmaset *a, const struct vma *x,
		     const struct vmaset *b, const struct vma *y)
{
	size_t lx, ly;
	const char *px = vma_path(a, x, &lx), *py = vma_path(b, y, &ly);

	return x->start == y->start && x->end == y->end &&
	       x->offset == y->offset && x->inode == y->inode &&
	       x->major == y->major && x->minor == y->minor &&
	       x->perms == y->perms && x->flags == y->flags &&
	       x->name == y->name && x->line == y->line &&
	       x->path_len == y->path_len && !px == !py && lx == ly &&
	       (!px || !memcmp(px, py, lx));
}

/* Index of the first region that differs, or SIZE_MAX for equal sets. */
static size_t first_diff(const struct vmaset *a, const struct vmaset *b)
{
	size_t i;

	for (i = 0; i < a->n && i < b->n; i++)
		if (!same_vma(a, &a->v[i], b, &b->v[i]))
			return i;
	return a->n == b->n ? SIZE_MAX : i;
}

static void test_layouts(const char *what, const struct row *rows, size_t n,
			 size_t col)
{
	static const char *const lname[] = { "kernel", "collapsed", "tabs" };
	struct vmaset s[3];
	struct err e;

	for (int l = KERNEL; l <= TABS; l++) {
		struct sbuf b = { 0 };

		build_rows(&b, rows, n, l, col);
		ok(parse(&s[l], b.p, &e) == (int)n, "%s %s layout parses: %s",
		   what, lname[l], e.msg);
		free(b.p);
	}
	for (int l = COLLAPSED; l <= TABS; l++) {
		size_t d = first_diff(&s[KERNEL], &s[l]);

		if (!ok(d == SIZE_MAX, "%s: %s layout parses like the kernel's",
			what, lname[l]) && d < s[l].n)
			describe(&s[l], &s[l].v[d]);
	}
	for (int l = KERNEL; l <= TABS; l++)
		vset_free(&s[l]);
}

/* The kernel-padded 64-bit set has the values it should. */
static void test_padded_values(void)
{
	struct sbuf b = { 0 };
	struct vmaset s;
	struct err e;
	const struct vma *v;

	build_rows(&b, rows64, ARRAY_SIZE(rows64), KERNEL, 73);
	parse(&s, b.p, &e);
	v = s.v;
	ok(s.n == ARRAY_SIZE(rows64) && v[2].name == VN_NONE && !v[2].path &&
	   path_is(&s, &v[5], "/a b  c") && v[5].flags == VF_DELETED &&
	   v[5].major == 0x103 && v[5].minor == 3 && v[5].offset == 0x1f000 &&
	   v[5].inode == UINT64_MAX && path_is(&s, &v[6], "/x\ny Rss: 4 kB") &&
	   v[9].start == 0xffffffffff600000 && v[9].line == 10,
	   "kernel-padded rows hold the expected values");
	vset_free(&s);
	free(b.p);
}

static void test_whitespace(void)
{
	test_layouts("64-bit", rows64, ARRAY_SIZE(rows64), 73);
	test_layouts("32-bit", rows32, ARRAY_SIZE(rows32), 49);
	test_padded_values();
}

/* ------------------------------------------------------ long lines */

#define LONG_HDR	"7f0000000000-7f0000001000 r--p 00000000 08:01 1 "
#define LONG_HDR2	"7f0000001000-7f0000002000 r--p 00000000 08:01 2 "
#define LONG_HDR3	"7f0000002000-7f0000003000 r--p 00000000 08:01 3 "

/* Three long-named regions, optionally each with smaps fields. */
static void build_long(struct sbuf *b, bool smaps)
{
	static const char fields[] = "Rss:  4 kB\nVmFlags: rd \n";

	sb_add(b, LONG_HDR "/");
	sb_repeat(b, "a", 20000);
	sb_add(b, "\n");
	if (smaps)
		sb_add(b, fields);
	sb_add(b, LONG_HDR2 "/");
	sb_repeat(b, "b c ", 17500);
	sb_add(b, "      Rss: 999999 kB\n");
	if (smaps)
		sb_add(b, fields);
	sb_add(b, LONG_HDR3 "/");
	sb_repeat(b, "\\012", 17000);
	sb_add(b, "x (deleted)\n");
	if (smaps)
		sb_add(b, fields);
}

static bool long_paths_ok(const struct vmaset *s)
{
	struct sbuf p[3] = { { 0 } };
	bool good;

	sb_add(&p[0], "/");
	sb_repeat(&p[0], "a", 20000);
	sb_add(&p[1], "/");
	sb_repeat(&p[1], "b c ", 17500);
	sb_add(&p[1], "      Rss: 999999 kB");
	sb_add(&p[2], "/");
	sb_repeat(&p[2], "\n", 17000);
	sb_add(&p[2], "x");
	good = s->n == 3 && path_is(s, &s->v[0], p[0].p) &&
	       path_is(s, &s->v[1], p[1].p) && path_is(s, &s->v[2], p[2].p) &&
	       s->v[0].path_len == 20001 && s->v[2].flags & VF_DELETED;
	for (int i = 0; i < 3; i++)
		free(p[i].p);
	return good;
}

static void test_long_one(bool smaps)
{
	const char *what = smaps ? "smaps" : "maps";
	struct sbuf b = { 0 };
	struct vmaset s;
	struct err e;
	int r;

	build_long(&b, smaps);
	r = parse_n(&s, b.p, b.len, &e);
	ok(r == 3 && long_paths_ok(&s),
	   "%s: 20 KB path, 70 KB line and 68 KB of \\012 kept exactly: %s",
	   what, e.msg);
	if (smaps) {
		bool rss = s.n == 3;

		for (size_t i = 0; rss && i < s.n; i++)
			rss = vset_smaps(&s, &s.v[i])->val[SM_RSS] == 4 * KB;
		ok(rss && s.src.smaps,
		   "smaps: 'Rss: 999999 kB' ending a long path is no key");
	}
	vset_free(&s);
	free(b.p);
}

static void test_long_lines(void)
{
	test_long_one(false);
	test_long_one(true);
}

/* ----------------------------------------------------------- smaps */

static const char smaps_text[] =
	"7f0000000000-7f0000021000 rw-p 00000000 00:00 0 \n"
	"Size:                132 kB\n"
	"KernelPageSize:        4 kB\n"
	"MMUPageSize:           8 kB\n"
	"Rss:                  12 kB\n"
	"Pss:                  11 kB\n"
	"Pss_Dirty:            10 kB\n"
	"Pss_Anon:              9 kB\n"
	"Pss_File:              1 kB\n"
	"FutureKey:            12 kB\n"
	"Pss_Shmem:             2 kB\n"
	"Shared_Clean:          3 kB\n"
	"Shared_Dirty:          5 kB\n"
	"Private_Clean:         6 kB\n"
	"Private_Dirty:         7 kB\n"
	"Referenced:           23 kB\n"
	"Anonymous:            13 kB\n"
	"KSM:                  14 kB\n"
	"LazyFree:             15 kB\n"
	"AnonHugePages:      2048 kB\n"
	"ShmemPmdMapped:       16 kB\n"
	"FilePmdMapped:        17 kB\n"
	"Shared_Hugetlb:       18 kB\n"
	"Private_Hugetlb:      19 kB\n"
	"Swap:                 20 kB\n"
	"SwapPss:              21 kB\n"
	"Locked:               22 kB\n"
	"FutureCount:           7\n"
	"THPeligible:           1\n"
	"ProtectionKey:         3\n"
	"FutureText:   some text here\n"
	"VmFlags: rd wr mr mw me ac gd \n"
	"7f0000100000-7f0000101000 r--p 00000000 08:01 5 /tmp/x  "
	"Rss: 999999 kB\n"
	"Size:                  4 kB\n"
	"Rss:                   8 kB\n"
	"VmFlags: \n"
	"7f0000200000-7f0000201000 r--p 00000000 08:01 6 /tmp/y Size: 4 kB\n"
	"VmFlags: rd zz ?? wr qq\n"
	"7f0000300000-7f0000301000 r--p 00000000 08:01 7 /tmp/z\n"
	"VmFlags:\n";

static const struct { enum sm_key k; uint64_t v; } smaps_want[] = {
	{ SM_SIZE, 132 * KB }, { SM_KERNEL_PAGE_SIZE, 4 * KB },
	{ SM_MMU_PAGE_SIZE, 8 * KB }, { SM_RSS, 12 * KB },
	{ SM_PSS, 11 * KB }, { SM_PSS_DIRTY, 10 * KB },
	{ SM_PSS_ANON, 9 * KB }, { SM_PSS_FILE, 1 * KB },
	{ SM_PSS_SHMEM, 2 * KB }, { SM_SHARED_CLEAN, 3 * KB },
	{ SM_SHARED_DIRTY, 5 * KB }, { SM_PRIVATE_CLEAN, 6 * KB },
	{ SM_PRIVATE_DIRTY, 7 * KB }, { SM_REFERENCED, 23 * KB },
	{ SM_ANONYMOUS, 13 * KB }, { SM_KSM, 14 * KB },
	{ SM_LAZYFREE, 15 * KB }, { SM_ANON_HUGE, 2048 * KB },
	{ SM_SHMEM_PMD, 16 * KB }, { SM_FILE_PMD, 17 * KB },
	{ SM_SHARED_HUGETLB, 18 * KB }, { SM_PRIVATE_HUGETLB, 19 * KB },
	{ SM_SWAP, 20 * KB }, { SM_SWAP_PSS, 21 * KB },
	{ SM_LOCKED, 22 * KB }, { SM_THP_ELIGIBLE, 1 },
	{ SM_PROTECTION_KEY, 3 },
};

static void check_known_keys(const struct vma_smaps *sm)
{
	for (size_t i = 0; i < ARRAY_SIZE(smaps_want); i++)
		ok(sm->val[smaps_want[i].k] == smaps_want[i].v,
		   "smaps: %s = %" PRIu64 " (got %" PRIu64 ")",
		   sm_keys[smaps_want[i].k].kernel, smaps_want[i].v,
		   sm->val[smaps_want[i].k]);
	ok(sm->have == (UINT32_C(1) << SM_NKEYS) - 1,
	   "smaps: have has every known key (%#x)", sm->have);
}

static bool extra_is(const struct vmaset *s, const struct sm_extra *x,
		     const char *key, bool numeric, bool kb, uint64_t value,
		     const char *raw)
{
	if (strcmp(vset_str(s, x->key), key) || x->numeric != numeric)
		return false;
	if (!numeric)
		return x->raw && !strcmp(vset_str(s, x->raw), raw);
	return x->kb == kb && x->value == value;
}

static void check_extras(const struct vmaset *s, const struct vma_smaps *sm)
{
	const struct sm_extra *x = &s->extras[sm->extra];

	if (!ok(sm->nextra == 3, "smaps: 3 unknown keys kept as extras"))
		return;
	ok(extra_is(s, &x[0], "FutureKey", true, true, 12 * KB, NULL),
	   "smaps: extra 'FutureKey: 12 kB' stored as 12288 bytes");
	ok(extra_is(s, &x[1], "FutureCount", true, false, 7, NULL),
	   "smaps: extra 'FutureCount: 7' stored as the number 7");
	ok(extra_is(s, &x[2], "FutureText", false, false, 0, "some text here"),
	   "smaps: extra 'FutureText' kept as raw text");
}

static void check_vmflags(const struct vmaset *s)
{
	const struct vma_smaps *sm[4];
	uint64_t want = UINT64_C(1) << 0 | UINT64_C(1) << 1 |
			UINT64_C(1) << 4 | UINT64_C(1) << 5 |
			UINT64_C(1) << 6 | UINT64_C(1) << 17 | UINT64_C(1) << 8;

	for (int i = 0; i < 4; i++)
		sm[i] = vset_smaps(s, &s->v[i]);
	ok(sm[0]->has_vmflags && sm[0]->vmflags == want &&
	   flag_bits("rd wr mr mw me ac gd") == want && !sm[0]->vmf_unknown,
	   "VmFlags 'rd wr mr mw me ac gd ' -> %#" PRIx64, sm[0]->vmflags);
	ok(sm[1]->has_vmflags && !sm[1]->vmflags && !sm[1]->vmf_unknown,
	   "VmFlags: empty line (with space) allowed");
	ok(sm[2]->vmflags == flag_bits("rd wr") && sm[2]->vmf_unknown &&
	   !strcmp(vset_str(s, sm[2]->vmf_unknown), "zz ?? qq"),
	   "VmFlags: unknown codes kept in vmf_unknown as 'zz ?? qq'");
	ok(sm[3]->has_vmflags && !sm[3]->vmflags && !sm[3]->vmf_unknown,
	   "VmFlags: empty line (no space) allowed");
}

static void check_smaps_regions(const struct vmaset *s)
{
	const struct vma_smaps *sm1 = vset_smaps(s, &s->v[1]);

	ok(path_is(s, &s->v[1], "/tmp/x  Rss: 999999 kB") &&
	   path_is(s, &s->v[2], "/tmp/y Size: 4 kB"),
	   "smaps: key-like text in a path stays in the path");
	ok(sm1->val[SM_RSS] == 8 * KB && sm1->val[SM_SIZE] == 4 * KB &&
	   sm1->have == (1u << SM_SIZE | 1u << SM_RSS) && !sm1->nextra,
	   "smaps: second region has only Size and Rss");
	bool gd = true;

	for (size_t i = 0; i < s->n; i++)
		gd = gd && !(s->v[i].flags & VF_GROWSDOWN) ==
			   !(vset_smaps(s, &s->v[i])->vmflags >>
			     VMFLAG_GROWSDOWN & 1);
	ok((s->v[0].flags & ~VF_GROWSDOWN) == VF_SMAPS &&
	   (s->v[3].flags & ~VF_GROWSDOWN) == VF_SMAPS &&
	   s->nsm == 4 && s->v[3].line == 39,
	   "smaps: VF_SMAPS set on every region, line numbers kept");
	ok(gd && (s->v[0].flags & VF_GROWSDOWN),
	   "smaps: VF_GROWSDOWN set exactly on the regions whose VmFlags "
	   "have gd (the first)");
}

static void test_smaps(void)
{
	struct vmaset s;
	struct err e;
	int r = parse(&s, smaps_text, &e);

	if (!ok(r == 4 && s.n == 4 && s.src.smaps, "smaps text parses: %s",
		e.msg)) {
		vset_free(&s);
		return;
	}
	check_known_keys(vset_smaps(&s, &s.v[0]));
	check_extras(&s, vset_smaps(&s, &s.v[0]));
	check_vmflags(&s);
	check_smaps_regions(&s);
	vset_free(&s);
}

/* Every code in the table sets its own bit, in the kernel's order. */
static void test_vmflag_table(void)
{
	static const char order[] = "rd wr ex sh mr mw me ms gd pf lo io sr "
		"rr dc de lf ac nr ht sf ar wf dd bt sd mm hg nh mg um uw mt "
		"ui ss dp sl";
	struct sbuf b = { 0 };
	struct vmaset s;
	struct err e;
	bool inorder = true;

	for (unsigned int i = 0; i * 3 < sizeof(order) - 1; i++)
		inorder &= !strncmp(vmflag_table[i].code, order + i * 3, 2);
	ok(inorder && vmflag_count >= 37 && vmflag_count <= 64,
	   "vmflag_table follows the kernel's bit order (%u codes)",
	   vmflag_count);
	sb_add(&b, "00400000-00401000 r--p 00000000 00:00 0 \nVmFlags:");
	for (unsigned int i = 0; i < vmflag_count; i++) {
		sb_add(&b, " ");
		sb_add(&b, vmflag_table[i].code);
	}
	sb_add(&b, "\n");
	parse(&s, b.p, &e);
	ok(s.n == 1 && vset_smaps(&s, s.v)->vmflags ==
	   (vmflag_count == 64 ? UINT64_MAX :
	    (UINT64_C(1) << vmflag_count) - 1),
	   "VmFlags with every known code sets every bit");
	vset_free(&s);
	free(b.p);
}

static void test_maps_not_smaps(void)
{
	struct vmaset s;
	struct err e;

	parse(&s, "00400000-00401000 r--p 00000000 08:01 1 /a\n", &e);
	ok(!s.src.smaps && !s.nsm && s.v[0].smaps == VMA_NO_SMAPS &&
	   !vset_smaps(&s, s.v) && !(s.v[0].flags & VF_SMAPS),
	   "maps text: src.smaps false, no smaps records");
	vset_free(&s);
	ok(parse(&s, "", &e) == 0 && !s.n && !s.src.smaps,
	   "empty text: 0 regions, no error");
	vset_free(&s);
}

/* A large kB value that just fits, and the Size of a 4 GiB region. */
static void test_smaps_limits(void)
{
	struct vmaset s;
	struct err e;
	int r = parse(&s, "00400000-00401000 r--p 00000000 00:00 0 \n"
			  "Rss: 18014398509481983 kB\n"
			  "Swap: 00000000000000000000000000000001 kB\n", &e);

	ok(r == 1 && vset_smaps(&s, s.v)->val[SM_RSS] ==
	   UINT64_C(18014398509481983) * KB &&
	   vset_smaps(&s, s.v)->val[SM_SWAP] == KB,
	   "smaps: largest kB value that fits in bytes; leading zeros: %s",
	   e.msg);
	vset_free(&s);
}

/*
 * The kernel-shaped smaps lines (key padded to 16 columns, value in 8,
 * " kB") take a fast path; every other spelling the general one.  Both
 * must agree, and the fast one must refuse what the general one refuses.
 */
struct smfast_case {
	const char *line;	/* one smaps line after "Size" */
	enum sm_key key;
	uint64_t want;		/* bytes (or count); UINT64_MAX: an error */
};

static const struct smfast_case smfast_cases[] = {
	{ "Rss:                   0 kB\n", SM_RSS, 0 },
	{ "Rss:                   7 kB\n", SM_RSS, 7 * KB },
	{ "Rss:            12345678 kB\n", SM_RSS, 12345678 * KB },
	{ "Rss:           123456789 kB\n", SM_RSS, 123456789 * KB },
	{ "Rss:            00000001 kB\n", SM_RSS, KB },
	{ "Rss:\t\t\t4 kB\n", SM_RSS, 4 * KB },
	{ "Rss:                 1 2 kB\n", SM_RSS, UINT64_MAX },
	{ "Rss:             12 34 kB\n", SM_RSS, UINT64_MAX },
	{ "Rss:                12a4 kB\n", SM_RSS, UINT64_MAX },
	{ "Rss:                  -4 kB\n", SM_RSS, UINT64_MAX },
	{ "Rss:                     kB\n", SM_RSS, UINT64_MAX },
	{ "Rss:                   4 kb\n", SM_RSS, UINT64_MAX },
	{ "Rss:                   4 KB\n", SM_RSS, UINT64_MAX },
	{ "Rss:                   4   \n", SM_RSS, UINT64_MAX },
	{ "Rss:                   4\n", SM_RSS, UINT64_MAX },
	{ "Rss: x                 4 kB\n", SM_RSS, UINT64_MAX },
	{ "Rss;                   4 kB\n", SM_RSS, UINT64_MAX },
	{ "THPeligible:           1\n", SM_THP_ELIGIBLE, 1 },
	{ "THPeligible:           1 kB\n", SM_THP_ELIGIBLE, UINT64_MAX },
	{ "Private_Hugetlb:       9 kB\n", SM_PRIVATE_HUGETLB, 9 * KB },
	{ "Private_Hugetlb:99999999 kB\n", SM_PRIVATE_HUGETLB, 99999999 * KB },
};

static void test_smfast_case(const struct smfast_case *c)
{
	struct sbuf b = { 0 };
	struct vmaset s;
	struct err e;
	const struct vma_smaps *sm;
	int r;

	sb_add(&b, "00400000-00401000 r--p 00000000 00:00 0 \n"
		   "Size:                  4 kB\n");
	sb_add(&b, c->line);
	r = parse(&s, b.p, &e);
	sm = r == 1 ? vset_smaps(&s, s.v) : NULL;
	if (c->want == UINT64_MAX)
		ok(r < 0 && strstr(e.msg, SRC ":3: "),
		   "smaps line refused: %.*s (%s)", (int)strlen(c->line) - 1,
		   c->line, e.msg);
	else
		ok(sm && sm->val[c->key] == c->want &&
		   (sm->have & (UINT32_C(1) << c->key)),
		   "smaps line read: %.*s (%s)", (int)strlen(c->line) - 1,
		   c->line, e.msg);
	vset_free(&s);
	free(b.p);
}

/* One region of every known key in kernel order, values from @seed. */
static void build_record(struct sbuf *b, unsigned int seed, bool kernel)
{
	char line[128];

	sb_add(b, "00400000-00401000 r--p 00000000 00:00 0 \n");
	for (unsigned int k = 0; k < SM_NKEYS; k++) {
		unsigned long v = (seed * 2654435761u + k * 40503u) %
				  (k & 1 ? 100000000u : 1000u);

		snprintf(line, sizeof(line), kernel ? "%-16s%8lu%s\n" :
			 "%-17s%8lu%s\n", "", v, sm_keys[k].kb ? " kB" : "");
		memcpy(line, sm_keys[k].kernel, strlen(sm_keys[k].kernel));
		line[strlen(sm_keys[k].kernel)] = ':';
		sb_add(b, line);
	}
	sb_add(b, "VmFlags: rd \n");
}

static void test_fast_equals_general(void)
{
	struct sbuf fast = { 0 }, slow = { 0 };
	struct vmaset a, c;
	struct err e;
	bool same;

	for (unsigned int i = 0; i < 200; i++) {
		build_record(&fast, i, true);
		build_record(&slow, i, false);
	}
	same = parse(&a, fast.p, &e) == 200 && parse(&c, slow.p, &e) == 200;
	for (size_t i = 0; same && i < a.n; i++)
		same = !memcmp(vset_smaps(&a, &a.v[i])->val,
			       vset_smaps(&c, &c.v[i])->val,
			       sizeof(a.sm->val)) &&
		       vset_smaps(&a, &a.v[i])->have ==
		       vset_smaps(&c, &c.v[i])->have;
	ok(same, "smaps: 200 records read alike in the kernel's shape and "
	   "padded one column wider (%s)", e.msg);
	vset_free(&a);
	vset_free(&c);
	free(fast.p);
	free(slow.p);
}

static void test_smaps_fast(void)
{
	struct vmaset s;
	struct err e;
	int r;

	for (size_t i = 0; i < ARRAY_SIZE(smfast_cases); i++)
		test_smfast_case(&smfast_cases[i]);
	test_fast_equals_general();
	r = parse(&s, "00400000-00401000 r--p 00000000 00:00 0 \n"
		      "Size:                  4 kB\n"
		      "Rss:                   4 kB\n"
		      "Rss:                   4 kB\n", &e);
	ok(r < 0 && !strcmp(e.msg, SRC ":4: duplicate smaps key"),
	   "smaps: a repeated kernel-shaped key is refused (%s)", e.msg);
	vset_free(&s);
	r = parse(&s, "Rss:                   4 kB\n", &e);
	ok(r < 0 && strstr(e.msg, SRC ":1: "),
	   "smaps: a kernel-shaped key before any region is refused (%s)",
	   e.msg);
	vset_free(&s);
}

/*
 * Headers in the kernel's 64-bit shape are read at fixed columns; the same
 * header spelled any other way goes through the general parser.  Both
 * must give the same region, and refuse the same mistakes.
 */
static void random_header(char *buf, size_t size, unsigned int seed,
			  bool kernel)
{
	uint64_t start = (0x550000000000ULL + (uint64_t)seed * 0x9e3779b1ULL) &
			 ~0xfffULL;
	static const char *perms[] = { "r--p", "rw-p", "r-xp", "---p", "rwxs" };

	snprintf(buf, size, kernel ? "%012llx-%012llx %s %08llx %02x:%02x %u"
		 : "%012llx-%012llx  %s  %08llx  %02x:%02x  %u",
		 (unsigned long long)start,
		 (unsigned long long)(start + 0x1000ULL * (1 + seed % 9)),
		 perms[seed % 5], (unsigned long long)(seed % 3) * 0x1000ULL *
		 (seed % 97), seed % 256, (seed * 7) % 256, seed * 31);
}

static void test_header_shapes(void)
{
	char a[128], b[128];
	bool same = true;

	for (unsigned int i = 0; same && i < 5000; i++) {
		struct vma x, y;
		const char *nx, *ny, *why;
		size_t lx, ly;

		random_header(a, sizeof(a), i, true);
		random_header(b, sizeof(b), i, false);
		same = !maps_parse_header(a, strlen(a), &x, &nx, &lx, &why) &&
		       !maps_parse_header(b, strlen(b), &y, &ny, &ly, &why) &&
		       !memcmp(&x, &y, sizeof(x)) && lx == 0 && ly == 0;
		if (!same)
			diag("differs: '%s' / '%s'", a, b);
	}
	ok(same, "header: 5000 kernel-shaped headers read like the same "
	   "headers with wider spacing");
}

/* Lower-case hex digit, as the word readers take them. */
static bool lower_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/*
 * The word readers (maps_hex_word, maps_hex_wide: 8 to 16 digits at once)
 * against maps_hex_fixed, with every byte value at every position: they
 * take exactly the lower-case digits and read the same number.
 */
static void test_hex_words(void)
{
	static const char digits[] = "0123456789abcdef";
	char buf[16];
	long checks = 0, off = 0;

	for (unsigned int n = 8; n <= 16; n++) {
		for (unsigned int i = 0; i < n; i++)
			buf[i] = digits[(i * 7 + n) % 16];
		for (unsigned int pos = 0; pos < n; pos++) {
			char keep = buf[pos];

			for (int b = 0; b < 256; b++) {
				uint64_t want = 0, wide = 1, word = 1;
				bool good;

				buf[pos] = (char)b;
				good = lower_hex((char)b);
				maps_hex_fixed(buf, n, &want);
				off += maps_hex_wide(buf, n, &wide) != good ||
				       (good && wide != want);
				if (n == 8)
					off += maps_hex_word(buf, &word) != good ||
					       (good && word != want);
				checks++;
			}
			buf[pos] = keep;
		}
	}
	ok(off == 0, "word hex readers: %ld strings of 8 to 16 digits with "
	   "every byte at every position, %ld off", checks, off);
}

struct shape_case {
	const char *line;
	uint64_t start, end, offset;	/* end 0: refused */
};

static const struct shape_case shape_cases[] = {
	{ "7F0000000000-7F0000001000 r--p 00000000 08:01 5 /x",
	  0x7f0000000000, 0x7f0000001000, 0 },
	{ "7f0000000000-7f0000001000 r--p 0000ABCD 08:01 5 /x",
	  0x7f0000000000, 0x7f0000001000, 0xabcd },
	{ "7f0000000000-7f0000001000 r--p 00000000 0A:01 5 /x",
	  0x7f0000000000, 0x7f0000001000, 0 },
	{ "ffffffffffff-7f0000001000 r--p 00000000 08:01 5 /x", 0, 0, 0 },
	{ "7f0000000000-7f0000001000 r--p 0000000g 08:01 5 /x", 0, 0, 0 },
	{ "7f000000000g-7f0000001000 r--p 00000000 08:01 5 /x", 0, 0, 0 },
	{ "7f0000000000-7f00000010\xe0" "0 r--p 00000000 08:01 5 /x", 0, 0, 0 },
	{ "7f0000000000-7f0000001000 r--p 00000000 08:0: 5 /x", 0, 0, 0 },
	{ "7f0000000000-7f0000001000 rw-x 00000000 08:01 5 /x", 0, 0, 0 },
	{ "7f0000000000-7f0000001000 r--p 00000000 08:01 x /x", 0, 0, 0 },
};

static void test_header_odd_shapes(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(shape_cases); i++) {
		const struct shape_case *c = &shape_cases[i];
		struct vma v;
		const char *n, *why = "";
		size_t nl;
		int r = maps_parse_header(c->line, strlen(c->line), &v, &n,
					  &nl, &why);

		if (c->end)
			ok(!r && v.start == c->start && v.end == c->end &&
			   v.offset == c->offset && nl == 2,
			   "header read by the general parser: %s", c->line);
		else
			ok(r == -EBADMSG && *why, "header refused: %s (%s)",
			   c->line, why);
	}
}

/* ---------------------------------------------------------- errors */

#define A1 "00400000-00401000 r-xp 00000000 08:01 42 /bin/x\n"
#define A2 "00401000-00402000 rw-p 00001000 08:01 42 /bin/x\n"
#define A3 "00402000-00403000 rw-p 00000000 00:00 0 \n"
#define F1 "Rss: 4 kB\nVmFlags: rd ex\n"

#define E_PERMS	"bad permissions (want 4 characters like r-xp)"
#define E_INODE	"bad inode number"
#define E_DEV	"bad device (want MAJ:MIN in hex)"
#define E_VALUE	"bad smaps value (want a number, maybe with kB)"
#define E_TRUNC	"last line has no newline (truncated file?)"
#define E_NOSM	"region has no smaps fields (mixed maps and smaps, " \
		"or truncated file)"
#define E_NOVMF	"smaps record ends early: no VmFlags line (truncated file?)"
#define E_LINE	"not a maps or smaps line"
#define E_DUPX	"duplicate smaps key (or one named like another)"

struct ecase {
	const char *what;
	const char *text;
	unsigned int line;
	const char *why;
};

static const struct ecase ecases[] = {
	{ "bad perms letter", A1 "00401000-00402000 rwxq 00000000 00:00 0\n",
	  2, E_PERMS },
	{ "perms too short", A1 "00401000-00402000 r-x 00000000 00:00 0\n",
	  2, E_PERMS },
	{ "perms too long", "00401000-00402000 r-xpp 00000000 00:00 0\n",
	  1, E_PERMS },
	{ "perms out of order", "00401000-00402000 xr-p 00000000 00:00 0\n",
	  1, E_PERMS },
	{ "end equals start", A1 A2 "00402000-00402000 rw-p 00000000 00:00 0\n",
	  3, "end address not above start address" },
	{ "end below start", "00402000-00401000 rw-p 00000000 00:00 0\n",
	  1, "end address not above start address" },
	{ "missing inode", A1 "00401000-00402000 r-xp 00000000 08:01\n",
	  2, E_INODE },
	{ "missing inode, trailing space",
	  "00401000-00402000 r-xp 00000000 08:01 \n", 1, E_INODE },
	{ "letters in inode", "00401000-00402000 r-xp 00000000 08:01 12a /x\n",
	  1, E_INODE },
	{ "inode UINT64_MAX + 1",
	  "00401000-00402000 r--p 00000000 08:01 18446744073709551616 /x\n",
	  1, E_INODE },
	{ "inode 99999999999999999999",
	  "00401000-00402000 r--p 00000000 08:01 99999999999999999999 /x\n",
	  1, E_INODE },
	{ "17-digit start address",
	  "00000000000400000-00401000 r--p 00000000 08:01 1 /x\n",
	  1, "bad start address" },
	{ "17-digit end address",
	  "00400000-00000000000401000 r--p 00000000 08:01 1 /x\n",
	  1, "bad end address" },
	{ "no end address", "00400000- r--p 00000000 08:01 1 /x\n",
	  1, "bad end address" },
	{ "bad offset", "00400000-00401000 r--p xyz 08:01 1 /x\n",
	  1, "bad file offset" },
	{ "offset not followed by a blank",
	  "00400000-00401000 r--p 0000000x 08:01 1 /x\n", 1, "bad file offset" },
	{ "17-digit offset",
	  "00400000-00401000 r--p 00000000000000000 08:01 1 /x\n",
	  1, "bad file offset" },
	{ "device without colon", "00400000-00401000 r--p 00000000 0801 1 /x\n",
	  1, E_DEV },
	{ "device without minor", "00400000-00401000 r--p 00000000 08: 1 /x\n",
	  1, E_DEV },
	{ "9-digit major",
	  "00400000-00401000 r--p 00000000 123456789:01 1 /x\n", 1, E_DEV },
	{ "not a maps line", A1 "hello world\n", 2, E_LINE },
	{ "leading blank", " 00400000-00401000 r--p 00000000 08:01 1 /x\n",
	  1, E_LINE },
	{ "blank line", A1 "\t\n", 2, E_LINE },
	{ "key before first region", "Rss:  4 kB\n" A1,
	  1, "smaps field before the first region line" },
	{ "VmFlags before first region", "VmFlags: rd\n",
	  1, "smaps field before the first region line" },
	{ "non-numeric value", A1 "Rss:  four kB\n", 2, E_VALUE },
	{ "bad value: junk after kB", A1 "Rss:  4 kB x\n", 2, E_VALUE },
	{ "bad value: negative", A1 "Rss:  -4 kB\n", 2, E_VALUE },
	{ "bad value: empty", A1 "Size: 4 kB\nRss:\n", 3, E_VALUE },
	{ "bad value: 2^64", A1 "THPeligible: 18446744073709551616\n",
	  2, E_VALUE },
	{ "duplicate key", A1 "Rss: 4 kB\nPss: 4 kB\nRss: 4 kB\n",
	  4, "duplicate smaps key" },
	{ "duplicate key in second region",
	  A1 F1 A2 "Rss: 4 kB\nRss: 4 kB\nVmFlags: rd\n",
	  6, "duplicate smaps key" },
	{ "duplicate unknown key", A1 "Foo: 1\nFoo: 2\n", 3, E_DUPX },
	{ "unknown key named like a known one", A1 "Rss: 4 kB\nrss: 4 kB\n",
	  3, E_DUPX },
	{ "unknown key named like a region field", A1 "Start: 4 kB\n",
	  2, E_DUPX },
	{ "two unknown keys with one JSON name", A1 "FooBar: 1\nFoo_Bar: 2\n",
	  3, E_DUPX },
	{ "unknown key named like another's KEY_hex",
	  A1 "Foo: \xff\nFooHex: 1\n", 3, E_DUPX },
	{ "duplicate VmFlags", A1 "VmFlags: rd\nVmFlags: rd\n",
	  3, "duplicate VmFlags line" },
	{ "missing kB unit", A1 "Rss: 4\n", 2, "missing kB unit" },
	{ "kB on THPeligible", A1 "THPeligible: 1 kB\n",
	  2, "unexpected kB unit" },
	{ "kB on ProtectionKey", A1 "ProtectionKey: 0 kB\n",
	  2, "unexpected kB unit" },
	{ "kB value overflows bytes", A1 "Rss: 18014398509481984 kB\n",
	  2, "smaps value too large" },
	{ "truncated last header", A1 "00401000-00402000 rw-p", 2, E_TRUNC },
	{ "complete line without newline",
	  "00400000-00401000 r-xp 00000000 08:01 42 /bin/x", 1, E_TRUNC },
	{ "truncated key line", A1 "Rss:   4", 2, E_TRUNC },
	{ "empty line in the middle", A1 "\n" A2, 2, "empty line" },
	{ "empty first line", "\n" A1, 1, "empty line" },
	{ "empty last line", A1 A2 "\n", 3, "empty line" },
	{ "region without smaps fields", A1 F1 A2 A3 F1, 4, E_NOSM },
	{ "last region without smaps fields", A1 F1 A2, 4, E_NOSM },
	{ "first region without smaps fields", A1 A2 F1, 1, E_NOSM },
	{ "last record without VmFlags", A1 F1 A2 F1 A3 "Rss: 4 kB\n",
	  7, E_NOVMF },
	{ "bad line after a complete smaps record", A1 F1 A2 "hello\n",
	  5, E_LINE },
	{ "bad value in a second smaps record", A1 F1 A2 "Rss: x kB\n",
	  5, E_VALUE },
	{ "middle record without VmFlags", A1 F1 A2 "Rss: 4 kB\n" A3 F1,
	  4, E_NOVMF },
};

static void test_ecase(const struct ecase *c)
{
	char want[256];
	struct vmaset s;
	struct err e;
	int r = parse(&s, c->text, &e);

	snprintf(want, sizeof(want), "%s:%u: %s", SRC, c->line, c->why);
	if (!ok(r == -EBADMSG && e.code == -EBADMSG && !strcmp(e.msg, want),
		"error: %s -> '%s'", c->what, want))
		diag("rc %d code %d msg '%s'", r, e.code, e.msg);
	vset_free(&s);
}

/* Too many unknown VmFlags codes, and one too long: errors, not overflows. */
static void test_vmflags_overflow(void)
{
	struct sbuf b[2] = { { 0 } };
	struct vmaset s;
	struct err e;

	for (int i = 0; i < 2; i++)
		sb_add(&b[i], A1 "VmFlags: rd ");
	sb_repeat(&b[0], "zz ", 300);
	sb_repeat(&b[1], "z", 600);
	for (int i = 0; i < 2; i++) {
		sb_add(&b[i], "\n");
		ok(parse(&s, b[i].p, &e) == -EBADMSG &&
		   !strncmp(e.msg, SRC ":2: ", strlen(SRC ":2: ")),
		   "error: %s unknown VmFlags: %s", i ? "a 600-byte" : "300",
		   e.msg);
		vset_free(&s);
		free(b[i].p);
	}
}

static void test_errors(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(ecases); i++)
		test_ecase(&ecases[i]);
	test_vmflags_overflow();
}

/* ---------------------------------------------------- maps_parse_header */

static void test_header_direct(void)
{
	static const char line[] = "00400000-00401000 r-xp 00001000 fe:01 42"
				   "   /bin/x y  ";
	struct vma v;
	const char *name = NULL, *why = NULL;
	size_t len = 99;
	int r;

	r = maps_parse_header(line, sizeof(line) - 1, &v, &name, &len, &why);
	ok(r == 0 && v.start == 0x400000 && v.end == 0x401000 &&
	   v.offset == 0x1000 && v.major == 0xfe && v.minor == 1 &&
	   v.inode == 42 && v.perms == (R | X) && v.smaps == VMA_NO_SMAPS &&
	   name == line + 43 && len == 10 && !memcmp(name, "/bin/x y  ", 10),
	   "maps_parse_header: fields and the raw name span");
	r = maps_parse_header(line, 40, &v, &name, &len, &why);
	ok(r == 0 && v.inode == 42 && len == 0,
	   "maps_parse_header: line ending at the inode has an empty name");
	r = maps_parse_header(line, 39, &v, &name, &len, &why);
	ok(r == 0 && v.inode == 4, "maps_parse_header: honours the length");
	r = maps_parse_header("00400000-00401000 r-xp", 22, &v, &name, &len,
			      &why);
	ok(r == -EBADMSG && why && !strcmp(why, "bad file offset"),
	   "maps_parse_header: reason in *why ('%s')", why ? why : "NULL");
}

/* ------------------------------------------------------- detection */

static const struct {
	const char *text;
	enum maps_format f;
} dcases[] = {
	{ "", MF_EMPTY },
	{ A1, MF_MAPS },
	{ A1 A2, MF_MAPS },
	{ "00400000-00401000 r-xp", MF_MAPS },
	{ A1 "Size:                  4 kB\n", MF_SMAPS },
	{ A1 "VmFlags: rd\n", MF_SMAPS },
	{ "{\"vmamap\": 1}\n", MF_JSON },
	{ " \n\t{", MF_JSON },
	{ "[\n{\"vmamap\": 1}]\n", MF_JSON },
	{ "garbage\n", MF_UNKNOWN },
	{ "\x7f" "ELF\x02\x01", MF_UNKNOWN },
	{ "Rss: 4 kB\n", MF_UNKNOWN },
};

static void test_detect(void)
{
	static const char *const names[] = {
		[MF_EMPTY] = "empty", [MF_MAPS] = "maps", [MF_SMAPS] = "smaps",
		[MF_JSON] = "json", [MF_UNKNOWN] = "unknown",
	};
	for (size_t i = 0; i < ARRAY_SIZE(dcases); i++) {
		enum maps_format f = maps_parse_detect(dcases[i].text,
						       strlen(dcases[i].text));

		ok(f == dcases[i].f, "detect case %zu: %s (got %s)", i,
		   names[dcases[i].f], names[f]);
	}
}

/* ------------------------------------------------------ the model */

static void test_intern(void)
{
	struct vmaset s;
	struct err e;
	uint32_t a, b, c, z, nul;
	bool same = true;
	uint32_t off[1000];
	char key[32];

	parse(&s, A1 A2 "00500000-00501000 r--p 00000000 08:01 43 /bin/y\n",
	      &e);
	ok(s.n == 3 && s.v[0].path && s.v[0].path == s.v[1].path &&
	   s.v[2].path != s.v[0].path,
	   "intern: two regions of one file share their path offset");
	a = vset_intern(&s, "/bin/x", 6);
	b = vset_intern(&s, "/bin/xy", 6);
	c = vset_intern(&s, "/bin/xy", 7);
	z = vset_intern(&s, "", 0);
	nul = vset_intern(&s, "a\0b", 3);
	ok(a == s.v[0].path && b == a && c && c != a && z && z != a &&
	   vset_strlen(&s, z) == 0 && !*vset_str(&s, z) && nul &&
	   vset_strlen(&s, nul) == 3 && !memcmp(vset_str(&s, nul), "a\0b", 4),
	   "intern: dedup, lengths, empty string, inner NUL");
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "/lib/lib%d.so", i);
		off[i] = vset_intern(&s, key, strlen(key));
	}
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "/lib/lib%d.so", i);
		same &= off[i] && vset_intern(&s, key, strlen(key)) == off[i] &&
			!strcmp(vset_str(&s, off[i]), key);
	}
	ok(same && vset_intern(&s, "/bin/x", 6) == a,
	   "intern: 1000 strings keep their offsets as the table grows");
	vset_free(&s);
}

static const struct {
	const char *what, *text;
	size_t disorder;
} discases[] = {
	{ "sorted and adjacent", A1 A2 A3, 0 },
	{ "overlapping", "00001000-00003000 r--p 00000000 00:00 0 \n"
		"00002000-00004000 r--p 00000000 00:00 0 \n", 1 },
	{ "printed twice", A1 A1 A2, 1 },
	{ "backwards", A3 A2 A1, 2 },
	{ "one back, then on", A2 A1 A3, 1 },
};

static void test_disorder(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(discases); i++) {
		struct vmaset s;
		struct err e;
		size_t d;

		parse(&s, discases[i].text, &e);
		d = vset_disorder(&s);
		ok(d == discases[i].disorder, "disorder: %s: %zu (want %zu)",
		   discases[i].what, d, discases[i].disorder);
		vset_free(&s);
	}
}

/* Out of order on purpose, with distinct names and Rss per region. */
static const char unsorted[] =
	"00008000-00009000 r--p 00000000 00:00 0 /d\nRss: 4 kB\n"
	"00003000-00004000 r--p 00000000 00:00 0 /b\nRss: 2 kB\n"
	"00001000-00002000 r--p 00000000 00:00 0 /a\nRss: 1 kB\n"
	"00004000-00005000 r--p 00000000 00:00 0 /c\nRss: 3 kB\n";

static bool sorted_ok(const struct vmaset *s)
{
	static const char *const path[] = { "/a", "/b", "/c", "/d" };
	static const uint32_t line[] = { 5, 3, 7, 1 };

	for (size_t i = 0; i < 4; i++) {
		const struct vma *v = &s->v[i];

		if (v->start != (i == 3 ? 0x8000 : (i ? i + 2 : 1) * 0x1000) ||
		    !path_is(s, v, path[i]) || v->line != line[i] ||
		    vset_smaps(s, v)->val[SM_RSS] != (i + 1) * KB)
			return false;
	}
	return true;
}

static const struct {
	uint64_t addr;
	int want;	/* index into the sorted set, -1: NULL */
} fcases[] = {
	{ 0, 0 }, { 0x1000, 0 }, { 0x1fff, 0 }, { 0x2000, 1 }, { 0x2fff, 1 },
	{ 0x3000, 1 }, { 0x3fff, 1 }, { 0x4000, 2 }, { 0x4fff, 2 },
	{ 0x5000, 3 }, { 0x8fff, 3 }, { 0x9000, -1 }, { UINT64_MAX, -1 },
};

static void test_find(const struct vmaset *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(fcases); i++) {
		const struct vma *v = vset_find(s, fcases[i].addr);
		const struct vma *want = fcases[i].want < 0 ? NULL :
					 &s->v[fcases[i].want];

		ok(v == want, "vset_find(%#" PRIx64 ") = region %d",
		   fcases[i].addr, fcases[i].want);
	}
}

static void test_index(void)
{
	struct vmaset s;
	struct err e;

	ok(parse(&s, unsorted, &e) == 4 && vset_disorder(&s) == 2,
	   "unsorted smaps text parses, disorder 2: %s", e.msg);
	ok(vset_index(&s) == 0 && sorted_ok(&s) && vset_disorder(&s) == 0,
	   "vset_index sorts regions with their names, lines and smaps");
	test_find(&s);
	ok(vset_index(&s) == 0 && sorted_ok(&s) &&
	   vset_find(&s, 0x4000) == &s.v[2], "vset_index again is harmless");
	vset_free(&s);
	vset_init(&s);
	ok(vset_index(&s) == 0 && !vset_find(&s, 0), "empty set: find NULL");
	vset_free(&s);
}

/* vset_find()'s answer as an index, -1 for NULL. */
static long find_at(const struct vmaset *s, uint64_t addr)
{
	const struct vma *v = vset_find(s, addr);

	return v ? v - s->v : -1;
}

/*
 * A set sorted by vset_sort() with no region overlapping is searched in
 * its array (no tree); the answers are the tree's, at every edge of
 * regions with and without holes between them.
 */
static void test_find_ordered(void)
{
	static const char overlap[] =
		"00001000-00004000 r--p 00000000 00:00 0 \n"
		"00002000-00003000 r--p 00000000 00:00 0 \n";
	struct vmaset s, t;
	struct err e;
	bool same = true;

	ok(parse(&s, unsorted, &e) == 4 && s.jumbled,
	   "regions read out of order: jumbled");
	vset_sort(&s);
	ok(sorted_ok(&s) && s.ordered && !s.jumbled && !vset_indexed(&s),
	   "vset_sort sorts them, finds them ordered, builds no tree");
	test_find(&s);
	vset_free(&s);
	vset_init(&s);
	vset_init(&t);
	for (uint64_t i = 0; i < 300; i++) {
		struct vma v = { .start = (i * 7 + i % 3) << 12 };

		v.end = v.start + ((1 + i % 5) << 12);
		same = vset_add(&s, &v) && vset_add(&t, &v) && same;
	}
	vset_sort(&s);
	ok(same && s.ordered && !s.jumbled && !vset_need_find(&s) &&
	   !vset_indexed(&s) && !vset_index(&t),
	   "300 regions in order: ordered, vset_need_find builds no tree");
	for (uint64_t a = 0x800; same && a < (2200u << 12); a += 0x800)
		same = find_at(&s, a) == find_at(&t, a) &&
		       find_at(&s, a - 1) == find_at(&t, a - 1);
	ok(same, "vset_find without a tree answers as the tree, at every "
	   "page edge and the byte before it");
	ok(vset_find(&s, UINT64_MAX) == NULL, "vset_find past the end: NULL");
	vset_free(&s);
	vset_free(&t);
	ok(parse(&s, overlap, &e) == 2 && s.jumbled, "overlap: jumbled");
	vset_sort(&s);
	ok(!s.ordered && s.jumbled && !vset_need_find(&s) &&
	   vset_indexed(&s) && vset_find(&s, 0x3800) == &s.v[0],
	   "overlapping regions: not ordered, vset_need_find builds the tree");
	vset_free(&s);
}

/* maps_parse appends and returns the count it added. */
static void test_append(void)
{
	struct vmaset s;
	struct err e;
	int r1 = parse(&s, A1 A2, &e);
	int r2 = maps_parse(&s, A3, strlen(A3), SRC, &e);

	ok(r1 == 2 && r2 == 1 && s.n == 3 && s.v[2].line == 1 &&
	   s.v[2].start == 0x402000,
	   "maps_parse appends and returns the number of regions added");
	vset_free(&s);
}

/* What the permission field @f means, by the rules of show_map_vma(). */
static int perms_expected(const char *f)
{
	static const char on[] = "rwxs", off[] = "---p";
	int bits = 0;

	for (int i = 0; i < 4; i++) {
		if (f[i] == on[i])
			bits |= 1 << i;
		else if (f[i] != off[i])
			return -1;
	}
	return bits;
}

/*
 * Every permission field of four bytes from an alphabet of look-alikes
 * (case, the high bit, NUL, blanks), in a 64-bit (fixed-column) and a
 * 32-bit (general) header: accepted exactly when the kernel could print
 * it, with the right bits.
 */
static void test_perms_fields(void)
{
	static const char alpha[] = "rwxsp-RWSP \t\0\xf2\xad";
	const size_t na = sizeof(alpha) - 1;
	size_t wrong = 0, tried = 0;
	char line[80];

	for (size_t k = 0; k < na * na * na * na; k++) {
		char f[4] = { alpha[k % na], alpha[k / na % na],
			      alpha[k / na / na % na], alpha[k / na / na / na] };
		int want = perms_expected(f);

		for (int wide = 0; wide < 2; wide++) {
			struct vma v;
			const char *name, *why;
			size_t nl, n = (size_t)snprintf(line, sizeof(line), "%s"
				"-%s XXXX 00001000 fe:01 42 /x", wide ?
				"7f0000001000" : "00400000", wide ?
				"7f0000002000" : "00401000");
			int r;

			memcpy(strchr(line, 'X'), f, 4);
			r = maps_parse_header(line, n, &v, &name, &nl, &why);
			tried++;
			wrong += want < 0 ? r != -EBADMSG
					  : r != 0 || v.perms != want;
		}
	}
	ok(!wrong, "%zu permission fields from look-alike bytes, wide and "
	   "narrow headers: %zu judged wrong", tried, wrong);
}

int main(void)
{
	test_perms_fields();
	test_headers();
	test_names();
	test_whitespace();
	test_long_lines();
	test_smaps();
	test_vmflag_table();
	test_maps_not_smaps();
	test_smaps_limits();
	test_smaps_fast();
	test_header_shapes();
	test_header_odd_shapes();
	test_hex_words();
	test_errors();
	test_header_direct();
	test_detect();
	test_intern();
	test_disorder();
	test_index();
	test_find_ordered();
	test_append();
	return tap_done();
}
