/*
 * sa_flags of a signal action, as the kernel stores them (struct
 * k_sigaction on x86-64, read back by rt_sigaction): names and decoding.
 */
#ifndef IPCX_SAFLAGS_H
#define IPCX_SAFLAGS_H

#include <stdint.h>

struct saflag {
	uint64_t bit;
	const char *name;
	const char *help;	/* what the flag does, for the man page and --help */
};

extern const struct saflag saflags[];
extern const unsigned nsaflags;

/*
 * "SA_SIGINFO,SA_RESTART,SA_RESTORER"; bits without a name follow as one
 * hexadecimal number ("SA_RESTART,0x200"); "" when none is set. The caller
 * frees it.
 */
char *saflags_str(uint64_t flags);

#endif
