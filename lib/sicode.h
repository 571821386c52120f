/*
 * si_code names, chosen per signal, and the siginfo fields each si_code
 * makes valid: the kernel fills a union, and which member holds data
 * depends on the signal and on how it was sent (see sigaction(2)).
 */
#ifndef IPCX_SICODE_H
#define IPCX_SICODE_H

#include <signal.h>

/* Which members of siginfo_t an si_code makes valid. */
enum {
	SIF_PID = 1 << 0,	/* si_pid: the sender, or the child for SIGCHLD */
	SIF_UID = 1 << 1,	/* si_uid: its real user id */
	SIF_VALUE = 1 << 2,	/* si_value: from sigqueue, a timer or mq_notify */
	SIF_ADDR = 1 << 3,	/* si_addr: the faulting address */
	SIF_STATUS = 1 << 4,	/* si_status: exit code or signal of a child */
	SIF_TIMER = 1 << 5,	/* si_timerid, si_overrun: a POSIX timer */
	SIF_BAND = 1 << 6,	/* si_band, si_fd: an I/O event */
	SIF_SYSCALL = 1 << 7,	/* si_syscall, si_call_addr, si_arch: seccomp */
};

struct sicode {
	const char *name;	/* "SI_QUEUE", "SEGV_MAPERR" */
	unsigned fields;	/* SIF_* */
	const char *help;	/* what sent it, in a few words */
};

/*
 * The si_code of a signal: the codes every signal may carry (SI_USER,
 * SI_QUEUE, SI_TKILL, SI_KERNEL, ...) or, for a positive code, the
 * signal's own (SEGV_MAPERR, CLD_EXITED, ...). NULL for a code that has
 * no name for this signal.
 */
const struct sicode *sicode_lookup(int sig, int code);

#endif
