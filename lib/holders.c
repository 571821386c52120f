#include "holders.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "pscan.h"
#include "util.h"

/*
 * The array doubles when n reaches a power of two, so its capacity needs
 * no field of its own: a segment a thousand processes attach is not
 * copied a thousand times.
 */
void holders_add(struct holders *h, const struct holder *x)
{
	if ((h->n & (h->n - 1)) == 0)
		h->v = xrealloc(h->v, (h->n ? h->n * 2 : 1) * sizeof(*h->v));
	h->v[h->n++] = *x;
}

void holders_free(struct holders *h)
{
	free(h->v);
	h->v = NULL;
	h->n = 0;
}

size_t holders_npids(const struct holders *h)
{
	size_t n = 0;
	for (size_t i = 0; i < h->n; i++) {
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = h->v[j].pid == h->v[i].pid;
		n += !seen;
	}
	return n;
}

/*
 * The index: every descriptor and shared mapping by (dev, ino), in one
 * open-addressing table, so that finding the holders of N objects costs N
 * look-ups rather than N walks. System V attachments are filed under a
 * device no file has.
 */
#define SYSV_DEV ((dev_t)-1)

struct ref {
	dev_t dev;
	ino_t ino;
	unsigned proc;
	int fd;		/* index into fds, or -1 */
	int map;	/* index into maps, or -1 */
	int next;	/* next ref of the same key, -1 at the end */
};

static struct {
	unsigned parts, gen;
	struct ref *refs;
	size_t nrefs, cap;
	int *slots;	/* first ref of a key, -1 when empty */
	size_t nslots;
} ix;

static size_t slot_of(dev_t dev, ino_t ino)
{
	unsigned long long h = (unsigned long long)ino * 0x9e3779b97f4a7c15ULL ^ (unsigned long long)dev;
	size_t i = (size_t)(h >> 17) & (ix.nslots - 1);
	while (ix.slots[i] >= 0) {
		const struct ref *r = &ix.refs[ix.slots[i]];
		if (r->dev == dev && r->ino == ino)
			break;
		i = (i + 1) & (ix.nslots - 1);
	}
	return i;
}

static void add_ref(dev_t dev, ino_t ino, unsigned proc, int fd, int map)
{
	if (ix.nrefs == ix.cap) {
		ix.cap = ix.cap ? ix.cap * 2 : 1024;
		ix.refs = xrealloc(ix.refs, ix.cap * sizeof(*ix.refs));
	}
	size_t s = slot_of(dev, ino);
	ix.refs[ix.nrefs] = (struct ref){ dev, ino, proc, fd, map, ix.slots[s] };
	ix.slots[s] = (int)ix.nrefs++;
}

static const struct pscan *index_get(unsigned parts)
{
	const struct pscan *ps = pscan_get(parts);
	if ((ix.parts & parts) == parts && ix.gen == ps->gen)
		return ps;
	free(ix.refs);
	free(ix.slots);
	memset(&ix, 0, sizeof(ix));
	size_t total = 0;
	for (size_t i = 0; i < ps->n; i++)
		total += ps->v[i].nfds + ps->v[i].nmaps;
	ix.nslots = 1024;
	while (ix.nslots < total * 2)
		ix.nslots *= 2;
	ix.slots = xmalloc(ix.nslots * sizeof(*ix.slots));
	memset(ix.slots, 0xff, ix.nslots * sizeof(*ix.slots));
	for (size_t i = 0; i < ps->n; i++) {
		const struct ps_proc *p = &ps->v[i];
		for (size_t j = 0; j < p->nfds; j++)
			if (p->fds[j].dev)
				add_ref(p->fds[j].dev, p->fds[j].ino, (unsigned)i, (int)j, -1);
		for (size_t j = 0; j < p->nmaps; j++) {
			const struct ps_map *m = &p->maps[j];
			bool sysv = !strncmp(m->name, "/SYSV", 5);
			/* a segment id of another IPC namespace names another segment */
			if (sysv && !p->same_ipcns)
				continue;
			add_ref(sysv ? SYSV_DEV : m->dev, m->ino, (unsigned)i, -1, (int)j);
		}
	}
	ix.parts = ps->parts;
	ix.gen = ps->gen;
	return ps;
}

static void collect(const struct pscan *ps, dev_t dev, ino_t ino, bool fds, bool maps,
		    enum holder_how maphow, struct holders *out)
{
	int r = ix.slots[slot_of(dev, ino)];
	for (; r >= 0; r = ix.refs[r].next) {
		const struct ref *ref = &ix.refs[r];
		const struct ps_proc *p = &ps->v[ref->proc];
		struct holder h = { .pid = p->pid, .tid = p->pid, .fd = -1 };
		if (ref->fd >= 0 && fds) {
			const struct ps_fd *f = &p->fds[ref->fd];
			h.how = H_OPEN;
			h.fd = f->fd;
			h.rd = f->rd;
			h.wr = f->wr;
		} else if (ref->map >= 0 && maps) {
			const struct ps_map *m = &p->maps[ref->map];
			h.how = maphow;
			h.start = m->start;
			h.end = m->end;
			h.rd = m->rd;
			h.wr = m->wr;
		} else {
			continue;
		}
		holders_add(out, &h);
	}
}

void holders_of_file(dev_t dev, ino_t ino, bool fds, bool maps, struct holders *out)
{
	const struct pscan *ps = index_get((fds ? PS_FDS : 0) | (maps ? PS_MAPS : 0));
	collect(ps, dev, ino, fds, maps, H_MAPPED, out);
}

void holders_of_sysv_shm(long long shmid, struct holders *out)
{
	const struct pscan *ps = index_get(PS_MAPS);
	collect(ps, SYSV_DEV, (ino_t)shmid, false, true, H_ATTACHED, out);
}

static bool nr_in(long nr, const long *nrs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (nrs[i] == nr)
			return true;
	return false;
}

/*
 * Every wait of the walk, ordered by its first argument (for msgrcv,
 * semop and the like, the object's id), then by process and thread as
 * the walk found them: the waiters of a System V object are a search
 * away, not a pass over every thread of the machine for every object.
 */
struct wref {
	unsigned long arg0;
	unsigned proc, wait;
};

static struct {
	struct wref *v;
	size_t n;
	unsigned gen;
	bool built;
} wx;

static int wref_cmp(const void *a, const void *b)
{
	const struct wref *x = a, *y = b;
	if (x->arg0 != y->arg0)
		return x->arg0 < y->arg0 ? -1 : 1;
	if (x->proc != y->proc)
		return x->proc < y->proc ? -1 : 1;
	return (x->wait > y->wait) - (x->wait < y->wait);
}

static const struct pscan *waits_get(void)
{
	const struct pscan *ps = pscan_get(PS_WAITS);
	if (wx.built && wx.gen == ps->gen)
		return ps;
	free(wx.v);
	memset(&wx, 0, sizeof(wx));
	size_t total = 0;
	for (size_t i = 0; i < ps->n; i++)
		total += ps->v[i].nwaits;
	wx.v = xmalloc((total ? total : 1) * sizeof(*wx.v));
	for (size_t i = 0; i < ps->n; i++)
		for (size_t j = 0; j < ps->v[i].nwaits; j++)
			wx.v[wx.n++] = (struct wref){ ps->v[i].waits[j].arg0, (unsigned)i, (unsigned)j };
	qsort(wx.v, wx.n, sizeof(*wx.v), wref_cmp);
	wx.gen = ps->gen;
	wx.built = true;
	return ps;
}

/* The first wait whose first argument is at least key. */
static size_t waits_from(unsigned long key)
{
	size_t lo = 0, hi = wx.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (wx.v[mid].arg0 < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void holders_waiting_on_id(const long *nrs, size_t nnrs, unsigned long id, struct holders *out)
{
	const struct pscan *ps = waits_get();
	for (size_t i = waits_from(id); i < wx.n && wx.v[i].arg0 == id; i++) {
		const struct ps_proc *p = &ps->v[wx.v[i].proc];
		const struct ps_wait *w = &p->waits[wx.v[i].wait];
		/* an id of another IPC namespace names another object */
		if (p->same_ipcns && nr_in(w->nr, nrs, nnrs))
			holders_add(out, &(struct holder){ .pid = p->pid, .tid = w->tid,
							  .how = H_WAITING, .fd = -1,
							  .syscall = w->nr });
	}
}

void holders_waiting_on_fd(const long *nrs, size_t nnrs, dev_t dev, ino_t ino,
			   struct holders *out)
{
	const struct pscan *ps = pscan_get(PS_WAITS | PS_FDS);
	for (size_t i = 0; i < ps->n; i++) {
		const struct ps_proc *p = &ps->v[i];
		for (size_t j = 0; j < p->nwaits; j++) {
			const struct ps_wait *w = &p->waits[j];
			if (!nr_in(w->nr, nrs, nnrs))
				continue;
			for (size_t k = 0; k < p->nfds; k++)
				if ((unsigned long)p->fds[k].fd == w->arg0 && p->fds[k].dev == dev &&
				    p->fds[k].ino == ino)
					holders_add(out, &(struct holder){ .pid = p->pid, .tid = w->tid,
									  .how = H_WAITING,
									  .fd = p->fds[k].fd,
									  .syscall = w->nr });
		}
	}
}

void holders_waiting_in_mapping(dev_t dev, ino_t ino, struct holders *out)
{
	const struct pscan *ps = pscan_get(PS_WAITS | PS_MAPS);
	for (size_t i = 0; i < ps->n; i++) {
		const struct ps_proc *p = &ps->v[i];
		for (size_t j = 0; j < p->nwaits; j++) {
			const struct ps_wait *w = &p->waits[j];
			if (w->nr != SYS_futex)
				continue;
			for (size_t k = 0; k < p->nmaps; k++) {
				const struct ps_map *m = &p->maps[k];
				if (m->dev == dev && m->ino == ino && w->arg0 >= m->start && w->arg0 < m->end)
					holders_add(out, &(struct holder){ .pid = p->pid, .tid = w->tid,
									  .how = H_WAITING, .fd = -1,
									  .syscall = w->nr });
			}
		}
	}
}

const char *syscall_name(long nr)
{
	static const struct {
		long nr;
		const char *name;
	} names[] = {
		{ SYS_msgsnd, "msgsnd" },
		{ SYS_msgrcv, "msgrcv" },
		{ SYS_semop, "semop" },
		{ SYS_semtimedop, "semtimedop" },
		{ SYS_mq_timedsend, "mq_timedsend" },
		{ SYS_mq_timedreceive, "mq_timedreceive" },
		{ SYS_futex, "futex" },
		{ SYS_read, "read" },
		{ SYS_write, "write" },
		{ SYS_recvfrom, "recvfrom" },
		{ SYS_recvmsg, "recvmsg" },
		{ SYS_sendto, "sendto" },
		{ SYS_sendmsg, "sendmsg" },
		{ SYS_accept, "accept" },
		{ SYS_accept4, "accept4" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].nr == nr)
			return names[i].name;
	return "syscall";
}

char *holder_describe(const struct holder *h)
{
	const char *acc = h->rd && h->wr ? "rw" : h->wr ? "w" : h->rd ? "r" : "-";
	switch (h->how) {
	case H_ATTACHED:
		return xasprintf("attached %s %lx-%lx", acc, h->start, h->end);
	case H_MAPPED:
		return xasprintf("mapped %s %lx-%lx", acc, h->start, h->end);
	case H_OPEN:
		return xasprintf("fd %d %s", h->fd, acc);
	case H_WAITING:
		if (h->tid != h->pid)
			return xasprintf("thread %d waits in %s", (int)h->tid, syscall_name(h->syscall));
		return xasprintf("waits in %s", syscall_name(h->syscall));
	}
	return xstrdup("?");
}
