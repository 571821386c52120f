#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

const char *ipcx_cmd;
int ipcx_usage_exit = EXIT_USAGE;

static void vmsg(const char *fmt, va_list ap)
{
	fflush(stdout);
	if (ipcx_cmd)
		fprintf(stderr, "ipcx: %s: ", ipcx_cmd);
	else
		fputs("ipcx: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void err_msg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

void die(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	exit(code);
}

void die_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	exit(ipcx_usage_exit);
}

void bad_option(char **argv, int c)
{
	extern int optind, optopt;
	const char *arg = argv[optind - 1];
	char shortopt[3] = { '-', (char)optopt, '\0' };
	/* a short option inside a cluster (-xJ) is named alone */
	if (optopt > 0 && optopt < 0x80 && arg[0] == '-' && arg[1] != '-')
		arg = shortopt;
	const char *cmd = ipcx_cmd ? ipcx_cmd : "";
	if (c == ':')
		die_usage("option '%s' needs a value (see ipcx %s --help)", arg, cmd);
	die_usage("invalid option '%s' (see ipcx %s --help)", arg, cmd);
}

static void *oom(void *p)
{
	if (!p)
		die(EXIT_RUNTIME, "out of memory");
	return p;
}

void *xmalloc(size_t n) { return oom(malloc(n ? n : 1)); }
void *xcalloc(size_t n, size_t size) { return oom(calloc(n ? n : 1, size ? size : 1)); }
void *xrealloc(void *p, size_t n) { return oom(realloc(p, n ? n : 1)); }
char *xstrdup(const char *s) { return oom(strdup(s)); }

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

void heap_expect(size_t bytes)
{
	static bool tuned;
	long page = sysconf(_SC_PAGESIZE);
#ifdef __SANITIZE_ADDRESS__
	/* AddressSanitizer's allocator would only hold the block in quarantine */
	return;
#endif
	if (bytes < 256 * 1024 || page <= 0)
		return;
	if (!tuned) {
		/*
		 * The block below must come from the heap, where the small
		 * allocations that follow will be carved, and must stay there
		 * once freed rather than be handed back to the kernel.
		 */
		mallopt(M_MMAP_THRESHOLD, 64 << 20);
		mallopt(M_TRIM_THRESHOLD, 256 << 20);
		tuned = true;
	}
	if (bytes > (size_t)48 << 20)
		bytes = (size_t)48 << 20;
	char *p = malloc(bytes);
	if (!p)
		return;
	uintptr_t start = ((uintptr_t)p + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
	uintptr_t end = ((uintptr_t)p + bytes) & ~((uintptr_t)page - 1);
	if (end > start)
		madvise((void *)start, end - start, MADV_POPULATE_WRITE);
	free(p);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return oom(s);
}

char *read_file(const char *path, size_t *lenp)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char *buf = read_all_fd(fd, lenp);
	int e = errno;
	close(fd);
	errno = e;
	return buf;
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

char *read_all_fd(int fd, size_t *lenp)
{
	size_t cap = 65536, len = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap)
			buf = xrealloc(buf, cap *= 2);
		ssize_t r = read(fd, buf + len, cap - len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

int read_ull(const char *path, unsigned long long *v)
{
	char *s = read_file(path, NULL);
	if (!s)
		return -errno;
	char *end;
	errno = 0;
	*v = strtoull(s, &end, 10);
	int bad = errno || end == s;
	free(s);
	return bad ? -EINVAL : 0;
}

const char *errtext(int err)
{
	static char buf[128];
	snprintf(buf, sizeof(buf), "%s", strerror(err));
	if (buf[0] >= 'A' && buf[0] <= 'Z')
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

char *ull_digits(char *end, unsigned long long v)
{
	do
		*--end = (char)('0' + v % 10);
	while (v /= 10);
	return end;
}
