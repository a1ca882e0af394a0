/* Where the producer comes from: a node id, the emulator, and (later) Mutter or a portal.
 * Every subcommand that connects takes the same options through this one interface. */
#pragma once

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <json-c/json.h>

#include "connection.h"
#include "registry.h"
#include "sandbox.h"
#include "session-dbus.h"
#include "portal-backend.h"
#include "session-mutter.h"
#include "portal-backend.h"
#include "session-portal.h"

enum {
    SESSION_OPT_NODE = 0x1000,
    SESSION_OPT_EMULATE,
    SESSION_OPT_SANDBOX,
    SESSION_OPT_SIZE,
    SESSION_OPT_FPS,
    SESSION_OPT_TIMEOUT,
    SESSION_OPT_MUTTER,
    SESSION_OPT_MONITOR,
    SESSION_OPT_VIRTUAL,
    SESSION_OPT_WINDOW,
    SESSION_OPT_CURSOR,
    SESSION_OPT_PORTAL,
    SESSION_OPT_SOURCE,
    SESSION_OPT_RESTORE,
};

// clang-format off
#define SESSION_LONG_OPTIONS                                                                       \
    {"node", required_argument, NULL, SESSION_OPT_NODE},                                           \
    {"emulate", required_argument, NULL, SESSION_OPT_EMULATE},                                     \
    {"sandbox", no_argument, NULL, SESSION_OPT_SANDBOX},                                           \
    {"size", required_argument, NULL, SESSION_OPT_SIZE},                                           \
    {"fps", required_argument, NULL, SESSION_OPT_FPS},                                             \
    {"timeout", required_argument, NULL, SESSION_OPT_TIMEOUT},                                     \
    {"mutter", no_argument, NULL, SESSION_OPT_MUTTER},                                             \
    {"monitor", required_argument, NULL, SESSION_OPT_MONITOR},                                     \
    {"virtual", no_argument, NULL, SESSION_OPT_VIRTUAL},                                           \
    {"window", required_argument, NULL, SESSION_OPT_WINDOW},                                       \
    {"cursor", required_argument, NULL, SESSION_OPT_CURSOR},                                       \
    {"portal", no_argument, NULL, SESSION_OPT_PORTAL},                                             \
    {"source", required_argument, NULL, SESSION_OPT_SOURCE},                                       \
    {"restore", no_argument, NULL, SESSION_OPT_RESTORE}
// clang-format on

enum session_kind { SESSION_NODE, SESSION_EMULATE, SESSION_MUTTER, SESSION_PORTAL };

struct session_options {
    enum session_kind kind;
    struct mutter_options mutter;
    struct portal_options portal;
    const char *cursor; /* hidden, embedded, metadata: mapped per API */
    bool has_node;
    uint32_t node_id;
    const char *emulate; /* profile name or path */
    bool sandbox;
    uint32_t width, height;
    int32_t fps; /* -1: the profile's */
    uint32_t timeout_ms;
};

void session_options_init(struct session_options *o);
/* 1 when `c` was a session option (and it was fine), 0 when it is not one, <0 on a bad value. */
int session_parse_option(struct session_options *o, int c, const char *arg, struct pwzc_error *err);
/* A command's own options, one at a time (after the session's options are taken out). */
typedef int (*session_command_option)(void *args, int c, const char *arg, struct pwzc_error *err);

/* getopt over argv: session options into o, the command's through `one`; a stray word or an
 * unknown option is a usage error naming the command. */
int session_getopt(const char *command, int argc, char **argv, const char *shortopts,
                   const struct option *longopts, struct session_options *o,
                   session_command_option one, void *args, struct pwzc_error *err);
/* Checks the combination once all options are read; fills in the defaults. */
int session_options_check(struct session_options *o, const struct pwzc_options *opts,
                          struct pwzc_error *err);

struct session {
    enum session_kind kind;
    const struct session_options *o;
    struct sandbox sandbox;
    bool has_sandbox;
    struct dbus_ctx dbus;
    struct mutter_session mutter;
    struct portal_session portal;
    struct connection conn;
    struct registry reg;
    pid_t emulator;
    char emulator_dmabuf[32];
    const char *profile;
    uint32_t node_id;
    uint64_t serial;
    char node_name[128];
    char media_class[64];
    uint32_t renewed;
    /* The portal's backends at the last session's start, and what became of one the last
     * offer took down (an empty name: none went). */
    struct portal_backends backends;
    /* On the daemons where a refused link is a fatal error for the producer too, how long a
     * backend may take to exit on it after our stream saw the error; 0: it will not exit. */
    uint32_t backend_exit_grace_ms;
    struct {
        struct portal_backend lost;
        bool activatable; /* the bus has a service for its name */
        bool restarted;
        uint32_t pid; /* the restarted one's */
    } backend_event;
};

/* Starts what the options ask for, connects, and finds the producer's node. */
int session_open(struct session *s, const struct pwzc_options *opts,
                 const struct session_options *o, struct pwzc_error *err);
void session_close(struct session *s);
/* A fresh producer for the next offer, where the session can make one (the emulator). */
int session_renew(struct session *s, const struct pwzc_options *opts, struct pwzc_error *err);

/* A portal backend that exited since the last session started (an offer took it down): started
 * again through D-Bus activation where the bus can, as a desktop's next request would; else an
 * error saying who died. backend_event says what happened. */
int session_revive_backend(struct session *s, struct pwzc_error *err);

/* The compositor closed the session (Session.Closed) while we watched. */
bool session_closed(const struct session *s);
/* After the daemon went away: waits up to wait_ms for it to come back, connects again and gets
 * a producer again: a new emulator, a new compositor session, or (--node) a video source of the
 * same name, since a restarted daemon gives the compositor's new stream a new id. */
int session_reconnect(struct session *s, const struct pwzc_options *opts, uint32_t wait_ms,
                      struct pwzc_error *err);

/* What the session tells, for the report: kind, node, daemon, what is visible. */
struct json_object *session_to_json(const struct session *s);
/* Compiled, linked and running daemon versions. */
struct json_object *session_versions_json(const struct session *s);
