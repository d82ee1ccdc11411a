// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_classify.c - unit test of the classifier.
 *
 * Each scenario is maps (or smaps) text parsed, indexed and classified;
 * every region's class is checked against the rules in classify.h, and
 * recomputed with class_of() and an image test written here from the
 * rules, so the one class a region gets is the one the rules give.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "maps_parse.h"
#include "tap.h"
#include "testset.h"
#include "vmaset.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_REGIONS	32

struct scenario {
	const char *what;
	const char *text;	/* maps or smaps text */
	const char *want;	/* a class name per region, in address order */
};

static const struct scenario scenarios[] = {
	{ "executable, libc, heap, stack, kernel",
	  "555555554000-555555556000 r--p 00000000 103:03 100 /opt/bin/srv\n"
	  "555555556000-555555558000 r-xp 00002000 103:03 100 /opt/bin/srv\n"
	  "555555558000-555555559000 r--p 00004000 103:03 100 /opt/bin/srv\n"
	  "555555559000-55555555a000 rw-p 00005000 103:03 100 /opt/bin/srv\n"
	  "55555555a000-55555555b000 rw-p 00000000 00:00 0 \n"
	  "55555555b000-55555557c000 rw-p 00000000 00:00 0 [heap]\n"
	  "7ffff7d80000-7ffff7da8000 r--p 00000000 103:03 200 /lib/libc.so.6\n"
	  "7ffff7da8000-7ffff7f3d000 r-xp 00028000 103:03 200 /lib/libc.so.6\n"
	  "7ffff7f3d000-7ffff7f95000 r--p 001bd000 103:03 200 /lib/libc.so.6\n"
	  "7ffff7f95000-7ffff7f96000 ---p 00215000 103:03 200 /lib/libc.so.6\n"
	  "7ffff7f96000-7ffff7f9a000 r--p 00215000 103:03 200 /lib/libc.so.6\n"
	  "7ffff7f9a000-7ffff7f9c000 rw-p 00219000 103:03 200 /lib/libc.so.6\n"
	  "7ffff7f9c000-7ffff7fa9000 rw-p 00000000 00:00 0 \n"
	  "7ffff7fc1000-7ffff7fc5000 r--p 00000000 00:00 0 [vvar]\n"
	  "7ffff7fc5000-7ffff7fc7000 r-xp 00000000 00:00 0 [vdso]\n"
	  "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 [stack]\n"
	  "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n",
	  "rodata text rodata data bss heap rodata text rodata guard rodata "
	  "data bss kernel kernel stack kernel" },
	{ "the same, lines shuffled (classified after sorting)",
	  "7ffff7f9c000-7ffff7fa9000 rw-p 00000000 00:00 0 \n"
	  "555555559000-55555555a000 rw-p 00005000 103:03 100 /opt/bin/srv\n"
	  "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n"
	  "55555555a000-55555555b000 rw-p 00000000 00:00 0 \n"
	  "7ffff7f9a000-7ffff7f9c000 rw-p 00219000 103:03 200 /lib/libc.so.6\n"
	  "555555556000-555555558000 r-xp 00002000 103:03 100 /opt/bin/srv\n"
	  "7ffff7da8000-7ffff7f3d000 r-xp 00028000 103:03 200 /lib/libc.so.6\n",
	  "text data bss text data bss kernel" },
	{ "kernel names, known and unknown",
	  "7f0000000000-7f0000001000 r--p 00000000 00:00 0 [vvar_vclock]\n"
	  "7f0000001000-7f0000002000 r-xp 00000000 00:00 0 [uprobes]\n"
	  "7f0000002000-7f0000003000 r--p 00000000 00:00 0 [vectors]\n"
	  "7f0000003000-7f0000004000 r-xp 00000000 00:00 0 [sigpage]\n"
	  "7f0000004000-7f0000005000 rw-s 00000000 00:00 0 [vdso]\n"
	  "7f0000005000-7f0000006000 ---p 00000000 00:00 0 [vvar]\n"
	  "7f0000006000-7f0000007000 rw-s 00000000 00:00 0 [vectors]\n",
	  "kernel kernel kernel kernel kernel kernel kernel" },
	{ "shared beats everything but kernel",
	  "7f0000000000-7f0000001000 rw-s 00000000 08:01 10 /var/db/x\n"
	  "7f0000001000-7f0000002000 ---s 00000000 00:00 0 \n"
	  "7f0000002000-7f0000003000 rw-s 00000000 00:01 1030 "
	  "/dev/zero (deleted)\n"
	  "7f0000003000-7f0000004000 rw-s 00000000 00:01 32770 "
	  "/SYSV0000162e (deleted)\n"
	  "7f0000004000-7f0000005000 rw-s 00000000 00:01 9 "
	  "/memfd:wayland-shm (deleted)\n"
	  "7f0000005000-7f0000006000 rw-s 00000000 00:01 4096 "
	  "[anon_shmem:ring]\n"
	  "7f0000006000-7f0000007000 rw-s 00000000 00:0e 1056 "
	  "anon_inode:[io_uring]\n"
	  "7f0000007000-7f0000008000 r-xp 00000000 08:01 20 /lib/libz.so\n"
	  "7f0000008000-7f0000009000 r--s 00001000 08:01 20 /lib/libz.so\n"
	  "7f0000009000-7f000000a000 rw-s 00000000 00:00 0 [heap]\n"
	  "7f000000a000-7f000000b000 rw-s 00000000 00:00 0 [stack]\n"
	  "7f000000b000-7f000000c000 rw-p 00000000 00:00 0 \n",
	  "shared shared shared shared shared shared shared text shared "
	  "shared shared anon" },
	{ "guard: no access, anonymous or inside a library",
	  "7f0000000000-7f0000001000 ---p 00000000 00:00 0 \n"
	  "7f0000010000-7f0000011000 r-xp 00000000 08:01 30 /lib/liba.so\n"
	  "7f0000011000-7f0000012000 ---p 00001000 08:01 30 /lib/liba.so\n"
	  "7f0000012000-7f0000013000 r--p 00001000 08:01 30 /lib/liba.so\n"
	  "7f0000013000-7f0000014000 rw-p 00002000 08:01 30 /lib/liba.so\n"
	  "7f0000014000-7f0000015000 ---p 00000000 00:00 0 \n"
	  "7f0000020000-7f0000021000 ---p 00000000 00:00 0 [heap]\n"
	  "7f0000021000-7f0000022000 ---p 00000000 00:00 0 [stack:77]\n"
	  "7f0000022000-7f0000023000 ---p 00000000 08:01 40 /var/data\n",
	  "guard text guard rodata data guard guard guard guard" },
	{ "heap and stacks",
	  "55555555b000-55555557c000 rw-p 00000000 00:00 0 [heap]\n"
	  "7f0010500000-7f0010521000 rw-p 00000000 00:00 0 [stack:4321]\n"
	  "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 [stack]\n",
	  "heap stack stack" },
	{ "images: only files with an executable mapping",
	  "7f0000000000-7f0000001000 r--p 00000000 fe:01 5555 /var/lib/d.db\n"
	  "7f0000001000-7f0000002000 rw-p 00000000 fe:01 5556 /var/cache\n"
	  "7f0000002000-7f0000003000 rw-p 00000000 00:00 0 \n"
	  "7f0000010000-7f0000011000 r--p 00000000 08:01 10 /opt/e\n"
	  "7f0000011000-7f0000012000 r-xp 00001000 08:01 10 /opt/e\n"
	  "7f0000012000-7f0000013000 rw-p 00002000 08:01 10 /opt/e\n"
	  "7f0000020000-7f0000021000 r-xp 00000000 08:01 11 /opt/a\n"
	  "7f0000021000-7f0000022000 rw-p 00001000 08:01 12 /opt/a\n"
	  "7f0000030000-7f0000031000 r-xp 00000000 08:01 13 /opt/b\n"
	  "7f0000031000-7f0000032000 r--p 00001000 08:02 13 /opt/b\n"
	  "7f0000040000-7f0000041000 r-xp 00000000 08:01 14 /opt/c\n"
	  "7f0000041000-7f0000042000 r--p 00001000 08:01 14 /opt/d\n"
	  "7f0000050000-7f0000051000 r-xp 00000000 08:01 15 /opt/f (deleted)\n"
	  "7f0000051000-7f0000052000 rw-p 00001000 08:01 15 /opt/f (deleted)\n"
	  "7f0000060000-7f0000061000 rwxp 00000000 08:01 16 /opt/g\n",
	  "file file anon rodata text data text file text file text file "
	  "text data text" },
	{ "bss only right after a data region",
	  "7f0000000000-7f0000001000 r-xp 00000000 08:01 10 /lib/l.so\n"
	  "7f0000001000-7f0000002000 rw-p 00001000 08:01 10 /lib/l.so\n"
	  "7f0000003000-7f0000004000 rw-p 00000000 00:00 0 \n"
	  "7f0000004000-7f0000005000 r--p 00002000 08:01 10 /lib/l.so\n"
	  "7f0000005000-7f0000006000 rw-p 00000000 00:00 0 \n"
	  "7f0000006000-7f0000007000 rw-p 00003000 08:01 10 /lib/l.so\n"
	  "7f0000007000-7f0000008000 rw-p 00000000 00:00 0 [heap]\n"
	  "7f0000008000-7f0000009000 rw-p 00004000 08:01 10 /lib/l.so\n"
	  "7f0000009000-7f000000a000 r--p 00000000 00:00 0 \n"
	  "7f000000a000-7f000000b000 rw-p 00005000 08:01 10 /lib/l.so\n"
	  "7f000000b000-7f000000c000 rw-p 00000000 00:00 0 [anon:bss]\n"
	  "7f000000c000-7f000000d000 rw-p 00006000 08:01 10 /lib/l.so\n"
	  "7f000000d000-7f000000e000 rw-p 00000000 00:00 0 \n"
	  "7f000000e000-7f000000f000 rw-p 00000000 00:00 0 \n"
	  "7f000000f000-7f0000010000 r-xp 00000000 08:01 10 /lib/l.so\n"
	  "7f0000010000-7f0000011000 rw-p 00000000 00:00 0 \n"
	  "7f0000011000-7f0000012000 rw-s 00000000 08:01 10 /lib/l.so\n"
	  "7f0000012000-7f0000013000 rw-p 00000000 00:00 0 \n",
	  "text data anon rodata anon data heap data anon data anon data bss "
	  "anon text anon shared anon" },
	{ "anon: named, rwx, read-only, first region",
	  "00010000-00011000 rw-p 00000000 00:00 0 \n"
	  "7f0000000000-7f0000021000 rw-p 00000000 00:00 0 [anon:jemalloc]\n"
	  "7f0000100000-7f0000101000 rwxp 00000000 00:00 0 \n"
	  "7f0000200000-7f0000201000 r--p 00000000 00:00 0 \n"
	  "7f0000300000-7f0000301000 rw-p 00000000 00:00 0 "
	  "[anon:x (deleted)]\n"
	  "7f0000400000-7f0000401000 rw-p 00000000 00:01 4096 "
	  "[anon_shmem:priv]\n",
	  "anon anon anon anon anon anon" },
	{ "file: anon_inode, memfd and deleted files mapped private",
	  "7f0010401000-7f0010402000 r--p 00000000 00:0e 1056 "
	  "anon_inode:[perf_event]\n"
	  "7f0010402000-7f0010403000 r-xp 00000000 00:0e 1057 "
	  "anon_inode:[bpf]\n"
	  "7f0010403000-7f0010404000 r--p 00000000 00:01 9 "
	  "/memfd:blob (deleted)\n"
	  "7f0010404000-7f0010405000 rw-p 00000000 00:01 9 "
	  "/memfd:blob (deleted)\n"
	  "7f0010405000-7f0010406000 r--p 00000000 fe:01 5556 "
	  "/var/lib/old.db (deleted)\n"
	  "7f0010406000-7f0010407000 rw-p 00000000 00:05 88 /dev/dri/card0\n"
	  "7f0010407000-7f0010408000 r--p 00000000 00:0f 99 dmabuf:\n",
	  "file file file file file file file" },
	{ "smaps: VM_GROWSDOWN (gd) makes a stack",
	  "7f0000000000-7f0000021000 rw-p 00000000 00:00 0 \n"
	  "VmFlags: rd wr mr mw me gd ac \n"
	  "7f0000100000-7f0000121000 rw-p 00000000 00:00 0 \n"
	  "VmFlags: rd wr mr mw me ac \n",
	  "stack anon" },
	{ "maps: the same region without VmFlags is anon",
	  "7f0000000000-7f0000021000 rw-p 00000000 00:00 0 \n"
	  "7f0000100000-7f0000121000 rw-p 00000000 00:00 0 \n",
	  "anon anon" },
};

/* ------------------------------------------------------------ helpers */


/* Split @want into class indexes; returns the count or -1. */
static int want_classes(const char *want, int *cls, int max)
{
	int n = 0;

	while (*want) {
		size_t len = strcspn(want, " ");

		if (n == max || (cls[n++] = vma_class_from_name(want, len)) < 0)
			return -1;
		want += len;
		want += strspn(want, " ");
	}
	return n;
}

static const char *name_of(const struct vmaset *s, const struct vma *v)
{
	return v->path ? vset_str(s, v->path) : "(anon)";
}

/* The rules' image test, written independently: same bytes, dev, inode. */
static bool is_image(const struct vmaset *s, const struct vma *v)
{
	if (v->name != VN_FILE)
		return false;
	for (size_t i = 0; i < s->n; i++) {
		const struct vma *w = &s->v[i];

		if (w->name == VN_FILE && (w->perms & VP_EXEC) &&
		    w->path_len == v->path_len && w->inode == v->inode &&
		    w->major == v->major && w->minor == v->minor &&
		    !memcmp(vset_str(s, w->path), vset_str(s, v->path),
			    v->path_len))
			return true;
	}
	return false;
}

/* One ok line per region; then one for the class_of() recomputation. */
static void check_regions(const struct scenario *sc, const struct vmaset *s,
			  const int *want)
{
	size_t agree = 0;

	for (size_t i = 0; i < s->n; i++) {
		const struct vma *v = &s->v[i];

		ok(v->cls == want[i], "%s: %#" PRIx64 " %s is %s (got %s)",
		   sc->what, v->start, name_of(s, v),
		   vma_class_name((unsigned int)want[i]),
		   vma_class_name(v->cls));
		agree += v->cls < VC_NCLASS &&
			 class_of(s, v, is_image(s, v),
				  i ? &s->v[i - 1] : NULL) == v->cls;
	}
	ok(agree == s->n, "%s: each region has exactly one class, the one "
	   "class_of() gives (%zu of %zu)", sc->what, agree, s->n);
}

static void test_scenario(const struct scenario *sc)
{
	int want[MAX_REGIONS];
	int nwant = want_classes(sc->want, want, MAX_REGIONS);
	struct vmaset s;
	struct err e;
	int r = build(&s, sc->text, &e);

	if (ok(r >= 0 && nwant == (int)s.n, "%s: %d regions (want %d) %s",
	       sc->what, r, nwant, e.msg))
		check_regions(sc, &s, want);
	vset_free(&s);
}

static void test_scenarios(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(scenarios); i++)
		test_scenario(&scenarios[i]);
}

/* ----------------------------------------------------------- class_of */

static const char direct_text[] =
	"00400000-00401000 rw-p 00000000 00:00 0 \n"
	"00500000-00501000 r-xp 00000000 08:01 10 /bin/x\n"
	"00501000-00502000 r--p 00001000 08:01 10 /bin/x\n"
	"00502000-00503000 rw-p 00002000 08:01 10 /bin/x\n"
	"00503000-00504000 rw-p 00000000 00:00 0 \n"
	"00600000-00601000 r--p 00000000 00:00 0 [vectors]\n";

static void test_class_of(void)
{
	struct vmaset s;
	struct err e;
	const struct vma *v;

	build(&s, direct_text, &e);
	v = s.v;
	ok(s.n == 6 && class_of(&s, &v[0], false, NULL) == VC_ANON,
	   "class_of: first region, prev NULL: anon rw-p is anon");
	ok(class_of(&s, &v[4], false, &v[3]) == VC_BSS &&
	   class_of(&s, &v[4], false, NULL) == VC_ANON &&
	   class_of(&s, &v[4], false, &v[2]) == VC_ANON,
	   "class_of: bss needs a data region ending at its start");
	ok(class_of(&s, &v[1], true, NULL) == VC_TEXT &&
	   class_of(&s, &v[2], true, NULL) == VC_RODATA &&
	   class_of(&s, &v[3], true, NULL) == VC_DATA,
	   "class_of: image text / rodata / data by perms");
	ok(class_of(&s, &v[1], false, NULL) == VC_FILE &&
	   class_of(&s, &v[2], false, NULL) == VC_FILE &&
	   class_of(&s, &v[3], false, NULL) == VC_FILE,
	   "class_of: the same regions of a non-image are file");
	ok(class_of(&s, &v[5], false, NULL) == VC_KERNEL &&
	   class_of(&s, &v[5], true, &v[4]) == VC_KERNEL,
	   "class_of: [vectors] is kernel whatever the arguments");
	vset_free(&s);
}

/* ------------------------------------------------------------- names */

static void test_class_names(void)
{
	static const char *const names[VC_NCLASS] = {
		[VC_TEXT] = "text", [VC_RODATA] = "rodata", [VC_DATA] = "data",
		[VC_BSS] = "bss", [VC_HEAP] = "heap", [VC_STACK] = "stack",
		[VC_ANON] = "anon", [VC_SHARED] = "shared", [VC_FILE] = "file",
		[VC_GUARD] = "guard", [VC_KERNEL] = "kernel",
	};
	static const char *const bad[] = { "", "tex", "text ", "Text", "?",
					   "texts", "bs" };
	bool round = true, none = true;

	for (unsigned int i = 0; i < VC_NCLASS; i++) {
		const char *n = vma_class_name(i);

		round &= !strcmp(n, names[i]) &&
			 vma_class_from_name(n, strlen(n)) == (int)i;
	}
	ok(round, "class names round-trip through vma_class_from_name");
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		none &= vma_class_from_name(bad[i], strlen(bad[i])) == -1;
	ok(none, "unknown class names give -1");
	ok(vma_class_from_name("textile", 4) == VC_TEXT &&
	   vma_class_from_name("heapx", 4) == VC_HEAP,
	   "vma_class_from_name honours the length");
	ok(!strcmp(vma_class_name(VC_NCLASS), "?") &&
	   !strcmp(vma_class_name(255), "?"), "out-of-range class is '?'");
	for (unsigned int i = 0; i <= 255; i++) {
		size_t len;
		const char *n = vma_class_name_len(i, &len);

		round &= len == strlen(n) && len < VMA_CLASS_ROOM &&
			 n == vma_class_name(i);
	}
	ok(round, "vma_class_name_len gives each name's length, with room "
	   "to copy the padded name whole");
}

/* ------------------------------------------------------ thread stacks */

static const char threads_text[] =
	"7f0000000000-7f0000800000 rw-p 00000000 00:00 0 \n"
	"7f0000801000-7f0001001000 rw-p 00000000 00:00 0 \n"
	"7f0001001000-7f0001002000 r--p 00000000 08:01 12 /data\n"
	"7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0 [stack]\n";

static void test_thread_stacks(void)
{
	/* not sorted: the lowest TID must still win a shared region */
	static const struct vma_thread_sp sp[] = {
		{ 300, 0x7f0000001000 },	/* region 0, after 200 */
		{ 200, 0x7f0000000000 },	/* region 0, its first byte */
		{ 100, 0x7ffc00020ff8 },	/* [stack] */
		{ 400, 0x7f0000800800 },	/* the gap: ignored */
		{ 500, 0x7f0001001000 },	/* region 1's end: region 2 */
		{ 600, 0x10 },			/* below everything */
	};
	struct vmaset s;
	struct err e;

	build(&s, threads_text, &e);
	class_thread_stacks(&s, sp, ARRAY_SIZE(sp));
	ok(s.n == 4 && s.v[0].tid == 200 && s.v[0].cls == VC_STACK,
	   "thread stacks: a shared region takes the lowest TID");
	ok(s.v[1].tid == 0 && s.v[1].cls == VC_ANON,
	   "thread stacks: an SP in a gap or past the end marks nothing");
	ok(s.v[2].tid == 500 && s.v[2].cls == VC_FILE,
	   "thread stacks: end is exclusive, start inclusive; an SP in a "
	   "file mapping labels it but keeps its class");
	ok(s.v[3].tid == 100 && s.v[3].cls == VC_STACK && s.v[3].path,
	   "thread stacks: [stack] keeps its name and gets the TID");
	class_thread_stacks(&s, NULL, 0);
	ok(s.v[0].tid == 200, "thread stacks: no threads changes nothing");
	vset_free(&s);
}

/* @text parsed and sorted, as a load leaves it: no tree. */
static int build_sorted(struct vmaset *s, const char *text, struct err *e)
{
	int r;

	vset_init(s);
	memset(e, 0, sizeof(*e));
	r = maps_parse(s, text, strlen(text), "in.maps", e);
	if (r >= 0) {
		vset_sort(s);
		class_assign(s);
	}
	return r;
}

/* The same thread stacks with a tree built and without one. */
static bool same_stacks(const char *text, const struct vma_thread_sp *sp,
			size_t n, bool *tree)
{
	struct vmaset a, b;
	struct err e;
	bool same = build(&a, text, &e) >= 0 &&
		    build_sorted(&b, text, &e) >= 0 && a.n == b.n &&
		    !class_thread_stacks(&a, sp, n) &&
		    !class_thread_stacks(&b, sp, n);

	for (size_t i = 0; same && i < a.n; i++)
		same = a.v[i].tid == b.v[i].tid && a.v[i].cls == b.v[i].cls;
	*tree = vset_indexed(&b);
	vset_free(&a);
	vset_free(&b);
	return same;
}

/*
 * A consistent read needs no tree for the threads' stack pointers (a
 * binary search), a torn one (regions overlapping) gets one; both give
 * what the tree gives, for an SP at every edge of every region.
 */
static void test_stacks_without_tree(void)
{
	static const char torn[] =
		"7f0000000000-7f0000800000 rw-p 00000000 00:00 0 \n"
		"7f0000400000-7f0001001000 rw-p 00000000 00:00 0 \n"
		"7f0001001000-7f0001002000 r--p 00000000 08:01 12 /data\n";
	struct vma_thread_sp sp[64];
	struct vmaset s;
	struct err e;
	size_t n = 0;
	bool tree;

	build_sorted(&s, threads_text, &e);
	for (size_t i = 0; i < s.n && n + 4 <= ARRAY_SIZE(sp); i++) {
		uint64_t at[] = { s.v[i].start - 1, s.v[i].start,
				  s.v[i].end - 1, s.v[i].end };

		for (size_t j = 0; j < 4; j++, n++)
			sp[n] = (struct vma_thread_sp){ (pid_t)(n + 1), at[j] };
	}
	vset_free(&s);
	ok(same_stacks(threads_text, sp, n, &tree) && !tree,
	   "thread stacks of a consistent read: no tree built, the same "
	   "regions marked as with one (%zu SPs at every edge)", n);
	ok(same_stacks(torn, sp, n, &tree) && tree,
	   "thread stacks of a torn read: the tree is built, the same "
	   "regions marked");
}

/* An empty set classifies without trouble. */
static void test_empty(void)
{
	struct vmaset s;
	struct err e;

	ok(build(&s, "", &e) == 0 && s.n == 0, "empty set: class_assign ok");
	vset_free(&s);
}

int main(void)
{
	test_scenarios();
	test_class_of();
	test_class_names();
	test_thread_stacks();
	test_stacks_without_tree();
	test_empty();
	return tap_done();
}
