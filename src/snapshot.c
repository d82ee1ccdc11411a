// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * snapshot.c - load a saved `vmamap --json` document (see snapshot.h).
 *
 * Every value is checked before it is used; the first bad one stops the
 * load with a message that names its JSON path ("FILE: vmas[3].start:
 * expected ...").  Keys this version does not know are ignored, except in
 * a region with smaps counters, where an integer or string value under an
 * smaps-like key is kept as an extra (as the parser keeps unknown smaps
 * keys), so that it is written out again.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "maps_parse.h"
#include "snapshot.h"

/* The loader: the set, and where in the document it is, for messages. */
struct snap {
	struct vmaset *s;
	const char *label;
	struct err *e;
	char where[48];		/* "source", "vmas[3]"; "" at the top level */
	bool guess_format;	/* no source.format: smaps if a region has it */
};

static int bad(struct snap *sn, const char *key, const char *what)
{
	return err_set(sn->e, -EBADMSG, "%s: %s%s%s: %s", sn->label,
		       sn->where, *sn->where ? "." : "", key, what);
}

/* The object at sn->where itself is wrong. */
static int bad_here(struct snap *sn, const char *what)
{
	return err_set(sn->e, -EBADMSG, "%s: %s: %s", sn->label, sn->where,
		       what);
}

static int need(struct snap *sn, json_t *o, const char *key)
{
	if (json_object_get(o, key))
		return 0;
	return err_set(sn->e, -EBADMSG, "%s: %s%smissing \"%s\"", sn->label,
		       sn->where, *sn->where ? ": " : "", key);
}

static int oom(struct snap *sn)
{
	return err_set(sn->e, -ENOMEM, "%s: out of memory", sn->label);
}

static int intern(struct snap *sn, uint32_t *off, const char *p, size_t len)
{
	*off = vset_intern(sn->s, p, len);
	return *off ? 0 : oom(sn);
}

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
static bool big_uint(json_t *v, uint64_t *out)
{
	const char *p = json_string_value(v);
	size_t len = json_string_length(v);
	uint64_t n = 0;

	if (len < 19 || len > 20)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned int d = (unsigned int)(p[i] - '0');

		if (d > 9 || n > (UINT64_MAX - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*out = n;
	return n > INT64_MAX;
}

/* Optional non-negative integer up to @max; *@out is kept when absent. */
static int get_uint(struct snap *sn, json_t *o, const char *key,
		    uint64_t max, uint64_t *out)
{
	json_t *v = json_object_get(o, key);
	uint64_t n;

	if (!v)
		return 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0)
		n = (uint64_t)json_integer_value(v);
	else if (!json_is_string(v) || !big_uint(v, &n))
		return bad(sn, key, "expected a non-negative integer");
	if (n > max)
		return bad(sn, key, "number too large");
	*out = n;
	return 0;
}

/* Optional "0x..." string; *@out is kept when absent. */
static int get_addr(struct snap *sn, json_t *o, const char *key,
		    uint64_t *out)
{
	json_t *v = json_object_get(o, key);
	const char *p = json_string_value(v);
	size_t len = json_string_length(v);

	if (!v)
		return 0;
	if (!p || len < 3 || p[0] != '0' || p[1] != 'x' ||
	    !take_hex(p + 2, len - 2, 16, out))
		return bad(sn, key, "expected an address string \"0x...\"");
	return 0;
}

static int get_bool(struct snap *sn, json_t *o, const char *key, bool *out)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return bad(sn, key, "expected true or false");
	*out = json_is_true(v);
	return 0;
}

/* Intern the bytes written as hex in the string @v. */
static int hex_bytes(struct snap *sn, json_t *v, const char *key,
		     uint32_t *off)
{
	const char *p = json_string_value(v);
	size_t len = json_string_length(v);
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
 * Optional string or null (*@off = 0) under @key; the exact bytes come
 * from KEY_hex when it is present (written when they are not UTF-8).
 */
static int get_bytes(struct snap *sn, json_t *o, const char *key,
		     uint32_t *off)
{
	json_t *v = json_object_get(o, key), *h;
	char *hkey;
	int r;

	*off = 0;
	if (v && !json_is_string(v) && !json_is_null(v))
		return bad(sn, key, "expected a string or null");
	hkey = malloc(strlen(key) + sizeof("_hex"));
	if (!hkey)
		return oom(sn);
	strcpy(stpcpy(hkey, key), "_hex");
	h = json_object_get(o, hkey);
	if (h)
		r = hex_bytes(sn, h, hkey, off);
	else if (json_is_string(v))
		r = intern(sn, off, json_string_value(v),
			   json_string_length(v));
	else
		r = 0;
	free(hkey);
	return r;
}

/* ------------------------------------------------------------ source */

/* "2026-11-21T07:31:00Z" (or "" or null: unknown) into unix time. */
static int get_time(struct snap *sn, json_t *o, const char *key,
		    int64_t *out)
{
	json_t *v = json_object_get(o, key);
	const char *p = json_string_value(v), *end;
	struct tm tm = { 0 };

	*out = 0;
	if (!v || json_is_null(v) || (p && !*p))
		return 0;
	end = p ? strptime(p, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
	if (!end || (size_t)(end - p) != json_string_length(v))
		return bad(sn, key, "expected a time string "
			   "\"YYYY-MM-DDTHH:MM:SSZ\"");
	*out = (int64_t)timegm(&tm);
	return 0;
}

static int source_type(struct snap *sn, json_t *src)
{
	const char *t = json_string_value(json_object_get(src, "type"));
	int r = need(sn, src, "type");

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

static int source_format(struct snap *sn, json_t *src)
{
	json_t *v = json_object_get(src, "format");
	const char *f = json_string_value(v);

	sn->guess_format = !v;
	if (!v)
		return 0;
	if (!f || (strcmp(f, "smaps") && strcmp(f, "maps")))
		return bad(sn, "format", "expected \"maps\" or \"smaps\"");
	sn->s->src.smaps = !strcmp(f, "smaps");
	return 0;
}

static int source_pid(struct snap *sn, json_t *src)
{
	struct vset_source *d = &sn->s->src;
	uint64_t pid = 0;
	int r = need(sn, src, "pid") ?: get_uint(sn, src, "pid", INT_MAX, &pid);

	if (!r && pid == 0)
		r = bad(sn, "pid", "expected a process ID above 0");
	d->pid = (pid_t)pid;
	return r ?: get_bytes(sn, src, "comm", &d->comm) ?:
	       get_bytes(sn, src, "cmdline", &d->cmdline) ?:
	       get_bytes(sn, src, "proc_root", &d->proc_root) ?:
	       get_time(sn, src, "captured_at", &d->captured_at);
}

/* "source"; without one, the snapshot file itself is the source. */
static int load_source(struct snap *sn, json_t *root)
{
	json_t *src = json_object_get(root, "source");
	struct vset_source *d = &sn->s->src;
	int r;

	d->kind = VS_FILE;
	sn->guess_format = true;
	snprintf(sn->where, sizeof(sn->where), "source");
	if (src && !json_is_object(src))
		return bad_here(sn, "expected an object");
	r = src ? (source_type(sn, src) ?: source_format(sn, src)) : 0;
	if (!r && d->kind == VS_PID)
		return source_pid(sn, src);
	if (!r && src)
		r = get_bytes(sn, src, "file", &d->file);
	if (!r && !d->file)
		r = intern(sn, &d->file, sn->label, strlen(sn->label));
	return r;
}

/* ----------------------------------------------------------- regions */

static int vma_range(struct snap *sn, json_t *o, struct vma *v)
{
	uint64_t size;
	int r = get_addr(sn, o, "start", &v->start) ?:
		get_addr(sn, o, "end", &v->end);

	if (r)
		return r;
	if (v->end <= v->start)
		return bad(sn, "end", "end address not above start address");
	size = vma_size(v);
	r = get_uint(sn, o, "size", UINT64_MAX, &size);
	if (!r && size != vma_size(v))
		return bad(sn, "size", "not end minus start");
	return r;
}

static int vma_perms(struct snap *sn, json_t *o, struct vma *v)
{
	static const char want[4][2] = { "r-", "w-", "x-", "sp" };
	static const uint8_t bit[4] = { VP_READ, VP_WRITE, VP_EXEC, VP_SHARED };
	json_t *j = json_object_get(o, "perms");
	const char *p = json_string_value(j);

	if (!p || json_string_length(j) != 4)
		return bad(sn, "perms", "expected 4 characters like \"r-xp\"");
	for (int i = 0; i < 4; i++) {
		if (p[i] == want[i][0])
			v->perms |= bit[i];
		else if (p[i] != want[i][1])
			return bad(sn, "perms", "expected 4 characters like "
				   "\"r-xp\"");
	}
	return 0;
}

/* "MM:mm", major and minor in hex, as the kernel prints them. */
static int vma_dev(struct snap *sn, json_t *o, struct vma *v)
{
	json_t *j = json_object_get(o, "dev");
	const char *p = json_string_value(j), *colon;
	size_t len = json_string_length(j);
	uint64_t maj, min;

	if (!j)
		return 0;
	colon = p ? memchr(p, ':', len) : NULL;
	if (!colon || !take_hex(p, (size_t)(colon - p), 8, &maj) ||
	    !take_hex(colon + 1, len - (size_t)(colon - p) - 1, 8, &min))
		return bad(sn, "dev", "expected a device string \"MM:mm\" "
			   "in hex");
	v->major = (uint32_t)maj;
	v->minor = (uint32_t)min;
	return 0;
}

static int vma_name(struct snap *sn, json_t *o, struct vma *v)
{
	bool deleted = false;
	int r = get_bytes(sn, o, "path", &v->path) ?:
		get_bool(sn, o, "deleted", &deleted);

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
static int vma_class(struct snap *sn, json_t *o, struct vma *v)
{
	json_t *j = json_object_get(o, "class");
	uint64_t tid = 0;
	int c;

	if (j) {
		c = json_is_string(j) ? vma_class_from_name(
			json_string_value(j), json_string_length(j)) : -1;
		if (c < 0)
			return bad(sn, "class", "expected a class name such "
				   "as \"text\"");
		v->cls = (uint8_t)c;
	}
	c = get_uint(sn, o, "tid", UINT32_MAX, &tid);
	v->tid = (uint32_t)tid;
	return c;
}

/* --------------------------------------------------------- smaps */

static bool has_smaps(json_t *o)
{
	if (json_object_get(o, "vm_flags"))
		return true;
	for (unsigned int k = 0; k < SM_NKEYS; k++)
		if (sm_keys[k].json && json_object_get(o, sm_keys[k].json))
			return true;
	return false;
}

static int sm_known(struct snap *sn, json_t *o, unsigned int k,
		    struct vma_smaps *sm)
{
	const char *key = sm_keys[k].json;

	if (!key || !json_object_get(o, key))
		return 0;
	sm->have |= UINT32_C(1) << k;
	return get_uint(sn, o, key, UINT64_MAX, &sm->val[k]);
}

static int flag_index(const char *p, size_t len)
{
	for (unsigned int i = 0; len == 2 && i < vmflag_count; i++)
		if (!memcmp(vmflag_table[i].code, p, 2))
			return (int)i;
	return -1;
}

/* Element @i of vm_flags: a non-empty string without blanks. */
static int flag_code(struct snap *sn, json_t *a, size_t i, const char **p,
		     size_t *len)
{
	json_t *j = json_array_get(a, i);
	char key[40];

	*p = json_string_value(j);
	*len = json_string_length(j);
	if (*p && *len && !memchr(*p, ' ', *len) && !memchr(*p, '\t', *len) &&
	    !memchr(*p, '\n', *len))
		return 0;
	snprintf(key, sizeof(key), "vm_flags[%zu]", i);
	return bad(sn, key, "expected a flag code such as \"rd\"");
}

/* Codes vmflag_table does not know, joined by spaces as the parser does. */
static int flags_unknown(struct snap *sn, json_t *a, size_t total,
			 struct vma_smaps *sm)
{
	char *b = malloc(total), *w = b;
	int r;

	if (!b)
		return oom(sn);
	for (size_t i = 0; i < json_array_size(a); i++) {
		const char *p = json_string_value(json_array_get(a, i));
		size_t len = json_string_length(json_array_get(a, i));

		if (flag_index(p, len) >= 0)
			continue;
		if (w > b)
			*w++ = ' ';
		memcpy(w, p, len);
		w += len;
	}
	r = intern(sn, &sm->vmf_unknown, b, (size_t)(w - b));
	free(b);
	return r;
}

static int vm_flags(struct snap *sn, json_t *o, struct vma_smaps *sm)
{
	json_t *a = json_object_get(o, "vm_flags");
	size_t unknown = 0;

	if (!a)
		return 0;
	if (!json_is_array(a))
		return bad(sn, "vm_flags", "expected an array of flag codes");
	sm->has_vmflags = true;
	for (size_t i = 0; i < json_array_size(a); i++) {
		const char *p;
		size_t len;
		int f;

		if (flag_code(sn, a, i, &p, &len))
			return -EBADMSG;
		f = flag_index(p, len);
		if (f >= 0)
			sm->vmflags |= UINT64_C(1) << f;
		else
			unknown += len + 1;
	}
	return unknown ? flags_unknown(sn, a, unknown, sm) : 0;
}

/* An smaps key as the parser reads it: [A-Za-z][A-Za-z0-9_]*. */
static bool smaps_like(const char *k)
{
	size_t n = strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuv"
			  "wxyz0123456789_");

	return n && !k[n] && !(k[0] >= '0' && k[0] <= '9') && k[0] != '_';
}

static bool known_key(const char *k)
{
	for (unsigned int i = 0; i < vma_json_nkeys; i++)
		if (!strcmp(k, vma_json_keys[i]))
			return true;
	for (unsigned int i = 0; i < SM_NKEYS; i++)
		if (sm_keys[i].json && !strcmp(k, sm_keys[i].json))
			return true;
	return false;
}

/* KEY_hex next to a string KEY holds KEY's bytes: not an extra itself. */
static bool hex_companion(json_t *o, const char *k)
{
	size_t n = strlen(k);

	if (n < 5 || strcmp(k + n - 4, "_hex"))
		return false;
	for (void *it = json_object_iter(o); it;
	     it = json_object_iter_next(o, it)) {
		const char *b = json_object_iter_key(it);

		if (strlen(b) == n - 4 && !memcmp(b, k, n - 4))
			return json_is_string(json_object_iter_value(it));
	}
	return false;
}

static bool is_extra(json_t *o, const char *k, json_t *v)
{
	if (!json_is_string(v) &&
	    !(json_is_integer(v) && json_integer_value(v) >= 0))
		return false;
	return smaps_like(k) && !known_key(k) && !hex_companion(o, k);
}

/*
 * An unknown smaps key: a number is kept as written (kb is false: the
 * writer already turned kB into bytes), text as its exact bytes.
 */
static int extra(struct snap *sn, json_t *o, const char *k, json_t *v,
		 struct vma_smaps *sm)
{
	struct sm_extra x = { 0 };
	int r = vset_extra_clash(sn->s, sm, k, strlen(k));

	if (r)
		return r < 0 ? oom(sn) : bad(sn, k, "would be written as a "
					     "key the region has");
	r = intern(sn, &x.key, k, strlen(k));
	if (!r && json_is_integer(v)) {
		x.numeric = true;
		x.value = (uint64_t)json_integer_value(v);
	} else if (!r) {
		r = get_bytes(sn, o, k, &x.raw);
	}
	if (!r && vset_add_extra(sn->s, sm, &x))
		r = oom(sn);
	return r;
}

static int extras(struct snap *sn, json_t *o, struct vma_smaps *sm)
{
	for (void *it = json_object_iter(o); it;
	     it = json_object_iter_next(o, it)) {
		const char *k = json_object_iter_key(it);
		json_t *v = json_object_iter_value(it);
		int r = is_extra(o, k, v) ? extra(sn, o, k, v, sm) : 0;

		if (r)
			return r;
	}
	return 0;
}

/* Size is not written (it is end - start): set it as smaps text has it. */
static int vma_smaps(struct snap *sn, json_t *o, struct vma *v)
{
	struct vma_smaps *sm = vset_add_smaps(sn->s, v);
	int r = 0;

	if (!sm)
		return oom(sn);
	sm->val[SM_SIZE] = vma_size(v);
	sm->have = UINT32_C(1) << SM_SIZE;
	for (unsigned int k = 0; k < SM_NKEYS && !r; k++)
		r = sm_known(sn, o, k, sm);
	return r ?: vm_flags(sn, o, sm) ?: extras(sn, o, sm);
}

/* ------------------------------------------------------ the document */

static bool is_gap(json_t *o)
{
	const char *c = json_string_value(json_object_get(o, "class"));

	return c && !strcmp(c, "gap");
}

static int load_vma(struct snap *sn, json_t *o, size_t i)
{
	struct vma v = { .smaps = VMA_NO_SMAPS, .line = (uint32_t)i + 1,
			 .cls = VC_NCLASS };
	struct vma *nv;
	int r;

	snprintf(sn->where, sizeof(sn->where), "vmas[%zu]", i);
	if (!json_is_object(o))
		return bad_here(sn, "expected an object");
	if (is_gap(o))
		return 0;
	r = need(sn, o, "start") ?: need(sn, o, "end") ?:
	    need(sn, o, "perms") ?: vma_range(sn, o, &v) ?:
	    vma_perms(sn, o, &v) ?: get_addr(sn, o, "offset", &v.offset) ?:
	    vma_dev(sn, o, &v) ?: get_uint(sn, o, "inode", UINT64_MAX,
					    &v.inode) ?:
	    vma_name(sn, o, &v) ?: vma_class(sn, o, &v);
	if (r)
		return r;
	nv = vset_add(sn->s, &v);
	if (!nv)
		return oom(sn);
	return has_smaps(o) ? vma_smaps(sn, o, nv) : 0;
}

static int load_vmas(struct snap *sn, json_t *root)
{
	json_t *a = json_object_get(root, "vmas");
	int r = 0;

	sn->where[0] = '\0';
	if (!a)
		return need(sn, root, "vmas");
	if (!json_is_array(a))
		return bad(sn, "vmas", "expected an array");
	for (size_t i = 0; i < json_array_size(a) && !r; i++)
		r = load_vma(sn, json_array_get(a, i), i);
	return r;
}

/* "vmamap": the schema version; its integer part is the major. */
static int check_version(struct snap *sn, json_t *root)
{
	json_t *v = json_object_get(root, "vmamap");
	double d = json_number_value(v);

	if (!v)
		return err_set(sn->e, -EBADMSG, "%s: not a vmamap snapshot "
			       "(no \"vmamap\" key)", sn->label);
	if (!json_is_number(v) || d < 1)
		return bad(sn, "vmamap", "expected the schema version, a "
			   "number from 1");
	if (d >= SNAP_SCHEMA_MAJOR + 1)
		return err_set(sn->e, -EBADMSG, "%s: snapshot schema version "
			       "%lld is newer than this vmamap reads (%d); "
			       "upgrade vmamap", sn->label,
			       d < 1e18 ? (long long)d : LLONG_MAX,
			       SNAP_SCHEMA_MAJOR);
	return 0;
}

/* The output of several targets: accepted when it holds only one. */
static json_t *only_element(struct snap *sn, json_t *a)
{
	size_t n = json_array_size(a);

	if (n == 1)
		return json_array_get(a, 0);
	if (n == 0)
		err_set(sn->e, -EBADMSG, "%s: an empty array, not a snapshot",
			sn->label);
	else
		err_set(sn->e, -EBADMSG, "%s: holds %zu snapshots; pick one "
			"(jq '.[0]')", sn->label, n);
	return NULL;
}

/* The document itself: an object, or an array holding exactly one. */
static json_t *the_document(struct snap *sn, json_t *root)
{
	if (json_is_array(root))
		root = only_element(sn, root);
	if (!root)
		return NULL;
	if (!json_is_object(root)) {
		err_set(sn->e, -EBADMSG, "%s: not a vmamap snapshot (not a "
			"JSON object)", sn->label);
		return NULL;
	}
	if (json_object_get(root, "vmamap_diff")) {
		err_set(sn->e, -EBADMSG, "%s: a vmamap diff document, not a "
			"snapshot", sn->label);
		return NULL;
	}
	return root;
}

static int load_root(struct snap *sn, json_t *root)
{
	json_t *doc = the_document(sn, root);
	bool torn = false;
	int r;

	if (!doc)
		return -EBADMSG;
	r = check_version(sn, doc) ?: load_source(sn, doc);
	sn->where[0] = '\0';
	r = r ?: get_bool(sn, doc, "torn", &torn) ?: load_vmas(sn, doc) ?:
	    intern(sn, &sn->s->src.snapshot, sn->label, strlen(sn->label));
	if (r)
		return r;
	sn->s->torn = torn;
	if (sn->guess_format)
		sn->s->src.smaps = sn->s->nsm > 0;
	return (int)sn->s->n;
}

enum { SNAP_JSON_FLAGS = JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL };

/* The parsed document @root (NULL: jansson failed, @je says why). */
static int load_parsed(struct snap *sn, json_t *root, json_error_t *je)
{
	int r;

	if (!root && json_error_code(je) == json_error_out_of_memory)
		return oom(sn);
	if (!root)
		return err_set(sn->e, -EBADMSG, "%s:%d:%d: %s", sn->label,
			       je->line, je->column, je->text);
	r = load_root(sn, root);
	json_decref(root);
	return r;
}

int snap_load(struct vmaset *s, const char *p, size_t len, const char *label,
	      struct err *e)
{
	struct snap sn = { .s = s, .label = label, .e = e };
	json_error_t je;

	return load_parsed(&sn, json_loadb(p, len, SNAP_JSON_FLAGS, &je), &je);
}

/* jansson's side of snap_load_stream(): a read error stops the parse. */
struct pull {
	snap_read_fn fn;
	void *arg;
	int err;
};

static size_t pull(void *buf, size_t len, void *arg)
{
	struct pull *p = arg;
	long n = p->fn(buf, len, p->arg);

	if (n >= 0)
		return (size_t)n;
	p->err = (int)n;
	return (size_t)-1;
}

int snap_load_stream(struct vmaset *s, snap_read_fn fn, void *arg,
		     const char *label, struct err *e)
{
	struct snap sn = { .s = s, .label = label, .e = e };
	struct pull p = { fn, arg, 0 };
	json_error_t je;
	json_t *root = json_load_callback(pull, &p, SNAP_JSON_FLAGS, &je);

	if (p.err) {
		json_decref(root);
		return p.err;
	}
	return load_parsed(&sn, root, &je);
}
