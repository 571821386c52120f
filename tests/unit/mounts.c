/* Unit tests of lib/mounts.c: finding the mqueue mount. Each case runs in a
 * child with a private mount namespace holding exactly the mqueue mounts
 * the case makes; without the privilege for that the cases are skipped. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mounts.h"
#include "tap.h"

enum { CHILD_NO_NS = 77, CHILD_SETUP = 78 };

/* Detaches every mqueue mount of this namespace, innermost first. False when
 * a mount point holds an escape, which only the code under test decodes. */
static bool detach_mqueue(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return false;
	char line[4096], *points[64];
	int n = 0;
	bool ok = true;
	while (fgets(line, sizeof(line), f) && n < 64) {
		char *sep = strstr(line, " - ");
		if (!sep || strncmp(sep + 3, "mqueue ", 7))
			continue;
		/* id parent major:minor root mountpoint */
		char point[4096];
		if (sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1 || strchr(point, '\\')) {
			ok = false;
			continue;
		}
		points[n++] = strdup(point);
	}
	fclose(f);
	while (n-- > 0) {
		if (umount2(points[n], MNT_DETACH) < 0)
			ok = false;
		free(points[n]);
	}
	return ok;
}

struct mq_case {
	const char *dir;	/* an mqueue mount to make, or NULL */
	bool dev;		/* and one on /dev/mqueue, after it */
};

/* In the child: makes the mounts of one case and prints what mqueue_dir finds. */
static void run_case(const void *p)
{
	const struct mq_case *c = p;
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		_exit(CHILD_NO_NS);
	if (!detach_mqueue())
		_exit(CHILD_SETUP);
	if (c->dir && mount("ipcx-unit-mq", c->dir, "mqueue", 0, NULL) < 0)
		_exit(CHILD_NO_NS);
	/* a tmpfs over /dev, in this namespace only, so that /dev/mqueue exists */
	if (c->dev && (mount("ipcx-unit-dev", "/dev", "tmpfs", 0, "mode=755") < 0 ||
		       mkdir("/dev/mqueue", 0755) < 0 ||
		       mount("ipcx-unit-mq", "/dev/mqueue", "mqueue", 0, NULL) < 0))
		_exit(CHILD_SETUP);
	const char *d = mqueue_dir();
	const char *again = mqueue_dir();
	fputs(d ? d : "(none)", stderr);
	/* the mount table is read once; a second call gives the same answer */
	_exit(again == d ? 0 : 1);
}

static void check_case(const struct mq_case *c, const char *want, const char *name)
{
	char got[4096];
	int st = tap_exit_status(run_case, c, got, sizeof(got));
	if (st == CHILD_NO_NS) {
		SKIP("no private mount namespace or mqueue mount here", "%s", name);
		return;
	}
	if (st == CHILD_SETUP) {
		SKIP("the case could not be set up", "%s", name);
		return;
	}
	if (CHECK_EQ(st, 0, "%s: same answer twice", name))
		CHECK_STR(got, want, "%s", name);
}

int main(void)
{
	/* mountinfo writes space, tab, newline and backslash as \ooo */
	char dir[] = "/tmp/ipcx unit\tmq\\.XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	check_case(&(struct mq_case){ .dir = NULL }, "(none)", "no mqueue mount gives NULL");
	check_case(&(struct mq_case){ .dir = dir }, dir,
		   "an mqueue mount whose path holds a space, a tab and a backslash");
	check_case(&(struct mq_case){ .dir = dir, .dev = true }, "/dev/mqueue",
		   "/dev/mqueue is preferred over an earlier mount");
	rmdir(dir);
	return tap_done();
}
