#include "proc.h"

#include <dlfcn.h>
#include <errno.h>
#include <grp.h>
#include <libproc2/pids.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* A small open-addressing map from an id to a string (NULL: known absent). */
struct idmap {
	struct idslot {
		unsigned long id;
		char *val;
		bool used;
	} *slots;
	size_t cap, n;
};

static struct idslot *idmap_find(struct idmap *m, unsigned long id, bool *found)
{
	if (m->n * 2 >= m->cap) {
		struct idmap old = *m;
		m->cap = m->cap ? m->cap * 2 : 64;
		m->slots = xcalloc(m->cap, sizeof(*m->slots));
		m->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.slots[i].used) {
				bool f;
				struct idslot *s = idmap_find(m, old.slots[i].id, &f);
				*s = old.slots[i];
				m->n++;
			}
		free(old.slots);
	}
	size_t i = (id * 2654435761u) & (m->cap - 1);
	while (m->slots[i].used && m->slots[i].id != id)
		i = (i + 1) & (m->cap - 1);
	*found = m->slots[i].used;
	return &m->slots[i];
}

static void idmap_put(struct idmap *m, struct idslot *s, unsigned long id, const char *val)
{
	s->used = true;
	s->id = id;
	s->val = val ? xstrdup(val) : NULL;
	m->n++;
}

static void idmap_free(struct idmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].val);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

static struct idmap comms, users, groups;
static struct pids_info *pids;
static enum pids_item pid_items[] = { PIDS_ID_PID, PIDS_CMD };

/*
 * libproc2 is loaded on the first process name asked for, not at start:
 * with what it links (libsystemd, libgcrypt, liblzma, libzstd, ...) it
 * doubled the start-up of every command, most of which never name a
 * process. The soname is that of procps-ng 4.
 */
#define LIBPROC2_SONAME "libproc2.so.0"

static struct {
	__typeof__(procps_pids_new) *pids_new;
	__typeof__(procps_pids_unref) *pids_unref;
	__typeof__(procps_pids_reap) *pids_reap;
	__typeof__(procps_pids_select) *pids_select;
} lib;

static bool lib_load(void)
{
	static int state;	/* 0 not tried, 1 loaded, -1 failed */
	if (state)
		return state > 0;
	state = -1;
	void *h = dlopen(LIBPROC2_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		err_msg("cannot load %s, process names are not shown: %s", LIBPROC2_SONAME,
			dlerror());
		return false;
	}
	lib.pids_new = (__typeof__(lib.pids_new))dlsym(h, "procps_pids_new");
	lib.pids_unref = (__typeof__(lib.pids_unref))dlsym(h, "procps_pids_unref");
	lib.pids_reap = (__typeof__(lib.pids_reap))dlsym(h, "procps_pids_reap");
	lib.pids_select = (__typeof__(lib.pids_select))dlsym(h, "procps_pids_select");
	if (!lib.pids_new || !lib.pids_unref || !lib.pids_reap || !lib.pids_select) {
		err_msg("%s lacks the pids interface, process names are not shown",
			LIBPROC2_SONAME);
		return false;
	}
	state = 1;
	return true;
}

void proc_preload(void)
{
	lib_load();
}

/* The pids handle, made on first use; false when libproc2 is not there. */
static bool pids_ready(void)
{
	if (pids)
		return true;
	if (!lib_load() || lib.pids_new(&pids, pid_items, 2) < 0) {
		pids = NULL;
		return false;
	}
	return true;
}

/*
 * Many names are asked for when holders are listed: past a few look-ups,
 * one reap of every process costs less than a select per pid.
 */
#define SELECTS_BEFORE_REAP 16

static bool reaped;

static void reap_all(void)
{
	reaped = true;
	if (!pids_ready())
		return;
	struct pids_fetch *f = lib.pids_reap(pids, PIDS_FETCH_TASKS_ONLY);
	if (!f)
		return;
	for (int i = 0; i < f->counts->total; i++) {
		bool found;
		pid_t pid = PIDS_VAL(0, s_int, f->stacks[i], pids);
		const char *name = PIDS_VAL(1, str, f->stacks[i], pids);
		struct idslot *s = idmap_find(&comms, (unsigned long)pid, &found);
		if (!found)
			idmap_put(&comms, s, (unsigned long)pid, name);
	}
}

const char *proc_comm(pid_t pid)
{
	static unsigned selects;
	bool found;
	if (pid <= 0)
		return NULL;
	struct idslot *s = idmap_find(&comms, (unsigned long)pid, &found);
	if (found)
		return s->val;
	if (!reaped && ++selects > SELECTS_BEFORE_REAP) {
		reap_all();
		s = idmap_find(&comms, (unsigned long)pid, &found);
		if (found)
			return s->val;
	}
	if (!pids_ready())
		return NULL;
	unsigned p = (unsigned)pid;
	struct pids_fetch *f = lib.pids_select(pids, &p, 1, PIDS_SELECT_PID);
	const char *name = NULL;
	if (f && f->counts->total > 0)
		name = PIDS_VAL(1, str, f->stacks[0], pids);
	/* the map may have grown during the lookup: find the slot again */
	s = idmap_find(&comms, (unsigned long)pid, &found);
	idmap_put(&comms, s, (unsigned long)pid, name);
	return s->val;
}

void proc_comm_note(pid_t pid, const char *comm)
{
	bool found;
	struct idslot *s = idmap_find(&comms, (unsigned long)pid, &found);
	if (!found)
		idmap_put(&comms, s, (unsigned long)pid, comm);
}

bool proc_alive(pid_t pid)
{
	if (pid <= 0)
		return false;
	return kill(pid, 0) == 0 || errno == EPERM;
}

const char *user_name(uid_t uid)
{
	bool found;
	struct idslot *s = idmap_find(&users, uid, &found);
	if (!found) {
		struct passwd *pw = getpwuid(uid);
		idmap_put(&users, s, uid, pw ? pw->pw_name : NULL);
	}
	return s->val;
}

const char *group_name(gid_t gid)
{
	bool found;
	struct idslot *s = idmap_find(&groups, gid, &found);
	if (!found) {
		struct group *gr = getgrgid(gid);
		idmap_put(&groups, s, gid, gr ? gr->gr_name : NULL);
	}
	return s->val;
}

int user_lookup(const char *s, uid_t *uid)
{
	struct passwd *pw = getpwnam(s);
	if (pw) {
		*uid = pw->pw_uid;
		return 0;
	}
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (*s && !*end && !errno && v < (uid_t)-1) {
		*uid = (uid_t)v;
		return 0;
	}
	return -1;
}

void proc_cache_free(void)
{
	reaped = false;
	idmap_free(&comms);
	idmap_free(&users);
	idmap_free(&groups);
	if (pids)
		lib.pids_unref(&pids);
}
