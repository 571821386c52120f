/* top's batch output: frames as plain text (as top -b) or one JSON object per line. */
#ifndef IPCX_TUI_BATCH_H
#define IPCX_TUI_BATCH_H

#include <stdbool.h>
#include <stdio.h>

#include "model.h"

/* The marker of a row where colour cannot say it: '+' new, '-' gone, '*' changed. */
char row_marker(const struct trow *r, size_t ncols);

/* Display width of a UTF-8 text in terminal cells. */
size_t text_width(const char *s);

/* The header's limits, "msgmni 3/32000 0.0%"; malloc'd. */
char *limit_text(const struct hdr_limit *h);

void batch_text(FILE *out, const struct frame *f, const bool want[]);
void batch_json(FILE *out, const struct frame *f, const bool want[]);
/* Frees what the batch output keeps between frames. */
void batch_done(void);

#endif
