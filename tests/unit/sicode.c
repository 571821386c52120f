/*
 * Unit tests of lib/sicode.c: each name against the value the C library's
 * headers give it, and the fields each code makes valid.
 */
#include <signal.h>
#include <string.h>

#include "sicode.h"
#include "tap.h"

static const char *name_of(int sig, int code)
{
	const struct sicode *c = sicode_lookup(sig, code);
	return c ? c->name : "(none)";
}

int main(void)
{
	/* codes every signal may carry, whatever the signal */
	static const struct { int code; const char *name; } generic[] = {
		{ SI_USER, "SI_USER" }, { SI_QUEUE, "SI_QUEUE" }, { SI_TIMER, "SI_TIMER" },
		{ SI_MESGQ, "SI_MESGQ" }, { SI_ASYNCIO, "SI_ASYNCIO" }, { SI_SIGIO, "SI_SIGIO" },
		{ SI_TKILL, "SI_TKILL" }, { SI_KERNEL, "SI_KERNEL" }, { SI_ASYNCNL, "SI_ASYNCNL" },
	};
	for (size_t i = 0; i < sizeof(generic) / sizeof(generic[0]); i++) {
		CHECK_STR(name_of(SIGUSR1, generic[i].code), generic[i].name, "%s on SIGUSR1", generic[i].name);
		CHECK_STR(name_of(SIGSEGV, generic[i].code), generic[i].name, "%s on SIGSEGV", generic[i].name);
	}
	/* a positive code means something for its own signal only */
	static const struct { int sig, code; const char *name; } own[] = {
		{ SIGSEGV, SEGV_MAPERR, "SEGV_MAPERR" }, { SIGSEGV, SEGV_ACCERR, "SEGV_ACCERR" },
		{ SIGBUS, BUS_ADRALN, "BUS_ADRALN" }, { SIGBUS, BUS_MCEERR_AO, "BUS_MCEERR_AO" },
		{ SIGFPE, FPE_INTDIV, "FPE_INTDIV" }, { SIGFPE, FPE_FLTSUB, "FPE_FLTSUB" },
		{ SIGILL, ILL_ILLOPC, "ILL_ILLOPC" }, { SIGILL, ILL_BADSTK, "ILL_BADSTK" },
		{ SIGTRAP, TRAP_BRKPT, "TRAP_BRKPT" }, { SIGTRAP, TRAP_HWBKPT, "TRAP_HWBKPT" },
		{ SIGCHLD, CLD_EXITED, "CLD_EXITED" }, { SIGCHLD, CLD_CONTINUED, "CLD_CONTINUED" },
		{ SIGPOLL, POLL_IN, "POLL_IN" }, { SIGPOLL, POLL_HUP, "POLL_HUP" },
	};
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		CHECK_STR(name_of(own[i].sig, own[i].code), own[i].name, "%s", own[i].name);
	CHECK_STR(name_of(SIGUSR1, SEGV_MAPERR), "(none)", "a fault code on SIGUSR1 has no name");
	CHECK_STR(name_of(SIGSEGV, 99), "(none)", "an unknown SIGSEGV code has no name");

	/* the fields each code makes valid */
	CHECK_EQ(sicode_lookup(SIGUSR1, SI_USER)->fields, SIF_PID | SIF_UID, "SI_USER: pid, uid");
	CHECK_EQ(sicode_lookup(SIGUSR1, SI_QUEUE)->fields, SIF_PID | SIF_UID | SIF_VALUE,
		 "SI_QUEUE: pid, uid, value");
	CHECK_EQ(sicode_lookup(SIGALRM, SI_TIMER)->fields, SIF_TIMER | SIF_VALUE, "SI_TIMER: timer, value");
	CHECK_EQ(sicode_lookup(SIGSEGV, SEGV_MAPERR)->fields, SIF_ADDR, "SEGV_MAPERR: addr");
	CHECK_EQ(sicode_lookup(SIGCHLD, CLD_KILLED)->fields, SIF_PID | SIF_UID | SIF_STATUS,
		 "CLD_KILLED: pid, uid, status");
	CHECK_EQ(sicode_lookup(SIGUSR1, SI_KERNEL)->fields, 0, "SI_KERNEL: nothing");
	return tap_done();
}
