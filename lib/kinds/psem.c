/*
 * POSIX named semaphores: /dev/shm/sem.NAME. The value is read from the
 * file without mapping or opening the semaphore: glibc's 64-bit sem_t
 * keeps the value in the low 32 bits of its first word and the number of
 * waiters in the high 32 bits.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../deadline.h"
#include "../ops.h"
#include "../util.h"
#include "../holders.h"
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
	COLS_HOLDERS,
};

static void *psem_visit(int fd, int err, struct ipc_obj *o, const struct stat *st)
{
	struct psem *p = xcalloc(1, sizeof(*p));
	p->px.st = *st;
	uint64_t word;
	if (fd < 0) {
		p->err = err;
	} else {
		ssize_t r = pread(fd, &word, sizeof(word), 0);
		if (r < 0)
			p->err = errno;
		else if (r != (ssize_t)sizeof(word))
			p->err = EINVAL;	/* too short to be a semaphore */
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
	return posix_scan("/dev/shm", &kind_psem, "sem.", false, true, list, psem_visit);
}

static int psem_create(const struct mk_args *a, struct ipc_obj *made, bool *existed,
		       const char **why)
{
	(void)why;
	/* bad input is a usage error, found before anything is created */
	if (a->value > SEM_VALUE_MAX)
		die_usage("invalid --value '%llu': more than SEM_VALUE_MAX (%d)", a->value,
			  SEM_VALUE_MAX);
	char *slashed = xasprintf("/%s", a->name);
	int r = 0;
	sem_t *s = sem_open(slashed, O_CREAT | O_EXCL, a->mode & 0777, (unsigned)a->value);
	if (s == SEM_FAILED && errno == EEXIST && !a->exclusive) {
		*existed = true;
	} else if (s == SEM_FAILED) {
		r = -errno;
	} else {
		sem_close(s);
		/* the mode asked for, not the one the umask leaves */
		char *path = xasprintf("/dev/shm/sem.%s", a->name);
		if (chmod(path, a->mode & 0777) < 0) {
			r = -errno;
			sem_unlink(slashed);
		}
		free(path);
	}
	free(slashed);
	if (r == 0)
		made->name = xstrdup(a->name);
	return r;
}

static int psem_busy(const struct ipc_obj *o, int fd, char *why, size_t whylen)
{
	(void)o;
	uint64_t word;
	if (fd < 0 || pread(fd, &word, sizeof(word), 0) != (ssize_t)sizeof(word)) {
		snprintf(why, whylen, "cannot tell whether threads wait on it: %s", strerror(errno));
		return RM_KEPT;
	}
	uint32_t waiters = (uint32_t)(word >> 32);
	if (!waiters)
		return 0;
	snprintf(why, whylen, "%u thread%s waiting on it", waiters, waiters == 1 ? "" : "s");
	return RM_KEPT;
}

static int psem_remove(const struct ipc_obj *o, unsigned flags, char *why, size_t whylen)
{
	return posix_remove(o, flags, why, whylen, psem_busy);
}

/*
 * Maps the semaphore as sem_open does, from the file that was listed;
 * reading its value needs only read permission.
 */
static sem_t *psem_map(const struct ipc_obj *o, bool write, int *err)
{
	int fd = posix_open(o, write ? O_RDWR : O_RDONLY);
	if (fd < 0) {
		*err = fd;
		return NULL;
	}
	void *p = mmap(NULL, sizeof(sem_t), write ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED,
		       fd, 0);
	*err = p == MAP_FAILED ? -errno : 0;
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

static size_t psem_count(const struct ipc_obj *o)
{
	(void)o;
	return 1;
}

static int psem_get(const struct ipc_obj *o, unsigned num, unsigned *val)
{
	(void)num;
	int err, v;
	sem_t *s = psem_map(o, false, &err);
	if (!s)
		return err;
	int r = sem_getvalue(s, &v) < 0 ? -errno : 0;
	munmap(s, sizeof(sem_t));
	*val = (unsigned)v;
	return r;
}

static int psem_waiters(const struct ipc_obj *o, unsigned num, unsigned *ncnt, unsigned *zcnt)
{
	(void)num;
	int fd = posix_open(o, O_RDONLY);
	if (fd < 0)
		return fd;
	uint64_t word;
	ssize_t r = pread(fd, &word, sizeof(word), 0);
	int e = errno;
	close(fd);
	if (r != (ssize_t)sizeof(word))
		return r < 0 ? -e : -EINVAL;
	*ncnt = (uint32_t)(word >> 32);
	*zcnt = 0;
	return 0;
}

static int psem_apply(const struct ipc_obj *o, const struct sem_op *ops, size_t n,
		      unsigned flags, double timeout)
{
	if (n != 1 || ops[0].num != 0 || ops[0].delta == 0 || (flags & SEM_OP_UNDO))
		return -ENOTSUP;
	int err;
	sem_t *s = psem_map(o, true, &err);
	if (!s)
		return err;
	bool post = ops[0].delta > 0;
	unsigned want = (unsigned)(post ? ops[0].delta : -ops[0].delta), done = 0;
	int r = 0, v;
	/* a post that would pass the largest value fails before it changes anything */
	if (post && sem_getvalue(s, &v) == 0 && (unsigned)v > SEM_VALUE_MAX - want)
		r = -ERANGE;
	struct timespec abs = deadline_abs(timeout);
	for (; done < want && r == 0; done++) {
		int x;
		if (post)
			x = sem_post(s);
		else if ((flags & SEM_OP_NOWAIT) || ops[0].nowait || timeout == 0)
			x = sem_trywait(s);
		else if (timeout > 0)
			x = sem_timedwait(s, &abs);
		else
			while ((x = sem_wait(s)) < 0 && errno == EINTR)
				;
		if (x < 0) {
			r = errno == EOVERFLOW ? -ERANGE : -errno;
			break;
		}
	}
	/* the units move one at a time: one that fails part-way gives back
	 * those already moved, so a failed operation leaves the value as it was */
	for (unsigned i = 0; r < 0 && i < done; i++) {
		if (post)
			sem_trywait(s);
		else
			sem_post(s);
	}
	munmap(s, sizeof(sem_t));
	return r;
}

static const struct mk_ops psem_mk = {
	.takes = MKO_NAME | MKO_VALUE | MKO_MODE,
	.create = psem_create,
};

static const struct sem_ops psem_sem = {
	.is_set = false,
	.count = psem_count,
	.get = psem_get,
	.waiters = psem_waiters,
	.apply = psem_apply,
	.max_value = SEM_VALUE_MAX,
};

static void psem_holders(const struct ipc_obj *o, struct holders *out)
{
	/* sem_open maps the file; a waiter sleeps in futex on an address in it */
	holders_of_file(POSIX(o)->st.st_dev, POSIX(o)->st.st_ino, true, true, out);
	holders_waiting_in_mapping(POSIX(o)->st.st_dev, POSIX(o)->st.st_ino, out);
}

const struct kind kind_psem = {
	.name = "psem",
	.order = 60,
	.streams = true,
	.opens_files = true,
	.title = "Named semaphores (POSIX)",
	.defcols = "NAME,PERMS,OWNER,VALUE,MTIME",
	.cols = psem_cols,
	.ncols = sizeof(psem_cols) / sizeof(psem_cols[0]),
	.named = true,
	.holders = psem_holders,
	.scan = psem_scan,
	.free_priv = posix_free_priv,
	.mk = &psem_mk,
	.remove = psem_remove,
	.sem = &psem_sem,
};
KIND_REGISTER(kind_psem);
