/* Unit tests of lib/signame.c: signal names both ways, sets, default actions. */
#include <signal.h>
#include <stdlib.h>

#include "signame.h"
#include "tap.h"

static void test_names(void)
{
	char buf[SIG_NAME_MAX];
	CHECK_STR(sig_name(SIGTERM, buf), "SIGTERM", "name of 15");
	CHECK_STR(sig_name(SIGCHLD, buf), "SIGCHLD", "name of SIGCHLD");
	CHECK_STR(sig_name(SIGRTMIN, buf), "SIGRTMIN", "name of SIGRTMIN");
	CHECK_STR(sig_name(SIGRTMIN + 3, buf), "SIGRTMIN+3", "name of a realtime signal");
	CHECK_STR(sig_name(32, buf), "32", "glibc's reserved signal 32 is a number");
	CHECK_STR(sig_name(0, buf), "0", "0 is not a signal name");
}

static void test_parse(void)
{
	CHECK_EQ(sig_parse("15"), SIGTERM, "number");
	CHECK_EQ(sig_parse("TERM"), SIGTERM, "bare name");
	CHECK_EQ(sig_parse("sigterm"), SIGTERM, "lower case with SIG");
	CHECK_EQ(sig_parse("SIGKILL"), SIGKILL, "SIGKILL");
	CHECK_EQ(sig_parse("RTMIN"), SIGRTMIN, "RTMIN");
	CHECK_EQ(sig_parse("SIGRTMIN+3"), SIGRTMIN + 3, "RTMIN+3");
	CHECK_EQ(sig_parse("rtmax-1"), SIGRTMAX - 1, "RTMAX-1");
	CHECK_EQ(sig_parse("RTMAX+1"), -1, "beyond RTMAX");
	CHECK_EQ(sig_parse("RTMIN-1"), -1, "below RTMIN");
	CHECK_EQ(sig_parse("0"), -1, "0");
	CHECK_EQ(sig_parse("65"), -1, "65");
	CHECK_EQ(sig_parse("15x"), -1, "trailing garbage");
	CHECK_EQ(sig_parse("TERMS"), -1, "unknown name");
	CHECK_EQ(sig_parse(""), -1, "empty");
	CHECK_EQ(sig_parse("RTMIN+"), -1, "RTMIN+ without a number");
	char buf[SIG_NAME_MAX];
	int round = 0;
	for (int sig = 1; sig <= SIG_MAX; sig++)
		if (sig < 32 || sig >= SIGRTMIN)
			round += sig_parse(sig_name(sig, buf)) == sig;
	CHECK_EQ(round, SIG_MAX - (SIGRTMIN - 32), "every named signal reads back as itself");
}

static void test_sets(void)
{
	CHECK_STR_FREE(sigset_str(0), "", "empty set");
	CHECK_STR_FREE(sigset_str(sig_bit(SIGHUP) | sig_bit(SIGINT) | sig_bit(SIGRTMIN + 1)),
		       "SIGHUP,SIGINT,SIGRTMIN+1", "set in signal order");
	uint64_t m;
	char *bad;
	CHECK_EQ(sigset_parse("TERM,int,9", &m, &bad), 0, "a list parses");
	CHECK(m == (sig_bit(SIGTERM) | sig_bit(SIGINT) | sig_bit(SIGKILL)), "the list's set");
	CHECK(sigset_parse("all", &m, &bad) == 0 && m == ~0ULL, "all");
	CHECK_EQ(sigset_parse("TERM,BOGUS", &m, &bad), -1, "a bad item fails");
	CHECK_STR_FREE(bad, "BOGUS", "the bad item is named");
	CHECK_EQ(sigset_parse("INT,,TERM", &m, &bad), -1, "an empty item fails");
	CHECK_STR_FREE(bad, "", "the empty item is named");
}

static void test_defaults(void)
{
	CHECK_STR(sig_default_str(sig_default_action(SIGTERM)), "terminate", "SIGTERM");
	CHECK_STR(sig_default_str(sig_default_action(SIGSEGV)), "core", "SIGSEGV");
	CHECK_STR(sig_default_str(sig_default_action(SIGTSTP)), "stop", "SIGTSTP");
	CHECK_STR(sig_default_str(sig_default_action(SIGCONT)), "continue", "SIGCONT");
	CHECK_STR(sig_default_str(sig_default_action(SIGCHLD)), "ignore", "SIGCHLD");
	CHECK_STR(sig_default_str(sig_default_action(SIGRTMIN)), "terminate", "SIGRTMIN");
}

int main(void)
{
	test_names();
	test_parse();
	test_sets();
	test_defaults();
	return tap_done();
}
