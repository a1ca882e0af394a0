/* Replaying a client: its offer, then what it does about what happened, step by step. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <drm_fourcc.h>
#include <spa/buffer/buffer.h>

#include "client-run.h"
#include "clock-pace.h"
#include "formats.h"
#include "jobs.h"
#include "pod.h"
#include "report.h"

#define MAX_STEPS 8

struct step {
    struct stream_result res;
    struct verdict_result v;
    bool streamed_dmabuf;
    bool stopped; /* the client took no more frames after a Streaming -> Paused (or few) */
    struct clock_pace pace; /* CLIENT_PAUSE_WAIT_FOR_CLOCK: what its clock let through */
    bool crashed;           /* it read a frame it was not allowed to read: the client is dead */
    uint32_t client_frames; /* the frames the client took (all of them unless it stopped) */
    int import;             /* 0 ok, -ENODEV unavailable here, -EIO refused, 1 not needed */
    bool external_only;
    char import_why[512];
};

struct run {
    struct session *s;
    const struct producer *producer;
    const struct client_profile *c;
    const struct gpu_info *gpu;
    const struct pwzc_options *opts;
    const struct client_watch *watch;
    uint32_t daemon;
    bool timelines, standin;
    bool exhausted; /* the fallback dropped everything the client had to offer */
    struct client_state state;
    uint32_t restarts, dropped;
    struct json_object *steps;
};

static struct json_object *modifier_json(uint64_t m)
{
    struct json_object *obj = json_object_new_object();
    char hex[32], name[160];

    snprintf(hex, sizeof(hex), "0x%016" PRIx64, m);
    modifier_name(m, name, sizeof(name));
    json_object_object_add(obj, "value", json_object_new_string(hex));
    json_object_object_add(obj, "name", json_object_new_string(name));
    return obj;
}

static struct json_object *import_json(const struct step *st)
{
    struct json_object *obj;

    if (st->import == 1)
        return NULL;
    obj = json_object_new_object();
    json_object_object_add(obj, "tried",
                           json_object_new_string(st->import == -ENODEV ? "unavailable" : "egl"));
    json_object_object_add(obj, "ok", json_object_new_boolean(st->import == 0));
    json_object_object_add(obj, "external_only", json_object_new_boolean(st->external_only));
    json_object_object_add(obj, "detail", json_object_new_string(st->import_why));
    return obj;
}

/* A client looks at a DMA-BUF before it uses it: can it be imported with that modifier here? */
static void try_import(struct step *st)
{
    const struct frame_format *ff = &st->res.frame_format;
    struct dmabuf_plane plane = {.fd = st->res.import_fd,
                                 .offset = st->res.import_offset,
                                 .stride = st->res.import_stride,
                                 .modifier =
                                     ff->has_modifier ? ff->modifier : DRM_FORMAT_MOD_INVALID,
                                 .spa_format = ff->format,
                                 .width = ff->width,
                                 .height = ff->height};

    struct pwzc_error refused = {0};

    st->import = 1;
    if (!st->streamed_dmabuf)
        return;
    st->import = gpu_import_test(&plane, &st->external_only, &refused);
    if (st->import == 0)
        snprintf(st->import_why, sizeof(st->import_why), "imported as a %s EGLImage",
                 st->external_only ? "external-only" : "2D");
    else if (st->import == -ENODEV) /* what would have been tried, so the report is not only "no" */
        snprintf(st->import_why, sizeof(st->import_why), "unavailable here (%.480s)",
                 refused.message);
    else
        snprintf(st->import_why, sizeof(st->import_why), "%s", refused.message);
}

static struct json_object *step_json(struct run *r, struct step *st, const struct offer *offer,
                                     uint32_t index, const char *action)
{
    struct json_object *obj = stream_result_json(&st->res, r->timelines);
    const struct frame_format *ff = &st->res.frame_format;

    json_object_object_add(obj, "step", json_object_new_int((int)index));
    json_object_object_add(obj, "action", json_object_new_string(action));
    json_object_object_add(obj, "pods", json_object_new_int((int)offer->n_enums));
    json_object_object_add(obj, "verdict", json_object_new_string(verdict_name(st->v.verdict)));
    json_object_object_add(obj, "reason", json_object_new_string(st->v.reason));
    json_object_object_add(obj, "frames", json_object_new_int64(st->client_frames));
    json_object_object_add(obj, "modifier",
                           st->res.format && ff->has_modifier ? modifier_json(ff->modifier) : NULL);
    json_object_object_add(obj, "import", import_json(st));
    return obj;
}

/* The buffers the client hands on as frames: the pictures, and what it passes on anyway. */
static uint32_t client_takes(const struct client_profile *c, const struct step *st)
{
    uint32_t n = st->res.trace.frames;

    for (int f = FRAME_OK + 1; f < FRAME_DROP_REASONS; f++)
        if (c->passes_on & (1u << f))
            n += st->res.trace.fates[f];
    return n;
}

/* The first drop from Streaming that a client which stops on a pause does not ride out: one
 * that lasted tolerance_ms or more, or was still Paused when the window closed. */
static const struct trace_pause *stopping_pause(const struct trace *t, uint32_t tolerance_ms)
{
    for (uint32_t i = 0; i < t->n_pauses; i++)
        if (!t->pauses[i].end_ns ||
            t->pauses[i].end_ns - t->pauses[i].start_ns >= tolerance_ms * SPA_NSEC_PER_MSEC)
            return &t->pauses[i];
    return NULL;
}

/* The sink of a client whose frames wait on its clock: each frame passed on or held. */
static int pace_frame(void *data, const struct frame *f, enum frame_drop *fate)
{
    *fate = clock_pace_frame(data, f->clock_ns);
    return 0;
}

/* Did the client stop taking frames at a Streaming -> Paused, as its profile says it does? A
 * client whose loop ends there took only the frames before it (client_frames). */
static bool stops_there(const struct run *r, struct step *st)
{
    const struct trace_pause *stop;

    /* A node that goes away also pauses the stream: that is the producer's end, not the
     * client's way of stopping. */
    if (st->res.producer_vanished)
        return false;
    if (r->c->on_pause == CLIENT_PAUSE_WAIT_FOR_CLOCK)
        return clock_pace_stalled(&st->pace);
    if (r->c->on_pause != CLIENT_PAUSE_STOP ||
        !(stop = stopping_pause(&st->res.trace, r->c->pause_tolerance_ms)))
        return false;
    st->client_frames = stop->frames_before;
    return true;
}

static int run_step(struct run *r, const struct offer *offer, struct step *st,
                    struct pwzc_error *err)
{
    struct stream_options so = {.target_id = r->s->node_id,
                                .target_serial = r->c->target_serial ? r->s->serial : 0,
                                .window_ms = r->watch->window_ms,
                                .works_after_frames = r->watch->works_after_frames,
                                .fixate_grace_ms = STREAM_NEVER_FIXATE,
                                .record_pods = r->timelines};
    struct stream_sink pacer = {.frame = pace_frame, .data = &st->pace};
    int res;

    memset(st, 0, sizeof(*st));
    if (r->c->on_pause == CLIENT_PAUSE_WAIT_FOR_CLOCK)
        so.sink = &pacer;
    res = stream_run(&r->s->conn, &r->s->reg, offer, &so, &st->res);
    if (res == -EINTR)
        return pwzc_fail(err, PWZC_EXIT_INTERRUPTED, res, "interrupted");
    if (res == -EPIPE)
        return pwzc_fail(err, PWZC_EXIT_LOST, res, "the PipeWire daemon went away");
    trace_verdict(&st->res.trace, offer_has_modifier_pod(offer), offer_has_plain_pod(offer),
                  &r->producer->shape, &st->v);
    st->streamed_dmabuf = st->v.verdict == VERDICT_WORKS && st->res.data_type == SPA_DATA_DmaBuf;
    st->crashed = st->res.trace.fates[FRAME_UNREADABLE] > 0;
    st->client_frames = st->crashed ? 0 : client_takes(r->c, st);
    st->stopped = !st->crashed && stops_there(r, st);
    try_import(st);
    return 0;
}

/* Import failed: what the client drops, as its fallback says (NULL: it has no such step). */
static const char *drop_failed_modifier(struct run *r, const struct step *st, char *action,
                                        size_t size)
{
    const struct frame_format *ff = &st->res.frame_format;
    struct client_state *cs = &r->state;
    char name[160], format[32];

    if (!(r->c->fallbacks & (FALLBACK_DROP_MODIFIER | FALLBACK_DROP_MODIFIER_ALL)) ||
        cs->n_drops == CLIENT_MAX_DROPS)
        return NULL;
    modifier_name(ff->modifier, name, sizeof(name));
    cs->drops[cs->n_drops].modifier = ff->modifier;
    cs->drops[cs->n_drops].format = ff->format;
    if (r->c->fallbacks & FALLBACK_DROP_MODIFIER_ALL) {
        cs->drops[cs->n_drops].format = SPA_ID_INVALID;
        snprintf(action, size, "drops %s from every format and renegotiates", name);
    } else if (r->c->drop_min_server && r->daemon && r->daemon < r->c->drop_min_server) {
        /* Before 0.3.40 a client could not drop one modifier: it kept only the last one. */
        cs->drops[cs->n_drops].keep_last = true;
        snprintf(action, size,
                 "keeps only the last modifier of %s (daemon older than "
                 "the per-modifier fallback) and renegotiates",
                 format_name(ff->format, format, sizeof(format)));
    } else
        snprintf(action, size, "drops %s from %s and renegotiates", name,
                 format_name(ff->format, format, sizeof(format)));
    cs->n_drops++;
    r->dropped++;
    return action;
}

/* What the client does next, or NULL when this step is where it ends. */
static const char *next_action(struct run *r, const struct step *st, char *action, size_t size)
{
    enum verdict v = st->v.verdict;

    if (st->stopped || st->crashed ||
        (st->res.producer_vanished && !st->res.vanished_after_error))
        return NULL;
    if (v == VERDICT_WORKS)
        return st->import == 0 || st->import == 1 ? NULL
                                                  : drop_failed_modifier(r, st, action, size);
    if ((v == VERDICT_SILENT_STALL || v == VERDICT_NO_FRAMES) &&
        (r->c->fallbacks & FALLBACK_RESTART_PAUSED) && r->restarts < r->c->max_restarts) {
        r->restarts++;
        snprintf(action, size, "was Paused for %.0f s: restarts the stream",
                 r->c->restart_after_ms / 1000.0);
        return action;
    }
    if (v != VERDICT_WORKS && st->res.trace.streaming_entries == 0 &&
        (r->c->fallbacks & FALLBACK_NO_MAX_FRAMERATE) && !r->state.no_max_framerate) {
        r->state.no_max_framerate = true;
        snprintf(action, size, "died before Streaming: tries again without maxFramerate");
        return action;
    }
    return NULL;
}

static const char *buffers_text(const struct step *st)
{
    return st->res.data_type == SPA_DATA_DmaBuf ? "DMA-BUF" : "SHM";
}

/* One sentence a user can act on: what the client got, or why it gets nothing. */
static void why(const struct run *r, const struct step *st, const struct offer *offer,
                uint32_t steps, char *buf, size_t size)
{
    const struct frame_format *ff = &st->res.frame_format;
    char name[160] = "", shape[96];

    if (r->exhausted) {
        snprintf(buf, size,
                 "gets DMA-BUF it cannot import here (%s), drops every modifier, and has no "
                 "format without one left to offer",
                 st->import_why);
        return;
    }

    if (ff->has_modifier)
        modifier_name(ff->modifier, name, sizeof(name));
    if (st->crashed)
        snprintf(buf, size,
                 "reads its SHM frames through libpipewire's mapping (map-buffers), which has "
                 "no read permission here: the client faults on its first frame (%s)",
                 st->v.reason);
    else if (st->res.producer_vanished)
        snprintf(buf, size, "took %u frames, then the producer's node went away%s (%s)",
                 st->client_frames,
                 st->res.trace.own_pauses ? ", after the client paused and resumed its stream" : "",
                 st->v.reason);
    else if (st->stopped && r->c->on_pause == CLIENT_PAUSE_WAIT_FOR_CLOCK)
        snprintf(buf, size,
                 "took %u frames, then the stream came back from Paused with its clock started "
                 "again from zero, and the client held its frames waiting for the clock to be "
                 "back where it had been: %u held, %u passed on after (%s)",
                 st->pace.passed_before_hold, st->pace.held,
                 st->pace.passed - st->pace.passed_before_hold, st->v.reason);
    else if (st->stopped)
        snprintf(buf, size,
                 "took %u frames, then the stream dropped from Streaming to Paused and the "
                 "client's capture loop ended there for good, though %u more frames came (%s)",
                 st->client_frames, st->res.trace.frames - st->client_frames, st->v.reason);
    else if (st->v.verdict == VERDICT_WORKS && st->import == 0)
        snprintf(buf, size, "streams DMA-BUF with %s, which EGL imports here (%s)", name,
                 st->external_only ? "external only" : "2D");
    else if (st->v.verdict == VERDICT_WORKS && st->import == 1)
        snprintf(buf, size, "streams through %s (%s)%s", buffers_text(st),
                 data_type_name(st->res.data_type),
                 r->dropped  ? ", after dropping the modifiers it could not import here"
                 : steps > 1 ? ", after its fallback"
                             : "");
    else if (st->v.verdict == VERDICT_WORKS)
        snprintf(buf, size,
                 "gets DMA-BUF with %s but cannot import it (%s) and has no fallback left: "
                 "frames arrive, the client shows none",
                 name, st->import_why);
    else if (st->v.verdict == VERDICT_NO_FRAMES && st->res.modifier_open)
        snprintf(buf, size,
                 "reached Streaming, but the producer left the modifier open (a choice) and "
                 "waits for the consumer to fixate it; this client never fixates (no real client "
                 "does), so no buffer ever comes: the producer must fixate");
    else {
        snprintf(shape, sizeof(shape), "%s",
                 !offer_has_plain_pod(offer)      ? "offers only DMA-BUF formats with modifiers; "
                 : !offer_has_modifier_pod(offer) ? "offers no modifier (SHM only); "
                                            : "");
        snprintf(buf, size, "%s%s", shape, st->v.reason);
    }
}

/* The properties the replay's stream was made with, as the client sets them. */
static struct json_object *props_json(const struct offer *offer)
{
    struct json_object *obj = json_object_new_object();

    if (!offer->props_set) {
        json_object_object_add(obj, "media.type", json_object_new_string("Video"));
        json_object_object_add(obj, "media.category", json_object_new_string("Capture"));
        json_object_object_add(obj, "media.role", json_object_new_string("Screen"));
    }
    for (uint32_t i = 0; i < offer->n_props; i++)
        json_object_object_add(obj, offer->props[i].key,
                               json_object_new_string(offer->props[i].value));
    return obj;
}

/* How the client's stream is made, and what its port then takes without a modifier. */
static struct json_object *stream_json(const struct client_profile *c, const struct offer *offer)
{
    struct json_object *obj = json_object_new_object(), *flags = json_object_new_array();
    uint32_t port = offer_port_data_types(offer, false);
    struct json_object *types = json_object_new_array();
    char words[160], *save = NULL, *w;

    client_stream_flags_string(offer->stream_flags, words, sizeof(words));
    for (w = strtok_r(words, ", ", &save); w; w = strtok_r(NULL, ", ", &save))
        json_object_array_add(flags, json_object_new_string(w));
    for (uint32_t t = 0; t < 32; t++)
        if (port & (1u << t))
            json_object_array_add(types, json_object_new_string(data_type_name(t)));
    json_object_object_add(obj, "flags", flags);
    json_object_object_add(obj, "buffers_sent",
                           json_object_new_string(offer->buffers_at_connect ? "at-connect"
                                                                            : "on-format"));
    json_object_object_add(obj, "on_start", json_object_new_string(offer->pauses_at_start
                                                                        ? "pause-resume"
                                                                        : "keep"));
    json_object_object_add(obj, "port_data_types", types);
    json_object_object_add(obj, "properties", props_json(offer));
    json_object_object_add(obj, "target",
                           json_object_new_string(c->target_serial ? "object-serial" : "node-id"));
    json_object_object_add(obj, "dequeue",
                           json_object_new_string(c->dequeues_elsewhere ? "elsewhere" : "process"));
    json_object_object_add(obj, "dequeue_takes",
                           json_object_new_string(c->dequeues_one ? "one" : "newest"));
    return obj;
}

bool client_result_works(const struct client_result *r)
{
    return r->end == CLIENT_END_VERDICT && r->verdict == VERDICT_WORKS;
}

const char *client_result_verdict_name(const struct client_result *r)
{
    return r->end == CLIENT_END_STOPPED_AT_PAUSE ? "stopped-at-pause"
           : r->end == CLIENT_END_IMPORT_FAILED  ? "import-failed"
           : r->end == CLIENT_END_CRASHES        ? "crashes"
                                                 : verdict_name(r->verdict);
}

static void judge(const struct step *st, struct client_result *result)
{
    result->verdict = st->v.verdict;
    result->end = st->crashed                                        ? CLIENT_END_CRASHES
                  : st->stopped                                      ? CLIENT_END_STOPPED_AT_PAUSE
                  : st->v.verdict == VERDICT_WORKS && st->import < 0 ? CLIENT_END_IMPORT_FAILED
                                                                     : CLIENT_END_VERDICT;
    result->producer_vanished = st->res.producer_vanished;
    result->own_paused = st->res.trace.own_pauses > 0;
}

static struct json_object *final_json(struct run *r, struct step *st, const struct offer *offer,
                                      uint32_t steps, const struct client_result *result)
{
    struct json_object *obj = client_profile_json(r->c);
    const struct frame_format *ff = &st->res.frame_format;
    char sentence[1024];

    why(r, st, offer, steps, sentence, sizeof(sentence));
    json_object_object_add(obj, "stream", stream_json(r->c, offer));
    json_object_object_add(obj, "verdict",
                           json_object_new_string(client_result_verdict_name(result)));
    json_object_object_add(obj, "step", json_object_new_int((int)steps));
    json_object_object_add(obj, "why", json_object_new_string(sentence));
    json_object_object_add(obj, "modifiers",
                           json_object_new_string(r->standin                    ? "stand-in"
                                                  : r->gpu && r->gpu->available ? "egl"
                                                                                : "none"));
    json_object_object_add(obj, "format", json_object_get(st->res.format));
    json_object_object_add(obj, "format_order",
                           outcome_format_order_json(r->producer, offer, &st->res));
    json_object_object_add(obj, "modifier",
                           st->res.format && ff->has_modifier ? modifier_json(ff->modifier) : NULL);
    json_object_object_add(obj, "data_type",
                           st->res.data_type == SPA_ID_INVALID
                               ? NULL
                               : json_object_new_string(data_type_name(st->res.data_type)));
    json_object_object_add(obj, "frames", json_object_new_int64(st->client_frames));
    json_object_object_add(obj, "fates", trace_fates_json(&st->res.trace));
    json_object_object_add(obj, "first_frame_ms",
                           st->res.trace.frames
                               ? json_object_new_double((double)st->res.trace.first_frame_ns / 1e6)
                               : NULL);
    json_object_object_add(obj, "import", import_json(st));
    json_object_object_add(obj, "steps", json_object_get(r->steps));
    json_object_object_add(obj, "producer_vanished",
                           json_object_new_boolean(st->res.producer_vanished));
    return obj;
}

int client_run(struct session *s, const struct producer *producer, const struct client_profile *c,
               const struct gpu_info *gpu, const struct pwzc_options *opts,
               const struct client_watch *watch, bool timelines, struct client_result *result,
               struct pwzc_error *err)
{
    struct run r = {.s = s,
                    .producer = producer,
                    .c = c,
                    .gpu = gpu,
                    .opts = opts,
                    .watch = watch,
                    .timelines = timelines,
                    .daemon = client_version(s->conn.daemon_version),
                    .steps = json_object_new_array()};
    /* Large: kept off the stack; not static, since clients may run on threads at once. */
    struct offer *pair = calloc(2, sizeof(*pair)), *offer = pair, *used = pair + 1;
    struct step st;
    char action[256] = "offers as it does";
    bool fixated_in_vain = false;
    uint32_t n;
    int res = 0;

    memset(result, 0, sizeof(*result));
    if (!pair) {
        json_object_put(r.steps);
        return pwzc_fail(err, PWZC_EXIT_INTERNAL, -ENOMEM, "out of memory");
    }
    client_offer(c, gpu, r.daemon, &r.state, offer, &r.standin);
    for (n = 1; offer->n_enums > 0; n++) {
        bool standin;
        if ((res = run_step(&r, offer, &st, err)) < 0)
            break;
        fixated_in_vain |= stream_fixated_in_vain(&st.res);
        json_object_array_add(r.steps, step_json(&r, &st, offer, n, action));
        *used = *offer;
        if (next_action(&r, &st, action, sizeof(action)) && n < MAX_STEPS)
            client_offer(c, gpu, r.daemon, &r.state, offer, &standin);
        else
            offer->n_enums = 0;
        r.exhausted = offer->n_enums == 0 && r.dropped && st.import < 0 && n < MAX_STEPS &&
                      st.v.verdict == VERDICT_WORKS;
        /* A producer can die of this step's error (xdpw 0.7 on 1.x): the client ends here. */
        if (offer->n_enums > 0 && (res = session_renew(s, opts, err)) < 0 &&
            st.v.verdict == VERDICT_ERROR)
            offer->n_enums = 0;
        if (offer->n_enums == 0) {
            judge(&st, result);
            result->fixated_in_vain = fixated_in_vain;
            result->json = final_json(&r, &st, used, n, result);
            stream_result_clear(&st.res);
            break;
        }
        stream_result_clear(&st.res);
        if (res < 0)
            break;
    }
    json_object_put(r.steps);
    free(pair);
    return res;
}

int clients_load(const char *list, struct client_profile **out, uint32_t *n, struct pwzc_error *err)
{
    char names[2048], *save = NULL, *w;
    struct client_profile *c;
    int res;

    if (list && *list)
        snprintf(names, sizeof(names), "%s", list);
    else
        client_list(names, sizeof(names));
    *n = 0;
    if (!(*out = c = calloc(CLIENTS_MAX, sizeof(*c))))
        return pwzc_fail(err, PWZC_EXIT_INTERNAL, -ENOMEM, "out of memory");
    for (w = strtok_r(names, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
        if (*n == CLIENTS_MAX)
            return pwzc_fail(err, PWZC_EXIT_USAGE, -E2BIG, "more than %d clients", CLIENTS_MAX);
        if ((res = client_load(w, &c[*n], err)) < 0)
            return res;
        (*n)++;
    }
    return *n ? 0 : pwzc_fail(err, PWZC_EXIT_PROFILE, -ENOENT, "no client profiles found");
}

/* The portal's backend went away with a client's node: what became of it, in the JSON of that
 * client ("note"), once the next session (or the end of the run) has looked. */
static void note_backend(const struct session *s, struct json_object *client, const char *name)
{
    const struct portal_backend *b = &s->backend_event.lost;
    char words[512];

    if (!b->name[0])
        return;
    if (s->backend_event.restarted)
        snprintf(words, sizeof(words),
                 "%s exited during client %s; D-Bus activation started it again (pid %u), as "
                 "the next portal request on a desktop would",
                 b->program, name, s->backend_event.pid);
    else
        snprintf(words, sizeof(words), "%s exited during client %s, and was not started again",
                 b->program, name);
    json_object_object_add(client, "note", json_object_new_string(words));
}

/* The last client took the backend down: leave the desktop as it was found, and say so. */
static void leave_backend_standing(struct session *s, struct json_object *client,
                                   const char *name)
{
    struct pwzc_error quiet = {0};

    session_revive_backend(s, &quiet);
    note_backend(s, client, name);
}

/* xdpw 0.7 exits on the core error PipeWire 1.x sends a producer whose link failed: the next
 * session cannot open. Say after which client, since the portal only says the backend is gone. */
static void stopped_after(struct pwzc_error *err, const char *failed)
{
    char said[sizeof(err->message)];

    if (!failed)
        return;
    /* Context added once, on the way up: the exit code stays the one the failure set. */
    snprintf(said, sizeof(said), "%s", err->message);
    snprintf(err->message, sizeof(err->message),
             "%.300s, after client %s's stream error: the report stops there", said, failed);
}

/* --jobs: each client in a session of its own, on a thread of its own, read back in order. */
struct client_job {
    int res;
    struct client_result result;
    struct pwzc_error err;
};

struct clients_at_once {
    const struct producer *producer;
    const struct client_profile *clients;
    const struct gpu_info *gpu;
    struct pwzc_options opts; /* the run's, with the stop its sessions share */
    atomic_bool stop;
    const struct client_watch *watch;
    struct session_options session; /* the probe's, on the daemon it already runs */
    struct client_job jobs[CLIENTS_MAX];
};

static void run_client_alone(void *data, uint32_t i)
{
    struct clients_at_once *o = data;
    struct client_job *j = &o->jobs[i];
    struct session s;

    if ((j->res = session_open(&s, &o->opts, &o->session, &j->err)) < 0)
        return;
    j->res = client_run(&s, o->producer, &o->clients[i], o->gpu, &o->opts, o->watch,
                        o->opts.verbose > 0, &j->result, &j->err);
    session_close(&s);
}

static void client_done(void *data, uint32_t done, uint32_t n)
{
    struct clients_at_once *o = data;

    report_progress(&o->opts, "probe: %u of %u clients done...", done, n);
}

/* A client that fixated in vain among the others runs again, alone. */
static void rerun_fixated_in_vain(struct clients_at_once *o, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        struct client_job *j = &o->jobs[i];
        if (j->res < 0 || !j->result.fixated_in_vain)
            continue;
        report_progress(&o->opts, "probe: client %s again, alone...", o->clients[i].name);
        json_object_put(j->result.json);
        *j = (struct client_job){0};
        run_client_alone(o, i);
        if (j->result.json)
            json_object_object_add(j->result.json, "note", json_object_new_string(RERUN_NOTE));
    }
}

/* The clients in order, stopping where the sequential run would have: a client cut short, or a
 * producer that went away when no error of its stream explains it. */
static int collect_clients(struct clients_at_once *o, uint32_t n, struct json_object *arr,
                           bool *all_work, struct pwzc_error *err)
{
    uint32_t i = 0;
    int res = 0;

    for (; i < n && res == 0; i++) {
        struct client_job *j = &o->jobs[i];
        const struct client_result *one = &j->result;
        if (one->json) {
            *all_work &= client_result_works(one);
            json_object_array_add(arr, one->json);
        }
        if (j->res < 0 || !one->json) {
            *err = j->err;
            res = j->res < 0 ? j->res : -EINTR;
        } else if (one->producer_vanished &&
                   !(one->end == CLIENT_END_VERDICT && one->verdict == VERDICT_ERROR))
            res = pwzc_fail(err, PWZC_EXIT_LOST, -ENOENT,
                            "the producer of client %s went away during its replay: the report "
                            "stops there",
                            o->clients[i].name);
    }
    for (; i < n; i++)
        json_object_put(o->jobs[i].result.json);
    return res;
}

static int clients_at_once(struct session *s, const struct producer *producer,
                           const struct client_profile *clients, uint32_t n,
                           const struct gpu_info *gpu, const struct pwzc_options *opts,
                           const struct client_watch *watch, uint32_t jobs, struct json_object *arr,
                           bool *all_work, struct pwzc_error *err)
{
    struct clients_at_once *o = calloc(1, sizeof(*o));
    int res;

    if (!o)
        return pwzc_fail(err, PWZC_EXIT_INTERNAL, -ENOMEM, "out of memory");
    *o = (struct clients_at_once){.producer = producer,
                                  .clients = clients,
                                  .gpu = gpu,
                                  .opts = *opts,
                                  .watch = watch,
                                  .session = *s->o};
    o->opts.stop = &o->stop;
    /* The environment already points at the daemon this session started. */
    o->session.sandbox = false;
    report_progress(opts, "probe: %u clients, %u at once...", n, jobs);
    if ((res = jobs_run(n, jobs, run_client_alone, client_done, o)) < 0)
        res = pwzc_fail(err, PWZC_EXIT_INTERNAL, res, "cannot start the clients' threads: %s",
                        strerror(-res));
    else {
        rerun_fixated_in_vain(o, n);
        res = collect_clients(o, n, arr, all_work, err);
    }
    report_progress(opts, NULL);
    free(o);
    return res;
}

int clients_probe(struct session *s, const struct producer *producer,
                  const struct client_profile *clients, uint32_t n, const struct gpu_info *gpu,
                  const struct pwzc_options *opts, const struct client_watch *watch, uint32_t jobs,
                  struct json_object **list, bool *all_work, struct pwzc_error *err)
{
    struct json_object *arr = json_object_new_array(), *lost_with = NULL;
    struct client_result one;
    const char *failed = NULL;
    bool failed_now;
    int res = 0;

    *all_work = true;
    *list = arr;
    if (jobs > 1)
        return clients_at_once(s, producer, clients, n, gpu, opts, watch, jobs, arr, all_work, err);
    for (uint32_t i = 0; i < n; i++) {
        report_progress(opts, "probe: client %s (%u/%u)...", clients[i].name, i + 1, n);
        if (i > 0 && (res = session_renew(s, opts, err)) < 0) {
            stopped_after(err, failed);
            break;
        }
        if (lost_with)
            note_backend(s, lost_with, clients[i - 1].name);
        lost_with = NULL;
        res = client_run(s, producer, &clients[i], gpu, opts, watch, opts->verbose > 0, &one, err);
        if (!one.json)
            break;
        *all_work &= client_result_works(&one);
        failed_now = one.end == CLIENT_END_VERDICT && one.verdict == VERDICT_ERROR;
        if (failed_now)
            failed = clients[i].name;
        json_object_array_add(arr, one.json);
        if (res < 0) {
            stopped_after(err, failed);
            break;
        }
        /* As probe does for offers: what follows a vanished producer would be guesswork, except
         * through the portal, where a backend that exits (xdpw on 1.x after its stream's error;
         * xdpw 0.8.4 on sway after a client's pause) takes its node along, the bus starts it
         * again, and the next client opens a session of its own. */
        if (one.producer_vanished && s->kind == SESSION_PORTAL) {
            lost_with = one.json;
            if (i + 1 == n)
                leave_backend_standing(s, lost_with, clients[i].name);
        } else if (one.producer_vanished && (s->kind == SESSION_NODE || !failed_now)) {
            res = pwzc_fail(err, PWZC_EXIT_LOST, -ENOENT,
                            "the producer's node %u went away during client %s%s: the report "
                            "stops there",
                            s->node_id, clients[i].name,
                            one.own_paused ? ", after the client paused and resumed its stream "
                                             "as it does once it streams"
                                           : "");
            break;
        }
    }
    report_progress(opts, NULL);
    return res;
}
