/* Where the file systems of POSIX IPC are mounted in our mount namespace. */
#ifndef IPCX_MOUNTS_H
#define IPCX_MOUNTS_H

/* The mqueue mount: /dev/mqueue when mounted there, else the first mqueue
 * mount of /proc/self/mountinfo, else NULL. */
const char *mqueue_dir(void);

/* Forgets what was found: the mount namespace changed. */
void mounts_forget(void);

#endif
