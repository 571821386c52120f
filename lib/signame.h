/*
 * Signal names and sets, shared by the signalfd kind, trace, sig and kill.
 * Names come from glibc (sigabbrev_np); realtime signals are named from
 * SIGRTMIN as the C library sees it, so "SIGRTMIN+3" means the same
 * signal to ipcx and to the program that installed a handler for it.
 */
#ifndef IPCX_SIGNAME_H
#define IPCX_SIGNAME_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

/* Highest signal number of the kernel's 64-bit signal sets. */
#define SIG_MAX 64
/* Room for the longest name, "SIGRTMIN+30", and a NUL. */
#define SIG_NAME_MAX 16

/*
 * "SIGTERM", "SIGRTMIN+3"; the signals glibc keeps for itself below
 * SIGRTMIN (32 and 33) have no name and print as their number.
 */
const char *sig_name(int sig, char buf[SIG_NAME_MAX]);

/*
 * A signal from a number or a name, any case, with or without "SIG":
 * "15", "TERM", "sigterm", "RTMIN+3", "SIGRTMAX-1". Returns 1..SIG_MAX,
 * or -1 for anything else (0 is not a signal here).
 */
int sig_parse(const char *s);

/* Bit sig-1 of a kernel signal set, as /proc/PID/status prints them. */
static inline uint64_t sig_bit(int sig)
{
	return 1ULL << (sig - 1);
}

/* "SIGHUP,SIGINT"; "" for the empty set. The caller frees it. */
char *sigset_str(uint64_t mask);

/*
 * A comma-separated list of signals, as sig_parse reads each one, or
 * "all". Returns 0, or -1 with *bad pointing at the token (a copy the
 * caller frees) that is not a signal.
 */
int sigset_parse(const char *s, uint64_t *mask, char **bad);

/* What the kernel does with a signal whose disposition is SIG_DFL. */
enum sig_default { SIGDFL_TERM, SIGDFL_CORE, SIGDFL_STOP, SIGDFL_CONT, SIGDFL_IGN };
enum sig_default sig_default_action(int sig);
/* "terminate", "core", "stop", "continue", "ignore" */
const char *sig_default_str(enum sig_default action);

#endif
