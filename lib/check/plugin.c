/*
 * The monitoring-plugin output that Nagios, Icinga and Sensu read: a
 * status line "IPCX STATE - summary | perfdata", then one line per
 * finding. Perfdata follows the plugin guidelines:
 * 'label'=value[UOM];[warn];[crit];[min];[max].
 */
#include <stdio.h>
#include <string.h>

#include "check.h"

/* A finding's line: a '|' in a name would start performance data, so it is
 * written as the other escapes of names are. */
static void text(FILE *f, const char *s)
{
	for (; *s; s++)
		if (*s == '|')
			fputs("\\x7c", f);
		else
			fputc(*s, f);
	fputc('\n', f);
}

static void perf(FILE *f, const struct report *r)
{
	bool first = true;
	for (size_t i = 0; i < r->nm; i++) {
		const struct metric *m = &r->m[i];
		if (!m->label)
			continue;
		fputs(first ? " | " : " ", f);
		first = false;
		if (r->all_ns && m->ns)
			fprintf(f, "'%s@%lu'=%s%s", m->label, (unsigned long)m->ns, m->value, m->uom);
		else
			fprintf(f, "'%s'=%s%s", m->label, m->value, m->uom);
		const char *fields[] = { m->warn, m->crit, m->min, m->max };
		int last = -1;
		for (int j = 0; j < 4; j++)
			if (*fields[j])
				last = j;
		for (int j = 0; j <= last; j++)
			fprintf(f, ";%s", fields[j]);
	}
}

void print_plugin(FILE *f, const struct report *r)
{
	static const enum status order[] = { ST_CRITICAL, ST_WARNING, ST_UNKNOWN };
	static const char *const words[] = { "ok", "warning", "critical", "unknown" };
	fprintf(f, "IPCX %s - ", status_name(report_status(r)));
	/* the summary: "leaks: 1 critical, 2 warning; limits: 1 warning" */
	if (!r->nf) {
		bool first = true;
		for (int k = 0; k < NCHECKS; k++)
			if (r->ran[k]) {
				fprintf(f, "%s%s", first ? "" : ", ", check_defs[k].name);
				first = false;
			}
		fputs(": no findings", f);
	} else {
		bool any = false;
		for (int k = 0; k < NCHECKS; k++) {
			bool first = true;
			for (int s = 0; s < 3; s++) {
				size_t n = r->count[k][order[s]];
				if (!n)
					continue;
				if (first)
					fprintf(f, "%s%s: ", any ? "; " : "", check_defs[k].name);
				else
					fputs(", ", f);
				fprintf(f, "%zu %s", n, words[order[s]]);
				first = false;
				any = true;
			}
		}
	}
	perf(f, r);
	fputc('\n', f);
	/* long output, worst first, each state in the order found */
	for (int s = 0; s < 3; s++)
		for (size_t i = 0; i < r->nf; i++) {
			const struct finding *x = &r->f[i];
			if (x->status != order[s])
				continue;
			fprintf(f, "%s: %s: ", status_name(x->status), x->check);
			if (r->all_ns && x->ns)
				fprintf(f, "ns %lu: ", (unsigned long)x->ns);
			text(f, x->text);
		}
}
