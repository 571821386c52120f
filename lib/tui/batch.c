#include "batch.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../json.h"
#include "../out.h"
#include "../timefmt.h"
#include "../util.h"

char row_marker(const struct trow *r, size_t ncols)
{
	if (r->state == ROW_NEW)
		return '+';
	if (r->state == ROW_GONE)
		return '-';
	for (size_t i = 0; i < ncols; i++)
		if (r->changed[i])
			return '*';
	return ' ';
}

size_t text_width(const char *s)
{
	/* most cells are ASCII: one cell a byte */
	const unsigned char *q = (const unsigned char *)s;
	while (*q && *q < 0x80)
		q++;
	if (!*q)
		return (size_t)(q - (const unsigned char *)s);
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	size_t w = 0;
	const char *p = s;
	while (*p) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, p, strlen(p), &st);
		if (n == (size_t)-1 || n == (size_t)-2) {
			/* not text in this locale: one cell a byte */
			memset(&st, 0, sizeof(st));
			w++;
			p++;
			continue;
		}
		int cw = wcwidth(wc);
		w += cw > 0 ? (size_t)cw : 0;
		p += n ? n : 1;
	}
	return w;
}

char *limit_text(const struct hdr_limit *h)
{
	if (!h->ok)
		return xasprintf("%s ?", h->name);
	double pct = h->limit ? 100.0 * (double)h->used / (double)h->limit : 0;
	return xasprintf("%s %llu/%llu %.1f%%", h->name, h->used, h->limit, pct);
}

static void print_header(FILE *out, const struct frame *f, const bool want[])
{
	char when[64];
	struct tm tm;
	localtime_r(&f->wall, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(out, "ipcx top - %s, frame %u\n", when, f->seq);
	/* three limits a line keeps the header inside 80 columns mostly */
	for (size_t i = 0; i < f->nlimits; i++) {
		char *t = limit_text(&f->limits[i]);
		fprintf(out, "%s%s", i % 3 == 0 ? (i ? "\n        " : "Limits: ") : ", ", t);
		free(t);
	}
	fputs("\nObjects:", out);
	bool first = true;
	for (size_t i = 0; i < nkinds; i++) {
		const struct tkind *tk = &f->kinds[i];
		if (!tk->active)
			continue;
		if (tk->note)
			fprintf(out, "%s %s ?", first ? "" : ",", tk->k->name);
		else
			fprintf(out, "%s %s %zu", first ? "" : ",", tk->k->name, tk->total);
		first = false;
	}
	fputc('\n', out);
	(void)want;
}

static void pad(FILE *out, size_t n)
{
	static const char spaces[] = "                                ";
	while (n) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		fwrite(spaces, 1, k, out);
		n -= k;
	}
}

/* Scratch texts of the cells being formatted: kept between frames, so its pages stay in memory. */
static struct arena cell_texts;

/*
 * Column widths of each kind as last printed, with a number that names
 * them: a row's line is kept for the widths it was padded to.
 */
static struct kwidths {
	size_t *w;
	size_t n;
	unsigned long gen;
} *kwidths;
static unsigned long last_gen;

/* The JSON of the rows' cells is written here, then kept by the row. */
static FILE *json_buf;
static char *json_bufp;
static size_t json_bufn;

void batch_done(void)
{
	arena_free(&cell_texts);
	if (kwidths)
		for (size_t i = 0; i < nkinds; i++)
			free(kwidths[i].w);
	free(kwidths);
	kwidths = NULL;
	if (json_buf)
		fclose(json_buf);
	free(json_bufp);
	json_buf = NULL;
	json_bufp = NULL;
}

/* Short times say the day only when it is not today: texts are made again the next day. */
static long local_day(time_t t)
{
	struct tm tm;
	localtime_r(&t, &tm);
	return tm.tm_year * 400L + tm.tm_yday;
}

static struct rowtext *row_text(struct trow *row)
{
	if (!row->txt)
		row->txt = rowtext_new();
	return row->txt;
}

/* Whether column c is in the set m of columns (see rowtext_stale). */
static bool in_set(uint64_t m, size_t c)
{
	return c < ROWTEXT_MAXCOLS ? (m >> c) & 1 : m == ~(uint64_t)0;
}

/* The texts and widths of a row's cells; those missing, stale or of another day are made. */
static const struct rowtext *row_cells(const struct frame *f, const struct tkind *tk,
				       struct trow *row, long day)
{
	struct rowtext *t = row_text(row);
	if (t->text && t->day == day && !t->stale)
		return t;
	uint64_t redo = t->text && t->day == day ? t->stale : ~(uint64_t)0;
	size_t nc = tk->ncols, bytes = 0;
	struct arena *a = &cell_texts;
	const char **text = arena_alloc(a, nc * sizeof(*text));
	size_t *len = arena_alloc(a, nc * sizeof(*len));
	for (size_t c = 0; c < nc; c++) {
		if (in_set(redo, c)) {
			struct cell cell;
			tcell_cell(&row->cells[c], &cell);
			text[c] = model_cell_atext(f, tk->cols[c], &cell, a);
		} else {
			text[c] = t->text[c];
		}
		len[c] = strlen(text[c]);
		bytes += len[c] + 1;
	}
	/* the pointers, the widths and the texts in one block */
	char *block = xmalloc(nc * (sizeof(*t->text) + sizeof(*t->width)) + bytes);
	const char **ntext = (const char **)(void *)block;
	size_t *nwidth = (size_t *)(void *)(block + nc * sizeof(*t->text));
	char *p = block + nc * (sizeof(*t->text) + sizeof(*t->width));
	for (size_t c = 0; c < nc; c++) {
		memcpy(p, text[c], len[c] + 1);
		ntext[c] = p;
		nwidth[c] = in_set(redo, c) ? text_width(p) : t->width[c];
		p += len[c] + 1;
	}
	free(t->text);
	t->text = ntext;
	t->width = nwidth;
	arena_reset(a);
	t->day = day;
	t->stale = 0;
	t->linegen = 0;
	return t;
}

/* The row's line after its marker, padded to the widths w named gen. */
static const char *row_line(const struct tkind *tk, struct trow *row, const size_t *w,
			    unsigned long gen, size_t *lenp)
{
	struct rowtext *t = row->txt;
	if (t->linegen != gen) {
		size_t nc = tk->ncols, need = 2;
		/* a last column aligned left is not padded: one wide cell in it
		 * (a segment with a thousand holders) would size every line */
		for (size_t c = 0; c < nc; c++) {
			bool padded = (tk->cols[c]->flags & COL_RIGHT) || c + 1 < nc;
			need += 1 + strlen(t->text[c]) +
				(padded && w[c] > t->width[c] ? w[c] - t->width[c] : 0);
		}
		if (need > t->linecap) {
			free(t->line);
			t->line = xmalloc(need);
			t->linecap = need;
		}
		char *p = t->line;
		for (size_t c = 0; c < nc; c++) {
			size_t n = w[c] - t->width[c];
			size_t l = strlen(t->text[c]);
			bool right = tk->cols[c]->flags & COL_RIGHT;
			*p++ = ' ';
			if (right) {
				memset(p, ' ', n);
				p += n;
			}
			memcpy(p, t->text[c], l);
			p += l;
			if (!right && c + 1 < nc) {
				memset(p, ' ', n);
				p += n;
			}
		}
		*p++ = '\n';
		t->linelen = (size_t)(p - t->line);
		t->linegen = gen;
	}
	*lenp = t->linelen;
	return t->line;
}

/* The number naming kind k's widths w: a new one when they changed. */
static unsigned long widths_gen(size_t k, const size_t *w, size_t n)
{
	if (!kwidths)
		kwidths = xcalloc(nkinds, sizeof(*kwidths));
	struct kwidths *kw = &kwidths[k];
	if (kw->n != n || memcmp(kw->w, w, n * sizeof(*w))) {
		free(kw->w);
		kw->w = xmalloc((n + 1) * sizeof(*w));
		memcpy(kw->w, w, n * sizeof(*w));
		kw->n = n;
		kw->gen = ++last_gen;
	}
	return kw->gen;
}

static void print_kind(FILE *out, const struct frame *f, const struct tkind *tk, long day)
{
	fprintf(out, "\n%s\n", tk->k->title);
	if (tk->note) {
		fprintf(out, "  (%s)\n", tk->note);
		return;
	}
	size_t nc = tk->ncols;
	size_t *w = xcalloc(nc, sizeof(*w));
	for (size_t c = 0; c < nc; c++)
		w[c] = strlen(tk->cols[c]->name);
	for (size_t r = 0; r < tk->nrows; r++) {
		const struct rowtext *t = row_cells(f, tk, &tk->rows[r], day);
		for (size_t c = 0; c < nc; c++)
			if (t->width[c] > w[c])
				w[c] = t->width[c];
	}
	unsigned long gen = widths_gen((size_t)(tk - f->kinds), w, nc);
	fputc(' ', out);
	for (size_t c = 0; c < nc; c++) {
		const char *s = tk->cols[c]->name;
		size_t n = w[c] - strlen(s);
		bool right = tk->cols[c]->flags & COL_RIGHT;
		fputc(' ', out);
		if (right)
			pad(out, n);
		fputs(s, out);
		if (!right && c + 1 < nc)
			pad(out, n);
	}
	fputc('\n', out);
	for (size_t r = 0; r < tk->nrows; r++) {
		size_t len;
		const char *line = row_line(tk, &tk->rows[r], w, gen, &len);
		fputc(row_marker(&tk->rows[r], nc), out);
		fwrite(line, 1, len, out);
	}
	free(w);
}

void batch_text(FILE *out, const struct frame *f, const bool want[])
{
	if (f->seq > 1)
		fputc('\n', out);
	print_header(out, f, want);
	long day = local_day(f->wall);
	for (size_t i = 0; i < nkinds; i++)
		if (want[i] && f->kinds[i].active)
			print_kind(out, f, &f->kinds[i], day);
	fflush(out);
}

/* json_str, with the common case of printable ASCII written at once. */
static void json_text(FILE *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\') {
			json_str(out, s, len);
			return;
		}
	}
	fputc('"', out);
	fwrite(s, 1, len, out);
	fputc('"', out);
}

static void json_cell(FILE *out, const struct column *col, const struct tcell *c)
{
	if (c->state != CELL_OK) {
		fputs("null", out);
		return;
	}
	switch (col->type) {
	case CT_STR:
		if (c->has_str)
			json_text(out, c->str, c->len);
		else
			fputs("null", out);
		break;
	case CT_NUM:
	case CT_SIZE: {
		char d[ULL_DIGITS], *p = ull_digits(d + sizeof(d), c->num);
		fwrite(p, 1, (size_t)(d + sizeof(d) - p), out);
		break;
	}
	case CT_TIME: {
		/* objects made together share their times */
		static time_t last_t = -1;
		static char last[64];
		if (last_t != (time_t)c->num) {
			char *s = format_time((time_t)c->num, TF_ISO, 0);
			snprintf(last, sizeof(last), "%s", s);
			free(s);
			last_t = (time_t)c->num;
		}
		json_text(out, last, strlen(last));
		break;
	}
	case CT_FLOAT:
		if (c->fnum == 0 && !signbit(c->fnum))
			fputs("0.000", out);
		else
			fprintf(out, "%.3f", c->fnum);
		break;
	}
}

/* The row's cells as the JSON frame writes them, ,"NAME":value each; stale ones made again. */
static const char *row_json(const struct tkind *tk, struct trow *row, size_t *lenp)
{
	struct rowtext *t = row_text(row);
	size_t nc = tk->ncols;
	if (!t->json || t->jstale) {
		if (!json_buf && !(json_buf = open_memstream(&json_bufp, &json_bufn)))
			die(EXIT_RUNTIME, "cannot make a buffer: %s", strerror(errno));
		fseeko(json_buf, 0, SEEK_SET);
		size_t *off = xmalloc((nc + 1) * sizeof(*off)), pos = 0;
		for (size_t c = 0; c < nc;) {
			off[c] = pos;
			if (t->json && !in_set(t->jstale, c)) {
				/* a run of cells that did not change, copied at once */
				size_t e = c + 1;
				while (e < nc && !in_set(t->jstale, e))
					e++;
				size_t from = t->joff[c];
				fwrite(t->json + from, 1, t->joff[e] - from, json_buf);
				for (size_t k = c + 1; k < e; k++)
					off[k] = pos + t->joff[k] - from;
				pos += t->joff[e] - from;
				c = e;
				continue;
			}
			fputs(",\"", json_buf);
			fputs(tk->cols[c]->name, json_buf);
			fputs("\":", json_buf);
			json_cell(json_buf, tk->cols[c], &row->cells[c]);
			pos = (size_t)ftello(json_buf);
			c++;
		}
		off[nc] = pos;
		if (fflush(json_buf))
			die(EXIT_RUNTIME, "cannot make a buffer: %s", strerror(errno));
		/* the offsets, then the text, in one block */
		size_t n = off[nc], head = (nc + 1) * sizeof(*off);
		char *block = xmalloc(head + n + 1);
		memcpy(block, off, head);
		memcpy(block + head, json_bufp, n);
		block[head + n] = '\0';
		free(off);
		free(t->joff);
		t->joff = (size_t *)(void *)block;
		t->json = block + head;
		t->jstale = 0;
	}
	*lenp = t->joff[nc];
	return t->json;
}

void batch_json(FILE *out, const struct frame *f, const bool want[])
{
	char when[64];
	struct tm tm;
	localtime_r(&f->wall, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S%z", &tm);
	fprintf(out, "{\"frame\":%u,\"time\":\"%s\",\"interval\":%.3f,\"limits\":{", f->seq, when,
		f->interval);
	for (size_t i = 0; i < f->nlimits; i++) {
		const struct hdr_limit *h = &f->limits[i];
		fprintf(out, "%s\"%s\":", i ? "," : "", h->name);
		if (h->ok)
			fprintf(out, "{\"used\":%llu,\"limit\":%llu}", h->used, h->limit);
		else
			fputs("null", out);
	}
	fputs("},\"totals\":{", out);
	bool first = true;
	for (size_t i = 0; i < nkinds; i++) {
		const struct tkind *tk = &f->kinds[i];
		if (!tk->active)
			continue;
		fprintf(out, "%s\"%s\":", first ? "" : ",", tk->k->name);
		if (tk->note)
			fputs("null", out);
		else
			fprintf(out, "%zu", tk->total);
		first = false;
	}
	fputs("},\"kinds\":{", out);
	first = true;
	for (size_t i = 0; i < nkinds; i++) {
		const struct tkind *tk = &f->kinds[i];
		if (!want[i] || !tk->active)
			continue;
		fprintf(out, "%s\"%s\":", first ? "" : ",", tk->k->name);
		first = false;
		if (tk->note) {
			fputs("null", out);
			continue;
		}
		fputc('[', out);
		for (size_t r = 0; r < tk->nrows; r++) {
			const struct trow *row = &tk->rows[r];
			static const char *const states[] = { "{\"state\":\"same\",\"changed\":[",
							      "{\"state\":\"new\",\"changed\":[",
							      "{\"state\":\"gone\",\"changed\":[" };
			if (r)
				fputc(',', out);
			fputs(states[row->state], out);
			bool fc = true;
			for (size_t c = 0; c < tk->ncols; c++)
				if (row->changed[c]) {
					fputs(fc ? "\"" : ",\"", out);
					fputs(tk->cols[c]->name, out);
					fputc('"', out);
					fc = false;
				}
			fputc(']', out);
			size_t len;
			const char *cells = row_json(tk, (struct trow *)row, &len);
			fwrite(cells, 1, len, out);
			fputc('}', out);
		}
		fputc(']', out);
	}
	fputs("}}\n", out);
	fflush(out);
}
