/* System V message queues, from /proc/sysvipc/msg. */
#include <errno.h>
#include <stdlib.h>
#include <sys/msg.h>

#include <stdio.h>
#include <string.h>

#include "../deadline.h"
#include "../ops.h"
#include "../sysvipc.h"
#include "../util.h"
#include <sys/syscall.h>
#include "../holders.h"
#include "common.h"
#include "sysv.h"

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
	COLS_HOLDERS,
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
		struct ipc_obj *o = obj_new_with(&kind_msg, sizeof(struct msg));
		struct msg *p = o->priv;
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
	/* a read that fails part way fails the scan, as a failed open does */
	return sysvipc_close(&s);
}

static int msg_get(key_t key, int flags, const struct mk_args *a)
{
	(void)a;
	return msgget(key, flags);
}

static int msg_create(const struct mk_args *a, struct ipc_obj *made, bool *existed,
		      const char **why)
{
	int r = sysv_create(msg_get, a, made, existed);
	if (r == -ENOSPC)
		*why = "msgmni reached (see ipcx limits)";
	if (r < 0 || *existed || !(a->given & MKO_QBYTES))
		return r;
	struct msqid_ds ds;
	if (msgctl((int)made->id, IPC_STAT, &ds) == 0) {
		ds.msg_qbytes = a->qbytes;
		if (msgctl((int)made->id, IPC_SET, &ds) == 0)
			return 0;
	}
	r = -errno;
	/* a queue without the asked size is not what was asked for */
	msgctl((int)made->id, IPC_RMID, NULL);
	*why = r == -EPERM ? "raising --qbytes above msgmnb needs CAP_SYS_RESOURCE" : NULL;
	return r;
}

static int msg_stat(const struct ipc_obj *o, struct msqid_ds *ds)
{
	int r = msgctl((int)o->id, MSG_STAT_ANY, ds);
	if (r >= 0 && r != o->id)
		return -EIDRM;
	if (r < 0 && errno == EINVAL)
		r = msgctl((int)o->id, IPC_STAT, ds);
	return r < 0 ? -errno : 0;
}

static int msg_remove(const struct ipc_obj *o, unsigned flags, char *why, size_t whylen)
{
	struct msqid_ds ds;
	int r = msg_stat(o, &ds);
	if (r < 0)
		return r;
	r = sysv_same(o, ds.msg_perm.__key, ds.msg_ctime, why, whylen);
	if (r < 0)
		return r;
	if (ds.msg_qnum > 0 && !(flags & RM_FORCE)) {
		snprintf(why, whylen, "holds %lu message%s", (unsigned long)ds.msg_qnum,
			 ds.msg_qnum == 1 ? "" : "s");
		return RM_KEPT;
	}
	/* a receiver blocked on an empty queue would get EIDRM */
	size_t waiting = (flags & RM_FORCE) ? 0 : holders_npids(obj_holders(o));
	if (waiting) {
		snprintf(why, whylen, "%zu process%s waiting in msgsnd or msgrcv", waiting,
			 waiting == 1 ? "" : "es");
		return RM_KEPT;
	}
	if (flags & RM_DRY_RUN)
		return 0;
	return msgctl((int)o->id, IPC_RMID, NULL) < 0 ? -errno : 0;
}

static size_t msg_max_size(const struct ipc_obj *o)
{
	unsigned long long msgmax = 0;
	struct msqid_ds ds;
	read_ull("/proc/sys/kernel/msgmax", &msgmax);
	if (msg_stat(o, &ds) == 0 && (msgmax == 0 || ds.msg_qbytes < msgmax))
		msgmax = ds.msg_qbytes;
	return (size_t)msgmax;
}

static int msg_send(const struct ipc_obj *o, const void *data, size_t len, long type,
		    unsigned flags, double timeout)
{
	struct msgbuf *mb = xmalloc(sizeof(long) + len);
	mb->mtype = type;
	memcpy(mb->mtext, data, len);
	int mflags = (flags & MSG_OP_NOWAIT) || timeout == 0 ? IPC_NOWAIT : 0;
	deadline_arm(mflags ? -1 : timeout);
	int r;
	do
		r = msgsnd((int)o->id, mb, len, mflags);
	while (r < 0 && errno == EINTR && !deadline_expired());
	int e = errno;
	deadline_disarm();
	free(mb);
	if (r == 0)
		return 0;
	if (e == EINTR)
		return -ETIMEDOUT;
	return -e;
}

static ssize_t msg_recv(const struct ipc_obj *o, void *buf, size_t cap, long type, long index,
			unsigned flags, double timeout, long *type_out)
{
	struct msgbuf *mb = xmalloc(sizeof(long) + cap);
	int mflags = (flags & MSG_OP_NOWAIT) || timeout == 0 ? IPC_NOWAIT : 0;
	long msgtyp = type;
	if (flags & MSG_OP_PEEK) {
		/* MSG_COPY reads the message at an index and leaves it queued */
		mflags |= MSG_COPY | IPC_NOWAIT;
		msgtyp = index;
	}
	deadline_arm(mflags & IPC_NOWAIT ? -1 : timeout);
	ssize_t r;
	do
		r = msgrcv((int)o->id, mb, cap, msgtyp, mflags);
	while (r < 0 && errno == EINTR && !deadline_expired());
	int e = errno;
	deadline_disarm();
	if (r >= 0) {
		memcpy(buf, mb->mtext, (size_t)r);
		*type_out = mb->mtype;
	}
	free(mb);
	if (r >= 0)
		return r;
	return e == EINTR ? -ETIMEDOUT : -e;
}

static const struct mk_ops msg_mk = {
	.takes = MKO_KEY | MKO_MODE | MKO_QBYTES,
	.create = msg_create,
};

static const struct msg_ops msg_msg = {
	.tag = "type",
	.max_size = msg_max_size,
	.send = msg_send,
	.recv = msg_recv,
};

static void msg_holders(const struct ipc_obj *o, struct holders *out)
{
	static const long calls[] = { SYS_msgsnd, SYS_msgrcv };
	holders_waiting_on_id(calls, 2, (unsigned long)o->id, out);
}

const struct kind kind_msg = {
	.name = "msg",
	.order = 20,
	.streams = true,
	.title = "Message queues (System V)",
	.defcols = "KEY,ID,PERMS,OWNER,USEDBYTES,MSGS,LSPID,LRPID",
	.cols = msg_cols,
	.ncols = sizeof(msg_cols) / sizeof(msg_cols[0]),
	.holders = msg_holders,
	.scan = msg_scan,
	.mk = &msg_mk,
	.remove = msg_remove,
	.msg = &msg_msg,
};
KIND_REGISTER(kind_msg);
