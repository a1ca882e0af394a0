/* GLib's prepare/query/check/dispatch cycle, with PipeWire's loop doing the poll in between
 * (as GLib's own g_main_context_iteration does with poll(2)). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "glib-pw.h"

static void arm(struct glib_pw *g);

static void drop_sources(struct glib_pw *g)
{
    for (int i = 0; i < g->n_fds; i++)
        pw_loop_destroy_source(g->loop, g->io[i]);
    g->n_fds = 0;
}

/* The loop saw one of the context's fds or its timeout: let GLib check and dispatch, then
 * ask it again what to wait for. */
static void dispatch(struct glib_pw *g)
{
    bool ready;

    /* The loop reported one fd; GLib's check wants every fd's revents, so ask them all now. */
    g_poll(g->fds, (guint)g->n_fds, 0);
    ready = g_main_context_check(g->context, g->priority, g->fds, g->n_fds);
    if (ready)
        g_main_context_dispatch(g->context);
    drop_sources(g);
    arm(g);
    if (ready && g->dispatched)
        g->dispatched(g->data);
}

static void on_io(void *data, int fd, uint32_t mask)
{
    dispatch(data);
}

static void on_timer(void *data, uint64_t expirations)
{
    dispatch(data);
}

static uint32_t spa_events(gushort events)
{
    return (events & G_IO_IN ? SPA_IO_IN : 0) | (events & G_IO_OUT ? SPA_IO_OUT : 0) |
           (events & G_IO_PRI ? SPA_IO_IN : 0) | SPA_IO_ERR | SPA_IO_HUP;
}

/* What GLib waits for next: its fds as io sources, its timeout as the timer. */
static void arm(struct glib_pw *g)
{
    gint timeout_ms;
    int n;

    g_main_context_prepare(g->context, &g->priority);
    n = g_main_context_query(g->context, g->priority, &timeout_ms, g->fds, GLIB_PW_MAX_FDS);
    g->n_fds = n < GLIB_PW_MAX_FDS ? n : GLIB_PW_MAX_FDS;
    for (int i = 0; i < g->n_fds; i++) {
        g->fds[i].revents = 0;
        g->io[i] =
            pw_loop_add_io(g->loop, g->fds[i].fd, spa_events(g->fds[i].events), false, on_io, g);
    }
    /* 0 means a source is ready now: a timer must be armed to fire, so 1 ns. */
    struct timespec value = {.tv_sec = timeout_ms > 0 ? timeout_ms / 1000 : 0,
                             .tv_nsec = timeout_ms > 0 ? (timeout_ms % 1000) * 1000000L : 1};
    if (timeout_ms < 0)
        value = (struct timespec){0, 0};
    pw_loop_update_timer(g->loop, g->timer, &value, NULL, false);
}

int glib_pw_attach(struct glib_pw *g, struct pw_loop *loop, GMainContext *context,
                   void (*dispatched)(void *data), void *data)
{
    memset(g, 0, sizeof(*g));
    g->loop = loop;
    g->context = context;
    g->dispatched = dispatched;
    g->data = data;
    if (!g_main_context_acquire(g->context))
        return -EBUSY;
    if (!(g->timer = pw_loop_add_timer(loop, on_timer, g))) {
        g_main_context_release(g->context);
        return -errno;
    }
    g->attached = true;
    arm(g);
    return 0;
}

void glib_pw_detach(struct glib_pw *g)
{
    if (!g->attached)
        return;
    drop_sources(g);
    pw_loop_destroy_source(g->loop, g->timer);
    g_main_context_release(g->context);
    g->attached = false;
}
