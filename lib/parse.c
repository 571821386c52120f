#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int fail(const char **why, const char *reason)
{
	*why = reason;
	return -1;
}

int parse_key(const char *s, int *key, const char **why)
{
	char *end;
	if (!*s)
		return fail(why, "empty key");
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	if (s[0] == '-' && !hex) {
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (errno || *end || end == s)
			return fail(why, "not a number");
		if (v < -2147483648LL)
			return fail(why, "out of range for a key");
		*key = (int)v;
		return 0;
	}
	if (!isdigit((unsigned char)s[0]))
		return fail(why, "expected 0xHEX or a decimal number");
	errno = 0;
	unsigned long long v = strtoull(s, &end, hex ? 16 : 10);
	if (errno || *end || end == s + (hex ? 2 : 0))
		return fail(why, hex ? "not a hexadecimal number" : "not a decimal number");
	if (v > 0xffffffffULL)
		return fail(why, "out of range for a key (32 bits)");
	*key = (int)(unsigned)v;
	return 0;
}

int parse_uint(const char *s, unsigned long long max, unsigned long long *v, const char **why)
{
	char *end;
	if (!isdigit((unsigned char)s[0]))
		return fail(why, "not a non-negative number");
	errno = 0;
	unsigned long long r = strtoull(s, &end, 10);
	if (*end)
		return fail(why, "not a number");
	if (errno || r > max)
		return fail(why, "out of range");
	*v = r;
	return 0;
}

int parse_size(const char *s, unsigned long long *v, const char **why)
{
	char *end;
	if (!isdigit((unsigned char)s[0]))
		return fail(why, "not a size");
	errno = 0;
	unsigned long long n = strtoull(s, &end, 10);
	if (errno)
		return fail(why, "out of range");
	static const char units[] = "KMGTPE";
	unsigned long long mult = 1;
	if (*end) {
		const char *u = strchr(units, toupper((unsigned char)*end));
		if (!u)
			return fail(why, "unknown unit (use K, M, G, T, KiB, MiB, KB, MB, ...)");
		unsigned base = 1024;
		const char *rest = end + 1;
		if (!strcasecmp(rest, "iB") || !*rest)
			base = 1024;
		else if (!strcasecmp(rest, "B"))
			base = 1000;
		else
			return fail(why, "unknown unit (use K, M, G, T, KiB, MiB, KB, MB, ...)");
		for (int i = 0; i <= u - units; i++)
			mult *= base;
	}
	if (n && mult > ~0ULL / n)
		return fail(why, "out of range");
	*v = n * mult;
	return 0;
}

int parse_duration(const char *s, double *secs, const char **why)
{
	double total = 0;
	const char *p = s;
	if (!*p)
		return fail(why, "empty duration");
	while (*p) {
		char *end;
		if (!isdigit((unsigned char)*p) && *p != '.')
			return fail(why, "expected a number of s, m, h, d or w");
		errno = 0;
		double n = strtod(p, &end);
		/* strtod also takes exponents and hex (1e3, 0x10): digits and a point only */
		if (errno || end == p || !isfinite(n) || (size_t)(end - p) != strspn(p, "0123456789."))
			return fail(why, "not a number");
		double mult;
		switch (*end) {
		case '\0':
			/* a bare number is seconds, and only alone */
			if (p != s)
				return fail(why, "missing unit after a number");
			mult = 1;
			break;
		case 's': mult = 1; break;
		case 'm': mult = 60; break;
		case 'h': mult = 3600; break;
		case 'd': mult = 86400; break;
		case 'w': mult = 604800; break;
		default:
			return fail(why, "unknown unit (use s, m, h, d or w)");
		}
		total += n * mult;
		p = *end ? end + 1 : end;
	}
	*secs = total;
	return 0;
}

int parse_mode(const char *s, mode_t *mode, const char **why)
{
	size_t len = strlen(s);
	if (len == 9 && strspn(s, "rwx-") == 9) {
		static const char want[] = "rwxrwxrwx";
		mode_t m = 0;
		for (int i = 0; i < 9; i++) {
			if (s[i] == want[i])
				m |= 1u << (8 - i);
			else if (s[i] != '-')
				return fail(why, "expected rwx letters in order, or octal");
		}
		*mode = m;
		return 0;
	}
	if (!len || strspn(s, "01234567") != len)
		return fail(why, "expected octal (0600) or rwx text (rw-------)");
	unsigned long v = strtoul(s, NULL, 8);
	if (v > 0777)
		return fail(why, "only permission bits 0 to 0777");
	*mode = (mode_t)v;
	return 0;
}
