#include "common.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "../holders.h"
#include "../ns.h"
#include "../proc.h"
#include "../util.h"
#include <stdlib.h>

void cell_num(struct cell *c, unsigned long long v)
{
	c->state = CELL_OK;
	c->num = v;
}

void cell_pid(struct cell *c, pid_t pid)
{
	if (pid <= 0)
		c->state = CELL_ABSENT;
	else
		cell_num(c, (unsigned long long)pid);
}

void cell_time(struct cell *c, time_t t)
{
	if (t <= 0)
		c->state = CELL_ABSENT;
	else
		cell_num(c, (unsigned long long)t);
}

void cell_str(struct cell *c, const char *s)
{
	if (!s) {
		c->state = CELL_ABSENT;
		return;
	}
	c->state = CELL_OK;
	c->str = s;
	c->len = strlen(s);
}

void cell_unknown(struct cell *c, int err)
{
	c->state = CELL_UNKNOWN;
	c->why = strerror(err);
}

void col_key(const struct ipc_obj *o, struct cell *c)
{
	/* "0x%08x" by hand: through snprintf it cost more than all the other
	 * cells of a row together */
	static const char hex[] = "0123456789abcdef";
	unsigned k = (unsigned)o->key;
	c->buf[0] = '0';
	c->buf[1] = 'x';
	for (int i = 0; i < 8; i++)
		c->buf[2 + i] = hex[(k >> (28 - 4 * i)) & 0xf];
	c->buf[10] = '\0';
	c->state = CELL_OK;
	c->str = c->buf;
	c->len = 10;
}

void col_id(const struct ipc_obj *o, struct cell *c)
{
	cell_num(c, (unsigned long long)o->id);
}

void col_name(const struct ipc_obj *o, struct cell *c)
{
	/* POSIX names are shown as they are opened: with the leading slash */
	c->state = CELL_OK;
	size_t len = strlen(o->name);
	if (len + 2 <= sizeof(c->buf)) {
		c->buf[0] = '/';
		memcpy(c->buf + 1, o->name, len + 1);
		c->str = c->buf;
		c->len = len + 1;
	} else {
		/* a long name keeps its slash too; the text must outlive the call
		 * only until the cell is formatted or copied, as every caller does,
		 * and a name is at most NAME_MAX bytes */
		static char longname[NAME_MAX + 2];
		size_t n = len < NAME_MAX ? len : NAME_MAX;
		longname[0] = '/';
		memcpy(longname + 1, o->name, n);
		longname[n + 1] = '\0';
		c->str = longname;
		c->len = n + 1;
	}
}

static void user_cell(struct cell *c, uid_t uid)
{
	const char *n = user_name(uid);
	if (n) {
		cell_str(c, n);
	} else {
		snprintf(c->buf, sizeof(c->buf), "%u", (unsigned)uid);
		cell_str(c, c->buf);
	}
}

static void group_cell(struct cell *c, gid_t gid)
{
	const char *n = group_name(gid);
	if (n) {
		cell_str(c, n);
	} else {
		snprintf(c->buf, sizeof(c->buf), "%u", (unsigned)gid);
		cell_str(c, c->buf);
	}
}

void col_owner(const struct ipc_obj *o, struct cell *c) { user_cell(c, o->uid); }
void col_user(const struct ipc_obj *o, struct cell *c) { user_cell(c, o->uid); }
void col_cuser(const struct ipc_obj *o, struct cell *c) { user_cell(c, o->cuid); }
void col_group(const struct ipc_obj *o, struct cell *c) { group_cell(c, o->gid); }
void col_cgroup(const struct ipc_obj *o, struct cell *c) { group_cell(c, o->cgid); }
void col_uid(const struct ipc_obj *o, struct cell *c) { cell_num(c, o->uid); }
void col_cuid(const struct ipc_obj *o, struct cell *c) { cell_num(c, o->cuid); }
void col_gid(const struct ipc_obj *o, struct cell *c) { cell_num(c, o->gid); }
void col_cgid(const struct ipc_obj *o, struct cell *c) { cell_num(c, o->cgid); }
void col_ctime(const struct ipc_obj *o, struct cell *c) { cell_time(c, o->ctime); }
void col_cpid(const struct ipc_obj *o, struct cell *c) { cell_pid(c, o->cpid); }
void col_lpid(const struct ipc_obj *o, struct cell *c) { cell_pid(c, o->lpid); }

void col_perms(const struct ipc_obj *o, struct cell *c)
{
	static const char rwx[] = "rwxrwxrwx";
	for (int i = 0; i < 9; i++)
		c->buf[i] = (o->mode & (1u << (8 - i))) ? rwx[i] : '-';
	c->buf[9] = '\0';
	cell_str(c, c->buf);
}

void col_command(const struct ipc_obj *o, struct cell *c)
{
	if (o->cpid <= 0) {
		c->state = CELL_ABSENT;
		return;
	}
	/* a creator that is gone has no command: absent, not an error */
	cell_str(c, proc_comm(o->cpid));
}

void col_nholders(const struct ipc_obj *o, struct cell *c)
{
	cell_num(c, holders_npids(obj_holders(o)));
}

void col_holders(const struct ipc_obj *o, struct cell *c)
{
	const struct holders *h = obj_holders(o);
	/* valid until the next call: a cell is formatted as soon as it is filled */
	static char *last;
	char *text = NULL;
	size_t len = 0;
	for (size_t i = 0; i < h->n; i++) {
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = h->v[j].pid == h->v[i].pid;
		if (seen)
			continue;
		const char *comm = proc_comm(h->v[i].pid);
		char *item = xasprintf("%s%d(%s)", len ? "," : "", (int)h->v[i].pid, comm ? comm : "?");
		text = xrealloc(text, len + strlen(item) + 1);
		memcpy(text + len, item, strlen(item) + 1);
		len += strlen(item);
		free(item);
	}
	if (!len) {
		free(text);
		c->state = CELL_ABSENT;
		return;
	}
	/* a row filled before it is formatted may name the column twice
	 * (-o HOLDERS,HOLDERS): the earlier cell still points at last */
	if (last && !strcmp(last, text)) {
		free(text);
	} else {
		free(last);
		last = text;
	}
	cell_str(c, last);
}

static void col_ns(const struct ipc_obj *o, struct cell *c)
{
	(void)o;
	/* objects are listed while their namespace is entered */
	cell_num(c, (unsigned long long)ns_current());
}

const struct column ns_column = { "NS", CT_NUM, COL_RIGHT, 0.1, "IPC namespace (inode)", col_ns };
