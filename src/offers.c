/* The built-in offers and the pods they send: one file to read for "what does pwzc offer?". */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <drm_fourcc.h>
#include <spa/buffer/buffer.h>
#include <spa/buffer/meta.h>
#include <spa/param/buffers.h>
#include <spa/param/format.h>
#include <spa/param/param.h>
#include <spa/param/video/format.h>
#include <spa/pod/builder.h>
#include <pipewire/version.h>
#if PW_CHECK_VERSION(1, 5, 84)
#include <spa/param/dict-utils.h>
#endif

#include "colour.h"
#include "formats.h"
#include "gpu.h"
#include <pipewire/stream.h>

#include "offers.h"

/* The four layouts every compositor and GPU we know of can hand over for a desktop. */
static const uint32_t rgb_formats[] = {SPA_VIDEO_FORMAT_BGRx, SPA_VIDEO_FORMAT_BGRA,
                                       SPA_VIDEO_FORMAT_RGBx, SPA_VIDEO_FORMAT_RGBA};

#define SHM_TYPES    ((1u << SPA_DATA_MemFd) | (1u << SPA_DATA_MemPtr))
#define DMABUF_TYPES (1u << SPA_DATA_DmaBuf)
/* The cursor too, as OBS, gnome-remote-desktop and pipewiresrc 1.6 ask: without it a producer's
 * cursor-only buffer cannot be told from an empty one. */
static const uint32_t default_metas[] = {SPA_META_Header, SPA_META_VideoCrop, SPA_META_VideoDamage,
                                         SPA_META_Cursor};

static void set_default_metas(struct offer *offer)
{
    memcpy(offer->metas, default_metas, sizeof(default_metas));
    offer->n_metas = SPA_N_ELEMENTS(default_metas);
}

/* The 10-bit and half-float layouts an HDR screencast carries (Mutter 50 on an HDR monitor). */
static const uint32_t hdr_formats[] = {SPA_VIDEO_FORMAT_xRGB_210LE, SPA_VIDEO_FORMAT_xBGR_210LE,
                                       SPA_VIDEO_FORMAT_RGBA_F16};

enum modifier_source { MOD_NONE, MOD_LINEAR, MOD_IMPLICIT, MOD_GPU, MOD_GPU_OR_LINEAR };

static const struct builtin {
    const char *name;
    const char *description;
    enum modifier_source modifiers;
    bool shm_fallback; /* a second EnumFormat without modifier */
    uint32_t data_types;
    bool hdr;       /* the HDR formats with BT.2020 primaries and PQ, not the RGB ones */
    bool device_id; /* a Capability param: it negotiates device IDs */
} builtins[] = {
    {"shm", "no modifier property; MemFd or MemPtr buffers (what works on every compositor)",
     MOD_NONE, false, SHM_TYPES},
    {"memfd", "no modifier property; MemFd buffers only", MOD_NONE, false, 1u << SPA_DATA_MemFd},
    {"memptr", "no modifier property; MemPtr buffers only", MOD_NONE, false, 1u << SPA_DATA_MemPtr},
    {"dmabuf-linear", "DMA-BUF, modifier LINEAR only (MANDATORY|DONT_FIXATE); no SHM fallback",
     MOD_LINEAR, false, DMABUF_TYPES},
    {"dmabuf-gpu",
     "DMA-BUF with the modifiers this GPU imports (EGL), MANDATORY|DONT_FIXATE; no SHM fallback",
     MOD_GPU, false, DMABUF_TYPES},
    {"dmabuf-implicit", "DMA-BUF, implicit modifier (DRM_FORMAT_MOD_INVALID), MANDATORY",
     MOD_IMPLICIT, false, DMABUF_TYPES},
    {"dmabuf+shm",
     "gnome-remote-desktop style: a modifier EnumFormat first, a plain one second; MemFd|DmaBuf",
     MOD_GPU_OR_LINEAR, true, (1u << SPA_DATA_MemFd) | DMABUF_TYPES},
    /* Only when named: */
    {"hdr",
     "10-bit and half-float formats (xRGB_210LE, xBGR_210LE, RGBA_F16) with BT.2020 primaries "
     "and PQ transfer, as HDR clients ask; no modifier property",
     MOD_NONE, false, SHM_TYPES, true, false},
    {"dmabuf-device-id",
     "dmabuf+shm, and a Capability param saying it negotiates device IDs (PipeWire 1.5.84+)",
     MOD_GPU_OR_LINEAR, true, (1u << SPA_DATA_MemFd) | DMABUF_TYPES, false, true},
};

#define N_BUILTINS   (sizeof(builtins) / sizeof(builtins[0]))
#define N_ON_REQUEST 2u
#define N_PROBE_RUNS (N_BUILTINS - N_ON_REQUEST)

uint32_t offer_builtin_count(void)
{
    return N_PROBE_RUNS;
}

uint32_t offer_builtin_count_all(void)
{
    return N_BUILTINS;
}

const char *offer_builtin_name(uint32_t index)
{
    return index < N_BUILTINS ? builtins[index].name : NULL;
}

const char *offer_builtin_description(uint32_t index)
{
    return index < N_BUILTINS ? builtins[index].description : NULL;
}

static void set_formats(struct offer_format *f, const uint32_t *formats, uint32_t n)
{
    f->n_formats = n < OFFER_MAX_FORMATS ? n : OFFER_MAX_FORMATS;
    memcpy(f->formats, formats, f->n_formats * sizeof(uint32_t));
}

static void add_fixed_modifier_enum(struct offer *offer, uint64_t modifier, uint32_t flags)
{
    struct offer_format *f = &offer->enums[offer->n_enums++];

    set_formats(f, rgb_formats, SPA_N_ELEMENTS(rgb_formats));
    f->has_modifier = true;
    f->modifiers[0] = modifier;
    f->n_modifiers = 1;
    f->modifier_flags = flags;
}

/* One EnumFormat per format, as OBS and gnome-remote-desktop do: each format has its own list. */
static void add_gpu_enums(struct offer *offer, const struct gpu_info *gpu)
{
    for (size_t i = 0; i < SPA_N_ELEMENTS(rgb_formats) && offer->n_enums < OFFER_MAX_ENUM - 1;
         i++) {
        const struct video_format *vf = format_by_spa(rgb_formats[i]);
        const struct gpu_format *gf = gpu_find_format(gpu, vf->drm_fourcc);
        struct offer_format *f;

        if (!gf || gf->n_modifiers == 0)
            continue;
        f = &offer->enums[offer->n_enums++];
        set_formats(f, &rgb_formats[i], 1);
        f->has_modifier = true;
        f->modifier_flags = SPA_POD_PROP_FLAG_MANDATORY | SPA_POD_PROP_FLAG_DONT_FIXATE;
        for (uint32_t m = 0; m < gf->n_modifiers && f->n_modifiers < OFFER_MAX_MODIFIERS; m++)
            f->modifiers[f->n_modifiers++] = gf->modifiers[m];
    }
}

static bool gpu_usable(const struct gpu_info *gpu)
{
    return gpu && gpu->available && gpu->n_formats > 0;
}

static int fill_modifiers(const struct builtin *bi, const struct gpu_info *gpu, struct offer *o)
{
    const uint32_t choose = SPA_POD_PROP_FLAG_MANDATORY | SPA_POD_PROP_FLAG_DONT_FIXATE;

    switch (bi->modifiers) {
    case MOD_NONE:
        return 0;
    case MOD_LINEAR:
        add_fixed_modifier_enum(o, DRM_FORMAT_MOD_LINEAR, choose);
        return 0;
    case MOD_IMPLICIT:
        add_fixed_modifier_enum(o, DRM_FORMAT_MOD_INVALID, SPA_POD_PROP_FLAG_MANDATORY);
        return 0;
    case MOD_GPU:
    case MOD_GPU_OR_LINEAR:
        if (gpu_usable(gpu)) {
            add_gpu_enums(o, gpu);
            o->gpu_modifiers = true;
        }
        if (o->n_enums > 0)
            return 0;
        if (bi->modifiers == MOD_GPU_OR_LINEAR) {
            add_fixed_modifier_enum(o, DRM_FORMAT_MOD_LINEAR, choose);
            return 0;
        }
        snprintf(o->skip_reason, sizeof(o->skip_reason), "no GPU modifiers: %s",
                 gpu && gpu->reason[0] ? gpu->reason : "EGL not available");
        return -ENODEV;
    }
    return -EINVAL;
}

/* Device-ID negotiation is a Capability param, which headers before 1.5.84 cannot name. */
static bool device_id_buildable(struct offer *offer)
{
#if PW_CHECK_VERSION(1, 5, 84)
    (void)offer;
    return true;
#else
    snprintf(offer->skip_reason, sizeof(offer->skip_reason),
             "device-ID negotiation needs PipeWire %s: pwzc was built against %s",
             PWZC_CAPABILITY_SINCE, pw_get_headers_version());
    return false;
#endif
}

int offer_builtin(const char *name, const struct gpu_info *gpu, struct offer *offer)
{
    const struct builtin *bi = NULL;

    for (size_t i = 0; i < N_BUILTINS; i++)
        if (strcmp(builtins[i].name, name) == 0)
            bi = &builtins[i];
    if (!bi)
        return -ENOENT;
    memset(offer, 0, sizeof(*offer));
    snprintf(offer->name, sizeof(offer->name), "%s", bi->name);
    snprintf(offer->description, sizeof(offer->description), "%s", bi->description);
    offer->data_types = bi->data_types;
    set_default_metas(offer);
    if (bi->device_id && !device_id_buildable(offer))
        return 0;
    offer->device_id_negotiation = bi->device_id;
    if (fill_modifiers(bi, gpu, offer) < 0)
        return 0; /* skip_reason says why; the caller reports it as skipped */
    if (bi->modifiers == MOD_NONE || bi->shm_fallback) {
        struct offer_format *f = &offer->enums[offer->n_enums++];
        set_formats(f, rgb_formats, SPA_N_ELEMENTS(rgb_formats));
        if (bi->hdr) {
            set_formats(f, hdr_formats, SPA_N_ELEMENTS(hdr_formats));
            f->color_primaries = PWZC_PRIMARIES_BT2020;
            f->transfer_function = PWZC_TRANSFER_PQ;
        }
    }
    return 0;
}

int offer_build_capability(const struct offer *offer, struct spa_pod_builder *b,
                           const struct spa_pod **params)
{
#if PW_CHECK_VERSION(1, 5, 84)
    /* What a consumer that negotiates device IDs says (pipewire/capabilities.h). */
    struct spa_dict_item item = SPA_DICT_ITEM_INIT(PWZC_CAPABILITY_DEVICE_ID_NEGOTIATION, "true");

    if (!offer->device_id_negotiation)
        return 0;
    params[0] = spa_param_dict_build_dict(b, PWZC_PARAM_Capability, &SPA_DICT_INIT(&item, 1));
    return params[0] ? 1 : -ENOSPC;
#else
    (void)offer, (void)b, (void)params;
    return 0;
#endif
}

static int parse_list(const char *text, int (*one)(const char *word, void *out, uint32_t i),
                      void *out, uint32_t max, uint32_t *n)
{
    char copy[1024], *save = NULL, *word;

    snprintf(copy, sizeof(copy), "%s", text);
    *n = 0;
    for (word = strtok_r(copy, ", ", &save); word; word = strtok_r(NULL, ", ", &save)) {
        if (*n >= max || one(word, out, *n) < 0)
            return -EINVAL;
        (*n)++;
    }
    return *n > 0 ? 0 : -EINVAL;
}

static int parse_format(const char *word, void *out, uint32_t i)
{
    const struct video_format *vf = format_by_name(word);

    if (!vf)
        return -EINVAL;
    ((uint32_t *)out)[i] = vf->spa;
    return 0;
}

static int parse_modifier(const char *word, void *out, uint32_t i)
{
    return modifier_parse(word, &((uint64_t *)out)[i]);
}

int offer_custom(const char *formats, const char *modifiers, const char *data_types,
                 struct offer *offer, const char **what)
{
    struct offer_format *f;

    memset(offer, 0, sizeof(*offer));
    snprintf(offer->name, sizeof(offer->name), "custom");
    f = &offer->enums[offer->n_enums++];
    *what = "--format";
    if (parse_list(formats ? formats : "BGRx", parse_format, f->formats, OFFER_MAX_FORMATS,
                   &f->n_formats) < 0)
        return -EINVAL;
    *what = "--modifier";
    if (modifiers && strcmp(modifiers, "none") != 0) {
        if (parse_list(modifiers, parse_modifier, f->modifiers, OFFER_MAX_MODIFIERS,
                       &f->n_modifiers) < 0)
            return -EINVAL;
        f->has_modifier = true;
        f->modifier_flags = SPA_POD_PROP_FLAG_MANDATORY;
        /* A single implicit modifier needs no fixation; anything else is a choice to make. */
        if (!(f->n_modifiers == 1 && f->modifiers[0] == DRM_FORMAT_MOD_INVALID))
            f->modifier_flags |= SPA_POD_PROP_FLAG_DONT_FIXATE;
    }
    *what = "--data-types";
    if (data_types) {
        if (data_types_parse(data_types, &offer->data_types) < 0)
            return -EINVAL;
    } else
        offer->data_types = f->has_modifier ? DMABUF_TYPES : SHM_TYPES;
    set_default_metas(offer);
    snprintf(offer->description, sizeof(offer->description), "built by hand: %s%s",
             formats ? formats : "BGRx", f->has_modifier ? " with modifiers" : ", no modifier");
    *what = NULL;
    return 0;
}

static void build_choice_id(struct spa_pod_builder *b, uint32_t key, const uint32_t *ids,
                            uint32_t n)
{
    struct spa_pod_frame f;

    spa_pod_builder_prop(b, key, 0);
    if (n == 1) {
        spa_pod_builder_id(b, ids[0]);
        return;
    }
    spa_pod_builder_push_choice(b, &f, SPA_CHOICE_Enum, 0);
    spa_pod_builder_id(b, ids[0]); /* the default comes first */
    for (uint32_t i = 0; i < n; i++)
        spa_pod_builder_id(b, ids[i]);
    spa_pod_builder_pop(b, &f);
}

static void build_modifier(struct spa_pod_builder *b, const struct offer_format *f)
{
    struct spa_pod_frame frame;

    spa_pod_builder_prop(b, SPA_FORMAT_VIDEO_modifier, f->modifier_flags);
    if (f->n_modifiers == 1 && !(f->modifier_flags & SPA_POD_PROP_FLAG_DONT_FIXATE)) {
        spa_pod_builder_long(b, (int64_t)f->modifiers[0]);
        return;
    }
    spa_pod_builder_push_choice(b, &frame, SPA_CHOICE_Enum, 0);
    spa_pod_builder_long(b, (int64_t)f->modifiers[0]);
    for (uint32_t i = 0; i < f->n_modifiers; i++)
        spa_pod_builder_long(b, (int64_t)f->modifiers[i]);
    spa_pod_builder_pop(b, &frame);
}

static void build_value(struct spa_pod_builder *b, bool rectangle, const uint32_t v[2])
{
    if (rectangle)
        spa_pod_builder_rectangle(b, v[0], v[1]);
    else
        spa_pod_builder_fraction(b, v[0], v[1]);
}

/* A size (rectangle) or framerate (fraction) property as the offer_range says; the built-in
 * offers' own when it is not set. The choice frame is pushed and popped in one place, so the
 * builder never holds it past this function. */
static void build_range(struct spa_pod_builder *b, uint32_t key, bool rectangle,
                        const struct offer_range *r, const struct offer_range *builtin)
{
    struct spa_pod_frame frame;

    if (!r->set && !r->omit)
        r = builtin;
    if (r->omit)
        return;
    spa_pod_builder_prop(b, key, 0);
    if (!r->range) {
        build_value(b, rectangle, r->def);
        return;
    }
    spa_pod_builder_push_choice(b, &frame, SPA_CHOICE_Range, 0);
    build_value(b, rectangle, r->def);
    build_value(b, rectangle, r->min);
    build_value(b, rectangle, r->max);
    spa_pod_builder_pop(b, &frame);
}

static const struct offer_range builtin_size = {
    .set = true, .range = true, .def = {1280, 720}, .min = {1, 1}, .max = {16384, 16384}};
static const struct offer_range builtin_framerate = {
    .set = true, .range = true, .def = {0, 1}, .min = {0, 1}, .max = {360, 1}};
static const struct offer_range builtin_max_framerate = {.omit = true};

static const struct spa_pod *build_enum_format(struct spa_pod_builder *b,
                                               const struct offer_format *f)
{
    struct spa_pod_frame frame;

    spa_pod_builder_push_object(b, &frame, SPA_TYPE_OBJECT_Format, SPA_PARAM_EnumFormat);
    spa_pod_builder_add(b, SPA_FORMAT_mediaType, SPA_POD_Id(SPA_MEDIA_TYPE_video),
                        SPA_FORMAT_mediaSubtype, SPA_POD_Id(SPA_MEDIA_SUBTYPE_raw), 0);
    /* No formats: no format property at all, "any", as a bare video/x-raw caps sends it. */
    if (f->n_formats > 0)
        build_choice_id(b, SPA_FORMAT_VIDEO_format, f->formats, f->n_formats);
    if (f->has_modifier)
        build_modifier(b, f);
    build_range(b, SPA_FORMAT_VIDEO_size, true, &f->size, &builtin_size);
    build_range(b, SPA_FORMAT_VIDEO_framerate, false, &f->framerate, &builtin_framerate);
    build_range(b, SPA_FORMAT_VIDEO_maxFramerate, false, &f->max_framerate, &builtin_max_framerate);
    if (f->color_primaries)
        spa_pod_builder_add(b, SPA_FORMAT_VIDEO_colorPrimaries, SPA_POD_Id(f->color_primaries), 0);
    if (f->transfer_function)
        spa_pod_builder_add(b, SPA_FORMAT_VIDEO_transferFunction, SPA_POD_Id(f->transfer_function),
                            0);
    return spa_pod_builder_pop(b, &frame);
}

int offer_build_enum_formats(const struct offer *offer, struct spa_pod_builder *b,
                             const struct spa_pod **params, uint32_t max)
{
    uint32_t n = 0;

    for (uint32_t i = 0; i < offer->n_enums && n < max; i++)
        if (!(params[n++] = build_enum_format(b, &offer->enums[i])))
            return -ENOSPC;
    return (int)n;
}

/* Buffers for the format that was agreed: DMA-BUF for a modifier format, SHM for a plain one. */
uint32_t offer_data_types_for(const struct offer *offer, bool has_modifier)
{
    uint32_t dmabuf = offer->data_types & DMABUF_TYPES;

    if (offer->data_types_plain)
        return has_modifier ? offer->data_types : offer->data_types_plain;
    uint32_t other = offer->data_types & ~DMABUF_TYPES;

    if (has_modifier && dmabuf)
        return dmabuf;
    if (!has_modifier && other)
        return other;
    return offer->data_types;
}

/* libpipewire's stream adds MemFd to an input port's Buffers dataType whose first value holds
 * MemPtr when the stream maps buffers (stream.c fix_datatype, 0.3.27 and later): such a client
 * takes MemFd buffers, though its pod never says so. */
uint32_t offer_port_data_types(const struct offer *offer, bool has_modifier)
{
    uint32_t types = offer_data_types_for(offer, has_modifier);

    if ((offer->stream_flags & PW_STREAM_FLAG_MAP_BUFFERS) && (types & (1u << SPA_DATA_MemPtr)))
        types |= 1u << SPA_DATA_MemFd;
    return types;
}

#define CURSOR_META_SIZE(w, h)                                                                     \
    (sizeof(struct spa_meta_cursor) + sizeof(struct spa_meta_bitmap) + (w) * (h)*4)

static const struct spa_pod *build_cursor_meta(struct spa_pod_builder *b,
                                               const struct offer_int_range *size)
{
    return spa_pod_builder_add_object(b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
                                      SPA_PARAM_META_type, SPA_POD_Id(SPA_META_Cursor),
                                      SPA_PARAM_META_size,
                                      SPA_POD_CHOICE_RANGE_Int(size->def, size->min, size->max));
}

const struct spa_pod *offer_build_meta(struct spa_pod_builder *b, uint32_t type)
{
    switch (type) {
    case SPA_META_Cursor:
        return build_cursor_meta(b, &(struct offer_int_range){.set = true,
                                                              .def = CURSOR_META_SIZE(64, 64),
                                                              .min = CURSOR_META_SIZE(1, 1),
                                                              .max = CURSOR_META_SIZE(384, 384)});
    case SPA_META_VideoTransform:
        return spa_pod_builder_add_object(b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
                                          SPA_PARAM_META_type, SPA_POD_Id(SPA_META_VideoTransform),
                                          SPA_PARAM_META_size,
                                          SPA_POD_Int(sizeof(struct spa_meta_videotransform)));
    case SPA_META_Header:
        return spa_pod_builder_add_object(b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
                                          SPA_PARAM_META_type, SPA_POD_Id(SPA_META_Header),
                                          SPA_PARAM_META_size,
                                          SPA_POD_Int(sizeof(struct spa_meta_header)));
    case SPA_META_VideoCrop:
        return spa_pod_builder_add_object(b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
                                          SPA_PARAM_META_type, SPA_POD_Id(SPA_META_VideoCrop),
                                          SPA_PARAM_META_size,
                                          SPA_POD_Int(sizeof(struct spa_meta_region)));
    case SPA_META_VideoDamage:
        return spa_pod_builder_add_object(
            b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta, SPA_PARAM_META_type,
            SPA_POD_Id(SPA_META_VideoDamage), SPA_PARAM_META_size,
            SPA_POD_CHOICE_RANGE_Int(sizeof(struct spa_meta_region) * 16,
                                     sizeof(struct spa_meta_region) * 1,
                                     sizeof(struct spa_meta_region) * 16));
    }
    return NULL;
}

/* The Buffers param: the count as the offer says (built-ins: 8 in 2..16), the data types for
 * this Format, as a Flags choice or a plain Int as the client writes it. */
static void add_int_range(struct spa_pod_builder *b, uint32_t key, const struct offer_int_range *r)
{
    if (r->set)
        spa_pod_builder_add(b, key, SPA_POD_CHOICE_RANGE_Int(r->def, r->min, r->max), 0);
}

static const struct spa_pod *build_buffers(const struct offer *offer, bool has_modifier,
                                           struct spa_pod_builder *b)
{
    int32_t types = (int32_t)offer_data_types_for(offer, has_modifier);
    struct spa_pod_frame frame;

    spa_pod_builder_push_object(b, &frame, SPA_TYPE_OBJECT_ParamBuffers, SPA_PARAM_Buffers);
    if (offer->buffer_count == BUFFERS_DEFAULT)
        spa_pod_builder_add(b, SPA_PARAM_BUFFERS_buffers, SPA_POD_CHOICE_RANGE_Int(8, 2, 16), 0);
    else if (offer->buffer_count == BUFFERS_RANGE)
        spa_pod_builder_add(
            b, SPA_PARAM_BUFFERS_buffers,
            SPA_POD_CHOICE_RANGE_Int(offer->buffers_def, offer->buffers_min, offer->buffers_max),
            0);
    add_int_range(b, SPA_PARAM_BUFFERS_blocks, &offer->blocks);
    add_int_range(b, SPA_PARAM_BUFFERS_size, &offer->size);
    add_int_range(b, SPA_PARAM_BUFFERS_stride, &offer->stride);
    if (offer->data_type_int)
        spa_pod_builder_add(b, SPA_PARAM_BUFFERS_dataType, SPA_POD_Int(types), 0);
    else
        spa_pod_builder_add(b, SPA_PARAM_BUFFERS_dataType, SPA_POD_CHOICE_FLAGS_Int(types), 0);
    return spa_pod_builder_pop(b, &frame);
}

int offer_build_buffer_params(const struct offer *offer, bool format_has_modifier,
                              struct spa_pod_builder *b, const struct spa_pod **params,
                              uint32_t max)
{
    uint32_t n = 0;

    if (max == 0)
        return -ENOSPC;
    params[n++] = build_buffers(offer, format_has_modifier, b);
    for (uint32_t i = 0; i < offer->n_metas && n < max; i++) {
        uint32_t type = offer->metas[i];
        params[n] = type == SPA_META_Cursor && offer->cursor_size.set
                        ? build_cursor_meta(b, &offer->cursor_size)
                        : offer_build_meta(b, type);
        if (params[n])
            n++;
    }
    for (uint32_t i = 0; i < n; i++)
        if (!params[i])
            return -ENOSPC;
    return (int)n;
}

int offer_build_fixated(const struct offer *offer, uint32_t format, uint64_t modifier,
                        struct spa_pod_builder *b, const struct spa_pod **params, uint32_t max)
{
    struct offer_format fixed = {.n_formats = 1,
                                 .formats = {format},
                                 .has_modifier = true,
                                 .modifiers = {modifier},
                                 .n_modifiers = 1,
                                 .modifier_flags = SPA_POD_PROP_FLAG_MANDATORY};
    int n;

    if (max == 0 || !(params[0] = build_enum_format(b, &fixed)))
        return -ENOSPC;
    if ((n = offer_build_enum_formats(offer, b, params + 1, max - 1)) < 0)
        return n;
    return n + 1;
}

bool offer_pick_modifier(const struct offer *offer, uint32_t format, const uint64_t *candidates,
                         uint32_t n, uint64_t *chosen)
{
    /* Our own order wins: the offer lists what it prefers first (the GPU's order for EGL). */
    for (uint32_t e = 0; e < offer->n_enums; e++) {
        const struct offer_format *f = &offer->enums[e];
        bool has_format = false;
        for (uint32_t i = 0; i < f->n_formats; i++)
            has_format |= f->formats[i] == format;
        if (!has_format || !f->has_modifier)
            continue;
        for (uint32_t m = 0; m < f->n_modifiers; m++)
            for (uint32_t c = 0; c < n; c++)
                if (candidates[c] == f->modifiers[m]) {
                    *chosen = candidates[c];
                    return true;
                }
    }
    return false;
}

bool offer_has_modifier_pod(const struct offer *o)
{
    for (uint32_t i = 0; i < o->n_enums; i++)
        if (o->enums[i].has_modifier)
            return true;
    return false;
}

bool offer_has_plain_pod(const struct offer *o)
{
    for (uint32_t i = 0; i < o->n_enums; i++)
        if (!o->enums[i].has_modifier)
            return true;
    return false;
}
