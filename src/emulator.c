/* The producer side: EnumFormats from a profile, fixation, buffers, frames, misbehaviour. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <pipewire/version.h>
#include <spa/buffer/meta.h>
#include <spa/param/buffers.h>
#include <spa/param/format.h>
#include <spa/param/param.h>
#include <spa/param/video/format-utils.h>
#if PW_CHECK_VERSION(1, 5, 84)
#include <spa/param/dict-utils.h>
#include <spa/param/peer-utils.h>
#endif
#include <spa/pod/builder.h>
#include <spa/utils/result.h>

#include "colour.h"
#include "dmabuf.h"
#include "emulator-pods.h"
#include "emulator.h"
#include "formats.h"
#include "pattern.h"
#include "pod.h"
#include "pwcompat.h"
#include "versions.h"

#define MAX_PARAMS 24

struct frame_buffer {
    void *map;
    size_t size;
    int sync_fds[2]; /* acquire and release syncobj datas (explicit sync), or -1 */
    bool drawn;      /* the background is drawn once per buffer; each frame redraws the stamps */
};

struct emulator {
    struct connection *conn;
    const struct profile *p;
    const struct emulator_options *o;
    struct pwzc_error *err;
    struct pw_stream *stream;
    struct spa_hook listener;
    struct spa_source *frame_timer, *flap_timer, *resume_timer, *resize_timer;
    struct spa_source *format_timer, *vanish_timer, *stall_timer;
    bool resized, stalled, stall_done, vanish_armed;
    uint32_t format_override; /* after format-change: the one format announced from then on */
    uint32_t base_width, base_height; /* the size announced; variants move off it and back */
    uint32_t width, height, stride;
    const struct video_format *vf; /* the format the link settled on (NULL: not in the table) */
    uint64_t image_size;           /* every plane of one picture */
    uint64_t device_id;            /* the dev_t its DMA-BUF pods name after device negotiation */
    bool device_negotiation;       /* the peer said it negotiates device IDs (Mutter 51) */
    bool device_negotiated;        /* ... and the EnumFormats went out again, once */
    bool capability_sent;
    uint32_t fps;
    const struct profile_format *chosen; /* the EnumFormat the link settled on */
    uint32_t generation;                 /* bumps each time we renegotiate on purpose */
    uint32_t fixations;                  /* Formats that came back with the modifier open */
    bool shm_only;                       /* fixation-retries ran out: no DMA-BUF EnumFormat */
    uint32_t seq, produced;
    uint64_t last_frame_ns; /* a producer that is no driver keeps to its rate by this */
    bool announced;
    enum dmabuf_source dmabuf_source;
    bool warned_emulated, warned_sync, warned_cursor;
};

static bool flapping_alters_rate(const struct emulator *e)
{
    return e->p->max_framerate_denom != 0;
}

/* The variation a deliberate renegotiation announces: maxFramerate when there is one (the frame
 * size stays), else two pixels off the width. */
static void variant(const struct emulator *e, uint32_t *width, uint32_t *max_num)
{
    bool odd = e->generation % 2 == 1;

    *width = e->base_width;
    *max_num = e->p->max_framerate_num;
    if (!odd)
        return;
    if (e->p->behaviour == BEHAVIOUR_FLAPPING && flapping_alters_rate(e) && *max_num > 1)
        (*max_num)--;
    else
        *width -= 2;
}

/* One EnumFormat as the profile's compositor builds it, as it is now (size and rate vary). */
static const struct spa_pod *build_enum(struct emulator *e, struct spa_pod_builder *b,
                                        const struct profile_format *f, const uint64_t *fixed)
{
    struct emu_enum_shape shape = {.height = e->base_height,
                                   .format_override = e->format_override,
                                   .fixed = fixed,
                                   .device_id = e->device_negotiation ? &e->device_id : NULL};

    variant(e, &shape.width, &shape.max_framerate_num);
    return emu_pod_enum(b, e->p, f, &shape);
}

static uint32_t build_enums(struct emulator *e, struct spa_pod_builder *b,
                            const struct spa_pod **params, uint32_t max)
{
    uint32_t n = 0;

    for (uint32_t i = 0; i < e->p->n_formats && n < max; i++)
        if (!e->shm_only || !e->p->formats[i].has_modifier)
            params[n++] = build_enum(e, b, &e->p->formats[i], NULL);
    return n;
}

static void announce_enums(struct emulator *e, const char *why)
{
    uint8_t buffer[16384];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const struct spa_pod *params[MAX_PARAMS];
    uint32_t n = build_enums(e, &b, params, MAX_PARAMS);

    if (e->o->json == false && why)
        fprintf(stderr, "emulate: %s\n", why);
    pw_stream_update_params(e->stream, params, n);
}

/* The format a Format param came from: the first EnumFormat with the same modifier presence. */
static const struct profile_format *match_format(const struct emulator *e, uint32_t format,
                                                 bool has_modifier)
{
    const struct profile *p = e->p;

    for (uint32_t i = 0; i < p->n_formats; i++) {
        const struct profile_format *f = &p->formats[i];
        if (f->has_modifier != has_modifier)
            continue;
        /* After a format change every EnumFormat carries the new format only. */
        if (e->format_override)
            return format == e->format_override ? f : NULL;
        for (uint32_t j = 0; j < f->n_formats; j++)
            if (f->formats[j] == format)
                return f;
    }
    return NULL;
}

/* Mutter and xdpw fixate themselves: the allocator picks from the consumer's list, and the
 * fixed EnumFormat goes first with the full ones behind it as a fallback. */
static void producer_fixate(struct emulator *e, const struct profile_format *f, uint32_t format,
                            const uint64_t *choice, uint32_t n_choice)
{
    uint8_t buffer[16384];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const struct spa_pod *params[MAX_PARAMS];
    struct profile_format one = *f;
    uint64_t chosen = choice[0];
    uint32_t n;

    for (uint32_t i = 0; i < n_choice; i++)
        for (uint32_t m = 0; m < f->n_modifiers; m++)
            if (choice[i] == f->modifiers[m]) {
                chosen = choice[i];
                goto found;
            }
found:
    one.formats[0] = format;
    one.n_formats = 1;
    params[0] = build_enum(e, &b, &one, &chosen);
    n = 1 + build_enums(e, &b, params + 1, MAX_PARAMS - 1);
    pw_stream_update_params(e->stream, params, n);
}

/* Compositors ask for explicit sync only where the daemon has it (1.2): so does the emulator. */
static bool sync_wanted(struct emulator *e)
{
    if (e->p->explicit_sync == SYNC_NONE || e->chosen->data_type != SPA_DATA_DmaBuf)
        return false;
    if (version_parse(e->conn->daemon_version) >= version_parse(PWZC_SYNC_TIMELINE_SINCE))
        return true;
    if (!e->warned_sync)
        fprintf(stderr,
                "emulate: explicit sync needs a PipeWire %s daemon (this one is %s): "
                "buffers without it, as compositors do there\n",
                PWZC_SYNC_TIMELINE_SINCE, e->conn->daemon_version);
    e->warned_sync = true;
    return false;
}

/* niri offers its Cursor meta only where libpipewire is 1.4.8 or newer
 * (pw_version_supports_cursor_metadata), and draws the cursor in elsewhere. */
static const struct profile *cursor_checked(struct emulator *e, struct profile *copy)
{
    const char *lib = pw_get_library_version();

    if (!e->p->cursor_since[0] || version_parse(lib) >= version_parse(e->p->cursor_since))
        return e->p;
    *copy = *e->p;
    copy->metas &= ~(1u << SPA_META_Cursor);
    if (!e->warned_cursor)
        fprintf(stderr,
                "emulate: no Cursor meta: the profile has it from libpipewire %s, this is %s\n",
                e->p->cursor_since, lib);
    e->warned_cursor = true;
    return copy;
}

static void send_buffers(struct emulator *e)
{
    struct profile p;
    uint8_t buffer[4096];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const struct spa_pod *params[12];
    uint32_t n = 0;
    bool sync = sync_wanted(e);

    uint32_t size = (uint32_t)e->image_size;

    if (sync)
        params[n++] = emu_pod_buffers(&b, e->p, e->chosen->data_type, e->stride, size, true);
    if (!sync || e->p->explicit_sync == SYNC_OFFERED)
        params[n++] = emu_pod_buffers(&b, e->p, e->chosen->data_type, e->stride, size, false);
    n += emu_pod_metas(&b, cursor_checked(e, &p), sync, params + n);
    pw_stream_update_params(e->stream, params, n);
}

static void on_format(struct emulator *e, const struct spa_pod *param)
{
    struct spa_video_info_raw info = {0};
    uint64_t choice[64];
    uint32_t n_choice = 0;
    bool has_modifier;

    pod_format_parse(param, &info);
    has_modifier = (info.flags & SPA_VIDEO_FLAG_MODIFIER) != 0;
    if (!(e->chosen = match_format(e, info.format, has_modifier))) {
        pw_stream_set_error(e->stream, -EINVAL, "emulator: Format matches no EnumFormat");
        return;
    }
    e->width = info.size.width;
    e->height = info.size.height;
    e->vf = format_by_spa(info.format);
    e->image_size = format_image_size(e->vf, e->width, e->height, &e->stride);
    if (pod_format_modifier_choice(param, choice, 64, &n_choice) > 0) {
        /* xdg-desktop-portal-hyprland counts the Formats that leave the modifier open; past its
         * limit it gives DMA-BUF up and announces its SHM format alone. */
        if (e->p->fixation_retries && ++e->fixations > e->p->fixation_retries) {
            e->shm_only = true;
            announce_enums(e, "fixation retries used up: SHM only from now on");
        } else if (e->p->fixation == FIXATION_PRODUCER)
            producer_fixate(e, e->chosen, info.format, choice, n_choice);
        /* FIXATION_CONSUMER: wait for the consumer to announce one modifier. */
        return;
    }
    if (e->p->behaviour == BEHAVIOUR_RENEGOTIATE_LOOP) {
        e->generation++;
        announce_enums(e, NULL);
        return;
    }
    send_buffers(e);
}

#if PW_CHECK_VERSION(1, 5, 84)
/* Mutter 51: a peer that says it negotiates device IDs gets EnumFormats naming the device, once
 * (meta-stream-source.c, on_peer_capability_param_changed and negotiate_with_device_cb). */
static void on_peer_capability(struct emulator *e, const struct spa_pod *param)
{
    struct spa_peer_param_info peer;
    void *state = NULL;

    while (spa_peer_param_parse(param, &peer, sizeof(peer), &state) == 1) {
        struct spa_param_dict_info info;
        struct spa_dict_item items[16];
        struct spa_dict dict = {0};

        if (spa_param_dict_parse(peer.param, &info, sizeof(info)) <= 0 ||
            spa_param_dict_info_parse(&info, sizeof(info), &dict, NULL) < 0 ||
            dict.n_items > SPA_N_ELEMENTS(items) ||
            spa_param_dict_info_parse(&info, sizeof(info), &dict, items) < 0)
            continue;
        for (uint32_t i = 0; i < dict.n_items; i++)
            if (strcmp(items[i].key, PWZC_CAPABILITY_DEVICE_ID_NEGOTIATION) == 0 &&
                strcmp(items[i].value, "true") == 0)
                e->device_negotiation = true;
    }
    /* Mutter announces its formats again once, whatever the peer said. */
    e->device_negotiated = true;
    announce_enums(e, e->device_negotiation
                          ? "the peer negotiates device IDs: EnumFormats with the deviceId now"
                          : "the peer's capabilities came: EnumFormats once more, no deviceId");
}
#endif

static void on_param_changed(void *data, uint32_t id, const struct spa_pod *param)
{
    struct emulator *e = data;

    if (id == SPA_PARAM_Format && param)
        on_format(e, param);
#if PW_CHECK_VERSION(1, 5, 84)
    if (id == PWZC_PARAM_PeerCapability && param && e->p->capability_device_id &&
        !e->device_negotiated)
        on_peer_capability(e, param);
#endif
}

static void announce_ready(struct emulator *e)
{
    uint32_t id = pw_stream_get_node_id(e->stream);

    if (e->announced || id == SPA_ID_INVALID)
        return;
    e->announced = true;
    if (e->o->ready)
        e->o->ready(e->o->ready_data,
                    &(struct emulator_ready){.node_id = id,
                                             .profile = e->p->name,
                                             .width = e->width,
                                             .height = e->height,
                                             .dmabuf = dmabuf_source_name(e->dmabuf_source)});
}

static void set_timer(struct emulator *e, struct spa_source *timer, uint64_t first_ns,
                      uint64_t interval_ns)
{
    struct pw_loop *loop = pw_main_loop_get_loop(e->conn->loop);
    struct timespec value = {.tv_sec = first_ns / SPA_NSEC_PER_SEC,
                             .tv_nsec = first_ns % SPA_NSEC_PER_SEC};
    struct timespec interval = {.tv_sec = interval_ns / SPA_NSEC_PER_SEC,
                                .tv_nsec = interval_ns % SPA_NSEC_PER_SEC};

    pw_loop_update_timer(loop, timer, first_ns ? &value : NULL, interval_ns ? &interval : NULL,
                         false);
}

/* The one-off misbehaviours count from the first Streaming and happen once. */
static void arm_once_timers(struct emulator *e)
{
    const struct profile *p = e->p;

    if (p->format_change && !e->format_override)
        set_timer(e, e->format_timer, (uint64_t)p->format_change_after_ms * SPA_NSEC_PER_MSEC + 1,
                  0);
    if (p->vanish_after_ms && !e->vanish_armed) {
        e->vanish_armed = true;
        set_timer(e, e->vanish_timer, (uint64_t)p->vanish_after_ms * SPA_NSEC_PER_MSEC, 0);
    }
    if (p->stall_for_ms && !e->stall_done && !e->stalled)
        set_timer(e, e->stall_timer, (uint64_t)p->stall_after_ms * SPA_NSEC_PER_MSEC + 1, 0);
}

static void on_state_changed(void *data, enum pw_stream_state old, enum pw_stream_state state,
                             const char *error)
{
    struct emulator *e = data;
    /* --fps 0: a trigger every 250 us; a cycle that finds no free buffer makes no frame,
     * so the rate is what the consumer takes. (Chaining each trigger to the last frame stalls:
     * a trigger that lands while the graph is busy is dropped, and the chain with it.) */
    uint64_t period = e->fps ? SPA_NSEC_PER_SEC / e->fps : 250 * SPA_NSEC_PER_USEC;

    /* What the consumer's side did, as the producer saw it (a client that pauses its stream
     * once it streams shows here as Streaming -> Paused -> Streaming). */
    if (!e->o->json)
        fprintf(stderr, "pwzc emulate: stream %s -> %s\n", pw_stream_state_as_string(old),
                pw_stream_state_as_string(state));
    if (state >= PW_STREAM_STATE_PAUSED)
        announce_ready(e);
    if (state == PW_STREAM_STATE_STREAMING) {
        /* A producer that is no driver makes a frame when the graph asks (on_process). */
        if (e->p->driver && e->p->behaviour != BEHAVIOUR_NO_BUFFERS && !e->stalled)
            set_timer(e, e->frame_timer, 1, period);
        arm_once_timers(e);
        if (e->p->behaviour == BEHAVIOUR_FLAPPING)
            set_timer(e, e->flap_timer, (uint64_t)e->p->flap_interval_ms * SPA_NSEC_PER_MSEC, 0);
        if (e->p->resize_width && !e->resized)
            set_timer(e, e->resize_timer, (uint64_t)e->p->resize_after_ms * SPA_NSEC_PER_MSEC + 1,
                      0);
    } else {
        set_timer(e, e->frame_timer, 0, 0);
        set_timer(e, e->flap_timer, 0, 0);
        set_timer(e, e->resize_timer, 0, 0);
    }
    /* From PipeWire 1.0 a failed link puts the producer's stream in error too. Mutter and xdpw
     * keep their node then (frames stop; the next consumer links again), so the emulator does. */
    if (state == PW_STREAM_STATE_ERROR)
        fprintf(stderr, "pwzc emulate: stream error '%s': frames stop, the node stays\n",
                error ? error : "unknown error");
}

static int alloc_memory(struct emulator *e, struct spa_data *d, size_t size)
{
    int fd;

    if (d->type == SPA_DATA_DmaBuf) {
        enum dmabuf_source source;
        fd = dmabuf_alloc(size, &source);
        if (source == DMABUF_EMULATED && !e->warned_emulated) {
            e->warned_emulated = true;
            fprintf(stderr, "emulate: no /dev/dma_heap or /dev/udmabuf here: DMA-BUFs are "
                            "emulated with memfd (a consumer sees a memfd behind DmaBuf)\n");
        }
    } else {
        fd = memfd_create("pwzc-emulate", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd >= 0 && ftruncate(fd, (off_t)size) < 0) {
            close(fd);
            fd = -1;
        }
        /* Mutter seals its memfds: a consumer may rely on the size staying put. */
        if (fd >= 0)
            fcntl(fd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
    }
    return fd;
}

/* The acquire and release points of explicit sync are DRM syncobjs. Without a DRM device there
 * are none to make: eventfds stand in, typed SyncObj, and the emulator says so once. A consumer
 * that tries to import them as syncobjs fails, as it would have to on this machine anyway. */
static void add_sync_datas(struct emulator *e, struct spa_buffer *buf, struct frame_buffer *fb)
{
    fb->sync_fds[0] = fb->sync_fds[1] = -1;
    if (buf->n_datas < 3 || !(buf->datas[1].type & (1u << PWZC_DATA_SyncObj)))
        return;
    if (!e->warned_emulated) {
        fprintf(stderr, "emulate: no DRM device here: explicit sync's syncobjs are emulated with "
                        "eventfds (their acquire points are never waited on)\n");
        e->warned_emulated = true;
    }
    for (int i = 0; i < 2; i++) {
        struct spa_data *d = &buf->datas[1 + i];
        fb->sync_fds[i] = eventfd(0, EFD_CLOEXEC);
        d->type = PWZC_DATA_SyncObj;
        d->fd = fb->sync_fds[i];
        d->flags = SPA_DATA_FLAG_READWRITE;
    }
}

static void on_add_buffer(void *data, struct pw_buffer *pwb)
{
    struct emulator *e = data;
    struct spa_data *d = &pwb->buffer->datas[0];
    struct frame_buffer *fb = calloc(1, sizeof(*fb));
    size_t size = (size_t)e->image_size;
    int fd;

    pwb->user_data = fb;
    if (fb)
        add_sync_datas(e, pwb->buffer, fb);
    if (!fb || d->type == SPA_DATA_MemPtr ||
        !(d->type & ((1 << SPA_DATA_MemFd) | (1 << SPA_DATA_DmaBuf))))
        return; /* PipeWire allocated and mapped it (MemPtr profiles) */
    d->type = e->chosen->data_type;
    if ((fd = alloc_memory(e, d, size)) < 0) {
        pw_stream_set_error(e->stream, fd, "emulator: cannot allocate a buffer");
        return;
    }
    d->fd = fd;
    d->flags = e->chosen->data_flags;
    d->mapoffset = 0;
    d->maxsize = (uint32_t)size;
    fb->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    fb->size = size;
    if (fb->map == MAP_FAILED)
        fb->map = NULL;
    d->data = fb->map;
}

static void on_remove_buffer(void *data, struct pw_buffer *pwb)
{
    struct frame_buffer *fb = pwb->user_data;
    struct spa_data *d = &pwb->buffer->datas[0];

    for (int i = 0; fb && i < 2; i++)
        if (fb->sync_fds[i] >= 0)
            close(fb->sync_fds[i]);
    if (fb && fb->map) {
        munmap(fb->map, fb->size);
        close((int)d->fd);
    }
    free(fb);
}

static void fill_metas(struct emulator *e, struct spa_buffer *buf, const struct pattern_stamp *st)
{
    struct spa_meta_header *h = spa_buffer_find_meta_data(buf, SPA_META_Header, sizeof(*h));
    struct spa_meta *damage = spa_buffer_find_meta(buf, SPA_META_VideoDamage);
    uint64_t *points =
        spa_buffer_find_meta_data(buf, PWZC_META_SyncTimeline, PWZC_SYNC_TIMELINE_SIZE);

    if (h) {
        h->flags = 0;
        h->seq = st->seq;
        if (e->p->header_pts == PTS_CLOCK)
            h->pts = (int64_t)st->pts_ns;
        else if (e->p->header_pts == PTS_MINUS_ONE)
            h->pts = -1;
        h->dts_offset = 0;
    }
    /* flags and padding, then the acquire and release points: one timeline point a frame. */
    if (points) {
        points[1] = st->seq + 1;
        points[2] = st->seq + 1;
    }
    if (damage) {
        struct spa_meta_region *r = spa_meta_first(damage);
        if (spa_meta_check(r, damage)) {
            r->region = SPA_REGION(0, 0, e->width, e->height);
            r++;
        }
        if (spa_meta_check(r, damage))
            r->region = SPA_REGION(0, 0, 0, 0);
    }
}

/* A pointer move as Mutter sends it: a cursor meta with an id and a position, no bitmap. */
static void move_cursor(struct spa_buffer *buf)
{
    struct spa_meta_cursor *m = spa_buffer_find_meta_data(buf, SPA_META_Cursor, sizeof(*m));

    if (!m)
        return;
    m->id = 1;
    m->flags = 0;
    m->position.x = (int32_t)(m->position.x + 7) % 640;
    m->position.y = 100;
    m->hotspot = SPA_POINT(0, 0);
    m->bitmap_offset = 0; /* the same cursor image as before: only the position changed */
}

/* What misbehaving producers have been seen to send: each a reason for a consumer to drop. */
static void make_hostile(struct emulator *e, struct spa_buffer *buf)
{
    struct spa_chunk *c = buf->datas[0].chunk;
    struct spa_meta_header *h = spa_buffer_find_meta_data(buf, SPA_META_Header, sizeof(*h));

    switch (e->p->hostile) {
    case HOSTILE_OFFSET_PAST_END:
        c->offset = buf->datas[0].maxsize - 64;
        break;
    case HOSTILE_SIZE_PAST_END:
        c->size = buf->datas[0].maxsize + 1024 * 1024;
        break;
    case HOSTILE_ZERO_STRIDE:
        c->stride = 0;
        break;
    case HOSTILE_NEGATIVE_STRIDE:
        c->stride = -c->stride;
        break;
    case HOSTILE_SHORT_STRIDE:
        c->stride = (int32_t)(e->width * 4 - 4);
        break;
    case HOSTILE_CORRUPTED:
        if (h)
            h->flags |= SPA_META_HEADER_FLAG_CORRUPTED;
        else
            c->flags |= SPA_CHUNK_FLAG_CORRUPTED;
        break;
    case HOSTILE_EMPTY:
        c->size = 0;
        break;
    case HOSTILE_CURSOR_ONLY:
        c->size = 0;
        move_cursor(buf);
        break;
    case HOSTILE_CURSOR_ONLY_CORRUPTED:
        /* KWin: the chunk keeps its size; CORRUPTED says "do not look at the contents". */
        c->flags |= SPA_CHUNK_FLAG_CORRUPTED;
        move_cursor(buf);
        break;
    case HOSTILE_FAILED_RENDER:
        /* niri's return_unused_buffer: a frame it could not render goes back empty, flagged
         * in both places a consumer may look. */
        c->size = 0;
        c->flags |= SPA_CHUNK_FLAG_CORRUPTED;
        if (h)
            h->flags |= SPA_META_HEADER_FLAG_CORRUPTED;
        break;
    case HOSTILE_NONE:
        break;
    }
}

/* The stamped pattern is 4 bytes a pixel; a wider format gets it in the first 4 bytes of each
 * pixel's 8 (the stamps still read), NV12 a grey picture with the stamps in its luma. */
static void draw(struct emulator *e, uint8_t *data, const struct pattern_stamp *st, bool background)
{
    if (e->vf && e->vf->nv12) {
        if (background)
            memset(data, 0x80, (size_t)e->image_size);
        return;
    }
    pattern_draw(data, e->width, e->height, e->stride, st, background);
}

static void produce(struct emulator *e)
{
    struct pw_buffer *pwb = pw_stream_dequeue_buffer(e->stream);
    struct frame_buffer *fb;
    struct spa_data *d;
    struct pattern_stamp st;

    if (!pwb)
        return; /* the consumer holds every buffer: this frame is skipped, as a compositor does */
    fb = pwb->user_data;
    d = &pwb->buffer->datas[0];
    st.seq = e->seq++;
    st.pts_ns = pwzc_now_ns();
    if (d->data && d->maxsize >= e->image_size) {
        if (d->type == SPA_DATA_DmaBuf)
            dmabuf_sync((int)d->fd, true, true);
        draw(e, d->data, &st, !(fb && fb->drawn));
        if (d->type == SPA_DATA_DmaBuf)
            dmabuf_sync((int)d->fd, false, true);
        if (fb)
            fb->drawn = true;
    }
    d->chunk->offset = 0;
    d->chunk->size = (uint32_t)e->image_size;
    /* niri writes 1 into a DMA-BUF's chunk: there a size means only "a frame is here". */
    if (e->p->chunk_size == CHUNK_ONE && d->type == SPA_DATA_DmaBuf)
        d->chunk->size = 1;
    d->chunk->stride = (int32_t)e->stride;
    d->chunk->flags = 0;
    fill_metas(e, pwb->buffer, &st);
    if (e->p->hostile && st.seq % e->p->hostile_every == e->p->hostile_every - 1)
        make_hostile(e, pwb->buffer);
    pw_stream_queue_buffer(e->stream, pwb);
    if (e->o->frames && ++e->produced >= e->o->frames)
        pw_main_loop_quit(e->conn->loop);
}

static void on_process(void *data)
{
    struct emulator *e = data;

    /* A driver's process comes from its own trigger; a producer that is no driver makes its
     * frame when the graph's driver asks (xdg-desktop-portal-wlr, -cosmic), at most at its fps. */
    if (!connection_on_owner_thread(e->conn) || e->stalled)
        return;
    if (!e->p->driver) {
        /* xdpw's fps_limit.c holds its captures to the rate; fps 0 takes every cycle (COSMIC). */
        uint64_t now = pwzc_now_ns();
        if (e->p->behaviour == BEHAVIOUR_NO_BUFFERS ||
            (e->fps && now - e->last_frame_ns < SPA_NSEC_PER_SEC / e->fps))
            return;
        e->last_frame_ns = now;
    }
    produce(e);
}

static const struct pw_stream_events stream_events = {
    PW_VERSION_STREAM_EVENTS,          .state_changed = on_state_changed,
    .param_changed = on_param_changed, .add_buffer = on_add_buffer,
    .remove_buffer = on_remove_buffer, .process = on_process,
};

static void on_frame_timer(void *data, uint64_t expirations)
{
    struct emulator *e = data;

    pw_stream_trigger_process(e->stream);
}

/* What users of a consumer that cannot import its modifier see: Streaming, then back to
 * Paused for a renegotiation, again and again. */
static void on_flap_timer(void *data, uint64_t expirations)
{
    struct emulator *e = data;

    /* Deactivating the driver pauses the consumer (its node gets Pause); the new EnumFormat
     * makes the link renegotiate before it runs again. */
    pw_stream_set_active(e->stream, false);
    e->generation++;
    announce_enums(e, NULL);
    set_timer(e, e->resume_timer, 100 * SPA_NSEC_PER_MSEC, 0);
}

/* A monitor resized, a window grown: the same stream goes on at another size. */
static void on_resize_timer(void *data, uint64_t expirations)
{
    struct emulator *e = data;

    e->resized = true;
    e->base_width = e->p->resize_width;
    e->base_height = e->p->resize_height;
    announce_enums(e, NULL);
}

/* A compositor that switches pixel format mid-stream (an HDR toggle, a new output). */
static void on_format_timer(void *data, uint64_t expirations)
{
    struct emulator *e = data;

    e->format_override = e->p->format_change;
    announce_enums(e, "the producer changes its format now (format-change)");
}

/* The compositor closes the screencast, or crashes: the node goes away mid-stream. */
static void on_vanish_timer(void *data, uint64_t expirations)
{
    struct emulator *e = data;

    fprintf(stderr, "emulate: the node goes away now (vanish-after)\n");
    pw_main_loop_quit(e->conn->loop);
}

/* A compositor that stops sending for a while (a busy GPU, a suspended output), then goes on. */
static void on_stall_timer(void *data, uint64_t expirations)
{
    struct emulator *e = data;
    uint64_t period = e->fps ? SPA_NSEC_PER_SEC / e->fps : 250 * SPA_NSEC_PER_USEC;

    if (!e->stalled) {
        e->stalled = true;
        set_timer(e, e->frame_timer, 0, 0);
        set_timer(e, e->stall_timer, (uint64_t)e->p->stall_for_ms * SPA_NSEC_PER_MSEC + 1, 0);
        return;
    }
    e->stalled = false;
    e->stall_done = true;
    set_timer(e, e->frame_timer, 1, period);
}

static void on_resume_timer(void *data, uint64_t expirations)
{
    struct emulator *e = data;

    pw_stream_set_active(e->stream, true);
}

static bool needs_own_buffers(const struct profile *p)
{
    for (uint32_t i = 0; i < p->n_formats; i++)
        if (p->formats[i].data_type != SPA_DATA_MemPtr)
            return true;
    return false;
}

/* Mutter 51's Capability param: it can negotiate device IDs, and which devices it has. Only
 * where both this build and the daemon know the param (1.5.84), as Mutter needs them to. */
static uint32_t build_capability(struct emulator *e, struct spa_pod_builder *b,
                                 const struct spa_pod **params)
{
#if PW_CHECK_VERSION(1, 5, 84)
    char hex[17], devices[64];
    struct spa_dict_item items[2];

    if (version_parse(e->conn->daemon_version) < version_parse(PWZC_CAPABILITY_SINCE))
        goto old;
    /* Mutter writes the dev_t's bytes in hex, and its JSON key with a stray colon. */
    for (size_t i = 0; i < sizeof(e->device_id); i++)
        snprintf(hex + 2 * i, 3, "%02x", ((const uint8_t *)&e->device_id)[i]);
    snprintf(devices, sizeof(devices), "{\"available-devices:\": [\"%s\"]}", hex);
    items[0] = SPA_DICT_ITEM_INIT(PWZC_CAPABILITY_DEVICE_ID_NEGOTIATION, "1");
    items[1] = SPA_DICT_ITEM_INIT(PWZC_CAPABILITY_DEVICE_IDS, devices);
    params[0] = spa_param_dict_build_dict(b, PWZC_PARAM_Capability, &SPA_DICT_INIT(items, 2));
    e->capability_sent = true;
    return 1;
old:
#endif
    fprintf(stderr,
            "emulate: a Capability param needs PipeWire %s (built against %s, daemon %s): "
            "left out, as Mutter 51 cannot be built there\n",
            PWZC_CAPABILITY_SINCE, pw_get_headers_version(), e->conn->daemon_version);
    return 0;
}

/* The render node's dev_t, as Mutter names its device; a made-up one without a GPU. */
static uint64_t render_device_id(void)
{
    struct stat st;

    if (stat("/dev/dri/renderD128", &st) == 0)
        return (uint64_t)st.st_rdev;
    return (uint64_t)makedev(226, 128);
}

static int connect_producer(struct emulator *e)
{
    uint8_t buffer[16384];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const struct spa_pod *params[MAX_PARAMS];
    uint32_t n = build_enums(e, &b, params, MAX_PARAMS - 1);
    enum pw_stream_flags flags = PW_STREAM_FLAG_MAP_BUFFERS;
    struct pw_properties *props = pw_properties_new(
        PW_KEY_MEDIA_CLASS, e->p->media_class, PW_KEY_NODE_NAME, e->p->node_name,
        PW_KEY_NODE_DESCRIPTION, e->p->description, PW_KEY_MEDIA_TYPE, "Video", NULL);

    if (e->p->driver)
        flags |= PW_STREAM_FLAG_DRIVER;
    if (e->p->supports_request[0])
        pw_properties_set(props, "node.supports-request", e->p->supports_request);
    if (e->p->capability_device_id)
        n += build_capability(e, &b, params + n);

    /* Compositors allocate their own buffers (memfd or DMA-BUF); MemPtr ones cannot. */
    if (needs_own_buffers(e->p))
        flags |= PW_STREAM_FLAG_ALLOC_BUFFERS;
    e->stream = pw_stream_new(e->conn->core, e->p->node_name, props);
    if (!e->stream)
        return -errno;
    pw_stream_add_listener(e->stream, &e->listener, &stream_events, e);
    return pw_stream_connect(e->stream, PW_DIRECTION_OUTPUT, PW_ID_ANY, flags, params, n);
}

int emulator_run(struct connection *c, const struct profile *p, const struct emulator_options *o,
                 struct pwzc_error *err)
{
    struct emulator e = {.conn = c, .p = p, .o = o, .err = err};
    struct pw_loop *loop = pw_main_loop_get_loop(c->loop);
    int res;

    e.width = e.base_width = o->width ? o->width : p->width;
    e.height = e.base_height = o->height ? o->height : p->height;
    e.stride = e.width * 4;
    e.image_size = (uint64_t)e.stride * e.height;
    e.device_id = render_device_id();
    e.fps = o->fps >= 0 ? (uint32_t)o->fps : p->fps;
    e.dmabuf_source = dmabuf_best_source();
    e.frame_timer = pw_loop_add_timer(loop, on_frame_timer, &e);
    e.flap_timer = pw_loop_add_timer(loop, on_flap_timer, &e);
    e.resume_timer = pw_loop_add_timer(loop, on_resume_timer, &e);
    e.resize_timer = pw_loop_add_timer(loop, on_resize_timer, &e);
    e.format_timer = pw_loop_add_timer(loop, on_format_timer, &e);
    e.vanish_timer = pw_loop_add_timer(loop, on_vanish_timer, &e);
    e.stall_timer = pw_loop_add_timer(loop, on_stall_timer, &e);
    if ((res = connect_producer(&e)) < 0) {
        pwzc_fail(err, PWZC_EXIT_EMULATOR, res, "cannot create the emulated producer: %s",
                  spa_strerror(res));
        goto out;
    }
    pw_main_loop_run(c->loop);
    if (c->lost)
        pwzc_fail(err, PWZC_EXIT_LOST, -EPIPE, "the PipeWire daemon went away");
out:
    if (e.stream)
        pw_stream_destroy(e.stream); /* with the listener on, so remove_buffer frees each one */
    pw_loop_destroy_source(loop, e.frame_timer);
    pw_loop_destroy_source(loop, e.flap_timer);
    pw_loop_destroy_source(loop, e.resume_timer);
    pw_loop_destroy_source(loop, e.resize_timer);
    pw_loop_destroy_source(loop, e.format_timer);
    pw_loop_destroy_source(loop, e.vanish_timer);
    pw_loop_destroy_source(loop, e.stall_timer);
    return err->exit_code ? -EIO : 0;
}
