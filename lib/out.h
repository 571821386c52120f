/*
 * The one output layer: column selection, cell formatting, and tables,
 * raw, export and JSON output through libsmartcols. Every listing command
 * takes the same options from here.
 */
#ifndef IPCX_OUT_H
#define IPCX_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "kind.h"

enum out_mode { OUT_TABLE, OUT_RAW, OUT_EXPORT, OUT_JSON };
enum time_fmt { TF_SHORT, TF_RELATIVE, TF_ISO };

struct out_opts {
	enum out_mode mode;
	bool noheadings;
	bool bytes;
	enum time_fmt tf;
	bool tf_set;
	const char *columns;	/* -o; NULL for the defaults */
	bool output_all;
	const char *sort;
	bool list_columns;
	time_t now;
};

enum {
	OPT_OUTPUT_ALL = 0x100,
	OPT_TIME_FORMAT,
	OPT_LIST_COLUMNS,
	OPT_OUT_LAST,		/* commands number their own long options from here */
};

#define OUT_SHORTOPTS "o:Jrenbs:"
#define OUT_LONGOPTS \
	{ "output", required_argument, NULL, 'o' }, \
	{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL }, \
	{ "json", no_argument, NULL, 'J' }, \
	{ "raw", no_argument, NULL, 'r' }, \
	{ "export", no_argument, NULL, 'e' }, \
	{ "noheadings", no_argument, NULL, 'n' }, \
	{ "bytes", no_argument, NULL, 'b' }, \
	{ "time-format", required_argument, NULL, OPT_TIME_FORMAT }, \
	{ "sort", required_argument, NULL, 's' }, \
	{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS }

void out_init(struct out_opts *o);
/* Takes one option of OUT_LONGOPTS; false when c is not one of them. */
bool out_opt(struct out_opts *o, int c, const char *arg);
/* The help text of the shared options. */
void out_usage(FILE *f);

/* The columns chosen for one table. */
struct colsel {
	const struct column **v;
	size_t n;
};

/*
 * Resolves -o (with +COL appending to defcols) or --output-all against
 * a column set. Exits with a usage error naming an unknown column, unless
 * lenient, where it skips it (several kinds share one -o).
 */
void out_select(const struct out_opts *o, const struct column *cols, size_t ncols,
		const char *defcols, const char *what, bool lenient, struct colsel *sel);
void colsel_free(struct colsel *sel);

/* Prints --list-columns for a set of columns. */
void out_list_columns(const char *title, const struct column *cols, size_t ncols,
		      const char *defcols);

/* Formats a cell for tables; returns a malloc'd string, or NULL for JSON null. */
char *out_format(const struct out_opts *o, const struct column *col, const struct cell *c);

/* Length of the valid UTF-8 sequence at s, or 0 when it is not valid. */
size_t utf8_seq_len(const unsigned char *s, size_t avail);

/* Escapes control characters and invalid UTF-8 as \xNN; malloc'd. */
char *esc_bytes(const char *s, size_t len);

/* A document of one or more tables, printed at out_end. */
struct out_doc;
struct out_tab;

struct out_doc *out_begin(const struct out_opts *o);
/* The same, with tables, raw and export output to stream (JSON stays on stdout). */
struct out_doc *out_begin_stream(const struct out_opts *o, FILE *stream);
struct out_tab *out_table(struct out_doc *d, const char *name, const char *title,
			  const struct colsel *sel);
/* Says how many rows are coming, so that their memory is made ready at once. */
void out_expect_rows(struct out_tab *t, size_t rows);
/*
 * Lets t's rows be printed by a thread of its own as they come, rather
 * than all at out_end. Only for a caller that enters no namespace before
 * out_end (setns refuses a process with threads).
 */
void out_print_early(struct out_tab *t);
void out_row(struct out_tab *t, const struct cell *cells);
void out_row_obj(struct out_tab *t, const struct ipc_obj *obj);
void out_end(struct out_doc *d);

/* Sorts objects by a column; exits with a usage error if it is not selectable. */
void out_sort(const struct out_opts *o, struct objlist *l, const struct column *cols,
	      size_t ncols);

const struct column *out_find_column(const struct column *cols, size_t ncols, const char *name);
/* Orders two cells of a column: numbers by value, text by bytes, missing last. */
int cell_cmp(enum col_type type, const struct cell *x, const struct cell *y);
bool out_has_column(const struct column *cols, size_t ncols, const char *name);

/* Fills a cell by asking the column. */
void cell_get(const struct column *col, const struct ipc_obj *obj, struct cell *c);

#endif
