#include "kind.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "holders.h"
#include "out.h"
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

struct obj_block {
	struct ipc_obj o;
	max_align_t priv[];
};

struct ipc_obj *obj_new_with(const struct kind *k, size_t priv_size)
{
	struct obj_block *b = xcalloc(1, sizeof(*b) + priv_size);
	b->o.kind = k;
	b->o.id = -1;
	b->o.priv = b->priv;
	return &b->o;
}

/* Whether o's data was made with it (obj_new_with): compared as numbers,
 * since an object made alone has no block around it. */
static bool priv_inline(const struct ipc_obj *o)
{
	return (uintptr_t)o->priv == (uintptr_t)o + offsetof(struct obj_block, priv);
}

void obj_free(struct ipc_obj *o)
{
	if (!o)
		return;
	if (o->priv && o->kind->free_priv)
		o->kind->free_priv(o->priv);
	else if (!priv_inline(o))
		free(o->priv);
	if (o->holders) {
		holders_free(o->holders);
		free(o->holders);
	}
	free(o->name);
	free(o);
}

const struct holders *obj_holders(const struct ipc_obj *o)
{
	struct ipc_obj *m = (struct ipc_obj *)o;	/* a cache, not a change of the object */
	if (!m->holders) {
		m->holders = xcalloc(1, sizeof(*m->holders));
		if (o->kind->holders)
			o->kind->holders(o, m->holders);
	}
	return m->holders;
}

#define OBJ_BYTES 192

void objlist_add(struct objlist *l, struct ipc_obj *o)
{
	if (l->take) {
		l->take(o, l->take_arg);
		return;
	}
	if (l->n == l->cap) {
		size_t more = l->cap ? l->cap : 64;
		l->cap += more;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
		/* the objects that will fill the list: an object and its kind's
		 * data take about this much */
		heap_expect(more * OBJ_BYTES);
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

char *obj_label(const struct ipc_obj *o)
{
	if (o->kind->named) {
		char *e = esc_bytes(o->name, strlen(o->name));
		char *r = xasprintf("%s /%s", o->kind->name, e);
		free(e);
		return r;
	}
	if (o->key)
		return xasprintf("%s %lld (key 0x%08x)", o->kind->name, o->id, (unsigned)o->key);
	return xasprintf("%s %lld", o->kind->name, o->id);
}

/* What ARG names: a name, or an id or key of a System V object. */
struct target {
	const char *name;
	bool by_key;
	int key;
	long long id;
};

static bool parse_target(const struct kind *k, const char *arg, struct target *t,
			 const char **why)
{
	memset(t, 0, sizeof(*t));
	if (k->named) {
		/* names are checked by the kind where it matters (rm, mk);
		 * looking one up never touches the file system by it */
		t->name = arg[0] == '/' ? arg + 1 : arg;
		if (!*t->name) {
			*why = "empty name";
			return false;
		}
		return true;
	}
	if (k->fd_based) {
		/* no keys here; an inode number may pass 2^31 */
		unsigned long long id;
		if (parse_uint(arg, 0x7fffffffffffffffULL, &id, why) < 0) {
			*why = "expected the object's id, a number";
			return false;
		}
		t->id = (long long)id;
		return true;
	}
	const char *s = arg;
	if (!strncmp(s, "key:", 4)) {
		t->by_key = true;
		s += 4;
	} else if (!strncmp(s, "id:", 3)) {
		s += 3;
	} else if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		t->by_key = true;
	}
	if (t->by_key) {
		if (parse_key(s, &t->key, why) < 0)
			return false;
		if (t->key == 0) {
			*why = "the private key 0x00000000 names no single object; use the id";
			return false;
		}
		return true;
	}
	unsigned long long id;
	if (parse_uint(s, 0x7fffffff, &id, why) < 0) {
		*why = "expected an id, a key as 0xHEX, id:N or key:N";
		return false;
	}
	t->id = (long long)id;
	return true;
}

bool kind_arg_valid(const struct kind *k, const char *arg, const char **why)
{
	struct target t;
	return parse_target(k, arg, &t, why);
}

struct ipc_obj *kind_lookup(const struct objlist *l, const struct kind *k,
			    const char *arg, const char **why, bool *malformed)
{
	struct target t;
	*malformed = !parse_target(k, arg, &t, why);
	if (*malformed)
		return NULL;
	for (size_t i = 0; i < l->n; i++) {
		const struct ipc_obj *o = l->v[i];
		if (t.name ? !strcmp(o->name, t.name) : t.by_key ? o->key == t.key : o->id == t.id)
			return l->v[i];
	}
	*why = t.name ? "no such name" : t.by_key ? "no such key" : "no such id";
	return NULL;
}
