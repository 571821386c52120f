#include "mounts.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* mountinfo escapes space, tab, newline and backslash as \ooo */
static void unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

static char *dir;
static bool done;

void mounts_forget(void)
{
	free(dir);
	dir = NULL;
	done = false;
}

const char *mqueue_dir(void)
{
	if (done)
		return dir;
	done = true;
	char *buf = read_file("/proc/self/mountinfo", NULL);
	if (!buf)
		return NULL;
	char *save = NULL;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sep = strstr(line, " - ");
		if (!sep || strncmp(sep + 3, "mqueue ", 7))
			continue;
		/* id parent major:minor root mountpoint ... */
		char *f = line;
		for (int i = 0; i < 4 && f; i++) {
			f = strchr(f, ' ');
			if (f)
				f++;
		}
		if (!f)
			continue;
		char *end = strchr(f, ' ');
		if (!end)
			continue;
		*end = '\0';
		unescape(f);
		if (!dir || !strcmp(f, "/dev/mqueue")) {
			free(dir);
			dir = xstrdup(f);
		}
	}
	free(buf);
	return dir;
}
