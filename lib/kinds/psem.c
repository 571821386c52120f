/*
 * POSIX named semaphores: /dev/shm/sem.NAME. The value is read from the
 * file without mapping or opening the semaphore: glibc's 64-bit sem_t
 * keeps the value in the low 32 bits of its first word and the number of
 * waiters in the high 32 bits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "../util.h"
#include "posix.h"

extern const struct kind kind_psem;

struct psem {
	struct posix_priv px;
	int err;
	uint32_t value, waiters;
};

#define PSEM(o) ((const struct psem *)(o)->priv)

static void col_value(const struct ipc_obj *o, struct cell *c)
{
	if (PSEM(o)->err)
		cell_unknown(c, PSEM(o)->err);
	else
		cell_num(c, PSEM(o)->value);
}

static void col_waiters(const struct ipc_obj *o, struct cell *c)
{
	if (PSEM(o)->err)
		cell_unknown(c, PSEM(o)->err);
	else
		cell_num(c, PSEM(o)->waiters);
}

static const struct column psem_cols[] = {
	COLS_POSIX_COMMON,
	{ "VALUE", CT_NUM, COL_RIGHT, 0.1, "semaphore value", col_value },
	{ "WAITERS", CT_NUM, COL_RIGHT, 0.1, "threads blocked in sem_wait", col_waiters },
};

static void *psem_visit(int dirfd, const char *dname, struct ipc_obj *o, const struct stat *st)
{
	struct psem *p = xcalloc(1, sizeof(*p));
	p->px.st = *st;
	int fd = openat(dirfd, dname, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	uint64_t word;
	if (fd < 0) {
		p->err = errno;
	} else {
		ssize_t r = pread(fd, &word, sizeof(word), 0);
		if (r < 0)
			p->err = errno;
		else if (r != (ssize_t)sizeof(word))
			p->err = EINVAL;	/* too short to be a semaphore */
		close(fd);
	}
	if (!p->err) {
		p->value = (uint32_t)word;
		p->waiters = (uint32_t)(word >> 32);
	}
	o->err = p->err;
	return p;
}

static int psem_scan(struct objlist *list, struct scan_note *note)
{
	(void)note;
	return posix_scan("/dev/shm", &kind_psem, "sem.", false, list, psem_visit);
}

const struct kind kind_psem = {
	.name = "psem",
	.order = 60,
	.title = "Named semaphores (POSIX)",
	.defcols = "NAME,PERMS,OWNER,VALUE,MTIME",
	.cols = psem_cols,
	.ncols = sizeof(psem_cols) / sizeof(psem_cols[0]),
	.named = true,
	.scan = psem_scan,
};
KIND_REGISTER(kind_psem);
