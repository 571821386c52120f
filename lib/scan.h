/* Scanning kinds for commands: kind arguments, notes and errors said once. */
#ifndef IPCX_SCAN_H
#define IPCX_SCAN_H

#include <stdbool.h>

#include "kind.h"

/*
 * Resolves KIND arguments into a selection of the registry (all kinds when
 * none is given). Exits with a usage error naming an unknown kind.
 */
void kinds_select(char **args, int nargs, bool sel[]);

/*
 * Scans one kind into l. A note is printed once on stderr; a failure is
 * reported and returns -errno, so the command exits 1 at the end.
 */
int scan_kind(const struct kind *k, struct objlist *l);

/* Says once, after the output, how many objects had unreadable fields. */
void scan_report_unreadable(const struct kind *k, const struct objlist *l);

/* The same for objects counted one by one as they are listed. */
struct unreadable {
	size_t n;
	int err;	/* the last object's */
};
void unreadable_count(struct unreadable *u, const struct ipc_obj *o);
void unreadable_report(const struct kind *k, const struct unreadable *u);

/* The kind a command argument names; exits with a usage error otherwise. */
const struct kind *kind_arg(const char *name);

/*
 * Scans kind k and finds the object ARG names (see kind_lookup). Exits
 * with a usage error when ARG is malformed; prints a one-line error
 * naming ARG and returns NULL when there is no such object.
 */
struct ipc_obj *scan_find(const struct kind *k, const char *arg, struct objlist *l);

#endif
