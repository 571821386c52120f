/* ipcx ls: list objects, one section per kind. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/filter.h"
#include "../lib/kind.h"
#include "../lib/out.h"
#include "../lib/scan.h"
#include "../lib/util.h"
#include "commands.h"

const struct option ls_longopts[] = {
	OUT_LONGOPTS,
	FILTER_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: ipcx ls [OPTIONS] [KIND...]\n\n"
		   "List IPC objects, one section per kind (all kinds by default).\n"
		   "Kinds: %s\n", kind_names());
	out_usage(f);
	filter_usage(f);
	fputs("\n  -h, --help             show this help\n", f);
}

/* With several kinds, one -o may name columns only some of them have. */
static void check_columns(const struct out_opts *o, const bool sel[])
{
	const char *names[] = { o->columns, o->sort };
	for (size_t n = 0; n < 2; n++) {
		const char *p = names[n];
		if (!p)
			continue;
		if (*p == '+')
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

int cmd_ls(int argc, char **argv)
{
	struct out_opts o;
	struct filter f;
	int c;
	out_init(&o);
	filter_init(&f);
	while ((c = getopt_long(argc, argv, OUT_SHORTOPTS FILTER_SHORTOPTS "h", ls_longopts, NULL)) != -1) {
		if (out_opt(&o, c, optarg) || filter_opt(&f, c, optarg))
			continue;
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		fputs("Try 'ipcx ls --help'.\n", stderr);
		return EXIT_USAGE;
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
	struct out_doc *doc = out_begin(&o);
	for (size_t i = 0; i < nkinds; i++) {
		if (!sel[i])
			continue;
		const struct kind *k = kinds[i];
		if (scan_kind(k, &lists[i]) < 0)
			rc = EXIT_RUNTIME;
		filter_list(&f, &lists[i]);
		if (o.sort && kind_column(k, o.sort))
			out_sort(&o, &lists[i], k->cols, k->ncols);
		out_select(&o, k->cols, k->ncols, k->defcols, k->name, nsel > 1, &cs[i]);
		if (!cs[i].n)
			continue;
		struct out_tab *t = out_table(doc, k->name, k->title, &cs[i]);
		for (size_t j = 0; j < lists[i].n; j++)
			out_row_obj(t, lists[i].v[j]);
	}
	out_end(doc);
	for (size_t i = 0; i < nkinds; i++) {
		if (sel[i])
			scan_report_unreadable(kinds[i], &lists[i]);
		objlist_free(&lists[i]);
		colsel_free(&cs[i]);
	}
	free(lists);
	free(cs);
	free(sel);
	return rc;
}
