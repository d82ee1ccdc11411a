// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tui_view.c - rows, marks, ghosts, minimap and details of the live map
 * (see tui_view.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "escape.h"
#include "render_table.h"
#include "tui_view.h"

void tui_view_init(struct tui_view *v, uint32_t classes, enum acct_sort sort)
{
	memset(v, 0, sizeof(*v));
	v->classes = classes;
	v->sort = sort;
}

static void ghost_drop(struct tui_ghost *g)
{
	free(g->path);
	g->path = NULL;
}

void tui_view_free(struct tui_view *v)
{
	for (size_t i = 0; i < v->nghosts; i++)
		ghost_drop(&v->ghosts[i]);
	free(v->ghosts);
	free(v->marks);
	free(v->rows);
	tui_view_init(v, v->classes, v->sort);
}

/* The mark a region of an unchanged pair keeps: one refresh older. */
static struct tui_mark aged(struct tui_mark m)
{
	struct tui_mark none = { 0, 0 };

	if (m.age <= 1)
		return none;
	m.age--;
	return m;
}

/* Marks of the new set from the changes of @d and the old marks. */
static void carry_marks(const struct tui_view *v, const struct diff *d,
			struct tui_mark *nm)
{
	for (size_t c = 0; c < d->n; c++) {
		const struct diff_change *ch = &d->ch[c];
		struct tui_mark m = { (uint8_t)diff_primary(ch->kinds),
				      TUI_MARK_REFRESHES };

		if (!ch->kinds && ch->old_n && v->marks)
			m = aged(v->marks[d->oidx[ch->old_at]]);
		else if (!ch->kinds)
			m.age = 0;
		for (uint32_t i = 0; i < ch->new_n; i++)
			nm[d->nidx[ch->new_at + i]] = m;
	}
}

/* Age the ghosts by one refresh, dropping the ones whose time is up. */
static void age_ghosts(struct tui_view *v)
{
	size_t w = 0;

	for (size_t i = 0; i < v->nghosts; i++) {
		struct tui_ghost *g = &v->ghosts[i];

		if (--g->age == 0) {
			ghost_drop(g);
			continue;
		}
		v->ghosts[w++] = *g;
	}
	v->nghosts = w;
}

static int ghost_add(struct tui_view *v, const struct vmaset *old,
		     const struct vma *r, struct obuf *o)
{
	struct tui_ghost g = {
		r->start, r->end, r->perms, r->cls, TUI_MARK_REFRESHES, NULL,
	};
	struct tui_ghost *ng;

	if (v->nghosts >= TUI_MAX_GHOSTS)
		return 0;
	o->len = 0;
	table_put_path(old, r, o);
	g.path = strndup(o->p, o->len);
	ng = realloc(v->ghosts, (v->nghosts + 1) * sizeof(*ng));
	if (!g.path || !ng) {
		free(g.path);
		v->ghosts = ng ? ng : v->ghosts;
		return -ENOMEM;
	}
	ng[v->nghosts++] = g;
	v->ghosts = ng;
	return 0;
}

static int ghost_cmp(const void *a, const void *b)
{
	const struct tui_ghost *x = a, *y = b;

	return cmp_u64(x->start, y->start);
}

/* The regions @d removed become ghosts. */
static int add_ghosts(struct tui_view *v, const struct diff *d)
{
	struct obuf o;
	int r = obuf_init(&o, -1);

	for (size_t c = 0; !r && c < d->n; c++) {
		const struct diff_change *ch = &d->ch[c];

		if (ch->new_n || !ch->old_n)
			continue;
		for (uint32_t i = 0; !r && i < ch->old_n; i++)
			r = ghost_add(v, d->old, diff_region(d, ch, false, i),
				      &o);
	}
	free(o.p);
	if (v->nghosts)
		qsort(v->ghosts, v->nghosts, sizeof(*v->ghosts), ghost_cmp);
	return r;
}

int tui_view_update(struct tui_view *v, const struct vmaset *s,
		    const struct diff *d)
{
	struct tui_mark *nm = calloc(s->n ? s->n : 1, sizeof(*nm));
	int r = nm ? 0 : -ENOMEM;

	if (nm && d) {
		carry_marks(v, d, nm);
		age_ghosts(v);
		r = add_ghosts(v, d);
	}
	free(v->marks);
	v->marks = nm;
	v->s = s;
	if (!r)
		r = tui_view_rows(v);
	if (r)
		v->nrows = 0;
	return r;
}

int tui_view_age(struct tui_view *v)
{
	size_t ghosts = v->nghosts;
	int r;

	for (size_t i = 0; v->marks && i < v->s->n; i++)
		if (v->marks[i].age)
			v->marks[i] = aged(v->marks[i]);
	age_ghosts(v);
	if (ghosts == v->nghosts)
		return 0;
	r = tui_view_rows(v);
	if (r)
		v->nrows = 0;
	return r;
}

static bool ghost_shown(const struct tui_view *v, const struct tui_ghost *g)
{
	return v->classes >> g->cls & 1;
}

/* Regions in @idx order, ghosts merged in by address (or at the end). */
static void merge_rows(struct tui_view *v, const uint32_t *idx, size_t n)
{
	size_t j = 0, k = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t start = v->s->v[idx[i]].start;

		for (; v->sort == AS_START && j < v->nghosts &&
		       v->ghosts[j].start <= start; j++)
			if (ghost_shown(v, &v->ghosts[j]))
				v->rows[k++] = (struct tui_row){ (uint32_t)j, true };
		v->rows[k++] = (struct tui_row){ idx[i], false };
	}
	for (; j < v->nghosts; j++)
		if (ghost_shown(v, &v->ghosts[j]))
			v->rows[k++] = (struct tui_row){ (uint32_t)j, true };
	v->nrows = k;
}

int tui_view_rows(struct tui_view *v)
{
	uint32_t *idx = NULL;
	long n = v->s ? acct_select(v->s, v->classes, v->sort, &idx) : 0;
	struct tui_row *rows;

	if (n < 0)
		return -ENOMEM;
	rows = realloc(v->rows, ((size_t)n + v->nghosts + 1) * sizeof(*rows));
	if (!rows) {
		free(idx);
		return -ENOMEM;
	}
	v->rows = rows;
	merge_rows(v, idx, (size_t)n);
	free(idx);
	return 0;
}

void tui_row_info(const struct tui_view *v, size_t row,
		  struct tui_rowinfo *out)
{
	const struct tui_row *r = &v->rows[row];

	memset(out, 0, sizeof(*out));
	if (r->ghost) {
		const struct tui_ghost *g = &v->ghosts[r->i];

		*out = (struct tui_rowinfo){
			g->start, g->end, g->perms, g->cls, NULL, g->path,
			{ DK_REMOVED, g->age },
		};
		return;
	}
	out->v = &v->s->v[r->i];
	out->start = out->v->start;
	out->end = out->v->end;
	out->perms = out->v->perms;
	out->cls = out->v->cls;
	out->mark = v->marks[r->i];
}

struct tui_key tui_view_key(const struct tui_view *v, size_t row)
{
	struct tui_key k = { 0, -1 };
	struct tui_rowinfo ri;

	if (row >= v->nrows)
		return k;
	tui_row_info(v, row, &ri);
	k.start = ri.start;
	k.old = ri.v ? (long)v->rows[row].i : -1;
	return k;
}

/* Where the region @k.old of d->old went: its new start, or a ghost. */
static void follow(const struct diff *d, struct tui_key *k, bool *ghost)
{
	for (size_t c = 0; c < d->n; c++) {
		const struct diff_change *ch = &d->ch[c];

		for (uint32_t i = 0; i < ch->old_n; i++) {
			if (d->oidx[ch->old_at + i] != (uint32_t)k->old)
				continue;
			*ghost = !ch->new_n;
			if (ch->new_n)
				k->start = diff_region(d, ch, true, 0)->start;
			return;
		}
	}
}

static uint64_t distance(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

size_t tui_view_find(const struct tui_view *v, const struct diff *d,
		     struct tui_key k)
{
	bool ghost = k.old < 0;
	uint64_t best_d = UINT64_MAX;
	size_t best = 0;

	if (d && k.old >= 0)
		follow(d, &k, &ghost);
	for (size_t row = 0; row < v->nrows; row++) {
		struct tui_rowinfo ri;
		uint64_t dist;

		tui_row_info(v, row, &ri);
		if (ri.start == k.start && !ri.v == ghost)
			return row;
		dist = distance(ri.start, k.start);
		if (dist < best_d || (dist == best_d && ri.v)) {
			best_d = dist;
			best = row;
		}
	}
	return best;
}

long tui_view_row_of(const struct tui_view *v, const struct vma *r)
{
	uint32_t i = (uint32_t)(r - v->s->v);

	for (size_t row = 0; row < v->nrows; row++)
		if (!v->rows[row].ghost && v->rows[row].i == i)
			return (long)row;
	return -1;
}

/* Does row @row's escaped path contain @pat? */
static bool row_matches(const struct tui_view *v, size_t row,
			const char *pat, struct obuf *o)
{
	struct tui_rowinfo ri;

	tui_row_info(v, row, &ri);
	if (!ri.v)
		return strcasestr(ri.path, pat) != NULL;
	o->len = 0;
	table_put_path(v->s, ri.v, o);
	obuf_putc(o, '\0');
	return o->len && strcasestr(o->p, pat) != NULL;
}

long tui_view_search(const struct tui_view *v, const char *pat, size_t from,
		     bool back, struct obuf *scratch)
{
	size_t n = v->nrows;

	if (!n || !*pat)
		return -1;
	from %= n;
	for (size_t step = 1; step <= n; step++) {
		size_t row = back ? (from + n - step) % n : (from + step) % n;

		if (row_matches(v, row, pat, scratch))
			return (long)row;
	}
	return -1;
}

uint32_t tui_next_class(const struct vmaset *s, uint32_t mask)
{
	uint32_t present = 0;
	unsigned int from = 0;

	for (size_t i = 0; i < s->n; i++)
		present |= 1u << s->v[i].cls;
	if (mask != ACCT_ALL_CLASSES && mask)
		from = (unsigned int)(31 - __builtin_clz(mask)) + 1;
	for (unsigned int c = from; c < VC_NCLASS; c++)
		if (present >> c & 1)
			return 1u << c;
	return ACCT_ALL_CLASSES;
}

/* Unmapped stretches this big are cut to one column; smaller ones weigh. */
static const uint64_t mm_cut_bytes = 1ull << 30;
static const uint64_t mm_hole_bytes = 64 << 10;

/* About log2 of the size in pages, plus one: 4 KiB weighs 1. */
static unsigned int log_weight(uint64_t bytes)
{
	uint64_t pages = bytes >> 12;

	return pages ? 64 - (unsigned int)__builtin_clzll(pages) : 1;
}

/* One stretch of the minimap: a region (its index), a hole or a cut. */
struct mm_seg {
	int32_t what;
	unsigned int w;
};

/* The stretch between regions @i - 1 and @i of @s. */
static struct mm_seg gap_seg(const struct vmaset *s, size_t i, bool cuts)
{
	uint64_t a = s->v[i - 1].end, b = s->v[i].start;
	uint64_t gap = b > a ? b - a : 0;
	struct mm_seg g = { TUI_MM_HOLE, 0 };

	if (gap >= mm_cut_bytes && cuts)
		g.what = TUI_MM_CUT;
	else if (gap >= mm_hole_bytes)
		g.w = (log_weight(gap) + 1) / 2;
	return g;
}

static struct mm_seg region_seg(const struct vmaset *s, size_t i)
{
	struct mm_seg g = { (int32_t)i, log_weight(vma_size(&s->v[i])) };

	return g;
}

/* Total weight of @s, and the number of cuts in *@ncut. */
static uint64_t mm_total(const struct vmaset *s, bool cuts, size_t *ncut)
{
	uint64_t w = 0;

	*ncut = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (i) {
			struct mm_seg g = gap_seg(s, i, cuts);

			*ncut += g.what == TUI_MM_CUT;
			w += g.w;
		}
		w += region_seg(s, i).w;
	}
	return w;
}

/*
 * Columns being filled: @avail of them shared out by weight.  The weight
 * placed so far, @acc, ends in column cuts + floor(acc * avail / total),
 * kept as @k with the weight @next at which it grows: a division per
 * column, not per region.
 */
struct mm_cols {
	int32_t *col;
	size_t width, avail, cuts;
	uint64_t total, acc;
	uint64_t k, next;
};

static size_t mm_column(const struct mm_cols *l)
{
	return l->cuts + (size_t)l->k;
}

/* The smallest weight placed that reaches past column @k. */
static uint64_t mm_next(const struct mm_cols *l, uint64_t k)
{
	return ((k + 1) * l->total + l->avail - 1) / l->avail;
}

static void mm_advance(struct mm_cols *l, uint64_t w)
{
	l->acc += w;
	while (l->acc >= l->next)
		l->next = mm_next(l, ++l->k);
}

static void mm_place(struct mm_cols *l, struct mm_seg g)
{
	size_t c0 = mm_column(l), c1;

	if (g.what == TUI_MM_CUT) {
		if (c0 < l->width)
			l->col[c0] = TUI_MM_CUT;
		l->cuts++;
		return;
	}
	mm_advance(l, g.w);
	c1 = mm_column(l);
	if (g.what < 0)
		return;
	if (c1 == c0 && c0 < l->width && l->col[c0] == TUI_MM_HOLE)
		l->col[c0] = g.what;	/* narrower than a column */
	for (size_t c = c0; c < c1 && c < l->width; c++)
		l->col[c] = g.what;
}

void tui_minimap(const struct vmaset *s, int32_t *col, size_t width)
{
	struct mm_cols l = { .col = col, .width = width };
	bool cuts = true;
	size_t ncut;

	for (size_t c = 0; c < width; c++)
		col[c] = TUI_MM_HOLE;
	if (!s->n || !width)
		return;
	l.total = mm_total(s, cuts, &ncut);
	if (2 * ncut > width) {	/* too many: let the holes weigh instead */
		cuts = false;
		l.total = mm_total(s, cuts, &ncut);
	}
	l.avail = width - ncut;
	l.next = mm_next(&l, 0);
	for (size_t i = 0; i < s->n; i++) {
		if (i)
			mm_place(&l, gap_seg(s, i, cuts));
		mm_place(&l, region_seg(s, i));
	}
}

/* log2(@v) in 256ths, the mantissa taken as linear; @v > 0. */
static unsigned int log2_256(uint64_t v)
{
	unsigned int b = 63 - (unsigned int)__builtin_clzll(v);
	uint64_t frac = b >= 8 ? v >> (b - 8) : v << (8 - b);

	return b * 256 + (unsigned int)(frac & 0xff);
}

unsigned int tui_bar_eighths(uint64_t size, unsigned int cells)
{
	/* 4 KiB (2^12) is one eighth, 128 TiB (2^47) the whole bar */
	unsigned int max = cells * 8, span = (47 - 12) * 256, e;

	if (size <= 4096 || max <= 1)
		return max ? 1 : 0;
	e = 1 + (unsigned int)(((uint64_t)(log2_256(size) - 12 * 256) *
				(max - 1) + span / 2) / span);
	return e > max ? max : e;
}

/* Columns of the character at @p, its length in bytes in *@n. */
static size_t char_cols(const char *p, size_t len, size_t *n)
{
	uint32_t cp;
	int w;

	*n = esc_utf8((const unsigned char *)p, len, &cp);
	if (!*n) {
		*n = 1;
		return 1;
	}
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : (size_t)w;
}

size_t tui_clip(const char *s, size_t len, size_t cols, size_t *used)
{
	size_t i = 0, w = 0, n;

	while (i < len) {
		size_t cw = char_cols(s + i, len - i, &n);

		if (w + cw > cols)
			break;
		w += cw;
		i += n;
	}
	if (used)
		*used = w;
	return i;
}

size_t tui_width(const char *s, size_t len)
{
	size_t w;

	tui_clip(s, len, SIZE_MAX, &w);
	return w;
}

size_t tui_tail(const char *s, size_t len, size_t cols)
{
	size_t w = tui_width(s, len), i = 0, n;

	while (i < len && w > cols) {
		w -= char_cols(s + i, len - i, &n);
		i += n;
	}
	return i;
}

/* "name       " : the label column of the details. */
static void label(struct obuf *o, const char *name)
{
	obuf_left(o, name, 11);
}

static void put_size(struct obuf *o, uint64_t size)
{
	char b[8];

	obuf_put(o, b, table_human(size, b));
	obuf_puts(o, " (");
	obuf_u64(o, size, 0);
	obuf_puts(o, " bytes)\n");
}

/* The lines every row has: range, size, perms, class. */
static void details_common(struct obuf *o, uint64_t start, uint64_t end,
			   uint8_t perms, uint8_t cls)
{
	label(o, "range");
	obuf_hex(o, start, 1);
	obuf_putc(o, '-');
	obuf_hex(o, end, 1);
	obuf_putc(o, '\n');
	label(o, "size");
	put_size(o, end - start);
	label(o, "perms");
	table_put_perms(o, perms);
	obuf_putc(o, '\n');
	label(o, "class");
	obuf_puts(o, vma_class_name(cls));
	obuf_putc(o, '\n');
}

static void details_file(const struct vma *r, struct obuf *o)
{
	label(o, "offset");
	obuf_puts(o, "0x");
	obuf_hex(o, r->offset, 1);
	obuf_putc(o, '\n');
	label(o, "device");
	obuf_hex(o, r->major, 2);
	obuf_putc(o, ':');
	obuf_hex(o, r->minor, 2);
	obuf_putc(o, '\n');
	label(o, "inode");
	obuf_u64(o, r->inode, 0);
	obuf_putc(o, '\n');
}

static bool same_file(const struct vma *a, const struct vma *b)
{
	return b->name == VN_FILE && a->path == b->path &&
	       a->inode == b->inode && a->major == b->major &&
	       a->minor == b->minor;
}

/* The region that names the image @r belongs to, or NULL. */
static const struct vma *image_of(const struct vmaset *s, const struct vma *r)
{
	if (r->name == VN_FILE && (r->cls == VC_TEXT || r->cls == VC_RODATA ||
				   r->cls == VC_DATA))
		return r;
	if (r->cls == VC_BSS && r > s->v && r[-1].cls == VC_DATA)
		return &r[-1];
	return NULL;
}

static void details_image(const struct vmaset *s, const struct vma *r,
			  struct obuf *o)
{
	const struct vma *img = image_of(s, r);
	uint64_t size = 0, n = 0;
	char b[8];

	if (!img) {
		if (r->name == VN_FILE)
			obuf_puts(o, "image      none: no executable mapping "
				  "of this file\n");
		return;
	}
	for (size_t i = 0; i < s->n; i++)
		if (same_file(img, &s->v[i])) {
			size += vma_size(&s->v[i]);
			n++;
		}
	label(o, "image");
	table_put_path(s, img, o);
	obuf_puts(o, ": ");
	obuf_u64(o, n, 0);
	obuf_puts(o, n == 1 ? " region, " : " regions, ");
	obuf_put(o, b, table_human(size, b));
	obuf_puts(o, " mapped\n");
}

static void details_mark(struct tui_mark m, struct obuf *o)
{
	if (!m.age)
		return;
	label(o, "change");
	obuf_putc(o, diff_kind_mark(m.kind));
	obuf_putc(o, ' ');
	obuf_puts(o, diff_kind_name(m.kind));
	obuf_puts(o, " (marked for ");
	obuf_u64(o, m.age, 0);
	obuf_puts(o, m.age == 1 ? " more refresh)\n" : " more refreshes)\n");
}

static void smaps_value(struct obuf *o, uint64_t v, bool kb)
{
	obuf_u64(o, kb ? v / 1024 : v, 12);
	obuf_puts(o, kb ? " kB\n" : "\n");
}

static void smaps_line(struct obuf *o, const char *key, uint64_t v, bool kb)
{
	obuf_puts(o, "  ");
	obuf_left(o, key, 22);
	smaps_value(o, v, kb);
}

static void details_extras(const struct vmaset *s, const struct vma_smaps *sm,
			   struct obuf *o)
{
	for (uint32_t i = 0; i < sm->nextra; i++) {
		const struct sm_extra *x = &s->extras[sm->extra + i];
		const char *k = vset_str(s, x->key);
		size_t w;

		obuf_puts(o, "  ");
		w = esc_term(o, k, vset_strlen(s, x->key));
		obuf_pad(o, w < 22 ? 22 - w : 1);
		if (x->numeric) {
			smaps_value(o, x->value, x->kb);
			continue;
		}
		obuf_putc(o, ' ');
		esc_term(o, vset_str(s, x->raw), vset_strlen(s, x->raw));
		obuf_putc(o, '\n');
	}
}

static void details_vmflags(const struct vmaset *s,
			    const struct vma_smaps *sm, struct obuf *o)
{
	if (!sm->has_vmflags)
		return;
	obuf_puts(o, "VmFlags\n");
	for (unsigned int i = 0; i < vmflag_count; i++)
		if (sm->vmflags >> i & 1)
			obuf_printf(o, "  %s  VM_%s\n", vmflag_table[i].code,
				    vmflag_table[i].name);
	if (sm->vmf_unknown) {
		obuf_puts(o, "  unknown: ");
		esc_term(o, vset_str(s, sm->vmf_unknown),
			 vset_strlen(s, sm->vmf_unknown));
		obuf_putc(o, '\n');
	}
}

static void details_smaps(const struct vmaset *s, const struct vma *r,
			  struct obuf *o)
{
	const struct vma_smaps *sm = vset_smaps(s, r);

	if (!sm) {
		obuf_puts(o, "smaps      not read\n");
		return;
	}
	obuf_puts(o, "smaps\n");
	for (unsigned int k = 0; k < SM_NKEYS; k++)
		if (sm->have >> k & 1)
			smaps_line(o, sm_keys[k].kernel, sm->val[k],
				   sm_keys[k].kb);
	details_extras(s, sm, o);
	details_vmflags(s, sm, o);
}

void tui_details(const struct vmaset *s, const struct vma *r,
		 struct tui_mark m, struct obuf *o)
{
	details_common(o, r->start, r->end, r->perms, r->cls);
	label(o, "path");
	table_put_path(s, r, o);
	obuf_putc(o, '\n');
	if (r->name == VN_FILE || r->inode)
		details_file(r, o);
	if (r->tid) {
		label(o, "thread");
		obuf_puts(o, "the stack of thread ");
		obuf_u64(o, r->tid, 0);
		obuf_putc(o, '\n');
	}
	details_image(s, r, o);
	details_mark(m, o);
	details_smaps(s, r, o);
}

void tui_ghost_details(const struct tui_ghost *g, struct obuf *o)
{
	struct tui_mark m = { DK_REMOVED, g->age };

	details_common(o, g->start, g->end, g->perms, g->cls);
	label(o, "path");
	obuf_puts(o, g->path);
	obuf_putc(o, '\n');
	details_mark(m, o);
}
