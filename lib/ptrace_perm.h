/*
 * Why the kernel refused to let this process trace another (EPERM from
 * PTRACE_SEIZE or PTRACE_ATTACH), in words a user can act on: already
 * traced (by whom), another user without CAP_SYS_PTRACE, Yama's
 * ptrace_scope, a process that is not dumpable, or a security module.
 */
#ifndef IPCX_PTRACE_PERM_H
#define IPCX_PTRACE_PERM_H

#include <stddef.h>
#include <sys/types.h>

/* Writes the most likely reason into why; always gives some text. */
void ptrace_eperm_why(pid_t pid, char *why, size_t len);

#endif
