/* GLib's main context driven from a PipeWire loop, without polling: the context's fds become
 * the loop's io sources and its next timeout a timer, so a D-Bus signal (Session.Closed) is
 * dispatched as soon as it arrives while PipeWire's loop runs the show. */
#pragma once

#include <glib.h>

#include <pipewire/pipewire.h>

#define GLIB_PW_MAX_FDS 16

struct glib_pw {
    struct pw_loop *loop;
    GMainContext *context;
    struct spa_source *timer;
    struct spa_source *io[GLIB_PW_MAX_FDS];
    GPollFD fds[GLIB_PW_MAX_FDS];
    int n_fds;
    gint priority;
    bool attached;
    /* Called after GLib dispatched something: the session looks at what changed. */
    void (*dispatched)(void *data);
    void *data;
};

/* Attaches a GLib main context (the session's) to the loop until glib_pw_detach(). */
int glib_pw_attach(struct glib_pw *g, struct pw_loop *loop, GMainContext *context,
                   void (*dispatched)(void *data), void *data);
void glib_pw_detach(struct glib_pw *g);
