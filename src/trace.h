/* The timeline of one stream's negotiation, and the verdict drawn from it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "frame.h"

/* Stream states, numbered as enum pw_stream_state numbers them. */
enum trace_state {
    TRACE_STATE_ERROR = -1,
    TRACE_STATE_UNCONNECTED = 0,
    TRACE_STATE_CONNECTING = 1,
    TRACE_STATE_PAUSED = 2,
    TRACE_STATE_STREAMING = 3,
};

enum trace_kind {
    TRACE_CONNECT,     /* the offer went out */
    TRACE_STATE,       /* the stream changed state */
    TRACE_PARAM,       /* param_changed from the daemon */
    TRACE_SENT,        /* update_params: what we answered */
    TRACE_FIXATE,      /* we picked the modifier the producer left open */
    TRACE_BUFFER,      /* add_buffer */
    TRACE_FIRST_FRAME, /* the first buffer with data */
    TRACE_LINK,        /* the daemon's link between producer and us changed state */
    TRACE_NOTE,        /* anything else worth a line: timeouts, the producer vanishing */
};

struct trace_event {
    uint64_t t_ns; /* since the offer went out */
    enum trace_kind kind;
    int from, to;               /* TRACE_STATE, TRACE_LINK */
    uint32_t param_id;          /* TRACE_PARAM: SPA_PARAM_* */
    bool cleared;               /* TRACE_PARAM with a NULL pod: the daemon took the param away */
    char *text;                 /* an error, a note, a summary line */
    struct json_object *detail; /* the pod(s), the buffer, ... (owned) */
};

enum verdict {
    VERDICT_WORKS,
    VERDICT_SILENT_STALL,
    VERDICT_RENEGOTIATION_LOOP,
    VERDICT_FLAPPING,
    VERDICT_ERROR,
    VERDICT_NO_FRAMES, /* Streaming, but the producer sent nothing (damage-driven and idle) */
    VERDICT_SKIPPED,   /* not tried: it cannot be built on this machine */
    VERDICT_STALLED,   /* frames came, then stopped for good: the picture froze */
};

/* Thresholds, measured against what real Mutter and xdpw do (see the man page). */
#define TRACE_LOOP_MIN_FORMATS 4 /* a healthy stream sees 1-3 Format events (1.4: 3) */
#define TRACE_FLAP_MIN_DROPS   2 /* one drop can be an honest resize; two is a pattern */
/* A drop this soon after the last one, with no frame between, is that renegotiation settling. */
#define TRACE_SETTLE_NS        250000000ull
#define TRACE_STALL_MIN_NS     1000000000ull /* a second without a frame is a visible freeze */
#define TRACE_MAX_PAUSES       16
/* A loop beyond doubt: this many Format events, and this long, without a frame. The emulator's
 * loop gives about 200 a second; each one answered is a message the daemon has yet to read, so
 * watching it to the window's end only grows a backlog (59 MB in an ASan build, minutes long). */
#define TRACE_LOOP_CONCLUSIVE_FORMATS 64
#define TRACE_LOOP_CONCLUSIVE_NS      1000000000ull
/* Works beyond doubt: enough frames (the caller's number) and this long in Streaming, with
 * nothing else said. The time is what keeps the other verdicts: the flapping reported in the
 * wild drops from Streaming within a second (the flapping profile's first drop: 0.8 s), and one
 * drop is enough to keep watching. */
#define TRACE_WORKS_CONCLUSIVE_NS 1500000000ull

/* One Streaming -> Paused drop: the frames before it, and when it began and ended. */
struct trace_pause {
    uint32_t frames_before;
    uint64_t start_ns, end_ns; /* end_ns 0: still Paused */
};

struct trace {
    uint64_t start_ns;
    struct trace_event *events;
    size_t n_events, cap;

    /* Counted as events arrive, so the verdict reads counters, not the whole timeline. */
    uint32_t param_changed;
    uint32_t format_changes; /* Format set (not cleared) */
    uint32_t format_cleared;
    bool format_unfixated; /* the last Format set still held a choice (a DONT_FIXATE modifier) */
    uint32_t streaming_entries;
    uint32_t streaming_drops; /* Streaming -> Paused */
    uint32_t buffers;         /* add_buffer calls */
    uint32_t frames;
    /* Every buffer that arrived, by what became of it (fates[FRAME_OK] == frames). */
    uint32_t arrived;
    uint32_t fates[FRAME_DROP_REASONS];
    struct trace_pause pauses[TRACE_MAX_PAUSES]; /* the first drops from Streaming */
    uint32_t n_pauses;
    uint64_t first_frame_ns;                /* 0: none */
    uint64_t last_frame_ns, longest_gap_ns; /* the longest time between two frames */
    uint64_t streaming_ns;                  /* first time Streaming was reached; 0: never */
    int state;
    char error[256];      /* the stream's own error */
    char link_error[256]; /* the daemon's link error, when the registry shows it */
    bool links_visible;   /* false through a portal fd: then link_error cannot be known */
    /* A link to this stream was destroyed before its state reached us (the session manager
     * removes a failed link at once, and can win the race with our bind). */
    bool link_untold;
    /* How long the stream went without a frame at the end of the watch (trace_end). */
    uint64_t tail_gap_ns;
    /* The consumer's own behaviour (negotiate/probe --hold, --frame-delay), for the reason. */
    uint32_t consumer_holds, consumer_delay_ms;
    /* The consumer paused its own stream (a client that does so once it streams: pipewiresrc):
     * that drop from Streaming is not the producer's, and is counted apart. */
    bool own_pause;
    uint32_t own_pauses;
};

void trace_init(struct trace *t, uint64_t start_ns);
void trace_clear(struct trace *t);

/* Each takes a timestamp in CLOCK_MONOTONIC ns; `detail` is taken over (may be NULL). */
void trace_state(struct trace *t, uint64_t now_ns, int from, int to, const char *error);
void trace_param(struct trace *t, uint64_t now_ns, uint32_t id, bool cleared,
                 struct json_object *detail);
void trace_format_unfixated(struct trace *t, bool unfixated);
/* Whether the renegotiation loop is beyond doubt (the thresholds above): the offer can end. */
bool trace_loop_conclusive(const struct trace *t, uint64_t now_ns);
/* Whether `works` is beyond doubt (min_frames frames, the time above, no buffer dropped, no
 * Streaming drop, error, freeze or held buffer, a healthy number of Formats): the offer can end. */
bool trace_works_conclusive(const struct trace *t, uint64_t now_ns, uint32_t min_frames);
void trace_add(struct trace *t, uint64_t now_ns, enum trace_kind kind, const char *text,
               struct json_object *detail);
void trace_link(struct trace *t, uint64_t now_ns, int link_state, const char *error);
/* The watch is over: frames that stopped before its end are a freeze, not an honest pause. */
void trace_end(struct trace *t, uint64_t now_ns);
/* A buffer arrived and this became of it (FRAME_OK: a frame). */
void trace_fate(struct trace *t, uint64_t now_ns, enum frame_drop fate);
/* {"arrived": N, "frame": N, "empty": N, ...}: the schema's buffer_fates. */
struct json_object *trace_fates_json(const struct trace *t);

struct verdict_result {
    enum verdict verdict;
    char reason[768];
};

/* What the producer offered, as far as the verdict's explanation needs it. */
struct producer_shape {
    bool known;
    bool plain_format;       /* some EnumFormat without a modifier property */
    bool modifier_format;    /* some EnumFormat with one */
    bool modifier_mandatory; /* every modifier property is MANDATORY */
};

/* Judges from what the stream did, never from names: the same events get the same verdict. */
void trace_verdict(const struct trace *t, bool offer_has_modifier, bool offer_has_plain,
                   const struct producer_shape *producer, struct verdict_result *out);

/* What a link or stream error text means, in the words verdicts use, from the two sides' shapes
 * (the offer's: has it a modifier format, a plain one); NULL when the text is not one pwzc knows.
 */
const char *trace_error_cause(const char *error, bool format_unfixated, bool offer_modifier,
                              bool offer_plain, const struct producer_shape *p);
/* The sentence a stream that reached Streaming with no buffer gets. */
#define TRACE_NO_BUFFER_CAUSE                                                                      \
    "the producer sends frames on damage only (something must redraw) or has stalled"

const char *verdict_name(enum verdict v);
const char *trace_state_name(int state);
struct json_object *trace_to_json(const struct trace *t);
