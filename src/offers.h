/* What a consumer offers: EnumFormat params, the Buffers param, the metas it asks for. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <spa/pod/builder.h>

#define OFFER_MAX_FORMATS   24
#define OFFER_MAX_ENUM      24
#define OFFER_MAX_MODIFIERS 64
#define OFFER_MAX_METAS     8
#define OFFER_MAX_PROPS     8

struct gpu_info;

/* A size or framerate property: fixed, or a range with its default; `set` false: the built-in
 * offers' own (size 1280x720 in 1x1..16384x16384, framerate 0/1 in 0/1..360/1, no maxFramerate);
 * `omit`: no such property at all. */
struct offer_range {
    bool set, omit;
    bool range;
    uint32_t def[2], min[2], max[2]; /* width/height, or num/denom */
};

/* One EnumFormat param. */
struct offer_format {
    uint32_t formats[OFFER_MAX_FORMATS]; /* spa_video_format, a Choice when several */
    uint32_t n_formats;
    bool has_modifier; /* false: no modifier property at all (SHM) */
    uint64_t modifiers[OFFER_MAX_MODIFIERS];
    uint32_t n_modifiers;
    uint32_t modifier_flags; /* SPA_POD_PROP_FLAG_MANDATORY | DONT_FIXATE */
    struct offer_range size, framerate, max_framerate;
    /* colorPrimaries and transferFunction Ids, no flags (0: no property), as Sunshine in HDR
     * mode and OBS with a 10-bit format ask for BT.2020 and PQ. */
    uint32_t color_primaries, transfer_function;
};

enum offer_buffer_count { BUFFERS_DEFAULT, BUFFERS_NONE, BUFFERS_RANGE };

/* A Buffers key some clients write as a range (blocks, size, stride); absent unless `set`. The
 * default may lie outside the range: pipewiresrc writes blocks as (0, 1, INT32_MAX). */
struct offer_int_range {
    bool set;
    uint32_t def, min, max;
};

struct offer {
    char name[64];
    char description[256];
    struct offer_format enums[OFFER_MAX_ENUM]; /* sent in this order: first is preferred */
    uint32_t n_enums;
    uint32_t data_types;       /* SPA_PARAM_BUFFERS_dataType mask: 1 << SPA_DATA_MemFd, ... */
    uint32_t data_types_plain; /* for a Format without modifier; 0: data_types without DmaBuf */
    bool data_type_int;        /* a plain Int dataType, as some clients write it, not Flags */
    enum offer_buffer_count buffer_count;
    uint32_t buffers_def, buffers_min, buffers_max;
    struct offer_int_range blocks, size,
        stride; /* further Buffers keys, as the client writes them */
    /* The Meta params it sends, in its order (SPA_META_Header, ...): a port lists them as sent. */
    uint32_t metas[OFFER_MAX_METAS];
    uint32_t n_metas;
    /* The Cursor meta's size in bytes as the client writes it; unset: offer_build_meta's. */
    struct offer_int_range cursor_size;
    bool gpu_modifiers; /* its modifiers come from this machine's GPU (EGL) */
    /* How the consumer's stream is made, as the client's pw_stream_connect makes it:
     * PW_STREAM_FLAG_* beside AUTOCONNECT, which every consumer here has. MAP_BUFFERS is not only
     * about mapping: libpipewire adds MemFd to an input port's Buffers dataType that holds MemPtr.
     */
    uint32_t stream_flags;
    bool buffers_at_connect;    /* Buffers and Meta params go with connect, not after the Format */
    bool pauses_at_start;       /* pause the stream once it streams, resume it at once */
    bool device_id_negotiation; /* a Capability param: it negotiates device IDs (1.5.84) */
    /* The stream properties the client sets (WirePlumber links by them); without them, a
     * screen-capture stream's media.type, media.category and media.role. */
    bool props_set;
    struct offer_prop {
        char key[64], value[128];
    } props[OFFER_MAX_PROPS];
    uint32_t n_props;
    char skip_reason[600]; /* non-empty: it cannot be built here, and why */
};

/* The built-in offers, in the order probe tries them. */
uint32_t offer_builtin_count(void);
/* ... and after them those probe tries only when named (--offers, --offer): hdr,
 * dmabuf-device-id. offer_builtin_name and _description take indexes up to this count. */
uint32_t offer_builtin_count_all(void);
const char *offer_builtin_name(uint32_t index);
const char *offer_builtin_description(uint32_t index);
/* Fills `offer` for the named built-in; gpu may be NULL or unavailable (then GPU offers are
 * skipped and dmabuf+shm falls back to LINEAR). -ENOENT for an unknown name. */
int offer_builtin(const char *name, const struct gpu_info *gpu, struct offer *offer);

/* An offer built by hand: formats "BGRx,BGRA", modifiers "LINEAR,0x..." or "none" or NULL,
 * data types "memfd,dmabuf" or NULL. Returns -EINVAL with `what` naming the bad part. */
int offer_custom(const char *formats, const char *modifiers, const char *data_types,
                 struct offer *offer, const char **what);

/* The Capability param of an offer that negotiates device IDs, into params[0]: 1, or 0 where
 * it has none (or this build's headers know no such param). */
int offer_build_capability(const struct offer *offer, struct spa_pod_builder *b,
                           const struct spa_pod **params);

/* Some EnumFormat with a modifier property (a DMA-BUF pod); some without one (an SHM pod). */
bool offer_has_modifier_pod(const struct offer *o);
bool offer_has_plain_pod(const struct offer *o);

/* The pods. Each returns the number of params written to `params`, or a negative errno. */
int offer_build_enum_formats(const struct offer *offer, struct spa_pod_builder *b,
                             const struct spa_pod **params, uint32_t max);
/* After a Format arrived: Buffers (data types the offer accepts for that format) + Metas. */
int offer_build_buffer_params(const struct offer *offer, bool format_has_modifier,
                              struct spa_pod_builder *b, const struct spa_pod **params,
                              uint32_t max);
/* One Meta param (SPA_META_Header, VideoCrop, VideoDamage, Cursor, VideoTransform) as clients
 * write it; NULL for a type it does not know. */
const struct spa_pod *offer_build_meta(struct spa_pod_builder *b, uint32_t type);
/* The data types the offer takes for a Format with or without a modifier. */
uint32_t offer_data_types_for(const struct offer *offer, bool has_modifier);
/* ... and what the consumer's input port then carries: libpipewire adds MemFd for a stream that
 * maps buffers and sends MemPtr. */
uint32_t offer_port_data_types(const struct offer *offer, bool has_modifier);
/* The consumer fixates: the chosen modifier first, then the original EnumFormats as fallback. */
int offer_build_fixated(const struct offer *offer, uint32_t format, uint64_t modifier,
                        struct spa_pod_builder *b, const struct spa_pod **params, uint32_t max);

/* Where offers and the GPU meet: pick the first of `candidates` this offer would take. */
bool offer_pick_modifier(const struct offer *offer, uint32_t format, const uint64_t *candidates,
                         uint32_t n, uint64_t *chosen);
