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

#define PF_KTHREAD 0x00200000
#define VM_READ 0x1
#define VM_WRITE 0x2
#define VM_EXEC 0x4
#define VM_MAYSHARE 0x80

/*
 * A record with its path is too big for the 512-byte BPF stack. Each is
 * 8 KiB, so that a length masked with LEN_MASK is provably inside it.
 */
#define SCRATCH_SIZE 8192
#define LEN_MASK (SCRATCH_SIZE - 8)
struct scratch {
	union {
		struct {
			struct psrec_fd r;
			char path[SCRATCH_SIZE - sizeof(struct psrec_fd)];
		} fd;
		struct {
			struct psrec_vma r;
			char path[SCRATCH_SIZE - sizeof(struct psrec_vma)];
		} vma;
	};
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_map SEC(".maps");

static __always_inline struct scratch *scratch(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&scratch_map, &zero);
}

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
	r.ipcns = BPF_CORE_READ(t, nsproxy, ipc_ns, ns.inum);
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

/* The record's length with a path of n bytes, rounded up to 8. */
static __always_inline __u32 padded(__u32 fixed, long n)
{
	__u32 len = n > 0 && n <= PSREC_PATH_MAX ? (__u32)n : 0;
	return (fixed + len + 7) & ~7u;
}

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
		r->value = BPF_CORE_READ(ctx, sigmask.sig[0]);
	}
}

SEC("iter/task_file")
int ps_file(struct bpf_iter__task_file *ctx)
{
	struct task_struct *t = ctx->task;
	struct file *f = ctx->file;
	struct scratch *s = scratch();
	if (!t || !f || !s)
		return 0;
	struct psrec_fd *r = &s->fd.r;
	struct inode *ino = f->f_inode;
	r->h.type = PSREC_FD;
	r->h.tgid = t->tgid;
	r->h.tid = t->pid;
	r->fd = (__s32)ctx->fd;
	r->fmode = f->f_mode & 3;
	r->ino = BPF_CORE_READ(ino, i_ino);
	r->dev = BPF_CORE_READ(ino, i_sb, s_dev);
	r->mode = BPF_CORE_READ(ino, i_mode);
	long n = bpf_d_path(&f->f_path, s->fd.path, PSREC_PATH_MAX);
	r->pathlen = (__s32)n;
	anon_contents(f, s->fd.path, n, r);
	__u32 len = padded(sizeof(*r), n);
	r->h.len = len;
	bpf_seq_write(ctx->meta->seq, &s->fd, len & LEN_MASK);
	return 0;
}

SEC("iter/task_vma")
int ps_vma(struct bpf_iter__task_vma *ctx)
{
	struct task_struct *t = ctx->task;
	struct vm_area_struct *v = ctx->vma;
	if (!t || !v)
		return 0;
	struct file *f = v->vm_file;
	unsigned long fl = v->vm_flags;
	/* what maps marks 's' and backs with a file: the shared objects */
	if (!f || !(fl & VM_MAYSHARE))
		return 0;
	struct scratch *s = scratch();
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
	long n = bpf_d_path(&f->f_path, s->vma.path, PSREC_PATH_MAX);
	r->pathlen = (__s32)n;
	__u32 len = padded(sizeof(*r), n);
	r->h.len = len;
	bpf_seq_write(ctx->meta->seq, &s->vma, len & LEN_MASK);
	return 0;
}
