/* ipcx mk: create an object of any kind. */
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
#include "../lib/kinds/posix.h"
#include "commands.h"

enum {
	OPT_SIZE = OPT_OUT_LAST + 1,
	OPT_KEY,
	OPT_MODE,
	OPT_HUGETLB,
	OPT_QBYTES,
	OPT_NSEMS,
	OPT_VALUES,
	OPT_MAXMSG,
	OPT_MSGSIZE,
	OPT_VALUE,
	OPT_EXCL,
};

const struct option mk_longopts[] = {
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "hugetlb", no_argument, NULL, OPT_HUGETLB },
	{ "qbytes", required_argument, NULL, OPT_QBYTES },
	{ "nsems", required_argument, NULL, OPT_NSEMS },
	{ "values", required_argument, NULL, OPT_VALUES },
	{ "maxmsg", required_argument, NULL, OPT_MAXMSG },
	{ "msgsize", required_argument, NULL, OPT_MSGSIZE },
	{ "value", required_argument, NULL, OPT_VALUE },
	{ "exclusive", no_argument, NULL, OPT_EXCL },
	{ "json", no_argument, NULL, 'J' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Which option sets which MKO_ bit, for "does not apply" errors. */
static const struct {
	unsigned bit;
	const char *opt;
} mk_opt_names[] = {
	{ MKO_SIZE, "--size" },	      { MKO_KEY, "--key" },	    { MKO_MODE, "--mode" },
	{ MKO_HUGETLB, "--hugetlb" }, { MKO_QBYTES, "--qbytes" },   { MKO_NSEMS, "--nsems" },
	{ MKO_VALUES, "--values" },   { MKO_MAXMSG, "--maxmsg" },   { MKO_MSGSIZE, "--msgsize" },
	{ MKO_VALUE, "--value" },
};

static void usage(FILE *f)
{
	fputs("Usage: ipcx mk KIND [NAME] [OPTIONS]\n\n"
	      "Create an IPC object and print its id and key (System V) or its name (POSIX).\n\n"
	      "  ipcx mk shm --size SIZE [--key KEY|private] [--mode MODE] [--hugetlb]\n"
	      "  ipcx mk msg [--key KEY|private] [--mode MODE] [--qbytes SIZE]\n"
	      "  ipcx mk sem [--nsems N] [--values V,V,...] [--key KEY|private] [--mode MODE]\n"
	      "  ipcx mk pshm NAME --size SIZE [--mode MODE]\n"
	      "  ipcx mk pmsg NAME [--maxmsg N] [--msgsize SIZE] [--mode MODE]\n"
	      "  ipcx mk psem NAME [--value N] [--mode MODE]\n\n"
	      "Options:\n"
	      "      --size SIZE        bytes; K, M, G (powers of 1024), KiB, MiB, GiB, KB, MB\n"
	      "      --key KEY          0xHEX or decimal, or 'private'; a random unused key by default\n"
	      "      --mode MODE        permissions, octal (0640) or rwx text (rw-r-----); 0600 by default\n"
	      "      --hugetlb          back the segment with huge pages\n"
	      "      --qbytes SIZE      most bytes the queue may hold (msgmnb by default)\n"
	      "      --nsems N          semaphores in the set (1, or as many as --values)\n"
	      "      --values V,V,...   initial values of the set's semaphores\n"
	      "      --maxmsg N         most messages the queue may hold\n"
	      "      --msgsize SIZE     largest message\n"
	      "      --value N          initial value of the semaphore (0 by default)\n"
	      "      --exclusive        fail if the key or name exists (else the existing object is\n"
	      "                         printed, unchanged, with a note on stderr)\n"
	      "  -J, --json             print the object as 'ipcx show --json' does\n"
	      "  -h, --help             show this help\n", f);
}

static void parse_values(const char *arg, struct mk_args *a)
{
	const char *why;
	/* each value is copied to the stack: a bad one ends the program with
	 * no copy on the heap, which the leak checker would report */
	for (const char *p = arg; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ',')) {
		size_t len = strcspn(p, ",");
		char tok[32];
		unsigned long long v;
		if (!len)
			continue;
		if (p[0] == '-')
			die_usage("invalid --values '%s': a negative semaphore value (%.*s)", arg,
				  (int)len, p);
		if (len >= sizeof(tok))
			die_usage("invalid --values '%s': '%.*s' out of range (0 to 32767)", arg,
				  (int)len, p);
		memcpy(tok, p, len);
		tok[len] = '\0';
		if (parse_uint(tok, 32767, &v, &why) < 0)
			die_usage("invalid --values '%s': '%s' %s (0 to 32767)", arg, tok, why);
		a->values = xrealloc(a->values, (a->nvalues + 1) * sizeof(*a->values));
		a->values[a->nvalues++] = (unsigned short)v;
	}
	if (!a->nvalues)
		die_usage("invalid --values '%s': no value", arg);
}

static void size_opt(const char *opt, const char *arg, unsigned long long *v)
{
	const char *why;
	if (parse_size(arg, v, &why) < 0)
		die_usage("invalid %s '%s': %s", opt, arg, why);
	if (*v == 0)
		die_usage("invalid %s '%s': must be more than 0", opt, arg);
}

static void num_opt(const char *opt, const char *arg, unsigned long long max, unsigned long long *v)
{
	const char *why;
	if (arg[0] == '-')
		die_usage("invalid %s '%s': must not be negative", opt, arg);
	if (parse_uint(arg, max, v, &why) < 0)
		die_usage("invalid %s '%s': %s", opt, arg, why);
}

int cmd_mk(int argc, char **argv)
{
	struct mk_args a;
	bool json = false;
	const char *why;
	int c;
	memset(&a, 0, sizeof(a));
	a.mode = 0600;
	while ((c = getopt_long(argc, argv, ":" "Jh", mk_longopts, NULL)) != -1) {
		switch (c) {
		case OPT_SIZE:
			size_opt("--size", optarg, &a.size);
			a.given |= MKO_SIZE;
			break;
		case OPT_KEY:
			if (!strcmp(optarg, "private"))
				a.key_private = true;
			else if (parse_key(optarg, &a.key, &why) < 0)
				die_usage("invalid --key '%s': %s", optarg, why);
			else if (a.key == 0)
				a.key_private = true;
			a.given |= MKO_KEY;
			break;
		case OPT_MODE:
			if (parse_mode(optarg, &a.mode, &why) < 0)
				die_usage("invalid --mode '%s': %s", optarg, why);
			a.given |= MKO_MODE;
			break;
		case OPT_HUGETLB:
			a.hugetlb = true;
			a.given |= MKO_HUGETLB;
			break;
		case OPT_QBYTES:
			size_opt("--qbytes", optarg, &a.qbytes);
			a.given |= MKO_QBYTES;
			break;
		case OPT_NSEMS:
			num_opt("--nsems", optarg, 0x7fffffff, &a.nsems);
			if (!a.nsems)
				die_usage("invalid --nsems '%s': must be more than 0", optarg);
			a.given |= MKO_NSEMS;
			break;
		case OPT_VALUES:
			parse_values(optarg, &a);
			a.given |= MKO_VALUES;
			break;
		case OPT_MAXMSG:
			num_opt("--maxmsg", optarg, 0x7fffffff, &a.maxmsg);
			if (!a.maxmsg)
				die_usage("invalid --maxmsg '%s': must be more than 0", optarg);
			a.given |= MKO_MAXMSG;
			break;
		case OPT_MSGSIZE:
			size_opt("--msgsize", optarg, &a.msgsize);
			a.given |= MKO_MSGSIZE;
			break;
		case OPT_VALUE:
			if (optarg[0] == '-')
				die_usage("invalid --value '%s': a negative semaphore value", optarg);
			num_opt("--value", optarg, 0xffffffffULL, &a.value);
			a.given |= MKO_VALUE;
			break;
		case OPT_EXCL:
			a.exclusive = true;
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
	if (optind >= argc)
		die_usage("expected a KIND (one of %s)", kind_names());
	const struct kind *k = kind_arg(argv[optind++]);
	if (!k->mk)
		die_usage("%s objects cannot be created", k->name);
	for (size_t i = 0; i < sizeof(mk_opt_names) / sizeof(mk_opt_names[0]); i++)
		if ((a.given & mk_opt_names[i].bit) && !(k->mk->takes & mk_opt_names[i].bit))
			die_usage("%s does not apply to %s", mk_opt_names[i].opt, k->name);
	if (k->mk->takes & MKO_NAME) {
		if (optind >= argc)
			die_usage("expected a NAME for %s", k->name);
		const char *arg = argv[optind++];
		/* a semaphore's file is "sem.NAME": its name is 4 bytes shorter */
		a.name = posix_name_check(arg, k->sem ? 251 : 255, &why);
		if (!a.name) {
			char *e = esc_bytes(arg, strlen(arg));
			die_usage("invalid name '%s': %s", e, why);
		}
	}
	if (optind < argc) {
		char *e = esc_bytes(argv[optind], strlen(argv[optind]));
		die_usage("unexpected argument '%s'", e);
	}
	/* shared memory has no useful default size */
	if ((k->mk->takes & MKO_SIZE) && !(a.given & MKO_SIZE))
		die_usage("%s needs --size", k->name);

	struct ipc_obj *made = obj_new(k);
	bool existed = false;
	why = NULL;
	int r = k->mk->create(&a, made, &existed, &why);
	free(a.values);
	if (r < 0) {
		if (r == -EEXIST && k->named)
			err_msg("cannot create %s: /%s exists (--exclusive)", k->name, a.name);
		else if (r == -EEXIST)
			err_msg("cannot create %s: key 0x%08x exists (--exclusive)", k->name,
				(unsigned)a.key);
		else if (why)
			err_msg("cannot create %s: %s (%s)", k->name, strerror(-r), why);
		else
			err_msg("cannot create %s: %s", k->name, strerror(-r));
		obj_free(made);
		return EXIT_RUNTIME;
	}
	char *label = obj_label(made);
	if (existed)
		err_msg("%s exists: printed unchanged (use --exclusive to fail instead)", label);
	free(label);

	int rc = 0;
	if (json) {
		/* the object as show prints it, read back from the kernel */
		char *arg = k->named ? xstrdup(made->name) : xasprintf("id:%lld", made->id);
		char *sargv[] = { "show", "--json", (char *)k->name, arg, NULL };
		optind = 0;
		rc = cmd_show(4, sargv);
		free(arg);
	} else if (k->named) {
		char *e = esc_bytes(made->name, strlen(made->name));
		printf("/%s\n", e);
		free(e);
	} else {
		printf("%lld 0x%08x\n", made->id, (unsigned)made->key);
	}
	obj_free(made);
	return rc;
}
