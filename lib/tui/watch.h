/*
 * What tells top that holders may have changed without any object's
 * fields showing it: processes that appeared or went, and opens and
 * closes in /dev/shm and the mqueue mount (inotify).
 */
#ifndef IPCX_TUI_WATCH_H
#define IPCX_TUI_WATCH_H

#include <stdbool.h>

struct watch;

struct watch *watch_new(void);
void watch_free(struct watch *w);
/* The inotify descriptor, for poll; -1 when there is none. */
int watch_fd(const struct watch *w);
/*
 * While quiet, opens and closes are not watched: the scans of POSIX
 * semaphores and queues open each one (kind.opens_files), and each open
 * and close was an event for the kernel to queue and for us to read and
 * throw away, a twentieth of a refresh with 500 of them. What others
 * make, remove or change meanwhile is still queued; a holder's open or
 * close then is seen by a later walk.
 */
void watch_quiet(struct watch *w, bool quiet);
/* Reads what inotify has queued; true when anything happened. */
bool watch_drain(struct watch *w);
/*
 * Whether a process that was not there at the last call holds something
 * of IPC: a shared mapping, or a descriptor of /dev/shm or the mqueue
 * mount. Only the new processes are read; the first call says true.
 */
bool watch_new_holders(struct watch *w);

#endif
