/* ipcx rm: remove objects by id, key or name, or by filter, safely. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/filter.h"
#include "../lib/kind.h"
#include "../lib/ops.h"
#include "../lib/out.h"
#include "../lib/pscan.h"
#include "../lib/scan.h"
#include "../lib/util.h"
#include "../lib/kinds/posix.h"
#include "commands.h"

enum {
	OPT_ALL = OPT_OUT_LAST + 1,
	OPT_DRY_RUN,
	OPT_FORCE,
};

const struct option rm_longopts[] = {
	{ "all", no_argument, NULL, OPT_ALL },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "verbose", no_argument, NULL, 'v' },
	FILTER_LONGOPTS,
	OUT_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: ipcx rm [OPTIONS] KIND ID|KEY|NAME...\n"
		   "       ipcx rm [OPTIONS] [KIND...] --all | FILTER...\n\n"
		   "Remove IPC objects. An attached shared memory segment, a queue that holds\n"
		   "messages and a semaphore that processes wait on are kept unless --force,\n"
		   "and each one kept is named with the reason. Kinds: %s\n\n"
		   "      --all              every object of the kinds given (all kinds by default)\n"
		   "      --dry-run          list what would be removed, as ls does, and remove nothing\n"
		   "      --force            remove objects in use too\n"
		   "  -v, --verbose          report each removal\n"
		   "  -h, --help             show this help\n", kind_names());
	filter_usage(f);
	out_usage(f);
}

struct rm_ctx {
	unsigned flags;
	bool verbose;
	int rc;
	size_t removed, kept;
};

/* Removes (or with --dry-run checks) one object; returns true if it goes. */
static bool rm_one(struct rm_ctx *cx, const struct ipc_obj *o)
{
	char why[256] = "";
	char *label = obj_label(o);
	int r = o->kind->remove(o, cx->flags, why, sizeof(why));
	bool gone = false;
	if (r == 0) {
		gone = true;
		cx->removed++;
		if (cx->verbose && !(cx->flags & RM_DRY_RUN))
			printf("removed %s\n", label);
	} else if (r == RM_KEPT) {
		cx->kept++;
		err_msg("kept %s: %s (--force removes it anyway)", label, why);
		cx->rc = EXIT_RUNTIME;
	} else {
		err_msg("cannot remove %s: %s", label, why[0] ? why : strerror(-r));
		cx->rc = EXIT_RUNTIME;
	}
	free(label);
	return gone;
}

/* rm KIND ID...: every argument is checked and found before anything goes. */
static int rm_named(struct rm_ctx *cx, const struct out_opts *o, char **args, int nargs)
{
	const struct kind *k = kind_arg(args[0]);
	const char *why;
	if (nargs < 2)
		die_usage("expected %s after %s", k->named ? "NAME..." : "ID|KEY...", k->name);
	for (int i = 1; i < nargs; i++) {
		bool ok = kind_arg_valid(k, args[i], &why);
		/* a POSIX name must be a single component: nothing outside the
		 * kind's directory can be reached through it */
		if (ok && k->named && !posix_name_check(args[i], 255, &why))
			ok = false;
		if (!ok) {
			char *e = esc_bytes(args[i], strlen(args[i]));
			die_usage("invalid %s '%s': %s", k->name, e, why);
		}
	}
	struct objlist l = { 0 };
	if (scan_kind(k, &l) < 0)
		return EXIT_RUNTIME;
	struct ipc_obj **targets = xcalloc((size_t)nargs, sizeof(*targets));
	size_t nt = 0;
	bool missing = false;
	for (int i = 1; i < nargs; i++) {
		bool malformed;
		struct ipc_obj *obj = kind_lookup(&l, k, args[i], &why, &malformed);
		if (!obj) {
			char *e = esc_bytes(args[i], strlen(args[i]));
			err_msg("%s '%s': %s", k->name, e, why);
			free(e);
			missing = true;
			continue;
		}
		bool dup = false;
		for (size_t j = 0; j < nt; j++)
			dup |= targets[j] == obj;
		if (!dup)
			targets[nt++] = obj;
	}
	if (missing) {
		err_msg("nothing removed");
		free(targets);
		objlist_free(&l);
		return EXIT_RUNTIME;
	}
	struct colsel sel = { 0 };
	struct out_doc *doc = NULL;
	struct out_tab *t = NULL;
	if (cx->flags & RM_DRY_RUN) {
		out_select(o, k->cols, k->ncols, k->defcols, k->name, false, &sel);
		doc = out_begin(o);
		t = out_table(doc, k->name, k->title, &sel);
	}
	for (size_t i = 0; i < nt; i++)
		if (rm_one(cx, targets[i]) && t)
			out_row_obj(t, targets[i]);
	if (doc)
		out_end(doc);
	colsel_free(&sel);
	free(targets);
	objlist_free(&l);
	return cx->rc;
}

/* rm [KIND...] --all | FILTER: what matches goes, kind by kind. */
static int rm_filtered(struct rm_ctx *cx, const struct out_opts *o, const struct filter *f,
		       char **args, int nargs)
{
	bool *sel = xcalloc(nkinds, sizeof(*sel));
	kinds_select(args, nargs, sel);
	size_t nsel = 0;
	for (size_t i = 0; i < nkinds; i++)
		nsel += sel[i];
	struct out_doc *doc = (cx->flags & RM_DRY_RUN) ? out_begin(o) : NULL;
	struct colsel *cs = xcalloc(nkinds, sizeof(*cs));
	struct objlist *lists = xcalloc(nkinds, sizeof(*lists));
	for (size_t i = 0; i < nkinds; i++) {
		if (!sel[i])
			continue;
		const struct kind *k = kinds[i];
		if (!k->remove)
			continue;
		if (scan_kind(k, &lists[i]) < 0) {
			cx->rc = EXIT_RUNTIME;
			continue;
		}
		filter_list(f, &lists[i]);
		if (o->sort && kind_column(k, o->sort))
			out_sort(o, &lists[i], k->cols, k->ncols);
		struct out_tab *t = NULL;
		if (doc) {
			out_select(o, k->cols, k->ncols, k->defcols, k->name, nsel > 1, &cs[i]);
			if (cs[i].n)
				t = out_table(doc, k->name, k->title, &cs[i]);
		}
		for (size_t j = 0; j < lists[i].n; j++)
			if (rm_one(cx, lists[i].v[j]) && t)
				out_row_obj(t, lists[i].v[j]);
	}
	if (doc)
		out_end(doc);
	for (size_t i = 0; i < nkinds; i++) {
		colsel_free(&cs[i]);
		objlist_free(&lists[i]);
	}
	free(cs);
	free(lists);
	free(sel);
	return cx->rc;
}

int cmd_rm(int argc, char **argv)
{
	struct rm_ctx cx = { 0 };
	struct out_opts o;
	struct filter f;
	bool all = false;
	int c;
	out_init(&o);
	filter_init(&f);
	while ((c = getopt_long(argc, argv, ":" "vh" OUT_SHORTOPTS FILTER_SHORTOPTS, rm_longopts, NULL)) != -1) {
		if (filter_opt(&f, c, optarg) || out_opt(&o, c, optarg))
			continue;
		switch (c) {
		case OPT_ALL:
			all = true;
			break;
		case OPT_DRY_RUN:
			cx.flags |= RM_DRY_RUN;
			break;
		case OPT_FORCE:
			cx.flags |= RM_FORCE;
			break;
		case 'v':
			cx.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			bad_option(argv, c);
		}
	}
	char **args = argv + optind;
	int nargs = argc - optind;
	int rc;
	if (o.list_columns) {
		bool *sel = xcalloc(nkinds, sizeof(*sel));
		kinds_select(args, nargs > 0 && kind_by_name(args[0]) ? nargs : 0, sel);
		for (size_t i = 0; i < nkinds; i++)
			if (sel[i])
				out_list_columns(kinds[i]->name, kinds[i]->cols, kinds[i]->ncols,
						 kinds[i]->defcols);
		free(sel);
		return 0;
	}
	/* what is removed is reported line by line; a table is for --dry-run */
	if (!(cx.flags & RM_DRY_RUN) && (o.mode != OUT_TABLE || o.columns || o.output_all ||
					 o.noheadings || o.bytes || o.sort || o.tf_set))
		die_usage("output options (-o, -J, -r, -e, -n, -b, -s, --time-format) apply to --dry-run");
	if (all || filter_active(&f)) {
		rc = rm_filtered(&cx, &o, &f, args, nargs);
	} else if (nargs == 0) {
		die_usage("nothing to remove: give KIND ID|KEY|NAME..., a filter, or --all");
	} else {
		rc = rm_named(&cx, &o, args, nargs);
	}
	fflush(stdout);
	pscan_report_denied();
	if (cx.flags & RM_DRY_RUN)
		fprintf(stderr, "dry run: %zu would be removed, %zu kept\n", cx.removed, cx.kept);
	else if (cx.verbose)
		fprintf(stderr, "%zu removed, %zu kept\n", cx.removed, cx.kept);
	return rc;
}
