// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - options, the pipeline, and exit codes.  Nothing else in vmamap
 * chooses an exit status.
 */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curses.h>

#include "account.h"
#include "colors.h"
#include "err.h"
#include "escape.h"
#include "obuf.h"
#include "mm.h"
#include "procs.h"
#include "lookup.h"
#include "render_addr.h"
#include "render_summary.h"
#include "source.h"
#include "summary.h"
#include "render_json.h"
#include "render_diff.h"
#include "render_table.h"
#include "render_tui.h"
#include "render_om.h"
#include "render_sys.h"
#include "sysview.h"
#include "target.h"
#include "watch.h"

/* One TARGET argument and how it was given. */
struct target_arg {
	const char *spec;
	enum target_kind kind;
};

struct options {
	struct target_opts target;
	struct target_arg *targets;	/* argv order */
	size_t ntargets;
	const char **addrs;		/* --addr values ("-": stdin) */
	size_t naddrs;
	bool json, ndjson, bytes, summary, gaps;
	bool diff, all_regions, watch, live;
	uint64_t delay_ns;		/* --delay, 0 = not given */
	unsigned long iterations;	/* --iterations, 0 = not given */
	enum color_mode color;
	uint32_t classes;
	bool filtered;
	enum acct_sort sort;
	const char *sort_key;		/* --sort, parsed once the view is known */
	bool all;			/* --all */
	const char *who_maps;		/* --who-maps PATTERN */
	int sys_sort;			/* enum sysv_key of --all, --who-maps */
	enum { FMT_NONE, FMT_TABLE, FMT_JSON, FMT_OM } format;
};

enum {
	OPT_PROC_ROOT = 256, OPT_COLOR, OPT_NDJSON, OPT_DIFF, OPT_ALL_REGIONS,
	OPT_WATCH, OPT_LIVE, OPT_ALL, OPT_WHO_MAPS, OPT_FORMAT,
};

/* argv, for naming a bad option (getopt keeps only its index). */
static char **saved_argv;

static const char *argv_at(int i)
{
	return i > 0 ? saved_argv[i] : "";
}

static const struct option long_opts[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "file", required_argument, NULL, 'f' },
	{ "proc-root", required_argument, NULL, OPT_PROC_ROOT },
	{ "smaps", no_argument, NULL, 'x' },
	{ "json", no_argument, NULL, 'j' },
	{ "bytes", no_argument, NULL, 'b' },
	{ "class", required_argument, NULL, 'c' },
	{ "sort", required_argument, NULL, 'S' },
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "summary", no_argument, NULL, 's' },
	{ "addr", required_argument, NULL, 'a' },
	{ "gaps", no_argument, NULL, 'g' },
	{ "ndjson", no_argument, NULL, OPT_NDJSON },
	{ "diff", no_argument, NULL, OPT_DIFF },
	{ "all-regions", no_argument, NULL, OPT_ALL_REGIONS },
	{ "watch", no_argument, NULL, OPT_WATCH },
	{ "live", no_argument, NULL, OPT_LIVE },
	{ "delay", required_argument, NULL, 'd' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "who-maps", required_argument, NULL, OPT_WHO_MAPS },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const char usage_text[] =
"Usage: vmamap [OPTION]... TARGET...\n"
"  or:  vmamap --all [OPTION]...\n"
"  or:  vmamap --who-maps PATTERN [OPTION]...\n"
"Show the address space of a Linux process: every memory region (VMA),\n"
"classified, with its size, permissions, file and (with -x) memory use.\n"
"\n"
"TARGET is a PID, 'self', a process name, a saved copy of\n"
"/proc/PID/maps or /proc/PID/smaps, a snapshot saved with --json, or '-'\n"
"for standard input.  Several targets are shown in turn.\n"
"\n"
"Targets:\n"
"  -p, --pid PID          the target is this process ID\n"
"  -f, --file FILE        the target is this saved maps/smaps file or snapshot\n"
"                         ('-': stdin)\n"
"      --proc-root DIR    read processes from DIR instead of /proc\n"
"\n"
"Output:\n"
"  -x, --smaps            read smaps: add RSS, PSS, DIRTY and SWAP columns\n"
"  -j, --json             print one JSON document instead of the table\n"
"  -b, --bytes            print sizes in bytes, not in K/M/G units\n"
"  -c, --class LIST       show only these classes (comma-separated): text,\n"
"                         rodata, data, bss, heap, stack, anon, shared, file,\n"
"                         guard, kernel\n"
"  -S, --sort KEY         order by start (default), size or rss; with --all\n"
"                         or --who-maps: pid (default), comm, regions,\n"
"                         size, rss, pss, swap (--all: or a class name)\n"
"  -g, --gaps             add the unmapped holes as rows (class gap)\n"
"      --ndjson           with --json: one document per line\n"
"      --format FORMAT    table (default), json (= --json) or openmetrics\n"
"                         (Prometheus text for node_exporter's textfile\n"
"                         collector; TARGETs or --all)\n"
"\n"
"Analysis:\n"
"  -s, --summary          the kernel's mm_struct counters beside the ones\n"
"                         rebuilt from the regions, classes, images, holes\n"
"  -a, --addr ADDR        which region holds ADDR (hex, or START-END);\n"
"                         repeatable; '-' reads one address per line\n"
"      --color[=WHEN]     colour by class: auto (default), always, never\n"
"\n"
"Changes:\n"
"      --diff OLD NEW     compare two targets region by region: added,\n"
"                         removed, grown, shrunk, moved, perms, split,\n"
"                         merged (and memory, with smaps on both sides)\n"
"      --all-regions      with --diff: list unchanged regions too\n"
"      --watch            poll the live TARGET and print each change with\n"
"                         a timestamp (--json: one JSON object per line)\n"
"\n"
"Live map:\n"
"      --live             a full-screen map of TARGET on the terminal,\n"
"                         refreshed, changes marked; keys: arrows j k\n"
"                         PgUp PgDn g G move, / n N search a path, a jump\n"
"                         to an address, c class, s sort, x smaps columns,\n"
"                         Enter details, + - interval, space pause, ? help,\n"
"                         q quit; a saved file is shown as a static map\n"
"  -d, --delay SECONDS    with --watch or --live: time between reads\n"
"                         (default 1)\n"
"  -n, --iterations N     with --watch: stop after N polls; with --live:\n"
"                         quit after N refresh intervals\n"
"\n"
"System-wide (no TARGET):\n"
"      --all              one row per process: regions, size, RSS, PSS and\n"
"                         swap (smaps_rollup; -x: smaps), the size of its\n"
"                         heap, anon, stack, shared and text; unreadable\n"
"                         processes named in the footer\n"
"      --who-maps PATTERN every process that maps a file matching the glob\n"
"                         PATTERN (its path; without '/': its base name),\n"
"                         with the regions, RSS and PSS of that file\n"
"\n"
"  -h, --help             show this help and exit\n"
"  -V, --version          show the version and exit\n"
"\n"
"Exit status: 0 ok (--diff: no differences), 1 --diff found differences,\n"
"2 usage error, 3 target not found or gone (--watch: PID reused),\n"
"4 permission denied, 5 malformed input or address, 6 other failure;\n"
"with several targets, the status of the first that failed; --live stopped\n"
"by signal N: 128+N.\n"
"Environment: NO_COLOR disables colour in auto mode (--live too).\n"
"See vmamap(1).\n";

static void usage(FILE *f)
{
	fputs(usage_text, f);
}

static void version(void)
{
	printf("vmamap %s (libproc2 %s, ncursesw %s)\n", PACKAGE_VERSION,
	       procs_lib_version(), NCURSESW_VERSION);
}

/* One line on stderr, with attacker-controlled bytes escaped. */
static void complain(const char *msg)
{
	struct obuf o;

	if (obuf_init(&o, STDERR_FILENO)) {
		fputs("vmamap: out of memory\n", stderr);
		return;
	}
	obuf_puts(&o, "vmamap: ");
	esc_term(&o, msg, strlen(msg));
	obuf_putc(&o, '\n');
	obuf_close(&o);
}

static int usage_error(const char *msg)
{
	complain(msg);
	fputs("Try 'vmamap --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

/* Append to a growable array of @size-byte elements; -ENOMEM on failure. */
static int push(void *arr, size_t *n, const void *elem, size_t size)
{
	char *na = realloc(*(char **)arr, (*n + 1) * size);

	if (!na)
		return -ENOMEM;
	memcpy(na + *n * size, elem, size);
	*(char **)arr = na;
	(*n)++;
	return 0;
}

static int add_target(struct options *op, enum target_kind kind,
		      const char *arg, struct err *e)
{
	struct target_arg t = { arg, kind };

	if (push(&op->targets, &op->ntargets, &t, sizeof(t)))
		return err_set(e, -ENOMEM, "out of memory");
	return 0;
}

/* getopt's '?' (unknown option) and ':' (missing argument), in words. */
static int bad_option(int c, struct err *e)
{
	const char *arg = argv_at(optind - 1);
	bool lng = arg[0] == '-' && arg[1] == '-';
	int len = (int)strcspn(arg, "=");

	if (c == ':' && optopt && !lng)
		return err_set(e, -EINVAL, "option '-%c' requires an argument",
			       optopt);
	if (c == ':')
		return err_set(e, -EINVAL, "option '%.*s' requires an "
			       "argument", len, arg);
	if (optopt && !lng)
		return err_set(e, -EINVAL, "unrecognized option '-%c'", optopt);
	if (optopt)
		return err_set(e, -EINVAL, "option '%.*s' doesn't allow an "
			       "argument", len, arg);
	return err_set(e, -EINVAL, "unrecognized option '%.*s'", len, arg);
}

static int parse_iterations(const char *text, unsigned long *n,
			    struct err *e)
{
	char *end;

	errno = 0;
	*n = strtoul(text, &end, 10);
	if (text[0] < '0' || text[0] > '9' || *end || errno || *n == 0)
		return err_set(e, -EINVAL, "--iterations: '%.40s' is not a "
			       "count above 0", text);
	return 0;
}

static int parse_format(const char *text, struct options *op, struct err *e)
{
	static const char *const names[] = { "table", "json", "openmetrics" };

	for (int i = 0; i < 3; i++)
		if (!strcmp(text, names[i])) {
			op->format = FMT_TABLE + i;
			return 0;
		}
	return err_set(e, -EINVAL, "--format: unknown format '%.40s' (table, "
		       "json, openmetrics)", text);
}

/* Handle one option; returns 0 or a negative errno (usage error). */
static int take_opt(struct options *op, int c, struct err *e)
{
	switch (c) {
	case 'p':
		return add_target(op, TK_PID, optarg, e);
	case 'f':
		return add_target(op, TK_FILE, optarg, e);
	case 's':
		op->summary = true;
		return 0;
	case 'g':
		op->gaps = true;
		return 0;
	case OPT_NDJSON:
		op->ndjson = true;
		return 0;
	case OPT_DIFF:
		op->diff = true;
		return 0;
	case OPT_ALL_REGIONS:
		op->all_regions = true;
		return 0;
	case OPT_WATCH:
		op->watch = true;
		return 0;
	case OPT_LIVE:
		op->live = true;
		return 0;
	case 'd':
		return watch_parse_delay(optarg, &op->delay_ns, e);
	case 'n':
		return parse_iterations(optarg, &op->iterations, e);
	case 'a':
		return push(&op->addrs, &op->naddrs, &optarg, sizeof(optarg)) ?
		       err_set(e, -ENOMEM, "out of memory") : 0;
	case OPT_PROC_ROOT:
		op->target.proc_root = optarg;
		return 0;
	case 'x':
		op->target.smaps = true;
		return 0;
	case 'j':
		op->json = true;
		return 0;
	case 'b':
		op->bytes = true;
		return 0;
	case 'c':
		op->filtered = true;
		return acct_parse_classes(optarg, &op->classes, e);
	case 'S':
		op->sort_key = optarg;
		return 0;
	case OPT_ALL:
		op->all = true;
		return 0;
	case OPT_WHO_MAPS:
		op->who_maps = optarg;
		return 0;
	case OPT_FORMAT:
		return parse_format(optarg, op, e);
	case OPT_COLOR:
		return colors_parse(optarg, &op->color, e);
	default:
		return bad_option(c, e);
	}
}

/* --live against the other views; -1 or the exit status. */
static int check_live(const struct options *op)
{
	if (op->diff || op->watch)
		return usage_error("--live, --diff and --watch are separate "
				   "views");
	if (op->json || op->ndjson || op->summary || op->naddrs || op->gaps ||
	    op->bytes || op->all_regions)
		return usage_error("--live does not go with --json, --ndjson, "
				   "--summary, --addr, --gaps, --bytes or "
				   "--all-regions");
	if (op->ntargets != 1)
		return usage_error("--live shows one target");
	if (!strcmp(op->targets[0].spec, "-"))
		return usage_error("--live reads its keys from standard input: "
				   "the target cannot be '-'");
	return -1;
}

/* --diff and --watch against the other views; -1 or the exit status. */
static int check_modes(const struct options *op)
{
	bool other = op->summary || op->naddrs || op->gaps ||
		     op->sort != AS_START;

	if (op->live)
		return check_live(op);
	if (op->diff && op->watch)
		return usage_error("--diff and --watch are separate views");
	if ((op->diff || op->watch) && other)
		return usage_error("--diff and --watch do not go with "
				   "--summary, --addr, --gaps or --sort");
	if (op->diff && op->ntargets != 2)
		return usage_error("--diff compares two targets: OLD NEW");
	if (op->watch && op->ntargets != 1)
		return usage_error("--watch follows one process");
	if (op->all_regions && !op->diff)
		return usage_error("--all-regions goes with --diff");
	if ((op->delay_ns || op->iterations) && !op->watch)
		return usage_error("--delay and --iterations go with --watch "
				   "or --live");
	if (op->ndjson && op->diff)
		return usage_error("--diff writes one document: not --ndjson");
	return -1;
}

/*
 * --all, --who-maps and --format=openmetrics against the other views;
 * -1 or the exit status.
 */
static int check_sys(const struct options *op)
{
	bool sys = op->all || op->who_maps, om = op->format == FMT_OM;

	if (op->all && op->who_maps)
		return usage_error("--all and --who-maps are separate views");
	if (sys && op->ntargets)
		return usage_error("--all and --who-maps read every process: "
				   "no TARGET");
	if ((sys || om) && (op->diff || op->watch || op->live ||
			    op->summary || op->naddrs || op->gaps))
		return usage_error("--all, --who-maps and --format=openmetrics "
				   "do not go with --diff, --watch, --live, "
				   "--summary, --addr or --gaps");
	if ((sys || om) && (op->filtered || op->ndjson || op->all_regions ||
			    op->delay_ns || op->iterations))
		return usage_error("--all, --who-maps and --format=openmetrics "
				   "do not go with --class, --ndjson, "
				   "--all-regions, --delay or --iterations");
	if (om && op->who_maps)
		return usage_error("--who-maps has no OpenMetrics format");
	if (om && op->sort_key)
		return usage_error("--format=openmetrics has no order: not with "
				   "--sort");
	return -1;
}

/* Combinations that make no sense; returns -1 or the exit status. */
static int check_args(const struct options *op)
{
	size_t stdin_users = 0;
	int r = check_sys(op);

	if (r >= 0 || op->all || op->who_maps)
		return r;

	if (!op->ntargets)
		return usage_error("no target given (a PID, a process name or "
				   "a file)");
	for (size_t i = 0; i < op->ntargets; i++)
		stdin_users += !strcmp(op->targets[i].spec, "-");
	for (size_t i = 0; i < op->naddrs; i++)
		stdin_users += !strcmp(op->addrs[i], "-");
	if (stdin_users > 1)
		return usage_error("standard input ('-') can be used once");
	if (op->ndjson && !op->json)
		return usage_error("--ndjson goes with --json");
	if (op->gaps && op->sort != AS_START)
		return usage_error("--gaps shows holes in address order: not "
				   "with --sort");
	if (op->summary && op->naddrs)
		return usage_error("--summary and --addr are separate views");
	return check_modes(op);
}

/* What needs every option first: the sort key and the format. */
static int settle_options(struct options *op, struct err *e)
{
	bool sys = op->all || op->who_maps;
	int r = 0;

	if (op->sort_key && sys)
		r = sysv_parse_sort(op->sort_key, op->all, &op->sys_sort, e);
	else if (op->sort_key)
		r = acct_parse_sort(op->sort_key, &op->sort, e);
	if (r)
		return r;
	if (op->json && (op->format == FMT_TABLE || op->format == FMT_OM))
		return err_set(e, -EINVAL, "--json and --format=%s disagree",
			       op->format == FMT_OM ? "openmetrics" : "table");
	op->json |= op->format == FMT_JSON;
	return 0;
}

/* Returns -1 to go on, or the exit status. */
static int parse_args(int argc, char **argv, struct options *op)
{
	struct err e = { 0 };
	int c;

	saved_argv = argv;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":p:f:xjbc:S:sa:gd:n:hV", long_opts,
				NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return EXIT_OK;
		}
		if (c == 'V') {
			version();
			return EXIT_OK;
		}
		if (take_opt(op, c, &e))
			return usage_error(e.msg);
	}
	while (optind < argc)
		if (add_target(op, TK_GUESS, argv[optind++], &e))
			return usage_error(e.msg);
	if (settle_options(op, &e))
		return usage_error(e.msg);
	return check_args(op);
}

/* The table or JSON document of the regions of @s. */
static int render_map(const struct vmaset *s, const struct options *op,
		      struct obuf *o)
{
	struct table_opts topt = {
		.smaps = op->target.smaps, .bytes = op->bytes,
		.color = colors_enabled(op->color, STDOUT_FILENO),
		.filtered = op->filtered, .gaps = op->gaps,
	};
	uint32_t *idx;
	long n = acct_select(s, op->classes, op->sort, &idx);

	if (n < 0)
		return -ENOMEM;
	if (op->json)
		json_render(s, idx, (size_t)n, op->gaps, o);
	else
		table_render(s, idx, (size_t)n, &topt, o);
	free(idx);
	return 0;
}

static void warn_torn(const struct vmaset *s)
{
	if (s->torn)
		complain(vset_live(s) ?
			 "warning: the process changed while it was read; "
			 "the map may be inconsistent (marked torn)" :
			 "warning: regions overlap or are out of order (a "
			 "torn read was saved); shown sorted, marked torn");
}

/* -x asked for smaps, which could not be opened: maps was read instead. */
static void warn_smaps(const struct vmaset *s)
{
	char msg[200];

	if (!s->src.smaps_errno)
		return;
	snprintf(msg, sizeof(msg), "warning: pid %d: maps readable, smaps "
		 "not (%s): RSS, PSS, DIRTY and SWAP left out", (int)s->src.pid,
		 s->src.smaps_errno == EACCES ? "permission denied" :
		 "no smaps file");
	complain(msg);
}

/* The warnings about how a set was read. */
static void warn_read(const struct vmaset *s, const struct options *op)
{
	warn_torn(s);
	if (op->sort != AS_RSS || op->summary)
		warn_smaps(s);	/* else check_smaps_need() fails */
}

/*
 * Load @t; on failure print the message and return the exit status.  The
 * warnings are left to the caller (the summary may read again).
 */
/* Load @t into @s; with @k (the summary), the kernel's view into it too. */
static int load_quiet(const struct target_arg *t, struct options *op,
		      struct vmaset *s, struct mm_kernel *k)
{
	struct err e = { 0 };
	int r;

	op->target.kind = t->kind;
	vset_init(s);
	r = k ? target_load_with_mm(t->spec, &op->target, s, k, &e)
	      : target_load(t->spec, &op->target, s, &e);
	if (r) {
		complain(e.msg);
		vset_free(s);
		return err_exit_code(r);
	}
	return -1;
}

/* load_quiet(), then the warnings. */
static int load(const struct target_arg *t, struct options *op,
		struct vmaset *s)
{
	int r = load_quiet(t, op, s, NULL);

	if (r < 0)
		warn_read(s, op);
	return r;
}

/*
 * The summary of a live process is read twice if the kernel's counters
 * and the rebuilt ones disagree (the process changed in between); a
 * mismatch that persists is shown, never hidden.
 */
enum { SUMMARY_TRIES = 3 };

static int summarize(struct vmaset *s, const struct target_arg *t,
		     struct options *op, struct summary *sum,
		     struct mm_kernel *k)
{
	struct err e = { 0 };
	int r;

	for (int i = 0;; i++) {
		bool live = vset_live(s);

		if (live && !k->have &&
		    target_load_mm(s, &op->target, k, &e)) {
			complain(e.msg);
			return err_exit_code(e.code);
		}
		if (summary_build(s, live ? k : NULL, sum))
			return EXIT_FAILURE_OTHER;
		if (!live || !summary_mismatches(sum) || i + 1 == SUMMARY_TRIES)
			break;
		summary_free(sum);
		vset_free(s);
		r = load_quiet(t, op, s, k);
		if (r >= 0)
			return r;
	}
	warn_read(s, op);
	if (summary_mismatches(sum))
		complain("warning: the kernel's counters and the regions "
			 "disagree (marked MISMATCH)");
	return -1;
}

/* @k: the kernel's view read with @s (load_quiet()). */
static int render_summary(struct vmaset *s, const struct target_arg *t,
			  struct options *op, struct mm_kernel *k,
			  struct obuf *o)
{
	struct summary sum;
	int r = summarize(s, t, op, &sum, k);

	if (r >= 0)
		return r;
	if (op->json)
		summary_render_json(s, &sum, o);
	else
		summary_render_table(s, &sum, op->bytes, o);
	summary_free(&sum);
	return EXIT_OK;
}

/* Answer one address query (@line > 0: of standard input, for messages);
 * returns 0 or -EBADMSG (message printed). */
static int answer(const struct vmaset *s, const char *text, size_t len,
		  unsigned long line, bool json, struct obuf *o)
{
	struct addr_query q;
	struct err e;
	char msg[1200];

	e.code = 0;
	e.msg[0] = '\0';
	if (lookup_parse(text, len, &q, &e)) {
		if (line)
			snprintf(msg, sizeof(msg), "<stdin>:%lu: %s", line,
				 e.msg);
		else
			snprintf(msg, sizeof(msg), "%s", e.msg);
		complain(msg);
		return -EBADMSG;
	}
	addr_render(s, &q, json, o);
	return 0;
}

/* Flush after each batch of answers when stdout is a pipe or terminal. */
static bool stream_flush(void)
{
	struct stat st;

	return fstat(STDOUT_FILENO, &st) || !S_ISREG(st.st_mode);
}

/* An --addr - in progress. */
struct addr_stream {
	const struct vmaset *s;
	bool json;
	struct obuf *o;
	unsigned long line, bad;	/* lines read, malformed ones */
};

/*
 * Answer the lines in [@p, @end), and a last one without a newline when
 * @eof; returns where the unanswered rest starts.  The usual bare address
 * is read in one go; any other line is cut at its newline first.
 */
static const char *answer_lines(struct addr_stream *st, const char *p,
				const char *end, bool eof)
{
	struct addr_query q;
	const char *nl;
	size_t k;

	for (;;) {
		k = lookup_parse_line(p, (size_t)(end - p), &q);
		if (k) {
			st->line++;
			addr_render(st->s, &q, st->json, st->o);
			p += k;
			continue;
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl && !(eof && p < end))
			return p;
		st->bad += answer(st->s, p, (size_t)((nl ? nl : end) - p),
				  ++st->line, st->json, st->o) != 0;
		p = nl ? nl + 1 : end;
	}
}

/* "-": one query per line of standard input, answered as it comes. */
static long answer_stream(const struct vmaset *s, bool json, struct obuf *o)
{
	struct addr_stream st = { s, json, o, 0, 0 };
	struct src_reader rd;
	struct err e = { 0 };
	bool flush = stream_flush();
	long n, used = 0;

	if (src_reader_file(&rd, "-", &e))
		return -1;
	while ((n = src_reader_more(&rd, (size_t)used, &e)) > 0 ||
	       (n == 0 && rd.b.len)) {
		used = answer_lines(&st, rd.b.p, rd.b.p + rd.b.len, n == 0) -
		       rd.b.p;
		/* Before waiting for more input, never per answer: one write
		 * per batch a producer sent, answers still prompt for a
		 * co-process asking one address at a time. */
		if (flush)
			obuf_flush(o);
		if (n == 0)
			break;
	}
	src_reader_close(&rd);
	if (n < 0)
		complain(e.msg);
	return n < 0 ? -1 : (long)st.bad;
}

static int render_addrs(struct vmaset *s, const struct options *op,
			struct obuf *o)
{
	long bad = 0;
	char msg[80];

	if (vset_need_index(s)) {
		complain("out of memory");
		return EXIT_FAILURE_OTHER;
	}
	/* Without the memory for it the tree answers the same, slower. */
	(void)vset_index_fast(s);
	for (size_t i = 0; i < op->naddrs; i++) {
		const char *a = op->addrs[i];
		long r = strcmp(a, "-") ? answer(s, a, strlen(a), 0, op->json,
						  o) != 0
				       : answer_stream(s, op->json, o);

		if (r < 0)
			return EXIT_FAILURE_OTHER;
		bad += r;
	}
	if (bad) {
		snprintf(msg, sizeof(msg), "%ld malformed address%s", bad,
			 bad == 1 ? "" : "es");
		complain(msg);
		return EXIT_MALFORMED;
	}
	return EXIT_OK;
}

/*
 * -x without smaps: a saved maps file is a usage error; a process whose
 * smaps cannot be read is shown without the smaps columns (warned about
 * in load()), but --sort rss cannot do without them.
 */
static int check_smaps_need(const struct vmaset *s, const struct options *op,
			    const char *spec)
{
	int why = s->src.smaps_errno;
	char msg[600];

	if (why && op->sort == AS_RSS && !op->summary) {
		snprintf(msg, sizeof(msg), "pid %d: --sort rss needs smaps, "
			 "which cannot be read (%s)", (int)s->src.pid,
			 strerror(why));
		complain(msg);
		return err_exit_code(-why);
	}
	if (op->target.smaps && !s->src.smaps && !op->summary && !why) {
		snprintf(msg, sizeof(msg), "%s: has no smaps fields: -x and "
			 "--sort rss need a saved /proc/PID/smaps", spec);
		complain(msg);
		return EXIT_USAGE;
	}
	return -1;
}

/* Load, analyse and render one target; returns its exit status. */
static int run_target(const struct target_arg *t, struct options op,
		      struct obuf *o)
{
	struct vmaset s;
	struct mm_kernel k;
	int r = op.summary ? load_quiet(t, &op, &s, &k) : load(t, &op, &s);

	if (r >= 0)
		return r;
	r = check_smaps_need(&s, &op, t->spec);
	if (r < 0 && op.naddrs) {
		r = render_addrs(&s, &op, o);
	} else if (r < 0 && op.summary) {
		r = render_summary(&s, t, &op, &k, o);
	} else if (r < 0) {
		op.target.smaps = s.src.smaps && (op.target.smaps ||
						   !vset_live(&s));
		r = render_map(&s, &op, o) ? EXIT_FAILURE_OTHER : EXIT_OK;
	}
	vset_free(&s);
	return r;
}

/*
 * The two targets of --diff (at once when both are files: see
 * target_load_two()); on failure the message of the first that failed
 * and its exit status, as load().
 */
static int load_two(struct options *op, struct vmaset s[2])
{
	const char *spec[2] = { op->targets[0].spec, op->targets[1].spec };
	struct target_opts to[2] = { op->target, op->target };
	struct err e[2] = { 0 };
	int r[2];

	to[0].kind = op->targets[0].kind;
	to[1].kind = op->targets[1].kind;
	vset_init(&s[0]);
	vset_init(&s[1]);
	target_load_two(spec, to, s, e, r);
	for (int i = 0; i < 2; i++) {
		if (r[i]) {
			complain(e[i].msg);
			vset_free(&s[0]);
			vset_free(&s[1]);
			return err_exit_code(r[i]);
		}
		warn_read(&s[i], op);
	}
	return -1;
}

/* --diff OLD NEW: 0 same, 1 different, or the first failure. */
static int run_diff(struct options *op, struct obuf *o)
{
	struct diff_opts dopt = {
		.all = op->all_regions, .bytes = op->bytes,
		.color = colors_enabled(op->color, STDOUT_FILENO),
		.classes = op->classes,
	};
	struct vmaset s[2];
	struct diff d;
	int r = load_two(op, s);

	if (r >= 0)
		return r;
	if (diff_build(&s[0], &s[1], &d)) {
		complain("out of memory");
		r = EXIT_FAILURE_OTHER;
	} else {
		diff_totals(&d);
		if (op->json)
			diff_render_json(&d, &dopt, o);
		else
			diff_render_table(&d, &dopt, o);
		r = diff_count(&d, op->classes) ? EXIT_DIFFERENT : EXIT_OK;
		diff_free(&d);
	}
	vset_free(&s[0]);
	vset_free(&s[1]);
	return r;
}

/* What --watch writes; each report is flushed at once. */
struct watch_out {
	struct obuf *o;
	bool json, bytes;
	uint32_t classes;
};

static void on_watch(const struct watch_report *r, void *arg)
{
	struct watch_out *w = arg;

	if (r->ev == WE_START)
		warn_smaps(r->s);
	if (r->ev == WE_CHANGES) {
		for (size_t i = 0; i < r->d->n; i++)
			if (r->d->ch[i].kinds &&
			    diff_change_in(r->d, &r->d->ch[i], w->classes))
				diff_render_event(r->d, &r->d->ch[i], r->ns,
						  w->json, w->bytes, w->o);
	} else {
		diff_render_watch(r, w->json, w->o);
	}
	obuf_flush(w->o);
}

static int run_watch(struct options *op, struct obuf *o)
{
	struct watch_out out = { o, op->json, op->bytes, op->classes };
	struct watch_opts wo = {
		.target = op->target, .report = on_watch, .arg = &out,
		.delay_ns = op->delay_ns ? op->delay_ns : 1000000000,
		.iterations = op->iterations,
	};
	struct err e = { 0 };
	int r;

	wo.target.kind = op->targets[0].kind;
	r = watch_run(op->targets[0].spec, &wo, &e);
	if (r)
		complain(e.msg);
	return r ? err_exit_code(r) : EXIT_OK;
}

/* The --live feed: the process followed, read again. */
static int live_read(void *arg, bool smaps, const struct vmaset *cur,
		     struct vmaset *s, struct mm_kernel *k, struct err *e)
{
	struct watch_proc *p = arg;
	int r;

	/* A one-off read (!cur) neither compares with the text of the map
	 * shown nor leaves its own to be compared with. */
	p->t.smaps = smaps;
	if (!cur)
		src_memo_forget(&p->memo);
	r = watch_reread(p, s, e);
	if (!cur)
		src_memo_forget(&p->memo);
	if (r == WATCH_EXITED || r == WATCH_REUSED)
		return TUI_GONE;
	if ((!r || r == WATCH_SAME) &&
	    target_load_mm(r == WATCH_SAME ? cur : s, &p->t, k, e))
		memset(k, 0, sizeof(*k));	/* counters unknown, not fatal */
	return r == WATCH_SAME ? TUI_SAME : r;
}

/* --live: the first read, then the TUI; a signal exits 128 + its number. */
static int run_live(struct options *op)
{
	struct watch_proc p;
	struct tui_feed feed = { live_read, &p };
	struct tui_opts to = {
		.delay_ns = op->delay_ns ? op->delay_ns : 1000000000,
		.iterations = op->iterations, .smaps = op->target.smaps,
		.color = colors_enabled(op->color, STDOUT_FILENO),
		.classes = op->classes, .sort = op->sort,
	};
	struct mm_kernel k;
	struct vmaset s;
	struct err e = { 0 };
	int r;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return usage_error("--live draws on a terminal: standard "
				   "input and output must be one");
	vset_init(&s);
	op->target.kind = op->targets[0].kind;
	r = watch_open(&p, op->targets[0].spec, &op->target, &s, &e);
	if (r) {
		complain(e.msg);
		vset_free(&s);
		return err_exit_code(r);
	}
	if (p.pid && target_load_mm(&s, &p.t, &k, &e))
		memset(&k, 0, sizeof(k));
	to.feed = p.pid ? &feed : NULL;
	r = tui_run(&s, p.pid ? &k : NULL, &to, &e);
	watch_close(&p);
	if (r < 0)
		complain(e.msg);
	return r < 0 ? err_exit_code(r) : r > 0 ? 128 + r : EXIT_OK;
}

/* --all, --who-maps: every process, one table or document. */
static int run_sys(struct options *op, struct obuf *o)
{
	struct sysr_opts so = {
		.bytes = op->bytes, .pattern = op->who_maps,
		.proc_root = op->target.proc_root, .smaps = op->target.smaps,
	};
	struct err e = { 0 };
	struct sysv v;
	int r;

	sysv_init(&v);
	r = op->who_maps ? sysv_who_maps(&v, op->who_maps, &op->target, &e)
			 : sysv_scan_all(&v, &op->target, &e);
	if (r) {
		complain(e.msg);
		sysv_free(&v);
		return err_exit_code(r);
	}
	sysv_sort(&v, op->sys_sort);
	if (op->format == FMT_OM)
		om_render(&v, true, o);
	else if (op->json)
		sysr_json(&v, &so, o);
	else
		sysr_table(&v, &so, o);
	sysv_free(&v);
	return EXIT_OK;
}

/* One TARGET into @v for OpenMetrics; returns -1 or its exit status. */
static int om_target(const struct target_arg *t, struct options *op,
		     struct sysv *v)
{
	struct err e = { 0 };
	struct mm_kernel k;
	struct vmaset s;
	bool live;
	int r = load(t, op, &s);

	if (r >= 0)
		return r;
	r = check_smaps_need(&s, op, t->spec);
	live = vset_live(&s) && !s.src.smaps;
	if (r < 0 && live && target_load_mm(&s, &op->target, &k, &e)) {
		complain(e.msg);
		r = err_exit_code(e.code);
	}
	if (r < 0 && sysv_add_set(v, &s, live ? &k : NULL)) {
		complain("out of memory");
		r = EXIT_FAILURE_OTHER;
	}
	vset_free(&s);
	return r;
}

/*
 * --format=openmetrics of the TARGETs that could be read (nothing when
 * none could); the status of the first failure.
 */
static int run_om(struct options *op, struct obuf *o)
{
	int first = EXIT_OK;
	struct sysv v;

	sysv_init(&v);
	for (size_t i = 0; i < op->ntargets; i++) {
		int r = om_target(&op->targets[i], op, &v);

		if (r >= 0 && first == EXIT_OK)
			first = r;
	}
	if (v.n || first == EXIT_OK)
		om_render(&v, false, o);
	sysv_free(&v);
	return first;
}

/* What goes between two documents of the output. */
static void separate(const struct options *op, size_t done, struct obuf *o)
{
	bool array = op->json && !op->ndjson && op->ntargets > 1 && !op->naddrs;

	if (done && !op->json && !op->naddrs)
		obuf_putc(o, '\n');
	if (done && array)
		obuf_puts(o, ",\n");
	if (!done && array)
		obuf_puts(o, "[\n");
}

static int run_all(struct options *op, struct obuf *o)
{
	bool array = op->json && !op->ndjson && op->ntargets > 1 && !op->naddrs;
	int first = EXIT_OK;
	size_t done = 0;

	for (size_t i = 0; i < op->ntargets; i++) {
		int r;

		obuf_flush(o);
		separate(op, done, o);
		o->oneline = op->ndjson && !op->naddrs;
		r = run_target(&op->targets[i], *op, o);
		if (r == EXIT_OK || op->naddrs) {
			obuf_flush(o);
			done++;
		} else {
			o->len = 0;	/* drop the separator of a failed one */
		}
		o->oneline = 0;
		if (op->ndjson && !op->naddrs && r == EXIT_OK)
			obuf_putc(o, '\n');
		if (r != EXIT_OK && first == EXIT_OK)
			first = r;
	}
	if (array)
		obuf_puts(o, done ? "]\n" : "[]\n");
	return first;
}

int main(int argc, char **argv)
{
	struct options op = {
		.target = { .proc_root = "/proc" },
		.classes = ACCT_ALL_CLASSES,
	};
	struct obuf o;
	int r;

	setlocale(LC_CTYPE, "");
	r = parse_args(argc, argv, &op);
	if (r < 0) {
		if (op.sort == AS_RSS || op.summary)
			op.target.smaps = true;
		if (obuf_init(&o, STDOUT_FILENO)) {
			complain("out of memory");
			r = EXIT_FAILURE_OTHER;
		} else {
			r = op.diff ? run_diff(&op, &o) :
			    op.watch ? run_watch(&op, &o) :
			    op.live ? run_live(&op) :
			    op.all || op.who_maps ? run_sys(&op, &o) :
			    op.format == FMT_OM ? run_om(&op, &o) :
			    run_all(&op, &o);
			if (obuf_close(&o) && o.err != -EPIPE) {
				complain("write error on standard output");
				r = r ? r : EXIT_FAILURE_OTHER;
			}
		}
	}
	free(op.targets);
	free(op.addrs);
	return r;
}
