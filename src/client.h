/* Client profiles: what a real screencast client (OBS, gnome-remote-desktop, a browser, ...)
 * offers and how it recovers, read from data/clients/ (format: data/clients/FORMAT). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "error.h"
#include "offers.h"

#define CLIENT_MAX_PODS   16
#define CLIENT_MAX_TOKENS 32 /* a GPU lists up to ~20 modifiers a format; a learned profile names them */
#define CLIENT_MAX_DROPS  64

enum client_fallback {
    FALLBACK_DROP_MODIFIER = 1 << 0,     /* drop the modifier that failed, in that format */
    FALLBACK_DROP_MODIFIER_ALL = 1 << 1, /* drop it from every format */
    FALLBACK_RETRY_IMPLICIT = 1 << 2,    /* INVALID failed: try the import once more implicitly */
    FALLBACK_RESTART_PAUSED = 1 << 3,    /* stuck in Paused: start the stream again */
    FALLBACK_NO_MAX_FRAMERATE = 1 << 4,  /* died before Streaming: again without maxFramerate */
};

enum modifier_token { TOKEN_GPU, TOKEN_GPU_2D, TOKEN_INVALID, TOKEN_LINEAR, TOKEN_VALUE };

struct client_format {
    uint32_t formats[OFFER_MAX_FORMATS];
    uint32_t n_formats;
    bool any_format; /* "formats = any": no format property (a bare video/x-raw caps) */
    bool split;      /* one pod per format */
    bool has_modifier;
    enum modifier_token tokens[CLIENT_MAX_TOKENS];
    uint64_t values[CLIENT_MAX_TOKENS];
    uint32_t n_tokens;
    uint32_t modifier_flags;
    struct offer_range size, framerate, max_framerate;
    uint32_t color_primaries, transfer_function; /* Ids, 0: the pod has no such property */
};

/* What a Streaming -> Paused does to the client's capture. */
enum client_on_pause {
    CLIENT_PAUSE_KEEP, /* it waits the pause out and goes on */
    CLIENT_PAUSE_STOP, /* its capture loop ends there for good (pipewiresrc 0.3.x) */
    /* it passes frames on paced by its stream clock, which may start from zero again after
     * the pause: it holds every frame until the clock is back where it was (pipewiresrc 1.6) */
    CLIENT_PAUSE_WAIT_FOR_CLOCK,
};

struct client_profile {
    char name[64];
    char description[256];
    char source[512];
    uint32_t data_types, data_types_plain;
    bool data_type_int;
    enum offer_buffer_count buffer_count;
    uint32_t buffers_def, buffers_min, buffers_max;
    struct offer_int_range blocks, size, stride;
    uint32_t metas[OFFER_MAX_METAS]; /* SPA_META_*, in the order the client sends them */
    uint32_t n_metas;
    struct offer_int_range cursor_size; /* its Cursor meta's size in bytes; unset: pwzc's */
    uint32_t modifiers_min_server;      /* packed version: major << 16 | minor << 8 | micro */
    uint32_t drop_min_server;
    uint32_t fallbacks; /* enum client_fallback */
    uint32_t restart_after_ms, max_restarts;
    enum client_on_pause on_pause;
    uint32_t pause_tolerance_ms; /* CLIENT_PAUSE_STOP: at a Paused that lasts this long (0: any) */
    bool pauses_at_start;        /* it pauses its stream once it streams, and resumes it */
    uint32_t stream_flags;       /* its pw_stream_connect flags (PW_STREAM_FLAG_*) */
    uint32_t passes_on;          /* 1 << FRAME_EMPTY, ...: buffers it hands on as frames anyway */
    bool buffers_at_connect;     /* Buffers/Meta go with connect, not in param_changed(Format) */
    bool props_set;              /* "properties =" given: exactly these, "none" included */
    struct offer_prop props[OFFER_MAX_PROPS];
    uint32_t n_props;
    bool target_serial;      /* names the producer by target.object=<serial>, not the node id */
    bool dequeues_elsewhere; /* dequeues outside the process callback (a thread it wakes) */
    bool dequeues_one;       /* one buffer per wake-up, not drained to the newest */
    struct client_format pods[CLIENT_MAX_PODS];
    uint32_t n_pods;
};

/* What the fallback steps have changed so far. */
struct client_state {
    struct {
        uint32_t format; /* spa_video_format; SPA_ID_INVALID: every format */
        uint64_t modifier;
        bool keep_last; /* pre-0.3.40 OBS: all but the last modifier of the format */
    } drops[CLIENT_MAX_DROPS];
    uint32_t n_drops;
    bool no_max_framerate;
};

/* Parses a client's text; err (exit 3) gets "FILE:LINE: reason" on failure (-EINVAL). */
int client_parse(const char *text, const char *filename, struct client_profile *c,
                 struct pwzc_error *err);
/* NAME is DATADIR/clients/NAME.client; anything with a '/' is a path. -ENOENT lists them. */
int client_load(const char *name_or_path, struct client_profile *c, struct pwzc_error *err);
/* "obs, webrtc, ..." */
void client_list(char *buf, size_t size);
/* The same names as a JSON array of strings. */
struct json_object *client_names(void);

struct gpu_info;

/* The offer the client would make now: its pods in its order, the GPU's modifiers (or the
 * stand-in list where there is no GPU: *standin set), minus what the state dropped, as the
 * daemon's version lets it (no modifier pods below modifiers-min-server). */
void client_offer(const struct client_profile *c, const struct gpu_info *gpu,
                  uint32_t daemon_version, const struct client_state *st, struct offer *out,
                  bool *standin);

/* "autoconnect, map-buffers" */
void client_stream_flags_string(uint32_t flags, char *buf, size_t size);

/* "1.4.2" -> packed; 0 when unreadable. */
uint32_t client_version(const char *text);
struct json_object *client_profile_json(const struct client_profile *c);
