/* ipcx sig: the signal state of processes and threads, and their handlers. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/kinds/common.h"
#include "../lib/out.h"
#include "../lib/parse.h"
#include "../lib/proc.h"
#include "../lib/ptrace_inject.h"
#include "../lib/saflags.h"
#include "../lib/signame.h"
#include "../lib/sigstate.h"
#include "../lib/symbolize.h"
#include "../lib/util.h"
#include "commands.h"

enum { OPT_THREADS = OPT_OUT_LAST, OPT_HANDLERS };

const struct option sig_longopts[] = {
	OUT_LONGOPTS,
	{ "threads", no_argument, NULL, OPT_THREADS },
	{ "handlers", no_argument, NULL, OPT_HANDLERS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

enum { S_PID, S_TID, S_COMMAND, S_PENDING, S_SHDPND, S_BLOCKED, S_IGNORED, S_CAUGHT, S_HELD,
       S_SIGQ, S_SIGQLIM, NS };

static const struct column state_cols[] = {
	{ "PID", CT_NUM, COL_RIGHT, 0.1, "process id", NULL },
	{ "TID", CT_NUM, COL_RIGHT, 0.1, "thread id, with --threads", NULL },
	{ "COMMAND", CT_STR, COL_TRUNC, 0.1, "process command, or the thread's name", NULL },
	{ "PENDING", CT_STR, 0, 0.2, "signals pending on the thread", NULL },
	{ "SHDPND", CT_STR, 0, 0.2, "signals pending on the process", NULL },
	{ "BLOCKED", CT_STR, 0, 0.2, "blocked signals", NULL },
	{ "IGNORED", CT_STR, 0, 0.2, "ignored signals", NULL },
	{ "CAUGHT", CT_STR, 0, 0.2, "signals with a handler", NULL },
	{ "HELD", CT_STR, 0, 0.2, "pending signals kept back by the blocked set", NULL },
	{ "SIGQ", CT_NUM, COL_RIGHT, 0.1, "signals queued for the process's real user", NULL },
	{ "SIGQLIM", CT_NUM, COL_RIGHT, 0.1, "their limit, RLIMIT_SIGPENDING", NULL },
};
static const char state_defcols[] = "PID,COMMAND,PENDING,SHDPND,BLOCKED,IGNORED,CAUGHT,HELD,SIGQ,SIGQLIM";
static const char thread_defcols[] = "PID,TID,COMMAND,PENDING,SHDPND,BLOCKED,IGNORED,CAUGHT,HELD,SIGQ,SIGQLIM";

enum { H_PID, H_COMMAND, H_SIGNAL, H_SIGNO, H_HANDLER, H_SYMBOL, H_FLAGS, H_MASK, NH };

static const struct column handler_cols[] = {
	{ "PID", CT_NUM, COL_RIGHT, 0.1, "process id", NULL },
	{ "COMMAND", CT_STR, COL_TRUNC, 0.1, "process command", NULL },
	{ "SIGNAL", CT_STR, 0, 0.1, "signal name", NULL },
	{ "SIGNO", CT_NUM, COL_RIGHT, 0.1, "signal number", NULL },
	{ "HANDLER", CT_STR, 0, 0.1, "handler address", NULL },
	{ "SYMBOL", CT_STR, COL_TRUNC, 0.3, "the function at that address, and its file", NULL },
	{ "FLAGS", CT_STR, 0, 0.2, "sa_flags of the action", NULL },
	{ "MASK", CT_STR, 0, 0.2, "signals blocked while the handler runs (sa_mask)", NULL },
};
static const char handler_defcols[] = "PID,SIGNAL,HANDLER,SYMBOL,FLAGS,MASK";

static void usage(FILE *f)
{
	fputs("Usage: ipcx sig [OPTIONS] PID...\n\n"
	      "Show the signal state of processes: signals pending on each thread and on\n"
	      "the process, blocked, ignored and caught, the queued count and its limit.\n"
	      "With --handlers, the handler of each caught signal, its flags and mask,\n"
	      "read by stopping the process for a moment (ptrace).\n\n"
	      "      --threads          one row per thread\n"
	      "      --handlers         one row per caught signal: handler, symbol, flags, mask\n", f);
	out_usage(f);
	fputs("\n  -h, --help             show this help\n", f);
}

struct sigcmd {
	const struct out_opts *o;
	const struct colsel *sel;
	struct out_tab *t;
};

/* A set as names; the empty set prints as "-" in tables, null in JSON. */
static void cell_set(struct cell *c, uint64_t set, char **tofree)
{
	if (!set) {
		c->state = CELL_ABSENT;
		return;
	}
	*tofree = sigset_str(set);
	cell_str(c, *tofree);
}

/* The soft "Max pending signals" of /proc/PID/limits; false when unlimited or unreadable. */
static bool sigpending_limit(pid_t pid, unsigned long long *v)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/limits", (int)pid);
	char *s = read_file(path, NULL);
	if (!s)
		return false;
	const char *p = strstr(s, "Max pending signals");
	bool ok = false;
	if (p) {
		p += strlen("Max pending signals");
		while (*p == ' ')
			p++;
		char *end;
		*v = strtoull(p, &end, 10);
		ok = end != p;
	}
	free(s);
	return ok;
}

/* The thread ids of a process, in the order of /proc/PID/task (main thread first). */
static pid_t *threads_of(pid_t pid, size_t *n)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	*n = 0;
	if (!d)
		return NULL;
	pid_t *v = NULL;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		v = xrealloc(v, (*n + 1) * sizeof(*v));
		v[(*n)++] = (pid_t)atoi(e->d_name);
	}
	closedir(d);
	/* the kernel lists the group leader first; keep that, then by tid */
	for (size_t i = 1; i < *n; i++)
		for (size_t j = i; j > 1 && v[j - 1] > v[j]; j--) {
			pid_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v;
}

static char *thread_name(pid_t pid, pid_t tid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)pid, (int)tid);
	char *s = read_file(path, NULL);
	if (s)
		s[strcspn(s, "\n")] = '\0';
	return s;
}

static void emit_state(struct sigcmd *s, pid_t pid, pid_t tid, const char *comm,
		       const struct sigstate *st, uint64_t pending, uint64_t blocked,
		       uint64_t held, bool has_lim, unsigned long long lim)
{
	struct cell c[NS];
	char *tofree[NS] = { 0 };
	memset(c, 0, sizeof(c));
	cell_num(&c[S_PID], (unsigned long long)pid);
	if (tid)
		cell_num(&c[S_TID], (unsigned long long)tid);
	else
		c[S_TID].state = CELL_ABSENT;
	cell_str(&c[S_COMMAND], comm);
	cell_set(&c[S_PENDING], pending, &tofree[S_PENDING]);
	cell_set(&c[S_SHDPND], st->shared, &tofree[S_SHDPND]);
	cell_set(&c[S_BLOCKED], blocked, &tofree[S_BLOCKED]);
	cell_set(&c[S_IGNORED], st->ignored, &tofree[S_IGNORED]);
	cell_set(&c[S_CAUGHT], st->caught, &tofree[S_CAUGHT]);
	cell_set(&c[S_HELD], held, &tofree[S_HELD]);
	if (st->has_queue)
		cell_num(&c[S_SIGQ], st->queued);
	else
		c[S_SIGQ].state = CELL_ABSENT;
	if (has_lim)
		cell_num(&c[S_SIGQLIM], lim);
	else
		c[S_SIGQLIM].state = CELL_ABSENT;
	struct cell row[NS];
	for (size_t i = 0; i < s->sel->n; i++)
		row[i] = c[s->sel->v[i] - state_cols];
	out_row(s->t, row);
	for (size_t i = 0; i < NS; i++)
		free(tofree[i]);
}

/*
 * One process: its row, or a row per thread. A process's row shows what
 * concerns it as a whole: signals pending on any of its threads, and the
 * signals every thread blocks (those no thread can take).
 */
static int sig_state(struct sigcmd *s, pid_t pid, bool per_thread)
{
	size_t n;
	pid_t *tids = threads_of(pid, &n);
	if (!n) {
		err_msg("%d: %s", (int)pid, errtext(ESRCH));
		free(tids);
		return -1;
	}
	struct sigstate *st = xcalloc(n, sizeof(*st));
	bool *ok = xcalloc(n, sizeof(*ok));
	uint64_t any_pending = 0, all_blocked = ~0ULL, thread_held = 0;
	size_t nok = 0;
	int err = 0;
	for (size_t i = 0; i < n; i++) {
		int r = sigstate_read(pid, tids[i], &st[i]);
		if (r < 0) {
			/* a thread that exited meanwhile is left out */
			if (r != -ENOENT && r != -ESRCH)
				err = -r;
			continue;
		}
		ok[i] = true;
		nok++;
		any_pending |= st[i].pending;
		all_blocked &= st[i].blocked;
		thread_held |= st[i].pending & st[i].blocked;
	}
	int rc = 0;
	if (!nok) {
		err_msg("%d: cannot read its signal state: %s", (int)pid, errtext(err ? err : ESRCH));
		rc = -1;
		goto out;
	}
	unsigned long long lim = 0;
	bool has_lim = sigpending_limit(pid, &lim);
	if (per_thread) {
		for (size_t i = 0; i < n; i++) {
			if (!ok[i])
				continue;
			char *name = thread_name(pid, tids[i]);
			/* a shared signal waits while every thread blocks it */
			uint64_t held = (st[i].pending & st[i].blocked) | (st[i].shared & all_blocked);
			emit_state(s, pid, tids[i], name, &st[i], st[i].pending, st[i].blocked, held,
				   has_lim, lim);
			free(name);
		}
	} else {
		const struct sigstate *first = NULL;
		for (size_t i = 0; i < n && !first; i++)
			if (ok[i])
				first = &st[i];
		uint64_t held = thread_held | (first->shared & all_blocked);
		emit_state(s, pid, 0, proc_comm(pid), first, any_pending, all_blocked, held,
			   has_lim, lim);
	}
out:
	free(st);
	free(ok);
	free(tids);
	return rc;
}

static int sig_handlers(struct sigcmd *s, pid_t pid)
{
	struct sigstate st;
	int r = sigstate_read(pid, 0, &st);
	if (r < 0) {
		err_msg("%d: cannot read its signal state: %s", (int)pid, errtext(-r));
		return -1;
	}
	if (!st.caught)
		return 0;
	struct ksigaction *act = xcalloc(SIG_MAX + 1, sizeof(*act));
	char why[256];
	r = inject_sigactions(pid, st.caught, act, why, sizeof(why));
	if (r < 0) {
		err_msg("%d: cannot read its handlers: %s", (int)pid, why);
		free(act);
		return -1;
	}
	const char *comm = proc_comm(pid);
	for (int sig = 1; sig <= SIG_MAX; sig++) {
		if (!(st.caught & sig_bit(sig)))
			continue;
		struct cell c[NH];
		char *tofree[3] = { 0 };
		char name[SIG_NAME_MAX];
		memset(c, 0, sizeof(c));
		cell_num(&c[H_PID], (unsigned long long)pid);
		cell_str(&c[H_COMMAND], comm);
		cell_str(&c[H_SIGNAL], sig_name(sig, name));
		cell_num(&c[H_SIGNO], (unsigned long long)sig);
		snprintf(c[H_HANDLER].buf, sizeof(c[H_HANDLER].buf), "0x%" PRIx64, act[sig].handler);
		cell_str(&c[H_HANDLER], c[H_HANDLER].buf);
		tofree[0] = symbolize(pid, act[sig].handler);
		cell_str(&c[H_SYMBOL], tofree[0]);
		tofree[1] = saflags_str(act[sig].flags);
		cell_str(&c[H_FLAGS], *tofree[1] ? tofree[1] : NULL);
		cell_set(&c[H_MASK], act[sig].mask, &tofree[2]);
		struct cell row[NH];
		for (size_t i = 0; i < s->sel->n; i++)
			row[i] = c[s->sel->v[i] - handler_cols];
		out_row(s->t, row);
		for (size_t i = 0; i < 3; i++)
			free(tofree[i]);
	}
	free(act);
	return 0;
}

int cmd_sig(int argc, char **argv)
{
	struct out_opts o;
	bool threads = false, handlers = false;
	int c;
	out_init(&o);
	while ((c = getopt_long(argc, argv, ":" OUT_SHORTOPTS "h", sig_longopts, NULL)) != -1) {
		if (out_opt(&o, c, optarg))
			continue;
		switch (c) {
		case OPT_THREADS:
			threads = true;
			break;
		case OPT_HANDLERS:
			handlers = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			bad_option(argv, c);
		}
	}
	if (threads && handlers)
		die_usage("--threads and --handlers do not go together: handlers belong to the "
			  "process, not to a thread");
	const struct column *cols = handlers ? handler_cols : state_cols;
	size_t ncols = handlers ? NH : NS;
	const char *defcols = handlers ? handler_defcols : threads ? thread_defcols : state_defcols;
	if (o.list_columns) {
		out_list_columns(handlers ? "sig --handlers" : "sig", cols, ncols, defcols);
		return 0;
	}
	if (o.sort)
		die_usage("--sort is not available for sig: rows follow the PIDs given");
	int npids = argc - optind;
	if (npids < 1)
		die_usage("expected one or more PIDs (see ipcx sig --help)");
	pid_t *pids = xcalloc((size_t)npids, sizeof(*pids));
	for (int i = 0; i < npids; i++) {
		unsigned long long v;
		const char *why;
		const char *a = argv[optind + i];
		if (parse_uint(a, 0x7fffffff, &v, &why) < 0 || v == 0) {
			char *bad = esc_bytes(a, strlen(a));
			die_usage("invalid pid '%s': expected a process id", bad);
		}
		pids[i] = (pid_t)v;
	}

	struct colsel sel;
	out_select(&o, cols, ncols, defcols, "sig", false, &sel);
	struct out_doc *doc = out_begin(&o);
	struct sigcmd s = { .o = &o, .sel = &sel };
	s.t = out_table(doc, handlers ? "handlers" : "signals", NULL, &sel);
	int rc = 0;
	for (int i = 0; i < npids; i++) {
		int r = handlers ? sig_handlers(&s, pids[i]) : sig_state(&s, pids[i], threads);
		if (r < 0)
			rc = EXIT_RUNTIME;
	}
	out_end(doc);
	colsel_free(&sel);
	free(pids);
	return rc;
}
