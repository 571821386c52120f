/*
 * fdholder: opens one of each fd-based IPC object with known attributes,
 * so that the suites can compare what ipcx reports with what was made.
 *
 * Usage: fdholder DIR
 *
 * Made, in this order (the first three before a fork, so the child holds
 * them too; the rest in the parent only):
 *   a signalfd for SIGHUP, SIGUSR1, SIGUSR2 and SIGRTMIN+3 (blocked first)
 *   a timerfd on CLOCK_MONOTONIC: first expiry in 1000 s, then every 1.25 s
 *   an eventfd with EFD_SEMAPHORE and count 5
 *   a dup of the signalfd, and a second signalfd with the same mask
 *   a timerfd on CLOCK_BOOTTIME that expired once, 1 ms after it was set
 *   an eventfd with count 42 (2a in hex) and no flags
 *   a pipe of capacity 8192 with 100 bytes queued, both ends open
 *   a pipe whose read end is closed
 *   the FIFO DIR/fifo (mode 0640), open for reading and for writing, with
 *   7 bytes queued
 *
 * It prints one line per object, "KIND field=value ...":
 *   fdholder pid=42 child=43
 *   signalfd fd=3 dup=7 mask=SIGHUP,SIGUSR1,SIGUSR2,SIGRTMIN+3 shared=1
 *   timerfd fd=4 clock=monotonic interval=1.25 ticks=0 shared=1
 *   eventfd fd=5 count=5 semaphore=1 shared=1
 *   signalfd fd=8 mask=... shared=0
 *   ...
 *   pipe ino=123 rfd=11 wfd=12 queued=100 capacity=8192
 *   pipe ino=124 wfd=14
 *   fifo path=DIR/fifo ino=99 dev=0:45 rfd=15 wfd=16 queued=7 capacity=65536
 * then "ready", and stays until its stdin reaches end of file. Errors: a
 * line on stderr, exit 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t child;

static void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("fdholder: ", stderr);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, ": %s\n", strerror(errno));
	va_end(ap);
	if (child > 0)
		kill(child, SIGKILL);
	exit(1);
}

/* Returns at end of file on stdin. */
static void wait_eof(void)
{
	char buf[256];
	for (;;) {
		ssize_t n = read(0, buf, sizeof(buf));
		if (n == 0 || (n < 0 && errno != EINTR))
			return;
	}
}

static int timer(int clock, time_t vs, long vns, time_t is, long ins)
{
	int fd = timerfd_create(clock, TFD_CLOEXEC);
	if (fd < 0)
		fail("timerfd_create");
	struct itimerspec its = { .it_value = { vs, vns }, .it_interval = { is, ins } };
	if (timerfd_settime(fd, 0, &its, NULL) < 0)
		fail("timerfd_settime");
	return fd;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: fdholder DIR\n", stderr);
		return 2;
	}
	const char *mask_names = "SIGHUP,SIGUSR1,SIGUSR2,SIGRTMIN+3";
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGUSR2);
	sigaddset(&mask, SIGRTMIN + 3);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		fail("sigprocmask");

	/* shared with the child */
	int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0)
		fail("signalfd");
	int tfd = timer(CLOCK_MONOTONIC, 1000, 0, 1, 250000000);
	int efd = eventfd(5, EFD_SEMAPHORE | EFD_CLOEXEC);
	if (efd < 0)
		fail("eventfd");
	fflush(stdout);
	pid_t parent = getpid();
	child = fork();
	if (child < 0)
		fail("fork");
	if (child == 0) {
		/* ends with the parent even when the parent is killed */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		wait_eof();
		_exit(0);
	}

	/* the parent's own */
	int sdup = fcntl(sfd, F_DUPFD_CLOEXEC, 0);
	int sfd2 = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sdup < 0 || sfd2 < 0)
		fail("signalfd");
	int tfd2 = timer(CLOCK_BOOTTIME, 0, 1000000, 0, 0);
	int efd2 = eventfd(42, EFD_CLOEXEC);
	if (efd2 < 0)
		fail("eventfd");

	int p[2], q[2];
	if (pipe2(p, O_CLOEXEC) < 0 || pipe2(q, O_CLOEXEC) < 0)
		fail("pipe2");
	int cap = fcntl(p[1], F_SETPIPE_SZ, 8192);
	if (cap < 0)
		fail("F_SETPIPE_SZ");
	char data[100];
	memset(data, 'p', sizeof(data));
	if (write(p[1], data, sizeof(data)) != (ssize_t)sizeof(data))
		fail("write to the pipe");
	close(q[0]);

	char path[4096];
	snprintf(path, sizeof(path), "%s/fifo", argv[1]);
	if (mkfifo(path, 0640) < 0 || chmod(path, 0640) < 0)
		fail("mkfifo %s", path);
	int frd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	int fwr = frd < 0 ? -1 : open(path, O_WRONLY | O_CLOEXEC);
	if (fwr < 0)
		fail("open %s", path);
	if (write(fwr, "fifo!!\n", 7) != 7)
		fail("write to the fifo");

	struct stat st, fst;
	if (fstat(p[0], &st) < 0 || fstat(q[1], &fst) < 0)
		fail("fstat");
	/* the second timer has expired once before the caller looks */
	struct timespec ms50 = { 0, 50000000 };
	nanosleep(&ms50, NULL);

	printf("fdholder pid=%d child=%d\n", (int)parent, (int)child);
	printf("signalfd fd=%d dup=%d mask=%s shared=1\n", sfd, sdup, mask_names);
	printf("timerfd fd=%d clock=monotonic interval=1.25 ticks=0 shared=1\n", tfd);
	printf("eventfd fd=%d count=5 semaphore=1 shared=1\n", efd);
	printf("signalfd fd=%d mask=%s shared=0\n", sfd2, mask_names);
	printf("timerfd fd=%d clock=boottime interval=0 ticks=1 shared=0\n", tfd2);
	printf("eventfd fd=%d count=42 semaphore=0 shared=0\n", efd2);
	printf("pipe ino=%ju rfd=%d wfd=%d queued=100 capacity=%d\n", (uintmax_t)st.st_ino, p[0], p[1],
	       cap);
	printf("pipe ino=%ju wfd=%d\n", (uintmax_t)fst.st_ino, q[1]);
	if (fstat(frd, &st) < 0)
		fail("fstat");
	int fcap = fcntl(frd, F_GETPIPE_SZ);
	if (fcap < 0)
		fail("F_GETPIPE_SZ");
	printf("fifo path=%s ino=%ju dev=%u:%u rfd=%d wfd=%d queued=7 capacity=%d\n", path,
	       (uintmax_t)st.st_ino, major(st.st_dev), minor(st.st_dev), frd, fwr, fcap);
	puts("ready");
	fflush(stdout);

	wait_eof();
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	unlink(path);
	return 0;
}
