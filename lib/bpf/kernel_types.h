/*
 * The few kernel structures the iterators read, with only the fields
 * they use. preserve_access_index makes every access a CO-RE relocation:
 * libbpf moves it to the running kernel's offset (from its BTF) at load
 * time, so no header generated from one kernel's BTF is needed to build.
 */
#ifndef IPCX_BPF_KERNEL_TYPES_H
#define IPCX_BPF_KERNEL_TYPES_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed int __s32;
typedef signed long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef __u32 dev_t;
typedef _Bool bool;
#define true 1
#define false 0

enum bpf_map_type { BPF_MAP_TYPE_PERCPU_ARRAY = 6 };

#define CORE __attribute__((preserve_access_index))

struct ipc_namespace;

struct nsproxy {
	struct ipc_namespace *ipc_ns;
} CORE;

struct pt_regs {
	unsigned long di;
	unsigned long orig_ax;
} CORE;

struct task_struct {
	unsigned int __state;
	unsigned int flags;
	int exit_state;
	int pid;
	int tgid;
	char comm[16];
	struct nsproxy *nsproxy;
	struct fs_struct *fs;
} CORE;

struct super_block {
	dev_t s_dev;
	unsigned long s_magic;
} CORE;

struct inode {
	unsigned short i_mode;
	unsigned long i_ino;
	struct super_block *i_sb;
} CORE;

struct qstr {
	__u32 len;
	const unsigned char *name;
} CORE;

struct hlist_bl_node {
	struct hlist_bl_node *next, **pprev;
} CORE;

struct dentry {
	struct hlist_bl_node d_hash;
	struct dentry *d_parent;
	struct qstr d_name;
	struct super_block *d_sb;
} CORE;

struct vfsmount {
	struct dentry *mnt_root;
} CORE;

/* what a vfsmount is embedded in */
struct mount {
	struct mount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct vfsmount mnt;
} CORE;

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
} CORE;

struct fs_struct {
	struct path root;
} CORE;

struct file {
	struct path f_path;
	struct inode *f_inode;
	unsigned int f_mode;
	void *private_data;
} CORE;

struct eventfd_ctx {
	__u64 count;
	unsigned int flags;
	int id;
} CORE;

typedef struct {
	unsigned long sig[1];
} sigset_t;

struct signalfd_ctx {
	sigset_t sigmask;
};

struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	unsigned long vm_flags;
	unsigned long vm_pgoff;
	struct file *vm_file;
} CORE;

struct seq_file;

/*
 * Without CORE, laid out as the kernel's ABI fixes them: the iterators'
 * contexts, and a signalfd's context (its mask alone). Each type that
 * starts a relocated access costs the kernel a search of its whole BTF,
 * about 4 ms, at every load, unless its small cache of such searches
 * (31 slots, by a hash of the name) keeps it; eventfd_ctx and
 * signalfd_ctx take the same slot, as did these contexts with others.
 * The types left are the fewest the iterators need, in slots of their
 * own.
 */
struct bpf_iter_meta {
	struct seq_file *seq;
};

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
};

struct bpf_iter__task_file {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
	__u32 fd;
	struct file *file;
};

struct bpf_iter__task_vma {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
	struct vm_area_struct *vma;
};

#endif
