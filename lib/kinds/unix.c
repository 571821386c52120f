/*
 * Unix domain sockets of our network namespace. The kernel's socket table
 * comes through NETLINK_SOCK_DIAG, which alone tells the peer, the queues
 * and the connections waiting to be accepted; the processes at each end
 * are the ones whose descriptors link to "socket:[INODE]".
 */
#include <errno.h>
#include <inttypes.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../holders.h"
#include "../out.h"
#include "../proc.h"
#include "../pscan.h"
#include "../sockdiag.h"
#include "../util.h"
#include "common.h"

extern const struct kind kind_unix;

/* A descriptor of some process that refers to a socket. */
struct sockref {
	uint32_t ino;
	pid_t pid;
	int fd;
	bool rd, wr;
};

/*
 * One scan's sockets, sorted by inode, shared by its objects: a column of
 * one socket reads its peer's entry. Freed with the last object, so that
 * ls's filters may free objects one by one.
 */
struct usnap {
	unsigned refs;
	struct usock_list l;
	bool from_proc;		/* netlink refused: /proc/net/unix, without peers or queues */
	char **path;		/* PATH text of each socket, NULL when unbound */
	char **ep;		/* ENDPOINTS text of each socket, made when first asked */
	char **peer_ep;		/* PEER_ENDPOINTS of a peer outside the table */
	char **pending;		/* PENDING_PEERS text */
	/* every socket descriptor of every process, sorted by inode */
	bool refs_read;
	struct sockref *sr;
	size_t nsr;
};

struct upriv {
	struct usnap *s;
	size_t i;
};

#define UPRIV(o) ((const struct upriv *)(o)->priv)
#define USOCK(o) (&UPRIV(o)->s->l.v[UPRIV(o)->i])

static void snap_free(struct usnap *s)
{
	for (size_t i = 0; i < s->l.n; i++) {
		free(s->path[i]);
		free(s->ep[i]);
		free(s->peer_ep[i]);
		free(s->pending[i]);
	}
	free(s->path);
	free(s->ep);
	free(s->peer_ep);
	free(s->pending);
	free(s->sr);
	usock_list_free(&s->l);
	free(s);
}

static void unix_free_priv(void *priv)
{
	struct upriv *p = priv;
	if (--p->s->refs == 0)
		snap_free(p->s);
	free(p);
}

static long find_sock(const struct usnap *s, uint32_t ino)
{
	size_t lo = 0, hi = s->l.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->l.v[mid].ino < ino)
			lo = mid + 1;
		else if (s->l.v[mid].ino > ino)
			hi = mid;
		else
			return (long)mid;
	}
	return -1;
}

static int by_ref(const void *a, const void *b)
{
	const struct sockref *x = a, *y = b;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->fd > y->fd) - (x->fd < y->fd);
}

/*
 * The socket descriptors of every process, read in the one walk of
 * /proc and sorted once, so that the ends of N sockets cost N look-ups.
 * Sockets of other network namespaces are kept too: a peer reached
 * through a path may live in one.
 */
static void read_refs(struct usnap *s)
{
	if (s->refs_read)
		return;
	s->refs_read = true;
	const struct pscan *ps = pscan_get(PS_FDS);
	size_t cap = 0;
	for (size_t i = 0; i < ps->n; i++) {
		const struct ps_proc *p = &ps->v[i];
		for (size_t j = 0; j < p->nfds; j++) {
			const struct ps_fd *f = &p->fds[j];
			if (strncmp(f->link, "socket:[", 8) != 0)
				continue;
			if (s->nsr == cap) {
				cap = cap ? cap * 2 : 256;
				s->sr = xrealloc(s->sr, cap * sizeof(*s->sr));
			}
			s->sr[s->nsr++] = (struct sockref){ (uint32_t)f->ino, p->pid, f->fd, f->rd, f->wr };
		}
	}
	if (s->nsr)
		qsort(s->sr, s->nsr, sizeof(*s->sr), by_ref);
}

/* The first descriptor of ino in the sorted refs, and how many there are. */
static const struct sockref *refs_of(struct usnap *s, uint32_t ino, size_t *n)
{
	read_refs(s);
	size_t lo = 0, hi = s->nsr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->sr[mid].ino < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < s->nsr && s->sr[end].ino == ino)
		end++;
	*n = end - lo;
	return s->sr + lo;
}

/*
 * "PID,COMMAND,FD" for each descriptor, separated by spaces, as lsfd
 * writes its endpoints; NULL when no process holds the socket.
 */
static char *endpoints_text(struct usnap *s, uint32_t ino)
{
	size_t n;
	const struct sockref *r = refs_of(s, ino, &n);
	char *text = NULL;
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		const char *comm = proc_comm(r[i].pid);
		char *item = xasprintf("%s%d,%s,%d", len ? " " : "", (int)r[i].pid,
				       comm ? comm : "?", r[i].fd);
		size_t ilen = strlen(item);
		text = xrealloc(text, len + ilen + 1);
		memcpy(text + len, item, ilen + 1);
		len += ilen;
		free(item);
	}
	return text;
}

/*
 * What PATH shows: a file system path as bound, or an abstract name as
 * "@name". A cell ends at a NUL and an abstract name may hold any number,
 * so the text is escaped here, every byte as the output layer would, and
 * the column says so (COL_ESCAPED).
 */
static char *path_text(const struct usock *u)
{
	if (!(u->has & US_NAME) || !u->namelen)
		return NULL;
	if (u->name[0] != '\0')	/* the kernel counts the path's final NUL */
		return esc_bytes(u->name, strnlen(u->name, u->namelen));
	char *at = xmalloc(u->namelen + 1);
	at[0] = '@';
	memcpy(at + 1, u->name + 1, u->namelen - 1);
	at[u->namelen] = '\0';
	char *t = esc_bytes(at, u->namelen);
	free(at);
	return t;
}

static int by_ino(const void *a, const void *b)
{
	const struct usock *x = a, *y = b;
	return (x->ino > y->ino) - (x->ino < y->ino);
}

static int unix_scan(struct objlist *list, struct scan_note *note)
{
	struct usnap *s = xcalloc(1, sizeof(*s));
	int r = sockdiag_unix(&s->l);
	if (r < 0) {
		int nl = r;
		r = procnet_unix(&s->l);
		if (r < 0) {
			free(s);
			return r;
		}
		s->from_proc = true;
		note->text = xasprintf("netlink sock_diag refused (%s): sockets from /proc/net/unix, "
				       "whose peers, queues and pending connections are unknown",
				       strerror(-nl));
	}
	if (s->l.n)
		qsort(s->l.v, s->l.n, sizeof(*s->l.v), by_ino);
	s->path = xcalloc(s->l.n + 1, sizeof(char *));
	s->ep = xcalloc(s->l.n + 1, sizeof(char *));
	s->peer_ep = xcalloc(s->l.n + 1, sizeof(char *));
	s->pending = xcalloc(s->l.n + 1, sizeof(char *));
	for (size_t i = 0; i < s->l.n; i++) {
		const struct usock *u = &s->l.v[i];
		/* a socket in the table twice, should the kernel ever say so, is one object */
		if (i && u->ino == s->l.v[i - 1].ino)
			continue;
		s->path[i] = path_text(u);
		struct ipc_obj *o = obj_new(&kind_unix);
		o->id = u->ino;
		if (u->has & US_UID)
			o->uid = u->uid;
		struct upriv *p = xmalloc(sizeof(*p));
		p->s = s;
		p->i = i;
		o->priv = p;
		s->refs++;
		objlist_add(list, o);
	}
	if (!s->refs)
		snap_free(s);
	return 0;
}

/* A field /proc/net/unix does not have is unknown, not absent. */
static bool need_netlink(const struct ipc_obj *o, struct cell *c)
{
	if (!UPRIV(o)->s->from_proc)
		return false;
	c->state = CELL_UNKNOWN;
	c->why = "not in /proc/net/unix";
	return true;
}

static void col_inode(const struct ipc_obj *o, struct cell *c)
{
	cell_num(c, USOCK(o)->ino);
}

static void col_type(const struct ipc_obj *o, struct cell *c)
{
	const struct usock *u = USOCK(o);
	switch (u->type) {
	case SOCK_STREAM:
		cell_str(c, "stream");
		return;
	case SOCK_DGRAM:
		cell_str(c, "dgram");
		return;
	case SOCK_SEQPACKET:
		cell_str(c, "seqpacket");
		return;
	}
	snprintf(c->buf, sizeof(c->buf), "type%u", u->type);
	cell_str(c, c->buf);
}

static bool listening(const struct usock *u)
{
	return u->proc_state ? (u->has & US_LISTEN) : u->state == TCP_LISTEN;
}

static void col_state(const struct ipc_obj *o, struct cell *c)
{
	const struct usock *u = USOCK(o);
	const char *s = NULL;
	if (listening(u)) {
		s = "listen";
	} else if (u->proc_state) {
		static const char *const ss[] = { [USS_UNCONNECTED] = "unconnected",
						  [USS_CONNECTING] = "connecting",
						  [USS_CONNECTED] = "connected",
						  [USS_DISCONNECTING] = "disconnecting" };
		if (u->state < sizeof(ss) / sizeof(ss[0]))
			s = ss[u->state];
	} else {
		/* unix sockets keep their state in TCP's terms */
		switch (u->state) {
		case TCP_ESTABLISHED: s = "connected"; break;
		case TCP_SYN_SENT: s = "connecting"; break;
		case TCP_SYN_RECV: s = "syn-recv"; break;
		case TCP_FIN_WAIT1: s = "fin-wait-1"; break;
		case TCP_FIN_WAIT2: s = "fin-wait-2"; break;
		case TCP_TIME_WAIT: s = "time-wait"; break;
		case TCP_CLOSE: s = "unconnected"; break;
		case TCP_CLOSE_WAIT: s = "close-wait"; break;
		case TCP_LAST_ACK: s = "last-ack"; break;
		case TCP_CLOSING: s = "closing"; break;
		}
	}
	if (!s) {
		snprintf(c->buf, sizeof(c->buf), "state%u", u->state);
		s = c->buf;
	}
	cell_str(c, s);
}

static void col_path(const struct ipc_obj *o, struct cell *c)
{
	cell_str(c, UPRIV(o)->s->path[UPRIV(o)->i]);
}

static void col_peer(const struct ipc_obj *o, struct cell *c)
{
	if (need_netlink(o, c))
		return;
	const struct usock *u = USOCK(o);
	/* a peer that was closed reads as inode 0 until this end is closed */
	if (!(u->has & US_PEER) || !u->peer)
		c->state = CELL_ABSENT;
	else
		cell_num(c, u->peer);
}

static void col_endpoints(const struct ipc_obj *o, struct cell *c)
{
	struct usnap *s = UPRIV(o)->s;
	size_t i = UPRIV(o)->i;
	if (!s->ep[i])
		s->ep[i] = endpoints_text(s, s->l.v[i].ino);
	cell_str(c, s->ep[i]);
}

static void col_peer_endpoints(const struct ipc_obj *o, struct cell *c)
{
	if (need_netlink(o, c))
		return;
	struct usnap *s = UPRIV(o)->s;
	size_t i = UPRIV(o)->i;
	const struct usock *u = &s->l.v[i];
	if (!(u->has & US_PEER) || !u->peer) {
		c->state = CELL_ABSENT;
		return;
	}
	long j = find_sock(s, u->peer);
	char **slot = j >= 0 ? &s->ep[j] : &s->peer_ep[i];
	if (!*slot)
		*slot = endpoints_text(s, u->peer);
	cell_str(c, *slot);
}

static void col_rqueue(const struct ipc_obj *o, struct cell *c)
{
	if (need_netlink(o, c))
		return;
	const struct usock *u = USOCK(o);
	if (u->has & US_RQLEN)
		cell_num(c, u->rqueue);
	else
		c->state = CELL_ABSENT;
}

static void col_wqueue(const struct ipc_obj *o, struct cell *c)
{
	if (need_netlink(o, c))
		return;
	const struct usock *u = USOCK(o);
	if (u->has & US_RQLEN)
		cell_num(c, u->wqueue);
	else
		c->state = CELL_ABSENT;
}

static void col_pending(const struct ipc_obj *o, struct cell *c)
{
	const struct usock *u = USOCK(o);
	if (!listening(u)) {
		c->state = CELL_ABSENT;
		return;
	}
	if (need_netlink(o, c))
		return;
	cell_num(c, u->nicons);
}

static void col_pending_peers(const struct ipc_obj *o, struct cell *c)
{
	struct usnap *s = UPRIV(o)->s;
	size_t i = UPRIV(o)->i;
	const struct usock *u = &s->l.v[i];
	if (!listening(u)) {
		c->state = CELL_ABSENT;
		return;
	}
	if (need_netlink(o, c))
		return;
	if (!u->nicons) {
		c->state = CELL_ABSENT;
		return;
	}
	if (!s->pending[i]) {
		char *t = xmalloc(u->nicons * 11 + 1), *w = t;
		for (size_t k = 0; k < u->nicons; k++)
			w += sprintf(w, "%s%" PRIu32, k ? " " : "", u->icons[k]);
		s->pending[i] = t;
	}
	cell_str(c, s->pending[i]);
}

static void col_sock_uid(const struct ipc_obj *o, struct cell *c)
{
	if (need_netlink(o, c))
		return;
	if (USOCK(o)->has & US_UID)
		cell_num(c, USOCK(o)->uid);
	else
		cell_unknown(c, EOPNOTSUPP);
}

static void col_sock_user(const struct ipc_obj *o, struct cell *c)
{
	col_sock_uid(o, c);
	if (c->state != CELL_OK)
		return;
	const char *n = user_name((uid_t)c->num);
	if (!n) {
		snprintf(c->buf, sizeof(c->buf), "%llu", c->num);
		n = c->buf;
	}
	cell_str(c, n);
}

static void col_path_inode(const struct ipc_obj *o, struct cell *c)
{
	if (need_netlink(o, c))
		return;
	if (USOCK(o)->has & US_VFS)
		cell_num(c, USOCK(o)->vfs_ino);
	else
		c->state = CELL_ABSENT;
}

static void col_path_dev(const struct ipc_obj *o, struct cell *c)
{
	if (need_netlink(o, c))
		return;
	const struct usock *u = USOCK(o);
	if (!(u->has & US_VFS)) {
		c->state = CELL_ABSENT;
		return;
	}
	/* the kernel's own dev_t: 12 bits of major above 20 of minor */
	snprintf(c->buf, sizeof(c->buf), "%u:%u", u->vfs_dev >> 20, u->vfs_dev & 0xfffff);
	cell_str(c, c->buf);
}

static const struct column unix_cols[] = {
	{ "INODE", CT_NUM, COL_RIGHT, 0.1, "socket inode, its id", col_inode },
	{ "TYPE", CT_STR, 0, 0.1, "stream, dgram or seqpacket", col_type },
	{ "STATE", CT_STR, 0, 0.1, "listen, connected, unconnected, connecting, ...", col_state },
	{ "PATH", CT_STR, COL_TRUNC | COL_ESCAPED, 0.3, "bound address: a file system path, or @NAME for an abstract name",
	  col_path },
	{ "PEER", CT_NUM, COL_RIGHT, 0.1, "inode of the socket at the other end", col_peer },
	{ "PEER_ENDPOINTS", CT_STR, COL_WRAP, 0.3, "processes holding the peer, as PID,COMMAND,FD",
	  col_peer_endpoints },
	{ "ENDPOINTS", CT_STR, COL_WRAP, 0.3, "processes holding this socket, as PID,COMMAND,FD",
	  col_endpoints },
	{ "RQUEUE", CT_NUM, COL_RIGHT, 0.1,
	  "bytes received and not read; for a listener, connections not yet accepted", col_rqueue },
	{ "WQUEUE", CT_NUM, COL_RIGHT, 0.1,
	  "memory of data sent and not yet read by the peer; for a listener, the backlog",
	  col_wqueue },
	{ "PENDING", CT_NUM, COL_RIGHT, 0.1, "connections waiting to be accepted, for a listener",
	  col_pending },
	{ "PENDING_PEERS", CT_STR, COL_WRAP, 0.2, "inodes of the clients waiting to be accepted",
	  col_pending_peers },
	{ "UID", CT_NUM, COL_RIGHT, 0.1, "user id of the socket's creator", col_sock_uid },
	{ "USER", CT_STR, 0, 0.1, "user name of the socket's creator", col_sock_user },
	{ "PATH_INODE", CT_NUM, COL_RIGHT, 0.1, "inode of the socket file a path names",
	  col_path_inode },
	{ "PATH_DEV", CT_STR, 0, 0.1, "device of that file, as MAJ:MIN", col_path_dev },
	COLS_HOLDERS,
};

static void unix_holders(const struct ipc_obj *o, struct holders *out)
{
	size_t n;
	const struct sockref *r = refs_of(UPRIV(o)->s, USOCK(o)->ino, &n);
	for (size_t i = 0; i < n; i++)
		holders_add(out, &(struct holder){ .pid = r[i].pid, .tid = r[i].pid, .how = H_OPEN,
						  .fd = r[i].fd, .rd = r[i].rd, .wr = r[i].wr });
}

const struct kind kind_unix = {
	.name = "unix",
	.order = 75,
	.title = "Unix domain sockets",
	.defcols = "INODE,TYPE,STATE,RQUEUE,WQUEUE,PATH,PEER,ENDPOINTS",
	.cols = unix_cols,
	.ncols = sizeof(unix_cols) / sizeof(unix_cols[0]),
	.fd_based = true,
	.scan = unix_scan,
	.free_priv = unix_free_priv,
	.holders = unix_holders,
};
KIND_REGISTER(kind_unix);
