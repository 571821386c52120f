#include "scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "util.h"

void kinds_select(char **args, int nargs, bool sel[])
{
	/* without kinds named, the kinds that cost no walk of /proc */
	for (size_t i = 0; i < nkinds; i++)
		sel[i] = nargs == 0 && !kinds[i]->fd_based;
	for (int a = 0; a < nargs; a++) {
		bool found = false;
		for (size_t i = 0; i < nkinds; i++)
			if (!strcmp(kinds[i]->name, args[a])) {
				sel[i] = true;
				found = true;
			}
		if (!found)
			die_usage("unknown kind '%s': expected one of %s", args[a], kind_names());
	}
}

int scan_kind(const struct kind *k, struct objlist *l)
{
	struct scan_note note = { NULL };
	int r = k->scan(l, &note);
	if (note.text) {
		err_msg("%s: %s", k->name, note.text);
		free(note.text);
	}
	if (r < 0)
		err_msg("cannot list %s objects: %s", k->name, strerror(-r));
	return r;
}

void unreadable_count(struct unreadable *u, const struct ipc_obj *o)
{
	if (o->err) {
		u->n++;
		u->err = o->err;
	}
}

void unreadable_report(const struct kind *k, const struct unreadable *u)
{
	if (u->n)
		err_msg("%s: %zu object%s with fields shown as '?': %s", k->name, u->n,
			u->n == 1 ? "" : "s", strerror(u->err));
}

void scan_report_unreadable(const struct kind *k, const struct objlist *l)
{
	struct unreadable u = { 0, 0 };
	for (size_t i = 0; i < l->n; i++)
		unreadable_count(&u, l->v[i]);
	unreadable_report(k, &u);
}

const struct kind *kind_arg(const char *name)
{
	const struct kind *k = kind_by_name(name);
	if (!k) {
		char *e = esc_bytes(name, strlen(name));
		die_usage("unknown kind '%s': expected one of %s", e, kind_names());
	}
	return k;
}

struct ipc_obj *scan_find(const struct kind *k, const char *arg, struct objlist *l)
{
	const char *why = NULL;
	if (!kind_arg_valid(k, arg, &why)) {
		char *e = esc_bytes(arg, strlen(arg));
		die_usage("invalid %s '%s': %s", k->name, e, why);
	}
	if (scan_kind(k, l) < 0)
		return NULL;
	bool malformed;
	struct ipc_obj *obj = kind_lookup(l, k, arg, &why, &malformed);
	if (!obj) {
		char *e = esc_bytes(arg, strlen(arg));
		err_msg("%s '%s': %s", k->name, e, why);
		free(e);
	}
	return obj;
}
