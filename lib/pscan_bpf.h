/*
 * The kernel's BPF iterators over tasks, descriptors and mappings, as
 * the fast source of lib/pscan.c's walk: a few reads instead of a few
 * system calls per descriptor. Needs CAP_BPF and CAP_PERFMON (root), a
 * kernel with BTF, and our PID namespace to be the initial one (the
 * iterators give the initial namespace's pids).
 */
#ifndef IPCX_PSCAN_BPF_H
#define IPCX_PSCAN_BPF_H

#include <linux/types.h>
#include <stdbool.h>

#include "bpf/pscan_rec.h"

enum psbpf_iter { PSBPF_TASKS, PSBPF_FDS, PSBPF_VMAS, PSBPF_NITERS };

/*
 * Whether the iterators may serve: the first psbpf_read_set loads all
 * three, and one the kernel refuses is reported through psbpf_failed.
 * When they cannot, *why says why. IPCX_PSCAN=proc in the environment turns them
 * off; IPCX_PSCAN=bpf makes their absence an error.
 */
bool psbpf_ready(const char **why);

/*
 * Runs one iterator over the whole machine into a buffer of its own,
 * kept for the next run (top walks every few seconds), loading it first
 * if it is not yet. Returns 0 or -errno.
 */
int psbpf_read(enum psbpf_iter it);

/*
 * psbpf_read of each iterator in set (bit 1 << iterator), at the same
 * time, and the loading of those not yet loaded. err gets each one's
 * result: of its read, or of its loading for one not in set.
 */
void psbpf_read_set(unsigned set, int err[PSBPF_NITERS]);

/*
 * Calls each for every record that the last psbpf_read of it gave, in
 * pid order. Returns 0, or -EPROTO for a record that does not fit.
 */
int psbpf_walk(enum psbpf_iter it, void (*each)(const struct psrec_hdr *r, void *arg), void *arg);

/* Whether the kernel refused to load iterator it. */
bool psbpf_refused(enum psbpf_iter it);

/*
 * Iterator it could not be loaded or read (-err): the iterators are not
 * used again in this run, or, with IPCX_PSCAN=bpf, the run ends with the
 * reason.
 */
void psbpf_failed(enum psbpf_iter it, int err);

#endif
