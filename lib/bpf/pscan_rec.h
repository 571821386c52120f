/*
 * The records the process iterators (lib/bpf/pscan.bpf.c) write and
 * lib/pscan_bpf.c reads: a fixed part, then for fds and mappings the
 * path d_path() gives (what /proc's links and maps show), NUL included.
 * Each record is padded to 8 bytes.
 */
#ifndef IPCX_BPF_PSCAN_REC_H
#define IPCX_BPF_PSCAN_REC_H

#define PSREC_PATH_MAX 4096

enum psrec_type { PSREC_TASK = 1, PSREC_FD, PSREC_VMA };

struct psrec_hdr {
	__u32 type;
	__u32 len;		/* of the whole record, padding included */
	__s32 tgid;
	__s32 tid;		/* the task the iterator was at */
};

/* Every task: a leader names its process; a sleeping thread its call. */
struct psrec_task {
	struct psrec_hdr h;
	__s32 tid;
	__u32 same_ipcns;	/* 1: in the reader's IPC namespace */
	__s64 nr;		/* system call number, -1 when not in one */
	__u64 arg0;
	__u32 sleeping;		/* neither running nor exiting */
	__u32 kthread;
	char comm[16];
};

/* What an anon inode holds, where its fdinfo would be read for it. */
enum psrec_anon { PSANON_NONE, PSANON_EVENTFD, PSANON_SIGNALFD };

/* Files whose link is "socket:[INODE]" or "pipe:[INODE]", sent without it. */
enum psrec_pseudo { PSPSEUDO_NONE, PSPSEUDO_SOCKET, PSPSEUDO_PIPE };

struct psrec_fd {
	struct psrec_hdr h;
	__s32 fd;
	__u32 fmode;		/* FMODE_READ 1, FMODE_WRITE 2 */
	__u64 ino;
	__u32 dev;		/* kernel dev_t: major << 20 | minor */
	__u32 mode;		/* i_mode */
	__s32 pathlen;		/* with the NUL; <= 0 when d_path failed */
	__u32 anon;		/* enum psrec_anon */
	__u64 value;		/* eventfd count, signalfd mask */
	__u32 efd_flags;	/* eventfd: EFD_SEMAPHORE 1 */
	__s32 efd_id;
	__u32 pseudo;		/* enum psrec_pseudo: the link is made of ino, no path */
	__u32 spare;
	/* path follows */
};

struct psrec_vma {
	struct psrec_hdr h;
	__u64 start, end, flags, pgoff, ino;
	__u32 dev;
	__s32 pathlen;
	/* path follows */
};

#endif
