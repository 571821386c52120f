/* System V shared memory segments, from /proc/sysvipc/shm. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>

#include "../ops.h"
#include "../sysvipc.h"
#include "../util.h"
#include "../holders.h"
#include "common.h"
#include "sysv.h"

#ifndef SHM_STAT_ANY
#define SHM_STAT_ANY 15
#endif

#ifndef SHM_HUGETLB
#define SHM_HUGETLB 04000
#endif
#ifndef SHM_NORESERVE
#define SHM_NORESERVE 010000
#endif

extern const struct kind kind_shm;

struct shm {
	unsigned long long size, nattch, rss, swap;
	time_t atime, dtime;
	unsigned flags;		/* the mode bits above the permissions */
	bool has_rss, has_swap;
};

#define SHM(o) ((const struct shm *)(o)->priv)

static void col_size(const struct ipc_obj *o, struct cell *c) { cell_num(c, SHM(o)->size); }
static void col_nattch(const struct ipc_obj *o, struct cell *c) { cell_num(c, SHM(o)->nattch); }
static void col_atime(const struct ipc_obj *o, struct cell *c) { cell_time(c, SHM(o)->atime); }
static void col_dtime(const struct ipc_obj *o, struct cell *c) { cell_time(c, SHM(o)->dtime); }

static void col_rss(const struct ipc_obj *o, struct cell *c)
{
	if (SHM(o)->has_rss)
		cell_num(c, SHM(o)->rss);
	else
		cell_unknown(c, ENOTSUP);
}

static void col_swap(const struct ipc_obj *o, struct cell *c)
{
	if (SHM(o)->has_swap)
		cell_num(c, SHM(o)->swap);
	else
		cell_unknown(c, ENOTSUP);
}

static void col_status(const struct ipc_obj *o, struct cell *c)
{
	static const struct {
		unsigned bit;
		const char *word;
	} words[] = {
		{ SHM_DEST, "dest" },
		{ SHM_LOCKED, "locked" },
		{ SHM_HUGETLB, "hugetlb" },
		{ SHM_NORESERVE, "noreserve" },
	};
	char *w = c->buf;
	*w = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (SHM(o)->flags & words[i].bit) {
			if (w != c->buf)
				*w++ = ',';
			w = stpcpy(w, words[i].word);
		}
	if (w == c->buf)
		c->state = CELL_ABSENT;
	else
		cell_str(c, c->buf);
}

static const struct column shm_cols[] = {
	COLS_SYSV_COMMON,
	{ "SIZE", CT_SIZE, COL_RIGHT, 0.1, "segment size", col_size },
	{ "NATTCH", CT_NUM, COL_RIGHT, 0.1, "number of attached processes", col_nattch },
	{ "STATUS", CT_STR, 0, 0.1, "dest (removed, still attached), locked, hugetlb, noreserve", col_status },
	{ "ATIME", CT_TIME, 0, 0.1, "time of the last attach", col_atime },
	{ "DTIME", CT_TIME, 0, 0.1, "time of the last detach", col_dtime },
	{ "CPID", CT_NUM, COL_RIGHT, 0.1, "creator's pid", col_cpid },
	{ "LPID", CT_NUM, COL_RIGHT, 0.1, "pid of the last attach or detach", col_lpid },
	{ "COMMAND", CT_STR, COL_TRUNC, 0.2, "creator's command, while it runs", col_command },
	{ "RSS", CT_SIZE, COL_RIGHT, 0.1, "resident size", col_rss },
	{ "SWAP", CT_SIZE, COL_RIGHT, 0.1, "swapped size", col_swap },
	COLS_HOLDERS,
};

static int shm_scan(struct objlist *list, struct scan_note *note)
{
	(void)note;
	struct sysvipc s;
	int r = sysvipc_open(&s, "/proc/sysvipc/shm");
	if (r < 0)
		return r;
	int ckey = sysvipc_col(&s, "key"), cid = sysvipc_col(&s, "shmid"),
	    cperms = sysvipc_col(&s, "perms"), csize = sysvipc_col(&s, "size"),
	    ccpid = sysvipc_col(&s, "cpid"), clpid = sysvipc_col(&s, "lpid"),
	    cnatt = sysvipc_col(&s, "nattch"), cuid = sysvipc_col(&s, "uid"),
	    cgid = sysvipc_col(&s, "gid"), ccuid = sysvipc_col(&s, "cuid"),
	    ccgid = sysvipc_col(&s, "cgid"), cat = sysvipc_col(&s, "atime"),
	    cdt = sysvipc_col(&s, "dtime"), cct = sysvipc_col(&s, "ctime"),
	    crss = sysvipc_col(&s, "rss"), cswap = sysvipc_col(&s, "swap");
	while (sysvipc_next(&s)) {
		struct ipc_obj *o = obj_new_with(&kind_shm, sizeof(struct shm));
		struct shm *p = o->priv;
		unsigned perms = sysvipc_oct(&s, cperms);
		o->key = (int)sysvipc_s(&s, ckey);
		o->id = sysvipc_s(&s, cid);
		o->mode = perms & 0777;
		o->uid = (uid_t)sysvipc_u(&s, cuid);
		o->gid = (gid_t)sysvipc_u(&s, cgid);
		o->cuid = (uid_t)sysvipc_u(&s, ccuid);
		o->cgid = (gid_t)sysvipc_u(&s, ccgid);
		o->ctime = (time_t)sysvipc_u(&s, cct);
		o->cpid = (pid_t)sysvipc_u(&s, ccpid);
		o->lpid = (pid_t)sysvipc_u(&s, clpid);
		p->flags = perms & ~0777u;
		p->size = sysvipc_u(&s, csize);
		p->nattch = sysvipc_u(&s, cnatt);
		p->atime = (time_t)sysvipc_u(&s, cat);
		p->dtime = (time_t)sysvipc_u(&s, cdt);
		p->has_rss = crss >= 0;
		p->has_swap = cswap >= 0;
		p->rss = sysvipc_u(&s, crss);
		p->swap = sysvipc_u(&s, cswap);
		objlist_add(list, o);
	}
	/* a read that fails part way fails the scan, as a failed open does */
	return sysvipc_close(&s);
}

static int shm_get(key_t key, int flags, const struct mk_args *a)
{
	if (a->hugetlb)
		flags |= SHM_HUGETLB;
	return shmget(key, (size_t)a->size, flags);
}

static int shm_create(const struct mk_args *a, struct ipc_obj *made, bool *existed,
		      const char **why)
{
	/* bad input is a usage error, found before anything is created */
	if (!(a->given & MKO_SIZE))
		die_usage("--size is required for shm");
	int r = sysv_create(shm_get, a, made, existed);
	if (r == -ENOMEM && a->hugetlb)
		*why = "no huge pages free (see vm.nr_hugepages)";
	else if (r == -EPERM && a->hugetlb)
		*why = "huge pages need CAP_IPC_LOCK, the group vm.hugetlb_shm_group names, "
		       "or room under RLIMIT_MEMLOCK";
	else if (r == -EINVAL)
		*why = "size outside shmmin..shmmax, or the key exists with a smaller size";
	else if (r == -ENOSPC)
		*why = "shmmni or shmall reached (see ipcx limits)";
	return r;
}

/* Stats by id without needing read permission. */
static int shm_stat(const struct ipc_obj *o, struct shmid_ds *ds)
{
	int r = shmctl((int)o->id, SHM_STAT_ANY, ds);
	if (r >= 0 && r != o->id)
		return -EIDRM;
	if (r < 0 && errno == EINVAL)
		r = shmctl((int)o->id, IPC_STAT, ds);
	return r < 0 ? -errno : 0;
}

static int shm_remove(const struct ipc_obj *o, unsigned flags, char *why, size_t whylen)
{
	struct shmid_ds ds;
	int r = shm_stat(o, &ds);
	if (r < 0)
		return r;
	r = sysv_same(o, ds.shm_perm.__key, ds.shm_ctime, why, whylen);
	if (r < 0)
		return r;
	if (ds.shm_nattch > 0 && !(flags & RM_FORCE)) {
		snprintf(why, whylen, "attached by %lu process%s", (unsigned long)ds.shm_nattch,
			 ds.shm_nattch == 1 ? "" : "es");
		return RM_KEPT;
	}
	if (flags & RM_DRY_RUN)
		return 0;
	return shmctl((int)o->id, IPC_RMID, NULL) < 0 ? -errno : 0;
}

static int shm_map(const struct ipc_obj *o, bool write, void **addr, size_t *size)
{
	void *p = shmat((int)o->id, NULL, write ? 0 : SHM_RDONLY);
	if (p == (void *)-1)
		return -errno;
	*addr = p;
	*size = (size_t)SHM(o)->size;
	return 0;
}

static void shm_unmap(const struct ipc_obj *o, void *addr, size_t size)
{
	(void)o;
	(void)size;
	shmdt(addr);
}

static const struct mk_ops shm_mk = {
	.takes = MKO_SIZE | MKO_KEY | MKO_MODE | MKO_HUGETLB,
	.create = shm_create,
};

static const struct shm_ops shm_shm = {
	.map = shm_map,
	.unmap = shm_unmap,
};

static void shm_holders(const struct ipc_obj *o, struct holders *out)
{
	holders_of_sysv_shm(o->id, out);
}

const struct kind kind_shm = {
	.name = "shm",
	.order = 10,
	.streams = true,
	.title = "Shared memory segments (System V)",
	.defcols = "KEY,ID,PERMS,OWNER,SIZE,NATTCH,STATUS,CTIME,CPID,LPID,COMMAND",
	.cols = shm_cols,
	.ncols = sizeof(shm_cols) / sizeof(shm_cols[0]),
	.holders = shm_holders,
	.scan = shm_scan,
	.mk = &shm_mk,
	.remove = shm_remove,
	.shm = &shm_shm,
};
KIND_REGISTER(kind_shm);
