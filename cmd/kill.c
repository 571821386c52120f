/* ipcx kill: send a signal, with a sigqueue value or to one thread. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../lib/out.h"
#include "../lib/parse.h"
#include "../lib/signame.h"
#include "../lib/util.h"
#include "commands.h"

enum { OPT_VALUE = 0x100, OPT_THREAD };

const struct option kill_longopts[] = {
	{ "signal", required_argument, NULL, 's' },
	{ "value", required_argument, NULL, OPT_VALUE },
	{ "thread", required_argument, NULL, OPT_THREAD },
	{ "list", no_argument, NULL, 'l' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fputs("Usage: ipcx kill [-s SIG | -SIG] [--value N] [--thread TID] PID...\n"
	      "       ipcx kill -l\n\n"
	      "Send a signal to processes: kill(2); with --value, sigqueue(3) with that\n"
	      "integer; with --thread, tgkill(2) to one thread of the one PID given.\n"
	      "SIG is a name (TERM, SIGTERM, RTMIN+1) or a number; 0 only checks that the\n"
	      "process exists and may be signalled. The default is SIGTERM.\n\n"
	      "  -s, --signal SIG       the signal to send\n"
	      "      --value N          send with sigqueue, this int as si_value (SI_QUEUE)\n"
	      "      --thread TID       send to thread TID of the process PID\n"
	      "  -l, --list             list the signals with their numbers\n"
	      "  -h, --help             show this help\n", f);
}

/* "TERM", "15", "SIGRTMIN+1", or "0". */
static int parse_signal(const char *s)
{
	if (!strcmp(s, "0"))
		return 0;
	int sig = sig_parse(s);
	if (sig < 0) {
		char *bad = esc_bytes(s, strlen(s));
		die_usage("invalid signal '%s': expected a name such as TERM or RTMIN+1, or a "
			  "number from 0 to %d", bad, SIG_MAX);
	}
	return sig;
}

/* what: "pid" or "--thread"; kind: "process" or "thread" */
static pid_t parse_id(const char *s, const char *what, const char *kind)
{
	unsigned long long v;
	const char *why;
	if (parse_uint(s, 0x7fffffff, &v, &why) < 0 || v == 0) {
		char *bad = esc_bytes(s, strlen(s));
		die_usage("invalid %s '%s': expected a %s id", what, bad, kind);
	}
	return (pid_t)v;
}

static int parse_value(const char *s)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 0);
	if (!*s || *end || errno || v < INT_MIN || v > INT_MAX) {
		char *bad = esc_bytes(s, strlen(s));
		die_usage("invalid --value '%s': expected an integer from %d to %d", bad, INT_MIN,
			  INT_MAX);
	}
	return (int)v;
}

static void list_signals(void)
{
	for (int sig = 1; sig <= SIG_MAX; sig++) {
		char name[SIG_NAME_MAX];
		sig_name(sig, name);
		/* 32 and 33 belong to the C library: sig_name gives their number */
		if (name[0] != 'S')
			continue;
		printf("%2d %-12s %s\n", sig, name, strsignal(sig));
	}
}

/* A siginfo as sigqueue(3) fills it: SI_QUEUE, this process, its real user. */
static void queue_info(siginfo_t *si, int sig, int value)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = SI_QUEUE;
	si->si_pid = getpid();
	si->si_uid = getuid();
	si->si_value.sival_int = value;
}

int cmd_kill(int argc, char **argv)
{
	int sig = SIGTERM, value = 0, c;
	bool has_value = false;
	pid_t tid = 0;
	/* kill(1)'s -SIG, as the first argument: -9, -TERM, -RTMIN+1 */
	if (argc > 1 && argv[1][0] == '-' && argv[1][1] && argv[1][1] != '-' &&
	    (sig_parse(argv[1] + 1) > 0 || !strcmp(argv[1] + 1, "0"))) {
		sig = parse_signal(argv[1] + 1);
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	while ((c = getopt_long(argc, argv, ":s:lh", kill_longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			sig = parse_signal(optarg);
			break;
		case OPT_VALUE:
			value = parse_value(optarg);
			has_value = true;
			break;
		case OPT_THREAD:
			tid = parse_id(optarg, "--thread", "thread");
			break;
		case 'l':
			if (optind < argc)
				die_usage("unexpected argument '%s' after --list", argv[optind]);
			list_signals();
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			bad_option(argv, c);
		}
	}
	int npids = argc - optind;
	if (npids < 1)
		die_usage("expected one or more PIDs (see ipcx kill --help)");
	pid_t *pids = xcalloc((size_t)npids, sizeof(*pids));
	for (int i = 0; i < npids; i++)
		pids[i] = parse_id(argv[optind + i], "pid", "process");
	if (tid && npids != 1)
		die_usage("--thread needs exactly one PID, the process of the thread; got %d", npids);

	int rc = 0;
	for (int i = 0; i < npids; i++) {
		long r;
		siginfo_t si;
		if (tid && has_value) {
			queue_info(&si, sig, value);
			r = syscall(SYS_rt_tgsigqueueinfo, pids[i], tid, sig, &si);
		} else if (tid) {
			r = syscall(SYS_tgkill, pids[i], tid, sig);
		} else if (has_value) {
			r = sigqueue(pids[i], sig, (union sigval){ .sival_int = value });
		} else {
			r = kill(pids[i], sig);
		}
		if (r < 0) {
			if (tid)
				err_msg("%d: thread %d: %s", (int)pids[i], (int)tid, errtext(errno));
			else
				err_msg("%d: %s", (int)pids[i], errtext(errno));
			rc = EXIT_RUNTIME;
		}
	}
	free(pids);
	return rc;
}
