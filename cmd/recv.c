/* ipcx recv: take (or peek at) messages from a System V or POSIX queue. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/json.h"
#include "../lib/kind.h"
#include "../lib/ops.h"
#include "../lib/out.h"
#include "../lib/parse.h"
#include "../lib/scan.h"
#include "../lib/util.h"
#include "commands.h"

enum { OPT_TYPE = 0x300, OPT_COUNT, OPT_FOLLOW, OPT_TIMEOUT, OPT_NOWAIT, OPT_PEEK, OPT_EXACT };

const struct option recv_longopts[] = {
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "follow", no_argument, NULL, OPT_FOLLOW },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "nowait", no_argument, NULL, OPT_NOWAIT },
	{ "peek", no_argument, NULL, OPT_PEEK },
	{ "exact", no_argument, NULL, OPT_EXACT },
	{ "json", no_argument, NULL, 'J' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fputs("Usage: ipcx recv msg|pmsg ID|KEY|NAME [OPTIONS]\n\n"
	      "Take messages from a queue and print them, each followed by a newline.\n\n"
	      "      --type N           System V type: 0 any (default), N > 0 the first of type N,\n"
	      "                         N < 0 the first of the lowest type up to |N|\n"
	      "      --count N          take N messages (1 by default)\n"
	      "      --follow           take messages until interrupted\n"
	      "      --timeout DUR      give up when no message comes within DUR\n"
	      "      --nowait           fail at once when the queue is empty\n"
	      "      --peek             copy System V messages without taking them (MSG_COPY)\n"
	      "      --exact            print the bytes only, with no newline after each message\n"
	      "  -J, --json             one JSON object per message and line: type or priority,\n"
	      "                         size, and data as text or, when not UTF-8, data_base64\n"
	      "  -h, --help             show this help\n", f);
}

static void print_json(const char *tagname, long tag, const char *buf, size_t len)
{
	printf("{\"%s\":%ld,\"size\":%zu,", tagname, tag, len);
	if (utf8_valid(buf, len)) {
		fputs("\"data\":", stdout);
		json_str(stdout, buf, len);
	} else {
		fputs("\"data_base64\":", stdout);
		json_base64(stdout, (const unsigned char *)buf, len);
	}
	fputs("}\n", stdout);
}

int cmd_recv(int argc, char **argv)
{
	long type = 0;
	bool type_given = false, follow = false, peek = false, json = false, exact = false;
	unsigned long long count = 1;
	unsigned flags = 0;
	double timeout = -1;
	const char *why;
	int c;
	while ((c = getopt_long(argc, argv, ":" "Jh", recv_longopts, NULL)) != -1) {
		switch (c) {
		case OPT_TYPE: {
			char *end;
			errno = 0;
			type = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg)
				die_usage("invalid --type '%s': not a number", optarg);
			type_given = true;
			break;
		}
		case OPT_COUNT:
			if (parse_uint(optarg, 1ULL << 40, &count, &why) < 0 || count == 0)
				die_usage("invalid --count '%s': expected 1 or more", optarg);
			break;
		case OPT_FOLLOW:
			follow = true;
			break;
		case OPT_TIMEOUT:
			if (parse_duration(optarg, &timeout, &why) < 0)
				die_usage("invalid --timeout '%s': %s", optarg, why);
			break;
		case OPT_NOWAIT:
			flags |= MSG_OP_NOWAIT;
			break;
		case OPT_PEEK:
			peek = true;
			flags |= MSG_OP_PEEK;
			break;
		case OPT_EXACT:
			exact = true;
			break;
		case 'J':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			bad_option(argv, c);
		}
	}
	if (argc - optind != 2)
		die_usage("expected KIND and ID|KEY|NAME");
	const struct kind *k = kind_arg(argv[optind]);
	if (!k->msg)
		die_usage("%s objects hold no messages: recv takes msg or pmsg", k->name);
	bool sysv = !strcmp(k->msg->tag, "type");
	if (!sysv && type_given)
		die_usage("--type applies to msg: POSIX queues give the message of highest priority");
	if (!sysv && peek)
		die_usage("--peek applies to msg: a POSIX queue cannot be read without taking a message");
	if (peek && type_given)
		die_usage("--peek copies messages in queue order and cannot select a --type");
	if (peek && follow)
		die_usage("--peek and --follow cannot be combined");
	if (follow && count != 1)
		die_usage("--count and --follow cannot be combined");

	struct objlist l = { 0 };
	struct ipc_obj *o = scan_find(k, argv[optind + 1], &l);
	if (!o) {
		objlist_free(&l);
		return EXIT_RUNTIME;
	}
	char *label = obj_label(o);
	size_t cap = k->msg->max_size(o);
	if (!cap)
		cap = 1 << 20;
	char *buf = xmalloc(cap);
	int rc = 0;
	for (unsigned long long i = 0; follow || i < count; i++) {
		long tag = 0;
		ssize_t n = k->msg->recv(o, buf, cap, type, (long)i, flags, timeout, &tag);
		if (n < 0) {
			if (n == -ENOMSG || n == -EAGAIN)
				err_msg("%s: %s", label, peek ? "no message at that position" : "no message");
			else if (n == -ETIMEDOUT)
				err_msg("%s: timed out: no message came", label);
			else if (n == -ENOSYS && peek)
				err_msg("%s: --peek needs MSG_COPY, which this kernel lacks "
					"(CONFIG_CHECKPOINT_RESTORE)", label);
			else if (n == -EIDRM)
				err_msg("%s: the queue was removed", label);
			else
				err_msg("%s: cannot receive: %s", label, strerror((int)-n));
			rc = EXIT_RUNTIME;
			break;
		}
		if (json) {
			print_json(k->msg->tag, tag, buf, (size_t)n);
		} else {
			fwrite(buf, 1, (size_t)n, stdout);
			if (!exact)
				putchar('\n');
		}
		fflush(stdout);
	}
	free(buf);
	free(label);
	objlist_free(&l);
	return rc;
}
