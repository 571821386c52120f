/*
 * What the POSIX kinds share: each object is a file in a directory
 * (/dev/shm, the mqueue mount), so ownership and times come from fstatat.
 */
#ifndef IPCX_KINDS_POSIX_H
#define IPCX_KINDS_POSIX_H

#include <sys/stat.h>

#include "common.h"

/* Every POSIX kind's priv begins with this. */
struct posix_priv {
	struct stat st;
};

#define POSIX(o) ((const struct posix_priv *)(o)->priv)

void col_mtime(const struct ipc_obj *o, struct cell *c);
void col_atime_file(const struct ipc_obj *o, struct cell *c);
void col_ctime_file(const struct ipc_obj *o, struct cell *c);
void col_fsize(const struct ipc_obj *o, struct cell *c);

#define COLS_POSIX_COMMON \
	{ "NAME", CT_STR, COL_TRUNC, 0.3, "name, as opened", col_name }, \
	COLS_OWNERSHIP, \
	{ "MTIME", CT_TIME, 0, 0.1, "time of the last change of data", col_mtime }, \
	{ "CTIME", CT_TIME, 0, 0.1, "time of the last change of the file", col_ctime_file }

/*
 * Calls visit for each regular file of dir whose name starts with prefix
 * (skipped when exclude is set). visit fills o->priv (at least a
 * posix_priv) and may read the file through dirfd. Returns 0 or -errno.
 */
int posix_scan(const char *dir, const struct kind *k, const char *prefix, bool exclude,
	       struct objlist *list,
	       void *(*visit)(int dirfd, const char *dname, struct ipc_obj *o, const struct stat *st));

#endif
