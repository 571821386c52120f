/* Thresholds of the checks: defaults, --warn/--crit KEY=VALUE, formats. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../out.h"
#include "../parse.h"
#include "../util.h"
#include "check.h"

const struct thr_def thr_defs[NTHR] = {
	[TH_LIMITS] = { "limits", TU_PERCENT, 80, 95, "use of each limit" },
	[TH_LEAKS] = { "leaks", TU_SECONDS, 3600, 86400, "time a leaked object has been unused" },
	[TH_QUEUES_FULL] = { "queues.full", TU_PERCENT, 80, 95, "fill of a queue" },
	[TH_QUEUES_STALE] = { "queues.stale", TU_SECONDS, 300, 3600,
			      "time a queue holding messages has had no receive" },
	[TH_SEMAPHORES] = { "semaphores", TU_SECONDS, 300, 1800,
			    "time a set with waiters has had no operation" },
	[TH_STUCK] = { "stuck", TU_SECONDS, 300, 1800, "time a thread has been blocked in an IPC call" },
};

int thr_parse(const char *arg, double t[NTHR], char **why)
{
	const char *eq = strchr(arg, '=');
	char *earg = esc_bytes(arg, strlen(arg));
	if (!eq) {
		*why = xasprintf("invalid threshold '%s': expected CHECK=VALUE (see ipcx check --help)",
				 earg);
		free(earg);
		return -1;
	}
	size_t klen = (size_t)(eq - arg);
	const char *val = eq + 1;
	int k;
	for (k = 0; k < NTHR; k++)
		if (strlen(thr_defs[k].key) == klen && !strncmp(thr_defs[k].key, arg, klen))
			break;
	if (k == NTHR) {
		*why = xasprintf("invalid threshold '%s': unknown check (expected limits, leaks, "
				 "queues.full, queues.stale, semaphores or stuck)", earg);
		free(earg);
		return -1;
	}
	double v;
	const char *reason = NULL;
	if (thr_defs[k].unit == TU_PERCENT) {
		size_t n = strlen(val);
		char *end;
		if (!n || val[n - 1] != '%') {
			reason = "expected a percentage such as 80%";
		} else {
			v = strtod(val, &end);
			if (end != val + n - 1 || strspn(val, "0123456789.") != n - 1 || !isfinite(v))
				reason = "expected a percentage such as 80%";
			else if (v > 100)
				reason = "a percentage is at most 100%";
		}
	} else if (parse_duration(val, &v, &reason) == 0) {
		reason = NULL;
	}
	if (reason) {
		*why = xasprintf("invalid threshold '%s': %s", earg, reason);
		free(earg);
		return -1;
	}
	free(earg);
	t[k] = v;
	return 0;
}

void dur_format(double secs, char *buf, size_t len)
{
	static const struct {
		char unit;
		unsigned long long secs;
	} units[] = { { 'w', 604800 }, { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 } };
	unsigned long long s = secs > 0 ? (unsigned long long)(secs + 0.5) : 0;
	size_t used = 0;
	int parts = 0;
	buf[0] = '\0';
	/* two units say enough: "3d4h", not "3d4h12m5s" */
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]) && parts < 2; i++) {
		unsigned long long n = s / units[i].secs;
		if (!n && !(parts == 0 && units[i].unit == 's'))
			continue;
		if (parts)
			parts++;
		else
			parts = 1;
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%llu%c", n,
					 units[i].unit);
		s -= n * units[i].secs;
		if (!s)
			break;
	}
}

void thr_format(enum thr_unit u, double v, char *buf, size_t len)
{
	if (u == TU_PERCENT) {
		num_format(v, buf, len);
		strncat(buf, "%", len - strlen(buf) - 1);
	} else if (v != floor(v)) {
		snprintf(buf, len, "%gs", v);
	} else {
		dur_format(v, buf, len);
	}
}
