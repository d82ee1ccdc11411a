// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mm.c - parse the mm_struct counters out of status and stat text.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "mm.h"

static const struct {
	const char *name, *origin, *status_key;
} counters[MM_NCOUNTERS] = {
	[MM_TOTAL_VM] = { "total_vm", "VmSize", "VmSize" },
	[MM_DATA_VM] = { "data_vm", "VmData", "VmData" },
	[MM_EXEC_VM] = { "exec_vm", "VmExe + VmLib", NULL },
	[MM_STACK_VM] = { "stack_vm", "VmStk", "VmStk" },
	[MM_MAP_COUNT] = { "map_count", "PROCMAP_QUERY", NULL },
	[MM_LOCKED_VM] = { "locked_vm", "VmLck", "VmLck" },
	[MM_PINNED_VM] = { "pinned_vm", "VmPin", "VmPin" },
	[MM_HIWATER_VM] = { "hiwater_vm", "VmPeak", "VmPeak" },
	[MM_HIWATER_RSS] = { "hiwater_rss", "VmHWM", "VmHWM" },
	[MM_RSS] = { "rss", "VmRSS", "VmRSS" },
	[MM_RSS_ANON] = { "rss_anon", "RssAnon", "RssAnon" },
	[MM_RSS_FILE] = { "rss_file", "RssFile", "RssFile" },
	[MM_RSS_SHMEM] = { "rss_shmem", "RssShmem", "RssShmem" },
	[MM_SWAP] = { "swap", "VmSwap", "VmSwap" },
	[MM_PGTABLES] = { "pgtables", "VmPTE", "VmPTE" },
	[MM_VM_EXE] = { "vm_exe", "VmExe", "VmExe" },
	[MM_VM_LIB] = { "vm_lib", "VmLib", "VmLib" },
};

/* 1-based /proc/PID/stat field of each layout value (0: not in stat). */
static const struct {
	const char *name, *origin;
	unsigned int field;
} layouts[ML_NLAYOUT] = {
	[ML_START_CODE] = { "start_code", "stat field 26", 26 },
	[ML_END_CODE] = { "end_code", "stat field 27", 27 },
	[ML_START_DATA] = { "start_data", "stat field 45", 45 },
	[ML_END_DATA] = { "end_data", "stat field 46", 46 },
	[ML_START_BRK] = { "start_brk", "stat field 47", 47 },
	[ML_BRK] = { "brk", "end of [heap]", 0 },
	[ML_START_STACK] = { "start_stack", "stat field 28", 28 },
	[ML_ARG_START] = { "arg_start", "stat field 48", 48 },
	[ML_ARG_END] = { "arg_end", "stat field 49", 49 },
	[ML_ENV_START] = { "env_start", "stat field 50", 50 },
	[ML_ENV_END] = { "env_end", "stat field 51", 51 },
};

const char *mm_counter_name(unsigned int c)
{
	return c < MM_NCOUNTERS ? counters[c].name : "?";
}

const char *mm_counter_origin(unsigned int c)
{
	return c < MM_NCOUNTERS ? counters[c].origin : "?";
}

const char *mm_layout_name(unsigned int l)
{
	return l < ML_NLAYOUT ? layouts[l].name : "?";
}

const char *mm_layout_origin(unsigned int l)
{
	return l < ML_NLAYOUT ? layouts[l].origin : "?";
}

void mm_set(struct mm_kernel *k, unsigned int c, uint64_t v, const char *via)
{
	k->val[c] = v;
	k->have |= 1u << c;
	k->via[c] = via;
}

/* "Key:\t   1234 kB" -> 1234 * 1024; false when not that shape. */
static bool kb_value(const char *p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	bool digits = false;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (; p < end && *p >= '0' && *p <= '9'; p++, digits = true) {
		if (v > UINT64_MAX / 10 - 1)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (!digits || end - p < 3 || memcmp(p, " kB", 3) || v > UINT64_MAX / 1024)
		return false;
	*out = v * 1024;
	return true;
}

static void status_line(const char *p, const char *end, struct mm_kernel *k,
			int *n)
{
	const char *colon = memchr(p, ':', (size_t)(end - p));
	uint64_t v;

	if (!colon || !kb_value(colon + 1, end, &v))
		return;
	for (unsigned int c = 0; c < MM_NCOUNTERS; c++) {
		const char *key = counters[c].status_key;

		if (key && strlen(key) == (size_t)(colon - p) &&
		    !memcmp(key, p, (size_t)(colon - p))) {
			mm_set(k, c, v, "status");
			(*n)++;
		}
	}
}

int mm_parse_status(const char *text, size_t len, struct mm_kernel *k)
{
	const char *p = text, *end = text + len;
	int n = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		status_line(p, nl ? nl : end, k, &n);
		p = nl ? nl + 1 : end;
	}
	if ((k->have >> MM_VM_EXE & 1) && (k->have >> MM_VM_LIB & 1))
		mm_set(k, MM_EXEC_VM, k->val[MM_VM_EXE] + k->val[MM_VM_LIB],
		       k->via[MM_VM_EXE]);
	return n;
}

/* Decimal field @i (1-based) of stat, counting from field 3 after ')'. */
static bool stat_field(const char *p, const char *end, unsigned int want,
		       uint64_t *out)
{
	unsigned int f = 3;

	while (p < end && f < want) {
		while (p < end && *p == ' ')
			p++;
		while (p < end && *p != ' ' && *p != '\n')
			p++;
		f++;
	}
	while (p < end && *p == ' ')
		p++;
	if (p >= end || *p < '0' || *p > '9')
		return false;
	for (*out = 0; p < end && *p >= '0' && *p <= '9'; p++)
		*out = *out * 10 + (uint64_t)(*p - '0');
	return true;
}

/* The ')' that ends the process name (the last one), or NULL. */
static const char *name_end(const char *text, size_t len)
{
	const char *close = NULL;

	for (const char *p = text; p < text + len; p++)
		if (*p == ')')
			close = p;
	return close;
}

int mm_parse_starttime(const char *text, size_t len, uint64_t *out)
{
	const char *close = name_end(text, len);

	return close && stat_field(close + 1, text + len, 22, out) ? 0
								    : -EBADMSG;
}

int mm_parse_stat_comm(const char *text, size_t len, const char **name,
		       size_t *n)
{
	const char *open = memchr(text, '(', len), *close = name_end(text, len);

	if (!open || !close || close < open)
		return -EBADMSG;
	*name = open + 1;
	*n = (size_t)(close - open - 1);
	return 0;
}

int mm_parse_stat(const char *text, size_t len, struct mm_kernel *k)
{
	const char *close = name_end(text, len), *end = text + len;
	bool any = false;

	if (!close)
		return -EBADMSG;
	for (unsigned int l = 0; l < ML_NLAYOUT; l++) {
		if (!layouts[l].field)
			continue;
		if (!stat_field(close + 1, end, layouts[l].field,
				&k->layout[l]))
			return -EBADMSG;
		k->layout_have |= 1u << l;
		any |= k->layout[l] != 0;
	}
	k->layout_hidden = !any;
	return 0;
}
