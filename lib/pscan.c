#include "pscan.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

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
static int maps_mode;	/* 0 unknown, 1 ioctl, 2 text */

static void add_map(struct ps_proc *p, const struct ps_map *m)
{
	p->maps = xrealloc(p->maps, (p->nmaps + 1) * sizeof(*p->maps));
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
		uintmax_t ino;
		int off = 0;
		if (sscanf(line, "%lx-%lx %4s %*x %x:%x %ju %n", &start, &end, perms, &maj, &min, &ino,
			   &off) < 6)
			continue;
		if (perms[3] != 's' || !ino)
			continue;
		char *name = line + off;
		name[strcspn(name, "\n")] = '\0';
		struct ps_map m = {
			.start = start, .end = end,
			.rd = perms[0] == 'r', .wr = perms[1] == 'w', .ex = perms[2] == 'x',
			.dev = makedev(maj, min), .ino = (ino_t)ino, .name = xstrdup(name),
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
	int r = -ENOTTY;
	if (maps_mode != 2) {
		r = read_maps_query(fd, p);
		if (maps_mode == 0)
			maps_mode = (r == -ENOTTY || r == -EINVAL) ? 2 : 1;
	}
	if (maps_mode == 2)
		r = read_maps_text(fd, p);
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

static char *read_info(int infodir, const char *name)
{
	int ifd = openat(infodir, name, O_RDONLY | O_CLOEXEC);
	if (ifd < 0)
		return NULL;
	char buf[4096];
	ssize_t r = read(ifd, buf, sizeof(buf) - 1);
	close(ifd);
	if (r < 0)
		return NULL;
	buf[r] = '\0';
	return xstrdup(buf);
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
	char name[32], path[40], link[4096];
	for (size_t i = 0; i < p->nfds; i++) {
		struct ps_fd *f = &p->fds[i];
		if (f->fdinfo || strncmp(f->link, "anon_inode:", 11))
			continue;
		snprintf(name, sizeof(name), "%d", f->fd);
		snprintf(path, sizeof(path), "fd/%d", f->fd);
		f->fdinfo = read_info(infodir, name);
		ssize_t n = readlinkat(pdir, path, link, sizeof(link) - 1);
		if (f->fdinfo && (n < 0 || (size_t)n != strlen(f->link) ||
				  memcmp(link, f->link, (size_t)n))) {
			free(f->fdinfo);
			f->fdinfo = NULL;
		}
	}
	close(infodir);
}

static void read_fds(int pdir, struct ps_proc *p, bool fdinfo)
{
	int dfd = openat(pdir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		if (errno == EACCES || errno == EPERM)
			p->denied = true;
		return;
	}
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return;
	}
	int infodir = fdinfo ? openat(pdir, "fdinfo", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	struct dirent *de;
	char link[4096];
	while ((de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		ssize_t n = readlinkat(dfd, de->d_name, link, sizeof(link) - 1);
		if (n < 0)
			continue;	/* closed meanwhile */
		link[n] = '\0';
		struct ps_fd f = { .fd = atoi(de->d_name) };
		struct stat st;
		/* the link's own mode tells how the descriptor was opened */
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			f.rd = st.st_mode & S_IRUSR;
			f.wr = st.st_mode & S_IWUSR;
		}
		if (!link_inode(link, &f.ino) && strncmp(link, "anon_inode:", 11) &&
		    fstatat(dfd, de->d_name, &st, 0) == 0) {
			f.dev = st.st_dev;
			f.ino = st.st_ino;
			f.mode = st.st_mode;
		}
		f.link = xstrdup(link);
		if (infodir >= 0 && !strncmp(link, "anon_inode:", 11))
			f.fdinfo = read_info(infodir, de->d_name);
		p->fds = xrealloc(p->fds, (p->nfds + 1) * sizeof(*p->fds));
		p->fds[p->nfds++] = f;
	}
	if (infodir >= 0)
		close(infodir);
	closedir(d);
}

static void read_waits(int pdir, struct ps_proc *p)
{
	int tdir = openat(pdir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tdir < 0)
		return;
	DIR *d = fdopendir(tdir);
	if (!d) {
		close(tdir);
		return;
	}
	struct dirent *de;
	char path[300], buf[256];
	while ((de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "%s/syscall", de->d_name);
		int fd = openat(tdir, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == EACCES || errno == EPERM)
				p->denied = true;
			continue;
		}
		ssize_t r = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (r <= 0)
			continue;
		buf[r] = '\0';
		/* "NR arg0 ... sp pc" while blocked; "running" or "-1 ..." otherwise */
		char *end;
		long nr = strtol(buf, &end, 10);
		if (end == buf || nr < 0)
			continue;
		struct ps_wait w = { .tid = (pid_t)atoi(de->d_name), .nr = nr,
				     .arg0 = strtoul(end, NULL, 16) };
		p->waits = xrealloc(p->waits, (p->nwaits + 1) * sizeof(*p->waits));
		p->waits[p->nwaits++] = w;
	}
	closedir(d);
}

static ino_t ipcns_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

static void list_processes(void)
{
	DIR *proc = opendir("/proc");
	if (!proc)
		die(EXIT_RUNTIME, "cannot read /proc: %s", strerror(errno));
	pid_t self = getpid();
	size_t cap = 0;
	struct dirent *de;
	while ((de = readdir(proc))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid_t pid = (pid_t)atoi(de->d_name);
		/* ipcx's own descriptors are its look at the objects, not a use */
		if (pid == self)
			continue;
		if (scan.n == cap) {
			cap = cap ? cap * 2 : 256;
			scan.v = xrealloc(scan.v, cap * sizeof(*scan.v));
		}
		memset(&scan.v[scan.n], 0, sizeof(scan.v[0]));
		scan.v[scan.n++].pid = pid;
	}
	closedir(proc);
}

const struct pscan *pscan_get(unsigned parts)
{
	if (parts & PS_FDINFO)
		parts |= PS_FDS;
	unsigned missing = parts & ~scan.parts;
	if (!missing)
		return &scan;
	if (!scan.v) {
		static unsigned gen;
		list_processes();
		scan.gen = ++gen;
	}
	char path[32];
	bool first = scan.parts == 0;
	ino_t own_ns = first ? ipcns_of("/proc/self/ns/ipc") : 0;
	for (size_t i = 0; i < scan.n; i++) {
		struct ps_proc *p = &scan.v[i];
		snprintf(path, sizeof(path), "/proc/%d", (int)p->pid);
		/* a process that exits during the walk is skipped quietly */
		int pdir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pdir < 0)
			continue;
		if (first) {
			struct stat st;
			/* another IPC namespace has its own System V ids */
			p->same_ipcns = fstatat(pdir, "ns/ipc", &st, 0) == 0 && st.st_ino == own_ns;
		}
		if (missing & PS_FDS)
			read_fds(pdir, p, parts & PS_FDINFO);
		else if (missing & PS_FDINFO)
			add_fdinfo(pdir, p);
		if (missing & PS_MAPS)
			read_maps(pdir, p);
		if (missing & PS_WAITS)
			read_waits(pdir, p);
		close(pdir);
	}
	scan.parts |= parts;
	scan.maps_query = maps_mode == 1;
	scan.denied = 0;
	for (size_t i = 0; i < scan.n; i++)
		scan.denied += scan.v[i].denied;
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
}
