#include "sysvipc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/*
 * The file is parsed through a window of this size rather than read whole:
 * with 10,000 objects the file is over a megabyte, and on virtual machines
 * where a first touch of a page costs microseconds, filling a buffer that
 * large was a tenth of the page faults of a listing.
 */
#define SYSVIPC_WINDOW 65536

/*
 * Splits line at blanks into tok; where val is given, each token's
 * decimal value too, in the same pass (dec says which tokens are plain
 * decimal numbers): the kernel writes nothing else in most columns, and
 * reading each number again was a tenth of a refresh's own work.
 */
static int split(char *line, char **tok, unsigned long long *val, bool *dec)
{
	int n = 0;
	char *p = line;
	while (*p && n < SYSVIPC_MAXCOLS) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		tok[n] = p;
		unsigned long long v = 0;
		bool plain = true;
		for (; *p && *p != ' ' && *p != '\t'; p++) {
			unsigned d = (unsigned)(*p - '0');
			if (d > 9 || v > (~0ULL - d) / 10)
				plain = false;
			else
				v = v * 10 + d;
		}
		if (val) {
			val[n] = v;
			dec[n] = plain;
		}
		n++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

/* Moves the unparsed tail to the front and reads more after it. */
static void fill(struct sysvipc *s)
{
	if (s->start) {
		memmove(s->buf, s->buf + s->start, s->end - s->start);
		s->end -= s->start;
		s->start = 0;
	}
	/* a line longer than the window: widen it */
	if (s->end + 1 >= s->cap)
		s->buf = xrealloc(s->buf, s->cap *= 2);
	for (;;) {
		ssize_t r = read(s->fd, s->buf + s->end, s->cap - s->end - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			s->err = errno;
		if (r <= 0)
			s->eof = true;
		else
			s->end += (size_t)r;
		return;
	}
}

/* The next line, NUL-terminated in place; valid until the next call. */
static char *next_line(struct sysvipc *s)
{
	for (;;) {
		char *line = s->buf + s->start;
		char *nl = memchr(line, '\n', s->end - s->start);
		if (nl) {
			*nl = '\0';
			s->start = (size_t)(nl + 1 - s->buf);
			return line;
		}
		if (s->eof) {
			if (s->start == s->end || s->err)
				return NULL;
			/* a last line without a newline; fill() kept a byte free */
			s->buf[s->end] = '\0';
			s->start = s->end;
			return line;
		}
		fill(s);
	}
}

int sysvipc_open(struct sysvipc *s, const char *path)
{
	memset(s, 0, sizeof(*s));
	s->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0)
		return -errno;
	s->cap = SYSVIPC_WINDOW;
	s->buf = xmalloc(s->cap);
	char *hdr = next_line(s);
	if (!hdr) {
		int r = s->err ? -s->err : -EINVAL;
		sysvipc_close(s);
		return r;
	}
	/* the window moves on: the column names keep a copy of their own */
	s->hdr = xstrdup(hdr);
	s->ncols = split(s->hdr, s->names, NULL, NULL);
	return 0;
}

int sysvipc_col(const struct sysvipc *s, const char *name)
{
	for (int i = 0; i < s->ncols; i++)
		if (!strcmp(s->names[i], name))
			return i;
	return -1;
}

bool sysvipc_next(struct sysvipc *s)
{
	char *line;
	while ((line = next_line(s))) {
		int n = split(line, s->tok, s->val, s->dec);
		if (n >= s->ncols)
			return true;
	}
	return false;
}

/*
 * The kernel writes plain numbers: they are read digit by digit, and only
 * anything else (a sign, an overflow) goes through strtoull. strtoull's
 * locale and base handling was half the cost of reading 10,000 rows.
 */
static bool plain_digits(const char *p, unsigned base, unsigned long long *v)
{
	unsigned long long r = 0;
	const char *start = p;
	for (; *p; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (d >= base || r > (~0ULL - d) / base)
			return false;
		r = r * base + d;
	}
	*v = r;
	return p != start;
}

unsigned long long sysvipc_u(const struct sysvipc *s, int idx)
{
	if (idx < 0)
		return 0;
	if (s->dec[idx])
		return s->val[idx];
	return strtoull(s->tok[idx], NULL, 10);
}

long long sysvipc_s(const struct sysvipc *s, int idx)
{
	if (idx < 0)
		return 0;
	if (s->dec[idx] && s->val[idx] <= (unsigned long long)LLONG_MAX)
		return (long long)s->val[idx];
	return strtoll(s->tok[idx], NULL, 10);
}

unsigned sysvipc_oct(const struct sysvipc *s, int idx)
{
	unsigned long long v;
	if (idx < 0)
		return 0;
	if (plain_digits(s->tok[idx], 8, &v))
		return (unsigned)v;
	return (unsigned)strtoul(s->tok[idx], NULL, 8);
}

int sysvipc_close(struct sysvipc *s)
{
	int r = -s->err;
	if (s->buf)
		close(s->fd);
	free(s->buf);
	free(s->hdr);
	memset(s, 0, sizeof(*s));
	return r;
}
