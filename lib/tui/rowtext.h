/*
 * The formatted texts of a row, kept from frame to frame while the row's
 * cells stay the same: most rows of a frame are the rows of the frame
 * before, and formatting 10,000 rows' cells again was most of a batch
 * frame's cost. The model hands a row's texts on to the same row of the
 * next frame when no cell changed and frees them otherwise; the
 * renderers fill them when first needed.
 */
#ifndef IPCX_TUI_ROWTEXT_H
#define IPCX_TUI_ROWTEXT_H

#include <stddef.h>

struct rowtext {
	/* the cells as batch text shows them, made against this local date */
	long day;
	const char **text;	/* ncols, NULL until made */
	size_t *width;		/* display widths of text */
	/* the text frame's line after the marker, for the column widths of linegen */
	char *line;
	size_t linelen, linecap;
	unsigned long linegen;
	/* the cells as the JSON frame writes them: ,"NAME":value ... */
	char *json;
	size_t jsonlen;
};

struct rowtext *rowtext_new(void);
void rowtext_free(struct rowtext *t);

#endif
