/*
 * timerfds. Like signalfds they have no id: descriptors are joined (after
 * dup or fork) by kcmp (fdobj.c). fdinfo gives the clock, the expirations
 * not yet read and the timer's setting; each line may be missing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fdobj.h"

extern const struct kind kind_timerfd;

struct timerfd {
	struct fdobj base;
	bool has_info, has_clock, has_ticks, has_value, has_interval;
	int clock;
	unsigned long long ticks;
	unsigned long long value[2], interval[2];	/* seconds, nanoseconds */
};

#define TIMERFD(o) ((const struct timerfd *)(o)->priv)

static void missing(const struct ipc_obj *o, struct cell *c, const char *why)
{
	cell_why(c, TIMERFD(o)->has_info ? why : "fdinfo not readable");
}

static void col_clock(const struct ipc_obj *o, struct cell *c)
{
	static const struct {
		int id;
		const char *name;
	} clocks[] = {
		{ CLOCK_REALTIME, "realtime" },
		{ CLOCK_MONOTONIC, "monotonic" },
		{ CLOCK_BOOTTIME, "boottime" },
		{ CLOCK_REALTIME_ALARM, "realtime-alarm" },
		{ CLOCK_BOOTTIME_ALARM, "boottime-alarm" },
	};
	const struct timerfd *t = TIMERFD(o);
	if (!t->has_clock) {
		missing(o, c, "no clockid in fdinfo");
		return;
	}
	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++)
		if (clocks[i].id == t->clock) {
			cell_str(c, clocks[i].name);
			return;
		}
	/* a clock added after this table: its number says more than nothing */
	snprintf(c->buf, sizeof(c->buf), "%d", t->clock);
	cell_str(c, c->buf);
}

static void col_ticks(const struct ipc_obj *o, struct cell *c)
{
	if (TIMERFD(o)->has_ticks)
		cell_num(c, TIMERFD(o)->ticks);
	else
		missing(o, c, "no ticks in fdinfo");
}

static void cell_secs(struct cell *c, const unsigned long long ts[2])
{
	c->state = CELL_OK;
	c->fnum = (double)ts[0] + (double)ts[1] / 1e9;
}

static void col_interval(const struct ipc_obj *o, struct cell *c)
{
	if (TIMERFD(o)->has_interval)
		cell_secs(c, TIMERFD(o)->interval);
	else
		missing(o, c, "no it_interval in fdinfo");
}

static void col_remaining(const struct ipc_obj *o, struct cell *c)
{
	const struct timerfd *t = TIMERFD(o);
	if (!t->has_value)
		missing(o, c, "no it_value in fdinfo");
	else if (!t->value[0] && !t->value[1])
		c->state = CELL_ABSENT;	/* disarmed: no next expiry */
	else
		cell_secs(c, t->value);
}

static const struct column timerfd_cols[] = {
	{ "PID", CT_NUM, COL_RIGHT, 0.1, "pid of the first descriptor (the lowest), the object's id", col_fdpid },
	{ "FD", CT_NUM, COL_RIGHT, 0.1, "that descriptor", col_fdnum },
	{ "CLOCK", CT_STR, 0, 0.1, "realtime, monotonic, boottime, realtime-alarm or boottime-alarm", col_clock },
	{ "TICKS", CT_NUM, COL_RIGHT, 0.1, "expirations not yet read", col_ticks },
	{ "INTERVAL", CT_FLOAT, COL_RIGHT, 0.1, "period in seconds; 0 for a one-shot timer", col_interval },
	{ "REMAINING", CT_FLOAT, COL_RIGHT, 0.1, "seconds to the next expiry, when armed", col_remaining },
	COL_ENDPOINTS,
	COLS_HOLDERS,
};

static bool info_ull(const char *fdinfo, const char *name, unsigned long long *v)
{
	const char *s = fdinfo ? fdinfo_field(fdinfo, name) : NULL;
	char *end;
	if (!s)
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return end != s && !errno;
}

/* "(SECONDS, NANOSECONDS)" */
static bool info_timespec(const char *fdinfo, const char *name, unsigned long long ts[2])
{
	const char *s = fdinfo ? fdinfo_field(fdinfo, name) : NULL;
	return s && sscanf(s, "(%llu, %llu)", &ts[0], &ts[1]) == 2;
}

static enum fd_match timerfd_match(const struct ps_fd *f, unsigned long long key[2])
{
	if (strcmp(f->link, "anon_inode:[timerfd]"))
		return FD_NOT;
	/* what stays put while the walk reads one descriptor after another:
	 * not it_value, and not ticks, which the timer may add to */
	unsigned long long clock = 0, iv[2] = { 0, 0 };
	info_ull(f->fdinfo, "clockid", &clock);
	info_timespec(f->fdinfo, "it_interval", iv);
	key[0] = clock;
	key[1] = iv[0] * 1000000000ULL + iv[1];
	return FD_KCMP;
}

static void timerfd_init(struct ipc_obj *o, pid_t pid, const struct ps_fd *f)
{
	struct timerfd *t = o->priv;
	unsigned long long clock = 0;
	t->has_info = f->fdinfo != NULL;
	t->has_clock = info_ull(f->fdinfo, "clockid", &clock);
	t->clock = (int)clock;
	t->has_ticks = info_ull(f->fdinfo, "ticks", &t->ticks);
	t->has_value = info_timespec(f->fdinfo, "it_value", t->value);
	t->has_interval = info_timespec(f->fdinfo, "it_interval", t->interval);
	/* nothing in the kernel names a timerfd: its first holder does */
	o->id = pid;
}

static const struct fdclass timerfd_class = {
	.kind = &kind_timerfd,
	.parts = PS_FDS | PS_FDINFO,
	.privsize = sizeof(struct timerfd),
	.match = timerfd_match,
	.init = timerfd_init,
};

static int timerfd_scan(struct objlist *list, struct scan_note *note)
{
	(void)note;
	return fdobj_scan(&timerfd_class, list);
}

const struct kind kind_timerfd = {
	.name = "timerfd",
	.order = 120,
	.title = "timerfds",
	.defcols = "PID,FD,CLOCK,TICKS,INTERVAL,REMAINING,ENDPOINTS",
	.cols = timerfd_cols,
	.ncols = sizeof(timerfd_cols) / sizeof(timerfd_cols[0]),
	.fd_based = true,
	.scan = timerfd_scan,
	.free_priv = fdobj_free_priv,
	.holders = fdobj_holders,
};
KIND_REGISTER(kind_timerfd);
