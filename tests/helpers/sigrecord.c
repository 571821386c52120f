/*
 * A target for trace's tests: records every signal its handlers receive,
 * one line each, so that a run under ipcx trace can be compared with a run
 * without it.
 *
 *     sigrecord FILE COUNT [--hold] [--thread] SIG...
 *
 * Installs an SA_SIGINFO handler for each SIG (numbers) and prints
 * "ready PID TID": TID is a worker thread's id with --thread, else the
 * pid. With --hold the signals stay blocked until standard input reaches
 * end of file, so that several can be queued first. Each signal appends
 *
 *     sig=N code=N pid=N uid=N value=N thread=main|worker
 *
 * to FILE (value only for SI_QUEUE, else -); after COUNT signals it
 * exits 0.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <fcntl.h>

static int out_fd;
static volatile sig_atomic_t received;
static pthread_t main_thread;

/* async-signal-safe decimal */
static char *put_num(char *p, long v)
{
	char tmp[24];
	int n = 0;
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
	if (v < 0)
		*p++ = '-';
	do
		tmp[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	char line[256], *p = line;
	p = put_str(p, "sig=");
	p = put_num(p, sig);
	p = put_str(p, " code=");
	p = put_num(p, si->si_code);
	p = put_str(p, " pid=");
	p = put_num(p, si->si_pid);
	p = put_str(p, " uid=");
	p = put_num(p, (long)si->si_uid);
	p = put_str(p, " value=");
	if (si->si_code == SI_QUEUE)
		p = put_num(p, si->si_value.sival_int);
	else
		p = put_str(p, "-");
	p = put_str(p, pthread_equal(pthread_self(), main_thread) ? " thread=main\n" : " thread=worker\n");
	if (write(out_fd, line, (size_t)(p - line)) < 0)
		_exit(3);
	received++;
}

static volatile pid_t worker_tid;

static void *worker(void *arg)
{
	(void)arg;
	worker_tid = (pid_t)syscall(SYS_gettid);
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: sigrecord FILE COUNT [--hold] [--thread] SIG...\n");
		return 2;
	}
	out_fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND | O_TRUNC, 0644);
	if (out_fd < 0) {
		perror(argv[1]);
		return 1;
	}
	long count = atol(argv[2]);
	int i = 3;
	int hold = 0, thread = 0;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--hold"))
			hold = 1;
		else if (!strcmp(argv[i], "--thread"))
			thread = 1;
	}
	main_thread = pthread_self();
	sigset_t set;
	sigemptyset(&set);
	for (int j = i; j < argc; j++) {
		struct sigaction sa = { 0 };
		sa.sa_sigaction = on_signal;
		sa.sa_flags = SA_SIGINFO | SA_RESTART;
		sigfillset(&sa.sa_mask);
		if (sigaction(atoi(argv[j]), &sa, NULL) < 0) {
			perror("sigaction");
			return 1;
		}
		sigaddset(&set, atoi(argv[j]));
	}
	if (hold)
		pthread_sigmask(SIG_BLOCK, &set, NULL);
	pid_t tid = getpid();
	if (thread) {
		/* the worker is made with the signals blocked only under --hold */
		pthread_t t;
		if (pthread_create(&t, NULL, worker, NULL)) {
			fprintf(stderr, "cannot make a thread\n");
			return 1;
		}
		while (!worker_tid)
			usleep(1000);
		tid = worker_tid;
		/* process-directed signals go to the worker only when it asks */
	}
	printf("ready %d %d\n", (int)getpid(), (int)tid);
	fflush(stdout);
	if (hold) {
		char buf[64];
		while (read(0, buf, sizeof(buf)) > 0)
			;
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	}
	while (received < count)
		usleep(1000);
	return 0;
}
