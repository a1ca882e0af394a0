/* The consumer side of a negotiation: how pwzc answers param_changed, and what it records. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include <spa/buffer/meta.h>
#include <spa/param/video/format-utils.h>
#include <spa/utils/result.h>

#include "colour.h"
#include "dmabuf.h"
#include "formats.h"
#include "pattern.h"
#include "pod.h"
#include "pwcompat.h"
#include "stream.h"
#include "util.h"
#include "versions.h"

#define MAX_CHOICE          64
#define LINK_ERROR_GRACE_MS 500

struct mapping {
    void *ptr;
    size_t size;
    bool unmap;
    int fd;
    bool client_cannot_read; /* libpipewire mapped it for the client without PROT_READ */
};

struct consumer {
    struct connection *conn;
    const struct offer *offer;
    const struct stream_options *o;
    struct stream_result *res;
    struct pw_stream *stream;
    struct spa_hook listener;
    struct spa_source *fixate_timer;
    struct spa_source *frame_event; /* a buffer waits: taken on the main loop */
    struct spa_source *own_pause_timer;
    enum own_pause { OWN_PAUSE_NONE, OWN_PAUSE_DUE, OWN_PAUSED, OWN_PAUSE_OVER } own_pause;
    uint32_t choice_format;
    uint64_t choice[MAX_CHOICE];
    uint32_t n_choice;
    uint64_t deadline_ns;
    bool finished;
    bool loop_ended; /* a renegotiation loop beyond doubt ended the window */
    bool closing;    /* our own teardown: its state changes are not the producer's doing */
    bool unreadable_noted;
    /* pw_stream_destroy() does not call remove_buffer on 0.3.x: what is still mapped at the end
     * is unmapped here. */
    struct mapping *mappings[64];
    /* The buffers a consumer that keeps frames holds, oldest first (stream_options.hold_buffers) */
    struct pw_buffer *held[STREAM_MAX_HOLD];
    uint32_t n_held;
    uint64_t clock_ns; /* the stream's clock at the last frame (stream_clock) */
};

static uint64_t now(void)
{
    return pwzc_now_ns();
}

static void finish(struct consumer *s)
{
    s->finished = true;
    connection_wake(s->conn);
}

static void own_pause_after(struct consumer *s, enum own_pause step, uint64_t ms)
{
    struct timespec value = {.tv_sec = (time_t)(ms / 1000),
                             .tv_nsec = (long)(ms % 1000) * (long)SPA_NSEC_PER_MSEC};

    s->own_pause = step;
    pw_loop_update_timer(pw_main_loop_get_loop(s->conn->loop), s->own_pause_timer, &value, NULL,
                         false);
}

/* A client that pauses its stream once it streams and resumes it at once (GStreamer's
 * pipewiresrc since 1.1.83: inactive in READY -> PAUSED, active again in PAUSED -> PLAYING).
 * The producer sees Streaming -> Paused -> Streaming in a few ms, and not every producer lives
 * through it, so the replay does it too. Resumed when Paused is reached, or after 200 ms. */
static void on_own_pause_timer(void *data, uint64_t expirations)
{
    struct consumer *s = data;

    if (s->own_pause == OWN_PAUSE_DUE && s->res->trace.state == TRACE_STATE_STREAMING) {
        trace_add(&s->res->trace, now(), TRACE_NOTE,
                  "the consumer pauses its own stream, as the client does once it streams", NULL);
        s->res->trace.own_pause = true;
        pw_stream_set_active(s->stream, false);
        own_pause_after(s, OWN_PAUSED, 200);
    } else if (s->own_pause == OWN_PAUSED) {
        trace_add(&s->res->trace, now(), TRACE_NOTE, "the consumer resumes its stream", NULL);
        pw_stream_set_active(s->stream, true);
        s->own_pause = OWN_PAUSE_OVER;
    }
}

static void on_state_changed(void *data, enum pw_stream_state old, enum pw_stream_state state,
                             const char *error)
{
    struct consumer *s = data;

    if (s->closing)
        return;
    trace_state(&s->res->trace, now(), (int)old, (int)state, error);
    if (state == PW_STREAM_STATE_ERROR)
        finish(s);
    else if (state == PW_STREAM_STATE_STREAMING && s->offer->pauses_at_start &&
             s->own_pause == OWN_PAUSE_NONE)
        own_pause_after(s, OWN_PAUSE_DUE, 1);
    else if (state == PW_STREAM_STATE_PAUSED && s->own_pause == OWN_PAUSED)
        own_pause_after(s, OWN_PAUSED, 1);
}

static void send_params(struct consumer *s, const struct spa_pod **params, int n, const char *what)
{
    struct json_object *sent = NULL;

    if (s->o->record_pods) {
        sent = json_object_new_array();
        for (int i = 0; i < n; i++)
            json_object_array_add(sent, pod_to_json(params[i]));
    }
    trace_add(&s->res->trace, now(), TRACE_SENT, what, sent);
    pw_stream_update_params(s->stream, params, (uint32_t)n);
}

static void answer_format(struct consumer *s, bool has_modifier)
{
    uint8_t buffer[4096];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const struct spa_pod *params[8];
    int n = offer_build_buffer_params(s->offer, has_modifier, &b, params, 8);
    char types[64];

    if (n < 0)
        return;
    uint32_t sent = offer_data_types_for(s->offer, has_modifier);
    uint32_t port = offer_port_data_types(s->offer, has_modifier);
    char what[256], carried[64];

    data_types_string(sent, types, sizeof(types));
    data_types_string(port, carried, sizeof(carried));
    if (port != sent)
        snprintf(what, sizeof(what),
                 "Buffers (dataType %s; the port carries %s: libpipewire adds MemFd for a stream "
                 "that maps buffers) and %d Meta params",
                 types, carried, n - 1);
    else
        snprintf(what, sizeof(what), "Buffers (dataType %s) and %d Meta params", types, n - 1);
    send_params(s, params, n, what);
}

/* The producer left the modifier open (DONT_FIXATE) and did not pick one in the grace period:
 * pick ours and announce it first, keeping the original EnumFormats as the fallback. */
static void on_fixate_timer(void *data, uint64_t expirations)
{
    struct consumer *s = data;
    uint8_t buffer[65536];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const struct spa_pod *params[OFFER_MAX_ENUM + 1];
    uint64_t chosen;
    char name[160], text[256];
    int n;

    if (s->n_choice == 0)
        return;
    if (!offer_pick_modifier(s->offer, s->choice_format, s->choice, s->n_choice, &chosen))
        chosen = s->choice[0];
    s->n_choice = 0;
    modifier_name(chosen, name, sizeof(name));
    snprintf(text, sizeof(text),
             "the producer left the modifier open: fixating %s (0x%016" PRIx64 ")", name, chosen);
    trace_add(&s->res->trace, now(), TRACE_FIXATE, text, NULL);
    s->res->fixated = true;
    s->res->fixated_modifier = chosen;
    if ((n = offer_build_fixated(s->offer, s->choice_format, chosen, &b, params,
                                 SPA_N_ELEMENTS(params))) > 0)
        send_params(s, params, n, "EnumFormat with the fixated modifier first, then the offer");
}

static void set_frame_format(struct consumer *s, const struct spa_video_info_raw *info)
{
    const struct video_format *vf = format_by_spa(info->format);
    struct frame_format *f = &s->res->frame_format;

    f->format = info->format;
    f->width = info->size.width;
    f->height = info->size.height;
    f->bytes_per_pixel = vf ? vf->bytes_per_pixel : 4;
    f->modifier = info->modifier;
    f->has_modifier = (info->flags & SPA_VIDEO_FLAG_MODIFIER) != 0;
    if (s->o->sink && s->o->sink->format)
        s->o->sink->format(s->o->sink->data, f);
}

static void on_format(struct consumer *s, const struct spa_pod *param)
{
    struct spa_video_info_raw info = {0};
    struct pw_loop *loop = pw_main_loop_get_loop(s->conn->loop);

    json_object_put(s->res->format);
    s->res->format = pod_format_summary(param);
    pod_format_parse(param, &info);
    s->res->format_has_modifier = (info.flags & SPA_VIDEO_FLAG_MODIFIER) != 0;
    set_frame_format(s, &info);
    s->res->modifier_open =
        pod_format_modifier_choice(param, s->choice, MAX_CHOICE, &s->n_choice) > 0;
    if (s->res->modifier_open && s->o->fixate_grace_ms != STREAM_NEVER_FIXATE) {
        struct timespec grace = {.tv_sec = s->o->fixate_grace_ms / 1000,
                                 .tv_nsec = (s->o->fixate_grace_ms % 1000) * 1000000L + 1};
        s->choice_format = info.format;
        pw_loop_update_timer(loop, s->fixate_timer, &grace, NULL, false);
        return;
    }
    s->n_choice = 0;
    pw_loop_update_timer(loop, s->fixate_timer, NULL, NULL, false);
    if (!s->offer->buffers_at_connect)
        answer_format(s, s->res->format_has_modifier);
}

static void on_param_changed(void *data, uint32_t id, const struct spa_pod *param)
{
    struct consumer *s = data;
    struct json_object *detail = NULL;

    /* After a loop beyond doubt the window is over: what the daemon still had queued is not seen.
     */
    if (s->closing || s->loop_ended)
        return;
    if (param && (s->o->record_pods || id == SPA_PARAM_Format))
        detail = s->o->record_pods ? pod_to_json(param) : pod_format_summary(param);
    trace_param(&s->res->trace, now(), id, param == NULL, detail);
    if (id == SPA_PARAM_Format && param && !s->finished &&
        trace_loop_conclusive(&s->res->trace, now())) {
        char text[128];
        snprintf(text, sizeof(text),
                 "%u Format events without a frame: the loop is beyond doubt, the window ends",
                 s->res->trace.format_changes);
        trace_add(&s->res->trace, now(), TRACE_NOTE, text, NULL);
        s->loop_ended = true;
        finish(s);
        return;
    }
    if (id == SPA_PARAM_Format && param) {
        /* 1.x keeps a DONT_FIXATE choice in the Format; the daemon then never readies the port. */
        trace_format_unfixated(&s->res->trace, spa_pod_is_fixated(param) <= 0);
        on_format(s, param);
    }
}

/* What an fd really is, whatever the producer called it: the kernel names memfds and dmabufs. */
static void fd_kind(int fd, char *buf, size_t size)
{
    char path[64], target[256];
    ssize_t n;

    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    n = readlink(path, target, sizeof(target) - 1);
    if (n <= 0) {
        snprintf(buf, size, "unknown");
        return;
    }
    target[n] = '\0';
    if (strstr(target, "memfd:"))
        snprintf(buf, size, "memfd");
    else if (strstr(target, "dmabuf"))
        snprintf(buf, size, "dmabuf");
    else if (strncmp(target, "/dev/shm/", 9) == 0)
        snprintf(buf, size, "shm-file");
    else
        snprintf(buf, size, "other");
}

/* The data's flags as words: what the producer said a consumer may do with the memory. */
static struct json_object *data_flags_json(uint32_t flags)
{
    static const struct {
        uint32_t flag;
        const char *name;
    } names[] = {{SPA_DATA_FLAG_READABLE, "readable"},
                 {SPA_DATA_FLAG_WRITABLE, "writable"},
                 {SPA_DATA_FLAG_DYNAMIC, "dynamic"},
                 {PWZC_DATA_FLAG_MAPPABLE, "mappable"}};
    struct json_object *list = json_object_new_array();

    for (size_t i = 0; i < SPA_N_ELEMENTS(names); i++)
        if (flags & names[i].flag)
            json_object_array_add(list, json_object_new_string(names[i].name));
    return list;
}

static struct json_object *buffer_json(const struct spa_data *d, const char *kind)
{
    struct json_object *obj = json_object_new_object();

    json_object_object_add(obj, "data_type", json_object_new_string(data_type_name(d->type)));
    json_object_object_add(obj, "fd_kind", json_object_new_string(kind));
    json_object_object_add(obj, "maxsize", json_object_new_int64(d->maxsize));
    json_object_object_add(obj, "mapoffset", json_object_new_int64(d->mapoffset));
    json_object_object_add(obj, "data_flags", data_flags_json(d->flags));
    return obj;
}

/* Whether this process may read the byte at p. Reading a page mapped PROT_NONE would kill the
 * replay as it kills the client; process_vm_readv on ourselves answers EFAULT instead. Any other
 * failure (a seccomp filter, say) tells nothing, and nothing is claimed. */
static bool memory_readable(const void *p)
{
    uint8_t byte;
    struct iovec local = {.iov_base = &byte, .iov_len = 1};
    struct iovec remote = {.iov_base = (void *)p, .iov_len = 1};
    ssize_t n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);

    return n == 1 || (n < 0 && errno != EFAULT);
}

/* A client connected with MAP_BUFFERS reads datas[0].data, the mapping libpipewire made for it.
 * From 1.5.81 (commit 5ccaf297) that mapping has the permissions of the producer's data flags,
 * where it had been readable for every consumer: a producer that leaves READABLE out (xdpw
 * 0.8.0 and 0.8.1 set no flag at all) hands such a client memory it faults on. We read through
 * our own mapping, so the client's is looked at, not assumed from a version. */
static void check_client_mapping(struct consumer *s, const struct spa_data *d, struct mapping *m)
{
    char text[200];

    if (!(s->offer->stream_flags & PW_STREAM_FLAG_MAP_BUFFERS) || d->type != SPA_DATA_MemFd ||
        !d->data || memory_readable(d->data))
        return;
    m->client_cannot_read = true;
    if (s->unreadable_noted)
        return;
    s->unreadable_noted = true;
    snprintf(text, sizeof(text),
             "libpipewire mapped the buffer for the client without read permission (data flags "
             "0x%x, no READABLE): a client that reads datas[0].data faults on it",
             d->flags);
    trace_add(&s->res->trace, now(), TRACE_NOTE, text, NULL);
}

/* Explicit sync shows on the buffers: a SyncTimeline meta, and syncobj datas after the planes. */
static void note_sync(struct stream_result *res, const struct spa_buffer *buf)
{
    res->syncobj_datas = 0;
    for (uint32_t i = 0; i < buf->n_datas; i++)
        res->syncobj_datas += buf->datas[i].type == PWZC_DATA_SyncObj;
    res->sync_timeline =
        spa_buffer_find_meta((struct spa_buffer *)buf, PWZC_META_SyncTimeline) != NULL;
}

static void on_add_buffer(void *data, struct pw_buffer *pwb)
{
    struct consumer *s = data;
    struct spa_data *d = &pwb->buffer->datas[0];
    struct mapping *m = calloc(1, sizeof(*m));
    char kind[32] = "none", text[160];

    pwb->user_data = m;
    if (!m)
        return;
    m->fd = -1;
    for (size_t i = 0; i < SPA_N_ELEMENTS(s->mappings); i++)
        if (!s->mappings[i]) {
            s->mappings[i] = m;
            break;
        }
    if (pwb->buffer->n_datas == 0)
        return;
    if (d->type == SPA_DATA_MemFd || d->type == SPA_DATA_DmaBuf) {
        m->fd = (int)d->fd;
        fd_kind((int)d->fd, kind, sizeof(kind));
        /* Populated now, once per buffer: page faults belong to setting up, not to each frame. */
        m->ptr = mmap(NULL, d->maxsize + d->mapoffset, PROT_READ, MAP_SHARED | MAP_POPULATE,
                      (int)d->fd, 0);
        if (m->ptr == MAP_FAILED)
            m->ptr = NULL;
        else {
            m->size = d->maxsize + d->mapoffset;
            m->unmap = true;
        }
    } else if (d->type == SPA_DATA_MemPtr) {
        snprintf(kind, sizeof(kind), "pointer");
        m->ptr = d->data;
        m->size = d->maxsize;
    }
    check_client_mapping(s, d, m);
    s->res->data_type = d->type;
    snprintf(s->res->fd_kind, sizeof(s->res->fd_kind), "%s", kind);
    s->res->n_buffers++;
    note_sync(s->res, pwb->buffer);
    snprintf(text, sizeof(text), "%s, fd is %s, %u bytes", data_type_name(d->type), kind,
             d->maxsize);
    trace_add(&s->res->trace, now(), TRACE_BUFFER, text, buffer_json(d, kind));
}

/* The sink hears of it first: what it keyed on this buffer must go before the memory does. */
static void unmap(struct consumer *s, struct mapping *m)
{
    const struct stream_sink *sink = s->o->sink;

    if (m && sink && sink->buffer_gone)
        sink->buffer_gone(sink->data, m->ptr, m->size, m->fd);
    if (m && m->unmap)
        munmap(m->ptr, m->size);
    free(m);
}

static void forget_held(struct consumer *s, const struct pw_buffer *pwb);

static void on_remove_buffer(void *data, struct pw_buffer *pwb)
{
    struct consumer *s = data;
    struct mapping *m = pwb->user_data;

    forget_held(s, pwb);
    for (size_t i = 0; i < SPA_N_ELEMENTS(s->mappings); i++)
        if (s->mappings[i] == m)
            s->mappings[i] = NULL;
    unmap(s, m);
    pwb->user_data = NULL;
}

static void read_stamp(struct consumer *s, const uint8_t *frame, size_t size)
{
    struct stream_result *r = s->res;
    struct pattern_stamp st;
    uint64_t t = now();

    if (!pattern_read(frame, size, &st))
        return;
    if (r->stamped_frames > 0 && st.seq > r->seq_last + 1)
        r->seq_gaps += st.seq - r->seq_last - 1;
    if (r->stamped_frames++ == 0)
        r->seq_first = st.seq;
    r->seq_last = st.seq;
    if (t > st.pts_ns) {
        r->latency_sum_ns += t - st.pts_ns;
        if (t - st.pts_ns > r->latency_max_ns)
            r->latency_max_ns = t - st.pts_ns;
    }
}

/* What of the buffer's memory we can read, from byte 0 of its maxsize range. */
static const uint8_t *readable(const struct spa_data *d, const struct mapping *m, size_t *size)
{
    if (!m || !m->ptr)
        return NULL;
    if (d->type == SPA_DATA_MemPtr) {
        *size = d->maxsize;
        return m->ptr;
    }
    if (m->size < d->mapoffset)
        return NULL;
    *size = m->size - d->mapoffset;
    return (const uint8_t *)m->ptr + d->mapoffset;
}

/* A chunk is the producer's word about where the frame is: frame_check weighs it before a
 * byte is read, and a DMA-BUF is synced around the CPU's reads. */
/* The stream's clock as GStreamer's pipewireclock reads it: the ticks of the last cycle in ns,
 * plus the time since that cycle; it stands still while the time has no rate. On PipeWire 1.6
 * the cycle's time is set when the graph (re)starts and a stream driver's time does not move,
 * so this is the time since the stream last came to Streaming. */
static uint64_t stream_clock(struct consumer *s, uint64_t at_ns)
{
    struct pw_time t;
    int64_t clock;

    if (pw_stream_get_time_n(s->stream, &t, sizeof(t)) < 0 || t.rate.denom == 0)
        return s->clock_ns;
    clock = (int64_t)((unsigned __int128)t.ticks * SPA_NSEC_PER_SEC * t.rate.num / t.rate.denom) +
            ((int64_t)at_ns - t.now);
    s->clock_ns = clock > 0 ? (uint64_t)clock : 0;
    return s->clock_ns;
}

static void take_frame(struct consumer *s, struct pw_buffer *pwb, uint64_t dequeued_ns,
                       bool superseded)
{
    struct spa_buffer *buf = pwb->buffer;
    const struct spa_data *d = &buf->datas[0];
    size_t size = 0;
    const uint8_t *region = buf->n_datas ? readable(d, pwb->user_data, &size) : NULL;
    struct frame f;
    enum frame_drop drop = frame_check(&f, buf, &s->res->frame_format, region, size);
    enum frame_drop fate = FRAME_OK;
    bool dmabuf = f.data && d->type == SPA_DATA_DmaBuf;
    uint64_t taken_ns;

    /* The frame is sound; the client's view of it is not (see check_client_mapping). */
    if (drop == FRAME_OK && pwb->user_data &&
        ((const struct mapping *)pwb->user_data)->client_cannot_read)
        drop = FRAME_UNREADABLE;
    if (drop != FRAME_OK) {
        trace_fate(&s->res->trace, now(), drop);
        return;
    }
    f.dequeued_ns = dequeued_ns;
    f.clock_ns = stream_clock(s, dequeued_ns);
    f.superseded = superseded;
    if (d->type == SPA_DATA_DmaBuf && s->res->import_fd < 0) {
        s->res->import_fd = fcntl((int)d->fd, F_DUPFD_CLOEXEC, 3);
        s->res->import_offset = f.offset;
        s->res->import_stride = f.stride;
    }
    taken_ns = now();
    if (dmabuf)
        dmabuf_sync((int)d->fd, true, false);
    if (f.data)
        read_stamp(s, f.data, f.bytes);
    if (s->o->sink && s->o->sink->frame && s->o->sink->frame(s->o->sink->data, &f, &fate) < 0)
        finish(s);
    if (dmabuf)
        dmabuf_sync((int)d->fd, false, false);
    trace_fate(&s->res->trace, taken_ns, fate);
}

/* What the consumer does with a buffer once its frame is taken: works on it for frame_delay_ms,
 * and gives it back at once, or keeps it among the last hold_buffers and gives back the oldest. */
static void consume(struct consumer *s, struct pw_buffer *pwb)
{
    uint32_t hold = SPA_MIN(s->o->hold_buffers, (uint32_t)STREAM_MAX_HOLD);

    if (s->o->frame_delay_ms) {
        struct timespec ts = {.tv_sec = s->o->frame_delay_ms / 1000,
                              .tv_nsec = (long)(s->o->frame_delay_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (hold == 0) {
        pw_stream_queue_buffer(s->stream, pwb);
        return;
    }
    if (s->n_held == hold) {
        pw_stream_queue_buffer(s->stream, s->held[0]);
        memmove(s->held, s->held + 1, (hold - 1) * sizeof(s->held[0]));
        s->n_held--;
    }
    s->held[s->n_held++] = pwb;
}

/* A buffer PipeWire takes back (renegotiation) is no longer ours to give back. */
static void forget_held(struct consumer *s, const struct pw_buffer *pwb)
{
    for (uint32_t i = 0; i < s->n_held; i++)
        if (s->held[i] == pwb) {
            memmove(s->held + i, s->held + i + 1, (s->n_held - i - 1) * sizeof(s->held[0]));
            s->n_held--;
            return;
        }
}

/* Frames are taken on the main loop, one per iteration, never in process itself: a consumer
 * slower than its producer (a software encode) that drained the queue in process would never let
 * the loop see SIGINT. (PipeWire calls process from its data thread whenever the main loop is not
 * entered; stream_run keeps it entered.) */
static void on_process(void *data)
{
    struct consumer *s = data;

    pw_loop_signal_event(pw_main_loop_get_loop(s->conn->loop), s->frame_event);
}

/* A sink with ready() (capture behind its worker) takes no buffer while it is busy: they wait in
 * PipeWire, and a producer that runs out of free buffers skips frames, as a compositor does,
 * instead of making frames only to have them thrown away. Once it is ready it gets the newest
 * frame; the older ones waiting are handed back, each counted by the sink as dropped. */
static void take_newest(struct consumer *s)
{
    struct pw_buffer *pwb, *next;

    if (!s->o->sink->ready(s->o->sink->data) || !(pwb = pw_stream_dequeue_buffer(s->stream)))
        return;
    while (!s->finished && (next = pw_stream_dequeue_buffer(s->stream))) {
        take_frame(s, pwb, now(), true);
        pw_stream_queue_buffer(s->stream, pwb);
        pwb = next;
    }
    if (!s->finished)
        take_frame(s, pwb, now(), false);
    pw_stream_queue_buffer(s->stream, pwb);
    pw_loop_signal_event(pw_main_loop_get_loop(s->conn->loop), s->frame_event);
}

void stream_wake_init(struct stream_wake *w)
{
    memset(w, 0, sizeof(*w));
    pthread_mutex_init(&w->lock, NULL);
}

void stream_wake_clear(struct stream_wake *w)
{
    pthread_mutex_destroy(&w->lock);
}

void stream_wake(struct stream_wake *w)
{
    pthread_mutex_lock(&w->lock);
    if (w->event)
        pw_loop_signal_event(w->loop, w->event);
    pthread_mutex_unlock(&w->lock);
}

static void set_wake(const struct stream_options *o, struct pw_loop *loop, struct spa_source *event)
{
    if (!o->wake)
        return;
    pthread_mutex_lock(&o->wake->lock);
    o->wake->loop = loop;
    o->wake->event = event;
    pthread_mutex_unlock(&o->wake->lock);
}

/* Frames have long been flowing and nothing else has spoken: the rest of the window would only
 * count more of them. */
static void end_when_works(struct consumer *s)
{
    const struct trace *t = &s->res->trace;
    uint64_t at = now();
    char text[160];

    if (!trace_works_conclusive(t, at, s->o->works_after_frames))
        return;
    snprintf(text, sizeof(text),
             "%u frames in %.1f s of Streaming, none dropped: works beyond doubt, the window ends",
             t->frames, (double)(at - t->start_ns - t->streaming_ns) / 1e9);
    trace_add(&s->res->trace, at, TRACE_NOTE, text, NULL);
    finish(s);
}

static void on_frame_event(void *data, uint64_t count)
{
    struct consumer *s = data;
    struct pw_buffer *pwb;

    (void)count;
    /* After the sink said stop, no frame more: the loop may serve this event again before
     * watch() sees finished. */
    if (s->closing || s->finished || !s->stream)
        return;
    if (s->o->sink && s->o->sink->ready) {
        take_newest(s);
        return;
    }
    if (!(pwb = pw_stream_dequeue_buffer(s->stream)))
        return;
    take_frame(s, pwb, now(), false);
    consume(s, pwb);
    end_when_works(s);
    if (s->finished)
        return;
    /* Another may wait: come back after the loop has served its other sources. */
    pw_loop_signal_event(pw_main_loop_get_loop(s->conn->loop), s->frame_event);
}

static const struct pw_stream_events stream_events = {
    PW_VERSION_STREAM_EVENTS,          .state_changed = on_state_changed,
    .param_changed = on_param_changed, .add_buffer = on_add_buffer,
    .remove_buffer = on_remove_buffer, .process = on_process,
};

static void on_link(void *data, uint32_t out_node, uint32_t in_node, int state, const char *error)
{
    struct consumer *s = data;

    if (!s->stream || in_node != pw_stream_get_node_id(s->stream))
        return;
    trace_link(&s->res->trace, now(), state, error);
    /* On 0.3.x a failed link is final and the stream is never told: once the daemon has said
     * why, the rest of the window would only be silence. */
    if (state == PW_LINK_STATE_ERROR && s->res->trace.state != PW_STREAM_STATE_STREAMING) {
        s->deadline_ns = SPA_MIN(s->deadline_ns, now() + LINK_ERROR_GRACE_MS * SPA_NSEC_PER_MSEC);
        connection_wake(s->conn);
    }
}

static void on_node_removed(void *data, uint32_t node_id)
{
    struct consumer *s = data;

    if (node_id != s->o->target_id)
        return;
    s->res->producer_vanished = true;
    s->res->vanished_after_error = s->res->trace.error[0] || s->res->trace.link_error[0];
    trace_add(&s->res->trace, now(), TRACE_NOTE, "the producer's node went away", NULL);
    finish(s);
}

static void on_link_removed(void *data, const struct reg_link *l)
{
    struct consumer *s = data;

    if (s->stream && !l->told && l->in_node == pw_stream_get_node_id(s->stream))
        s->res->trace.link_untold = true;
}

static const struct registry_events consumer_registry_events = {
    .link = on_link,
    .link_removed = on_link_removed,
    .node_removed = on_node_removed,
};

static struct pw_properties *stream_props(const struct offer *offer, const struct stream_options *o)
{
    struct pw_properties *props =
        offer->props_set ? pw_properties_new(NULL, NULL)
                         : pw_properties_new(PW_KEY_MEDIA_TYPE, "Video", PW_KEY_MEDIA_CATEGORY,
                                             "Capture", PW_KEY_MEDIA_ROLE, "Screen", NULL);

    if (!props)
        return NULL;
    for (uint32_t i = 0; i < offer->n_props; i++)
        pw_properties_set(props, offer->props[i].key, offer->props[i].value);
    pw_properties_setf(props, PW_KEY_NODE_NAME, "pwzc-%s", offer->name);
    if (o->target_serial)
        pw_properties_setf(props, PW_KEY_TARGET_OBJECT, "%" PRIu64, o->target_serial);
    return props;
}

/* The stream's flags as the client's connect has them; ASYNC only where libpipewire knows it. */
static enum pw_stream_flags connect_flags(const struct offer *offer)
{
    uint32_t flags = PW_STREAM_FLAG_AUTOCONNECT | offer->stream_flags;

    if (version_parse(pw_get_library_version()) < version_parse(PWZC_STREAM_FLAG_ASYNC_SINCE))
        flags &= ~(uint32_t)PWZC_STREAM_FLAG_ASYNC;
    return (enum pw_stream_flags)flags;
}

static int connect_stream(struct consumer *s)
{
    uint8_t buffer[65536];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const struct spa_pod *params[OFFER_MAX_ENUM + 8];
    struct json_object *sent = NULL;
    int n = offer_build_enum_formats(s->offer, &b, params, OFFER_MAX_ENUM), m = 0, c;
    char text[160];

    if (n < 0)
        return n;
    /* An offer that negotiates device IDs says so beside its formats (a Capability param). */
    if ((c = offer_build_capability(s->offer, &b, params + n)) < 0)
        return c;
    /* A client that sends Buffers and Meta with connect sends them once, for its first pod. */
    if (s->offer->buffers_at_connect &&
        (m = offer_build_buffer_params(s->offer,
                                       s->offer->n_enums && s->offer->enums[0].has_modifier, &b,
                                       params + n + c, 8)) < 0)
        return m;
    s->stream = pw_stream_new(s->conn->core, "pwzc", stream_props(s->offer, s->o));
    if (!s->stream)
        return -errno;
    pw_stream_add_listener(s->stream, &s->listener, &stream_events, s);
    if (s->o->record_pods) {
        sent = json_object_new_array();
        for (int i = 0; i < n + c + m; i++)
            json_object_array_add(sent, pod_to_json(params[i]));
    }
    snprintf(text, sizeof(text), "offer '%s': %d EnumFormat param%s%s%s", s->offer->name, n,
             n == 1 ? "" : "s", c ? ", a Capability param" : "",
             m ? ", with its Buffers and Meta params" : "");
    trace_add(&s->res->trace, now(), TRACE_CONNECT, text, sent);
    /* The id in connect() is the pre-0.3.64 way to target; target.object (serial) the new one. */
    return pw_stream_connect(s->stream, PW_DIRECTION_INPUT,
                             s->o->target_serial ? PW_ID_ANY : s->o->target_id,
                             connect_flags(s->offer), params, (uint32_t)(n + c + m));
}

static void watch(struct consumer *s)
{
    /* Capture runs until told: a window of ten years is "until stopped" without a special case. */
    uint64_t window_ms = s->o->until_stopped ? 315360000000ull : s->o->window_ms;

    uint64_t first_frame_by = now() + (uint64_t)s->o->first_frame_ms * 1000000ull;

    s->deadline_ns = now() + window_ms * 1000000ull;
    while (!s->finished) {
        uint64_t t = now();
        if (t >= s->deadline_ns)
            break;
        if (s->o->until_stopped && s->o->first_frame_ms && s->res->trace.frames == 0 &&
            t >= first_frame_by)
            break;
        /* A producer that stops sending must not keep a --duration capture open for ever. */
        if (s->o->stop_at_ns && *s->o->stop_at_ns && t >= *s->o->stop_at_ns)
            break;
        /* Wake at least every 100 ms: the first-frame deadline is checked here, not by a timer. */
        if (connection_run(s->conn,
                           (uint32_t)SPA_MIN((s->deadline_ns - t) / 1000000ull + 1, 100ull)) < 0 &&
            (s->conn->lost || s->conn->interrupted || s->conn->cancelled))
            break;
    }
}

int stream_parse_hold(const char *value, uint32_t *hold, struct pwzc_error *err)
{
    return pwzc_parse_u32_option("--hold", value, STREAM_MAX_HOLD, "a number of buffers", hold,
                                 err);
}

int stream_parse_frame_delay(const char *value, uint32_t *delay_ms, struct pwzc_error *err)
{
    return pwzc_parse_u32_option("--frame-delay", value, 10000, "milliseconds", delay_ms, err);
}

static int run_entered(struct connection *c, struct registry *reg, const struct offer *offer,
                       const struct stream_options *o, struct stream_result *res)
{
    struct consumer s = {.conn = c, .offer = offer, .o = o, .res = res};
    struct pw_loop *loop = pw_main_loop_get_loop(c->loop);
    int r;

    memset(res, 0, sizeof(*res));
    res->data_type = SPA_ID_INVALID;
    res->import_fd = -1;
    trace_init(&res->trace, now());
    res->trace.links_visible = reg->saw_link_factory || reg->n_links_seen > 0;
    res->trace.consumer_holds = SPA_MIN(o->hold_buffers, (uint32_t)STREAM_MAX_HOLD);
    res->trace.consumer_delay_ms = o->frame_delay_ms;
    s.fixate_timer = pw_loop_add_timer(loop, on_fixate_timer, &s);
    s.frame_event = pw_loop_add_event(loop, on_frame_event, &s);
    s.own_pause_timer = pw_loop_add_timer(loop, on_own_pause_timer, &s);
    set_wake(o, loop, s.frame_event);
    registry_set_events(reg, &consumer_registry_events, &s);
    if ((r = connect_stream(&s)) < 0)
        trace_add(&res->trace, now(), TRACE_NOTE, spa_strerror(r), NULL);
    else
        watch(&s);
    trace_end(&res->trace, now());
    if (c->cancelled)
        trace_add(&res->trace, now(), TRACE_NOTE, c->cancel_reason, NULL);
    /* While still linked: what the producer asked of the buffers (explicit sync or not). */
    if (res->format && !c->lost && !res->producer_vanished)
        res->producer_buffers = registry_port_params(reg, o->target_id, SPA_PARAM_Buffers, 300);
    registry_set_events(reg, NULL, NULL);
    pw_loop_destroy_source(loop, s.fixate_timer);
    pw_loop_destroy_source(loop, s.own_pause_timer);
    if (s.stream) {
        s.closing = true;
        /* Off the data loop first, so that nothing more is queued here for the stream; what was
         * queued runs now (an invoke on one's own loop flushes its queue), while it exists. */
        pw_stream_disconnect(s.stream);
        pw_loop_invoke(loop, NULL, 0, NULL, 0, true, NULL);
        pw_stream_destroy(s.stream);
        for (size_t i = 0; i < SPA_N_ELEMENTS(s.mappings); i++)
            unmap(&s, s.mappings[i]);
    }
    set_wake(o, NULL, NULL);
    pw_loop_destroy_source(loop, s.frame_event); /* no process call is left to signal it */
    /* Let the daemon tear the link down before the next offer reuses the producer. */
    connection_roundtrip(c, 1000);
    return c->lost ? -EPIPE : c->interrupted ? -EINTR : c->cancelled ? -ECANCELED : 0;
}

/* The loop stays entered for the stream's whole life. While it is not, libpipewire's data thread
 * takes it for a loop without a thread and runs process itself (see on_process), walking the
 * stream's listeners as this thread walks them to tell it anything else: the two walks broke the
 * list, and 0.3.65's pw_stream_destroy looped over it for ever (once in about a hundred client
 * replays, against the kwin profile). Entered, the loop is this thread's, and the data thread
 * queues process here. */
int stream_run(struct connection *c, struct registry *reg, const struct offer *offer,
               const struct stream_options *o, struct stream_result *res)
{
    struct pw_loop *loop = pw_main_loop_get_loop(c->loop);
    int r;

    pw_loop_enter(loop);
    r = run_entered(c, reg, offer, o, res);
    pw_loop_leave(loop);
    return r;
}

bool stream_fixation_lost(const struct stream_result *res)
{
    return res->fixated && res->modifier_open && res->n_buffers == 0 && res->trace.frames == 0;
}

bool stream_fixated_in_vain(const struct stream_result *res)
{
    return res->fixated && res->trace.frames == 0;
}

void stream_result_clear(struct stream_result *res)
{
    if (res->import_fd >= 0)
        close(res->import_fd);
    res->import_fd = -1;
    trace_clear(&res->trace);
    json_object_put(res->producer_buffers);
    res->producer_buffers = NULL;
    json_object_put(res->format);
    res->format = NULL;
}

static struct json_object *stamps_json(const struct stream_result *r)
{
    struct json_object *obj = json_object_new_object();

    json_object_object_add(obj, "frames", json_object_new_int64(r->stamped_frames));
    json_object_object_add(obj, "first_seq", json_object_new_int64(r->seq_first));
    json_object_object_add(obj, "last_seq", json_object_new_int64(r->seq_last));
    json_object_object_add(obj, "lost", json_object_new_int64(r->seq_gaps));
    json_object_object_add(obj, "latency_avg_ms",
                           json_object_new_double(r->stamped_frames ? (double)r->latency_sum_ns /
                                                                          r->stamped_frames / 1e6
                                                                    : 0));
    json_object_object_add(obj, "latency_max_ms",
                           json_object_new_double((double)r->latency_max_ns / 1e6));
    return obj;
}

struct json_object *stream_drops_json(const struct stream_result *r)
{
    struct json_object *obj = json_object_new_object();

    /* Empty and cursor-only chunks are how damage-driven producers say "nothing new", and a
     * frame a client's clock held was sound: no drop. */
    for (int i = FRAME_OK + 1; i < FRAME_DROP_REASONS; i++)
        if (frame_fate_is_drop(i))
            json_object_object_add(obj, frame_drop_name(i),
                                   json_object_new_int((int)r->trace.fates[i]));
    return obj;
}

/* Does one of the producer's Buffers params ask for SyncTimeline (metaType)? */
static int buffers_with_sync(struct json_object *params, int *total)
{
    int with = 0;

    *total = params ? (int)json_object_array_length(params) : 0;
    for (int i = 0; i < *total; i++) {
        struct json_object *pod =
            json_object_object_get(json_object_array_get_idx(params, i), "pod");
        struct json_object *props = json_object_object_get(pod, "props"), *meta;
        /* The pod's JSON names keys as PipeWire does; a 0.3 build only knows the number. */
        if (json_object_object_get_ex(props, "metaType", &meta) ||
            json_object_object_get_ex(props, "key-7", &meta))
            with++;
    }
    return with;
}

const char *stream_sync_asked(const struct stream_result *r)
{
    int total, with = buffers_with_sync(r->producer_buffers, &total);

    return !r->producer_buffers ? "unknown"
           : with == 0          ? "none"
           : with == total      ? "required"
                                : "offered";
}

/* What becomes of explicit sync's points. Waiting on them means importing the syncobjs into a
 * DRM device; pwzc's offers take no SyncTimeline, and a taken one is never waited on yet. */
const char *stream_sync_points(const struct stream_result *r)
{
    const char *asked = stream_sync_asked(r);

    if (strcmp(asked, "offered") && strcmp(asked, "required"))
        return "none-asked";
    if (!r->sync_timeline)
        return "not-taken";
    return access("/dev/dri", F_OK) < 0 ? "no-drm-device" : "not-waited";
}

/* Explicit sync as the stream saw it: what the producer asked, what the link took, and what
 * becomes of the points. */
struct json_object *stream_sync_json(const struct stream_result *r)
{
    struct json_object *obj = json_object_new_object();

    json_object_object_add(obj, "producer", json_object_new_string(stream_sync_asked(r)));
    json_object_object_add(obj, "taken", json_object_new_boolean(r->sync_timeline));
    json_object_object_add(obj, "syncobj_datas", json_object_new_int((int)r->syncobj_datas));
    json_object_object_add(obj, "points", json_object_new_string(stream_sync_points(r)));
    return obj;
}

struct json_object *stream_result_json(const struct stream_result *r, bool timeline)
{
    struct json_object *obj = json_object_new_object();
    char hex[32], name[160];

    json_object_object_add(obj, "format", json_object_get(r->format));
    json_object_object_add(obj, "data_type",
                           r->data_type == SPA_ID_INVALID
                               ? NULL
                               : json_object_new_string(data_type_name(r->data_type)));
    json_object_object_add(obj, "fd_kind",
                           r->fd_kind[0] ? json_object_new_string(r->fd_kind) : NULL);
    json_object_object_add(obj, "buffers", json_object_new_int((int)r->n_buffers));
    if (r->fixated) {
        struct json_object *f = json_object_new_object();
        snprintf(hex, sizeof(hex), "0x%016" PRIx64, r->fixated_modifier);
        modifier_name(r->fixated_modifier, name, sizeof(name));
        json_object_object_add(f, "value", json_object_new_string(hex));
        json_object_object_add(f, "name", json_object_new_string(name));
        json_object_object_add(obj, "fixated_modifier", f);
    } else
        json_object_object_add(obj, "fixated_modifier", NULL);
    json_object_object_add(obj, "dropped", stream_drops_json(r));
    json_object_object_add(obj, "fates", trace_fates_json(&r->trace));
    json_object_object_add(obj, "stamps", r->stamped_frames ? stamps_json(r) : NULL);
    json_object_object_add(obj, "producer_vanished", json_object_new_boolean(r->producer_vanished));
    json_object_object_add(obj, "explicit_sync", stream_sync_json(r));
    if (timeline)
        json_object_object_add(obj, "timeline", trace_to_json(&r->trace));
    return obj;
}
