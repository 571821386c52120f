/*
 * One JSON object per line, for streams (recv --follow, and later trace):
 * libsmartcols prints whole tables only, so streamed records are written
 * here, with the same typing rules (numbers are numbers, absent is null).
 */
#ifndef IPCX_JSON_H
#define IPCX_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Whether s holds valid UTF-8 (and no NUL). */
bool utf8_valid(const char *s, size_t len);
/* Writes s as a JSON string; invalid UTF-8 bytes are written as \\xNN text. */
void json_str(FILE *f, const char *s, size_t len);
/* Writes data as base64 inside quotes. */
void json_base64(FILE *f, const unsigned char *data, size_t len);

#endif
