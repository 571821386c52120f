/* Unit tests of lib/saflags.c: names from the table, unknown bits in hex. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "saflags.h"
#include "tap.h"

static void check_str(uint64_t flags, const char *want)
{
	char *s = saflags_str(flags);
	CHECK_STR(s, want, "saflags_str(0x%llx)", (unsigned long long)flags);
	free(s);
}

int main(void)
{
	check_str(0, "");
	/* the C library's own constants agree with the table */
	check_str(SA_SIGINFO | SA_RESTART, "SA_SIGINFO,SA_RESTART");
	check_str(SA_NOCLDSTOP | SA_NOCLDWAIT, "SA_NOCLDSTOP,SA_NOCLDWAIT");
	check_str(SA_ONSTACK | SA_NODEFER | SA_RESETHAND, "SA_ONSTACK,SA_NODEFER,SA_RESETHAND");
	check_str(0x04000000 | SA_RESTART, "SA_RESTORER,SA_RESTART");
	check_str(0x200, "0x200");
	check_str(SA_RESTART | 0x300, "SA_RESTART,0x300");
	check_str(0x800, "SA_EXPOSE_TAGBITS");
	/* every bit of the table has one name, and no two share a bit */
	uint64_t seen = 0;
	bool distinct = true;
	for (unsigned i = 0; i < nsaflags; i++) {
		distinct &= !(seen & saflags[i].bit) && __builtin_popcountll(saflags[i].bit) == 1;
		seen |= saflags[i].bit;
	}
	CHECK(distinct, "each flag of the table is one bit of its own");
	return tap_done();
}
