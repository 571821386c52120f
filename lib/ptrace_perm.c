/* The reasons ptrace(2) gives EPERM, looked up in the order the kernel checks them. */
#include "ptrace_perm.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc.h"
#include "util.h"

#define CAP_SYS_PTRACE_BIT 19

/* A number after "Name:\t" in a status file; the first of several. */
static bool status_ull(const char *status, const char *name, int base, unsigned long long *v)
{
	const char *p = strstr(status, name);
	if (!p)
		return false;
	char *end;
	*v = strtoull(p + strlen(name), &end, base);
	return end != p + strlen(name);
}

static bool have_cap_sys_ptrace(void)
{
	char *st = read_file("/proc/self/status", NULL);
	unsigned long long caps = 0;
	bool ok = st && status_ull(st, "\nCapEff:\t", 16, &caps);
	free(st);
	return ok && (caps >> CAP_SYS_PTRACE_BIT) & 1;
}

static int yama_scope(void)
{
	unsigned long long v;
	return read_ull("/proc/sys/kernel/yama/ptrace_scope", &v) == 0 ? (int)v : -1;
}

void ptrace_eperm_why(pid_t pid, char *why, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	char *st = read_file(path, NULL);
	unsigned long long tracer = 0, uid = 0;
	if (st && status_ull(st, "\nTracerPid:\t", 10, &tracer) && tracer) {
		const char *comm = proc_comm((pid_t)tracer);
		snprintf(why, len, "it is already traced by process %llu (%s)", tracer,
			 comm ? comm : "?");
		free(st);
		return;
	}
	bool have_uid = st && status_ull(st, "\nUid:\t", 10, &uid);
	free(st);
	bool cap = have_cap_sys_ptrace();
	if (have_uid && uid != getuid() && !cap) {
		snprintf(why, len, "it runs as another user (uid %llu) and ipcx lacks "
			 "CAP_SYS_PTRACE", uid);
		return;
	}
	int scope = yama_scope();
	if (scope == 3) {
		snprintf(why, len, "Yama forbids every attach (kernel.yama.ptrace_scope = 3)");
		return;
	}
	if (scope == 2 && !cap) {
		snprintf(why, len, "Yama lets only CAP_SYS_PTRACE attach "
			 "(kernel.yama.ptrace_scope = 2)");
		return;
	}
	if (scope == 1 && !cap) {
		snprintf(why, len, "Yama lets a process trace only its descendants "
			 "(kernel.yama.ptrace_scope = 1); run as root or set it to 0");
		return;
	}
	/* /proc/PID belongs to root when the process is not dumpable */
	struct stat sb;
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (have_uid && stat(path, &sb) == 0 && sb.st_uid != (uid_t)uid && !cap) {
		snprintf(why, len, "it is not dumpable (set-user-ID, or PR_SET_DUMPABLE 0)");
		return;
	}
	snprintf(why, len, "permission denied by the kernel or a security module "
		 "(SELinux, AppArmor)");
}
