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
#include <unistd.h>

#include <curses.h>

#include "account.h"
#include "colors.h"
#include "err.h"
#include "escape.h"
#include "obuf.h"
#include "procs.h"
#include "render_json.h"
#include "render_table.h"
#include "target.h"

struct options {
	struct target_opts target;
	const char *spec;
	bool json, bytes;
	enum color_mode color;
	uint32_t classes;
	bool filtered;
	enum acct_sort sort;
};

enum { OPT_PROC_ROOT = 256, OPT_COLOR };

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
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const char usage_text[] =
"Usage: vmamap [OPTION]... TARGET\n"
"Show the address space of a Linux process: every memory region (VMA),\n"
"classified, with its size, permissions, file and (with -x) memory use.\n"
"\n"
"TARGET is a PID, 'self', a process name, a saved copy of\n"
"/proc/PID/maps or /proc/PID/smaps, or '-' for standard input.\n"
"\n"
"Targets:\n"
"  -p, --pid PID          the target is this process ID\n"
"  -f, --file FILE        the target is this saved maps/smaps file ('-': stdin)\n"
"      --proc-root DIR    read processes from DIR instead of /proc\n"
"\n"
"Output:\n"
"  -x, --smaps            read smaps: add RSS, PSS, DIRTY and SWAP columns\n"
"  -j, --json             print one JSON document instead of the table\n"
"  -b, --bytes            print sizes in bytes, not in K/M/G units\n"
"  -c, --class LIST       show only these classes (comma-separated): text,\n"
"                         rodata, data, bss, heap, stack, anon, shared, file,\n"
"                         guard, kernel\n"
"  -S, --sort KEY         order by start (default), size or rss\n"
"      --color[=WHEN]     colour by class: auto (default), always, never\n"
"\n"
"  -h, --help             show this help and exit\n"
"  -V, --version          show the version and exit\n"
"\n"
"Exit status: 0 ok, 2 usage error, 3 target not found or gone,\n"
"4 permission denied, 5 malformed input, 6 other failure.\n"
"Environment: NO_COLOR disables colour in auto mode.\n"
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

static int set_target(struct options *op, enum target_kind kind,
		      const char *arg)
{
	if (op->spec)
		return -EINVAL;
	op->spec = arg;
	op->target.kind = kind;
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

/* Handle one option; returns 0 or a negative errno (usage error). */
static int take_opt(struct options *op, int c, struct err *e)
{
	switch (c) {
	case 'p':
		return set_target(op, TK_PID, optarg) ?
		       err_set(e, -EINVAL, "more than one target given") : 0;
	case 'f':
		return set_target(op, TK_FILE, optarg) ?
		       err_set(e, -EINVAL, "more than one target given") : 0;
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
		return acct_parse_sort(optarg, &op->sort, e);
	case OPT_COLOR:
		return colors_parse(optarg, &op->color, e);
	default:
		return bad_option(c, e);
	}
}

/* Returns -1 to go on, or the exit status. */
static int parse_args(int argc, char **argv, struct options *op)
{
	struct err e = { 0 };
	int c;

	saved_argv = argv;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":p:f:xjbc:S:hV", long_opts,
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
	if (optind < argc && set_target(op, TK_GUESS, argv[optind++]))
		return usage_error("more than one target given");
	if (optind < argc)
		return usage_error("more than one target given");
	if (!op->spec)
		return usage_error("no target given (a PID, a process name or "
				   "a file)");
	return -1;
}

static int render(const struct vmaset *s, const struct options *op)
{
	struct table_opts topt = {
		.smaps = op->target.smaps, .bytes = op->bytes,
		.color = colors_enabled(op->color, STDOUT_FILENO),
		.filtered = op->filtered,
	};
	uint32_t *idx;
	long n = acct_select(s, op->classes, op->sort, &idx);
	struct obuf o;
	int r;

	if (n < 0 || obuf_init(&o, STDOUT_FILENO)) {
		complain("out of memory");
		return EXIT_FAILURE_OTHER;
	}
	if (op->json)
		json_render(s, idx, (size_t)n, &o);
	else
		table_render(s, idx, (size_t)n, &topt, &o);
	free(idx);
	r = obuf_close(&o);
	if (r && r != -EPIPE) {
		complain("write error on standard output");
		return EXIT_FAILURE_OTHER;
	}
	return EXIT_OK;
}

static int check_smaps_need(struct vmaset *s, const struct options *op)
{
	char msg[600];

	if (op->target.smaps && !s->src.smaps) {
		snprintf(msg, sizeof(msg), "%s: has no smaps fields: -x and "
			 "--sort rss need a saved /proc/PID/smaps", op->spec);
		complain(msg);
		return EXIT_USAGE;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct options op = {
		.target = { .proc_root = "/proc" },
		.classes = ACCT_ALL_CLASSES,
	};
	struct vmaset s;
	struct err e = { 0 };
	int r;

	setlocale(LC_CTYPE, "");
	r = parse_args(argc, argv, &op);
	if (r >= 0)
		return r;
	if (op.sort == AS_RSS)
		op.target.smaps = true;
	vset_init(&s);
	r = target_load(op.spec, &op.target, &s, &e);
	if (r) {
		complain(e.msg);
		vset_free(&s);
		return err_exit_code(r);
	}
	if (s.torn)
		complain(s.src.kind == VS_PID ?
			 "warning: the process changed while it was read; "
			 "the map may be inconsistent (marked torn)" :
			 "warning: regions overlap or are out of order (a "
			 "torn read was saved); shown sorted, marked torn");
	r = check_smaps_need(&s, &op);
	if (r < 0) {
		op.target.smaps = s.src.smaps && (op.target.smaps ||
						   s.src.kind == VS_FILE);
		r = render(&s, &op);
	}
	vset_free(&s);
	return r;
}
