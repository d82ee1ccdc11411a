// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * snapshot.c - load a saved `vmamap --json` document (see snapshot.h).
 *
 * The text is read as a stream of values (jread.c): no tree of the
 * document is built.  The scalars of the document's own object, of
 * "source" and of one region at a time are kept in a struct obj (a slot
 * per key) and checked when that object ends, so that its keys may come
 * in any order; a region's addresses, perms, dev and class are read as
 * they come, in place (their text is not copied), and only the result is
 * kept.  Each region is then added to the set, and the next one reuses
 * the obj.
 *
 * Every value is checked before it is used; a bad one fails the load with
 * a message that names its JSON path ("FILE: vmas[3].start: expected
 * ...").  Keys this version does not know are ignored, except in a region
 * with smaps counters, where an integer or string value under an
 * smaps-like key is kept as an extra (as the parser keeps unknown smaps
 * keys), so that it is written out again.
 *
 * A document with several faults gets the message of the one the whole
 * document shows first, in this order: bad JSON (reported at once); an
 * array of several documents; not an object; a diff document; the
 * version; "source"; "torn"; "vmas" and its first bad region.  So a newer
 * schema version is reported even when "vmamap" comes after "vmas": the
 * text is read to its end for that, keeping no region after a fault.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "array.h"
#include "jread.h"
#include "maps_parse.h"
#include "snapshot.h"

/*
 * The keys told apart: a region's (vma_json_keys, in its order, then the
 * smaps counters), the document's, the source's.  KEY_hex follows KEY.
 */
enum key {
	K_START, K_END, K_SIZE, K_PERMS, K_OFFSET, K_DEV, K_INODE, K_PATH,
	K_PATH_HEX, K_DELETED, K_CLASS, K_TID, K_VM_FLAGS,
	K_SM,			/* K_SM + k: sm_keys[k].json */
	K_VMAMAP = K_SM + SM_NKEYS, K_VMAMAP_DIFF, K_SOURCE, K_TORN, K_VMAS,
	K_TYPE, K_FORMAT, K_PID, K_COMM, K_COMM_HEX, K_CMDLINE, K_CMDLINE_HEX,
	K_PROC_ROOT, K_PROC_ROOT_HEX, K_CAPTURED_AT, K_FILE, K_FILE_HEX,
	K_N,
	K_OTHER = K_N,		/* a member under another key */
	K_ELEM,			/* an element of vm_flags */
};

static const char *const doc_keys[K_N - K_VMAMAP] = {
	"vmamap", "vmamap_diff", "source", "torn", "vmas", "type", "format",
	"pid", "comm", "comm_hex", "cmdline", "cmdline_hex", "proc_root",
	"proc_root_hex", "captured_at", "file", "file_hex",
};

/* One member of an object, or one element of vm_flags, copied. */
struct mem {
	int64_t i;		/* JR_INT; a string read in place: its value */
	double d;		/* JR_INT and JR_REAL */
	uint32_t s, len;	/* JR_STR: its bytes in the arena; vm_flags:
				 * its first element's index in mem, count */
	uint32_t k, klen;	/* K_OTHER: the key in the arena */
	uint8_t type;		/* enum jread_type */
	uint8_t key;		/* enum key */
	bool ok;		/* a string read in place: of the right form */
	bool gap;		/* "class": "gap" */
};

/*
 * A region's strings read in place, as they come (their bytes are not
 * kept): start, end, offset, perms, dev, class.
 */
#define IN_PLACE (UINT64_C(1) << K_START | UINT64_C(1) << K_END | \
		  UINT64_C(1) << K_OFFSET | UINT64_C(1) << K_PERMS | \
		  UINT64_C(1) << K_DEV | UINT64_C(1) << K_CLASS)

_Static_assert(K_N <= 64, "a bit for each key in struct obj's have");

/* The members of one object; reset for the next one. */
struct obj {
	struct mem km[K_N];	/* the members under its keys */
	uint64_t have;		/* bit k: km[k] is one */
	struct mem *mem;	/* under other keys, and vm_flags' elements */
	size_t n, cap;
	char *a;		/* the arena: strings, each NUL-terminated */
	size_t alen, acap;
	unsigned int lo, hi;	/* its keys are [lo, hi) */
	uint64_t in_place;	/* keys whose strings are read in place */
	bool others;		/* keep the members under other keys too */
	bool smaps;		/* it has an smaps counter or vm_flags */
};

/* Which fault is reported first (see the top of the file). */
enum rank {
	R_ARRAY = 1, R_OBJECT, R_DIFF, R_VERSION, R_SOURCE, R_TORN, R_VMAS,
	R_NONE
};

/* Where a message points: the document, "source", "vmas[N]". */
enum where { W_TOP, W_SOURCE, W_VMA };

/* The objects and arrays entered. */
enum ctx { C_ARRAY, C_DOC, C_SOURCE, C_VMAS, C_VMA, C_FLAGS };
enum { MAX_CTX = 5 };		/* array, document, vmas, region, flags */

/* The loader: the set, what is read, the first fault. */
struct snap {
	struct vmaset *s;
	const char *label;
	struct err *e;
	enum rank rank;		/* of the fault in *e; R_NONE: none */
	enum rank at;		/* of the checks running */
	enum where where;	/* of the checks running */
	size_t vma;		/* index in "vmas" of the region read */
	enum ctx ctx[MAX_CTX];
	unsigned int depth;
	size_t ndocs;		/* elements of an array at the top */
	bool guess_format;	/* no source.format: smaps if a region has it */
	bool torn;
	struct obj doc, src, rgn;
	const char *names[K_N];
};

/* ------------------------------------------------------------ objects */

/* Room for @need bytes in the arena of @o. */
static int arena_grow(struct obj *o, size_t need)
{
	size_t ncap = o->acap ? o->acap * 2 : 4096;
	char *na;

	if (need > UINT32_MAX)
		return -ENOMEM;
	ncap = ncap > need ? ncap : need;
	na = realloc(o->a, ncap);
	if (!na)
		return -ENOMEM;
	o->a = na;
	o->acap = ncap;
	return 0;
}

static inline int arena_put(struct obj *o, const char *p, size_t len,
			    uint32_t *off)
{
	size_t need = o->alen + len + 1;

	if (need > o->acap && arena_grow(o, need))
		return -ENOMEM;
	memcpy(o->a + o->alen, p, len);
	o->a[o->alen + len] = '\0';
	*off = (uint32_t)o->alen;
	o->alen = need;
	return 0;
}

/*
 * Keep @v, a member of @o (under one of its keys, or another when @o
 * keeps those) or an element of vm_flags.  0 or -ENOMEM.
 */
static int obj_take(struct obj *o, const struct jread_value *v)
{
	bool mine = v->key >= (int)o->lo && v->key < (int)o->hi;
	struct mem *m;

	if (mine) {
		m = &o->km[v->key];
		o->have |= UINT64_C(1) << v->key;
	} else if (v->key != JR_KEY_NONE && !o->others) {
		return 0;
	} else if (array_grow(&o->mem, o->n, &o->cap, sizeof(*o->mem))) {
		return -ENOMEM;
	} else {
		m = &o->mem[o->n++];
	}
	*m = (struct mem){ .i = v->i, .d = v->d, .len = (uint32_t)v->len,
			   .klen = (uint32_t)v->klen,
			   .type = (uint8_t)v->type };
	m->key = mine ? (uint8_t)v->key : v->key == JR_KEY_NONE ? K_ELEM :
		 K_OTHER;
	if (m->key == K_OTHER && arena_put(o, v->kname, v->klen, &m->k))
		return -ENOMEM;
	if (v->type != JR_STR || (mine && (o->in_place >> v->key & 1)))
		return 0;
	return arena_put(o, v->s, v->len, &m->s);
}

static void obj_reset(struct obj *o)
{
	o->have = 0;
	o->n = o->alen = 0;
	o->smaps = false;
}

static void obj_free(struct obj *o)
{
	free(o->mem);
	free(o->a);
}

/* The member under @key, or NULL. */
static const struct mem *get(const struct obj *o, unsigned int key)
{
	return o->have >> key & 1 ? &o->km[key] : NULL;
}

/* The bytes of @m when it is a string (NUL-terminated), else NULL. */
static const char *str(const struct obj *o, const struct mem *m)
{
	return m && m->type == JR_STR ? o->a + m->s : NULL;
}

/* The member of @o under the key @k (@len bytes), or NULL. */
static const struct mem *named(const struct snap *sn, const struct obj *o,
			       const char *k, size_t len)
{
	for (unsigned int id = o->lo; id < o->hi; id++)
		if (sn->names[id] && strlen(sn->names[id]) == len &&
		    !memcmp(sn->names[id], k, len))
			return get(o, id);
	for (size_t i = 0; i < o->n; i++)
		if (o->mem[i].key == K_OTHER && o->mem[i].klen == len &&
		    !memcmp(o->a + o->mem[i].k, k, len))
			return &o->mem[i];
	return NULL;
}

/* ------------------------------------------------------------- faults */

/* Run the checks of @rank, whose messages point @where, unless a fault
 * reported before them is already known. */
static bool checking(struct snap *sn, enum rank rank, enum where where)
{
	if (sn->rank <= rank)
		return false;
	sn->at = rank;
	sn->where = where;
	return true;
}

/* The struct err for a fault of the checks running. */
static struct err *fault(struct snap *sn)
{
	sn->rank = sn->at;
	return sn->e;
}

static const char *where(const struct snap *sn, char *buf, size_t size)
{
	if (sn->where == W_VMA)
		snprintf(buf, size, "vmas[%zu]", sn->vma);
	return sn->where == W_VMA ? buf : sn->where == W_SOURCE ? "source" :
	       "";
}

static int bad(struct snap *sn, const char *key, const char *what)
{
	char buf[48];
	const char *w = where(sn, buf, sizeof(buf));

	return err_set(fault(sn), -EBADMSG, "%s: %s%s%s: %s", sn->label, w,
		       *w ? "." : "", key, what);
}

/* The object the checks look at itself is wrong. */
static int bad_here(struct snap *sn, const char *what)
{
	char buf[48];

	return err_set(fault(sn), -EBADMSG, "%s: %s: %s", sn->label,
		       where(sn, buf, sizeof(buf)), what);
}

static int need(struct snap *sn, const struct obj *o, unsigned int key)
{
	char buf[48];
	const char *w;

	if (get(o, key))
		return 0;
	w = where(sn, buf, sizeof(buf));
	return err_set(fault(sn), -EBADMSG, "%s: %s%smissing \"%s\"",
		       sn->label, w, *w ? ": " : "", sn->names[key]);
}

/* A fault of the document as a whole: "LABEL: @what". */
static int bad_doc(struct snap *sn, enum rank rank, const char *what)
{
	if (!checking(sn, rank, W_TOP))
		return -EBADMSG;
	return err_set(fault(sn), -EBADMSG, "%s: %s", sn->label, what);
}

static int oom(struct snap *sn)
{
	sn->rank = 0;
	return err_set(sn->e, -ENOMEM, "%s: out of memory", sn->label);
}

static int intern(struct snap *sn, uint32_t *off, const char *p, size_t len)
{
	*off = vset_intern(sn->s, p, len);
	return *off ? 0 : oom(sn);
}

/* ------------------------------------------------------------- values */

/* Exactly @len (1 to @max) hex digits at @p into *@out. */
static bool take_hex(const char *p, size_t len, size_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > max)
		return false;
	for (size_t i = 0; i < len; i++) {
		int d = maps_parse_hex_digit(p[i]);

		if (d < 0)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return true;
}

/*
 * A number above 2^63 - 1, which vmamap writes as a string of 19 or 20
 * digits (see put_uint() in render_json.c): true with *@out set.
 */
static bool big_uint(const struct obj *o, const struct mem *m, uint64_t *out)
{
	const char *p = str(o, m);

	return p && m->len >= 19 && m->len <= 20 &&
	       jread_digits(p, m->len, UINT64_MAX, out) && *out > INT64_MAX;
}

/* Optional non-negative integer up to @max; *@out is kept when absent. */
static int get_uint(struct snap *sn, const struct obj *o, unsigned int key,
		    uint64_t max, uint64_t *out)
{
	const struct mem *m = get(o, key);
	uint64_t n;

	if (!m)
		return 0;
	if (m->type == JR_INT && m->i >= 0)
		n = (uint64_t)m->i;
	else if (!big_uint(o, m, &n))
		return bad(sn, sn->names[key], "expected a non-negative "
			   "integer");
	if (n > max)
		return bad(sn, sn->names[key], "number too large");
	*out = n;
	return 0;
}

/* Optional "0x..." string (read in place); *@out is kept when absent. */
static int get_addr(struct snap *sn, const struct obj *o, unsigned int key,
		    uint64_t *out)
{
	const struct mem *m = get(o, key);

	if (!m)
		return 0;
	if (m->type != JR_STR || !m->ok)
		return bad(sn, sn->names[key], "expected an address string "
			   "\"0x...\"");
	*out = (uint64_t)m->i;
	return 0;
}

static int get_bool(struct snap *sn, const struct obj *o, unsigned int key,
		    bool *out)
{
	const struct mem *m = get(o, key);

	if (!m)
		return 0;
	if (m->type != JR_TRUE && m->type != JR_FALSE)
		return bad(sn, sn->names[key], "expected true or false");
	*out = m->type == JR_TRUE;
	return 0;
}

/* Intern the bytes written as hex in the string @m, under @key. */
static int hex_bytes(struct snap *sn, const struct obj *o,
		     const struct mem *m, const char *key, uint32_t *off)
{
	const char *p = str(o, m);
	size_t len = p ? m->len : 0;
	char *b;
	int r = 0;

	if (!p || len % 2)
		return bad(sn, key, "expected an even number of hex digits");
	b = malloc(len / 2 + 1);
	if (!b)
		return oom(sn);
	for (size_t i = 0; i < len && !r; i += 2) {
		int hi = maps_parse_hex_digit(p[i]);
		int lo = maps_parse_hex_digit(p[i + 1]);

		if (hi < 0 || lo < 0)
			r = bad(sn, key, "expected an even number of hex "
				"digits");
		else
			b[i / 2] = (char)(hi << 4 | lo);
	}
	r = r ? r : intern(sn, off, b, len / 2);
	free(b);
	return r;
}

/*
 * The string or null (*@off = 0) @v under @key; the exact bytes come from
 * @h, the member under @hkey (KEY_hex), when it is present (written when
 * they are not UTF-8).
 */
static int bytes(struct snap *sn, const struct obj *o, const struct mem *v,
		 const char *key, const struct mem *h, const char *hkey,
		 uint32_t *off)
{
	*off = 0;
	if (v && v->type != JR_STR && v->type != JR_NULL)
		return bad(sn, key, "expected a string or null");
	if (h)
		return hex_bytes(sn, o, h, hkey, off);
	if (v && v->type == JR_STR)
		return intern(sn, off, str(o, v), v->len);
	return 0;
}

/* Optional string or null under @key, or its bytes under KEY_hex. */
static int get_bytes(struct snap *sn, const struct obj *o, unsigned int key,
		     uint32_t *off)
{
	return bytes(sn, o, get(o, key), sn->names[key], get(o, key + 1),
		     sn->names[key + 1], off);
}

/* ------------------------------------------------------------ source */

/* "2026-11-21T07:31:00Z" (or "" or null: unknown) into unix time. */
static int get_time(struct snap *sn, const struct obj *o, unsigned int key,
		    int64_t *out)
{
	const struct mem *m = get(o, key);
	const char *p = str(o, m), *end;
	struct tm tm = { 0 };

	*out = 0;
	if (!m || m->type == JR_NULL || (p && !*p))
		return 0;
	end = p ? strptime(p, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
	if (!end || (size_t)(end - p) != m->len)
		return bad(sn, sn->names[key], "expected a time string "
			   "\"YYYY-MM-DDTHH:MM:SSZ\"");
	*out = (int64_t)timegm(&tm);
	return 0;
}

static int source_type(struct snap *sn, const struct obj *o)
{
	const char *t = str(o, get(o, K_TYPE));
	int r = need(sn, o, K_TYPE);

	if (r)
		return r;
	if (t && !strcmp(t, "pid"))
		sn->s->src.kind = VS_PID;
	else if (t && !strcmp(t, "file"))
		sn->s->src.kind = VS_FILE;
	else
		return bad(sn, "type", "expected \"pid\" or \"file\"");
	return 0;
}

static int source_format(struct snap *sn, const struct obj *o)
{
	const struct mem *m = get(o, K_FORMAT);
	const char *f = str(o, m);

	sn->guess_format = !m;
	if (!m)
		return 0;
	if (!f || (strcmp(f, "smaps") && strcmp(f, "maps")))
		return bad(sn, "format", "expected \"maps\" or \"smaps\"");
	sn->s->src.smaps = !strcmp(f, "smaps");
	return 0;
}

static int source_pid(struct snap *sn, const struct obj *o)
{
	struct vset_source *d = &sn->s->src;
	uint64_t pid = 0;
	int r = need(sn, o, K_PID) ?: get_uint(sn, o, K_PID, INT_MAX, &pid);

	if (!r && pid == 0)
		r = bad(sn, "pid", "expected a process ID above 0");
	d->pid = (pid_t)pid;
	return r ?: get_bytes(sn, o, K_COMM, &d->comm) ?:
	       get_bytes(sn, o, K_CMDLINE, &d->cmdline) ?:
	       get_bytes(sn, o, K_PROC_ROOT, &d->proc_root) ?:
	       get_time(sn, o, K_CAPTURED_AT, &d->captured_at);
}

/* "source", at its end. */
static int source_end(struct snap *sn)
{
	const struct obj *o = &sn->src;
	struct vset_source *d = &sn->s->src;
	int r;

	if (!checking(sn, R_SOURCE, W_SOURCE))
		return 0;
	r = source_type(sn, o) ?: source_format(sn, o);
	if (!r && d->kind == VS_PID)
		return source_pid(sn, o);
	r = r ?: get_bytes(sn, o, K_FILE, &d->file);
	if (!r && !d->file)
		r = intern(sn, &d->file, sn->label, strlen(sn->label));
	return r;
}

/* Without a "source", the snapshot file itself is the source. */
static int no_source(struct snap *sn)
{
	struct vset_source *d = &sn->s->src;

	d->kind = VS_FILE;
	return intern(sn, &d->file, sn->label, strlen(sn->label));
}

/* ------------------------------------------------- read in place */

/* "0x" and 1 to 16 hex digits. */
static bool addr_text(const char *p, size_t len, uint64_t *out)
{
	if (len < 3 || p[0] != '0' || p[1] != 'x')
		return false;
	if (len - 2 >= 8 && len - 2 <= 16 &&
	    maps_hex_wide(p + 2, (unsigned int)(len - 2), out))
		return true;	/* lower case, as vmamap writes them */
	return take_hex(p + 2, len - 2, 16, out);
}

/* "rwxp": one of each pair, into VP_* bits. */
static bool perms_text(const char *p, size_t len, uint64_t *out)
{
	static const char want[4][2] = { "r-", "w-", "x-", "sp" };
	static const uint8_t bit[4] = { VP_READ, VP_WRITE, VP_EXEC, VP_SHARED };

	*out = 0;
	if (len != 4)
		return false;
	for (int i = 0; i < 4; i++) {
		if (p[i] == want[i][0])
			*out |= bit[i];
		else if (p[i] != want[i][1])
			return false;
	}
	return true;
}

/* "MM:mm", major and minor in hex as the kernel prints them, into
 * major << 32 | minor. */
static bool dev_text(const char *p, size_t len, uint64_t *out)
{
	const char *colon = memchr(p, ':', len);
	uint64_t maj, min;

	if (!colon || !take_hex(p, (size_t)(colon - p), 8, &maj) ||
	    !take_hex(colon + 1, len - (size_t)(colon - p) - 1, 8, &min))
		return false;
	*out = maj << 32 | min;
	return true;
}

/* The string @v under a key of IN_PLACE, read into @m. */
static void in_place(struct mem *m, const struct jread_value *v)
{
	uint64_t x = 0;
	int c;

	switch (m->key) {
	case K_PERMS:
		m->ok = perms_text(v->s, v->len, &x);
		break;
	case K_DEV:
		m->ok = dev_text(v->s, v->len, &x);
		break;
	case K_CLASS:
		c = vma_class_from_name(v->s, v->len);
		m->ok = c >= 0;
		x = m->ok ? (uint64_t)c : 0;
		/* a NUL ends the name here, as it did in C strings */
		m->gap = v->len >= 3 && !memcmp(v->s, "gap", 3) &&
			 (v->len == 3 || !v->s[3]);
		break;
	default:
		m->ok = addr_text(v->s, v->len, &x);
		break;
	}
	m->i = (int64_t)x;
}

/* ----------------------------------------------------------- regions */

static int vma_range(struct snap *sn, const struct obj *o, struct vma *v)
{
	uint64_t size;
	int r = get_addr(sn, o, K_START, &v->start) ?:
		get_addr(sn, o, K_END, &v->end);

	if (r)
		return r;
	if (v->end <= v->start)
		return bad(sn, "end", "end address not above start address");
	size = vma_size(v);
	r = get_uint(sn, o, K_SIZE, UINT64_MAX, &size);
	if (!r && size != vma_size(v))
		return bad(sn, "size", "not end minus start");
	return r;
}

static int vma_perms(struct snap *sn, const struct obj *o, struct vma *v)
{
	const struct mem *m = get(o, K_PERMS);

	if (!m || m->type != JR_STR || !m->ok)
		return bad(sn, "perms", "expected 4 characters like \"r-xp\"");
	v->perms = (uint8_t)m->i;
	return 0;
}

static int vma_dev(struct snap *sn, const struct obj *o, struct vma *v)
{
	const struct mem *m = get(o, K_DEV);

	if (!m)
		return 0;
	if (m->type != JR_STR || !m->ok)
		return bad(sn, "dev", "expected a device string \"MM:mm\" "
			   "in hex");
	v->major = (uint32_t)((uint64_t)m->i >> 32);
	v->minor = (uint32_t)m->i;
	return 0;
}

static int vma_name(struct snap *sn, const struct obj *o, struct vma *v)
{
	bool deleted = false;
	int r = get_bytes(sn, o, K_PATH, &v->path) ?:
		get_bool(sn, o, K_DELETED, &deleted);

	if (r)
		return r;
	if (v->path && !vset_strlen(sn->s, v->path))
		v->path = 0;	/* "" is no name, as in maps */
	v->path_len = v->path ? vset_strlen(sn->s, v->path) : 0;
	v->name = (uint8_t)maps_parse_name_kind(v->path ? vset_str(sn->s,
						v->path) : "", v->path_len);
	v->flags |= deleted ? VF_DELETED : 0;
	return 0;
}

/* The class as saved; VC_NCLASS when absent (the caller classifies). */
static int vma_class(struct snap *sn, const struct obj *o, struct vma *v)
{
	const struct mem *m = get(o, K_CLASS);
	uint64_t tid = 0;
	int c;

	if (m) {
		if (m->type != JR_STR || !m->ok)
			return bad(sn, "class", "expected a class name such "
				   "as \"text\"");
		v->cls = (uint8_t)m->i;
	}
	c = get_uint(sn, o, K_TID, UINT32_MAX, &tid);
	v->tid = (uint32_t)tid;
	return c;
}

/* --------------------------------------------------------- smaps */

static int sm_known(struct snap *sn, const struct obj *o, unsigned int k,
		    struct vma_smaps *sm)
{
	if (!sm_keys[k].json || !get(o, K_SM + k))
		return 0;
	sm->have |= UINT32_C(1) << k;
	return get_uint(sn, o, K_SM + k, UINT64_MAX, &sm->val[k]);
}

static int flag_index(const char *p, size_t len)
{
	for (unsigned int i = 0; len == 2 && i < vmflag_count; i++)
		if (!memcmp(vmflag_table[i].code, p, 2))
			return (int)i;
	return -1;
}

/* Element @i of vm_flags (@p, @len): a non-empty string without blanks. */
static int flag_code(struct snap *sn, const char *p, size_t len, size_t i)
{
	char key[40];

	if (p && len && !memchr(p, ' ', len) && !memchr(p, '\t', len) &&
	    !memchr(p, '\n', len))
		return 0;
	snprintf(key, sizeof(key), "vm_flags[%zu]", i);
	return bad(sn, key, "expected a flag code such as \"rd\"");
}

/* Codes vmflag_table does not know, joined by spaces as the parser does. */
static int flags_unknown(struct snap *sn, const struct obj *o,
			 const struct mem *a, size_t total,
			 struct vma_smaps *sm)
{
	char *b = malloc(total), *w = b;
	int r;

	if (!b)
		return oom(sn);
	for (size_t i = 0; i < a->len; i++) {
		const struct mem *m = &o->mem[a->s + i];

		if (flag_index(str(o, m), m->len) >= 0)
			continue;
		if (w > b)
			*w++ = ' ';
		memcpy(w, str(o, m), m->len);
		w += m->len;
	}
	r = intern(sn, &sm->vmf_unknown, b, (size_t)(w - b));
	free(b);
	return r;
}

static int vm_flags(struct snap *sn, const struct obj *o,
		    struct vma_smaps *sm)
{
	const struct mem *a = get(o, K_VM_FLAGS);
	size_t unknown = 0;

	if (!a)
		return 0;
	if (a->type != JR_ARR)
		return bad(sn, "vm_flags", "expected an array of flag codes");
	sm->has_vmflags = true;
	for (size_t i = 0; i < a->len; i++) {
		const struct mem *m = &o->mem[a->s + i];
		int f;

		if (flag_code(sn, str(o, m), m->len, i))
			return -EBADMSG;
		f = flag_index(str(o, m), m->len);
		if (f >= 0)
			sm->vmflags |= UINT64_C(1) << f;
		else
			unknown += m->len + 1;
	}
	return unknown ? flags_unknown(sn, o, a, unknown, sm) : 0;
}

/* An smaps key as the parser reads it: [A-Za-z][A-Za-z0-9_]*. */
static bool smaps_like(const char *k)
{
	size_t n = strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuv"
			  "wxyz0123456789_");

	return n && !k[n] && !(k[0] >= '0' && k[0] <= '9') && k[0] != '_';
}

/*
 * The member @m under a key the region does not know: an extra unless
 * its value is neither an integer from 0 nor a string, or it is KEY_hex
 * next to a string KEY (which holds KEY's bytes).
 */
static bool is_extra(const struct snap *sn, const struct obj *o,
		     const struct mem *m)
{
	const char *k = o->a + m->k;
	const struct mem *b;

	if (m->type != JR_STR && !(m->type == JR_INT && m->i >= 0))
		return false;
	if (!smaps_like(k))
		return false;
	if (m->klen < 5 || strcmp(k + m->klen - 4, "_hex"))
		return true;
	b = named(sn, o, k, m->klen - 4);
	return !b || b->type != JR_STR;
}

/* The bytes of the text extra @m, or of KEY_hex next to it. */
static int extra_text(struct snap *sn, const struct obj *o,
		      const struct mem *m, uint32_t *off)
{
	const char *k = o->a + m->k;
	char *hkey = malloc(m->klen + sizeof("_hex"));
	int r;

	if (!hkey)
		return oom(sn);
	strcpy(stpcpy(hkey, k), "_hex");
	r = bytes(sn, o, m, k, named(sn, o, hkey, m->klen + 4), hkey, off);
	free(hkey);
	return r;
}

/*
 * An unknown smaps key: a number is kept as written (kb is false: the
 * writer already turned kB into bytes), text as its exact bytes.
 */
static int extra(struct snap *sn, const struct obj *o, const struct mem *m,
		 struct vma_smaps *sm)
{
	const char *k = o->a + m->k;
	struct sm_extra x = { 0 };
	int r = vset_extra_clash(sn->s, sm, k, m->klen);

	if (r == -E2BIG)
		return bad(sn, k, "is one unknown smaps key too many (a "
			   "region has 64 at most)");
	if (r)
		return r < 0 ? oom(sn) : bad(sn, k, "would be written as a "
					     "key the region has");
	r = intern(sn, &x.key, k, m->klen);
	if (!r && m->type == JR_INT) {
		x.numeric = true;
		x.value = (uint64_t)m->i;
	} else if (!r) {
		r = extra_text(sn, o, m, &x.raw);
	}
	if (!r && vset_add_extra(sn->s, sm, &x))
		r = oom(sn);
	return r;
}

static int extras(struct snap *sn, const struct obj *o, struct vma_smaps *sm)
{
	for (size_t i = 0; i < o->n; i++) {
		const struct mem *m = &o->mem[i];
		int r = m->key == K_OTHER && is_extra(sn, o, m) ?
			extra(sn, o, m, sm) : 0;

		if (r)
			return r;
	}
	return 0;
}

/* Size is not written (it is end - start): set it as smaps text has it. */
static int vma_smaps(struct snap *sn, const struct obj *o, struct vma *v)
{
	struct vma_smaps *sm = vset_add_smaps(sn->s, v);
	int r = 0;

	if (!sm)
		return oom(sn);
	sm->val[SM_SIZE] = vma_size(v);
	sm->have = UINT32_C(1) << SM_SIZE;
	for (unsigned int k = 0; k < SM_NKEYS && !r; k++)
		r = sm_known(sn, o, k, sm);
	r = r ?: vm_flags(sn, o, sm);
	if (!r)
		vset_vmflags_read(v, sm);
	return r ?: extras(sn, o, sm);
}

/* A region, at its end: checked, then added to the set. */
static int vma_end(struct snap *sn)
{
	const struct obj *o = &sn->rgn;
	const struct mem *c = get(o, K_CLASS);
	struct vma v = { .smaps = VMA_NO_SMAPS, .line = (uint32_t)sn->vma + 1,
			 .cls = VC_NCLASS };
	struct vma *nv;
	int r;

	if (!checking(sn, R_VMAS, W_VMA) || (c && c->type == JR_STR && c->gap))
		return 0;
	r = need(sn, o, K_START) ?: need(sn, o, K_END) ?:
	    need(sn, o, K_PERMS) ?: vma_range(sn, o, &v) ?:
	    vma_perms(sn, o, &v) ?: get_addr(sn, o, K_OFFSET, &v.offset) ?:
	    vma_dev(sn, o, &v) ?: get_uint(sn, o, K_INODE, UINT64_MAX,
					    &v.inode) ?:
	    vma_name(sn, o, &v) ?: vma_class(sn, o, &v);
	if (r)
		return r;
	nv = vset_add(sn->s, &v);
	if (!nv)
		return oom(sn);
	return o->smaps ? vma_smaps(sn, o, nv) : 0;
}

/* ------------------------------------------------------ the document */

/* "vmamap": the schema version; its integer part is the major. */
static int check_version(struct snap *sn, const struct obj *o)
{
	const struct mem *v = get(o, K_VMAMAP);
	bool num = v && (v->type == JR_INT || v->type == JR_REAL);
	double d = num ? v->d : 0;

	if (!v)
		return err_set(fault(sn), -EBADMSG, "%s: not a vmamap snapshot "
			       "(no \"vmamap\" key)", sn->label);
	if (!num || d < 1)
		return bad(sn, "vmamap", "expected the schema version, a "
			   "number from 1");
	if (d >= SNAP_SCHEMA_MAJOR + 1)
		return err_set(fault(sn), -EBADMSG, "%s: snapshot schema "
			       "version %lld is newer than this vmamap reads "
			       "(%d); upgrade vmamap", sn->label,
			       d < 1e18 ? (long long)d : LLONG_MAX,
			       SNAP_SCHEMA_MAJOR);
	return 0;
}

/* "source" when it is not an object, or absent. */
static int doc_source(struct snap *sn, const struct obj *o)
{
	const struct mem *m = get(o, K_SOURCE);

	if (!m)
		return no_source(sn);
	return m->type == JR_OBJ ? 0 : bad_here(sn, "expected an object");
}

static int doc_vmas(struct snap *sn, const struct obj *o)
{
	const struct mem *m = get(o, K_VMAS);

	if (m && m->type != JR_ARR)
		return bad(sn, "vmas", "expected an array");
	return need(sn, o, K_VMAS);
}

/* The document's own members, at its end, in the order of the faults. */
static int doc_end(struct snap *sn)
{
	const struct obj *o = &sn->doc;
	int r = 0;

	if (get(o, K_VMAMAP_DIFF))
		return bad_doc(sn, R_DIFF, "a vmamap diff document, not a "
			       "snapshot");
	if (checking(sn, R_VERSION, W_TOP))
		r = check_version(sn, o);
	if (!r && checking(sn, R_SOURCE, W_SOURCE))
		r = doc_source(sn, o);
	if (!r && checking(sn, R_TORN, W_TOP))
		r = get_bool(sn, o, K_TORN, &sn->torn);
	if (!r && checking(sn, R_VMAS, W_TOP))
		r = doc_vmas(sn, o);
	return r;
}

/* ---------------------------------------------------- the JSON events */

static int enter(struct snap *sn, enum ctx c)
{
	sn->ctx[sn->depth++] = c;
	return JR_ENTER;
}

/* The top value, or the first element of an array at the top. */
static int doc_start(struct snap *sn, const struct jread_value *v)
{
	if (v->type == JR_OBJ)
		return enter(sn, C_DOC);
	bad_doc(sn, R_OBJECT, "not a vmamap snapshot (not a JSON object)");
	return JR_NEXT;
}

/* The output of several targets: accepted when it holds only one. */
static int array_end(struct snap *sn)
{
	char what[80];

	if (sn->ndocs == 1)
		return 0;
	if (!sn->ndocs)
		return bad_doc(sn, R_ARRAY, "an empty array, not a snapshot");
	snprintf(what, sizeof(what), "holds %zu snapshots; pick one "
		 "(jq '.[0]')", sn->ndocs);
	return bad_doc(sn, R_ARRAY, what);
}

static int doc_value(struct snap *sn, const struct jread_value *v)
{
	if (obj_take(&sn->doc, v))
		return oom(sn);
	if (v->key == K_SOURCE && v->type == JR_OBJ)
		return enter(sn, C_SOURCE);
	if (v->key == K_VMAS && v->type == JR_ARR)
		return enter(sn, C_VMAS);
	return JR_NEXT;
}

/* An element of "vmas": a region, entered unless a fault is known. */
static int vmas_value(struct snap *sn, const struct jread_value *v)
{
	sn->vma = v->index;
	if (!checking(sn, R_VMAS, W_VMA))
		return JR_NEXT;
	if (v->type != JR_OBJ) {
		bad_here(sn, "expected an object");
		return JR_NEXT;
	}
	obj_reset(&sn->rgn);
	return enter(sn, C_VMA);
}

/* A scalar under a key of the region's: kept, or read in place. */
static int vma_scalar(struct snap *sn, const struct jread_value *v)
{
	struct obj *o = &sn->rgn;
	struct mem *m = &o->km[v->key];

	o->have |= UINT64_C(1) << v->key;
	m->i = v->i;
	m->d = v->d;
	m->len = (uint32_t)v->len;
	m->type = (uint8_t)v->type;
	m->key = (uint8_t)v->key;
	o->smaps |= v->key >= K_SM || v->key == K_VM_FLAGS;
	if (v->type != JR_STR)
		return JR_NEXT;
	if (IN_PLACE >> v->key & 1) {
		in_place(m, v);
		return JR_NEXT;
	}
	return arena_put(o, v->s, v->len, &m->s) ? oom(sn) : JR_NEXT;
}

static int vma_value(struct snap *sn, const struct jread_value *v)
{
	struct obj *o = &sn->rgn;

	if (v->key >= 0 && v->key < K_VMAMAP && v->type < JR_OBJ)
		return vma_scalar(sn, v);
	if (obj_take(o, v))
		return oom(sn);
	o->smaps |= v->key == K_VM_FLAGS ||
		    (v->key >= K_SM && v->key < K_VMAMAP);
	if (v->key != K_VM_FLAGS || v->type != JR_ARR)
		return JR_NEXT;
	o->km[K_VM_FLAGS].s = (uint32_t)o->n;	/* its elements follow */
	return enter(sn, C_FLAGS);
}

static int flags_end(struct snap *sn)
{
	struct obj *o = &sn->rgn;
	struct mem *a = &o->km[K_VM_FLAGS];

	a->len = (uint32_t)(o->n - a->s);
	return 0;
}

static int on_value(void *arg, const struct jread_value *v)
{
	struct snap *sn = arg;

	if (!sn->depth)
		return v->type == JR_ARR ? enter(sn, C_ARRAY) :
		       doc_start(sn, v);
	switch (sn->ctx[sn->depth - 1]) {
	case C_ARRAY:
		sn->ndocs++;
		return v->index ? JR_NEXT : doc_start(sn, v);
	case C_DOC:
		return doc_value(sn, v);
	case C_SOURCE:
		return obj_take(&sn->src, v) ? oom(sn) : JR_NEXT;
	case C_VMAS:
		return vmas_value(sn, v);
	case C_VMA:
		return vma_value(sn, v);
	default:
		return obj_take(&sn->rgn, v) ? oom(sn) : JR_NEXT;
	}
}

/* What ends each object or array entered ("vmas" itself: nothing). */
static int (*const end_of[])(struct snap *sn) = {
	[C_ARRAY] = array_end, [C_DOC] = doc_end, [C_SOURCE] = source_end,
	[C_VMA] = vma_end, [C_FLAGS] = flags_end,
};

/* The end of an object or array entered; a fault does not stop the
 * reading (a later one may be reported first), running out of memory
 * does. */
static int on_end(void *arg)
{
	struct snap *sn = arg;
	enum ctx c = sn->ctx[--sn->depth];
	int r = end_of[c] ? end_of[c](sn) : 0;

	return r == -EBADMSG ? 0 : r;
}

static const struct jread_ops snap_ops = { on_value, on_end };

/* ------------------------------------------------------------ loading */

static void snap_init(struct snap *sn, struct vmaset *s, const char *label,
		      struct err *e)
{
	memset(sn, 0, sizeof(*sn));
	sn->s = s;
	sn->label = label;
	sn->e = e;
	sn->rank = R_NONE;
	sn->guess_format = true;
	for (unsigned int i = 0; i < K_SM; i++)
		sn->names[i] = vma_json_keys[i];
	for (unsigned int k = 0; k < SM_NKEYS; k++)
		sn->names[K_SM + k] = sm_keys[k].json;
	memcpy(sn->names + K_VMAMAP, doc_keys, sizeof(doc_keys));
	sn->rgn = (struct obj){ .lo = 0, .hi = K_VMAMAP, .others = true,
				.in_place = IN_PLACE };
	sn->doc = (struct obj){ .lo = K_VMAMAP, .hi = K_TYPE };
	sn->src = (struct obj){ .lo = K_TYPE, .hi = K_N };
}

/* The set, once the whole text was read (@r: how that went). */
static int finish(struct snap *sn, struct jread *jr, int r)
{
	struct vmaset *s = sn->s;

	jread_free(jr);
	obj_free(&sn->doc);
	obj_free(&sn->src);
	obj_free(&sn->rgn);
	if (r)
		return r;
	if (sn->rank != R_NONE)
		return sn->e->code;
	s->torn = sn->torn;
	if (sn->guess_format)
		s->src.smaps = s->nsm > 0;
	return intern(sn, &s->src.snapshot, sn->label, strlen(sn->label)) ?:
	       (int)s->n;
}

int snap_load(struct vmaset *s, const char *p, size_t len, const char *label,
	      struct err *e)
{
	struct snap sn;
	struct jread *jr;

	snap_init(&sn, s, label, e);
	jr = jread_new(sn.names, K_N, &snap_ops, &sn, label, e);
	if (!jr)
		return finish(&sn, NULL, -ENOMEM);
	return finish(&sn, jr, jread_feed(jr, p, len) ?: jread_finish(jr));
}

/* Feed @jr what @fn reads, to the end. */
static int pump(struct jread *jr, snap_read_fn fn, void *arg)
{
	const char *p;
	long n;
	int r = 0;

	while (!r && (n = fn(&p, arg)) != 0)
		r = n < 0 ? (int)n : jread_feed(jr, p, (size_t)n);
	return r ?: jread_finish(jr);
}

int snap_load_stream(struct vmaset *s, snap_read_fn fn, void *arg,
		     const char *label, struct err *e)
{
	struct snap sn;
	struct jread *jr;

	snap_init(&sn, s, label, e);
	jr = jread_new(sn.names, K_N, &snap_ops, &sn, label, e);
	return finish(&sn, jr, jr ? pump(jr, fn, arg) : oom(&sn));
}
