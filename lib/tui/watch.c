#include "watch.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "../mounts.h"
#include "../util.h"

struct watch {
	int ifd;
	pid_t *pids;
	size_t npids, cap;
	bool have_pids;
};

struct watch *watch_new(void)
{
	struct watch *w = xcalloc(1, sizeof(*w));
	w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->ifd >= 0) {
		/* an open or close is a holder coming or going; the rest is an object */
		unsigned mask = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_OPEN |
				IN_CLOSE | IN_ATTRIB | IN_MODIFY;
		int a = inotify_add_watch(w->ifd, "/dev/shm", mask);
		const char *mq = mqueue_dir();
		int b = mq ? inotify_add_watch(w->ifd, mq, mask) : -1;
		if (a < 0 && b < 0) {
			close(w->ifd);
			w->ifd = -1;
		}
	}
	return w;
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
	while (read(w->ifd, buf, sizeof(buf)) > 0)
		any = true;
	return any;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
	return (x > y) - (x < y);
}

bool watch_pids_changed(struct watch *w)
{
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
	bool changed = !w->have_pids || n != w->npids || (n && memcmp(v, w->pids, n * sizeof(*v)));
	free(w->pids);
	w->pids = v;
	w->npids = n;
	w->have_pids = true;
	return changed;
}
