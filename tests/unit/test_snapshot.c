// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_snapshot.c - unit test of snap_load(): every field of a document
 * lands in the model (source, torn, regions, names byte for byte, class,
 * tid, smaps counters, VmFlags, extras), gaps are skipped, every error
 * message names its JSON path, keys may come in any order, the JSON
 * jansson refused is refused (with its position), the text fed in pieces
 * gives the same result, and the writer's output of names and source
 * strings holding each of the 256 byte values reads back exactly.
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
#include "pieces.h"
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

/*
 * full_doc with its keys in other orders (a JSON object is unordered):
 * the version last, "vmas" first, each region's keys reversed, KEY_hex
 * before KEY; only the extras (new_key, text_key) keep their order.
 */
static const char full_doc_shuffled[] =
	"{\"vmas\": [\n"
	"  {\"class\": \"gap\", \"end\": \"0x3000\", \"start\": \"0x1000\"},\n"
	"  {\"vm_flags\": [\"rd\", \"ex\", \"zz\", \"q9\"], \"other\": [1],"
	" \"new_key\": 12, \"text_key_hex\": \"ff00\", \"text_key\": \"t\","
	" \"thp_eligible\": 1, \"rss\": 4096, \"tid\": 7,"
	" \"class\": \"shared\", \"deleted\": true,"
	" \"path\": \"/bin/x\\u0000y\", \"inode\": 99, \"dev\": \"103:0a\","
	" \"offset\": \"0x2000\", \"perms\": \"r-xs\", \"size\": 4096,"
	" \"end\": \"0x401000\", \"start\": \"0x400000\"},\n"
	"  {\"path_hex\": \"5b737461636b5d\", \"path\": \"x\","
	" \"perms\": \"---p\", \"end\": \"0x501000\", \"start\": \"0x500000\"}\n"
	"], \"torn\": true,\n"
	" \"source\": {\"format\": \"smaps\","
	" \"captured_at\": \"2026-11-21T07:31:00Z\", \"proc_root\": \"/proc\","
	" \"cmdline\": \"a\\u0000b\", \"comm_hex\": \"6dff\", \"comm\": \"x\","
	" \"pid\": 4242, \"type\": \"pid\"},\n"
	" \"vmamap\": 1}\n";

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
	/* keys in any order: the fault the whole document shows first */
	{ "{\"vmas\": [{\"start\": 5}], \"vmamap\": 2}", "t.json: snapshot "
	  "schema version 2 is newer than this vmamap reads (1); upgrade "
	  "vmamap" },
	{ "{\"vmas\": [{\"start\": 5}], \"source\": {}}", "t.json: not a "
	  "vmamap snapshot (no \"vmamap\" key)" },
	{ "{\"vmas\": [1], \"torn\": 0, \"source\": 1, \"vmamap\": 1}",
	  "t.json: source: expected an object" },
	{ "{\"vmas\": [1], \"torn\": 0, \"vmamap\": 1}", "t.json: torn: "
	  "expected true or false" },
	{ "{\"vmas\": [{}, 1], \"vmamap\": 1}", "t.json: vmas[0]: missing "
	  "\"start\"" },
	{ "{\"vmamap\": 0, \"vmamap_diff\": 1}", "t.json: a vmamap diff "
	  "document, not a snapshot" },
	{ "[{\"vmamap\": 3}, 5]", "t.json: holds 2 snapshots; pick one "
	  "(jq '.[0]')" },
	{ "[[]]", "t.json: not a vmamap snapshot (not a JSON object)" },
	{ "\"x\"", "t.json: not a vmamap snapshot (not a JSON object)" },
	{ V1 "\"source\": {\"pid\": 0, \"type\": \"pid\"}}", "t.json: "
	  "source.pid: expected a process ID above 0" },
	{ V1 "\"vmas\": [{\"perms\": \"r--p\", \"end\": \"0x1000\", "
	  "\"start\": \"0x1000\"}]}", "t.json: vmas[0].end: end address not "
	  "above start address" },
};

/* JSON that is not strict JSON (as jansson refused it), and syntax. */
static const struct bcase bad_json[] = {
	{ V1 "\"vmamap\": 1}", "t.json:1:22: duplicate object key "
	  "\"vmamap\"" },
	{ V1 "\"x\": [{\"a\": 1, \"b\": {\"a\": 1}, \"a\": 2}]}",
	  "t.json:1:47: duplicate object key \"a\"" },
	{ V1 RGN ", \"zz\": 1, \"zz\": 2}]}", "t.json:1:90: duplicate "
	  "object key \"zz\"" },
	{ V1 "\"x\\n\": 1, \"x\\n\": 2}", "t.json:1:29: duplicate object "
	  "key" },
	{ V1 "\"a\\u0000\": 1}", "t.json:1:23: NUL byte in object key not "
	  "supported" },
	{ V1 "\"a\": \"\\ud800\"}", "t.json:1:27: invalid Unicode escape: "
	  "a lone surrogate" },
	{ V1 "\"a\": \"\\ud800\\u0041\"}", "t.json:1:32: invalid Unicode "
	  "escape: a lone surrogate" },
	{ V1 "\"a\": \"\\uDC00\"}", "t.json:1:26: invalid Unicode escape: "
	  "a lone surrogate" },
	{ V1 "\"a\": \"\xc0\x80\"}", "t.json:1:22: invalid UTF-8 in a "
	  "string" },
	{ V1 "\"a\": \"\xed\xa0\x80\"}", "t.json:1:22: invalid UTF-8 in a "
	  "string" },
	{ V1 "\"a\": \"\xf4\x90\x80\x80\"}", "t.json:1:22: invalid UTF-8 "
	  "in a string" },
	{ V1 "\"\xc0\x80\": 1}", "t.json:1:17: invalid UTF-8 in an object "
	  "key" },
	{ V1 "\"a\": \"\xff\"}", "t.json:1:21: lexical error: invalid bytes "
	  "in UTF8 string." },
	{ V1 "\v\"a\": 1}", "t.json:1:15: invalid character 0x0b (vertical "
	  "tab)" },
	{ V1 "\"a\": \"\f\"}", "t.json:1:21: invalid character 0x0c (form "
	  "feed)" },
	{ V1 "\"a\": 9223372036854775808}", "t.json:1:38: too big integer" },
	{ V1 "\"a\": -9223372036854775809}", "t.json:1:39: too big negative "
	  "integer" },
	{ V1 "\"a\": 1e309}", "t.json:1:24: real number overflow" },
	{ V1 "\"a\": 1 2}", "t.json:1:20: parse error: after key and value, "
	  "inside map, I expect ',' or '}'" },
	{ V1 "\"a\": [1,]}", "t.json:1:23: parse error: unallowed token at "
	  "this point in JSON text" },
	{ V1 "\"vmas\": []} x", "t.json:1:27: parse error: trailing garbage" },
	{ V1 "\"a\": tru}", "t.json:1:22: lexical error: invalid string in "
	  "json text." },
	{ "", "t.json:1:0: premature end of input" },
};

/* JSON at the edges of what is accepted, as jansson accepted it. */
static const char *const good_json[] = {
	V1 "\"a\": \"\\ud83d\\ude00\", \"vmas\": []}",	/* a pair */
	V1 "\"a\": \"\\\\ud800\", \"vmas\": []}",	/* "\\" then text */
	V1 "\"a\": -9223372036854775808, \"b\": 9223372036854775807, "
	"\"c\": 1e-400, \"d\": -0, \"e\": 1.5E+3, \"vmas\": []}",
	"{\"vmamap\": 1.9, \"vmas\": []}",
	V1 "\"a\": \"\x7f\xf4\x8f\xbf\xbf\xef\xbb\xbf\", \"vmas\": []}",
	" \t\r\n" V1 "\"vmas\": []}\r\n\t ",
	V1 "\"vmas\": [], \"x\": {\"a\": {\"a\": 1}, \"b\": [{\"a\": 1}, "
	"{\"a\": 2}]}, \"a\": 1}",
};

static void test_good(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(good_json); i++) {
		struct vmaset s;
		struct err e;
		int r = load(&s, good_json[i], &e);

		if (!ok(r == 0, "good JSON %zu loads", i))
			diag("got %d: %s", r, e.msg);
		vset_free(&s);
	}
}

/* @doc in pieces of 1 to 8 bytes: the result and message of snap_load(). */
static bool same_in_pieces(const char *doc, int want, const char *msg)
{
	bool same = true;

	for (size_t size = 1; size <= 8 && same; size++) {
		struct pieces pc = { doc, strlen(doc), size, NULL };
		struct vmaset s;
		struct err e = { 0 };

		vset_init(&s);
		same = snap_load_stream(&s, pieces_read, &pc, "t.json", &e) == want &&
		       (!msg || !strcmp(e.msg, msg));
		pieces_free(&pc);
		if (!same)
			diag("in pieces of %zu: %s", size, e.msg);
		vset_free(&s);
	}
	return same;
}

static void test_bad_list(const struct bcase *bc, size_t n, const char *what)
{
	bool pieces = true;

	for (size_t i = 0; i < n; i++) {
		struct vmaset s;
		struct err e;
		int r = load(&s, bc[i].doc, &e);

		if (!ok(r == -EBADMSG && !strcmp(e.msg, bc[i].msg),
			"%s %zu: %s", what, i, bc[i].msg))
			diag("got %d: %s", r, e.msg);
		vset_free(&s);
		pieces &= same_in_pieces(bc[i].doc, -EBADMSG, bc[i].msg);
	}
	ok(pieces, "%s: the same messages with the text in pieces", what);
}

static void test_bad(void)
{
	test_bad_list(bad, ARRAY_SIZE(bad), "bad");
	test_bad_list(bad_json, ARRAY_SIZE(bad_json), "bad JSON");
}

/* Nesting: 2048 levels are JSON, one more is refused (no deeper read). */
static void test_depth(void)
{
	char doc[2 * 2049 + 1];
	struct vmaset s;
	struct err e;
	int r;

	memset(doc, '[', 2049);
	memset(doc + 2049, ']', 2049);
	doc[2 * 2049] = '\0';
	r = load(&s, doc, &e);
	ok(r == -EBADMSG && !strcmp(e.msg, "t.json:1:2049: maximum parsing "
				      "depth reached"), "2049 levels of nesting: "
	   "refused (%s)", e.msg);
	vset_free(&s);
	r = load(&s, doc + 1, &e);
	ok(r == -EBADMSG && strstr(e.msg, "parse error"), "2048 levels: "
	   "parsed, then the one ']' too many (%s)", e.msg);
	vset_free(&s);
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

/* The shuffled document loads as full_doc does, also in pieces. */
static void test_order(void)
{
	struct vmaset a, b;
	struct err e;
	size_t la, lb;
	char *ja, *jb;
	int r = load(&a, full_doc, &e);

	if (!ok(load(&b, full_doc_shuffled, &e) == r && r == 2, "keys in "
		"other orders: the document loads (%d regions)", r))
		diag("%s", e.msg);
	ja = render(&a, &la);
	jb = render(&b, &lb);
	ok(la == lb && !memcmp(ja, jb, la) && a.torn == b.torn &&
	   a.src.captured_at == b.src.captured_at, "... to the same set: the "
	   "same document written");
	ok(same_in_pieces(full_doc_shuffled, 2, NULL) &&
	   same_in_pieces(full_doc, 2, NULL), "... and in pieces of 1 to 8 "
	   "bytes");
	free(ja);
	free(jb);
	vset_free(&a);
	vset_free(&b);
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
	test_depth();
	test_order();
	test_good();
	test_bytes();
	return tap_done();
}
