/* Time formats for columns and durations for filters. */
#ifndef IPCX_TIMEFMT_H
#define IPCX_TIMEFMT_H

#include <time.h>

#include "out.h"

/* Formats t (seconds since the epoch) for a column; malloc'd. */
char *format_time(time_t t, enum time_fmt tf, time_t now);

#endif
