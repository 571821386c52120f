/* Object filters shared by ls and rm: owner, key, name, creator, age. */
#ifndef IPCX_FILTER_H
#define IPCX_FILTER_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "kind.h"

struct filter {
	bool by_user;
	uid_t uid;
	bool by_key;
	int key;
	const char *name_glob;
	bool creator_gone;
	bool unattached;
	bool by_age;
	double older_than;	/* seconds */
	time_t now;
};

enum {
	OPT_FILTER_KEY = 0x200,
	OPT_FILTER_NAME,
	OPT_FILTER_CREATOR_GONE,
	OPT_FILTER_OLDER_THAN,
	OPT_FILTER_UNATTACHED,
};

#define FILTER_SHORTOPTS "u:"
#define FILTER_LONGOPTS \
	{ "user", required_argument, NULL, 'u' }, \
	{ "key", required_argument, NULL, OPT_FILTER_KEY }, \
	{ "name", required_argument, NULL, OPT_FILTER_NAME }, \
	{ "creator-gone", no_argument, NULL, OPT_FILTER_CREATOR_GONE }, \
	{ "older-than", required_argument, NULL, OPT_FILTER_OLDER_THAN }, \
	{ "unattached", no_argument, NULL, OPT_FILTER_UNATTACHED }

void filter_init(struct filter *f);
/* Takes one option of FILTER_LONGOPTS; exits naming a bad value. */
bool filter_opt(struct filter *f, int c, const char *arg);
void filter_usage(FILE *out);
bool filter_active(const struct filter *f);
bool filter_match(const struct filter *f, const struct ipc_obj *o);
/* Removes from l what does not match. */
void filter_list(const struct filter *f, struct objlist *l);

#endif
