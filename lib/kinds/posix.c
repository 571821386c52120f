#include "posix.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util.h"
#include <stdio.h>

void col_mtime(const struct ipc_obj *o, struct cell *c) { cell_time(c, POSIX(o)->st.st_mtime); }
void col_atime_file(const struct ipc_obj *o, struct cell *c) { cell_time(c, POSIX(o)->st.st_atime); }
void col_ctime_file(const struct ipc_obj *o, struct cell *c) { cell_time(c, POSIX(o)->st.st_ctime); }
void col_fsize(const struct ipc_obj *o, struct cell *c) { cell_num(c, (unsigned long long)POSIX(o)->st.st_size); }

void posix_free_priv(void *priv)
{
	struct posix_priv *p = priv;
	if (p)
		free(p->fname);
	free(p);
}

const char *posix_name_check(const char *arg, size_t max, const char **why)
{
	const char *name = arg[0] == '/' ? arg + 1 : arg;
	if (!*name)
		*why = "empty name";
	else if (strchr(name, '/'))
		*why = "a name is a single component: no '/' after the first";
	else if (!strcmp(name, ".") || !strcmp(name, ".."))
		*why = "'.' and '..' are not names";
	else if (strlen(name) > max)
		*why = "name too long";
	else
		return name;
	return NULL;
}

static int open_dir(const struct ipc_obj *o)
{
	int dfd = open(POSIX(o)->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return dfd < 0 ? -errno : dfd;
}

/* The name must still hold the file that was listed, and be no symlink. */
static int same_file(int dfd, const struct ipc_obj *o)
{
	struct stat st;
	if (fstatat(dfd, POSIX(o)->fname, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EPERM;
	if (st.st_ino != POSIX(o)->st.st_ino || st.st_dev != POSIX(o)->st.st_dev)
		return -ESTALE;
	return 0;
}

int posix_open(const struct ipc_obj *o, int flags)
{
	int dfd = open_dir(o);
	if (dfd < 0)
		return dfd;
	int r = same_file(dfd, o);
	if (r == 0) {
		r = openat(dfd, POSIX(o)->fname, flags | O_NOFOLLOW | O_CLOEXEC);
		if (r < 0)
			r = -errno;
	}
	close(dfd);
	return r;
}

int posix_remove(const struct ipc_obj *o, unsigned flags, char *why, size_t whylen,
		 int (*busy)(const struct ipc_obj *o, int fd, char *why, size_t whylen))
{
	int dfd = open_dir(o);
	if (dfd < 0)
		return dfd;
	int r = same_file(dfd, o);
	if (r == -ESTALE)
		snprintf(why, whylen, "the name now holds another object (replaced since listed)");
	else if (r == -EPERM)
		snprintf(why, whylen, "not a regular file");
	if (r == 0 && busy && !(flags & RM_FORCE)) {
		int fd = openat(dfd, POSIX(o)->fname, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		r = busy(o, fd, why, whylen);
		if (fd >= 0)
			close(fd);
	}
	if (r == 0 && !(flags & RM_DRY_RUN) && unlinkat(dfd, POSIX(o)->fname, 0) < 0)
		r = -errno;
	close(dfd);
	return r;
}

int posix_scan(const char *dir, const struct kind *k, const char *prefix, bool exclude,
	       bool reads, struct objlist *list,
	       void *(*visit)(int fd, int err, struct ipc_obj *o, const struct stat *st))
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	DIR *d = fdopendir(dfd);
	if (!d) {
		int e = errno;
		close(dfd);
		return -e;
	}
	size_t plen = strlen(prefix);
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_type != DT_REG && de->d_type != DT_UNKNOWN)
			continue;
		bool match = !strncmp(de->d_name, prefix, plen);
		if (match == exclude)
			continue;
		struct stat st;
		int fd = -1, err = 0;
		/*
		 * A file to read is opened and its status taken from the
		 * descriptor, which spares a lookup of the name; a file of
		 * unknown type is looked at first, so that no FIFO is opened.
		 */
		if (reads && de->d_type == DT_REG) {
			fd = openat(dfd, de->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
			err = fd < 0 ? errno : 0;
			if (err == ENOENT)
				continue;	/* gone since readdir: skipped quietly, as below */
		}
		if (fd >= 0 ? fstat(fd, &st) < 0
			    : fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
				      !S_ISREG(st.st_mode)) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		if (reads && fd < 0 && !err) {
			fd = openat(dfd, de->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
			err = fd < 0 ? errno : 0;
		}
		if (fd >= 0 && !S_ISREG(st.st_mode)) {
			close(fd);
			continue;
		}
		struct ipc_obj *o = obj_new(k);
		o->name = xstrdup(de->d_name + (exclude ? 0 : plen));
		o->mode = st.st_mode & 0777;
		o->uid = o->cuid = st.st_uid;
		o->gid = o->cgid = st.st_gid;
		o->ctime = st.st_ctime;
		struct posix_priv *p = visit(fd, err, o, &st);
		if (fd >= 0)
			close(fd);
		p->dir = dir;
		p->fname = xstrdup(de->d_name);
		o->priv = p;
		objlist_add(list, o);
	}
	closedir(d);
	return 0;
}
