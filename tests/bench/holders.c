/*
 * holders: starts N processes that each hold a few IPC objects, as the
 * load of the who benchmark: an attachment of one System V segment they
 * share, a pipe, a socketpair and an eventfd. Prints "ready" when all of
 * them hold everything, then waits until its stdin ends and takes them
 * down with it.
 *
 * Usage: holders N
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/ipc.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2 || atoi(argv[1]) <= 0) {
		fputs("usage: holders N\n", stderr);
		return 2;
	}
	int n = atoi(argv[1]);
	int shmid = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	if (shmid < 0) {
		perror("shmget");
		return 1;
	}
	int ready[2];
	if (pipe(ready) < 0)
		return 1;
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			/* the children go when the parent goes */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			int p[2], sv[2];
			if (shmat(shmid, NULL, 0) == (void *)-1 || pipe(p) < 0 ||
			    socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || eventfd(0, 0) < 0)
				_exit(1);
			if (write(ready[1], "x", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
	}
	/* the segment goes once the last holder detaches */
	shmctl(shmid, IPC_RMID, NULL);
	char c;
	for (int i = 0; i < n; i++)
		if (read(ready[0], &c, 1) != 1)
			return 1;
	printf("ready\n");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	/* the children die with us (PR_SET_PDEATHSIG) */
	return 0;
}
