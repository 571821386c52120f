#include "timefmt.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

static char *relative(time_t t, time_t now)
{
	long long d = (long long)now - (long long)t;
	const char *suffix = " ago";
	if (d < 0) {
		d = -d;
		suffix = " from now";
	}
	if (d < 60)
		return xasprintf("%llds%s", d, suffix);
	if (d < 3600)
		return xasprintf("%lldm%s", d / 60, suffix);
	if (d < 86400)
		return xasprintf("%lldh%s", d / 3600, suffix);
	return xasprintf("%lldd%s", d / 86400, suffix);
}

char *format_time(time_t t, enum time_fmt tf, time_t now)
{
	struct tm tm, tm_now;
	char buf[64];
	if (tf == TF_RELATIVE)
		return relative(t, now);
	localtime_r(&t, &tm);
	if (tf == TF_ISO) {
		/* %z gives +hhmm; ISO 8601 extended form and util-linux write +hh:mm */
		size_t n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S%z", &tm);
		if (n >= 5) {
			memmove(buf + n - 1, buf + n - 2, 3);
			buf[n - 2] = ':';
		}
		return xstrdup(buf);
	}
	/* short, as util-linux prints it: time today, month and day this year */
	localtime_r(&now, &tm_now);
	if (tm.tm_year == tm_now.tm_year && tm.tm_yday == tm_now.tm_yday)
		strftime(buf, sizeof(buf), "%H:%M", &tm);
	else if (tm.tm_year == tm_now.tm_year)
		strftime(buf, sizeof(buf), "%b%d", &tm);
	else
		strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
	return xstrdup(buf);
}
