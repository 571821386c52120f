/*
 * Unix domain sockets of our network namespace, as the kernel describes
 * them through NETLINK_SOCK_DIAG (what `ss -x` reads), or, when netlink is
 * refused, through /proc/net/unix, which has no peers and no queues.
 */
#ifndef IPCX_SOCKDIAG_H
#define IPCX_SOCKDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Fields a socket came with: sock_diag attributes are each optional. */
enum usock_has {
	US_NAME = 1 << 0,
	US_PEER = 1 << 1,
	US_RQLEN = 1 << 2,
	US_ICONS = 1 << 3,
	US_VFS = 1 << 4,
	US_UID = 1 << 5,
	US_STATE = 1 << 6,
	US_LISTEN = 1 << 7,	/* /proc/net/unix: listening is all its flags tell */
};

/* The socket's own state, as /proc/net/unix words it (socket->state). */
enum usock_ss {
	USS_UNCONNECTED = 1,
	USS_CONNECTING = 2,
	USS_CONNECTED = 3,
	USS_DISCONNECTING = 4,
};

struct usock {
	uint32_t ino;
	unsigned type;		/* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET */
	unsigned has;		/* enum usock_has */
	/*
	 * With US_STATE from netlink: a TCP_* state as the kernel keeps it in
	 * sk_state (TCP_LISTEN, TCP_ESTABLISHED, TCP_CLOSE, ...). From
	 * /proc/net/unix: an enum usock_ss, and proc_state is set.
	 */
	unsigned state;
	bool proc_state;
	/*
	 * The bound address, sun_path as given to bind(): a file system path
	 * (maybe relative), or an abstract name whose first byte is NUL and
	 * whose other bytes may be anything. Not NUL-terminated in meaning:
	 * namelen counts its bytes. NULL when unbound. /proc/net/unix writes
	 * every NUL of an abstract name as '@': the first is made NUL again,
	 * the others cannot be told from a real '@'.
	 */
	char *name;
	size_t namelen;
	uint32_t peer;		/* US_PEER: the peer's inode */
	uint32_t rqueue, wqueue;	/* US_RQLEN */
	uint32_t *icons;	/* US_ICONS: inodes of the clients waiting in accept's queue */
	size_t nicons;
	uint32_t vfs_ino, vfs_dev;	/* US_VFS: the socket file; dev in the kernel's encoding */
	uid_t uid;		/* US_UID */
};

struct usock_list {
	struct usock *v;
	size_t n, cap;
};

/*
 * Every unix socket of our network namespace through NETLINK_SOCK_DIAG.
 * Returns 0, or -errno when the dump could not be had at all.
 */
int sockdiag_unix(struct usock_list *l);

/* The same from /proc/net/unix; -errno when it cannot be read. */
int procnet_unix(struct usock_list *l);
/* Parses the text of /proc/net/unix; lines it cannot read are skipped. */
void procnet_unix_parse(FILE *f, struct usock_list *l);

void usock_list_free(struct usock_list *l);

#endif
