/* ipcx top: the live viewer of IPC objects and the processes using them. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../lib/filter.h"
#include "../lib/kind.h"
#include "../lib/out.h"
#include "../lib/parse.h"
#include "../lib/pscan.h"
#include "../lib/scan.h"
#include "../lib/util.h"
#include "../lib/tui/batch.h"
#include "../lib/tui/model.h"
#include "../lib/tui/screen.h"
#include "commands.h"

const struct option top_longopts[] = {
	{ "delay", required_argument, NULL, 'd' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "batch", no_argument, NULL, 'b' },
	{ "json", no_argument, NULL, 'J' },
	{ "user", required_argument, NULL, 'u' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: ipcx top [OPTIONS] [KIND...]\n\n"
		   "Show IPC objects live: limits in use, one tab per kind, rows with holders\n"
		   "and rates; new, gone and changed rows marked. Without KIND the System V\n"
		   "and POSIX kinds; kinds found through descriptors when named or opened.\n"
		   "Kinds: %s\n\n"
		   "  -d, --delay SECS       time between refreshes, fractional (default 3)\n"
		   "  -n, --iterations N     stop after N refreshes\n"
		   "  -b, --batch            plain text frames on standard output, no screen\n"
		   "  -J, --json             with -b: one JSON object per frame and line\n"
		   "  -u, --user USER        only objects owned by USER (name or uid)\n"
		   "  -h, --help             show this help\n\n"
		   "Keys: F1 or h help, q or F10 quit; see ipcx-top(1).\n", kind_names());
}

/* Signals end the loop through a pipe, so the terminal is restored before exit. */
static int sigpipe_fd[2] = { -1, -1 };
static volatile sig_atomic_t got_signal;
static volatile int stop_flag;

static void on_signal(int sig)
{
	int e = errno;
	got_signal = sig;
	stop_flag = 1;
	char c = (char)sig;
	if (write(sigpipe_fd[1], &c, 1) < 0) {
		/* the pipe is full: a signal is already waiting */
	}
	errno = e;
}

static void install_signals(void)
{
	if (pipe2(sigpipe_fd, O_CLOEXEC | O_NONBLOCK) < 0)
		die(EXIT_RUNTIME, "cannot create a pipe: %s", strerror(errno));
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a prompt's getch must return to see the stop */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static double now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleeps until the deadline, or a signal; true when a signal came. */
static bool wait_until(double deadline, int input_fd, bool *input)
{
	*input = false;
	for (;;) {
		double left = deadline - now_mono();
		if (stop_flag)
			return true;
		if (left <= 0)
			return false;
		struct pollfd p[2] = { { sigpipe_fd[0], POLLIN, 0 }, { input_fd, POLLIN, 0 } };
		int n = poll(p, input_fd >= 0 ? 2 : 1, (int)(left * 1000) + 1);
		if (n < 0 && errno != EINTR)
			die(EXIT_RUNTIME, "cannot wait: %s", strerror(errno));
		if (stop_flag)
			return true;
		if (n < 0 || (input_fd >= 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR)))) {
			/* a key, or a resize that interrupted the wait */
			*input = true;
			return false;
		}
	}
}

static int run_batch(struct model *m, const bool want[], double delay, long iters, bool json)
{
	for (long i = 0; !iters || i < iters; i++) {
		if (i) {
			bool input;
			if (wait_until(now_mono() + delay, -1, &input))
				break;
		}
		model_refresh(m, want);
		if (json)
			batch_json(stdout, &m->cur, want);
		else
			batch_text(stdout, &m->cur, want);
		if (ferror(stdout))
			die(EXIT_RUNTIME, "cannot write the output");
	}
	batch_done();
	/* notes once, after the frames, as ls says them */
	for (size_t i = 0; m->have_cur && i < nkinds; i++)
		if (want[i] && m->cur.kinds[i].note)
			err_msg("%s: %s", kinds[i]->name, m->cur.kinds[i].note);
	pscan_report_denied();
	return 0;
}

static int run_screen(struct model *m, const bool sel[], double delay, long iters)
{
	struct screen *s = screen_open(delay, sel);
	bool *want = xcalloc(nkinds, sizeof(*want));
	long frames = 0;
	bool need_refresh = true;
	double next = 0;
	while (!stop_flag) {
		if (need_refresh) {
			screen_want(s, want);
			model_refresh(m, want);
			frames++;
			next = now_mono() + screen_delay(s);
			need_refresh = false;
		}
		screen_draw(s, &m->cur);
		if (iters && frames >= iters)
			break;
		bool input;
		double until = screen_paused(s) ? now_mono() + 3600 : next;
		if (wait_until(until, STDIN_FILENO, &input))
			break;
		if (!input) {
			need_refresh = !screen_paused(s);
			continue;
		}
		enum key_result r = screen_input(s, &m->cur, &stop_flag);
		if (r == K_QUIT)
			break;
		if (r == K_REFRESH)
			need_refresh = true;
	}
	screen_close(s);
	free(want);
	return 0;
}

int cmd_top(int argc, char **argv)
{
	struct filter f;
	double delay = 3;
	long iters = 0;
	bool batch = false, json = false;
	int c;
	filter_init(&f);
	while ((c = getopt_long(argc, argv, ":d:n:bJu:h", top_longopts, NULL)) != -1) {
		const char *why;
		switch (c) {
		case 'd': {
			char *end;
			errno = 0;
			double d = strtod(optarg, &end);
			if (end == optarg || *end || errno || !(d >= 0 && d <= 86400))
				die_usage("invalid delay '%s': expected seconds from 0 to 86400",
					  esc_bytes(optarg, strlen(optarg)));
			delay = d;
			break;
		}
		case 'n': {
			unsigned long long n;
			if (parse_uint(optarg, 0x7fffffff, &n, &why) < 0 || n == 0)
				die_usage("invalid iterations '%s': expected a positive number",
					  esc_bytes(optarg, strlen(optarg)));
			iters = (long)n;
			break;
		}
		case 'b':
			batch = true;
			break;
		case 'J':
			json = true;
			break;
		case 'u':
			filter_opt(&f, c, optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			bad_option(argv, c);
		}
	}
	if (json && !batch)
		die_usage("--json goes with -b (batch mode)");
	bool *sel = xcalloc(nkinds, sizeof(*sel));
	kinds_select(argv + optind, argc - optind, sel);
	if (!batch && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)))
		die_usage("the screen needs a terminal; use -b for batch output");
	if (!batch && delay < 0.05)
		delay = 0.05;
	install_signals();
	struct model m;
	model_init(&m, &f);
	int rc = batch ? run_batch(&m, sel, delay, iters, json) : run_screen(&m, sel, delay, iters);
	model_free(&m);
	free(sel);
	if (got_signal) {
		/* the terminal is back; end as the signal asked */
		fflush(stdout);
		signal(got_signal, SIG_DFL);
		raise(got_signal);
	}
	return rc;
}
