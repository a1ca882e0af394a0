/* After something went away: a portal backend started again, or the daemon reconnected to. */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include <spa/utils/result.h>

#include "session-private.h"

/* How long a restarted portal backend may take to own its name and serve sources again. */
#define PORTAL_RESTART_MS 5000

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

/* The daemon is back when a connection and its registry open; until then, try again. */
static int wait_daemon(struct session *s, const struct pwzc_options *opts, uint64_t deadline)
{
    /* Each try's failure is expected until the daemon is back: none of them is the error. */
    for (struct pwzc_error quiet = {0}; session_connect(s, opts, &quiet) < 0;
         quiet = (struct pwzc_error){0}) {
        session_disconnect(s);
        if (pwzc_now_ns() >= deadline)
            return -ETIMEDOUT;
        usleep(200 * 1000);
    }
    return 0;
}

int session_reconnect(struct session *s, const struct pwzc_options *opts, uint32_t wait_ms,
                      struct pwzc_error *err)
{
    uint64_t deadline = pwzc_now_ns() + (uint64_t)wait_ms * 1000000ull;

    session_stop_producer(s);
    session_disconnect(s);
    s->renewed++;
    /* A portal session brings its own connection: the new session is the way back in. */
    if (s->kind != SESSION_PORTAL && wait_daemon(s, opts, deadline) < 0)
        return pwzc_fail(err, PWZC_EXIT_LOST, -EPIPE,
                         "the PipeWire daemon went away and did not come back within %.0f s",
                         wait_ms / 1000.0);
    if (s->kind == SESSION_NODE)
        return session_find_node_again(s, deadline, err);
    return session_start_producer(s, opts, err);
}
