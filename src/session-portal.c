/* The ScreenCast portal: every call answers through a Request object's Response signal, which
 * must be subscribed before the call (the answer can beat the reply). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixfdlist.h>

#include "session-portal.h"

#define PORTAL_NAME    "org.freedesktop.portal.Desktop"
#define PORTAL_PATH    "/org/freedesktop/portal/desktop"
#define SCREENCAST     "org.freedesktop.portal.ScreenCast"
/* What an app waits for the portal's reply (GLib's default, 25 s): on a loaded machine CI saw
 * CreateSession go unanswered for 5 s, pwzc's limit before, while a real app would have gone
 * on waiting. Closing is our own teardown and waits less. */
#define CALL_TIMEOUT   25000
#define CLOSE_TIMEOUT  5000
#define BACKEND_PREFIX "org.freedesktop.impl.portal.desktop."

struct response {
    bool done;
    uint32_t code;
    GVariant *results;
};

static void on_response(GDBusConnection *bus, const char *sender, const char *path,
                        const char *iface, const char *signal, GVariant *params, gpointer data)
{
    struct response *r = data;

    g_variant_get(params, "(u@a{sv})", &r->code, &r->results);
    r->done = true;
}

static void on_closed(GDBusConnection *bus, const char *sender, const char *path, const char *iface,
                      const char *signal, GVariant *params, gpointer data)
{
    ((struct portal_session *)data)->closed = true;
}

/* The Request path the portal will use: our unique name without ':' and with '.' -> '_'. */
static char *request_path(struct portal_session *p, char *token, size_t size)
{
    char *sender = g_strdup(g_dbus_connection_get_unique_name(p->dbus->bus) + 1);
    char *path;

    g_strdelimit(sender, ".", '_');
    static unsigned requests;
    snprintf(token, size, "pwzc%d_%u", (int)getpid(), ++requests);
    path = g_strdup_printf(PORTAL_PATH "/request/%s/%s", sender, token);
    g_free(sender);
    return path;
}

static const char *backend_hint(const struct portal_session *p, const char *method)
{
    /* xdpw checks the compositor's buffer formats when the cast starts, not before. */
    if (strcmp(method, "Start") == 0 && strstr(p->backends, BACKEND_PREFIX "wlr"))
        return "; xdg-desktop-portal-wlr refuses to screencast without DMA-BUF on a compositor "
               "with a software renderer ('unable to receive a valid format from "
               "wlr_screencopy', upstream issue #289): give the compositor a GPU renderer, or "
               "use an xdpw with an SHM fallback";
    /* KWin 6 answers every screencast request with "Unsupported compositing type" unless it
     * composites with OpenGL (plugins/screencast/screencastmanager.cpp), which needs a DRM
     * device; xdg-desktop-portal-kde then answers Start with 2 (seen: KWin 6.7.4 --virtual). */
    if (strcmp(method, "Start") == 0 && strstr(p->backends, BACKEND_PREFIX "kde"))
        return "; the known cause: KWin screencasts only when it composites with OpenGL, and "
               "without a DRM device (a GPU's render node, or vgem) it falls back to QPainter and "
               "refuses every stream (xdg-desktop-portal-kde's log then says 'Unsupported "
               "compositing type')";
    return "";
}

static int response_error(struct portal_session *p, const char *method, uint32_t code,
                          struct pwzc_error *err)
{
    const char *backends = p->backends[0] ? p->backends : "none found on the bus";

    if (code == 1)
        pwzc_fail(err, PWZC_EXIT_CANCELLED, -ECANCELED,
                  "the portal's %s was cancelled by the user (Response 1; backend %s)", method,
                  backends);
    else
        pwzc_fail(err, PWZC_EXIT_PORTAL, -ECANCELED,
                  "the portal's %s failed (Response %u; backend %s)%s", method, code, backends,
                  backend_hint(p, method));
    return -ECANCELED;
}

/* The three shapes of request: (a{sv}) CreateSession, (oa{sv}) SelectSources, (osa{sv}) Start
 * with an empty parent window. */
static GVariant *request_args(const struct portal_session *p, const char *method, GVariant *options)
{
    if (strcmp(method, "CreateSession") == 0)
        return g_variant_new("(@a{sv})", options);
    if (strcmp(method, "Start") == 0)
        return g_variant_new("(os@a{sv})", p->session_handle, "", options);
    return g_variant_new("(o@a{sv})", p->session_handle, options);
}

/* Calls `method` with `options` (handle_token added here), waits for the Response, and returns
 * its results (NULL on failure, with err set). */
static GVariant *request(struct portal_session *p, const char *method, GVariantBuilder *options,
                         struct pwzc_error *err)
{
    char token[64];
    char *path = request_path(p, token, sizeof(token));
    struct response r = {0};
    GError *error = NULL;
    GVariant *args, *reply;
    guint sub;
    int res;

    g_variant_builder_add(options, "{sv}", "handle_token", g_variant_new_string(token));
    args = request_args(p, method, g_variant_builder_end(options));
    sub = g_dbus_connection_signal_subscribe(p->dbus->bus, PORTAL_NAME,
                                             "org.freedesktop.portal.Request", "Response", path,
                                             NULL, G_DBUS_SIGNAL_FLAGS_NONE, on_response, &r, NULL);
    reply = dbus_call(p->dbus, PORTAL_NAME, PORTAL_PATH, SCREENCAST, method, args, "(o)",
                      CALL_TIMEOUT, &error);
    if (!reply) {
        pwzc_fail(err, PWZC_EXIT_PORTAL, -EIO, "the portal's %s failed: %s", method,
                  error ? error->message : "no reply");
        g_clear_error(&error);
    } else if ((res = dbus_wait(p->dbus, &r.done, p->o->response_timeout_ms)) < 0) {
        pwzc_fail(err, res == -EINTR ? PWZC_EXIT_INTERRUPTED : PWZC_EXIT_PORTAL, res,
                  "the portal's %s got no Response%s", method,
                  res == -EINTR ? " before the interrupt" : " in time (a dialog nobody answered?)");
    } else if (r.code != 0) {
        response_error(p, method, r.code, err);
    }
    if (reply)
        g_variant_unref(reply);
    g_dbus_connection_signal_unsubscribe(p->dbus->bus, sub);
    g_free(path);
    if (err->exit_code && r.results) {
        g_variant_unref(r.results);
        r.results = NULL;
    }
    return err->exit_code ? NULL : r.results;
}

static uint32_t property_u32(struct portal_session *p, const char *name)
{
    GVariant *v = dbus_get_property(p->dbus, PORTAL_NAME, PORTAL_PATH, SCREENCAST, name);
    uint32_t value = v ? g_variant_get_uint32(v) : 0;

    if (v)
        g_variant_unref(v);
    return value;
}

int portal_wait_sources(struct dbus_ctx *d, uint32_t timeout_ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

    /* The frontend reads the backend's properties again once the backend owns its name. */
    for (;;) {
        GVariant *v = dbus_get_property(d, PORTAL_NAME, PORTAL_PATH, SCREENCAST,
                                        "AvailableSourceTypes");
        uint32_t types = v ? g_variant_get_uint32(v) : 0;
        if (v)
            g_variant_unref(v);
        if (types)
            return 0;
        if (g_get_monotonic_time() >= deadline)
            return -ETIMEDOUT;
        dbus_pump(d);
        g_usleep(20000);
    }
}

static int read_properties(struct portal_session *p, struct pwzc_error *err)
{
    p->version = property_u32(p, "version");
    p->source_types = property_u32(p, "AvailableSourceTypes");
    p->cursor_modes = property_u32(p, "AvailableCursorModes");
    dbus_names_with_prefix(p->dbus, BACKEND_PREFIX, p->backends, sizeof(p->backends));
    if (p->version == 0) {
        pwzc_fail(err, PWZC_EXIT_NO_SERVICE, -ENOTSUP,
                  "the portal on the bus has no ScreenCast interface (backends: %s)",
                  p->backends[0] ? p->backends : "none");
        return -ENOTSUP;
    }
    /* xdg-desktop-portal 1.22 answers 0 once its backend has left the bus (seen in Debian forky
     * after xdpw 0.8.4 exited on a link error); a backend that is there was started too late. */
    if (p->source_types == 0 && !p->backends[0]) {
        pwzc_fail(err, PWZC_EXIT_NO_SOURCES, -ENODEV,
                  "the ScreenCast portal offers no source types (AvailableSourceTypes = 0): "
                  "no portal backend (" BACKEND_PREFIX "*) is on the bus: none was "
                  "started, or it exited");
        return -ENODEV;
    }
    if (p->source_types == 0) {
        pwzc_fail(err, PWZC_EXIT_NO_SOURCES, -ENODEV,
                  "the ScreenCast portal offers no source types (AvailableSourceTypes = 0): "
                  "its backend (%s) was started after xdg-desktop-portal, or none serves "
                  "XDG_CURRENT_DESKTOP=%s; restart xdg-desktop-portal after the backend",
                  p->backends,
                  g_getenv("XDG_CURRENT_DESKTOP") ? g_getenv("XDG_CURRENT_DESKTOP") : "unset");
        return -ENODEV;
    }
    if (!(p->source_types & p->o->source_type)) {
        pwzc_fail(err, PWZC_EXIT_NO_SOURCES, -ENOTSUP,
                  "the portal cannot record that source type (AvailableSourceTypes = %u)",
                  p->source_types);
        return -ENOTSUP;
    }
    return 0;
}

static char *token_path(void)
{
    const char *state = g_getenv("XDG_STATE_HOME");

    if (state && *state)
        return g_build_filename(state, "pwzc", "portal-restore-token", NULL);
    return g_build_filename(g_get_home_dir(), ".local", "state", "pwzc", "portal-restore-token",
                            NULL);
}

static char *load_token(void)
{
    char *path = token_path(), *token = NULL;

    if (!g_file_get_contents(path, &token, NULL, NULL))
        token = NULL;
    g_free(path);
    if (token)
        g_strstrip(token);
    return token;
}

static bool save_token(const char *token)
{
    char *path = token_path(), *dir = g_path_get_dirname(path);
    bool ok = g_mkdir_with_parents(dir, 0700) == 0 && g_file_set_contents(path, token, -1, NULL) &&
              chmod(path, 0600) == 0;

    g_free(dir);
    g_free(path);
    return ok;
}

static int create_session(struct portal_session *p, struct pwzc_error *err)
{
    GVariantBuilder options;
    GVariant *results;
    char token[64];

    /* The handle is derived from the token: a second session (probe renews it per offer) must
     * not reuse the first one's. */
    static unsigned sessions;
    snprintf(token, sizeof(token), "pwzc_session%d_%u", (int)getpid(), ++sessions);
    g_variant_builder_init(&options, G_VARIANT_TYPE("a{sv}"));
    g_variant_builder_add(&options, "{sv}", "session_handle_token", g_variant_new_string(token));
    if (!(results = request(p, "CreateSession", &options, err)))
        return -EIO;
    g_variant_lookup(results, "session_handle", "s", &p->session_handle);
    g_variant_unref(results);
    if (!p->session_handle) {
        pwzc_fail(err, PWZC_EXIT_PORTAL, -EPROTO,
                  "the portal's CreateSession gave no session handle");
        return -EPROTO;
    }
    p->closed_sub = g_dbus_connection_signal_subscribe(
        p->dbus->bus, PORTAL_NAME, "org.freedesktop.portal.Session", "Closed", p->session_handle,
        NULL, G_DBUS_SIGNAL_FLAGS_NONE, on_closed, p, NULL);
    return 0;
}

/* Embedded when available (what a streaming client wants), else hidden, else metadata. */
static uint32_t pick_cursor_mode(const struct portal_session *p)
{
    if (p->o->cursor_mode > 0)
        return (uint32_t)p->o->cursor_mode;
    if (p->cursor_modes & 2)
        return 2;
    if (p->cursor_modes & 1)
        return 1;
    return p->cursor_modes & 4;
}

static int select_sources(struct portal_session *p, struct pwzc_error *err)
{
    GVariantBuilder options;
    GVariant *results;
    char *token = p->o->restore && p->version >= 4 ? load_token() : NULL;

    g_variant_builder_init(&options, G_VARIANT_TYPE("a{sv}"));
    g_variant_builder_add(&options, "{sv}", "types", g_variant_new_uint32(p->o->source_type));
    g_variant_builder_add(&options, "{sv}", "multiple", g_variant_new_boolean(FALSE));
    if (p->version >= 2 && p->cursor_modes && (p->cursor_mode = pick_cursor_mode(p)))
        g_variant_builder_add(&options, "{sv}", "cursor_mode",
                              g_variant_new_uint32(p->cursor_mode));
    if (p->version >= 4) {
        /* 2: persistent, so that --restore can skip the dialog on the next run. */
        g_variant_builder_add(&options, "{sv}", "persist_mode", g_variant_new_uint32(2));
        if (token)
            g_variant_builder_add(&options, "{sv}", "restore_token", g_variant_new_string(token));
    }
    p->restored = token != NULL;
    g_free(token);
    results = request(p, "SelectSources", &options, err);
    if (!results)
        return -EIO;
    g_variant_unref(results);
    return 0;
}

static void read_stream(struct portal_session *p, GVariant *streams)
{
    GVariant *props = NULL;

    g_variant_get_child(streams, 0, "(u@a{sv})", &p->node_id, &props);
    p->have_geometry = g_variant_lookup(props, "size", "(ii)", &p->width, &p->height);
    g_variant_lookup(props, "position", "(ii)", &p->x, &p->y);
    g_variant_unref(props);
}

static int start(struct portal_session *p, struct pwzc_error *err)
{
    GVariantBuilder options;
    GVariant *results, *streams;
    const char *token = NULL;

    g_variant_builder_init(&options, G_VARIANT_TYPE("a{sv}"));
    results = request(p, "Start", &options, err);
    if (!results)
        return -EIO;
    streams = g_variant_lookup_value(results, "streams", G_VARIANT_TYPE("a(ua{sv})"));
    if (!streams || g_variant_n_children(streams) == 0) {
        pwzc_fail(err, PWZC_EXIT_PORTAL, -ENODATA, "the portal's Start returned no stream");
        if (streams)
            g_variant_unref(streams);
        g_variant_unref(results);
        return -ENODATA;
    }
    read_stream(p, streams);
    if (g_variant_lookup(results, "restore_token", "&s", &token))
        p->token_saved = save_token(token);
    g_variant_unref(streams);
    g_variant_unref(results);
    /* Id 0 is PipeWire's core, never a stream. xdg-desktop-portal-hyprland answers Start so when
     * the compositor gave it no DMA-BUF screencopy format: it made no stream ("Couldn't obtain a
     * format from dma"), but still says the session started. */
    if (p->node_id == 0)
        return pwzc_fail(err, PWZC_EXIT_PORTAL, -ENODATA,
                         "the portal's Start succeeded, but its stream is node 0, which is "
                         "PipeWire's core: the portal backend made no PipeWire stream (its "
                         "log says why)");
    return 0;
}

static int open_remote(struct portal_session *p, struct pwzc_error *err)
{
    GUnixFDList *fds = NULL;
    GError *error = NULL;
    GVariant *r;
    gint32 index;

    r = g_dbus_connection_call_with_unix_fd_list_sync(
        p->dbus->bus, PORTAL_NAME, PORTAL_PATH, SCREENCAST, "OpenPipeWireRemote",
        g_variant_new("(oa{sv})", p->session_handle, NULL), G_VARIANT_TYPE("(h)"),
        G_DBUS_CALL_FLAGS_NONE, CALL_TIMEOUT, NULL, &fds, NULL, &error);
    if (!r) {
        pwzc_fail(err, PWZC_EXIT_PORTAL, -EIO, "the portal's OpenPipeWireRemote failed: %s",
                  error ? error->message : "no reply");
        g_clear_error(&error);
        return -EIO;
    }
    g_variant_get(r, "(h)", &index);
    p->pw_fd = g_unix_fd_list_get(fds, index, &error);
    g_variant_unref(r);
    g_object_unref(fds);
    if (p->pw_fd < 0) {
        pwzc_fail(err, PWZC_EXIT_PORTAL, -EBADF, "OpenPipeWireRemote gave no usable fd: %s",
                  error ? error->message : "");
        g_clear_error(&error);
        return -EBADF;
    }
    return 0;
}

int portal_start(struct portal_session *p, struct dbus_ctx *dbus, const struct portal_options *o,
                 struct pwzc_error *err)
{
    int res;

    memset(p, 0, sizeof(*p));
    p->dbus = dbus;
    p->o = o;
    p->pw_fd = -1;
    if (!dbus_has_owner(dbus, PORTAL_NAME)) {
        dbus_names_with_prefix(dbus, BACKEND_PREFIX, p->backends, sizeof(p->backends));
        pwzc_fail(err, PWZC_EXIT_NO_SERVICE, -ENOENT,
                  "no %s on the session bus: is xdg-desktop-portal running? (backends on the "
                  "bus: %s)",
                  PORTAL_NAME, p->backends[0] ? p->backends : "none");
        return -ENOENT;
    }
    if ((res = read_properties(p, err)) < 0 || (res = create_session(p, err)) < 0 ||
        (res = select_sources(p, err)) < 0 || (res = start(p, err)) < 0 ||
        (res = open_remote(p, err)) < 0) {
        portal_stop(p);
        return res;
    }
    return 0;
}

void portal_stop(struct portal_session *p)
{
    if (!p->dbus)
        return;
    if (p->session_handle && !p->closed) {
        GVariant *r =
            dbus_call(p->dbus, PORTAL_NAME, p->session_handle, "org.freedesktop.portal.Session",
                      "Close", NULL, NULL, CLOSE_TIMEOUT, NULL);
        if (r)
            g_variant_unref(r);
    }
    if (p->closed_sub)
        g_dbus_connection_signal_unsubscribe(p->dbus->bus, p->closed_sub);
    if (p->pw_fd >= 0)
        close(p->pw_fd);
    g_free(p->session_handle);
    p->session_handle = NULL;
    p->closed_sub = 0;
    p->pw_fd = -1;
}

static struct json_object *bits_json(uint32_t bits, const char *const names[3])
{
    struct json_object *arr = json_object_new_array();

    for (int i = 0; i < 3; i++)
        if (bits & (1u << i))
            json_object_array_add(arr, json_object_new_string(names[i]));
    return arr;
}

struct json_object *portal_to_json(const struct portal_session *p)
{
    static const char *const sources[] = {"monitor", "window", "virtual"};
    static const char *const cursors[] = {"hidden", "embedded", "metadata"};
    struct json_object *obj = json_object_new_object(), *backends = json_object_new_array();
    char **names = g_strsplit(p->backends, ",", -1), text[32];

    for (char **n = names; *n && **n; n++)
        json_object_array_add(backends, json_object_new_string(*n + strlen(BACKEND_PREFIX)));
    g_strfreev(names);
    json_object_object_add(obj, "api", json_object_new_string(SCREENCAST));
    json_object_object_add(obj, "portal_version", json_object_new_int((int)p->version));
    json_object_object_add(obj, "backends", backends);
    json_object_object_add(obj, "available_source_types", bits_json(p->source_types, sources));
    json_object_object_add(obj, "available_cursor_modes", bits_json(p->cursor_modes, cursors));
    json_object_object_add(
        obj, "cursor_mode",
        p->cursor_mode ? json_object_new_string(cursors[__builtin_ctz(p->cursor_mode) % 3]) : NULL);
    snprintf(text, sizeof(text), "%dx%d", p->width, p->height);
    json_object_object_add(obj, "stream_size",
                           p->have_geometry ? json_object_new_string(text) : NULL);
    snprintf(text, sizeof(text), "%d,%d", p->x, p->y);
    json_object_object_add(obj, "stream_position",
                           p->have_geometry ? json_object_new_string(text) : NULL);
    json_object_object_add(obj, "restored", json_object_new_boolean(p->restored));
    json_object_object_add(obj, "restore_token_saved", json_object_new_boolean(p->token_saved));
    json_object_object_add(obj, "session_closed", json_object_new_boolean(p->closed));
    return obj;
}
