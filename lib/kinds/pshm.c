/* POSIX shared memory: the files of /dev/shm that are not semaphores. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../ops.h"
#include "../out.h"
#include "../util.h"
#include "../holders.h"
#include "posix.h"

extern const struct kind kind_pshm;

static void col_blocks(const struct ipc_obj *o, struct cell *c)
{
	/* pages the segment really holds: tmpfs allocates on first touch */
	cell_num(c, (unsigned long long)POSIX(o)->st.st_blocks * 512);
}

static void col_nattch(const struct ipc_obj *o, struct cell *c)
{
	/* walks every process once, and only when this column is asked for */
	cell_num(c, holders_npids(obj_holders(o)));
}

static const struct column pshm_cols[] = {
	COLS_POSIX_COMMON,
	{ "SIZE", CT_SIZE, COL_RIGHT, 0.1, "size", col_fsize },
	{ "RSS", CT_SIZE, COL_RIGHT, 0.1, "memory in use (allocated pages)", col_blocks },
	{ "ATIME", CT_TIME, 0, 0.1, "time of the last access", col_atime_file },
	{ "NATTCH", CT_NUM, COL_RIGHT, 0.1, "processes that map it or hold it open", col_nattch },
	COLS_HOLDERS,
};

static void *pshm_visit(int fd, int err, struct ipc_obj *o, const struct stat *st)
{
	(void)fd;
	(void)err;
	(void)o;
	struct posix_priv *p = xcalloc(1, sizeof(*p));
	p->st = *st;
	return p;
}

static int pshm_scan(struct objlist *list, struct scan_note *note)
{
	(void)note;
	return posix_scan("/dev/shm", &kind_pshm, "sem.", true, false, list, pshm_visit);
}

static int pshm_create(const struct mk_args *a, struct ipc_obj *made, bool *existed,
		       const char **why)
{
	(void)why;
	/* bad input is a usage error, found before anything is created */
	if (!strncmp(a->name, "sem.", 4))
		die_usage("invalid name '%s': names beginning with 'sem.' are those of named "
			  "semaphores", esc_bytes(a->name, strlen(a->name)));
	int dfd = open("/dev/shm", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	int r = 0;
	int fd = openat(dfd, a->name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			a->mode & 0777);
	if (fd < 0 && errno == EEXIST && !a->exclusive) {
		*existed = true;
	} else if (fd < 0) {
		r = -errno;
	} else {
		/* the mode asked for, not the one the umask leaves */
		if (fchmod(fd, a->mode & 0777) < 0 || ftruncate(fd, (off_t)a->size) < 0) {
			r = -errno;
			unlinkat(dfd, a->name, 0);
		}
		close(fd);
	}
	close(dfd);
	if (r == 0)
		made->name = xstrdup(a->name);
	return r;
}

static int pshm_busy(const struct ipc_obj *o, int fd, char *why, size_t whylen)
{
	(void)fd;
	const struct holders *h = obj_holders(o);
	size_t n = holders_npids(h);
	if (!n)
		return 0;
	snprintf(why, whylen, "mapped or open by %zu process%s (pid %d)", n, n == 1 ? "" : "es",
		 (int)h->v[0].pid);
	return RM_KEPT;
}

static int pshm_remove(const struct ipc_obj *o, unsigned flags, char *why, size_t whylen)
{
	return posix_remove(o, flags, why, whylen, pshm_busy);
}

static int pshm_map(const struct ipc_obj *o, bool write, void **addr, size_t *size)
{
	int fd = posix_open(o, write ? O_RDWR : O_RDONLY);
	if (fd < 0)
		return fd;
	struct stat st;
	int r = 0;
	if (fstat(fd, &st) < 0) {
		r = -errno;
	} else if (st.st_size == 0) {
		*addr = NULL;
		*size = 0;
	} else {
		void *p = mmap(NULL, (size_t)st.st_size, write ? PROT_READ | PROT_WRITE : PROT_READ,
			       MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			r = -errno;
		} else {
			*addr = p;
			*size = (size_t)st.st_size;
		}
	}
	close(fd);
	return r;
}

static void pshm_unmap(const struct ipc_obj *o, void *addr, size_t size)
{
	(void)o;
	if (addr)
		munmap(addr, size);
}

static int pshm_resize(const struct ipc_obj *o, size_t size)
{
	int fd = posix_open(o, O_RDWR);
	if (fd < 0)
		return fd;
	int r = ftruncate(fd, (off_t)size) < 0 ? -errno : 0;
	close(fd);
	return r;
}

static const struct mk_ops pshm_mk = {
	.takes = MKO_NAME | MKO_SIZE | MKO_MODE,
	.create = pshm_create,
};

static const struct shm_ops pshm_shm = {
	.map = pshm_map,
	.unmap = pshm_unmap,
	.resize = pshm_resize,
};

static void pshm_holders(const struct ipc_obj *o, struct holders *out)
{
	holders_of_file(POSIX(o)->st.st_dev, POSIX(o)->st.st_ino, true, true, out);
}

const struct kind kind_pshm = {
	.name = "pshm",
	.order = 40,
	.streams = true,
	.title = "Shared memory (POSIX)",
	.defcols = "NAME,PERMS,OWNER,SIZE,MTIME",
	.cols = pshm_cols,
	.ncols = sizeof(pshm_cols) / sizeof(pshm_cols[0]),
	.named = true,
	.holders = pshm_holders,
	.scan = pshm_scan,
	.free_priv = posix_free_priv,
	.mk = &pshm_mk,
	.remove = pshm_remove,
	.shm = &pshm_shm,
};
KIND_REGISTER(kind_pshm);
