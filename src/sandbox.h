/* A private PipeWire for one run: D-Bus, pipewire and WirePlumber in a temporary runtime dir. */
#pragma once

#include <sys/types.h>

#include "pwzc.h"

struct sandbox {
    char dir[256];
    pid_t dbus, pipewire, wireplumber;
};

/* Starts the three daemons and points this process's environment (XDG_RUNTIME_DIR,
 * DBUS_SESSION_BUS_ADDRESS) at them, so children inherit the sandbox. */
int sandbox_start(struct sandbox *sb, const struct pwzc_options *opts, struct pwzc_error *err);
/* Stops what sandbox_start started, by PID, and removes the directory. */
void sandbox_stop(struct sandbox *sb);

/* Starts a program with its stdout and stderr on the given fds (-1: inherited); the child
 * dies with us (PR_SET_PDEATHSIG), so nothing outlives pwzc. */
pid_t spawn_child(char *const argv[], int stdout_fd, int stderr_fd);
/* SIGTERM, then SIGKILL after timeout_ms; reaps the child. */
void stop_child(pid_t pid, int timeout_ms);
