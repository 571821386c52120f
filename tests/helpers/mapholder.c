/*
 * mapholder: maps files MAP_SHARED in two processes, so that the suites
 * can compare what ipcx lists with what was mapped, and a few mappings
 * that must not be listed.
 *
 * Usage: mapholder DIR
 *
 * Made:
 *   DIR/shared, 3 pages: the parent maps pages 0-1 read-write, its child
 *   pages 1-2 read-only (so 3 pages of it are mapped in all)
 *   a memfd "ipcx-map-test" of 2 pages, mapped read-write before the fork
 *   (the child inherits the mapping)
 *   DIR/private, mapped MAP_PRIVATE by both: not shared
 *   DIR/alone, mapped MAP_SHARED by the parent only: shared with no one
 *   shared anonymous memory of 1 page before the fork (a /dev/zero file)
 *   DIR/gone, 1 page mapped before the fork, then unlinked
 *
 * It prints one line per object and per mapping:
 *   mapholder pid=42 child=43
 *   file obj=shared path=DIR/shared dev=0:45 ino=99 size=12288 mapped=12288
 *   file obj=memfd path=/memfd:ipcx-map-test ino=7 size=8192 mapped=8192
 *   file obj=private path=DIR/private ino=100
 *   file obj=alone path=DIR/alone ino=101
 *   file obj=anon path=/dev/zero start=7f4000
 *   file obj=gone path=DIR/gone ino=102
 *   map obj=shared pid=42 start=7f0000 end=7f2000 access=rw
 *   ...
 * then "ready", and stays until its stdin reaches end of file. Errors: a
 * line on stderr, exit 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t child;
static long pg;

static void fail(const char *what)
{
	fprintf(stderr, "mapholder: %s: %s\n", what, strerror(errno));
	if (child > 0)
		kill(child, SIGKILL);
	exit(1);
}

static int make_file(const char *dir, const char *name, long pages, struct stat *st)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || ftruncate(fd, pages * pg) < 0 || fstat(fd, st) < 0)
		fail(path);
	return fd;
}

static void *map(int fd, long pages, long off, int prot, int flags)
{
	void *p = mmap(NULL, (size_t)(pages * pg), prot, flags, fd, off * pg);
	if (p == MAP_FAILED)
		fail("mmap");
	return p;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: mapholder DIR\n", stderr);
		return 2;
	}
	pg = sysconf(_SC_PAGESIZE);
	const char *dir = argv[1];
	struct stat sh, pr, al, mf;
	int fsh = make_file(dir, "shared", 3, &sh);
	int fpr = make_file(dir, "private", 1, &pr);
	int fal = make_file(dir, "alone", 1, &al);
	int fmem = memfd_create("ipcx-map-test", MFD_CLOEXEC);
	if (fmem < 0 || ftruncate(fmem, 2 * pg) < 0 || fstat(fmem, &mf) < 0)
		fail("memfd");
	char *mem = map(fmem, 2, 0, PROT_READ | PROT_WRITE, MAP_SHARED);
	mem[0] = 1;
	char *anon = map(-1, 1, 0, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
	anon[0] = 1;
	struct stat gn;
	int fgone = make_file(dir, "gone", 1, &gn);
	char *gone = map(fgone, 1, 0, PROT_READ | PROT_WRITE, MAP_SHARED);
	gone[0] = 1;
	char gpath[4096];
	snprintf(gpath, sizeof(gpath), "%s/gone", dir);
	if (unlink(gpath) < 0)
		fail(gpath);

	/* the child tells its own addresses through a pipe, then waits for the parent to go */
	int addrs[2];
	if (pipe(addrs) < 0)
		fail("pipe");
	child = fork();
	if (child < 0)
		fail("fork");
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(1);
		char *s = map(fsh, 2, 1, PROT_READ, MAP_SHARED);
		char *p = map(fpr, 1, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE);
		p[0] = 1;
		unsigned long v[2] = { (unsigned long)s, (unsigned long)s + 2 * (unsigned long)pg };
		if (write(addrs[1], v, sizeof(v)) != sizeof(v))
			_exit(1);
		for (;;)
			pause();
	}
	close(addrs[1]);
	char *s = map(fsh, 2, 0, PROT_READ | PROT_WRITE, MAP_SHARED);
	char *p = map(fpr, 1, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	char *a = map(fal, 1, 0, PROT_READ | PROT_WRITE, MAP_SHARED);
	s[0] = p[0] = a[0] = 1;
	unsigned long cs[2];
	if (read(addrs[0], cs, sizeof(cs)) != sizeof(cs))
		fail("the child's addresses");

	unsigned long m0 = (unsigned long)mem, s0 = (unsigned long)s;
	printf("mapholder pid=%d child=%d\n", (int)getpid(), (int)child);
	printf("file obj=shared path=%s/shared dev=%u:%u ino=%lu size=%ld mapped=%ld\n", dir,
	       major(sh.st_dev), minor(sh.st_dev), (unsigned long)sh.st_ino, 3 * pg, 3 * pg);
	printf("file obj=memfd path=/memfd:ipcx-map-test dev=%u:%u ino=%lu size=%ld mapped=%ld\n",
	       major(mf.st_dev), minor(mf.st_dev), (unsigned long)mf.st_ino, 2 * pg, 2 * pg);
	printf("file obj=private path=%s/private ino=%lu\n", dir, (unsigned long)pr.st_ino);
	printf("file obj=alone path=%s/alone ino=%lu\n", dir, (unsigned long)al.st_ino);
	printf("file obj=anon path=/dev/zero start=%lx\n", (unsigned long)anon);
	printf("file obj=gone path=%s/gone ino=%lu\n", dir, (unsigned long)gn.st_ino);
	printf("map obj=shared pid=%d start=%lx end=%lx access=rw\n", (int)getpid(), s0, s0 + 2 * pg);
	printf("map obj=shared pid=%d start=%lx end=%lx access=r\n", (int)child, cs[0], cs[1]);
	printf("map obj=memfd pid=%d start=%lx end=%lx access=rw\n", (int)getpid(), m0, m0 + 2 * pg);
	printf("map obj=memfd pid=%d start=%lx end=%lx access=rw\n", (int)child, m0, m0 + 2 * pg);
	printf("ready\n");
	fflush(stdout);

	char buf[256];
	for (;;) {
		ssize_t n = read(0, buf, sizeof(buf));
		if (n == 0 || (n < 0 && errno != EINTR))
			break;
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return 0;
}
