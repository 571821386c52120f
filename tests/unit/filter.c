/* Unit tests of lib/filter.c: the object filters of ls and rm. rm removes
 * what matches, so a filter must match exactly what it says. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "filter.h"
#include "kind.h"
#include "util.h"
#include "tap.h"

static const struct kind sysv = { .name = "shm" };
static const struct kind posix = { .name = "pshm", .named = true };

#define NOW ((time_t)1700000000)

static struct ipc_obj *sysv_obj(int key, uid_t uid, pid_t cpid, time_t ctime)
{
	struct ipc_obj *o = obj_new(&sysv);
	o->id = 1;
	o->key = key;
	o->uid = uid;
	o->cpid = cpid;
	o->ctime = ctime;
	return o;
}

static struct ipc_obj *posix_obj(const char *name, uid_t uid, time_t ctime)
{
	struct ipc_obj *o = obj_new(&posix);
	o->name = xstrdup(name);
	o->uid = uid;
	o->ctime = ctime;
	return o;
}

static void fresh(struct filter *f)
{
	filter_init(f);
	f->now = NOW;
}

/* A pid that surely names no process: a child that has been reaped. */
static pid_t gone_pid(void)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

static void test_match(void)
{
	struct filter f;
	struct ipc_obj *a = sysv_obj((int)0xdeadbeefu, 0, getpid(), NOW - 100);
	struct ipc_obj *b = sysv_obj(0x1234, 1000, gone_pid(), NOW - 10);
	struct ipc_obj *p = posix_obj("ipcx-test", 1000, NOW - 100);
	struct ipc_obj *q = posix_obj("other", 0, NOW - 100);

	fresh(&f);
	CHECK(!filter_active(&f), "no option, no filter");
	CHECK(filter_match(&f, a) && filter_match(&f, p), "no filter matches everything");

	fresh(&f);
	CHECK(filter_opt(&f, 'u', "0"), "-u takes a uid");
	CHECK(filter_active(&f), "-u makes the filter active");
	CHECK(filter_match(&f, a) && !filter_match(&f, b), "-u 0 matches uid 0 only");
	CHECK(filter_match(&f, q) && !filter_match(&f, p), "-u applies to POSIX objects too");
	fresh(&f);
	filter_opt(&f, 'u', "root");
	CHECK(f.by_user && f.uid == 0, "-u takes a user name");

	fresh(&f);
	filter_opt(&f, OPT_FILTER_KEY, "0xdeadbeef");
	CHECK(filter_match(&f, a) && !filter_match(&f, b), "--key 0xdeadbeef");
	fresh(&f);
	/* the key as /proc/sysvipc prints it names the same object */
	filter_opt(&f, OPT_FILTER_KEY, "-559038737");
	CHECK(filter_match(&f, a), "--key in signed decimal");
	fresh(&f);
	/* POSIX objects leave the key field 0, which is no key of theirs */
	filter_opt(&f, OPT_FILTER_KEY, "0");
	CHECK(!filter_match(&f, p), "--key 0 never matches a POSIX object");
	b->key = 0;
	CHECK(filter_match(&f, b), "--key 0 matches a private System V object");
	b->key = 0x1234;

	fresh(&f);
	filter_opt(&f, OPT_FILTER_NAME, "ipcx-*");
	CHECK(filter_match(&f, p) && !filter_match(&f, q), "--name glob");
	CHECK(!filter_match(&f, a), "--name never matches a System V object");
	fresh(&f);
	filter_opt(&f, OPT_FILTER_NAME, "/ipcx-*");
	CHECK(filter_match(&f, p), "--name glob with the leading slash");
	fresh(&f);
	filter_opt(&f, OPT_FILTER_NAME, "ipcx");
	CHECK(!filter_match(&f, p), "--name without a wildcard matches the whole name");

	fresh(&f);
	filter_opt(&f, OPT_FILTER_CREATOR_GONE, NULL);
	CHECK(!filter_match(&f, a), "--creator-gone skips a live creator");
	CHECK(filter_match(&f, b), "--creator-gone matches an exited creator");
	a->cpid = 0;
	CHECK(!filter_match(&f, a), "--creator-gone skips an unknown creator");
	a->cpid = getpid();

	/* a is 100 s old, b 10 s */
	fresh(&f);
	filter_opt(&f, OPT_FILTER_OLDER_THAN, "1m");
	CHECK(filter_match(&f, a) && !filter_match(&f, b), "--older-than 1m");
	fresh(&f);
	filter_opt(&f, OPT_FILTER_OLDER_THAN, "100s");
	CHECK(!filter_match(&f, a), "--older-than is strict: 100 s is not older than 100s");
	fresh(&f);
	filter_opt(&f, OPT_FILTER_OLDER_THAN, "99");
	CHECK(filter_match(&f, a), "--older-than 99 seconds");
	fresh(&f);
	filter_opt(&f, OPT_FILTER_OLDER_THAN, "1.5m");
	CHECK(filter_match(&f, a) && !filter_match(&f, b), "--older-than with a fraction");

	/* filters combine with AND */
	fresh(&f);
	filter_opt(&f, 'u', "1000");
	filter_opt(&f, OPT_FILTER_OLDER_THAN, "1m");
	CHECK(!filter_match(&f, a) && !filter_match(&f, b) && filter_match(&f, p),
	      "-u and --older-than together");

	CHECK(!filter_opt(&f, 'x', "1"), "filter_opt leaves other options alone");

	obj_free(a);
	obj_free(b);
	obj_free(p);
	obj_free(q);
}

static void test_list(void)
{
	struct filter f;
	struct objlist l = { 0 };
	objlist_add(&l, sysv_obj(1, 0, 0, NOW));
	objlist_add(&l, sysv_obj(2, 0, 0, NOW));
	objlist_add(&l, posix_obj("x", 0, NOW));
	objlist_add(&l, sysv_obj(2, 5, 0, NOW));
	fresh(&f);
	filter_list(&f, &l);
	CHECK_EQ(l.n, 4, "filter_list without a filter keeps everything");
	filter_opt(&f, OPT_FILTER_KEY, "2");
	filter_list(&f, &l);
	if (CHECK_EQ(l.n, 2, "filter_list keeps the matches"))
		CHECK(l.v[0]->key == 2 && l.v[0]->uid == 0 && l.v[1]->uid == 5,
		      "filter_list keeps their order");
	objlist_free(&l);
}

/* Bad values end the program with a usage error naming the value. */
struct bad {
	int opt;
	const char *arg;
};

static void take_bad(const void *p)
{
	const struct bad *b = p;
	struct filter f;
	filter_init(&f);
	filter_opt(&f, b->opt, b->arg);
}

static void bad(int opt, const char *arg, const char *label, const char *want)
{
	struct bad b = { opt, arg };
	char err[512];
	int st = tap_exit_status(take_bad, &b, err, sizeof(err));
	CHECK_EQ(st, EXIT_USAGE, "usage error for %s", label);
	CHECK_STR(err, want, "one-line message for %s", label);
}

static void test_bad(void)
{
	bad(OPT_FILTER_OLDER_THAN, "5x", "--older-than 5x",
	    "ipcx: invalid duration '5x': unknown unit (use s, m, h, d or w)\n");
	bad(OPT_FILTER_KEY, "0x", "--key 0x", "ipcx: invalid key '0x': not a hexadecimal number\n");
	bad('u', "no-such-user-ipcx", "-u of an unknown user",
	    "ipcx: unknown user 'no-such-user-ipcx': no such user name or id\n");
	/* the message stays one line and cannot drive the terminal */
	bad(OPT_FILTER_OLDER_THAN, "1\n\x1b[2J", "a duration with a newline and ESC",
	    "ipcx: invalid duration '1\\x0a\\x1b[2J': unknown unit (use s, m, h, d or w)\n");
	bad(OPT_FILTER_KEY, "0x\x1b", "a key with ESC",
	    "ipcx: invalid key '0x\\x1b': not a hexadecimal number\n");
	bad('u', "x\ny", "a user with a newline",
	    "ipcx: unknown user 'x\\x0ay': no such user name or id\n");
}

int main(void)
{
	test_match();
	test_list();
	test_bad();
	return tap_done();
}
