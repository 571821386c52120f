/* The command table: every command of ipcx, its function and its summary. */
#ifndef IPCX_COMMANDS_H
#define IPCX_COMMANDS_H

#include <getopt.h>

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const struct option *longopts;	/* for completions and their test */
};

extern const struct command commands[];
extern const size_t ncommands;

int cmd_ls(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_limits(int argc, char **argv);
int cmd_mk(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_send(int argc, char **argv);
int cmd_recv(int argc, char **argv);
int cmd_sem(int argc, char **argv);
int cmd_shm(int argc, char **argv);
int cmd_who(int argc, char **argv);
int cmd_ns(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_sig(int argc, char **argv);
int cmd_kill(int argc, char **argv);
int cmd_check(int argc, char **argv);

extern const struct option ls_longopts[], show_longopts[], limits_longopts[], mk_longopts[],
	rm_longopts[], send_longopts[], recv_longopts[], sem_longopts[], shm_longopts[],
	who_longopts[], ns_longopts[], top_longopts[], trace_longopts[], sig_longopts[],
	kill_longopts[], check_longopts[];

#endif
