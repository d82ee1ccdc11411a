// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * render_summary.c - --summary as a table or JSON.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "render_json.h"
#include "render_summary.h"
#include "render_table.h"

/* Counters shown, in order (VmExe and VmLib are folded into exec_vm). */
static const unsigned int shown[] = {
	MM_TOTAL_VM, MM_DATA_VM, MM_EXEC_VM, MM_STACK_VM, MM_MAP_COUNT,
	MM_LOCKED_VM, MM_PINNED_VM, MM_HIWATER_VM, MM_HIWATER_RSS, MM_RSS,
	MM_RSS_ANON, MM_RSS_FILE, MM_RSS_SHMEM, MM_SWAP, MM_PGTABLES,
};
enum { NSHOWN = sizeof(shown) / sizeof(shown[0]) };

static const char *const rollup_names[MR_NROLLUP] = { "rss", "pss", "swap" };

static void put_cell(struct obuf *o, bool have, uint64_t v, bool count,
		     bool bytes)
{
	if (!have)
		obuf_puts(o, "           -");
	else
		table_put_size(o, v, bytes || count, 12);
}

static void put_mark(struct obuf *o, const struct sum_counter *c)
{
	uint64_t d;

	if (!c->has_kernel || !c->has_rebuilt) {
		obuf_pad(o, 10);
		return;
	}
	if (summary_match(c)) {
		obuf_puts(o, c->kernel == c->rebuilt ? "  ok      " : "  ok(~)   ");
		return;
	}
	obuf_puts(o, "  MISMATCH ");
	d = c->rebuilt > c->kernel ? c->rebuilt - c->kernel
				   : c->kernel - c->rebuilt;
	obuf_putc(o, c->rebuilt > c->kernel ? '+' : '-');
	obuf_u64(o, d, 0);
	obuf_putc(o, ' ');
}

static void put_left(struct obuf *o, const char *s, unsigned int w)
{
	size_t n = strlen(s);

	obuf_put(o, s, n);
	obuf_pad(o, w > n ? w - n : 1);
}

static void counter_row(struct obuf *o, const char *name,
			const struct sum_counter *c, bool count, bool bytes,
			const char *from)
{
	put_left(o, name, 12);
	put_cell(o, c->has_kernel, c->kernel, count, bytes);
	put_cell(o, c->has_rebuilt, c->rebuilt, count, bytes);
	put_mark(o, c);
	obuf_puts(o, "  ");
	obuf_puts(o, from);
	obuf_putc(o, '\n');
}

static void counters_table(const struct summary *sum, bool bytes,
			   struct obuf *o)
{
	const struct mm_kernel *k = sum->kernel;
	char from[64];

	obuf_puts(o, "\nmm_struct         kernel     rebuilt  match     from\n");
	for (unsigned int i = 0; i < NSHOWN; i++) {
		unsigned int c = shown[i];

		bool via = k && k->via[c] &&
			   strcmp(k->via[c], mm_counter_origin(c));

		snprintf(from, sizeof(from), "%s%s%s%s", mm_counter_origin(c),
			 via ? " (" : "", via ? k->via[c] : "", via ? ")" : "");
		counter_row(o, mm_counter_name(c), &sum->c[c],
			    c == MM_MAP_COUNT, bytes, from);
	}
	obuf_puts(o, "\nsmaps_rollup      kernel  sum of regions\n");
	for (unsigned int r = 0; r < MR_NROLLUP; r++)
		counter_row(o, rollup_names[r], &sum->rollup[r], false, bytes,
			    "smaps_rollup");
}

static void layout_table(const struct summary *sum, struct obuf *o)
{
	const struct mm_kernel *k = sum->kernel;

	obuf_puts(o, "\nlayout\n");
	for (unsigned int l = 0; l < ML_NLAYOUT; l++) {
		bool have = k && (k->layout_have >> l & 1);
		bool hidden = have && l != ML_BRK && k->layout_hidden;

		put_left(o, mm_layout_name(l), 14);
		if (hidden)
			obuf_puts(o, "hidden          ");
		else if (have) {
			obuf_put(o, "0x", 2);
			obuf_hex(o, k->layout[l], 12);
			obuf_puts(o, "  ");
		} else
			obuf_puts(o, "-               ");
		obuf_puts(o, mm_layout_origin(l));
		obuf_putc(o, '\n');
	}
	if (k && k->layout_hidden)
		obuf_puts(o, "(the kernel shows these stat fields as 0 to a "
			  "reader that may not ptrace the process)\n");
}

/* Percent with one decimal, of @part in @whole. */
static void put_share(struct obuf *o, uint64_t part, uint64_t whole)
{
	uint64_t tenths = whole ? (uint64_t)((part * (unsigned __int128)1000 +
					      whole / 2) / whole) : 0;

	obuf_u64(o, tenths / 10, 5);
	obuf_putc(o, '.');
	obuf_putc(o, (char)('0' + tenths % 10));
	obuf_putc(o, '%');
}

static void class_row(struct obuf *o, const char *name,
		      const struct acct_row *r, uint64_t total, bool smaps,
		      bool bytes)
{
	put_left(o, name, 8);
	obuf_u64(o, r->count, 7);
	table_put_size(o, r->size, bytes, 12);
	put_share(o, r->size, total);
	if (smaps) {
		table_put_size(o, r->rss, bytes, 12);
		table_put_size(o, r->pss, bytes, 12);
		table_put_size(o, r->swap, bytes, 12);
	}
	obuf_putc(o, '\n');
}

static void classes_table(const struct summary *sum, bool bytes,
			  struct obuf *o)
{
	const struct acct *a = &sum->acct;

	obuf_puts(o, a->smaps ? "\nclass   regions        size   share"
				"         rss         pss        swap\n"
			      : "\nclass   regions        size   share\n");
	for (unsigned int c = 0; c < VC_NCLASS; c++)
		if (a->cls[c].count)
			class_row(o, vma_class_name(c), &a->cls[c],
				  a->total.size, a->smaps, bytes);
	class_row(o, "total", &a->total, a->total.size, a->smaps, bytes);
}

static void image_row(const struct vmaset *s, const struct sum_image *im,
		      bool smaps, bool bytes, struct obuf *o)
{
	size_t len;
	const char *p = vma_path(s, im->first, &len);

	for (unsigned int i = 0; i < SP_NPARTS; i++)
		table_put_size(o, im->part[i], bytes, 8);
	table_put_size(o, im->total, bytes, 8);
	if (smaps)
		table_put_size(o, im->rss, bytes, 8);
	obuf_puts(o, im->image ? "  " : "  [file] ");
	esc_term(o, p, len);
	if (im->first->flags & VF_DELETED)
		obuf_puts(o, " (deleted)");
	obuf_putc(o, '\n');
}

static void images_table(const struct vmaset *s, const struct summary *sum,
			 bool bytes, struct obuf *o)
{
	if (!sum->nimages)
		return;
	obuf_puts(o, sum->acct.smaps ?
		  "\n    text  rodata    data     bss   other   total     rss  image\n" :
		  "\n    text  rodata    data     bss   other   total  image\n");
	for (size_t i = 0; i < sum->nimages; i++)
		image_row(s, &sum->images[i], sum->acct.smaps, bytes, o);
}

static void gaps_line(const struct summary *sum, bool bytes, struct obuf *o)
{
	const struct sum_gaps *g = &sum->gaps;

	obuf_puts(o, "\nholes: ");
	obuf_u64(o, g->holes, 0);
	obuf_puts(o, ", largest ");
	table_put_size(o, g->largest, bytes, 0);
	obuf_puts(o, "; free below the lowest mapping ");
	table_put_size(o, g->below, bytes, 0);
	obuf_puts(o, ", above the highest user mapping ");
	table_put_size(o, g->above, bytes, 0);
	obuf_puts(o, " (user space ends at 0x");
	obuf_hex(o, g->task_size, 1);
	obuf_puts(o, ")\n");
}

void summary_render_table(const struct vmaset *s, const struct summary *sum,
			  bool bytes, struct obuf *o)
{
	table_put_header(s, o);
	if (!sum->kernel)
		obuf_puts(o, "(a saved file: no status or stat; rebuilt "
			  "values only)\n");
	counters_table(sum, bytes, o);
	if (sum->kernel)
		layout_table(sum, o);
	classes_table(sum, bytes, o);
	images_table(s, sum, bytes, o);
	gaps_line(sum, bytes, o);
}

static void json_num_or_null(struct obuf *o, bool have, uint64_t v)
{
	if (have)
		obuf_u64(o, v, 0);
	else
		obuf_puts(o, "null");
}

static void json_counter(struct obuf *o, const char *name,
			 const struct sum_counter *c, const char *from,
			 const char *via)
{
	obuf_printf(o, "    \"%s\": {\"kernel\": ", name);
	json_num_or_null(o, c->has_kernel, c->kernel);
	obuf_puts(o, ", \"rebuilt\": ");
	json_num_or_null(o, c->has_rebuilt, c->rebuilt);
	obuf_puts(o, ", \"match\": ");
	if (c->has_kernel && c->has_rebuilt)
		obuf_puts(o, summary_match(c) ? "true" : "false");
	else
		obuf_puts(o, "null");
	obuf_printf(o, ", \"from\": \"%s\", \"via\": ", from);
	if (via)
		obuf_printf(o, "\"%s\"}", via);
	else
		obuf_puts(o, "null}");
}

static void json_counters(const struct summary *sum, struct obuf *o)
{
	const struct mm_kernel *k = sum->kernel;

	obuf_puts(o, "  \"mm\": {\n");
	for (unsigned int i = 0; i < NSHOWN; i++) {
		unsigned int c = shown[i];

		json_counter(o, mm_counter_name(c), &sum->c[c],
			     mm_counter_origin(c), k ? k->via[c] : NULL);
		obuf_puts(o, i + 1 < NSHOWN ? ",\n" : "\n  },\n");
	}
	obuf_puts(o, "  \"rollup\": {\n");
	for (unsigned int r = 0; r < MR_NROLLUP; r++) {
		json_counter(o, rollup_names[r], &sum->rollup[r],
			     "smaps_rollup", NULL);
		obuf_puts(o, r + 1 < MR_NROLLUP ? ",\n" : "\n  },\n");
	}
}

static void json_layout(const struct summary *sum, struct obuf *o)
{
	const struct mm_kernel *k = sum->kernel;

	obuf_puts(o, "  \"layout\": {");
	for (unsigned int l = 0; l < ML_NLAYOUT; l++) {
		bool have = k && (k->layout_have >> l & 1) &&
			    (l == ML_BRK || !k->layout_hidden);

		obuf_printf(o, "%s\"%s\": ", l ? ", " : "", mm_layout_name(l));
		if (have) {
			obuf_put(o, "\"0x", 3);
			obuf_hex(o, k->layout[l], 1);
			obuf_putc(o, '"');
		} else {
			obuf_puts(o, "null");
		}
	}
	obuf_puts(o, k && k->layout_hidden ? "},\n  \"layout_hidden\": true,\n"
					   : "},\n  \"layout_hidden\": false,\n");
}

static void json_class(struct obuf *o, const struct acct_row *r,
		       uint64_t total, bool smaps)
{
	obuf_puts(o, "{\"regions\": ");
	obuf_u64(o, r->count, 0);
	obuf_puts(o, ", \"size\": ");
	obuf_u64(o, r->size, 0);
	obuf_printf(o, ", \"share\": %.6f", total ? (double)r->size / (double)total : 0.0);
	if (smaps)
		obuf_printf(o, ", \"rss\": %llu, \"pss\": %llu, \"swap\": %llu",
			    (unsigned long long)r->rss, (unsigned long long)r->pss,
			    (unsigned long long)r->swap);
	obuf_putc(o, '}');
}

static void json_classes(const struct summary *sum, struct obuf *o)
{
	const struct acct *a = &sum->acct;

	obuf_puts(o, "  \"classes\": {\n");
	for (unsigned int c = 0; c < VC_NCLASS; c++) {
		obuf_printf(o, "    \"%s\": ", vma_class_name(c));
		json_class(o, &a->cls[c], a->total.size, a->smaps);
		obuf_puts(o, ",\n");
	}
	obuf_puts(o, "    \"total\": ");
	json_class(o, &a->total, a->total.size, a->smaps);
	obuf_puts(o, "\n  },\n");
}

static void json_image(const struct vmaset *s, const struct sum_image *im,
		       bool smaps, struct obuf *o)
{
	static const char *const parts[SP_NPARTS] = {
		"text", "rodata", "data", "bss", "other",
	};

	obuf_puts(o, im->image ? "    {\"image\": true" : "    {\"image\": false");
	json_put_path(s, im->first, o);
	obuf_puts(o, im->first->flags & VF_DELETED ? ", \"deleted\": true"
						   : ", \"deleted\": false");
	for (unsigned int i = 0; i < SP_NPARTS; i++)
		obuf_printf(o, ", \"%s\": %llu", parts[i],
			    (unsigned long long)im->part[i]);
	obuf_printf(o, ", \"total\": %llu, \"regions\": %u",
		    (unsigned long long)im->total, im->regions);
	if (smaps)
		obuf_printf(o, ", \"rss\": %llu", (unsigned long long)im->rss);
	obuf_putc(o, '}');
}

static void json_gaps(const struct summary *sum, struct obuf *o)
{
	const struct sum_gaps *g = &sum->gaps;

	obuf_printf(o, "  \"gaps\": {\"holes\": %llu, \"largest\": %llu, "
		    "\"below\": %llu, \"above\": %llu, \"task_size\": \"0x%llx\"}\n",
		    (unsigned long long)g->holes, (unsigned long long)g->largest,
		    (unsigned long long)g->below, (unsigned long long)g->above,
		    (unsigned long long)g->task_size);
}

void summary_render_json(const struct vmaset *s, const struct summary *sum,
			 struct obuf *o)
{
	json_put_preamble(s, o);
	obuf_puts(o, sum->kernel ? "  \"kernel_view\": true,\n"
				 : "  \"kernel_view\": false,\n");
	json_counters(sum, o);
	json_layout(sum, o);
	json_classes(sum, o);
	obuf_puts(o, "  \"images\": [");
	for (size_t i = 0; i < sum->nimages; i++) {
		obuf_puts(o, i ? ",\n" : "\n");
		json_image(s, &sum->images[i], sum->acct.smaps, o);
	}
	obuf_puts(o, sum->nimages ? "\n  ],\n" : "],\n");
	json_gaps(sum, o);
	obuf_puts(o, "}\n");
}
