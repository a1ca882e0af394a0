/* pwzc: why a Linux screencast gives no frames, and how fast it goes when it does. */
#pragma once

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "util.h"

/* Options every subcommand sees (parsed before the subcommand's name). */
struct pwzc_options {
    bool json;
    int verbose;
    const char *remote; /* PipeWire remote name, NULL for the default */
    int fd;             /* an already-connected PipeWire socket, or -1 */
    bool terminal;      /* stdout is a terminal: tables get a header line */
    bool color;         /* stdout is a terminal, NO_COLOR is unset and TERM is not dumb */
    bool progress;      /* stderr is a terminal and TERM is not dumb: show progress there */
    const char *argv0;  /* how we were started: the emulator child re-runs it */
    /* Where sessions run on several threads at once (probe --jobs), the flag they share: a
     * signal one connection reads stops them all. NULL: none. */
    atomic_bool *stop;
};
