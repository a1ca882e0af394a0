/* pwzc: why a Linux screencast gives no frames, and how fast it goes when it does. */
#pragma once

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
};

struct command {
    const char *name;
    int (*run)(const struct pwzc_options *opts, int argc, char **argv, struct pwzc_error *err);
    const char *usage;
    const char *summary;
    bool session;             /* takes the session options (SESSION_HELP in pwzc.c) */
    const char *options_help; /* its own option lines, shown by CMD --help */
};

/* Prints CMD --help from the command table, so usage text lives in one place. */
void pwzc_print_command_help(FILE *out, const char *name);

int cmd_probe(const struct pwzc_options *opts, int argc, char **argv, struct pwzc_error *err);
int cmd_negotiate(const struct pwzc_options *opts, int argc, char **argv, struct pwzc_error *err);
int cmd_bench(const struct pwzc_options *opts, int argc, char **argv, struct pwzc_error *err);
int cmd_capture(const struct pwzc_options *opts, int argc, char **argv, struct pwzc_error *err);
int cmd_list(const struct pwzc_options *opts, int argc, char **argv, struct pwzc_error *err);
int cmd_emulate(const struct pwzc_options *opts, int argc, char **argv, struct pwzc_error *err);
