/* Connecting to the daemon by remote name or by a handed-over fd, and running its loop. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spa/utils/result.h>

#include "connection.h"

#define CONNECT_TIMEOUT_MS 3000

static void on_core_info(void *data, const struct pw_core_info *info)
{
    struct connection *c = data;

    if (info->version)
        snprintf(c->daemon_version, sizeof(c->daemon_version), "%s", info->version);
    if (info->name)
        snprintf(c->daemon_name, sizeof(c->daemon_name), "%s", info->name);
}

static void on_core_done(void *data, uint32_t id, int seq)
{
    struct connection *c = data;

    if (id == PW_ID_CORE && seq == c->sync_seq) {
        c->synced = true;
        connection_wake(c);
    }
}

static void on_core_error(void *data, uint32_t id, int seq, int res, const char *message)
{
    struct connection *c = data;

    if (id != PW_ID_CORE)
        return;
    snprintf(c->core_error, sizeof(c->core_error), "%s", message ? message : spa_strerror(res));
    if (res == -EPIPE) {
        c->lost = true;
        connection_wake(c);
    }
}

static const struct pw_core_events core_events = {
    PW_VERSION_CORE_EVENTS,
    .info = on_core_info,
    .done = on_core_done,
    .error = on_core_error,
};

static void on_timeout(void *data, uint64_t expirations)
{
    pw_main_loop_quit(((struct connection *)data)->loop);
}

static void on_signal(void *data, int signal_number)
{
    struct connection *c = data;

    c->interrupted = true;
    if (c->stop)
        atomic_store(c->stop, true);
    pw_main_loop_quit(c->loop);
}

void connection_wake(struct connection *c)
{
    c->woken = true;
    pw_main_loop_quit(c->loop);
}

void connection_cancel(struct connection *c, const char *reason)
{
    if (c->cancelled)
        return;
    c->cancelled = true;
    snprintf(c->cancel_reason, sizeof(c->cancel_reason), "%s", reason);
    pw_main_loop_quit(c->loop);
}

/* Why every wait ends now, or 0 while none does. */
static int ended(struct connection *c)
{
    if (c->stop && atomic_load(c->stop))
        c->interrupted = true;
    return c->lost ? -EPIPE : c->interrupted ? -EINTR : c->cancelled ? -ECANCELED : 0;
}

int connection_run(struct connection *c, uint32_t timeout_ms)
{
    struct pw_loop *loop = pw_main_loop_get_loop(c->loop);
    struct timespec ts = {.tv_sec = timeout_ms / 1000, .tv_nsec = (timeout_ms % 1000) * 1000000L};
    int res;

    if ((res = ended(c)) < 0)
        return res;
    c->woken = false;
    /* A zero timespec disarms the timer: ask for 1 ns instead, so 0 ms means "poll once". */
    if (timeout_ms == 0)
        ts.tv_nsec = 1;
    pw_loop_update_timer(loop, c->timer, &ts, NULL, false);
    pw_main_loop_run(c->loop);
    pw_loop_update_timer(loop, c->timer, NULL, NULL, false);
    if ((res = ended(c)) < 0)
        return res;
    return c->woken ? 0 : -ETIMEDOUT;
}

int connection_roundtrip(struct connection *c, uint32_t timeout_ms)
{
    uint64_t deadline = pwzc_now_ns() + (uint64_t)timeout_ms * 1000000ull;
    int res;

    c->synced = false;
    c->sync_seq = pw_core_sync(c->core, PW_ID_CORE, c->sync_seq);
    while (!c->synced) {
        uint64_t now = pwzc_now_ns();
        if (now >= deadline)
            return -ETIMEDOUT;
        res = connection_run(c, (uint32_t)((deadline - now) / 1000000ull) + 1);
        if (res < 0 && res != -ETIMEDOUT)
            return res;
    }
    return 0;
}

static int check_fd(int fd, struct pwzc_error *err)
{
    struct stat st;

    if (fstat(fd, &st) < 0) {
        pwzc_fail(err, PWZC_EXIT_NO_DAEMON, -EBADF, "--fd %d: not an open file descriptor", fd);
        return -EBADF;
    }
    if (!S_ISSOCK(st.st_mode)) {
        pwzc_fail(err, PWZC_EXIT_NO_DAEMON, -ENOTSOCK,
                  "--fd %d: not a socket (a PipeWire fd from OpenPipeWireRemote is one)", fd);
        return -ENOTSOCK;
    }
    return 0;
}

static struct pw_properties *core_properties(const struct pwzc_options *opts)
{
    struct pw_properties *props = pw_properties_new(PW_KEY_APP_NAME, "pwzc", NULL);

    if (props && opts->remote)
        pw_properties_set(props, PW_KEY_REMOTE_NAME, opts->remote);
    return props;
}

static int connect_core(struct connection *c, const struct pwzc_options *opts,
                        struct pwzc_error *err)
{
    if (opts->fd >= 0) {
        int res = check_fd(opts->fd, err);
        if (res < 0)
            return res;
        /* pw_context_connect_fd takes the fd: hand it a duplicate so ours stays valid. */
        c->by_fd = true;
        c->core = pw_context_connect_fd(c->context, fcntl(opts->fd, F_DUPFD_CLOEXEC, 3),
                                        core_properties(opts), 0);
    } else {
        c->core = pw_context_connect(c->context, core_properties(opts), 0);
    }
    if (!c->core) {
        int res = -errno;
        const char *dir = getenv("PIPEWIRE_RUNTIME_DIR");
        if (!dir)
            dir = getenv("XDG_RUNTIME_DIR");
        return pwzc_fail(err, PWZC_EXIT_NO_DAEMON, res ? res : -ECONNREFUSED,
                         "cannot connect to PipeWire%s%s (%s): is the daemon running? (runtime dir "
                         "%s; try --sandbox)",
                         opts->remote ? " remote " : "", opts->remote ? opts->remote : "",
                         spa_strerror(res), dir ? dir : "unset");
    }
    return 0;
}

/* libpipewire names the user through getpwuid(), whose buffer is the process's: sessions that
 * connect on several threads at once (probe --jobs) take turns here. */
static pthread_mutex_t connecting = PTHREAD_MUTEX_INITIALIZER;

static int new_context(struct connection *c, struct pw_loop *loop, const struct pwzc_options *opts,
                       struct pwzc_error *err)
{
    int res = 0;

    pthread_mutex_lock(&connecting);
    if (!(c->context = pw_context_new(loop, NULL, 0))) {
        res = -errno;
        pwzc_fail(err, PWZC_EXIT_INTERNAL, res, "cannot create a PipeWire context: %s",
                  spa_strerror(res));
    } else
        res = connect_core(c, opts, err);
    pthread_mutex_unlock(&connecting);
    return res;
}

bool connection_on_owner_thread(const struct connection *c)
{
    return pthread_equal(c->owner, pthread_self());
}

int connection_open(struct connection *c, const struct pwzc_options *opts, struct pwzc_error *err)
{
    struct pw_loop *loop;
    int res;

    memset(c, 0, sizeof(*c));
    c->owner = pthread_self();
    c->stop = opts->stop;
    if (!(c->loop = pw_main_loop_new(NULL))) {
        pwzc_fail(err, PWZC_EXIT_INTERNAL, -ENOMEM, "cannot create a PipeWire loop");
        return -ENOMEM;
    }
    loop = pw_main_loop_get_loop(c->loop);
    c->timer = pw_loop_add_timer(loop, on_timeout, c);
    c->sigint = pw_loop_add_signal(loop, SIGINT, on_signal, c);
    c->sigterm = pw_loop_add_signal(loop, SIGTERM, on_signal, c);
    if ((res = new_context(c, loop, opts, err)) < 0)
        goto fail;
    pw_core_add_listener(c->core, &c->core_listener, &core_events, c);
    if ((res = connection_roundtrip(c, CONNECT_TIMEOUT_MS)) < 0) {
        pwzc_fail(err, PWZC_EXIT_NO_DAEMON, res, "the PipeWire daemon did not answer: %s",
                  c->core_error[0] ? c->core_error : spa_strerror(res));
        goto fail;
    }
    return 0;
fail:
    connection_close(c);
    return res;
}

void connection_close(struct connection *c)
{
    if (c->core) {
        spa_hook_remove(&c->core_listener);
        pw_core_disconnect(c->core);
    }
    if (c->context)
        pw_context_destroy(c->context);
    if (c->loop)
        pw_main_loop_destroy(c->loop);
    memset(c, 0, sizeof(*c));
}

int connection_daemon_version(const struct pwzc_options *opts, char *out, size_t size)
{
    struct pwzc_error err = {0};
    struct connection c;
    int res;

    if ((res = connection_open(&c, opts, &err)) < 0) {
        snprintf(out, size, "%s", err.message);
        return res;
    }
    snprintf(out, size, "%s", c.daemon_version);
    connection_close(&c);
    return 0;
}
