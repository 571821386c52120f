/*
 * Health checks of IPC for scripts and monitoring systems. Each check
 * family (limits, leaks, queues, semaphores, stuck) looks at the objects
 * of one IPC namespace and adds findings and metrics to a report; the
 * output formats (monitoring plugin, Prometheus text, JSON) print that
 * report and nothing else.
 */
#ifndef IPCX_CHECK_H
#define IPCX_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "../kind.h"

/* The monitoring-plugin states, which are also the exit codes. */
enum status { ST_OK = 0, ST_WARNING = 1, ST_CRITICAL = 2, ST_UNKNOWN = 3 };

const char *status_name(enum status s);
/* The worse of two states: CRITICAL, then WARNING, then UNKNOWN, then OK,
 * as the monitoring plugins' max_state ranks them. */
enum status status_worse(enum status a, enum status b);

/* What a threshold measures. */
enum thr_unit { TU_PERCENT, TU_SECONDS };

/* One threshold: a check's, or a part of one (queues.full). */
struct thr_def {
	const char *key;	/* as --warn and --crit name it */
	enum thr_unit unit;
	double warn, crit;	/* defaults */
	const char *what;	/* for the help */
};

enum thr_key { TH_LIMITS, TH_LEAKS, TH_QUEUES_FULL, TH_QUEUES_STALE, TH_SEMAPHORES, TH_STUCK,
	       NTHR };
extern const struct thr_def thr_defs[NTHR];

/*
 * Parses KEY=VALUE of --warn or --crit into t[]. Returns 0, or -1 with a
 * one-line reason in why (malloc'd).
 */
int thr_parse(const char *arg, double t[NTHR], char **why);
/* Formats a threshold as it was given: "80%", "5m", "90s". */
void thr_format(enum thr_unit u, double v, char *buf, size_t len);
/* A duration for messages: "3d4h", "12m5s", "7s". */
void dur_format(double secs, char *buf, size_t len);

/* A thread blocked in an IPC system call, found once for the whole run. */
struct ipc_wait {
	pid_t pid, tid;
	ino_t ns;		/* the IPC namespace of the process */
	long nr;		/* the system call */
	unsigned long arg0;	/* its first argument: an id, or a descriptor */
	const char *kind;	/* "msg", "sem", "pmsg" */
	double blocked;		/* seconds since it last ran; < 0 when not known */
	const char *unknown;	/* why not known */
	char comm[32];
};

/* One thing found wrong (or not known): a line of long output, a JSON object. */
struct finding {
	const char *check;
	enum status status;
	ino_t ns;
	const char *kind;	/* NULL when it concerns no kind */
	long long id;		/* System V id, or -1 */
	int key;
	char *name;		/* POSIX name with its slash, or NULL */
	const char *limit;	/* the limit's name, for limits; else NULL */
	bool has_value;
	double value;		/* what was measured, in unit */
	enum thr_unit unit;
	double warn, crit;	/* the thresholds it was held to */
	pid_t *pids;		/* processes it names: waiters, creator */
	size_t npids;
	char *text;		/* what a person reads */
};

/* One measured value: perfdata, a Prometheus sample, a JSON object. */
struct metric {
	const char *check;
	const char *prom;	/* Prometheus name, without the ipcx_ prefix */
	const char *help;	/* its HELP line */
	const char *label;	/* perfdata label; NULL: not in perfdata */
	bool in_prom;
	ino_t ns;
	const char *kind;	/* NULL: no kind label */
	const char *limit;	/* NULL: no limit label */
	char value[32];
	const char *uom;	/* perfdata unit: "", "%", "B", "s" */
	char warn[32], crit[32], min[32], max[32];	/* "" when none */
};

/* The checks, in their order of output. */
enum check_id { CK_LIMITS, CK_LEAKS, CK_QUEUES, CK_SEMAPHORES, CK_STUCK, NCHECKS };

struct check_ctx;

struct check_def {
	const char *name;
	const char *summary;
	/* Runs in the namespace entered; NULL for checks that see every process at once. */
	void (*run_ns)(struct check_ctx *c);
};

extern const struct check_def check_defs[NCHECKS];
/* The index of a check by name, or -1. */
int check_index(const char *name);

struct report {
	struct finding *f;
	size_t nf;
	struct metric *m;
	size_t nm;
	bool ran[NCHECKS];
	enum status status[NCHECKS];
	size_t count[NCHECKS][4];	/* findings of each check by status */
	bool all_ns;
};

struct check_ctx {
	struct report *r;
	double warn[NTHR], crit[NTHR];
	time_t now;
	ino_t ns;			/* the namespace being checked */
	bool all_ns;
	/* objects of the namespace, scanned once when a check asks */
	struct objlist lists[64];
	bool scanned[64];
	int scan_err[64];
	unsigned scan_told[64];		/* checks told of a failed scan, by bit */
	char *scan_note[64];
	/* from the walk of the processes, made once for the run */
	const struct ipc_wait *waits;
	size_t nwaits;
	const uid_t *uids;		/* users that have a process, sorted */
	size_t nuids;
};

/*
 * The objects of kind NAME in the namespace, scanned once. NULL when the
 * kind cannot be listed there: an UNKNOWN finding of check has been added,
 * unless the kind's file system is not mounted (a note, see ctx_note).
 */
const struct objlist *ctx_objects(struct check_ctx *c, const char *check, const char *kind,
				  const struct kind **k);
/* The scan note of a kind (an unmounted mqueue), or NULL. */
const char *ctx_note(struct check_ctx *c, const char *kind);
void ctx_forget(struct check_ctx *c);

/* Adds a finding; takes text, name and pids. */
struct finding *report_add(struct check_ctx *c, const char *check, enum status st, char *text);
/* A finding about object o, which it names (kind, id, key, name), with a value. */
struct finding *report_obj(struct check_ctx *c, const char *check, enum status st, char *text,
			   const struct ipc_obj *o);
struct metric *report_metric(struct check_ctx *c, const char *check, const char *prom,
			     const char *help, const char *label);
void report_free(struct report *r);

/* The status of a measure against the thresholds: over crit, over warn. */
enum status thr_status(double v, double warn, double crit);

/* Formats a number for perfdata and Prometheus: integers exactly, else up to 2 decimals. */
void num_format(double v, char *buf, size_t len);
void ull_format(unsigned long long v, char *buf, size_t len);

/* The blocked threads and the users with processes, read before any namespace is entered. */
void waits_collect(bool all_ns, struct ipc_wait **v, size_t *n);
void uids_collect(uid_t **v, size_t *n);
bool uid_has_process(const struct check_ctx *c, uid_t uid);

void check_limits(struct check_ctx *c);
void check_leaks(struct check_ctx *c);
void check_queues(struct check_ctx *c);
void check_semaphores(struct check_ctx *c);
/* Over every wait at once, after the namespaces. */
void check_stuck(struct check_ctx *c);

/* Output formats. */
void print_plugin(FILE *f, const struct report *r);
void print_prometheus(FILE *f, const struct report *r);
void print_json(FILE *f, const struct report *r);
/* The report's overall state, which is the exit code. */
enum status report_status(const struct report *r);

#endif
