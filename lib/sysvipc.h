/*
 * One sequential read of /proc/sysvipc/{shm,msg,sem}: the header names the
 * columns, so kinds ask for fields by name and survive added columns. The
 * file is parsed as it is read, a window at a time.
 */
#ifndef IPCX_SYSVIPC_H
#define IPCX_SYSVIPC_H

#include <stdbool.h>
#include <stddef.h>

#define SYSVIPC_MAXCOLS 32

struct sysvipc {
	int fd;
	char *buf;		/* the window; buf[start, end) is not parsed yet */
	size_t cap, start, end;
	bool eof;
	int err;		/* errno of a failed read, 0 if none */
	char *hdr;
	int ncols;
	char *names[SYSVIPC_MAXCOLS];
	char *tok[SYSVIPC_MAXCOLS];
	/* each token's value when it is a plain decimal number (dec), read as it was split */
	unsigned long long val[SYSVIPC_MAXCOLS];
	bool dec[SYSVIPC_MAXCOLS];
};

/* Opens the file and reads its header; -errno on failure. */
int sysvipc_open(struct sysvipc *s, const char *path);
/* Index of a header column, or -1 when this kernel has none. */
int sysvipc_col(const struct sysvipc *s, const char *name);
/* Advances to the next row; false at the end or on a read error. */
bool sysvipc_next(struct sysvipc *s);
/* Field of the current row: decimal, signed decimal, octal. 0 when idx < 0. */
unsigned long long sysvipc_u(const struct sysvipc *s, int idx);
long long sysvipc_s(const struct sysvipc *s, int idx);
unsigned sysvipc_oct(const struct sysvipc *s, int idx);
/* 0, or -errno when a read failed part way: the rows seen are incomplete. */
int sysvipc_close(struct sysvipc *s);

#endif
