/* FIFOs: descriptors of named pipes, one object per device and inode. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "../util.h"
#include "fdobj.h"

extern const struct kind kind_fifo;

static void col_path(const struct ipc_obj *o, struct cell *c)
{
	cell_str(c, FDPIPE(o)->path);
}

static void col_inode(const struct ipc_obj *o, struct cell *c)
{
	cell_num(c, (unsigned long long)FDPIPE(o)->ino);
}

static void col_dev(const struct ipc_obj *o, struct cell *c)
{
	snprintf(c->buf, sizeof(c->buf), "%u:%u", major(FDPIPE(o)->dev), minor(FDPIPE(o)->dev));
	cell_str(c, c->buf);
}

static const struct column fifo_cols[] = {
	{ "PATH", CT_STR, COL_TRUNC, 0.3, "path, as the first descriptor's link reads", col_path },
	{ "INODE", CT_NUM, COL_RIGHT, 0.1, "inode number", col_inode },
	{ "DEV", CT_STR, 0, 0.1, "device of the file system, as MAJOR:MINOR", col_dev },
	{ "PERMS", CT_STR, 0, 0.1, "permissions", col_perms },
	COLS_FDPIPE,
	COL_ENDPOINTS,
	COLS_HOLDERS,
};

static enum fd_match fifo_match(const struct ps_fd *f, unsigned long long key[2])
{
	/* a pipe has no path; a FIFO is reached through one */
	if (f->link[0] != '/' || !S_ISFIFO(f->mode))
		return FD_NOT;
	key[0] = (unsigned long long)f->dev;
	key[1] = (unsigned long long)f->ino;
	return FD_KEY;
}

static void fifo_init(struct ipc_obj *o, pid_t pid, const struct ps_fd *f)
{
	(void)pid;
	struct fdpipe *p = FDPIPE(o);
	p->dev = f->dev;
	p->ino = f->ino;
	p->path = xstrdup(f->link);
	o->mode = f->mode & 07777;
	o->id = (long long)f->ino;
}

static const struct fdclass fifo_class = {
	.kind = &kind_fifo,
	.parts = PS_FDS,
	.privsize = sizeof(struct fdpipe),
	.match = fifo_match,
	.init = fifo_init,
};

static int fifo_scan(struct objlist *list, struct scan_note *note)
{
	(void)note;
	return fdobj_scan(&fifo_class, list);
}

const struct kind kind_fifo = {
	.name = "fifo",
	.order = 80,
	.title = "FIFOs (named pipes) in use",
	.defcols = "PATH,INODE,QUEUED,NREADERS,NWRITERS,ENDPOINTS",
	.cols = fifo_cols,
	.ncols = sizeof(fifo_cols) / sizeof(fifo_cols[0]),
	.fd_based = true,
	.scan = fifo_scan,
	.free_priv = fdpipe_free_priv,
	.holders = fdobj_holders,
};
KIND_REGISTER(kind_fifo);
