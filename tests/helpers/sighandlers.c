/*
 * sighandlers: a process with a known signal state, for the sig and kill
 * suites. It installs handlers with known flags and masks, ignores and
 * blocks known signals, makes some pending, and records every signal its
 * handlers receive, so a test can check what ipcx reports and that the
 * process still runs correctly after ipcx looked inside it.
 *
 * Usage: sighandlers [--threads N] [--wait read|pause|nanosleep|sigsuspend]
 *                    [--no-pending]
 *
 * Handlers (each as sigaction(2) reads it back in this process, printed as
 * "handler SIG addr=0xADDR name=FUNCTION flags=0xFLAGS mask=SIG,SIG"):
 *   SIGUSR1      on_info      SA_SIGINFO|SA_RESTART, mask SIGUSR2,SIGTERM
 *   SIGUSR2      on_plain     SA_ONSTACK|SA_NODEFER (no SA_RESTART)
 *   SIGRTMIN+1   on_info      SA_SIGINFO|SA_RESTART, mask SIGINT
 *   SIGRTMIN+5   on_once      SA_RESETHAND
 *   SIGCHLD      on_plain     SA_NOCLDSTOP|SA_RESTART
 * Ignored: SIGPIPE, SIGXFSZ. Blocked in every thread: SIGINT, SIGQUIT,
 * SIGRTMIN+2. Pending (unless --no-pending): SIGINT on the main thread
 * (raise), SIGQUIT and SIGRTMIN+2 twice on the process (kill, sigqueue).
 * Worker thread i (from 0) also blocks SIGRTMIN+3+i and has it pending.
 *
 * Prints "pid=N", the handler lines, "thread tid=T blocked=SET
 * pending=SET" for the main thread and each worker, then "ready".
 *
 * The main thread then waits as --wait says (read by default):
 *   read        reads commands from stdin, one a line;
 *   pause, nanosleep (100 ms at a time), sigsuspend (the blocked set and SIGUSR2)
 *               wait in that call, forever; a control thread, which blocks
 *               every signal, reads the commands.
 * Commands: "ping" answers "pong"; "log" prints one line per signal
 * received, "got sig=SIG code=N value=N pid=N tid=T", then "end";
 * "state" prints "state wakeups=N eintr=N errors=N last_errno=N mask=SET"
 * (returns of the waiting call: after a handler, interrupted by EINTR,
 * other failures; the blocked set the call returned with); "quit" exits 0. A read interrupted by EINTR also prints
 * "eintr". End of file on stdin exits 0.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_RECORDS 256

struct record {
	int sig, code, value, pid, tid;
};

static struct record records[MAX_RECORDS];
static atomic_int nrecords;
static atomic_int wakeups, eintrs, errors, last_errno;
/* the waiting thread's blocked set after its call last returned */
static atomic_ullong mask_after;

static int gettid_(void)
{
	return (int)syscall(SYS_gettid);
}

void on_info(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	int i = atomic_fetch_add(&nrecords, 1);
	if (i < MAX_RECORDS)
		records[i] = (struct record){ sig, si->si_code, si->si_value.sival_int,
					      (int)si->si_pid, gettid_() };
}

void on_plain(int sig)
{
	int i = atomic_fetch_add(&nrecords, 1);
	if (i < MAX_RECORDS)
		records[i] = (struct record){ sig, 0, 0, 0, gettid_() };
}

void on_once(int sig)
{
	on_plain(sig);
}

static const char *sname(int sig, char *buf, size_t len)
{
	const char *ab = sig < SIGRTMIN ? sigabbrev_np(sig) : NULL;
	if (ab)
		snprintf(buf, len, "SIG%s", ab);
	else if (sig == SIGRTMIN)
		snprintf(buf, len, "SIGRTMIN");
	else if (sig > SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, len, "SIGRTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(buf, len, "%d", sig);
	return buf;
}

static void print_set(const sigset_t *set)
{
	int n = 0;
	for (int sig = 1; sig <= 64; sig++) {
		if (sig > SIGRTMAX || sigismember(set, sig) != 1)
			continue;
		char b[16];
		printf("%s%s", n++ ? "," : "", sname(sig, b, sizeof(b)));
	}
	if (!n)
		printf("-");
}

static void fail(const char *what)
{
	fprintf(stderr, "sighandlers: %s: %s\n", what, strerror(errno));
	exit(1);
}

struct hspec {
	int sig;
	void *fn;
	const char *name;
	int flags;
	int mask[3];
};

static void install(const struct hspec *h)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	if (h->flags & SA_SIGINFO)
		sa.sa_sigaction = (void (*)(int, siginfo_t *, void *))h->fn;
	else
		sa.sa_handler = (void (*)(int))h->fn;
	sa.sa_flags = h->flags;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3 && h->mask[i]; i++)
		sigaddset(&sa.sa_mask, h->mask[i]);
	if (sigaction(h->sig, &sa, NULL) < 0)
		fail("sigaction");
	/* what the kernel kept, read back */
	struct sigaction old;
	sigaction(h->sig, NULL, &old);
	char b[16];
	printf("handler %s addr=%p name=%s flags=0x%x mask=", sname(h->sig, b, sizeof(b)),
	       (h->flags & SA_SIGINFO) ? (void *)old.sa_sigaction : (void *)old.sa_handler,
	       h->name, (unsigned)old.sa_flags);
	print_set(&old.sa_mask);
	printf("\n");
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int workers_ready;
static int npending = 1;

static void report_thread(int extra_pending)
{
	sigset_t cur, pend;
	pthread_sigmask(SIG_BLOCK, NULL, &cur);
	sigemptyset(&pend);
	if (extra_pending)
		sigaddset(&pend, extra_pending);
	printf("thread tid=%d blocked=", gettid_());
	print_set(&cur);
	printf(" pending=");
	print_set(&pend);
	printf("\n");
}

static void *worker(void *arg)
{
	int i = (int)(long)arg;
	int own = SIGRTMIN + 3 + i;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, own);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (npending)
		syscall(SYS_tgkill, getpid(), gettid_(), own);
	pthread_mutex_lock(&lock);
	report_thread(npending ? own : 0);
	fflush(stdout);
	workers_ready++;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	for (;;)
		pause();
	return NULL;
}

/* Answers one command; returns 0 to go on, 1 to quit. */
static int command(const char *line)
{
	if (!strcmp(line, "ping")) {
		printf("pong\n");
	} else if (!strcmp(line, "log")) {
		int n = atomic_load(&nrecords);
		for (int i = 0; i < n && i < MAX_RECORDS; i++) {
			char b[16];
			printf("got sig=%s code=%d value=%d pid=%d tid=%d\n",
			       sname(records[i].sig, b, sizeof(b)), records[i].code,
			       records[i].value, records[i].pid, records[i].tid);
		}
		printf("end\n");
	} else if (!strcmp(line, "state")) {
		printf("state wakeups=%d eintr=%d errors=%d last_errno=%d mask=", atomic_load(&wakeups),
		       atomic_load(&eintrs), atomic_load(&errors), atomic_load(&last_errno));
		sigset_t m;
		sigemptyset(&m);
		unsigned long long bits = atomic_load(&mask_after);
		for (int sig = 1; sig <= 64 && sig <= SIGRTMAX; sig++)
			if (bits >> (sig - 1) & 1)
				sigaddset(&m, sig);
		print_set(&m);
		printf("\n");
	} else if (!strcmp(line, "quit")) {
		return 1;
	} else {
		printf("unknown command %s\n", line);
	}
	fflush(stdout);
	return 0;
}

/* Reads commands from stdin; a read that EINTR interrupts is counted and said. */
static void read_commands(void)
{
	char buf[256];
	size_t len = 0;
	for (;;) {
		ssize_t r = read(0, buf + len, sizeof(buf) - 1 - len);
		if (r < 0) {
			if (errno == EINTR) {
				atomic_fetch_add(&eintrs, 1);
				printf("eintr\n");
				fflush(stdout);
				continue;
			}
			atomic_fetch_add(&errors, 1);
			atomic_store(&last_errno, errno);
			fail("read");
		}
		if (r == 0)
			exit(0);
		len += (size_t)r;
		buf[len] = '\0';
		char *nl;
		while ((nl = strchr(buf, '\n')) != NULL) {
			*nl = '\0';
			if (command(buf))
				exit(0);
			len -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, len + 1);
		}
		if (len >= sizeof(buf) - 1)
			len = 0;
	}
}

static void *control(void *arg)
{
	(void)arg;
	read_commands();
	return NULL;
}

static void count_return(long r)
{
	if (r == 0) {
		atomic_fetch_add(&wakeups, 1);
	} else if (errno == EINTR) {
		atomic_fetch_add(&eintrs, 1);
	} else {
		atomic_fetch_add(&errors, 1);
		atomic_store(&last_errno, errno);
	}
}

/*
 * Ignored signals are inherited through exec: whatever ignored some (a
 * CI runner, a shell) must not show in the sets the tests compare. The
 * raw system call, because glibc refuses its own signals 32 and 33.
 */
static void reset_dispositions(void)
{
	struct {
		void *handler;
		unsigned long flags;
		void *restorer;
		unsigned long mask;
	} dfl = { SIG_DFL, 0, NULL, 0 };
	for (int sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask));
}

int main(int argc, char **argv)
{
	reset_dispositions();
	int nthreads = 0;
	const char *wait = "read";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--threads") && i + 1 < argc)
			nthreads = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--wait") && i + 1 < argc)
			wait = argv[++i];
		else if (!strcmp(argv[i], "--no-pending"))
			npending = 0;
		else {
			fprintf(stderr, "sighandlers: unknown argument %s\n", argv[i]);
			return 2;
		}
	}
	printf("pid=%d\n", (int)getpid());

	static char altstack[65536];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	if (sigaltstack(&ss, NULL) < 0)
		fail("sigaltstack");
	const struct hspec handlers[] = {
		{ SIGUSR1, (void *)on_info, "on_info", SA_SIGINFO | SA_RESTART, { SIGUSR2, SIGTERM } },
		{ SIGUSR2, (void *)on_plain, "on_plain", SA_ONSTACK | SA_NODEFER, { 0 } },
		{ SIGRTMIN + 1, (void *)on_info, "on_info", SA_SIGINFO | SA_RESTART, { SIGINT } },
		{ SIGRTMIN + 5, (void *)on_once, "on_once", SA_RESETHAND, { 0 } },
		{ SIGCHLD, (void *)on_plain, "on_plain", SA_NOCLDSTOP | SA_RESTART, { 0 } },
	};
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		install(&handlers[i]);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);

	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, SIGRTMIN + 2);
	sigprocmask(SIG_BLOCK, &block, NULL);
	fflush(stdout);

	pthread_t t;
	for (int i = 0; i < nthreads; i++)
		if (pthread_create(&t, NULL, worker, (void *)(long)i) != 0)
			fail("pthread_create");
	pthread_mutex_lock(&lock);
	while (workers_ready < nthreads)
		pthread_cond_wait(&cond, &lock);
	if (npending) {
		raise(SIGINT);
		kill(getpid(), SIGQUIT);
		sigqueue(getpid(), SIGRTMIN + 2, (union sigval){ .sival_int = 1 });
		sigqueue(getpid(), SIGRTMIN + 2, (union sigval){ .sival_int = 2 });
	}
	report_thread(npending ? SIGINT : 0);
	pthread_mutex_unlock(&lock);

	if (!strcmp(wait, "read")) {
		printf("ready\n");
		fflush(stdout);
		read_commands();
	}
	/* the control thread takes no signal: they go to the waiting thread */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (pthread_create(&t, NULL, control, NULL) != 0)
		fail("pthread_create");
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		sigset_t now;
		unsigned long long bits = 0;
		pthread_sigmask(SIG_BLOCK, NULL, &now);
		for (int sig = 1; sig <= 64 && sig <= SIGRTMAX; sig++)
			if (sigismember(&now, sig) == 1)
				bits |= 1ULL << (sig - 1);
		atomic_store(&mask_after, bits);
		if (!strcmp(wait, "pause")) {
			pause();
			/* pause returns only after a handler, always with EINTR */
			atomic_fetch_add(&wakeups, 1);
		} else if (!strcmp(wait, "nanosleep")) {
			struct timespec ts = { 0, 100000000 };
			count_return(nanosleep(&ts, NULL));
		} else if (!strcmp(wait, "sigsuspend")) {
			/* waits with SIGUSR2 blocked too; returns with the old mask */
			sigset_t during = old;
			sigaddset(&during, SIGUSR2);
			sigsuspend(&during);
			atomic_fetch_add(&wakeups, 1);
		} else {
			fprintf(stderr, "sighandlers: unknown --wait %s\n", wait);
			return 2;
		}
	}
}
