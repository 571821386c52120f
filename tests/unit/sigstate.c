/* Unit tests of lib/sigstate.c against this process's own signal state. */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "signame.h"
#include "sigstate.h"
#include "tap.h"

static void on_usr1(int sig)
{
	(void)sig;
}

int main(void)
{
	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, SIG_IGN);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGRTMIN + 2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	/* pending on the thread (tgkill) and on the process (kill) */
	raise(SIGTERM);
	kill(getpid(), SIGRTMIN + 2);

	struct sigstate st;
	CHECK_EQ(sigstate_read(getpid(), 0, &st), 0, "own status reads");
	CHECK(st.blocked & sig_bit(SIGTERM), "SIGTERM blocked");
	CHECK(st.blocked & sig_bit(SIGRTMIN + 2), "SIGRTMIN+2 blocked");
	CHECK(st.pending & sig_bit(SIGTERM), "raise leaves SIGTERM pending on the thread");
	CHECK(st.shared & sig_bit(SIGRTMIN + 2), "kill leaves SIGRTMIN+2 pending on the process");
	CHECK(!(st.shared & sig_bit(SIGTERM)), "SIGTERM is not shared-pending");
	CHECK(st.has_queue && st.queued >= 2 && st.queue_max > 0, "SigQ counts queued signals");
	CHECK_EQ(sigstate_disposition(&st, SIGUSR1), SIGDISP_CAUGHT, "SIGUSR1 caught");
	CHECK_EQ(sigstate_disposition(&st, SIGUSR2), SIGDISP_IGNORED, "SIGUSR2 ignored");
	CHECK_EQ(sigstate_disposition(&st, SIGHUP), SIGDISP_DEFAULT, "SIGHUP default");

	struct sigstate thread;
	CHECK_EQ(sigstate_read(getpid(), gettid(), &thread), 0, "task status reads");
	CHECK(thread.blocked == st.blocked, "the only thread's sets are the process's");
	CHECK_EQ(sigstate_read(0x7ffffff0, 0, &st), -ENOENT, "a missing pid is ENOENT");
	return tap_done();
}
