/* The params an emulated producer announces, as the compositor it stands for builds them. */
#include "config.h"

#include <spa/buffer/meta.h>
#include <spa/param/buffers.h>
#include <spa/param/format.h>
#include <spa/param/param.h>
#include <spa/param/video/format.h>
#include <spa/pod/builder.h>

#include "colour.h"
#include "emulator-pods.h"
#include "formats.h"
#include "offers.h"
#include "pwcompat.h"

static void build_format_choice(struct spa_pod_builder *b, const struct profile_format *f,
                                uint32_t override)
{
    struct spa_pod_frame frame;

    spa_pod_builder_prop(b, SPA_FORMAT_VIDEO_format, 0);
    if (f->n_formats == 1 || override) {
        spa_pod_builder_id(b, override ? override : f->formats[0]);
        return;
    }
    spa_pod_builder_push_choice(b, &frame, SPA_CHOICE_Enum, 0);
    spa_pod_builder_id(b, f->formats[0]);
    for (uint32_t i = 0; i < f->n_formats; i++)
        spa_pod_builder_id(b, f->formats[i]);
    spa_pod_builder_pop(b, &frame);
}

/* One modifier goes as a Long unless it is left open (DONT_FIXATE) or the compositor writes
 * every list as a Choice (niri, gamescope: an Enum of one). */
static void build_modifier(struct spa_pod_builder *b, const uint64_t *mods, uint32_t n,
                           uint32_t flags, bool choice)
{
    struct spa_pod_frame frame;

    spa_pod_builder_prop(b, SPA_FORMAT_VIDEO_modifier, flags);
    if (n == 1 && !choice && !(flags & SPA_POD_PROP_FLAG_DONT_FIXATE)) {
        spa_pod_builder_long(b, (int64_t)mods[0]);
        return;
    }
    spa_pod_builder_push_choice(b, &frame, SPA_CHOICE_Enum, 0);
    spa_pod_builder_long(b, (int64_t)mods[0]);
    for (uint32_t i = 0; i < n; i++)
        spa_pod_builder_long(b, (int64_t)mods[i]);
    spa_pod_builder_pop(b, &frame);
}

static void build_id_enum(struct spa_pod_builder *b, uint32_t key, const uint32_t *ids, uint32_t n)
{
    struct spa_pod_frame frame;

    spa_pod_builder_prop(b, key, 0);
    spa_pod_builder_push_choice(b, &frame, SPA_CHOICE_Enum, 0);
    spa_pod_builder_id(b, ids[0]);
    for (uint32_t i = 0; i < n; i++)
        spa_pod_builder_id(b, ids[i]);
    spa_pod_builder_pop(b, &frame);
}

/* Mutter 50 writes primaries and transfer function as plain Ids on every EnumFormat; gamescope
 * a choice of matrix and range on NV12. */
static void build_colour(struct spa_pod_builder *b, const struct profile_format *f)
{
    if (f->n_color_matrix)
        build_id_enum(b, SPA_FORMAT_VIDEO_colorMatrix, f->color_matrix, f->n_color_matrix);
    if (f->n_color_range)
        build_id_enum(b, SPA_FORMAT_VIDEO_colorRange, f->color_range, f->n_color_range);
    if (f->color_primaries) {
        spa_pod_builder_prop(b, SPA_FORMAT_VIDEO_colorPrimaries, f->color_flags);
        spa_pod_builder_id(b, f->color_primaries);
    }
    if (f->transfer_function) {
        spa_pod_builder_prop(b, SPA_FORMAT_VIDEO_transferFunction, f->color_flags);
        spa_pod_builder_id(b, f->transfer_function);
    }
}

/* gamescope's own keys: the size a client would like (0x0, any) and the app in focus. */
static void build_gamescope_keys(struct spa_pod_builder *b)
{
    spa_pod_builder_add(b, PWZC_GAMESCOPE_FORMAT_requested_size,
                        SPA_POD_CHOICE_RANGE_Rectangle(&SPA_RECTANGLE(0, 0), &SPA_RECTANGLE(0, 0),
                                                       &SPA_RECTANGLE(UINT32_MAX, UINT32_MAX)),
                        PWZC_GAMESCOPE_FORMAT_focus_appid,
                        SPA_POD_CHOICE_RANGE_Long(0ll, INT64_MIN, INT64_MAX), 0);
}

/* Fixed size, framerate 0/1 (variable), maxFramerate a range up to the compositor's cap (as
 * Mutter and xdpw announce it: from 1/1; Mutter 50 from 0/1). */
const struct spa_pod *emu_pod_enum(struct spa_pod_builder *b, const struct profile *p,
                                   const struct profile_format *f,
                                   const struct emu_enum_shape *shape)
{
    struct spa_pod_frame frame;
    uint32_t max = shape->max_framerate_num;

    spa_pod_builder_push_object(b, &frame, SPA_TYPE_OBJECT_Format, SPA_PARAM_EnumFormat);
    spa_pod_builder_add(b, SPA_FORMAT_mediaType, SPA_POD_Id(SPA_MEDIA_TYPE_video),
                        SPA_FORMAT_mediaSubtype, SPA_POD_Id(SPA_MEDIA_SUBTYPE_raw), 0);
    build_format_choice(b, f, shape->format_override);
    if (shape->fixed)
        build_modifier(b, shape->fixed, 1, SPA_POD_PROP_FLAG_MANDATORY, false);
    else if (f->has_modifier)
        build_modifier(b, f->modifiers, f->n_modifiers, f->modifier_flags, f->modifier_choice);
    if (shape->device_id && f->has_modifier) {
        spa_pod_builder_prop(b, PWZC_FORMAT_VIDEO_deviceId, SPA_POD_PROP_FLAG_MANDATORY);
        spa_pod_builder_bytes(b, shape->device_id, sizeof(*shape->device_id));
    }
    spa_pod_builder_add(b, SPA_FORMAT_VIDEO_size,
                        SPA_POD_Rectangle(&SPA_RECTANGLE(shape->width, shape->height)),
                        SPA_FORMAT_VIDEO_framerate,
                        SPA_POD_Fraction(&SPA_FRACTION(p->framerate_num, p->framerate_denom)), 0);
    if (p->max_framerate_denom)
        spa_pod_builder_add(b, SPA_FORMAT_VIDEO_maxFramerate,
                            SPA_POD_CHOICE_RANGE_Fraction(
                                &SPA_FRACTION(max, p->max_framerate_denom),
                                &SPA_FRACTION(p->max_framerate_min_num, p->max_framerate_min_denom),
                                &SPA_FRACTION(max, p->max_framerate_denom)),
                            0);
    build_colour(b, f);
    if (p->gamescope_keys)
        build_gamescope_keys(b);
    return spa_pod_builder_pop(b, &frame);
}

const struct spa_pod *emu_pod_buffers(struct spa_pod_builder *b, const struct profile *p,
                                      uint32_t data_type, uint32_t stride, uint32_t size, bool sync)
{
    struct spa_pod_frame f;

    uint32_t def = p->buffers_default ? p->buffers_default : 8u;

    spa_pod_builder_push_object(b, &f, SPA_TYPE_OBJECT_ParamBuffers, SPA_PARAM_Buffers);
    spa_pod_builder_add(b, SPA_PARAM_BUFFERS_buffers,
                        SPA_POD_CHOICE_RANGE_Int(SPA_CLAMP(def, p->buffers_min, p->buffers_max),
                                                 p->buffers_min, p->buffers_max),
                        SPA_PARAM_BUFFERS_blocks, SPA_POD_Int(sync ? 3 : 1), SPA_PARAM_BUFFERS_size,
                        SPA_POD_Int(size), SPA_PARAM_BUFFERS_stride, SPA_POD_Int(stride),
                        SPA_PARAM_BUFFERS_dataType, SPA_POD_CHOICE_FLAGS_Int(1 << data_type), 0);
    /* KWin (screencaststream.cpp newStreamParams) and Mutter flag the metaType MANDATORY with a
     * plain Int: the daemon then drops this param for a consumer that has no SyncTimeline meta,
     * and the plain Buffers param behind it is what links. */
    if (sync && p->sync_mandatory) {
        spa_pod_builder_prop(b, PWZC_BUFFERS_metaType, SPA_POD_PROP_FLAG_MANDATORY);
        spa_pod_builder_int(b, 1 << PWZC_META_SyncTimeline);
    } else if (sync)
        spa_pod_builder_add(b, PWZC_BUFFERS_metaType,
                            SPA_POD_CHOICE_FLAGS_Int(1 << PWZC_META_SyncTimeline), 0);
    return spa_pod_builder_pop(b, &f);
}

uint32_t emu_pod_metas(struct spa_pod_builder *b, const struct profile *p, bool sync,
                       const struct spa_pod **params)
{
    uint32_t n = 0;

    if (sync)
        params[n++] =
            spa_pod_builder_add_object(b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
                                       SPA_PARAM_META_type, SPA_POD_Id(PWZC_META_SyncTimeline),
                                       SPA_PARAM_META_size, SPA_POD_Int(PWZC_SYNC_TIMELINE_SIZE));
    if (p->metas & (1u << SPA_META_Header))
        params[n++] = spa_pod_builder_add_object(b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
                                                 SPA_PARAM_META_type, SPA_POD_Id(SPA_META_Header),
                                                 SPA_PARAM_META_size,
                                                 SPA_POD_Int(sizeof(struct spa_meta_header)));
    /* Mutter's cursor meta (meta-screen-cast-stream-src.c) is the one clients ask for: room for
     * a 64x64 bitmap by default, up to 384x384. */
    if (p->metas & (1u << SPA_META_Cursor))
        params[n++] = offer_build_meta(b, SPA_META_Cursor);
    if (p->metas & (1u << SPA_META_VideoDamage))
        params[n++] = spa_pod_builder_add_object(
            b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta, SPA_PARAM_META_type,
            SPA_POD_Id(SPA_META_VideoDamage), SPA_PARAM_META_size,
            SPA_POD_CHOICE_RANGE_Int(sizeof(struct spa_meta_region) * 4,
                                     sizeof(struct spa_meta_region) * 1,
                                     sizeof(struct spa_meta_region) * 4));
    if (p->metas & (1u << SPA_META_VideoCrop))
        params[n++] = offer_build_meta(b, SPA_META_VideoCrop);
    if (p->metas & (1u << SPA_META_VideoTransform))
        params[n++] = offer_build_meta(b, SPA_META_VideoTransform);
    if (p->gamescope_keys)
        params[n++] = spa_pod_builder_add_object(
            b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta, SPA_PARAM_META_type,
            SPA_POD_Id(PWZC_GAMESCOPE_META_requested_size_scale), SPA_PARAM_META_size,
            SPA_POD_Int(sizeof(float)));
    return n;
}
