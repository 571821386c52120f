/* Unit tests of lib/sockdiag.c: the /proc/net/unix fallback parser, and
 * the netlink dump against sockets this test makes. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sockdiag.h"
#include "tap.h"

static const struct usock *find(const struct usock_list *l, uint32_t ino)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].ino == ino)
			return &l->v[i];
	return NULL;
}

static void test_proc_text(void)
{
	static const char text[] =
		"Num       RefCount Protocol Flags    Type St Inode Path\n"
		"0000000000000000: 00000002 00000000 00010000 0001 01 101 /run/a b.sock\n"
		"0000000000000000: 00000003 00000000 00000000 0001 03 102\n"
		"0000000000000000: 00000002 00000000 00000000 0002 01 103 @name@x\n"
		"0000000000000000: 00000002 00000000 00000000 0005 02 104 rel\n"
		"garbage line\n"
		"0000000000000000: 00000002 00000000 00000000 0002 01 4294967295\n";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct usock_list l = { 0 };
	procnet_unix_parse(f, &l);
	fclose(f);
	CHECK_EQ(l.n, 5, "every socket line is read, the header and garbage skipped");
	const struct usock *s = find(&l, 101);
	if (CHECK(s, "a listener")) {
		CHECK(s->has & US_LISTEN, "__SO_ACCEPTCON marks it listening");
		CHECK_EQ(s->type, SOCK_STREAM, "stream");
		CHECK(s->proc_state && s->state == USS_UNCONNECTED, "its socket state");
		CHECK_EQ(s->namelen, strlen("/run/a b.sock"), "a path with a space is whole");
		CHECK_STR(s->name, "/run/a b.sock", "the path");
	}
	s = find(&l, 102);
	if (CHECK(s, "an unbound socket")) {
		CHECK(!(s->has & US_NAME) && !s->name, "has no name");
		CHECK_EQ(s->state, USS_CONNECTED, "connected");
		CHECK(!(s->has & (US_PEER | US_RQLEN | US_ICONS)), "nor a peer or queues");
	}
	s = find(&l, 103);
	if (CHECK(s, "an abstract socket")) {
		CHECK(s->namelen == 7 && s->name[0] == '\0' && !memcmp(s->name + 1, "name@x", 6),
		      "its leading '@' is made NUL again, the others stay");
		CHECK_EQ(s->type, SOCK_DGRAM, "dgram");
	}
	s = find(&l, 104);
	if (CHECK(s, "a seqpacket socket"))
		CHECK(s->type == SOCK_SEQPACKET && s->state == USS_CONNECTING &&
		      !strcmp(s->name, "rel"), "type, state and a relative path");
	CHECK(find(&l, 4294967295u), "an inode of 32 bits");
	usock_list_free(&l);
}

static void test_netlink(void)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
		SKIP("no socketpair", "netlink dump");
		return;
	}
	CHECK_EQ(write(sv[0], "abcd", 4), 4, "four bytes queued");
	/* an abstract name with a NUL inside: the dump must keep every byte */
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char name[32];
	int nlen = snprintf(name + 1, sizeof(name) - 1, "ipcx-unit-%d", (int)getpid()) + 1;
	name[0] = '\0';
	name[nlen++] = '\0';
	name[nlen++] = 'q';
	memcpy(a.sun_path, name, (size_t)nlen);
	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK(d >= 0 && bind(d, (struct sockaddr *)&a,
			     (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (size_t)nlen)) == 0,
	      "an abstract dgram socket is bound");
	struct stat s0, s1, sd;
	fstat(sv[0], &s0);
	fstat(sv[1], &s1);
	fstat(d, &sd);

	struct usock_list l = { 0 };
	int r = sockdiag_unix(&l);
	if (r < 0) {
		SKIP("NETLINK_SOCK_DIAG refused", "netlink dump");
	} else {
		const struct usock *u0 = find(&l, (uint32_t)s0.st_ino);
		const struct usock *u1 = find(&l, (uint32_t)s1.st_ino);
		const struct usock *ud = find(&l, (uint32_t)sd.st_ino);
		CHECK(u0 && u1 && ud, "the dump holds the sockets made");
		if (u0 && u1) {
			CHECK((u0->has & US_PEER) && u0->peer == (uint32_t)s1.st_ino, "peer of one end");
			CHECK((u1->has & US_PEER) && u1->peer == (uint32_t)s0.st_ino, "peer of the other");
			CHECK((u1->has & US_RQLEN) && u1->rqueue == 4, "the bytes queued");
			CHECK(u0->wqueue > 0, "the sender's memory in flight");
		}
		if (ud)
			CHECK(ud->namelen == (size_t)nlen && !memcmp(ud->name, name, (size_t)nlen),
			      "the abstract name, NULs and all");
	}
	usock_list_free(&l);
	close(sv[0]);
	close(sv[1]);
	close(d);
}

int main(void)
{
	test_proc_text();
	test_netlink();
	return tap_done();
}
