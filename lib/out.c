#include "out.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <libsmartcols.h>
#include <pthread.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "timefmt.h"
#include "util.h"

void out_init(struct out_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->now = time(NULL);
}

bool out_opt(struct out_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'o':
		o->columns = arg;
		return true;
	case OPT_OUTPUT_ALL:
		o->output_all = true;
		return true;
	case 'J':
		o->mode = OUT_JSON;
		return true;
	case 'r':
		o->mode = OUT_RAW;
		return true;
	case 'e':
		o->mode = OUT_EXPORT;
		return true;
	case 'n':
		o->noheadings = true;
		return true;
	case 'b':
		o->bytes = true;
		return true;
	case 's':
		o->sort = arg;
		return true;
	case OPT_LIST_COLUMNS:
		o->list_columns = true;
		return true;
	case OPT_TIME_FORMAT:
		if (!strcmp(arg, "short"))
			o->tf = TF_SHORT;
		else if (!strcmp(arg, "relative"))
			o->tf = TF_RELATIVE;
		else if (!strcmp(arg, "iso"))
			o->tf = TF_ISO;
		else
			die_usage("invalid --time-format '%s': expected short, relative or iso",
				  esc_bytes(arg, strlen(arg)));
		o->tf_set = true;
		return true;
	}
	return false;
}

void out_usage(FILE *f)
{
	fputs("\nOutput:\n"
	      "  -o, --output COLS      columns to print; +COL,... adds to the defaults\n"
	      "      --output-all       print every column\n"
	      "      --list-columns     list the columns with a description each\n"
	      "  -J, --json             JSON output, typed values\n"
	      "  -r, --raw              raw output, no alignment\n"
	      "  -e, --export           KEY=\"value\" pairs\n"
	      "  -n, --noheadings       no headings\n"
	      "  -b, --bytes            sizes in bytes, not human-readable\n"
	      "  -s, --sort COL         sort by a column\n"
	      "      --time-format FMT  short (default), relative or iso\n", f);
}

static const struct column *find_col(const struct column *cols, size_t n, const char *name,
				     size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(cols[i].name) == len && !strncasecmp(cols[i].name, name, len))
			return &cols[i];
	return NULL;
}

static void sel_add_list(struct colsel *sel, const struct column *cols, size_t ncols,
			 const char *list, const char *what, bool lenient)
{
	const char *p = list;
	while (*p) {
		size_t len = strcspn(p, ",");
		if (len) {
			const struct column *c = find_col(cols, ncols, p, len);
			if (!c && lenient) {
				p += len;
				continue;
			}
			if (!c) {
				char *bad = esc_bytes(p, len);
				die_usage("unknown column '%s' for %s (see --list-columns)", bad, what);
			}
			sel->v = xrealloc(sel->v, (sel->n + 1) * sizeof(*sel->v));
			sel->v[sel->n++] = c;
		}
		p += len;
		if (*p == ',')
			p++;
	}
}

void out_select(const struct out_opts *o, const struct column *cols, size_t ncols,
		const char *defcols, const char *what, bool lenient, struct colsel *sel)
{
	sel->v = NULL;
	sel->n = 0;
	if (o->output_all) {
		sel->v = xcalloc(ncols, sizeof(*sel->v));
		for (size_t i = 0; i < ncols; i++)
			sel->v[i] = &cols[i];
		sel->n = ncols;
		return;
	}
	if (!o->columns || o->columns[0] == '+')
		sel_add_list(sel, cols, ncols, defcols, what, false);
	if (o->columns)
		sel_add_list(sel, cols, ncols, o->columns + (o->columns[0] == '+'), what, lenient);
	if (!sel->n && !lenient)
		die_usage("no columns selected for %s", what);
}

void colsel_free(struct colsel *sel)
{
	free(sel->v);
	sel->v = NULL;
	sel->n = 0;
}

void out_list_columns(const char *title, const struct column *cols, size_t ncols,
		      const char *defcols)
{
	printf("%s:\n", title);
	for (size_t i = 0; i < ncols; i++) {
		size_t l = strlen(cols[i].name);
		const char *p = defcols;
		bool def = false;
		while (*p && !def) {
			size_t len = strcspn(p, ",");
			def = len == l && !strncmp(p, cols[i].name, l);
			p += len + (p[len] == ',');
		}
		printf(" %c %-12s %s\n", def ? '*' : ' ', cols[i].name, cols[i].help);
	}
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not valid. */
size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
	unsigned c = s[0];
	size_t n;
	unsigned min;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n > avail)
		return 0;
	unsigned cp = c & (0x3f >> (n - 1));
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

char *esc_bytes(const char *s, size_t len)
{
	char *r = xmalloc(len * 4 + 1), *w = r;
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		size_t n = utf8_seq_len(p + i, len - i);
		if (n == 1 && (p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\')) {
			w += sprintf(w, "\\x%02x", p[i]);
			i++;
		} else if (n == 0 || (n == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0)) {
			/* invalid, or a C1 control (U+0080..U+009F: terminals obey U+009B as
			 * CSI); its second byte is then a lone continuation, escaped next */
			w += sprintf(w, "\\x%02x", p[i]);
			i++;
		} else {
			memcpy(w, p + i, n);
			w += n;
			i += n;
		}
	}
	*w = '\0';
	return r;
}

/*
 * JSON keeps control characters (libsmartcols escapes them) but not
 * invalid UTF-8; NULL when s is valid as it is, the common case.
 */
static char *json_safe(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	while (i < len && (n = utf8_seq_len(p + i, len - i)))
		i += n;
	if (i == len)
		return NULL;
	char *r = xmalloc(len * 4 + 1), *w = r;
	i = 0;
	while (i < len) {
		n = utf8_seq_len(p + i, len - i);
		if (n == 0) {
			w += sprintf(w, "\\x%02x", p[i]);
			i++;
		} else {
			memcpy(w, p + i, n);
			w += n;
			i += n;
		}
	}
	*w = '\0';
	return r;
}

/* Writes a size as util-linux does into the end of buf; returns its start. */
static char *human_size(char *end, unsigned long long bytes)
{
	static const char units[] = "BKMGTPE";
	int u = 0;
	unsigned long long whole = bytes, frac = 0;
	while (whole >= 1024 && u < 6) {
		frac = whole % 1024;
		whole /= 1024;
		u++;
	}
	/* one decimal, rounded, dropped when zero, as util-linux prints sizes */
	unsigned long long dec = 0;
	if (u) {
		dec = (frac * 10 + 512) / 1024;
		if (dec >= 10) {
			whole++;
			dec = 0;
		}
		/* 1023.96K rounds to 1024K, which is 1M */
		if (whole == 1024 && u < 6) {
			whole = 1;
			u++;
		}
	}
	/* built from the end: unit, then the decimal, then the whole part */
	char *p = end;
	*--p = units[u];
	if (dec) {
		*--p = (char)('0' + dec);
		*--p = '.';
	}
	return ull_digits(p, whole);
}

/*
 * A listing formats the same time for many objects (a server creates its
 * objects in the same second): the last one is remembered, exactly, with
 * the format and the "now" it was formatted against.
 */
static const char *time_text(time_t t, enum time_fmt tf, time_t now, size_t *len)
{
	static struct {
		bool valid;
		time_t t, now;
		enum time_fmt tf;
		size_t len;
		char text[64];
	} last;
	if (!last.valid || last.t != t || last.tf != tf || last.now != now) {
		char *s = format_time(t, tf, now);
		size_t n = strlen(s);
		if (n >= sizeof(last.text))
			n = sizeof(last.text) - 1;
		memcpy(last.text, s, n);
		last.text[n] = '\0';
		free(s);
		last.valid = true;
		last.t = t;
		last.tf = tf;
		last.now = now;
		last.len = n;
	}
	*len = last.len;
	return last.text;
}

/* Room for any cell text that cell_text writes into its buffer. */
#define CELL_TEXT_MAX 64

/*
 * The text of a cell: in buf, in the cell, or in a static cache; *owned
 * receives a malloc'd text instead when one had to be made (invalid UTF-8
 * in JSON). NULL for JSON null. Valid until the next call.
 */
static const char *cell_text(const struct out_opts *o, const struct column *col,
			     const struct cell *c, char buf[CELL_TEXT_MAX], size_t *len,
			     char **owned)
{
	bool json = o->mode == OUT_JSON;
	char *end = buf + CELL_TEXT_MAX, *p;
	*owned = NULL;
	if (c->state != CELL_OK || (col->type == CT_STR && !c->str)) {
		if (json)
			return NULL;
		*len = 1;
		return c->state == CELL_UNKNOWN ? "?" : "-";
	}
	switch (col->type) {
	case CT_STR: {
		/* a cell's text ends at its length or at a NUL, whichever is first */
		const char *nul = memchr(c->str, '\0', c->len);
		*len = nul ? (size_t)(nul - c->str) : c->len;
		if (json && (*owned = json_safe(c->str, *len))) {
			*len = strlen(*owned);
			return *owned;
		}
		return c->str;
	}
	case CT_NUM:
		p = ull_digits(end, c->num);
		break;
	case CT_SIZE:
		p = json || o->bytes ? ull_digits(end, c->num) : human_size(end, c->num);
		break;
	case CT_TIME: {
		enum time_fmt tf = o->tf;
		if (json && !o->tf_set)
			tf = TF_ISO;
		return time_text((time_t)c->num, tf, o->now, len);
	}
	case CT_FLOAT: {
		int n = snprintf(buf, CELL_TEXT_MAX, "%.2f", c->fnum);
		*len = n < 0 ? 0 : n >= CELL_TEXT_MAX ? CELL_TEXT_MAX - 1 : (size_t)n;
		return buf;
	}
	default:
		return NULL;
	}
	*len = (size_t)(end - p);
	return p;
}

/* The cell's text as a string of its own, for libsmartcols to keep and free. */
static char *cell_dup(const struct out_opts *o, const struct column *col, const struct cell *c)
{
	char buf[CELL_TEXT_MAX], *owned;
	size_t len;
	const char *t = cell_text(o, col, c, buf, &len, &owned);
	if (owned || !t)
		return owned;
	char *r = xmalloc(len + 1);
	memcpy(r, t, len);
	r[len] = '\0';
	return r;
}

char *out_format(const struct out_opts *o, const struct column *col, const struct cell *c)
{
	return cell_dup(o, col, c);
}

void cell_get(const struct column *col, const struct ipc_obj *obj, struct cell *c)
{
	memset(c, 0, sizeof(*c));
	col->get(obj, c);
	if (c->state == CELL_OK && col->type == CT_STR && c->str && !c->len)
		c->len = strlen(c->str);
}

/*
 * A table keeps its rows as text until out_end: per cell a byte that says
 * whether there is a text (0 for JSON null), then the text and its NUL.
 * libsmartcols' lines are made only when the table is printed, and most
 * tables are printed a slice of rows at a time through a few lines used
 * over and over (see print_slices): a listing of thousands of objects then
 * works in a few hundred kilobytes that stay in the processor's caches,
 * where a line per row held megabytes.
 */
struct out_tab {
	struct libscols_table *tb;
	const struct colsel *sel;
	const struct out_opts *o;
	const char *title, *name;
	struct out_tab *next;
	char *text;
	size_t len, cap, rows;
	bool sliced;		/* printed a slice at a time */
	size_t *widest;		/* per column, its widest cell as cell_width measures it */
};

struct out_doc {
	const struct out_opts *o;
	struct out_tab *first, *last;
	FILE *stream;	/* tables only; JSON always goes to stdout */
};

struct out_doc *out_begin(const struct out_opts *o)
{
	struct out_doc *d = xcalloc(1, sizeof(*d));
	d->o = o;
	d->stream = stdout;
	return d;
}

struct out_doc *out_begin_stream(const struct out_opts *o, FILE *stream)
{
	struct out_doc *d = out_begin(o);
	if (o->mode != OUT_JSON)
		d->stream = stream;
	return d;
}

/*
 * The width of a cell exactly as libsmartcols 2.38 measures it to size a
 * column (its mbs_safe_width: a control character counts 4, for the \xNN
 * it becomes, and so does a backslash before an x; an invalid byte 1 if
 * printable else 4; a character that is not printable 4 per byte; any
 * other its wcwidth), with printable ASCII,
 * nearly every cell, counted without the mbrtowc call per character that
 * made this measuring half of the cost of printing a large table.
 *
 * libsmartcols asks a column's wrap function for the width of its cells
 * when it has one; the wrap function here never splits a cell, so the
 * cell is printed exactly as without it (see out_table).
 */
static size_t cell_width(const struct libscols_column *cl, const char *data, void *unused)
{
	(void)cl;
	(void)unused;
	const unsigned char *p = (const unsigned char *)data;
	while (*p >= 0x20 && *p < 0x7f && *p != '\\')
		p++;
	size_t w = (size_t)(p - (const unsigned char *)data);
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	while (*p) {
		if ((*p == '\\' && p[1] == 'x') || iscntrl(*p)) {
			w += 4;
			p++;
			continue;
		}
		wchar_t wc;
		size_t len = mbrtowc(&wc, (const char *)p, MB_CUR_MAX, &st);
		if (len == 0)
			break;
		if (len == (size_t)-1 || len == (size_t)-2) {
			len = 1;
			w += isprint(*p) ? 1 : 4;
		} else if (!iswprint((wint_t)wc)) {
			w += len * 4;
		} else {
			w += (size_t)wcwidth(wc);
		}
		p += len;
	}
	return w;
}

static char *no_next_chunk(const struct libscols_column *cl, char *data, void *unused)
{
	(void)cl;
	(void)data;
	(void)unused;
	return NULL;
}

/*
 * Whether every column of a table is measured through cell_width: then the
 * width libsmartcols gives a column is known from its cells (see
 * set_widths). Columns that wrap are measured by libsmartcols itself.
 */
static bool all_measured(const struct colsel *sel)
{
	for (size_t i = 0; i < sel->n; i++)
		if (sel->v[i]->flags & COL_WRAP)
			return false;
	return true;
}

static int scols_json_type(enum col_type t)
{
	return t == CT_STR || t == CT_TIME ? SCOLS_JSON_STRING : SCOLS_JSON_NUMBER;
}

/* A libsmartcols table of t's columns, as t prints (one per printing thread). */
static struct libscols_table *new_tb(const struct out_tab *t, const char *name, bool noheadings)
{
	const struct out_opts *o = t->o;
	const struct colsel *sel = t->sel;
	struct libscols_table *tb = scols_new_table();
	if (!tb)
		die(EXIT_RUNTIME, "cannot create a table: %s", strerror(errno));
	scols_table_set_name(tb, name);
	scols_table_enable_json(tb, o->mode == OUT_JSON);
	scols_table_enable_raw(tb, o->mode == OUT_RAW);
	scols_table_enable_export(tb, o->mode == OUT_EXPORT);
	scols_table_enable_noheadings(tb, noheadings);
	for (size_t i = 0; i < sel->n; i++) {
		const struct column *c = sel->v[i];
		int fl = 0;
		if (c->flags & COL_RIGHT)
			fl |= SCOLS_FL_RIGHT;
		if (c->flags & COL_TRUNC)
			fl |= SCOLS_FL_TRUNC;
		/*
		 * Aligned tables measure their cells through cell_width. The wrap
		 * flag that this takes changes nothing else for a column whose
		 * wrap function never splits a cell: a long cell of a column that
		 * may not be truncated still spills into the next line, and
		 * TRUNC columns are still cut to fit a terminal. Columns that
		 * really wrap keep libsmartcols' own wrapping.
		 */
		bool measured = o->mode == OUT_TABLE && !(c->flags & COL_WRAP);
		if ((c->flags & COL_WRAP) || measured)
			fl |= SCOLS_FL_WRAP;
		struct libscols_column *cl = scols_table_new_column(tb, c->name, c->width, fl);
		if (!cl)
			die(EXIT_RUNTIME, "cannot create a column: %s", strerror(errno));
		if (measured)
			scols_column_set_wrapfunc(cl, cell_width, no_next_chunk, NULL);
		scols_column_set_json_type(cl, scols_json_type(c->type));
		/* libsmartcols writes a "\x" of the text as "\x5cx", to tell it from its own escapes */
		if ((c->flags & COL_ESCAPED) && scols_column_set_safechars(cl, "\\"))
			die(EXIT_RUNTIME, "cannot create a column: %s", strerror(errno));
	}
	return tb;
}

struct out_tab *out_table(struct out_doc *d, const char *name, const char *title,
			  const struct colsel *sel)
{
	struct out_tab *t = xcalloc(1, sizeof(*t));
	const struct out_opts *o = d->o;
	t->sel = sel;
	t->o = o;
	t->title = title;
	t->name = name;
	t->widest = xcalloc(sel->n ? sel->n : 1, sizeof(*t->widest));
	t->sliced = o->mode != OUT_JSON &&
		    (o->mode != OUT_TABLE || (!isatty(STDOUT_FILENO) && all_measured(sel)));
	t->tb = new_tb(t, name, o->noheadings);
	if (d->last)
		d->last->next = t;
	else
		d->first = t;
	d->last = t;
	return t;
}

static struct libscols_line *new_line(struct out_tab *t)
{
	struct libscols_line *ln = scols_table_new_line(t->tb, NULL);
	if (!ln)
		die(EXIT_RUNTIME, "cannot add a table line");
	return ln;
}

/* Gives a cell its text, or none; a text it had before is freed. */
static void set_cell(struct libscols_line *ln, size_t i, char *s)
{
	if (scols_line_refer_data(ln, i, s))
		die(EXIT_RUNTIME, "cannot fill a table cell");
}

/*
 * What a row costs on the heap once it is a line of libsmartcols: the line
 * (about 160 bytes with malloc's overhead) and, per cell, its cell
 * structure and the smallest malloc chunk, which holds a text of up to 24
 * bytes.
 */
#define ROW_BYTES 160
#define CELL_BYTES 64
/* A row's text: a number or a name is seldom longer than this, per cell. */
#define ROW_TEXT_BYTES 8

static void text_room(struct out_tab *t, size_t more)
{
	if (t->cap - t->len >= more)
		return;
	size_t cap = t->cap ? t->cap : 4096;
	while (cap - t->len < more)
		cap *= 2;
	t->text = xrealloc(t->text, cap);
	t->cap = cap;
}

void out_expect_rows(struct out_tab *t, size_t rows)
{
	text_room(t, rows * t->sel->n * ROW_TEXT_BYTES);
}

static void keep_cell(struct out_tab *t, size_t i, const struct cell *c)
{
	char buf[CELL_TEXT_MAX], *owned;
	size_t len = 0;
	const char *s = cell_text(t->o, t->sel->v[i], c, buf, &len, &owned);
	if (!s) {
		text_room(t, 1);
		t->text[t->len++] = 0;
		return;
	}
	text_room(t, len + 2);
	char *w = t->text + t->len;
	*w = 1;
	memcpy(w + 1, s, len);
	w[len + 1] = '\0';
	t->len += len + 2;
	free(owned);
	if (t->sliced && t->o->mode == OUT_TABLE) {
		size_t width = cell_width(NULL, w + 1, NULL);
		if (width > t->widest[i])
			t->widest[i] = width;
	}
}

void out_row(struct out_tab *t, const struct cell *cells)
{
	for (size_t i = 0; i < t->sel->n; i++)
		keep_cell(t, i, &cells[i]);
	t->rows++;
}

void out_row_obj(struct out_tab *t, const struct ipc_obj *obj)
{
	/* each cell is formatted as soon as it is filled: its text may live in
	 * a buffer the next cell of the same column reuses (col_name) */
	struct cell c;
	for (size_t i = 0; i < t->sel->n; i++) {
		cell_get(t->sel->v[i], obj, &c);
		keep_cell(t, i, &c);
	}
	t->rows++;
}

/* Fills a line with the next row kept at p; returns where the row after it starts. */
static const char *fill_line(const struct out_tab *t, struct libscols_line *ln, const char *p)
{
	for (size_t i = 0; i < t->sel->n; i++) {
		if (!*p++) {
			set_cell(ln, i, NULL);
			continue;
		}
		size_t len = strlen(p);
		char *s = xmalloc(len + 1);
		memcpy(s, p, len + 1);
		set_cell(ln, i, s);
		p += len + 1;
	}
	return p;
}

/* Every row as a line of its own, for libsmartcols to print at once. */
static void make_lines(struct out_tab *t)
{
	heap_expect(t->rows * (ROW_BYTES + t->sel->n * CELL_BYTES));
	const char *p = t->text;
	for (size_t r = 0; r < t->rows; r++)
		p = fill_line(t, new_line(t), p);
}

/*
 * Printed a slice of rows at a time, each column must come out as wide as
 * printed whole: as wide as its widest cell, or as its heading if that is
 * wider. libsmartcols sizes a column to the cells it has, widens it to
 * its heading, and else to an absolute width hint that is larger: a column
 * whose widest cell is wider than its heading gets that cell's width as
 * its hint, and the strict flag that keeps a slice of narrower cells from
 * being sized to the heading instead. Outside a terminal nothing else
 * changes a width.
 *
 * The width of every slice then follows from the hint or the heading
 * whatever its cells measure, as long as none measures more: cells are not
 * measured again, and count as no width at all.
 */
static size_t measured_before(const struct libscols_column *cl, const char *data, void *unused)
{
	(void)cl;
	(void)data;
	(void)unused;
	return 0;
}

static void set_widths(const struct out_tab *t, struct libscols_table *tb)
{
	for (size_t i = 0; i < t->sel->n; i++) {
		struct libscols_column *cl = scols_table_get_column(tb, i);
		if (!cl || scols_column_set_wrapfunc(cl, measured_before, no_next_chunk, NULL))
			die(EXIT_RUNTIME, "cannot size a column");
		size_t head = cell_width(NULL, t->sel->v[i]->name, NULL);
		if (t->widest[i] <= (head ? head : 1))
			continue;
		if (scols_column_set_whint(cl, (double)t->widest[i]) ||
		    scols_column_set_flags(cl, scols_column_get_flags(cl) | SCOLS_FL_STRICTWIDTH))
			die(EXIT_RUNTIME, "cannot size a column");
	}
}

/* Rows printed at once by a slice, through the same lines. */
#define SLICE_ROWS 256
/* Threads that print slices side by side, at most. */
#define MAX_PRINTERS 4

/* Prints n rows from p through tb, with the lines it has kept in lines. */
static void print_range(const struct out_tab *t, struct libscols_table *tb,
			struct libscols_line **lines, size_t *nlines, const char *p, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (k == *nlines) {
			lines[*nlines] = scols_table_new_line(tb, NULL);
			if (!lines[(*nlines)++])
				die(EXIT_RUNTIME, "cannot add a table line");
		}
		p = fill_line(t, lines[k], p);
	}
	/* the last slice may be shorter: lines it does not fill go */
	while (*nlines > n)
		scols_table_remove_line(tb, lines[--*nlines]);
	scols_table_print_range(tb, NULL, NULL);
}

/* One thread's share of a table: every step-th slice from first, into buf. */
struct printer {
	const struct out_tab *t;
	struct libscols_table *tb;
	const char **starts;	/* the text of each slice's first row */
	size_t nslices, first, step;
	char *buf;
	size_t len;
	size_t *ends;		/* where each of its slices ends in buf */
	pthread_t th;
};

static void *printer_run(void *arg)
{
	struct printer *pr = arg;
	FILE *mem = open_memstream(&pr->buf, &pr->len);
	if (!mem)
		die(EXIT_RUNTIME, "cannot buffer output: %s", strerror(errno));
	__fsetlocking(mem, FSETLOCKING_BYCALLER);
	scols_table_set_stream(pr->tb, mem);
	struct libscols_line *lines[SLICE_ROWS];
	size_t nlines = 0, j = 0;
	for (size_t s = pr->first; s < pr->nslices; s += pr->step, j++) {
		size_t r = s * SLICE_ROWS, n = pr->t->rows - r < SLICE_ROWS ? pr->t->rows - r : SLICE_ROWS;
		print_range(pr->t, pr->tb, lines, &nlines, pr->starts[s], n);
		fflush(mem);
		pr->ends[j] = pr->len;
	}
	if (fclose(mem))
		die(EXIT_RUNTIME, "cannot buffer output: %s", strerror(errno));
	return NULL;
}

/* The text of the first row of each slice. */
static const char **slice_starts(const struct out_tab *t, size_t nslices)
{
	const char **starts = xmalloc(nslices * sizeof(*starts));
	const char *p = t->text;
	for (size_t r = 0; r < t->rows; r++) {
		if (r % SLICE_ROWS == 0)
			starts[r / SLICE_ROWS] = p;
		for (size_t i = 0; i < t->sel->n; i++)
			p = *p++ ? p + strlen(p) + 1 : p;
	}
	return starts;
}

/*
 * Prints a table as scols_print_table does, a slice of rows at a time:
 * the heading comes with the first slice only, and the line break that
 * libsmartcols writes between two rows of one print is written between
 * two slices here.
 *
 * Slices are sized alike (set_widths), so a table of several is printed
 * by one thread per CPU side by side, each through a table of its own
 * into memory (only the first prints the heading), and written in order:
 * libsmartcols spends a few hundred instructions on every character.
 */
static void print_slices(struct out_tab *t, FILE *out)
{
	size_t nslices = (t->rows + SLICE_ROWS - 1) / SLICE_ROWS;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t np = cpus > 1 ? (size_t)cpus : 1;
	if (np > MAX_PRINTERS)
		np = MAX_PRINTERS;
	if (np > nslices)
		np = nslices ? nslices : 1;
	struct printer pr[MAX_PRINTERS];
	memset(pr, 0, sizeof(pr));
	const char **starts = nslices ? slice_starts(t, nslices) : NULL;
	for (size_t i = 0; i < np; i++) {
		pr[i] = (struct printer){
			.t = t, .starts = starts, .nslices = nslices, .first = i, .step = np,
			.tb = i ? new_tb(t, t->name, true) : t->tb,
			.ends = xmalloc((nslices / np + 1) * sizeof(*pr[i].ends)),
		};
		if (t->o->mode == OUT_TABLE)
			set_widths(t, pr[i].tb);
	}
	size_t started = 1;
	for (; started < np; started++)
		if (pthread_create(&pr[started].th, NULL, printer_run, &pr[started]))
			break;
	/* slices of a printer that could not start are printed here too */
	for (size_t i = started; i < np; i++)
		printer_run(&pr[i]);
	printer_run(&pr[0]);
	for (size_t i = 1; i < started; i++)
		pthread_join(pr[i].th, NULL);
	for (size_t s = 0; s < nslices; s++) {
		const struct printer *p = &pr[s % np];
		size_t j = s / np, from = j ? p->ends[j - 1] : 0;
		if (s)
			fputc('\n', out);
		fwrite(p->buf + from, 1, p->ends[j] - from, out);
	}
	if (t->rows)
		fputc('\n', out);
	for (size_t i = 0; i < np; i++) {
		free(pr[i].buf);
		free(pr[i].ends);
		if (i)
			scols_unref_table(pr[i].tb);
	}
	free(starts);
}

static void tab_free(struct out_tab *t)
{
	scols_unref_table(t->tb);
	free(t->text);
	free(t->widest);
	free(t);
}

/*
 * libsmartcols prints each table as a whole JSON object; several tables
 * become one document by printing their members inside one object.
 */
static void print_json_members(struct out_tab *t, bool first)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		die(EXIT_RUNTIME, "cannot buffer output: %s", strerror(errno));
	/* only this function writes to the stream */
	__fsetlocking(mem, FSETLOCKING_BYCALLER);
	make_lines(t);
	scols_table_set_stream(t->tb, mem);
	scols_print_table(t->tb);
	fclose(mem);
	/* strip the outer "{\n" and "}\n" */
	char *start = strchr(buf, '\n');
	char *end = strrchr(buf, '}');
	if (start && end && end > start) {
		while (end > start && end[-1] == '\n')
			end--;
		if (!first)
			fputs(",", stdout);
		fwrite(start, 1, (size_t)(end - start), stdout);
	}
	free(buf);
}

void out_end(struct out_doc *d)
{
	const struct out_opts *o = d->o;
	bool first = true;
	/* asked before the loop, which frees the tables as it prints them */
	bool titles = d->first && d->first->next;
	if (o->mode == OUT_JSON)
		fputs("{", stdout);
	for (struct out_tab *t = d->first, *next; t; t = next) {
		next = t->next;
		if (o->mode == OUT_JSON) {
			print_json_members(t, first);
		} else {
			if (!first && o->mode == OUT_TABLE)
				fputc('\n', d->stream);
			if (t->title && o->mode == OUT_TABLE && !o->noheadings && titles)
				fprintf(d->stream, "%s\n", t->title);
			scols_table_set_stream(t->tb, d->stream);
			/*
			 * libsmartcols writes a cell's padding a character at a time:
			 * the stream's lock, taken and released for each, is left out
			 * while nothing else writes to it (threads that scan /proc for
			 * holders are done by now)
			 */
			int locking = __fsetlocking(d->stream, FSETLOCKING_BYCALLER);
			if (t->sliced) {
				print_slices(t, d->stream);
			} else {
				make_lines(t);
				scols_print_table(t->tb);
			}
			__fsetlocking(d->stream, locking);
		}
		first = false;
		tab_free(t);
	}
	if (o->mode == OUT_JSON)
		fputs("\n}\n", stdout);
	fflush(d->stream);
	free(d);
}

struct sortkey {
	struct ipc_obj *obj;
	struct cell c;
	char *copy;
	enum col_type type;
};

int cell_cmp(enum col_type type, const struct cell *x, const struct cell *y)
{
	/* unknown and absent values sort last */
	if (x->state != CELL_OK || y->state != CELL_OK)
		return (x->state != CELL_OK) - (y->state != CELL_OK);
	switch (type) {
	case CT_STR: {
		size_t n = x->len < y->len ? x->len : y->len;
		int r = memcmp(x->str, y->str, n);
		return r ? r : (x->len > y->len) - (x->len < y->len);
	}
	case CT_FLOAT:
		return (x->fnum > y->fnum) - (x->fnum < y->fnum);
	default:
		return (x->num > y->num) - (x->num < y->num);
	}
}

static int cmp_keys(const void *a, const void *b)
{
	const struct sortkey *x = a, *y = b;
	return cell_cmp(x->type, &x->c, &y->c);
}

void out_sort(const struct out_opts *o, struct objlist *l, const struct column *cols,
	      size_t ncols)
{
	if (!o->sort || l->n < 2)
		return;
	const struct column *col = find_col(cols, ncols, o->sort, strlen(o->sort));
	if (!col)
		die_usage("unknown sort column '%s' (see --list-columns)",
			  esc_bytes(o->sort, strlen(o->sort)));
	struct sortkey *k = xcalloc(l->n, sizeof(*k));
	for (size_t i = 0; i < l->n; i++) {
		k[i].obj = l->v[i];
		k[i].type = col->type;
		cell_get(col, l->v[i], &k[i].c);
		/* the text may live in the cell's own buffer, which qsort moves */
		if (k[i].c.str)
			k[i].c.str = k[i].copy = strndup(k[i].c.str, k[i].c.len);
	}
	qsort(k, l->n, sizeof(*k), cmp_keys);
	for (size_t i = 0; i < l->n; i++) {
		l->v[i] = k[i].obj;
		free(k[i].copy);
	}
	free(k);
}

const struct column *out_find_column(const struct column *cols, size_t ncols, const char *name)
{
	return find_col(cols, ncols, name, strlen(name));
}

bool out_has_column(const struct column *cols, size_t ncols, const char *name)
{
	return out_find_column(cols, ncols, name) != NULL;
}
