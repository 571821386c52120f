/* Unit tests of lib/symbolize.c against this program's own functions. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "symbolize.h"
#include "tap.h"

__attribute__((noinline)) int known_function(int x)
{
	return x * 3 + 1;
}

int main(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	uint64_t a = (uint64_t)(uintptr_t)&known_function;

	char *want = NULL, *got = symbolize(getpid(), a);
	if (asprintf(&want, "known_function+0x0 (%s)", exe) < 0)
		return 1;
	CHECK_STR(got, want, "the start of a function");
	free(got);
	free(want);

	got = symbolize(getpid(), a + 2);
	if (asprintf(&want, "known_function+0x2 (%s)", exe) < 0)
		return 1;
	CHECK_STR(got, want, "an offset inside it");
	free(got);
	free(want);

	/* a library's exported function, through its .dynsym at least */
	got = symbolize(getpid(), (uint64_t)(uintptr_t)&getpid);
	CHECK(got && strstr(got, "getpid+0x0 (") && strstr(got, "libc"), "getpid in the C library: %s",
	      got ? got : "(null)");
	free(got);

	/* memory that no file backs */
	char *heap = malloc(64);
	got = symbolize(getpid(), (uint64_t)(uintptr_t)heap);
	CHECK(got == NULL, "heap memory has no symbol");
	free(got);
	free(heap);
	return tap_done();
}
