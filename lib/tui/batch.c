#include "batch.h"

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

/* The texts of one kind's cells: kept between frames, so its pages stay in memory. */
static struct arena cell_texts;

void batch_done(void)
{
	arena_free(&cell_texts);
}

static void print_kind(FILE *out, const struct frame *f, const struct tkind *tk)
{
	fprintf(out, "\n%s\n", tk->k->title);
	if (tk->note) {
		fprintf(out, "  (%s)\n", tk->note);
		return;
	}
	size_t nc = tk->ncols;
	size_t *w = xcalloc(nc, sizeof(*w));
	struct arena *a = &cell_texts;
	const char **text = xcalloc(tk->nrows * nc + 1, sizeof(*text));
	size_t *tw = xcalloc(tk->nrows * nc + 1, sizeof(*tw));
	for (size_t c = 0; c < nc; c++)
		w[c] = strlen(tk->cols[c]->name);
	for (size_t r = 0; r < tk->nrows; r++)
		for (size_t c = 0; c < nc; c++) {
			size_t i = r * nc + c;
			text[i] = model_cell_atext(f, tk->cols[c], &tk->rows[r].cells[c], a);
			tw[i] = text_width(text[i]);
			if (tw[i] > w[c])
				w[c] = tw[i];
		}
	for (size_t r = 0; r <= tk->nrows; r++) {
		fputc(r ? row_marker(&tk->rows[r - 1], nc) : ' ', out);
		for (size_t c = 0; c < nc; c++) {
			size_t i = (r - 1) * nc + c;
			const char *s = r ? text[i] : tk->cols[c]->name;
			size_t n = w[c] - (r ? tw[i] : strlen(s));
			bool right = tk->cols[c]->flags & COL_RIGHT;
			fputc(' ', out);
			if (right)
				pad(out, n);
			fputs(s, out);
			if (!right && c + 1 < nc)
				pad(out, n);
		}
		fputc('\n', out);
	}
	arena_reset(a);
	free(text);
	free(tw);
	free(w);
}

void batch_text(FILE *out, const struct frame *f, const bool want[])
{
	if (f->seq > 1)
		fputc('\n', out);
	print_header(out, f, want);
	for (size_t i = 0; i < nkinds; i++)
		if (want[i] && f->kinds[i].active)
			print_kind(out, f, &f->kinds[i]);
	fflush(out);
}

static void json_cell(FILE *out, const struct column *col, const struct cell *c)
{
	if (c->state != CELL_OK) {
		fputs("null", out);
		return;
	}
	switch (col->type) {
	case CT_STR:
		if (c->str)
			json_str(out, c->str, c->len);
		else
			fputs("null", out);
		break;
	case CT_NUM:
	case CT_SIZE:
		fprintf(out, "%llu", c->num);
		break;
	case CT_TIME: {
		char *s = format_time((time_t)c->num, TF_ISO, 0);
		json_str(out, s, strlen(s));
		free(s);
		break;
	}
	case CT_FLOAT:
		fprintf(out, "%.3f", c->fnum);
		break;
	}
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
			static const char *const states[] = { "same", "new", "gone" };
			fprintf(out, "%s{\"state\":\"%s\",\"changed\":[", r ? "," : "", states[row->state]);
			bool fc = true;
			for (size_t c = 0; c < tk->ncols; c++)
				if (row->changed[c]) {
					fprintf(out, "%s\"%s\"", fc ? "" : ",", tk->cols[c]->name);
					fc = false;
				}
			fputc(']', out);
			for (size_t c = 0; c < tk->ncols; c++) {
				fprintf(out, ",\"%s\":", tk->cols[c]->name);
				json_cell(out, tk->cols[c], &row->cells[c]);
			}
			fputc('}', out);
		}
		fputc(']', out);
	}
	fputs("}}\n", out);
	fflush(out);
}
