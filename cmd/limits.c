/* ipcx limits: kernel limits of IPC, with current use where it is countable. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "../lib/kind.h"
#include "../lib/kinds/common.h"
#include "../lib/ipclimits.h"
#include "../lib/mounts.h"
#include "../lib/out.h"
#include "../lib/scan.h"
#include "../lib/util.h"
#include "commands.h"

const struct option limits_longopts[] = {
	OUT_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

enum { C_RESOURCE, C_DESCRIPTION, C_LIMIT, C_USED, C_USEPCT, C_UNIT, C_SOURCE, NCOLS };

static const struct column limit_cols[] = {
	{ "RESOURCE", CT_STR, 0, 0.1, "limit name, as sysctl calls it", NULL },
	{ "DESCRIPTION", CT_STR, COL_TRUNC, 0.3, "what the limit bounds", NULL },
	{ "LIMIT", CT_NUM, COL_RIGHT, 0.1, "the limit's value", NULL },
	{ "USED", CT_NUM, COL_RIGHT, 0.1, "current use, or the largest in use for per-object limits", NULL },
	{ "USE%", CT_FLOAT, COL_RIGHT, 0.1, "use as a percentage of the limit", NULL },
	{ "UNIT", CT_STR, 0, 0.1, "unit of LIMIT and USED", NULL },
	{ "SOURCE", CT_STR, 0, 0.2, "where the limit is read", NULL },
};

static const char defcols[] = "RESOURCE,DESCRIPTION,LIMIT,USED,USE%,UNIT";

struct kind_cache {
	const struct kind *k;
	struct objlist l;
	bool scanned;
	int err;
};

static struct kind_cache *cached(struct kind_cache *cache, const char *name)
{
	for (size_t i = 0; i < nkinds; i++)
		if (!strcmp(kinds[i]->name, name)) {
			struct kind_cache *c = &cache[i];
			if (!c->scanned) {
				c->k = kinds[i];
				c->err = scan_kind(kinds[i], &c->l);
				c->scanned = true;
			}
			return c;
		}
	return NULL;
}

static int compute_use(const struct limit *lim, struct kind_cache *kc, unsigned long long *used)
{
	if (kc->err < 0)
		return kc->err;
	return limit_use(lim, kc->k, &kc->l, used);
}

static void row_cells(struct cell *cells, const char *name, const char *desc, const char *unit,
		      const char *source)
{
	memset(cells, 0, NCOLS * sizeof(*cells));
	cell_str(&cells[C_RESOURCE], name);
	cell_str(&cells[C_DESCRIPTION], desc);
	cell_str(&cells[C_UNIT], unit);
	cell_str(&cells[C_SOURCE], source);
	cells[C_USED].state = CELL_ABSENT;
	cells[C_USEPCT].state = CELL_ABSENT;
}

static void set_use(struct cell *cells, unsigned long long used)
{
	cell_num(&cells[C_USED], used);
	if (cells[C_LIMIT].state == CELL_OK && cells[C_LIMIT].num) {
		cells[C_USEPCT].state = CELL_OK;
		cells[C_USEPCT].fnum = 100.0 * (double)used / (double)cells[C_LIMIT].num;
	}
}

struct rows {
	struct cell (*v)[NCOLS];
	size_t n;
};

static void add_row(struct rows *r, const struct cell *cells)
{
	/* every text of a limit row is static, so rows may be copied and moved */
	r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
	memcpy(r->v[r->n], cells, sizeof(r->v[0]));
	r->n++;
}

static int sort_col;

static int cmp_rows(const void *a, const void *b)
{
	const struct cell *x = a, *y = b;
	return cell_cmp(limit_cols[sort_col].type, &x[sort_col], &y[sort_col]);
}

static void emit(struct out_tab *t, const struct colsel *sel, struct rows *rows)
{
	struct cell *row = xcalloc(sel->n, sizeof(*row));
	for (size_t r = 0; r < rows->n; r++) {
		for (size_t i = 0; i < sel->n; i++)
			row[i] = rows->v[r][sel->v[i] - limit_cols];
		out_row(t, row);
	}
	free(row);
}

int cmd_limits(int argc, char **argv)
{
	struct out_opts o;
	int c;
	out_init(&o);
	while ((c = getopt_long(argc, argv, ":" OUT_SHORTOPTS "h", limits_longopts, NULL)) != -1) {
		if (out_opt(&o, c, optarg))
			continue;
		if (c == 'h') {
			printf("Usage: ipcx limits [OPTIONS]\n\n"
			       "Kernel limits of System V and POSIX IPC, current use and use%%.\n"
			       "USED is the current total, or for a per-object limit the largest in use.\n");
			out_usage(stdout);
			fputs("\n  -h, --help             show this help\n", stdout);
			return 0;
		}
		bad_option(argv, c);
	}
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);
	if (o.list_columns) {
		out_list_columns("limits", limit_cols, NCOLS, defcols);
		return 0;
	}
	if (o.sort && !out_has_column(limit_cols, NCOLS, o.sort))
		die_usage("unknown sort column '%s' (see --list-columns)", o.sort);

	struct colsel sel;
	out_select(&o, limit_cols, NCOLS, defcols, "limits", false, &sel);
	struct kind_cache *cache = xcalloc(nkinds, sizeof(*cache));
	struct out_doc *doc = out_begin(&o);
	struct out_tab *t = out_table(doc, "limits", NULL, &sel);
	struct cell cells[NCOLS];
	struct rows rows = { NULL, 0 };
	int rc = 0;

	for (size_t i = 0; i < n_ipc_limits; i++) {
		const struct limit *lim = &ipc_limits[i];
		row_cells(cells, lim->name, lim->desc, lim->unit, lim->path ? lim->path : "kernel constant");
		unsigned long long v = 0;
		int r = limit_value(lim, &v);
		if (r < 0)
			cell_unknown(&cells[C_LIMIT], -r);
		else
			cell_num(&cells[C_LIMIT], v);
		if (lim->use != U_NONE) {
			struct kind_cache *kc = cached(cache, lim->kind);
			unsigned long long used;
			if (!kc || kc->err < 0)
				rc = EXIT_RUNTIME;
			if (kc && (strcmp(lim->kind, "pmsg") || mqueue_dir())) {
				int u = compute_use(lim, kc, &used);
				if (u == 0) {
					set_use(cells, used);
				} else if (u != -ENOENT) {
					cell_unknown(&cells[C_USED], -u);
					cell_unknown(&cells[C_USEPCT], -u);
				}
			}
		}
		add_row(&rows, cells);
	}

	/* /dev/shm is a tmpfs: its size bounds POSIX shared memory and semaphores */
	struct statvfs vfs;
	row_cells(cells, "shm_fs", "/dev/shm file system (POSIX shm and semaphores)", "bytes",
		  "statvfs(/dev/shm)");
	if (statvfs("/dev/shm", &vfs) == 0) {
		cell_num(&cells[C_LIMIT], (unsigned long long)vfs.f_blocks * vfs.f_frsize);
		set_use(cells, (unsigned long long)(vfs.f_blocks - vfs.f_bfree) * vfs.f_frsize);
	} else {
		cell_unknown(&cells[C_LIMIT], errno);
	}
	add_row(&rows, cells);

	if (o.sort) {
		sort_col = (int)(out_find_column(limit_cols, NCOLS, o.sort) - limit_cols);
		qsort(rows.v, rows.n, sizeof(rows.v[0]), cmp_rows);
	}
	emit(t, &sel, &rows);
	free(rows.v);

	out_end(doc);
	for (size_t i = 0; i < nkinds; i++) {
		if (cache[i].scanned)
			scan_report_unreadable(cache[i].k, &cache[i].l);
		objlist_free(&cache[i].l);
	}
	free(cache);
	colsel_free(&sel);
	return rc;
}
