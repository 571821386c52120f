/*
 * queues: message queues that are full, or that hold messages nobody has
 * received for long. Fill is USEDBYTES of QBYTES for System V (a sender
 * blocks on bytes) and MSGS of MAXMSG for POSIX (a sender blocks on the
 * count). A System V queue is stale when it holds messages and has had no
 * receive (RTIME, or its creation when there was none) for longer than
 * the threshold; a POSIX queue keeps no receive time, so its last change
 * of data (MTIME: any send or receive) stands in.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../out.h"
#include "../util.h"
#include "check.h"

static const char help_full[] = "Queues filled beyond the warning threshold.";
static const char help_stale[] =
	"Queues holding messages with no receive for longer than the warning threshold.";

static bool num(const struct ipc_obj *o, const char *col, unsigned long long *v)
{
	const struct column *c = kind_column(o->kind, col);
	struct cell cell;
	if (!c)
		return false;
	cell_get(c, o, &cell);
	*v = cell.num;
	return cell.state == CELL_OK;
}

struct tally {
	size_t full, stale;
	double maxfill;
};

static void one_queue(struct check_ctx *c, const struct ipc_obj *o, bool sysv, struct tally *t)
{
	unsigned long long used, cap = 0, msgs, rtime = 0;
	/* QBYTES costs a system call: an empty queue is 0% full without it */
	bool ok = sysv ? num(o, "USEDBYTES", &used) && (!used || num(o, "QBYTES", &cap))
		       : num(o, "MSGS", &used) && num(o, "MAXMSG", &cap);
	char *label = obj_label(o);
	if (!ok || !num(o, "MSGS", &msgs)) {
		report_obj(c, "queues", ST_UNKNOWN, xasprintf("%s: cannot read its fill", label), o)
			->has_value = false;
		free(label);
		return;
	}
	double fill = used && cap ? 100.0 * (double)used / (double)cap : 0;
	if (fill > t->maxfill)
		t->maxfill = fill;
	double w = c->warn[TH_QUEUES_FULL], cr = c->crit[TH_QUEUES_FULL];
	enum status st = thr_status(fill, w, cr);
	if (st != ST_OK) {
		char th[32];
		thr_format(TU_PERCENT, st == ST_CRITICAL ? cr : w, th, sizeof(th));
		struct finding *f = report_obj(
			c, "queues", st, xasprintf("%s: %.1f%% full, %llu of %llu %s (over %s)", label, fill,
					    used, cap, sysv ? "bytes" : "messages", th), o);
		f->value = fill;
		f->unit = TU_PERCENT;
		f->warn = w;
		f->crit = cr;
		t->full++;
	}
	if (msgs) {
		time_t last = o->ctime;
		if (sysv && num(o, "RTIME", &rtime) && (time_t)rtime > last)
			last = (time_t)rtime;
		double idle = difftime(c->now, last);
		w = c->warn[TH_QUEUES_STALE];
		cr = c->crit[TH_QUEUES_STALE];
		st = thr_status(idle, w, cr);
		if (st != ST_OK) {
			char th[32], d[32];
			thr_format(TU_SECONDS, st == ST_CRITICAL ? cr : w, th, sizeof(th));
			dur_format(idle, d, sizeof(d));
			struct finding *f = report_obj(
				c, "queues", st,
				xasprintf("%s: %llu message%s waiting, no %s for %s (over %s)", label, msgs,
					  msgs == 1 ? "" : "s", sysv ? "receive" : "send or receive", d,
					  th), o);
			f->value = idle;
			f->unit = TU_SECONDS;
			f->warn = w;
			f->crit = cr;
			t->stale++;
		}
	}
	free(label);
}

void check_queues(struct check_ctx *c)
{
	static const char *const qkinds[] = { "msg", "pmsg" };
	struct tally total = { 0, 0, 0 };
	for (size_t k = 0; k < 2; k++) {
		struct tally t = { 0, 0, 0 };
		const struct objlist *l = ctx_objects(c, "queues", qkinds[k], NULL);
		for (size_t i = 0; l && i < l->n; i++)
			one_queue(c, l->v[i], k == 0, &t);
		struct metric *m = report_metric(c, "queues", "full_queues", help_full, NULL);
		m->kind = qkinds[k];
		ull_format(t.full, m->value, sizeof(m->value));
		m = report_metric(c, "queues", "stale_queues", help_stale, NULL);
		m->kind = qkinds[k];
		ull_format(t.stale, m->value, sizeof(m->value));
		total.full += t.full;
		total.stale += t.stale;
		if (t.maxfill > total.maxfill)
			total.maxfill = t.maxfill;
	}
	struct metric *m = report_metric(c, "queues", NULL, NULL, "queue_fill_max");
	m->in_prom = false;
	m->uom = "%";
	snprintf(m->value, sizeof(m->value), "%.1f", total.maxfill);
	num_format(c->warn[TH_QUEUES_FULL], m->warn, sizeof(m->warn));
	num_format(c->crit[TH_QUEUES_FULL], m->crit, sizeof(m->crit));
	ull_format(0, m->min, sizeof(m->min));
	ull_format(100, m->max, sizeof(m->max));
	m = report_metric(c, "queues", NULL, NULL, "queues_stale");
	m->in_prom = false;
	ull_format(total.stale, m->value, sizeof(m->value));
	ull_format(0, m->min, sizeof(m->min));
}
