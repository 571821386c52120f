/* Unit tests of lib/parse.c: the parsers of keys, numbers, sizes, durations
 * and modes that every command uses for its arguments. */
#include <limits.h>
#include <stdint.h>

#include "parse.h"
#include "tap.h"

/* A sentinel a parser must leave alone when it refuses its input: bad input
 * changes nothing. */
#define UNTOUCHED 0x5a5a5a5a

static void key_ok(const char *s, int want)
{
	int key = UNTOUCHED;
	const char *why = NULL;
	int r = parse_key(s, &key, &why);
	if (CHECK(r == 0, "parse_key accepts '%s'", s))
		CHECK_EQ(key, want, "parse_key '%s' value", s);
	else
		printf("#   why: %s\n", why ? why : "(none)");
}

static void key_bad(const char *s, const char *label)
{
	int key = UNTOUCHED;
	const char *why = NULL;
	int r = parse_key(s, &key, &why);
	CHECK(r == -1 && why && *why && key == UNTOUCHED, "parse_key rejects %s", label);
}

static void test_key(void)
{
	key_ok("0x1234abcd", 0x1234abcd);
	key_ok("0X10", 16);
	key_ok("0xABCDEF", 0xabcdef);
	key_ok("0x0", 0);
	key_ok("0", 0);
	key_ok("305419896", 0x12345678);
	/* the kernel prints keys with %d: 0xdeadbeef reads as a negative number */
	key_ok("-559038737", (int)0xdeadbeefu);
	key_ok("-1", -1);
	key_ok("-2147483648", INT_MIN);
	key_ok("2147483647", INT_MAX);
	/* the unsigned spellings of the same 32 bits */
	key_ok("0xffffffff", -1);
	key_ok("4294967295", -1);
	key_ok("0x80000000", INT_MIN);
	key_ok("3735928559", (int)0xdeadbeefu);

	key_bad("0x100000000", "0x100000000 (33 bits)");
	key_bad("4294967296", "4294967296 (33 bits)");
	key_bad("-2147483649", "-2147483649 (below a signed key)");
	key_bad("99999999999999999999999", "a decimal past 64 bits");
	key_bad("0xffffffffffffffffffff", "a hex number past 64 bits");
	key_bad("-99999999999999999999999", "a negative number past 64 bits");
	key_bad("", "the empty string");
	key_bad("0x", "a bare 0x");
	key_bad("0xg1", "0x followed by a non-hex digit");
	key_bad("0x-1", "0x-1");
	key_bad("12abc", "trailing garbage");
	key_bad("abc", "letters");
	key_bad(" 12", "a leading space");
	key_bad("12 ", "a trailing space");
	key_bad("+12", "a plus sign");
	key_bad("-", "a bare minus");
	key_bad("--1", "two minus signs");
	key_bad("-0x10", "a negative hex number");

	const char *why = NULL;
	int key;
	parse_key("", &key, &why);
	CHECK_STR(why, "empty key", "parse_key names the empty key");
}

static void uint_ok(const char *s, unsigned long long max, unsigned long long want)
{
	unsigned long long v = UNTOUCHED;
	const char *why = NULL;
	if (CHECK(parse_uint(s, max, &v, &why) == 0, "parse_uint accepts '%s' up to %llu", s, max))
		CHECK_UEQ(v, want, "parse_uint '%s' value", s);
}

static void uint_bad(const char *s, unsigned long long max, const char *label)
{
	unsigned long long v = UNTOUCHED;
	const char *why = NULL;
	int r = parse_uint(s, max, &v, &why);
	CHECK(r == -1 && why && *why && v == UNTOUCHED, "parse_uint rejects %s", label);
}

static void test_uint(void)
{
	uint_ok("0", 10, 0);
	uint_ok("42", 100, 42);
	uint_ok("10", 10, 10);
	uint_ok("007", 10, 7);
	uint_ok("18446744073709551615", ULLONG_MAX, ULLONG_MAX);
	uint_bad("11", 10, "a value over its maximum");
	uint_bad("2147483648", 0x7fffffff, "an id past INT_MAX");
	uint_bad("18446744073709551616", ULLONG_MAX, "a value past 64 bits");
	/* strtoull would take these; an id or a count must not */
	uint_bad("-1", ULLONG_MAX, "a negative number");
	uint_bad(" 1", 10, "a leading space");
	uint_bad("+1", 10, "a plus sign");
	uint_bad("", 10, "the empty string");
	uint_bad("1x", 10, "trailing garbage");
	uint_bad("0x10", 100, "hex");
}

static void size_ok(const char *s, unsigned long long want)
{
	unsigned long long v = UNTOUCHED;
	const char *why = NULL;
	int r = parse_size(s, &v, &why);
	if (CHECK(r == 0, "parse_size accepts '%s'", s))
		CHECK_UEQ(v, want, "parse_size '%s' value", s);
	else
		printf("#   why: %s\n", why ? why : "(none)");
}

static void size_bad(const char *s, const char *label)
{
	unsigned long long v = UNTOUCHED;
	const char *why = NULL;
	int r = parse_size(s, &v, &why);
	CHECK(r == -1 && why && *why && v == UNTOUCHED, "parse_size rejects %s", label);
}

static void test_size(void)
{
	size_ok("0", 0);
	size_ok("4096", 4096);
	size_ok("1K", 1024);
	size_ok("4M", 4ULL << 20);
	size_ok("2G", 2ULL << 30);
	size_ok("1T", 1ULL << 40);
	size_ok("1P", 1ULL << 50);
	size_ok("15E", 15ULL << 60);
	size_ok("3KiB", 3072);
	size_ok("1MiB", 1ULL << 20);
	size_ok("1GiB", 1ULL << 30);
	/* KB, MB ... are powers of 1000, as util-linux and disk vendors count */
	size_ok("1KB", 1000);
	size_ok("5MB", 5000000);
	size_ok("1GB", 1000000000);
	size_ok("2TB", 2000000000000ULL);
	/* units in any case */
	size_ok("1k", 1024);
	size_ok("1m", 1ULL << 20);
	size_ok("3kib", 3072);
	size_ok("1kb", 1000);
	size_ok("1Kib", 1024);
	size_ok("0T", 0);
	size_ok("18446744073709551615", ULLONG_MAX);
	size_ok("17179869183G", 17179869183ULL << 30);

	size_bad("16E", "16E (2^64)");
	size_bad("17179869184G", "17179869184G (2^64)");
	size_bad("18446744073709551616", "a number past 64 bits");
	size_bad("99999999999T", "a product past 64 bits");
	size_bad("1X", "an unknown unit");
	size_bad("1Kx", "garbage after a unit");
	size_bad("1KiBs", "garbage after KiB");
	size_bad("1iB", "iB without a power");
	size_bad("1 K", "a space before the unit");
	size_bad("1.5K", "a fraction");
	size_bad("K", "a unit alone");
	size_bad("", "the empty string");
	size_bad("-1", "a negative size");
	size_bad(" 1", "a leading space");
}

static void dur_ok(const char *s, double want)
{
	double v = UNTOUCHED;
	const char *why = NULL;
	int r = parse_duration(s, &v, &why);
	if (CHECK(r == 0, "parse_duration accepts '%s'", s)) {
		/* every expected value is exact in binary: compare exactly */
		if (!CHECK(v == want, "parse_duration '%s' is %g s", s, want))
			printf("#   got: %g\n", v);
	} else {
		printf("#   why: %s\n", why ? why : "(none)");
	}
}

static void dur_bad(const char *s, const char *label, const char *want_why)
{
	double v = UNTOUCHED;
	const char *why = NULL;
	int r = parse_duration(s, &v, &why);
	CHECK(r == -1 && why && *why && v == UNTOUCHED, "parse_duration rejects %s", label);
	if (want_why)
		CHECK_STR(why, want_why, "parse_duration says why for %s", label);
}

static void test_duration(void)
{
	dur_ok("30", 30);
	dur_ok("30s", 30);
	dur_ok("5m", 300);
	dur_ok("2h", 7200);
	dur_ok("7d", 604800);
	dur_ok("1w", 604800);
	dur_ok("1h30m", 5400);
	dur_ok("1d12h", 129600);
	dur_ok("1w1d1h1m1s", 694861);
	dur_ok("1.5h", 5400);
	dur_ok(".5m", 30);
	dur_ok("0", 0);
	dur_ok("0s", 0);

	dur_bad("", "the empty string", "empty duration");
	dur_bad("5x", "an unknown unit", "unknown unit (use s, m, h, d or w)");
	/* a bare number is seconds only when it stands alone */
	dur_bad("1h30", "a number without a unit after another", "missing unit after a number");
	dur_bad("h", "a unit alone", NULL);
	dur_bad("5ms", "two units in a row", NULL);
	dur_bad("1h 30m", "a space inside", NULL);
	dur_bad("5m ", "a trailing space", NULL);
	dur_bad("-5s", "a negative duration", NULL);
	dur_bad(".s", "a dot without digits", NULL);
	dur_bad("1e999s", "an overflowing number", NULL);
	/* strtod reads exponents and hex, which the grammar does not have */
	dur_bad("1e3s", "an exponent", NULL);
	dur_bad("0x10m", "a hex number", NULL);
}

static void mode_ok(const char *s, mode_t want)
{
	mode_t m = UNTOUCHED;
	const char *why = NULL;
	int r = parse_mode(s, &m, &why);
	if (CHECK(r == 0, "parse_mode accepts '%s'", s))
		CHECK_EQ(m, want, "parse_mode '%s' is 0%o", s, (unsigned)want);
	else
		printf("#   why: %s\n", why ? why : "(none)");
}

static void mode_bad(const char *s, const char *label)
{
	mode_t m = UNTOUCHED;
	const char *why = NULL;
	int r = parse_mode(s, &m, &why);
	CHECK(r == -1 && why && *why && m == UNTOUCHED, "parse_mode rejects %s", label);
}

static void test_mode(void)
{
	mode_ok("0600", 0600);
	mode_ok("600", 0600);
	mode_ok("0", 0);
	mode_ok("777", 0777);
	mode_ok("0777", 0777);
	mode_ok("00644", 0644);
	/* nine characters, but digits: octal, not text */
	mode_ok("000000644", 0644);
	mode_ok("rw-r-----", 0640);
	mode_ok("rwxrwxrwx", 0777);
	mode_ok("---------", 0);
	mode_ok("r--------", 0400);
	mode_ok("--------x", 0001);
	mode_ok("-w--w--w-", 0222);

	mode_bad("1777", "the sticky bit (over 0777)");
	mode_bad("01000", "01000");
	mode_bad("4755", "setuid");
	mode_bad("99999999999999999999999", "an overflowing octal");
	mode_bad("wr-------", "letters out of order");
	mode_bad("rwxrwxrwa", "an unknown letter");
	mode_bad("rwsr-xr-x", "setuid text");
	mode_bad("rw-r--r", "eight characters");
	mode_bad("rw-r--r---", "ten characters");
	mode_bad("-rw-r--r--", "ls -l text with a type character");
	mode_bad("", "the empty string");
	mode_bad("8", "a digit that is not octal");
	mode_bad("0x1ff", "hex");
	mode_bad("-1", "a negative number");
	mode_bad(" 600", "a leading space");
}

int main(void)
{
	test_key();
	test_uint();
	test_size();
	test_duration();
	test_mode();
	return tap_done();
}
