/* Error reporting and small allocation helpers shared by every command. */
#ifndef IPCX_UTIL_H
#define IPCX_UTIL_H

#include <stddef.h>
#include <stdbool.h>

/* Exit codes of every command but check. */
enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

/* Name of the running command, for "ipcx: CMD: ..." messages. */
extern const char *ipcx_cmd;
/* The exit code of die_usage: EXIT_USAGE, or 3 (UNKNOWN) for check, as
 * the monitoring-plugin guidelines ask of bad arguments. */
extern int ipcx_usage_exit;

void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the message and exits with code. */
_Noreturn void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
_Noreturn void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The usage error for what getopt_long refused (c is ':' for a missing
 * value), in ipcx's own words: "ipcx: CMD: invalid option '--x'".
 */
_Noreturn void bad_option(char **argv, int c);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Tells the allocator that about this many bytes of small allocations are
 * coming, so that the pages they will land on are faulted in by one call
 * rather than one fault at a time (MADV_POPULATE_WRITE, Linux 5.14+;
 * nothing happens on older kernels). A first touch of a page costs
 * microseconds on virtual machines: a listing of 10,000 objects spent
 * about a third of its time in these faults. Small amounts are ignored.
 */
void heap_expect(size_t bytes);

/* Reads a whole small file (proc, sysfs) into a NUL-terminated buffer. */
char *read_file(const char *path, size_t *len);
/* Reads everything from fd (standard input for messages and shm data). */
char *read_all_fd(int fd, size_t *len);
/* Writes all of buf; -errno on failure. */
int write_all(int fd, const void *buf, size_t len);
/* Reads one unsigned number from a file; -errno on failure. */
int read_ull(const char *path, unsigned long long *v);

/*
 * Decimal digits of v, written backwards ending at end (no NUL); returns
 * the first. Listings and frames format a number for nearly every cell,
 * and printf-family calls were a tenth of a large listing. ULL_DIGITS
 * bytes are always enough.
 */
#define ULL_DIGITS 20
char *ull_digits(char *end, unsigned long long v);

/* strerror in the lower case of ipcx's messages ("no such process"); static. */
const char *errtext(int err);

#endif
