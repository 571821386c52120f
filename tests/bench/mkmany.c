/*
 * Creates many IPC objects for tests/bench/ls.sh, then stays alive until
 * it is signalled, so that the COMMAND columns of the listings find a
 * running creator, as they would for a real server.
 *
 * Usage: mkmany TAG NSHM NMSG NSEM NPSHM NPMSG NPSEM
 *
 * TAG keeps the keys and names of two runs apart (a second run grows the
 * set). Prints "ready" on stdout once every object exists. Meant to run
 * only inside the private IPC namespace the benchmark sets up: it never
 * removes anything, the namespace's end does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

static void fail(const char *what, long i)
{
	fprintf(stderr, "mkmany: %s #%ld: %s\n", what, i, strerror(errno));
	exit(1);
}

static long count(const char *s)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > 1000000) {
		fprintf(stderr, "mkmany: bad count '%s'\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	if (argc != 8) {
		fputs("usage: mkmany TAG NSHM NMSG NSEM NPSHM NPMSG NPSEM\n", stderr);
		return 2;
	}
	long tag = count(argv[1]);
	long nshm = count(argv[2]), nmsg = count(argv[3]), nsem = count(argv[4]);
	long npshm = count(argv[5]), npmsg = count(argv[6]), npsem = count(argv[7]);

	/* every queue is charged to RLIMIT_MSGQUEUE: raise it as far as allowed */
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	if (setrlimit(RLIMIT_MSGQUEUE, &rl) < 0 && getrlimit(RLIMIT_MSGQUEUE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_MSGQUEUE, &rl);
	}

	/* distinct keys, as real applications use; the tag keeps runs apart */
	key_t base = (key_t)(0x1c000000 + tag * 0x100000);
	for (long i = 0; i < nshm; i++)
		if (shmget(base + (key_t)i, 4096, IPC_CREAT | IPC_EXCL | 0640) < 0)
			fail("shmget", i);
	for (long i = 0; i < nmsg; i++)
		if (msgget(base + (key_t)i, IPC_CREAT | IPC_EXCL | 0620) < 0)
			fail("msgget", i);
	for (long i = 0; i < nsem; i++)
		if (semget(base + (key_t)i, 1, IPC_CREAT | IPC_EXCL | 0600) < 0)
			fail("semget", i);

	char name[64];
	for (long i = 0; i < npshm; i++) {
		snprintf(name, sizeof(name), "/bench-shm-%ld-%06ld", tag, i);
		int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0640);
		if (fd < 0)
			fail("shm_open", i);
		/* sized but never touched: tmpfs allocates no pages for it */
		if (ftruncate(fd, 4096) < 0)
			fail("ftruncate", i);
		close(fd);
	}
	/* the smallest queues, so thousands fit in the default limits */
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 16 };
	for (long i = 0; i < npmsg; i++) {
		snprintf(name, sizeof(name), "/bench-mq-%ld-%06ld", tag, i);
		mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0640, &attr);
		if (q == (mqd_t)-1)
			fail("mq_open", i);
		mq_close(q);
	}
	for (long i = 0; i < npsem; i++) {
		snprintf(name, sizeof(name), "/bench-sem-%ld-%06ld", tag, i);
		sem_t *s = sem_open(name, O_CREAT | O_EXCL, 0640, 1);
		if (s == SEM_FAILED)
			fail("sem_open", i);
		sem_close(s);
	}

	puts("ready");
	fflush(stdout);
	for (;;)
		pause();
}
