/*
 * The kernel limits of IPC, where each is read and how its use is counted
 * from the objects of a kind: a table shared by limits and check.
 */
#ifndef IPCX_IPCLIMITS_H
#define IPCX_IPCLIMITS_H

#include "kind.h"

/* How current use is counted from the objects of a kind. */
enum limit_use { U_NONE, U_COUNT, U_SUM, U_SUM_PAGES, U_MAX };

struct ipc_limit {
	const char *name, *desc, *unit;
	const char *path;	/* file holding the value; NULL for a kernel constant */
	int field;		/* which number of the file (kernel/sem holds four) */
	const char *kind;	/* objects counted for the use */
	enum limit_use use;
	const char *column;	/* the column summed or maximised */
	unsigned long long constant;	/* the value when path is NULL */
};

extern const struct ipc_limit ipc_limits[];
extern const size_t nipc_limits;

const struct ipc_limit *ipc_limit_by_name(const char *name);
/* The limit's value; -errno when its file cannot be read. */
int ipc_limit_value(const struct ipc_limit *lim, unsigned long long *v);
/*
 * Current use, counted from the objects l of kind k. -ENOENT when k has
 * no such column; -errno when an object's value could not be read (a
 * total that skipped it would be a wrong number that looks right).
 */
int ipc_limit_use(const struct ipc_limit *lim, const struct kind *k, const struct objlist *l,
		  unsigned long long *used);

/* The /dev/shm file system, which bounds POSIX shm and semaphores: size and
 * bytes in use. -errno when it cannot be read. */
int shmfs_usage(unsigned long long *size, unsigned long long *used);

#endif
