#include "pscan_bpf.h"

#include <errno.h>
#include <linux/capability.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

#ifdef IPCX_BPF
#include "ps_file.lskel.h"
#include "ps_task.lskel.h"
#include "ps_vma.lskel.h"

/* The initial PID namespace's inode number (PROC_PID_INIT_INO). */
#define PID_NS_INIT_INO 0xEFFFFFFCu

/* The initial user namespace's inode number (PROC_USER_INIT_INO). */
#define USER_NS_INIT_INO 0xEFFFFFFDu

/* Whether this process has CAP_BPF and CAP_PERFMON in effect, where they count. */
static bool may_trace(void)
{
	/* capabilities of another user namespace do not reach the kernel's own */
	struct stat st;
	if (stat("/proc/self/ns/user", &st) == 0 && st.st_ino != USER_NS_INIT_INO)
		return false;
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	if (syscall(SYS_capget, &hdr, data) != 0)
		return false;
	/* CAP_PERFMON is 38 and CAP_BPF 39: bits 6 and 7 of the second word */
	return (data[1].effective & 0xc0) == 0xc0;
}

static const char *unusable(void)
{
	struct stat st;
	if (stat("/proc/self/ns/pid", &st) != 0 || st.st_ino != PID_NS_INIT_INO)
		return "not in the initial PID namespace";
	return NULL;
}

/*
 * Each iterator is a skeleton of its own, loaded by the thread that first
 * reads it (psbpf_read_set): the kernel's checking of the three programs,
 * most of the cost of a first walk, then runs on every CPU.
 */
static int link_fds[PSBPF_NITERS] = { -1, -1, -1 };
static const char *load_why[PSBPF_NITERS];
/*
 * Kept for the run: their links are what every read starts from. Never
 * read here, so kept from the compiler too, for a leak checker to see.
 */
static struct ps_task_bpf *skel_ps_task __attribute__((used));
static struct ps_file_bpf *skel_ps_file __attribute__((used));
static struct ps_vma_bpf *skel_ps_vma __attribute__((used));

/* Loads and attaches NAME's skeleton as iterator IT, or returns -errno with load_why[IT] set. */
#define LOAD_SKEL(name, it)                                                              \
	do {                                                                              \
		struct name##_bpf *skel = name##_bpf__open_and_load();                   \
		if (!skel) {                                                               \
			int e = errno ? errno : EINVAL;                                    \
			/* the verifier says EACCES too, for a program it will not take */ \
			load_why[it] = (e == EPERM || e == EACCES) && !may_trace()        \
					       ? "not permitted (needs CAP_BPF and CAP_PERFMON)" \
					       : "the kernel refused the iterators";       \
			return -e;                                                         \
		}                                                                          \
		if (name##_bpf__attach(skel) != 0) {                                       \
			int e = errno ? errno : EINVAL;                                    \
			name##_bpf__destroy(skel);                                         \
			load_why[it] = "the kernel refused to attach the iterators";      \
			return -e;                                                         \
		}                                                                          \
		skel_##name = skel;                                                        \
		link_fds[it] = skel->links.name##_fd;                                      \
		return 0;                                                                  \
	} while (0)

static int load(enum psbpf_iter it)
{
	errno = 0;
	switch (it) {
	case PSBPF_TASKS:
		LOAD_SKEL(ps_task, it);
	case PSBPF_FDS:
		LOAD_SKEL(ps_file, it);
	case PSBPF_VMAS:
		LOAD_SKEL(ps_vma, it);
	default:
		return -EINVAL;
	}
}

/* What each iterator gave last. */
static struct {
	char *data;
	size_t len, cap;
} bufs[PSBPF_NITERS];

static bool is_loaded(enum psbpf_iter it)
{
	return link_fds[it] >= 0;
}

static int ensure_loaded(enum psbpf_iter it)
{
	return is_loaded(it) ? 0 : load(it);
}

int psbpf_read(enum psbpf_iter it)
{
	int r = ensure_loaded(it);
	if (r < 0)
		return r;
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.iter_create.link_fd = (__u32)link_fds[it];
	int fd = (int)syscall(__NR_bpf, BPF_ITER_CREATE, &attr, sizeof(attr));
	if (fd < 0)
		return -errno;
	/* all of it first: a read may end inside a record */
	char **buf = &bufs[it].data;
	size_t *cap = &bufs[it].cap, len = 0;
	for (;;) {
		if (*cap - len < 65536) {
			*cap = *cap ? *cap * 2 : 1 << 20;
			*buf = xrealloc(*buf, *cap);
		}
		ssize_t n = read(fd, *buf + len, *cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	bufs[it].len = len;
	return 0;
}

int psbpf_walk(enum psbpf_iter it, void (*each)(const struct psrec_hdr *r, void *arg), void *arg)
{
	const char *buf = bufs[it].data;
	size_t len = bufs[it].len;
	/* what the records become on the heap is about their own size */
	heap_expect(len);
	for (size_t off = 0; off + sizeof(struct psrec_hdr) <= len;) {
		const struct psrec_hdr *h = (const void *)(buf + off);
		if (h->len < sizeof(*h) || h->len > len - off)
			return -EPROTO;
		each(h, arg);
		off += h->len;
	}
	return 0;
}
#else
static const char *unusable(void)
{
	return "built without BPF support";
}

static const char *load_why[PSBPF_NITERS];

static bool is_loaded(enum psbpf_iter it)
{
	(void)it;
	return false;
}

static int ensure_loaded(enum psbpf_iter it)
{
	(void)it;
	return -ENOSYS;
}

int psbpf_read(enum psbpf_iter it)
{
	(void)it;
	return -ENOSYS;
}

int psbpf_walk(enum psbpf_iter it, void (*each)(const struct psrec_hdr *r, void *arg), void *arg)
{
	(void)it, (void)each, (void)arg;
	return -ENOSYS;
}
#endif

bool psbpf_refused(enum psbpf_iter it)
{
	return load_why[it] != NULL;
}

/* The work of one thread: loading iterator it when not yet, and reading it if asked. */
#define READ_TOO 0x100

static void *read_one(void *arg)
{
	long job = (long)arg;
	enum psbpf_iter it = (enum psbpf_iter)(job & 0xff);
	return (void *)(long)(job & READ_TOO ? psbpf_read(it) : ensure_loaded(it));
}

void psbpf_read_set(unsigned set, int err[PSBPF_NITERS])
{
	/*
	 * Each read is the kernel's work over the whole machine, on the
	 * reading thread: one thread each, so that they share the CPUs. The
	 * first walk loads all three, read or not, so that the iterators
	 * serve a run whole or not at all.
	 */
	pthread_t th[PSBPF_NITERS];
	bool started[PSBPF_NITERS] = { false }, todo[PSBPF_NITERS];
	long jobs[PSBPF_NITERS];
	int first = -1;
	for (int it = 0; it < PSBPF_NITERS; it++) {
		err[it] = 0;
		jobs[it] = it | (set & (1u << it) ? READ_TOO : 0);
		todo[it] = (jobs[it] & READ_TOO) || !is_loaded((enum psbpf_iter)it);
		if (!todo[it])
			continue;
		if (first < 0)
			first = it;
		else
			started[it] = pthread_create(&th[it], NULL, read_one, (void *)jobs[it]) == 0;
	}
	for (int it = 0; it < PSBPF_NITERS; it++) {
		if (!todo[it])
			continue;
		if (it == first || !started[it]) {
			err[it] = (int)(long)read_one((void *)jobs[it]);
		} else {
			void *r;
			pthread_join(th[it], &r);
			err[it] = (int)(long)r;
		}
	}
}

static int state;	/* 0 not tried, 1 ready, -1 not */
static const char *reason;
static bool forced;	/* IPCX_PSCAN=bpf */

void psbpf_failed(enum psbpf_iter it, int err)
{
	const char *why = load_why[it];
	if (forced && why)
		die(EXIT_RUNTIME, "IPCX_PSCAN=bpf: the BPF process iterators cannot be used: %s", why);
	if (forced)
		die(EXIT_RUNTIME, "IPCX_PSCAN=bpf: a BPF process iterator could not be read: %s",
		    errtext(err));
	state = -1;
	reason = why ? why : "an iterator could not be read";
}

bool psbpf_ready(const char **why)
{
	if (!state) {
		const char *mode = getenv("IPCX_PSCAN");
		if (mode && *mode && strcmp(mode, "proc") && strcmp(mode, "bpf"))
			die(EXIT_USAGE, "IPCX_PSCAN=%s: not a way to walk the processes (proc or bpf)",
			    mode);
		forced = mode && !strcmp(mode, "bpf");
		if (mode && !strcmp(mode, "proc"))
			reason = "IPCX_PSCAN=proc";
		else
			reason = unusable();
		state = reason ? -1 : 1;
		if (reason && forced)
			die(EXIT_RUNTIME, "IPCX_PSCAN=bpf: the BPF process iterators cannot be used: %s",
			    reason);
	}
	if (why)
		*why = reason;
	return state > 0;
}
