/*
 * The operations that change IPC state, as a kind offers them. A kind
 * fills only the tables that apply to it; a command asks for the table
 * and says so when the kind has none.
 */
#ifndef IPCX_OPS_H
#define IPCX_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "kind.h"

/* mk: the options a kind may take, and their values. */
enum mk_opt {
	MKO_SIZE = 1 << 0,
	MKO_KEY = 1 << 1,
	MKO_MODE = 1 << 2,
	MKO_HUGETLB = 1 << 3,
	MKO_QBYTES = 1 << 4,
	MKO_NSEMS = 1 << 5,
	MKO_VALUES = 1 << 6,
	MKO_MAXMSG = 1 << 7,
	MKO_MSGSIZE = 1 << 8,
	MKO_VALUE = 1 << 9,
	MKO_NAME = 1 << 10,	/* takes a NAME argument */
};

struct mk_args {
	unsigned given;		/* MKO_* given on the command line */
	const char *name;	/* POSIX, without the leading slash */
	int key;
	bool key_private;
	mode_t mode;		/* 0600 unless given */
	unsigned long long size, qbytes, nsems, maxmsg, msgsize, value;
	unsigned short *values;
	size_t nvalues;
	bool hugetlb, exclusive;
};

struct mk_ops {
	unsigned takes;		/* MKO_* */
	/*
	 * Creates the object, or opens the existing one when it exists and
	 * !exclusive (*existed set, nothing changed). Fills made's id, key or
	 * name. Returns 0 or -errno; *why may add a reason.
	 */
	int (*create)(const struct mk_args *a, struct ipc_obj *made, bool *existed,
		      const char **why);
};

/* rm: flags and the result that means "kept for safety". */
enum { RM_FORCE = 1, RM_DRY_RUN = 2 };
#define RM_KEPT 1

/*
 * Removes o after checking it is still the object that was listed (the
 * same key and ctime for an id, the same inode for a name) and, without
 * RM_FORCE, that nothing uses it. Returns 0 when removed (or, with
 * RM_DRY_RUN, when it would be), RM_KEPT with why filled when kept,
 * -errno on failure (why may be filled too).
 */
typedef int (*remove_fn)(const struct ipc_obj *o, unsigned flags, char *why, size_t whylen);

/* send and recv: System V messages have a type, POSIX ones a priority. */
enum { MSG_OP_NOWAIT = 1, MSG_OP_PEEK = 2 };

struct msg_ops {
	const char *tag;	/* "type" or "priority" */
	/* The largest message the object takes; 0 when unknown. */
	size_t (*max_size)(const struct ipc_obj *o);
	/* timeout < 0 waits for ever. */
	int (*send)(const struct ipc_obj *o, const void *data, size_t len, long tag,
		    unsigned flags, double timeout);
	/*
	 * Receives one message into buf (of cap bytes). For System V, tag is
	 * msgrcv's msgtyp; with MSG_OP_PEEK, index is the message to copy.
	 * Returns its length, or -errno.
	 */
	ssize_t (*recv)(const struct ipc_obj *o, void *buf, size_t cap, long tag, long index,
			unsigned flags, double timeout, long *tag_out);
};

/* sem: one operation of a set, applied with the others atomically. */
struct sem_op {
	unsigned num;
	int delta;		/* > 0 post, < 0 wait, 0 wait for zero */
	bool nowait;		/* fail with EAGAIN rather than block */
};

enum { SEM_OP_NOWAIT = 1, SEM_OP_UNDO = 2 };

struct sem_ops {
	bool is_set;		/* several semaphores, addressed by number */
	size_t (*count)(const struct ipc_obj *o);
	int (*get)(const struct ipc_obj *o, unsigned num, unsigned *val);
	/* NULL when values cannot be set directly */
	int (*set)(const struct ipc_obj *o, unsigned num, unsigned val);
	int (*setall)(const struct ipc_obj *o, const unsigned short *vals, size_t n);
	int (*waiters)(const struct ipc_obj *o, unsigned num, unsigned *ncnt, unsigned *zcnt);
	int (*apply)(const struct ipc_obj *o, const struct sem_op *ops, size_t n,
		     unsigned flags, double timeout);
	unsigned long long max_value;
};

/* shm: the memory of an object, mapped for a read or a write. */
struct shm_ops {
	int (*map)(const struct ipc_obj *o, bool write, void **addr, size_t *size);
	void (*unmap)(const struct ipc_obj *o, void *addr, size_t size);
	/* NULL when the object cannot grow */
	int (*resize)(const struct ipc_obj *o, size_t size);
};

#endif
