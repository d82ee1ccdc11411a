/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * render_addr.h - the --addr renderer: one answer per query, as table
 * lines or as one NDJSON line.
 *
 * Table, one line per region hit (a range query prints its range first,
 * and the offsets refer to max(range start, region start)):
 *   0x7f12a4c2b1b0  7f12a4c00000-7f12a4d80000 r-xp text  +0x2b1b0  /usr/lib/
 *   x86_64-linux-gnu/libc.so.6+0x512b1b0           (one line, cut here)
 * i.e. QUERY  START-END PERMS CLASS  +0xOFFSET_IN_REGION[  NAME], where a
 * file's NAME is followed by +0xFILE_OFFSET (addr2line-ready) and then
 * " (deleted)" when deleted.  A miss is one line:
 *   0x1234: not mapped; 0x234 (564B) past the end of REGION; 0xdcc (3.4K)
 *   before REGION
 * with "nothing below" / "nothing above" for a missing side; REGION is
 * START-END PERMS CLASS[ NAME[ (deleted)]].  Distances: address - end of
 * the region below, start of the region above - address (for a range: -
 * range end), in hex and human units.  Names are escaped with esc_term().
 *
 * JSON: {"query": "0x..", "mapped": true, "regions": [{"start": "0x..",
 * "end": "0x..", "perms": "r-xp", "class": "text", "path": ..|null,
 * ["path_hex": ..,] "deleted": false, "offset_in_region": N,
 * ["file_offset": "0x.." for files]}, ...]}; a miss has "mapped": false,
 * "regions": [] and "below", "above": {the region fields without offsets,
 * "distance": N} or null.  Addresses are "0x" strings, sizes integers.
 */
#ifndef VMAMAP_RENDER_ADDR_H
#define VMAMAP_RENDER_ADDR_H

#include <stdbool.h>

#include "lookup.h"
#include "obuf.h"
#include "vmaset.h"

/*
 * Write the answer to @q about @s (indexed and classified) to @o: table
 * lines (one per hit, or one for a miss) or, with @json, exactly one line
 * holding one JSON object, ending with '\n'.  Does not flush.
 */
void addr_render(const struct vmaset *s, const struct addr_query *q,
		 bool json, struct obuf *o);

#endif
