/* Unit tests of lib/timefmt.c: the short, relative and iso time formats of
 * --time-format, in fixed time zones so that results do not depend on the
 * machine. */
#include <stdlib.h>
#include <time.h>

#include "timefmt.h"
#include "tap.h"

/* 2024-03-05 14:07:09 UTC, a Tuesday of a leap year */
#define NOW ((time_t)1709647629)

static void zone(const char *tz)
{
	setenv("TZ", tz, 1);
	/* localtime_r need not read TZ again: make it */
	tzset();
}

#define FMT(t, tf, now, want, ...) CHECK_STR_FREE(format_time(t, tf, now), want, __VA_ARGS__)

static void test_iso(void)
{
	zone("UTC");
	FMT(NOW, TF_ISO, NOW, "2024-03-05T14:07:09+00:00", "iso in UTC");
	FMT(0, TF_ISO, NOW, "1970-01-01T00:00:00+00:00", "iso of the epoch");
	/* the format does not depend on now */
	FMT(NOW, TF_ISO, 0, "2024-03-05T14:07:09+00:00", "iso ignores now");
	zone("<+0530>-5:30");
	FMT(NOW, TF_ISO, NOW, "2024-03-05T19:37:09+05:30", "iso east of UTC, half hours");
	zone("EST5");
	FMT(NOW, TF_ISO, NOW, "2024-03-05T09:07:09-05:00", "iso west of UTC");
	zone("UTC");
}

static void test_relative(void)
{
	FMT(NOW, TF_RELATIVE, NOW, "0s ago", "relative now");
	FMT(NOW - 59, TF_RELATIVE, NOW, "59s ago", "relative 59 seconds");
	FMT(NOW - 60, TF_RELATIVE, NOW, "1m ago", "relative one minute");
	FMT(NOW - 300, TF_RELATIVE, NOW, "5m ago", "relative 5 minutes ago");
	FMT(NOW - 3599, TF_RELATIVE, NOW, "59m ago", "relative just under an hour");
	FMT(NOW - 3600, TF_RELATIVE, NOW, "1h ago", "relative one hour");
	FMT(NOW - 86399, TF_RELATIVE, NOW, "23h ago", "relative just under a day");
	FMT(NOW - 3 * 86400 - 5, TF_RELATIVE, NOW, "3d ago", "relative days");
	FMT(NOW - 400 * 86400, TF_RELATIVE, NOW, "400d ago", "relative over a year stays in days");
	FMT(NOW + 300, TF_RELATIVE, NOW, "5m from now", "relative 5 minutes in the future");
	FMT(NOW + 7200, TF_RELATIVE, NOW, "2h from now", "relative hours in the future");
	FMT(NOW + 1, TF_RELATIVE, NOW, "1s from now", "relative one second in the future");
	/* clocks of another namespace or a bad value: far, but printed */
	FMT(0, TF_RELATIVE, NOW, "19787d ago", "relative the epoch");
}

static void test_short(void)
{
	/* today: the time */
	FMT(1709631000, TF_SHORT, NOW, "09:30", "short today is HH:MM");
	FMT(NOW, TF_SHORT, NOW, "14:07", "short now");
	/* this year: month and day */
	FMT(1705320000, TF_SHORT, NOW, "Jan15", "short this year is MonDD");
	FMT(NOW - 86400, TF_SHORT, NOW, "Mar04", "short yesterday");
	FMT(NOW + 86400, TF_SHORT, NOW, "Mar06", "short tomorrow");
	/* another year: the date */
	FMT(1704067140, TF_SHORT, NOW, "2023-12-31", "short last year is the date");
	/* 2023-03-06 has the day number of 2024-03-05: still another year */
	FMT(1678111629, TF_SHORT, NOW, "2023-03-06", "short same day of year, other year");
	/* "today" is the local day: 23:30 UTC on the 4th is the 5th at +05:30 */
	zone("<+0530>-5:30");
	FMT(1709595000, TF_SHORT, NOW, "05:00", "short today in the local zone");
	zone("UTC");
	FMT(1709595000, TF_SHORT, NOW, "Mar04", "short the same time in UTC is yesterday");
}

int main(void)
{
	test_iso();
	test_relative();
	test_short();
	return tap_done();
}
