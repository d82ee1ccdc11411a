/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snapshot.h - source stage: load a saved vmamap JSON document (the
 * output of `vmamap --json`, schema "vmamap": 1) back into a vmaset,
 * streamed (jread.h): no tree of the document is built, and keys may
 * come in any order.  The set comes back as it was saved: its
 * source (pid, comm, cmdline, captured_at), torn flag, regions with their
 * raw name bytes (path_hex wins over path), class, tid and smaps counters.
 */
#ifndef VMAMAP_SNAPSHOT_H
#define VMAMAP_SNAPSHOT_H

#include <stddef.h>

#include "err.h"
#include "vmaset.h"

/* Highest major schema version this vmamap reads. */
enum { SNAP_SCHEMA_MAJOR = 1 };

/*
 * Load the JSON text @p (@len bytes) into the empty set @s.  @label names
 * the input in messages and is recorded as s->src.snapshot.  Returns the
 * number of regions, or a negative errno with @e holding one line:
 * -EBADMSG for anything malformed ("LABEL: vmas[3].start: expected an
 * address string \"0x...\"", "LABEL:LINE:COLUMN: ..." for bad JSON), a
 * newer schema major, a diff document or an array of several documents;
 * -ENOMEM.  Regions are not indexed or classified beyond what the file
 * says: the caller runs vset_index() (and class_assign() for regions
 * whose class is VC_NCLASS, i.e. not given).
 */
int snap_load(struct vmaset *s, const char *p, size_t len, const char *label,
	      struct err *e);

/*
 * Where snap_load_stream() gets the text: the next piece of it at *@p
 * (the reader's memory, read until the next call, not copied); returns
 * its length, 0 at the end, or a negative errno (with the message already
 * in the caller's struct err).
 */
typedef long (*snap_read_fn)(const char **p, void *arg);

/*
 * snap_load(), with the text pulled from @fn as the parser needs it, piece
 * by piece: the text is never held in memory whole, and a document
 * that fails early (nesting deeper than JR_MAX_DEPTH, bad syntax) is not
 * read further.  A read error from @fn is returned as is.
 */
int snap_load_stream(struct vmaset *s, snap_read_fn fn, void *arg,
		     const char *label, struct err *e);

#endif
