/*
 * A time limit for blocking System V calls that take none (msgsnd,
 * msgrcv, semop without semtimedop): a one-shot timer whose signal
 * interrupts the call, which then fails with EINTR.
 */
#ifndef IPCX_DEADLINE_H
#define IPCX_DEADLINE_H

#include <stdbool.h>
#include <time.h>

/* secs < 0 arms nothing. */
void deadline_arm(double secs);
void deadline_disarm(void);
bool deadline_expired(void);
/* The same limit as a relative timespec, for calls that take one. */
struct timespec deadline_timespec(double secs);
/* An absolute CLOCK_REALTIME time secs from now (mq_timedsend, sem_timedwait). */
struct timespec deadline_abs(double secs);

#endif
