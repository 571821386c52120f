/*
 * The formatted texts of a row, kept from frame to frame while the row's
 * cells stay the same: most rows of a frame are the rows of the frame
 * before, and formatting 10,000 rows' cells again was most of a batch
 * frame's cost. The model hands a row's texts on to the same row of the
 * next frame and marks the cells that changed stale; the renderers make
 * what is missing or stale when they need it, and only that.
 */
#ifndef IPCX_TUI_ROWTEXT_H
#define IPCX_TUI_ROWTEXT_H

#include <stddef.h>
#include <stdint.h>

/* Columns a row's staleness is kept for one by one; a row with more is all stale. */
#define ROWTEXT_MAXCOLS 64

struct rowtext {
	/* the cells as batch text shows them, made against this local date */
	long day;
	const char **text;	/* ncols, NULL until made */
	size_t *width;		/* display widths of text */
	uint64_t stale;		/* columns whose text no longer says the cell */
	/* the text frame's line after the marker, for the column widths of linegen */
	char *line;
	size_t linelen, linecap;
	unsigned long linegen;
	/* the cells as the JSON frame writes them, ,"NAME":value each */
	char *json;
	size_t *joff;		/* ncols + 1 offsets of each cell's part in json */
	uint64_t jstale;
};

struct rowtext *rowtext_new(void);
void rowtext_free(struct rowtext *t);
/* Column col of the row's cells changed. */
void rowtext_stale(struct rowtext *t, size_t col);

#endif
