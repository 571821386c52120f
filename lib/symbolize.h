/*
 * An address in another process, named by the ELF symbol that contains
 * it: the mapping from /proc/PID/maps, the file's .symtab and .dynsym
 * read with <elf.h>, and the mapping's load bias.
 */
#ifndef IPCX_SYMBOLIZE_H
#define IPCX_SYMBOLIZE_H

#include <stdint.h>
#include <sys/types.h>

/*
 * "handler_usr1+0x0 (/usr/bin/prog)"; the file alone ("(/usr/lib/x.so)")
 * when no symbol covers the address; NULL when no file is mapped there.
 * The caller frees it.
 */
char *symbolize(pid_t pid, uint64_t addr);

#endif
