/* ipcx: one binary, git-style. The table below is the command map. */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/kind.h"
#include "../lib/ns.h"
#include "../lib/parse.h"
#include "../lib/proc.h"
#include "../lib/util.h"
#include "commands.h"

#ifndef IPCX_VERSION
#define IPCX_VERSION "0.1.0"
#endif

const struct command commands[] = {
	{ "ls", cmd_ls, "list IPC objects, one section per kind", ls_longopts },
	{ "show", cmd_show, "every field of one object", show_longopts },
	{ "limits", cmd_limits, "kernel limits, current use and use%", limits_longopts },
	{ "mk", cmd_mk, "create an object", mk_longopts },
	{ "rm", cmd_rm, "remove objects by id, key, name or filter, safely", rm_longopts },
	{ "send", cmd_send, "put messages on a queue", send_longopts },
	{ "recv", cmd_recv, "take or peek at messages of a queue", recv_longopts },
	{ "sem", cmd_sem, "read, set and operate on semaphores", sem_longopts },
	{ "shm", cmd_shm, "read and write shared memory", shm_longopts },
	{ "who", cmd_who, "which processes hold or wait on which objects", who_longopts },
	{ "ns", cmd_ns, "IPC namespaces of the host with their object counts", ns_longopts },
	{ "top", cmd_top, "live viewer of objects, holders and rates", top_longopts },
	{ "trace", cmd_trace, "signal deliveries of processes, via ptrace", trace_longopts },
	{ "sig", cmd_sig, "signal state of processes: pending, blocked, caught, handlers", sig_longopts },
	{ "kill", cmd_kill, "send a signal, with a sigqueue value or to one thread", kill_longopts },
	{ "check", cmd_check, "health checks for scripts and monitoring systems", check_longopts },
};
const size_t ncommands = sizeof(commands) / sizeof(commands[0]);

static void usage(FILE *f)
{
	fputs("Usage: ipcx [--ns PID] [--help] [--version] COMMAND [ARGS]\n\n"
	      "List, explain and manage Linux IPC objects.\n\n"
	      "  --ns PID       work in the IPC and mount namespaces of process PID\n\n"
	      "Commands:\n", f);
	for (size_t i = 0; i < ncommands; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nKinds: %s\n"
		"\nRun 'ipcx COMMAND --help' or 'ipcx help COMMAND' for a command's options.\n",
		kind_names());
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = xcalloc(lb + 1, sizeof(*row));
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	size_t d = row[lb];
	free(row);
	return d;
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < ncommands; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static _Noreturn void unknown_command(const char *name)
{
	const struct command *best = NULL;
	size_t bestd = (size_t)-1;
	for (size_t i = 0; i < ncommands; i++) {
		size_t d = edit_distance(name, commands[i].name);
		if (d < bestd) {
			bestd = d;
			best = &commands[i];
		}
	}
	if (best && bestd <= 2)
		die_usage("unknown command '%s': did you mean '%s'?", name, best->name);
	die_usage("unknown command '%s': see 'ipcx --help'", name);
}

/*
 * Lists the program's own tables, so that completions and man pages can
 * be checked against them: commands, kinds, options CMD, columns KIND.
 */
static int complete(int argc, char **argv)
{
	if (argc < 2)
		die_usage("__complete: expected commands, kinds, options CMD or columns KIND");
	if (!strcmp(argv[1], "commands")) {
		for (size_t i = 0; i < ncommands; i++)
			puts(commands[i].name);
	} else if (!strcmp(argv[1], "kinds")) {
		for (size_t i = 0; i < nkinds; i++)
			puts(kinds[i]->name);
	} else if (!strcmp(argv[1], "options") && argc == 3) {
		const struct command *c = find_command(argv[2]);
		if (!c)
			unknown_command(argv[2]);
		for (const struct option *o = c->longopts; o->name; o++)
			printf("--%s\n", o->name);
	} else if (!strcmp(argv[1], "columns") && argc == 3) {
		const struct kind *k = kind_by_name(argv[2]);
		if (!k)
			die_usage("unknown kind '%s': expected one of %s", argv[2], kind_names());
		for (size_t i = 0; i < k->ncols; i++)
			puts(k->cols[i].name);
	} else {
		die_usage("__complete: unknown table '%s'", argv[1]);
	}
	return 0;
}

static int run(const struct command *c, int argc, char **argv)
{
	ipcx_cmd = c->name;
	/* commands say what was wrong in ipcx's own format (bad_option) */
	opterr = 0;
	int r = c->run(argc, argv);
	proc_cache_free();
	if (fflush(stdout) != 0 || ferror(stdout))
		die(EXIT_RUNTIME, "cannot write the output");
	return r;
}

/* --ns PID and --ns=PID, before the command. */
static int global_options(int argc, char **argv)
{
	int i = 1;
	while (i < argc) {
		const char *val = NULL;
		if (!strcmp(argv[i], "--ns")) {
			if (i + 1 >= argc)
				die_usage("--ns needs a PID");
			val = argv[i + 1];
			i += 2;
		} else if (!strncmp(argv[i], "--ns=", 5)) {
			val = argv[i] + 5;
			i++;
		} else {
			break;
		}
		unsigned long long pid;
		const char *why;
		if (parse_uint(val, 0x7fffffff, &pid, &why) < 0 || pid == 0)
			die_usage("invalid --ns '%s': expected a process id", val);
		if (ns_enter((pid_t)pid, &why) < 0)
			die(EXIT_RUNTIME, "--ns %llu: cannot enter its IPC and mount namespaces: %s",
			    pid, why);
	}
	return i - 1;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	kinds_init();
	int skip = global_options(argc, argv);
	argc -= skip;
	argv += skip;
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
		printf("ipcx %s\n", IPCX_VERSION);
		return 0;
	}
	if (!strcmp(name, "__complete"))
		return complete(argc - 1, argv + 1);
	if (!strcmp(name, "help")) {
		if (argc < 3) {
			usage(stdout);
			return 0;
		}
		const struct command *c = find_command(argv[2]);
		if (!c)
			unknown_command(argv[2]);
		char *hargv[] = { argv[2], "--help", NULL };
		return run(c, 2, hargv);
	}
	if (name[0] == '-')
		die_usage("unknown option '%s': see 'ipcx --help'", name);
	const struct command *c = find_command(name);
	if (!c)
		unknown_command(name);
	return run(c, argc - 1, argv + 1);
}
