#include "sysvipc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int split(char *line, char **tok)
{
	int n = 0;
	char *p = line;
	while (*p && n < SYSVIPC_MAXCOLS) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		tok[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

static char *next_line(char **pos)
{
	char *line = *pos;
	if (!line || !*line)
		return NULL;
	char *nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*pos = nl + 1;
	} else {
		*pos = line + strlen(line);
	}
	return line;
}

int sysvipc_open(struct sysvipc *s, const char *path)
{
	memset(s, 0, sizeof(*s));
	s->buf = read_file(path, NULL);
	if (!s->buf)
		return -errno;
	s->pos = s->buf;
	char *hdr = next_line(&s->pos);
	if (!hdr) {
		free(s->buf);
		s->buf = NULL;
		return -EINVAL;
	}
	s->ncols = split(hdr, s->names);
	return 0;
}

int sysvipc_col(const struct sysvipc *s, const char *name)
{
	for (int i = 0; i < s->ncols; i++)
		if (!strcmp(s->names[i], name))
			return i;
	return -1;
}

bool sysvipc_next(struct sysvipc *s)
{
	char *line;
	while ((line = next_line(&s->pos))) {
		int n = split(line, s->tok);
		if (n >= s->ncols)
			return true;
	}
	return false;
}

unsigned long long sysvipc_u(const struct sysvipc *s, int idx)
{
	return idx < 0 ? 0 : strtoull(s->tok[idx], NULL, 10);
}

long long sysvipc_s(const struct sysvipc *s, int idx)
{
	return idx < 0 ? 0 : strtoll(s->tok[idx], NULL, 10);
}

unsigned sysvipc_oct(const struct sysvipc *s, int idx)
{
	return idx < 0 ? 0 : (unsigned)strtoul(s->tok[idx], NULL, 8);
}

void sysvipc_close(struct sysvipc *s)
{
	free(s->buf);
	memset(s, 0, sizeof(*s));
}
