/* One consumer stream: make an offer to a producer, answer the negotiation, watch what happens. */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "connection.h"
#include "frame.h"
#include "offers.h"
#include "registry.h"
#include "trace.h"

/* Where frames go when a command wants them (capture, bench); probe and negotiate only count. */
struct stream_sink {
    /* A Format was agreed (again: a size change mid-stream comes here too). */
    void (*format)(void *data, const struct frame_format *fmt);
    /* A checked frame. A negative return ends the stream (the sink has what it wanted). A sink
     * that could not use it (a DMA-BUF the GPU would not import) sets *fate, so that the buffer
     * is counted as that, not as a frame. */
    int (*frame)(void *data, const struct frame *f, enum frame_drop *fate);
    /* A buffer is about to go (a renegotiation, the end of the stream): its mapping (ptr, size;
     * NULL where there is none) and its fd (-1 where there is none). The next buffer may get the
     * same address or fd number, so a sink that keyed something on them (CUDA's registered pages,
     * imported DMA-BUFs) forgets it here. May be NULL. */
    void (*buffer_gone)(void *data, const void *ptr, size_t size, int fd);
    /* Optional (NULL: always). False while the sink can take no frame (capture's queue is
     * full): the buffers wait in PipeWire, unread, until the sink calls stream_wake. Then the
     * newest is the frame, and the ones before it come as superseded (see struct frame). */
    bool (*ready)(void *data);
    void *data;
};

/* How a sink's other thread (capture's worker) has the loop look for buffers again after ready()
 * said no. stream_run fills it while it runs; stream_wake does nothing outside that. */
struct stream_wake {
    pthread_mutex_t lock;
    struct pw_loop *loop;
    struct spa_source *event;
};
void stream_wake_init(struct stream_wake *w);
void stream_wake_clear(struct stream_wake *w);
/* From any thread. */
void stream_wake(struct stream_wake *w);

/* The most buffers a consumer here keeps (--hold). */
#define STREAM_MAX_HOLD 32

/* fixate_grace_ms for a consumer that never picks a modifier itself (every real client). */
#define STREAM_NEVER_FIXATE UINT32_MAX

struct stream_options {
    uint32_t target_id;
    uint64_t target_serial;   /* preferred for target.object; 0: use the id */
    uint32_t window_ms;       /* how long to watch the stream */
    uint32_t fixate_grace_ms; /* how long the producer may take to fixate a modifier itself */
    /* End the window once `works` is beyond doubt after this many frames (trace.h); 0: watch
     * the whole window. */
    uint32_t works_after_frames;
    bool record_pods;           /* keep every pod in the timeline (negotiate) */
    bool until_stopped;         /* no window: until the sink says stop, a signal, or a loss */
    uint32_t first_frame_ms;    /* with until_stopped: give up when no frame came by then */
    const uint64_t *stop_at_ns; /* with until_stopped: the sink may set a time to stop at */
    /* The consumer's own behaviour, as real clients have it: a client that keeps the last
     * hold_buffers frames (a renderer's queue: Chromium's against xdpw 0.8.3's pool of 2), and
     * one that takes frame_delay_ms for each frame (a slow encoder). 0: neither. */
    uint32_t hold_buffers;
    uint32_t frame_delay_ms;
    const struct stream_sink *sink;
    struct stream_wake *wake; /* for a sink with ready() */
};

/* What one offer came to. */
struct stream_result {
    struct trace trace;
    struct json_object *format; /* summary of the last Format agreed, or NULL */
    bool format_has_modifier;
    uint32_t data_type; /* SPA_DATA_* of the buffers, or SPA_ID_INVALID */
    char fd_kind[32];   /* what the buffer fds really are: memfd, dmabuf, ... */
    bool fixated;       /* we picked the modifier the producer left open */
    uint64_t fixated_modifier;
    uint32_t n_buffers;

    /* From the emulator's stamps, when the producer is the emulator. */
    uint32_t stamped_frames;
    uint32_t seq_first, seq_last;
    uint32_t seq_gaps; /* frames the producer made that never reached us */
    uint64_t latency_sum_ns, latency_max_ns;
    struct frame_format frame_format; /* of the last Format */
    /* The first DMA-BUF frame's plane, kept (a dup of its fd) for an import test afterwards. */
    int import_fd;
    uint64_t import_offset;
    uint32_t import_stride;
    bool producer_vanished;
    /* It went away after the stream had its error: it died of that error (xdpw on 1.x), and a
     * client's fallback for the error still applies, in a session of its own. */
    bool vanished_after_error;
    bool modifier_open; /* the last Format still held a modifier choice (nobody fixated it) */
    /* Explicit sync: the buffers came with a SyncTimeline meta and syncobj datas (the link took
     * it), and the producer's own Buffers params, read while linked (NULL: not readable). */
    bool sync_timeline;
    uint32_t syncobj_datas;
    struct json_object *producer_buffers;
};

/* --hold N (0..STREAM_MAX_HOLD) and --frame-delay MS, as negotiate and probe take them: 0, or
 * a negative errno with the usage error filled. */
int stream_parse_hold(const char *value, uint32_t *hold, struct pwzc_error *err);
int stream_parse_frame_delay(const char *value, uint32_t *delay_ms, struct pwzc_error *err);

int stream_run(struct connection *c, struct registry *reg, const struct offer *offer,
               const struct stream_options *o, struct stream_result *res);
void stream_result_clear(struct stream_result *res);
/* We fixated the modifier the producer left open, yet the link kept the open Format and made no
 * buffer: seen with PipeWire 0.3.65 when other links negotiated at the same moment (six at once:
 * about one in three); alone, the same offer streams. The offer is worth running again. */
bool stream_fixation_lost(const struct stream_result *res);
/* We fixated the modifier and no frame came, whatever the Format became: with links negotiating
 * at once on 0.3.65 this also ended as no-frames with buffers made (seen in CI, against the
 * gnome-dmabuf emulator); probe --jobs runs such an offer again, alone. */
bool stream_fixated_in_vain(const struct stream_result *res);

/* The buffers that were dropped, by reason (not the idle ones, empty and cursor-only, nor the
 * frames a client's clock held). */
struct json_object *stream_drops_json(const struct stream_result *r);
/* The result as JSON: negotiated format, buffer type, counts; with the timeline if asked. */
struct json_object *stream_result_json(const struct stream_result *res, bool timeline);

/* Explicit sync: what the producer's Buffers params ask ("none", "offered", "required",
 * "unknown") and what becomes of the points (the schema's explicit_sync.points). */
const char *stream_sync_asked(const struct stream_result *r);
const char *stream_sync_points(const struct stream_result *r);
/* {producer, taken, syncobj_datas, points}: the schema's explicit_sync. */
struct json_object *stream_sync_json(const struct stream_result *r);
