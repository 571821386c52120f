#include "pscan.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "proc.h"
#include "pscan_bpf.h"
#include "util.h"

/* PROCMAP_QUERY (Linux 6.11): finds mappings by ioctl on the maps file,
 * skipping the text of every private and anonymous mapping. */
#define PROCMAP_QUERY_IOCTL 0xC0686611
enum {
	PMQ_VMA_READABLE = 0x01,
	PMQ_VMA_WRITABLE = 0x02,
	PMQ_VMA_EXECUTABLE = 0x04,
	PMQ_VMA_SHARED = 0x08,
	PMQ_COVERING_OR_NEXT_VMA = 0x10,
	PMQ_FILE_BACKED_VMA = 0x20,
};

struct procmap_query {
	uint64_t size;
	uint64_t query_flags;
	uint64_t query_addr;
	uint64_t vma_start;
	uint64_t vma_end;
	uint64_t vma_flags;
	uint64_t vma_page_size;
	uint64_t vma_offset;
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t vma_name_size;
	uint32_t build_id_size;
	uint64_t vma_name_addr;
	uint64_t build_id_addr;
};

static struct pscan scan;

static ino_t ipcns_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_ino : 0;
}
static int maps_mode;	/* 0 unknown, 1 ioctl, 2 text: probe_maps_mode() */

/* Arrays that double when their count reaches a power of two. */
#define GROW(v, n) \
	do { \
		if (((n) & ((n) - 1)) == 0) \
			(v) = xrealloc((v), ((n) ? (n) * 2 : 1) * sizeof(*(v))); \
	} while (0)

static void add_map(struct ps_proc *p, const struct ps_map *m)
{
	GROW(p->maps, p->nmaps);
	p->maps[p->nmaps++] = *m;
}

static int read_maps_query(int fd, struct ps_proc *p)
{
	char name[4096];
	uint64_t addr = 0;
	for (;;) {
		struct procmap_query q;
		memset(&q, 0, sizeof(q));
		q.size = sizeof(q);
		q.query_flags = PMQ_COVERING_OR_NEXT_VMA | PMQ_FILE_BACKED_VMA | PMQ_VMA_SHARED;
		q.query_addr = addr;
		q.vma_name_addr = (uint64_t)(uintptr_t)name;
		q.vma_name_size = sizeof(name);
		if (ioctl(fd, PROCMAP_QUERY_IOCTL, &q) < 0)
			return errno == ENOENT ? 0 : -errno;
		struct ps_map m = {
			.start = (unsigned long)q.vma_start,
			.end = (unsigned long)q.vma_end,
			.rd = q.vma_flags & PMQ_VMA_READABLE,
			.wr = q.vma_flags & PMQ_VMA_WRITABLE,
			.ex = q.vma_flags & PMQ_VMA_EXECUTABLE,
			.dev = makedev(q.dev_major, q.dev_minor),
			.ino = (ino_t)q.inode,
			.name = xstrdup(q.vma_name_size ? name : ""),
			.offset = q.vma_offset,
		};
		add_map(p, &m);
		addr = q.vma_end;
	}
}

static int read_maps_text(int fd, struct ps_proc *p)
{
	FILE *f = fdopen(dup(fd), "r");
	if (!f)
		return -errno;
	char line[4096 + 128];
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end;
		char perms[5];
		unsigned maj, min;
		uintmax_t ino, offset;
		int off = 0;
		if (sscanf(line, "%lx-%lx %4s %jx %x:%x %ju %n", &start, &end, perms, &offset, &maj, &min,
			   &ino, &off) < 7)
			continue;
		if (perms[3] != 's' || !ino)
			continue;
		char *name = line + off;
		name[strcspn(name, "\n")] = '\0';
		struct ps_map m = {
			.start = start, .end = end,
			.rd = perms[0] == 'r', .wr = perms[1] == 'w', .ex = perms[2] == 'x',
			.dev = makedev(maj, min), .ino = (ino_t)ino, .name = xstrdup(name),
			.offset = offset,
		};
		add_map(p, &m);
	}
	fclose(f);
	return 0;
}

static void read_maps(int pdir, struct ps_proc *p)
{
	int fd = openat(pdir, "maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == EACCES || errno == EPERM)
			p->denied = 1;
		return;
	}
	/* the walk's threads share maps_mode, settled before they start */
	int r = maps_mode == 1 ? read_maps_query(fd, p) : read_maps_text(fd, p);
	if (r == -EACCES || r == -EPERM)
		p->denied = true;
	close(fd);
}

/* "pipe:[123]" and "socket:[45]" carry their inode in the link. */
static bool link_inode(const char *link, ino_t *ino)
{
	const char *b = strchr(link, '[');
	if (!b || link[0] == '/' || !strncmp(link, "anon_inode:", 11))
		return false;
	*ino = (ino_t)strtoull(b + 1, NULL, 10);
	return true;
}

/*
 * The numeric names of a /proc directory (fd, task), through getdents64
 * itself: readdir's fdopendir costs an fstat and an fcntl per directory,
 * a tenth of a walk that opens two directories per process. A process's
 * fd and task directories fill the buffer until they end or it is full
 * (proc_readfd_common, proc_task_readdir), so with all_at_once a short
 * read is their end, and the call that would return 0 is saved. Returns
 * the count, or -errno; *v is malloc'd.
 */
static long list_numbers(int dfd, bool all_at_once, int **v)
{
	char buf[16384];
	size_t n = 0, cap = 0;
	*v = NULL;
	for (;;) {
		long r = syscall(SYS_getdents64, dfd, buf, sizeof(buf));
		if (r < 0) {
			free(*v);
			*v = NULL;
			return -errno;
		}
		if (r == 0)
			return (long)n;
		bool last = all_at_once && (size_t)r < sizeof(buf) - 512;
		for (long off = 0; off < r;) {
			const struct dirent64 *de = (const void *)(buf + off);
			off += de->d_reclen;
			if (!isdigit((unsigned char)de->d_name[0]))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 32;
				*v = xrealloc(*v, cap * sizeof(**v));
			}
			(*v)[n++] = atoi(de->d_name);
		}
		if (last)
			return (long)n;
	}
}

/* A small file of /proc into buf, NUL-terminated; its length or -errno. */
static ssize_t read_small(int dir, const char *name, char *buf, size_t size)
{
	int fd = openat(dir, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t r = read(fd, buf, size - 1);
	int e = errno;
	close(fd);
	if (r < 0)
		return -e;
	buf[r] = '\0';
	return r;
}

static char *read_info(int infodir, const char *name)
{
	char buf[4096];
	return read_small(infodir, name, buf, sizeof(buf)) < 0 ? NULL : xstrdup(buf);
}

/* How an anon-inode descriptor was opened, from the "flags:" of its fdinfo. */
static bool info_access(const char *fdinfo, struct ps_fd *f)
{
	const char *l = strstr(fdinfo, "flags:");
	if (!l || (l != fdinfo && l[-1] != '\n'))
		return false;
	char *end;
	unsigned long fl = strtoul(l + 6, &end, 8);
	if (end == l + 6)
		return false;
	f->rd = (fl & O_ACCMODE) != O_WRONLY;
	f->wr = (fl & O_ACCMODE) != O_RDONLY;
	return true;
}

/*
 * The fdinfo of f read after its link: a descriptor whose link (at
 * linkpath of dir) changed meanwhile was closed and reused, and its
 * fdinfo describes another file.
 */
static void drop_info_if_reused(int dir, const char *linkpath, struct ps_fd *f)
{
	char link[4096];
	ssize_t n = readlinkat(dir, linkpath, link, sizeof(link) - 1);
	if (f->fdinfo && (n < 0 || (size_t)n != strlen(f->link) || memcmp(link, f->link, (size_t)n))) {
		free(f->fdinfo);
		f->fdinfo = NULL;
	}
}

/*
 * fdinfo asked for after the fds were read: added to the descriptors
 * already listed rather than listing them again, so that what was found
 * in them (the holders index, objects built from them) stays valid. A
 * descriptor whose link changed meanwhile was closed and reused: its
 * fdinfo would describe another file.
 */
static void add_fdinfo(int pdir, struct ps_proc *p)
{
	int infodir = openat(pdir, "fdinfo", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (infodir < 0)
		return;
	char name[32], path[40];
	for (size_t i = 0; i < p->nfds; i++) {
		struct ps_fd *f = &p->fds[i];
		if (f->fdinfo || strncmp(f->link, "anon_inode:", 11))
			continue;
		snprintf(name, sizeof(name), "%d", f->fd);
		snprintf(path, sizeof(path), "fd/%d", f->fd);
		f->fdinfo = read_info(infodir, name);
		drop_info_if_reused(pdir, path, f);
	}
	close(infodir);
}

/*
 * Every descriptor costs one readlink; what else is asked of the kernel
 * depends on what the link says, since each call is a few microseconds
 * and a machine has tens of thousands of descriptors:
 *  - a socket needs no more: sockets are always open for reading and
 *    writing (sock_alloc_file), and the link holds the inode;
 *  - a pipe needs the link's own mode, which tells the read end from the
 *    write end;
 *  - an anon inode whose fdinfo is read takes its access from fdinfo's
 *    flags, others from the link's mode;
 *  - a file needs the link's mode and a stat of the file (device, inode,
 *    type), by which kinds match it.
 */
static void read_fds(int pdir, struct ps_proc *p, bool fdinfo)
{
	int dfd = openat(pdir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		if (errno == EACCES || errno == EPERM)
			p->denied = true;
		return;
	}
	int *nums;
	long nn = list_numbers(dfd, true, &nums);
	if (nn < 0) {
		if (nn == -EACCES || nn == -EPERM)
			p->denied = true;
		close(dfd);
		return;
	}
	char name[16], link[4096];
	p->fds = nn ? xmalloc((size_t)nn * sizeof(*p->fds)) : NULL;
	for (long i = 0; i < nn; i++) {
		snprintf(name, sizeof(name), "%d", nums[i]);
		ssize_t n = readlinkat(dfd, name, link, sizeof(link) - 1);
		if (n < 0)
			continue;	/* closed meanwhile */
		link[n] = '\0';
		struct ps_fd f = { .fd = nums[i] };
		struct stat st;
		bool anon = !strncmp(link, "anon_inode:", 11);
		bool access = false;
		if (!strncmp(link, "socket:[", 8)) {
			f.rd = f.wr = access = true;
		} else if (anon && fdinfo) {
			/* a path under the process's directory: opening fdinfo/
			 * itself would cost two calls more */
			char info[32];
			snprintf(info, sizeof(info), "fdinfo/%s", name);
			f.fdinfo = read_info(pdir, info);
			access = f.fdinfo && info_access(f.fdinfo, &f);
		}
		/* the link's own mode tells how the descriptor was opened */
		if (!access && fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			f.rd = st.st_mode & S_IRUSR;
			f.wr = st.st_mode & S_IWUSR;
		}
		if (!link_inode(link, &f.ino) && !anon && fstatat(dfd, name, &st, 0) == 0) {
			f.dev = st.st_dev;
			f.ino = st.st_ino;
			f.mode = st.st_mode;
		}
		f.link = xstrdup(link);
		p->fds[p->nfds++] = f;
	}
	free(nums);
	close(dfd);
}

/* One thread's system call, when it is blocked in one. */
static void read_syscall(int dir, const char *name, pid_t tid, struct ps_proc *p)
{
	char buf[256];
	ssize_t r = read_small(dir, name, buf, sizeof(buf));
	if (r == -EACCES || r == -EPERM)
		p->denied = true;
	if (r <= 0)
		return;
	/* "NR arg0 ... sp pc" while blocked; "running" or "-1 ..." otherwise */
	char *end;
	long nr = strtol(buf, &end, 10);
	if (end == buf || nr < 0)
		return;
	struct ps_wait w = { .tid = tid, .nr = nr, .arg0 = strtoul(end, NULL, 16) };
	GROW(p->waits, p->nwaits);
	p->waits[p->nwaits++] = w;
}

/*
 * The name, state and thread count from /proc/PID/stat. The name sits
 * between the first '(' and the last ')', and may hold both.
 */
static bool read_stat(int pdir, struct ps_proc *p, char *state, long *nthreads)
{
	char buf[1024];
	if (read_small(pdir, "stat", buf, sizeof(buf)) <= 0)
		return false;
	char *open = strchr(buf, '('), *close = strrchr(buf, ')');
	if (!open || !close || close < open || close[1] != ' ')
		return false;
	size_t len = (size_t)(close - open - 1);
	if (len >= sizeof(p->comm))
		len = sizeof(p->comm) - 1;
	memcpy(p->comm, open + 1, len);
	p->comm[len] = '\0';
	*state = close[2];
	/* num_threads is the 18th field after the name */
	const char *s = close + 2;
	for (int i = 0; i < 17 && s; i++) {
		s = strchr(s, ' ');
		s = s ? s + 1 : NULL;
	}
	*nthreads = s ? strtol(s, NULL, 10) : 0;
	return true;
}

/*
 * What the threads are blocked in. A process of one thread (most of
 * them) is read from /proc/PID itself, and only while it sleeps: the task
 * directory costs four calls more, and a running thread is in no call.
 * Any other process has every thread read, for a thread other than the
 * leader may be the one that waits.
 */
static void read_waits(int pdir, struct ps_proc *p)
{
	char state = 0;
	long nthreads = 0;
	if (read_stat(pdir, p, &state, &nthreads) && nthreads == 1) {
		if (state != 'R' && state != 'Z' && state != 'X')
			read_syscall(pdir, "syscall", p->pid, p);
		return;
	}
	int tdir = openat(pdir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tdir < 0)
		return;
	int *tids;
	long nt = list_numbers(tdir, true, &tids);
	char path[40];
	for (long i = 0; i < nt; i++) {
		snprintf(path, sizeof(path), "%d/syscall", tids[i]);
		read_syscall(tdir, path, (pid_t)tids[i], p);
	}
	free(tids);
	close(tdir);
}

static int procfd = -1;
static unsigned wanted;

static void list_processes(void)
{
	if (procfd < 0)
		procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int *pids;
	long n = procfd < 0 ? -errno : list_numbers(procfd, false, &pids);
	if (n < 0)
		die(EXIT_RUNTIME, "cannot read /proc: %s", strerror((int)-n));
	pid_t self = getpid();
	scan.v = xcalloc((size_t)n + 1, sizeof(*scan.v));
	for (long i = 0; i < n; i++)
		/* ipcx's own descriptors are its look at the objects, not a use */
		if (pids[i] != self)
			scan.v[scan.n++].pid = pids[i];
	free(pids);
}

/* Whether PROCMAP_QUERY works here, tried once on our own maps. */
static void probe_maps_mode(void)
{
	if (maps_mode)
		return;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		maps_mode = 2;
		return;
	}
	struct procmap_query q;
	memset(&q, 0, sizeof(q));
	q.size = sizeof(q);
	q.query_flags = PMQ_COVERING_OR_NEXT_VMA;
	int r = ioctl(fd, PROCMAP_QUERY_IOCTL, &q);
	maps_mode = r == 0 || errno == ENOENT ? 1 : 2;
	close(fd);
}

/* What one walk reads of every process, shared by its threads. */
static struct {
	unsigned missing, parts;
	bool first;
	ino_t own_ns;
	size_t next;	/* the next process to take */
} job;

static void walk_one(struct ps_proc *p)
{
	char name[16];
	snprintf(name, sizeof(name), "%d", (int)p->pid);
	/* a process that exits during the walk is skipped quietly */
	int pdir = openat(procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pdir < 0)
		return;
	if (job.first) {
		struct stat st;
		/* another IPC namespace has its own System V ids */
		p->same_ipcns = fstatat(pdir, "ns/ipc", &st, 0) == 0 && st.st_ino == job.own_ns;
	}
	if (job.missing & PS_FDS)
		read_fds(pdir, p, job.parts & PS_FDINFO);
	else if (job.missing & PS_FDINFO)
		add_fdinfo(pdir, p);
	if (job.missing & PS_MAPS)
		read_maps(pdir, p);
	if (job.missing & PS_WAITS)
		read_waits(pdir, p);
	close(pdir);
}

static void *walker(void *arg)
{
	(void)arg;
	for (;;) {
		size_t i = __atomic_fetch_add(&job.next, 1, __ATOMIC_RELAXED);
		if (i >= scan.n)
			return NULL;
		walk_one(&scan.v[i]);
	}
}

/*
 * The walk is a few hundred thousand system calls on a busy machine, each
 * independent of the others: it is shared among up to one thread per CPU.
 * Every thread fills only the processes it takes.
 */
#define MAX_WALKERS 4
#define PROCS_PER_WALKER 128

static void walk(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nthreads = scan.n / PROCS_PER_WALKER;
	if (cpus > 0 && nthreads > (size_t)cpus)
		nthreads = (size_t)cpus;
	if (nthreads > MAX_WALKERS)
		nthreads = MAX_WALKERS;
	pthread_t th[MAX_WALKERS];
	size_t started = 0;
	job.next = 0;
	for (size_t i = 1; i < nthreads; i++)
		if (pthread_create(&th[started], NULL, walker, NULL) == 0)
			started++;
	walker(NULL);
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
}

/*
 * The same walk through the kernel's BPF iterators (lib/pscan_bpf.c):
 * every task, descriptor and shared mapping of the machine, in a few
 * large reads of three iterators. What they give is what /proc would: the link text is d_path(),
 * as readlink of /proc/PID/fd shows it, the access mode the file's own,
 * the blocked call the thread's saved registers, as /proc/PID/syscall
 * reads them. Still read from /proc: the fdinfo of timerfds, and the
 * link of a descriptor whose path is longer than the iterator's buffer.
 */
static struct ps_proc *proc_of(pid_t pid)
{
	size_t lo = 0, hi = scan.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (scan.v[mid].pid < pid)
			lo = mid + 1;
		else if (scan.v[mid].pid > pid)
			hi = mid;
		else
			return &scan.v[mid];
	}
	return NULL;
}

/* A wait seen before its process was listed, kept until the pass ends. */
struct early_wait {
	pid_t tgid;
	struct ps_wait w;
};

struct task_pass {
	bool waits;		/* collect the waits too */
	size_t cap;
	pid_t self;
	struct early_wait *ew;
	size_t new;
};

static bool waiting(const struct psrec_task *r)
{
	return r->sleeping && !r->kthread && r->nr >= 0;
}

static void add_wait(struct ps_proc *p, const struct ps_wait *w)
{
	GROW(p->waits, p->nwaits);
	p->waits[p->nwaits++] = *w;
}

static void on_task(const struct psrec_hdr *h, void *arg)
{
	struct task_pass *tp = arg;
	if (h->type != PSREC_TASK || h->len < sizeof(struct psrec_task))
		return;
	const struct psrec_task *r = (const void *)h;
	if (tp->waits && waiting(r)) {
		GROW(tp->ew, tp->new);
		tp->ew[tp->new++] = (struct early_wait){
			h->tgid, { .tid = r->tid, .nr = (long)r->nr, .arg0 = (unsigned long)r->arg0 } };
	}
	if (r->tid == h->tgid && h->tgid != tp->self) {
		if (scan.n == tp->cap) {
			tp->cap = tp->cap ? tp->cap * 2 : 1024;
			scan.v = xrealloc(scan.v, tp->cap * sizeof(*scan.v));
		}
		struct ps_proc *p = &scan.v[scan.n++];
		memset(p, 0, sizeof(*p));
		p->pid = h->tgid;
		p->same_ipcns = r->same_ipcns;
		size_t len = strnlen(r->comm, sizeof(r->comm));
		memcpy(p->comm, r->comm, len);
		p->comm[len] = '\0';
	}
}

/* The waits of processes listed before. */
static void on_wait(const struct psrec_hdr *h, void *arg)
{
	(void)arg;
	if (h->type != PSREC_TASK || h->len < sizeof(struct psrec_task))
		return;
	const struct psrec_task *r = (const void *)h;
	struct ps_proc *p = waiting(r) ? proc_of(h->tgid) : NULL;
	if (p)
		add_wait(p, &(struct ps_wait){ .tid = r->tid, .nr = (long)r->nr,
					       .arg0 = (unsigned long)r->arg0 });
}

static dev_t kernel_dev(__u32 d)
{
	return makedev(d >> 20, d & 0xfffff);
}

/* The path of a record, or NULL when d_path failed. */
static const char *rec_path(const struct psrec_hdr *h, size_t fixed, __s32 pathlen)
{
	if (pathlen <= 0 || fixed + (size_t)pathlen > h->len)
		return NULL;
	const char *path = (const char *)h + fixed;
	return path[pathlen - 1] == '\0' ? path : NULL;
}

/*
 * The listed process of a whole record of this type, or NULL. Only the
 * leader's descriptors and mappings count, as /proc/PID/fd and maps show
 * them: a thread with a table of its own (unshare(CLONE_FILES)) and the
 * threads of an exited leader are visited too, the latter each with all
 * of the process's files and mappings.
 */
static struct ps_proc *rec_proc(const struct psrec_hdr *h, __u32 type, size_t size)
{
	return h->type == type && h->len >= size && h->tid == h->tgid ? proc_of(h->tgid) : NULL;
}

/* The target of the link NAME under /proc, in buf; NULL when it is gone. */
static const char *proc_link(const char *name, char *buf, size_t len)
{
	ssize_t n = readlinkat(procfd, name, buf, len - 1);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

static void on_fd(const struct psrec_hdr *h, void *arg)
{
	(void)arg;
	struct ps_proc *p = rec_proc(h, PSREC_FD, sizeof(struct psrec_fd));
	if (!p)
		return;
	const struct psrec_fd *r = (const void *)h;
	const char *path = rec_path(h, sizeof(*r), r->pathlen);
	char name[48], link[4096];
	if (r->pseudo == PSPSEUDO_SOCKET || r->pseudo == PSPSEUDO_PIPE) {
		/* as sockfs_dname and pipefs_dname name them */
		snprintf(link, sizeof(link), "%s:[%llu]",
			 r->pseudo == PSPSEUDO_SOCKET ? "socket" : "pipe", (unsigned long long)r->ino);
		path = link;
	} else if (!path) {
		/* longer than d_path's buffer in the iterator: as /proc says it */
		snprintf(name, sizeof(name), "%d/fd/%d", (int)p->pid, r->fd);
		if (!(path = proc_link(name, link, sizeof(link))))
			return;
	}
	struct ps_fd f = { .fd = r->fd, .rd = r->fmode & 1, .wr = (r->fmode & 2) != 0 };
	/* the fields the /proc walk fills for the same link (read_fds) */
	if (!link_inode(path, &f.ino) && strncmp(path, "anon_inode:", 11)) {
		f.dev = kernel_dev(r->dev);
		f.ino = (ino_t)r->ino;
		f.mode = (mode_t)r->mode;
	}
	/* what fdinfo would show of them, in its words (eventfd_show_fdinfo,
	 * signalfd_show_fdinfo), for the kinds that parse it */
	if (r->anon == PSANON_EVENTFD)
		f.fdinfo = xasprintf("eventfd-count: %16llx\neventfd-id: %d\neventfd-semaphore: %d\n",
				     (unsigned long long)r->value, r->efd_id, (r->efd_flags & 1) != 0);
	else if (r->anon == PSANON_SIGNALFD)
		/* the context keeps the complement of the mask (signalfd4) */
		f.fdinfo = xasprintf("sigmask:\t%016llx\n", ~(unsigned long long)r->value);
	f.link = xstrdup(path);
	GROW(p->fds, p->nfds);
	p->fds[p->nfds++] = f;
}

static void on_vma(const struct psrec_hdr *h, void *arg)
{
	(void)arg;
	struct ps_proc *p = rec_proc(h, PSREC_VMA, sizeof(struct psrec_vma));
	if (!p)
		return;
	const struct psrec_vma *r = (const void *)h;
	const char *path = rec_path(h, sizeof(*r), r->pathlen);
	char name[64], link[4096];
	if (!path) {
		/* a name the iterator does not give: as /proc says it */
		snprintf(name, sizeof(name), "%d/map_files/%llx-%llx", (int)p->pid,
			 (unsigned long long)r->start, (unsigned long long)r->end);
		path = proc_link(name, link, sizeof(link));
	}
	static long page;
	if (!page)
		page = sysconf(_SC_PAGESIZE);
	struct ps_map m = {
		.start = (unsigned long)r->start, .end = (unsigned long)r->end,
		.rd = r->flags & 1, .wr = (r->flags & 2) != 0, .ex = (r->flags & 4) != 0,
		.dev = kernel_dev(r->dev), .ino = (ino_t)r->ino,
		.name = xstrdup(path ? path : ""),
		.offset = (unsigned long long)r->pgoff * (unsigned long long)page,
	};
	add_map(p, &m);
}

/*
 * fdinfo of the timerfds the iterator listed: eventfds and signalfds
 * came with their contents, and no kind reads the fdinfo of others.
 * Paths from /proc itself: opening each process's directory first would
 * cost two calls more.
 */
static void read_timerfd_info(void)
{
	char path[64];
	for (size_t i = 0; i < scan.n; i++) {
		struct ps_proc *p = &scan.v[i];
		for (size_t j = 0; j < p->nfds; j++) {
			struct ps_fd *f = &p->fds[j];
			if (f->fdinfo || strcmp(f->link, "anon_inode:[timerfd]"))
				continue;
			snprintf(path, sizeof(path), "%d/fdinfo/%d", (int)p->pid, f->fd);
			f->fdinfo = read_info(procfd, path);
			snprintf(path, sizeof(path), "%d/fd/%d", (int)p->pid, f->fd);
			drop_info_if_reused(procfd, path, f);
		}
	}
}

/* The parts of missing the iterators read; the rest is left to /proc. */
static unsigned walk_bpf(unsigned missing)
{
	if (!psbpf_ready(NULL))
		return 0;
	unsigned done = 0;
	int r;
	static const struct {
		unsigned part;
		enum psbpf_iter it;
		void (*each)(const struct psrec_hdr *r, void *arg);
	} passes[] = {
		{ PS_WAITS, PSBPF_TASKS, on_wait },
		{ PS_FDS, PSBPF_FDS, on_fd },
		{ PS_MAPS, PSBPF_VMAS, on_vma },
	};
	/* every iterator needed read at once; nothing of one is kept before
	 * all of it was read: what it could not read, /proc still can */
	unsigned set = !scan.v ? 1u << PSBPF_TASKS : 0;
	for (size_t i = 0; i < sizeof(passes) / sizeof(passes[0]); i++)
		if (missing & passes[i].part)
			set |= 1u << passes[i].it;
	int err[PSBPF_NITERS];
	psbpf_read_set(set, err);
	/* one refused, none serves: the walk is /proc's alone, as documented */
	for (int it = 0; it < PSBPF_NITERS; it++)
		if (err[it] < 0 && psbpf_refused((enum psbpf_iter)it)) {
			psbpf_failed((enum psbpf_iter)it, err[it]);
			return 0;
		}
	if (!scan.v) {
		if (procfd < 0)
			procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (procfd < 0)
			die(EXIT_RUNTIME, "cannot read /proc: %s", strerror(errno));
		if (err[PSBPF_TASKS] < 0) {
			psbpf_failed(PSBPF_TASKS, err[PSBPF_TASKS]);
			return 0;
		}
		/*
		 * The waits in the same pass, given to their processes after it
		 * (a thread's tid may be below its leader's pid); taken whether
		 * asked for or not, since the tasks are read anyway: top asks
		 * for them after the descriptors and mappings, and reading the
		 * tasks again for them was a tenth of its walk.
		 */
		struct task_pass tp = { .waits = true, .self = getpid() };
		if ((r = psbpf_walk(PSBPF_TASKS, on_task, &tp)) < 0)
			die(EXIT_RUNTIME, "BPF task iterator: %s", errtext(-r));
		for (size_t i = 0; i < tp.new; i++) {
			struct ps_proc *p = proc_of(tp.ew[i].tgid);
			if (p)
				add_wait(p, &tp.ew[i].w);
		}
		free(tp.ew);
		done |= PS_WAITS;
	}
	for (size_t i = 0; i < sizeof(passes) / sizeof(passes[0]); i++) {
		if (!(missing & ~done & passes[i].part))
			continue;
		if (err[passes[i].it] < 0) {
			psbpf_failed(passes[i].it, err[passes[i].it]);
			return done;
		}
		if ((r = psbpf_walk(passes[i].it, passes[i].each, NULL)) < 0)
			die(EXIT_RUNTIME, "BPF iterator: %s", errtext(-r));
		done |= passes[i].part;
	}
	if ((missing & PS_FDINFO) && ((done | scan.parts) & PS_FDS)) {
		read_timerfd_info();
		done |= PS_FDINFO;
	}
	return done;
}

void pscan_want(unsigned parts)
{
	wanted |= parts;
}

const struct pscan *pscan_get(unsigned parts)
{
	if (parts & PS_FDINFO)
		parts |= PS_FDS;
	unsigned missing = parts & ~scan.parts;
	if (!missing)
		return &scan;
	/* what was wanted comes along with the first part asked for */
	if (!scan.parts)
		parts |= wanted;
	missing = parts & ~scan.parts;
	static unsigned gen;
	job.missing = missing;
	job.parts = parts;
	job.first = scan.parts == 0;
	bool fresh = !scan.v;
	unsigned got = walk_bpf(missing);
	unsigned rest = missing & ~got;
	/* the iterators compare namespaces themselves; only /proc needs ours */
	job.own_ns = job.first && rest ? ipcns_of("/proc/self/ns/ipc") : 0;
	if (rest && !scan.v)
		list_processes();
	if (fresh)
		scan.gen = ++gen;
	if (rest & PS_MAPS)
		probe_maps_mode();
	if (rest) {
		job.missing = rest;
		walk();
	}
	scan.parts |= parts | got;
	scan.maps_query = (rest & PS_MAPS) && maps_mode == 1;
	scan.denied = 0;
	for (size_t i = 0; i < scan.n; i++) {
		scan.denied += scan.v[i].denied;
		if (scan.v[i].comm[0])
			proc_comm_note(scan.v[i].pid, scan.v[i].comm);
	}
	return &scan;
}

void pscan_report_denied(void)
{
	static bool said;
	if (scan.denied && !said) {
		said = true;
		err_msg("%zu process%s not fully readable (permission denied): what %s hold%s is not "
			"shown%s", scan.denied, scan.denied == 1 ? " is" : "es are",
			scan.denied == 1 ? "it" : "they", scan.denied == 1 ? "s" : "",
			geteuid() == 0 ? " (another user namespace, or a security module, keeps even "
					 "root out)" : "; run as root to see more");
	}
}

void pscan_free(void)
{
	for (size_t i = 0; i < scan.n; i++) {
		struct ps_proc *p = &scan.v[i];
		for (size_t j = 0; j < p->nfds; j++) {
			free(p->fds[j].link);
			free(p->fds[j].fdinfo);
		}
		for (size_t j = 0; j < p->nmaps; j++)
			free(p->maps[j].name);
		free(p->fds);
		free(p->maps);
		free(p->waits);
	}
	free(scan.v);
	memset(&scan, 0, sizeof(scan));
	if (procfd >= 0)
		close(procfd);
	procfd = -1;
}
