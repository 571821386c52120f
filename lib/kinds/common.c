#include "common.h"

#include <stdio.h>
#include <string.h>

#include "../proc.h"

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
	snprintf(c->buf, sizeof(c->buf), "0x%08x", (unsigned)o->key);
	cell_str(c, c->buf);
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
		c->str = o->name;
		c->len = len;
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
