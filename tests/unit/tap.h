/*
 * A tiny TAP producer shared by the unit tests. Each check prints
 * "ok N - name" or "not ok N - name" (with the values on failure, as TAP
 * comments), the plan "1..N" comes last, and tap_done() gives the exit
 * status: tests/run.sh counts the lines and a failing binary fails the run.
 *
 * Every macro evaluates its arguments once, so they may call functions.
 * Names take printf formats: CHECK(x > 0, "parse of %s", input). SKIP marks
 * a check that cannot run here; tap_exit_status runs code that is meant to
 * end the program (usage errors) in a child and reports how it ended.
 */
#ifndef IPCX_TAP_H
#define IPCX_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* counts of one test binary; static, as each binary is one file */
static int tap_n, tap_failed;

__attribute__((format(printf, 4, 0)))
static inline bool tap_vresult(bool ok, const char *file, int line, const char *fmt, va_list ap)
{
	printf("%sok %d - ", ok ? "" : "not ", ++tap_n);
	vprintf(fmt, ap);
	putchar('\n');
	if (!ok) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	/* tests fork; nothing buffered may be printed twice */
	fflush(stdout);
	return ok;
}

__attribute__((format(printf, 4, 5)))
static inline bool tap_check(bool ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tap_vresult(ok, file, line, fmt, ap);
	va_end(ap);
	return ok;
}

/* A diagnostic line with a string quoted as in C, bytes outside printable
 * ASCII as \xNN, so that the TAP stream stays text whatever it holds. */
static inline void tap_show(const char *label, const char *s)
{
	printf("#   %s ", label);
	if (!s) {
		puts("NULL");
		return;
	}
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			printf("\\x%02x", *p);
		else
			putchar(*p);
	}
	puts("\"");
}

__attribute__((format(printf, 6, 7)))
static inline bool tap_check_str(const char *got, const char *want, bool own,
				 const char *file, int line, const char *fmt, ...)
{
	bool ok = (!got && !want) || (got && want && !strcmp(got, want));
	va_list ap;
	va_start(ap, fmt);
	tap_vresult(ok, file, line, fmt, ap);
	va_end(ap);
	if (!ok) {
		tap_show("got: ", got);
		tap_show("want:", want);
	}
	if (own)
		free((void *)got);
	return ok;
}

__attribute__((format(printf, 5, 6)))
static inline bool tap_check_eq(long long got, long long want, const char *file, int line,
				const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tap_vresult(got == want, file, line, fmt, ap);
	va_end(ap);
	if (got != want)
		printf("#   got:  %lld\n#   want: %lld\n", got, want);
	return got == want;
}

__attribute__((format(printf, 5, 6)))
static inline bool tap_check_ueq(unsigned long long got, unsigned long long want,
				 const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tap_vresult(got == want, file, line, fmt, ap);
	va_end(ap);
	if (got != want)
		printf("#   got:  %llu\n#   want: %llu\n", got, want);
	return got == want;
}

/* A check that cannot run here (no privileges, ...); counted as a skip. */
__attribute__((format(printf, 2, 3)))
static inline void tap_skip(const char *why, const char *fmt, ...)
{
	va_list ap;
	printf("ok %d - ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # skip %s\n", why);
	fflush(stdout);
}

/*
 * Runs fn(arg) in a child process with its standard error in err (cut to
 * errlen - 1 bytes, NUL-terminated) and returns its exit status, or 128 plus
 * the signal that ended it. For the paths that end the program on bad
 * input: the test sees the message and the code without exiting itself.
 */
static inline int tap_exit_status(void (*fn)(const void *), const void *arg, char *err,
				  size_t errlen)
{
	int fds[2];
	err[0] = '\0';
	fflush(NULL);
	if (pipe(fds) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		close(fds[1]);
		fn(arg);
		/* fn was to exit: returning is its own status, seen as a failure */
		_exit(99);
	}
	close(fds[1]);
	size_t n = 0;
	char sink[256];
	/* read to the end, past errlen too, so that the child never blocks */
	for (;;) {
		size_t room = errlen - 1 - n;
		ssize_t r = read(fds[0], room ? err + n : sink, room ? room : sizeof(sink));
		if (r <= 0)
			break;
		if (room)
			n += (size_t)r;
	}
	err[n] = '\0';
	close(fds[0]);
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Prints the plan; the exit status of main. A binary that checked nothing
 * has lost its tests, which is a failure too. */
static inline int tap_done(void)
{
	if (!tap_n)
		tap_check(false, __FILE__, __LINE__, "at least one check ran");
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#define CHECK(cond, ...) tap_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
/* Strings equal, or both NULL. */
#define CHECK_STR(got, want, ...) \
	tap_check_str((got), (want), false, __FILE__, __LINE__, __VA_ARGS__)
/* The same, and frees got: for the malloc'd results of the formatters. */
#define CHECK_STR_FREE(got, want, ...) \
	tap_check_str((got), (want), true, __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_EQ(got, want, ...) \
	tap_check_eq((long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_UEQ(got, want, ...) \
	tap_check_ueq((unsigned long long)(got), (unsigned long long)(want), __FILE__, \
		      __LINE__, __VA_ARGS__)
#define SKIP(why, ...) tap_skip((why), __VA_ARGS__)

#endif
