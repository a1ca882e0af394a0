/* The capture pipeline capture and bench share: frames from a stream, converted on the CPU or
 * the GPU, encoded, written; every stage timed. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "encode.h"
#include "metrics.h"
#include "output.h"
#include "mux.h"
#include "session.h"
#include "stream.h"

enum capture_path { PATH_AUTO, PATH_ZEROCOPY, PATH_SHM_CUDA, PATH_SHM_CPU };

struct capture_options {
    enum capture_path path;
    enum encoder_kind encoder; /* ENCODER_NONE: no encoding (bench) */
    bool copy_only;            /* bench: copy each frame out, no conversion, no encoding */
    uint32_t bitrate;          /* bit/s */
    uint32_t frames;           /* stop after this many frames (0: no limit) */
    uint32_t duration_ms;      /* stop after this long (0: no limit) */
    uint32_t first_frame_ms;   /* no frame by then: stop and give probe's verdict */
    uint32_t warmup_ms;        /* samples before this are not kept (bench) */
    uint32_t reconnect_ms;     /* the daemon went away: wait this long for it (0: stop) */
    struct output *out;        /* the Annex-B stream goes here; NULL: counted, not written */
    const char *out_name;      /* for messages */
    const struct pwzc_options *opts;
    void (*tick)(void *data); /* called about every 200 ms while frames flow (bench: NVML) */
    void *tick_data;
    /* Raw Annex-B to out, or the same H.264 muxed into MP4 or Matroska there. */
    enum mux_container container;
};

enum capture_stop {
    STOP_NONE,
    STOP_FRAMES,    /* --frames reached */
    STOP_DURATION,  /* --duration reached */
    STOP_SIGNAL,    /* SIGINT/SIGTERM: a normal way to end a capture */
    STOP_NO_FRAMES, /* nothing came within the first-frame timeout */
    STOP_PRODUCER,  /* the producer's node went away */
    STOP_CLOSED,    /* the compositor closed the session */
    STOP_DAEMON,    /* the PipeWire daemon went away */
    STOP_OUTPUT,    /* the output could not be written (disk full, closed pipe) */
    STOP_ENCODER,   /* the encoder failed */
};

struct capture_stats {
    uint64_t frames;  /* frames taken from the stream */
    uint64_t encoded; /* frames out of the encoder */
    uint64_t bytes;
    uint32_t reconfigurations; /* size changes mid-stream (each restarts with an IDR) */
    uint32_t width, height;    /* the encoded size, last */
    char path[16], path_why[600];
    char encoder[16], encoder_why[512];
    struct samples interval, dequeue, copy, upload, convert, encode, latency;
    struct samples frame_times; /* ns since the start, of each measured frame (for plots) */
    uint64_t start_ns, first_frame_ns, end_ns, measured_from_ns;
    uint64_t cpu_ns; /* user + system over the measured part */
    uint64_t measured_frames;
    /* Encoding ran on a worker behind a queue this deep (0: on the loop, no queue); frames
     * that came while it was full were dropped. */
    uint32_t queue_depth;
    uint64_t queue_dropped;
    enum capture_stop stopped_by;
    int output_error;              /* negative errno */
    struct stream_result stream;   /* of the last connection */
    struct verdict_result verdict; /* what probe would say, when no frame came */
    uint32_t reconnects;           /* times the daemon went away and came back (--reconnect) */
    uint64_t reconnect_gap_ns;     /* the longest time without a stream because of it */
    enum mux_container container;
    /* The container's timestamps are the producer's (Header meta pts), not arrival times. */
    bool producer_times;
};

/* Runs until a stop condition; fills st. Returns 0, or a negative errno with err set (the
 * output failed, no frame came, the producer or session went away). */
int capture_run(struct session *s, const struct capture_options *o, struct capture_stats *st,
                struct pwzc_error *err);
void capture_stats_clear(struct capture_stats *st);
struct json_object *capture_stats_json(const struct capture_stats *st);
/* {"depth", "dropped"}, or NULL when no queue ran (the schemas' capture_queue). */
struct json_object *capture_queue_json(const struct capture_stats *st);
const char *capture_path_name(enum capture_path path);
int capture_path_parse(const char *text, enum capture_path *path);
