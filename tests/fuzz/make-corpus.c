/* Writes the fuzzers' seed corpus: tests/fuzz/corpus/{pod,frame,ini}/. Seeds are real data, so
 * that fuzzing starts from what producers send and mutates from there:
 *   pod/    params as Mutter (meta-screen-cast-stream-src.c), xdg-desktop-portal-wlr 0.7
 *           (pipewire_screencast.c), pwzc's emulator (emulator.c, one per data/profiles/) and
 *           pwzc's offers (offers.c, built-ins and data/clients/) build them with the SPA
 *           builder, and the Formats the daemon makes of them (spa_pod_filter + spa_pod_fixate,
 *           as pw_context_find_format does)
 *   frame/  buffers as those producers hand them over, in fuzz-frame's layout (frame-input.h),
 *           the emulator's hostile chunks among them
 *   ini/    the shipped profiles (data/profiles) and client profiles (data/clients), as they are
 * usage: make-corpus OUTDIR (PWZC_DATADIR names data/) */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <drm_fourcc.h>
#include <spa/buffer/buffer.h>
#include <spa/buffer/meta.h>
#include <spa/param/buffers.h>
#include <spa/param/format.h>
#include <pipewire/version.h>
#include <spa/param/latency-utils.h>
#if PW_CHECK_VERSION(1, 5, 84)
#include <spa/param/dict-utils.h>
#endif
#include <spa/param/param.h>
#include <spa/param/video/format-utils.h>
#include <spa/pod/builder.h>
#include <spa/pod/filter.h>

#include "client.h"
#include "emulator-pods.h"
#include "formats.h"
#include "ini.h"
#include "offers.h"
#include "pattern.h"
#include "profile.h"
#include "pwzc.h"
#include "frame-input.h"

/* PipeWire 1.2's numbers for what Mutter sends with explicit sync; this build's headers (0.3.65)
 * do not name them, and a consumer built against them meets them all the same. */
#define PW12_PARAM_BUFFERS_metaType 7
#define PW12_META_SyncTimeline      9
#define PW12_DATA_FLAG_MAPPABLE     (1u << 3)

#define CURSOR_META_SIZE(w, h)                                                                     \
    (sizeof(struct spa_meta_cursor) + sizeof(struct spa_meta_bitmap) + (w) * (h)*4)

struct corpus {
    const char *dir;
    unsigned written;
};

static int write_file(struct corpus *c, const char *sub, const char *name, const void *data,
                      size_t size)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s/%s", c->dir, sub, name);
    if (!(f = fopen(path, "wb")))
        return -errno;
    if (fwrite(data, 1, size, f) != size) {
        fclose(f);
        return -EIO;
    }
    c->written++;
    return fclose(f) == 0 ? 0 : -errno;
}

static void pod(struct corpus *c, const char *name, const struct spa_pod *p)
{
    int res;

    if (!p) {
        fprintf(stderr, "make-corpus: %s: the builder ran out of room\n", name);
        exit(1);
    }
    if ((res = write_file(c, "pod", name, p, SPA_POD_SIZE(p))) < 0) {
        fprintf(stderr, "make-corpus: %s: %s\n", name, strerror(-res));
        exit(1);
    }
}

static void pods(struct corpus *c, const char *prefix, const struct spa_pod **params, int n)
{
    char name[256];

    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "%s-%d", prefix, i);
        pod(c, name, params[i]);
    }
}

/* The Format a link settles on: the producer's EnumFormat filtered by the consumer's, fixated
 * (every choice without DONT_FIXATE becomes None), as pw_context_find_format() makes it. */
static void daemon_format(struct corpus *c, const char *name, const struct spa_pod *producer,
                          const struct spa_pod *consumer)
{
    uint8_t buffer[16384];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    struct spa_pod *format;

    if (spa_pod_filter(&b, &format, producer, consumer) < 0) {
        fprintf(stderr, "make-corpus: %s: producer and consumer do not intersect\n", name);
        exit(1);
    }
    spa_pod_fixate(format);
    pod(c, name, format);
}

/* ---- Mutter: meta-screen-cast-stream-src.c (push_format_object, on_stream_param_changed) ---- */

static struct spa_pod *mutter_enum(struct spa_pod_builder *b, uint32_t format, const uint64_t *mods,
                                   uint32_t n_mods, bool fixate, uint32_t width, uint32_t height)
{
    struct spa_pod_frame f, m;
    struct spa_rectangle def = {width, height}, min = {width, height}, max = {width, height};
    struct spa_fraction rate = {60, 1}, min_rate = {1, 1};

    spa_pod_builder_push_object(b, &f, SPA_TYPE_OBJECT_Format, SPA_PARAM_EnumFormat);
    spa_pod_builder_add(b, SPA_FORMAT_mediaType, SPA_POD_Id(SPA_MEDIA_TYPE_video), 0);
    spa_pod_builder_add(b, SPA_FORMAT_mediaSubtype, SPA_POD_Id(SPA_MEDIA_SUBTYPE_raw), 0);
    spa_pod_builder_add(b, SPA_FORMAT_VIDEO_format, SPA_POD_Id(format), 0);
    if (n_mods > 0 && fixate) {
        spa_pod_builder_prop(b, SPA_FORMAT_VIDEO_modifier, SPA_POD_PROP_FLAG_MANDATORY);
        spa_pod_builder_long(b, (int64_t)mods[0]);
    } else if (n_mods > 0) {
        spa_pod_builder_prop(b, SPA_FORMAT_VIDEO_modifier,
                             SPA_POD_PROP_FLAG_MANDATORY | SPA_POD_PROP_FLAG_DONT_FIXATE);
        spa_pod_builder_push_choice(b, &m, SPA_CHOICE_Enum, 0);
        spa_pod_builder_long(b, (int64_t)mods[0]);
        for (uint32_t i = 0; i < n_mods; i++)
            spa_pod_builder_long(b, (int64_t)mods[i]);
        spa_pod_builder_pop(b, &m);
    }
    spa_pod_builder_add(b, SPA_FORMAT_VIDEO_size, SPA_POD_CHOICE_RANGE_Rectangle(&def, &min, &max),
                        SPA_FORMAT_VIDEO_framerate, SPA_POD_Fraction(&SPA_FRACTION(0, 1)),
                        SPA_FORMAT_VIDEO_maxFramerate,
                        SPA_POD_CHOICE_RANGE_Fraction(&rate, &min_rate, &rate), 0);
    return spa_pod_builder_pop(b, &f);
}

static void mutter_params(struct corpus *c, uint32_t buffer_types, bool explicit_sync,
                          const char *prefix)
{
    uint8_t buffer[8192];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const struct spa_pod *p[8];
    struct spa_pod_frame f;
    int n = 0;

    if (explicit_sync) {
        spa_pod_builder_push_object(&b, &f, SPA_TYPE_OBJECT_ParamBuffers, SPA_PARAM_Buffers);
        spa_pod_builder_add(&b, SPA_PARAM_BUFFERS_buffers, SPA_POD_CHOICE_RANGE_Int(16, 2, 16),
                            SPA_PARAM_BUFFERS_blocks, SPA_POD_Int(3), SPA_PARAM_BUFFERS_align,
                            SPA_POD_Int(16), SPA_PARAM_BUFFERS_dataType,
                            SPA_POD_CHOICE_FLAGS_Int(buffer_types), 0);
        spa_pod_builder_prop(&b, PW12_PARAM_BUFFERS_metaType, SPA_POD_PROP_FLAG_MANDATORY);
        spa_pod_builder_int(&b, 1 << PW12_META_SyncTimeline);
        p[n++] = spa_pod_builder_pop(&b, &f);
    }
    p[n++] = spa_pod_builder_add_object(
        &b, SPA_TYPE_OBJECT_ParamBuffers, SPA_PARAM_Buffers, SPA_PARAM_BUFFERS_buffers,
        SPA_POD_CHOICE_RANGE_Int(16, 2, 16), SPA_PARAM_BUFFERS_blocks, SPA_POD_Int(1),
        SPA_PARAM_BUFFERS_align, SPA_POD_Int(16), SPA_PARAM_BUFFERS_dataType,
        SPA_POD_CHOICE_FLAGS_Int(buffer_types));
    p[n++] = spa_pod_builder_add_object(&b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
                                        SPA_PARAM_META_type, SPA_POD_Id(SPA_META_VideoCrop),
                                        SPA_PARAM_META_size,
                                        SPA_POD_Int(sizeof(struct spa_meta_region)));
    p[n++] = spa_pod_builder_add_object(
        &b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta, SPA_PARAM_META_type,
        SPA_POD_Id(SPA_META_Cursor), SPA_PARAM_META_size, SPA_POD_Int(CURSOR_META_SIZE(384, 384)));
    p[n++] = spa_pod_builder_add_object(&b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
                                        SPA_PARAM_META_type, SPA_POD_Id(SPA_META_Header),
                                        SPA_PARAM_META_size,
                                        SPA_POD_Int(sizeof(struct spa_meta_header)));
    if (explicit_sync)
        p[n++] = spa_pod_builder_add_object(&b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
                                            SPA_PARAM_META_type, SPA_POD_Id(PW12_META_SyncTimeline),
                                            SPA_PARAM_META_size, SPA_POD_Int(24));
    p[n++] = spa_pod_builder_add_object(
        &b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta, SPA_PARAM_META_type,
        SPA_POD_Id(SPA_META_VideoDamage), SPA_PARAM_META_size,
        SPA_POD_CHOICE_RANGE_Int(sizeof(struct spa_meta_region) * 32,
                                 sizeof(struct spa_meta_region) * 1,
                                 sizeof(struct spa_meta_region) * 32));
    pods(c, prefix, p, n);
}

/* ---- xdg-desktop-portal-wlr 0.7: pipewire_screencast.c (build_format, fixate_format, ...) ---- */

static struct spa_pod *xdpw_enum(struct spa_pod_builder *b, uint32_t format, uint32_t width,
                                 uint32_t height, uint32_t fps, const uint64_t *mods,
                                 uint32_t n_mods, const uint64_t *fixed)
{
    struct spa_pod_frame f, m;
    uint32_t without_alpha =
        format == SPA_VIDEO_FORMAT_BGRA ? SPA_VIDEO_FORMAT_BGRx : SPA_VIDEO_FORMAT_UNKNOWN;

    spa_pod_builder_push_object(b, &f, SPA_TYPE_OBJECT_Format, SPA_PARAM_EnumFormat);
    spa_pod_builder_add(b, SPA_FORMAT_mediaType, SPA_POD_Id(SPA_MEDIA_TYPE_video), 0);
    spa_pod_builder_add(b, SPA_FORMAT_mediaSubtype, SPA_POD_Id(SPA_MEDIA_SUBTYPE_raw), 0);
    if (n_mods > 0 || fixed || without_alpha == SPA_VIDEO_FORMAT_UNKNOWN)
        spa_pod_builder_add(b, SPA_FORMAT_VIDEO_format, SPA_POD_Id(format), 0);
    else
        spa_pod_builder_add(b, SPA_FORMAT_VIDEO_format,
                            SPA_POD_CHOICE_ENUM_Id(3, format, format, without_alpha), 0);
    if (fixed) {
        spa_pod_builder_prop(b, SPA_FORMAT_VIDEO_modifier, SPA_POD_PROP_FLAG_MANDATORY);
        spa_pod_builder_long(b, (int64_t)*fixed);
    } else if (n_mods > 0) {
        spa_pod_builder_prop(b, SPA_FORMAT_VIDEO_modifier,
                             SPA_POD_PROP_FLAG_MANDATORY | SPA_POD_PROP_FLAG_DONT_FIXATE);
        spa_pod_builder_push_choice(b, &m, SPA_CHOICE_Enum, 0);
        for (uint32_t i = 0; i < n_mods; i++) {
            spa_pod_builder_long(b, (int64_t)mods[i]);
            if (i == 0)
                spa_pod_builder_long(b, (int64_t)mods[i]);
        }
        spa_pod_builder_pop(b, &m);
    }
    spa_pod_builder_add(b, SPA_FORMAT_VIDEO_size, SPA_POD_Rectangle(&SPA_RECTANGLE(width, height)),
                        0);
    spa_pod_builder_add(b, SPA_FORMAT_VIDEO_framerate, SPA_POD_Fraction(&SPA_FRACTION(0, 1)), 0);
    spa_pod_builder_add(b, SPA_FORMAT_VIDEO_maxFramerate,
                        SPA_POD_CHOICE_RANGE_Fraction(&SPA_FRACTION(fps, 1), &SPA_FRACTION(1, 1),
                                                      &SPA_FRACTION(fps, 1)),
                        0);
    return spa_pod_builder_pop(b, &f);
}

static void xdpw_params(struct corpus *c, uint32_t blocks, uint32_t size, uint32_t stride,
                        uint32_t data_type, const char *prefix)
{
    uint8_t buffer[4096];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const struct spa_pod *p[4];
    struct spa_pod_frame f;

    spa_pod_builder_push_object(&b, &f, SPA_TYPE_OBJECT_ParamBuffers, SPA_PARAM_Buffers);
    spa_pod_builder_add(&b, SPA_PARAM_BUFFERS_buffers, SPA_POD_CHOICE_RANGE_Int(2, 2, 32), 0);
    spa_pod_builder_add(&b, SPA_PARAM_BUFFERS_blocks, SPA_POD_Int(blocks), 0);
    if (size > 0)
        spa_pod_builder_add(&b, SPA_PARAM_BUFFERS_size, SPA_POD_Int(size), 0);
    if (stride > 0)
        spa_pod_builder_add(&b, SPA_PARAM_BUFFERS_stride, SPA_POD_Int(stride), 0);
    spa_pod_builder_add(&b, SPA_PARAM_BUFFERS_align, SPA_POD_Int(16), 0);
    spa_pod_builder_add(&b, SPA_PARAM_BUFFERS_dataType, SPA_POD_CHOICE_FLAGS_Int(data_type), 0);
    p[0] = spa_pod_builder_pop(&b, &f);
    p[1] = spa_pod_builder_add_object(&b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
                                      SPA_PARAM_META_type, SPA_POD_Id(SPA_META_Header),
                                      SPA_PARAM_META_size,
                                      SPA_POD_Int(sizeof(struct spa_meta_header)));
    p[2] = spa_pod_builder_add_object(&b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
                                      SPA_PARAM_META_type, SPA_POD_Id(SPA_META_VideoTransform),
                                      SPA_PARAM_META_size,
                                      SPA_POD_Int(sizeof(struct spa_meta_videotransform)));
    p[3] = spa_pod_builder_add_object(&b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
                                      SPA_PARAM_META_type, SPA_POD_Id(SPA_META_VideoDamage),
                                      SPA_PARAM_META_size,
                                      SPA_POD_CHOICE_RANGE_Int(sizeof(struct spa_meta_region) * 4,
                                                               sizeof(struct spa_meta_region) * 1,
                                                               sizeof(struct spa_meta_region) * 4));
    pods(c, prefix, p, 4);
}

/* ---- pwzc's emulator: its EnumFormats and Buffers/Meta params (emulator-pods.c), per profile ----
 */

static void emulator_buffers(struct corpus *c, const struct profile *p,
                             const struct profile_format *f, const char *prefix)
{
    uint8_t buffer[4096];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const struct spa_pod *params[12];
    uint32_t n = 0, stride;
    uint64_t size = format_image_size(format_by_spa(f->formats[0]), p->width, p->height, &stride);

    params[n++] = emu_pod_buffers(&b, p, f->data_type, stride, (uint32_t)size, false);
    n += emu_pod_metas(&b, p, false, params + n);
    pods(c, prefix, params, (int)n);
}

static void emulator_profile(struct corpus *c, const char *name)
{
    uint8_t buffer[16384];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    struct profile p;
    struct pwzc_error err = {0};
    char prefix[128];

    if (profile_load(name, &p, &err) < 0) {
        fprintf(stderr, "make-corpus: %s\n", err.message);
        exit(1);
    }
    for (uint32_t i = 0; i < p.n_formats; i++) {
        snprintf(prefix, sizeof(prefix), "emulator-%s-enum-%u", name, i);
        pod(c, prefix,
            emu_pod_enum(&b, &p, &p.formats[i],
                         &(struct emu_enum_shape){.width = p.width,
                                                  .height = p.height,
                                                  .max_framerate_num = p.max_framerate_num}));
        snprintf(prefix, sizeof(prefix), "emulator-%s-buffers-%u", name, i);
        emulator_buffers(c, &p, &p.formats[i], prefix);
        /* After a peer said it negotiates device IDs, the DMA-BUF pods name the device. */
        if (p.capability_device_id && p.formats[i].has_modifier) {
            uint64_t device = 0xe280;
            snprintf(prefix, sizeof(prefix), "emulator-%s-enum-%u-device-id", name, i);
            pod(c, prefix,
                emu_pod_enum(&b, &p, &p.formats[i],
                             &(struct emu_enum_shape){.width = p.width,
                                                      .height = p.height,
                                                      .max_framerate_num = p.max_framerate_num,
                                                      .device_id = &device}));
        }
    }
}

/* ---- pwzc's offers: the built-ins, and each client profile's first step ---- */

static void offer_pods(struct corpus *c, const struct offer *o, const char *prefix)
{
    uint8_t buffer[65536];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const struct spa_pod *params[OFFER_MAX_ENUM + 1];
    char name[160];
    int n;

    snprintf(name, sizeof(name), "%s-enum", prefix);
    pods(c, name, params, offer_build_enum_formats(o, &b, params, OFFER_MAX_ENUM));
    b = (struct spa_pod_builder)SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    snprintf(name, sizeof(name), "%s-buffers-dmabuf", prefix);
    pods(c, name, params, offer_build_buffer_params(o, true, &b, params, OFFER_MAX_ENUM));
    b = (struct spa_pod_builder)SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    snprintf(name, sizeof(name), "%s-buffers-shm", prefix);
    pods(c, name, params, offer_build_buffer_params(o, false, &b, params, OFFER_MAX_ENUM));
    b = (struct spa_pod_builder)SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    snprintf(name, sizeof(name), "%s-fixated", prefix);
    n = offer_build_fixated(o, SPA_VIDEO_FORMAT_BGRx, DRM_FORMAT_MOD_LINEAR, &b, params,
                            SPA_N_ELEMENTS(params));
    pods(c, name, params, n > 0 ? 1 : 0);
}

static void builtin_offers(struct corpus *c)
{
    struct offer o;
    char prefix[128];

    for (uint32_t i = 0; i < offer_builtin_count(); i++) {
        if (offer_builtin(offer_builtin_name(i), NULL, &o) < 0 || o.skip_reason[0])
            continue;
        snprintf(prefix, sizeof(prefix), "offer-%s", o.name);
        offer_pods(c, &o, prefix);
    }
}

static void client_offers(struct corpus *c)
{
    struct pwzc_error err = {0};
    char dir[4096], name[256];
    struct dirent **names;
    struct client_profile cp;
    struct offer o;
    bool standin;
    int n;

    snprintf(dir, sizeof(dir), "%s/clients", pwzc_datadir());
    if ((n = scandir(dir, &names, NULL, alphasort)) < 0) {
        fprintf(stderr, "make-corpus: %s: %s\n", dir, strerror(errno));
        exit(1);
    }
    for (int i = 0; i < n; i++) {
        char *dot = strstr(names[i]->d_name, ".client");
        if (dot && dot[7] == '\0') {
            *dot = '\0';
            if (client_load(names[i]->d_name, &cp, &err) < 0) {
                fprintf(stderr, "make-corpus: %s\n", err.message);
                exit(1);
            }
            client_offer(&cp, NULL, (3u << 8) | 65u, NULL, &o, &standin);
            snprintf(name, sizeof(name), "client-%.240s", names[i]->d_name);
            offer_pods(c, &o, name);
        }
        free(names[i]);
    }
    free(names);
}

/* ---- what the daemon makes of them, and what PipeWire 1.x adds to param_changed ---- */

static void daemon_formats(struct corpus *c)
{
    static const uint64_t mutter_mods[] = {DRM_FORMAT_MOD_LINEAR, 0x0300000000606010,
                                           0x0300000000606015, DRM_FORMAT_MOD_INVALID};
    uint8_t buffer[65536];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const struct spa_pod *shm[OFFER_MAX_ENUM], *mixed[OFFER_MAX_ENUM];
    struct spa_pod *mutter_shm, *mutter_dmabuf, *mutter_fixed, *xdpw_shm, *xdpw_dmabuf;
    struct offer o;

    offer_builtin("shm", NULL, &o);
    offer_build_enum_formats(&o, &b, shm, OFFER_MAX_ENUM);
    offer_builtin("dmabuf+shm", NULL, &o);
    offer_build_enum_formats(&o, &b, mixed, OFFER_MAX_ENUM);
    mutter_shm = mutter_enum(&b, SPA_VIDEO_FORMAT_BGRx, NULL, 0, false, 1280, 720);
    mutter_dmabuf = mutter_enum(&b, SPA_VIDEO_FORMAT_BGRx, mutter_mods, 4, false, 1280, 720);
    mutter_fixed = mutter_enum(&b, SPA_VIDEO_FORMAT_BGRx, mutter_mods, 1, true, 1280, 720);
    xdpw_shm = xdpw_enum(&b, SPA_VIDEO_FORMAT_BGRA, 1920, 1080, 60, NULL, 0, NULL);
    xdpw_dmabuf = xdpw_enum(&b, SPA_VIDEO_FORMAT_BGRx, 1920, 1080, 60, mutter_mods, 2, NULL);
    daemon_format(c, "daemon-format-mutter-shm", mutter_shm, shm[0]);
    daemon_format(c, "daemon-format-mutter-dmabuf-open-modifier", mutter_dmabuf, mixed[0]);
    daemon_format(c, "daemon-format-mutter-fixated-modifier", mutter_fixed, mixed[0]);
    daemon_format(c, "daemon-format-mutter-shm-fallback", mutter_shm, mixed[1]);
    daemon_format(c, "daemon-format-xdpw-shm", xdpw_shm, shm[0]);
    daemon_format(c, "daemon-format-xdpw-dmabuf", xdpw_dmabuf, mixed[0]);
}

static void pipewire_extras(struct corpus *c)
{
    uint8_t buffer[1024];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    struct spa_latency_info latency =
        SPA_LATENCY_INFO(SPA_DIRECTION_OUTPUT, .min_ns = 1000000, .max_ns = 16666666);

    pod(c, "pipewire-latency", spa_latency_build(&b, SPA_PARAM_Latency, &latency));
#if PW_CHECK_VERSION(1, 5, 84)
    /* Mutter 51's Capability dict (meta-stream-source.c), its JSON key with the stray colon;
     * written only by a build whose headers have ParamDict: the committed seed comes from one. */
    struct spa_dict_item items[] = {
        SPA_DICT_ITEM_INIT("pipewire.device-id-negotiation", "1"),
        SPA_DICT_ITEM_INIT("pipewire.device-ids",
                           "{\"available-devices:\": [\"80e2000000000000\"]}")};
    pod(c, "mutter51-capability",
        spa_param_dict_build_dict(&b, SPA_PARAM_Capability, &SPA_DICT_INIT_ARRAY(items)));
#endif
}

static void producer_pods(struct corpus *c)
{
    static const uint64_t gpu_mods[] = {0x0300000000606010, 0x0300000000606015,
                                        DRM_FORMAT_MOD_LINEAR};
    static const uint64_t xdpw_mods[] = {DRM_FORMAT_MOD_LINEAR, DRM_FORMAT_MOD_INVALID};
    static const uint64_t implicit = DRM_FORMAT_MOD_INVALID;
    uint8_t buffer[16384];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));

    pod(c, "mutter43-headless-enum-bgrx",
        mutter_enum(&b, SPA_VIDEO_FORMAT_BGRx, NULL, 0, false, 1280, 720));
    pod(c, "mutter-gpu-enum-bgrx-modifiers",
        mutter_enum(&b, SPA_VIDEO_FORMAT_BGRx, gpu_mods, 3, false, 1920, 1080));
    pod(c, "mutter-gpu-enum-bgra-shm",
        mutter_enum(&b, SPA_VIDEO_FORMAT_BGRA, NULL, 0, false, 1920, 1080));
    pod(c, "mutter-gpu-enum-fixated",
        mutter_enum(&b, SPA_VIDEO_FORMAT_BGRx, gpu_mods, 1, true, 1920, 1080));
    mutter_params(c, 1 << SPA_DATA_MemFd, false, "mutter-params-memfd");
    mutter_params(c, 1 << SPA_DATA_DmaBuf, true, "mutter-params-dmabuf-explicit-sync");
    b = (struct spa_pod_builder)SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    pod(c, "xdpw-enum-shm-bgra",
        xdpw_enum(&b, SPA_VIDEO_FORMAT_BGRA, 1920, 1080, 60, NULL, 0, NULL));
    pod(c, "xdpw-enum-dmabuf-bgrx",
        xdpw_enum(&b, SPA_VIDEO_FORMAT_BGRx, 1920, 1080, 60, xdpw_mods, 2, NULL));
    pod(c, "xdpw-enum-fixated-implicit",
        xdpw_enum(&b, SPA_VIDEO_FORMAT_BGRx, 1920, 1080, 60, NULL, 0, &implicit));
    xdpw_params(c, 1, 1920 * 1080 * 4, 1920 * 4, 1 << SPA_DATA_MemFd, "xdpw-params-memfd");
    xdpw_params(c, 1, 0, 0, 1 << SPA_DATA_DmaBuf, "xdpw-params-dmabuf");
}

/* ---- buffers, in fuzz-frame's layout ---- */

struct frame_seed {
    uint8_t bytes[4096];
    size_t len;
};

static void put(struct frame_seed *s, const void *data, size_t n)
{
    if (s->len + n > sizeof(s->bytes))
        abort();
    memcpy(s->bytes + s->len, data, n);
    s->len += n;
}

static void put_u32(struct frame_seed *s, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};

    put(s, b, sizeof(b));
}

static void put_head(struct frame_seed *s, const struct frame_input_head *h)
{
    put_u32(s, h->format);
    put_u32(s, h->width);
    put_u32(s, h->height);
    put_u32(s, h->region_size);
    put(s, &h->n_datas, 1);
    put(s, &h->n_metas, 1);
}

static void put_data(struct frame_seed *s, const struct frame_input_data *d)
{
    put_u32(s, d->type);
    put_u32(s, d->flags);
    put_u32(s, (uint32_t)d->fd);
    put_u32(s, d->mapoffset);
    put_u32(s, d->maxsize);
    put_u32(s, d->offset);
    put_u32(s, d->size);
    put_u32(s, (uint32_t)d->stride);
    put_u32(s, (uint32_t)d->chunk_flags);
}

static void put_meta(struct frame_seed *s, uint32_t type, const void *data, uint32_t size)
{
    put_u32(s, type);
    put_u32(s, size);
    put(s, data, size);
}

/* The first pixels as the emulator stamps them: what stream.c's read_stamp() looks for. */
static void put_stamp(struct frame_seed *s, uint32_t seq)
{
    uint32_t stamp[4] = {PATTERN_MAGIC, seq, 0x3b9aca00u, 0};

    for (size_t i = 0; i < 4; i++)
        put_u32(s, stamp[i]);
}

struct buffer_shape {
    const char *name;
    uint32_t format, width, height, stride, type, data_flags;
    uint32_t chunk_flags, header_flags, offset, size_extra;
    bool unmapped, crop, damage, transform;
    struct spa_region crop_region;
};

static void frame_seed(struct corpus *c, const struct buffer_shape *b)
{
    struct frame_seed s = {.len = 0};
    uint32_t maxsize = b->stride * b->height;
    struct frame_input_head h = {.format = b->format,
                                 .width = b->width,
                                 .height = b->height,
                                 .region_size = b->unmapped ? FRAME_INPUT_UNMAPPED : maxsize,
                                 .n_datas = 1,
                                 .n_metas = 1 + b->crop + b->damage + b->transform};
    struct frame_input_data d = {.type = b->type,
                                 .flags = b->data_flags,
                                 .fd = b->type == SPA_DATA_MemPtr ? -1 : 42,
                                 .maxsize = maxsize,
                                 .offset = b->offset,
                                 .size = maxsize + b->size_extra,
                                 .stride = (int32_t)b->stride,
                                 .chunk_flags = (int32_t)b->chunk_flags};
    struct spa_meta_header header = {.flags = b->header_flags, .seq = 7, .pts = 1000000000};
    struct spa_meta_region damage[4] = {{SPA_REGION(0, 0, b->width, b->height)}};
    struct spa_meta_region crop = {b->crop_region};
    struct spa_meta_videotransform transform = {.transform = 0};
    char name[128];
    int res;

    put_head(&s, &h);
    put_data(&s, &d);
    put_meta(&s, SPA_META_Header, &header, sizeof(header));
    if (b->crop)
        put_meta(&s, SPA_META_VideoCrop, &crop, sizeof(crop));
    if (b->damage)
        put_meta(&s, SPA_META_VideoDamage, damage, sizeof(damage));
    if (b->transform)
        put_meta(&s, SPA_META_VideoTransform, &transform, sizeof(transform));
    put_stamp(&s, 7);
    snprintf(name, sizeof(name), "%s", b->name);
    if ((res = write_file(c, "frame", name, s.bytes, s.len)) < 0) {
        fprintf(stderr, "make-corpus: %s: %s\n", name, strerror(-res));
        exit(1);
    }
}

/* Sizes are small (the fuzzer reads every byte of every frame); the shapes are the producers'. */
static void frame_seeds(struct corpus *c)
{
    const uint32_t rw = SPA_DATA_FLAG_READWRITE,
                   mappable = SPA_DATA_FLAG_READABLE | PW12_DATA_FLAG_MAPPABLE;
    const struct buffer_shape shapes[] = {
        /* Mutter: MemFd READABLE|MAPPABLE, chunk size = maxsize, crop = the whole frame. */
        {"mutter-memfd-bgrx", SPA_VIDEO_FORMAT_BGRx, 128, 72, 512, SPA_DATA_MemFd, mappable, 0, 0,
         0, 0, false, true, true, false, SPA_REGION(0, 0, 128, 72)},
        {"mutter-window-crop", SPA_VIDEO_FORMAT_BGRA, 128, 72, 512, SPA_DATA_MemFd, mappable, 0, 0,
         0, 0, false, true, true, false, SPA_REGION(16, 8, 64, 32)},
        {"mutter-dmabuf-unmapped", SPA_VIDEO_FORMAT_BGRx, 128, 72, 512, SPA_DATA_DmaBuf,
         SPA_DATA_FLAG_READABLE, 0, 0, 0, 0, true, true, true, false, SPA_REGION(0, 0, 0, 0)},
        {"mutter-record-failed", SPA_VIDEO_FORMAT_BGRx, 128, 72, 512, SPA_DATA_MemFd, mappable,
         SPA_CHUNK_FLAG_CORRUPTED, 0, 0, 0, false, true, true, false, SPA_REGION(0, 0, 0, 0)},
        /* niri: a frame it could not render, size 0 and CORRUPTED in chunk and header. */
        {"niri-failed-render", SPA_VIDEO_FORMAT_BGRx, 64, 36, 256, SPA_DATA_DmaBuf, rw,
         SPA_CHUNK_FLAG_CORRUPTED, SPA_META_HEADER_FLAG_CORRUPTED, 0, (uint32_t)-(256 * 36), true,
         false, false, false, SPA_REGION(0, 0, 0, 0)},
        /* xdpw: MemPtr (0.5) or MemFd (0.7), header, transform, four damage rects. */
        {"xdpw-memptr-bgra", SPA_VIDEO_FORMAT_BGRA, 96, 54, 384, SPA_DATA_MemPtr, 0, 0, 0, 0, 0,
         false, false, true, true, SPA_REGION(0, 0, 0, 0)},
        {"xdpw-memfd-xbgr-2101010", SPA_VIDEO_FORMAT_xBGR_210LE, 96, 54, 384, SPA_DATA_MemFd, rw, 0,
         0, 0, 0, false, false, true, true, SPA_REGION(0, 0, 0, 0)},
        {"xdpw-corrupt-header", SPA_VIDEO_FORMAT_BGRx, 96, 54, 384, SPA_DATA_MemFd, rw, 0,
         SPA_META_HEADER_FLAG_CORRUPTED, 0, 0, false, false, true, true, SPA_REGION(0, 0, 0, 0)},
        /* The emulator, well-behaved and each hostile profile's chunk (emulator.c make_hostile). */
        {"emulator-memfd-stamped", SPA_VIDEO_FORMAT_BGRx, 64, 36, 256, SPA_DATA_MemFd, rw, 0, 0, 0,
         0, false, false, true, false, SPA_REGION(0, 0, 0, 0)},
        {"emulator-rgb-3-bytes", SPA_VIDEO_FORMAT_RGB, 64, 36, 192, SPA_DATA_MemFd, rw, 0, 0, 0, 0,
         false, false, false, false, SPA_REGION(0, 0, 0, 0)},
        {"emulator-hostile-offset-past-end", SPA_VIDEO_FORMAT_BGRx, 64, 36, 256, SPA_DATA_MemFd, rw,
         0, 0, 256 * 36 - 64, 0, false, false, true, false, SPA_REGION(0, 0, 0, 0)},
        {"emulator-hostile-size-past-end", SPA_VIDEO_FORMAT_BGRx, 64, 36, 256, SPA_DATA_MemFd, rw,
         0, 0, 0, 1024 * 1024, false, false, true, false, SPA_REGION(0, 0, 0, 0)},
        {"emulator-hostile-short-stride", SPA_VIDEO_FORMAT_BGRx, 64, 36, 252, SPA_DATA_MemFd, rw, 0,
         0, 0, 0, false, false, true, false, SPA_REGION(0, 0, 0, 0)},
        {"emulator-hostile-corrupted", SPA_VIDEO_FORMAT_BGRx, 64, 36, 256, SPA_DATA_MemFd, rw, 0,
         SPA_META_HEADER_FLAG_CORRUPTED, 0, 0, false, false, true, false, SPA_REGION(0, 0, 0, 0)},
    };

    for (size_t i = 0; i < SPA_N_ELEMENTS(shapes); i++)
        frame_seed(c, &shapes[i]);
}

/* ---- profile files, as shipped ---- */

static void copy_data_files(struct corpus *c, const char *sub, const char *suffix)
{
    char dir[4096], path[8192];
    struct dirent **names;
    int n;

    snprintf(dir, sizeof(dir), "%s/%s", pwzc_datadir(), sub);
    if ((n = scandir(dir, &names, NULL, alphasort)) < 0) {
        fprintf(stderr, "make-corpus: %s: %s\n", dir, strerror(errno));
        exit(1);
    }
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name, *end = strstr(name, suffix);
        char *text;
        if (end && end[strlen(suffix)] == '\0') {
            snprintf(path, sizeof(path), "%s/%s", dir, name);
            if (ini_read_file(path, &text) < 0 ||
                write_file(c, "ini", name, text, strlen(text)) < 0) {
                fprintf(stderr, "make-corpus: cannot copy %s\n", path);
                exit(1);
            }
            free(text);
        }
        free(names[i]);
    }
    free(names);
}

static void make_dir(const char *dir, const char *sub)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/%s", dir, sub);
    if (mkdir(path, 0755) < 0 && errno != EEXIST) {
        fprintf(stderr, "make-corpus: %s: %s\n", path, strerror(errno));
        exit(1);
    }
}

int main(int argc, char **argv)
{
    static const char *const profiles[] = {
        "gnome-headless", "gnome-gpu", "gnome-dmabuf",     "dmabuf-only",   "memptr-only",
        "wlroots-shm",    "flapping",  "renegotiate-loop", "niri",          "niri-window",
        "cosmic",         "xdpw-0.8",  "gamescope",        "mutter-50-hdr", "mutter-51"};
    struct corpus c = {.dir = argc == 2 ? argv[1] : NULL};

    if (!c.dir) {
        fprintf(stderr, "usage: make-corpus OUTDIR\n");
        return 2;
    }
    make_dir(c.dir, "pod");
    make_dir(c.dir, "frame");
    make_dir(c.dir, "ini");
    producer_pods(&c);
    for (size_t i = 0; i < SPA_N_ELEMENTS(profiles); i++)
        emulator_profile(&c, profiles[i]);
    builtin_offers(&c);
    client_offers(&c);
    daemon_formats(&c);
    pipewire_extras(&c);
    frame_seeds(&c);
    copy_data_files(&c, "profiles", ".profile");
    copy_data_files(&c, "clients", ".client");
    printf("make-corpus: %u files in %s/{pod,frame,ini}\n", c.written, c.dir);
    return 0;
}
