/* System V semaphore sets, from /proc/sysvipc/sem; elements by semctl. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sem.h>

#include <stdio.h>

#include "../deadline.h"
#include "../ops.h"
#include "../out.h"
#include "../proc.h"
#include "../sysvipc.h"
#include "../util.h"
#include <sys/syscall.h>
#include "../holders.h"
#include "common.h"
#include "sysv.h"

#ifndef SEM_STAT_ANY
#define SEM_STAT_ANY 20
#endif
/* The kernel's largest semaphore value; no file shows it. */
#define SEMVMX 32767

extern const struct kind kind_sem;

struct sem {
	unsigned long long nsems;
	time_t otime;
};

#define SEM(o) ((const struct sem *)(o)->priv)

static void col_nsems(const struct ipc_obj *o, struct cell *c) { cell_num(c, SEM(o)->nsems); }
static void col_otime(const struct ipc_obj *o, struct cell *c) { cell_time(c, SEM(o)->otime); }

static const struct column sem_cols[] = {
	COLS_SYSV_COMMON,
	{ "NSEMS", CT_NUM, COL_RIGHT, 0.1, "semaphores in the set", col_nsems },
	{ "OTIME", CT_TIME, 0, 0.1, "time of the last operation", col_otime },
	COLS_HOLDERS,
};

/* The element table of show; cells are filled by sem_show_extra. */
static const struct column elem_cols[] = {
	{ "SEMNUM", CT_NUM, COL_RIGHT, 0, "semaphore number", NULL },
	{ "VALUE", CT_NUM, COL_RIGHT, 0, "value", NULL },
	{ "NCNT", CT_NUM, COL_RIGHT, 0, "processes waiting for an increase", NULL },
	{ "ZCNT", CT_NUM, COL_RIGHT, 0, "processes waiting for zero", NULL },
	{ "PID", CT_NUM, COL_RIGHT, 0, "pid of the last operation", NULL },
	{ "COMMAND", CT_STR, 0, 0, "its command, while it runs", NULL },
};
#define NELEM (sizeof(elem_cols) / sizeof(elem_cols[0]))

static int sem_show_extra(const struct ipc_obj *o, struct out_doc *doc)
{
	int id = (int)o->id;
	size_t n = SEM(o)->nsems;
	unsigned short *vals = xcalloc(n, sizeof(*vals));
	if (semctl(id, 0, GETALL, vals) < 0) {
		int e = errno;
		free(vals);
		return -e;
	}
	static const struct column *selv[NELEM];
	static struct colsel sel = { selv, NELEM };
	for (size_t i = 0; i < NELEM; i++)
		selv[i] = &elem_cols[i];
	struct out_tab *t = out_table(doc, "semaphores", "Semaphores", &sel);
	for (size_t i = 0; i < n; i++) {
		struct cell cells[NELEM];
		memset(cells, 0, sizeof(cells));
		cell_num(&cells[0], i);
		cell_num(&cells[1], vals[i]);
		int ncnt = semctl(id, (int)i, GETNCNT);
		int zcnt = semctl(id, (int)i, GETZCNT);
		int pid = semctl(id, (int)i, GETPID);
		if (ncnt < 0)
			cell_unknown(&cells[2], errno);
		else
			cell_num(&cells[2], (unsigned)ncnt);
		if (zcnt < 0)
			cell_unknown(&cells[3], errno);
		else
			cell_num(&cells[3], (unsigned)zcnt);
		if (pid < 0) {
			cell_unknown(&cells[4], errno);
			cells[5].state = CELL_ABSENT;
		} else {
			cell_pid(&cells[4], pid);
			if (pid > 0)
				cell_str(&cells[5], proc_comm(pid));
			else
				cells[5].state = CELL_ABSENT;
		}
		out_row(t, cells);
	}
	free(vals);
	return 0;
}

static int sem_scan(struct objlist *list, struct scan_note *note)
{
	(void)note;
	struct sysvipc s;
	int r = sysvipc_open(&s, "/proc/sysvipc/sem");
	if (r < 0)
		return r;
	int ckey = sysvipc_col(&s, "key"), cid = sysvipc_col(&s, "semid"),
	    cperms = sysvipc_col(&s, "perms"), cn = sysvipc_col(&s, "nsems"),
	    cuid = sysvipc_col(&s, "uid"), cgid = sysvipc_col(&s, "gid"),
	    ccuid = sysvipc_col(&s, "cuid"), ccgid = sysvipc_col(&s, "cgid"),
	    cot = sysvipc_col(&s, "otime"), cct = sysvipc_col(&s, "ctime");
	while (sysvipc_next(&s)) {
		struct ipc_obj *o = obj_new_with(&kind_sem, sizeof(struct sem));
		struct sem *p = o->priv;
		o->key = (int)sysvipc_s(&s, ckey);
		o->id = sysvipc_s(&s, cid);
		o->mode = sysvipc_oct(&s, cperms) & 0777;
		o->uid = (uid_t)sysvipc_u(&s, cuid);
		o->gid = (gid_t)sysvipc_u(&s, cgid);
		o->cuid = (uid_t)sysvipc_u(&s, ccuid);
		o->cgid = (gid_t)sysvipc_u(&s, ccgid);
		o->ctime = (time_t)sysvipc_u(&s, cct);
		p->nsems = sysvipc_u(&s, cn);
		p->otime = (time_t)sysvipc_u(&s, cot);
		objlist_add(list, o);
	}
	/* a read that fails part way fails the scan, as a failed open does */
	return sysvipc_close(&s);
}

static int sem_get(key_t key, int flags, const struct mk_args *a)
{
	return semget(key, (int)a->nsems, flags);
}

static int sem_create(const struct mk_args *a, struct ipc_obj *made, bool *existed,
		      const char **why)
{
	struct mk_args args = *a;
	if (!(a->given & MKO_NSEMS))
		args.nsems = (a->given & MKO_VALUES) ? a->nvalues : 1;
	/* bad input is a usage error, found before anything is created */
	if ((a->given & MKO_VALUES) && a->nvalues != args.nsems)
		die_usage("--values gives %zu value%s for --nsems %llu: one value per semaphore",
			  a->nvalues, a->nvalues == 1 ? "" : "s", args.nsems);
	int r = sysv_create(sem_get, &args, made, existed);
	if (r == -EINVAL)
		*why = "--nsems outside 1..semmsl, or the key exists with fewer semaphores";
	else if (r == -ENOSPC)
		*why = "semmni or semmns reached (see ipcx limits)";
	if (r < 0 || *existed || !(a->given & MKO_VALUES))
		return r;
	if (semctl((int)made->id, 0, SETALL, a->values) == 0)
		return 0;
	r = -errno;
	semctl((int)made->id, 0, IPC_RMID);
	return r;
}

static int sem_stat(const struct ipc_obj *o, struct semid_ds *ds)
{
	int r = semctl((int)o->id, 0, SEM_STAT_ANY, ds);
	if (r >= 0 && r != o->id)
		return -EIDRM;
	if (r < 0 && errno == EINVAL)
		r = semctl((int)o->id, 0, IPC_STAT, ds);
	return r < 0 ? -errno : 0;
}

static int sem_remove(const struct ipc_obj *o, unsigned flags, char *why, size_t whylen)
{
	struct semid_ds ds;
	int r = sem_stat(o, &ds);
	if (r < 0)
		return r;
	r = sysv_same(o, ds.sem_perm.__key, ds.sem_ctime, why, whylen);
	if (r < 0)
		return r;
	if (!(flags & RM_FORCE)) {
		unsigned waiting = 0;
		for (unsigned long i = 0; i < ds.sem_nsems; i++) {
			int n = semctl((int)o->id, (int)i, GETNCNT), z = semctl((int)o->id, (int)i, GETZCNT);
			if (n < 0 || z < 0) {
				snprintf(why, whylen, "cannot tell whether processes wait on it: %s",
					 strerror(errno));
				return RM_KEPT;
			}
			waiting += (unsigned)(n + z);
		}
		if (waiting) {
			snprintf(why, whylen, "%u process%s waiting on it", waiting,
				 waiting == 1 ? "" : "es");
			return RM_KEPT;
		}
	}
	if (flags & RM_DRY_RUN)
		return 0;
	return semctl((int)o->id, 0, IPC_RMID) < 0 ? -errno : 0;
}

static size_t sem_count(const struct ipc_obj *o)
{
	return (size_t)SEM(o)->nsems;
}

static int sem_getval(const struct ipc_obj *o, unsigned num, unsigned *val)
{
	int v = semctl((int)o->id, (int)num, GETVAL);
	if (v < 0)
		return -errno;
	*val = (unsigned)v;
	return 0;
}

static int sem_setval(const struct ipc_obj *o, unsigned num, unsigned val)
{
	return semctl((int)o->id, (int)num, SETVAL, (int)val) < 0 ? -errno : 0;
}

static int sem_setall(const struct ipc_obj *o, const unsigned short *vals, size_t n)
{
	if (n != SEM(o)->nsems)
		return -EINVAL;
	return semctl((int)o->id, 0, SETALL, vals) < 0 ? -errno : 0;
}

static int sem_waiters(const struct ipc_obj *o, unsigned num, unsigned *ncnt, unsigned *zcnt)
{
	int n = semctl((int)o->id, (int)num, GETNCNT);
	if (n < 0)
		return -errno;
	int z = semctl((int)o->id, (int)num, GETZCNT);
	if (z < 0)
		return -errno;
	*ncnt = (unsigned)n;
	*zcnt = (unsigned)z;
	return 0;
}

static int sem_apply(const struct ipc_obj *o, const struct sem_op *ops, size_t n,
		     unsigned flags, double timeout)
{
	struct sembuf *sb = xcalloc(n, sizeof(*sb));
	for (size_t i = 0; i < n; i++) {
		sb[i].sem_num = (unsigned short)ops[i].num;
		sb[i].sem_op = (short)ops[i].delta;
		sb[i].sem_flg = (short)(((flags & SEM_OP_NOWAIT) || ops[i].nowait ? IPC_NOWAIT : 0) |
					((flags & SEM_OP_UNDO) ? SEM_UNDO : 0));
	}
	int r;
	if (timeout >= 0) {
		struct timespec ts = deadline_timespec(timeout);
		r = semtimedop((int)o->id, sb, n, &ts);
	} else {
		do
			r = semop((int)o->id, sb, n);
		while (r < 0 && errno == EINTR);
	}
	int e = errno;
	bool nowait = flags & SEM_OP_NOWAIT;
	for (size_t i = 0; i < n; i++)
		nowait |= ops[i].nowait;
	free(sb);
	if (r == 0)
		return 0;
	/* EAGAIN is a timeout only when no operation asked not to wait */
	return e == EAGAIN && timeout > 0 && !nowait ? -ETIMEDOUT : -e;
}

static const struct mk_ops sem_mk = {
	.takes = MKO_KEY | MKO_MODE | MKO_NSEMS | MKO_VALUES,
	.create = sem_create,
};

static const struct sem_ops sem_sem = {
	.is_set = true,
	.count = sem_count,
	.get = sem_getval,
	.set = sem_setval,
	.setall = sem_setall,
	.waiters = sem_waiters,
	.apply = sem_apply,
	.max_value = SEMVMX,
};

static void sem_holders(const struct ipc_obj *o, struct holders *out)
{
	static const long calls[] = { SYS_semop, SYS_semtimedop };
	holders_waiting_on_id(calls, 2, (unsigned long)o->id, out);
}

const struct kind kind_sem = {
	.name = "sem",
	.order = 30,
	.streams = true,
	.title = "Semaphore sets (System V)",
	.defcols = "KEY,ID,PERMS,OWNER,NSEMS",
	.cols = sem_cols,
	.ncols = sizeof(sem_cols) / sizeof(sem_cols[0]),
	.holders = sem_holders,
	.scan = sem_scan,
	.show_extra = sem_show_extra,
	.mk = &sem_mk,
	.remove = sem_remove,
	.sem = &sem_sem,
};
KIND_REGISTER(kind_sem);
