/* ipcx sem: read, set and operate on System V and POSIX semaphores. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/kind.h"
#include "../lib/ops.h"
#include "../lib/out.h"
#include "../lib/parse.h"
#include "../lib/scan.h"
#include "../lib/util.h"
#include "commands.h"

enum { OPT_UNDO = 0x300, OPT_TIMEOUT, OPT_NOWAIT };

const struct option sem_longopts[] = {
	{ "undo", no_argument, NULL, OPT_UNDO },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "nowait", no_argument, NULL, OPT_NOWAIT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fputs("Usage: ipcx sem sem ID|KEY [OPTIONS] OP...\n"
	      "       ipcx sem psem NAME [OPTIONS] OP...\n\n"
	      "Operations on a System V set (N is a semaphore number, from 0):\n"
	      "  get N                  print the value of semaphore N\n"
	      "  getall                 print every value, as V,V,...\n"
	      "  set N VAL              set semaphore N to VAL\n"
	      "  setall V,V,...         set every value\n"
	      "  counts                 print, per semaphore, the processes waiting for an\n"
	      "                         increase (NCNT) and for zero (ZCNT)\n"
	      "  post N [V]             add V (1 by default)\n"
	      "  wait N [V]             take V (1 by default), waiting while the value is too low\n"
	      "  trywait N [V]          take V, or fail at once\n"
	      "  zero N                 wait until semaphore N is zero\n"
	      "Consecutive post, wait, trywait and zero operations are applied together as\n"
	      "one atomic semop: all of them happen, or none.\n\n"
	      "Operations on a POSIX named semaphore:\n"
	      "  get, post [V], wait [V], trywait [V], counts\n\n"
	      "Options:\n"
	      "      --undo             System V: undo the operations when ipcx exits (SEM_UNDO)\n"
	      "      --timeout DUR      give up waiting after DUR\n"
	      "      --nowait           never wait: fail when an operation would block\n"
	      "  -h, --help             show this help\n", f);
}

struct ctx {
	const struct kind *k;
	const struct ipc_obj *o;
	char *label;
	unsigned flags;
	double timeout;
	struct sem_op *batch;
	size_t nbatch;
};

static unsigned arg_num(const struct ctx *cx, const char *op, const char *arg)
{
	unsigned long long v;
	const char *why;
	size_t n = cx->k->sem->count(cx->o);
	if (!arg)
		die_usage("%s: expected a semaphore number", op);
	if (parse_uint(arg, 0xffff, &v, &why) < 0)
		die_usage("%s: invalid semaphore number '%s': %s", op, arg, why);
	if (v >= n)
		die_usage("%s: no semaphore %llu: %s has %zu (0 to %zu)", op, v, cx->label, n, n - 1);
	return (unsigned)v;
}

static unsigned arg_value(const struct ctx *cx, const char *op, const char *arg)
{
	unsigned long long v;
	const char *why;
	if (arg[0] == '-')
		die_usage("%s: invalid value '%s': a negative semaphore value", op, arg);
	if (parse_uint(arg, cx->k->sem->max_value, &v, &why) < 0)
		die_usage("%s: invalid value '%s': %s (0 to %llu)", op, arg, why, cx->k->sem->max_value);
	return (unsigned)v;
}

/*
 * Checks each value of a V,V,... list with arg_value and stores up to n
 * of them in vals (when given); returns how many there are. Each value is
 * copied to the stack: a bad one ends the program with nothing on the
 * heap, which the leak checker would report.
 */
static size_t each_value(const struct ctx *cx, const char *op, const char *list,
			 unsigned short *vals, size_t n)
{
	size_t got = 0;
	for (const char *p = list; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ',')) {
		size_t len = strcspn(p, ",");
		char tok[32];
		if (!len)
			continue;
		if (len >= sizeof(tok))
			die_usage("%s: invalid value '%.*s': out of range (0 to %llu)", op, (int)len, p,
				  cx->k->sem->max_value);
		memcpy(tok, p, len);
		tok[len] = '\0';
		unsigned v = arg_value(cx, op, tok);
		if (vals && got < n)
			vals[got] = (unsigned short)v;
		got++;
	}
	return got;
}

static bool is_number(const char *s)
{
	return s && s[0] >= '0' && s[0] <= '9';
}

static int fail(struct ctx *cx, const char *op, int r)
{
	if (r == -EAGAIN)
		err_msg("%s: %s: would block", cx->label, op);
	else if (r == -ETIMEDOUT)
		err_msg("%s: %s: timed out", cx->label, op);
	else if (r == -ERANGE)
		err_msg("%s: %s: the value would pass the largest a semaphore holds (%llu)",
			cx->label, op, cx->k->sem->max_value);
	else if (r == -ENOTSUP)
		err_msg("%s: %s: not possible on a %s", cx->label, op, cx->k->name);
	else
		err_msg("%s: %s: %s", cx->label, op, strerror(-r));
	return EXIT_RUNTIME;
}

static int flush(struct ctx *cx)
{
	if (!cx->nbatch)
		return 0;
	int r = cx->k->sem->apply(cx->o, cx->batch, cx->nbatch, cx->flags, cx->timeout);
	cx->nbatch = 0;
	return r < 0 ? fail(cx, "semop", r) : 0;
}

/*
 * Operations are checked first, in one pass that changes nothing, then
 * run in a second pass: bad input never leaves half the work done.
 */
static int run_ops(struct ctx *cx, char **ops, int nops, bool check_only)
{
	const struct sem_ops *so = cx->k->sem;
	bool set = so->is_set;
	for (int i = 0; i < nops; i++) {
		const char *op = ops[i];
		const char *a1 = i + 1 < nops ? ops[i + 1] : NULL;
		const char *a2 = i + 2 < nops ? ops[i + 2] : NULL;
		int delta = 0;
		bool nowait = false;
		if (!strcmp(op, "post") || !strcmp(op, "wait") || !strcmp(op, "trywait") ||
		    !strcmp(op, "zero")) {
			unsigned num = 0, v = 1;
			/* the optional value follows the number of a set, or the
			 * operation itself on a lone semaphore */
			const char *va = a1;
			if (set) {
				num = arg_num(cx, op, a1);
				i++;
				va = a2;
			} else if (!strcmp(op, "zero")) {
				die_usage("zero: a POSIX semaphore cannot be waited on for zero");
			}
			if (strcmp(op, "zero") && is_number(va)) {
				v = arg_value(cx, op, va);
				i++;
			}
			if (v == 0 && strcmp(op, "zero"))
				die_usage("%s: a value of 0 does nothing%s", op,
					  set ? "; use zero N to wait for zero" : "");
			if (v > 32767 && set)
				die_usage("%s: %u is more than one operation may move (32767)", op, v);
			delta = !strcmp(op, "post") ? (int)v : !strcmp(op, "zero") ? 0 : -(int)v;
			nowait = !strcmp(op, "trywait");
			if (check_only)
				continue;
			cx->batch = xrealloc(cx->batch, (cx->nbatch + 1) * sizeof(*cx->batch));
			cx->batch[cx->nbatch++] = (struct sem_op){ num, delta, nowait };
			/* a lone semaphore has no atomic batch: each operation on its own */
			if (!set && flush(cx))
				return EXIT_RUNTIME;
			continue;
		}
		/* any other operation ends the atomic batch before it */
		if (!check_only && flush(cx))
			return EXIT_RUNTIME;
		if (!strcmp(op, "get")) {
			unsigned num = 0, val;
			if (set) {
				num = arg_num(cx, op, a1);
				i++;
			}
			if (check_only)
				continue;
			int r = so->get(cx->o, num, &val);
			if (r < 0)
				return fail(cx, op, r);
			printf("%u\n", val);
		} else if (!strcmp(op, "getall")) {
			if (!set)
				die_usage("getall: a POSIX semaphore has one value: use get");
			if (check_only)
				continue;
			size_t n = so->count(cx->o);
			for (size_t j = 0; j < n; j++) {
				unsigned val;
				int r = so->get(cx->o, (unsigned)j, &val);
				if (r < 0)
					return fail(cx, op, r);
				printf("%s%u", j ? "," : "", val);
			}
			putchar('\n');
		} else if (!strcmp(op, "set")) {
			if (!so->set)
				die_usage("set: a POSIX semaphore's value changes only by post and wait");
			unsigned num = arg_num(cx, op, a1);
			if (!a2)
				die_usage("set: expected a value after the semaphore number");
			unsigned val = arg_value(cx, op, a2);
			i += 2;
			if (check_only)
				continue;
			int r = so->set(cx->o, num, val);
			if (r < 0)
				return fail(cx, op, r);
		} else if (!strcmp(op, "setall")) {
			if (!so->setall)
				die_usage("setall: a POSIX semaphore's value changes only by post and wait");
			if (!a1)
				die_usage("setall: expected V,V,...");
			size_t n = so->count(cx->o), got = each_value(cx, op, a1, NULL, 0);
			if (got != n)
				die_usage("setall: %zu values given; %s has %zu semaphores", got, cx->label, n);
			i++;
			if (check_only)
				continue;
			unsigned short *vals = xcalloc(n ? n : 1, sizeof(*vals));
			each_value(cx, op, a1, vals, n);
			int r = so->setall(cx->o, vals, n);
			free(vals);
			if (r < 0)
				return fail(cx, op, r);
		} else if (!strcmp(op, "counts")) {
			if (check_only)
				continue;
			size_t n = so->count(cx->o);
			printf("SEMNUM NCNT ZCNT\n");
			for (size_t j = 0; j < n; j++) {
				unsigned ncnt, zcnt;
				int r = so->waiters(cx->o, (unsigned)j, &ncnt, &zcnt);
				if (r < 0)
					return fail(cx, op, r);
				printf("%6zu %4u %4u\n", j, ncnt, zcnt);
			}
		} else {
			char *e = esc_bytes(op, strlen(op));
			die_usage("unknown operation '%s' (see ipcx sem --help)", e);
		}
	}
	return check_only ? 0 : flush(cx);
}

int cmd_sem(int argc, char **argv)
{
	struct ctx cx = { 0 };
	const char *why;
	int c;
	cx.timeout = -1;
	while ((c = getopt_long(argc, argv, ":" "h", sem_longopts, NULL)) != -1) {
		switch (c) {
		case OPT_UNDO:
			cx.flags |= SEM_OP_UNDO;
			break;
		case OPT_TIMEOUT:
			if (parse_duration(optarg, &cx.timeout, &why) < 0)
				die_usage("invalid --timeout '%s': %s", optarg, why);
			break;
		case OPT_NOWAIT:
			cx.flags |= SEM_OP_NOWAIT;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default: {
			/* options may stand anywhere, so a negative value reads as one */
			const char *bad = argv[optind - 1];
			if (bad[0] == '-' && bad[1] >= '0' && bad[1] <= '9')
				die_usage("invalid value '%s': a negative semaphore value", bad);
			bad_option(argv, c);
		}
		}
	}
	if (argc - optind < 3)
		die_usage("expected KIND, ID|KEY|NAME and at least one operation");
	cx.k = kind_arg(argv[optind]);
	if (!cx.k->sem)
		die_usage("%s objects are not semaphores: sem takes sem or psem", cx.k->name);
	if ((cx.flags & SEM_OP_UNDO) && !cx.k->sem->is_set)
		die_usage("--undo applies to System V semaphores only");
	struct objlist l = { 0 };
	struct ipc_obj *o = scan_find(cx.k, argv[optind + 1], &l);
	if (!o) {
		objlist_free(&l);
		return EXIT_RUNTIME;
	}
	cx.o = o;
	cx.label = obj_label(o);
	char **ops = argv + optind + 2;
	int nops = argc - optind - 2;
	run_ops(&cx, ops, nops, true);
	int rc = run_ops(&cx, ops, nops, false);
	free(cx.batch);
	free(cx.label);
	objlist_free(&l);
	return rc;
}
