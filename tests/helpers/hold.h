/*
 * The way every test helper holds what it made: until end of file on
 * stdin (the test closes the pipe) or SIGTERM (the test ends it), so a
 * test can release a holder either way and never leaks one.
 */
#ifndef IPCX_TEST_HOLD_H
#define IPCX_TEST_HOLD_H

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t hold_stop;

static void hold_on_term(int sig)
{
	(void)sig;
	hold_stop = 1;
}

/*
 * Returns at end of file on stdin or at SIGTERM, whichever comes first.
 * announce, when given, is printed once SIGTERM is handled, so a test that
 * waits for it may end the helper with SIGTERM from then on.
 */
static void hold(const char *announce)
{
	sigset_t block, wait_mask;
	/* SIGTERM is let in only inside ppoll, so none is missed between checks */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &wait_mask);
	sigdelset(&wait_mask, SIGTERM);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = hold_on_term;
	sigaction(SIGTERM, &sa, NULL);
	if (announce) {
		puts(announce);
		fflush(stdout);
	}
	char buf[256];
	while (!hold_stop) {
		struct pollfd p = { 0, POLLIN, 0 };
		if (ppoll(&p, 1, NULL, &wait_mask) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "hold: poll: %s\n", strerror(errno));
			exit(1);
		}
		ssize_t n = read(0, buf, sizeof(buf));
		if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
			break;
	}
}

#endif
