/*
 * What the checks need of the processes, read once before any namespace
 * is entered: the threads blocked in IPC system calls, with how long each
 * has been blocked, and the users that have a process.
 *
 * No file says when a thread began to wait. The scheduler's statistics
 * come closest: se.exec_start in /proc/PID/task/TID/sched is the run-queue
 * clock when the thread last ran, which for a thread asleep in a system
 * call is when it went to sleep. Our own thread's value, read at once, is
 * the same clock now; the difference is the time blocked. A thread woken
 * and put back to sleep (a signal, a spurious wake-up) starts again from
 * zero, so the figure never overstates the wait. A kernel built without
 * CONFIG_SCHED_DEBUG has no such file: the time is then unknown (< 0).
 *
 * The clock is each CPU's own: it leaves out the time spent in interrupts
 * and, on a virtual machine, stolen by the host, so two CPUs' clocks drift
 * apart by seconds (4 s after a day on a 2-CPU guest). Our value is read
 * on the CPU the thread last ran on, which is the one whose clock stamped
 * it, by moving our thread there for the moment of the read.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../pscan.h"
#include "../util.h"
#include "check.h"

/* The system calls that wait on an IPC object, and the kind they wait on. */
static const struct {
	long nr;
	const char *kind;
} ipc_calls[] = {
	{ SYS_msgsnd, "msg" },
	{ SYS_msgrcv, "msg" },
	{ SYS_semop, "sem" },
	{ SYS_semtimedop, "sem" },
	{ SYS_mq_timedsend, "pmsg" },
	{ SYS_mq_timedreceive, "pmsg" },
};

static const char *kind_of_call(long nr)
{
	for (size_t i = 0; i < sizeof(ipc_calls) / sizeof(ipc_calls[0]); i++)
		if (ipc_calls[i].nr == nr)
			return ipc_calls[i].kind;
	return NULL;
}

/* se.exec_start of a sched file, in milliseconds; < 0 when absent. */
static double exec_start(const char *path)
{
	char *s = read_file(path, NULL);
	if (!s)
		return -1;
	double v = -1;
	char *p = strstr(s, "se.exec_start");
	if (p && (p = strchr(p, ':')))
		v = strtod(p + 1, NULL);
	free(s);
	return v;
}

/* Whether the thread sleeps now (S or D in its stat), its command, and
 * the CPU it last ran on (field 39). */
static bool asleep(pid_t pid, pid_t tid, char *comm, size_t len, int *cpu)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	char *s = read_file(path, NULL);
	if (!s)
		return false;
	char *open = strchr(s, '('), *close = strrchr(s, ')');
	bool r = false;
	if (open && close && close > open) {
		size_t n = (size_t)(close - open - 1);
		if (n >= len)
			n = len - 1;
		memcpy(comm, open + 1, n);
		comm[n] = '\0';
		r = close[1] == ' ' && (close[2] == 'S' || close[2] == 'D');
		char *f = close + 1;
		for (int i = 3; i < 39 && f; i++)
			f = strchr(f + 1, ' ');
		*cpu = f ? atoi(f + 1) : -1;
	}
	free(s);
	return r;
}

/*
 * The run-queue clock of one CPU now: our own se.exec_start, read while
 * our thread runs there. Moving there sets it, since a thread's stamp is
 * renewed when it starts to run on a CPU. Each CPU is read once per run.
 */
struct cpu_clocks {
	cpu_set_t home;		/* our affinity, given back at the end */
	bool moved, have_home;
	double *now;		/* per CPU; NAN: not read yet */
	int ncpu;
};

static double clock_on(struct cpu_clocks *cc, int cpu)
{
	if (cpu < 0 || cpu >= CPU_SETSIZE)
		return -1;
	if (cpu >= cc->ncpu) {
		cc->now = xrealloc(cc->now, (size_t)(cpu + 1) * sizeof(*cc->now));
		for (int i = cc->ncpu; i <= cpu; i++)
			cc->now[i] = NAN;
		cc->ncpu = cpu + 1;
	}
	if (!isnan(cc->now[cpu]))
		return cc->now[cpu];
	if (!cc->have_home)
		cc->have_home = sched_getaffinity(0, sizeof(cc->home), &cc->home) == 0;
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	/* a CPU our cpuset leaves out gives no reading: unknown, not a guess */
	double v = -1;
	if (cc->have_home && sched_setaffinity(0, sizeof(one), &one) == 0) {
		cc->moved = true;
		if (sched_getcpu() == cpu)
			v = exec_start("/proc/thread-self/sched");
	}
	return cc->now[cpu] = v;
}

static void clocks_done(struct cpu_clocks *cc)
{
	if (cc->moved)
		sched_setaffinity(0, sizeof(cc->home), &cc->home);
	free(cc->now);
}

void waits_collect(bool all_ns, struct ipc_wait **vp, size_t *np)
{
	const struct pscan *ps = pscan_get(PS_WAITS);
	struct ipc_wait *v = NULL;
	size_t n = 0;
	struct stat st;
	ino_t own = stat("/proc/self/ns/ipc", &st) == 0 ? st.st_ino : 0;
	struct cpu_clocks cc = { .now = NULL };
	for (size_t i = 0; i < ps->n; i++) {
		const struct ps_proc *p = &ps->v[i];
		if (!all_ns && !p->same_ipcns)
			continue;
		for (size_t j = 0; j < p->nwaits; j++) {
			const struct ps_wait *w = &p->waits[j];
			const char *kind = kind_of_call(w->nr);
			if (!kind)
				continue;
			struct ipc_wait x = { .pid = p->pid, .tid = w->tid, .nr = w->nr,
					      .arg0 = w->arg0, .kind = kind, .blocked = -1 };
			/* a thread that woke since the walk waits no more */
			int cpu = -1;
			if (!asleep(p->pid, w->tid, x.comm, sizeof(x.comm), &cpu))
				continue;
			char path[64];
			snprintf(path, sizeof(path), "/proc/%d/ns/ipc", (int)p->pid);
			x.ns = p->same_ipcns ? own : stat(path, &st) == 0 ? st.st_ino : 0;
			snprintf(path, sizeof(path), "/proc/%d/task/%d/sched", (int)p->pid, (int)w->tid);
			double start = exec_start(path), now = start >= 0 ? clock_on(&cc, cpu) : -1;
			if (start < 0)
				x.unknown = "no /proc/PID/sched";
			else if (now < 0)
				x.unknown = "its CPU is outside ipcx's own";
			else
				x.blocked = now > start ? (now - start) / 1000 : 0;
			v = xrealloc(v, (n + 1) * sizeof(*v));
			v[n++] = x;
		}
	}
	clocks_done(&cc);
	*vp = v;
	*np = n;
}

static int by_uid(const void *a, const void *b)
{
	uid_t x = *(const uid_t *)a, y = *(const uid_t *)b;
	return (x > y) - (x < y);
}

void uids_collect(uid_t **vp, size_t *np)
{
	uid_t *v = NULL;
	size_t n = 0;
	DIR *d = opendir("/proc");
	struct dirent *de;
	while (d && (de = readdir(d))) {
		struct stat st;
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		/* /proc/PID belongs to the process's effective user */
		if (fstatat(dirfd(d), de->d_name, &st, 0) < 0)
			continue;
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = st.st_uid;
	}
	if (d)
		closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), by_uid);
	*vp = v;
	*np = n;
}

bool uid_has_process(const struct check_ctx *c, uid_t uid)
{
	return c->nuids && bsearch(&uid, c->uids, c->nuids, sizeof(uid), by_uid);
}
