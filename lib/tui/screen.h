/*
 * top's screen: ncurses drawing of frames, and the keys and mouse clicks
 * of htop and top. The main loop (cmd/top.c) owns time and signals; the
 * screen owns what is shown and asks the loop for refreshes.
 */
#ifndef IPCX_TUI_SCREEN_H
#define IPCX_TUI_SCREEN_H

#include <stdbool.h>

#include "model.h"

enum key_result { K_NONE, K_REDRAW, K_REFRESH, K_QUIT };

struct screen;

/* Starts curses; the terminal is restored at exit whatever happens. */
struct screen *screen_open(double delay, const bool sel[]);
void screen_close(struct screen *s);
/* Leaves curses if it is on: safe from atexit and after errors. */
void screen_restore(void);

void screen_draw(struct screen *s, struct frame *f);
/* Takes every key waiting; stop is polled during prompts. */
enum key_result screen_input(struct screen *s, struct frame *f, volatile int *stop);

/* Which kinds the model scans: the others always, a descriptor kind when shown. */
void screen_want(const struct screen *s, bool want[]);
double screen_delay(const struct screen *s);
bool screen_paused(const struct screen *s);

#endif
