/* Signal names, sets and default actions: the data of signal(7), once. */
#include "signame.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

const char *sig_name(int sig, char buf[SIG_NAME_MAX])
{
	const char *abbrev = sig > 0 && sig < SIGRTMIN ? sigabbrev_np(sig) : NULL;
	if (abbrev)
		snprintf(buf, SIG_NAME_MAX, "SIG%s", abbrev);
	else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, SIG_NAME_MAX, sig == SIGRTMIN ? "SIGRTMIN" : "SIGRTMIN+%d",
			 sig - SIGRTMIN);
	else
		snprintf(buf, SIG_NAME_MAX, "%d", sig);
	return buf;
}

/* "+N" or "-N" after RTMIN or RTMAX, or nothing. */
static bool rt_offset(const char *s, int *off)
{
	if (!*s) {
		*off = 0;
		return true;
	}
	if ((*s != '+' && *s != '-') || !isdigit((unsigned char)s[1]))
		return false;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*end || errno || v < -SIG_MAX || v > SIG_MAX)
		return false;
	*off = (int)v;
	return true;
}

int sig_parse(const char *s)
{
	if (isdigit((unsigned char)*s)) {
		char *end;
		errno = 0;
		long v = strtol(s, &end, 10);
		return *end || errno || v < 1 || v > SIG_MAX ? -1 : (int)v;
	}
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	int off, sig = -1;
	if (!strncasecmp(s, "RTMIN", 5) && rt_offset(s + 5, &off))
		sig = SIGRTMIN + off;
	else if (!strncasecmp(s, "RTMAX", 5) && rt_offset(s + 5, &off))
		sig = SIGRTMAX + off;
	else {
		for (int i = 1; i < SIGRTMIN; i++) {
			const char *abbrev = sigabbrev_np(i);
			if (abbrev && !strcasecmp(s, abbrev))
				return i;
		}
		return -1;
	}
	return sig >= SIGRTMIN && sig <= SIGRTMAX ? sig : -1;
}

char *sigset_str(uint64_t mask)
{
	char *out = xstrdup("");
	size_t len = 0;
	for (int sig = 1; sig <= SIG_MAX; sig++) {
		if (!(mask & sig_bit(sig)))
			continue;
		char name[SIG_NAME_MAX];
		sig_name(sig, name);
		out = xrealloc(out, len + strlen(name) + 2);
		len += (size_t)sprintf(out + len, "%s%s", len ? "," : "", name);
	}
	return out;
}

int sigset_parse(const char *s, uint64_t *mask, char **bad)
{
	*mask = 0;
	*bad = NULL;
	if (!strcasecmp(s, "all")) {
		*mask = ~0ULL;
		return 0;
	}
	char *copy = xstrdup(s);
	int rc = 0;
	/* strsep, not strtok: an empty item ("INT,,TERM") is an error, not skipped */
	for (char *p = copy, *tok; (tok = strsep(&p, ",")) != NULL;) {
		int sig = sig_parse(tok);
		if (sig < 0) {
			*bad = xstrdup(tok);
			rc = -1;
			break;
		}
		*mask |= sig_bit(sig);
	}
	free(copy);
	return rc;
}

enum sig_default sig_default_action(int sig)
{
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return SIGDFL_CORE;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return SIGDFL_STOP;
	case SIGCONT:
		return SIGDFL_CONT;
	case SIGCHLD: case SIGURG: case SIGWINCH:
		return SIGDFL_IGN;
	default:
		return SIGDFL_TERM;
	}
}

const char *sig_default_str(enum sig_default action)
{
	static const char *const names[] = {
		[SIGDFL_TERM] = "terminate", [SIGDFL_CORE] = "core", [SIGDFL_STOP] = "stop",
		[SIGDFL_CONT] = "continue", [SIGDFL_IGN] = "ignore",
	};
	return names[action];
}
