/* The text of a cell, as the table printer keeps it (lib/out_table.c). */
#ifndef IPCX_OUT_TEXT_H
#define IPCX_OUT_TEXT_H

#include <stddef.h>

#include "out.h"

/* Room for any cell text that out_cell_text writes into its buffer. */
#define CELL_TEXT_MAX 64

/*
 * The text of a cell: in buf, in the cell, or in a static cache; *owned
 * receives a malloc'd text instead when one had to be made (invalid UTF-8
 * in JSON). NULL for JSON null. Valid until the next call.
 */
const char *out_cell_text(const struct out_opts *o, const struct column *col,
			  const struct cell *c, char buf[CELL_TEXT_MAX], size_t *len,
			  char **owned);

#endif
