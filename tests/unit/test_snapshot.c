// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_snapshot.c - unit test of snap_load(): every field of a document
 * lands in the model (source, torn, regions, names byte for byte, class,
 * tid, smaps counters, VmFlags, extras), gaps are skipped, every error
 * message names its JSON path, and the writer's output of names and
 * source strings holding each of the 256 byte values reads back exactly.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "obuf.h"
#include "render_json.h"
#include "snapshot.h"
#include "tap.h"
#include "vmaset.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char full_doc[] =
	"{\"vmamap\": 1, \"source\": {\"type\": \"pid\", \"pid\": 4242,"
	" \"comm\": \"x\", \"comm_hex\": \"6dff\", \"cmdline\": \"a\\u0000b\","
	" \"proc_root\": \"/proc\", \"captured_at\": \"2026-11-21T07:31:00Z\","
	" \"format\": \"smaps\"},\n"
	" \"torn\": true, \"vmas\": [\n"
	"  {\"start\": \"0x1000\", \"end\": \"0x3000\", \"class\": \"gap\"},\n"
	"  {\"start\": \"0x400000\", \"end\": \"0x401000\", \"size\": 4096,"
	" \"perms\": \"r-xs\", \"offset\": \"0x2000\", \"dev\": \"103:0a\","
	" \"inode\": 99, \"path\": \"/bin/x\\u0000y\", \"deleted\": true,"
	" \"class\": \"shared\", \"tid\": 7, \"rss\": 4096,"
	" \"thp_eligible\": 1,"
	" \"new_key\": 12, \"text_key\": \"t\", \"text_key_hex\": \"ff00\","
	" \"other\": [1], \"vm_flags\": [\"rd\", \"ex\", \"zz\", \"q9\"]},\n"
	"  {\"start\": \"0x500000\", \"end\": \"0x501000\","
	" \"perms\": \"---p\","
	" \"path\": \"x\", \"path_hex\": \"5b737461636b5d\"}\n"
	"]}\n";

static int load(struct vmaset *s, const char *doc, struct err *e)
{
	vset_init(s);
	memset(e, 0, sizeof(*e));
	return snap_load(s, doc, strlen(doc), "t.json", e);
}

static bool pool_is(const struct vmaset *s, uint32_t off, const char *p,
		    size_t len)
{
	return off && vset_strlen(s, off) == len &&
	       !memcmp(vset_str(s, off), p, len);
}

static void test_source(const struct vmaset *s)
{
	const struct vset_source *src = &s->src;

	ok(src->kind == VS_PID && src->pid == 4242, "source: pid 4242");
	ok(pool_is(s, src->comm, "m\xff", 2), "source: comm from comm_hex");
	ok(pool_is(s, src->cmdline, "a\0b", 3), "source: cmdline with a NUL");
	ok(pool_is(s, src->proc_root, "/proc", 5), "source: proc_root");
	ok(src->captured_at == 1795246260, "source: captured_at in UTC "
	   "(got %lld)", (long long)src->captured_at);
	ok(src->smaps, "source: format smaps");
	ok(pool_is(s, src->snapshot, "t.json", 6),
	   "source: the snapshot label");
	ok(s->torn, "torn: true");
}

static void test_region(const struct vmaset *s)
{
	const struct vma *v = &s->v[0];

	ok(v->start == 0x400000 && v->end == 0x401000, "region: range");
	ok(v->perms == (VP_READ | VP_EXEC | VP_SHARED), "region: perms");
	ok(v->offset == 0x2000 && v->major == 0x103 && v->minor == 0xa &&
	   v->inode == 99, "region: offset, dev, inode");
	ok(pool_is(s, v->path, "/bin/x\0y", 8) && v->path_len == 8,
	   "region: path with a NUL");
	ok(v->name == VN_FILE && (v->flags & VF_DELETED), "region: a deleted "
	   "file");
	ok(v->cls == VC_SHARED && v->tid == 7 && v->line == 2,
	   "region: class, tid, line");
	ok(pool_is(s, s->v[1].path, "[stack]", 7) && s->v[1].name == VN_STACK,
	   "region: path_hex wins over path; name kind from the bytes");
	ok(s->v[1].cls == VC_NCLASS && !(s->v[1].flags & VF_SMAPS),
	   "region: no class given is VC_NCLASS; no smaps keys, no record");
}

static void test_smaps(const struct vmaset *s)
{
	const struct vma_smaps *sm = vset_smaps(s, &s->v[0]);
	const struct sm_extra *x;

	if (!ok(sm != NULL, "smaps: a record"))
		return;
	ok(sm->val[SM_SIZE] == 4096 && (sm->have & 1u << SM_SIZE),
	   "smaps: Size is end - start");
	ok(sm->val[SM_RSS] == 4096 && sm->val[SM_THP_ELIGIBLE] == 1 &&
	   sm->have == (1u << SM_SIZE | 1u << SM_RSS | 1u << SM_THP_ELIGIBLE),
	   "smaps: known keys and their have bits");
	ok(sm->has_vmflags && sm->vmflags == 5 &&
	   pool_is(s, sm->vmf_unknown, "zz q9", 5), "smaps: VmFlags");
	if (!ok(sm->nextra == 2, "smaps: two extras (got %u)", sm->nextra))
		return;
	x = &s->extras[sm->extra];
	ok(pool_is(s, x->key, "new_key", 7) && x->numeric && x->value == 12,
	   "smaps: a numeric extra");
	ok(pool_is(s, x[1].key, "text_key", 8) && !x[1].numeric &&
	   pool_is(s, x[1].raw, "\xff\0", 2), "smaps: a text extra from hex");
}

static void test_full(void)
{
	struct vmaset s;
	struct err e;
	int r = load(&s, full_doc, &e);

	if (!ok(r == 2 && s.n == 2, "a full document: 2 regions, gap skipped "
		"(got %d)", r))
		diag("%s", e.msg);
	if (s.n == 2) {
		test_source(&s);
		test_region(&s);
		test_smaps(&s);
	}
	vset_free(&s);
}

struct bcase {
	const char *doc, *msg;
};

#define V1	"{\"vmamap\": 1, "
#define RGN	"\"vmas\": [{\"start\": \"0x1000\", \"end\": \"0x2000\", " \
		"\"perms\": \"r--p\""

static const struct bcase bad[] = {
	{ "{\"vmamap\": 1,", "t.json:1:13: premature end of input" },
	{ "[]", "t.json: an empty array, not a snapshot" },
	{ "[{}, {}, {}]", "t.json: holds 3 snapshots; pick one (jq '.[0]')" },
	{ "[5]", "t.json: not a vmamap snapshot (not a JSON object)" },
	{ "{\"vmamap_diff\": 1}", "t.json: a vmamap diff document, not a "
	  "snapshot" },
	{ "{}", "t.json: not a vmamap snapshot (no \"vmamap\" key)" },
	{ "{\"vmamap\": \"1\"}", "t.json: vmamap: expected the schema "
	  "version, a number from 1" },
	{ "{\"vmamap\": 0.5}", "t.json: vmamap: expected the schema "
	  "version, a number from 1" },
	{ "{\"vmamap\": 3.5}", "t.json: snapshot schema version 3 is newer "
	  "than this vmamap reads (1); upgrade vmamap" },
	{ V1 "\"vmas\": {}}", "t.json: vmas: expected an array" },
	{ V1 "\"torn\": 1}", "t.json: torn: expected true or false" },
	{ V1 "\"source\": []}", "t.json: source: expected an object" },
	{ V1 "\"source\": {}}", "t.json: source: missing \"type\"" },
	{ V1 "\"source\": {\"type\": \"pipe\"}}", "t.json: source.type: "
	  "expected \"pid\" or \"file\"" },
	{ V1 "\"source\": {\"type\": \"pid\"}}", "t.json: source: missing "
	  "\"pid\"" },
	{ V1 "\"source\": {\"type\": \"pid\", \"pid\": 0}}", "t.json: "
	  "source.pid: expected a process ID above 0" },
	{ V1 "\"source\": {\"type\": \"pid\", \"pid\": 1, \"comm\": 5}}",
	  "t.json: source.comm: expected a string or null" },
	{ V1 "\"source\": {\"type\": \"pid\", \"pid\": 1, \"comm_hex\": "
	  "\"abc\"}}", "t.json: source.comm_hex: expected an even number of "
	  "hex digits" },
	{ V1 "\"source\": {\"type\": \"pid\", \"pid\": 1, \"captured_at\": "
	  "\"yesterday\"}}", "t.json: source.captured_at: expected a time "
	  "string \"YYYY-MM-DDTHH:MM:SSZ\"" },
	{ V1 "\"source\": {\"type\": \"file\", \"format\": \"text\"}}",
	  "t.json: source.format: expected \"maps\" or \"smaps\"" },
	{ V1 "\"vmas\": [1]}", "t.json: vmas[0]: expected an object" },
	{ V1 "\"vmas\": [{\"end\": \"0x1\"}]}", "t.json: vmas[0]: missing "
	  "\"start\"" },
	{ V1 RGN ", \"size\": 1}]}", "t.json: vmas[0].size: not end minus "
	  "start" },
	{ V1 RGN ", \"offset\": \"0x\"}]}", "t.json: vmas[0].offset: expected "
	  "an address string \"0x...\"" },
	{ V1 RGN ", \"inode\": -1}]}", "t.json: vmas[0].inode: expected a "
	  "non-negative integer" },
	{ V1 RGN ", \"dev\": \"08\"}]}", "t.json: vmas[0].dev: expected a "
	  "device string \"MM:mm\" in hex" },
	{ V1 RGN ", \"class\": \"code\"}]}", "t.json: vmas[0].class: "
	  "expected a class name such as \"text\"" },
	{ V1 RGN ", \"tid\": 4294967296}]}", "t.json: vmas[0].tid: number "
	  "too large" },
	{ V1 RGN ", \"deleted\": null}]}", "t.json: vmas[0].deleted: "
	  "expected true or false" },
	{ V1 RGN ", \"vm_flags\": \"rd\"}]}", "t.json: vmas[0].vm_flags: "
	  "expected an array of flag codes" },
	{ V1 RGN ", \"vm_flags\": [\"rd\", \"a b\"]}]}", "t.json: "
	  "vmas[0].vm_flags[1]: expected a flag code such as \"rd\"" },
	{ V1 RGN ", \"rss\": \"4096\"}]}", "t.json: vmas[0].rss: expected a "
	  "non-negative integer" },
	{ V1 RGN ", \"rss\": 1, \"x\": \"a\", \"x_hex\": \"zz\"}]}", "t.json: "
	  "vmas[0].x_hex: expected an even number of hex digits" },
	{ V1 RGN ", \"path_hex\": \"g0\"}]}", "t.json: vmas[0].path_hex: "
	  "expected an even number of hex digits" },
	{ V1 RGN ", \"rss\": 1, \"Pss\": 0}]}", "t.json: vmas[0].Pss: would "
	  "be written as a key the region has" },
	{ V1 RGN ", \"rss\": 1, \"Foo\": 1, \"foo_hex\": 2}]}", "t.json: "
	  "vmas[0].foo_hex: would be written as a key the region has" },
};

static void test_bad(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct vmaset s;
		struct err e;
		int r = load(&s, bad[i].doc, &e);

		if (!ok(r == -EBADMSG && !strcmp(e.msg, bad[i].msg),
			"bad %zu: %s", i, bad[i].msg))
			diag("got %d: %s", r, e.msg);
		vset_free(&s);
	}
}

/* The document json_render() writes for all of @s, malloc'd. */
static char *render(const struct vmaset *s, size_t *len)
{
	uint32_t *idx = calloc(s->n + 1, sizeof(*idx));
	struct obuf o;
	FILE *f = capture_start(&o);

	if (!idx)
		abort();
	for (size_t i = 0; i < s->n; i++)
		idx[i] = (uint32_t)i;
	json_render(s, idx, s->n, false, &o);
	free(idx);
	return capture_end(f, &o, len);
}

/* One region per byte value: "/b" + BYTE + (BYTE ^ 0x80) + "e". */
static void byte_set(struct vmaset *s)
{
	char name[4] = { '/', 0, 0, 'e' };

	vset_init(s);
	for (unsigned int b = 0; b < 256; b++) {
		struct vma v = { .start = (b + 1) * 4096, .end = (b + 2) * 4096,
				 .smaps = VMA_NO_SMAPS, .cls = VC_FILE };

		name[1] = (char)b;
		name[2] = (char)(b ^ 0x80);
		v.path = vset_intern(s, name, 4);
		v.path_len = 4;
		v.name = VN_FILE;
		if (!v.path || !vset_add(s, &v))
			abort();
	}
	s->src.kind = VS_PID;
	s->src.pid = 1;
	s->src.comm = vset_intern(s, "\xc3\x28\x00\x1b", 4);
	s->src.cmdline = vset_intern(s, "\xe2\x80\xae\xff", 4);
	s->src.proc_root = vset_intern(s, "/p\x80", 3);
}

static void test_bytes(void)
{
	struct vmaset a, b;
	struct err e = { 0 };
	size_t n1, n2;
	char *d1, *d2;
	bool same = true;

	byte_set(&a);
	d1 = render(&a, &n1);
	vset_init(&b);
	if (!ok(snap_load(&b, d1, n1, "bytes.json", &e) == 256,
		"all 256 byte values in names: the document loads"))
		diag("%s", e.msg);
	for (size_t i = 0; i < b.n && i < a.n; i++)
		same &= pool_is(&b, b.v[i].path, vset_str(&a, a.v[i].path), 4);
	ok(same && b.n == 256, "... every name comes back byte for byte");
	ok(pool_is(&b, b.src.comm, "\xc3\x28\x00\x1b", 4) &&
	   pool_is(&b, b.src.cmdline, "\xe2\x80\xae\xff", 4) &&
	   pool_is(&b, b.src.proc_root, "/p\x80", 3),
	   "... and so do comm, cmdline and proc_root");
	d2 = render(&b, &n2);
	ok(n1 == n2 && !memcmp(d1, d2, n1), "... and the document written "
	   "again is byte-identical");
	free(d1);
	free(d2);
	vset_free(&a);
	vset_free(&b);
}

int main(void)
{
	test_full();
	test_bad();
	test_bytes();
	return tap_done();
}
