/* Timelines and verdicts: the rules that turn what a stream did into one word and one sentence. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spa/param/param.h>

#include "pod.h"
#include "trace.h"

void trace_init(struct trace *t, uint64_t start_ns)
{
    memset(t, 0, sizeof(*t));
    t->start_ns = start_ns;
    t->links_visible = true;
}

void trace_clear(struct trace *t)
{
    for (size_t i = 0; i < t->n_events; i++) {
        free(t->events[i].text);
        json_object_put(t->events[i].detail);
    }
    free(t->events);
    memset(t, 0, sizeof(*t));
}

static struct trace_event *push(struct trace *t, uint64_t now_ns, enum trace_kind kind,
                                const char *text, struct json_object *detail)
{
    struct trace_event *e;

    if (t->n_events == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        struct trace_event *events = realloc(t->events, cap * sizeof(*events));
        if (!events) {
            json_object_put(detail);
            return NULL;
        }
        t->events = events;
        t->cap = cap;
    }
    e = &t->events[t->n_events++];
    memset(e, 0, sizeof(*e));
    e->t_ns = now_ns > t->start_ns ? now_ns - t->start_ns : 0;
    e->kind = kind;
    e->text = text ? strdup(text) : NULL;
    e->detail = detail;
    return e;
}

void trace_add(struct trace *t, uint64_t now_ns, enum trace_kind kind, const char *text,
               struct json_object *detail)
{
    push(t, now_ns, kind, text, detail);
    if (kind == TRACE_BUFFER)
        t->buffers++;
}

/* A drop from Streaming. A busy daemon can take the link through Paused twice for one
 * renegotiation (six links negotiating at once on 0.3.65: a resize dropped twice in 23 ms, no
 * frame between): that is one drop, still settling, not a producer that flaps. */
static void drop(struct trace *t, uint64_t now_ns)
{
    struct trace_pause *last = t->n_pauses ? &t->pauses[t->n_pauses - 1] : NULL;

    if (last && last->frames_before == t->frames && now_ns - last->start_ns < TRACE_SETTLE_NS) {
        last->end_ns = 0;
        return;
    }
    t->streaming_drops++;
    if (t->n_pauses < TRACE_MAX_PAUSES)
        t->pauses[t->n_pauses++] =
            (struct trace_pause){.frames_before = t->frames, .start_ns = now_ns};
}

void trace_state(struct trace *t, uint64_t now_ns, int from, int to, const char *error)
{
    struct trace_event *e = push(t, now_ns, TRACE_STATE, error, NULL);

    if (e) {
        e->from = from;
        e->to = to;
    }
    if (to == TRACE_STATE_STREAMING) {
        t->streaming_entries++;
        t->own_pause = false;
        if (!t->streaming_ns)
            t->streaming_ns = now_ns - t->start_ns;
    }
    if (to == TRACE_STATE_STREAMING && t->n_pauses && !t->pauses[t->n_pauses - 1].end_ns)
        t->pauses[t->n_pauses - 1].end_ns = now_ns;
    if (from == TRACE_STATE_STREAMING && to == TRACE_STATE_PAUSED && t->own_pause) {
        t->own_pauses++;
    } else if (from == TRACE_STATE_STREAMING && to == TRACE_STATE_PAUSED) {
        drop(t, now_ns);
    }
    if (to == TRACE_STATE_ERROR && error && !t->error[0])
        snprintf(t->error, sizeof(t->error), "%s", error);
    t->state = to;
}

void trace_param(struct trace *t, uint64_t now_ns, uint32_t id, bool cleared,
                 struct json_object *detail)
{
    struct trace_event *e = push(t, now_ns, TRACE_PARAM, NULL, detail);

    if (e) {
        e->param_id = id;
        e->cleared = cleared;
    }
    t->param_changed++;
    /* 1.x sends Props and Latency too, and clears Format before an error: count Formats set. */
    if (id == SPA_PARAM_Format && cleared)
        t->format_cleared++;
    else if (id == SPA_PARAM_Format)
        t->format_changes++;
}

bool trace_loop_conclusive(const struct trace *t, uint64_t now_ns)
{
    return t->frames == 0 && t->format_changes >= TRACE_LOOP_CONCLUSIVE_FORMATS &&
           now_ns >= t->start_ns + TRACE_LOOP_CONCLUSIVE_NS;
}

/* Every buffer a frame, nothing new (a damage-driven producer's) or held by the client's own
 * clock: none dropped. */
static bool nothing_dropped(const struct trace *t)
{
    for (int f = FRAME_OK + 1; f < FRAME_DROP_REASONS; f++)
        if (t->fates[f] && frame_fate_is_drop((enum frame_drop)f))
            return false;
    return true;
}

bool trace_works_conclusive(const struct trace *t, uint64_t now_ns, uint32_t min_frames)
{
    return min_frames && t->frames >= min_frames && nothing_dropped(t) &&
           t->state == TRACE_STATE_STREAMING && !t->error[0] && !t->link_error[0] &&
           !t->streaming_drops && t->longest_gap_ns < TRACE_STALL_MIN_NS &&
           t->format_changes < TRACE_LOOP_MIN_FORMATS && !t->consumer_holds &&
           !t->consumer_delay_ms &&
           now_ns >= t->start_ns + t->streaming_ns + TRACE_WORKS_CONCLUSIVE_NS;
}

void trace_format_unfixated(struct trace *t, bool unfixated)
{
    t->format_unfixated = unfixated;
}

void trace_link(struct trace *t, uint64_t now_ns, int link_state, const char *error)
{
    struct trace_event *e = push(t, now_ns, TRACE_LINK, error, NULL);

    if (e)
        e->to = link_state;
    if (error && *error)
        snprintf(t->link_error, sizeof(t->link_error), "%s", error);
}

static void trace_frame(struct trace *t, uint64_t now_ns)
{
    if (t->frames > 0 && now_ns - t->last_frame_ns > t->longest_gap_ns)
        t->longest_gap_ns = now_ns - t->last_frame_ns;
    t->last_frame_ns = now_ns;
    if (t->frames++ == 0) {
        t->first_frame_ns = now_ns - t->start_ns;
        push(t, now_ns, TRACE_FIRST_FRAME, NULL, NULL);
    }
}

void trace_end(struct trace *t, uint64_t now_ns)
{
    t->tail_gap_ns = t->frames && now_ns > t->last_frame_ns ? now_ns - t->last_frame_ns : 0;
}

void trace_fate(struct trace *t, uint64_t now_ns, enum frame_drop fate)
{
    if ((unsigned)fate >= FRAME_DROP_REASONS)
        return;
    t->arrived++;
    t->fates[fate]++;
    if (fate == FRAME_OK)
        trace_frame(t, now_ns);
}

struct json_object *trace_fates_json(const struct trace *t)
{
    struct json_object *obj = json_object_new_object();

    json_object_object_add(obj, "arrived", json_object_new_int64(t->arrived));
    json_object_object_add(obj, "frame", json_object_new_int64(t->fates[FRAME_OK]));
    for (int i = FRAME_OK + 1; i < FRAME_DROP_REASONS; i++)
        json_object_object_add(obj, frame_drop_name(i), json_object_new_int64(t->fates[i]));
    return obj;
}

const char *verdict_name(enum verdict v)
{
    static const char *const names[] = {
        [VERDICT_WORKS] = "works",
        [VERDICT_SILENT_STALL] = "silent-stall",
        [VERDICT_RENEGOTIATION_LOOP] = "renegotiation-loop",
        [VERDICT_FLAPPING] = "flapping",
        [VERDICT_ERROR] = "error",
        [VERDICT_NO_FRAMES] = "no-frames",
        [VERDICT_SKIPPED] = "skipped",
        [VERDICT_STALLED] = "stalled",
    };
    return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : "unknown";
}

const char *trace_state_name(int state)
{
    switch (state) {
    case TRACE_STATE_ERROR:
        return "error";
    case TRACE_STATE_UNCONNECTED:
        return "unconnected";
    case TRACE_STATE_CONNECTING:
        return "connecting";
    case TRACE_STATE_PAUSED:
        return "paused";
    case TRACE_STATE_STREAMING:
        return "streaming";
    }
    return "unknown";
}

/* Why two sides found no common format, from their shapes: the classic cases get named. */
static const char *no_format_cause(bool offer_modifier, bool offer_plain,
                                   const struct producer_shape *p)
{
    if (!p || !p->known)
        return "the producer and the offer share no format (compare their EnumFormats)";
    if (offer_modifier && !offer_plain && !p->modifier_format)
        return "the offer has only DMA-BUF formats with a modifier and the producer has no "
               "modifier property (SHM only): offer a fallback EnumFormat without modifier";
    if (!offer_modifier && p->modifier_format && !p->plain_format && p->modifier_mandatory)
        return "the producer marks its modifier MANDATORY and offers no format without one; "
               "this offer has no modifier property, so every format is filtered out";
    if (offer_modifier && p->modifier_format)
        return "the offer's modifiers and the producer's have nothing in common";
    return "the producer and the offer share no format, size or framerate";
}

static const char *alloc_cause_of(const char *said, bool format_unfixated)
{
    /* The daemon says the same for both causes, and the trace holds neither side's Buffers param.
     * Seen with the kwin profile's 2..4 buffers against pipewiresrc 1.4's 8 or more: 1.4.2 links
     * them, 1.6.9 fails 'error alloc buffers' though both sides have MemFd. */
    if (strstr(said, "alloc buffers"))
        return "the producer and the offer share no buffer data type (MemFd, MemPtr, DmaBuf), or "
               "from PipeWire 1.6 no buffer count (their buffers ranges do not overlap)";
    if (strstr(said, "Buffer allocation failed") && format_unfixated)
        return "the Format kept its DONT_FIXATE modifier choice, so the daemon never readied the "
               "port for buffers: the producer must fixate one modifier and announce it again "
               "without the choice, as Mutter does";
    return NULL;
}

/* Why buffers could not be settled, from what the link said and what the Format held. */
static const char *alloc_cause(const struct trace *t)
{
    return alloc_cause_of(t->error[0] ? t->error : t->link_error, t->format_unfixated);
}

const char *trace_error_cause(const char *error, bool format_unfixated, bool offer_modifier,
                              bool offer_plain, const struct producer_shape *p)
{
    if (strstr(error, "no more input formats") || strstr(error, "no more output formats"))
        return no_format_cause(offer_modifier, offer_plain, p);
    return alloc_cause_of(error, format_unfixated);
}

static void explain_link(char *buf, size_t size, const struct trace *t, bool offer_modifier,
                         bool offer_plain, const struct producer_shape *p)
{
    if (!t->links_visible)
        snprintf(buf, size,
                 "; the link's error text is unavailable here (a portal connection "
                 "does not show links: run pwzc probe where the daemon is visible)");
    else if (strstr(t->link_error, "no more input formats") ||
             strstr(t->link_error, "no more output formats"))
        snprintf(buf, size, "; the daemon's link failed with '%s': %s", t->link_error,
                 no_format_cause(offer_modifier, offer_plain, p));
    else if (alloc_cause(t))
        snprintf(buf, size, "; the daemon's link failed with '%.100s': %.240s", t->link_error,
                 alloc_cause(t));
    else if (t->link_error[0])
        snprintf(buf, size, "; the daemon's link failed with '%s'", t->link_error);
    else if (t->link_untold && t->format_changes == 0)
        snprintf(buf, size,
                 "; the daemon's link was removed before its state could be read (a failed link "
                 "is destroyed at once); the shapes say: %s",
                 no_format_cause(offer_modifier, offer_plain, p));
    else if (t->link_untold)
        snprintf(buf, size, "; the daemon's link was removed before its state could be read");
    else
        snprintf(buf, size, "; no link error was reported");
}

static void explain_stall(struct verdict_result *out, const struct trace *t, bool offer_modifier,
                          bool offer_plain, const struct producer_shape *p)
{
    char link[384];

    explain_link(link, sizeof(link), t, offer_modifier, offer_plain, p);
    if (t->format_changes == 0)
        snprintf(out->reason, sizeof(out->reason), "stayed %s with no Format from the daemon%s",
                 trace_state_name(t->state), link);
    else
        snprintf(out->reason, sizeof(out->reason),
                 "a Format was agreed but the stream never reached Streaming (%u buffers)%s",
                 t->buffers, link);
}

/* What became of the buffers that were not frames: "85 empty, 5 cursor-only". */
static void fates_list(char *buf, size_t size, const struct trace *t)
{
    size_t used = 0;

    buf[0] = '\0';
    for (int i = FRAME_OK + 1; i < FRAME_DROP_REASONS && used < size; i++)
        if (t->fates[i])
            used += (size_t)snprintf(buf + used, size - used, "%s%u %s", used ? ", " : "",
                                     t->fates[i], frame_drop_name(i));
}

/* The commonest fate that was not a frame. */
static enum frame_drop main_fate(const struct trace *t)
{
    enum frame_drop best = FRAME_EMPTY;

    for (int i = FRAME_OK + 1; i < FRAME_DROP_REASONS; i++)
        if (t->fates[i] > t->fates[best])
            best = (enum frame_drop)i;
    return best;
}

/* What it means, and what real clients do with such a buffer (read in their sources: OBS
 * 32.2, gnome-remote-desktop 50, pipewiresrc 0.3.65 and 1.6, libwebrtc, Sunshine). */
static const char *fate_meaning(enum frame_drop f)
{
    switch (f) {
    case FRAME_EMPTY:
        return "the producer sends buffers with an empty chunk (size 0) and no picture; OBS, "
               "gnome-remote-desktop and Sunshine skip them and keep their last picture (none "
               "yet: black), pipewiresrc 1.x drops them, 0.3.x passes them on empty";
    case FRAME_CURSOR_ONLY:
        return "the producer sends cursor moves only (an empty chunk with a cursor update): the "
               "picture has not changed since, and clients keep their last one (none yet: black)";
    case FRAME_CORRUPTED:
        return "the producer flags its buffers corrupted; OBS, libwebrtc and Sunshine drop them, "
               "gnome-remote-desktop requeues them, pipewiresrc passes them on flagged";
    case FRAME_OUT_OF_BOUNDS:
        return "the producer's chunk points past its buffer's end: no consumer may read it";
    case FRAME_BAD_STRIDE:
        return "the producer's chunk has a stride of zero, below zero or shorter than a row";
    case FRAME_UNMAPPED:
        return "the buffers' memory could not be mapped";
    case FRAME_IMPORT_FAILED:
        return "the DMA-BUFs could not be imported by the GPU";
    case FRAME_UNREADABLE:
        return "libpipewire mapped the producer's SHM buffers for this client without read "
               "permission: the producer's data flags lack READABLE, and since PipeWire 1.5.81 a "
               "MAP_BUFFERS client's mapping has the data's own permissions (before, every "
               "consumer's was readable); a client that reads datas[0].data faults on its first "
               "frame. The producer must set SPA_DATA_FLAG_READABLE (xdg-desktop-portal-wlr does "
               "since 0.8.2)";
    case FRAME_HELD_BY_CLOCK:
        return "the client passes a frame on only once its stream clock has reached the last "
               "one's (a live GStreamer source on its pipewireclock), and that clock started "
               "again from zero when the stream came back from Paused (PipeWire 1.6 sets the "
               "driver's time when the graph starts): it waits as long as it had streamed";
    default:
        return "";
    }
}

static void explain_no_frames(struct verdict_result *out, const struct trace *t)
{
    char list[200];

    if (t->arrived == 0 && t->own_pauses) {
        snprintf(out->reason, sizeof(out->reason),
                 "reached Streaming but no buffer came: " TRACE_NO_BUFFER_CAUSE
                 " (also after the consumer paused and resumed its own stream, as the client "
                 "does once it streams: some producers do not live through that)");
        return;
    }
    if (t->arrived == 0) {
        snprintf(out->reason, sizeof(out->reason),
                 "reached Streaming but no buffer came: " TRACE_NO_BUFFER_CAUSE);
        return;
    }
    fates_list(list, sizeof(list), t);
    snprintf(out->reason, sizeof(out->reason),
             "reached Streaming and %u buffers came, none a frame (%s): %s", t->arrived, list,
             fate_meaning(main_fate(t)));
}

/* Frames came: say what became of the other buffers, if any did not make a frame. */
static void append_other_fates(struct verdict_result *out, const struct trace *t)
{
    size_t used = strlen(out->reason);
    char list[256];

    if (t->arrived <= t->frames || used >= sizeof(out->reason))
        return;
    fates_list(list, sizeof(list), t);
    snprintf(out->reason + used, sizeof(out->reason) - used,
             "; %u of %u buffers were not frames (%s)", t->arrived - t->frames, t->arrived, list);
}

/* The consumer kept every buffer of the pool and frames stopped: its doing, not the producer's
 * (a damage-driven producer's quiet tail is not taken for a freeze otherwise). */
static bool consumer_starved_producer(const struct trace *t)
{
    return t->consumer_holds && t->buffers && t->consumer_holds >= t->buffers &&
           t->tail_gap_ns >= TRACE_STALL_MIN_NS;
}

/* Frames came while the consumer behaved as asked (--hold, --frame-delay): how it went. */
static void append_consumer(struct verdict_result *out, const struct trace *t)
{
    size_t used = strlen(out->reason);
    double span_s =
        t->frames > 1 ? (double)(t->last_frame_ns - t->start_ns - t->first_frame_ns) / 1e9 : 0;

    if (t->consumer_delay_ms && span_s > 0 && used < sizeof(out->reason))
        used += (size_t)snprintf(out->reason + used, sizeof(out->reason) - used,
                                 "; the consumer took %u ms a frame: %.1f frames a second came",
                                 t->consumer_delay_ms, (t->frames - 1) / span_s);
    if (t->consumer_holds && used < sizeof(out->reason))
        used += (size_t)snprintf(out->reason + used, sizeof(out->reason) - used,
                                 "; the consumer held %u of the producer's %u buffers",
                                 t->consumer_holds, t->buffers);
    if (t->consumer_holds && t->tail_gap_ns >= TRACE_STALL_MIN_NS && used < sizeof(out->reason))
        snprintf(out->reason + used, sizeof(out->reason) - used,
                 ", and none came in the last %.1f s", (double)t->tail_gap_ns / 1e9);
}

void trace_verdict(const struct trace *t, bool offer_has_modifier, bool offer_has_plain,
                   const struct producer_shape *producer, struct verdict_result *out)
{
    memset(out, 0, sizeof(*out));
    if (t->error[0]) {
        out->verdict = VERDICT_ERROR;
        if (strstr(t->error, "no more input formats") || strstr(t->error, "no more output formats"))
            snprintf(out->reason, sizeof(out->reason), "stream error '%s': %s", t->error,
                     no_format_cause(offer_has_modifier, offer_has_plain, producer));
        else if (alloc_cause(t))
            snprintf(out->reason, sizeof(out->reason), "stream error '%s': %s", t->error,
                     alloc_cause(t));
        else
            snprintf(out->reason, sizeof(out->reason), "stream error '%s'", t->error);
    } else if (t->streaming_drops >= TRACE_FLAP_MIN_DROPS) {
        out->verdict = VERDICT_FLAPPING;
        snprintf(out->reason, sizeof(out->reason),
                 "dropped from Streaming to Paused %u times (%u frames, %u Format events): the "
                 "producer keeps renegotiating after streaming started",
                 t->streaming_drops, t->frames, t->format_changes);
    } else if (t->frames > 0 && consumer_starved_producer(t)) {
        out->verdict = VERDICT_STALLED;
        snprintf(out->reason, sizeof(out->reason),
                 "%u frames, then none for the last %.1f s: the producer has %u buffers and the "
                 "consumer holds %u, so none is left for the producer to fill",
                 t->frames, (double)t->tail_gap_ns / 1e9, t->buffers, t->consumer_holds);
    } else if (t->frames > 0) {
        int n;
        out->verdict = VERDICT_WORKS;
        n = snprintf(out->reason, sizeof(out->reason),
                     "Streaming after %.0f ms, first frame after %.0f ms, %u frames",
                     (double)t->streaming_ns / 1e6, (double)t->first_frame_ns / 1e6, t->frames);
        /* Working, but a user would have seen it freeze: say so. */
        if (t->longest_gap_ns >= TRACE_STALL_MIN_NS && n > 0 && (size_t)n < sizeof(out->reason))
            snprintf(out->reason + n, sizeof(out->reason) - (size_t)n,
                     "; but frames stopped for %.1f s once (the producer stalled, then resumed)",
                     (double)t->longest_gap_ns / 1e9);
        append_other_fates(out, t);
        append_consumer(out, t);
    } else if (t->format_changes >= TRACE_LOOP_MIN_FORMATS) {
        out->verdict = VERDICT_RENEGOTIATION_LOOP;
        snprintf(out->reason, sizeof(out->reason),
                 "the Format changed %u times without a frame: each answer brings a new "
                 "EnumFormat from the producer, so buffers are never settled",
                 t->format_changes);
    } else if (t->streaming_entries > 0) {
        out->verdict = VERDICT_NO_FRAMES;
        explain_no_frames(out, t);
    } else {
        out->verdict = VERDICT_SILENT_STALL;
        explain_stall(out, t, offer_has_modifier, offer_has_plain, producer);
    }
}

static const char *kind_name(enum trace_kind kind)
{
    static const char *const names[] = {
        [TRACE_CONNECT] = "connect",
        [TRACE_STATE] = "state",
        [TRACE_PARAM] = "param_changed",
        [TRACE_SENT] = "update_params",
        [TRACE_FIXATE] = "fixate",
        [TRACE_BUFFER] = "add_buffer",
        [TRACE_FIRST_FRAME] = "first_frame",
        [TRACE_LINK] = "link",
        [TRACE_NOTE] = "note",
    };
    return names[kind];
}

static const char *link_state_name(int state)
{
    /* pw_link_state: error -2, unlinked -1, init 0, negotiating 1, allocating 2, paused 3,
     * active 4. */
    static const char *const names[] = {"error",      "unlinked", "init",  "negotiating",
                                        "allocating", "paused",   "active"};
    return state >= -2 && state <= 4 ? names[state + 2] : "unknown";
}

static struct json_object *event_json(const struct trace_event *e)
{
    struct json_object *obj = json_object_new_object();

    json_object_object_add(obj, "t_ms", json_object_new_double((double)e->t_ns / 1e6));
    json_object_object_add(obj, "event", json_object_new_string(kind_name(e->kind)));
    if (e->kind == TRACE_STATE) {
        json_object_object_add(obj, "from", json_object_new_string(trace_state_name(e->from)));
        json_object_object_add(obj, "to", json_object_new_string(trace_state_name(e->to)));
    } else if (e->kind == TRACE_LINK) {
        json_object_object_add(obj, "state", json_object_new_string(link_state_name(e->to)));
    } else if (e->kind == TRACE_PARAM) {
        json_object_object_add(obj, "param", json_object_new_string(pod_param_name(e->param_id)));
        json_object_object_add(obj, "cleared", json_object_new_boolean(e->cleared));
    }
    if (e->text)
        json_object_object_add(obj, "text", json_object_new_string(e->text));
    if (e->detail)
        json_object_object_add(obj, "detail", json_object_get(e->detail));
    return obj;
}

struct json_object *trace_to_json(const struct trace *t)
{
    struct json_object *arr = json_object_new_array();

    for (size_t i = 0; i < t->n_events; i++)
        json_object_array_add(arr, event_json(&t->events[i]));
    return arr;
}
