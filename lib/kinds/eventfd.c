/*
 * eventfds: every anon-inode descriptor shares one inode, so descriptors
 * are paired by the eventfd-id of their fdinfo, as lsfd does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fdobj.h"

extern const struct kind kind_eventfd;

struct eventfd {
	struct fdobj base;
	bool has_info, has_count, has_sem;
	unsigned long long count;
	bool sem;
};

#define EVENTFD(o) ((const struct eventfd *)(o)->priv)

static void col_efd_id(const struct ipc_obj *o, struct cell *c)
{
	if (o->id >= 0)
		cell_num(c, (unsigned long long)o->id);
	else
		cell_why(c, EVENTFD(o)->has_info ? "no eventfd-id in fdinfo" : "fdinfo not readable");
}

static void col_count(const struct ipc_obj *o, struct cell *c)
{
	const struct eventfd *e = EVENTFD(o);
	if (e->has_count)
		cell_num(c, e->count);
	else
		cell_why(c, e->has_info ? "no eventfd-count in fdinfo" : "fdinfo not readable");
}

static void col_semaphore(const struct ipc_obj *o, struct cell *c)
{
	const struct eventfd *e = EVENTFD(o);
	if (e->has_sem)
		cell_num(c, e->sem);
	else
		cell_why(c, e->has_info ? "no eventfd-semaphore in fdinfo" : "fdinfo not readable");
}

static const struct column eventfd_cols[] = {
	{ "ID", CT_NUM, COL_RIGHT, 0.1, "eventfd-id of fdinfo", col_efd_id },
	{ "COUNT", CT_NUM, COL_RIGHT, 0.1, "counter value", col_count },
	{ "SEMAPHORE", CT_NUM, COL_RIGHT, 0.1, "1 with EFD_SEMAPHORE (a read takes 1), else 0", col_semaphore },
	COL_ENDPOINTS,
	COLS_HOLDERS,
};

/* A number of fdinfo in base 10 or 16; false when missing or malformed. */
static bool info_num(const char *fdinfo, const char *name, int base, unsigned long long *v)
{
	const char *s = fdinfo_field(fdinfo, name);
	if (!s)
		return false;
	char *end;
	errno = 0;
	*v = strtoull(s, &end, base);
	return end != s && !errno && (*end == '\n' || *end == '\0');
}

static enum fd_match eventfd_match(const struct ps_fd *f, unsigned long long key[2])
{
	if (strcmp(f->link, "anon_inode:[eventfd]"))
		return FD_NOT;
	unsigned long long id;
	if (f->fdinfo && info_num(f->fdinfo, "eventfd-id", 10, &id)) {
		key[0] = id;
		key[1] = 0;
		return FD_KEY;
	}
	/* without an id (older kernels, fdinfo unreadable) only kcmp can pair */
	key[0] = key[1] = 0;
	return FD_KCMP;
}

static void eventfd_init(struct ipc_obj *o, pid_t pid, const struct ps_fd *f)
{
	(void)pid;
	struct eventfd *e = o->priv;
	unsigned long long v = 0;
	e->has_info = f->fdinfo != NULL;
	if (f->fdinfo) {
		if (info_num(f->fdinfo, "eventfd-id", 10, &v))
			o->id = (long long)v;
		e->has_count = info_num(f->fdinfo, "eventfd-count", 16, &e->count);
		e->has_sem = info_num(f->fdinfo, "eventfd-semaphore", 10, &v);
		e->sem = e->has_sem && v != 0;
	}
}

static const struct fdclass eventfd_class = {
	.kind = &kind_eventfd,
	.parts = PS_FDS | PS_FDINFO,
	.privsize = sizeof(struct eventfd),
	.match = eventfd_match,
	.init = eventfd_init,
};

static int eventfd_scan(struct objlist *list, struct scan_note *note)
{
	(void)note;
	return fdobj_scan(&eventfd_class, list);
}

const struct kind kind_eventfd = {
	.name = "eventfd",
	.order = 100,
	.title = "eventfds",
	.defcols = "ID,COUNT,SEMAPHORE,ENDPOINTS",
	.cols = eventfd_cols,
	.ncols = sizeof(eventfd_cols) / sizeof(eventfd_cols[0]),
	.fd_based = true,
	.scan = eventfd_scan,
	.free_priv = fdobj_free_priv,
	.holders = fdobj_holders,
};
KIND_REGISTER(kind_eventfd);
