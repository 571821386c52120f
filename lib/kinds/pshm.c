/* POSIX shared memory: the files of /dev/shm that are not semaphores. */
#include <stdlib.h>
#include <string.h>

#include "../util.h"
#include "posix.h"

extern const struct kind kind_pshm;

static void col_blocks(const struct ipc_obj *o, struct cell *c)
{
	/* pages the segment really holds: tmpfs allocates on first touch */
	cell_num(c, (unsigned long long)POSIX(o)->st.st_blocks * 512);
}

static const struct column pshm_cols[] = {
	COLS_POSIX_COMMON,
	{ "SIZE", CT_SIZE, COL_RIGHT, 0.1, "size", col_fsize },
	{ "RSS", CT_SIZE, COL_RIGHT, 0.1, "memory in use (allocated pages)", col_blocks },
	{ "ATIME", CT_TIME, 0, 0.1, "time of the last access", col_atime_file },
};

static void *pshm_visit(int dirfd, const char *dname, struct ipc_obj *o, const struct stat *st)
{
	(void)dirfd;
	(void)dname;
	(void)o;
	struct posix_priv *p = xcalloc(1, sizeof(*p));
	p->st = *st;
	return p;
}

static int pshm_scan(struct objlist *list, struct scan_note *note)
{
	(void)note;
	return posix_scan("/dev/shm", &kind_pshm, "sem.", true, list, pshm_visit);
}

const struct kind kind_pshm = {
	.name = "pshm",
	.order = 40,
	.title = "Shared memory (POSIX)",
	.defcols = "NAME,PERMS,OWNER,SIZE,MTIME",
	.cols = pshm_cols,
	.ncols = sizeof(pshm_cols) / sizeof(pshm_cols[0]),
	.named = true,
	.scan = pshm_scan,
};
KIND_REGISTER(kind_pshm);
