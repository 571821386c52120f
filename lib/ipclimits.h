/*
 * The kernel's IPC limits and how their current use is counted from the
 * objects of a kind: the table behind `limits` and top's header.
 */
#ifndef IPCX_IPCLIMITS_H
#define IPCX_IPCLIMITS_H

#include <stddef.h>

#include "kind.h"

/* How current use is counted from the objects of a kind. */
enum limit_use { U_NONE, U_COUNT, U_SUM, U_SUM_PAGES, U_MAX };

struct limit {
	const char *name, *desc, *unit;
	const char *path;	/* file holding the value; NULL for a kernel constant */
	int field;		/* which number of the file (kernel/sem holds four) */
	const char *kind;	/* objects counted for the use */
	enum limit_use use;
	const char *column;	/* the column summed or maximised */
};

extern const struct limit ipc_limits[];
extern const size_t n_ipc_limits;

const struct limit *limit_by_name(const char *name);
/* The limit's value; -errno when its file cannot be read. */
int limit_value(const struct limit *lim, unsigned long long *v);
/*
 * The use of lim counted over the objects l of kind k. -ENOENT when the
 * kind has no such column; -errno of an object whose value is unreadable.
 */
int limit_use(const struct limit *lim, const struct kind *k, const struct objlist *l,
	      unsigned long long *used);

#endif
