/*
 * Running a system call inside another process, safely.
 *
 * One thread is seized and interrupted (PTRACE_SEIZE, PTRACE_INTERRUPT);
 * the others keep running, which is safe because nothing shared is
 * written: the system call instruction used is one the process already
 * has (bytes 0f 05 in its vDSO or another executable mapping), and the
 * only memory written is below the stopped thread's own stack pointer,
 * past the 128-byte red zone, where the kernel would put a signal frame.
 *
 * The thread's first stop (PTRACE_EVENT_STOP) happens inside the kernel's
 * signal handling, before it decides whether a system call the thread
 * was blocked in (read, nanosleep, pause) is restarted or fails with
 * EINTR. Each injected call runs between a syscall-enter and a
 * syscall-exit stop (PTRACE_SYSCALL, with orig_rax -1 so that no restart
 * logic touches the injected registers). At the end the saved registers
 * go back and the thread is brought to a stop inside signal handling
 * again (PTRACE_INTERRUPT, PTRACE_CONT) before PTRACE_DETACH, so the
 * kernel takes its restart decision on the original registers, exactly
 * as it would have without us. A thread in a group-stop is put back in
 * it by the kernel at detach.
 *
 * A signal that arrives for the thread before an injected call runs stops
 * it in signal-delivery-stop: the original registers are put back and
 * the thread detached with that signal, which is then delivered as if
 * nobody had looked; the caller may try again.
 */
#include "ptrace_inject.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include "ptrace_perm.h"
#include "util.h"

#if defined(__x86_64__)

#include <elf.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>

#define RED_ZONE 128
#define SCRATCH_MAX 256
/* how long a thread may take to stop: one in uninterruptible sleep stops when it wakes */
#define STOP_TIMEOUT_MS 5000

struct inject {
	pid_t pid, tid;
	struct user_regs_struct saved;
	uint64_t sysaddr;		/* a syscall instruction in the tracee */
	uint64_t scratch;		/* 0 until asked for */
	size_t scratch_len;
	unsigned char orig[SCRATCH_MAX];
	bool regs_changed;		/* the thread holds injected registers */
	bool at_syscall_stop;		/* stopped at one of our syscall-exit stops */
	int pending_sig;		/* a signal the thread stopped to receive */
	sigset_t saved_mask;		/* ipcx's own mask, restored at the end */
};

static bool thread_alive(pid_t pid, pid_t tid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	char *st = read_file(path, NULL);
	if (!st)
		return false;
	const char *p = strrchr(st, ')');
	bool alive = p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
	free(st);
	return alive;
}

/* A thread of pid that is not a zombie: the main one if it lives. */
static pid_t live_thread(pid_t pid)
{
	if (thread_alive(pid, pid))
		return pid;
	/* the leader has exited and its threads still run: take another one */
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return 0;
	pid_t found = 0;
	struct dirent *e;
	while (!found && (e = readdir(d)) != NULL) {
		pid_t tid = (pid_t)atoi(e->d_name);
		if (tid > 0 && thread_alive(pid, tid))
			found = tid;
	}
	closedir(d);
	return found;
}

static bool regs_get(pid_t tid, struct user_regs_struct *r)
{
	struct iovec iov = { r, sizeof(*r) };
	return ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &iov) == 0 &&
	       iov.iov_len == sizeof(*r);
}

static bool regs_set(pid_t tid, const struct user_regs_struct *r)
{
	struct iovec iov = { (void *)r, sizeof(*r) };
	return ptrace(PTRACE_SETREGSET, tid, (void *)NT_PRSTATUS, &iov) == 0;
}

/*
 * Waits for the thread to change state, for at most STOP_TIMEOUT_MS.
 * Returns 0 with the status, -ETIMEDOUT, or -errno.
 */
static int wait_thread(pid_t tid, int *status)
{
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (unsigned spins = 0;; spins++) {
		pid_t r = waitpid(tid, status, __WALL | WNOHANG);
		if (r == tid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (ms > STOP_TIMEOUT_MS)
			return -ETIMEDOUT;
		/* stops come within microseconds; sleep only when one is slow */
		if (spins < 200)
			sched_yield();
		else
			nanosleep(&(struct timespec){ 0, 200000 }, NULL);
	}
}

static bool is_event_stop(int status)
{
	return WIFSTOPPED(status) && (status >> 16) == PTRACE_EVENT_STOP;
}

static bool is_syscall_stop(int status)
{
	return WIFSTOPPED(status) && WSTOPSIG(status) == (SIGTRAP | 0x80);
}

/* A syscall instruction (0f 05) in the vDSO, else in any executable mapping. */
static uint64_t find_syscall_insn(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	char *maps = read_file(path, NULL);
	if (!maps)
		return 0;
	uint64_t found = 0;
	for (int pass = 0; pass < 2 && !found; pass++) {
		for (char *line = maps, *next; line && *line && !found; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			unsigned long long start, end;
			char perms[5];
			if (sscanf(line, "%llx-%llx %4s", &start, &end, perms) != 3)
				goto restore;
			if (perms[0] != 'r' || perms[2] != 'x')
				goto restore;
			bool vdso = strstr(line, "[vdso]") != NULL;
			if (pass == 0 ? !vdso : vdso)
				goto restore;
			for (uint64_t a = start; a < end && !found;) {
				unsigned char buf[4096];
				size_t n = end - a < sizeof(buf) ? (size_t)(end - a) : sizeof(buf);
				struct iovec local = { buf, n }, remote = { (void *)a, n };
				ssize_t got = process_vm_readv(pid, &local, 1, &remote, 1, 0);
				if (got < 2)
					break;
				for (ssize_t i = 0; i + 1 < got; i++)
					if (buf[i] == 0x0f && buf[i + 1] == 0x05) {
						found = a + (uint64_t)i;
						break;
					}
				/* one byte of overlap, for a pair split across reads */
				a += (uint64_t)got - 1;
			}
restore:
			/* put the line back for the second pass */
			if (next)
				next[-1] = '\n';
		}
	}
	free(maps);
	return found;
}

static unsigned long long status_num(pid_t pid, pid_t tid, const char *name)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid, (int)tid);
	char *st = read_file(path, NULL);
	unsigned long long v = 0;
	const char *p = st ? strstr(st, name) : NULL;
	if (p)
		v = strtoull(p + strlen(name), NULL, 10);
	free(st);
	return v;
}

static bool have_cap(int cap)
{
	char *st = read_file("/proc/self/status", NULL);
	const char *p = st ? strstr(st, "\nCapEff:\t") : NULL;
	unsigned long long caps = p ? strtoull(p + 9, NULL, 16) : 0;
	free(st);
	return (caps >> cap) & 1;
}

/* Lets the thread go: saved registers back, then detach with sig. */
static void release(struct inject *in, int sig)
{
	if (in->scratch) {
		struct iovec local = { in->orig, in->scratch_len };
		struct iovec remote = { (void *)in->scratch, in->scratch_len };
		process_vm_writev(in->tid, &local, 1, &remote, 1, 0);
	}
	if (in->regs_changed)
		regs_set(in->tid, &in->saved);
	ptrace(PTRACE_DETACH, in->tid, NULL, (void *)(long)sig);
	sigprocmask(SIG_SETMASK, &in->saved_mask, NULL);
	free(in);
}

int inject_begin(pid_t pid, struct inject **out, char *why, size_t len)
{
	*out = NULL;
	pid_t tid = live_thread(pid);
	if (!tid) {
		snprintf(why, len, "%s", kill(pid, 0) < 0 && errno == ESRCH ?
			 "no such process" : "it has no live thread to stop");
		return -ESRCH;
	}
	long opts = PTRACE_O_TRACESYSGOOD;
	/*
	 * A seccomp filter might kill the process for the injected call; the
	 * filter is suspended for this thread while it is traced, as CRIU does.
	 */
	unsigned long long seccomp = status_num(pid, tid, "\nSeccomp:\t");
	if (seccomp) {
		if (!have_cap(21 /* CAP_SYS_ADMIN */)) {
			snprintf(why, len, "it runs under seccomp (mode %llu), which might kill it "
				 "for the injected system call; suspending the filter needs "
				 "CAP_SYS_ADMIN", seccomp);
			return -EPERM;
		}
		opts |= PTRACE_O_SUSPEND_SECCOMP;
	}

	struct inject *in = xcalloc(1, sizeof(*in));
	in->pid = pid;
	in->tid = tid;
	/*
	 * If ipcx died while the thread holds injected registers, the kernel
	 * would detach it and it would run from the injected instruction on:
	 * the signals that end a command wait until it is let go.
	 */
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, SIGPIPE);
	sigprocmask(SIG_BLOCK, &block, &in->saved_mask);

	if (ptrace(PTRACE_SEIZE, tid, NULL, (void *)opts) < 0) {
		int e = errno;
		if (e == EPERM)
			ptrace_eperm_why(pid, why, len);
		else if (e == ESRCH)
			snprintf(why, len, "no such process");
		else if (e == EINVAL && seccomp)
			snprintf(why, len, "it runs under seccomp and this kernel cannot suspend "
				 "the filter (CONFIG_CHECKPOINT_RESTORE)");
		else
			snprintf(why, len, "ptrace: %s", errtext(e));
		sigprocmask(SIG_SETMASK, &in->saved_mask, NULL);
		free(in);
		return -e;
	}
	if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) < 0) {
		int e = errno;
		snprintf(why, len, "ptrace interrupt: %s", errtext(e));
		sigprocmask(SIG_SETMASK, &in->saved_mask, NULL);
		free(in);
		return -e;
	}
	for (int tries = 0;; tries++) {
		int status, r = wait_thread(tid, &status);
		if (r == -ETIMEDOUT) {
			/* left attached: the kernel detaches it when ipcx exits */
			snprintf(why, len, "it did not stop within %d s (uninterruptible sleep?)",
				 STOP_TIMEOUT_MS / 1000);
			sigprocmask(SIG_SETMASK, &in->saved_mask, NULL);
			free(in);
			return -ETIMEDOUT;
		}
		if (r < 0 || WIFEXITED(status) || WIFSIGNALED(status)) {
			snprintf(why, len, "it exited");
			sigprocmask(SIG_SETMASK, &in->saved_mask, NULL);
			free(in);
			return -ESRCH;
		}
		if (is_event_stop(status))
			break;
		/* a signal came first: deliver it as if untraced, then stop */
		if (tries > 16 || ptrace(PTRACE_CONT, tid, NULL, (void *)(long)WSTOPSIG(status)) < 0) {
			snprintf(why, len, "it would not stop");
			release(in, 0);
			return -EAGAIN;
		}
	}
	if (!regs_get(tid, &in->saved)) {
		snprintf(why, len, "%s", "only 64-bit x86-64 processes can be read (this one "
			 "has other registers: a 32-bit program?)");
		release(in, 0);
		return -ENOSYS;
	}
	in->sysaddr = find_syscall_insn(pid);
	if (!in->sysaddr) {
		snprintf(why, len, "no syscall instruction found in its executable mappings");
		release(in, 0);
		return -ENOEXEC;
	}
	*out = in;
	return 0;
}

uint64_t inject_scratch(struct inject *in, size_t size, char *why, size_t len)
{
	if (in->scratch || size > SCRATCH_MAX || in->saved.rsp < RED_ZONE + SCRATCH_MAX) {
		snprintf(why, len, "no room for scratch memory on its stack");
		return 0;
	}
	uint64_t addr = (in->saved.rsp - RED_ZONE - size) & ~(uint64_t)15;
	struct iovec local = { in->orig, size }, remote = { (void *)addr, size };
	if (process_vm_readv(in->tid, &local, 1, &remote, 1, 0) != (ssize_t)size) {
		snprintf(why, len, "its stack cannot be read below the stack pointer");
		return 0;
	}
	in->scratch = addr;
	in->scratch_len = size;
	return addr;
}

int inject_peek(struct inject *in, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)addr, len };
	ssize_t n = process_vm_readv(in->tid, &local, 1, &remote, 1, 0);
	return n == (ssize_t)len ? 0 : n < 0 ? -errno : -EIO;
}

int inject_syscall(struct inject *in, long nr, const uint64_t args[6], long *ret, char *why,
		   size_t len)
{
	struct user_regs_struct r = in->saved;
	r.rip = in->sysaddr;
	r.rax = (uint64_t)nr;
	r.orig_rax = (uint64_t)-1;
	r.rdi = args[0];
	r.rsi = args[1];
	r.rdx = args[2];
	r.r10 = args[3];
	r.r8 = args[4];
	r.r9 = args[5];
	if (!regs_set(in->tid, &r)) {
		snprintf(why, len, "cannot set its registers");
		return -EIO;
	}
	in->regs_changed = true;
	bool entered = false;
	for (int stops = 0; stops < 32; stops++) {
		if (ptrace(PTRACE_SYSCALL, in->tid, NULL, NULL) < 0) {
			snprintf(why, len, "it vanished");
			return -ESRCH;
		}
		int status, w = wait_thread(in->tid, &status);
		if (w < 0 || WIFEXITED(status) || WIFSIGNALED(status)) {
			snprintf(why, len, w == -ETIMEDOUT ? "it did not come back from the call" :
				 "it exited");
			return w == -ETIMEDOUT ? -ETIMEDOUT : -ESRCH;
		}
		if (is_syscall_stop(status)) {
			struct user_regs_struct now;
			if (!regs_get(in->tid, &now)) {
				snprintf(why, len, "cannot read its registers");
				return -EIO;
			}
			if (!entered) {
				if (now.orig_rax != (uint64_t)nr || now.rip != in->sysaddr + 2) {
					snprintf(why, len, "it entered another system call");
					return -EIO;
				}
				entered = true;
				continue;
			}
			*ret = (long)now.rax;
			in->at_syscall_stop = true;
			return 0;
		}
		if (is_event_stop(status))
			continue;	/* a group-stop or a late interrupt: go on */
		/* a signal, before the call ran: it is delivered on the original registers */
		in->pending_sig = WSTOPSIG(status);
		snprintf(why, len, "a signal arrived meanwhile");
		return -EAGAIN;
	}
	snprintf(why, len, "it kept stopping");
	return -EIO;
}

void inject_end(struct inject *in)
{
	int sig = in->pending_sig;
	if (in->at_syscall_stop && !sig) {
		/*
		 * Registers back first, then a stop inside signal handling, where
		 * the kernel decides on restarting what the thread was doing.
		 */
		if (in->scratch) {
			struct iovec local = { in->orig, in->scratch_len };
			struct iovec remote = { (void *)in->scratch, in->scratch_len };
			process_vm_writev(in->tid, &local, 1, &remote, 1, 0);
			in->scratch = 0;
		}
		regs_set(in->tid, &in->saved);
		in->regs_changed = false;
		if (ptrace(PTRACE_INTERRUPT, in->tid, NULL, NULL) == 0 &&
		    ptrace(PTRACE_CONT, in->tid, NULL, NULL) == 0) {
			int status;
			for (int stops = 0; stops < 32; stops++) {
				if (wait_thread(in->tid, &status) < 0 || !WIFSTOPPED(status))
					break;
				if (is_event_stop(status))
					break;
				if (!is_syscall_stop(status)) {
					sig = WSTOPSIG(status);
					break;
				}
				ptrace(PTRACE_CONT, in->tid, NULL, NULL);
			}
		}
	}
	release(in, sig);
}

int inject_sigactions(pid_t pid, uint64_t which, struct ksigaction act[SIG_MAX + 1],
		      char *why, size_t len)
{
	for (int attempt = 0;; attempt++) {
		struct inject *in;
		int r = inject_begin(pid, &in, why, len);
		if (r < 0)
			return r;
		uint64_t buf = inject_scratch(in, sizeof(struct ksigaction), why, len);
		if (!buf) {
			inject_end(in);
			return -EFAULT;
		}
		r = 0;
		for (int sig = 1; sig <= SIG_MAX && r == 0; sig++) {
			if (!(which & (1ULL << (sig - 1))))
				continue;
			uint64_t args[6] = { (uint64_t)sig, 0, buf, 8, 0, 0 };
			long ret;
			r = inject_syscall(in, SYS_rt_sigaction, args, &ret, why, len);
			if (r == 0 && ret < 0) {
				snprintf(why, len, "rt_sigaction(%d) in the process: %s", sig,
					 errtext((int)-ret));
				r = (int)ret;
			} else if (r == 0 && inject_peek(in, buf, &act[sig], sizeof(act[sig])) < 0) {
				snprintf(why, len, "cannot read its memory");
				r = -EIO;
			}
		}
		inject_end(in);
		if (r != -EAGAIN || attempt >= 4)
			return r;
	}
}

#else /* !__x86_64__ */

int inject_begin(pid_t pid, struct inject **out, char *why, size_t len)
{
	(void)pid;
	*out = NULL;
	snprintf(why, len, "reading handlers needs x86-64; this build is for another architecture");
	return -ENOSYS;
}

uint64_t inject_scratch(struct inject *in, size_t size, char *why, size_t len)
{
	(void)in;
	(void)size;
	snprintf(why, len, "not supported on this architecture");
	return 0;
}

int inject_syscall(struct inject *in, long nr, const uint64_t args[6], long *ret, char *why,
		   size_t len)
{
	(void)in;
	(void)nr;
	(void)args;
	(void)ret;
	snprintf(why, len, "not supported on this architecture");
	return -ENOSYS;
}

int inject_peek(struct inject *in, uint64_t addr, void *buf, size_t len)
{
	(void)in;
	(void)addr;
	(void)buf;
	(void)len;
	return -ENOSYS;
}

void inject_end(struct inject *in)
{
	(void)in;
}

int inject_sigactions(pid_t pid, uint64_t which, struct ksigaction act[SIG_MAX + 1],
		      char *why, size_t len)
{
	(void)which;
	(void)act;
	struct inject *in;
	return inject_begin(pid, &in, why, len);
}

#endif
