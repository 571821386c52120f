/*
 * The IPC kind interface. A kind is a small class: it scans its objects,
 * declares its columns, and fills one cell of one object on demand.
 * Commands never switch on the kind; they ask it.
 */
#ifndef IPCX_KIND_H
#define IPCX_KIND_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

struct ipc_obj;
struct kind;
struct holders;
struct out_doc;
struct mk_ops;
struct msg_ops;
struct sem_ops;
struct shm_ops;

/* How a column's values are typed, formatted and compared. */
enum col_type {
	CT_STR,		/* text; escaped on output */
	CT_NUM,		/* unsigned integer; a JSON number */
	CT_SIZE,	/* bytes; human-readable unless --bytes; a JSON number */
	CT_TIME,	/* seconds since the epoch; --time-format */
	CT_FLOAT,	/* a percentage or ratio; a JSON number */
};

enum col_flags {
	COL_DEFAULT = 1 << 0,	/* shown without -o */
	COL_RIGHT = 1 << 1,
	COL_TRUNC = 1 << 2,	/* may be truncated to fit the terminal */
	COL_WRAP = 1 << 3,
	/*
	 * The kind escaped the text itself with esc_bytes (bytes a cell
	 * cannot carry, such as NUL): its \xNN are escapes, shown as they are.
	 */
	COL_ESCAPED = 1 << 4,
};

/* A value's state: absent values are null in JSON, "-" in tables. */
enum cell_state {
	CELL_OK,
	CELL_ABSENT,	/* the object has no such value (never attached, ...) */
	CELL_UNKNOWN,	/* could not be read: why says why */
};

struct cell {
	enum cell_state state;
	unsigned long long num;	/* CT_NUM, CT_SIZE, CT_TIME */
	double fnum;		/* CT_FLOAT */
	const char *str;	/* CT_STR; points into the object or buf */
	size_t len;		/* length of str: names may hold NUL-free binary */
	const char *why;	/* CELL_UNKNOWN: the reason, e.g. strerror */
	char buf[64];
};

struct column {
	const char *name;
	enum col_type type;
	unsigned flags;
	double width;		/* libsmartcols width hint */
	const char *help;
	void (*get)(const struct ipc_obj *o, struct cell *c);
};

/* Fields every kind may share; a kind leaves unknown ones to its columns. */
struct ipc_obj {
	const struct kind *kind;
	long long id;		/* System V id; -1 for named objects */
	int key;		/* System V key */
	char *name;		/* POSIX name without the leading '/'; raw bytes */
	mode_t mode;		/* permission bits (and kind flags in the high bits) */
	uid_t uid, cuid;
	gid_t gid, cgid;
	time_t ctime;		/* change time; 0 when never */
	pid_t cpid, lpid;	/* creator and last operator; 0 when unknown */
	int err;		/* errno of a failed per-object read, 0 if none */
	void *priv;		/* the kind's own data */
	struct holders *holders;	/* found when first asked (obj_holders) */
};

struct objlist {
	struct ipc_obj **v;
	size_t n, cap;
	/*
	 * When set, objlist_add hands each object to take, which owns it,
	 * instead of keeping it: a listing prints rows as the scan finds
	 * them. Only for kinds whose objects are whole when added (streams).
	 */
	void (*take)(struct ipc_obj *o, void *arg);
	void *take_arg;
};

/* What a kind may say about one of its sections, once: "not mounted", ... */
struct scan_note {
	char *text;
};

struct kind {
	const char *name;	/* "shm", as util-linux names it */
	int order;		/* place in listings: System V first, then POSIX */
	const char *title;	/* section title */
	const char *defcols;	/* default columns, comma separated */
	const struct column *cols;
	size_t ncols;
	bool named;		/* looked up by NAME (POSIX) rather than ID|KEY */
	/*
	 * Objects found only by walking the processes' descriptors (pipe,
	 * unix, eventfd, ...): listed when named, never by a plain ls.
	 */
	bool fd_based;
	/* scan adds each object whole and never looks at the list again */
	bool streams;
	/* scan opens each object's file, to read it: opens and closes that
	 * inotify reports, as it does a holder's (see lib/tui/watch.h) */
	bool opens_files;
	/*
	 * Appends every object to list. Returns 0, or -errno when the kind
	 * cannot be listed at all; note may receive one line for the user.
	 */
	int (*scan)(struct objlist *list, struct scan_note *note);
	/* Frees priv. */
	void (*free_priv)(void *priv);
	/*
	 * Adds to show's document what the columns cannot hold (the elements
	 * of a semaphore set, ...). Returns 0 or -errno when it could not.
	 */
	int (*show_extra)(const struct ipc_obj *o, struct out_doc *doc);

	/*
	 * Finds the processes that hold or wait on o (lib/holders.h). Called
	 * only when a holder column or who asks: it walks /proc.
	 */
	void (*holders)(const struct ipc_obj *o, struct holders *out);

	/* What changes state (lib/ops.h); NULL where it does not apply. */
	const struct mk_ops *mk;
	int (*remove)(const struct ipc_obj *o, unsigned flags, char *why, size_t whylen);
	const struct msg_ops *msg;
	const struct sem_ops *sem;
	const struct shm_ops *shm;
};

/*
 * A kind file registers itself, so adding a kind touches that file alone:
 * the linker gathers the pointers into one section.
 */
#define KIND_REGISTER(k) \
	static const struct kind *const k##_entry \
	__attribute__((used, section("ipcx_kinds"), aligned(sizeof(void *)))) = &k

/* The registry of kinds, in display order. */
extern const struct kind *const *kinds;
extern size_t nkinds;
void kinds_init(void);

const struct kind *kind_by_name(const char *name);
/* Comma-separated names of every kind, for messages. */
const char *kind_names(void);
const struct column *kind_column(const struct kind *k, const char *name);

struct ipc_obj *obj_new(const struct kind *k);
/*
 * An object with its kind's data (o->priv, zeroed) in the same block:
 * one allocation for each of the 10,000 objects that top's every
 * refresh makes again. Only for kinds without free_priv.
 */
struct ipc_obj *obj_new_with(const struct kind *k, size_t priv_size);
void obj_free(struct ipc_obj *o);
void objlist_add(struct objlist *l, struct ipc_obj *o);
void objlist_free(struct objlist *l);

/* The holders of o, found once; never NULL. */
const struct holders *obj_holders(const struct ipc_obj *o);

/* "shm 32769" or "pmsg /jobs", escaped for messages; malloc'd. */
char *obj_label(const struct ipc_obj *o);

/*
 * Finds the object that ARG names: a NAME for named kinds; for System V
 * an id in decimal, a key as 0xHEX, or explicit "id:N" / "key:N".
 * Returns NULL and sets *why to a message when nothing matches, and
 * *malformed when ARG is not even of the right form.
 */
struct ipc_obj *kind_lookup(const struct objlist *l, const struct kind *k,
			    const char *arg, const char **why, bool *malformed);

/* Checks the form of ARG alone, before anything is scanned or changed. */
bool kind_arg_valid(const struct kind *k, const char *arg, const char **why);

#endif
