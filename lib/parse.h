/* Parsers for user input: keys, ids, sizes, modes, durations. Each returns
 * 0 or -1 with *why set to the reason, for a one-line error naming the value. */
#ifndef IPCX_PARSE_H
#define IPCX_PARSE_H

#include <stdbool.h>
#include <sys/types.h>

/* A System V key: 0xHEX or decimal, in the range of key_t (signed 32 bits
 * or its unsigned spelling). */
int parse_key(const char *s, int *key, const char **why);
/* A non-negative decimal integer up to max. */
int parse_uint(const char *s, unsigned long long max, unsigned long long *v, const char **why);
/* A size: N, NK, NM, NG, NT, NKiB ... (powers of 1024), NKB, NMB ... (powers of 1000). */
int parse_size(const char *s, unsigned long long *v, const char **why);
/* A duration: 30, 30s, 5m, 2h, 7d, 1w or combined (1h30m); fractions allowed. In seconds. */
int parse_duration(const char *s, double *secs, const char **why);
/* A mode: octal (0600, 600) or rwx text (rw-r-----). */
int parse_mode(const char *s, mode_t *mode, const char **why);

#endif
