/* A screencast session through org.freedesktop.portal.ScreenCast, as sandboxed clients get one:
 * the PipeWire connection comes from OpenPipeWireRemote's fd. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "session-dbus.h"

enum portal_source { PORTAL_MONITOR = 1, PORTAL_WINDOW = 2, PORTAL_VIRTUAL = 4 };

struct portal_options {
    uint32_t source_type; /* PORTAL_* */
    int32_t cursor_mode;  /* 1 hidden, 2 embedded, 4 metadata; -1: the best available */
    bool restore;         /* reuse the saved restore token */
    uint32_t response_timeout_ms;
};

struct portal_session {
    struct dbus_ctx *dbus;
    const struct portal_options *o;
    char *session_handle;
    guint closed_sub;
    bool closed;
    uint32_t version, source_types, cursor_modes, cursor_mode;
    char backends[256];
    uint32_t node_id;
    bool have_geometry;
    int32_t x, y, width, height;
    int pw_fd;
    bool restored, token_saved;
};

/* CreateSession, SelectSources, Start (each answered by a Request's Response), then
 * OpenPipeWireRemote. On success pw_fd is the connected fd (ours to close). */
int portal_start(struct portal_session *p, struct dbus_ctx *dbus, const struct portal_options *o,
                 struct pwzc_error *err);
void portal_stop(struct portal_session *p);
/* Waits until the frontend says its backend can record something (AvailableSourceTypes != 0). */
int portal_wait_sources(struct dbus_ctx *d, uint32_t timeout_ms);
struct json_object *portal_to_json(const struct portal_session *p);
