/* A screencast session through GNOME Mutter's own D-Bus API (org.gnome.Mutter.ScreenCast). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "session-dbus.h"

enum mutter_source { MUTTER_MONITOR, MUTTER_VIRTUAL, MUTTER_WINDOW };

struct mutter_options {
    enum mutter_source source;
    const char *monitor; /* connector; NULL: the first one DisplayConfig lists */
    uint64_t window_id;
    uint32_t cursor_mode; /* 0 hidden, 1 embedded, 2 metadata */
};

struct mutter_session {
    struct dbus_ctx *dbus;
    char *session_path, *stream_path;
    guint closed_sub, added_sub;
    bool node_added, closed;
    uint32_t node_id;
    int32_t api_version;
    char connector[64];
    const struct mutter_options *o;
    bool have_params;
    int32_t x, y, width, height;
};

/* CreateSession, Record*, Start, and the node id from PipeWireStreamAdded. */
int mutter_start(struct mutter_session *m, struct dbus_ctx *dbus, const struct mutter_options *o,
                 struct pwzc_error *err);
/* Stop (when still open) and forget the session. */
void mutter_stop(struct mutter_session *m);
struct json_object *mutter_to_json(const struct mutter_session *m);
