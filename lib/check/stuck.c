/*
 * stuck: threads blocked in an IPC system call (msgsnd, msgrcv, semop,
 * semtimedop, mq_timedsend, mq_timedreceive) for longer than the
 * threshold; how long comes from the scheduler (see waits.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../holders.h"
#include "../util.h"
#include "check.h"

static const char help_blocked[] = "Threads blocked in IPC system calls.";
static const char help_stuck[] =
	"Threads blocked in IPC system calls for longer than the warning threshold.";

/* What the wait is on: "msg 3", "sem 0", "pmsg fd 4". */
static char *target(const struct ipc_wait *x)
{
	if (!strcmp(x->kind, "pmsg"))
		return xasprintf("a pmsg queue (fd %lu)", x->arg0);
	return xasprintf("%s %lu", x->kind, x->arg0);
}

/* The namespaces whose metrics are printed, in the order first seen. */
static size_t ns_index(ino_t *v, size_t *n, ino_t ns)
{
	for (size_t i = 0; i < *n; i++)
		if (v[i] == ns)
			return i;
	v[*n] = ns;
	return (*n)++;
}

void check_stuck(struct check_ctx *c)
{
	static const char *const wkinds[] = { "msg", "sem", "pmsg" };
	size_t cap = c->nwaits + 1, nns = 0;
	ino_t *nss = xcalloc(cap, sizeof(*nss));
	size_t (*blocked)[3] = xcalloc(cap, sizeof(*blocked));
	size_t (*stuck)[3] = xcalloc(cap, sizeof(*stuck));
	/* the namespace checked has its zeros too (0: every namespace) */
	if (c->ns)
		ns_index(nss, &nns, c->ns);
	double w = c->warn[TH_STUCK], cr = c->crit[TH_STUCK];
	for (size_t i = 0; i < c->nwaits; i++) {
		const struct ipc_wait *x = &c->waits[i];
		size_t ni = ns_index(nss, &nns, x->ns), ki;
		for (ki = 0; ki < 3 && strcmp(wkinds[ki], x->kind); ki++)
			;
		blocked[ni][ki]++;
		enum status st = x->blocked < 0 ? ST_UNKNOWN : thr_status(x->blocked, w, cr);
		if (st == ST_OK)
			continue;
		char *what = target(x), *text;
		char who[64];
		if (x->tid != x->pid)
			snprintf(who, sizeof(who), "pid %d(%s) thread %d", (int)x->pid, x->comm,
				 (int)x->tid);
		else
			snprintf(who, sizeof(who), "pid %d(%s)", (int)x->pid, x->comm);
		if (st == ST_UNKNOWN) {
			text = xasprintf("%s: blocked in %s on %s for an unknown time (%s)", who,
					 syscall_name(x->nr), what, x->unknown);
		} else {
			char d[32], th[32];
			dur_format(x->blocked, d, sizeof(d));
			thr_format(TU_SECONDS, st == ST_CRITICAL ? cr : w, th, sizeof(th));
			text = xasprintf("%s: blocked in %s on %s for %s (over %s)", who,
					 syscall_name(x->nr), what, d, th);
			stuck[ni][ki]++;
		}
		free(what);
		struct finding *f = report_add(c, "stuck", st, text);
		f->ns = x->ns;
		f->kind = x->kind;
		if (strcmp(x->kind, "pmsg"))
			f->id = (long long)x->arg0;
		f->has_value = st != ST_UNKNOWN;
		f->value = x->blocked;
		f->unit = TU_SECONDS;
		f->warn = w;
		f->crit = cr;
		f->pids = xmalloc(sizeof(*f->pids));
		f->pids[0] = x->pid;
		f->npids = 1;
	}
	size_t tb = 0, ts = 0;
	for (size_t n = 0; n < nns; n++)
		for (size_t k = 0; k < 3; k++) {
			ino_t save = c->ns;
			c->ns = nss[n];
			struct metric *m = report_metric(c, "stuck", "blocked_threads", help_blocked, NULL);
			m->kind = wkinds[k];
			ull_format(blocked[n][k], m->value, sizeof(m->value));
			m = report_metric(c, "stuck", "stuck_threads", help_stuck, NULL);
			m->kind = wkinds[k];
			ull_format(stuck[n][k], m->value, sizeof(m->value));
			c->ns = save;
			tb += blocked[n][k];
			ts += stuck[n][k];
		}
	struct metric *m = report_metric(c, "stuck", NULL, NULL, "ipc_blocked");
	m->in_prom = false;
	ull_format(tb, m->value, sizeof(m->value));
	ull_format(0, m->min, sizeof(m->min));
	m = report_metric(c, "stuck", NULL, NULL, "stuck");
	m->in_prom = false;
	ull_format(ts, m->value, sizeof(m->value));
	ull_format(0, m->min, sizeof(m->min));
	free(nss);
	free(blocked);
	free(stuck);
}
