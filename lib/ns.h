/*
 * IPC namespaces: entering another process's IPC and mount namespaces
 * (so that /proc/sysvipc, /dev/shm and the mqueue mount are its), coming
 * back, and listing the namespaces of the host.
 */
#ifndef IPCX_NS_H
#define IPCX_NS_H

#include <stddef.h>
#include <sys/types.h>

struct ipcns {
	ino_t ino;		/* the namespace's inode, as `lsns` shows it */
	pid_t pid;		/* its lowest pid */
	size_t nprocs;
};

/* Every IPC namespace that some process of ours can show, by inode. */
int ipcns_list(struct ipcns **v, size_t *n);

/*
 * Enters the IPC and mount namespaces of pid. Returns 0, or -errno with
 * *why saying what is missing. The first call remembers where we were.
 */
int ns_enter(pid_t pid, const char **why);
/* Back to the namespaces we started in. */
int ns_return(void);
/* The inode of the IPC namespace we are in now. */
ino_t ns_current(void);

#endif
