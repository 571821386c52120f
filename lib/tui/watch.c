#include "watch.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../mounts.h"
#include "../util.h"

/* A change of an object: made, removed, renamed, its owner or mode or contents. */
#define WATCH_OBJECTS (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_MODIFY)
/* And an open or close: a holder coming or going. */
#define WATCH_ALL (WATCH_OBJECTS | IN_OPEN | IN_CLOSE)

struct watch {
	int ifd;
	const char *dirs[2];	/* watched: /dev/shm and the mqueue mount, or NULL */
	dev_t shm_dev, mq_dev;	/* file systems of the POSIX objects; 0 when absent */
	ino_t ipcns;		/* our IPC namespace: System V ids mean our objects */
	pid_t *pids;
	size_t npids, cap;
	bool have_pids;
	bool own_proc;		/* /proc shows our pid namespace: loadavg's last pid is its */
	long last_pid;		/* the last pid made when pids was read */
};

/* The pid the kernel made last, from /proc/loadavg; -1 when unknown. */
static long read_last_pid(void)
{
	char buf[128];
	int fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *sp = strrchr(buf, ' ');
	return sp ? strtol(sp + 1, NULL, 10) : -1;
}

struct watch *watch_new(void)
{
	struct watch *w = xcalloc(1, sizeof(*w));
	struct stat st;
	if (stat("/dev/shm", &st) == 0)
		w->shm_dev = st.st_dev;
	if (mqueue_dir() && stat(mqueue_dir(), &st) == 0)
		w->mq_dev = st.st_dev;
	if (stat("/proc/self/ns/ipc", &st) == 0)
		w->ipcns = st.st_ino;
	char self[32];
	ssize_t n = readlink("/proc/self", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		w->own_proc = atol(self) == (long)getpid();
	}
	w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->ifd >= 0) {
		const char *mq = mqueue_dir();
		if (inotify_add_watch(w->ifd, "/dev/shm", WATCH_ALL) >= 0)
			w->dirs[0] = "/dev/shm";
		if (mq && inotify_add_watch(w->ifd, mq, WATCH_ALL) >= 0)
			w->dirs[1] = mq;
		if (!w->dirs[0] && !w->dirs[1]) {
			close(w->ifd);
			w->ifd = -1;
		}
	}
	return w;
}

/*
 * The same watch with another mask: inotify_add_watch on a watched
 * directory replaces its mask. One that fails (the directory went away)
 * is tried again the next time.
 */
static void watch_mask(struct watch *w, unsigned mask)
{
	if (w->ifd < 0)
		return;
	for (size_t i = 0; i < 2; i++)
		if (w->dirs[i])
			inotify_add_watch(w->ifd, w->dirs[i], mask);
}

void watch_quiet(struct watch *w, bool quiet)
{
	watch_mask(w, quiet ? WATCH_OBJECTS : WATCH_ALL);
}

void watch_free(struct watch *w)
{
	if (!w)
		return;
	if (w->ifd >= 0)
		close(w->ifd);
	free(w->pids);
	free(w);
}

int watch_fd(const struct watch *w)
{
	return w->ifd;
}

bool watch_drain(struct watch *w)
{
	if (w->ifd < 0)
		return false;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool any = false;
	ssize_t n;
	while ((n = read(w->ifd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off + (ssize_t)sizeof(struct inotify_event) <= n;) {
			const struct inotify_event *e = (const void *)(buf + off);
			/*
			 * A directory's events are no object's: the watched ones
			 * are opened by every listing of them (ours, to scan the
			 * POSIX objects, too), and objects are files.
			 */
			if (!(e->mask & IN_ISDIR))
				any = true;
			off += (ssize_t)sizeof(*e) + e->len;
		}
	}
	return any;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
	return (x > y) - (x < y);
}

static bool ours(const struct watch *w, dev_t dev)
{
	return dev && (dev == w->shm_dev || dev == w->mq_dev);
}

/*
 * A new process holds IPC if it attaches a segment of our IPC namespace,
 * or maps or keeps open a file of /dev/shm or of the mqueue mount (by
 * device: in another mount namespace the same path is another file).
 */
static bool holds_ipc(const struct watch *w, pid_t pid)
{
	char path[64], line[512];
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	int pdir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pdir < 0)
		return false;
	bool found = false;
	int mfd = openat(pdir, "maps", O_RDONLY | O_CLOEXEC);
	FILE *f = mfd >= 0 ? fdopen(mfd, "r") : NULL;
	if (f) {
		while (!found && fgets(line, sizeof(line), f)) {
			char perms[5] = "";
			unsigned maj, min;
			int off = 0;
			if (sscanf(line, "%*s %4s %*s %x:%x %*s %n", perms, &maj, &min, &off) < 3 ||
			    perms[3] != 's')
				continue;
			if (off && !strncmp(line + off, "/SYSV", 5)) {
				struct stat st;
				found = fstatat(pdir, "ns/ipc", &st, 0) == 0 && st.st_ino == w->ipcns;
			} else {
				found = ours(w, makedev(maj, min));
			}
		}
		fclose(f);
	} else if (mfd >= 0) {
		close(mfd);
	}
	int dfd = found ? -1 : openat(pdir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(pdir);
	if (dfd < 0)
		return found;
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return false;
	}
	struct dirent *de;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		struct stat st;
		found = fstatat(dirfd(d), de->d_name, &st, 0) == 0 && ours(w, st.st_dev);
	}
	closedir(d);
	return found;
}

bool watch_new_holders(struct watch *w)
{
	/* no process was made since the last look: none is new (read before the list) */
	long last = w->own_proc ? read_last_pid() : -1;
	if (w->have_pids && last >= 0 && last == w->last_pid)
		return false;
	DIR *d = opendir("/proc");
	if (!d)
		return true;
	pid_t self = getpid();
	pid_t *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid_t pid = (pid_t)atoi(de->d_name);
		if (pid == self)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = pid;
	}
	closedir(d);
	qsort(v, n, sizeof(*v), cmp_pid);
	bool found = !w->have_pids;
	for (size_t i = 0; i < n && !found; i++)
		if (!bsearch(&v[i], w->pids, w->npids, sizeof(*v), cmp_pid))
			found = holds_ipc(w, v[i]);
	free(w->pids);
	w->pids = v;
	w->npids = n;
	w->have_pids = true;
	w->last_pid = last;
	return found;
}
