#include "arena.h"

#include <stdlib.h>
#include <string.h>

#include "../util.h"

struct ablock {
	struct ablock *next;
	size_t used, cap;
	max_align_t data[];
};

#define ABLOCK_SIZE ((size_t)4 << 20)

void *arena_zalloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

/* n bytes aligned to align, a power of two. */
static void *arena_get(struct arena *a, size_t n, size_t align)
{
	struct ablock *b = a->head;
	size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
	if (!b || at + n > b->cap) {
		if (a->spare && n <= a->spare->cap) {
			/* memory already touched: no page faults, which cost more than the rest */
			b = a->spare;
			a->spare = b->next;
		} else {
			size_t cap = n > ABLOCK_SIZE ? n : ABLOCK_SIZE;
			b = xmalloc(sizeof(*b) + cap);
			b->cap = cap;
		}
		b->used = 0;
		b->next = a->head;
		a->head = b;
		at = 0;
	}
	void *p = (char *)b->data + at;
	b->used = at + n;
	return p;
}

void *arena_alloc(struct arena *a, size_t n)
{
	return arena_get(a, n, sizeof(max_align_t));
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	/* texts unaligned: most cells' are a few bytes, and a frame has 100,000 */
	char *p = arena_get(a, n + 1, 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void arena_free(struct arena *a)
{
	arena_reset(a);
	while (a->spare) {
		struct ablock *n = a->spare->next;
		free(a->spare);
		a->spare = n;
	}
}

void arena_reset(struct arena *a)
{
	while (a->head) {
		struct ablock *n = a->head->next;
		a->head->next = a->spare;
		a->spare = a->head;
		a->head = n;
	}
}
