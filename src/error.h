/* How a run fails: the exit-code table and the one error context a run ends with. */
#pragma once

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

/* The one error a run ends with: main prints it as one line and exits with its code. Every
 * function returns 0 or a negative errno and fills this once, where it knows what went wrong. */
struct pwzc_error {
    int exit_code;
    char message[512];
};

/* Fills the error where the failure is understood and returns `res`, a negative errno, so an
 * error path is one statement. The first error is the cause: one already there is kept, since
 * later failures are its consequences, and nothing rewrites it. */
__attribute__((format(printf, 4, 5))) int pwzc_fail(struct pwzc_error *err, int exit_code, int res,
                                                    const char *fmt, ...);
