#include "model.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ipclimits.h"
#include "../out.h"
#include "../proc.h"
#include "../pscan.h"
#include "../util.h"
#include "watch.h"

/* The values rates are estimated from, found by column name in each kind. */
enum { RV_MSGS, RV_BYTES, RV_STIME, RV_RTIME, RV_NATTCH, RV_ATIME, RV_DTIME, NRV };
static const char *const rv_names[NRV] = { "MSGS", "USEDBYTES", "STIME", "RTIME", "NATTCH",
					   "ATIME", "DTIME" };

/* Rate columns: a kind gets those whose values it has. */
enum { RATE_IN, RATE_OUT, RATE_BYTES, RATE_ATT, RATE_DET, NRATE };
static const struct column rate_cols[NRATE] = {
	{ "IN/S", CT_FLOAT, COL_RIGHT, 0.1, "messages sent per second, estimated", NULL },
	{ "OUT/S", CT_FLOAT, COL_RIGHT, 0.1, "messages received per second, estimated", NULL },
	{ "BYTES/S", CT_FLOAT, COL_RIGHT, 0.1, "change of the bytes queued per second", NULL },
	{ "ATT/S", CT_FLOAT, COL_RIGHT, 0.1, "attaches per second, estimated", NULL },
	{ "DET/S", CT_FLOAT, COL_RIGHT, 0.1, "detaches per second, estimated", NULL },
};
static const int rate_needs[NRATE] = { RV_MSGS, RV_MSGS, RV_BYTES, RV_NATTCH, RV_NATTCH };

bool model_is_rate(const struct column *c)
{
	return c >= rate_cols && c < rate_cols + NRATE;
}

static void add_col(struct tkind *tk, const struct column *c)
{
	tk->cols = xrealloc(tk->cols, (tk->ncols + 1) * sizeof(*tk->cols));
	tk->cols[tk->ncols++] = c;
}

static void kind_setup(struct tkind *tk, const struct kind *k)
{
	memset(tk, 0, sizeof(*tk));
	tk->k = k;
	const char *p = k->defcols;
	while (*p) {
		size_t len = strcspn(p, ",");
		char *name = strndup(p, len);
		const struct column *c = kind_column(k, name);
		if (c && strcmp(c->name, "HOLDERS"))
			add_col(tk, c);
		free(name);
		p += len + (p[len] == ',');
	}
	for (int i = 0; i < NRV; i++)
		tk->rvcol[i] = kind_column(k, rv_names[i]);
	for (int i = 0; i < NRATE; i++)
		if (tk->rvcol[rate_needs[i]])
			add_col(tk, &rate_cols[i]);
	/* holders last: the widest column */
	const struct column *h = kind_column(k, "HOLDERS");
	tk->holders_col = h ? tk->ncols : (size_t)-1;
	if (h)
		add_col(tk, h);
	tk->is_rate = xcalloc(tk->ncols + 1, sizeof(*tk->is_rate));
	for (size_t i = 0; i < tk->ncols; i++)
		tk->is_rate[i] = model_is_rate(tk->cols[i]);
}

void model_init(struct model *m, const struct filter *f)
{
	memset(m, 0, sizeof(*m));
	m->filter = f;
	m->watch = watch_new();
	/*
	 * The holders of every kind together, in one walk: asked for part by
	 * part, a walk through /proc went over every process once for the
	 * descriptors and mappings and again for the waits.
	 */
	pscan_want(PS_FDS | PS_MAPS | PS_WAITS);
}

/*
 * Both number fields of c get the value's bits: whoever reads c reads the
 * one its column's type names (see struct cell).
 */
void tcell_cell(const struct tcell *t, struct cell *c)
{
	c->state = t->state;
	c->num = t->has_str ? 0 : t->num;
	memcpy(&c->fnum, &c->num, sizeof(c->fnum));
	c->str = t->has_str ? t->str : NULL;
	c->len = t->len;
	c->why = NULL;
	c->buf[0] = '\0';
}

/*
 * A cell whose text lives in the frame, so that it outlives the object;
 * its value is the one its column's type names (see struct cell).
 */
static void cell_own(struct tcell *t, const struct column *col, const struct cell *c,
		     struct arena *a)
{
	t->state = (unsigned char)c->state;
	t->len = (unsigned)c->len;
	t->has_str = c->state == CELL_OK && c->str;
	if (t->has_str)
		t->str = arena_strndup(a, c->str, c->len);
	else if (col->type == CT_FLOAT)
		t->fnum = c->fnum;
	else
		t->num = c->num;
}

static void cell_copy(struct tcell *dst, const struct tcell *src, struct arena *a)
{
	*dst = *src;
	if (src->has_str)
		dst->str = arena_strndup(a, src->str, src->len);
}

static bool cell_same(const struct tcell *a, const struct tcell *b)
{
	if (a->state != b->state)
		return false;
	if (a->state != CELL_OK)
		return true;
	if (a->has_str != b->has_str || a->len != b->len)
		return false;
	return a->has_str ? !memcmp(a->str, b->str, a->len) : a->num == b->num;
}

static void kind_rows_free(struct tkind *tk)
{
	/* the rows live in the frame's arena; texts not handed on are theirs */
	for (size_t j = 0; j < tk->nrows; j++)
		rowtext_free(tk->rows[j].txt);
	tk->rows = NULL;
	tk->nrows = 0;
	objlist_free(&tk->list);
	free(tk->note);
	tk->note = NULL;
}

/*
 * Rows of the frame before, by id. Most rows come in the order they came
 * before, so each is first looked for after the last one found; the table
 * is made only when that fails. Looking every row up in it was, through
 * its cache misses, a tenth of the model's time.
 */
struct rowmap {
	struct trow *rows;
	size_t n;
	size_t next;		/* the row after the last one found */
	struct trow **slots;	/* NULL until a row is not where it was expected */
	size_t cap;
};

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* A row's id hashed once, when a table first needs it. */
static size_t row_hash(struct trow *r)
{
	if (!r->hashed) {
		r->hash = hash_str(r->id);
		r->hashed = true;
	}
	return r->hash;
}

static void rowmap_build(struct rowmap *rm)
{
	rm->cap = 64;
	while (rm->cap < rm->n * 2)
		rm->cap *= 2;
	rm->slots = xcalloc(rm->cap, sizeof(*rm->slots));
	for (size_t i = 0; i < rm->n; i++) {
		if (rm->rows[i].state == ROW_GONE)
			continue;	/* shown once already */
		size_t s = row_hash(&rm->rows[i]) & (rm->cap - 1);
		while (rm->slots[s])
			s = (s + 1) & (rm->cap - 1);
		rm->slots[s] = &rm->rows[i];
	}
}

static struct trow *rowmap_find(struct rowmap *rm, struct trow *r)
{
	struct trow *p = NULL;
	if (rm->next < rm->n && rm->rows[rm->next].state != ROW_GONE &&
	    !strcmp(rm->rows[rm->next].id, r->id)) {
		p = &rm->rows[rm->next];
	} else if (rm->n) {
		if (!rm->slots)
			rowmap_build(rm);
		size_t h = row_hash(r), s = h & (rm->cap - 1);
		for (; rm->slots[s] && !p; s = (s + 1) & (rm->cap - 1))
			if (rm->slots[s]->hash == h && !strcmp(rm->slots[s]->id, r->id))
				p = rm->slots[s];
	}
	if (p)
		rm->next = (size_t)(p - rm->rows) + 1;
	return p;
}

static bool changed_time(const struct trow *r, const struct trow *p, int rv)
{
	return r->rv_ok[rv] && (!p->rv_ok[rv] || r->rv[rv] != p->rv[rv]);
}

/*
 * Rates between two frames, from counts and times the kernel keeps: a
 * count's change gives the net flow, and a newer last-send (or attach)
 * time than before says at least one send happened even when the count
 * did not move. So the figures are lower bounds of what happened.
 */
/*
 * Ins and outs behind a count that moved by d (messages on a queue,
 * attachments of a segment), given whether the time of the last in and of
 * the last out moved: a rise is d ins plus one out if an out happened, a
 * fall the other way round, no change one of each when either time moved.
 */
static void in_out(long long d, bool in_moved, bool out_moved, double *in, double *out)
{
	if (d > 0) {
		*out = out_moved;
		*in = (double)d + *out;
	} else if (d < 0) {
		*in = in_moved;
		*out = (double)-d + *in;
	} else {
		*in = *out = in_moved || out_moved;
	}
}

/*
 * The ins and outs per second behind count cv (messages, attachments),
 * told apart by the times tin and tout; false when either frame lacks it.
 */
static bool in_out_rates(const struct trow *r, const struct trow *p, int cv, int tin, int tout,
			 double interval, double *in, double *out)
{
	if (!r->rv_ok[cv] || !p->rv_ok[cv])
		return false;
	in_out((long long)r->rv[cv] - (long long)p->rv[cv], changed_time(r, p, tin),
	       changed_time(r, p, tout), in, out);
	*in /= interval;
	*out /= interval;
	return true;
}

static void fill_rates(const struct tkind *tk, struct trow *r, const struct trow *p,
		       double interval)
{
	double v[NRATE] = { 0 };
	bool ok[NRATE] = { false };
	if (p && interval > 0) {
		ok[RATE_IN] = ok[RATE_OUT] = in_out_rates(r, p, RV_MSGS, RV_STIME, RV_RTIME, interval,
							  &v[RATE_IN], &v[RATE_OUT]);
		if (r->rv_ok[RV_BYTES] && p->rv_ok[RV_BYTES]) {
			v[RATE_BYTES] = ((double)r->rv[RV_BYTES] - (double)p->rv[RV_BYTES]) / interval;
			ok[RATE_BYTES] = true;
		}
		ok[RATE_ATT] = ok[RATE_DET] = in_out_rates(r, p, RV_NATTCH, RV_ATIME, RV_DTIME, interval,
							   &v[RATE_ATT], &v[RATE_DET]);
	}
	for (size_t i = 0; i < tk->ncols; i++) {
		if (!tk->is_rate[i])
			continue;
		int k = (int)(tk->cols[i] - rate_cols);
		struct tcell *c = &r->cells[i];
		memset(c, 0, sizeof(*c));
		c->state = ok[k] ? CELL_OK : CELL_ABSENT;
		c->fnum = v[k];
	}
}

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const struct tkind *kind_in(const struct frame *f, const char *name)
{
	for (size_t i = 0; i < nkinds; i++)
		if (!strcmp(kinds[i]->name, name))
			return &f->kinds[i];
	return NULL;
}

static void fill_limits(struct frame *f)
{
	static const char *const names[] = { "msgmni", "shmmni", "semmni", "shmall", "queues_max" };
	f->nlimits = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct hdr_limit *h = &f->limits[f->nlimits++];
		memset(h, 0, sizeof(*h));
		h->name = names[i];
		const struct ipc_limit *lim = ipc_limit_by_name(names[i]);
		const struct tkind *tk = kind_in(f, lim->kind);
		h->ok = tk && tk->scanned && !tk->note && ipc_limit_value(lim, &h->limit) == 0 &&
			ipc_limit_use(lim, tk->k, &tk->list, &h->used) == 0;
	}
	struct hdr_limit *h = &f->limits[f->nlimits++];
	h->name = "/dev/shm";
	h->ok = shmfs_usage(&h->limit, &h->used) == 0;
}

/* Scans one kind into tk->list; a note says why it cannot be listed. */
static void scan_one(struct tkind *tk)
{
	struct scan_note note = { NULL };
	int r = tk->k->scan(&tk->list, &note);
	if (r < 0 && !note.text)
		note.text = xasprintf("cannot list %s objects: %s", tk->k->name, strerror(-r));
	tk->note = note.text;
	tk->scanned = true;
	tk->active = true;
}

/* The rows of one kind from its objects, compared with the frame before. */
/* The id of an object across frames: a System V id may be reused with another key. */
static char *obj_id(const struct ipc_obj *o, struct arena *a)
{
	size_t kl = strlen(o->kind->name);
	if (o->kind->named) {
		size_t nl = strlen(o->name);
		char *p = arena_zalloc(a, kl + nl + 3);
		memcpy(p, o->kind->name, kl);
		p[kl] = ' ';
		p[kl + 1] = '/';
		memcpy(p + kl + 2, o->name, nl);
		return p;
	}
	/* "%s %lld (key 0x%08x)" without printf, which was a tenth of a frame */
	static const char hex[] = "0123456789abcdef";
	char digits[24], *d = digits + sizeof(digits);
	unsigned long long v = o->id < 0 ? 0 - (unsigned long long)o->id : (unsigned long long)o->id;
	do
		*--d = (char)('0' + v % 10);
	while (v /= 10);
	if (o->id < 0)
		*--d = '-';
	size_t dl = (size_t)(digits + sizeof(digits) - d);
	char *id = arena_alloc(a, kl + dl + 20), *p = id;
	memcpy(p, o->kind->name, kl);
	p += kl;
	*p++ = ' ';
	memcpy(p, d, dl);
	p += dl;
	if (o->key) {
		memcpy(p, " (key 0x", 8);
		p += 8;
		for (int sh = 28; sh >= 0; sh -= 4)
			*p++ = hex[((unsigned)o->key >> sh) & 0xf];
		*p++ = ')';
	}
	*p = '\0';
	return id;
}

static bool build_rows(struct tkind *tk, const struct tkind *prev, double interval,
		       const struct filter *flt, struct arena *a)
{
	bool changed = false;
	filter_list(flt, &tk->list);
	struct rowmap rm = { .rows = prev ? prev->rows : NULL, .n = prev ? prev->nrows : 0 };
	size_t nprev = prev ? prev->nrows : 0;
	bool *seen = xcalloc(nprev + 1, sizeof(*seen));
	tk->rows = arena_zalloc(a, (tk->list.n + nprev + 1) * sizeof(*tk->rows));
	for (size_t j = 0; j < tk->list.n; j++) {
		struct ipc_obj *o = tk->list.v[j];
		struct trow *r = &tk->rows[tk->nrows++];
		r->obj = o;
		r->id = obj_id(o, a);
		/* every cell is written below: by its column, the rates or the holders */
		r->cells = arena_alloc(a, tk->ncols * sizeof(*r->cells));
		r->changed = arena_zalloc(a, tk->ncols);
		for (int v = 0; v < NRV; v++) {
			if (!tk->rvcol[v])
				continue;
			struct cell c;
			cell_get(tk->rvcol[v], o, &c);
			r->rv_ok[v] = c.state == CELL_OK;
			r->rv[v] = c.num;
		}
		for (size_t i = 0; i < tk->ncols; i++) {
			if (i == tk->holders_col || tk->is_rate[i])
				continue;
			struct cell c;
			cell_get(tk->cols[i], o, &c);
			cell_own(&r->cells[i], tk->cols[i], &c, a);
		}
		struct trow *p = prev && prev->scanned ? rowmap_find(&rm, r) : NULL;
		r->was = p;
		if (p) {
			seen[p - prev->rows] = true;
			for (size_t i = 0; i < tk->ncols; i++) {
				if (i == tk->holders_col || tk->is_rate[i])
					continue;
				r->changed[i] = !cell_same(&r->cells[i], &p->cells[i]);
				changed |= r->changed[i];
			}
			/* a time that is not shown moved: someone used the object */
			for (int v = 0; v < NRV; v++)
				changed |= r->rv_ok[v] != p->rv_ok[v] || r->rv[v] != p->rv[v];
			r->state = ROW_SAME;
			/* the holders carried over, while the row before is at hand; a walk replaces them */
			if (tk->holders_col < tk->ncols)
				cell_copy(&r->cells[tk->holders_col], &p->cells[tk->holders_col], a);
		} else {
			/* the first frame of a kind has nothing new: everything is */
			r->state = prev && prev->scanned ? ROW_NEW : ROW_SAME;
			changed = true;
			if (tk->holders_col < tk->ncols)
				r->cells[tk->holders_col] = (struct tcell){ .state = CELL_ABSENT };
		}
		fill_rates(tk, r, p, interval);
		if (p && p->txt) {
			/* the holders are compared once known: see mark_holders */
			r->txt = p->txt;
			p->txt = NULL;
			for (size_t i = 0; i < tk->ncols; i++) {
				if (i == tk->holders_col)
					continue;
				if (tk->is_rate[i] ? !cell_same(&r->cells[i], &p->cells[i])
							      : r->changed[i])
					rowtext_stale(r->txt, i);
			}
		}
	}
	/* what went is shown once more, dimmed */
	for (size_t j = 0; j < nprev; j++) {
		struct trow *p = &prev->rows[j];
		if (seen[j] || p->state == ROW_GONE || !prev->scanned)
			continue;
		struct trow *r = &tk->rows[tk->nrows++];
		r->id = arena_strndup(a, p->id, strlen(p->id));
		r->hash = p->hash;
		r->hashed = p->hashed;
		r->cells = arena_alloc(a, tk->ncols * sizeof(*r->cells));
		r->changed = arena_zalloc(a, tk->ncols);
		for (size_t i = 0; i < tk->ncols; i++)
			cell_copy(&r->cells[i], &p->cells[i], a);
		r->txt = p->txt;
		p->txt = NULL;
		r->state = ROW_GONE;
		changed = true;
	}
	free(seen);
	free(rm.slots);
	return changed;
}

/* Holders for every row from a new walk, in place of those carried over (build_rows). */
static void fill_holders(struct tkind *tk, struct arena *a)
{
	size_t hc = tk->holders_col;
	if (hc >= tk->ncols)
		return;
	for (size_t j = 0; j < tk->nrows; j++) {
		struct trow *r = &tk->rows[j];
		if (r->state == ROW_GONE)
			continue;
		struct cell got;
		cell_get(tk->cols[hc], r->obj, &got);
		cell_own(&r->cells[hc], tk->cols[hc], &got, a);
	}
}

/*
 * Marks HOLDERS changed where the walk found other holders than before,
 * and its text stale.
 */
static void mark_holders(struct tkind *tk, const struct tkind *prev)
{
	size_t hc = tk->holders_col;
	if (hc >= tk->ncols || !prev || !prev->scanned)
		return;
	for (size_t j = 0; j < tk->nrows; j++) {
		struct trow *r = &tk->rows[j];
		if (r->state != ROW_SAME || !r->was)
			continue;
		r->changed[hc] = !cell_same(&r->cells[hc], &r->was->cells[hc]);
		if (r->changed[hc] && r->txt)
			rowtext_stale(r->txt, hc);
	}
}

/* Holders found by a walk are trusted this long when nothing says otherwise. */
#define WALK_MAX_AGE 10.0

static void start_walk(bool *walk)
{
	if (*walk)
		return;
	*walk = true;
	pscan_free();
	proc_cache_free();
}

void model_refresh(struct model *m, const bool want[])
{
	struct frame *prev = m->have_cur ? &m->cur : NULL;
	struct frame f = { 0 };
	f.seq = prev ? prev->seq + 1 : 1;
	f.wall = time(NULL);
	f.mono = mono_now();
	f.interval = prev ? f.mono - prev->mono : 0;
	f.kinds = xcalloc(nkinds, sizeof(*f.kinds));
	f.last_walk = prev ? prev->last_walk : f.mono;
	f.arena = m->spare;
	memset(&m->spare, 0, sizeof(m->spare));

	/*
	 * A walk of the processes is needed when a new process holds IPC,
	 * when a POSIX file was opened or closed (a process exiting closes
	 * its files too), when an object's values moved, when a descriptor
	 * kind is shown (its objects are what the walk finds), and now and
	 * then for waits, which nothing announces.
	 */
	bool fdkinds = false;
	for (size_t i = 0; i < nkinds; i++)
		fdkinds |= want[i] && kinds[i]->fd_based;
	bool newprocs = watch_new_holders(m->watch);
	bool events = watch_drain(m->watch);
	bool walk = false;
	if (!prev || fdkinds || newprocs || events || f.mono - f.last_walk >= WALK_MAX_AGE)
		start_walk(&walk);
	for (size_t i = 0; i < nkinds; i++) {
		struct tkind *tk = &f.kinds[i];
		kind_setup(tk, kinds[i]);
		if (kinds[i]->fd_based && !want[i])
			continue;
		/* only while the scan opens the files itself: a holder's open
		 * or close meanwhile is missed until a later walk */
		if (kinds[i]->opens_files)
			watch_quiet(m->watch, true);
		scan_one(tk);
		if (kinds[i]->opens_files)
			watch_quiet(m->watch, false);
		tk->total = tk->list.n;
	}
	/* what others did during the scan: the holders may have changed too */
	if (watch_drain(m->watch))
		start_walk(&walk);
	fill_limits(&f);
	bool changed = false;
	for (size_t i = 0; i < nkinds; i++) {
		struct tkind *tk = &f.kinds[i];
		const struct tkind *pk = prev ? &prev->kinds[i] : NULL;
		if (!tk->active)
			continue;
		changed |= build_rows(tk, pk, f.interval, m->filter, &f.arena);
	}
	if (changed)
		start_walk(&walk);
	for (size_t i = 0; i < nkinds; i++) {
		struct tkind *tk = &f.kinds[i];
		const struct tkind *pk = prev ? &prev->kinds[i] : NULL;
		if (!tk->active)
			continue;
		/* a kind shown for the first time has no holders to carry over */
		if (!pk || !pk->scanned)
			start_walk(&walk);
	}
	for (size_t i = 0; i < nkinds; i++) {
		struct tkind *tk = &f.kinds[i];
		const struct tkind *pk = prev ? &prev->kinds[i] : NULL;
		if (!tk->active)
			continue;
		if (walk) {
			fill_holders(tk, &f.arena);
			mark_holders(tk, pk);
		}
		/* the rows of the frame before go with it */
		for (size_t j = 0; j < tk->nrows; j++)
			tk->rows[j].was = NULL;
	}
	f.walked = walk;
	if (walk)
		f.last_walk = f.mono;
	m->walks += walk;
	if (prev) {
		for (size_t i = 0; i < nkinds; i++) {
			kind_rows_free(&prev->kinds[i]);
			free(prev->kinds[i].cols);
			free(prev->kinds[i].is_rate);
		}
		free(prev->kinds);
		arena_reset(&prev->arena);
		m->spare = prev->arena;
	}
	m->cur = f;
	m->have_cur = true;
}

void model_free(struct model *m)
{
	if (m->have_cur) {
		for (size_t i = 0; i < nkinds; i++) {
			kind_rows_free(&m->cur.kinds[i]);
			free(m->cur.kinds[i].cols);
			free(m->cur.kinds[i].is_rate);
		}
		free(m->cur.kinds);
		arena_free(&m->cur.arena);
	}
	arena_free(&m->spare);
	watch_free(m->watch);
	pscan_free();
	memset(m, 0, sizeof(*m));
}

char *model_cell_text(const struct frame *f, const struct column *c, const struct cell *cell)
{
	if (c->type == CT_FLOAT) {
		if (cell->state != CELL_OK)
			return xstrdup("-");
		return xasprintf("%.1f", cell->fnum);
	}
	struct out_opts o;
	memset(&o, 0, sizeof(o));
	o.now = f->wall;
	char *s = out_format(&o, c, cell);
	if (s && c->type == CT_STR && cell->state == CELL_OK && !(c->flags & COL_ESCAPED)) {
		char *e = esc_bytes(s, cell->len);
		free(s);
		s = e;
	}
	return s ? s : xstrdup("-");
}

/* Whether s needs esc_bytes: control bytes, backslashes, anything not ASCII. */
static bool plain_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || c == '\\')
			return false;
	}
	return true;
}

const char *model_cell_atext(const struct frame *f, const struct column *c,
			     const struct cell *cell, struct arena *a)
{
	char buf[48];
	if (cell->state == CELL_ABSENT || (cell->state == CELL_OK && c->type == CT_STR && !cell->str))
		return "-";
	if (cell->state != CELL_OK)
		return "?";
	if (c->type == CT_NUM) {
		char *d = ull_digits(buf + sizeof(buf), cell->num);
		return arena_strndup(a, d, (size_t)(buf + sizeof(buf) - d));
	}
	if (c->type == CT_FLOAT && cell->fnum == 0 && !signbit(cell->fnum))
		return "0.0";	/* most rates, most of the time */
	if (c->type == CT_STR && plain_ascii(cell->str, cell->len))
		return cell->str;	/* lives in the frame already */
	if (c->type == CT_TIME) {
		/* objects made together share their times: localtime is dear */
		static time_t last_t, last_now;
		static char last[48];
		if (!last[0] || last_t != (time_t)cell->num || last_now != f->wall) {
			char *t = model_cell_text(f, c, cell);
			snprintf(last, sizeof(last), "%s", t);
			free(t);
			last_t = (time_t)cell->num;
			last_now = f->wall;
		}
		return arena_strndup(a, last, strlen(last));
	}
	char *t = model_cell_text(f, c, cell);
	const char *r = arena_strndup(a, t, strlen(t));
	free(t);
	return r;
}

static size_t sort_col;
static bool sort_inv;
static const struct column *sort_def;

static int cmp_rows(const void *a, const void *b)
{
	const struct trow *x = a, *y = b;
	struct cell cx, cy;
	tcell_cell(&x->cells[sort_col], &cx);
	tcell_cell(&y->cells[sort_col], &cy);
	/* missing values last either way */
	if ((cx.state != CELL_OK) != (cy.state != CELL_OK))
		return (cx.state != CELL_OK) - (cy.state != CELL_OK);
	int r = cell_cmp(sort_def->type, &cx, &cy);
	if (!r)
		r = strcmp(x->id, y->id);
	return sort_inv ? -r : r;
}

void model_sort(struct tkind *tk, size_t col, bool invert)
{
	if (col >= tk->ncols)
		return;
	sort_col = col;
	sort_inv = invert;
	sort_def = tk->cols[col];
	qsort(tk->rows, tk->nrows, sizeof(*tk->rows), cmp_rows);
}
