/*
 * A bump allocator for what lives exactly as long as one frame: tens of
 * thousands of cells and ids, freed at once rather than one by one.
 */
#ifndef IPCX_TUI_ARENA_H
#define IPCX_TUI_ARENA_H

#include <stddef.h>

struct arena {
	struct ablock *head;	/* the block being filled, then the full ones */
	struct ablock *spare;	/* blocks kept by arena_reset, their pages in memory */
};

/* Memory for n bytes, not zeroed (arena_zalloc zeroes it). */
void *arena_alloc(struct arena *a, size_t n);
void *arena_zalloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
void arena_free(struct arena *a);
/* Forgets what was allocated but keeps the memory for the next frame. */
void arena_reset(struct arena *a);

#endif
