/* ipcx who: which processes hold or wait on which objects. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/holders.h"
#include "../lib/kind.h"
#include "../lib/kinds/common.h"
#include "../lib/out.h"
#include "../lib/parse.h"
#include "../lib/proc.h"
#include "../lib/pscan.h"
#include "../lib/scan.h"
#include "../lib/util.h"
#include "commands.h"

const struct option who_longopts[] = {
	OUT_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

enum { W_PID, W_TID, W_COMMAND, W_KIND, W_OBJECT, W_HOW, W_ACCESS, W_FD, W_ADDRESS, W_SYSCALL, NW };

static const struct column who_cols[] = {
	{ "PID", CT_NUM, COL_RIGHT, 0.1, "process id", NULL },
	{ "TID", CT_NUM, COL_RIGHT, 0.1, "thread id, for a wait", NULL },
	{ "COMMAND", CT_STR, COL_TRUNC, 0.2, "process command", NULL },
	{ "KIND", CT_STR, 0, 0.1, "kind of the object", NULL },
	{ "OBJECT", CT_STR, COL_TRUNC, 0.3, "the object: id (and key) or name", NULL },
	{ "HOW", CT_STR, 0, 0.1, "attached, mapped, open or waiting", NULL },
	{ "ACCESS", CT_STR, 0, 0.1, "r, w or rw", NULL },
	{ "FD", CT_NUM, COL_RIGHT, 0.1, "descriptor", NULL },
	{ "ADDRESS", CT_STR, 0, 0.2, "address range of an attachment or mapping", NULL },
	{ "SYSCALL", CT_STR, 0, 0.1, "system call a waiting thread is blocked in", NULL },
};
static const char defcols[] = "PID,COMMAND,KIND,OBJECT,HOW,ACCESS,FD,SYSCALL";

static void usage(FILE *f)
{
	fprintf(f, "Usage: ipcx who [OPTIONS] [PID...]\n"
		   "       ipcx who [OPTIONS] KIND ID|KEY|NAME\n\n"
		   "Show what processes hold (attach, map, keep open) or wait on (blocked in a\n"
		   "system call): for every process or the PIDs given, or for one object.\n"
		   "Kinds: %s\n", kind_names());
	out_usage(f);
	fputs("\n  -h, --help             show this help\n", f);
}

static const char *how_word(enum holder_how h)
{
	static const char *const words[] = { "attached", "mapped", "open", "waiting" };
	return words[h];
}

struct who {
	struct out_tab *t;
	const struct colsel *sel;
	pid_t *pids;
	size_t npids;
	size_t rows;
};

static bool wanted(const struct who *w, pid_t pid)
{
	if (!w->npids)
		return true;
	for (size_t i = 0; i < w->npids; i++)
		if (w->pids[i] == pid)
			return true;
	return false;
}

static void emit(struct who *w, const struct ipc_obj *o, const char *obj, const struct holder *h)
{
	struct cell c[NW];
	const char *acc = h->rd && h->wr ? "rw" : h->wr ? "w" : h->rd ? "r" : NULL;
	memset(c, 0, sizeof(c));
	cell_num(&c[W_PID], (unsigned long long)h->pid);
	if (h->how == H_WAITING)
		cell_num(&c[W_TID], (unsigned long long)h->tid);
	else
		c[W_TID].state = CELL_ABSENT;
	cell_str(&c[W_COMMAND], proc_comm(h->pid));
	cell_str(&c[W_KIND], o->kind->name);
	cell_str(&c[W_OBJECT], obj);
	cell_str(&c[W_HOW], how_word(h->how));
	cell_str(&c[W_ACCESS], h->how == H_WAITING ? NULL : acc);
	if (h->fd >= 0)
		cell_num(&c[W_FD], (unsigned long long)h->fd);
	else
		c[W_FD].state = CELL_ABSENT;
	if (h->how == H_ATTACHED || h->how == H_MAPPED) {
		snprintf(c[W_ADDRESS].buf, sizeof(c[W_ADDRESS].buf), "%lx-%lx", h->start, h->end);
		cell_str(&c[W_ADDRESS], c[W_ADDRESS].buf);
	} else {
		c[W_ADDRESS].state = CELL_ABSENT;
	}
	cell_str(&c[W_SYSCALL], h->how == H_WAITING ? syscall_name(h->syscall) : NULL);
	struct cell row[NW];
	for (size_t i = 0; i < w->sel->n; i++)
		row[i] = c[w->sel->v[i] - who_cols];
	out_row(w->t, row);
	w->rows++;
}

static void who_object(struct who *w, const struct ipc_obj *o)
{
	const struct holders *h = obj_holders(o);
	char *label = NULL;
	for (size_t i = 0; i < h->n; i++)
		if (wanted(w, h->v[i].pid)) {
			if (!label)
				label = obj_label(o);
			emit(w, o, strchr(label, ' ') + 1, &h->v[i]);
		}
	free(label);
}

int cmd_who(int argc, char **argv)
{
	struct out_opts o;
	int c;
	out_init(&o);
	while ((c = getopt_long(argc, argv, ":" OUT_SHORTOPTS "h", who_longopts, NULL)) != -1) {
		if (out_opt(&o, c, optarg))
			continue;
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		bad_option(argv, c);
	}
	if (o.list_columns) {
		out_list_columns("who", who_cols, NW, defcols);
		return 0;
	}
	if (o.sort)
		die_usage("--sort is not available for who: rows follow the kinds' order");
	char **args = argv + optind;
	int nargs = argc - optind;
	const struct kind *one = NULL;
	struct who w = { 0 };
	if (nargs > 0 && !(args[0][0] >= '0' && args[0][0] <= '9')) {
		one = kind_arg(args[0]);
		if (nargs != 2)
			die_usage("expected KIND and one ID|KEY|NAME");
	} else {
		w.pids = xcalloc((size_t)nargs, sizeof(*w.pids));
		for (int i = 0; i < nargs; i++) {
			unsigned long long v;
			const char *why;
			if (parse_uint(args[i], 0x7fffffff, &v, &why) < 0 || v == 0)
				die_usage("invalid pid '%s': expected a process id", args[i]);
			if (!proc_alive((pid_t)v))
				die(EXIT_RUNTIME, "no process %llu", v);
			w.pids[w.npids++] = (pid_t)v;
		}
	}

	struct colsel sel;
	out_select(&o, who_cols, NW, defcols, "who", false, &sel);
	w.sel = &sel;
	struct out_doc *doc = out_begin(&o);
	w.t = out_table(doc, "who", NULL, &sel);
	int rc = 0;
	if (one) {
		struct objlist l = { 0 };
		struct ipc_obj *obj = scan_find(one, args[1], &l);
		if (obj)
			who_object(&w, obj);
		else
			rc = EXIT_RUNTIME;
		out_end(doc);
		objlist_free(&l);
	} else {
		struct objlist *lists = xcalloc(nkinds, sizeof(*lists));
		/* every kind is asked in turn: one walk of /proc serves them all */
		pscan_want(PS_FDS | PS_FDINFO | PS_MAPS | PS_WAITS);
		/* about a row per descriptor, mapping and wait: their heap at once */
		const struct pscan *ps = pscan_get(PS_FDS | PS_FDINFO | PS_MAPS | PS_WAITS);
		size_t uses = 0;
		for (size_t i = 0; i < ps->n; i++)
			uses += ps->v[i].nfds + ps->v[i].nmaps + ps->v[i].nwaits;
		out_expect_rows(w.t, uses);
		/* printing is most of what is left once the walk is done: the
		 * second CPU starts on it while the kinds are read */
		out_print_early(w.t);
		for (size_t i = 0; i < nkinds; i++) {
			if (scan_kind(kinds[i], &lists[i]) < 0)
				rc = EXIT_RUNTIME;
			for (size_t j = 0; j < lists[i].n; j++)
				who_object(&w, lists[i].v[j]);
		}
		out_end(doc);
		for (size_t i = 0; i < nkinds; i++)
			objlist_free(&lists[i]);
		free(lists);
	}
	pscan_report_denied();
	pscan_free();
	colsel_free(&sel);
	free(w.pids);
	return rc;
}
