/* Processes and users, through libproc2 and caches looked up once per id. */
#ifndef IPCX_PROC_H
#define IPCX_PROC_H

#include <stdbool.h>
#include <sys/types.h>

/* The command name of a live process, or NULL when it is gone or unreadable. */
const char *proc_comm(pid_t pid);
/* Whether a process with this pid exists now. */
bool proc_alive(pid_t pid);
/* Tells the cache a name already read (the process walk reads it anyway). */
void proc_comm_note(pid_t pid, const char *comm);
/* The user or group name of an id, or NULL when the id has none. */
const char *user_name(uid_t uid);
const char *group_name(gid_t gid);
/* Resolves a user name or number; -1 when unknown. */
int user_lookup(const char *s, uid_t *uid);
void proc_cache_free(void);
/*
 * Loads libproc2 now rather than at the first name asked for: before a
 * mount namespace is entered, whose file system may have none.
 */
void proc_preload(void);

#endif
