/*
 * Columns shared by kinds: the ownership and times every System V object
 * has, and what a POSIX object's file tells. Kinds list them in their own
 * column tables through these macros.
 */
#ifndef IPCX_KINDS_COMMON_H
#define IPCX_KINDS_COMMON_H

#include "../kind.h"

void col_key(const struct ipc_obj *o, struct cell *c);
void col_id(const struct ipc_obj *o, struct cell *c);
void col_name(const struct ipc_obj *o, struct cell *c);
void col_owner(const struct ipc_obj *o, struct cell *c);
void col_perms(const struct ipc_obj *o, struct cell *c);
void col_cuid(const struct ipc_obj *o, struct cell *c);
void col_cuser(const struct ipc_obj *o, struct cell *c);
void col_cgid(const struct ipc_obj *o, struct cell *c);
void col_cgroup(const struct ipc_obj *o, struct cell *c);
void col_uid(const struct ipc_obj *o, struct cell *c);
void col_user(const struct ipc_obj *o, struct cell *c);
void col_gid(const struct ipc_obj *o, struct cell *c);
void col_group(const struct ipc_obj *o, struct cell *c);
void col_ctime(const struct ipc_obj *o, struct cell *c);
void col_cpid(const struct ipc_obj *o, struct cell *c);
void col_lpid(const struct ipc_obj *o, struct cell *c);
void col_command(const struct ipc_obj *o, struct cell *c);
void col_holders(const struct ipc_obj *o, struct cell *c);
void col_nholders(const struct ipc_obj *o, struct cell *c);

/* NS: the IPC namespace the object lives in, for listings across namespaces. */
extern const struct column ns_column;

/* Helpers for a kind's own columns. */
void cell_num(struct cell *c, unsigned long long v);
void cell_pid(struct cell *c, pid_t pid);	/* absent when 0 */
void cell_time(struct cell *c, time_t t);	/* absent when 0 */
void cell_str(struct cell *c, const char *s);	/* absent when NULL */
void cell_unknown(struct cell *c, int err);	/* err is an errno */

#define COLS_OWNERSHIP \
	{ "OWNER", CT_STR, 0, 0.1, "owner's user name", col_owner }, \
	{ "PERMS", CT_STR, 0, 0.1, "permissions", col_perms }, \
	{ "UID", CT_NUM, COL_RIGHT, 0.1, "owner's user id", col_uid }, \
	{ "USER", CT_STR, 0, 0.1, "owner's user name", col_user }, \
	{ "GID", CT_NUM, COL_RIGHT, 0.1, "owner's group id", col_gid }, \
	{ "GROUP", CT_STR, 0, 0.1, "owner's group name", col_group }

/* Holder columns: the walk of /proc happens only when one is shown. */
#define COLS_HOLDERS \
	{ "NHOLDERS", CT_NUM, COL_RIGHT, 0.1, "processes that hold or wait on it", col_nholders }, \
	{ "HOLDERS", CT_STR, COL_WRAP, 0.3, "those processes, as PID(COMMAND)", col_holders }

#define COLS_SYSV_COMMON \
	{ "KEY", CT_STR, 0, 0.1, "key (0xHEX)", col_key }, \
	{ "ID", CT_NUM, COL_RIGHT, 0.1, "identifier", col_id }, \
	COLS_OWNERSHIP, \
	{ "CUID", CT_NUM, COL_RIGHT, 0.1, "creator's user id", col_cuid }, \
	{ "CUSER", CT_STR, 0, 0.1, "creator's user name", col_cuser }, \
	{ "CGID", CT_NUM, COL_RIGHT, 0.1, "creator's group id", col_cgid }, \
	{ "CGROUP", CT_STR, 0, 0.1, "creator's group name", col_cgroup }, \
	{ "CTIME", CT_TIME, 0, 0.1, "time of the last change", col_ctime }

#endif
