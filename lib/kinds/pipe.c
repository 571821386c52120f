/* Pipes: descriptors linked to "pipe:[INODE]", one object per inode. */
#include <string.h>

#include "fdobj.h"

extern const struct kind kind_pipe;

static void col_inode(const struct ipc_obj *o, struct cell *c)
{
	cell_num(c, (unsigned long long)FDPIPE(o)->ino);
}

static const struct column pipe_cols[] = {
	{ "INODE", CT_NUM, COL_RIGHT, 0.1, "inode number in pipefs", col_inode },
	COLS_FDPIPE,
	COL_ENDPOINTS,
	COLS_HOLDERS,
};

static enum fd_match pipe_match(const struct ps_fd *f, unsigned long long key[2])
{
	if (strncmp(f->link, "pipe:[", 6))
		return FD_NOT;
	key[0] = (unsigned long long)f->ino;
	key[1] = 0;
	return FD_KEY;
}

static void pipe_init(struct ipc_obj *o, pid_t pid, const struct ps_fd *f)
{
	(void)pid;
	FDPIPE(o)->ino = f->ino;
	/* the inode is the pipe's only name: `ipcx show pipe INODE` */
	o->id = (long long)f->ino;
}

static const struct fdclass pipe_class = {
	.kind = &kind_pipe,
	.parts = PS_FDS,
	.privsize = sizeof(struct fdpipe),
	.match = pipe_match,
	.init = pipe_init,
};

static int pipe_scan(struct objlist *list, struct scan_note *note)
{
	(void)note;
	return fdobj_scan(&pipe_class, list);
}

const struct kind kind_pipe = {
	.name = "pipe",
	.order = 70,
	.title = "Pipes",
	.defcols = "INODE,QUEUED,CAPACITY,NREADERS,NWRITERS,ENDPOINTS",
	.cols = pipe_cols,
	.ncols = sizeof(pipe_cols) / sizeof(pipe_cols[0]),
	.fd_based = true,
	.scan = pipe_scan,
	.free_priv = fdpipe_free_priv,
	.holders = fdobj_holders,
};
KIND_REGISTER(kind_pipe);
