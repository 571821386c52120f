/* What the System V kinds share when they create and remove objects. */
#ifndef IPCX_KINDS_SYSV_H
#define IPCX_KINDS_SYSV_H

#include <stdbool.h>
#include <sys/ipc.h>

#include "../ops.h"

/*
 * Creates with get(key, flags) (shmget, msgget, semget bound to their
 * size argument): IPC_PRIVATE, a given key (opening the existing object
 * unless exclusive), or a random unused key. Fills made->id and key.
 */
int sysv_create(int (*get)(key_t key, int flags, const struct mk_args *a),
		const struct mk_args *a, struct ipc_obj *made, bool *existed);

/*
 * Checks that the object stat'ed as (key, ctime) is still the one listed;
 * fills why and returns -ESTALE when the id now names another object.
 */
int sysv_same(const struct ipc_obj *o, key_t key, time_t ctime, char *why, size_t whylen);

#endif
