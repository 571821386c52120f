/* ipcx ns: the IPC namespaces of the host, their objects and processes. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/kind.h"
#include "../lib/kinds/common.h"
#include "../lib/ns.h"
#include "../lib/out.h"
#include "../lib/proc.h"
#include "../lib/util.h"
#include "commands.h"

const struct option ns_longopts[] = {
	OUT_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Fixed columns; one count column per kind follows them. */
enum { N_NS, N_NPROCS, N_PID, N_COMMAND, N_CGROUP, N_FIXED };

static const struct column fixed_cols[N_FIXED] = {
	{ "NS", CT_NUM, COL_RIGHT, 0.1, "IPC namespace (inode, as lsns shows it)", NULL },
	{ "NPROCS", CT_NUM, COL_RIGHT, 0.1, "processes in it", NULL },
	{ "PID", CT_NUM, COL_RIGHT, 0.1, "its lowest pid", NULL },
	{ "COMMAND", CT_STR, COL_TRUNC, 0.1, "that process's command", NULL },
	{ "CGROUP", CT_STR, COL_TRUNC, 0.3, "that process's cgroup: the container, under a container manager", NULL },
};

static void usage(FILE *f)
{
	fputs("Usage: ipcx ns [OPTIONS]\n\n"
	      "List the IPC namespaces of the host: their processes, the cgroup of the\n"
	      "first (a container's, under a container manager) and how many objects of\n"
	      "each kind they hold. Needs root to enter other namespaces.\n", f);
	out_usage(f);
	fputs("\n  -h, --help             show this help\n", f);
}

/* The cgroup v2 path of pid ("0::/system.slice/x.scope"), else the first line's path. */
static char *cgroup_of(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	char *s = read_file(path, NULL);
	if (!s)
		return NULL;
	char *found = NULL;
	for (char *line = strtok(s, "\n"); line && !found; line = strtok(NULL, "\n"))
		if (!strncmp(line, "0::", 3))
			found = xstrdup(line + 3);
	if (!found) {
		char *c = strchr(s, ':');
		c = c ? strchr(c + 1, ':') : NULL;
		found = c ? xstrdup(c + 1) : NULL;
	}
	free(s);
	return found;
}

int cmd_ns(int argc, char **argv)
{
	struct out_opts o;
	int c;
	out_init(&o);
	while ((c = getopt_long(argc, argv, ":" OUT_SHORTOPTS "h", ns_longopts, NULL)) != -1) {
		if (out_opt(&o, c, optarg))
			continue;
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		bad_option(argv, c);
	}
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);

	/* the columns: the fixed ones, then a count per kind that needs no walk */
	size_t ncols = N_FIXED;
	struct column *cols = xcalloc(N_FIXED + nkinds, sizeof(*cols));
	const struct kind **colkind = xcalloc(N_FIXED + nkinds, sizeof(*colkind));
	memcpy(cols, fixed_cols, sizeof(fixed_cols));
	char *defcols = xstrdup("NS,NPROCS,PID,COMMAND");
	for (size_t i = 0; i < nkinds; i++) {
		if (kinds[i]->fd_based)
			continue;
		char *name = xstrdup(kinds[i]->name);
		for (char *p = name; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		cols[ncols] = (struct column){ name, CT_NUM, COL_RIGHT, 0.05,
					       kinds[i]->title, NULL };
		colkind[ncols++] = kinds[i];
		char *d = xasprintf("%s,%s", defcols, name);
		free(defcols);
		defcols = d;
	}
	char *d = xasprintf("%s,CGROUP", defcols);
	free(defcols);
	defcols = d;

	int rc = 0;
	if (o.list_columns) {
		out_list_columns("ns", cols, ncols, defcols);
		goto out;
	}
	if (o.sort)
		die_usage("--sort is not available for ns: namespaces are listed by inode");
	struct colsel sel;
	out_select(&o, cols, ncols, defcols, "ns", false, &sel);
	struct ipcns *nss;
	size_t nns;
	if (ipcns_list(&nss, &nns) < 0)
		die(EXIT_RUNTIME, "cannot list IPC namespaces: %s", strerror(errno));
	struct out_doc *doc = out_begin(&o);
	struct out_tab *t = out_table(doc, "namespaces", NULL, &sel);
	struct cell *cells = xcalloc(ncols, sizeof(*cells));
	struct cell *row = xcalloc(sel.n, sizeof(*row));
	for (size_t n = 0; n < nns; n++) {
		memset(cells, 0, ncols * sizeof(*cells));
		cell_num(&cells[N_NS], (unsigned long long)nss[n].ino);
		cell_num(&cells[N_NPROCS], nss[n].nprocs);
		cell_num(&cells[N_PID], (unsigned long long)nss[n].pid);
		cell_str(&cells[N_COMMAND], proc_comm(nss[n].pid));
		char *cg = cgroup_of(nss[n].pid);
		cell_str(&cells[N_CGROUP], cg);
		const char *why = NULL;
		/* our own namespace needs no entering, and no privilege */
		bool here = nss[n].ino == ns_current();
		int r = here ? 0 : ns_enter(nss[n].pid, &why);
		for (size_t k = N_FIXED; k < ncols; k++) {
			struct objlist l = { 0 };
			struct scan_note note = { NULL };
			int e = r < 0 ? r : colkind[k]->scan(&l, &note);
			if (note.text) {
				/* an unmounted mqueue: the count is not known, not zero */
				e = -ENOENT;
				free(note.text);
			}
			if (e < 0)
				cell_unknown(&cells[k], -e);
			else
				cell_num(&cells[k], l.n);
			objlist_free(&l);
		}
		if (r < 0) {
			err_msg("IPC namespace %lu (pid %d): objects not counted: %s",
				(unsigned long)nss[n].ino, (int)nss[n].pid, why);
			rc = EXIT_RUNTIME;
		}
		if (!here)
			ns_return();
		for (size_t i = 0; i < sel.n; i++)
			row[i] = cells[sel.v[i] - cols];
		out_row(t, row);
		free(cg);
	}
	out_end(doc);
	free(row);
	free(cells);
	free(nss);
	colsel_free(&sel);
out:
	for (size_t k = N_FIXED; k < ncols; k++)
		free((char *)cols[k].name);
	free(cols);
	free(colkind);
	free(defcols);
	return rc;
}
