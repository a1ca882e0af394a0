/* A session: the producer the options ask for (a node id, the emulator, Mutter or a portal),
 * connected to, with its node found; renewed per offer and reconnected after a restart. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <json-c/json.h>

#include "connection.h"
#include "glib-pw.h"
#include "registry.h"
#include "sandbox.h"
#include "session-dbus.h"
#include "portal-backend.h"
#include "session-mutter.h"
#include "session-options.h"
#include "session-portal.h"

struct session {
    enum session_kind kind;
    const struct session_options *o;
    struct sandbox sandbox;
    bool has_sandbox;
    struct dbus_ctx dbus;
    struct glib_pw glib; /* D-Bus signals dispatched from PipeWire's loop (Mutter, portal) */
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
