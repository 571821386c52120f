/* --json: the state, each check's state, every finding and every metric, typed. */
#include <stdio.h>
#include <string.h>

#include "../json.h"
#include "check.h"

static void str_or_null(FILE *f, const char *s)
{
	if (s)
		json_str(f, s, strlen(s));
	else
		fputs("null", f);
}

/* A preformatted number, or null when empty. */
static void num_or_null(FILE *f, const char *s)
{
	fputs(*s ? s : "null", f);
}

static void dbl(FILE *f, double v)
{
	char b[40];
	num_format(v, b, sizeof(b));
	fputs(b, f);
}

void print_json(FILE *f, const struct report *r)
{
	enum status st = report_status(r);
	fprintf(f, "{\"status\":\"%s\",\"code\":%d,\"checks\":[", status_name(st), (int)st);
	bool first = true;
	for (int k = 0; k < NCHECKS; k++) {
		if (!r->ran[k])
			continue;
		fprintf(f, "%s{\"check\":\"%s\",\"status\":\"%s\",\"findings\":%zu}",
			first ? "" : ",", check_defs[k].name, status_name(r->status[k]),
			r->count[k][1] + r->count[k][2] + r->count[k][3]);
		first = false;
	}
	fputs("],\"findings\":[", f);
	for (size_t i = 0; i < r->nf; i++) {
		const struct finding *x = &r->f[i];
		fprintf(f, "%s{\"check\":\"%s\",\"status\":\"%s\",\"namespace\":", i ? "," : "",
			x->check, status_name(x->status));
		if (x->ns)
			fprintf(f, "%lu", (unsigned long)x->ns);
		else
			fputs("null", f);
		fputs(",\"kind\":", f);
		str_or_null(f, x->kind);
		fputs(",\"id\":", f);
		if (x->id >= 0)
			fprintf(f, "%lld", x->id);
		else
			fputs("null", f);
		fputs(",\"key\":", f);
		if (x->id >= 0 && x->kind && strcmp(x->kind, "pmsg"))
			fprintf(f, "\"0x%08x\"", (unsigned)x->key);
		else
			fputs("null", f);
		fputs(",\"name\":", f);
		str_or_null(f, x->name);
		fputs(",\"limit\":", f);
		str_or_null(f, x->limit);
		fputs(",\"value\":", f);
		if (x->has_value)
			dbl(f, x->value);
		else
			fputs("null", f);
		fprintf(f, ",\"unit\":%s,\"warn\":", !x->has_value ? "null"
					    : x->unit == TU_PERCENT ? "\"%\"" : "\"s\"");
		if (x->has_value)
			dbl(f, x->warn);
		else
			fputs("null", f);
		fputs(",\"crit\":", f);
		if (x->has_value)
			dbl(f, x->crit);
		else
			fputs("null", f);
		fputs(",\"pids\":[", f);
		for (size_t p = 0; p < x->npids; p++)
			fprintf(f, "%s%d", p ? "," : "", (int)x->pids[p]);
		fputs("],\"message\":", f);
		json_str(f, x->text, strlen(x->text));
		fputc('}', f);
	}
	fputs("],\"metrics\":[", f);
	first = true;
	for (size_t i = 0; i < r->nm; i++) {
		const struct metric *m = &r->m[i];
		fprintf(f, "%s{\"check\":\"%s\",\"metric\":", first ? "" : ",", m->check);
		first = false;
		if (m->in_prom)
			fprintf(f, "\"ipcx_%s\"", m->prom);
		else
			fputs("null", f);
		fputs(",\"label\":", f);
		str_or_null(f, m->label);
		fputs(",\"namespace\":", f);
		if (m->ns)
			fprintf(f, "%lu", (unsigned long)m->ns);
		else
			fputs("null", f);
		fputs(",\"kind\":", f);
		str_or_null(f, m->kind);
		fputs(",\"limit\":", f);
		str_or_null(f, m->limit);
		fprintf(f, ",\"value\":%s,\"unit\":", m->value);
		str_or_null(f, *m->uom ? m->uom : NULL);
		fputs(",\"warn\":", f);
		num_or_null(f, m->warn);
		fputs(",\"crit\":", f);
		num_or_null(f, m->crit);
		fputs(",\"min\":", f);
		num_or_null(f, m->min);
		fputs(",\"max\":", f);
		num_or_null(f, m->max);
		fputc('}', f);
	}
	fputs("]}\n", f);
}
