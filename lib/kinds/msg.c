/* System V message queues, from /proc/sysvipc/msg. */
#include <errno.h>
#include <stdlib.h>
#include <sys/msg.h>

#include "../sysvipc.h"
#include "../util.h"
#include "common.h"

#ifndef MSG_STAT_ANY
#define MSG_STAT_ANY 13
#endif

extern const struct kind kind_msg;

struct msg {
	unsigned long long cbytes, qnum;
	time_t stime, rtime;
	pid_t lspid, lrpid;
	/* msg_qbytes is not in /proc: asked of the kernel only when shown */
	bool stat_done;
	int stat_err;
	unsigned long long qbytes;
};

#define MSG(o) ((struct msg *)(o)->priv)

static void col_usedbytes(const struct ipc_obj *o, struct cell *c) { cell_num(c, MSG(o)->cbytes); }
static void col_msgs(const struct ipc_obj *o, struct cell *c) { cell_num(c, MSG(o)->qnum); }
static void col_stime(const struct ipc_obj *o, struct cell *c) { cell_time(c, MSG(o)->stime); }
static void col_rtime(const struct ipc_obj *o, struct cell *c) { cell_time(c, MSG(o)->rtime); }
static void col_lspid(const struct ipc_obj *o, struct cell *c) { cell_pid(c, MSG(o)->lspid); }
static void col_lrpid(const struct ipc_obj *o, struct cell *c) { cell_pid(c, MSG(o)->lrpid); }

static void col_qbytes(const struct ipc_obj *o, struct cell *c)
{
	struct msg *m = MSG(o);
	if (!m->stat_done) {
		struct msqid_ds ds;
		/* MSG_STAT_ANY needs no read permission; it takes an index and
		 * returns the full id, which must still be this queue's */
		int r = msgctl((int)o->id, MSG_STAT_ANY, &ds);
		if (r >= 0 && r != o->id)
			r = -1, errno = EIDRM;
		else if (r < 0 && errno == EINVAL)	/* a kernel before 4.17 */
			r = msgctl((int)o->id, IPC_STAT, &ds);
		if (r < 0)
			m->stat_err = errno;
		else
			m->qbytes = ds.msg_qbytes;
		m->stat_done = true;
	}
	if (m->stat_err)
		cell_unknown(c, m->stat_err);
	else
		cell_num(c, m->qbytes);
}

static const struct column msg_cols[] = {
	COLS_SYSV_COMMON,
	{ "USEDBYTES", CT_SIZE, COL_RIGHT, 0.1, "bytes in the queue", col_usedbytes },
	{ "MSGS", CT_NUM, COL_RIGHT, 0.1, "messages in the queue", col_msgs },
	{ "QBYTES", CT_SIZE, COL_RIGHT, 0.1, "most bytes the queue may hold", col_qbytes },
	{ "STIME", CT_TIME, 0, 0.1, "time of the last send", col_stime },
	{ "RTIME", CT_TIME, 0, 0.1, "time of the last receive", col_rtime },
	{ "LSPID", CT_NUM, COL_RIGHT, 0.1, "pid of the last sender", col_lspid },
	{ "LRPID", CT_NUM, COL_RIGHT, 0.1, "pid of the last receiver", col_lrpid },
};

static int msg_scan(struct objlist *list, struct scan_note *note)
{
	(void)note;
	struct sysvipc s;
	int r = sysvipc_open(&s, "/proc/sysvipc/msg");
	if (r < 0)
		return r;
	int ckey = sysvipc_col(&s, "key"), cid = sysvipc_col(&s, "msqid"),
	    cperms = sysvipc_col(&s, "perms"), ccb = sysvipc_col(&s, "cbytes"),
	    cqnum = sysvipc_col(&s, "qnum"), cls = sysvipc_col(&s, "lspid"),
	    clr = sysvipc_col(&s, "lrpid"), cuid = sysvipc_col(&s, "uid"),
	    cgid = sysvipc_col(&s, "gid"), ccuid = sysvipc_col(&s, "cuid"),
	    ccgid = sysvipc_col(&s, "cgid"), cst = sysvipc_col(&s, "stime"),
	    crt = sysvipc_col(&s, "rtime"), cct = sysvipc_col(&s, "ctime");
	while (sysvipc_next(&s)) {
		struct ipc_obj *o = obj_new(&kind_msg);
		struct msg *p = xcalloc(1, sizeof(*p));
		o->priv = p;
		o->key = (int)sysvipc_s(&s, ckey);
		o->id = sysvipc_s(&s, cid);
		o->mode = sysvipc_oct(&s, cperms) & 0777;
		o->uid = (uid_t)sysvipc_u(&s, cuid);
		o->gid = (gid_t)sysvipc_u(&s, cgid);
		o->cuid = (uid_t)sysvipc_u(&s, ccuid);
		o->cgid = (gid_t)sysvipc_u(&s, ccgid);
		o->ctime = (time_t)sysvipc_u(&s, cct);
		p->cbytes = sysvipc_u(&s, ccb);
		p->qnum = sysvipc_u(&s, cqnum);
		p->lspid = (pid_t)sysvipc_u(&s, cls);
		p->lrpid = (pid_t)sysvipc_u(&s, clr);
		p->stime = (time_t)sysvipc_u(&s, cst);
		p->rtime = (time_t)sysvipc_u(&s, crt);
		objlist_add(list, o);
	}
	sysvipc_close(&s);
	return 0;
}

const struct kind kind_msg = {
	.name = "msg",
	.order = 20,
	.title = "Message queues (System V)",
	.defcols = "KEY,ID,PERMS,OWNER,USEDBYTES,MSGS,LSPID,LRPID",
	.cols = msg_cols,
	.ncols = sizeof(msg_cols) / sizeof(msg_cols[0]),
	.scan = msg_scan,
};
KIND_REGISTER(kind_msg);
