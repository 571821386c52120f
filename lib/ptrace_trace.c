/*
 * The tracer engine. Restarts are PTRACE_CONT (with the signal that was
 * about to be delivered) and PTRACE_LISTEN (for a group-stop), never
 * PTRACE_SYSCALL: a tracee stops only when a signal reaches it, so its
 * system calls cost what they cost untraced.
 *
 * The loop sleeps in poll on a signalfd that takes SIGCHLD (the kernel
 * sends it to the tracer for every ptrace-stop and exit of a tracee) and
 * the signals that end the trace: a signal cannot slip in between a check
 * and a blocking wait, as it could with a handler.
 */
#include "ptrace_trace.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptrace_perm.h"
#include "util.h"

struct tracee {
	pid_t tid, pid;
	bool listening;		/* in a group-stop, restarted with PTRACE_LISTEN */
	bool exitkill;		/* launched (or a descendant): dies with the tracer */
	bool detaching;		/* interrupted, to be detached at its next stop */
};

struct tracer {
	struct tracer_opts o;
	struct tracee *v;
	size_t n, cap;
	pid_t *stopped;		/* processes in a group-stop, reported once for all threads */
	size_t nstopped, capstopped;
	pid_t launched;
	int launch_status;
	sigset_t ends;		/* SIGCHLD and the signals that end the trace */
	sigset_t oldmask;	/* the mask before, which a launched command gets */
};

struct tracer *tracer_new(const struct tracer_opts *o)
{
	struct tracer *t = xcalloc(1, sizeof(*t));
	t->o = *o;
	t->launch_status = -1;
	/* blocked from the start: read through a signalfd by tracer_run */
	sigemptyset(&t->ends);
	sigaddset(&t->ends, SIGCHLD);
	sigaddset(&t->ends, SIGINT);
	sigaddset(&t->ends, SIGTERM);
	sigaddset(&t->ends, SIGHUP);
	/* output to a closed pipe ends the trace cleanly, not the tracer */
	sigaddset(&t->ends, SIGPIPE);
	sigprocmask(SIG_BLOCK, &t->ends, &t->oldmask);
	return t;
}

void tracer_free(struct tracer *t)
{
	if (!t)
		return;
	free(t->v);
	free(t->stopped);
	sigprocmask(SIG_SETMASK, &t->oldmask, NULL);
	free(t);
}

int tracer_launch_status(const struct tracer *t)
{
	return t->launch_status;
}

static struct tracee *find(struct tracer *t, pid_t tid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].tid == tid)
			return &t->v[i];
	return NULL;
}

static struct tracee *add(struct tracer *t, pid_t tid, pid_t pid, bool exitkill)
{
	struct tracee *tr = find(t, tid);
	if (tr)
		return tr;
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	tr = &t->v[t->n++];
	*tr = (struct tracee){ .tid = tid, .pid = pid, .exitkill = exitkill };
	return tr;
}

static void drop(struct tracer *t, pid_t tid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].tid == tid) {
			t->v[i] = t->v[--t->n];
			return;
		}
}

static bool is_stopped(const struct tracer *t, pid_t pid)
{
	for (size_t i = 0; i < t->nstopped; i++)
		if (t->stopped[i] == pid)
			return true;
	return false;
}

static void set_stopped(struct tracer *t, pid_t pid, bool on)
{
	for (size_t i = 0; i < t->nstopped; i++)
		if (t->stopped[i] == pid) {
			if (!on)
				t->stopped[i] = t->stopped[--t->nstopped];
			return;
		}
	if (!on)
		return;
	if (t->nstopped == t->capstopped) {
		t->capstopped = t->capstopped ? 2 * t->capstopped : 8;
		t->stopped = xrealloc(t->stopped, t->capstopped * sizeof(*t->stopped));
	}
	t->stopped[t->nstopped++] = pid;
}

/* A number after "Name:" in /proc/TID/status; -1 when absent. */
static long status_field(pid_t tid, const char *name)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	char *text = read_file(path, NULL);
	if (!text)
		return -1;
	long v = -1;
	size_t len = strlen(name);
	for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (!strncmp(line, name, len) && line[len] == ':') {
			v = strtol(line + len + 1, NULL, 10);
			break;
		}
	free(text);
	return v;
}

static void emit(struct tracer *t, struct trace_event *ev)
{
	if (t->o.cb)
		t->o.cb(ev, t->o.arg);
}

static void event_init(struct trace_event *ev, enum trace_ev type, const struct tracee *tr)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->pid = tr->pid;
	ev->tid = tr->tid;
	clock_gettime(CLOCK_REALTIME, &ev->when);
}

static unsigned long seize_options(const struct tracer *t, bool exitkill)
{
	/*
	 * TRACEEXEC always: without it a seized tracee gets a SIGTRAP after
	 * execve, which it would not get untraced. TRACECLONE always: the
	 * threads a process makes later are followed; processes made by
	 * clone are left unless following.
	 */
	unsigned long opts = PTRACE_O_TRACEEXEC | PTRACE_O_TRACECLONE;
	if (t->o.follow)
		opts |= PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;
	if (exitkill)
		opts |= PTRACE_O_EXITKILL;
	return opts;
}

/* Why ptrace refused pid, as a sentence; malloc'd. */
static char *eperm_reason(pid_t pid)
{
	char why[256];
	ptrace_eperm_why(pid, why, sizeof(why));
	return xstrdup(why);
}

static int seize(struct tracer *t, pid_t tid, pid_t pid, bool exitkill)
{
	if (ptrace(PTRACE_SEIZE, tid, 0, seize_options(t, exitkill)) < 0)
		return -errno;
	add(t, tid, pid, exitkill);
	return 0;
}

int tracer_attach(struct tracer *t, pid_t pid, char **why)
{
	char path[64];
	*why = NULL;
	long tgid = status_field(pid, "Tgid");
	if (tgid < 0) {
		*why = xstrdup("no such process");
		return -ESRCH;
	}
	if (tgid != pid) {
		*why = xasprintf("%d is a thread of process %ld: trace the process", (int)pid, tgid);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	/* threads made meanwhile are seized by TRACECLONE, or seen by the next scan */
	for (bool found = true; found;) {
		found = false;
		DIR *d = opendir(path);
		if (!d) {
			*why = xasprintf("cannot read %s: %s", path, strerror(errno));
			return -errno;
		}
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (!isdigit((unsigned char)e->d_name[0]))
				continue;
			pid_t tid = (pid_t)atoi(e->d_name);
			if (find(t, tid))
				continue;
			int r = seize(t, tid, pid, false);
			if (r == -ESRCH)
				continue;	/* the thread ended */
			if (r == -EPERM && status_field(tid, "TracerPid") == getpid()) {
				/* seized already, by TRACECLONE of its creator */
				add(t, tid, pid, false);
				r = 0;
			}
			if (r < 0) {
				closedir(d);
				*why = r == -EPERM ? eperm_reason(tid) : xstrdup(strerror(-r));
				return r;
			}
			found = true;
		}
		closedir(d);
	}
	return 0;
}

pid_t tracer_launch(struct tracer *t, char *const argv[], char **why)
{
	int p[2];
	*why = NULL;
	if (pipe2(p, O_CLOEXEC) < 0) {
		*why = xasprintf("cannot make a pipe: %s", strerror(errno));
		return -errno;
	}
	fflush(NULL);
	pid_t child = fork();
	if (child < 0) {
		int e = errno;
		*why = xasprintf("cannot fork: %s", strerror(e));
		close(p[0]);
		close(p[1]);
		return -e;
	}
	if (child == 0) {
		char c;
		close(p[1]);
		sigprocmask(SIG_SETMASK, &t->oldmask, NULL);
		/* end of file: seized; a byte: the tracer gave up */
		ssize_t r;
		while ((r = read(p[0], &c, 1)) < 0 && errno == EINTR)
			;
		if (r != 0)
			_exit(127);
		execvp(argv[0], argv);
		int e = errno;
		err_msg("cannot run '%s': %s", argv[0], strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	close(p[0]);
	int r = seize(t, child, child, t->o.kill_on_exit);
	if (r < 0) {
		*why = r == -EPERM ? eperm_reason(child) : xstrdup(strerror(-r));
		if (write(p[1], "x", 1) < 0) {
			/* the child sees end of file and runs untraced: end it */
			kill(child, SIGKILL);
		}
		close(p[1]);
		waitpid(child, NULL, 0);
		return r;
	}
	t->launched = child;
	close(p[1]);
	return child;
}

static bool stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* A tracee the kernel attached for us (a new thread or followed process). */
static struct tracee *adopt(struct tracer *t, pid_t tid, const struct tracee *parent)
{
	long tgid = status_field(tid, "Tgid");
	pid_t pid = tgid > 0 ? (pid_t)tgid : tid;
	bool exitkill = parent ? parent->exitkill : false;
	if (!parent) {
		/* its creator's event has not come yet: its process says */
		for (size_t i = 0; i < t->n; i++)
			if (t->v[i].pid == pid) {
				exitkill = t->v[i].exitkill;
				break;
			}
	}
	return add(t, tid, pid, exitkill);
}

static void restart(pid_t tid, int req, int sig)
{
	/* ESRCH: it was killed (SIGKILL) while stopped; its exit comes next */
	ptrace(req, tid, 0, (long)sig);
}

/* The exit of a thread; the process's, when it is the leader. */
static void on_exit_status(struct tracer *t, pid_t tid, int status)
{
	struct tracee *tr = find(t, tid);
	if (tid == t->launched)
		t->launch_status = status;
	if (!tr)
		return;
	struct tracee copy = *tr;
	drop(t, tid);
	if (copy.tid != copy.pid)
		return;
	set_stopped(t, copy.pid, false);
	if (copy.detaching)
		return;
	struct trace_event ev;
	event_init(&ev, WIFEXITED(status) ? TEV_EXIT : TEV_KILLED, &copy);
	if (WIFEXITED(status)) {
		ev.code = WEXITSTATUS(status);
	} else {
		ev.sig = WTERMSIG(status);
		ev.core = WCOREDUMP(status);
	}
	emit(t, &ev);
}

static void on_new_child(struct tracer *t, struct tracee *parent, int event)
{
	unsigned long msg = 0;
	pid_t ppid = parent->pid, ptid = parent->tid;
	bool exitkill = parent->exitkill, detaching = parent->detaching;
	if (ptrace(PTRACE_GETEVENTMSG, ptid, 0, &msg) < 0 || !msg)
		return;
	pid_t child = (pid_t)msg;
	struct tracee *c = find(t, child);
	if (!c) {
		long tgid = status_field(child, "Tgid");
		/* a thread (CLONE_THREAD) shares the parent's process */
		pid_t pid = event == PTRACE_EVENT_CLONE && tgid == ppid ? ppid : child;
		c = add(t, child, pid, exitkill);
	}
	/*
	 * A new process is followed only when asked; without, it can still
	 * come here from clone without CLONE_THREAD and with an exit signal
	 * other than SIGCHLD, which TRACECLONE catches: it is let go at its
	 * first stop.
	 */
	bool leave = detaching || (c->pid != ppid && !t->o.follow);
	c->detaching = leave;
	if (c->pid != ppid && !leave) {
		struct trace_event ev;
		struct tracee p = { .tid = ptid, .pid = ppid };
		event_init(&ev, TEV_FORK, &p);
		ev.child = child;
		emit(t, &ev);
	}
}

static void on_stop(struct tracer *t, pid_t tid, int status)
{
	int sig = WSTOPSIG(status);
	int event = (unsigned)status >> 16;
	struct tracee *tr = find(t, tid);
	if (!tr)
		tr = adopt(t, tid, NULL);

	if (tr->detaching) {
		/* the last stop before leaving it: a signal goes with the detach */
		int give = 0;
		siginfo_t si;
		if (event == 0 && ptrace(PTRACE_GETSIGINFO, tid, 0, &si) == 0)
			give = sig;
		if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
		    event == PTRACE_EVENT_CLONE)
			on_new_child(t, tr, event);
		ptrace(PTRACE_DETACH, tid, 0, (long)give);
		drop(t, tid);
		return;
	}

	switch (event) {
	case 0: {
		siginfo_t si;
		if (ptrace(PTRACE_GETSIGINFO, tid, 0, &si) < 0) {
			/*
			 * EINVAL: a group-stop of a tracee not seized (never here);
			 * ESRCH: killed meanwhile.
			 */
			if (errno == EINVAL)
				restart(tid, PTRACE_LISTEN, 0);
			return;
		}
		struct trace_event ev;
		event_init(&ev, TEV_SIGNAL, tr);
		ev.sig = sig;
		ev.si = si;
		emit(t, &ev);
		/* exactly the signal that came, with its siginfo left as it was */
		restart(tid, PTRACE_CONT, sig);
		return;
	}
	case PTRACE_EVENT_STOP:
		/*
		 * A group-stop reports the stopping signal (and PTRACE_GETSIGINFO
		 * would fail with EINVAL for an unseized tracee); anything else
		 * (a new tracee's first stop, PTRACE_INTERRUPT, or the notice
		 * that a listening tracee was continued) reports SIGTRAP.
		 */
		if (stop_signal(sig)) {
			tr->listening = true;
			if (!is_stopped(t, tr->pid)) {
				set_stopped(t, tr->pid, true);
				struct trace_event ev;
				event_init(&ev, TEV_STOP, tr);
				ev.tid = tr->tid;
				ev.sig = sig;
				emit(t, &ev);
			}
			restart(tid, PTRACE_LISTEN, 0);
			return;
		}
		if (tr->listening) {
			tr->listening = false;
			if (is_stopped(t, tr->pid)) {
				set_stopped(t, tr->pid, false);
				struct trace_event ev;
				event_init(&ev, TEV_CONT, tr);
				emit(t, &ev);
			}
		}
		restart(tid, PTRACE_CONT, 0);
		return;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_new_child(t, tr, event);
		restart(tid, PTRACE_CONT, 0);
		return;
	case PTRACE_EVENT_EXEC: {
		unsigned long former = 0;
		/* a thread that execs takes the leader's id; its own id is gone */
		if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &former) == 0 && (pid_t)former != tid)
			drop(t, (pid_t)former);
		tr = find(t, tid);
		if (tr) {
			struct trace_event ev;
			event_init(&ev, TEV_EXEC, tr);
			emit(t, &ev);
		}
		restart(tid, PTRACE_CONT, 0);
		return;
	}
	default:
		restart(tid, PTRACE_CONT, 0);
		return;
	}
}

static void handle(struct tracer *t, pid_t tid, int status)
{
	if (WIFEXITED(status) || WIFSIGNALED(status))
		on_exit_status(t, tid, status);
	else if (WIFSTOPPED(status))
		on_stop(t, tid, status);
}

static bool any_detaching(const struct tracer *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].detaching)
			return true;
	return false;
}

/*
 * PTRACE_DETACH needs a tracee in a ptrace-stop, and neither a running
 * tracee nor a listening one is: each is interrupted, and detached at the
 * stop that follows, with the signal of that stop when it is a delivery.
 * A tracee in a group-stop goes back to it when detached.
 */
void tracer_detach_all(struct tracer *t)
{
	for (size_t i = 0; i < t->n;) {
		struct tracee *tr = &t->v[i];
		if (t->o.kill_on_exit && tr->exitkill) {
			/* PTRACE_O_EXITKILL ends it when the tracer exits */
			drop(t, tr->tid);
			continue;
		}
		tr->detaching = true;
		ptrace(PTRACE_INTERRUPT, tr->tid, 0, 0);
		i++;
	}
	while (any_detaching(t)) {
		int status;
		pid_t tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		struct tracee *tr = find(t, tid);
		if (tr && tr->detaching)
			handle(t, tid, status);
		else if (WIFSTOPPED(status))
			/* one that dies with the tracer, or unknown: on it goes */
			ptrace(PTRACE_CONT, tid, 0, 0);
	}
}

int tracer_run(struct tracer *t)
{
	int sfd = signalfd(-1, &t->ends, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		die(EXIT_RUNTIME, "cannot make a signalfd: %s", strerror(errno));
	int ended = 0;
	while (!ended) {
		int status;
		pid_t tid;
		while ((tid = waitpid(-1, &status, __WALL | WNOHANG)) > 0)
			handle(t, tid, status);
		if ((tid < 0 && errno == ECHILD) || t->n == 0)
			break;
		struct pollfd pf = { .fd = sfd, .events = POLLIN };
		if (poll(&pf, 1, -1) < 0 && errno != EINTR)
			die(EXIT_RUNTIME, "cannot wait for tracees: %s", strerror(errno));
		struct signalfd_siginfo ssi;
		while (read(sfd, &ssi, sizeof(ssi)) == (ssize_t)sizeof(ssi))
			if (ssi.ssi_signo != SIGCHLD)
				ended = (int)ssi.ssi_signo;
	}
	if (ended)
		tracer_detach_all(t);
	close(sfd);
	return ended;
}
