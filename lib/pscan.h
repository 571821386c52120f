/*
 * One walk over the processes: their descriptors, their shared file
 * mappings and what their threads are blocked in. Kinds find their
 * holders in it; fd-based kinds find their objects in it. Each part is
 * read only when asked for, once per run: a plain `ls` never walks
 * /proc/PID.
 */
#ifndef IPCX_PSCAN_H
#define IPCX_PSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum pscan_part {
	PS_FDS = 1 << 0,	/* descriptors: link targets, access mode */
	/* fdinfo text of anon-inode fds: through /proc, of all of them; through
	 * BPF, of eventfds and signalfds (their lines only, made from the
	 * iterator, with or without PS_FDINFO) and timerfds */
	PS_FDINFO = 1 << 1,
	PS_MAPS = 1 << 2,	/* shared file-backed mappings */
	/* /proc/PID/task/TID/syscall of every thread; through BPF, always
	 * with the first walk, which reads the tasks anyway */
	PS_WAITS = 1 << 3,
};

struct ps_fd {
	int fd;
	char *link;		/* "pipe:[123]", "socket:[45]", "anon_inode:[eventfd]", a path */
	dev_t dev;		/* of what the fd refers to; 0 for pipes, sockets, anon */
	ino_t ino;		/* from the link for pipes and sockets, else the file's */
	mode_t mode;		/* file type and mode from stat; 0 for pipes, sockets, anon */
	bool rd, wr;		/* opened for reading, writing */
	char *fdinfo;		/* with PS_FDINFO, for anon_inode fds; else NULL */
};

struct ps_map {
	unsigned long start, end;
	bool rd, wr, ex;
	dev_t dev;
	ino_t ino;
	char *name;		/* "/SYSV0000162e (deleted)", "/dev/shm/x", ... */
	unsigned long long offset;	/* in the file, of start */
};

/* A thread blocked in a system call. */
struct ps_wait {
	pid_t tid;
	long nr;		/* system call number */
	unsigned long arg0;
};

struct ps_proc {
	pid_t pid;
	bool same_ipcns;	/* in our IPC namespace: System V ids mean the same objects */
	struct ps_fd *fds;
	size_t nfds;
	struct ps_map *maps;
	size_t nmaps;
	struct ps_wait *waits;
	size_t nwaits;
	bool denied;		/* some part could not be read */
	/* The command name: from /proc/PID/stat with PS_WAITS, from every
	 * BPF walk; else "" */
	char comm[64];
};

struct pscan {
	struct ps_proc *v;
	size_t n;
	unsigned parts;		/* what has been read */
	size_t denied;		/* processes with a part we may not read */
	bool maps_query;	/* maps came through PROCMAP_QUERY */
	unsigned gen;		/* changes with every new walk */
};

/* The walk, with at least the parts asked for; cached for the run. */
const struct pscan *pscan_get(unsigned parts);
/*
 * Parts the first walk should read as well, for a command that knows it
 * will ask for them one after another (who asks for all): one pass over
 * /proc instead of one per part.
 */
void pscan_want(unsigned parts);
void pscan_free(void);

/* Says once on stderr what was skipped for want of permission. */
void pscan_report_denied(void);

#endif
