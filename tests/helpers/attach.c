/*
 * attach: uses an existing IPC object the way a real client would, so the
 * suites can check what ipcx sees (NATTCH, rm's safety checks) while
 * something holds it.
 *
 * Usage: attach shm ID [ro]   shmat() the System V segment ID
 *        attach map PATH      mmap() the file MAP_SHARED, then close it:
 *                             the mapping alone keeps the object in use
 *        attach open PATH     open() the file and keep the descriptor
 *        attach psem NAME     sem_open() the named semaphore
 *        attach mq NAME       mq_open() the queue and keep it open
 *        attach make-shm SIZE create a private segment, unattached: this
 *                             process is its creator (CPID) while it runs
 *        attach dump ID       copy the System V segment's bytes to stdout
 *                             and exit: a reader independent of ipcx
 *
 * Prints "ready" once it holds the object, with what the kernel says of it
 * for some modes ("ready value=N" from sem_getvalue, "ready curmsgs=N
 * maxmsg=N msgsize=N" from mq_getattr, "ready id=N"), then waits until its
 * stdin reaches end of file or it receives SIGTERM, and exits 0.
 * Errors: a line on stderr, exit 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hold.h"

static void fail(const char *what)
{
	fprintf(stderr, "attach: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: attach shm ID [ro] | map PATH | open PATH | psem NAME | mq NAME |\n"
		      "              make-shm SIZE | dump ID\n", stderr);
		return 2;
	}
	const char *how = argv[1], *what = argv[2];
	if (!strcmp(how, "shm")) {
		bool ro = argc > 3 && !strcmp(argv[3], "ro");
		if (shmat(atoi(what), NULL, ro ? SHM_RDONLY : 0) == (void *)-1)
			fail("shmat");
		puts("ready");
	} else if (!strcmp(how, "map") || !strcmp(how, "open")) {
		int fd = open(what, O_RDWR);
		if (fd < 0)
			fail("open");
		if (!strcmp(how, "map")) {
			struct stat st;
			if (fstat(fd, &st) < 0)
				fail("fstat");
			/* an empty file cannot be mapped: map one page past its end */
			size_t len = st.st_size ? (size_t)st.st_size : 4096;
			if (mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED)
				fail("mmap");
			close(fd);
		}
		puts("ready");
	} else if (!strcmp(how, "psem")) {
		sem_t *s = sem_open(what, 0);
		int v;
		if (s == SEM_FAILED)
			fail("sem_open");
		if (sem_getvalue(s, &v) < 0)
			fail("sem_getvalue");
		printf("ready value=%d\n", v);
	} else if (!strcmp(how, "mq")) {
		struct mq_attr a;
		mqd_t q = mq_open(what, O_RDWR);
		if (q == (mqd_t)-1)
			fail("mq_open");
		if (mq_getattr(q, &a) < 0)
			fail("mq_getattr");
		printf("ready curmsgs=%ld maxmsg=%ld msgsize=%ld\n", a.mq_curmsgs, a.mq_maxmsg,
		       a.mq_msgsize);
	} else if (!strcmp(how, "make-shm")) {
		int id = shmget(IPC_PRIVATE, (size_t)atol(what), IPC_CREAT | 0600);
		if (id < 0)
			fail("shmget");
		printf("ready id=%d\n", id);
	} else if (!strcmp(how, "dump")) {
		struct shmid_ds ds;
		int id = atoi(what);
		if (shmctl(id, IPC_STAT, &ds) < 0)
			fail("shmctl");
		const char *p = shmat(id, NULL, SHM_RDONLY);
		if (p == (void *)-1)
			fail("shmat");
		for (size_t off = 0; off < ds.shm_segsz;) {
			ssize_t n = write(1, p + off, ds.shm_segsz - off);
			if (n < 0)
				fail("write");
			off += (size_t)n;
		}
		return 0;
	} else {
		fprintf(stderr, "attach: unknown mode '%s'\n", how);
		return 2;
	}
	fflush(stdout);
	hold(NULL);
	return 0;
}
