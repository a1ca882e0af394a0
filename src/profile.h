/* Emulator profiles: how a named compositor offers its screencast, read from data/profiles/. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "error.h"

#define PROFILE_MAX_FORMATS   16
#define PROFILE_MAX_VIDEO     8
#define PROFILE_MAX_MODIFIERS 32

enum profile_behaviour {
    BEHAVIOUR_NORMAL,
    BEHAVIOUR_RENEGOTIATE_LOOP, /* answers every Format with a changed EnumFormat */
    BEHAVIOUR_FLAPPING,         /* streams, then drops to Paused and renegotiates, again */
    BEHAVIOUR_NO_BUFFERS,       /* reaches Streaming and never sends a buffer */
};

/* Chunks a broken or hostile producer sends: a consumer must drop them, never read them. */
enum profile_hostile {
    HOSTILE_NONE,
    HOSTILE_OFFSET_PAST_END, /* chunk offset + size beyond maxsize */
    HOSTILE_SIZE_PAST_END,   /* chunk size beyond maxsize */
    HOSTILE_ZERO_STRIDE,
    HOSTILE_NEGATIVE_STRIDE,
    HOSTILE_SHORT_STRIDE, /* smaller than width x bytes per pixel */
    HOSTILE_CORRUPTED,    /* SPA_META_HEADER_FLAG_CORRUPTED */
    HOSTILE_EMPTY,        /* chunk size 0: nothing new (gamescope; damage-driven producers) */
    HOSTILE_CURSOR_ONLY,  /* chunk size 0 and a cursor meta update (Mutter's pointer moves) */
    HOSTILE_CURSOR_ONLY_CORRUPTED, /* chunk flagged CORRUPTED, cursor meta update (KWin's) */
    HOSTILE_FAILED_RENDER, /* size 0, CORRUPTED in chunk and header (niri's unrendered buffer) */
};

/* SyncTimeline (explicit sync, PipeWire 1.2+) on the DMA-BUF formats' Buffers params. */
enum profile_sync {
    SYNC_NONE,
    SYNC_OFFERED,  /* a Buffers param with SyncTimeline first, a plain one after it */
    SYNC_REQUIRED, /* only the Buffers param with SyncTimeline */
};

/* What the producer writes into a buffer's header meta pts. */
enum profile_pts {
    PTS_CLOCK,     /* CLOCK_MONOTONIC at the frame (Mutter, xdpw) */
    PTS_MINUS_ONE, /* -1 on every frame (gamescope) */
    PTS_UNSET,     /* never written: what PipeWire put there, 0 (niri) */
};

/* What chunk->size says for a frame. */
enum profile_chunk {
    CHUNK_IMAGE, /* the bytes of the picture: stride x height (and the chroma, NV12) */
    CHUNK_ONE,   /* 1, on DMA-BUF: "there is a frame" (niri: its size means nothing there) */
};

enum profile_fixation {
    FIXATION_PRODUCER, /* picks the modifier itself when a consumer leaves a choice (Mutter) */
    FIXATION_CONSUMER, /* waits for the consumer to announce one modifier */
};

/* One EnumFormat the producer announces, and the buffers it hands out when it is chosen. */
struct profile_format {
    uint32_t formats[PROFILE_MAX_VIDEO];
    uint32_t n_formats;
    bool has_modifier;
    uint64_t modifiers[PROFILE_MAX_MODIFIERS];
    uint32_t n_modifiers;
    uint32_t modifier_flags; /* SPA_POD_PROP_FLAG_* */
    uint32_t data_type;      /* SPA_DATA_*: what its buffers are */
    uint32_t data_flags;     /* SPA_DATA_FLAG_* on those buffers' datas */
    bool modifier_choice;    /* a Choice even for one modifier (niri, gamescope), not a Long */
    /* Colour properties as Ids (0: none): Mutter 50 writes primaries and transfer function on
     * every EnumFormat, MANDATORY where they are not BT.709 / gamma 2.2. */
    uint32_t color_primaries, transfer_function, color_flags;
    /* An Enum choice of matrices / ranges, first is the default (gamescope's NV12). */
    uint32_t color_matrix[4], n_color_matrix;
    uint32_t color_range[4], n_color_range;
};

struct profile {
    char name[64];
    char description[256];
    char modelled_on[256];
    char node_name[96];
    char media_class[32];
    uint32_t width, height;
    uint32_t framerate_num, framerate_denom;
    uint32_t max_framerate_num, max_framerate_denom;         /* 0/0: no maxFramerate property */
    uint32_t max_framerate_min_num, max_framerate_min_denom; /* the range's floor: 1/1, 0/1 */
    uint32_t fps;
    enum profile_behaviour behaviour;
    uint32_t flap_interval_ms;
    enum profile_hostile hostile;
    uint32_t hostile_every;                /* every Nth frame is hostile (1: all) */
    uint32_t resize_width, resize_height;  /* 0: never; else switch to this size ... */
    uint32_t resize_after_ms;              /* ... after streaming this long */
    uint32_t format_change;                /* 0: never; else switch to this spa format ... */
    uint32_t format_change_after_ms;       /* ... after streaming this long */
    uint32_t vanish_after_ms;              /* 0: never; else the node goes away after this */
    uint32_t stall_after_ms, stall_for_ms; /* stop sending frames for a while, then resume */
    enum profile_fixation fixation;
    uint32_t fixation_retries; /* 0: fixate for ever; N: the (N+1)th open Format gets SHM only */
    enum profile_sync explicit_sync;
    bool sync_mandatory; /* the SyncTimeline metaType prop flagged MANDATORY (KWin, Mutter) */
    struct profile_format formats[PROFILE_MAX_FORMATS];
    uint32_t n_formats;
    uint32_t buffers_min, buffers_max;
    uint32_t metas;           /* 1 << SPA_META_* */
    uint32_t buffers_default; /* the Buffers param's default count; 0: 8, within the range */
    bool driver;              /* drives the graph (a timer); false: produces when the graph asks */
    enum profile_pts header_pts;
    enum profile_chunk chunk_size;
    char supports_request[8];  /* node.supports-request, "" for none (Mutter 51: "2") */
    bool capability_device_id; /* a Capability param offering device-ID negotiation (Mutter 51) */
    bool gamescope_keys;       /* gamescope's requested_size and focus_appid keys and its meta */
    char cursor_since[16];     /* the Cursor meta only with a libpipewire this new (niri: 1.4.8) */
};

/* Parses a profile's text; err (exit 3) gets "FILE:LINE: reason" on failure (-EINVAL). */
int profile_parse(const char *text, const char *filename, struct profile *p,
                  struct pwzc_error *err);
/* NAME is looked up as DATADIR/profiles/NAME.profile; anything with a '/' is a path.
 * -ENOENT: no such profile (err lists the known ones). */
int profile_load(const char *name_or_path, struct profile *p, struct pwzc_error *err);
/* "gnome-headless", "wlroots-shm", ...: the profiles in the data directory, a JSON array. */
struct json_object *profile_names(void);
struct json_object *profile_to_json(const struct profile *p);
