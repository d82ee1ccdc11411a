// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * render_om.c - OpenMetrics text exposition (see render_om.h).
 */
#include "config.h"

#include <string.h>

#include "escape.h"
#include "render_om.h"

enum om_field { OF_REGIONS, OF_SIZE, OF_RSS, OF_PSS, OF_SWAP };

struct om_family {
	const char *name, *unit, *help;
	bool per_class;		/* labels pid, comm, class; else pid, comm */
	enum om_field field;
};

static const struct om_family families[] = {
	{ "vmamap_regions", NULL,
	  "Memory regions (VMAs) of the process in the class.",
	  true, OF_REGIONS },
	{ "vmamap_mapped_bytes", "bytes",
	  "Bytes mapped by the process in the class.", true, OF_SIZE },
	{ "vmamap_rss_bytes", "bytes",
	  "Resident bytes of the process in the class (smaps).",
	  true, OF_RSS },
	{ "vmamap_pss_bytes", "bytes",
	  "Proportional set size of the process in the class (smaps).",
	  true, OF_PSS },
	{ "vmamap_swap_bytes", "bytes",
	  "Bytes of the process in the class that are swapped out (smaps).",
	  true, OF_SWAP },
	{ "vmamap_process_rss_bytes", "bytes",
	  "Resident bytes of the process (smaps_rollup or smaps).",
	  false, OF_RSS },
	{ "vmamap_process_pss_bytes", "bytes",
	  "Proportional set size of the process (smaps_rollup or smaps).",
	  false, OF_PSS },
	{ "vmamap_process_swap_bytes", "bytes",
	  "Bytes of the process that are swapped out (smaps_rollup or "
	  "smaps).",
	  false, OF_SWAP },
};
enum { NFAMILIES = sizeof(families) / sizeof(families[0]) };

/* Does row @r have a sample of @f (for class @c when per class)? */
static bool has_sample(const struct sysv_row *r, const struct om_family *f,
		       unsigned int c)
{
	if (!f->per_class)
		return r->has_mem;
	if (!r->a.cls[c].count)
		return false;
	return f->field <= OF_SIZE || r->a.smaps;
}

static uint64_t value(const struct sysv_row *r, const struct om_family *f,
		      unsigned int c)
{
	const struct acct_row *a = &r->a.cls[c];

	switch (f->field) {
	case OF_REGIONS:
		return a->count;
	case OF_SIZE:
		return a->size;
	case OF_RSS:
		return f->per_class ? a->rss : r->rss;
	case OF_PSS:
		return f->per_class ? a->pss : r->pss;
	default:
		return f->per_class ? a->swap : r->swap;
	}
}

static void put_meta(const char *name, const char *unit, const char *help,
		     struct obuf *o)
{
	obuf_puts(o, "# TYPE ");
	obuf_puts(o, name);
	obuf_puts(o, " gauge\n");
	if (unit) {
		obuf_puts(o, "# UNIT ");
		obuf_puts(o, name);
		obuf_putc(o, ' ');
		obuf_puts(o, unit);
		obuf_putc(o, '\n');
	}
	obuf_puts(o, "# HELP ");
	obuf_puts(o, name);
	obuf_putc(o, ' ');
	obuf_puts(o, help);
	obuf_putc(o, '\n');
}

static void put_sample(const struct sysv_row *r, const struct om_family *f,
		       unsigned int c, struct obuf *o)
{
	obuf_puts(o, f->name);
	obuf_puts(o, "{pid=\"");
	if (r->pid)
		obuf_u64(o, (uint64_t)r->pid, 0);
	obuf_puts(o, "\",comm=\"");
	esc_label(o, r->comm, strlen(r->comm));
	if (f->per_class) {
		obuf_puts(o, "\",class=\"");
		obuf_puts(o, vma_class_name(c));
	}
	obuf_puts(o, "\"} ");
	obuf_u64(o, value(r, f, c), 0);
	obuf_putc(o, '\n');
}

/* The family's metadata and samples; nothing when it has none. */
static void put_family(const struct sysv *v, const struct om_family *f,
		       struct obuf *o)
{
	unsigned int nc = f->per_class ? VC_NCLASS : 1;
	bool any = false;

	for (size_t i = 0; i < v->n; i++)
		for (unsigned int c = 0; c < nc; c++) {
			if (!has_sample(&v->rows[i], f, c))
				continue;
			if (!any)
				put_meta(f->name, f->unit, f->help, o);
			any = true;
			put_sample(&v->rows[i], f, c, o);
		}
}

void om_render(const struct sysv *v, bool all, struct obuf *o)
{
	for (size_t i = 0; i < NFAMILIES; i++)
		put_family(v, &families[i], o);
	if (all) {
		put_meta("vmamap_not_readable_processes", NULL,
			 "Processes vmamap could not read (no permission, "
			 "malformed).", o);
		obuf_puts(o, "vmamap_not_readable_processes ");
		obuf_u64(o, v->nfails, 0);
		obuf_putc(o, '\n');
	}
	obuf_puts(o, "# EOF\n");
}
