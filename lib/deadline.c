#include "deadline.h"

#include <signal.h>
#include <string.h>
#include <sys/time.h>

static volatile sig_atomic_t expired;

static void on_alarm(int sig)
{
	(void)sig;
	expired = 1;
}

void deadline_arm(double secs)
{
	expired = 0;
	if (secs < 0)
		return;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: the blocked call must return */
	sigaction(SIGALRM, &sa, NULL);
	struct timespec ts = deadline_timespec(secs);
	struct itimerval it;
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = ts.tv_sec;
	it.it_value.tv_usec = ts.tv_nsec / 1000;
	/* a zero value would disarm the timer instead of firing at once */
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
		it.it_value.tv_usec = 1;
	/* it keeps firing, so a signal that lands just before the call blocks
	 * is followed by one that interrupts it */
	it.it_interval.tv_usec = 10000;
	setitimer(ITIMER_REAL, &it, NULL);
}

void deadline_disarm(void)
{
	struct itimerval it;
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
}

bool deadline_expired(void)
{
	return expired;
}

struct timespec deadline_timespec(double secs)
{
	struct timespec ts;
	if (secs < 0)
		secs = 0;
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	return ts;
}

struct timespec deadline_abs(double secs)
{
	struct timespec now, rel = deadline_timespec(secs);
	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_sec += rel.tv_sec;
	now.tv_nsec += rel.tv_nsec;
	if (now.tv_nsec >= 1000000000L) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000L;
	}
	return now;
}
