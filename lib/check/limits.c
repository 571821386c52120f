/* limits: the use of each kernel limit of IPC that objects use up. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ipclimits.h"
#include "../util.h"
#include "check.h"

/* The limits that run out, and the kind whose objects use each. */
static const char *const checked[] = { "msgmni", "shmmni", "shmall", "semmni", "semmns",
				       "queues_max" };

static const char help_limit[] = "Value of a kernel limit of IPC.";
static const char help_used[] = "Current use of a kernel limit of IPC, in the limit's unit.";

/* pct% of limit, rounded down; exact for whole percentages of any limit
 * (shmall is near 2^64, beyond what a double holds). */
static unsigned long long pct_of(unsigned long long limit, double pct)
{
	if (pct == floor(pct))
		return (unsigned long long)((unsigned __int128)limit * (unsigned)pct / 100);
	return (unsigned long long)((long double)limit * pct / 100);
}

/* One limit's metrics and, when over a threshold, its finding. */
static void judge(struct check_ctx *c, const char *name, const char *kind, const char *unit,
		  const char *uom, unsigned long long limit, unsigned long long used)
{
	double wp = c->warn[TH_LIMITS], cp = c->crit[TH_LIMITS];
	/* thresholds in the limit's own unit, as perfdata wants them, rounded down */
	unsigned long long wabs = pct_of(limit, wp), cabs = pct_of(limit, cp);
	struct metric *m = report_metric(c, "limits", "limit_used", help_used, name);
	m->kind = kind;
	m->limit = name;
	m->uom = uom;
	ull_format(used, m->value, sizeof(m->value));
	ull_format(wabs, m->warn, sizeof(m->warn));
	ull_format(cabs, m->crit, sizeof(m->crit));
	ull_format(0, m->min, sizeof(m->min));
	ull_format(limit, m->max, sizeof(m->max));
	m = report_metric(c, "limits", "limit", help_limit, NULL);
	m->kind = kind;
	m->limit = name;
	ull_format(limit, m->value, sizeof(m->value));

	enum status st = used > cabs ? ST_CRITICAL : used > wabs ? ST_WARNING : ST_OK;
	if (st == ST_OK)
		return;
	double pct = limit ? 100.0 * (double)used / (double)limit : 100;
	char th[32];
	thr_format(TU_PERCENT, st == ST_CRITICAL ? cp : wp, th, sizeof(th));
	struct finding *f = report_add(c, "limits", st,
				       xasprintf("%s: %llu of %llu %s used (%.1f%%, over %s)", name,
						 used, limit, unit, pct, th));
	f->kind = kind;
	f->limit = name;
	f->has_value = true;
	f->value = pct;
	f->unit = TU_PERCENT;
	f->warn = wp;
	f->crit = cp;
}

void check_limits(struct check_ctx *c)
{
	for (size_t i = 0; i < sizeof(checked) / sizeof(checked[0]); i++) {
		const struct ipc_limit *lim = ipc_limit_by_name(checked[i]);
		unsigned long long limit, used;
		int r = ipc_limit_value(lim, &limit);
		if (r < 0) {
			report_add(c, "limits", ST_UNKNOWN,
				   xasprintf("%s: cannot read %s: %s", lim->name, lim->path,
					     strerror(-r)))->limit = lim->name;
			continue;
		}
		const struct kind *k;
		const struct objlist *l = ctx_objects(c, "limits", lim->kind, &k);
		if (!l)
			continue;	/* said by ctx_objects, or not mounted */
		r = ipc_limit_use(lim, k, l, &used);
		if (r < 0) {
			report_add(c, "limits", ST_UNKNOWN,
				   xasprintf("%s: cannot count the use: %s", lim->name,
					     strerror(-r)))->limit = lim->name;
			continue;
		}
		judge(c, lim->name, lim->kind, lim->unit, "", limit, used);
	}
	unsigned long long size, used;
	int r = shmfs_usage(&size, &used);
	if (r < 0)
		report_add(c, "limits", ST_UNKNOWN,
			   xasprintf("shm_fs: cannot read /dev/shm: %s", strerror(-r)))->limit = "shm_fs";
	else
		judge(c, "shm_fs", "pshm", "bytes", "B", size, used);
}
