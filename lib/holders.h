/*
 * Who holds or waits on an object: found in the process walk through an
 * index by device and inode, built once. Kinds say which of these finders
 * describe their objects.
 */
#ifndef IPCX_HOLDERS_H
#define IPCX_HOLDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum holder_how {
	H_ATTACHED,	/* a System V segment attached */
	H_MAPPED,	/* a file mapped shared */
	H_OPEN,		/* a descriptor */
	H_WAITING,	/* a thread blocked in a system call on it */
};

struct holder {
	pid_t pid, tid;
	enum holder_how how;
	int fd;			/* H_OPEN, or the descriptor a wait names; else -1 */
	unsigned long start, end;	/* H_ATTACHED, H_MAPPED */
	bool rd, wr;
	long syscall;		/* H_WAITING */
};

struct holders {
	struct holder *v;
	size_t n;
};

void holders_add(struct holders *h, const struct holder *x);
void holders_free(struct holders *h);
/* Number of distinct processes. */
size_t holders_npids(const struct holders *h);

/* Descriptors and shared mappings of the file dev:ino. */
void holders_of_file(dev_t dev, ino_t ino, bool fds, bool maps, struct holders *out);
/* Attachments of a System V segment: maps named /SYSV... whose inode is the id. */
void holders_of_sysv_shm(long long shmid, struct holders *out);
/* Threads blocked in one of the system calls nrs whose first argument is id. */
void holders_waiting_on_id(const long *nrs, size_t nnrs, unsigned long id, struct holders *out);
/* Threads blocked in one of nrs whose first argument is a descriptor of dev:ino. */
void holders_waiting_on_fd(const long *nrs, size_t nnrs, dev_t dev, ino_t ino,
			   struct holders *out);
/* Threads blocked in futex on an address inside a mapping of dev:ino. */
void holders_waiting_in_mapping(dev_t dev, ino_t ino, struct holders *out);

/* "attached rw 7f..-7f..", "fd 4 r", "waits in msgrcv"; malloc'd. */
char *holder_describe(const struct holder *h);
/* A system call's name, for waits. */
const char *syscall_name(long nr);

#endif
