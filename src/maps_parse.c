// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * maps_parse.c - one pass over maps/smaps text.
 *
 * A line is either a region header ("START-END PERMS OFFSET MAJ:MIN INODE
 * [NAME]") or, in smaps, a "Key: value [kB]" line that belongs to the
 * region above it.  A name cannot hold a newline (the kernel writes it as
 * \012), so nothing in a path can be mistaken for a key line.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "maps_parse.h"

struct cursor {
	const char *p, *end;
};

const unsigned char maps_hex_table[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static inline bool is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static const uint64_t ONES = 0x0101010101010101ULL;
static const uint64_t HIGHS = 0x8080808080808080ULL;

static inline uint64_t load64(const char *p)
{
	return maps_load64(p);
}

/* Eight spaces as one word: smaps pads its values with runs of them. */
static inline bool eight_spaces(const char *p)
{
	return load64(p) == ONES * ' ';
}

static void skip_blanks(struct cursor *c)
{
	while (c->end - c->p >= 8 && eight_spaces(c->p))
		c->p += 8;
	while (c->p < c->end && is_blank(*c->p))
		c->p++;
}

/* Require at least one blank, then skip the run. */
static bool need_blanks(struct cursor *c)
{
	if (c->p >= c->end || !is_blank(*c->p))
		return false;
	skip_blanks(c);
	return true;
}

/* 1 to @max hex digits into *@out. */
static inline bool take_hex(struct cursor *c, unsigned int max, uint64_t *out)
{
	const char *p = c->p, *end = c->end;
	uint64_t v = 0;
	unsigned int d;

	while (p < end && (d = maps_hex_table[(unsigned char)*p]) != 0) {
		v = v << 4 | (d - 1);
		p++;
	}
	*out = v;
	d = (unsigned int)(p - c->p);
	c->p = p;
	return d > 0 && d <= max;
}

/* 1 to 20 decimal digits, without overflow. */
static bool take_dec(struct cursor *c, uint64_t *out)
{
	uint64_t v = 0;
	unsigned int n = 0;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		unsigned int d = (unsigned int)(*c->p++ - '0');

		if (n >= 19 && v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
		n++;
	}
	*out = v;
	return n > 0;
}

/* High bit of each zero byte of @x, nothing else. */
static inline uint32_t zero_bytes(uint32_t x)
{
	return ~(((x & 0x7f7f7f7fu) + 0x7f7f7f7fu) | x | 0x7f7f7f7fu);
}

/*
 * "rwxs" at @p as enum vma_perm bits: each byte must be its letter or the
 * one for its absence ('-', or 'p' for the last), checked for the four at
 * once.  The bytes are assembled in little-endian order whatever the host.
 */
static inline bool perms_word(const char *p, uint8_t *perms)
{
	const unsigned char *u = (const unsigned char *)p;
	uint32_t w = u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 |
		     (uint32_t)u[3] << 24;
	uint32_t on = zero_bytes(w ^ 0x73787772u);	/* "rwxs" */
	uint32_t off = zero_bytes(w ^ 0x702d2d2du);	/* "---p" */

	if ((on | off) != 0x80808080u)
		return false;
	*perms = (uint8_t)((on >> 7 & 1) | (on >> 14 & 2) | (on >> 21 & 4) |
			   (on >> 28 & 8));
	return true;
}

static bool take_perms(struct cursor *c, uint8_t *perms)
{
	if (c->end - c->p < 4 || !perms_word(c->p, perms))
		return false;
	c->p += 4;
	return c->p == c->end || is_blank(*c->p);
}

static bool take_addrs(struct cursor *c, struct vma *v, const char **why)
{
	if (!take_hex(c, 16, &v->start) || c->p >= c->end || *c->p++ != '-') {
		*why = "bad start address";
		return false;
	}
	if (!take_hex(c, 16, &v->end)) {
		*why = "bad end address";
		return false;
	}
	if (v->end <= v->start) {
		*why = "end address not above start address";
		return false;
	}
	return true;
}

static bool take_dev(struct cursor *c, struct vma *v, const char **why)
{
	uint64_t maj, min;

	if (!take_hex(c, 8, &maj) || c->p >= c->end || *c->p++ != ':' ||
	    !take_hex(c, 8, &min)) {
		*why = "bad device (want MAJ:MIN in hex)";
		return false;
	}
	v->major = (uint32_t)maj;
	v->minor = (uint32_t)min;
	return true;
}

/*
 * The shape the kernel prints for a 64-bit process (show_vma_header_prefix:
 * 12-digit addresses, an 8-digit offset, a 2:2-digit device), read at fixed
 * columns: "START-END PERM OFFSET MA:MI " then the inode.  Returns false,
 * with nothing decided, for any other shape; the general parser then reads
 * the line.  On success @c is left at the inode.
 */
static bool fixed_header(struct cursor *c, struct vma *v)
{
	const char *p = c->p;
	uint64_t maj, min;

	if (c->end - p < 47 || p[12] != '-' || p[25] != ' ' || p[30] != ' ' ||
	    p[39] != ' ' || p[42] != ':' || p[45] != ' ' ||
	    !maps_hex_wide(p, 12, &v->start) ||
	    !maps_hex_wide(p + 13, 12, &v->end) ||
	    !maps_hex_word(p + 31, &v->offset) ||
	    !maps_hex_fixed(p + 40, 2, &maj) ||
	    !maps_hex_fixed(p + 43, 2, &min) || v->end <= v->start)
		return false;
	c->p = p + 26;
	if (!take_perms(c, &v->perms))
		return false;
	v->major = (uint32_t)maj;
	v->minor = (uint32_t)min;
	c->p = p + 46;
	return true;
}

int maps_parse_header(const char *p, size_t len, struct vma *v,
		      const char **name, size_t *namelen, const char **why)
{
	struct cursor c = { p, p + len };

	memset(v, 0, sizeof(*v));
	v->smaps = VMA_NO_SMAPS;
	if (fixed_header(&c, v))
		goto inode;
	c.p = p;
	if (!take_addrs(&c, v, why))
		return -EBADMSG;
	if (!need_blanks(&c) || !take_perms(&c, &v->perms)) {
		*why = "bad permissions (want 4 characters like r-xp)";
		return -EBADMSG;
	}
	if (!need_blanks(&c) || !take_hex(&c, 16, &v->offset)) {
		*why = "bad file offset";
		return -EBADMSG;
	}
	if (!need_blanks(&c)) {
		*why = "bad file offset";
		return -EBADMSG;
	}
	if (!take_dev(&c, v, why))
		return -EBADMSG;
	if (!need_blanks(&c)) {
		*why = "bad inode number";
		return -EBADMSG;
	}
inode:
	if (!take_dec(&c, &v->inode)) {
		*why = "bad inode number";
		return -EBADMSG;
	}
	if (c.p < c.end && !is_blank(*c.p)) {
		*why = "bad inode number";
		return -EBADMSG;
	}
	skip_blanks(&c);
	*name = c.p;
	*namelen = (size_t)(c.end - c.p);
	return 0;
}

static bool has_prefix(const char *p, size_t len, const char *pre)
{
	size_t n = strlen(pre);

	return len >= n && !memcmp(p, pre, n);
}

static bool equals(const char *p, size_t len, const char *s)
{
	return strlen(s) == len && !memcmp(p, s, len);
}

static bool is_stack_tid(const char *p, size_t len)
{
	size_t i = strlen("[stack:");

	if (!has_prefix(p, len, "[stack:") || len < i + 2 || p[len - 1] != ']')
		return false;
	for (; i < len - 1; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

static enum vma_name bracket_kind(const char *p, size_t len)
{
	static const struct { const char *s; enum vma_name k; } fixed[] = {
		{ "[heap]", VN_HEAP }, { "[stack]", VN_STACK },
		{ "[vdso]", VN_VDSO }, { "[vvar]", VN_VVAR },
		{ "[vvar_vclock]", VN_VVAR_VCLOCK },
		{ "[vsyscall]", VN_VSYSCALL }, { "[uprobes]", VN_UPROBES },
	};

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (equals(p, len, fixed[i].s))
			return fixed[i].k;
	if (is_stack_tid(p, len))
		return VN_STACK_TID;
	if (has_prefix(p, len, "[anon:") && p[len - 1] == ']')
		return VN_ANON;
	if (has_prefix(p, len, "[anon_shmem:") && p[len - 1] == ']')
		return VN_ANON_SHMEM;
	return VN_OTHER;
}

enum vma_name maps_parse_name_kind(const char *p, size_t len)
{
	if (len == 0)
		return VN_NONE;
	if (p[0] == '/')
		return VN_FILE;
	if (p[0] == '[')
		return bracket_kind(p, len);
	if (has_prefix(p, len, "anon_inode:"))
		return VN_ANON_INODE;
	return VN_OTHER;
}

static const char deleted_sfx[] = " (deleted)";

bool maps_parse_deleted(const char *p, size_t *len)
{
	size_t sl = sizeof(deleted_sfx) - 1;

	if (*len <= sl || memcmp(p + *len - sl, deleted_sfx, sl))
		return false;
	*len -= sl;
	return true;
}

size_t maps_parse_unescape(char *dst, const char *p, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\\' && len - i >= 4 && !memcmp(p + i, "\\012", 4)) {
			dst[o++] = '\n';
			i += 3;
		} else {
			dst[o++] = p[i];
		}
	}
	return o;
}

static int set_name(struct maps_parser *st, struct vma *v,
		    const char *p, size_t len)
{
	v->name = (uint8_t)maps_parse_name_kind(p, len);
	if (v->name == VN_NONE)
		return 0;
	if (v->name == VN_FILE && maps_parse_deleted(p, &len))
		v->flags |= VF_DELETED;
	if (p[0] != '[' && memchr(p, '\\', len)) {
		if (len > st->scratchcap) {
			char *n = realloc(st->scratch, len);

			if (!n)
				return -ENOMEM;
			st->scratch = n;
			st->scratchcap = len;
		}
		len = maps_parse_unescape(st->scratch, p, len);
		p = st->scratch;
	}
	v->path = vset_intern(st->s, p, len);
	v->path_len = (uint32_t)len;
	return v->path ? 0 : -ENOMEM;
}

static int bad(struct maps_parser *st, const char *why)
{
	return err_set(st->e, -EBADMSG, "%s:%lu: %s", st->name, st->line, why);
}

static int oom(struct maps_parser *st)
{
	return err_set(st->e, -ENOMEM, "%s: out of memory", st->name);
}

static const char crlf_why[] = "carriage return before the newline (CRLF "
			       "line ends? convert with dos2unix)";

static bool ends_in_cr(const char *p, size_t len)
{
	return len && p[len - 1] == '\r';
}

/*
 * The kernel never ends a line with '\r', except when a file's path does:
 * any other name (and any field) ending in one is a CRLF text.
 */
static int parse_header(struct maps_parser *st, const char *p, size_t len)
{
	struct vma v;
	const char *name, *why;
	size_t namelen;
	int r;

	if (maps_parse_header(p, len, &v, &name, &namelen, &why))
		return bad(st, ends_in_cr(p, len) ? crlf_why : why);
	if (ends_in_cr(name, namelen) &&
	    maps_parse_name_kind(name, namelen) != VN_FILE)
		return bad(st, crlf_why);
	v.line = (uint32_t)st->line;
	r = set_name(st, &v, name, namelen);
	if (r)
		return oom(st);
	st->cur = vset_add(st->s, &v);
	st->sm = NULL;
	return st->cur ? 0 : oom(st);
}

/*
 * The tables below are filled before main() rather than on first use: two
 * files may be parsed at once, on two threads (target_load_two()).
 */

/* Length of each known key as printed. */
static uint8_t key_lens[SM_NKEYS];

static void __attribute__((constructor)) key_lens_init(void)
{
	for (unsigned int k = 0; k < SM_NKEYS; k++)
		key_lens[k] = (uint8_t)strlen(sm_keys[k].kernel);
}

static size_t key_length(unsigned int i)
{
	return key_lens[i];
}

/* Index of the known key @k (kernel order tried first from *@hint). */
static int key_index(const char *k, size_t len, unsigned int *hint)
{
	for (unsigned int n = 0; n < SM_NKEYS; n++) {
		unsigned int i = (*hint + n) % SM_NKEYS;

		if (key_length(i) == len && !memcmp(k, sm_keys[i].kernel, len)) {
			*hint = i + 1;
			return (int)i;
		}
	}
	return -1;
}

/*
 * The fast path: the kernel prints the keys in a fixed order, so the line
 * usually starts with the key after the previous one, and a colon.
 * Returns that key's index, or -1.
 */
static int expected_key(const char *p, size_t len, unsigned int hint)
{
	unsigned int i = hint % SM_NKEYS;
	size_t kl = key_length(i);

	if (len > kl && p[kl] == ':' && !memcmp(p, sm_keys[i].kernel, kl))
		return (int)i;
	return -1;
}

/* vmflag_table index of each two-letter code "aa" to "zz", or -1. */
static signed char flag_map[26 * 26];

static void __attribute__((constructor)) flag_map_init(void)
{
	memset(flag_map, -1, sizeof(flag_map));
	for (unsigned int i = 0; i < vmflag_count; i++) {
		const char *c = vmflag_table[i].code;

		flag_map[(c[0] - 'a') * 26 + (c[1] - 'a')] = (signed char)i;
	}
}

/* vmflag_table index of a two-letter code, or -1. */
static int vmflag_index(char a, char b)
{
	if (a < 'a' || a > 'z' || b < 'a' || b > 'z')
		return -1;
	return flag_map[(a - 'a') * 26 + (b - 'a')];
}

static int add_unknown_flag(struct maps_parser *st, const char *c, size_t n)
{
	struct vma_smaps *sm = st->sm;
	char buf[512];
	size_t have = 0;

	if (sm->vmf_unknown) {
		have = vset_strlen(st->s, sm->vmf_unknown);
		if (have + n + 1 > sizeof(buf))
			return bad(st, "too many unknown VmFlags codes");
		memcpy(buf, vset_str(st->s, sm->vmf_unknown), have);
		buf[have++] = ' ';
	}
	if (have + n > sizeof(buf))
		return bad(st, "VmFlags code too long");
	memcpy(buf + have, c, n);
	sm->vmf_unknown = vset_intern(st->s, buf, have + n);
	return sm->vmf_unknown ? 0 : oom(st);
}

static int parse_vmflags(struct maps_parser *st, struct cursor *c)
{
	if (st->sm->has_vmflags)
		return bad(st, "duplicate VmFlags line");
	st->sm->has_vmflags = true;
	for (skip_blanks(c); c->p < c->end; skip_blanks(c)) {
		const char *w = c->p;
		int i;

		while (c->p < c->end && !is_blank(*c->p))
			c->p++;
		i = (c->p - w == 2) ? vmflag_index(w[0], w[1]) : -1;
		if (i >= 0) {
			st->sm->vmflags |= UINT64_C(1) << i;
			continue;
		}
		i = add_unknown_flag(st, w, (size_t)(c->p - w));
		if (i)
			return i;
	}
	vset_vmflags_read(st->cur, st->sm);
	return 0;
}

/* "123 kB", "123" or other text; sets *@kb when the unit was given. */
static bool take_value(struct cursor *c, uint64_t *v, bool *kb)
{
	skip_blanks(c);
	if (!take_dec(c, v))
		return false;
	skip_blanks(c);
	*kb = false;
	if (c->end - c->p >= 2 && c->p[0] == 'k' && c->p[1] == 'B') {
		*kb = true;
		c->p += 2;
		skip_blanks(c);
	}
	return c->p == c->end;
}

static int add_extra(struct maps_parser *st, const char *k, size_t klen,
		     struct cursor *c)
{
	struct sm_extra x = { 0 };
	struct cursor v = *c;
	int r = vset_extra_clash(st->s, st->sm, k, klen);

	if (r == -E2BIG)
		return bad(st, "more than 64 unknown smaps keys in one region");
	if (r)
		return r < 0 ? oom(st) : bad(st, "duplicate smaps key (or "
					     "one named like another)");
	x.key = vset_intern(st->s, k, klen);
	x.numeric = take_value(&v, &x.value, &x.kb);
	if (x.numeric && x.kb && x.value > UINT64_MAX / 1024)
		return bad(st, "smaps value too large");
	if (x.numeric && x.kb)
		x.value *= 1024;
	if (!x.numeric) {
		x.kb = false;
		x.value = 0;
		skip_blanks(c);
		x.raw = vset_intern(st->s, c->p, (size_t)(c->end - c->p));
	}
	if (!x.key || (!x.numeric && !x.raw) ||
	    vset_add_extra(st->s, st->sm, &x))
		return oom(st);
	return 0;
}

static int store_known(struct maps_parser *st, int i, struct cursor *c)
{
	uint64_t v;
	bool kb;

	if (st->sm->have & (UINT32_C(1) << i))
		return bad(st, "duplicate smaps key");
	if (!take_value(c, &v, &kb))
		return bad(st, "bad smaps value (want a number, maybe with kB)");
	if (kb != sm_keys[i].kb)
		return bad(st, kb ? "unexpected kB unit" : "missing kB unit");
	if (kb && v > UINT64_MAX / 1024)
		return bad(st, "smaps value too large");
	st->sm->val[i] = kb ? v * 1024 : v;
	st->sm->have |= UINT32_C(1) << i;
	return 0;
}

/* The smaps record of the current region, started on its first key. */
static int need_record(struct maps_parser *st)
{
	if (!st->cur)
		return bad(st, "smaps field before the first region line");
	if (!st->sm) {
		st->sm = vset_add_smaps(st->s, st->cur);
		if (!st->sm)
			return oom(st);
	}
	return 0;
}

static int parse_key(struct maps_parser *st, const char *p, size_t len,
		     size_t klen, unsigned int *hint)
{
	struct cursor c = { p + klen + 1, p + len };
	int i = need_record(st);

	if (i)
		return i;
	if (klen == 7 && !memcmp(p, "VmFlags", 7))
		return parse_vmflags(st, &c);
	i = key_index(p, klen, hint);
	if (i < 0)
		return add_extra(st, p, klen, &c);
	return store_known(st, i, &c);
}

/* A line that starts with the key expected next (see expected_key()). */
static int parse_expected(struct maps_parser *st, const char *p, size_t len,
			  int i)
{
	struct cursor c = { p + key_length((unsigned int)i) + 1, p + len };
	int r = need_record(st);

	if (r)
		return r;
	st->hint = (unsigned int)i + 1;
	return store_known(st, i, &c);
}

/*
 * The kernel prints most smaps lines in one shape (fs/proc/task_mmu.c,
 * SEQ_PUT_DEC): the key and its colon padded with spaces to 16 columns,
 * the value right-aligned in 8, then " kB" (nothing for counts such as
 * THPeligible).  Such a line, for the key expected next, is checked
 * against a 16-byte template of its start and its value read with word
 * operations; every other line takes the general path below.
 */
enum { FAST_KEY = 16, FAST_VAL = 8 };


/* The template of each key: "Rss:" padded with spaces. */
static char key_tmpl[SM_NKEYS][FAST_KEY];

static void __attribute__((constructor)) key_tmpl_init(void)
{
	for (unsigned int k = 0; k < SM_NKEYS; k++) {
		size_t len = strlen(sm_keys[k].kernel);

		memset(key_tmpl[k], ' ', FAST_KEY);
		if (len < FAST_KEY) {
			memcpy(key_tmpl[k], sm_keys[k].kernel, len);
			key_tmpl[k][len] = ':';
		}
	}
}

/* The template of key @i, or NULL when the key does not fit in one. */
static const char *key_template(unsigned int i)
{
	return key_length(i) < FAST_KEY ? key_tmpl[i] : NULL;
}

/*
 * Eight bytes holding spaces then 1 to 8 digits (the kernel's "%8lu"):
 * the value into *@out.  Little-endian only; false otherwise.
 */
static inline bool dec8(const char *p, uint64_t *out)
{
	uint64_t w = load64(p), t = w ^ (ONES * ' '), sp, lead;

	if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__)
		return false;
	/* High bit of each byte that is a space. */
	sp = ~(((t & ~HIGHS) + ~HIGHS) | t) & HIGHS;
	/* Spaces first, a digit last: a run of low bytes only. */
	lead = (sp >> 7) * 0xff;
	if ((lead & (lead + 1)) || (sp >> 56))
		return false;
	w |= sp >> 3;	/* ' ' | 0x10 == '0' */
	if (((w + ONES * 0x46) | (w - ONES * '0')) & HIGHS)
		return false;
	w -= ONES * '0';
	w = w * 10 + (w >> 8);
	w = ((w & 0x000000ff000000ffULL) * 0x000f424000000064ULL +
	     ((w >> 16) & 0x000000ff000000ffULL) * 0x0000271000000001ULL) >> 32;
	*out = (uint32_t)w;
	return true;
}

/*
 * Length (with the newline) of the kernel-shaped line for the expected key
 * at @p, its value stored; 0 when the line is anything else, or is a
 * duplicate or orphan the general path must report.
 */
static size_t fast_line(struct maps_parser *st, const char *p,
			const char *end)
{
	unsigned int i = st->hint < SM_NKEYS ? st->hint : 0;
	bool kb = sm_keys[i].kb;
	size_t want = FAST_KEY + FAST_VAL + (kb ? 3 : 0);
	const char *t;
	uint64_t v;

	if ((size_t)(end - p) <= want || p[want] != '\n' || !st->sm ||
	    (st->sm->have & (UINT32_C(1) << i)))
		return 0;
	t = key_template(i);
	if (!t || load64(p) != load64(t) || load64(p + 8) != load64(t + 8) ||
	    !dec8(p + FAST_KEY, &v) || (kb && memcmp(p + 24, " kB", 3)))
		return 0;
	st->sm->val[i] = kb ? v << 10 : v;
	st->sm->have |= UINT32_C(1) << i;
	st->hint = i + 1;
	st->line++;
	return want + 1;
}

/* Characters of an smaps key: letters, digits, '_'. */
static inline bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Length of a "Key:" prefix (without the colon), or 0 if not a key line. */
static size_t key_len(const char *p, size_t len)
{
	size_t i = 0;

	if (len == 0 || !((p[0] >= 'A' && p[0] <= 'Z') ||
			  (p[0] >= 'a' && p[0] <= 'z')))
		return 0;
	while (i < len && key_char(p[i]))
		i++;
	return (i < len && p[i] == ':') ? i : 0;
}

/* True when the line starts like a region header: hex digits then '-'. */
static bool is_header(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && maps_parse_hex_digit(p[i]) >= 0)
		i++;
	return i > 0 && i < len && p[i] == '-';
}

static int parse_line(struct maps_parser *st, const char *p, size_t len,
		      unsigned int *hint)
{
	int i = expected_key(p, len, *hint);
	size_t k;

	if (i >= 0)
		return ends_in_cr(p, len) ? bad(st, crlf_why)
					  : parse_expected(st, p, len, i);
	if (len && p[0] >= '0' && p[0] <= '9')
		return parse_header(st, p, len);
	k = key_len(p, len);
	if (!k && is_header(p, len))
		return parse_header(st, p, len);
	if (ends_in_cr(p, len))
		return bad(st, crlf_why);
	if (k)
		return parse_key(st, p, len, k, hint);
	if (len == 0)
		return bad(st, "empty line");
	return bad(st, "not a maps or smaps line");
}

/* Every region of an smaps text must carry its fields. */
static int check_smaps_complete(struct maps_parser *st)
{
	struct vmaset *s = st->s;

	for (size_t i = st->first; i < s->n; i++) {
		const struct vma_smaps *sm = vset_smaps(s, &s->v[i]);

		st->line = s->v[i].line;
		if (!sm)
			return bad(st, "region has no smaps fields "
				   "(mixed maps and smaps, or truncated file)");
		if (s->sm[s->v[st->first].smaps].has_vmflags &&
		    !sm->has_vmflags)
			return bad(st, "smaps record ends early: no VmFlags "
				   "line (truncated file?)");
	}
	return 0;
}

void maps_parser_init(struct maps_parser *st, struct vmaset *s,
		      const char *name, struct err *e)
{
	memset(st, 0, sizeof(*st));
	st->s = s;
	st->name = name;
	st->e = e;
	st->first = s->n;
}

/* The kernel never prints a NUL byte: one pass over the chunk finds any. */
long maps_parser_feed(struct maps_parser *st, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	const char *nul = len ? memchr(buf, '\0', len) : NULL;

	while (p < end) {
		size_t fast = fast_line(st, p, end);
		const char *nl;
		int r;

		if (fast) {
			p += fast;
			continue;
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		st->line++;
		if (nul && nul < nl)
			return bad(st, "NUL byte in the line (not maps or "
				   "smaps text)");
		r = parse_line(st, p, (size_t)(nl - p), &st->hint);
		if (r)
			return r;
		p = nl + 1;
	}
	return (long)(p - buf);
}

void maps_parser_abort(struct maps_parser *st)
{
	free(st->scratch);
	st->scratch = NULL;
}

int maps_parser_finish(struct maps_parser *st, size_t rest)
{
	struct vmaset *s = st->s;
	int r = 0;

	if (rest) {
		st->line++;
		r = bad(st, "last line has no newline (truncated file?)");
	}
	if (!r && s->nsm > 0) {
		s->src.smaps = true;
		r = check_smaps_complete(st);
	}
	free(st->scratch);
	st->scratch = NULL;
	return r ? r : (int)(s->n - st->first);
}

int maps_parse(struct vmaset *s, const char *buf, size_t len,
	       const char *name, struct err *e)
{
	struct maps_parser st;
	long used;

	maps_parser_init(&st, s, name, e);
	used = maps_parser_feed(&st, buf, len);
	if (used < 0) {
		maps_parser_abort(&st);
		return (int)used;
	}
	return maps_parser_finish(&st, len - (size_t)used);
}

enum maps_format maps_parse_detect(const char *buf, size_t len)
{
	const char *nl, *end = buf + len;
	size_t i = 0;

	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' ||
			   buf[i] == '\r'))
		i++;
	if (len == 0)
		return MF_EMPTY;
	if (i < len && (buf[i] == '{' || buf[i] == '['))
		return MF_JSON;
	if (!is_header(buf, len))
		return MF_UNKNOWN;
	nl = memchr(buf, '\n', len);
	if (!nl || nl + 1 >= end)
		return MF_MAPS;
	return key_len(nl + 1, (size_t)(end - nl - 1)) ? MF_SMAPS : MF_MAPS;
}
