/* ipcx trace: the signal deliveries of processes, through ptrace. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../lib/json.h"
#include "../lib/kinds/common.h"
#include "../lib/out.h"
#include "../lib/parse.h"
#include "../lib/ptrace_trace.h"
#include "../lib/sicode.h"
#include "../lib/signame.h"
#include "../lib/sigstate.h"
#include "../lib/util.h"
#include "commands.h"

enum { OPT_KILL_ON_EXIT = 0x100, OPT_TIMEFMT };

const struct option trace_longopts[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "follow", no_argument, NULL, 'f' },
	{ "signals", required_argument, NULL, 'e' },
	{ "output", required_argument, NULL, 'o' },
	{ "json", no_argument, NULL, 'J' },
	{ "count", no_argument, NULL, 'c' },
	{ "time-format", required_argument, NULL, OPT_TIMEFMT },
	{ "kill-on-exit", no_argument, NULL, OPT_KILL_ON_EXIT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fputs("Usage: ipcx trace [OPTIONS] -p PID...\n"
	      "       ipcx trace [OPTIONS] [-p PID...] -- COMMAND [ARGS]\n\n"
	      "Print every signal delivered to the traced processes, with its sender and\n"
	      "what it will do, and their stops, continues, exits and deaths. The tracees\n"
	      "stop only when a signal reaches them, never at system calls. Launching a\n"
	      "COMMAND, ipcx exits with its status.\n\n"
	      "  -p, --pid PID          trace process PID, all its threads (repeatable)\n"
	      "  -f, --follow           follow new processes: fork, vfork, clone\n"
	      "  -e, --signals SIGSET   only these signals: TERM,USR1,RTMIN+2,... or all\n"
	      "  -o, --output FILE      write to FILE, not standard output\n"
	      "  -J, --json             one JSON object per event and line\n"
	      "  -c, --count            print a count per signal and si_code at the end\n"
	      "      --time-format FMT  short (default), relative or iso\n"
	      "      --kill-on-exit     the launched COMMAND dies when ipcx ends\n"
	      "  -h, --help             show this help\n", f);
}

struct count {
	int sig, code;
	unsigned long long n;
};

struct comm {
	pid_t pid;
	char name[64];
};

struct trace {
	FILE *out;
	bool json, count;
	enum time_fmt tf;
	struct timespec start;
	uint64_t sigs;		/* -e */
	struct count *counts;
	size_t ncounts, capcounts;
	struct comm *comms;	/* last command seen of each process, for its exit */
	size_t ncomms, capcomms;
};

/* Control characters, spaces and backslashes of a name as \xNN, to keep one word. */
static void put_word(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == '\\' || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
}

static bool read_comm(pid_t pid, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return true;
}

/* The command of a traced process: now, or as last seen when it is gone. */
static const char *tracee_comm(struct trace *tr, pid_t pid)
{
	struct comm *c = NULL;
	for (size_t i = 0; i < tr->ncomms; i++)
		if (tr->comms[i].pid == pid)
			c = &tr->comms[i];
	if (!c) {
		if (tr->ncomms == tr->capcomms) {
			tr->capcomms = tr->capcomms ? 2 * tr->capcomms : 16;
			tr->comms = xrealloc(tr->comms, tr->capcomms * sizeof(*tr->comms));
		}
		c = &tr->comms[tr->ncomms++];
		c->pid = pid;
		strcpy(c->name, "?");
	}
	char buf[sizeof(c->name)];
	if (read_comm(pid, buf, sizeof(buf)))
		strcpy(c->name, buf);
	return c->name;
}

static void forget_comm(struct trace *tr, pid_t pid)
{
	for (size_t i = 0; i < tr->ncomms; i++)
		if (tr->comms[i].pid == pid) {
			tr->comms[i] = tr->comms[--tr->ncomms];
			return;
		}
}

static void put_time(struct trace *tr, const struct timespec *ts)
{
	long usec = ts->tv_nsec / 1000;
	if (tr->json) {
		fprintf(tr->out, "\"time\":%lld.%06ld", (long long)ts->tv_sec, usec);
		return;
	}
	if (tr->tf == TF_RELATIVE) {
		long long d = (long long)(ts->tv_sec - tr->start.tv_sec) * 1000000 +
			      (ts->tv_nsec - tr->start.tv_nsec) / 1000;
		if (d < 0)
			d = 0;
		fprintf(tr->out, "+%lld.%06lld", d / 1000000, d % 1000000);
		return;
	}
	struct tm tm;
	char buf[64];
	localtime_r(&ts->tv_sec, &tm);
	if (tr->tf == TF_ISO) {
		char zone[8];
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
		strftime(zone, sizeof(zone), "%z", &tm);
		fprintf(tr->out, "%s.%06ld%.3s:%s", buf, usec, zone, zone + 3);
		return;
	}
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	fprintf(tr->out, "%s.%06ld", buf, usec);
}

static void json_key_str(FILE *f, const char *key, const char *v)
{
	fprintf(f, ",\"%s\":", key);
	if (v)
		json_str(f, v, strlen(v));
	else
		fputs("null", f);
}

static void json_key_num(FILE *f, const char *key, bool has, long long v)
{
	if (has)
		fprintf(f, ",\"%s\":%lld", key, v);
	else
		fprintf(f, ",\"%s\":null", key);
}

/* The start of every line: time, pid, tid, command. */
static void put_head(struct trace *tr, const struct trace_event *ev, const char *event)
{
	const char *comm = tracee_comm(tr, ev->pid);
	if (tr->json) {
		fputc('{', tr->out);
		put_time(tr, &ev->when);
		fprintf(tr->out, ",\"pid\":%d,\"tid\":%d", (int)ev->pid, (int)ev->tid);
		json_key_str(tr->out, "command", comm);
		json_key_str(tr->out, "event", event);
		return;
	}
	put_time(tr, &ev->when);
	fprintf(tr->out, " %7d %7d ", (int)ev->pid, (int)ev->tid);
	put_word(tr->out, comm);
	fputc(' ', tr->out);
}

static void count_add(struct trace *tr, int sig, int code)
{
	for (size_t i = 0; i < tr->ncounts; i++)
		if (tr->counts[i].sig == sig && tr->counts[i].code == code) {
			tr->counts[i].n++;
			return;
		}
	if (tr->ncounts == tr->capcounts) {
		tr->capcounts = tr->capcounts ? 2 * tr->capcounts : 16;
		tr->counts = xrealloc(tr->counts, tr->capcounts * sizeof(*tr->counts));
	}
	tr->counts[tr->ncounts++] = (struct count){ sig, code, 1 };
}

/* What the delivery will do, from the thread's sets in /proc. */
static void disposition(const struct trace_event *ev, const char **disp, const char **dfl)
{
	struct sigstate st;
	*dfl = NULL;
	if (sigstate_read(ev->pid, ev->tid, &st) < 0) {
		*disp = NULL;
		return;
	}
	switch (sigstate_disposition(&st, ev->sig)) {
	case SIGDISP_CAUGHT:
		*disp = "handler";
		break;
	case SIGDISP_IGNORED:
		*disp = "ignored";
		break;
	default:
		*disp = "default";
		*dfl = sig_default_str(sig_default_action(ev->sig));
	}
}

static void print_signal(struct trace *tr, const struct trace_event *ev)
{
	const siginfo_t *si = &ev->si;
	const struct sicode *sc = sicode_lookup(ev->sig, si->si_code);
	unsigned f = sc ? sc->fields : 0;
	char name[SIG_NAME_MAX], sname[SIG_NAME_MAX];
	char sender[64];
	bool has_sender = (f & SIF_PID) && read_comm(si->si_pid, sender, sizeof(sender));
	const char *disp, *dfl;
	disposition(ev, &disp, &dfl);
	sig_name(ev->sig, name);
	FILE *o = tr->out;
	bool chld_sig = (f & SIF_STATUS) && si->si_code != CLD_EXITED;
	put_head(tr, ev, "signal");
	if (tr->json) {
		json_key_str(o, "signal", name);
		fprintf(o, ",\"signo\":%d", ev->sig);
		json_key_str(o, "code", sc ? sc->name : NULL);
		fprintf(o, ",\"si_code\":%d", si->si_code);
		json_key_num(o, "sender_pid", f & SIF_PID, si->si_pid);
		json_key_num(o, "sender_uid", f & SIF_UID, si->si_uid);
		json_key_str(o, "sender_command", has_sender ? sender : NULL);
		json_key_num(o, "value", f & SIF_VALUE, si->si_value.sival_int);
		if (f & SIF_VALUE)
			fprintf(o, ",\"value_ptr\":\"%#" PRIxPTR "\"", (uintptr_t)si->si_value.sival_ptr);
		else
			fputs(",\"value_ptr\":null", o);
		if (f & SIF_ADDR)
			fprintf(o, ",\"addr\":\"%#" PRIxPTR "\"", (uintptr_t)si->si_addr);
		else
			fputs(",\"addr\":null", o);
		json_key_num(o, "status", f & SIF_STATUS, si->si_status);
		json_key_str(o, "status_signal",
			     chld_sig ? sig_name(si->si_status, sname) : NULL);
		json_key_num(o, "timer_id", f & SIF_TIMER, si->si_timerid);
		json_key_num(o, "overrun", f & SIF_TIMER, si->si_overrun);
		json_key_num(o, "band", f & SIF_BAND, si->si_band);
		json_key_num(o, "fd", f & SIF_BAND, si->si_fd);
		json_key_num(o, "syscall", f & SIF_SYSCALL, si->si_syscall);
		json_key_str(o, "disposition", disp);
		json_key_str(o, "default_action", dfl);
		fputs("}\n", o);
		return;
	}
	fprintf(o, "%s %d ", name, ev->sig);
	if (sc)
		fputs(sc->name, o);
	else
		fprintf(o, "si_code=%d", si->si_code);
	if (f & SIF_PID) {
		fprintf(o, " pid=%d", (int)si->si_pid);
		if (has_sender) {
			fputs(" comm=", o);
			put_word(o, sender);
		}
	}
	if (f & SIF_UID)
		fprintf(o, " uid=%u", (unsigned)si->si_uid);
	if (f & SIF_VALUE)
		fprintf(o, " value=%d", si->si_value.sival_int);
	if (f & SIF_ADDR)
		fprintf(o, " addr=%p", si->si_addr);
	if (f & SIF_STATUS) {
		if (chld_sig)
			fprintf(o, " status=%s", sig_name(si->si_status, sname));
		else
			fprintf(o, " status=%d", si->si_status);
	}
	if (f & SIF_TIMER)
		fprintf(o, " timer=%d overrun=%d", si->si_timerid, si->si_overrun);
	if (f & SIF_BAND)
		fprintf(o, " band=%ld fd=%d", (long)si->si_band, si->si_fd);
	if (f & SIF_SYSCALL)
		fprintf(o, " syscall=%d", si->si_syscall);
	if (disp && dfl)
		fprintf(o, " -> default:%s\n", dfl);
	else if (disp)
		fprintf(o, " -> %s\n", disp);
	else
		fputs("\n", o);
}

static void print_other(struct trace *tr, const struct trace_event *ev)
{
	char name[SIG_NAME_MAX];
	FILE *o = tr->out;
	switch (ev->type) {
	case TEV_STOP:
		put_head(tr, ev, "stopped");
		sig_name(ev->sig, name);
		if (tr->json)
			fprintf(o, ",\"signal\":\"%s\",\"signo\":%d}\n", name, ev->sig);
		else
			fprintf(o, "stopped %s %d\n", name, ev->sig);
		break;
	case TEV_CONT:
		put_head(tr, ev, "continued");
		fputs(tr->json ? "}\n" : "continued\n", o);
		break;
	case TEV_EXIT:
		put_head(tr, ev, "exited");
		if (tr->json)
			fprintf(o, ",\"exit_code\":%d}\n", ev->code);
		else
			fprintf(o, "exited %d\n", ev->code);
		break;
	case TEV_KILLED:
		put_head(tr, ev, "killed");
		sig_name(ev->sig, name);
		if (tr->json)
			fprintf(o, ",\"signal\":\"%s\",\"signo\":%d,\"core_dumped\":%s}\n", name,
				ev->sig, ev->core ? "true" : "false");
		else
			fprintf(o, "killed %s %d%s\n", name, ev->sig, ev->core ? " (core dumped)" : "");
		break;
	case TEV_EXEC: {
		char path[64], exe[4096];
		snprintf(path, sizeof(path), "/proc/%d/exe", (int)ev->pid);
		ssize_t n = readlink(path, exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = '\0';
		put_head(tr, ev, "exec");
		if (tr->json) {
			json_key_str(o, "path", n > 0 ? exe : NULL);
			fputs("}\n", o);
		} else {
			fputs("exec ", o);
			put_word(o, n > 0 ? exe : "?");
			fputc('\n', o);
		}
		break;
	}
	case TEV_FORK:
		put_head(tr, ev, "fork");
		if (tr->json)
			fprintf(o, ",\"child\":%d}\n", (int)ev->child);
		else
			fprintf(o, "fork child=%d\n", (int)ev->child);
		break;
	case TEV_SIGNAL:
		break;
	}
}

static void on_event(const struct trace_event *ev, void *arg)
{
	struct trace *tr = arg;
	int sig = ev->type == TEV_CONT ? SIGCONT : ev->sig;
	bool filtered = (ev->type == TEV_SIGNAL || ev->type == TEV_STOP || ev->type == TEV_CONT) &&
			!(tr->sigs & sig_bit(sig));
	if (!filtered) {
		if (tr->count) {
			if (ev->type == TEV_SIGNAL)
				count_add(tr, ev->sig, ev->si.si_code);
		} else if (ev->type == TEV_SIGNAL) {
			print_signal(tr, ev);
		} else {
			print_other(tr, ev);
		}
		/* a line as it happens: the output is read while tracing */
		fflush(tr->out);
	}
	if (ev->type == TEV_EXIT || ev->type == TEV_KILLED)
		forget_comm(tr, ev->pid);
}

enum { C_SIGNAL, C_NUMBER, C_CODE, C_COUNT, NC };
static const struct column count_cols[] = {
	{ "SIGNAL", CT_STR, 0, 0.2, "signal name", NULL },
	{ "NUMBER", CT_NUM, COL_RIGHT, 0.1, "signal number", NULL },
	{ "CODE", CT_STR, 0, 0.2, "si_code name, or its number", NULL },
	{ "COUNT", CT_NUM, COL_RIGHT, 0.1, "deliveries", NULL },
};

static int count_cmp(const void *a, const void *b)
{
	const struct count *x = a, *y = b;
	if (x->sig != y->sig)
		return x->sig < y->sig ? -1 : 1;
	return x->code < y->code ? -1 : x->code > y->code;
}

/* The -c table, through the common output layer. */
static void print_counts(struct trace *tr)
{
	struct out_opts o;
	out_init(&o);
	o.mode = tr->json ? OUT_JSON : OUT_TABLE;
	struct colsel sel;
	out_select(&o, count_cols, NC, "SIGNAL,NUMBER,CODE,COUNT", "trace", false, &sel);
	struct out_doc *doc = out_begin(&o);
	struct out_tab *t = out_table(doc, "trace", NULL, &sel);
	qsort(tr->counts, tr->ncounts, sizeof(*tr->counts), count_cmp);
	for (size_t i = 0; i < tr->ncounts; i++) {
		const struct count *k = &tr->counts[i];
		struct cell c[NC];
		char name[SIG_NAME_MAX];
		memset(c, 0, sizeof(c));
		const struct sicode *sc = sicode_lookup(k->sig, k->code);
		cell_str(&c[C_SIGNAL], sig_name(k->sig, name));
		cell_num(&c[C_NUMBER], (unsigned long long)k->sig);
		if (sc) {
			cell_str(&c[C_CODE], sc->name);
		} else {
			snprintf(c[C_CODE].buf, sizeof(c[C_CODE].buf), "%d", k->code);
			cell_str(&c[C_CODE], c[C_CODE].buf);
		}
		cell_num(&c[C_COUNT], k->n);
		out_row(t, c);
	}
	out_end(doc);
	colsel_free(&sel);
}

int cmd_trace(int argc, char **argv)
{
	struct trace tr = { .out = stdout, .sigs = ~0ULL, .tf = TF_SHORT };
	struct tracer_opts topts = { .cb = on_event, .arg = &tr };
	pid_t *pids = NULL;
	size_t npids = 0;
	const char *outfile = NULL;
	int c;
	/* + : the options of COMMAND are its own */
	while ((c = getopt_long(argc, argv, "+:p:fe:o:Jch", trace_longopts, NULL)) != -1) {
		switch (c) {
		case 'p': {
			unsigned long long v;
			const char *why;
			if (parse_uint(optarg, 0x7fffffff, &v, &why) < 0 || v == 0)
				die_usage("invalid pid '%s': expected a process id", optarg);
			pids = xrealloc(pids, (npids + 1) * sizeof(*pids));
			pids[npids++] = (pid_t)v;
			break;
		}
		case 'f':
			topts.follow = true;
			break;
		case 'e': {
			char *bad;
			if (sigset_parse(optarg, &tr.sigs, &bad) < 0)
				die_usage("invalid signal '%s' in -e '%s': expected a name or number "
					  "such as TERM, SIGUSR1, RTMIN+2 or 15", bad, optarg);
			break;
		}
		case 'o':
			outfile = optarg;
			break;
		case 'J':
			tr.json = true;
			break;
		case 'c':
			tr.count = true;
			break;
		case OPT_TIMEFMT:
			if (!strcmp(optarg, "short"))
				tr.tf = TF_SHORT;
			else if (!strcmp(optarg, "relative"))
				tr.tf = TF_RELATIVE;
			else if (!strcmp(optarg, "iso"))
				tr.tf = TF_ISO;
			else
				die_usage("invalid --time-format '%s': expected short, relative or iso",
					  optarg);
			break;
		case OPT_KILL_ON_EXIT:
			topts.kill_on_exit = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			bad_option(argv, c);
		}
	}
	char **cmdv = argv + optind;
	int ncmd = argc - optind;
	if (!npids && !ncmd)
		die_usage("nothing to trace: give -p PID or -- COMMAND (see ipcx trace --help)");
	if (topts.kill_on_exit && !ncmd)
		die_usage("--kill-on-exit needs a COMMAND to launch");
	if (outfile) {
		int fd = open(outfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		if (fd < 0 || !(tr.out = fdopen(fd, "w")))
			die(EXIT_RUNTIME, "cannot open '%s': %s", outfile, strerror(errno));
	}
	clock_gettime(CLOCK_REALTIME, &tr.start);

	struct tracer *t = tracer_new(&topts);
	int rc = 0;
	for (size_t i = 0; i < npids; i++) {
		char *why;
		int r = tracer_attach(t, pids[i], &why);
		if (r < 0) {
			if (r == -ESRCH)
				err_msg("no process %d", (int)pids[i]);
			else
				err_msg("cannot trace process %d: %s", (int)pids[i], why);
			free(why);
			rc = EXIT_RUNTIME;
			break;
		}
		/* known from the start, for an exit that comes before any other event */
		tracee_comm(&tr, pids[i]);
	}
	if (!rc && ncmd) {
		char *why;
		if (tracer_launch(t, cmdv, &why) < 0) {
			err_msg("cannot trace '%s': %s", cmdv[0], why);
			free(why);
			rc = EXIT_RUNTIME;
		}
	}
	if (rc) {
		tracer_detach_all(t);
		tracer_free(t);
		free(pids);
		return rc;
	}
	int ended = tracer_run(t);
	int st = tracer_launch_status(t);
	tracer_free(t);
	if (tr.count) {
		if (outfile) {
			/* every tracee is gone or let go: the table goes to FILE too */
			fflush(stdout);
			dup2(fileno(tr.out), STDOUT_FILENO);
		}
		print_counts(&tr);
	}
	if (ncmd && !ended && st >= 0)
		rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if (tr.out != stdout && fclose(tr.out) != 0)
		die(EXIT_RUNTIME, "cannot write '%s'", outfile);
	free(tr.counts);
	free(tr.comms);
	free(pids);
	return rc;
}
