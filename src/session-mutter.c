/* Mutter's ScreenCast API, as gnome-remote-desktop drives it. The session lives as long as the
 * D-Bus connection that created it, so the connection stays open for the stream's life. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "session-mutter.h"

#define MUTTER_NAME     "org.gnome.Mutter.ScreenCast"
#define MUTTER_PATH     "/org/gnome/Mutter/ScreenCast"
#define SESSION_IFACE   "org.gnome.Mutter.ScreenCast.Session"
#define STREAM_IFACE    "org.gnome.Mutter.ScreenCast.Stream"
#define CALL_TIMEOUT_MS 5000
#define NODE_TIMEOUT_MS 5000

static int call_failed(struct pwzc_error *err, const char *what, GError *error)
{
    pwzc_fail(err, PWZC_EXIT_PORTAL, -EIO, "Mutter ScreenCast %s failed: %s", what,
              error ? error->message : "no answer");
    g_clear_error(&error);
    return -EIO;
}

/* The first monitor's connector ("Meta-0" headless, "eDP-1" on a laptop), from DisplayConfig. */
static int first_connector(struct mutter_session *m, struct pwzc_error *err)
{
    GError *error = NULL;
    GVariant *r = dbus_call(m->dbus, "org.gnome.Mutter.DisplayConfig",
                            "/org/gnome/Mutter/DisplayConfig", "org.gnome.Mutter.DisplayConfig",
                            "GetCurrentState", NULL, NULL, CALL_TIMEOUT_MS, &error);
    GVariant *monitors = NULL, *first;
    const char *connector = NULL;

    if (!r)
        return call_failed(err, "DisplayConfig.GetCurrentState (to find a monitor)", error);
    monitors = g_variant_get_child_value(r, 1);
    if (g_variant_n_children(monitors) > 0) {
        first = g_variant_get_child_value(monitors, 0);
        g_variant_get_child(first, 0, "(&ssss)", &connector, NULL, NULL, NULL);
        snprintf(m->connector, sizeof(m->connector), "%s", connector);
        g_variant_unref(first);
    }
    g_variant_unref(monitors);
    g_variant_unref(r);
    if (!m->connector[0]) {
        pwzc_fail(err, PWZC_EXIT_PORTAL, -ENODEV, "Mutter reports no monitor to record");
        return -ENODEV;
    }
    return 0;
}

static void on_stream_added(GDBusConnection *bus, const char *sender, const char *path,
                            const char *iface, const char *signal, GVariant *params, gpointer data)
{
    struct mutter_session *m = data;

    g_variant_get(params, "(u)", &m->node_id);
    m->node_added = true;
}

static void on_closed(GDBusConnection *bus, const char *sender, const char *path, const char *iface,
                      const char *signal, GVariant *params, gpointer data)
{
    ((struct mutter_session *)data)->closed = true;
}

static GVariant *record_args(const struct mutter_session *m)
{
    GVariantBuilder props;

    g_variant_builder_init(&props, G_VARIANT_TYPE("a{sv}"));
    g_variant_builder_add(&props, "{sv}", "cursor-mode", g_variant_new_uint32(m->o->cursor_mode));
    if (m->o->source == MUTTER_WINDOW)
        g_variant_builder_add(&props, "{sv}", "window-id", g_variant_new_uint64(m->o->window_id));
    if (m->o->source == MUTTER_MONITOR)
        return g_variant_new("(sa{sv})", m->connector, &props);
    return g_variant_new("(a{sv})", &props);
}

static int record(struct mutter_session *m, struct pwzc_error *err)
{
    static const char *const methods[] = {"RecordMonitor", "RecordVirtual", "RecordWindow"};
    const char *method = methods[m->o->source];
    GError *error = NULL;
    GVariant *r;

    if (m->o->source == MUTTER_WINDOW && m->api_version < 2) {
        pwzc_fail(err, PWZC_EXIT_USAGE, -ENOTSUP, "this Mutter (API %d) has no RecordWindow",
                  m->api_version);
        return -ENOTSUP;
    }
    r = dbus_call(m->dbus, MUTTER_NAME, m->session_path, SESSION_IFACE, method, record_args(m),
                  "(o)", CALL_TIMEOUT_MS, &error);
    if (!r)
        return call_failed(err, method, error);
    g_variant_get(r, "(o)", &m->stream_path);
    g_variant_unref(r);
    return 0;
}

static int create_session(struct mutter_session *m, struct pwzc_error *err)
{
    GError *error = NULL;
    GVariant *r = dbus_call(m->dbus, MUTTER_NAME, MUTTER_PATH, MUTTER_NAME, "CreateSession",
                            g_variant_new_parsed("(@a{sv} {},)"), "(o)", CALL_TIMEOUT_MS, &error);

    if (!r)
        return call_failed(err, "CreateSession", error);
    g_variant_get(r, "(o)", &m->session_path);
    g_variant_unref(r);
    m->closed_sub = g_dbus_connection_signal_subscribe(
        m->dbus->bus, MUTTER_NAME, SESSION_IFACE, "Closed", m->session_path, NULL,
        G_DBUS_SIGNAL_FLAGS_NONE, on_closed, m, NULL);
    return 0;
}

static void read_parameters(struct mutter_session *m)
{
    GVariant *params =
        dbus_get_property(m->dbus, MUTTER_NAME, m->stream_path, STREAM_IFACE, "Parameters");

    if (!params)
        return;
    m->have_params = g_variant_lookup(params, "size", "(ii)", &m->width, &m->height);
    g_variant_lookup(params, "position", "(ii)", &m->x, &m->y);
    g_variant_unref(params);
}

static int start_and_wait(struct mutter_session *m, struct pwzc_error *err)
{
    GError *error = NULL;
    GVariant *r;
    int res;

    /* Subscribe before Start: the signal can come before Start's reply does. */
    m->added_sub = g_dbus_connection_signal_subscribe(
        m->dbus->bus, MUTTER_NAME, STREAM_IFACE, "PipeWireStreamAdded", m->stream_path, NULL,
        G_DBUS_SIGNAL_FLAGS_NONE, on_stream_added, m, NULL);
    r = dbus_call(m->dbus, MUTTER_NAME, m->session_path, SESSION_IFACE, "Start", NULL, NULL,
                  CALL_TIMEOUT_MS, &error);
    if (!r)
        return call_failed(err, "Start", error);
    g_variant_unref(r);
    if ((res = dbus_wait(m->dbus, &m->node_added, NODE_TIMEOUT_MS)) < 0) {
        pwzc_fail(err, res == -EINTR ? PWZC_EXIT_INTERRUPTED : PWZC_EXIT_PORTAL, res,
                  "Mutter started the session but announced no PipeWire stream (%s)",
                  res == -EINTR ? "interrupted" : "no PipeWireStreamAdded within 5 s");
        return res;
    }
    read_parameters(m);
    return 0;
}

static void read_version(struct mutter_session *m)
{
    GVariant *v = dbus_get_property(m->dbus, MUTTER_NAME, MUTTER_PATH, MUTTER_NAME, "Version");

    m->api_version = v ? g_variant_get_int32(v) : 0;
    if (v)
        g_variant_unref(v);
}

int mutter_start(struct mutter_session *m, struct dbus_ctx *dbus, const struct mutter_options *o,
                 struct pwzc_error *err)
{
    int res;

    memset(m, 0, sizeof(*m));
    m->dbus = dbus;
    m->o = o;
    if (!dbus_has_owner(dbus, MUTTER_NAME)) {
        pwzc_fail(err, PWZC_EXIT_NO_SERVICE, -ENOENT,
                  "no %s on the session bus: is this a GNOME (Mutter) session?", MUTTER_NAME);
        return -ENOENT;
    }
    read_version(m);
    if (o->source == MUTTER_MONITOR) {
        if (o->monitor)
            snprintf(m->connector, sizeof(m->connector), "%s", o->monitor);
        else if ((res = first_connector(m, err)) < 0)
            return res;
    }
    if ((res = create_session(m, err)) < 0 || (res = record(m, err)) < 0 ||
        (res = start_and_wait(m, err)) < 0) {
        mutter_stop(m);
        return res;
    }
    return 0;
}

void mutter_stop(struct mutter_session *m)
{
    if (!m->dbus)
        return;
    if (m->session_path && !m->closed) {
        GVariant *r = dbus_call(m->dbus, MUTTER_NAME, m->session_path, SESSION_IFACE, "Stop", NULL,
                                NULL, CALL_TIMEOUT_MS, NULL);
        if (r)
            g_variant_unref(r);
    }
    if (m->added_sub)
        g_dbus_connection_signal_unsubscribe(m->dbus->bus, m->added_sub);
    if (m->closed_sub)
        g_dbus_connection_signal_unsubscribe(m->dbus->bus, m->closed_sub);
    g_free(m->session_path);
    g_free(m->stream_path);
    m->session_path = m->stream_path = NULL;
    m->added_sub = m->closed_sub = 0;
}

struct json_object *mutter_to_json(const struct mutter_session *m)
{
    static const char *const sources[] = {"monitor", "virtual", "window"};
    static const char *const cursors[] = {"hidden", "embedded", "metadata"};
    struct json_object *obj = json_object_new_object();
    char size[32], position[32];

    json_object_object_add(obj, "api", json_object_new_string(MUTTER_NAME));
    json_object_object_add(obj, "api_version", json_object_new_int(m->api_version));
    json_object_object_add(obj, "source", json_object_new_string(sources[m->o->source]));
    json_object_object_add(obj, "monitor",
                           m->connector[0] ? json_object_new_string(m->connector) : NULL);
    json_object_object_add(obj, "cursor_mode",
                           json_object_new_string(cursors[m->o->cursor_mode % 3]));
    snprintf(size, sizeof(size), "%dx%d", m->width, m->height);
    snprintf(position, sizeof(position), "%d,%d", m->x, m->y);
    json_object_object_add(obj, "stream_size",
                           m->have_params ? json_object_new_string(size) : NULL);
    json_object_object_add(obj, "stream_position",
                           m->have_params ? json_object_new_string(position) : NULL);
    json_object_object_add(obj, "session_closed", json_object_new_boolean(m->closed));
    return obj;
}
