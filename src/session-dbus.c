/* Small gio helpers: blocking calls with timeouts, and a main-context wait that can be
 * interrupted, so a portal dialog nobody answers cannot hang pwzc. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include <glib-unix.h>

#include "session-dbus.h"

static gboolean on_signal(gpointer data)
{
    ((struct dbus_ctx *)data)->interrupted = true;
    return G_SOURCE_CONTINUE;
}

static GSource *watch_signal(struct dbus_ctx *d, int signum)
{
    GSource *source = g_unix_signal_source_new(signum);

    g_source_set_callback(source, on_signal, d, NULL);
    g_source_attach(source, d->context);
    return source;
}

static void unwatch(GSource *source)
{
    if (!source)
        return;
    g_source_destroy(source);
    g_source_unref(source);
}

int dbus_open(struct dbus_ctx *d, struct pwzc_error *err)
{
    GError *error = NULL;
    const char *address = g_getenv("DBUS_SESSION_BUS_ADDRESS");

    memset(d, 0, sizeof(*d));
    d->bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error);
    if (!d->bus) {
        pwzc_fail(err, PWZC_EXIT_NO_BUS, -ENOTCONN, "no D-Bus session bus (%s): %s",
                  address ? address : "DBUS_SESSION_BUS_ADDRESS unset",
                  error ? error->message : "unknown error");
        g_clear_error(&error);
        return -ENOTCONN;
    }
    d->context = g_main_context_new();
    g_main_context_push_thread_default(d->context);
    d->sigint = watch_signal(d, SIGINT);
    d->sigterm = watch_signal(d, SIGTERM);
    return 0;
}

void dbus_close(struct dbus_ctx *d)
{
    unwatch(d->sigint);
    unwatch(d->sigterm);
    if (d->bus) {
        g_dbus_connection_flush_sync(d->bus, NULL, NULL);
        g_object_unref(d->bus);
    }
    if (d->context) {
        /* What the bus still has queued for us (an unsubscribed signal) goes with it. */
        while (g_main_context_iteration(d->context, FALSE))
            ;
        g_main_context_pop_thread_default(d->context);
        g_main_context_unref(d->context);
    }
    memset(d, 0, sizeof(*d));
}

GVariant *dbus_call(struct dbus_ctx *d, const char *dest, const char *path, const char *iface,
                    const char *method, GVariant *args, const char *reply_type, int timeout_ms,
                    GError **error)
{
    return g_dbus_connection_call_sync(d->bus, dest, path, iface, method, args,
                                       reply_type ? G_VARIANT_TYPE(reply_type) : NULL,
                                       G_DBUS_CALL_FLAGS_NO_AUTO_START, timeout_ms, NULL, error);
}

bool dbus_has_owner(struct dbus_ctx *d, const char *name)
{
    GVariant *r =
        dbus_call(d, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                  "NameHasOwner", g_variant_new("(s)", name), "(b)", 2000, NULL);
    gboolean owned = FALSE;

    if (r) {
        g_variant_get(r, "(b)", &owned);
        g_variant_unref(r);
    }
    return owned;
}

void dbus_names_with_prefix(struct dbus_ctx *d, const char *prefix, char *buf, size_t size)
{
    GVariant *r = dbus_call(d, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                            "org.freedesktop.DBus", "ListNames", NULL, "(as)", 2000, NULL);
    GVariantIter *iter;
    const char *name;
    size_t used = 0;

    buf[0] = '\0';
    if (!r)
        return;
    g_variant_get(r, "(as)", &iter);
    while (g_variant_iter_loop(iter, "&s", &name))
        if (g_str_has_prefix(name, prefix))
            used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%s",
                                     used ? "," : "", name);
    g_variant_iter_free(iter);
    g_variant_unref(r);
}

GVariant *dbus_get_property(struct dbus_ctx *d, const char *dest, const char *path,
                            const char *iface, const char *name)
{
    GVariant *r = dbus_call(d, dest, path, "org.freedesktop.DBus.Properties", "Get",
                            g_variant_new("(ss)", iface, name), "(v)", 3000, NULL);
    GVariant *value = NULL;

    if (r) {
        g_variant_get(r, "(v)", &value);
        g_variant_unref(r);
    }
    return value;
}

static gboolean on_deadline(gpointer data)
{
    *(bool *)data = true;
    return G_SOURCE_REMOVE;
}

/* Blocks in the session's main context until the flag, the deadline or a signal (its unix
 * signal sources wake it): no polling. */
int dbus_wait(struct dbus_ctx *d, const bool *flag, uint32_t timeout_ms)
{
    bool expired = false;
    GSource *deadline = g_timeout_source_new(timeout_ms);

    g_source_set_callback(deadline, on_deadline, &expired, NULL);
    g_source_attach(deadline, d->context);
    while (!*flag && !expired && !d->interrupted)
        g_main_context_iteration(d->context, TRUE);
    g_source_destroy(deadline);
    g_source_unref(deadline);
    if (*flag)
        return 0;
    return d->interrupted ? -EINTR : -ETIMEDOUT;
}

void dbus_pump(struct dbus_ctx *d)
{
    while (g_main_context_iteration(d->context, FALSE))
        ;
}
