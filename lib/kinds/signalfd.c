/*
 * signalfds. Their fdinfo has no id, and every anon-inode descriptor
 * shares one inode: descriptors with the same mask are told apart or
 * joined (after dup or fork) by kcmp, and where kcmp cannot say each
 * descriptor is an object of its own (fdobj.c).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../signame.h"
#include "../util.h"
#include "fdobj.h"

extern const struct kind kind_signalfd;

struct signalfd {
	struct fdobj base;
	bool has_info, has_mask;
	unsigned long long mask;	/* bit N-1 is signal N */
	char *names;			/* MASK, made when first asked */
};

#define SIGNALFD(o) ((struct signalfd *)(o)->priv)

static bool parse_mask(const char *fdinfo, unsigned long long *mask)
{
	const char *s = fdinfo ? fdinfo_field(fdinfo, "sigmask") : NULL;
	if (!s)
		return false;
	char *end;
	errno = 0;
	*mask = strtoull(s, &end, 16);
	return end != s && !errno && (*end == '\n' || *end == '\0');
}

static void col_mask(const struct ipc_obj *o, struct cell *c)
{
	struct signalfd *s = SIGNALFD(o);
	if (!s->has_mask) {
		cell_why(c, s->has_info ? "no sigmask in fdinfo" : "fdinfo not readable");
		return;
	}
	if (!s->names)
		s->names = sigset_str(s->mask);
	if (!s->names[0])
		c->state = CELL_ABSENT;	/* an empty mask: no signal is read through it */
	else
		cell_str(c, s->names);
}

static void col_hexmask(const struct ipc_obj *o, struct cell *c)
{
	const struct signalfd *s = SIGNALFD(o);
	if (!s->has_mask) {
		cell_why(c, s->has_info ? "no sigmask in fdinfo" : "fdinfo not readable");
		return;
	}
	snprintf(c->buf, sizeof(c->buf), "%016llx", s->mask);
	cell_str(c, c->buf);
}

static const struct column signalfd_cols[] = {
	{ "PID", CT_NUM, COL_RIGHT, 0.1, "pid of the first descriptor (the lowest), the object's id", col_fdpid },
	{ "FD", CT_NUM, COL_RIGHT, 0.1, "that descriptor", col_fdnum },
	{ "MASK", CT_STR, COL_WRAP, 0.3, "signals read through it", col_mask },
	{ "SIGMASK", CT_STR, 0, 0.1, "those signals as the hex mask of fdinfo", col_hexmask },
	COL_ENDPOINTS,
	COLS_HOLDERS,
};

/* Descriptors of one file have one mask: it narrows down what kcmp compares. */
static enum fd_match signalfd_match(const struct ps_fd *f, unsigned long long key[2])
{
	if (strcmp(f->link, "anon_inode:[signalfd]"))
		return FD_NOT;
	unsigned long long mask;
	key[0] = parse_mask(f->fdinfo, &mask);
	key[1] = key[0] ? mask : 0;
	return FD_KCMP;
}

static void signalfd_init(struct ipc_obj *o, pid_t pid, const struct ps_fd *f)
{
	struct signalfd *s = o->priv;
	s->has_info = f->fdinfo != NULL;
	s->has_mask = parse_mask(f->fdinfo, &s->mask);
	/* nothing in the kernel names a signalfd: its first holder does */
	o->id = pid;
}

static void signalfd_free_priv(void *priv)
{
	struct signalfd *s = priv;
	if (s)
		free(s->names);
	fdobj_free_priv(s);
}

static const struct fdclass signalfd_class = {
	.kind = &kind_signalfd,
	.parts = PS_FDS | PS_FDINFO,
	.privsize = sizeof(struct signalfd),
	.match = signalfd_match,
	.init = signalfd_init,
};

static int signalfd_scan(struct objlist *list, struct scan_note *note)
{
	(void)note;
	return fdobj_scan(&signalfd_class, list);
}

const struct kind kind_signalfd = {
	.name = "signalfd",
	.order = 110,
	.title = "signalfds",
	.defcols = "PID,FD,MASK,ENDPOINTS",
	.cols = signalfd_cols,
	.ncols = sizeof(signalfd_cols) / sizeof(signalfd_cols[0]),
	.fd_based = true,
	.scan = signalfd_scan,
	.free_priv = signalfd_free_priv,
	.holders = fdobj_holders,
};
KIND_REGISTER(kind_signalfd);
