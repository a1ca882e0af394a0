/* Session options, the emulator child, and finding the producer node. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <fcntl.h>

#include <spa/utils/result.h>

#include "profile.h"
#include "pwcompat.h"
#include "session.h"
#include "versions.h"

#define EMULATOR_READY_MS  5000
#define NODE_WAIT_MS       2000

/* How long a restarted portal backend may take to own its name and serve sources again. */
#define PORTAL_RESTART_MS 5000
/* How long a portal backend may take to exit on the core error after our stream had it. */
#define BACKEND_EXIT_GRACE_MS 500

static int read_ready_line(int fd, char *line, size_t size, uint32_t timeout_ms)
{
    size_t used = 0;
    uint64_t deadline = pwzc_now_ns() + (uint64_t)timeout_ms * 1000000ull;

    while (used < size - 1) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        uint64_t now = pwzc_now_ns();
        ssize_t n;
        if (now >= deadline || poll(&p, 1, (int)((deadline - now) / 1000000ull) + 1) <= 0)
            return -ETIMEDOUT;
        if ((n = read(fd, line + used, 1)) <= 0)
            return -EPIPE; /* the emulator exited before it was ready */
        if (line[used] == '\n')
            break;
        used += (size_t)n;
    }
    line[used] = '\0';
    return 0;
}

static void emulator_failure(int log_fd, char *buf, size_t size)
{
    ssize_t n = pread(log_fd, buf, size - 1, 0);
    char *nl;

    buf[n > 0 ? n : 0] = '\0';
    /* The child's own one-line error ("pwzc: unknown profile ..."), without the prefix. */
    if (strncmp(buf, "pwzc: ", 6) == 0)
        memmove(buf, buf + 6, strlen(buf + 6) + 1);
    if ((nl = strchr(buf, '\n')))
        *nl = '\0';
    if (!buf[0])
        snprintf(buf, size, "it exited without a word");
}

static int parse_ready(struct session *s, const char *line)
{
    struct json_object *obj = json_tokener_parse(line), *v;
    int res = -EPROTO;

    if (obj && json_object_object_get_ex(obj, "node_id", &v)) {
        s->node_id = (uint32_t)json_object_get_int64(v);
        if (json_object_object_get_ex(obj, "dmabuf", &v))
            snprintf(s->emulator_dmabuf, sizeof(s->emulator_dmabuf), "%s",
                     json_object_get_string(v));
        res = 0;
    }
    json_object_put(obj);
    return res;
}

static int build_emulator_argv(char **argv, size_t max, const struct pwzc_options *opts,
                               const struct session_options *o, char *size, char *fps)
{
    size_t n = 0;

    argv[n++] = (char *)pwzc_self_path();
    argv[n++] = "emulate";
    argv[n++] = "--json";
    argv[n++] = "--profile";
    argv[n++] = (char *)o->emulate;
    if (o->width) {
        sprintf(size, "%ux%u", o->width, o->height);
        argv[n++] = "--size";
        argv[n++] = size;
    }
    if (o->fps >= 0) {
        sprintf(fps, "%d", o->fps);
        argv[n++] = "--fps";
        argv[n++] = fps;
    }
    if (opts->remote) {
        argv[n++] = "--remote";
        argv[n++] = (char *)opts->remote;
    }
    argv[n] = NULL;
    return n < max ? 0 : -E2BIG;
}

/* The emulator runs as a child: a real producer process, as a compositor is. Its stderr goes
 * to a memfd that is read only if it fails to start. */
static int start_emulator(struct session *s, const struct pwzc_options *opts,
                          const struct session_options *o, struct pwzc_error *err)
{
    char size[32], fps[16], line[512], failure[512];
    char *argv[16];
    int pipefd[2] = {-1, -1}, log_fd, res;

    build_emulator_argv(argv, 16, opts, o, size, fps);
    if ((log_fd = memfd_create("pwzc-emulator-log", MFD_CLOEXEC)) < 0 ||
        pipe2(pipefd, O_CLOEXEC) < 0) {
        res = -errno;
        pwzc_fail(err, PWZC_EXIT_EMULATOR, res, "cannot start the emulator: %s", strerror(-res));
        goto out;
    }
    s->emulator = spawn_child(argv, pipefd[1], log_fd);
    close(pipefd[1]);
    res = read_ready_line(pipefd[0], line, sizeof(line), EMULATOR_READY_MS);
    if (res == 0)
        res = parse_ready(s, line);
    if (res < 0) {
        emulator_failure(log_fd, failure, sizeof(failure));
        pwzc_fail(err, PWZC_EXIT_EMULATOR, res, "the emulator (profile %s) did not start: %s",
                  o->emulate, res == -ETIMEDOUT ? "no node within 5 s" : failure);
    }
out:
    if (pipefd[0] >= 0)
        close(pipefd[0]);
    if (log_fd >= 0)
        close(log_fd);
    return res;
}

static int find_node(struct session *s, struct pwzc_error *err)
{
    /* A compositor's node appears a moment after it is announced; an existing node is there. */
    uint32_t wait = s->kind == SESSION_NODE ? 0 : NODE_WAIT_MS;
    const struct reg_node *node = registry_wait_node(&s->reg, s->node_id, wait);
    char sources[512];

    if (!node) {
        registry_describe_video_sources(&s->reg, sources, sizeof(sources));
        pwzc_fail(err, PWZC_EXIT_NO_NODE, -ENOENT,
                  "node %u does not exist (video sources here: %s)", s->node_id, sources);
        return -ENOENT;
    }
    if (!registry_node_is_video_source(node)) {
        pwzc_fail(err, PWZC_EXIT_NO_NODE, -ENOTSUP, "node %u is '%s' (%s), not a video source",
                  s->node_id, node->name,
                  node->media_class[0] ? node->media_class : "no media.class");
        return -ENOTSUP;
    }
    s->serial = node->serial;
    snprintf(s->node_name, sizeof(s->node_name), "%s", node->name);
    snprintf(s->media_class, sizeof(s->media_class), "%s", node->media_class);
    return 0;
}

static int check_profile(const char *name, struct pwzc_error *err)
{
    struct profile p;
    char why[512];

    if (profile_load(name, &p, why, sizeof(why)) < 0)
        return pwzc_fail(err, PWZC_EXIT_PROFILE, -EINVAL, "%s", why);
    return 0;
}

/* Signals (Session.Closed) arrive on GLib's main context while PipeWire's loop runs. */
static void pump_dbus(void *data)
{
    struct session *s = data;

    dbus_pump(&s->dbus);
    if (session_closed(s))
        connection_cancel(&s->conn, "the compositor closed the screencast session");
}

static int connect_daemon(struct session *s, const struct pwzc_options *opts,
                          struct pwzc_error *err)
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
    if (s->kind == SESSION_MUTTER || s->kind == SESSION_PORTAL)
        connection_set_pump(&s->conn, pump_dbus, s, 20);
    return 0;
}

/* The compositor's session gives the node id; the emulator's ready line does; --node is it. */
static int start_producer(struct session *s, const struct pwzc_options *opts,
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
    if (!s->conn.core && (res = connect_daemon(s, opts, err)) < 0)
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
    if (s->kind == SESSION_EMULATE && (res = start_emulator(s, opts, s->o, err)) < 0)
        return res;
    return find_node(s, err);
}

static int wait_node_gone(struct session *s, struct pwzc_error *err)
{
    uint64_t deadline = pwzc_now_ns() + NODE_WAIT_MS * 1000000ull;

    /* Node ids are reused: the old node must be gone from our view before a new one counts. */
    while (registry_find_node(&s->reg, s->node_id) && pwzc_now_ns() < deadline)
        if (connection_run(&s->conn, 20) == -EPIPE)
            return pwzc_fail(err, PWZC_EXIT_LOST, -EPIPE, "the PipeWire daemon went away");
    return 0;
}

static void stop_producer(struct session *s)
{
    if (s->emulator > 0)
        stop_child(s->emulator, 3000);
    s->emulator = 0;
    if (s->kind == SESSION_MUTTER)
        mutter_stop(&s->mutter);
    if (s->kind == SESSION_PORTAL) {
        registry_close(&s->reg);
        if (s->conn.core)
            connection_close(&s->conn);
        portal_stop(&s->portal);
    }
}

/* An offer's link error can take the portal's backend down (xdpw exits on the fatal core error
 * that PipeWire 1.x sends the producer). On a desktop the next portal request starts it again
 * through D-Bus activation: do what that request would, or say who died and that nothing here
 * restarts it. */
int session_revive_backend(struct session *s, struct pwzc_error *err)
{
    const struct portal_backend *lost =
        portal_backends_lost(&s->dbus, &s->backends, s->backend_exit_grace_ms);
    int res;

    memset(&s->backend_event, 0, sizeof(s->backend_event));
    if (!lost)
        return 0;
    s->backend_event.lost = *lost;
    s->backend_event.activatable = portal_backend_activatable(&s->dbus, lost);
    if (!s->backend_event.activatable)
        return pwzc_fail(err, PWZC_EXIT_NO_SOURCES, -ENODEV,
                         "%s (pid %u, %s) exited, and nothing on this bus restarts it: no D-Bus "
                         "service for that name (a desktop installs one in dbus-1/services)",
                         lost->program, lost->pid, lost->name);
    if ((res = portal_backend_restart(&s->dbus, lost, PORTAL_RESTART_MS, &s->backend_event.pid)) <
            0 ||
        (res = portal_wait_sources(&s->dbus, PORTAL_RESTART_MS)) < 0)
        return pwzc_fail(err, PWZC_EXIT_NO_SOURCES, res,
                         "%s (%s) exited, and D-Bus activation did not bring it back: %s",
                         lost->program, lost->name, spa_strerror(res));
    s->backend_event.restarted = true;
    return 0;
}

/* A fresh producer per offer where the session can make one: PipeWire keeps a producer's
 * buffers between links, so an earlier offer would otherwise change what a later one gets. */
int session_renew(struct session *s, const struct pwzc_options *opts, struct pwzc_error *err)
{
    int res;

    if (s->kind == SESSION_NODE)
        return 0; /* an existing node is what it is: the report says it was shared */
    stop_producer(s);
    s->renewed++;
    if (s->conn.core && (res = wait_node_gone(s, err)) < 0)
        return res;
    if (s->kind == SESSION_PORTAL && (res = session_revive_backend(s, err)) < 0)
        return res;
    return start_producer(s, opts, err);
}

/* The daemon is back when a connection and its registry open; until then, try again. */
static int wait_daemon(struct session *s, const struct pwzc_options *opts, uint64_t deadline)
{
    struct pwzc_error quiet = {0};

    while (connect_daemon(s, opts, &quiet) < 0) {
        registry_close(&s->reg);
        if (s->conn.core)
            connection_close(&s->conn);
        if (pwzc_now_ns() >= deadline)
            return -ETIMEDOUT;
        usleep(200 * 1000);
        quiet.exit_code = 0;
    }
    return 0;
}

static int find_node_again(struct session *s, uint64_t deadline, struct pwzc_error *err)
{
    uint64_t now = pwzc_now_ns();
    const struct reg_node *node = registry_wait_video_source(
        &s->reg, s->node_name, now < deadline ? (uint32_t)((deadline - now) / 1000000ull) : 0);

    if (!node)
        return pwzc_fail(err, PWZC_EXIT_LOST, -ENOENT,
                         "the daemon came back, but no video source '%s' did", s->node_name);
    s->node_id = node->id;
    s->serial = node->serial;
    return 0;
}

int session_reconnect(struct session *s, const struct pwzc_options *opts, uint32_t wait_ms,
                      struct pwzc_error *err)
{
    uint64_t deadline = pwzc_now_ns() + (uint64_t)wait_ms * 1000000ull;

    stop_producer(s);
    registry_close(&s->reg);
    if (s->conn.core)
        connection_close(&s->conn);
    s->renewed++;
    /* A portal session brings its own connection: the new session is the way back in. */
    if (s->kind != SESSION_PORTAL && wait_daemon(s, opts, deadline) < 0)
        return pwzc_fail(err, PWZC_EXIT_LOST, -EPIPE,
                         "the PipeWire daemon went away and did not come back within %.0f s",
                         wait_ms / 1000.0);
    if (s->kind == SESSION_NODE)
        return find_node_again(s, deadline, err);
    return start_producer(s, opts, err);
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
    if (o->emulate && (res = check_profile(o->emulate, err)) < 0)
        return res;
    if (o->sandbox && (res = sandbox_start(&s->sandbox, opts, err)) < 0)
        return res;
    s->has_sandbox = o->sandbox;
    if ((s->kind == SESSION_MUTTER || s->kind == SESSION_PORTAL) &&
        (res = dbus_open(&s->dbus, err)) < 0)
        goto fail;
    if (s->kind != SESSION_PORTAL && (res = connect_daemon(s, opts, err)) < 0)
        goto fail;
    if ((res = start_producer(s, opts, err)) < 0)
        goto fail;
    return 0;
fail:
    session_close(s);
    return res;
}

void session_close(struct session *s)
{
    stop_producer(s);
    registry_close(&s->reg);
    if (s->conn.core)
        connection_close(&s->conn);
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
