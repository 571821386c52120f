#include "rowtext.h"

#include <stdlib.h>

#include "../util.h"

struct rowtext *rowtext_new(void)
{
	struct rowtext *t = xcalloc(1, sizeof(*t));
	t->day = -1;
	return t;
}

void rowtext_free(struct rowtext *t)
{
	if (!t)
		return;
	/* text, width and the texts themselves are one block; joff and json too */
	free(t->text);
	free(t->line);
	free(t->joff);
	free(t);
}

void rowtext_stale(struct rowtext *t, size_t col)
{
	uint64_t bit = col < ROWTEXT_MAXCOLS ? (uint64_t)1 << col : ~(uint64_t)0;
	t->stale |= bit;
	t->jstale |= bit;
	t->linegen = 0;
}
