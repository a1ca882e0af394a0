/* pwzc: why a Linux screencast gives no frames, and how fast it goes when it does. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes: documented in man/pwzc.1 (EXIT STATUS); never renumber one. */
enum pwzc_exit {
    PWZC_EXIT_OK = 0,
    PWZC_EXIT_NOT_WORKING = 1,   /* probe: no offer works; negotiate: the offer does not */
    PWZC_EXIT_USAGE = 2,         /* bad option, unknown offer, bad value */
    PWZC_EXIT_PROFILE = 3,       /* unknown or malformed profile file */
    PWZC_EXIT_NO_DAEMON = 4,     /* no PipeWire daemon, bad --remote, --fd not a socket */
    PWZC_EXIT_NO_NODE = 5,       /* the node does not exist or is not a video producer */
    PWZC_EXIT_EMULATOR = 6,      /* the emulator child failed to start */
    PWZC_EXIT_SANDBOX = 7,       /* the private daemon could not be started */
    PWZC_EXIT_LOST = 8,          /* the daemon or the producer's node went away mid-run */
    PWZC_EXIT_NO_BUS = 9,        /* no D-Bus session bus (--mutter, --portal) */
    PWZC_EXIT_NO_SERVICE = 10,   /* no org.gnome.Mutter.ScreenCast / no portal on the bus */
    PWZC_EXIT_CANCELLED = 11,    /* the portal answered 1: the user cancelled */
    PWZC_EXIT_PORTAL = 12,       /* the portal answered 2, or a session call failed */
    PWZC_EXIT_NO_SOURCES = 13,   /* the portal offers no source types */
    PWZC_EXIT_CLOSED = 14,       /* the compositor closed the session mid-stream */
    PWZC_EXIT_OUTPUT = 15,       /* the output cannot be written (path, disk full, closed pipe) */
    PWZC_EXIT_UNSUPPORTED = 16,  /* the path or encoder asked for cannot run on this machine */
    PWZC_EXIT_THRESHOLD = 17,    /* bench: a --min-fps / --max-latency-p99-ms threshold missed */
    PWZC_EXIT_NO_MUXER = 18,     /* capture -o .mp4/.mkv, and this build has no libavformat */
    PWZC_EXIT_INTERNAL = 70,     /* a bug or an out-of-memory: please report it */
    PWZC_EXIT_INTERRUPTED = 130, /* SIGINT or SIGTERM before the work was done */
};

/* The one error a run ends with: main prints it as one line and exits with its code. */
struct pwzc_error {
    int exit_code;
    char message[512];
};

__attribute__((format(printf, 3, 4))) int pwzc_error_set(struct pwzc_error *err, int exit_code,
                                                         const char *fmt, ...);
/* The same, returning `res` (a negative errno) so an error path is one statement. */
__attribute__((format(printf, 4, 5))) int pwzc_fail(struct pwzc_error *err, int exit_code, int res,
                                                    const char *fmt, ...);

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

/* Seconds and milliseconds as the user types them ("1.5"), for --timeout and friends; sizes as
 * WIDTHxHEIGHT. -EINVAL for what is not such a value, -ERANGE for one outside these limits. */
#define PWZC_SECONDS_MAX 86400
#define PWZC_SIZE_MAX    16384
#define PWZC_SIZE_RANGE  "width and height from 1 to 16384"
int pwzc_parse_ms(const char *text, uint32_t *ms);
int pwzc_parse_u32(const char *text, uint32_t *value);
int pwzc_parse_size(const char *text, uint32_t *width, uint32_t *height);

/* The one line a bad value gets: "WHAT 'VALUE' is out of range (RANGE)" when res is -ERANGE and
 * there is a range, else "WHAT 'VALUE' is not EXPECTED". The second sets err (usage, exit 2). */
void pwzc_bad_value_text(char *buf, size_t size, const char *what, const char *value, int res,
                         const char *expected, const char *range);
int pwzc_bad_value(struct pwzc_error *err, const char *what, const char *value, int res,
                   const char *expected, const char *range);

/* CLOCK_MONOTONIC in ns: the emulator stamps frames with it, so latency needs no clock sync. */
uint64_t pwzc_now_ns(void);

/* This binary's path, to start the emulator as a child process. */
const char *pwzc_self_path(void);

/* Where data/ lives: $PWZC_DATADIR, the build tree beside the binary, or pkgdatadir. */
const char *pwzc_datadir(void);

int cmd_probe(const struct pwzc_options *opts, int argc, char **argv, struct pwzc_error *err);
int cmd_negotiate(const struct pwzc_options *opts, int argc, char **argv, struct pwzc_error *err);
int cmd_bench(const struct pwzc_options *opts, int argc, char **argv, struct pwzc_error *err);
int cmd_capture(const struct pwzc_options *opts, int argc, char **argv, struct pwzc_error *err);
int cmd_list(const struct pwzc_options *opts, int argc, char **argv, struct pwzc_error *err);
int cmd_emulate(const struct pwzc_options *opts, int argc, char **argv, struct pwzc_error *err);
int cmd_watch(const struct pwzc_options *opts, int argc, char **argv, struct pwzc_error *err);
int cmd_learn(const struct pwzc_options *opts, int argc, char **argv, struct pwzc_error *err);
