/*
 * Iterators over every task, descriptor and mapping of the machine, for
 * lib/pscan_bpf.c: a few large reads of each return what a walk of /proc
 * would take a few hundred thousand system calls to gather (an open,
 * readlink and stat per descriptor, a maps file per process).
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "pscan_rec.h"

char LICENSE[] SEC("license") = "GPL";

/*
 * The iterators this object holds. Each is built into an object of its
 * own (see the Makefile), so that the three are loaded side by side, each
 * on the thread that then reads it.
 */
#define PS_ITER_TASK 1
#define PS_ITER_FILE 2
#define PS_ITER_VMA 4
#ifndef PS_ITERS
#define PS_ITERS (PS_ITER_TASK | PS_ITER_FILE | PS_ITER_VMA)
#endif

#define PF_KTHREAD 0x00200000
#define VM_READ 0x1
#define VM_WRITE 0x2
#define VM_EXEC 0x4
#define VM_MAYSHARE 0x80

/*
 * A record with its path is too big for the 512-byte BPF stack. Each is
 * 8 KiB, so that a length masked with LEN_MASK is provably inside it;
 * a mapping's path has twice PSREC_PATH_MAX, so that a name copied to
 * any offset below PSREC_PATH_MAX, at most PSREC_PATH_MAX long, is too.
 */
#define SCRATCH_SIZE 8192
#define LEN_MASK (SCRATCH_SIZE - 8)
/* Names and mount crossings of a mapped file's path, at most. */
#define PATH_DEPTH 32
struct scratch {
	union {
		struct {
			struct psrec_fd r;
			char path[SCRATCH_SIZE - sizeof(struct psrec_fd)];
		} fd;
		struct {
			struct psrec_vma r;
			char path[2 * PSREC_PATH_MAX];
		} vma;
	};
	struct dentry *names[PATH_DEPTH];	/* a path's dentries, last first */
};

/*
 * One per program: the descriptors and the mappings are read at once,
 * by two threads, and a program may be preempted on its CPU by the
 * other, which must then not write into the record it is building.
 */
struct scratch_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
};
#if PS_ITERS & PS_ITER_FILE
struct scratch_map scratch_fd SEC(".maps");
#endif
#if PS_ITERS & PS_ITER_VMA
struct scratch_map scratch_vma SEC(".maps");
#endif

#if PS_ITERS & (PS_ITER_FILE | PS_ITER_VMA)
static __always_inline struct scratch *scratch(void *map)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(map, &zero);
}

#endif

#if PS_ITERS & PS_ITER_TASK
SEC("iter/task")
int ps_task(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	if (!t)
		return 0;
	struct psrec_task r = {};
	r.h.type = PSREC_TASK;
	r.h.len = sizeof(r);
	r.h.tgid = t->tgid;
	r.h.tid = t->pid;
	r.tid = t->pid;
	/*
	 * Compared here rather than by the namespace's inode number: reading
	 * that starts an access at struct ipc_namespace, whose name shares a
	 * slot of the kernel's cache of BTF searches with super_block's, and
	 * each search costs the load about 4 ms.
	 */
	struct task_struct *self = (struct task_struct *)bpf_get_current_task();
	struct ipc_namespace *ns = BPF_CORE_READ(t, nsproxy, ipc_ns);
	r.same_ipcns = ns && ns == BPF_CORE_READ(self, nsproxy, ipc_ns);
	r.kthread = (t->flags & PF_KTHREAD) != 0;
	r.sleeping = t->__state != 0 && t->exit_state == 0;
	r.nr = -1;
	if (r.sleeping && !r.kthread) {
		/* what /proc/PID/syscall shows: orig_ax is -1 outside a call */
		struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(t);
		if (regs) {
			r.nr = (__s64)BPF_CORE_READ(regs, orig_ax);
			r.arg0 = BPF_CORE_READ(regs, di);
		}
	}
	__builtin_memcpy(r.comm, t->comm, sizeof(r.comm));
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
#endif

#if PS_ITERS & (PS_ITER_FILE | PS_ITER_VMA)
/* The record's length with a path of n bytes, rounded up to 8. */
static __always_inline __u32 padded(__u32 fixed, long n)
{
	__u32 len = n > 0 && n <= PSREC_PATH_MAX ? (__u32)n : 0;
	return (fixed + len + 7) & ~7u;
}

#define TMPFS_MAGIC 0x01021994
#define HUGETLBFS_MAGIC 0x958458f6
#define SOCKFS_MAGIC 0x534F434B
#define PIPEFS_MAGIC 0x50495045
#define ANON_INODE_FS_MAGIC 0x09041934

/* A copy of the n bytes of s to buf at off, if they fit before PSREC_PATH_MAX. */
static __always_inline long put_at(char *buf, long off, const char *s, int n)
{
	if (off < 0 || off + n >= PSREC_PATH_MAX)
		return -1;
	for (int i = 0; i < n; i++)
		buf[(off + i) & (PSREC_PATH_MAX - 1)] = s[i];
	return off + n;
}

/* The name of d copied to buf at off, if it fits; returns where it ends. */
static __always_inline long put_name(char *buf, long off, struct dentry *d)
{
	const unsigned char *name = BPF_CORE_READ(d, d_name.name);
	if (off < 0 || off >= PSREC_PATH_MAX)
		return -1;
	long n = bpf_probe_read_kernel_str(buf + (off & (PSREC_PATH_MAX - 1)), PSREC_PATH_MAX, name);
	if (n <= 0 || off + n > PSREC_PATH_MAX)
		return -1;
	return off + n - 1;
}

#endif

#if PS_ITERS & PS_ITER_FILE
/* Whether p holds the n bytes of s at off. */
static __always_inline bool has_at(const char *p, int off, const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (p[off + i] != s[i])
			return false;
	return true;
}

/*
 * The contents of eventfds and signalfds, which their fdinfo would
 * otherwise be opened for, one file per descriptor.
 */
static __always_inline void anon_contents(struct file *f, const char *path, long n,
					  struct psrec_fd *r)
{
	r->anon = PSANON_NONE;
	if (n < 14 || !has_at(path, 0, "anon_inode:[", 12))
		return;
	if (n == 21 && has_at(path, 12, "eventfd]", 8)) {
		struct eventfd_ctx *ctx = BPF_CORE_READ(f, private_data);
		r->anon = PSANON_EVENTFD;
		r->value = BPF_CORE_READ(ctx, count);
		r->efd_flags = BPF_CORE_READ(ctx, flags);
		r->efd_id = BPF_CORE_READ(ctx, id);
	} else if (n == 22 && has_at(path, 12, "signalfd]", 9)) {
		struct signalfd_ctx *ctx = BPF_CORE_READ(f, private_data);
		r->anon = PSANON_SIGNALFD;
		bpf_probe_read_kernel(&r->value, sizeof(r->value), &ctx->sigmask.sig[0]);
	}
}

SEC("iter/task_file")
int ps_file(struct bpf_iter__task_file *ctx)
{
	struct task_struct *t = ctx->task;
	struct file *f = ctx->file;
	struct scratch *s = scratch(&scratch_fd);
	if (!t || !f || !s)
		return 0;
	struct psrec_fd *r = &s->fd.r;
	/*
	 * Loaded, not read with a helper: these six fields are read for
	 * every descriptor of the machine, and a direct load is an
	 * instruction where bpf_probe_read_kernel is a call. The verifier
	 * pays for the one pointer field of the trusted file, searching the
	 * kernel's BTF for its trust, about 0.4 ms once; the reads of
	 * 15,000 descriptors cost about 2 ms.
	 */
	struct inode *ino = f->f_inode;
	struct super_block *sb = ino->i_sb;
	unsigned long magic = sb->s_magic;
	r->h.type = PSREC_FD;
	r->h.tgid = t->tgid;
	r->h.tid = t->pid;
	r->fd = (__s32)ctx->fd;
	r->fmode = f->f_mode & 3;
	r->ino = ino->i_ino;
	r->dev = sb->s_dev;
	r->mode = ino->i_mode;
	/*
	 * Sockets, pipes and anon inodes are most descriptors, and their
	 * files name themselves (d_dname) the same way for each: a socket
	 * and a pipe by its inode, which user space puts in the words of
	 * sockfs_dname and pipefs_dname; an anon inode by its dentry's name,
	 * after "anon_inode:" as anon_inodefs_dname does. d_path would
	 * format each through snprintf.
	 */
	long n;
	r->pseudo = PSPSEUDO_NONE;
	if (magic == SOCKFS_MAGIC) {
		r->pseudo = PSPSEUDO_SOCKET;
		n = 0;
	} else if (magic == PIPEFS_MAGIC) {
		r->pseudo = PSPSEUDO_PIPE;
		n = 0;
	} else if (magic == ANON_INODE_FS_MAGIC) {
		n = put_at(s->fd.path, 0, "anon_inode:", 11);
		n = put_name(s->fd.path, n, BPF_CORE_READ(f, f_path.dentry));
		n = n < 0 ? 0 : n + 1;
	} else {
		n = bpf_d_path(&f->f_path, s->fd.path, PSREC_PATH_MAX);
	}
	r->pathlen = (__s32)n;
	anon_contents(f, s->fd.path, n, r);
	__u32 len = padded(sizeof(*r), n);
	r->h.len = len;
	bpf_seq_write(ctx->meta->seq, &s->fd, len & LEN_MASK);
	return 0;
}
#endif

#if PS_ITERS & PS_ITER_VMA
/* Where the walk up a path is, between two steps (bpf_loop). */
struct walk {
	struct scratch *s;
	struct dentry *d, *root;
	struct vfsmount *vm, *root_mnt;
	struct mount *mnt;
	unsigned long mnt_off;
	long off;
	int n;
	int end;	/* 1 at the root, -1 where this walk gives up */
};

/* One step up: to the parent, or across the mount d is the root of. */
static long walk_up(__u64 i, void *arg)
{
	(void)i;
	struct walk *w = arg;
	/* locals: BPF_CORE_READ relocates its whole first argument */
	struct dentry *d = w->d;
	struct vfsmount *vm = w->vm;
	struct mount *mnt = w->mnt;
	if (d == w->root && vm == w->root_mnt) {
		w->end = 1;
		return 1;
	}
	if (d == BPF_CORE_READ(mnt, mnt.mnt_root)) {
		struct mount *up = BPF_CORE_READ(mnt, mnt_parent);
		if (up == mnt) {	/* the global root, or attached nowhere */
			w->end = 1;
			return 1;
		}
		w->d = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = up;
		w->vm = (struct vfsmount *)((char *)up + w->mnt_off);
		return 0;
	}
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	if (parent == d || w->n >= PATH_DEPTH) {	/* outside the reader's root, or too deep */
		w->end = -1;
		return 1;
	}
	w->s->names[w->n & (PATH_DEPTH - 1)] = d;
	w->n++;
	w->d = parent;
	return 0;
}

/* One name down, "/" and the name, from the top of the path. */
static long walk_down(__u64 i, void *arg)
{
	struct walk *w = arg;
	int k = w->n - 1 - (int)i;
	if (k < 0 || k >= PATH_DEPTH)
		return 1;
	w->off = put_at(w->s->vma.path, w->off, "/", 1);
	w->off = put_name(w->s->vma.path, w->off, w->s->names[k & (PATH_DEPTH - 1)]);
	return w->off < 0;
}

/*
 * What d_path() gives for a mapped file: bpf_d_path() takes only a path
 * the verifier trusts, and a kernel may not trust vma->vm_file (6.18's
 * does not). The same walk as the kernel's prepend_path: names up to the
 * reader's root, across mounts, to the global root or a mount's root that
 * is attached nowhere (SysV segments, memfds), and " (deleted)" after an
 * unlinked file. Of the pseudo files, which name themselves (d_dname),
 * only those of tmpfs and hugetlbfs are named here, as simple_dname()
 * names them: their d_op is not read, since each type that starts a
 * relocated access costs the kernel a search of its BTF when loading.
 * Returns the length with the NUL, or 0 for a path this walk does not
 * give (another pseudo file, a path outside the reader's root, too deep
 * or too long): user space reads those from /proc/PID/map_files.
 */
static __always_inline long vma_path(struct file *f, struct scratch *s)
{
	char *buf = s->vma.path;
	struct dentry *d = BPF_CORE_READ(f, f_path.dentry);
	struct vfsmount *vm = BPF_CORE_READ(f, f_path.mnt);
	if (!d || !vm)
		return 0;
	unsigned long mnt_off = bpf_core_field_offset(struct mount, mnt);
	struct mount *mnt = (struct mount *)((char *)vm - mnt_off);
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	long off;
	/*
	 * A dentry that is its own parent but not its mount's root is a
	 * pseudo file's (alloc_file_pseudo), which names itself (d_dname).
	 */
	if (parent == d && d != BPF_CORE_READ(mnt, mnt.mnt_root)) {
		unsigned long magic = BPF_CORE_READ(d, d_sb, s_magic);
		if (magic != TMPFS_MAGIC && magic != HUGETLBFS_MAGIC)
			return 0;
		off = put_at(buf, 0, "/", 1);
		off = put_name(buf, off, d);
		off = put_at(buf, off, " (deleted)", 11);
		return off < 0 ? 0 : off;
	}
	bool unlinked = parent != d && !BPF_CORE_READ(d, d_hash.pprev);

	struct task_struct *self = (struct task_struct *)bpf_get_current_task();
	struct walk w = {
		.s = s, .d = d, .vm = vm,
		.root = BPF_CORE_READ(self, fs, root.dentry),
		.root_mnt = BPF_CORE_READ(self, fs, root.mnt),
		.mnt = mnt, .mnt_off = mnt_off,
	};
	/* mount crossings take steps too: twice the names at most */
	bpf_loop(2 * PATH_DEPTH, walk_up, &w, 0);
	if (w.end != 1)
		return 0;
	bpf_loop(PATH_DEPTH, walk_down, &w, 0);
	off = w.off;
	if (off == 0)
		off = put_at(buf, 0, "/", 1);
	off = unlinked ? put_at(buf, off, " (deleted)", 11) : put_at(buf, off, "", 1);
	return off < 0 ? 0 : off;
}

SEC("iter/task_vma")
int ps_vma(struct bpf_iter__task_vma *ctx)
{
	struct task_struct *t = ctx->task;
	struct vm_area_struct *v = ctx->vma;
	if (!t || !v)
		return 0;
	/*
	 * What maps marks 's' and backs with a file: the shared objects.
	 * The flags first: they are a load, the file a helper's read, and
	 * most mappings (24 of every 25 on a machine of forked holders) are
	 * private.
	 */
	unsigned long fl = v->vm_flags;
	if (!(fl & VM_MAYSHARE))
		return 0;
	struct file *f = BPF_CORE_READ(v, vm_file);
	if (!f)
		return 0;
	struct scratch *s = scratch(&scratch_vma);
	if (!s)
		return 0;
	struct psrec_vma *r = &s->vma.r;
	struct inode *ino = BPF_CORE_READ(f, f_inode);
	r->h.type = PSREC_VMA;
	r->h.tgid = t->tgid;
	r->h.tid = t->pid;
	r->start = v->vm_start;
	r->end = v->vm_end;
	r->flags = fl & (VM_READ | VM_WRITE | VM_EXEC);
	r->pgoff = v->vm_pgoff;
	r->ino = BPF_CORE_READ(ino, i_ino);
	r->dev = BPF_CORE_READ(ino, i_sb, s_dev);
	long n = vma_path(f, s);
	r->pathlen = (__s32)n;
	__u32 len = padded(sizeof(*r), n);
	r->h.len = len;
	bpf_seq_write(ctx->meta->seq, &s->vma, len & LEN_MASK);
	return 0;
}
#endif
