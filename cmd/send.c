/* ipcx send: put messages on a System V or POSIX queue. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/kind.h"
#include "../lib/ops.h"
#include "../lib/out.h"
#include "../lib/parse.h"
#include "../lib/scan.h"
#include "../lib/util.h"
#include "commands.h"

enum { OPT_TYPE = 0x300, OPT_PRIO, OPT_NOWAIT, OPT_TIMEOUT, OPT_LINES };

const struct option send_longopts[] = {
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "prio", required_argument, NULL, OPT_PRIO },
	{ "nowait", no_argument, NULL, OPT_NOWAIT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "lines", no_argument, NULL, OPT_LINES },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fputs("Usage: ipcx send msg ID|KEY [--type N] [OPTIONS] [MESSAGE | -]\n"
	      "       ipcx send pmsg NAME [--prio N] [OPTIONS] [MESSAGE | -]\n\n"
	      "Put a message on a queue: MESSAGE, or standard input (all of it as one\n"
	      "message, byte for byte, or one message per line with --lines).\n\n"
	      "      --type N           System V message type, 1 or more (1 by default)\n"
	      "      --prio N           POSIX message priority, 0 to 32767 (0 by default)\n"
	      "      --nowait           fail at once when the queue is full\n"
	      "      --timeout DUR      give up after DUR (30s, 1.5m, ...) when the queue stays full\n"
	      "      --lines            one message per line of standard input\n"
	      "  -h, --help             show this help\n", f);
}

struct msgs {
	const char **v;
	size_t *len, n;
};

static void add_msg(struct msgs *m, const char *p, size_t len)
{
	m->v = xrealloc(m->v, (m->n + 1) * sizeof(*m->v));
	m->len = xrealloc(m->len, (m->n + 1) * sizeof(*m->len));
	m->v[m->n] = p;
	m->len[m->n++] = len;
}

int cmd_send(int argc, char **argv)
{
	long tag = 0;
	bool tag_given = false, prio_given = false, lines = false;
	unsigned flags = 0;
	double timeout = -1;
	const char *why;
	unsigned long long v;
	int c;
	while ((c = getopt_long(argc, argv, ":" "h", send_longopts, NULL)) != -1) {
		switch (c) {
		case OPT_TYPE:
			if (parse_uint(optarg, 0x7fffffffffffffffULL, &v, &why) < 0 || v == 0)
				die_usage("invalid --type '%s': a message type is a number of 1 or more", optarg);
			tag = (long)v;
			tag_given = true;
			break;
		case OPT_PRIO:
			if (parse_uint(optarg, 32767, &v, &why) < 0)
				die_usage("invalid --prio '%s': a priority is 0 to 32767", optarg);
			tag = (long)v;
			prio_given = true;
			break;
		case OPT_NOWAIT:
			flags |= MSG_OP_NOWAIT;
			break;
		case OPT_TIMEOUT:
			if (parse_duration(optarg, &timeout, &why) < 0)
				die_usage("invalid --timeout '%s': %s", optarg, why);
			break;
		case OPT_LINES:
			lines = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			bad_option(argv, c);
		}
	}
	if (argc - optind < 2)
		die_usage("expected KIND and ID|KEY|NAME");
	const struct kind *k = kind_arg(argv[optind]);
	if (!k->msg)
		die_usage("%s objects hold no messages: send takes msg or pmsg", k->name);
	bool sysv = !strcmp(k->msg->tag, "type");
	if (sysv && prio_given)
		die_usage("--prio applies to pmsg; System V messages have a --type");
	if (!sysv && tag_given)
		die_usage("--type applies to msg; POSIX messages have a --prio");
	if (sysv && !tag_given)
		tag = 1;
	const char *target = argv[optind + 1];
	const char *message = argc - optind > 2 ? argv[optind + 2] : NULL;
	if (argc - optind > 3)
		die_usage("unexpected argument '%s': quote a message of several words", argv[optind + 3]);
	if (message && lines)
		die_usage("--lines reads standard input: give no MESSAGE");
	/* a malformed target is told before standard input is consumed */
	if (!kind_arg_valid(k, target, &why)) {
		char *e = esc_bytes(target, strlen(target));
		die_usage("invalid %s '%s': %s", k->name, e, why);
	}

	/* every message is read and checked before the first is sent */
	char *input = NULL;
	struct msgs m = { 0 };
	if (message && strcmp(message, "-")) {
		add_msg(&m, message, strlen(message));
	} else {
		size_t len;
		input = read_all_fd(STDIN_FILENO, &len);
		if (!input)
			die(EXIT_RUNTIME, "cannot read standard input: %s", strerror(errno));
		if (lines) {
			for (char *p = input, *end = input + len; p < end;) {
				char *nl = memchr(p, '\n', (size_t)(end - p));
				size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
				add_msg(&m, p, l);
				p += l + 1;
			}
		} else {
			add_msg(&m, input, len);
		}
	}

	struct objlist l = { 0 };
	struct ipc_obj *o = scan_find(k, target, &l);
	int rc = 0;
	if (!o) {
		rc = EXIT_RUNTIME;
		goto out;
	}
	char *label = obj_label(o);
	size_t max = k->msg->max_size(o);
	for (size_t i = 0; i < m.n; i++)
		if (max && m.len[i] > max) {
			err_msg("%s: a message of %zu bytes is larger than the queue takes (%zu bytes)%s",
				label, m.len[i], max, m.n > 1 ? "; nothing sent" : "");
			rc = EXIT_RUNTIME;
		}
	for (size_t i = 0; i < m.n && !rc; i++) {
		int r = k->msg->send(o, m.v[i], m.len[i], tag, flags, timeout);
		if (r == -EAGAIN)
			err_msg("%s: the queue is full", label);
		else if (r == -ETIMEDOUT)
			err_msg("%s: timed out: the queue stayed full", label);
		else if (r < 0)
			err_msg("%s: cannot send: %s", label, strerror(-r));
		if (r < 0) {
			if (i)
				err_msg("%zu of %zu messages were sent", i, m.n);
			rc = EXIT_RUNTIME;
		}
	}
	free(label);
out:
	objlist_free(&l);
	free(m.v);
	free(m.len);
	free(input);
	return rc;
}
