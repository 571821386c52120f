/* ipcx show: every field of one object, its elements. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/kind.h"
#include "../lib/out.h"
#include "../lib/scan.h"
#include "../lib/util.h"
#include "commands.h"

const struct option show_longopts[] = {
	{ "json", no_argument, NULL, 'J' },
	{ "bytes", no_argument, NULL, 'b' },
	{ "time-format", required_argument, NULL, OPT_TIME_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: ipcx show [OPTIONS] KIND ID|KEY|NAME\n\n"
		   "Print every field of one object: System V objects by id, by key as 0xHEX,\n"
		   "or as id:N / key:N; POSIX objects by name (the leading slash is optional).\n"
		   "Kinds: %s\n\n"
		   "  -J, --json             JSON output, typed values\n"
		   "  -b, --bytes            sizes in bytes\n"
		   "      --time-format FMT  short, relative or iso (default iso)\n"
		   "  -h, --help             show this help\n", kind_names());
}

static void print_fields(const struct out_opts *o, const struct ipc_obj *obj)
{
	const struct kind *k = obj->kind;
	int w = 0;
	for (size_t i = 0; i < k->ncols; i++)
		if ((int)strlen(k->cols[i].name) > w)
			w = (int)strlen(k->cols[i].name);
	for (size_t i = 0; i < k->ncols; i++) {
		struct cell c;
		cell_get(&k->cols[i], obj, &c);
		char *v = out_format(o, &k->cols[i], &c);
		/* a text the kind escaped itself is not escaped twice */
		char *e = k->cols[i].flags & COL_ESCAPED ? xstrdup(v) : esc_bytes(v, strlen(v));
		if (c.state == CELL_UNKNOWN)
			printf("%s:%*s %s (%s)\n", k->cols[i].name, w - (int)strlen(k->cols[i].name), "",
			       e, c.why ? c.why : "unknown");
		else
			printf("%s:%*s %s\n", k->cols[i].name, w - (int)strlen(k->cols[i].name), "", e);
		free(e);
		free(v);
	}
}

int cmd_show(int argc, char **argv)
{
	struct out_opts o;
	int c;
	out_init(&o);
	o.tf = TF_ISO;
	while ((c = getopt_long(argc, argv, ":" "Jbh", show_longopts, NULL)) != -1) {
		if (c != 'h' && out_opt(&o, c, optarg))
			continue;
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		bad_option(argv, c);
	}
	if (argc - optind != 2)
		die_usage("expected KIND and ID|KEY|NAME (see ipcx show --help)");
	const char *kname = argv[optind], *arg = argv[optind + 1];
	const struct kind *k = kind_arg(kname);
	struct objlist l = { 0 };
	struct ipc_obj *obj = scan_find(k, arg, &l);
	if (!obj) {
		objlist_free(&l);
		return EXIT_RUNTIME;
	}

	int rc = 0;
	struct out_doc *doc = out_begin(&o);
	struct colsel all = { 0 };
	if (o.mode == OUT_JSON) {
		o.output_all = true;
		out_select(&o, k->cols, k->ncols, k->defcols, k->name, false, &all);
		struct out_tab *t = out_table(doc, k->name, k->title, &all);
		out_row_obj(t, obj);
	} else {
		print_fields(&o, obj);
	}
	if (k->show_extra) {
		if (o.mode != OUT_JSON)
			putchar('\n');
		int r = k->show_extra(obj, doc);
		if (r < 0) {
			out_end(doc);
			err_msg("%s %lld: cannot read its elements: %s", k->name, obj->id, strerror(-r));
			doc = NULL;
			rc = EXIT_RUNTIME;
		}
	}
	if (doc)
		out_end(doc);
	colsel_free(&all);
	objlist_free(&l);
	return rc;
}
