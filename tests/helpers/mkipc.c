/*
 * mkipc: creates IPC objects of every kind with chosen attributes, so that
 * the suites can compare what ipcx reports with what was made.
 *
 * Usage: mkipc [--hold] KIND [ATTR=VALUE | FLAG]... [KIND [ATTR...]...]...
 *
 * Each argument is one attribute, so names may hold any byte but NUL and
 * '/'; an argument without '=' that names a kind starts the next object.
 * Defaults: key private, mode 0600, sizes as noted.
 *
 *   shm   key=0xHEX|N|private size=N(4096) mode=OCT attach=N(0)
 *         touch (write every page, so RSS counts) lock (SHM_LOCK)
 *         rm (IPC_RMID after attaching: status dest while attached)
 *   msg   key= mode= qbytes=N (IPC_SET) msgs=N(0) msgsize=M(16) type=T(1)
 *   sem   key= mode= nsems=N(1) values=V,V,... (SETALL)
 *         op=SEMNUM:DELTA (one semop, repeatable: sets OTIME)
 *         ncnt=SEMNUM (a child blocks waiting for an increase; the value
 *         must be below 32767) zcnt=SEMNUM (a child blocks waiting for zero;
 *         the value must be > 0). A waiter drops the shm attachments it
 *         inherits, which sets their LPID; it dies with mkipc.
 *   pshm  name=NAME size=N(4096) mode= data=TEXT (written at offset 0)
 *         fill=N (N bytes written from offset 0, so they take memory)
 *   pmsg  name=NAME maxmsg=N(4) msgsize=M(64) mode= msgs=N(0)
 *         msglen=L(msgsize) notify=SIGNAME|none|thread (needs --hold to last)
 *   psem  name=NAME value=N(0) mode=
 *
 * Every kind also takes owner=UID[:GID], set after creation (IPC_SET for
 * System V, fchown or chown for POSIX), so that objects of another user
 * can be made.
 *
 * NAME is opened with a leading '/' added unless it has one.
 *
 * It prints one line per object, fields separated by spaces, names with
 * bytes outside printable ASCII, spaces and backslashes as \xNN:
 *   shm id=32769 key=0x00001234 size=4096 mode=0600 nattch=1 pid=42
 *   msg id=0 key=0x00000000 mode=0600 qbytes=16384 msgs=2 bytes=32 pid=42
 *   sem id=3 key=0x00000007 mode=0600 nsems=2 values=1,5 pid=42
 *   pshm name=/a size=4096 mode=0600 pid=42
 *   pmsg name=/q maxmsg=4 msgsize=64 mode=0600 msgs=1 bytes=64 notify=signal signo=10 pid=42
 *   psem name=/s value=3 mode=0600 pid=42
 * then exits 0. With --hold it prints "ready" and stays alive, holding its
 * attachments, descriptors and notification registrations, until its stdin
 * reaches end of file or it receives SIGTERM. Errors: a line on stderr,
 * exit 1 (objects made before the error are left for the caller to remove).
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hold.h"

#define MAXCHILD 64

static pid_t children[MAXCHILD];
static int nchildren;

/* Attachments, which a waiter child must drop so that NATTCH stays as asked. */
#define MAXATTACH 256
static void *attached[MAXATTACH];
static int nattached;

static void kill_children(void)
{
	for (int i = 0; i < nchildren; i++) {
		kill(children[i], SIGKILL);
		waitpid(children[i], NULL, 0);
	}
	nchildren = 0;
}

static _Noreturn void fail(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fputs("mkipc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	kill_children();
	exit(1);
}

static unsigned long long num(const char *attr, const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || end == s || *end)
		fail("%s: not a number: '%s'", attr, s);
	return v;
}

static mode_t mode_of(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 8);
	if (end == s || *end || v > 0777)
		fail("mode: expected octal up to 0777: '%s'", s);
	return (mode_t)v;
}

static key_t key_of(const char *s)
{
	if (!strcmp(s, "private"))
		return IPC_PRIVATE;
	unsigned long long v = num("key", s);
	if (v > 0xffffffffULL)
		fail("key: out of range: '%s'", s);
	return (key_t)(unsigned)v;
}

/* A name that may hold any byte, printed so that one line stays one field. */
static void print_name(const char *name)
{
	fputs(" name=", stdout);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p <= ' ' || *p >= 0x7f || *p == '\\')
			printf("\\x%02x", *p);
		else
			putchar(*p);
	}
}

static char *slashed(const char *name)
{
	size_t n = strlen(name);
	char *s = malloc(n + 2);
	if (!s)
		fail("out of memory");
	s[0] = '/';
	memcpy(s + 1, name[0] == '/' ? name + 1 : name, n + 1);
	return s;
}

/* The attributes of one object: pointers into argv. */
struct spec {
	const char *kind;
	char **attrs;
	int nattrs;
};

/* Looks up ATTR=VALUE; flags (no '=') are found with value "". */
static const char *get(const struct spec *s, const char *attr, const char *def)
{
	size_t n = strlen(attr);
	const char *found = def;
	for (int i = 0; i < s->nattrs; i++)
		if (!strncmp(s->attrs[i], attr, n) && (s->attrs[i][n] == '=' || !s->attrs[i][n]))
			found = s->attrs[i][n] ? s->attrs[i] + n + 1 : "";
	return found;
}

static void check_attrs(const struct spec *s, const char *const *known)
{
	for (int i = 0; i < s->nattrs; i++) {
		size_t n = strcspn(s->attrs[i], "=");
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++)
			ok = strlen(*k) == n && !strncmp(*k, s->attrs[i], n);
		if (!ok)
			fail("%s: unknown attribute '%.*s'", s->kind, (int)n, s->attrs[i]);
	}
}

/* owner=UID[:GID]: false when absent. */
static bool owner_of(const struct spec *s, uid_t *uid, gid_t *gid)
{
	const char *o = get(s, "owner", NULL);
	if (!o)
		return false;
	unsigned u, g;
	int n = sscanf(o, "%u:%u", &u, &g);
	if (n < 1)
		fail("owner: expected UID[:GID]: '%s'", o);
	*uid = u;
	*gid = n == 2 ? g : u;
	return true;
}

static void make_shm(const struct spec *s)
{
	static const char *const known[] = { "key", "size", "mode", "attach", "touch", "lock", "rm", "owner", NULL };
	check_attrs(s, known);
	key_t key = key_of(get(s, "key", "private"));
	size_t size = num("size", get(s, "size", "4096"));
	mode_t mode = mode_of(get(s, "mode", "600"));
	unsigned long long attach = num("attach", get(s, "attach", "0"));
	int id = shmget(key, size, IPC_CREAT | IPC_EXCL | (int)mode);
	if (id < 0)
		fail("shmget: %s", strerror(errno));
	for (unsigned long long i = 0; i < attach; i++) {
		char *p = shmat(id, NULL, 0);
		if (p == (void *)-1)
			fail("shmat: %s", strerror(errno));
		if (nattached == MAXATTACH)
			fail("attach: more than %d in all", MAXATTACH);
		attached[nattached++] = p;
		if (get(s, "touch", NULL))
			memset(p, 0x5a, size);
	}
	uid_t uid;
	gid_t gid;
	if (owner_of(s, &uid, &gid)) {
		struct shmid_ds ds;
		if (shmctl(id, IPC_STAT, &ds) < 0)
			fail("shmctl IPC_STAT: %s", strerror(errno));
		ds.shm_perm.uid = uid;
		ds.shm_perm.gid = gid;
		if (shmctl(id, IPC_SET, &ds) < 0)
			fail("shmctl IPC_SET: %s", strerror(errno));
	}
	if (get(s, "lock", NULL) && shmctl(id, SHM_LOCK, NULL) < 0)
		fail("shmctl SHM_LOCK: %s", strerror(errno));
	if (get(s, "rm", NULL) && shmctl(id, IPC_RMID, NULL) < 0)
		fail("shmctl IPC_RMID: %s", strerror(errno));
	printf("shm id=%d key=0x%08x size=%zu mode=%04o nattch=%llu pid=%d\n", id, (unsigned)key,
	       size, (unsigned)mode, attach, (int)getpid());
}

static void make_msg(const struct spec *s)
{
	static const char *const known[] = { "key", "mode", "qbytes", "msgs", "msgsize", "type", "owner", NULL };
	check_attrs(s, known);
	key_t key = key_of(get(s, "key", "private"));
	mode_t mode = mode_of(get(s, "mode", "600"));
	unsigned long long msgs = num("msgs", get(s, "msgs", "0"));
	size_t msgsize = num("msgsize", get(s, "msgsize", "16"));
	long type = (long)num("type", get(s, "type", "1"));
	int id = msgget(key, IPC_CREAT | IPC_EXCL | (int)mode);
	if (id < 0)
		fail("msgget: %s", strerror(errno));
	struct msqid_ds ds;
	uid_t uid;
	gid_t gid;
	bool owner = owner_of(s, &uid, &gid);
	if (get(s, "qbytes", NULL) || owner) {
		if (msgctl(id, IPC_STAT, &ds) < 0)
			fail("msgctl IPC_STAT: %s", strerror(errno));
		if (get(s, "qbytes", NULL))
			ds.msg_qbytes = num("qbytes", get(s, "qbytes", NULL));
		if (owner) {
			ds.msg_perm.uid = uid;
			ds.msg_perm.gid = gid;
		}
		if (msgctl(id, IPC_SET, &ds) < 0)
			fail("msgctl IPC_SET: %s", strerror(errno));
	}
	struct {
		long mtype;
		char mtext[65536];
	} *m = calloc(1, sizeof(*m));
	if (!m || msgsize > sizeof(m->mtext))
		fail("msgsize: too large");
	m->mtype = type;
	memset(m->mtext, 'm', msgsize);
	for (unsigned long long i = 0; i < msgs; i++)
		if (msgsnd(id, m, msgsize, IPC_NOWAIT) < 0)
			fail("msgsnd: %s", strerror(errno));
	free(m);
	if (msgctl(id, IPC_STAT, &ds) < 0)
		fail("msgctl IPC_STAT: %s", strerror(errno));
	printf("msg id=%d key=0x%08x mode=%04o qbytes=%lu msgs=%llu bytes=%llu pid=%d\n", id,
	       (unsigned)key, (unsigned)mode, (unsigned long)ds.msg_qbytes, msgs,
	       msgs * msgsize, (int)getpid());
}

/* Forks a child that blocks in semop on one semaphore; returns once it waits. */
static void sem_waiter(int id, unsigned short semnum, short op, int cmd)
{
	int before = semctl(id, semnum, cmd);
	if (before < 0)
		fail("semctl: %s", strerror(errno));
	if (nchildren == MAXCHILD)
		fail("too many waiters");
	pid_t pid = fork();
	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (int i = 0; i < nattached; i++)
			shmdt(attached[i]);
		struct sembuf b = { semnum, op, 0 };
		semop(id, &b, 1);
		_exit(0);
	}
	children[nchildren++] = pid;
	for (int i = 0; i < 5000; i++) {
		int now = semctl(id, semnum, cmd);
		if (now > before)
			return;
		usleep(1000);
	}
	fail("the waiter on semaphore %u never blocked", semnum);
}

static void make_sem(const struct spec *s)
{
	static const char *const known[] = { "key", "mode", "nsems", "values", "op", "ncnt", "zcnt", "owner", NULL };
	check_attrs(s, known);
	key_t key = key_of(get(s, "key", "private"));
	mode_t mode = mode_of(get(s, "mode", "600"));
	int nsems = (int)num("nsems", get(s, "nsems", "1"));
	int id = semget(key, nsems, IPC_CREAT | IPC_EXCL | (int)mode);
	if (id < 0)
		fail("semget: %s", strerror(errno));
	unsigned short *vals = calloc((size_t)nsems, sizeof(*vals));
	if (!vals)
		fail("out of memory");
	const char *v = get(s, "values", NULL);
	if (v) {
		char *copy = strdup(v), *save = NULL;
		int i = 0;
		for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			if (i == nsems)
				fail("values: more than nsems=%d", nsems);
			vals[i++] = (unsigned short)num("values", t);
		}
		free(copy);
		if (semctl(id, 0, SETALL, vals) < 0)
			fail("semctl SETALL: %s", strerror(errno));
	}
	for (int i = 0; i < s->nattrs; i++) {
		const char *a = s->attrs[i];
		if (!strncmp(a, "op=", 3)) {
			unsigned semnum;
			int delta;
			if (sscanf(a + 3, "%u:%d", &semnum, &delta) != 2)
				fail("op: expected SEMNUM:DELTA: '%s'", a + 3);
			struct sembuf b = { (unsigned short)semnum, (short)delta, IPC_NOWAIT };
			if (semop(id, &b, 1) < 0)
				fail("semop: %s", strerror(errno));
		} else if (!strncmp(a, "ncnt=", 5)) {
			/* more than the largest value can ever be: waits for good */
			sem_waiter(id, (unsigned short)num("ncnt", a + 5), -32767, GETNCNT);
		} else if (!strncmp(a, "zcnt=", 5)) {
			sem_waiter(id, (unsigned short)num("zcnt", a + 5), 0, GETZCNT);
		}
	}
	if (semctl(id, 0, GETALL, vals) < 0)
		fail("semctl GETALL: %s", strerror(errno));
	uid_t uid;
	gid_t gid;
	if (owner_of(s, &uid, &gid)) {
		struct semid_ds ds;
		if (semctl(id, 0, IPC_STAT, &ds) < 0)
			fail("semctl IPC_STAT: %s", strerror(errno));
		ds.sem_perm.uid = uid;
		ds.sem_perm.gid = gid;
		if (semctl(id, 0, IPC_SET, &ds) < 0)
			fail("semctl IPC_SET: %s", strerror(errno));
	}
	printf("sem id=%d key=0x%08x mode=%04o nsems=%d values=", id, (unsigned)key,
	       (unsigned)mode, nsems);
	for (int i = 0; i < nsems; i++)
		printf("%s%u", i ? "," : "", vals[i]);
	printf(" pid=%d\n", (int)getpid());
	free(vals);
}

static void make_pshm(const struct spec *s)
{
	static const char *const known[] = { "name", "size", "mode", "data", "fill", "owner", NULL };
	check_attrs(s, known);
	const char *name = get(s, "name", NULL);
	if (!name)
		fail("pshm: name= is required");
	char *path = slashed(name);
	off_t size = (off_t)num("size", get(s, "size", "4096"));
	mode_t mode = mode_of(get(s, "mode", "600"));
	const char *data = get(s, "data", NULL);
	int fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL, mode);
	if (fd < 0)
		fail("shm_open: %s", strerror(errno));
	if (ftruncate(fd, size) < 0)
		fail("ftruncate: %s", strerror(errno));
	size_t fill = num("fill", get(s, "fill", "0"));
	if (fill) {
		char *buf = malloc(fill);
		if (!buf)
			fail("out of memory");
		memset(buf, 'p', fill);
		if (pwrite(fd, buf, fill, 0) != (ssize_t)fill)
			fail("write: %s", strerror(errno));
		free(buf);
	}
	if (data && pwrite(fd, data, strlen(data), 0) != (ssize_t)strlen(data))
		fail("write: %s", strerror(errno));
	uid_t uid;
	gid_t gid;
	if (owner_of(s, &uid, &gid) && fchown(fd, uid, gid) < 0)
		fail("fchown: %s", strerror(errno));
	struct stat st;
	if (fstat(fd, &st) < 0)
		fail("fstat: %s", strerror(errno));
	/* the descriptor stays open, as a holder would keep it */
	fputs("pshm", stdout);
	print_name(path);
	printf(" size=%lld mode=%04o pid=%d\n", (long long)st.st_size, (unsigned)mode, (int)getpid());
	free(path);
}

static void on_signal(int sig)
{
	(void)sig;
}

static void on_message(union sigval v)
{
	(void)v;
}

static void make_pmsg(const struct spec *s)
{
	static const char *const known[] = { "name", "maxmsg", "msgsize", "mode", "msgs", "msglen", "notify", "owner", NULL };
	check_attrs(s, known);
	const char *name = get(s, "name", NULL);
	if (!name)
		fail("pmsg: name= is required");
	char *path = slashed(name);
	struct mq_attr attr = { 0 };
	attr.mq_maxmsg = (long)num("maxmsg", get(s, "maxmsg", "4"));
	attr.mq_msgsize = (long)num("msgsize", get(s, "msgsize", "64"));
	mode_t mode = mode_of(get(s, "mode", "600"));
	unsigned long long msgs = num("msgs", get(s, "msgs", "0"));
	size_t msglen = num("msglen", get(s, "msglen", get(s, "msgsize", "64")));
	mqd_t q = mq_open(path, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, mode, &attr);
	if (q == (mqd_t)-1)
		fail("mq_open: %s", strerror(errno));
	uid_t uid;
	gid_t gid;
	/* glibc's mqd_t is the descriptor of the queue's file */
	if (owner_of(s, &uid, &gid) && fchown(q, uid, gid) < 0)
		fail("fchown: %s", strerror(errno));
	char *buf = calloc(1, msglen + 1);
	if (!buf)
		fail("out of memory");
	memset(buf, 'q', msglen);
	for (unsigned long long i = 0; i < msgs; i++)
		if (mq_send(q, buf, msglen, 0) < 0)
			fail("mq_send: %s", strerror(errno));
	free(buf);
	fputs("pmsg", stdout);
	print_name(path);
	printf(" maxmsg=%ld msgsize=%ld mode=%04o msgs=%llu bytes=%llu", attr.mq_maxmsg,
	       attr.mq_msgsize, (unsigned)mode, msgs, msgs * msglen);
	const char *n = get(s, "notify", NULL);
	if (n) {
		struct sigevent ev = { 0 };
		if (!strcmp(n, "none")) {
			ev.sigev_notify = SIGEV_NONE;
		} else if (!strcmp(n, "thread")) {
			ev.sigev_notify = SIGEV_THREAD;
			ev.sigev_notify_function = on_message;
		} else {
			int sig = 0;
			for (int i = 1; i < NSIG && !sig; i++) {
				const char *a = sigabbrev_np(i);
				if (a && (!strcmp(n, a) || (!strncmp(n, "SIG", 3) && !strcmp(n + 3, a))))
					sig = i;
			}
			if (!sig)
				fail("notify: expected a signal name, none or thread: '%s'", n);
			/* a message arriving must not end the holder */
			signal(sig, on_signal);
			ev.sigev_notify = SIGEV_SIGNAL;
			ev.sigev_signo = sig;
		}
		if (mq_notify(q, &ev) < 0)
			fail("mq_notify: %s", strerror(errno));
		printf(" notify=%s", ev.sigev_notify == SIGEV_SIGNAL ? "signal" : n);
		if (ev.sigev_notify == SIGEV_SIGNAL)
			printf(" signo=%d", ev.sigev_signo);
	}
	printf(" pid=%d\n", (int)getpid());
	free(path);
}

static void make_psem(const struct spec *s)
{
	static const char *const known[] = { "name", "value", "mode", "owner", NULL };
	check_attrs(s, known);
	const char *name = get(s, "name", NULL);
	if (!name)
		fail("psem: name= is required");
	char *path = slashed(name);
	unsigned value = (unsigned)num("value", get(s, "value", "0"));
	mode_t mode = mode_of(get(s, "mode", "600"));
	sem_t *sem = sem_open(path, O_CREAT | O_EXCL, mode, value);
	if (sem == SEM_FAILED)
		fail("sem_open: %s", strerror(errno));
	uid_t uid;
	gid_t gid;
	if (owner_of(s, &uid, &gid)) {
		/* sem_open keeps no descriptor: the file is /dev/shm/sem.NAME */
		char *file;
		if (asprintf(&file, "/dev/shm/sem.%s", path + 1) < 0)
			fail("out of memory");
		if (chown(file, uid, gid) < 0)
			fail("chown %s: %s", file, strerror(errno));
		free(file);
	}
	fputs("psem", stdout);
	print_name(path);
	printf(" value=%u mode=%04o pid=%d\n", value, (unsigned)mode, (int)getpid());
	free(path);
}

static const struct {
	const char *name;
	void (*make)(const struct spec *s);
} makers[] = {
	{ "shm", make_shm }, { "msg", make_msg }, { "sem", make_sem },
	{ "pshm", make_pshm }, { "pmsg", make_pmsg }, { "psem", make_psem },
};
#define NMAKERS (sizeof(makers) / sizeof(makers[0]))

static int maker_of(const char *arg)
{
	for (size_t i = 0; i < NMAKERS; i++)
		if (!strcmp(arg, makers[i].name))
			return (int)i;
	return -1;
}

int main(int argc, char **argv)
{
	bool do_hold = false;
	int a = 1;
	if (a < argc && !strcmp(argv[a], "--hold")) {
		do_hold = true;
		a++;
	}
	if (a >= argc || maker_of(argv[a]) < 0) {
		fprintf(stderr, "usage: mkipc [--hold] KIND [ATTR=VALUE]... [KIND ...]\n");
		return 2;
	}
	/* modes are taken as given, as a test expects them */
	umask(0);
	while (a < argc) {
		int m = maker_of(argv[a]);
		struct spec s = { argv[a], argv + a + 1, 0 };
		a++;
		while (a < argc && (strchr(argv[a], '=') || maker_of(argv[a]) < 0)) {
			s.nattrs++;
			a++;
		}
		makers[m].make(&s);
	}
	fflush(stdout);
	if (do_hold)
		hold("ready");
	kill_children();
	return 0;
}
