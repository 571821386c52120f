/* Unit tests of lib/sysvipc.c: reading /proc/sysvipc files by column name,
 * from temporary files written as the kernel prints them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sysvipc.h"
#include "tap.h"

static char path[64];

/* Writes text to a fresh temporary file named in path. */
static void write_tmp(const char *text)
{
	const char *dir = getenv("TMPDIR");
	snprintf(path, sizeof(path), "%s/ipcx-sysvipc.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		perror("mkstemp");
		exit(1);
	}
	FILE *f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
}

/* The layout of /proc/sysvipc/shm (keys %10d, perms %4o), with a segment of
 * key 0xdeadbeef (negative as %d), a removed one (perms 1600: SHM_DEST), and
 * lines a reader must pass over. The last line has no newline. */
static const char shm_text[] =
	"       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid"
		"      atime      dtime      ctime                   rss                  swap\n"
	"-559038737          3   600                  4096  1234  1240      1  1000  1000  1000  1000"
		" 1700000100 1700000050 1700000000                  4096                     0\n"
	"\n"
	"garbage\n"
	"         1          2  644 4096\n"
	"         0      32769  1600         1099511627776   77    0      0     0     0     0     0"
		"          0          0 1700000200                     0                  8192\n"
	"        -1          5   666                    16     1     1      2 65534 65534     0     0"
		" 1700000300 1700000300 1700000300                     0                     0";

static void test_shm(void)
{
	struct sysvipc s;
	write_tmp(shm_text);
	int r = sysvipc_open(&s, path);
	unlink(path);
	if (!CHECK(r == 0, "sysvipc_open reads a shm file")) {
		printf("#   error: %d\n", r);
		return;
	}
	CHECK_EQ(s.ncols, 16, "the header names 16 columns");
	int key = sysvipc_col(&s, "key"), id = sysvipc_col(&s, "shmid");
	int perms = sysvipc_col(&s, "perms"), size = sysvipc_col(&s, "size");
	int nattch = sysvipc_col(&s, "nattch"), ctime = sysvipc_col(&s, "ctime");
	int swap = sysvipc_col(&s, "swap"), missing = sysvipc_col(&s, "nosuch");
	CHECK_EQ(key, 0, "key is column 0");
	CHECK_EQ(perms, 2, "perms is column 2");
	CHECK_EQ(swap, 15, "swap is the last column");
	CHECK_EQ(missing, -1, "a column this kernel lacks is -1");
	CHECK_EQ(sysvipc_col(&s, "KEY"), -1, "column names match exactly");

	if (!CHECK(sysvipc_next(&s), "first row"))
		goto out;
	CHECK_EQ(sysvipc_s(&s, key), -559038737, "a negative key reads back signed");
	CHECK_EQ((unsigned)sysvipc_s(&s, key), 0xdeadbeefu, "which is the key 0xdeadbeef");
	CHECK_UEQ(sysvipc_u(&s, id), 3, "shmid");
	CHECK_EQ(sysvipc_oct(&s, perms), 0600, "perms are octal");
	CHECK_UEQ(sysvipc_u(&s, size), 4096, "size");
	CHECK_UEQ(sysvipc_u(&s, nattch), 1, "nattch");
	CHECK_UEQ(sysvipc_u(&s, ctime), 1700000000, "ctime");
	/* a kind asks for a field the kernel does not have and gets a zero */
	CHECK_UEQ(sysvipc_u(&s, missing), 0, "a missing column reads 0 unsigned");
	CHECK_EQ(sysvipc_s(&s, missing), 0, "a missing column reads 0 signed");
	CHECK_EQ(sysvipc_oct(&s, missing), 0, "a missing column reads 0 octal");

	/* the empty line, "garbage" and the four-field line have too few fields */
	if (!CHECK(sysvipc_next(&s), "second row, past the short and garbage lines"))
		goto out;
	CHECK_EQ(sysvipc_s(&s, key), 0, "IPC_PRIVATE key");
	CHECK_UEQ(sysvipc_u(&s, id), 32769, "shmid of the second row");
	CHECK_EQ(sysvipc_oct(&s, perms), 01600, "perms with SHM_DEST");
	CHECK_UEQ(sysvipc_u(&s, size), 1099511627776ULL, "a size past 32 bits");
	CHECK_UEQ(sysvipc_u(&s, swap), 8192, "the last column");

	if (!CHECK(sysvipc_next(&s), "third row, without a final newline"))
		goto out;
	CHECK_EQ(sysvipc_s(&s, key), -1, "key -1 (0xffffffff)");
	CHECK_EQ(sysvipc_oct(&s, perms), 0666, "perms of the third row");
	CHECK_UEQ(sysvipc_u(&s, ctime), 1700000300, "ctime of the last row");

	CHECK(!sysvipc_next(&s), "no fourth row");
	CHECK(!sysvipc_next(&s), "the end stays the end");
out:
	sysvipc_close(&s);
	CHECK(s.buf == NULL, "sysvipc_close frees the buffer");
}

/* Columns are found by name: a kernel that adds or moves one is still read. */
static void test_other_layout(void)
{
	struct sysvipc s;
	write_tmp("perms\tkey  newcol msqid\n"
		  "  1666\t  -2  x  7  extra fields are fine\n");
	int r = sysvipc_open(&s, path);
	unlink(path);
	if (!CHECK(r == 0, "sysvipc_open reads a file with another layout"))
		return;
	int key = sysvipc_col(&s, "key"), perms = sysvipc_col(&s, "perms");
	int id = sysvipc_col(&s, "msqid");
	CHECK(key == 1 && perms == 0 && id == 3, "columns found by name, tabs separate too");
	if (CHECK(sysvipc_next(&s), "a row with more fields than the header")) {
		CHECK_EQ(sysvipc_s(&s, key), -2, "key");
		CHECK_EQ(sysvipc_oct(&s, perms), 01666, "perms");
		CHECK_UEQ(sysvipc_u(&s, id), 7, "msqid");
	}
	CHECK(!sysvipc_next(&s), "one row only");
	sysvipc_close(&s);
}

/* read_file grows its buffer past 64 KiB: a long file must read whole. */
static void test_long(void)
{
	size_t cap = 6000 * 32 + 64;
	char *text = malloc(cap), *w = text;
	w += sprintf(w, "key id\n");
	for (int i = 0; i < 6000; i++)
		w += sprintf(w, "%10d %10d\n", -i, i);
	size_t len = (size_t)(w - text);
	write_tmp(text);
	free(text);
	struct sysvipc s;
	int r = sysvipc_open(&s, path);
	unlink(path);
	if (!CHECK(r == 0 && len > 65536, "sysvipc_open reads a file of %zu bytes", len))
		return;
	int n = 0;
	long long last_key = 1;
	unsigned long long last_id = 0;
	while (sysvipc_next(&s)) {
		last_key = sysvipc_s(&s, 0);
		last_id = sysvipc_u(&s, 1);
		n++;
	}
	CHECK_EQ(n, 6000, "every row of a long file");
	CHECK(last_key == -5999 && last_id == 5999, "the last row of a long file");
	sysvipc_close(&s);
}

static void test_errors(void)
{
	struct sysvipc s;
	CHECK_EQ(sysvipc_open(&s, "/nonexistent/ipcx/sysvipc"), -ENOENT,
		 "a missing file is -ENOENT");
	write_tmp("");
	CHECK_EQ(sysvipc_open(&s, path), -EINVAL, "an empty file is -EINVAL");
	unlink(path);
	write_tmp("key shmid perms\n");
	if (CHECK(sysvipc_open(&s, path) == 0, "a header alone opens")) {
		CHECK(!sysvipc_next(&s), "and has no rows");
		sysvipc_close(&s);
	}
	unlink(path);
}

int main(void)
{
	test_shm();
	test_other_layout();
	test_long();
	test_errors();
	return tap_done();
}
