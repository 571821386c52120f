/*
 * Sends a sequence of signals, in order, for trace's tests:
 *
 *     sigsend PID SPEC...
 *
 * SPEC is kill:SIG (kill), queue:SIG:VALUE (sigqueue with a value) or
 * tgkill:TID:SIG (to one thread of PID). Prints its own pid first, so that
 * a test can tell the sender in what was recorded.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: sigsend PID SPEC...\n");
		return 2;
	}
	pid_t pid = (pid_t)atoi(argv[1]);
	printf("%d\n", (int)getpid());
	fflush(stdout);
	for (int i = 2; i < argc; i++) {
		int r;
		if (!strncmp(argv[i], "kill:", 5)) {
			r = kill(pid, atoi(argv[i] + 5));
		} else if (!strncmp(argv[i], "queue:", 6)) {
			char *p;
			int sig = (int)strtol(argv[i] + 6, &p, 10);
			union sigval v = { .sival_int = atoi(p + 1) };
			r = sigqueue(pid, sig, v);
		} else if (!strncmp(argv[i], "tgkill:", 7)) {
			char *p;
			int tid = (int)strtol(argv[i] + 7, &p, 10);
			r = (int)syscall(SYS_tgkill, pid, tid, atoi(p + 1));
		} else {
			fprintf(stderr, "sigsend: bad spec %s\n", argv[i]);
			return 2;
		}
		if (r < 0) {
			perror(argv[i]);
			return 1;
		}
	}
	return 0;
}
