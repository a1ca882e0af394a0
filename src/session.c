/* A session's life: open, connect, a producer per offer, close; and what it tells the report.
 * The emulator child, finding the node and reconnecting have files of their own. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <spa/utils/result.h>

#include "pwcompat.h"
#include "session-private.h"
#include "versions.h"

/* How long a portal backend may take to exit on the core error after our stream had it. */
#define BACKEND_EXIT_GRACE_MS 500

/* Signals (Session.Closed) arrive on GLib's main context, which PipeWire's loop drives. */
static void on_dbus_dispatched(void *data)
{
    struct session *s = data;

    if (session_closed(s))
        connection_cancel(&s->conn, "the compositor closed the screencast session");
}

int session_connect(struct session *s, const struct pwzc_options *opts, struct pwzc_error *err)
{
    struct pwzc_options via = *opts;
    int res;

    /* A portal session hands out its own connection: that fd is the only way in. */
    if (s->kind == SESSION_PORTAL)
        via.fd = s->portal.pw_fd;
    if ((res = connection_open(&s->conn, &via, err)) < 0)
        return res;
    if ((res = registry_open(&s->reg, &s->conn)) < 0)
        return pwzc_fail(err, PWZC_EXIT_NO_DAEMON, res, "cannot read the daemon's registry: %s",
                         spa_strerror(res));
    if ((s->kind == SESSION_MUTTER || s->kind == SESSION_PORTAL) &&
        (res = glib_pw_attach(&s->glib, pw_main_loop_get_loop(s->conn.loop), s->dbus.context,
                              on_dbus_dispatched, s)) < 0)
        return pwzc_fail(err, PWZC_EXIT_INTERNAL, res,
                         "cannot watch D-Bus from PipeWire's loop: %s", spa_strerror(res));
    return 0;
}

void session_disconnect(struct session *s)
{
    glib_pw_detach(&s->glib);
    registry_close(&s->reg);
    if (s->conn.core)
        connection_close(&s->conn);
}

/* The compositor's session gives the node id; the emulator's ready line does; --node is it. */
int session_start_producer(struct session *s, const struct pwzc_options *opts,
                           struct pwzc_error *err)
{
    int res = 0;

    if (s->kind == SESSION_MUTTER &&
        (res = mutter_start(&s->mutter, &s->dbus, &s->o->mutter, err)) == 0)
        s->node_id = s->mutter.node_id;
    if (s->kind == SESSION_PORTAL &&
        (res = portal_start(&s->portal, &s->dbus, &s->o->portal, err)) == 0) {
        s->node_id = s->portal.node_id;
        portal_backends_read(&s->dbus, &s->backends);
    }
    if (res < 0)
        return res;
    /* A portal's connection is bound to its session: a new session needs a new one. */
    if (!s->conn.core && (res = session_connect(s, opts, err)) < 0)
        return res;
    /* xdpw exits on the fatal core error a refused link sends it, a moment after our stream has
     * the error: seen in the forky root (PipeWire 1.6.9, xdpw 0.8.4), pwzc looked too soon in 2
     * probes of 6 and took the dying backend for a live one. So on those daemons a backend is
     * given that moment before it counts as alive (a renewal after a stream that worked waits
     * it out too: what died is not known until then). */
    s->backend_exit_grace_ms = s->kind == SESSION_PORTAL &&
                                       version_parse(s->conn.daemon_version) >=
                                           version_parse(PWZC_REFUSED_LINK_HURTS_PRODUCER_SINCE)
                                   ? BACKEND_EXIT_GRACE_MS
                                   : 0;
    if (s->kind == SESSION_EMULATE && (res = session_start_emulator(s, opts, err)) < 0)
        return res;
    return session_find_node(s, err);
}

void session_stop_producer(struct session *s)
{
    session_stop_emulator(s);
    if (s->kind == SESSION_MUTTER)
        mutter_stop(&s->mutter);
    if (s->kind == SESSION_PORTAL) {
        session_disconnect(s);
        portal_stop(&s->portal);
    }
}

/* A backend still dying when its grace ran out (a loaded machine: seen in the forky root's CI
 * run, xdpw 0.8.4 after a refused link) fails the session opened on it, then exits: if it is
 * gone now, it is brought back as it would have been, and the session opened once more. */
static int restart_late_exit(struct session *s, const struct pwzc_options *opts, int failed,
                             struct pwzc_error *err)
{
    int res;

    if (!portal_backends_lost(&s->dbus, &s->backends, s->backend_exit_grace_ms))
        return failed; /* the backend lives: the session's own error stands */
    *err = (struct pwzc_error){0};
    session_stop_producer(s);
    if ((res = session_revive_backend(s, err)) < 0)
        return res;
    return session_start_producer(s, opts, err);
}

/* A fresh producer per offer where the session can make one: PipeWire keeps a producer's
 * buffers between links, so an earlier offer would otherwise change what a later one gets. */
int session_renew(struct session *s, const struct pwzc_options *opts, struct pwzc_error *err)
{
    int res;

    if (s->kind == SESSION_NODE)
        return 0; /* an existing node is what it is: the report says it was shared */
    session_stop_producer(s);
    s->renewed++;
    if (s->conn.core && (res = session_wait_node_gone(s, err)) < 0)
        return res;
    if (s->kind == SESSION_PORTAL && (res = session_revive_backend(s, err)) < 0)
        return res;
    if ((res = session_start_producer(s, opts, err)) < 0 && s->kind == SESSION_PORTAL &&
        s->backend_exit_grace_ms && !s->backend_event.restarted)
        res = restart_late_exit(s, opts, res, err);
    return res;
}

int session_open(struct session *s, const struct pwzc_options *opts,
                 const struct session_options *o, struct pwzc_error *err)
{
    int res;

    memset(s, 0, sizeof(*s));
    s->kind = o->kind;
    s->o = o;
    s->profile = o->emulate;
    s->node_id = o->node_id;
    /* A bad profile is the user's mistake: say so before starting anything. */
    if (o->emulate && (res = session_check_profile(o->emulate, err)) < 0)
        return res;
    if (o->sandbox && (res = sandbox_start(&s->sandbox, opts, err)) < 0)
        return res;
    s->has_sandbox = o->sandbox;
    if ((s->kind == SESSION_MUTTER || s->kind == SESSION_PORTAL) &&
        (res = dbus_open(&s->dbus, err)) < 0)
        goto fail;
    if (s->kind != SESSION_PORTAL && (res = session_connect(s, opts, err)) < 0)
        goto fail;
    if ((res = session_start_producer(s, opts, err)) < 0)
        goto fail;
    return 0;
fail:
    session_close(s);
    return res;
}

void session_close(struct session *s)
{
    session_stop_producer(s);
    session_disconnect(s);
    if (s->dbus.bus)
        dbus_close(&s->dbus);
    if (s->has_sandbox)
        sandbox_stop(&s->sandbox);
    s->has_sandbox = false;
}

bool session_closed(const struct session *s)
{
    return (s->kind == SESSION_MUTTER && s->mutter.closed) ||
           (s->kind == SESSION_PORTAL && s->portal.closed);
}

static const char *kind_name(enum session_kind kind)
{
    static const char *const names[] = {"node", "emulate", "mutter", "portal"};
    return names[kind];
}

struct json_object *session_to_json(const struct session *s)
{
    struct json_object *obj = json_object_new_object();

    json_object_object_add(obj, "kind", json_object_new_string(kind_name(s->kind)));
    json_object_object_add(obj, "profile", s->profile ? json_object_new_string(s->profile) : NULL);
    json_object_object_add(obj, "sandbox", json_object_new_boolean(s->has_sandbox));
    json_object_object_add(obj, "node_id", json_object_new_int64(s->node_id));
    json_object_object_add(obj, "node_name", json_object_new_string(s->node_name));
    json_object_object_add(obj, "media_class", json_object_new_string(s->media_class));
    json_object_object_add(obj, "dmabuf_source",
                           s->emulator_dmabuf[0] ? json_object_new_string(s->emulator_dmabuf)
                                                 : NULL);
    json_object_object_add(obj, "connected_by_fd", json_object_new_boolean(s->conn.by_fd));
    json_object_object_add(obj, "fresh_producer_per_offer",
                           json_object_new_boolean(s->kind != SESSION_NODE));
    json_object_object_add(obj, "visible", registry_visibility(&s->reg));
    json_object_object_add(obj, "compositor",
                           s->kind == SESSION_MUTTER   ? mutter_to_json(&s->mutter)
                           : s->kind == SESSION_PORTAL ? portal_to_json(&s->portal)
                                                       : NULL);
    return obj;
}

struct json_object *session_versions_json(const struct session *s)
{
    struct json_object *obj = json_object_new_object();

    json_object_object_add(obj, "compiled", json_object_new_string(pw_get_headers_version()));
    json_object_object_add(obj, "linked", json_object_new_string(pw_get_library_version()));
    json_object_object_add(obj, "daemon", json_object_new_string(s->conn.daemon_version));
    json_object_object_add(
        obj, "features", versions_features_json(pw_get_library_version(), s->conn.daemon_version));
    return obj;
}
