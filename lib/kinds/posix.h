/*
 * What the POSIX kinds share: each object is a file in a directory
 * (/dev/shm, the mqueue mount), so ownership and times come from fstatat.
 */
#ifndef IPCX_KINDS_POSIX_H
#define IPCX_KINDS_POSIX_H

#include <sys/stat.h>

#include "../ops.h"
#include "common.h"

/* Every POSIX kind's priv begins with this. */
struct posix_priv {
	struct stat st;
	const char *dir;	/* the directory the object lives in */
	char *fname;		/* its file name there ("sem.NAME" for a semaphore) */
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
 * (skipped when exclude is set), with the file's status. visit fills
 * o->priv (at least a posix_priv). When reads is set, the file is opened
 * for reading (a file of unknown type after its status said it is a
 * regular file; others first, their status then taken from the
 * descriptor), and visit reads fd; fd is -1 and err says why when it
 * could not be opened.
 * Returns 0 or -errno.
 */
int posix_scan(const char *dir, const struct kind *k, const char *prefix, bool exclude,
	       bool reads, struct objlist *list,
	       void *(*visit)(int fd, int err, struct ipc_obj *o, const struct stat *st));

/* Frees a priv that begins with posix_priv. */
void posix_free_priv(void *priv);

/*
 * Checks a POSIX name given by the user: one leading slash is allowed,
 * then a single path component that is not "." or "..". Returns the name
 * without the slash, or NULL with *why set.
 */
const char *posix_name_check(const char *arg, size_t max, const char **why);

/*
 * Removes the file of o after checking that the name still holds the
 * same inode, that it is a regular file (never a symlink) and, unless
 * RM_FORCE, that busy says nothing uses it. busy returns 0 or RM_KEPT
 * with why filled.
 */
int posix_remove(const struct ipc_obj *o, unsigned flags, char *why, size_t whylen,
		 int (*busy)(const struct ipc_obj *o, int fd, char *why, size_t whylen));

/* Opens the file of o (O_NOFOLLOW, same inode as listed). -errno on failure. */
int posix_open(const struct ipc_obj *o, int flags);

#endif
