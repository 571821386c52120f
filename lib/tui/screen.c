#include "screen.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../holders.h"
#include "../ops.h"
#include "../out.h"
#include "../proc.h"
#include "../signame.h"
#include "../util.h"
#include "batch.h"

/* One line of the list: a section title, a column header, or a row. */
enum line_type { L_TITLE, L_HEADER, L_ROW };

struct line {
	enum line_type type;
	size_t kind;
	size_t row;
};

struct sortstate {
	size_t col;
	bool invert, set;
};

struct screen {
	double delay;
	bool paused;
	bool colour;
	bool *sel;		/* kinds of the "all" tab */
	size_t tab;		/* 0: all; else kinds[tab - 1] */
	struct sortstate *sort;	/* per kind */
	char *filter, *search;
	char *selected;		/* id of the selected row */
	char **tags;
	size_t ntags;
	struct line *lines;
	size_t nlines;
	size_t cur, top;	/* selected line, first line shown */
	bool detail, help;
	char status[512];
	/* where things are, for the mouse */
	int tab_y, head_y, list_y, list_h;
	int tab_x[64], tab_w[64];
	int col_x[64], col_w[64];
	size_t ncolx, head_kind;
	/* formatted cells of the frame, per kind: text[kind][row * ncols + col] */
	char ***text;
	size_t *ntext;
	size_t **width;
	unsigned text_seq;	/* the frame the texts were made for */
	bool dirty;		/* rows were sorted since */
};

enum { C_NEW = 1, C_GONE, C_CHANGED, C_TITLE, C_BAR };

static bool curses_on;

void screen_restore(void)
{
	if (curses_on && !isendwin()) {
		endwin();
		fflush(stdout);
	}
	curses_on = false;
}

struct screen *screen_open(double delay, const bool sel[])
{
	struct screen *s = xcalloc(1, sizeof(*s));
	s->delay = delay;
	s->sel = xcalloc(nkinds, sizeof(*s->sel));
	memcpy(s->sel, sel, nkinds * sizeof(*sel));
	s->sort = xcalloc(nkinds, sizeof(*s->sort));
	s->text = xcalloc(nkinds, sizeof(*s->text));
	s->width = xcalloc(nkinds, sizeof(*s->width));
	s->ntext = xcalloc(nkinds, sizeof(*s->ntext));
	/* one kind named: its tab first */
	size_t n = 0, last = 0;
	for (size_t i = 0; i < nkinds; i++)
		if (sel[i]) {
			n++;
			last = i;
		}
	s->tab = n == 1 ? last + 1 : 0;
	static bool registered;
	if (!registered) {
		atexit(screen_restore);
		registered = true;
	}
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	if (!initscr())
		die(EXIT_RUNTIME, "cannot start the screen: no terminal");
	curses_on = true;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED, NULL);
	mouseinterval(0);
	const char *nc = getenv("NO_COLOR");
	s->colour = has_colors() && !(nc && *nc);
	if (s->colour) {
		start_color();
		use_default_colors();
		init_pair(C_NEW, COLOR_GREEN, -1);
		init_pair(C_GONE, COLOR_RED, -1);
		init_pair(C_CHANGED, COLOR_YELLOW, -1);
		init_pair(C_TITLE, COLOR_CYAN, -1);
		init_pair(C_BAR, COLOR_GREEN, -1);
	}
	return s;
}

static void text_free(struct screen *s)
{
	for (size_t k = 0; k < nkinds; k++) {
		for (size_t i = 0; s->text[k] && i < s->ntext[k]; i++)
			free(s->text[k][i]);
		free(s->text[k]);
		s->text[k] = NULL;
		s->ntext[k] = 0;
		free(s->width[k]);
		s->width[k] = NULL;
	}
}

void screen_close(struct screen *s)
{
	screen_restore();
	if (!s)
		return;
	free(s->sel);
	free(s->sort);
	free(s->filter);
	free(s->search);
	free(s->selected);
	for (size_t i = 0; i < s->ntags; i++)
		free(s->tags[i]);
	free(s->tags);
	free(s->lines);
	text_free(s);
	free(s->text);
	free(s->ntext);
	free(s->width);
	free(s);
}

void screen_want(const struct screen *s, bool want[])
{
	for (size_t i = 0; i < nkinds; i++)
		want[i] = !kinds[i]->fd_based || (s->tab ? s->tab == i + 1 : s->sel[i]);
}

double screen_delay(const struct screen *s)
{
	return s->delay;
}

bool screen_paused(const struct screen *s)
{
	return s->paused;
}

static bool tagged(const struct screen *s, const char *id)
{
	for (size_t i = 0; i < s->ntags; i++)
		if (!strcmp(s->tags[i], id))
			return true;
	return false;
}

static void toggle_tag(struct screen *s, const char *id)
{
	for (size_t i = 0; i < s->ntags; i++)
		if (!strcmp(s->tags[i], id)) {
			free(s->tags[i]);
			s->tags[i] = s->tags[--s->ntags];
			return;
		}
	s->tags = xrealloc(s->tags, (s->ntags + 1) * sizeof(*s->tags));
	s->tags[s->ntags++] = xstrdup(id);
}

/* Formats every cell once per frame, and again after a sort. */
static void format_frame(struct screen *s, const struct frame *f)
{
	text_free(s);
	s->text_seq = f->seq;
	s->dirty = false;
	for (size_t k = 0; k < nkinds; k++) {
		const struct tkind *tk = &f->kinds[k];
		if (!tk->active)
			continue;
		size_t nc = tk->ncols;
		s->ntext[k] = tk->nrows * nc;
		s->text[k] = xcalloc(s->ntext[k] + 1, sizeof(char *));
		s->width[k] = xcalloc(nc, sizeof(size_t));
		for (size_t c = 0; c < nc; c++)
			s->width[k][c] = strlen(tk->cols[c]->name);
		for (size_t r = 0; r < tk->nrows; r++)
			for (size_t c = 0; c < nc; c++) {
				struct cell cell;
				tcell_cell(&tk->rows[r].cells[c], &cell);
				char *t = model_cell_text(f, tk->cols[c], &cell);
				size_t w = text_width(t);
				if (w > s->width[k][c])
					s->width[k][c] = w;
				s->text[k][r * nc + c] = t;
			}
	}
}

static bool row_matches(const struct screen *s, const struct frame *f, size_t k, size_t r,
			const char *needle)
{
	const struct tkind *tk = &f->kinds[k];
	for (size_t c = 0; c < tk->ncols; c++)
		if (strcasestr(s->text[k][r * tk->ncols + c], needle))
			return true;
	(void)f;
	return false;
}

static void add_line(struct screen *s, enum line_type t, size_t k, size_t r)
{
	s->lines = xrealloc(s->lines, (s->nlines + 1) * sizeof(*s->lines));
	s->lines[s->nlines++] = (struct line){ t, k, r };
}

static bool in_tab(const struct screen *s, size_t k)
{
	return s->tab ? s->tab == k + 1 : s->sel[k];
}

/* The lines of the current tab, sorted and filtered; the selection kept by id. */
static void build_lines(struct screen *s, struct frame *f)
{
	s->nlines = 0;
	for (size_t k = 0; k < nkinds; k++) {
		struct tkind *tk = &f->kinds[k];
		if (!in_tab(s, k) || !tk->active)
			continue;
		if (!s->tab)
			add_line(s, L_TITLE, k, 0);
		if (s->tab == 0)
			add_line(s, L_HEADER, k, 0);
		if (tk->note)
			continue;
		for (size_t r = 0; r < tk->nrows; r++) {
			if (s->filter && *s->filter && !row_matches(s, f, k, r, s->filter))
				continue;
			add_line(s, L_ROW, k, r);
		}
	}
	/* the selection follows its object */
	bool found = false;
	if (s->selected)
		for (size_t i = 0; i < s->nlines && !found; i++)
			if (s->lines[i].type == L_ROW &&
			    !strcmp(f->kinds[s->lines[i].kind].rows[s->lines[i].row].id, s->selected)) {
				s->cur = i;
				found = true;
			}
	if (!found) {
		if (s->cur >= s->nlines)
			s->cur = s->nlines ? s->nlines - 1 : 0;
		while (s->cur < s->nlines && s->lines[s->cur].type != L_ROW)
			s->cur++;
		if (s->cur >= s->nlines)
			s->cur = 0;
	}
}

static const struct trow *cur_row(const struct screen *s, const struct frame *f)
{
	if (s->cur >= s->nlines || s->lines[s->cur].type != L_ROW)
		return NULL;
	return &f->kinds[s->lines[s->cur].kind].rows[s->lines[s->cur].row];
}

static void remember_selection(struct screen *s, const struct frame *f)
{
	const struct trow *r = cur_row(s, f);
	free(s->selected);
	s->selected = r ? xstrdup(r->id) : NULL;
}

/* Sorts the kinds by what the user chose; their rows are reformatted after. */
static void sort_kinds(struct screen *s, struct frame *f)
{
	for (size_t k = 0; k < nkinds; k++)
		if (s->sort[k].set && f->kinds[k].active)
			model_sort(&f->kinds[k], s->sort[k].col, s->sort[k].invert);
}

static void put_clipped(int y, int x, const char *t, int maxw)
{
	if (maxw <= 0)
		return;
	/* cut by display cells, not bytes */
	int w = 0;
	const char *p = t;
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	while (*p) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, p, strlen(p), &st);
		if (n == (size_t)-1 || n == (size_t)-2)
			break;
		int cw = wcwidth(wc);
		if (cw < 0)
			cw = 0;
		if (w + cw > maxw)
			break;
		w += cw;
		p += n ? n : 1;
	}
	mvaddnstr(y, x, t, (int)(p - t));
}

static void draw_bar(int *y, int *x, const struct hdr_limit *h)
{
	char tail[48];
	double pct = h->ok && h->limit ? 100.0 * (double)h->used / (double)h->limit : 0;
	if (!h->ok)
		snprintf(tail, sizeof(tail), "?");
	else if (snprintf(tail, sizeof(tail), "%llu/%llu", h->used, h->limit) > 13)
		snprintf(tail, sizeof(tail), "%.1f%%", pct);
	int need = 10 + 12 + 1 + (int)strlen(tail) + 2;
	if (*x + need > COLS) {
		(*y)++;
		*x = 0;
	}
	mvprintw(*y, *x, "%-10.10s[", h->name);
	int fill = h->ok ? (int)(pct / 10.0 + 0.5) : 0;
	if (h->ok && h->used && fill == 0)
		fill = 1;
	if (fill > 10)
		fill = 10;
	attron(COLOR_PAIR(C_BAR));
	for (int i = 0; i < 10; i++)
		addch(i < fill ? '|' : ' ');
	attroff(COLOR_PAIR(C_BAR));
	printw("] %s", tail);
	*x += need;
}

static void draw_header(struct screen *s, const struct frame *f, int *y)
{
	char when[32];
	struct tm tm;
	localtime_r(&f->wall, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	attron(A_BOLD);
	mvprintw(0, 0, "ipcx top - %s  frame %u  delay %.1fs%s", when, f->seq, s->delay,
		 s->paused ? "  [paused]" : "");
	attroff(A_BOLD);
	if (s->filter) {
		char *t = xasprintf("  filter: %s", s->filter);
		int x = getcurx(stdscr);
		put_clipped(0, x, t, COLS - x);
		free(t);
	}
	int yy = 1, x = 0;
	for (size_t i = 0; i < f->nlimits; i++)
		draw_bar(&yy, &x, &f->limits[i]);
	yy++;
	move(yy, 0);
	printw("Objects:");
	for (size_t k = 0; k < nkinds; k++) {
		const struct tkind *tk = &f->kinds[k];
		if (!tk->active)
			continue;
		if (tk->note)
			printw(" %s ?", tk->k->name);
		else
			printw(" %s %zu", tk->k->name, tk->total);
	}
	*y = yy + 1;
}

static void draw_tabs(struct screen *s, int y)
{
	s->tab_y = y;
	move(y, 0);
	int x = 0;
	for (size_t t = 0; t <= nkinds && t < 64; t++) {
		const char *name = t ? kinds[t - 1]->name : "all";
		int w = (int)strlen(name) + 2;
		if (x + w > COLS)
			break;
		s->tab_x[t] = x;
		s->tab_w[t] = w;
		if (t == s->tab)
			attron(A_REVERSE | A_BOLD);
		mvprintw(y, x, " %s ", name);
		if (t == s->tab)
			attroff(A_REVERSE | A_BOLD);
		x += w + 1;
	}
	for (size_t t = nkinds + 1; t < 64; t++)
		s->tab_w[t] = 0;
}

/* x of each column of kind k; the tag and marker take the first two cells. */
static void draw_colheader(struct screen *s, const struct frame *f, size_t k, int y, bool pinned)
{
	const struct tkind *tk = &f->kinds[k];
	int x = 3;
	if (pinned) {
		s->head_y = y;
		s->head_kind = k;
		s->ncolx = 0;
	}
	attron(A_REVERSE);
	mvhline(y, 0, ' ', COLS);
	for (size_t c = 0; c < tk->ncols && x < COLS; c++) {
		int w = (int)s->width[k][c];
		const char *name = tk->cols[c]->name;
		bool sorted = s->sort[k].set && s->sort[k].col == c;
		if (sorted)
			attron(A_BOLD);
		int pad = w - (int)strlen(name);
		put_clipped(y, x + ((tk->cols[c]->flags & COL_RIGHT) ? pad : 0), name, COLS - x);
		if (sorted) {
			attroff(A_BOLD);
			if (x + w < COLS)
				mvaddch(y, x + w, s->sort[k].invert ? 'v' : '^');
		}
		if (pinned && c < 64) {
			s->col_x[c] = x;
			s->col_w[c] = w;
			s->ncolx = c + 1;
		}
		x += w + 1;
	}
	attroff(A_REVERSE);
}

static void draw_row(struct screen *s, const struct frame *f, size_t k, size_t r, int y,
		     bool selected)
{
	const struct tkind *tk = &f->kinds[k];
	const struct trow *row = &tk->rows[r];
	attr_t base = A_NORMAL;
	short pair = 0;
	if (row->state == ROW_NEW) {
		base |= A_BOLD;
		pair = C_NEW;
	} else if (row->state == ROW_GONE) {
		base |= A_DIM;
		pair = C_GONE;
	}
	if (selected)
		base |= A_REVERSE;
	if (!s->colour)
		pair = 0;
	attrset(base | COLOR_PAIR(pair));
	mvhline(y, 0, ' ', COLS);
	mvaddch(y, 0, tagged(s, row->id) ? '#' : ' ');
	mvaddch(y, 1, row_marker(row, tk->ncols));
	int x = 3;
	for (size_t c = 0; c < tk->ncols && x < COLS; c++) {
		const char *t = s->text[k][r * tk->ncols + c];
		int w = (int)s->width[k][c];
		int pad = w - (int)text_width(t);
		if (pad < 0)
			pad = 0;
		attr_t a = base;
		if (row->changed[c])
			a |= s->colour ? A_BOLD : A_BOLD | A_UNDERLINE;
		attrset(a | COLOR_PAIR(row->changed[c] && s->colour && !pair ? C_CHANGED : pair));
		put_clipped(y, x + ((tk->cols[c]->flags & COL_RIGHT) ? pad : 0), t, COLS - x);
		x += w + 1;
	}
	attrset(A_NORMAL);
}

static void draw_list(struct screen *s, const struct frame *f, int y)
{
	size_t k0 = s->tab ? s->tab - 1 : 0;
	s->ncolx = 0;
	if (s->tab) {
		draw_colheader(s, f, k0, y, true);
		y++;
		if (f->kinds[k0].note)
			put_clipped(y, 3, f->kinds[k0].note, COLS - 3);
	}
	s->list_y = y;
	s->list_h = LINES - 1 - y;
	if (s->list_h < 1)
		s->list_h = 1;
	if (s->cur < s->top)
		s->top = s->cur;
	if (s->cur >= s->top + (size_t)s->list_h)
		s->top = s->cur - (size_t)s->list_h + 1;
	for (int i = 0; i < s->list_h && s->top + (size_t)i < s->nlines; i++) {
		const struct line *l = &s->lines[s->top + (size_t)i];
		int yy = y + i;
		if (l->type == L_TITLE) {
			attron(A_BOLD | (s->colour ? COLOR_PAIR(C_TITLE) : 0));
			const struct tkind *tk = &f->kinds[l->kind];
			char *t = xasprintf("%s%s%s", tk->k->title, tk->note ? ": " : "",
					    tk->note ? tk->note : "");
			put_clipped(yy, 0, t, COLS);
			free(t);
			attroff(A_BOLD | (s->colour ? COLOR_PAIR(C_TITLE) : 0));
		} else if (l->type == L_HEADER) {
			if (!f->kinds[l->kind].note)
				draw_colheader(s, f, l->kind, yy, false);
		} else {
			draw_row(s, f, l->kind, l->row, yy, s->top + (size_t)i == s->cur);
		}
	}
}

static void draw_status(struct screen *s)
{
	move(LINES - 1, 0);
	clrtoeol();
	if (s->status[0]) {
		attron(A_BOLD);
		put_clipped(LINES - 1, 0, s->status, COLS);
		attroff(A_BOLD);
		return;
	}
	const char *keys = "F1Help F3Search F4Filter F6Sort Space Tag Enter Detail F9Kill dDelay pPause F10Quit";
	put_clipped(LINES - 1, 0, keys, COLS);
}

static const char *const help_text[] = {
	"ipcx top: IPC objects and the processes that use them",
	"",
	"  Tab, Right / Shift-Tab, Left   next / previous kind (\"all\" first)",
	"  Up, Down, PgUp, PgDn, Home, End   move the selection",
	"  F3 or /    search (F3 again or n: next match)",
	"  F4 or \\    filter rows by text (empty: no filter)",
	"  F6 or > <  sort by the next / previous column;  I  invert the order",
	"  Space      tag or untag the row;  U  untag all",
	"  Enter      detail: every field of the object and its holders",
	"  F9 or k    remove the tagged objects (or the selected one), or signal a holder",
	"  d          set the delay;  p  pause;  F5 or Ctrl-L  refresh now",
	"  F10 or q   quit",
	"",
	"Markers: + new, - gone (shown once), * changed (the changed values in bold),",
	"# tagged. Mouse: click a tab, a column header (sorts) or a row.",
	"",
	"Press any key to go back.",
};

static void draw_help(void)
{
	erase();
	for (size_t i = 0; i < sizeof(help_text) / sizeof(help_text[0]) && (int)i < LINES; i++)
		put_clipped((int)i, 0, help_text[i], COLS);
}

/*
 * What show prints after the fields (a semaphore set's elements), as text
 * lines: the kind writes a table, here into memory. NULL when the kind
 * has none or it cannot be read now.
 */
static char *extra_text(const struct ipc_obj *obj)
{
	if (!obj->kind->show_extra)
		return NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		return NULL;
	struct out_opts o;
	out_init(&o);
	struct out_doc *doc = out_begin_stream(&o, mem);
	int r = obj->kind->show_extra(obj, doc);
	out_end(doc);
	fclose(mem);
	if (r < 0) {
		free(text);
		return NULL;
	}
	return text;
}

static void draw_detail(struct screen *s, const struct frame *f)
{
	const struct trow *r = cur_row(s, f);
	int top = LINES / 3, y = top;
	if (top < 3)
		top = y = 0;
	for (int i = top; i < LINES - 1; i++) {
		move(i, 0);
		clrtoeol();
	}
	attron(A_REVERSE);
	mvhline(y, 0, ' ', COLS);
	put_clipped(y, 0, r ? r->id : "nothing selected", COLS);
	attroff(A_REVERSE);
	y++;
	if (!r)
		return;
	if (!r->obj) {
		mvprintw(y, 0, "gone: the object was removed");
		return;
	}
	const struct kind *k = r->obj->kind;
	/* every column, two to a line, as show prints them */
	int colw = COLS / 2;
	int x = 0;
	for (size_t c = 0; c < k->ncols && y < LINES - 1; c++) {
		if (!strcmp(k->cols[c].name, "HOLDERS"))
			continue;
		struct cell cell;
		cell_get(&k->cols[c], r->obj, &cell);
		char *t = model_cell_text(f, &k->cols[c], &cell);
		char buf[256];
		snprintf(buf, sizeof(buf), "%-10s %s", k->cols[c].name, t);
		free(t);
		put_clipped(y, x, buf, colw - 1);
		if (x) {
			x = 0;
			y++;
		} else {
			x = colw;
		}
	}
	if (x)
		y++;
	char *extra = extra_text(r->obj);
	for (char *line = extra, *nl; line && *line && y < LINES - 1; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line) - 1;
		else
			*nl = '\0';
		put_clipped(y++, 0, line, COLS);
	}
	free(extra);
	const struct holders *h = obj_holders(r->obj);
	if (y < LINES - 1)
		mvprintw(y++, 0, "Holders: %zu process%s", holders_npids(h),
			 holders_npids(h) == 1 ? "" : "es");
	for (size_t i = 0; i < h->n && y < LINES - 1; i++) {
		char *d = holder_describe(&h->v[i]);
		const char *comm = proc_comm(h->v[i].pid);
		char buf[300];
		snprintf(buf, sizeof(buf), "  %d %s: %s", (int)h->v[i].pid, comm ? comm : "?", d);
		free(d);
		put_clipped(y++, 0, buf, COLS);
	}
}

void screen_draw(struct screen *s, struct frame *f)
{
	if (s->text_seq != f->seq) {
		/* a new frame: the user's sort, then its texts */
		sort_kinds(s, f);
		format_frame(s, f);
	} else if (s->dirty) {
		format_frame(s, f);
	}
	build_lines(s, f);
	erase();
	if (s->help) {
		draw_help();
		refresh();
		return;
	}
	int y;
	draw_header(s, f, &y);
	draw_tabs(s, y);
	draw_list(s, f, y + 1);
	if (s->detail)
		draw_detail(s, f);
	draw_status(s);
	refresh();
}

/* Reads a line at the bottom; NULL when cancelled (Esc, or a stop). */
static char *prompt(const char *label, const char *init, volatile int *stop)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", init ? init : "");
	size_t len = strlen(buf);
	nodelay(stdscr, FALSE);
	curs_set(1);
	char *res = NULL;
	for (;;) {
		move(LINES - 1, 0);
		clrtoeol();
		attron(A_BOLD);
		printw("%s", label);
		attroff(A_BOLD);
		printw("%s", buf);
		refresh();
		int ch = getch();
		if (*stop)
			break;
		if (ch == ERR || ch == KEY_RESIZE)
			continue;
		if (ch == 27)
			break;
		if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
			res = xstrdup(buf);
			break;
		}
		if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && len) {
			buf[--len] = '\0';
			continue;
		}
		if (ch >= 32 && ch < 256 && len + 1 < sizeof(buf)) {
			buf[len++] = (char)ch;
			buf[len] = '\0';
		}
	}
	curs_set(0);
	nodelay(stdscr, TRUE);
	return res;
}

static int ask_key(const char *question, volatile int *stop)
{
	move(LINES - 1, 0);
	clrtoeol();
	attron(A_BOLD);
	put_clipped(LINES - 1, 0, question, COLS);
	attroff(A_BOLD);
	refresh();
	nodelay(stdscr, FALSE);
	int ch;
	do
		ch = getch();
	while ((ch == ERR || ch == KEY_RESIZE || ch == KEY_MOUSE) && !*stop);
	nodelay(stdscr, TRUE);
	return *stop ? 27 : ch;
}

static void move_sel(struct screen *s, long delta)
{
	if (!s->nlines)
		return;
	long i = (long)s->cur;
	long step = delta < 0 ? -1 : 1;
	long left = labs(delta);
	long best = i;
	while (left > 0) {
		i += step;
		if (i < 0 || i >= (long)s->nlines)
			break;
		if (s->lines[i].type == L_ROW) {
			best = i;
			left--;
		}
	}
	s->cur = (size_t)best;
}

static void search_next(struct screen *s, const struct frame *f, bool from_next)
{
	if (!s->search || !*s->search)
		return;
	for (size_t n = 0; n < s->nlines; n++) {
		size_t i = (s->cur + n + (from_next ? 1 : 0)) % s->nlines;
		const struct line *l = &s->lines[i];
		if (l->type == L_ROW && row_matches(s, f, l->kind, l->row, s->search)) {
			s->cur = i;
			snprintf(s->status, sizeof(s->status), "found: %s", s->search);
			return;
		}
	}
	snprintf(s->status, sizeof(s->status), "not found: %s", s->search);
}

static void set_sort(struct screen *s, const struct frame *f, size_t k, long step, long col)
{
	const struct tkind *tk = &f->kinds[k];
	if (!tk->ncols)
		return;
	struct sortstate *ss = &s->sort[k];
	if (col >= 0) {
		if (ss->set && ss->col == (size_t)col)
			ss->invert = !ss->invert;
		ss->col = (size_t)col;
	} else if (!ss->set) {
		ss->col = step > 0 ? 0 : tk->ncols - 1;
	} else {
		ss->col = (ss->col + tk->ncols + (size_t)(step > 0 ? 1 : tk->ncols - 1)) % tk->ncols;
	}
	ss->set = true;
	snprintf(s->status, sizeof(s->status), "sorted by %s%s", tk->cols[ss->col]->name,
		 ss->invert ? ", inverted" : "");
}

/* The kind whose sort the keys change: the tab's, or the selected row's. */
static long sort_kind(const struct screen *s)
{
	if (s->tab)
		return (long)s->tab - 1;
	if (s->cur < s->nlines)
		return (long)s->lines[s->cur].kind;
	return -1;
}

/* Removes the tagged objects, or the selected one, after the user said yes. */
static void do_remove(struct screen *s, struct frame *f, struct trow **targets, size_t n,
		      volatile int *stop)
{
	char q[300], more[40] = "";
	if (n > 1)
		snprintf(more, sizeof(more), " and %zu more", n - 1);
	snprintf(q, sizeof(q), "Remove %s%s? y: remove  s: signal a holder  other: cancel",
		 targets[0]->id, more);
	int ch = ask_key(q, stop);
	if (ch == 's' || ch == 'S') {
		const struct trow *r = cur_row(s, f);
		if (!r || !r->obj) {
			snprintf(s->status, sizeof(s->status), "no object selected");
			return;
		}
		const struct holders *h = obj_holders(r->obj);
		pid_t pids[32];
		size_t np = 0;
		for (size_t i = 0; i < h->n && np < 32; i++) {
			bool seen = false;
			for (size_t j = 0; j < np; j++)
				seen |= pids[j] == h->v[i].pid;
			if (!seen)
				pids[np++] = h->v[i].pid;
		}
		if (!np) {
			snprintf(s->status, sizeof(s->status), "%s has no holders to signal", r->id);
			return;
		}
		char init[16];
		snprintf(init, sizeof(init), "%d", (int)pids[0]);
		char label[200] = "Signal which holder (";
		for (size_t i = 0; i < np && strlen(label) < 150; i++) {
			const char *c = proc_comm(pids[i]);
			char b[64];
			snprintf(b, sizeof(b), "%s%d %s", i ? ", " : "", (int)pids[i], c ? c : "?");
			strcat(label, b);
		}
		strcat(label, ")? ");
		char *ans = prompt(label, init, stop);
		if (!ans)
			return;
		char *end;
		long pid = strtol(ans, &end, 10);
		bool ok = false;
		for (size_t i = 0; i < np; i++)
			ok |= pids[i] == pid;
		ok &= !*end && end != ans;
		free(ans);
		if (!ok) {
			snprintf(s->status, sizeof(s->status), "not a holder of %s", r->id);
			return;
		}
		char *sn = prompt("Signal (name or number)? ", "TERM", stop);
		if (!sn)
			return;
		int sig = sig_parse(sn);
		if (sig < 0) {
			snprintf(s->status, sizeof(s->status), "invalid signal '%.64s'", sn);
			free(sn);
			return;
		}
		free(sn);
		char nb[SIG_NAME_MAX];
		if (kill((pid_t)pid, sig) < 0)
			snprintf(s->status, sizeof(s->status), "cannot signal %ld: %s", pid,
				 strerror(errno));
		else
			snprintf(s->status, sizeof(s->status), "sent %s to %ld", sig_name(sig, nb), pid);
		return;
	}
	if (ch != 'y' && ch != 'Y') {
		snprintf(s->status, sizeof(s->status), "nothing removed");
		return;
	}
	size_t removed = 0;
	char msg[sizeof(s->status)] = "";
	for (size_t i = 0; i < n; i++) {
		struct trow *r = targets[i];
		if (!r->obj)
			continue;
		char why[256] = "";
		int rc = r->obj->kind->remove ? r->obj->kind->remove(r->obj, 0, why, sizeof(why))
					      : -EOPNOTSUPP;
		size_t ml = strlen(msg);
		if (rc == 0)
			removed++;
		else if (rc == RM_KEPT)
			snprintf(msg + ml, sizeof(msg) - ml, "; kept %s: %s", r->id, why);
		else
			snprintf(msg + ml, sizeof(msg) - ml, "; cannot remove %s: %s", r->id,
				 why[0] ? why : strerror(-rc));
	}
	snprintf(s->status, sizeof(s->status), "removed %zu of %zu%s", removed, n, msg);
}

static void kill_key(struct screen *s, struct frame *f, volatile int *stop)
{
	struct trow **targets = xcalloc(s->ntags + 1, sizeof(*targets));
	size_t n = 0;
	for (size_t i = 0; i < s->nlines; i++) {
		const struct line *l = &s->lines[i];
		struct trow *r = &f->kinds[l->kind].rows[l->row];
		if (l->type == L_ROW && r->obj && tagged(s, r->id) && n < s->ntags)
			targets[n++] = r;
	}
	if (!n) {
		const struct trow *r = cur_row(s, f);
		if (r && r->obj)
			targets[n++] = (struct trow *)r;
	}
	if (n) {
		remember_selection(s, f);
		do_remove(s, f, targets, n, stop);
		for (size_t i = 0; i < s->ntags; i++)
			free(s->tags[i]);
		s->ntags = 0;
	} else {
		snprintf(s->status, sizeof(s->status), "nothing selected");
	}
	free(targets);
}

static enum key_result click(struct screen *s, struct frame *f)
{
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return K_NONE;
	if (!(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)))
		return K_NONE;
	s->status[0] = '\0';
	if (ev.y == s->tab_y) {
		for (size_t t = 0; t <= nkinds && t < 64; t++)
			if (s->tab_w[t] && ev.x >= s->tab_x[t] && ev.x < s->tab_x[t] + s->tab_w[t]) {
				s->tab = t;
				s->cur = s->top = 0;
				free(s->selected);
				s->selected = NULL;
				return K_REFRESH;
			}
		return K_NONE;
	}
	if (s->tab && ev.y == s->head_y) {
		for (size_t c = 0; c < s->ncolx; c++)
			if (ev.x >= s->col_x[c] && ev.x <= s->col_x[c] + s->col_w[c]) {
				set_sort(s, f, s->head_kind, 0, (long)c);
				model_sort(&f->kinds[s->head_kind], s->sort[s->head_kind].col,
					   s->sort[s->head_kind].invert);
				s->dirty = true;
				return K_REDRAW;
			}
		return K_NONE;
	}
	if (ev.y >= s->list_y && ev.y < s->list_y + s->list_h) {
		size_t i = s->top + (size_t)(ev.y - s->list_y);
		if (i < s->nlines && s->lines[i].type == L_ROW) {
			s->cur = i;
			remember_selection(s, f);
			return K_REDRAW;
		}
	}
	return K_NONE;
}

static enum key_result key(struct screen *s, struct frame *f, int ch, volatile int *stop)
{
	if (s->help) {
		s->help = false;
		return K_REDRAW;
	}
	/* the selection is kept by object, whatever a key reorders */
	remember_selection(s, f);
	/* a button's release is no key: what the press said stays */
	if (ch == KEY_MOUSE)
		return click(s, f);
	s->status[0] = '\0';
	switch (ch) {
	case 'q':
	case 'Q':
	case KEY_F(10):
		return K_QUIT;
	case 27:
		s->detail = false;
		return K_REDRAW;
	case KEY_F(1):
	case 'h':
	case '?':
		s->help = true;
		return K_REDRAW;
	case KEY_RESIZE:
		clear();
		return K_REDRAW;
	case '\t':
	case KEY_RIGHT:
		s->tab = (s->tab + 1) % (nkinds + 1);
		goto tab_changed;
	case KEY_BTAB:
	case KEY_LEFT:
		s->tab = (s->tab + nkinds) % (nkinds + 1);
	tab_changed:
		s->cur = s->top = 0;
		free(s->selected);
		s->selected = NULL;
		return K_REFRESH;
	case KEY_UP:
		move_sel(s, -1);
		break;
	case KEY_DOWN:
		move_sel(s, 1);
		break;
	case KEY_PPAGE:
		move_sel(s, -(long)(s->list_h > 1 ? s->list_h - 1 : 1));
		break;
	case KEY_NPAGE:
		move_sel(s, s->list_h > 1 ? s->list_h - 1 : 1);
		break;
	case KEY_HOME:
		move_sel(s, -(long)s->nlines);
		break;
	case KEY_END:
		move_sel(s, (long)s->nlines);
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
		s->detail = !s->detail;
		break;
	case ' ': {
		const struct trow *r = cur_row(s, f);
		if (r && r->obj) {
			toggle_tag(s, r->id);
			move_sel(s, 1);
		}
		break;
	}
	case 'U':
		for (size_t i = 0; i < s->ntags; i++)
			free(s->tags[i]);
		s->ntags = 0;
		break;
	case KEY_F(3):
	case 'n':
		if (s->search) {
			search_next(s, f, true);
			break;
		}
		/* fall through */
	case '/': {
		char *t = prompt("Search: ", NULL, stop);
		if (t) {
			free(s->search);
			s->search = t;
			search_next(s, f, false);
		}
		break;
	}
	case KEY_F(4):
	case '\\': {
		char *t = prompt("Filter: ", s->filter, stop);
		if (t) {
			free(s->filter);
			s->filter = *t ? t : NULL;
			if (!*t)
				free(t);
			s->cur = s->top = 0;
		}
		break;
	}
	case KEY_F(6):
	case '>':
	case '<': {
		long k = sort_kind(s);
		if (k < 0)
			break;
		set_sort(s, f, (size_t)k, ch == '<' ? -1 : 1, -1);
		model_sort(&f->kinds[k], s->sort[k].col, s->sort[k].invert);
		s->dirty = true;
		return K_REDRAW;
	}
	case 'I': {
		long k = sort_kind(s);
		if (k < 0)
			break;
		if (!s->sort[k].set)
			set_sort(s, f, (size_t)k, 1, 0);
		s->sort[k].invert = !s->sort[k].invert;
		model_sort(&f->kinds[k], s->sort[k].col, s->sort[k].invert);
		s->dirty = true;
		snprintf(s->status, sizeof(s->status), "sorted by %s%s",
			 f->kinds[k].cols[s->sort[k].col]->name, s->sort[k].invert ? ", inverted" : "");
		return K_REDRAW;
	}
	case KEY_F(9):
	case 'k':
		kill_key(s, f, stop);
		return K_REFRESH;
	case 'd': {
		char init[32];
		snprintf(init, sizeof(init), "%g", s->delay);
		char *t = prompt("Delay (seconds): ", init, stop);
		if (t) {
			char *end;
			double d = strtod(t, &end);
			if (end == t || *end || !(d >= 0.05 && d <= 86400))
				snprintf(s->status, sizeof(s->status),
					 "invalid delay '%.64s': expected seconds from 0.05 to 86400", t);
			else
				s->delay = d;
			free(t);
		}
		break;
	}
	case 'p':
		s->paused = !s->paused;
		break;
	case KEY_F(5):
	case 12:
		clear();
		return K_REFRESH;
	default:
		return K_NONE;
	}
	remember_selection(s, f);
	return K_REDRAW;
}

enum key_result screen_input(struct screen *s, struct frame *f, volatile int *stop)
{
	enum key_result res = K_NONE;
	int ch;
	while (!*stop && (ch = getch()) != ERR) {
		enum key_result r = key(s, f, ch, stop);
		if (s->dirty)
			format_frame(s, f);
		build_lines(s, f);
		if (r > res)
			res = r;
		if (res == K_QUIT)
			break;
	}
	return res;
}
