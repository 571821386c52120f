#include "ns.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mounts.h"
#include "proc.h"
#include "pscan.h"
#include "util.h"

static int home_ipc = -1, home_mnt = -1, home_status = -1;
static ino_t current;

ino_t ns_current(void)
{
	struct stat st;
	if (!current && stat("/proc/self/ns/ipc", &st) == 0)
		current = st.st_ino;
	return current;
}

static int by_ino(const void *a, const void *b)
{
	const struct ipcns *x = a, *y = b;
	return (x->ino > y->ino) - (x->ino < y->ino);
}

int ipcns_list(struct ipcns **vp, size_t *np)
{
	DIR *proc = opendir("/proc");
	if (!proc)
		return -errno;
	struct ipcns *v = NULL;
	size_t n = 0;
	struct dirent *de;
	char path[300];
	while ((de = readdir(proc))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		struct stat st;
		snprintf(path, sizeof(path), "/proc/%s/ns/ipc", de->d_name);
		/* kernel threads and processes we may not inspect are passed over */
		if (stat(path, &st) < 0)
			continue;
		pid_t pid = (pid_t)atoi(de->d_name);
		size_t i;
		for (i = 0; i < n && v[i].ino != st.st_ino; i++)
			;
		if (i == n) {
			v = xrealloc(v, (n + 1) * sizeof(*v));
			v[n++] = (struct ipcns){ st.st_ino, pid, 0 };
		}
		v[i].nprocs++;
		if (pid < v[i].pid)
			v[i].pid = pid;
	}
	closedir(proc);
	qsort(v, n, sizeof(*v), by_ino);
	*vp = v;
	*np = n;
	return 0;
}

static const char *why_not(int err)
{
	if (err == EPERM)
		return geteuid() ? "entering namespaces needs CAP_SYS_ADMIN (run as root)"
				 : "permission denied (a security module or a user namespace forbids it)";
	if (err == ENOENT || err == ESRCH)
		return "no such process";
	if (err == EACCES)
		return "permission denied reading its /proc/PID/ns";
	return strerror(err);
}

/* What was found in one namespace is not true of the next. */
static void forget(void)
{
	current = 0;
	pscan_free();
	mounts_forget();
}

/*
 * setns of a mount namespace refuses a process whose file system context
 * is shared, as its threads share it. A thread that pthread_join has
 * seen end may still hold it for a moment (the kernel lets go of it after
 * the wake-up join waits for): wait, a second at most, until this thread
 * is the process's only one. /proc/self/status is read through a
 * descriptor opened at home, since the /proc of an entered mount
 * namespace may be another PID namespace's.
 */
static void wait_alone(void)
{
	char buf[2048];
	for (int i = 0; i < 10000 && home_status >= 0; i++) {
		ssize_t n = pread(home_status, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			return;
		buf[n] = '\0';
		const char *t = strstr(buf, "\nThreads:");
		if (!t || atoi(t + 10) <= 1)
			return;
		sched_yield();
		if (i >= 100)
			usleep(100);
	}
}

int ns_enter(pid_t pid, const char **why)
{
	char path[64];
	/* libproc2 is loaded from our own file system, not the one entered */
	proc_preload();
	if (home_ipc < 0) {
		home_ipc = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC);
		home_mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
		home_status = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	}
	/* both are opened before either is entered: /proc may change with the mount namespace */
	snprintf(path, sizeof(path), "/proc/%d/ns/ipc", (int)pid);
	int ipc = open(path, O_RDONLY | O_CLOEXEC);
	if (ipc < 0) {
		int e = errno;
		*why = why_not(e);
		return -e;
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	int mnt = open(path, O_RDONLY | O_CLOEXEC);
	if (mnt < 0) {
		int e = errno;
		close(ipc);
		*why = why_not(e);
		return -e;
	}
	int r = 0;
	wait_alone();
	if (setns(ipc, CLONE_NEWIPC) < 0 || setns(mnt, CLONE_NEWNS) < 0) {
		r = -errno;
		*why = why_not(errno);
		ns_return();
	}
	close(ipc);
	close(mnt);
	forget();
	return r;
}

int ns_return(void)
{
	if (home_ipc < 0)
		return 0;
	int r = 0;
	wait_alone();
	if (setns(home_ipc, CLONE_NEWIPC) < 0 || setns(home_mnt, CLONE_NEWNS) < 0)
		r = -errno;
	forget();
	return r;
}
