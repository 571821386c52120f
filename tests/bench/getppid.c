/*
 * The traced program of tests/bench/trace.sh: N getppid() system calls,
 * nothing else, timed from inside.
 *
 *     getppid N [--wait]
 *
 * With --wait it first reads standard input to its end, so that a tracer
 * can attach to it before the loop. Prints the loop's wall time and the
 * CPU time the process spent in it, in microseconds: on a loaded machine
 * the wall time also counts the time others had the CPU.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000000;
	if (argc > 2 && !strcmp(argv[2], "--wait")) {
		char buf[64];
		while (read(0, buf, sizeof(buf)) > 0)
			;
	}
	struct timespec a, b, ca, cb;
	clock_gettime(CLOCK_MONOTONIC, &a);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ca);
	/* the system call itself, not a cached value of the C library */
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cb);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%lld %lld\n",
	       ((long long)(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec)) / 1000,
	       ((long long)(cb.tv_sec - ca.tv_sec) * 1000000000LL + (cb.tv_nsec - ca.tv_nsec)) / 1000);
	return 0;
}
