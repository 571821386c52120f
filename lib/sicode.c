/*
 * si_code tables, one per signal family, as <asm-generic/siginfo.h>
 * defines them. Codes at or below zero, and SI_KERNEL, are the same for
 * every signal; positive codes mean something only for their signal.
 */
#include "sicode.h"

#include <stddef.h>

struct code_entry {
	int code;
	struct sicode c;
};

/* Values of <asm-generic/siginfo.h>, not all of which glibc defines. */
static const struct code_entry generic[] = {
	{ 0, { "SI_USER", SIF_PID | SIF_UID, "kill, raise" } },
	{ 0x80, { "SI_KERNEL", 0, "the kernel" } },
	{ -1, { "SI_QUEUE", SIF_PID | SIF_UID | SIF_VALUE, "sigqueue" } },
	{ -2, { "SI_TIMER", SIF_TIMER | SIF_VALUE, "a POSIX timer expired" } },
	{ -3, { "SI_MESGQ", SIF_PID | SIF_UID | SIF_VALUE, "a message reached an empty queue" } },
	{ -4, { "SI_ASYNCIO", SIF_VALUE, "asynchronous I/O completed" } },
	{ -5, { "SI_SIGIO", SIF_BAND, "queued SIGIO" } },
	{ -6, { "SI_TKILL", SIF_PID | SIF_UID, "tkill, tgkill" } },
	{ -7, { "SI_DETHREAD", 0, "a thread's exec" } },
	{ -60, { "SI_ASYNCNL", 0, "asynchronous name lookup completed" } },
};

#define A SIF_ADDR
static const struct code_entry ill[] = {
	{ 1, { "ILL_ILLOPC", A, "illegal opcode" } },
	{ 2, { "ILL_ILLOPN", A, "illegal operand" } },
	{ 3, { "ILL_ILLADR", A, "illegal addressing mode" } },
	{ 4, { "ILL_ILLTRP", A, "illegal trap" } },
	{ 5, { "ILL_PRVOPC", A, "privileged opcode" } },
	{ 6, { "ILL_PRVREG", A, "privileged register" } },
	{ 7, { "ILL_COPROC", A, "coprocessor error" } },
	{ 8, { "ILL_BADSTK", A, "internal stack error" } },
	{ 9, { "ILL_BADIADDR", A, "unimplemented instruction address" } },
};

static const struct code_entry fpe[] = {
	{ 1, { "FPE_INTDIV", A, "integer divide by zero" } },
	{ 2, { "FPE_INTOVF", A, "integer overflow" } },
	{ 3, { "FPE_FLTDIV", A, "floating-point divide by zero" } },
	{ 4, { "FPE_FLTOVF", A, "floating-point overflow" } },
	{ 5, { "FPE_FLTUND", A, "floating-point underflow" } },
	{ 6, { "FPE_FLTRES", A, "floating-point inexact result" } },
	{ 7, { "FPE_FLTINV", A, "floating-point invalid operation" } },
	{ 8, { "FPE_FLTSUB", A, "subscript out of range" } },
	{ 14, { "FPE_FLTUNK", A, "undiagnosed floating-point exception" } },
	{ 15, { "FPE_CONDTRAP", A, "trap on condition" } },
};

static const struct code_entry segv[] = {
	{ 1, { "SEGV_MAPERR", A, "address not mapped" } },
	{ 2, { "SEGV_ACCERR", A, "invalid permissions for mapped object" } },
	{ 3, { "SEGV_BNDERR", A, "failed address bound checks" } },
	{ 4, { "SEGV_PKUERR", A, "access denied by memory protection keys" } },
	{ 5, { "SEGV_ACCADI", A, "ADI not enabled for mapped object" } },
	{ 6, { "SEGV_ADIDERR", A, "disrupting MCD error" } },
	{ 7, { "SEGV_ADIPERR", A, "precise MCD exception" } },
	{ 8, { "SEGV_MTEAERR", A, "asynchronous MTE error" } },
	{ 9, { "SEGV_MTESERR", A, "synchronous MTE error" } },
	{ 10, { "SEGV_CPERR", A, "control protection fault" } },
};

static const struct code_entry bus[] = {
	{ 1, { "BUS_ADRALN", A, "invalid address alignment" } },
	{ 2, { "BUS_ADRERR", A, "nonexistent physical address" } },
	{ 3, { "BUS_OBJERR", A, "object-specific hardware error" } },
	{ 4, { "BUS_MCEERR_AR", A, "hardware memory error consumed" } },
	{ 5, { "BUS_MCEERR_AO", A, "hardware memory error, action optional" } },
};

static const struct code_entry trap[] = {
	{ 1, { "TRAP_BRKPT", A, "process breakpoint" } },
	{ 2, { "TRAP_TRACE", A, "process trace trap" } },
	{ 3, { "TRAP_BRANCH", A, "process taken branch trap" } },
	{ 4, { "TRAP_HWBKPT", A, "hardware breakpoint or watchpoint" } },
	{ 5, { "TRAP_UNK", A, "undiagnosed trap" } },
	{ 6, { "TRAP_PERF", A, "perf event" } },
};
#undef A

#define C (SIF_PID | SIF_UID | SIF_STATUS)
static const struct code_entry chld[] = {
	{ 1, { "CLD_EXITED", C, "child has exited" } },
	{ 2, { "CLD_KILLED", C, "child was killed" } },
	{ 3, { "CLD_DUMPED", C, "child terminated abnormally" } },
	{ 4, { "CLD_TRAPPED", C, "traced child has trapped" } },
	{ 5, { "CLD_STOPPED", C, "child has stopped" } },
	{ 6, { "CLD_CONTINUED", C, "stopped child has continued" } },
};
#undef C

static const struct code_entry poll[] = {
	{ 1, { "POLL_IN", SIF_BAND, "data input available" } },
	{ 2, { "POLL_OUT", SIF_BAND, "output buffers available" } },
	{ 3, { "POLL_MSG", SIF_BAND, "input message available" } },
	{ 4, { "POLL_ERR", SIF_BAND, "I/O error" } },
	{ 5, { "POLL_PRI", SIF_BAND, "high priority input available" } },
	{ 6, { "POLL_HUP", SIF_BAND, "device disconnected" } },
};

static const struct code_entry sys[] = {
	{ 1, { "SYS_SECCOMP", SIF_SYSCALL, "seccomp filter" } },
	{ 2, { "SYS_USER_DISPATCH", SIF_SYSCALL, "syscall user dispatch" } },
};

#define TABLE(sig, t) { sig, t, sizeof(t) / sizeof(t[0]) }
static const struct {
	int sig;
	const struct code_entry *v;
	size_t n;
} by_signal[] = {
	TABLE(SIGILL, ill), TABLE(SIGFPE, fpe), TABLE(SIGSEGV, segv), TABLE(SIGBUS, bus),
	TABLE(SIGTRAP, trap), TABLE(SIGCHLD, chld), TABLE(SIGPOLL, poll), TABLE(SIGSYS, sys),
};

static const struct sicode *find(const struct code_entry *v, size_t n, int code)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].code == code)
			return &v[i].c;
	return NULL;
}

const struct sicode *sicode_lookup(int sig, int code)
{
	if (code <= 0 || code == 0x80)
		return find(generic, sizeof(generic) / sizeof(generic[0]), code);
	for (size_t i = 0; i < sizeof(by_signal) / sizeof(by_signal[0]); i++)
		if (by_signal[i].sig == sig)
			return find(by_signal[i].v, by_signal[i].n, code);
	return NULL;
}
