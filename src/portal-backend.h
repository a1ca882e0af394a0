/* Who serves the ScreenCast portal (its backend: xdg-desktop-portal-wlr, -gnome, -kde, ...),
 * whether an offer took it down, and bringing it back as a desktop does. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "session-dbus.h"

#define PORTAL_BACKENDS_MAX 8

struct portal_backend {
    char name[128];   /* org.freedesktop.impl.portal.desktop.wlr */
    char program[64]; /* xdg-desktop-portal-wlr: its process, or made from the name */
    uint32_t pid;
};

struct portal_backends {
    struct portal_backend b[PORTAL_BACKENDS_MAX];
    uint32_t n;
};

/* The backends on the bus now, with their processes. */
void portal_backends_read(struct dbus_ctx *d, struct portal_backends *out);
/* The first of `before` whose name has no owner now, or another process as owner; NULL when all
 * are the processes they were (after waiting up to wait_ms for one to go). */
const struct portal_backend *portal_backends_lost(struct dbus_ctx *d,
                                                  const struct portal_backends *before,
                                                  uint32_t wait_ms);
/* Can the bus start it (a D-Bus service file for its name, as a desktop installs one)? */
bool portal_backend_activatable(struct dbus_ctx *d, const struct portal_backend *b);
/* StartServiceByName, as the next portal request on a desktop would, and wait until it owns its
 * name; its new pid in *pid. 0, or a negative errno (-ETIMEDOUT, -EIO). */
int portal_backend_restart(struct dbus_ctx *d, const struct portal_backend *b, uint32_t timeout_ms,
                           uint32_t *pid);
