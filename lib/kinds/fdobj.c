#include "fdobj.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../holders.h"
#include "../proc.h"
#include "../util.h"

void cell_why(struct cell *c, const char *why)
{
	c->state = CELL_UNKNOWN;
	c->why = why;
}

const char *fdinfo_field(const char *fdinfo, const char *name)
{
	size_t len = strlen(name);
	for (const char *l = fdinfo; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (!strncmp(l, name, len) && l[len] == ':') {
			l += len + 1;
			while (*l == ' ' || *l == '\t')
				l++;
			return l;
		}
	return NULL;
}

/* One descriptor of the walk that the kind claims. */
struct entry {
	unsigned long long key[2];
	enum fd_match how;
	pid_t pid;
	const struct ps_fd *f;
};

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	for (int i = 0; i < 2; i++)
		if (x->key[i] != y->key[i])
			return x->key[i] < y->key[i] ? -1 : 1;
	if (x->how != y->how)
		return x->how < y->how ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->f->fd > y->f->fd) - (x->f->fd < y->f->fd);
}

static bool same_key(const struct entry *x, const struct entry *y)
{
	return x->key[0] == y->key[0] && x->key[1] == y->key[1] && x->how == y->how;
}

/*
 * Whether two descriptors are one open file (dup, fork, SCM_RIGHTS). Anon
 * inodes share one inode, so nothing in /proc tells; kcmp does, where the
 * kernel has it and we may ptrace both. When it cannot say, the two are
 * taken as two objects: splitting one file is the lesser error.
 */
static bool same_file(const struct entry *x, const struct entry *y)
{
	static bool unavailable;
	if (unavailable)
		return false;
	long r = syscall(SYS_kcmp, x->pid, y->pid, KCMP_FILE, (unsigned long)x->f->fd,
			 (unsigned long)y->f->fd);
	if (r < 0 && errno == ENOSYS)
		unavailable = true;
	return r == 0;
}

static struct ipc_obj *make_obj(const struct fdclass *c, const struct entry *first)
{
	struct ipc_obj *o = obj_new(c->kind);
	o->priv = xcalloc(1, c->privsize);
	c->init(o, first->pid, first->f);
	return o;
}

static void add_end(struct ipc_obj *o, const struct entry *e)
{
	struct fdobj *b = FDOBJ(o);
	b->ends = xrealloc(b->ends, (b->nends + 1) * sizeof(*b->ends));
	b->ends[b->nends++] = (struct fdend){ e->pid, e->f->fd, e->f->rd, e->f->wr };
}

static int obj_cmp(const void *a, const void *b)
{
	const struct ipc_obj *x = *(struct ipc_obj *const *)a, *y = *(struct ipc_obj *const *)b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	const struct fdend *ex = &FDOBJ(x)->ends[0], *ey = &FDOBJ(y)->ends[0];
	if (ex->pid != ey->pid)
		return ex->pid < ey->pid ? -1 : 1;
	return (ex->fd > ey->fd) - (ex->fd < ey->fd);
}

int fdobj_scan(const struct fdclass *c, struct objlist *list)
{
	const struct pscan *ps = pscan_get(c->parts);
	/* a process we may not read holds endpoints we cannot show */
	pscan_report_denied();
	struct entry *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < ps->n; i++)
		for (size_t j = 0; j < ps->v[i].nfds; j++) {
			struct entry e = { .pid = ps->v[i].pid, .f = &ps->v[i].fds[j] };
			e.how = c->match(e.f, e.key);
			if (e.how == FD_NOT)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				v = xrealloc(v, cap * sizeof(*v));
			}
			v[n++] = e;
		}
	/* qsort may not be given NULL, even for no elements */
	if (n)
		qsort(v, n, sizeof(*v), entry_cmp);
	size_t first = list->n;
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && same_key(&v[i], &v[j]); j++)
			;
		if (v[i].how == FD_KEY) {
			struct ipc_obj *o = make_obj(c, &v[i]);
			for (size_t k = i; k < j; k++)
				add_end(o, &v[k]);
			objlist_add(list, o);
			continue;
		}
		/* equal keys only narrow the search: each descriptor is compared
		 * with the first of every object made from this run so far */
		size_t run = list->n;
		size_t *firsts = xcalloc(j - i, sizeof(*firsts));
		for (size_t k = i; k < j; k++) {
			size_t g = 0;
			while (g < list->n - run && !same_file(&v[firsts[g]], &v[k]))
				g++;
			if (g == list->n - run) {
				firsts[g] = k;
				objlist_add(list, make_obj(c, &v[k]));
			}
			add_end(list->v[run + g], &v[k]);
		}
		free(firsts);
	}
	free(v);
	if (list->n > first)
		qsort(list->v + first, list->n - first, sizeof(*list->v), obj_cmp);
	return 0;
}

void fdobj_free_priv(void *priv)
{
	struct fdobj *b = priv;
	if (b) {
		free(b->ends);
		free(b->endpoints);
	}
	free(b);
}

void fdobj_holders(const struct ipc_obj *o, struct holders *out)
{
	const struct fdobj *b = FDOBJ(o);
	for (size_t i = 0; i < b->nends; i++) {
		const struct fdend *e = &b->ends[i];
		holders_add(out, &(struct holder){ .pid = e->pid, .tid = e->pid, .how = H_OPEN,
						  .fd = e->fd, .rd = e->rd, .wr = e->wr });
	}
}

void col_endpoints(const struct ipc_obj *o, struct cell *c)
{
	struct fdobj *b = FDOBJ(o);
	if (!b->endpoints) {
		size_t len = 0;
		b->endpoints = xstrdup("");
		for (size_t i = 0; i < b->nends; i++) {
			const struct fdend *e = &b->ends[i];
			const char *comm = proc_comm(e->pid);
			char *item = xasprintf("%s%d,%s,%d%s%s", len ? " " : "", (int)e->pid,
					       comm ? comm : "?", e->fd, e->rd ? "r" : "",
					       e->wr ? "w" : "");
			size_t il = strlen(item);
			b->endpoints = xrealloc(b->endpoints, len + il + 1);
			memcpy(b->endpoints + len, item, il + 1);
			len += il;
			free(item);
		}
	}
	cell_str(c, b->endpoints);
}

void col_fdpid(const struct ipc_obj *o, struct cell *c)
{
	cell_pid(c, FDOBJ(o)->ends[0].pid);
}

void col_fdnum(const struct ipc_obj *o, struct cell *c)
{
	cell_num(c, (unsigned long long)FDOBJ(o)->ends[0].fd);
}

void fdpipe_free_priv(void *priv)
{
	struct fdpipe *p = priv;
	if (p)
		free(p->path);
	fdobj_free_priv(p);
}

static size_t count_ends(const struct fdobj *b, bool wr)
{
	size_t n = 0;
	for (size_t i = 0; i < b->nends; i++)
		n += wr ? b->ends[i].wr : b->ends[i].rd;
	return n;
}

void col_nreaders(const struct ipc_obj *o, struct cell *c)
{
	cell_num(c, count_ends(FDOBJ(o), false));
}

void col_nwriters(const struct ipc_obj *o, struct cell *c)
{
	cell_num(c, count_ends(FDOBJ(o), true));
}

/*
 * Opens the pipe again through one of its descriptors and asks the kernel.
 * Opening a pipe or FIFO for reading counts as a reader: while it has no
 * reader it would release a writer blocked in open(), and while it has no
 * writer our close could not be told from the last writer's. So this is
 * done only when both ends are already open, and never blocks (O_NONBLOCK).
 */
static void probe(struct fdpipe *p)
{
	p->probed = true;
	if (!count_ends(&p->base, false) || !count_ends(&p->base, true)) {
		p->why = "read only while both a reader and a writer hold it open";
		return;
	}
	p->why = "no descriptor of it could be opened again";
	for (size_t i = 0; i < p->base.nends; i++) {
		char path[64];
		struct stat st;
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)p->base.ends[i].pid,
			 p->base.ends[i].fd);
		/* the descriptor may have been closed and its number reused:
		 * open it only while it still is this pipe, and check again after */
		if (stat(path, &st) < 0) {
			if (errno == EACCES || errno == EPERM)
				p->why = "permission denied";
			continue;
		}
		if (!S_ISFIFO(st.st_mode) || st.st_ino != p->ino || (p->dev && st.st_dev != p->dev))
			continue;
		int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == EACCES || errno == EPERM)
				p->why = "permission denied";
			continue;
		}
		int queued, size;
		if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) && st.st_ino == p->ino &&
		    (!p->dev || st.st_dev == p->dev) && ioctl(fd, FIONREAD, &queued) == 0 &&
		    (size = fcntl(fd, F_GETPIPE_SZ)) >= 0) {
			p->queued = (unsigned long long)queued;
			p->capacity = (unsigned long long)size;
			p->why = NULL;
		}
		close(fd);
		if (!p->why)
			return;
	}
}

void col_queued(const struct ipc_obj *o, struct cell *c)
{
	struct fdpipe *p = FDPIPE(o);
	if (!p->probed)
		probe(p);
	if (p->why)
		cell_why(c, p->why);
	else
		cell_num(c, p->queued);
}

void col_capacity(const struct ipc_obj *o, struct cell *c)
{
	struct fdpipe *p = FDPIPE(o);
	if (!p->probed)
		probe(p);
	if (p->why)
		cell_why(c, p->why);
	else
		cell_num(c, p->capacity);
}
