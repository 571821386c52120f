/*
 * The tracer: follows the signal deliveries of processes through ptrace,
 * stopping them only when a signal is delivered, never at system calls.
 * Tracees are seized (PTRACE_SEIZE), every thread of a process is
 * attached, and each signal is given back exactly as it came, so a traced
 * program behaves as it does untraced. This is the one module of ipcx
 * that stops other processes.
 */
#ifndef IPCX_PTRACE_TRACE_H
#define IPCX_PTRACE_TRACE_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

enum trace_ev {
	TEV_SIGNAL,	/* a signal is being delivered: sig, si */
	TEV_STOP,	/* the process entered a group-stop: sig */
	TEV_CONT,	/* the stopped process was continued */
	TEV_EXIT,	/* the process exited: code */
	TEV_KILLED,	/* the process was killed: sig, core */
	TEV_EXEC,	/* a thread of the process called execve */
	TEV_FORK,	/* the process made a new process: child (with follow) */
};

struct trace_event {
	enum trace_ev type;
	pid_t pid, tid;		/* process and thread */
	struct timespec when;	/* CLOCK_REALTIME, as the tracer saw it */
	int sig;
	siginfo_t si;
	int code;
	bool core;
	pid_t child;
};

/*
 * Called for each event. A TEV_SIGNAL comes while the thread is still
 * stopped at its delivery, so what /proc shows of it (its dispositions)
 * is what the delivery will find.
 */
typedef void (*trace_cb)(const struct trace_event *ev, void *arg);

struct tracer_opts {
	bool follow;		/* follow fork, vfork and clone of new processes */
	bool kill_on_exit;	/* a launched command dies with the tracer */
	trace_cb cb;
	void *arg;
};

struct tracer;

struct tracer *tracer_new(const struct tracer_opts *o);
void tracer_free(struct tracer *t);

/*
 * Seizes every thread of process pid, scanning /proc/PID/task again until
 * no new thread appears. Returns 0, or -errno with *why set (malloc'd)
 * to a sentence saying why: for EPERM, who traces it already, or which
 * rule forbids it.
 */
int tracer_attach(struct tracer *t, pid_t pid, char **why);

/*
 * Runs argv as a new traced process. The child waits on a pipe until it
 * is seized, then execs: it never stops for the tracer's sake. Returns
 * the child's pid, or -errno with *why set.
 */
pid_t tracer_launch(struct tracer *t, char *const argv[], char **why);

/*
 * Follows the tracees until none is left, or until SIGINT, SIGTERM,
 * SIGHUP or SIGPIPE (output to a closed pipe) arrives: then every tracee is detached and left as it was
 * (running, or stopped in its group-stop), except launched ones under
 * kill_on_exit, which die with the tracer. Returns the signal that ended
 * it, or 0 when the tracees were gone.
 */
int tracer_run(struct tracer *t);

/* Detaches every tracee now, as tracer_run does when it is ended. */
void tracer_detach_all(struct tracer *t);

/* The wait status of the launched command, once it ended; -1 before. */
int tracer_launch_status(const struct tracer *t);

#endif
