/*
 * unixholder: makes unix domain sockets in every state the suites check,
 * with data left queued, and holds them until its stdin closes.
 *
 * Usage: unixholder DIR
 *        unixholder --deny-netlink PROGRAM [ARG]...
 *
 * The second form runs PROGRAM with socket(AF_NETLINK, ...) failing with
 * EACCES (a seccomp filter), as some sandboxes have it, so that the suites
 * can check the fallback to /proc/net/unix.
 *
 * It makes, in this order:
 *   shared             dgram, unbound; held by a child too, which it forks
 *                      first: the child names itself "unixchild", keeps
 *                      it as descriptor 40 and nothing else, and waits as
 *                      its parent does
 *   pair_a, pair_b     a stream socketpair; pair_a sent 5 bytes, unread
 *   seq_a, seq_b       a seqpacket socketpair, nothing queued
 *   listener           stream, bound to DIR/listen.sock, listen(fd, 7)
 *   client, accepted   a connection to it, accepted; client sent 3 bytes
 *   pending            a second client, connected but not accepted; it
 *                      sent 9 bytes, which wait in the kernel's own socket
 *   dgram              dgram, bound to the abstract name
 *                      "\0ipcx-test-PID\0z\x1b" (a NUL and an escape inside)
 *   dsender            dgram, connected to dgram; sent one datagram of 11 bytes
 *   lone               dgram, neither bound nor connected
 *   carrier_a, carrier_b  a stream socketpair; carrier_a sent one byte
 *                      with the descriptor of inflight attached
 *   inflight           dgram, closed once sent: no process holds it, the
 *                      kernel keeps it in carrier_b's queue (its line has
 *                      no fd)
 *
 * It prints "pid=PID", "child=PID", then one line per socket, "ROLE fd=N ino=N", where
 * ino is fstat's st_ino of the descriptor (the socket's inode); the
 * listener's line adds path=PATH and the dgram's name=NAME with bytes
 * outside printable ASCII as \xNN. Then "ready", and it waits until its
 * stdin reaches end of file or it receives SIGTERM. Errors: a line on
 * stderr, exit 1.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "hold.h"

static void fail(const char *what)
{
	fprintf(stderr, "unixholder: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void put(const char *role, int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		fail("fstat");
	printf("%s fd=%d ino=%llu", role, fd, (unsigned long long)st.st_ino);
}

static void send_all(int fd, const char *buf, size_t len)
{
	if (send(fd, buf, len, 0) != (ssize_t)len)
		fail("send");
}

/* Makes socket(AF_NETLINK, ...) fail with EACCES, then runs argv. */
static int deny_netlink(char **argv)
{
#if defined(__x86_64__)
	const unsigned arch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
	const unsigned arch = AUDIT_ARCH_AARCH64;
#else
	fputs("unixholder: --deny-netlink: unknown architecture\n", stderr);
	return 1;
#endif
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_socket, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_NETLINK, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		fail("seccomp");
	execvp(argv[0], argv);
	fail(argv[0]);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "--deny-netlink"))
		return deny_netlink(argv + 2);
	if (argc != 2) {
		fputs("usage: unixholder DIR\n", stderr);
		return 2;
	}
	printf("pid=%d\n", (int)getpid());

	int sh = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (sh < 0)
		fail("socket");
	fflush(stdout);
	pid_t child = fork();
	if (child < 0)
		fail("fork");
	if (child == 0) {
		if (dup2(sh, 40) < 0)
			fail("dup2");
		close(sh);
		prctl(PR_SET_NAME, "unixchild", 0, 0, 0);
		hold(NULL);
		_exit(0);
	}
	printf("child=%d\n", (int)child);
	put("shared", sh);
	putchar('\n');

	int pair[2], seq[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0)
		fail("socketpair stream");
	send_all(pair[0], "hello", 5);
	put("pair_a", pair[0]);
	putchar('\n');
	put("pair_b", pair[1]);
	putchar('\n');
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, seq) < 0)
		fail("socketpair seqpacket");
	put("seq_a", seq[0]);
	putchar('\n');
	put("seq_b", seq[1]);
	putchar('\n');

	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/listen.sock", argv[1]) >=
	    sizeof(sa.sun_path)) {
		fputs("unixholder: DIR is too long for a socket path\n", stderr);
		return 1;
	}
	int lst = socket(AF_UNIX, SOCK_STREAM, 0);
	if (lst < 0 || bind(lst, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lst, 7) < 0)
		fail("listener");
	put("listener", lst);
	printf(" path=%s\n", sa.sun_path);

	int cl = socket(AF_UNIX, SOCK_STREAM, 0);
	if (cl < 0 || connect(cl, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		fail("connect");
	int acc = accept(lst, NULL, NULL);
	if (acc < 0)
		fail("accept");
	send_all(cl, "abc", 3);
	put("client", cl);
	putchar('\n');
	put("accepted", acc);
	putchar('\n');

	/* connect() of a stream socket returns once queued: accept is not needed */
	int pend = socket(AF_UNIX, SOCK_STREAM, 0);
	if (pend < 0 || connect(pend, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		fail("connect pending");
	send_all(pend, "123456789", 9);
	put("pending", pend);
	putchar('\n');

	char name[64];
	int nlen = snprintf(name, sizeof(name), "%cipcx-test-%d%cz\x1b", 0, (int)getpid(), 0);
	struct sockaddr_un da = { .sun_family = AF_UNIX };
	memcpy(da.sun_path, name, (size_t)nlen);
	socklen_t dlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (size_t)nlen);
	int dg = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (dg < 0 || bind(dg, (struct sockaddr *)&da, dlen) < 0)
		fail("bind abstract");
	int ds = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (ds < 0 || connect(ds, (struct sockaddr *)&da, dlen) < 0)
		fail("connect dgram");
	send_all(ds, "datagram!!!", 11);
	put("dgram", dg);
	fputs(" name=", stdout);
	for (int i = 0; i < nlen; i++) {
		unsigned char ch = (unsigned char)name[i];
		if (ch < 0x21 || ch > 0x7e || ch == '\\')
			printf("\\x%02x", ch);
		else
			putchar(ch);
	}
	putchar('\n');
	put("dsender", ds);
	putchar('\n');

	int lone = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (lone < 0)
		fail("socket");
	put("lone", lone);
	putchar('\n');

	int car[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, car) < 0)
		fail("socketpair carrier");
	int fl = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fl < 0)
		fail("socket");
	struct stat st;
	if (fstat(fl, &st) < 0)
		fail("fstat");
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	memset(&ctl, 0, sizeof(ctl));
	struct iovec iov = { "x", 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			     .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fl, sizeof(int));
	if (sendmsg(car[0], &mh, 0) != 1)
		fail("sendmsg");
	close(fl);
	put("carrier_a", car[0]);
	putchar('\n');
	put("carrier_b", car[1]);
	putchar('\n');
	printf("inflight ino=%llu\n", (unsigned long long)st.st_ino);

	puts("ready");
	fflush(stdout);
	hold(NULL);
	return 0;
}
