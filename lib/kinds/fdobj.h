/*
 * What the fd-based kinds share: their objects are found only as
 * descriptors in the walk of /proc, grouped into one object per open
 * pipe, FIFO, eventfd, ...; the descriptors are the object's endpoints
 * and its holders.
 */
#ifndef IPCX_KINDS_FDOBJ_H
#define IPCX_KINDS_FDOBJ_H

#include <stdbool.h>
#include <sys/types.h>

#include "../pscan.h"
#include "common.h"

/* One descriptor of an object. */
struct fdend {
	pid_t pid;
	int fd;
	bool rd, wr;
};

/* Every fd kind's priv begins with this. */
struct fdobj {
	struct fdend *ends;	/* by pid, then fd */
	size_t nends;
	char *endpoints;	/* the ENDPOINTS text, made when first asked */
};

#define FDOBJ(o) ((struct fdobj *)(o)->priv)

/* What a descriptor is to a kind. */
enum fd_match {
	FD_NOT,		/* not one of the kind's */
	FD_KEY,		/* one of them; equal keys mean the same object */
	FD_KCMP,	/* one of them; equal keys may be the same object, kcmp decides */
};

struct fdclass {
	const struct kind *kind;
	unsigned parts;		/* PS_FDS, with PS_FDINFO for the anon-inode kinds */
	size_t privsize;	/* the kind's priv, which begins with struct fdobj */
	enum fd_match (*match)(const struct ps_fd *f, unsigned long long key[2]);
	/* Fills o (id, priv beyond the fdobj) from the object's first descriptor. */
	void (*init)(struct ipc_obj *o, pid_t pid, const struct ps_fd *f);
};

/* Appends the objects of class c found in the walk, ordered by id. */
int fdobj_scan(const struct fdclass *c, struct objlist *list);
void fdobj_free_priv(void *priv);
/* The endpoints as H_OPEN holders. */
void fdobj_holders(const struct ipc_obj *o, struct holders *out);

/* An unknown cell with a reason that is no errno. */
void cell_why(struct cell *c, const char *why);

/* "PID,COMMAND,FDr PID,COMMAND,FDw ...", as lsfd writes endpoints. */
void col_endpoints(const struct ipc_obj *o, struct cell *c);
/* The pid and descriptor of the first endpoint. */
void col_fdpid(const struct ipc_obj *o, struct cell *c);
void col_fdnum(const struct ipc_obj *o, struct cell *c);

#define COL_ENDPOINTS \
	{ "ENDPOINTS", CT_STR, COL_WRAP, 0.3, "descriptors, as PID,COMMAND,FD with r or w", col_endpoints }

/*
 * The value of one "name:\tvalue" line of fdinfo text, or NULL when the
 * line is missing: every field is optional, kernels add and drop them.
 */
const char *fdinfo_field(const char *fdinfo, const char *name);

/* Pipes and FIFOs: what the kernel holds in them, read when first asked. */
struct fdpipe {
	struct fdobj base;
	dev_t dev;		/* 0 for a pipe: pipefs is not compared */
	ino_t ino;
	char *path;		/* a FIFO's path, from the first descriptor's link */
	bool probed;
	const char *why;	/* why queued and capacity are unknown */
	unsigned long long queued, capacity;
};

#define FDPIPE(o) ((struct fdpipe *)(o)->priv)

void fdpipe_free_priv(void *priv);
void col_nreaders(const struct ipc_obj *o, struct cell *c);
void col_nwriters(const struct ipc_obj *o, struct cell *c);
void col_queued(const struct ipc_obj *o, struct cell *c);
void col_capacity(const struct ipc_obj *o, struct cell *c);

#define COLS_FDPIPE \
	{ "NREADERS", CT_NUM, COL_RIGHT, 0.1, "descriptors open for reading", col_nreaders }, \
	{ "NWRITERS", CT_NUM, COL_RIGHT, 0.1, "descriptors open for writing", col_nwriters }, \
	{ "QUEUED", CT_SIZE, COL_RIGHT, 0.1, "bytes waiting to be read", col_queued }, \
	{ "CAPACITY", CT_SIZE, COL_RIGHT, 0.1, "buffer size (F_GETPIPE_SZ)", col_capacity }

#endif
