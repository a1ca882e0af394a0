/* One connection to a PipeWire daemon: loop, context, core, and the daemon's identity. */
#pragma once

#include <pthread.h>

#include <pipewire/pipewire.h>

#include "pwzc.h"

struct connection {
    struct pw_main_loop *loop;
    struct pw_context *context;
    struct pw_core *core;
    struct spa_hook core_listener;
    struct spa_source *timer;
    struct spa_source *sigint, *sigterm;

    char daemon_version[64];
    char daemon_name[64];
    bool by_fd;       /* connected through an fd someone handed us (portal) */
    bool lost;        /* the daemon closed the connection */
    bool interrupted; /* SIGINT or SIGTERM, read here or by a connection sharing stop */
    atomic_bool *stop; /* pwzc_options.stop */
    bool cancelled;   /* the session ended under us (Session.Closed) */
    char cancel_reason[128];
    pthread_t owner; /* the thread that runs the main loop: stream callbacks belong to it */
    bool woken;
    int sync_seq;
    bool synced;
    char core_error[256]; /* the last error the daemon sent about the core itself */
};

/* Connects as opts says (--remote, --fd, or the default daemon) and waits for the core's info. */
/* True on the main loop's own thread. PipeWire's data thread calls a stream's process callback
 * directly while the main loop is not iterating (pw_loop_invoke on a loop with no thread runs
 * the function in the caller's), e.g. between its quit and the stream's destruction: a consumer
 * whose state is the main thread's leaves such a call alone, and takes the buffers on the next. */
bool connection_on_owner_thread(const struct connection *c);
int connection_open(struct connection *c, const struct pwzc_options *opts, struct pwzc_error *err);
void connection_close(struct connection *c);

/* Runs the loop until connection_wake() or timeout_ms: 0 when woken, -ETIMEDOUT, -EINTR on a
 * signal, -EPIPE when the daemon is gone, -ECANCELED after connection_cancel(). Callers loop on
 * their own condition around it. */
int connection_run(struct connection *c, uint32_t timeout_ms);
void connection_wake(struct connection *c);
/* Ends every wait from now on: the thing being watched is gone for a reason outside PipeWire. */
void connection_cancel(struct connection *c, const char *reason);

/* Waits until the daemon has processed everything sent so far. */
int connection_roundtrip(struct connection *c, uint32_t timeout_ms);

/* For --version: connects, reads the daemon's version, disconnects. On failure `out` says why. */
int connection_daemon_version(const struct pwzc_options *opts, char *out, size_t size);
