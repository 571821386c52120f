/*
 * leaks: objects that nobody uses and whose maker is gone. A System V
 * segment with no attachment whose creator has exited; a POSIX object
 * that no process holds open or maps and whose owner has no process.
 * Either is reported once it has been unused longer than the threshold.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../holders.h"
#include "../out.h"
#include "../proc.h"
#include "../util.h"
#include "check.h"

static const char help_leaked[] =
	"Objects nobody uses whose creator or owner is gone, unused longer than the warning threshold.";

/* A number column of an object; 0 when it is absent or unknown. */
static unsigned long long num(const struct ipc_obj *o, const char *col)
{
	const struct column *c = kind_column(o->kind, col);
	struct cell cell;
	if (!c)
		return 0;
	cell_get(c, o, &cell);
	return cell.state == CELL_OK ? cell.num : 0;
}

/*
 * Asked of /proc, not kill(2): with --all-ns the mount namespace entered
 * is the container's, whose /proc counts pids as the creator's own pid
 * namespace does.
 */
static bool creator_runs(pid_t pid)
{
	char path[32];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return stat(path, &st) == 0 || errno != ENOENT;
}

static void leak(struct check_ctx *c, const struct ipc_obj *o, double idle, char *why,
		 size_t *count)
{
	double w = c->warn[TH_LEAKS], cr = c->crit[TH_LEAKS];
	enum status st = thr_status(idle, w, cr);
	if (st == ST_OK) {
		free(why);
		return;
	}
	char d[32], th[32];
	dur_format(idle, d, sizeof(d));
	thr_format(TU_SECONDS, st == ST_CRITICAL ? cr : w, th, sizeof(th));
	char *label = obj_label(o);
	struct finding *f = report_obj(c, "leaks", st,
				       xasprintf("%s: %s, unused for %s (over %s)", label, why, d, th), o);
	free(label);
	free(why);
	f->value = idle;
	f->unit = TU_SECONDS;
	f->warn = w;
	f->crit = cr;
	if (o->cpid > 0) {
		f->pids = xmalloc(sizeof(*f->pids));
		f->pids[0] = o->cpid;
		f->npids = 1;
	}
	(*count)++;
}

static void sysv_leaks(struct check_ctx *c, size_t *count)
{
	const struct objlist *l = ctx_objects(c, "leaks", "shm", NULL);
	for (size_t i = 0; l && i < l->n; i++) {
		const struct ipc_obj *o = l->v[i];
		if (num(o, "NATTCH") || o->cpid <= 0)
			continue;
		/* unused since it was made, changed or last detached */
		time_t last = o->ctime;
		unsigned long long at = num(o, "ATIME"), dt = num(o, "DTIME");
		if ((time_t)at > last)
			last = (time_t)at;
		if ((time_t)dt > last)
			last = (time_t)dt;
		double idle = difftime(c->now, last);
		/* the creator is asked after only for what is old enough to be a leak */
		if (idle <= c->warn[TH_LEAKS] && idle <= c->crit[TH_LEAKS])
			continue;
		if (creator_runs(o->cpid))
			continue;
		leak(c, o, idle,
		     xasprintf("not attached, creator pid %d gone", (int)o->cpid), count);
	}
}

static void posix_leaks(struct check_ctx *c, const char *kind, size_t *count)
{
	const struct objlist *l = ctx_objects(c, "leaks", kind, NULL);
	for (size_t i = 0; l && i < l->n; i++) {
		const struct ipc_obj *o = l->v[i];
		double idle = difftime(c->now, o->ctime);
		if ((idle <= c->warn[TH_LEAKS] && idle <= c->crit[TH_LEAKS]) ||
		    uid_has_process(c, o->uid))
			continue;
		/* the walk of descriptors and mappings is made only for these */
		if (obj_holders(o)->n)
			continue;
		const char *user = user_name(o->uid);
		char *why = user ? xasprintf("nobody holds it, owner %s (uid %u) has no process", user,
					     (unsigned)o->uid)
				 : xasprintf("nobody holds it, owner uid %u has no process",
					     (unsigned)o->uid);
		leak(c, o, idle, why, count);
	}
}

void check_leaks(struct check_ctx *c)
{
	static const char *const kinds_checked[] = { "shm", "pshm", "psem", "pmsg" };
	size_t counts[4] = { 0 }, total = 0;
	sysv_leaks(c, &counts[0]);
	for (size_t k = 1; k < 4; k++)
		posix_leaks(c, kinds_checked[k], &counts[k]);
	for (size_t k = 0; k < 4; k++) {
		struct metric *m = report_metric(c, "leaks", "leaked_objects", help_leaked, NULL);
		m->kind = kinds_checked[k];
		ull_format(counts[k], m->value, sizeof(m->value));
		total += counts[k];
	}
	struct metric *m = report_metric(c, "leaks", NULL, NULL, "leaks");
	m->in_prom = false;
	ull_format(total, m->value, sizeof(m->value));
	ull_format(0, m->min, sizeof(m->min));
}
