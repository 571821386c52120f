/* Unit tests of lib/out.c and lib/out_table.c: escaping of names, cell
 * formatting (human sizes, times, absent values), ordering of cells,
 * sorting, typed JSON, and tables printed a slice at a time. */
#include <libsmartcols.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kind.h"
#include "out.h"
#include "util.h"
#include "tap.h"

/* esc_bytes over a buffer that may hold NULs, so the length is explicit. */
#define ESC(lit, want, ...) CHECK_STR_FREE(esc_bytes(lit, sizeof(lit) - 1), want, __VA_ARGS__)

static void test_esc(void)
{
	ESC("", "", "esc_bytes of nothing is empty");
	ESC("plain-name_1.2", "plain-name_1.2", "esc_bytes keeps printable ASCII");
	ESC("a b", "a b", "esc_bytes keeps a space");
	/* a name must not drive the terminal */
	ESC("\x1b[31mred", "\\x1b[31mred", "esc_bytes escapes ESC");
	ESC("a\nb", "a\\x0ab", "esc_bytes escapes a newline");
	ESC("a\tb", "a\\x09b", "esc_bytes escapes a tab");
	ESC("\r", "\\x0d", "esc_bytes escapes a carriage return");
	ESC("\x7f", "\\x7f", "esc_bytes escapes DEL");
	ESC("a\0b", "a\\x00b", "esc_bytes escapes a NUL inside the length");
	/* the escape character itself, so that an escaped name reads back one way */
	ESC("a\\b", "a\\x5cb", "esc_bytes escapes a backslash");

	ESC("\xff", "\\xff", "esc_bytes escapes the byte 0xff");
	ESC("\xfe\xfe", "\\xfe\\xfe", "esc_bytes escapes each invalid byte");
	ESC("\xc0\xaf", "\\xc0\\xaf", "esc_bytes escapes an overlong '/' (c0 af)");
	ESC("\xe0\x80\xaf", "\\xe0\\x80\\xaf", "esc_bytes escapes a 3-byte overlong");
	ESC("\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf", "esc_bytes escapes a 4-byte overlong");
	ESC("\xed\xa0\x80", "\\xed\\xa0\\x80", "esc_bytes escapes a surrogate (U+D800)");
	ESC("\xed\xbf\xbf", "\\xed\\xbf\\xbf", "esc_bytes escapes a surrogate (U+DFFF)");
	ESC("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80", "esc_bytes escapes past U+10FFFF");
	ESC("\xf8\x88\x80\x80\x80", "\\xf8\\x88\\x80\\x80\\x80", "esc_bytes escapes a 5-byte form");
	ESC("\x80", "\\x80", "esc_bytes escapes a lone continuation byte");
	ESC("a\xc3", "a\\xc3", "esc_bytes escapes a sequence cut by the end");
	ESC("\xe2\x82", "\\xe2\\x82", "esc_bytes escapes a 3-byte sequence cut short");
	ESC("\xe2\x82x", "\\xe2\\x82x", "esc_bytes escapes a sequence cut by ASCII");
	/* C1 controls are valid UTF-8 but terminals obey some (U+009B is CSI) */
	ESC("\xc2\x9b" "1m", "\\xc2\\x9b1m", "esc_bytes escapes the C1 control U+009B");
	ESC("\xc2\x80", "\\xc2\\x80", "esc_bytes escapes the C1 control U+0080");

	ESC("caf\xc3\xa9", "caf\xc3\xa9", "esc_bytes keeps a 2-byte character");
	ESC("\xc2\xa0", "\xc2\xa0", "esc_bytes keeps U+00A0, the first after C1");
	ESC("\xe2\x82\xac", "\xe2\x82\xac", "esc_bytes keeps a 3-byte character");
	ESC("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", "esc_bytes keeps a 4-byte character");
	ESC("\xed\x9f\xbf", "\xed\x9f\xbf", "esc_bytes keeps U+D7FF, below the surrogates");
	ESC("\xee\x80\x80", "\xee\x80\x80", "esc_bytes keeps U+E000, above the surrogates");
	ESC("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", "esc_bytes keeps U+10FFFF");
	ESC("\xff\xc3\xa9\n", "\\xff\xc3\xa9\\x0a", "esc_bytes resumes after a bad byte");

	/* only len bytes are read: a name is not always NUL-terminated */
	CHECK_STR_FREE(esc_bytes("abcdef", 3), "abc", "esc_bytes stops at len");
}

static const struct column size_col = { .name = "SIZE", .type = CT_SIZE };
static const struct column time_col = { .name = "CTIME", .type = CT_TIME };
static const struct column num_col = { .name = "ID", .type = CT_NUM };
static const struct column float_col = { .name = "USE%", .type = CT_FLOAT };
static const struct column str_col = { .name = "NAME", .type = CT_STR };

static struct cell num_cell(unsigned long long v)
{
	return (struct cell){ .state = CELL_OK, .num = v };
}

static struct cell str_cell(const char *s, size_t len)
{
	return (struct cell){ .state = CELL_OK, .str = s, .len = len };
}

static void human(unsigned long long bytes, const char *want)
{
	struct out_opts o;
	out_init(&o);
	struct cell c = num_cell(bytes);
	CHECK_STR_FREE(out_format(&o, &size_col, &c), want, "size %llu is %s", bytes, want);
}

static void test_sizes(void)
{
	human(0, "0B");
	human(1, "1B");
	human(1023, "1023B");
	human(1024, "1K");
	human(1536, "1.5K");
	human(1100, "1.1K");	/* 1.074 */
	human(1075, "1K");	/* 1.0498: rounds down, and ".0" is dropped */
	human(10239, "10K");	/* 9.999 rounds up into the next integer */
	/* rounding that reaches 1024 of a unit is one of the next unit */
	human(1048535, "1M");	/* 1023.96K */
	human(1048575, "1M");
	human(1048576, "1M");
	human(1073741823, "1G");
	human(1ULL << 30, "1G");
	human(3ULL << 29, "1.5G");
	human(1ULL << 40, "1T");
	human(1ULL << 50, "1P");
	human(1ULL << 60, "1E");
	human(ULLONG_MAX, "16E");

	struct out_opts o;
	out_init(&o);
	struct cell c = num_cell(1048535);
	o.bytes = true;
	CHECK_STR_FREE(out_format(&o, &size_col, &c), "1048535", "-b prints a size in bytes");
	c.num = ULLONG_MAX;
	CHECK_STR_FREE(out_format(&o, &size_col, &c), "18446744073709551615",
		       "-b prints the largest size in full");
	out_init(&o);
	o.mode = OUT_JSON;
	c.num = 1048535;
	CHECK_STR_FREE(out_format(&o, &size_col, &c), "1048535", "JSON gives a size in bytes");
}

static void test_format(void)
{
	struct out_opts o;
	out_init(&o);
	o.now = 1709647629;	/* 2024-03-05 14:07:09 UTC */
	struct cell c = num_cell(1709647629 - 300);

	CHECK_STR_FREE(out_format(&o, &time_col, &c), "14:02", "a time today is HH:MM");
	o.tf = TF_RELATIVE;
	o.tf_set = true;
	CHECK_STR_FREE(out_format(&o, &time_col, &c), "5m ago", "--time-format relative");
	o.mode = OUT_JSON;
	CHECK_STR_FREE(out_format(&o, &time_col, &c), "5m ago",
		       "JSON keeps a time format that was asked for");
	o.tf = TF_SHORT;
	o.tf_set = false;
	/* scripts read JSON: a full timestamp unless a format was asked for */
	CHECK_STR_FREE(out_format(&o, &time_col, &c), "2024-03-05T14:02:09+00:00",
		       "JSON times are ISO by default");

	out_init(&o);
	c = num_cell(42);
	CHECK_STR_FREE(out_format(&o, &num_col, &c), "42", "a number");
	c = num_cell(ULLONG_MAX);
	CHECK_STR_FREE(out_format(&o, &num_col, &c), "18446744073709551615", "the largest number");
	c = (struct cell){ .state = CELL_OK, .fnum = 12.5 };
	CHECK_STR_FREE(out_format(&o, &float_col, &c), "12.50", "a ratio has two decimals");

	/* tables hand the bytes to libsmartcols, which escapes them itself */
	c = str_cell("a\x1b" "b\xff" "cdef", 4);
	CHECK_STR_FREE(out_format(&o, &str_col, &c), "a\x1b" "b\xff",
		       "a table cell is the raw text");
	o.mode = OUT_JSON;
	/* JSON must stay valid UTF-8; control characters are left to the JSON escaper */
	CHECK_STR_FREE(out_format(&o, &str_col, &c), "a\x1b" "b\\xff",
		       "JSON text escapes invalid UTF-8 only");
	c = str_cell("caf\xc3\xa9", 5);
	CHECK_STR_FREE(out_format(&o, &str_col, &c), "caf\xc3\xa9", "JSON text keeps UTF-8");

	const struct column *cols[] = { &size_col, &time_col, &num_col, &float_col, &str_col };
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		struct cell absent = { .state = CELL_ABSENT };
		struct cell unknown = { .state = CELL_UNKNOWN, .why = "Permission denied" };
		out_init(&o);
		CHECK_STR_FREE(out_format(&o, cols[i], &absent), "-", "absent %s is '-'",
			       cols[i]->name);
		CHECK_STR_FREE(out_format(&o, cols[i], &unknown), "?", "unknown %s is '?'",
			       cols[i]->name);
		o.mode = OUT_JSON;
		CHECK_STR_FREE(out_format(&o, cols[i], &absent), NULL, "absent %s is JSON null",
			       cols[i]->name);
		CHECK_STR_FREE(out_format(&o, cols[i], &unknown), NULL, "unknown %s is JSON null",
			       cols[i]->name);
	}
	out_init(&o);
	c = str_cell(NULL, 0);
	CHECK_STR_FREE(out_format(&o, &str_col, &c), "-", "text without a string is '-'");
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

#define CMP(type, x, y, want, ...) CHECK_EQ(sign(cell_cmp(type, x, y)), want, __VA_ARGS__)

static void test_cmp(void)
{
	struct cell one = num_cell(1), two = num_cell(2), big = num_cell(ULLONG_MAX);
	struct cell zero = num_cell(0);
	CMP(CT_NUM, &one, &two, -1, "1 < 2");
	CMP(CT_NUM, &two, &one, 1, "2 > 1");
	CMP(CT_NUM, &one, &one, 0, "1 == 1");
	/* a subtraction would wrap here */
	CMP(CT_NUM, &big, &zero, 1, "2^64-1 > 0");
	CMP(CT_NUM, &zero, &big, -1, "0 < 2^64-1");
	CMP(CT_SIZE, &one, &two, -1, "sizes by value");
	CMP(CT_TIME, &two, &one, 1, "times by value");

	struct cell half = { .state = CELL_OK, .fnum = 0.5 };
	struct cell more = { .state = CELL_OK, .fnum = 1.5 };
	CMP(CT_FLOAT, &half, &more, -1, "0.5 < 1.5");
	CMP(CT_FLOAT, &more, &half, 1, "1.5 > 0.5");
	CMP(CT_FLOAT, &half, &half, 0, "0.5 == 0.5");

	struct cell abc = str_cell("abc", 3), abd = str_cell("abd", 3), ab = str_cell("ab", 2);
	struct cell upper = str_cell("B", 1), lower = str_cell("a", 1), high = str_cell("\xff", 1);
	struct cell empty = str_cell("", 0);
	struct cell nul1 = str_cell("a\0b", 3), nul2 = str_cell("a\0c", 3);
	struct cell abc_long = str_cell("abcdef", 3);
	CMP(CT_STR, &abc, &abd, -1, "'abc' < 'abd'");
	CMP(CT_STR, &abd, &abc, 1, "'abd' > 'abc'");
	CMP(CT_STR, &ab, &abc, -1, "a prefix sorts first");
	CMP(CT_STR, &abc, &ab, 1, "a longer string sorts after its prefix");
	CMP(CT_STR, &empty, &lower, -1, "the empty string sorts first");
	CMP(CT_STR, &abc, &abc_long, 0, "text compares within its length only");
	/* by bytes: no locale, no case folding */
	CMP(CT_STR, &upper, &lower, -1, "'B' < 'a' by bytes");
	CMP(CT_STR, &lower, &high, -1, "bytes compare unsigned: 'a' < 0xff");
	CMP(CT_STR, &nul1, &nul2, -1, "a NUL inside the length does not end the text");

	struct cell absent = { .state = CELL_ABSENT }, unknown = { .state = CELL_UNKNOWN };
	CMP(CT_NUM, &absent, &big, 1, "absent sorts after any number");
	CMP(CT_NUM, &zero, &absent, -1, "a number sorts before absent");
	CMP(CT_NUM, &unknown, &big, 1, "unknown sorts after any number");
	CMP(CT_STR, &unknown, &empty, 1, "unknown sorts after any text");
	CMP(CT_STR, &high, &absent, -1, "text sorts before absent");
	CMP(CT_NUM, &absent, &unknown, 0, "absent and unknown are equal");
	CMP(CT_NUM, &absent, &absent, 0, "absent equals absent");
}

/* A kind of test objects: the id is a number column, absent when negative;
 * the name a text column whose bytes live in the cell's own buffer, as
 * several real columns do. */
static void get_id(const struct ipc_obj *o, struct cell *c)
{
	if (o->id < 0) {
		c->state = CELL_ABSENT;
		return;
	}
	c->state = CELL_OK;
	c->num = (unsigned long long)o->id;
}

static void get_name(const struct ipc_obj *o, struct cell *c)
{
	c->state = CELL_OK;
	snprintf(c->buf, sizeof(c->buf), "%s", o->name);
	c->str = c->buf;
}

static void get_size(const struct ipc_obj *o, struct cell *c)
{
	c->state = CELL_OK;
	c->num = (unsigned long long)o->key;
}

static void get_ctime(const struct ipc_obj *o, struct cell *c)
{
	if (!o->ctime) {
		c->state = CELL_ABSENT;
		return;
	}
	c->state = CELL_OK;
	c->num = (unsigned long long)o->ctime;
}

static const struct column test_cols[] = {
	{ "ID", CT_NUM, COL_DEFAULT, 0, "id", get_id },
	{ "NAME", CT_STR, COL_DEFAULT, 0, "name", get_name },
	{ "SIZE", CT_SIZE, 0, 0, "size", get_size },
	{ "CTIME", CT_TIME, 0, 0, "change time", get_ctime },
};
#define NCOLS (sizeof(test_cols) / sizeof(test_cols[0]))

static const struct kind test_kind = {
	.name = "test",
	.title = "Test objects",
	.defcols = "ID,NAME",
	.cols = test_cols,
	.ncols = NCOLS,
};

static struct ipc_obj *mkobj(long long id, const char *name, int size, time_t ctime)
{
	struct ipc_obj *o = obj_new(&test_kind);
	o->id = id;
	o->name = xstrdup(name);
	o->key = size;
	o->ctime = ctime;
	return o;
}

static char *order(const struct objlist *l)
{
	char buf[256] = "";
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			strcat(buf, ",");
		strcat(buf, l->v[i]->name);
	}
	return xstrdup(buf);
}

static void test_sort(void)
{
	struct objlist l = { 0 };
	objlist_add(&l, mkobj(30, "cherry", 10, 0));
	objlist_add(&l, mkobj(-1, "apple", 30, 0));
	objlist_add(&l, mkobj(10, "banana", 20, 0));
	objlist_add(&l, mkobj(20, "Date", 40, 0));

	struct out_opts o;
	out_init(&o);
	o.sort = "id";
	out_sort(&o, &l, test_cols, NCOLS);
	CHECK_STR_FREE(order(&l), "banana,Date,cherry,apple",
		       "sort by a number column, absent last, any case of its name");
	o.sort = "NAME";
	out_sort(&o, &l, test_cols, NCOLS);
	CHECK_STR_FREE(order(&l), "Date,apple,banana,cherry", "sort text by bytes");
	o.sort = "size";
	out_sort(&o, &l, test_cols, NCOLS);
	CHECK_STR_FREE(order(&l), "cherry,banana,apple,Date", "sort by size");
	o.sort = NULL;
	out_sort(&o, &l, test_cols, NCOLS);
	CHECK_STR_FREE(order(&l), "cherry,banana,apple,Date", "no --sort keeps the order");
	objlist_free(&l);
}

/* Stdout into a temporary file, from capture_start to capture_stop. */
struct capture {
	int saved;
	FILE *tmp;
};

static void capture_start(struct capture *c)
{
	fflush(stdout);
	c->saved = dup(STDOUT_FILENO);
	c->tmp = tmpfile();
	if (c->saved < 0 || !c->tmp) {
		perror("capture");
		exit(1);
	}
	dup2(fileno(c->tmp), STDOUT_FILENO);
}

/* What was printed meanwhile; stdout is restored. */
static char *capture_stop(struct capture *c)
{
	fflush(stdout);
	dup2(c->saved, STDOUT_FILENO);
	close(c->saved);
	long len = ftell(c->tmp);
	char *buf = xmalloc((size_t)len + 1);
	rewind(c->tmp);
	size_t got = fread(buf, 1, (size_t)len, c->tmp);
	buf[got] = '\0';
	fclose(c->tmp);
	return buf;
}

/* Runs out_end with stdout in a temporary file; returns what it printed. */
static char *capture_end(struct out_doc *d)
{
	struct capture c;
	capture_start(&c);
	out_end(d);
	return capture_stop(&c);
}

static void test_select_and_print(void)
{
	struct out_opts o;
	struct colsel sel;
	out_init(&o);
	out_select(&o, test_cols, NCOLS, test_kind.defcols, "test", false, &sel);
	CHECK(sel.n == 2 && sel.v[0] == &test_cols[0] && sel.v[1] == &test_cols[1],
	      "no -o selects the default columns");
	colsel_free(&sel);
	o.columns = "+size";
	out_select(&o, test_cols, NCOLS, test_kind.defcols, "test", false, &sel);
	CHECK(sel.n == 3 && sel.v[2] == &test_cols[2], "-o +COL adds to the defaults");
	colsel_free(&sel);
	o.columns = "ctime,,ID";
	out_select(&o, test_cols, NCOLS, test_kind.defcols, "test", false, &sel);
	CHECK(sel.n == 2 && sel.v[0] == &test_cols[3] && sel.v[1] == &test_cols[0],
	      "-o replaces the defaults, in its order");
	colsel_free(&sel);
	o.columns = "nosuch,size";
	out_select(&o, test_cols, NCOLS, test_kind.defcols, "test", true, &sel);
	CHECK(sel.n == 1 && sel.v[0] == &test_cols[2], "a lenient -o skips unknown columns");
	colsel_free(&sel);

	/* JSON is typed: sizes are numbers, absent values null, text quoted */
	out_init(&o);
	o.mode = OUT_JSON;
	o.output_all = true;
	out_select(&o, test_cols, NCOLS, NULL, "test", false, &sel);
	struct out_doc *d = out_begin(&o);
	struct out_tab *t = out_table(d, "test", test_kind.title, &sel);
	struct ipc_obj *obj = mkobj(-1, "q\"\n", 1048535, 0);
	out_row_obj(t, obj);
	obj_free(obj);
	char *json = capture_end(d);
	CHECK(strstr(json, "\"size\": 1048535") != NULL, "JSON size is a bare number in bytes");
	CHECK(strstr(json, "\"id\": null") != NULL, "JSON absent number is null");
	CHECK(strstr(json, "\"ctime\": null") != NULL, "JSON absent time is null");
	CHECK(strstr(json, "\"name\": \"q\\\"\\n\"") != NULL, "JSON text is quoted and escaped");
	CHECK(json[0] == '{' && strlen(json) > 2 && !strcmp(json + strlen(json) - 2, "}\n"),
	      "JSON is one object");
	if (tap_failed)
		for (char *line = strtok(json, "\n"); line; line = strtok(NULL, "\n"))
			printf("#   %s\n", line);
	free(json);
	colsel_free(&sel);
}

/*
 * Tables printed a slice of rows at a time, by several threads, and while
 * rows still come (out_print_early), against libsmartcols printing the
 * same rows as one table. The rows widen their columns late: ids grow a
 * digit at rows 10, 100 and 1000, one name is wide at row 700 and the last
 * size is the widest, so slices printed early must be printed again.
 */
static const struct column slice_cols[] = {
	{ "ID", CT_NUM, COL_DEFAULT | COL_RIGHT, 0, "id", get_id },
	{ "NAME", CT_STR, COL_DEFAULT, 0, "name", get_name },
	{ "SIZE", CT_SIZE, COL_DEFAULT | COL_RIGHT, 0, "size", get_size },
};
#define SLICE_NCOLS (sizeof(slice_cols) / sizeof(slice_cols[0]))
#define SLICE_TEST_ROWS 1200

static const struct kind slice_kind = {
	.name = "test",
	.defcols = "ID,NAME,SIZE",
	.cols = slice_cols,
	.ncols = SLICE_NCOLS,
};

static void slice_row(int r, char *name, size_t len, long long *id, int *size)
{
	snprintf(name, len, r == 700 ? "a-rather-long-name-%d" : "n%d", r % 7);
	*id = r;
	*size = r == SLICE_TEST_ROWS - 1 ? 123456789 : r % 50;
}

/* Prints the rows through ipcx's tables, with stdout in a file throughout. */
static char *ipcx_print(enum out_mode mode, bool noheadings, bool early)
{
	struct capture cap;
	capture_start(&cap);
	struct out_opts o;
	struct colsel sel;
	out_init(&o);
	o.mode = mode;
	o.noheadings = noheadings;
	o.bytes = true;
	out_select(&o, slice_cols, SLICE_NCOLS, slice_kind.defcols, "test", false, &sel);
	struct out_doc *d = out_begin(&o);
	struct out_tab *t = out_table(d, "test", NULL, &sel);
	if (early)
		out_print_early(t);
	for (int r = 0; r < SLICE_TEST_ROWS; r++) {
		char name[64];
		long long id;
		int size;
		slice_row(r, name, sizeof(name), &id, &size);
		struct ipc_obj *obj = mkobj(id, name, size, 0);
		obj->kind = &slice_kind;
		out_row_obj(t, obj);
		obj_free(obj);
		/* time for the printing thread to print the slices so far, for
		 * cells narrower than rows to come */
		if (early && r % 256 == 255)
			usleep(20000);
	}
	out_end(d);
	colsel_free(&sel);
	return capture_stop(&cap);
}

/* The same rows printed whole by libsmartcols, outside a terminal. */
static char *scols_print(bool raw, bool noheadings)
{
	struct libscols_table *tb = scols_new_table();
	scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
	scols_table_enable_raw(tb, raw);
	scols_table_enable_noheadings(tb, noheadings);
	scols_table_new_column(tb, "ID", 0, SCOLS_FL_RIGHT);
	scols_table_new_column(tb, "NAME", 0, 0);
	scols_table_new_column(tb, "SIZE", 0, SCOLS_FL_RIGHT);
	for (int r = 0; r < SLICE_TEST_ROWS; r++) {
		char name[64], num[32];
		long long id;
		int size;
		slice_row(r, name, sizeof(name), &id, &size);
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		snprintf(num, sizeof(num), "%lld", id);
		scols_line_set_data(ln, 0, num);
		scols_line_set_data(ln, 1, name);
		snprintf(num, sizeof(num), "%d", size);
		scols_line_set_data(ln, 2, num);
	}
	char *s = NULL;
	scols_print_table_to_string(tb, &s);
	scols_unref_table(tb);
	/* libsmartcols' string has no last line break; a stream gets one */
	char *r = xasprintf("%s\n", s ? s : "");
	free(s);
	return r;
}

static void check_same(char *got, char *want, const char *what)
{
	bool same = !strcmp(got, want);
	CHECK(same, "%s: as libsmartcols prints the table whole", what);
	if (!same) {
		size_t i = 0;
		while (got[i] && got[i] == want[i])
			i++;
		printf("#   first difference at byte %zu: got '%.40s' want '%.40s'\n", i, got + i,
		       want + i);
	}
	free(got);
	free(want);
}

static void test_slices(void)
{
	check_same(ipcx_print(OUT_TABLE, false, false), scols_print(false, false),
		   "a table printed a slice at a time");
	check_same(ipcx_print(OUT_TABLE, false, true), scols_print(false, false),
		   "a table printed while its rows come");
	check_same(ipcx_print(OUT_TABLE, true, true), scols_print(false, true),
		   "a table without headings printed while its rows come");
	check_same(ipcx_print(OUT_RAW, false, true), scols_print(true, false),
		   "raw output printed while its rows come");
}

/* Bad option values end the program with a usage error naming the value,
 * escaped, on one line. */
static void bad_time_format(const void *arg)
{
	struct out_opts o;
	out_init(&o);
	out_opt(&o, OPT_TIME_FORMAT, arg);
}

static void bad_sort(const void *arg)
{
	struct out_opts o;
	out_init(&o);
	o.sort = arg;
	struct objlist l = { 0 };
	objlist_add(&l, mkobj(1, "a", 1, 0));
	objlist_add(&l, mkobj(2, "b", 2, 0));
	out_sort(&o, &l, test_cols, NCOLS);
}

static void bad_column(const void *arg)
{
	struct out_opts o;
	struct colsel sel;
	out_init(&o);
	o.columns = arg;
	out_select(&o, test_cols, NCOLS, test_kind.defcols, "test", false, &sel);
}

static void bad(void (*fn)(const void *), const char *arg, const char *label, const char *want)
{
	char err[512];
	int st = tap_exit_status(fn, arg, err, sizeof(err));
	CHECK_EQ(st, EXIT_USAGE, "usage error for %s", label);
	CHECK_STR(err, want, "one-line message for %s", label);
}

static void test_bad(void)
{
	bad(bad_time_format, "full", "--time-format full",
	    "ipcx: invalid --time-format 'full': expected short, relative or iso\n");
	bad(bad_time_format, "iso\n\x1b[2J", "--time-format with a newline and ESC",
	    "ipcx: invalid --time-format 'iso\\x0a\\x1b[2J': expected short, relative or iso\n");
	bad(bad_sort, "nosuch", "--sort of an unknown column",
	    "ipcx: unknown sort column 'nosuch' (see --list-columns)\n");
	bad(bad_sort, "id\n", "--sort with a newline",
	    "ipcx: unknown sort column 'id\\x0a' (see --list-columns)\n");
	bad(bad_column, "id,x\ty", "-o of an unknown column",
	    "ipcx: unknown column 'x\\x09y' for test (see --list-columns)\n");
	bad(bad_column, ",", "-o of no column", "ipcx: no columns selected for test\n");
}

int main(void)
{
	/* times below are pinned to UTC */
	setenv("TZ", "UTC", 1);
	tzset();
	test_esc();
	test_sizes();
	test_format();
	test_cmp();
	test_sort();
	test_select_and_print();
	test_slices();
	test_bad();
	return tap_done();
}
