/*
 * The Prometheus text exposition format, for node_exporter's textfile
 * collector: every metric named ipcx_..., with HELP and TYPE lines once
 * per name and its samples together, labelled by namespace, kind and
 * limit.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"

static void labels(FILE *f, const struct metric *m)
{
	fprintf(f, "{namespace=\"%lu\"", (unsigned long)m->ns);
	if (m->kind)
		fprintf(f, ",kind=\"%s\"", m->kind);
	if (m->limit)
		fprintf(f, ",limit=\"%s\"", m->limit);
	fputc('}', f);
}

void print_prometheus(FILE *f, const struct report *r)
{
	for (size_t i = 0; i < r->nm; i++) {
		const struct metric *m = &r->m[i];
		if (!m->in_prom)
			continue;
		/* a name is printed at its first sample, with all its samples */
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = r->m[j].in_prom && !strcmp(r->m[j].prom, m->prom);
		if (seen)
			continue;
		fprintf(f, "# HELP ipcx_%s %s\n# TYPE ipcx_%s gauge\n", m->prom, m->help, m->prom);
		for (size_t j = i; j < r->nm; j++) {
			const struct metric *x = &r->m[j];
			if (!x->in_prom || strcmp(x->prom, m->prom))
				continue;
			fprintf(f, "ipcx_%s", x->prom);
			labels(f, x);
			fprintf(f, " %s\n", x->value);
		}
	}
	fputs("# HELP ipcx_check_status State of each check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
	      "# TYPE ipcx_check_status gauge\n", f);
	for (int k = 0; k < NCHECKS; k++)
		if (r->ran[k])
			fprintf(f, "ipcx_check_status{check=\"%s\"} %d\n", check_defs[k].name,
				(int)r->status[k]);
	fputs("# HELP ipcx_findings Findings of each check by state.\n"
	      "# TYPE ipcx_findings gauge\n", f);
	static const char *const sev[] = { "warning", "critical", "unknown" };
	for (int k = 0; k < NCHECKS; k++)
		for (int s = 1; s <= 3 && r->ran[k]; s++)
			fprintf(f, "ipcx_findings{check=\"%s\",state=\"%s\"} %zu\n", check_defs[k].name,
				sev[s - 1], r->count[k][s]);
}
