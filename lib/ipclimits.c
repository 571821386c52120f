#include "ipclimits.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "out.h"
#include "util.h"

const struct limit ipc_limits[] = {
	{ "msgmni", "message queues (System V)", "queues", "/proc/sys/kernel/msgmni", 0, "msg", U_COUNT, NULL },
	{ "msgmax", "largest message (System V)", "bytes", "/proc/sys/kernel/msgmax", 0, NULL, U_NONE, NULL },
	{ "msgmnb", "default bytes a queue may hold (System V)", "bytes", "/proc/sys/kernel/msgmnb", 0, "msg", U_MAX, "USEDBYTES" },
	{ "shmmax", "largest segment (System V)", "bytes", "/proc/sys/kernel/shmmax", 0, "shm", U_MAX, "SIZE" },
	{ "shmall", "total shared memory (System V)", "pages", "/proc/sys/kernel/shmall", 0, "shm", U_SUM_PAGES, "SIZE" },
	{ "shmmni", "segments (System V)", "segments", "/proc/sys/kernel/shmmni", 0, "shm", U_COUNT, NULL },
	{ "shmmin", "smallest segment (System V)", "bytes", NULL, 0, NULL, U_NONE, NULL },
	{ "semmsl", "semaphores in one set (System V)", "semaphores", "/proc/sys/kernel/sem", 0, "sem", U_MAX, "NSEMS" },
	{ "semmns", "semaphores in all sets (System V)", "semaphores", "/proc/sys/kernel/sem", 1, "sem", U_SUM, "NSEMS" },
	{ "semopm", "operations in one semop call (System V)", "operations", "/proc/sys/kernel/sem", 2, NULL, U_NONE, NULL },
	{ "semmni", "semaphore sets (System V)", "sets", "/proc/sys/kernel/sem", 3, "sem", U_COUNT, NULL },
	{ "semvmx", "largest semaphore value (System V)", "value", NULL, 0, NULL, U_NONE, NULL },
	{ "queues_max", "message queues (POSIX)", "queues", "/proc/sys/fs/mqueue/queues_max", 0, "pmsg", U_COUNT, NULL },
	{ "msg_max", "most messages in a queue (POSIX)", "messages", "/proc/sys/fs/mqueue/msg_max", 0, "pmsg", U_MAX, "MAXMSG" },
	{ "msgsize_max", "largest message (POSIX)", "bytes", "/proc/sys/fs/mqueue/msgsize_max", 0, "pmsg", U_MAX, "MSGSIZE" },
	{ "msg_default", "default most messages of a new queue (POSIX)", "messages", "/proc/sys/fs/mqueue/msg_default", 0, NULL, U_NONE, NULL },
	{ "msgsize_default", "default largest message of a new queue (POSIX)", "bytes", "/proc/sys/fs/mqueue/msgsize_default", 0, NULL, U_NONE, NULL },
};
const size_t n_ipc_limits = sizeof(ipc_limits) / sizeof(ipc_limits[0]);

/* Constants of the kernel that no file shows. */
#define SHMMIN_VALUE 1
#define SEMVMX_VALUE 32767

const struct limit *limit_by_name(const char *name)
{
	for (size_t i = 0; i < n_ipc_limits; i++)
		if (!strcmp(ipc_limits[i].name, name))
			return &ipc_limits[i];
	return NULL;
}

static int read_field(const char *path, int field, unsigned long long *v)
{
	char *s = read_file(path, NULL);
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
		if (i == field) {
			*v = x;
			break;
		}
		p = end;
	}
	free(s);
	return 0;
}

int limit_value(const struct limit *lim, unsigned long long *v)
{
	if (!strcmp(lim->name, "shmmin")) {
		*v = SHMMIN_VALUE;
		return 0;
	}
	if (!strcmp(lim->name, "semvmx")) {
		*v = SEMVMX_VALUE;
		return 0;
	}
	return read_field(lim->path, lim->field, v);
}

int limit_use(const struct limit *lim, const struct kind *k, const struct objlist *l,
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
	long page = sysconf(_SC_PAGESIZE);
	for (size_t i = 0; i < l->n; i++) {
		struct cell c;
		cell_get(col, l->v[i], &c);
		/* a total or maximum that skipped an unreadable object would be
		 * a wrong number that looks right */
		if (c.state == CELL_UNKNOWN)
			return -(l->v[i]->err ? l->v[i]->err : EIO);
		if (c.state != CELL_OK)
			continue;
		total += c.num;
		pages += (c.num + (unsigned long long)page - 1) / (unsigned long long)page;
		if (c.num > max)
			max = c.num;
	}
	*used = lim->use == U_SUM ? total : lim->use == U_SUM_PAGES ? pages : max;
	return 0;
}
