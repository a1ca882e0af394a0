/* Session options, the emulator child, and finding the producer node. */
#include "config.h"

#include <errno.h>
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
#include "session.h"

#define DEFAULT_TIMEOUT_MS 3000
#define EMULATOR_READY_MS  5000
#define NODE_WAIT_MS       2000

void session_options_init(struct session_options *o)
{
    memset(o, 0, sizeof(*o));
    o->fps = -1;
    o->timeout_ms = DEFAULT_TIMEOUT_MS;
}

int session_parse_option(struct session_options *o, int c, const char *arg, struct pwzc_error *err)
{
    uint32_t v;

    switch (c) {
    case SESSION_OPT_NODE:
        if (pwzc_parse_u32(arg, &o->node_id) < 0)
            return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "--node '%s' is not a node id", arg);
        o->has_node = true;
        return 1;
    case SESSION_OPT_EMULATE:
        o->emulate = arg;
        return 1;
    case SESSION_OPT_SANDBOX:
        o->sandbox = true;
        return 1;
    case SESSION_OPT_SIZE:
        if (pwzc_parse_size(arg, &o->width, &o->height) < 0)
            return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "--size '%s' is not WIDTHxHEIGHT", arg);
        return 1;
    case SESSION_OPT_FPS:
        if (pwzc_parse_u32(arg, &v) < 0 || v > 1000)
            return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "--fps '%s' is not 0 to 1000", arg);
        o->fps = (int32_t)v;
        return 1;
    case SESSION_OPT_TIMEOUT:
        if (pwzc_parse_ms(arg, &o->timeout_ms) < 0 || o->timeout_ms < 100)
            return -pwzc_error_set(err, PWZC_EXIT_USAGE,
                                   "--timeout '%s' is not a number of seconds >= 0.1", arg);
        return 1;
    }
    return 0;
}

int session_options_check(struct session_options *o, const struct pwzc_options *opts,
                          struct pwzc_error *err)
{
    if (o->has_node && o->emulate)
        return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "--node and --emulate exclude each other");
    if (opts->fd >= 0 && (o->sandbox || o->emulate))
        return -pwzc_error_set(err, PWZC_EXIT_USAGE,
                               "--fd uses someone else's connection: no --sandbox or --emulate");
    if (o->sandbox && !o->has_node && !o->emulate)
        o->emulate = "gnome-headless"; /* the embedded default: the classic no-frames case */
    if (!o->has_node && !o->emulate)
        return -pwzc_error_set(err, PWZC_EXIT_USAGE,
                               "say which producer: --node ID, --emulate PROFILE or --sandbox");
    return 0;
}

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
        pwzc_error_set(err, PWZC_EXIT_EMULATOR, "cannot start the emulator: %s", strerror(-res));
        goto out;
    }
    s->emulator = spawn_child(argv, pipefd[1], log_fd);
    close(pipefd[1]);
    res = read_ready_line(pipefd[0], line, sizeof(line), EMULATOR_READY_MS);
    if (res == 0)
        res = parse_ready(s, line);
    if (res < 0) {
        emulator_failure(log_fd, failure, sizeof(failure));
        pwzc_error_set(err, PWZC_EXIT_EMULATOR, "the emulator (profile %s) did not start: %s",
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
    const struct reg_node *node =
        registry_wait_node(&s->reg, s->node_id, s->emulator ? NODE_WAIT_MS : 0);
    char sources[512];

    if (!node) {
        registry_describe_video_sources(&s->reg, sources, sizeof(sources));
        pwzc_error_set(err, PWZC_EXIT_NO_NODE, "node %u does not exist (video sources here: %s)",
                       s->node_id, sources);
        return -ENOENT;
    }
    if (!registry_node_is_video_source(node)) {
        pwzc_error_set(err, PWZC_EXIT_NO_NODE, "node %u is '%s' (%s), not a video source",
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

/* A fresh producer per offer where the session can make one: PipeWire keeps a producer's
 * buffers between links, so an earlier offer would otherwise change what a later one gets. */
static int start_producer(struct session *s, const struct pwzc_options *opts,
                          const struct session_options *o, struct pwzc_error *err)
{
    int res;

    if (o->emulate && (res = start_emulator(s, opts, o, err)) < 0)
        return res;
    return find_node(s, err);
}

int session_renew(struct session *s, const struct pwzc_options *opts,
                  const struct session_options *o, struct pwzc_error *err)
{
    uint64_t deadline;

    if (!s->emulator)
        return 0; /* an existing node is what it is: the report says it was shared */
    stop_child(s->emulator, 3000);
    s->emulator = 0;
    s->renewed++;
    /* Node ids are reused: the old node must be gone from our view before a new one counts. */
    deadline = pwzc_now_ns() + NODE_WAIT_MS * 1000000ull;
    while (registry_find_node(&s->reg, s->node_id) && pwzc_now_ns() < deadline)
        if (connection_run(&s->conn, 20) == -EPIPE)
            return pwzc_fail(err, PWZC_EXIT_LOST, -EPIPE, "the PipeWire daemon went away");
    return start_producer(s, opts, o, err);
}

int session_open(struct session *s, const struct pwzc_options *opts,
                 const struct session_options *o, struct pwzc_error *err)
{
    int res;

    memset(s, 0, sizeof(*s));
    s->profile = o->emulate;
    s->node_id = o->node_id;
    /* A bad profile is the user's mistake: say so before starting anything. */
    if (o->emulate && (res = check_profile(o->emulate, err)) < 0)
        return res;
    if (o->sandbox) {
        if ((res = sandbox_start(&s->sandbox, opts, err)) < 0)
            return res;
        s->has_sandbox = true;
    }
    if ((res = connection_open(&s->conn, opts, err)) < 0)
        goto fail;
    if ((res = registry_open(&s->reg, &s->conn)) < 0) {
        pwzc_error_set(err, PWZC_EXIT_NO_DAEMON, "cannot read the daemon's registry: %s",
                       spa_strerror(res));
        goto fail;
    }
    if ((res = start_producer(s, opts, o, err)) < 0)
        goto fail;
    return 0;
fail:
    session_close(s);
    return res;
}

void session_close(struct session *s)
{
    registry_close(&s->reg);
    if (s->conn.core)
        connection_close(&s->conn);
    if (s->emulator > 0)
        stop_child(s->emulator, 3000);
    s->emulator = 0;
    if (s->has_sandbox)
        sandbox_stop(&s->sandbox);
    s->has_sandbox = false;
}

struct json_object *session_to_json(const struct session *s)
{
    struct json_object *obj = json_object_new_object();

    json_object_object_add(obj, "kind", json_object_new_string(s->profile ? "emulate" : "node"));
    json_object_object_add(obj, "profile", s->profile ? json_object_new_string(s->profile) : NULL);
    json_object_object_add(obj, "sandbox", json_object_new_boolean(s->has_sandbox));
    json_object_object_add(obj, "node_id", json_object_new_int64(s->node_id));
    json_object_object_add(obj, "node_name", json_object_new_string(s->node_name));
    json_object_object_add(obj, "media_class", json_object_new_string(s->media_class));
    json_object_object_add(obj, "dmabuf_source",
                           s->emulator_dmabuf[0] ? json_object_new_string(s->emulator_dmabuf)
                                                 : NULL);
    json_object_object_add(obj, "connected_by_fd", json_object_new_boolean(s->conn.by_fd));
    json_object_object_add(obj, "fresh_producer_per_offer", json_object_new_boolean(s->emulator));
    json_object_object_add(obj, "visible", registry_visibility(&s->reg));
    return obj;
}

struct json_object *session_versions_json(const struct session *s)
{
    struct json_object *obj = json_object_new_object();

    json_object_object_add(obj, "compiled", json_object_new_string(pw_get_headers_version()));
    json_object_object_add(obj, "linked", json_object_new_string(pw_get_library_version()));
    json_object_object_add(obj, "daemon", json_object_new_string(s->conn.daemon_version));
    return obj;
}
