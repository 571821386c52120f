#include <stdio.h>

#include "filter.h"

#include <fnmatch.h>
#include <string.h>

#include "out.h"
#include "parse.h"
#include "proc.h"
#include "util.h"

void filter_init(struct filter *f)
{
	memset(f, 0, sizeof(*f));
	f->now = time(NULL);
}

bool filter_opt(struct filter *f, int c, const char *arg)
{
	const char *why;
	switch (c) {
	case 'u':
		/* the value is echoed escaped: the message stays one line */
		if (user_lookup(arg, &f->uid) < 0)
			die_usage("unknown user '%s': no such user name or id",
				  esc_bytes(arg, strlen(arg)));
		f->by_user = true;
		return true;
	case OPT_FILTER_KEY:
		if (parse_key(arg, &f->key, &why) < 0)
			die_usage("invalid key '%s': %s", esc_bytes(arg, strlen(arg)), why);
		f->by_key = true;
		return true;
	case OPT_FILTER_NAME:
		f->name_glob = arg;
		return true;
	case OPT_FILTER_CREATOR_GONE:
		f->creator_gone = true;
		return true;
	case OPT_FILTER_UNATTACHED:
		f->unattached = true;
		return true;
	case OPT_FILTER_OLDER_THAN:
		if (parse_duration(arg, &f->older_than, &why) < 0)
			die_usage("invalid duration '%s': %s", esc_bytes(arg, strlen(arg)), why);
		f->by_age = true;
		return true;
	}
	return false;
}

void filter_usage(FILE *out)
{
	fputs("\nFilters:\n"
	      "  -u, --user USER        objects owned by USER (name or uid)\n"
	      "      --key KEY          System V objects with this key (0xHEX or decimal)\n"
	      "      --name GLOB        POSIX objects whose name matches GLOB\n"
	      "      --creator-gone     System V objects whose creator process has exited\n"
	      "      --older-than DUR   objects last changed more than DUR ago (30s, 5m, 2h, 7d)\n"
	      "      --unattached       shared memory that no process attaches or maps\n",
	      out);
}

bool filter_active(const struct filter *f)
{
	return f->by_user || f->by_key || f->name_glob || f->creator_gone || f->by_age ||
	       f->unattached;
}

bool filter_match(const struct filter *f, const struct ipc_obj *o)
{
	if (f->by_user && o->uid != f->uid)
		return false;
	if (f->by_key && (o->kind->named || o->key != f->key))
		return false;
	if (f->name_glob) {
		if (!o->kind->named)
			return false;
		/* a glob may be written with the leading slash, as names are opened */
		const char *glob = f->name_glob[0] == '/' ? f->name_glob + 1 : f->name_glob;
		if (fnmatch(glob, o->name, FNM_PATHNAME) != 0)
			return false;
	}
	if (f->creator_gone && (o->cpid <= 0 || proc_alive(o->cpid)))
		return false;
	if (f->by_age && (double)(f->now - o->ctime) <= f->older_than)
		return false;
	if (f->unattached) {
		/* kinds that can be attached say how often in their NATTCH column */
		const struct column *col = kind_column(o->kind, "NATTCH");
		struct cell c;
		if (!col)
			return false;
		cell_get(col, o, &c);
		if (c.state != CELL_OK || c.num != 0)
			return false;
	}
	return true;
}

void filter_list(const struct filter *f, struct objlist *l)
{
	if (!filter_active(f))
		return;
	size_t w = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (filter_match(f, l->v[i]))
			l->v[w++] = l->v[i];
		else
			obj_free(l->v[i]);
	}
	l->n = w;
}
