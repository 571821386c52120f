#include "sockdiag.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util.h"

static struct usock *add(struct usock_list *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	struct usock *s = &l->v[l->n++];
	memset(s, 0, sizeof(*s));
	return s;
}

void usock_list_free(struct usock_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].icons);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* One socket's message: the fixed part, then attributes, each optional. */
static void parse_msg(const struct nlmsghdr *h, struct usock_list *l)
{
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct unix_diag_msg)))
		return;
	const struct unix_diag_msg *m = NLMSG_DATA(h);
	struct usock *s = add(l);
	s->ino = m->udiag_ino;
	s->type = m->udiag_type;
	s->state = m->udiag_state;
	s->has = US_STATE;
	int len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
	const struct rtattr *a = (const struct rtattr *)((const char *)m + NLMSG_ALIGN(sizeof(*m)));
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		const void *d = RTA_DATA(a);
		size_t dlen = RTA_PAYLOAD(a);
		switch (a->rta_type) {
		case UNIX_DIAG_NAME:
			/* the bytes bound, exactly: an abstract name may hold NULs */
			if (dlen) {
				s->name = xmalloc(dlen + 1);
				memcpy(s->name, d, dlen);
				s->name[dlen] = '\0';
				s->namelen = dlen;
				s->has |= US_NAME;
			}
			break;
		case UNIX_DIAG_PEER:
			if (dlen >= sizeof(uint32_t)) {
				memcpy(&s->peer, d, sizeof(uint32_t));
				s->has |= US_PEER;
			}
			break;
		case UNIX_DIAG_RQLEN:
			if (dlen >= sizeof(struct unix_diag_rqlen)) {
				struct unix_diag_rqlen q;
				memcpy(&q, d, sizeof(q));
				s->rqueue = q.udiag_rqueue;
				s->wqueue = q.udiag_wqueue;
				s->has |= US_RQLEN;
			}
			break;
		case UNIX_DIAG_ICONS:
			/* sent for listeners only, empty when nobody waits */
			s->nicons = dlen / sizeof(uint32_t);
			if (s->nicons) {
				s->icons = xmalloc(s->nicons * sizeof(uint32_t));
				memcpy(s->icons, d, s->nicons * sizeof(uint32_t));
			}
			s->has |= US_ICONS;
			break;
		case UNIX_DIAG_VFS:
			if (dlen >= sizeof(struct unix_diag_vfs)) {
				struct unix_diag_vfs v;
				memcpy(&v, d, sizeof(v));
				s->vfs_ino = v.udiag_vfs_ino;
				s->vfs_dev = v.udiag_vfs_dev;
				s->has |= US_VFS;
			}
			break;
		case UNIX_DIAG_UID:
			if (dlen >= sizeof(uint32_t)) {
				uint32_t u;
				memcpy(&u, d, sizeof(u));
				s->uid = (uid_t)u;
				s->has |= US_UID;
			}
			break;
		}
	}
}

/* Reads the dump's replies until NLMSG_DONE; 0 or -errno. */
static int read_dump(int fd, uint32_t seq, struct usock_list *l)
{
	/* a page or more per read, as the kernel sizes its dump messages */
	size_t bufsz = 32768;
	char *buf = xmalloc(bufsz);
	int r = 0;
	for (;;) {
		struct sockaddr_nl from;
		struct iovec iov = { buf, bufsz };
		struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from),
				     .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n = recvmsg(fd, &mh, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		if (n == 0 || (mh.msg_flags & MSG_TRUNC)) {
			r = -EIO;
			break;
		}
		/* only the kernel speaks here */
		if (from.nl_pid != 0)
			continue;
		int len = (int)n;
		for (const struct nlmsghdr *h = (const struct nlmsghdr *)buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				goto out;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);
				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
					r = -EIO;
					goto out;
				}
				/* error 0 is an acknowledgement, not an end */
				if (e->error) {
					r = e->error;
					goto out;
				}
				continue;
			}
			if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY)
				parse_msg(h, l);
		}
	}
out:
	free(buf);
	return r;
}

int sockdiag_unix(struct usock_list *l)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -errno;
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req req;
	} q;
	memset(&q, 0, sizeof(q));
	static uint32_t seq;
	q.nlh.nlmsg_len = sizeof(q);
	q.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	q.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	q.nlh.nlmsg_seq = ++seq;
	q.req.sdiag_family = AF_UNIX;
	q.req.udiag_states = (uint32_t)-1;	/* every state */
	q.req.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN |
			   UDIAG_SHOW_VFS | UDIAG_SHOW_ICONS | UDIAG_SHOW_UID;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int r = 0;
	if (sendto(fd, &q, sizeof(q), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		r = -errno;
	else
		r = read_dump(fd, q.nlh.nlmsg_seq, l);
	close(fd);
	if (r < 0)
		usock_list_free(l);
	return r;
}

void procnet_unix_parse(FILE *f, struct usock_list *l)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	/*
	 * "Num: RefCount Protocol Flags Type St Inode Path": a path is
	 * printed raw, so one holding a newline breaks its line; the rest of
	 * it rarely parses as a line and is then skipped.
	 */
	while ((n = getline(&line, &cap, f)) > 0) {
		unsigned flags, type, st;
		uintmax_t ino;
		int off = 0;
		if (sscanf(line, "%*x: %*x %*x %x %x %x %ju%n", &flags, &type, &st, &ino, &off) < 4)
			continue;
		struct usock *s = add(l);
		s->ino = (uint32_t)ino;
		s->type = type;
		s->state = st;
		s->proc_state = true;
		s->has = US_STATE;
		if (flags & 0x10000)	/* __SO_ACCEPTCON: listening */
			s->has |= US_LISTEN;
		const char *p = line + off;
		size_t plen = strcspn(p, "\n");
		if (plen > 1 && p[0] == ' ') {
			p++;
			plen--;
			s->name = xmalloc(plen + 1);
			memcpy(s->name, p, plen);
			s->name[plen] = '\0';
			s->namelen = plen;
			s->has |= US_NAME;
			/* an abstract name is printed with '@' for its leading NUL */
			if (p[0] == '@')
				s->name[0] = '\0';
		}
	}
	free(line);
}

int procnet_unix(struct usock_list *l)
{
	FILE *f = fopen("/proc/net/unix", "re");
	if (!f)
		return -errno;
	procnet_unix_parse(f, l);
	fclose(f);
	return 0;
}
