/*
 * The walk of /proc/PID/{maps,fd}, offered to the kinds: which processes
 * map or hold open a file. Paid only when asked (rm's safety check).
 */
#ifndef IPCX_FDSCAN_H
#define IPCX_FDSCAN_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Number of processes that map or hold open the file dev:ino, and one of
 * them in *example. The first call walks every process once for the
 * device dev; later calls for that device are answered from memory.
 */
size_t fdscan_users(dev_t dev, ino_t ino, pid_t *example);
void fdscan_forget(void);

#endif
