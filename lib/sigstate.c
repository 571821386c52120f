/* Signal sets of one thread, from its status file in /proc. */
#include "sigstate.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "signame.h"

static bool hex_field(const char *text, const char *name, uint64_t *v)
{
	const char *p = strstr(text, name);
	if (!p)
		return false;
	char *end;
	*v = strtoull(p + strlen(name), &end, 16);
	return end != p + strlen(name);
}

int sigstate_read(pid_t pid, pid_t tid, struct sigstate *st)
{
	char path[64];
	if (tid)
		snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid, (int)tid);
	else
		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* a status file is about 1.5 KiB; the signal lines are in its middle */
	char buf[8192];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	int saved = errno;
	close(fd);
	if (n < 0)
		return -saved;
	buf[n] = '\0';

	memset(st, 0, sizeof(*st));
	if (!hex_field(buf, "\nSigPnd:\t", &st->pending) ||
	    !hex_field(buf, "\nShdPnd:\t", &st->shared) ||
	    !hex_field(buf, "\nSigBlk:\t", &st->blocked) ||
	    !hex_field(buf, "\nSigIgn:\t", &st->ignored) ||
	    !hex_field(buf, "\nSigCgt:\t", &st->caught))
		return -EINVAL;
	const char *q = strstr(buf, "\nSigQ:\t");
	st->has_queue = q && sscanf(q + 7, "%lu/%lu", &st->queued, &st->queue_max) == 2;
	return 0;
}

enum sig_disposition sigstate_disposition(const struct sigstate *st, int sig)
{
	if (st->caught & sig_bit(sig))
		return SIGDISP_CAUGHT;
	if (st->ignored & sig_bit(sig))
		return SIGDISP_IGNORED;
	return SIGDISP_DEFAULT;
}
