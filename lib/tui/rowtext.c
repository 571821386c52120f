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
	/* text, width and the texts themselves are one block */
	free(t->text);
	free(t->line);
	free(t->json);
	free(t);
}
