#include "out.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "out_text.h"
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

const char *out_cell_text(const struct out_opts *o, const struct column *col,
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
	const char *t = out_cell_text(o, col, c, buf, &len, &owned);
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
	/* all but the scratch buffer: zeroing that too was most of the cost of
	 * a call, made for every cell of every row */
	c->state = CELL_OK;
	c->num = 0;
	c->fnum = 0;
	c->str = NULL;
	c->len = 0;
	c->why = NULL;
	c->buf[0] = '\0';
	col->get(obj, c);
	if (c->state == CELL_OK && col->type == CT_STR && c->str && !c->len)
		c->len = strlen(c->str);
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
