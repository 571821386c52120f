#include "fdscan.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "util.h"

struct use {
	ino_t ino;
	pid_t pid;
};

static struct {
	bool done;
	dev_t dev;
	struct use *v;
	size_t n, cap;
} cache;

static void add(ino_t ino, pid_t pid)
{
	/* one entry per process and file: a file mapped many times counts once */
	for (size_t i = cache.n; i > 0 && cache.v[i - 1].pid == pid; i--)
		if (cache.v[i - 1].ino == ino)
			return;
	if (cache.n == cache.cap) {
		cache.cap = cache.cap ? cache.cap * 2 : 256;
		cache.v = xrealloc(cache.v, cache.cap * sizeof(*cache.v));
	}
	cache.v[cache.n++] = (struct use){ ino, pid };
}

static void scan_maps(int pdir, pid_t pid)
{
	int fd = openat(pdir, "maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	FILE *f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return;
	}
	char line[4096];
	while (fgets(line, sizeof(line), f)) {
		unsigned maj, min;
		uintmax_t ino;
		/* start-end perms offset maj:min inode path */
		if (sscanf(line, "%*x-%*x %*4s %*x %x:%x %ju", &maj, &min, &ino) != 3)
			continue;
		if (ino && makedev(maj, min) == cache.dev)
			add((ino_t)ino, pid);
	}
	fclose(f);
}

static void scan_fds(int pdir, pid_t pid)
{
	int fd = openat(pdir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		struct stat st;
		if (de->d_name[0] == '.')
			continue;
		if (fstatat(fd, de->d_name, &st, 0) == 0 && st.st_dev == cache.dev)
			add(st.st_ino, pid);
	}
	closedir(d);
}

static void walk(dev_t dev)
{
	fdscan_forget();
	cache.done = true;
	cache.dev = dev;
	DIR *proc = opendir("/proc");
	if (!proc)
		return;
	struct dirent *de;
	pid_t self = getpid();
	while ((de = readdir(proc))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid_t pid = (pid_t)atoi(de->d_name);
		/* ipcx's own descriptors are its look at the object, not a use */
		if (pid == self)
			continue;
		/* processes that exit during the walk are skipped quietly */
		int pdir = openat(dirfd(proc), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pdir < 0)
			continue;
		scan_maps(pdir, pid);
		scan_fds(pdir, pid);
		close(pdir);
	}
	closedir(proc);
}

size_t fdscan_users(dev_t dev, ino_t ino, pid_t *example)
{
	if (!cache.done || cache.dev != dev)
		walk(dev);
	size_t n = 0;
	for (size_t i = 0; i < cache.n; i++)
		if (cache.v[i].ino == ino) {
			if (!n && example)
				*example = cache.v[i].pid;
			n++;
		}
	return n;
}

void fdscan_forget(void)
{
	free(cache.v);
	memset(&cache, 0, sizeof(cache));
}
