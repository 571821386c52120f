/* The report the checks fill: findings, metrics, states, and the objects
 * of the namespace they share. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../scan.h"
#include "../util.h"
#include "check.h"

const struct check_def check_defs[NCHECKS] = {
	{ "limits", "use of the kernel limits of IPC", check_limits },
	{ "leaks", "segments and POSIX objects nobody uses whose owner is gone", check_leaks },
	{ "queues", "message queues full, or holding messages nobody receives", check_queues },
	{ "semaphores", "semaphore sets with waiters and no operation: likely deadlocks",
	  check_semaphores },
	{ "stuck", "threads blocked in IPC system calls for long", NULL },
};

int check_index(const char *name)
{
	for (int k = 0; k < NCHECKS; k++)
		if (!strcmp(check_defs[k].name, name))
			return k;
	return -1;
}

const char *status_name(enum status s)
{
	static const char *const names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
	return names[s];
}

enum status status_worse(enum status a, enum status b)
{
	static const int rank[] = { 0, 2, 3, 1 };
	return rank[a] >= rank[b] ? a : b;
}

enum status thr_status(double v, double warn, double crit)
{
	if (v > crit)
		return ST_CRITICAL;
	if (v > warn)
		return ST_WARNING;
	return ST_OK;
}

void num_format(double v, char *buf, size_t len)
{
	if (v == floor(v) && fabs(v) < 9e15)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.2f", v);
}

void ull_format(unsigned long long v, char *buf, size_t len)
{
	snprintf(buf, len, "%llu", v);
}

const struct objlist *ctx_objects(struct check_ctx *c, const char *check, const char *name,
				  const struct kind **kp)
{
	size_t i;
	for (i = 0; i < nkinds && strcmp(kinds[i]->name, name); i++)
		;
	if (i == nkinds)
		return NULL;
	const struct kind *k = kinds[i];
	if (kp)
		*kp = k;
	if (!c->scanned[i]) {
		struct scan_note note = { NULL };
		c->scanned[i] = true;
		c->scan_err[i] = k->scan(&c->lists[i], &note);
		c->scan_note[i] = note.text;
	}
	unsigned bit = 1u << check_index(check);
	if (c->scan_err[i] < 0 && !(c->scan_told[i] & bit)) {
		/* each check that reads the kind is as unsure as the first */
		c->scan_told[i] |= bit;
		char *t = xasprintf("%s: cannot list: %s", k->name, strerror(-c->scan_err[i]));
		report_add(c, check, ST_UNKNOWN, t)->kind = k->name;
	}
	if (c->scan_err[i] < 0 || c->scan_note[i])
		return NULL;
	return &c->lists[i];
}

const char *ctx_note(struct check_ctx *c, const char *name)
{
	for (size_t i = 0; i < nkinds; i++)
		if (!strcmp(kinds[i]->name, name))
			return c->scan_note[i];
	return NULL;
}

void ctx_forget(struct check_ctx *c)
{
	for (size_t i = 0; i < nkinds; i++) {
		objlist_free(&c->lists[i]);
		free(c->scan_note[i]);
		c->scan_note[i] = NULL;
		c->scanned[i] = false;
		c->scan_err[i] = 0;
		c->scan_told[i] = 0;
	}
}

struct finding *report_add(struct check_ctx *c, const char *check, enum status st, char *text)
{
	struct report *r = c->r;
	r->f = xrealloc(r->f, (r->nf + 1) * sizeof(*r->f));
	struct finding *f = &r->f[r->nf++];
	memset(f, 0, sizeof(*f));
	f->check = check;
	f->status = st;
	f->ns = c->ns;
	f->id = -1;
	f->text = text;
	return f;
}

struct finding *report_obj(struct check_ctx *c, const char *check, enum status st, char *text,
			   const struct ipc_obj *o)
{
	struct finding *f = report_add(c, check, st, text);
	f->kind = o->kind->name;
	f->id = o->id;
	f->key = o->key;
	if (o->kind->named)
		f->name = xasprintf("/%s", o->name);
	f->has_value = true;
	return f;
}

struct metric *report_metric(struct check_ctx *c, const char *check, const char *prom,
			     const char *help, const char *label)
{
	struct report *r = c->r;
	r->m = xrealloc(r->m, (r->nm + 1) * sizeof(*r->m));
	struct metric *m = &r->m[r->nm++];
	memset(m, 0, sizeof(*m));
	m->check = check;
	m->prom = prom;
	m->help = help;
	m->label = label;
	m->in_prom = true;
	m->ns = c->ns;
	m->uom = "";
	return m;
}

void report_free(struct report *r)
{
	for (size_t i = 0; i < r->nf; i++) {
		free(r->f[i].text);
		free(r->f[i].name);
		free(r->f[i].pids);
	}
	free(r->f);
	free(r->m);
	memset(r, 0, sizeof(*r));
}

enum status report_status(const struct report *r)
{
	enum status s = ST_OK;
	for (size_t i = 0; i < r->nf; i++)
		s = status_worse(s, r->f[i].status);
	return s;
}
