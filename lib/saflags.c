/* The sa_flags table: one line per flag, in the order of their bits. */
#include "saflags.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

/*
 * The kernel's values (include/uapi/asm-generic/signal-defs.h and
 * arch/x86/include/uapi/asm/signal.h), written out rather than taken from
 * <signal.h>: glibc does not define SA_RESTORER, SA_UNSUPPORTED or
 * SA_EXPOSE_TAGBITS for programs, and the kernel's numbers are what
 * rt_sigaction returns.
 */
const struct saflag saflags[] = {
	{ 0x00000001, "SA_NOCLDSTOP", "no SIGCHLD when a child stops or continues" },
	{ 0x00000002, "SA_NOCLDWAIT", "children do not become zombies" },
	{ 0x00000004, "SA_SIGINFO", "the handler takes siginfo_t and a context" },
	{ 0x00000400, "SA_UNSUPPORTED", "a probe for flag support; never kept by the kernel" },
	{ 0x00000800, "SA_EXPOSE_TAGBITS", "fault addresses keep their tag bits" },
	{ 0x04000000, "SA_RESTORER", "sa_restorer returns from the handler (set by the C library)" },
	{ 0x08000000, "SA_ONSTACK", "the handler runs on the alternate signal stack" },
	{ 0x10000000, "SA_RESTART", "interrupted system calls are restarted" },
	{ 0x40000000, "SA_NODEFER", "the signal is not blocked while its handler runs" },
	{ 0x80000000, "SA_RESETHAND", "the action is reset to the default on delivery" },
};
const unsigned nsaflags = sizeof(saflags) / sizeof(saflags[0]);

char *saflags_str(uint64_t flags)
{
	char *out = xstrdup("");
	size_t len = 0;
	for (unsigned i = 0; i < nsaflags; i++) {
		if (!(flags & saflags[i].bit))
			continue;
		flags &= ~saflags[i].bit;
		out = xrealloc(out, len + strlen(saflags[i].name) + 2);
		len += (size_t)sprintf(out + len, "%s%s", len ? "," : "", saflags[i].name);
	}
	if (flags) {
		out = xrealloc(out, len + 2 + 2 + 16 + 1);
		sprintf(out + len, "%s0x%llx", len ? "," : "", (unsigned long long)flags);
	}
	return out;
}
