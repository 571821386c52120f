#include "posix.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util.h"

void col_mtime(const struct ipc_obj *o, struct cell *c) { cell_time(c, POSIX(o)->st.st_mtime); }
void col_atime_file(const struct ipc_obj *o, struct cell *c) { cell_time(c, POSIX(o)->st.st_atime); }
void col_ctime_file(const struct ipc_obj *o, struct cell *c) { cell_time(c, POSIX(o)->st.st_ctime); }
void col_fsize(const struct ipc_obj *o, struct cell *c) { cell_num(c, (unsigned long long)POSIX(o)->st.st_size); }

int posix_scan(const char *dir, const struct kind *k, const char *prefix, bool exclude,
	       struct objlist *list,
	       void *(*visit)(int dirfd, const char *dname, struct ipc_obj *o, const struct stat *st))
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
		/* gone since readdir: skipped quietly */
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		struct ipc_obj *o = obj_new(k);
		o->name = xstrdup(de->d_name + (exclude ? 0 : plen));
		o->mode = st.st_mode & 0777;
		o->uid = o->cuid = st.st_uid;
		o->gid = o->cgid = st.st_gid;
		o->ctime = st.st_ctime;
		o->priv = visit(dfd, de->d_name, o, &st);
		objlist_add(list, o);
	}
	closedir(d);
	return 0;
}
