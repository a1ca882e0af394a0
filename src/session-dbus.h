/* The session bus as the compositor sessions use it: calls, properties, waiting for signals. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <gio/gio.h>

#include "pwzc.h"

struct dbus_ctx {
    GDBusConnection *bus;
    /* The session's own main context, this thread's default while the session is open: its
     * signal subscriptions are dispatched there, so sessions on several threads (probe --jobs)
     * each see their own. */
    GMainContext *context;
    GSource *sigint, *sigterm;
    bool interrupted;
};

/* The session bus from DBUS_SESSION_BUS_ADDRESS; PWZC_EXIT_NO_BUS when there is none. Pushes a
 * main context of its own as the thread's default; dbus_close, on the same thread, pops it. */
int dbus_open(struct dbus_ctx *d, struct pwzc_error *err);
void dbus_close(struct dbus_ctx *d);

bool dbus_has_owner(struct dbus_ctx *d, const char *name);
/* Bus names starting with `prefix`, comma-separated, into buf ("" when none). */
void dbus_names_with_prefix(struct dbus_ctx *d, const char *prefix, char *buf, size_t size);

GVariant *dbus_call(struct dbus_ctx *d, const char *dest, const char *path, const char *iface,
                    const char *method, GVariant *args, const char *reply_type, int timeout_ms,
                    GError **error);
GVariant *dbus_get_property(struct dbus_ctx *d, const char *dest, const char *path,
                            const char *iface, const char *name);

/* Iterates the main context until *flag is set, timeout_ms pass (-ETIMEDOUT) or SIGINT/SIGTERM
 * (-EINTR). D-Bus signal handlers set the flags. */
int dbus_wait(struct dbus_ctx *d, const bool *flag, uint32_t timeout_ms);
/* One non-blocking iteration: lets signals in while PipeWire's loop runs the show. */
void dbus_pump(struct dbus_ctx *d);
