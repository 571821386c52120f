/*
 * Tables: rows kept as text until out_end, and printed through
 * libsmartcols, most of them a slice of rows at a time by a few threads.
 */
#include "out.h"

#include <ctype.h>
#include <errno.h>
#include <libsmartcols.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "out_text.h"
#include "util.h"

/* Rows printed at once by a slice, through the same lines. */
#define SLICE_ROWS 256
/* Threads that print slices side by side, at most. */
#define MAX_PRINTERS 4

/*
 * A table keeps its rows as text, a slice of SLICE_ROWS rows in each
 * block: per cell a byte that says whether there is a text (0 for JSON
 * null), then the text and its NUL. libsmartcols' lines are made only when
 * the table is printed, and most tables are printed a slice at a time
 * through a few lines used over and over (see struct printers): a listing
 * of thousands of objects then works in a few hundred kilobytes that stay
 * in the processor's caches, where a line per row held megabytes.
 */
struct slice {
	char *text;
	size_t len, cap, rows;
	char *out;		/* the slice as printed; NULL until it is */
	size_t outlen;
	size_t *widths;		/* per column, the widest cell it was printed for */
	bool busy;		/* a printer has it */
	bool stale;		/* printed for narrower cells than the final widest */
};

struct printers;

struct out_tab {
	struct libscols_table *tb;	/* printed whole: JSON and terminals */
	const struct colsel *sel;
	const struct out_opts *o;
	const char *title, *name;
	struct out_tab *next;
	struct slice **slices;
	size_t nslices, slices_cap, rows;
	bool sliced;		/* printed a slice at a time */
	size_t *widest;		/* per column, its widest cell as cell_width measures it */
	size_t *head;		/* per column, its heading's width */
	struct printers *ps;	/* printing slices while rows still come; NULL if not */
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

/* A libsmartcols table of t's columns, as t prints (one per printer). */
static struct libscols_table *new_tb(const struct out_tab *t, bool noheadings)
{
	const struct out_opts *o = t->o;
	const struct colsel *sel = t->sel;
	struct libscols_table *tb = scols_new_table();
	if (!tb)
		die(EXIT_RUNTIME, "cannot create a table: %s", strerror(errno));
	scols_table_set_name(tb, t->name);
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

/* A zeroed number per column of sel. */
static size_t *per_column(const struct colsel *sel)
{
	return xcalloc(sel->n ? sel->n : 1, sizeof(size_t));
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
	t->widest = per_column(sel);
	t->head = per_column(sel);
	for (size_t i = 0; i < sel->n; i++)
		t->head[i] = cell_width(NULL, sel->v[i]->name, NULL);
	t->sliced = o->mode != OUT_JSON &&
		    (o->mode != OUT_TABLE || (!isatty(STDOUT_FILENO) && all_measured(sel)));
	t->tb = new_tb(t, o->noheadings);
	if (d->last)
		d->last->next = t;
	else
		d->first = t;
	d->last = t;
	return t;
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

static void text_room(struct slice *s, size_t more)
{
	if (s->cap - s->len >= more)
		return;
	size_t cap = s->cap ? s->cap : 4096;
	while (cap - s->len < more)
		cap *= 2;
	s->text = xrealloc(s->text, cap);
	s->cap = cap;
}

void out_expect_rows(struct out_tab *t, size_t rows)
{
	heap_expect(rows * t->sel->n * ROW_TEXT_BYTES);
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
	for (size_t k = 0; k < t->nslices; k++) {
		const char *p = t->slices[k]->text;
		for (size_t r = 0; r < t->slices[k]->rows; r++) {
			struct libscols_line *ln = scols_table_new_line(t->tb, NULL);
			if (!ln)
				die(EXIT_RUNTIME, "cannot add a table line");
			p = fill_line(t, ln, p);
		}
	}
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

/* The width hint column i takes for cells no wider than widest; 0 for none. */
static size_t width_hint(const struct out_tab *t, size_t i, size_t widest)
{
	size_t head = t->head[i] ? t->head[i] : 1;
	return widest > head ? widest : 0;
}

/* Whether slices printed for these widest cells come out alike. */
static bool same_widths(const struct out_tab *t, const size_t *a, const size_t *b)
{
	if (t->o->mode != OUT_TABLE)
		return true;
	for (size_t i = 0; i < t->sel->n; i++)
		if (width_hint(t, i, a[i]) != width_hint(t, i, b[i]))
			return false;
	return true;
}

static void set_widths(const struct out_tab *t, struct libscols_table *tb, const size_t *widest)
{
	for (size_t i = 0; i < t->sel->n; i++) {
		struct libscols_column *cl = scols_table_get_column(tb, i);
		if (!cl || scols_column_set_wrapfunc(cl, measured_before, no_next_chunk, NULL))
			die(EXIT_RUNTIME, "cannot size a column");
		size_t hint = width_hint(t, i, widest[i]);
		int fl = scols_column_get_flags(cl) & ~SCOLS_FL_STRICTWIDTH;
		if (scols_column_set_whint(cl, hint ? (double)hint : t->sel->v[i]->width) ||
		    scols_column_set_flags(cl, hint ? fl | SCOLS_FL_STRICTWIDTH : fl))
			die(EXIT_RUNTIME, "cannot size a column");
	}
}

/*
 * The threads that print a table's slices, each through a table of its
 * own into memory; out_end writes the slices out in order. Every slice is
 * printed for the widest cells of all rows so far. When printing starts
 * while rows still come (out_print_early), a slice printed before a wider
 * cell came is printed again at the end.
 */
struct printer {
	struct out_tab *t;
	struct libscols_table *tb;	/* without heading: every slice but the first */
	struct libscols_line *lines[SLICE_ROWS];
	size_t nlines;
	size_t *widths;
	pthread_t th;
};

struct printers {
	pthread_mutex_t mu;
	pthread_cond_t more;	/* a slice sealed, or the rows ended */
	size_t sealed;		/* slices [0, sealed) have all their rows */
	size_t *widest;		/* t->widest when the last slice was sealed */
	bool ended;		/* no more rows: widest is final */
	size_t from;		/* slices below are printed for good, or being printed */
	struct printer pr[MAX_PRINTERS];
	size_t n;		/* printers made; pr[0] is out_end's own thread */
	size_t started;		/* threads started, from pr[1] on */
};

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
	/* a shorter slice: lines it does not fill go */
	while (*nlines > n)
		scols_table_remove_line(tb, lines[--*nlines]);
	scols_table_print_range(tb, NULL, NULL);
}

/*
 * Prints slice k for the widest cells in widths into *out. The first slice
 * carries the heading, through a table made for it each time: libsmartcols
 * prints a table's heading only once.
 */
static void print_slice(struct printer *pr, size_t k, const struct slice *s, const size_t *widths,
			char **out, size_t *outlen)
{
	const struct out_tab *t = pr->t;
	FILE *mem = open_memstream(out, outlen);
	if (!mem)
		die(EXIT_RUNTIME, "cannot buffer output: %s", strerror(errno));
	__fsetlocking(mem, FSETLOCKING_BYCALLER);
	if (k == 0 && !t->o->noheadings) {
		struct libscols_table *tb = new_tb(t, false);
		struct libscols_line *lines[SLICE_ROWS];
		size_t nlines = 0;
		if (t->o->mode == OUT_TABLE)
			set_widths(t, tb, widths);
		scols_table_set_stream(tb, mem);
		print_range(t, tb, lines, &nlines, s->text, s->rows);
		scols_unref_table(tb);
	} else {
		if (t->o->mode == OUT_TABLE)
			set_widths(t, pr->tb, widths);
		scols_table_set_stream(pr->tb, mem);
		print_range(t, pr->tb, pr->lines, &pr->nlines, s->text, s->rows);
	}
	if (fclose(mem))
		die(EXIT_RUNTIME, "cannot buffer output: %s", strerror(errno));
}

/*
 * A slice to print, marked busy, or SIZE_MAX: one not printed yet, or,
 * once the rows have ended, one printed for narrower cells than the
 * widest (stale). Called with ps->mu held.
 */
static size_t next_slice(struct printers *ps, const struct out_tab *t)
{
	for (size_t k = ps->from; k < ps->sealed; k++) {
		struct slice *s = t->slices[k];
		if (s->busy || (s->out && !s->stale))
			continue;
		s->busy = true;
		s->stale = false;
		if (k == ps->from)
			ps->from++;
		return k;
	}
	return SIZE_MAX;
}

/* Whether a slice printed for widths must be printed again. Called with ps->mu held. */
static bool printed_stale(const struct printers *ps, const struct out_tab *t, const size_t *widths)
{
	return ps->ended && !same_widths(t, widths, ps->widest);
}

/* Prints slices until every one is printed for the final widths. */
static void *printer_run(void *arg)
{
	struct printer *pr = arg;
	struct out_tab *t = pr->t;
	struct printers *ps = t->ps;
	size_t n = t->sel->n;
	pthread_mutex_lock(&ps->mu);
	for (;;) {
		size_t k = next_slice(ps, t);
		if (k == SIZE_MAX) {
			if (ps->ended)
				break;
			pthread_cond_wait(&ps->more, &ps->mu);
			continue;
		}
		struct slice *s = t->slices[k];
		memcpy(pr->widths, ps->widest, n * sizeof(*pr->widths));
		pthread_mutex_unlock(&ps->mu);
		char *out = NULL;
		size_t outlen = 0;
		print_slice(pr, k, s, pr->widths, &out, &outlen);
		pthread_mutex_lock(&ps->mu);
		free(s->out);
		s->out = out;
		s->outlen = outlen;
		memcpy(s->widths, pr->widths, n * sizeof(*s->widths));
		s->busy = false;
		/* taken before the rows ended: the cells may have widened since */
		if (printed_stale(ps, t, s->widths)) {
			s->stale = true;
			if (k < ps->from)
				ps->from = k;
		}
	}
	pthread_mutex_unlock(&ps->mu);
	return NULL;
}

static size_t cpus_online(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cpus > 1 ? (size_t)cpus : 1;
}

static struct printers *printers_new(struct out_tab *t)
{
	struct printers *ps = xcalloc(1, sizeof(*ps));
	pthread_mutex_init(&ps->mu, NULL);
	pthread_cond_init(&ps->more, NULL);
	ps->widest = per_column(t->sel);
	return ps;
}

/* Starts threads until n printers print, out_end's own thread counted. */
static void printers_start(struct out_tab *t, size_t n)
{
	struct printers *ps = t->ps;
	if (n > MAX_PRINTERS)
		n = MAX_PRINTERS;
	for (; ps->n < n; ps->n++) {
		struct printer *pr = &ps->pr[ps->n];
		pr->t = t;
		pr->tb = new_tb(t, true);
		pr->widths = per_column(t->sel);
	}
	while (ps->started + 1 < ps->n &&
	       !pthread_create(&ps->pr[ps->started + 1].th, NULL, printer_run,
			       &ps->pr[ps->started + 1]))
		ps->started++;
}

static void printers_free(struct printers *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		scols_unref_table(ps->pr[i].tb);
		free(ps->pr[i].widths);
	}
	pthread_cond_destroy(&ps->more);
	pthread_mutex_destroy(&ps->mu);
	free(ps->widest);
	free(ps);
}

void out_print_early(struct out_tab *t)
{
	if (t->sliced && !t->ps && !t->rows && cpus_online() > 1)
		t->ps = printers_new(t);
}

/*
 * Hands the slices filled so far to the printers, with the widest cells
 * of their rows; at the end, with the final widths, and marks what was
 * printed for narrower cells.
 */
static void hand_over(struct out_tab *t, bool end)
{
	struct printers *ps = t->ps;
	pthread_mutex_lock(&ps->mu);
	memcpy(ps->widest, t->widest, t->sel->n * sizeof(*t->widest));
	ps->sealed = t->nslices;
	if (end) {
		ps->ended = true;
		/* every slice printed early is looked at once more */
		ps->from = 0;
		for (size_t k = 0; k < t->nslices; k++) {
			struct slice *s = t->slices[k];
			s->stale = s->out && !s->busy && printed_stale(ps, t, s->widths);
		}
	}
	pthread_cond_broadcast(&ps->more);
	pthread_mutex_unlock(&ps->mu);
}

/* A slice is full: one thread prints while rows come; out_end brings the others. */
static void seal(struct out_tab *t)
{
	hand_over(t, false);
	if (!t->ps->n)
		printers_start(t, 2);
}

/* The slice the next row goes into. */
static struct slice *row_slice(struct out_tab *t)
{
	struct slice *s = t->nslices ? t->slices[t->nslices - 1] : NULL;
	if (s && s->rows < SLICE_ROWS)
		return s;
	s = xcalloc(1, sizeof(*s));
	s->widths = per_column(t->sel);
	/* printers read the list as it grows */
	if (t->ps)
		pthread_mutex_lock(&t->ps->mu);
	if (t->nslices == t->slices_cap) {
		t->slices_cap = t->slices_cap ? t->slices_cap * 2 : 16;
		t->slices = xrealloc(t->slices, t->slices_cap * sizeof(*t->slices));
	}
	t->slices[t->nslices++] = s;
	if (t->ps)
		pthread_mutex_unlock(&t->ps->mu);
	return s;
}

static void keep_cell(struct out_tab *t, struct slice *s, size_t i, const struct cell *c)
{
	char buf[CELL_TEXT_MAX], *owned;
	size_t len = 0;
	const char *text = out_cell_text(t->o, t->sel->v[i], c, buf, &len, &owned);
	if (!text) {
		text_room(s, 1);
		s->text[s->len++] = 0;
		return;
	}
	text_room(s, len + 2);
	char *w = s->text + s->len;
	*w = 1;
	memcpy(w + 1, text, len);
	w[len + 1] = '\0';
	s->len += len + 2;
	free(owned);
	if (t->sliced && t->o->mode == OUT_TABLE) {
		size_t width = cell_width(NULL, w + 1, NULL);
		if (width > t->widest[i])
			t->widest[i] = width;
	}
}

static void row_done(struct out_tab *t, struct slice *s)
{
	s->rows++;
	t->rows++;
	if (t->ps && s->rows == SLICE_ROWS)
		seal(t);
}

void out_row(struct out_tab *t, const struct cell *cells)
{
	struct slice *s = row_slice(t);
	for (size_t i = 0; i < t->sel->n; i++)
		keep_cell(t, s, i, &cells[i]);
	row_done(t, s);
}

void out_row_obj(struct out_tab *t, const struct ipc_obj *obj)
{
	struct slice *s = row_slice(t);
	/* each cell is formatted as soon as it is filled: its text may live in
	 * a buffer the next cell of the same column reuses (col_name) */
	struct cell c;
	for (size_t i = 0; i < t->sel->n; i++) {
		cell_get(t->sel->v[i], obj, &c);
		keep_cell(t, s, i, &c);
	}
	row_done(t, s);
}

/*
 * Prints a table as scols_print_table does, a slice of rows at a time:
 * the heading comes with the first slice only, and the line break that
 * libsmartcols writes between two rows of one print is written between
 * two slices here. libsmartcols spends a few hundred instructions on
 * every character: slices are printed by one thread per CPU side by side.
 */
static void print_slices(struct out_tab *t, FILE *out)
{
	if (!t->ps)
		t->ps = printers_new(t);
	struct printers *ps = t->ps;
	hand_over(t, true);
	size_t np = cpus_online();
	if (np > t->nslices)
		np = t->nslices ? t->nslices : 1;
	printers_start(t, np > ps->n ? np : ps->n);
	printer_run(&ps->pr[0]);
	for (size_t i = 1; i <= ps->started; i++)
		pthread_join(ps->pr[i].th, NULL);
	for (size_t k = 0; k < t->nslices; k++) {
		if (k)
			fputc('\n', out);
		fwrite(t->slices[k]->out, 1, t->slices[k]->outlen, out);
	}
	if (t->rows)
		fputc('\n', out);
}

static void tab_free(struct out_tab *t)
{
	if (t->ps)
		printers_free(t->ps);
	for (size_t k = 0; k < t->nslices; k++) {
		free(t->slices[k]->text);
		free(t->slices[k]->out);
		free(t->slices[k]->widths);
		free(t->slices[k]);
	}
	free(t->slices);
	scols_unref_table(t->tb);
	free(t->widest);
	free(t->head);
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
				scols_table_set_stream(t->tb, d->stream);
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
