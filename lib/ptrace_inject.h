/*
 * The one place that stops another process: it seizes one thread for a
 * moment and runs system calls inside it, as CRIU's compel does, then
 * leaves the thread exactly as it was (registers, memory, a system call it
 * was blocked in, a group-stop). x86-64 only.
 */
#ifndef IPCX_PTRACE_INJECT_H
#define IPCX_PTRACE_INJECT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "signame.h"

struct inject;

/*
 * Seizes a live thread of process pid and stops it. Returns 0, or -errno
 * with why filled (EPERM explained, ESRCH when gone, ENOSYS on another
 * architecture).
 */
int inject_begin(pid_t pid, struct inject **out, char *why, size_t len);

/*
 * Scratch memory in the stopped thread, size bytes (at most 256) below its
 * stack's red zone, where a signal frame would be written; its bytes are
 * put back by inject_end. Returns the address in the tracee, or 0.
 */
uint64_t inject_scratch(struct inject *in, size_t size, char *why, size_t len);

/*
 * Runs one system call in the thread. Returns 0 with the call's own result
 * in *ret (-errno on failure, as the kernel returns it), or -errno when it
 * could not be run (why filled).
 */
int inject_syscall(struct inject *in, long nr, const uint64_t args[6], long *ret, char *why,
		   size_t len);

/* Reads len bytes of the tracee's memory at addr. Returns 0 or -errno. */
int inject_peek(struct inject *in, uint64_t addr, void *buf, size_t len);

/* Puts registers and memory back and lets the thread go. */
void inject_end(struct inject *in);

/* A signal's action as the kernel keeps it (struct k_sigaction on x86-64). */
struct ksigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

/*
 * Reads the action of every signal in which (bit sig-1) by running
 * rt_sigaction(sig, NULL, &old, 8) inside the process, in one stop.
 * Returns 0, or -errno with why filled.
 */
int inject_sigactions(pid_t pid, uint64_t which, struct ksigaction act[SIG_MAX + 1],
		      char *why, size_t len);

#endif
