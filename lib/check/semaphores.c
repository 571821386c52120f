/*
 * semaphores: System V sets with processes waiting on them (GETNCNT and
 * GETZCNT) and no operation since OTIME (or the set's creation) for
 * longer than the threshold: the waiters may wait for ever, a likely
 * deadlock. The waiting threads are named from the walk of the processes.
 * POSIX named semaphores keep no time of their last operation, so they
 * are not judged here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ops.h"
#include "../out.h"
#include "../util.h"
#include "check.h"

static const char help_waiters[] = "Threads blocked in semop or semtimedop on System V semaphores.";
static const char help_dead[] =
	"Semaphore sets with waiters and no operation for longer than the warning threshold.";

void check_semaphores(struct check_ctx *c)
{
	const struct kind *k;
	const struct objlist *l = ctx_objects(c, "semaphores", "sem", &k);
	size_t waiting = 0, dead = 0;
	for (size_t j = 0; j < c->nwaits; j++)
		waiting += c->waits[j].ns == c->ns && !strcmp(c->waits[j].kind, "sem");
	for (size_t i = 0; l && i < l->n; i++) {
		const struct ipc_obj *o = l->v[i];
		const struct column *col = kind_column(k, "OTIME");
		struct cell cell = { .state = CELL_ABSENT };
		if (col)
			cell_get(col, o, &cell);
		time_t last = o->ctime;
		if (cell.state == CELL_OK && (time_t)cell.num > last)
			last = (time_t)cell.num;
		double idle = difftime(c->now, last);
		/* the waiters, two system calls a semaphore, are counted only for
		 * sets idle long enough to matter */
		if (idle <= c->warn[TH_SEMAPHORES] && idle <= c->crit[TH_SEMAPHORES])
			continue;
		size_t n = k->sem->count(o), w = 0;
		int err = 0;
		for (size_t s = 0; s < n && !err; s++) {
			unsigned ncnt, zcnt;
			err = k->sem->waiters(o, (unsigned)s, &ncnt, &zcnt);
			w += err ? 0 : ncnt + zcnt;
		}
		char *label = obj_label(o);
		if (err) {
			struct finding *f = report_add(c, "semaphores", ST_UNKNOWN,
						       xasprintf("%s: cannot count its waiters: %s",
								 label, strerror(-err)));
			f->kind = "sem";
			f->id = o->id;
			f->key = o->key;
			free(label);
			continue;
		}
		double wt = c->warn[TH_SEMAPHORES], ct = c->crit[TH_SEMAPHORES];
		enum status st = w ? thr_status(idle, wt, ct) : ST_OK;
		if (st == ST_OK) {
			free(label);
			continue;
		}
		dead++;
		pid_t *pids = NULL;
		size_t np = 0;
		char *list = xstrdup("");
		for (size_t j = 0; j < c->nwaits; j++) {
			const struct ipc_wait *x = &c->waits[j];
			if (x->ns != c->ns || strcmp(x->kind, "sem") || x->arg0 != (unsigned long)o->id)
				continue;
			pids = xrealloc(pids, (np + 1) * sizeof(*pids));
			pids[np++] = x->pid;
			char *nl = xasprintf("%s%s%d(%s)", list, *list ? " " : "", (int)x->pid, x->comm);
			free(list);
			list = nl;
		}
		char d[32], th[32];
		dur_format(idle, d, sizeof(d));
		thr_format(TU_SECONDS, st == ST_CRITICAL ? ct : wt, th, sizeof(th));
		struct finding *f = report_obj(
			c, "semaphores", st,
			xasprintf("%s: %zu waiting%s%s, no operation for %s (over %s)", label, w,
				  np ? ": " : "", list, d, th), o);
		free(list);
		free(label);
		f->value = idle;
		f->unit = TU_SECONDS;
		f->warn = wt;
		f->crit = ct;
		f->pids = pids;
		f->npids = np;
	}
	struct metric *m = report_metric(c, "semaphores", "semaphore_waiters", help_waiters,
					 "sem_waiters");
	m->kind = "sem";
	ull_format(waiting, m->value, sizeof(m->value));
	ull_format(0, m->min, sizeof(m->min));
	m = report_metric(c, "semaphores", "deadlocked_semaphores", help_dead, "sem_deadlocks");
	m->kind = "sem";
	ull_format(dead, m->value, sizeof(m->value));
	ull_format(0, m->min, sizeof(m->min));
}
