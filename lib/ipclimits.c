#include "ipclimits.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "out.h"
#include "util.h"

/* Constants of the kernel that no file shows. */
#define SHMMIN_VALUE 1
#define SEMVMX_VALUE 32767

const struct ipc_limit ipc_limits[] = {
	{ "msgmni", "message queues (System V)", "queues", "/proc/sys/kernel/msgmni", 0, "msg", U_COUNT, NULL, 0 },
	{ "msgmax", "largest message (System V)", "bytes", "/proc/sys/kernel/msgmax", 0, NULL, U_NONE, NULL, 0 },
	{ "msgmnb", "default bytes a queue may hold (System V)", "bytes", "/proc/sys/kernel/msgmnb", 0, "msg", U_MAX, "USEDBYTES", 0 },
	{ "shmmax", "largest segment (System V)", "bytes", "/proc/sys/kernel/shmmax", 0, "shm", U_MAX, "SIZE", 0 },
	{ "shmall", "total shared memory (System V)", "pages", "/proc/sys/kernel/shmall", 0, "shm", U_SUM_PAGES, "SIZE", 0 },
	{ "shmmni", "segments (System V)", "segments", "/proc/sys/kernel/shmmni", 0, "shm", U_COUNT, NULL, 0 },
	{ "shmmin", "smallest segment (System V)", "bytes", NULL, 0, NULL, U_NONE, NULL, SHMMIN_VALUE },
	{ "semmsl", "semaphores in one set (System V)", "semaphores", "/proc/sys/kernel/sem", 0, "sem", U_MAX, "NSEMS", 0 },
	{ "semmns", "semaphores in all sets (System V)", "semaphores", "/proc/sys/kernel/sem", 1, "sem", U_SUM, "NSEMS", 0 },
	{ "semopm", "operations in one semop call (System V)", "operations", "/proc/sys/kernel/sem", 2, NULL, U_NONE, NULL, 0 },
	{ "semmni", "semaphore sets (System V)", "sets", "/proc/sys/kernel/sem", 3, "sem", U_COUNT, NULL, 0 },
	{ "semvmx", "largest semaphore value (System V)", "value", NULL, 0, NULL, U_NONE, NULL, SEMVMX_VALUE },
	{ "queues_max", "message queues (POSIX)", "queues", "/proc/sys/fs/mqueue/queues_max", 0, "pmsg", U_COUNT, NULL, 0 },
	{ "msg_max", "most messages in a queue (POSIX)", "messages", "/proc/sys/fs/mqueue/msg_max", 0, "pmsg", U_MAX, "MAXMSG", 0 },
	{ "msgsize_max", "largest message (POSIX)", "bytes", "/proc/sys/fs/mqueue/msgsize_max", 0, "pmsg", U_MAX, "MSGSIZE", 0 },
	{ "msg_default", "default most messages of a new queue (POSIX)", "messages", "/proc/sys/fs/mqueue/msg_default", 0, NULL, U_NONE, NULL, 0 },
	{ "msgsize_default", "default largest message of a new queue (POSIX)", "bytes", "/proc/sys/fs/mqueue/msgsize_default", 0, NULL, U_NONE, NULL, 0 },
};
const size_t nipc_limits = sizeof(ipc_limits) / sizeof(ipc_limits[0]);

const struct ipc_limit *ipc_limit_by_name(const char *name)
{
	for (size_t i = 0; i < nipc_limits; i++)
		if (!strcmp(ipc_limits[i].name, name))
			return &ipc_limits[i];
	return NULL;
}

int ipc_limit_value(const struct ipc_limit *lim, unsigned long long *v)
{
	if (!lim->path) {
		*v = lim->constant;
		return 0;
	}
	char *s = read_file(lim->path, NULL);
	if (!s)
		return -errno;
	char *p = s, *end;
	for (int i = 0;; i++) {
		errno = 0;
		unsigned long long x = strtoull(p, &end, 10);
		if (end == p || errno) {
			free(s);
			return -EINVAL;
		}
		if (i == lim->field) {
			*v = x;
			break;
		}
		p = end;
	}
	free(s);
	return 0;
}

int ipc_limit_use(const struct ipc_limit *lim, const struct kind *k, const struct objlist *l,
		  unsigned long long *used)
{
	if (lim->use == U_COUNT) {
		*used = l->n;
		return 0;
	}
	const struct column *col = kind_column(k, lim->column);
	if (!col)
		return -ENOENT;
	unsigned long long total = 0, pages = 0, max = 0;
	unsigned long long page = (unsigned long long)sysconf(_SC_PAGESIZE);
	for (size_t i = 0; i < l->n; i++) {
		struct cell c;
		cell_get(col, l->v[i], &c);
		if (c.state == CELL_UNKNOWN)
			return -(l->v[i]->err ? l->v[i]->err : EIO);
		if (c.state != CELL_OK)
			continue;
		total += c.num;
		pages += (c.num + page - 1) / page;
		if (c.num > max)
			max = c.num;
	}
	*used = lim->use == U_SUM ? total : lim->use == U_SUM_PAGES ? pages : max;
	return 0;
}

int shmfs_usage(unsigned long long *size, unsigned long long *used)
{
	struct statvfs vfs;
	if (statvfs("/dev/shm", &vfs) < 0)
		return -errno;
	*size = (unsigned long long)vfs.f_blocks * vfs.f_frsize;
	*used = (unsigned long long)(vfs.f_blocks - vfs.f_bfree) * vfs.f_frsize;
	return 0;
}
