/* ipcx check: health checks for scripts and monitoring systems. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/check/check.h"
#include "../lib/ns.h"
#include "../lib/out.h"
#include "../lib/util.h"
#include "commands.h"

enum { OPT_PROMETHEUS = 0x500, OPT_ALL_NS };

const struct option check_longopts[] = {
	{ "warn", required_argument, NULL, 'w' },
	{ "crit", required_argument, NULL, 'c' },
	{ "prometheus", no_argument, NULL, OPT_PROMETHEUS },
	{ "json", no_argument, NULL, 'J' },
	{ "all-ns", no_argument, NULL, OPT_ALL_NS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

enum format { F_PLUGIN, F_PROMETHEUS, F_JSON };

static void usage(FILE *f)
{
	fputs("Usage: ipcx check [OPTIONS] [CHECK...]\n\n"
	      "Check the health of IPC and report as a monitoring plugin does: a status\n"
	      "line with performance data, one line per finding, and exit 0 OK, 1 WARNING,\n"
	      "2 CRITICAL or 3 UNKNOWN (also for bad arguments).\n\nChecks (all by default):\n", f);
	for (int k = 0; k < NCHECKS; k++)
		fprintf(f, "  %-12s %s\n", check_defs[k].name, check_defs[k].summary);
	fputs("\nThresholds (KEY=VALUE, defaults warning/critical):\n", f);
	for (int t = 0; t < NTHR; t++) {
		char w[32], c[32];
		thr_format(thr_defs[t].unit, thr_defs[t].warn, w, sizeof(w));
		thr_format(thr_defs[t].unit, thr_defs[t].crit, c, sizeof(c));
		fprintf(f, "  %-14s %s/%s: %s\n", thr_defs[t].key, w, c, thr_defs[t].what);
	}
	fputs("\nOptions:\n"
	      "  -w, --warn KEY=VALUE   warning threshold (80%, 30s, 5m, 2h, 7d), repeatable\n"
	      "  -c, --crit KEY=VALUE   critical threshold, repeatable\n"
	      "      --prometheus       Prometheus text format, for node_exporter's textfile collector\n"
	      "  -J, --json             every finding and metric as JSON\n"
	      "      --all-ns           check every IPC namespace of the host\n"
	      "  -h, --help             show this help\n", f);
}

/* Runs the checks of one namespace, which is entered already. */
static void run_namespace(struct check_ctx *c, const bool sel[])
{
	for (int k = 0; k < NCHECKS; k++)
		if (sel[k] && check_defs[k].run_ns)
			check_defs[k].run_ns(c);
	ctx_forget(c);
}

int cmd_check(int argc, char **argv)
{
	ipcx_usage_exit = ST_UNKNOWN;
	struct report r = { 0 };
	struct check_ctx c = { .r = &r };
	enum format fmt = F_PLUGIN;
	bool all_ns = false;
	int opt;
	for (int t = 0; t < NTHR; t++) {
		c.warn[t] = thr_defs[t].warn;
		c.crit[t] = thr_defs[t].crit;
	}
	while ((opt = getopt_long(argc, argv, ":w:c:Jh", check_longopts, NULL)) != -1) {
		char *why;
		switch (opt) {
		case 'w':
		case 'c':
			if (thr_parse(optarg, opt == 'w' ? c.warn : c.crit, &why) < 0)
				die_usage("%s", why);
			break;
		case OPT_PROMETHEUS:
			fmt = F_PROMETHEUS;
			break;
		case 'J':
			fmt = F_JSON;
			break;
		case OPT_ALL_NS:
			all_ns = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			bad_option(argv, opt);
		}
	}
	bool sel[NCHECKS] = { false };
	for (int i = optind; i < argc; i++) {
		int k = check_index(argv[i]);
		if (k < 0) {
			char *e = esc_bytes(argv[i], strlen(argv[i]));
			die_usage("unknown check '%s': expected limits, leaks, queues, semaphores or stuck",
				  e);
		}
		sel[k] = true;
	}
	if (optind == argc)
		for (int k = 0; k < NCHECKS; k++)
			sel[k] = true;

	c.now = time(NULL);
	c.all_ns = r.all_ns = all_ns;
	memcpy(r.ran, sel, sizeof(r.ran));
	/* what is read of the processes is read once, in our own namespaces */
	struct ipc_wait *waits = NULL;
	uid_t *uids = NULL;
	if (sel[CK_SEMAPHORES] || sel[CK_STUCK])
		waits_collect(all_ns, &waits, &c.nwaits);
	if (sel[CK_LEAKS])
		uids_collect(&uids, &c.nuids);
	c.waits = waits;
	c.uids = uids;

	ino_t own = ns_current();
	struct ipcns *nss = NULL;
	size_t nns = 1;
	if (all_ns && ipcns_list(&nss, &nns) < 0) {
		c.ns = own;
		report_add(&c, "limits", ST_UNKNOWN,
			   xasprintf("cannot list IPC namespaces: %s", strerror(errno)));
		nns = 0;
	}
	bool per_ns = false;
	for (int k = 0; k < NCHECKS; k++)
		per_ns |= sel[k] && check_defs[k].run_ns;
	for (size_t n = 0; n < nns && per_ns; n++) {
		bool enter = all_ns && nss[n].ino != own;
		const char *why;
		c.ns = all_ns ? nss[n].ino : own;
		if (enter && ns_enter(nss[n].pid, &why) < 0) {
			int first;
			for (first = 0; !sel[first] || !check_defs[first].run_ns; first++)
				;
			report_add(&c, check_defs[first].name, ST_UNKNOWN,
				   xasprintf("cannot enter (pid %d): %s", (int)nss[n].pid, why));
			continue;
		}
		run_namespace(&c, sel);
		if (enter)
			ns_return();
	}
	if (sel[CK_STUCK]) {
		c.ns = all_ns ? 0 : own;
		check_stuck(&c);
	}

	for (size_t i = 0; i < r.nf; i++) {
		int k = check_index(r.f[i].check);
		r.count[k][r.f[i].status]++;
		r.status[k] = status_worse(r.status[k], r.f[i].status);
	}
	switch (fmt) {
	case F_PLUGIN:
		print_plugin(stdout, &r);
		break;
	case F_PROMETHEUS:
		print_prometheus(stdout, &r);
		break;
	case F_JSON:
		print_json(stdout, &r);
		break;
	}
	enum status st = report_status(&r);
	report_free(&r);
	free(nss);
	free(waits);
	free(uids);
	return (int)st;
}
