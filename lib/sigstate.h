/*
 * The signal state of one thread as /proc/PID/task/TID/status shows it:
 * pending (the thread's own and the process's shared), blocked, ignored
 * and caught sets, and the queued-signal count against its limit. Read by
 * sig, and by trace for the disposition of a signal at delivery.
 */
#ifndef IPCX_SIGSTATE_H
#define IPCX_SIGSTATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct sigstate {
	uint64_t pending;	/* SigPnd: this thread's own */
	uint64_t shared;	/* ShdPnd: the whole thread group's */
	uint64_t blocked;	/* SigBlk */
	uint64_t ignored;	/* SigIgn */
	uint64_t caught;	/* SigCgt */
	unsigned long queued, queue_max;	/* SigQ: "3/63432", per real user */
	bool has_queue;
};

/*
 * Reads the state of thread tid of process pid (tid 0: the process's
 * main thread, /proc/PID/status). Returns 0 or -errno (ENOENT when the
 * process is gone, EACCES when it may not be read).
 */
int sigstate_read(pid_t pid, pid_t tid, struct sigstate *st);

/* The disposition a signal has in st: caught, ignored, or default. */
enum sig_disposition { SIGDISP_DEFAULT, SIGDISP_IGNORED, SIGDISP_CAUGHT };
enum sig_disposition sigstate_disposition(const struct sigstate *st, int sig);

#endif
