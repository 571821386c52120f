/*
 * A target for trace's tests: faults on a known address, 0x10, which is
 * never mapped. Its SIGSEGV handler prints what it received,
 * "code=N addr=0xADDR", and exits 0.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	char line[64];
	int n = snprintf(line, sizeof(line), "code=%d addr=%p\n", si->si_code, si->si_addr);
	if (write(1, line, (size_t)n) < 0)
		_exit(3);
	_exit(0);
}

int main(void)
{
	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	/* through a volatile integer, so that the compiler cannot see the address */
	volatile uintptr_t where = 0x10;
	return *(volatile int *)where;
}
