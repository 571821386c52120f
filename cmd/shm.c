/* ipcx shm: read and write the memory of System V and POSIX shared memory. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
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

enum { OPT_OFFSET = 0x300, OPT_LENGTH, OPT_HEX, OPT_RESIZE };

const struct option shm_longopts[] = {
	{ "offset", required_argument, NULL, OPT_OFFSET },
	{ "length", required_argument, NULL, OPT_LENGTH },
	{ "hex", no_argument, NULL, OPT_HEX },
	{ "resize", no_argument, NULL, OPT_RESIZE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fputs("Usage: ipcx shm shm|pshm ID|KEY|NAME read [--offset N] [--length N] [--hex]\n"
	      "       ipcx shm shm|pshm ID|KEY|NAME write [--offset N] [--resize] < DATA\n\n"
	      "read copies the object's bytes to standard output, or prints them as a\n"
	      "hexdump with --hex. write copies standard input into the object at the\n"
	      "offset. A System V segment never grows; a POSIX one grows only with --resize.\n"
	      "Offsets and lengths take K, M, G suffixes.\n\n"
	      "  -h, --help             show this help\n", f);
}

/* xxd's layout: offset, 16 bytes as 8 groups of two, then the printable text. */
static void hexdump(const unsigned char *p, size_t len, size_t base)
{
	for (size_t off = 0; off < len; off += 16) {
		size_t n = len - off < 16 ? len - off : 16;
		printf("%08zx:", base + off);
		for (size_t i = 0; i < 16; i++) {
			if (i % 2 == 0)
				putchar(' ');
			if (i < n)
				printf("%02x", p[off + i]);
			else
				fputs("  ", stdout);
		}
		fputs("  ", stdout);
		for (size_t i = 0; i < n; i++) {
			unsigned char ch = p[off + i];
			putchar(ch >= 0x20 && ch < 0x7f ? ch : '.');
		}
		putchar('\n');
	}
}

int cmd_shm(int argc, char **argv)
{
	unsigned long long offset = 0, length = 0;
	bool length_given = false, hex = false, resize = false;
	const char *why;
	int c;
	while ((c = getopt_long(argc, argv, ":" "h", shm_longopts, NULL)) != -1) {
		switch (c) {
		case OPT_OFFSET:
			if (parse_size(optarg, &offset, &why) < 0)
				die_usage("invalid --offset '%s': %s", optarg, why);
			break;
		case OPT_LENGTH:
			if (parse_size(optarg, &length, &why) < 0)
				die_usage("invalid --length '%s': %s", optarg, why);
			length_given = true;
			break;
		case OPT_HEX:
			hex = true;
			break;
		case OPT_RESIZE:
			resize = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			bad_option(argv, c);
		}
	}
	if (argc - optind != 3)
		die_usage("expected KIND, ID|KEY|NAME and read or write");
	const struct kind *k = kind_arg(argv[optind]);
	if (!k->shm)
		die_usage("%s objects are not shared memory: shm takes shm or pshm", k->name);
	const char *op = argv[optind + 2];
	bool write = !strcmp(op, "write");
	if (!write && strcmp(op, "read")) {
		char *e = esc_bytes(op, strlen(op));
		die_usage("unknown operation '%s': expected read or write", e);
	}
	if (write && (hex || length_given))
		die_usage("--hex and --length apply to read");
	if (!write && resize)
		die_usage("--resize applies to write");
	if (resize && !k->shm->resize)
		die_usage("a %s object cannot grow: System V segments keep their size", k->name);

	/* a malformed target is told before standard input is consumed */
	if (!kind_arg_valid(k, argv[optind + 1], &why)) {
		char *e = esc_bytes(argv[optind + 1], strlen(argv[optind + 1]));
		die_usage("invalid %s '%s': %s", k->name, e, why);
	}

	char *data = NULL;
	size_t dlen = 0;
	if (write) {
		/* all of the input first: a failed read must change nothing */
		data = read_all_fd(STDIN_FILENO, &dlen);
		if (!data)
			die(EXIT_RUNTIME, "cannot read standard input: %s", strerror(errno));
	}

	struct objlist l = { 0 };
	struct ipc_obj *o = scan_find(k, argv[optind + 1], &l);
	int rc = 0;
	char *label = NULL;
	if (!o) {
		rc = EXIT_RUNTIME;
		goto out;
	}
	label = obj_label(o);
	void *addr = NULL;
	size_t size = 0;
	int r = k->shm->map(o, write, &addr, &size);
	if (r < 0) {
		err_msg("%s: cannot %s it: %s", label, write ? "map" : "read", strerror(-r));
		rc = EXIT_RUNTIME;
		goto out;
	}
	/* compared without offset + dlen, which a huge offset would wrap */
	if (write && (offset > size || dlen > size - (size_t)offset)) {
		bool too_big = resize && offset > (unsigned long long)INT64_MAX - dlen;
		if (!resize || too_big) {
			err_msg("%s: %zu bytes at offset %llu pass its end (%zu bytes)%s", label, dlen,
				offset, size, too_big ? "; nothing can grow that large" :
				k->shm->resize ? "; --resize grows it" : "; a System V segment never grows");
			k->shm->unmap(o, addr, size);
			rc = EXIT_RUNTIME;
			goto out;
		}
		k->shm->unmap(o, addr, size);
		r = k->shm->resize(o, (size_t)(offset + dlen));
		if (r == 0)
			r = k->shm->map(o, true, &addr, &size);
		if (r < 0) {
			err_msg("%s: cannot grow it: %s", label, strerror(-r));
			rc = EXIT_RUNTIME;
			goto out;
		}
	}
	if (write) {
		/* an empty object has no mapping: addr is NULL, and nothing to copy */
		if (dlen)
			memcpy((char *)addr + offset, data, dlen);
	} else if (offset > size) {
		err_msg("%s: offset %llu is past its end (%zu bytes)", label, offset, size);
		rc = EXIT_RUNTIME;
	} else {
		size_t n = size - (size_t)offset;
		if (length_given && length < n)
			n = (size_t)length;
		if (hex) {
			hexdump((const unsigned char *)addr + offset, n, (size_t)offset);
		} else if (write_all(STDOUT_FILENO, (const char *)addr + offset, n) < 0) {
			err_msg("cannot write the output: %s", strerror(errno));
			rc = EXIT_RUNTIME;
		}
	}
	k->shm->unmap(o, addr, size);
out:
	free(label);
	free(data);
	objlist_free(&l);
	return rc;
}
