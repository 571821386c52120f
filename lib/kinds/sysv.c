#include "sysv.h"

#include <errno.h>
#include <stdio.h>
#include <sys/random.h>

int sysv_create(int (*get)(key_t key, int flags, const struct mk_args *a),
		const struct mk_args *a, struct ipc_obj *made, bool *existed)
{
	int perms = (int)(a->mode & 0777);
	int id;
	*existed = false;
	if (a->key_private) {
		id = get(IPC_PRIVATE, IPC_CREAT | perms, a);
		if (id < 0)
			return -errno;
		made->id = id;
		made->key = 0;
		return 0;
	}
	if (a->given & MKO_KEY) {
		id = get(a->key, IPC_CREAT | IPC_EXCL | perms, a);
		if (id < 0 && errno == EEXIST && !a->exclusive) {
			id = get(a->key, 0, a);
			*existed = id >= 0;
		}
		if (id < 0)
			return -errno;
		made->id = id;
		made->key = a->key;
		return 0;
	}
	/* a random key: tried again while it is taken */
	for (int tries = 0; tries < 64; tries++) {
		unsigned k;
		if (getrandom(&k, sizeof(k), 0) != sizeof(k))
			return -errno;
		if (k == IPC_PRIVATE)
			continue;
		id = get((key_t)k, IPC_CREAT | IPC_EXCL | perms, a);
		if (id >= 0) {
			made->id = id;
			made->key = (int)k;
			return 0;
		}
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

int sysv_same(const struct ipc_obj *o, key_t key, time_t ctime, char *why, size_t whylen)
{
	if (key == o->key && ctime == o->ctime)
		return 0;
	if (key != o->key)
		snprintf(why, whylen, "id %lld now names another object (key 0x%08x)", o->id,
			 (unsigned)key);
	else
		snprintf(why, whylen, "changed since it was listed");
	return -ESTALE;
}
