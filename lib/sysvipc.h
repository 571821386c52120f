/*
 * One sequential read of /proc/sysvipc/{shm,msg,sem}: the header names the
 * columns, so kinds ask for fields by name and survive added columns.
 */
#ifndef IPCX_SYSVIPC_H
#define IPCX_SYSVIPC_H

#include <stdbool.h>

#define SYSVIPC_MAXCOLS 32

struct sysvipc {
	char *buf, *pos;
	int ncols;
	char *names[SYSVIPC_MAXCOLS];
	char *tok[SYSVIPC_MAXCOLS];
};

/* Reads the whole file; -errno on failure. */
int sysvipc_open(struct sysvipc *s, const char *path);
/* Index of a header column, or -1 when this kernel has none. */
int sysvipc_col(const struct sysvipc *s, const char *name);
/* Advances to the next row; false at the end. */
bool sysvipc_next(struct sysvipc *s);
/* Field of the current row: decimal, signed decimal, octal. 0 when idx < 0. */
unsigned long long sysvipc_u(const struct sysvipc *s, int idx);
long long sysvipc_s(const struct sysvipc *s, int idx);
unsigned sysvipc_oct(const struct sysvipc *s, int idx);
void sysvipc_close(struct sysvipc *s);

#endif
