/* ipcx ls: list objects, one section per kind. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/filter.h"
#include "../lib/kind.h"
#include "../lib/kinds/common.h"
#include "../lib/ns.h"
#include "../lib/pscan.h"
#include "../lib/out.h"
#include "../lib/scan.h"
#include "../lib/util.h"
#include "commands.h"

enum { OPT_ALL_NS = 0x400 };

const struct option ls_longopts[] = {
	OUT_LONGOPTS,
	{ "all-ns", no_argument, NULL, OPT_ALL_NS },
	FILTER_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: ipcx ls [OPTIONS] [KIND...]\n\n"
		   "List IPC objects, one section per kind: the System V and POSIX kinds by\n"
		   "default; kinds found through descriptors when named.\n"
		   "Kinds: %s\n", kind_names());
	out_usage(f);
	filter_usage(f);
	fputs("\n      --all-ns           objects of every IPC namespace of the host, with an NS column\n"
	      "  -h, --help             show this help\n", f);
}

/* With several kinds, one -o may name columns only some of them have. */
static void check_columns(const struct out_opts *o, const bool sel[])
{
	const char *names[] = { o->columns, o->sort };
	for (size_t n = 0; n < 2; n++) {
		const char *p = names[n];
		if (!p)
			continue;
		if (n == 0 && *p == '+')
			p++;
		while (*p) {
			size_t len = strcspn(p, n == 0 ? "," : "");
			char *col = strndup(p, len);
			bool known = false;
			for (size_t i = 0; i < nkinds && !known; i++)
				known = sel[i] && kind_column(kinds[i], col);
			if (len && !known) {
				char *e = esc_bytes(col, len);
				die_usage("unknown column '%s' (see --list-columns)", e);
			}
			free(col);
			p += len;
			if (*p == ',')
				p++;
		}
	}
}

/*
 * Where a kind's objects go as its scan finds them, when rows are printed
 * as they come: kept or dropped by the filters, then freed at once.
 */
struct row_sink {
	const struct filter *f;
	struct out_tab *t;
	struct unreadable u;
};

static void take_row(struct ipc_obj *o, void *arg)
{
	struct row_sink *rs = arg;
	if (filter_match(rs->f, o)) {
		out_row_obj(rs->t, o);
		unreadable_count(&rs->u, o);
	}
	obj_free(o);
}

/*
 * Whether kind k's rows may be printed while its scan runs: not when they
 * are sorted first, nor across namespaces (a thread that prints keeps
 * setns from entering a mount namespace).
 */
static bool rows_as_found(const struct kind *k, const struct out_opts *o, bool all_ns)
{
	return k->streams && !all_ns && !(o->sort && kind_column(k, o->sort));
}

int cmd_ls(int argc, char **argv)
{
	struct out_opts o;
	struct filter f;
	bool all_ns = false;
	int c;
	out_init(&o);
	filter_init(&f);
	while ((c = getopt_long(argc, argv, ":" OUT_SHORTOPTS FILTER_SHORTOPTS "h", ls_longopts, NULL)) != -1) {
		if (out_opt(&o, c, optarg) || filter_opt(&f, c, optarg))
			continue;
		if (c == OPT_ALL_NS) {
			all_ns = true;
			continue;
		}
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		bad_option(argv, c);
	}
	bool *sel = xcalloc(nkinds, sizeof(*sel));
	kinds_select(argv + optind, argc - optind, sel);
	size_t nsel = 0;
	for (size_t i = 0; i < nkinds; i++)
		nsel += sel[i];

	if (o.list_columns) {
		for (size_t i = 0; i < nkinds; i++)
			if (sel[i]) {
				out_list_columns(kinds[i]->name, kinds[i]->cols, kinds[i]->ncols,
						 kinds[i]->defcols);
			}
		free(sel);
		return 0;
	}
	check_columns(&o, sel);

	int rc = 0;
	struct objlist *lists = xcalloc(nkinds, sizeof(*lists));
	struct colsel *cs = xcalloc(nkinds, sizeof(*cs));
	struct out_tab **tabs = xcalloc(nkinds, sizeof(*tabs));
	struct row_sink *sinks = xcalloc(nkinds, sizeof(*sinks));
	struct out_doc *doc = out_begin(&o);
	for (size_t i = 0; i < nkinds; i++) {
		if (!sel[i])
			continue;
		const struct kind *k = kinds[i];
		out_select(&o, k->cols, k->ncols, k->defcols, k->name, nsel > 1, &cs[i]);
		if (all_ns && cs[i].n) {
			/* the namespace first: rows of one object differ by it */
			cs[i].v = xrealloc(cs[i].v, (cs[i].n + 1) * sizeof(*cs[i].v));
			memmove(cs[i].v + 1, cs[i].v, cs[i].n * sizeof(*cs[i].v));
			cs[i].v[0] = &ns_column;
			cs[i].n++;
		}
		if (cs[i].n)
			tabs[i] = out_table(doc, k->name, k->title, &cs[i]);
		if (tabs[i] && rows_as_found(k, &o, all_ns)) {
			out_print_early(tabs[i]);
			sinks[i] = (struct row_sink){ .f = &f, .t = tabs[i] };
		}
	}

	struct ipcns *nss = NULL;
	size_t nns = 1;
	if (all_ns && ipcns_list(&nss, &nns) < 0)
		die(EXIT_RUNTIME, "cannot list IPC namespaces: %s", strerror(errno));
	for (size_t n = 0; n < nns; n++) {
		const char *why;
		/* our own namespace needs no entering, and no privilege */
		bool enter = all_ns && nss[n].ino != ns_current();
		if (enter && ns_enter(nss[n].pid, &why) < 0) {
			err_msg("IPC namespace %lu (pid %d): skipped: %s", (unsigned long)nss[n].ino,
				(int)nss[n].pid, why);
			rc = EXIT_RUNTIME;
			continue;
		}
		for (size_t i = 0; i < nkinds; i++) {
			if (!sel[i])
				continue;
			const struct kind *k = kinds[i];
			if (sinks[i].t) {
				lists[i].take = take_row;
				lists[i].take_arg = &sinks[i];
			}
			if (scan_kind(k, &lists[i]) < 0)
				rc = EXIT_RUNTIME;
			filter_list(&f, &lists[i]);
			if (o.sort && kind_column(k, o.sort))
				out_sort(&o, &lists[i], k->cols, k->ncols);
			/* rows are formatted now, while the object's namespace is ours */
			if (tabs[i])
				out_expect_rows(tabs[i], lists[i].n);
			for (size_t j = 0; tabs[i] && j < lists[i].n; j++)
				out_row_obj(tabs[i], lists[i].v[j]);
			scan_report_unreadable(k, &lists[i]);
			unreadable_report(k, &sinks[i].u);
			objlist_free(&lists[i]);
		}
		if (enter)
			ns_return();
	}
	out_end(doc);
	pscan_report_denied();
	for (size_t i = 0; i < nkinds; i++)
		colsel_free(&cs[i]);
	free(nss);
	free(tabs);
	free(sinks);
	free(lists);
	free(cs);
	free(sel);
	return rc;
}
