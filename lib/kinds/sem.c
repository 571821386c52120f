/* System V semaphore sets, from /proc/sysvipc/sem; elements by semctl. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sem.h>

#include "../out.h"
#include "../proc.h"
#include "../sysvipc.h"
#include "../util.h"
#include "common.h"

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
		struct ipc_obj *o = obj_new(&kind_sem);
		struct sem *p = xcalloc(1, sizeof(*p));
		o->priv = p;
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
	sysvipc_close(&s);
	return 0;
}

const struct kind kind_sem = {
	.name = "sem",
	.order = 30,
	.title = "Semaphore sets (System V)",
	.defcols = "KEY,ID,PERMS,OWNER,NSEMS",
	.cols = sem_cols,
	.ncols = sizeof(sem_cols) / sizeof(sem_cols[0]),
	.scan = sem_scan,
	.show_extra = sem_show_extra,
};
KIND_REGISTER(kind_sem);
