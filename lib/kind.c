#include "kind.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse.h"
#include "util.h"

extern const struct kind *const __start_ipcx_kinds[], *const __stop_ipcx_kinds[];

const struct kind *const *kinds;
size_t nkinds;

static int by_order(const void *a, const void *b)
{
	const struct kind *x = *(const struct kind *const *)a, *y = *(const struct kind *const *)b;
	return (x->order > y->order) - (x->order < y->order);
}

void kinds_init(void)
{
	size_t n = (size_t)(__stop_ipcx_kinds - __start_ipcx_kinds);
	const struct kind **v = xcalloc(n, sizeof(*v));
	memcpy(v, __start_ipcx_kinds, n * sizeof(*v));
	qsort(v, n, sizeof(*v), by_order);
	kinds = v;
	nkinds = n;
}

const struct kind *kind_by_name(const char *name)
{
	for (size_t i = 0; i < nkinds; i++)
		if (!strcmp(kinds[i]->name, name))
			return kinds[i];
	return NULL;
}

const char *kind_names(void)
{
	static char buf[256];
	if (!buf[0])
		for (size_t i = 0; i < nkinds; i++) {
			if (i)
				strcat(buf, ", ");
			strcat(buf, kinds[i]->name);
		}
	return buf;
}

const struct column *kind_column(const struct kind *k, const char *name)
{
	for (size_t i = 0; i < k->ncols; i++)
		if (!strcasecmp(k->cols[i].name, name))
			return &k->cols[i];
	return NULL;
}

struct ipc_obj *obj_new(const struct kind *k)
{
	struct ipc_obj *o = xcalloc(1, sizeof(*o));
	o->kind = k;
	o->id = -1;
	return o;
}

void obj_free(struct ipc_obj *o)
{
	if (!o)
		return;
	if (o->priv && o->kind->free_priv)
		o->kind->free_priv(o->priv);
	else
		free(o->priv);
	free(o->name);
	free(o);
}

void objlist_add(struct objlist *l, struct ipc_obj *o)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = o;
}

void objlist_free(struct objlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		obj_free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

struct ipc_obj *kind_lookup(const struct objlist *l, const struct kind *k,
			    const char *arg, const char **why)
{
	if (k->named) {
		const char *name = arg[0] == '/' ? arg + 1 : arg;
		for (size_t i = 0; i < l->n; i++)
			if (!strcmp(l->v[i]->name, name))
				return l->v[i];
		*why = "no such name";
		return NULL;
	}
	/* System V: an id unless it is spelled as a key */
	bool by_key = false;
	const char *s = arg;
	if (!strncmp(s, "key:", 4)) {
		by_key = true;
		s += 4;
	} else if (!strncmp(s, "id:", 3)) {
		s += 3;
	} else if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		by_key = true;
	}
	if (by_key) {
		int key;
		if (parse_key(s, &key, why) < 0)
			return NULL;
		if (key == 0) {
			*why = "the private key 0x00000000 names no single object; use the id";
			return NULL;
		}
		for (size_t i = 0; i < l->n; i++)
			if (l->v[i]->key == key)
				return l->v[i];
		*why = "no such key";
		return NULL;
	}
	unsigned long long id;
	if (parse_uint(s, 0x7fffffff, &id, why) < 0) {
		*why = "expected an id, a key as 0xHEX, id:N or key:N";
		return NULL;
	}
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i]->id == (long long)id)
			return l->v[i];
	*why = "no such id";
	return NULL;
}
