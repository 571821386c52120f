/*
 * Shared mappings: files, memfds and shared anonymous memory that two or
 * more processes map MAP_SHARED, found in the walk of their mappings and
 * told apart by device and inode, never by name. What other kinds own is
 * left to them: System V segments (shm) and the files of /dev/shm (pshm,
 * psem). A mapping one process alone holds shares nothing, and is not
 * listed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "../holders.h"
#include "../proc.h"
#include "../pscan.h"
#include "../util.h"
#include "common.h"

extern const struct kind kind_map;

/* One mapping of the object. */
struct mapend {
	pid_t pid;
	unsigned long start, end;
	unsigned long long offset;
	bool rd, wr;
};

struct mapobj {
	dev_t dev;
	ino_t ino;
	char *path;		/* as the first mapping names it, without " (deleted)" */
	bool deleted;
	bool has_st;		/* st read through /proc/PID/map_files */
	struct stat st;
	struct mapend *ends;	/* by pid, then address */
	size_t nends, npids;
	unsigned long long mapped;	/* bytes of the file mapped by any of them */
	char *endpoints;	/* the ENDPOINTS text, made when first asked */
};

#define MAPOBJ(o) ((struct mapobj *)(o)->priv)

static void col_path(const struct ipc_obj *o, struct cell *c)
{
	cell_str(c, MAPOBJ(o)->path);
}

static void col_dev(const struct ipc_obj *o, struct cell *c)
{
	snprintf(c->buf, sizeof(c->buf), "%u:%u", major(MAPOBJ(o)->dev), minor(MAPOBJ(o)->dev));
	cell_str(c, c->buf);
}

static void col_inode(const struct ipc_obj *o, struct cell *c)
{
	cell_num(c, (unsigned long long)MAPOBJ(o)->ino);
}

static void col_size(const struct ipc_obj *o, struct cell *c)
{
	cell_num(c, MAPOBJ(o)->mapped);
}

static void col_filesize(const struct ipc_obj *o, struct cell *c)
{
	const struct mapobj *m = MAPOBJ(o);
	if (m->has_st) {
		cell_num(c, (unsigned long long)m->st.st_size);
	} else {
		c->state = CELL_UNKNOWN;
		c->why = "/proc/PID/map_files not readable";
	}
}

static void col_deleted(const struct ipc_obj *o, struct cell *c)
{
	cell_num(c, MAPOBJ(o)->deleted);
}

static void col_nmaps(const struct ipc_obj *o, struct cell *c)
{
	cell_num(c, MAPOBJ(o)->nends);
}

/* A file every process maps read-only (a library's cache) carries nothing between them. */
static void col_nwriters(const struct ipc_obj *o, struct cell *c)
{
	const struct mapobj *m = MAPOBJ(o);
	size_t n = 0;
	for (size_t i = 0; i < m->nends; i++)
		n += m->ends[i].wr;
	cell_num(c, n);
}

static void col_nprocs(const struct ipc_obj *o, struct cell *c)
{
	cell_num(c, MAPOBJ(o)->npids);
}

static void col_endpoints(const struct ipc_obj *o, struct cell *c)
{
	struct mapobj *m = MAPOBJ(o);
	if (!m->endpoints) {
		size_t len = 0;
		m->endpoints = xstrdup("");
		for (size_t i = 0; i < m->nends; i++) {
			const struct mapend *e = &m->ends[i];
			const char *comm = proc_comm(e->pid);
			char *item = xasprintf("%s%d,%s,%lx-%lx,%s%s", len ? " " : "", (int)e->pid,
					       comm ? comm : "?", e->start, e->end, e->rd ? "r" : "",
					       e->wr ? "w" : "");
			size_t il = strlen(item);
			m->endpoints = xrealloc(m->endpoints, len + il + 1);
			memcpy(m->endpoints + len, item, il + 1);
			len += il;
			free(item);
		}
	}
	cell_str(c, m->endpoints);
}

static const struct column map_cols[] = {
	{ "PATH", CT_STR, COL_TRUNC, 0.3, "file, as the first mapping names it", col_path },
	{ "DEV", CT_STR, 0, 0.1, "device of the file system, as MAJOR:MINOR", col_dev },
	{ "INODE", CT_NUM, COL_RIGHT, 0.1, "inode number", col_inode },
	{ "SIZE", CT_SIZE, COL_RIGHT, 0.1, "bytes of the file mapped, by any of them", col_size },
	{ "FILESIZE", CT_SIZE, COL_RIGHT, 0.1, "size of the file", col_filesize },
	{ "DELETED", CT_NUM, COL_RIGHT, 0.1, "1 when the file has no name left, else 0", col_deleted },
	{ "NMAPS", CT_NUM, COL_RIGHT, 0.1, "shared mappings of it", col_nmaps },
	{ "NPROCS", CT_NUM, COL_RIGHT, 0.1, "processes that map it", col_nprocs },
	{ "NWRITERS", CT_NUM, COL_RIGHT, 0.1, "mappings that may write", col_nwriters },
	{ "ENDPOINTS", CT_STR, COL_WRAP, 0.3,
	  "mappings, as PID,COMMAND,START-END with r or w", col_endpoints },
	COLS_HOLDERS,
};

/* One shared mapping of the walk, a candidate. */
struct entry {
	dev_t dev;
	ino_t ino;
	const struct ps_proc *p;
	const struct ps_map *m;
};

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	if (x->p->pid != y->p->pid)
		return x->p->pid < y->p->pid ? -1 : 1;
	return (x->m->start > y->m->start) - (x->m->start < y->m->start);
}

static int range_cmp(const void *a, const void *b)
{
	const unsigned long long *x = a, *y = b;
	return (x[0] > y[0]) - (x[0] < y[0]);
}

/* Bytes of the file covered by at least one mapping: the union of their ranges. */
static unsigned long long mapped_bytes(const struct mapend *e, size_t n)
{
	unsigned long long (*r)[2] = xcalloc(n, sizeof(*r)), total = 0, upto = 0;
	for (size_t i = 0; i < n; i++) {
		r[i][0] = e[i].offset;
		r[i][1] = e[i].offset + (e[i].end - e[i].start);
	}
	qsort(r, n, sizeof(*r), range_cmp);
	for (size_t i = 0; i < n; i++) {
		unsigned long long from = r[i][0] > upto ? r[i][0] : upto;
		if (r[i][1] > from)
			total += r[i][1] - from;
		if (r[i][1] > upto)
			upto = r[i][1];
	}
	free(r);
	return total;
}

static const char deleted_suffix[] = " (deleted)";

static struct ipc_obj *make_obj(const struct entry *v, size_t n, size_t npids)
{
	struct ipc_obj *o = obj_new(&kind_map);
	struct mapobj *m = xcalloc(1, sizeof(*m));
	o->priv = m;
	o->id = (long long)v[0].ino;
	m->dev = v[0].dev;
	m->ino = v[0].ino;
	m->npids = npids;
	m->ends = xcalloc(n, sizeof(*m->ends));
	for (size_t i = 0; i < n; i++)
		m->ends[m->nends++] = (struct mapend){ v[i].p->pid, v[i].m->start, v[i].m->end,
						       v[i].m->offset, v[i].m->rd, v[i].m->wr };
	m->mapped = mapped_bytes(m->ends, m->nends);
	/*
	 * The file itself, through the mapping's link: its type, size and
	 * link count, which says whether it was deleted better than the
	 * name can (a file may be called "x (deleted)").
	 */
	char path[96];
	snprintf(path, sizeof(path), "/proc/%d/map_files/%lx-%lx", (int)v[0].p->pid, v[0].m->start,
		 v[0].m->end);
	m->has_st = stat(path, &m->st) == 0 && m->st.st_dev == m->dev && m->st.st_ino == m->ino;
	const char *name = v[0].m->name;
	size_t len = strlen(name), sl = sizeof(deleted_suffix) - 1;
	bool suffix = len >= sl && !strcmp(name + len - sl, deleted_suffix);
	m->deleted = m->has_st ? m->st.st_nlink == 0 : suffix;
	m->path = xstrdup(name);
	if (suffix && m->deleted)
		m->path[len - sl] = '\0';
	if (m->has_st)
		o->mode = m->st.st_mode & 07777;
	return o;
}

/*
 * Mappings other kinds list: System V segments, named by the kernel
 * /SYSV<key> on the internal shm mount, and anything on the file system
 * of /dev/shm, which holds the POSIX objects.
 */
static bool owned_elsewhere(const struct ps_map *m, dev_t devshm)
{
	return !strncmp(m->name, "/SYSV", 5) || (devshm && m->dev == devshm);
}

static void map_free_priv(void *priv)
{
	struct mapobj *m = priv;
	if (m) {
		free(m->path);
		free(m->ends);
		free(m->endpoints);
	}
	free(m);
}

static int map_scan(struct objlist *list, struct scan_note *note)
{
	(void)note;
	const struct pscan *ps = pscan_get(PS_MAPS);
	/* a process we may not read maps what we cannot show */
	pscan_report_denied();
	struct stat st;
	dev_t devshm = stat("/dev/shm", &st) == 0 ? st.st_dev : 0;
	struct entry *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < ps->n; i++)
		for (size_t j = 0; j < ps->v[i].nmaps; j++) {
			const struct ps_map *m = &ps->v[i].maps[j];
			if (!m->ino || owned_elsewhere(m, devshm))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				v = xrealloc(v, cap * sizeof(*v));
			}
			v[n++] = (struct entry){ m->dev, m->ino, &ps->v[i], m };
		}
	if (n)
		qsort(v, n, sizeof(*v), entry_cmp);
	for (size_t i = 0, j; i < n; i = j) {
		size_t npids = 1;
		for (j = i + 1; j < n && v[j].dev == v[i].dev && v[j].ino == v[i].ino; j++)
			npids += v[j].p->pid != v[j - 1].p->pid;
		if (npids < 2)
			continue;
		struct ipc_obj *o = make_obj(v + i, j - i, npids);
		/* a device's memory (a frame buffer, a GPU) is no file two processes share */
		if (MAPOBJ(o)->has_st && !S_ISREG(MAPOBJ(o)->st.st_mode)) {
			obj_free(o);
			continue;
		}
		objlist_add(list, o);
	}
	free(v);
	return 0;
}

static void map_holders(const struct ipc_obj *o, struct holders *out)
{
	const struct mapobj *m = MAPOBJ(o);
	for (size_t i = 0; i < m->nends; i++) {
		const struct mapend *e = &m->ends[i];
		holders_add(out, &(struct holder){ .pid = e->pid, .tid = e->pid, .how = H_MAPPED,
						  .fd = -1, .start = e->start, .end = e->end,
						  .rd = e->rd, .wr = e->wr });
	}
	/* a futex in the shared memory: a lock or condition the processes share */
	holders_waiting_in_mapping(m->dev, m->ino, out);
}

const struct kind kind_map = {
	.name = "map",
	.order = 130,
	.title = "Shared mappings of files",
	.defcols = "PATH,INODE,SIZE,DELETED,NPROCS,ENDPOINTS",
	.cols = map_cols,
	.ncols = sizeof(map_cols) / sizeof(map_cols[0]),
	.fd_based = true,
	.scan = map_scan,
	.free_priv = map_free_priv,
	.holders = map_holders,
};
KIND_REGISTER(kind_map);
