/*
 * top's model: frames of rows, one list per kind, each built from the
 * kind's default columns (through the columns' own get functions, as ls
 * fills its cells) plus holders and rates, and compared with the frame
 * before it: rows new, gone (kept dimmed for one frame) and changed.
 * The renderers (batch text, JSON, the screen) only read frames.
 */
#ifndef IPCX_TUI_MODEL_H
#define IPCX_TUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../filter.h"
#include "../kind.h"
#include "arena.h"
#include "rowtext.h"

enum row_state { ROW_SAME, ROW_NEW, ROW_GONE };

/*
 * A cell as a frame keeps it: a struct cell without its scratch buffer,
 * and with its one value (a cell holds a number, a fraction or a text, by
 * its column's type) in 16 bytes. 10,000 rows of them are made every
 * frame, and the first two frames' are new memory.
 */
struct tcell {
	union {
		unsigned long long num;	/* or the bits of fnum: a CT_FLOAT's */
		double fnum;
		const char *str;	/* has_str: in the frame's arena */
	};
	unsigned len;		/* of str */
	unsigned char state;	/* enum cell_state */
	bool has_str;
};

/* The struct cell a frame's cell stands for, to format or compare it. */
void tcell_cell(const struct tcell *t, struct cell *c);

struct trow {
	char *id;		/* "shm 5 (key 0x...)", "pshm /x": the same object across frames */
	size_t hash;		/* of id, once hashed: see rowmap_find */
	bool hashed;
	struct ipc_obj *obj;	/* NULL once gone */
	struct tcell *cells;	/* one per column of the kind; text owned by the row */
	unsigned char *changed;	/* per column: differs from the frame before */
	enum row_state state;
	struct rowtext *txt;	/* formatted cells, handed on while they stay the same; or NULL */
	struct trow *was;	/* the row in the frame before, while a frame is built */
	/* values the rates are estimated from, whether shown or not */
	unsigned long long rv[8];
	bool rv_ok[8];
};

struct tkind {
	const struct kind *k;
	const struct column **cols;	/* default columns, rates, HOLDERS */
	bool *is_rate;		/* per column: a rate the model fills */
	size_t ncols;
	size_t holders_col;	/* index of HOLDERS, or ncols when the kind has none */
	const struct column *rvcol[8];	/* columns of the rate values, NULL where absent */
	bool active;		/* scanned this frame */
	bool scanned;		/* scanned at least once: its rows are meaningful */
	struct objlist list;
	struct trow *rows;
	size_t nrows;
	size_t total;		/* objects, before the user filter */
	char *note;		/* why the kind cannot be listed, or NULL */
};

struct hdr_limit {
	const char *name;
	unsigned long long used, limit;
	bool ok;		/* both known */
};

struct frame {
	unsigned seq;		/* 1 for the first frame */
	time_t wall;
	double mono;		/* seconds, CLOCK_MONOTONIC */
	double interval;	/* since the frame before; 0 for the first */
	struct tkind *kinds;	/* nkinds, in registry order */
	struct hdr_limit limits[6];
	size_t nlimits;
	bool walked;		/* processes were walked for this frame */
	double last_walk;	/* mono time of the last walk */
	struct arena arena;	/* the rows' cells, texts and ids */
};

struct model {
	const struct filter *filter;
	struct frame cur;
	bool have_cur;
	unsigned walks;		/* how many frames walked the processes */
	struct arena spare;	/* the arena of the frame before last, for reuse */
	struct watch *watch;
};

void model_init(struct model *m, const struct filter *f);
/*
 * Builds the next frame. want[i] says whether kind i is shown: the kinds
 * without descriptors are scanned always (the header counts them), the
 * descriptor kinds only when shown, since they cost a walk of /proc.
 */
void model_refresh(struct model *m, const bool want[]);
void model_free(struct model *m);

/* Formats a cell of column c as the screen and the batch text show it; malloc'd. */
char *model_cell_text(const struct frame *f, const struct column *c, const struct cell *cell);
/* The same text in arena a: the batch frame formats every cell of every row. */
const char *model_cell_atext(const struct frame *f, const struct column *c,
			     const struct cell *cell, struct arena *a);

/* Sorts rows of one kind by column col, descending when invert. */
void model_sort(struct tkind *tk, size_t col, bool invert);

/* Rate columns: not the kind's own, filled by the model. */
bool model_is_rate(const struct column *c);

#endif
