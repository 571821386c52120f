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

void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	struct ablock *b = a->head;
	if (!b || b->used + n > b->cap) {
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
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
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
