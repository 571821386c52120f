/*
 * POSIX message queues: the files of the mqueue mount. Each queue file
 * reads "QSIZE:n NOTIFY:n SIGNO:n NOTIFY_PID:n"; the limits come from
 * mq_getattr on the same descriptor. Opening a queue this way has no side
 * effect on it.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../deadline.h"
#include "../mounts.h"
#include "../ops.h"
#include "../proc.h"
#include "../util.h"
#include <sys/syscall.h>
#include "../holders.h"
#include "posix.h"

extern const struct kind kind_pmsg;

struct pmsg {
	struct posix_priv px;
	int err;
	unsigned long long qsize, curmsgs, maxmsg, msgsize;
	int notify, signo;
	pid_t notify_pid;
};

#define PMSG(o) ((const struct pmsg *)(o)->priv)

#define PMSG_NUM_COL(fn, field) \
	static void fn(const struct ipc_obj *o, struct cell *c) \
	{ \
		if (PMSG(o)->err) \
			cell_unknown(c, PMSG(o)->err); \
		else \
			cell_num(c, PMSG(o)->field); \
	}

PMSG_NUM_COL(col_usedbytes, qsize)
PMSG_NUM_COL(col_msgs, curmsgs)
PMSG_NUM_COL(col_maxmsg, maxmsg)
PMSG_NUM_COL(col_msgsize, msgsize)

static void col_notify_pid(const struct ipc_obj *o, struct cell *c)
{
	if (PMSG(o)->err)
		cell_unknown(c, PMSG(o)->err);
	else
		cell_pid(c, PMSG(o)->notify_pid);
}

static void col_notify(const struct ipc_obj *o, struct cell *c)
{
	const struct pmsg *p = PMSG(o);
	if (p->err) {
		cell_unknown(c, p->err);
		return;
	}
	if (!p->notify_pid) {
		c->state = CELL_ABSENT;
		return;
	}
	switch (p->notify) {
	case SIGEV_SIGNAL:
		cell_str(c, "signal");
		break;
	case SIGEV_NONE:
		cell_str(c, "none");
		break;
	case SIGEV_THREAD:
		cell_str(c, "thread");
		break;
	default:
		snprintf(c->buf, sizeof(c->buf), "%d", p->notify);
		cell_str(c, c->buf);
	}
}

static void col_signo(const struct ipc_obj *o, struct cell *c)
{
	const struct pmsg *p = PMSG(o);
	if (p->err) {
		cell_unknown(c, p->err);
		return;
	}
	if (!p->notify_pid || p->notify != SIGEV_SIGNAL) {
		c->state = CELL_ABSENT;
		return;
	}
	const char *abbrev = sigabbrev_np(p->signo);
	if (abbrev)
		snprintf(c->buf, sizeof(c->buf), "SIG%s", abbrev);
	else
		snprintf(c->buf, sizeof(c->buf), "%d", p->signo);
	cell_str(c, c->buf);
}

static void col_notify_cmd(const struct ipc_obj *o, struct cell *c)
{
	if (PMSG(o)->err)
		cell_unknown(c, PMSG(o)->err);
	else if (!PMSG(o)->notify_pid)
		c->state = CELL_ABSENT;
	else
		cell_str(c, proc_comm(PMSG(o)->notify_pid));
}

static const struct column pmsg_cols[] = {
	COLS_POSIX_COMMON,
	{ "MSGS", CT_NUM, COL_RIGHT, 0.1, "messages in the queue", col_msgs },
	{ "USEDBYTES", CT_SIZE, COL_RIGHT, 0.1, "bytes in the queue", col_usedbytes },
	{ "MAXMSG", CT_NUM, COL_RIGHT, 0.1, "most messages the queue may hold", col_maxmsg },
	{ "MSGSIZE", CT_SIZE, COL_RIGHT, 0.1, "largest message size", col_msgsize },
	{ "NOTIFY", CT_STR, 0, 0.1, "notification registered: signal, thread or none", col_notify },
	{ "SIGNO", CT_STR, 0, 0.1, "signal of the notification", col_signo },
	{ "NOTIFY_PID", CT_NUM, COL_RIGHT, 0.1, "pid registered for notification", col_notify_pid },
	{ "NOTIFY_COMMAND", CT_STR, 0, 0.1, "its command, while it runs", col_notify_cmd },
	COLS_HOLDERS,
};

/* Parses "QSIZE:5          NOTIFY:0     SIGNO:0     NOTIFY_PID:0". */
static int parse_queue_file(const char *s, struct pmsg *p)
{
	const char *q = strstr(s, "QSIZE:"), *n = strstr(s, "NOTIFY:"),
		   *g = strstr(s, "SIGNO:"), *np = strstr(s, "NOTIFY_PID:");
	if (!q || !n || !g || !np)
		return -EINVAL;
	p->qsize = strtoull(q + 6, NULL, 10);
	p->notify = atoi(n + 7);
	p->signo = atoi(g + 6);
	p->notify_pid = atoi(np + 11);
	return 0;
}

static void *pmsg_visit(int fd, int err, struct ipc_obj *o, const struct stat *st)
{
	struct pmsg *p = xcalloc(1, sizeof(*p));
	p->px.st = *st;
	if (fd < 0) {
		p->err = err;
	} else {
		char buf[256];
		ssize_t r = read(fd, buf, sizeof(buf) - 1);
		struct mq_attr attr;
		if (r < 0) {
			p->err = errno;
		} else {
			buf[r] = '\0';
			p->err = -parse_queue_file(buf, p);
		}
		if (!p->err && mq_getattr(fd, &attr) == 0) {
			p->curmsgs = (unsigned long long)attr.mq_curmsgs;
			p->maxmsg = (unsigned long long)attr.mq_maxmsg;
			p->msgsize = (unsigned long long)attr.mq_msgsize;
		} else if (!p->err) {
			p->err = errno;
		}
	}
	o->err = p->err;
	/* reading the queue file and mq_getattr both set its ctime, so ctime
	 * says when the queue was last looked at; its age comes from mtime,
	 * which creation, send and receive set */
	o->ctime = st->st_mtime;
	return p;
}

static int pmsg_scan(struct objlist *list, struct scan_note *note)
{
	const char *dir = mqueue_dir();
	if (!dir) {
		note->text = xstrdup("no mqueue file system is mounted, so POSIX message queues "
				     "cannot be listed; mount one with: "
				     "mkdir -p /dev/mqueue && mount -t mqueue none /dev/mqueue");
		return 0;
	}
	return posix_scan(dir, &kind_pmsg, "", false, true, list, pmsg_visit);
}

static int pmsg_create(const struct mk_args *a, struct ipc_obj *made, bool *existed,
		       const char **why)
{
	struct mq_attr attr = { 0 };
	struct mq_attr *ap = NULL;
	if (a->given & (MKO_MAXMSG | MKO_MSGSIZE)) {
		/* mq_open takes both or neither: the other from the defaults */
		unsigned long long def_max = 10, def_size = 8192;
		read_ull("/proc/sys/fs/mqueue/msg_default", &def_max);
		read_ull("/proc/sys/fs/mqueue/msgsize_default", &def_size);
		attr.mq_maxmsg = (long)((a->given & MKO_MAXMSG) ? a->maxmsg : def_max);
		attr.mq_msgsize = (long)((a->given & MKO_MSGSIZE) ? a->msgsize : def_size);
		ap = &attr;
	}
	char *slashed = xasprintf("/%s", a->name);
	int r = 0;
	mqd_t q = mq_open(slashed, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, a->mode & 0777, ap);
	if (q == (mqd_t)-1 && errno == EEXIST && !a->exclusive) {
		*existed = true;
	} else if (q == (mqd_t)-1) {
		r = -errno;
		if (r == -EINVAL)
			*why = "--maxmsg or --msgsize above msg_max or msgsize_max (see ipcx limits)";
		else if (r == -EMFILE || r == -ENOSPC)
			*why = "queues_max or RLIMIT_MSGQUEUE reached";
	} else {
		/* the mode asked for, not the one the umask leaves */
		if (fchmod(q, a->mode & 0777) < 0) {
			r = -errno;
			mq_unlink(slashed);
		}
		mq_close(q);
	}
	free(slashed);
	if (r == 0)
		made->name = xstrdup(a->name);
	return r;
}

static int pmsg_busy(const struct ipc_obj *o, int fd, char *why, size_t whylen)
{
	(void)o;
	struct mq_attr attr;
	if (fd < 0 || mq_getattr(fd, &attr) < 0) {
		snprintf(why, whylen, "cannot tell whether it holds messages: %s", strerror(errno));
		return RM_KEPT;
	}
	if (!attr.mq_curmsgs)
		return 0;
	snprintf(why, whylen, "holds %ld message%s", attr.mq_curmsgs, attr.mq_curmsgs == 1 ? "" : "s");
	return RM_KEPT;
}

static int pmsg_remove(const struct ipc_obj *o, unsigned flags, char *why, size_t whylen)
{
	return posix_remove(o, flags, why, whylen, pmsg_busy);
}

static size_t pmsg_max_size(const struct ipc_obj *o)
{
	return PMSG(o)->err ? 0 : (size_t)PMSG(o)->msgsize;
}

static int pmsg_send(const struct ipc_obj *o, const void *data, size_t len, long prio,
		     unsigned flags, double timeout)
{
	bool nowait = (flags & MSG_OP_NOWAIT) || timeout == 0;
	int fd = posix_open(o, O_WRONLY | (nowait ? O_NONBLOCK : 0));
	if (fd < 0)
		return fd;
	int r;
	if (timeout > 0) {
		struct timespec abs = deadline_abs(timeout);
		r = mq_timedsend(fd, data, len, (unsigned)prio, &abs);
	} else {
		while ((r = mq_send(fd, data, len, (unsigned)prio)) < 0 && errno == EINTR)
			;
	}
	int e = errno;
	close(fd);
	return r < 0 ? -e : 0;
}

static ssize_t pmsg_recv(const struct ipc_obj *o, void *buf, size_t cap, long tag, long index,
			 unsigned flags, double timeout, long *tag_out)
{
	(void)tag;
	(void)index;
	if (flags & MSG_OP_PEEK)
		return -ENOTSUP;
	bool nowait = (flags & MSG_OP_NOWAIT) || timeout == 0;
	int fd = posix_open(o, O_RDONLY | (nowait ? O_NONBLOCK : 0));
	if (fd < 0)
		return fd;
	unsigned prio = 0;
	ssize_t r;
	if (timeout > 0) {
		struct timespec abs = deadline_abs(timeout);
		r = mq_timedreceive(fd, buf, cap, &prio, &abs);
	} else {
		while ((r = mq_receive(fd, buf, cap, &prio)) < 0 && errno == EINTR)
			;
	}
	int e = errno;
	close(fd);
	if (r < 0)
		return -e;
	*tag_out = (long)prio;
	return r;
}

static const struct mk_ops pmsg_mk = {
	.takes = MKO_NAME | MKO_MAXMSG | MKO_MSGSIZE | MKO_MODE,
	.create = pmsg_create,
};

static const struct msg_ops pmsg_msg = {
	.tag = "priority",
	.max_size = pmsg_max_size,
	.send = pmsg_send,
	.recv = pmsg_recv,
};

static void pmsg_holders(const struct ipc_obj *o, struct holders *out)
{
	static const long calls[] = { SYS_mq_timedsend, SYS_mq_timedreceive };
	holders_of_file(POSIX(o)->st.st_dev, POSIX(o)->st.st_ino, true, false, out);
	holders_waiting_on_fd(calls, 2, POSIX(o)->st.st_dev, POSIX(o)->st.st_ino, out);
}

const struct kind kind_pmsg = {
	.name = "pmsg",
	.order = 50,
	.streams = true,
	.opens_files = true,
	.title = "Message queues (POSIX)",
	.defcols = "NAME,PERMS,OWNER,MSGS,USEDBYTES,MAXMSG,MSGSIZE,NOTIFY_PID",
	.cols = pmsg_cols,
	.ncols = sizeof(pmsg_cols) / sizeof(pmsg_cols[0]),
	.named = true,
	.holders = pmsg_holders,
	.scan = pmsg_scan,
	.free_priv = posix_free_priv,
	.mk = &pmsg_mk,
	.remove = pmsg_remove,
	.msg = &pmsg_msg,
};
KIND_REGISTER(kind_pmsg);
