/* Offers in, verdicts out: the shared middle of probe and negotiate. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <spa/buffer/buffer.h>
#include <spa/param/video/format.h>
#include <spa/pod/builder.h>
#include <spa/pod/iter.h>

#include "gpu.h"
#include "outcome.h"
#include "pod.h"

struct format_walk {
    struct json_object *formats;
    struct producer_shape *shape;
    struct format_order *order;
};

/* The shape comes from the pods the producer really offers, not from any name. */
static void add_format(void *data, const struct spa_pod *param)
{
    struct format_walk *w = data;
    struct json_object *entry = registry_param_json(SPA_PARAM_EnumFormat, param);
    const struct spa_pod_prop *mod = NULL;

    json_object_array_add(w->formats, entry);
    format_order_add_pod(w->order, param);
    /* A pod that does not parse has no summary: it counts as one without a modifier. */
    if (json_object_object_get(entry, "summary"))
        mod = spa_pod_find_prop(param, NULL, SPA_FORMAT_VIDEO_modifier);
    if (!mod) {
        w->shape->plain_format = true;
        return;
    }
    w->shape->modifier_format = true;
    if (!(mod->flags & SPA_POD_PROP_FLAG_MANDATORY))
        w->shape->modifier_mandatory = false;
}

void producer_gather(struct producer *p, struct session *s, uint32_t timeout_ms)
{
    struct json_object *formats = json_object_new_array();
    struct format_walk w = {.formats = formats, .shape = &p->shape, .order = &p->order};

    memset(p, 0, sizeof(*p));
    p->shape.modifier_mandatory = true;
    if (registry_port_enum(&s->reg, s->node_id, SPA_PARAM_EnumFormat, timeout_ms, add_format, &w) <
            0 ||
        json_object_array_length(formats) == 0) {
        json_object_put(formats);
        formats = NULL;
        p->shape = (struct producer_shape){0};
        p->order.n = 0;
    }
    p->shape.known = formats != NULL;
    if (!p->shape.modifier_format)
        p->shape.modifier_mandatory = false;
    p->json = json_object_new_object();
    json_object_object_add(p->json, "node_id", json_object_new_int64(s->node_id));
    json_object_object_add(p->json, "name", json_object_new_string(s->node_name));
    json_object_object_add(p->json, "media_class", json_object_new_string(s->media_class));
    json_object_object_add(p->json, "enum_formats", formats);
    json_object_object_add(p->json, "modifier_property",
                           formats ? json_object_new_boolean(p->shape.modifier_format) : NULL);
    json_object_object_add(p->json, "shm_only",
                           formats ? json_object_new_boolean(!p->shape.modifier_format) : NULL);
}

void outcome_offer_order(const struct offer *offer, struct format_order *out)
{
    out->n = 0;
    for (uint32_t i = 0; i < offer->n_enums; i++)
        for (uint32_t j = 0; j < offer->enums[i].n_formats; j++)
            format_order_add(out, offer->enums[i].formats[j]);
}

void producer_clear(struct producer *p)
{
    json_object_put(p->json);
    p->json = NULL;
}

const char *outcome_would_refuse(const struct producer *p, const struct offer *o)
{
    const struct producer_shape *shape = &p->shape;

    if (!shape->known)
        return NULL;
    if (!shape->plain_format && shape->modifier_mandatory && !offer_has_modifier_pod(o))
        return "the producer offers only DMA-BUF formats with a MANDATORY modifier, the offer "
               "none with a modifier";
    if (!shape->modifier_format && !offer_has_plain_pod(o))
        return "the producer offers no modifier (SHM only), the offer no format without one";
    /* An SHM-only producer's buffers are MemFd: Mutter's and xdg-desktop-portal-wlr's are. */
    if (!shape->modifier_format && !(offer_port_data_types(o, false) & (1u << SPA_DATA_MemFd)))
        return "the producer's SHM buffers are MemFd, the offer takes none";
    return NULL;
}

struct json_object *outcome_offer_json(const struct offer *offer)
{
    uint8_t buffer[65536];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const struct spa_pod *params[OFFER_MAX_ENUM];
    struct json_object *obj = json_object_new_object(), *pods = json_object_new_array();
    int n = offer_build_enum_formats(offer, &b, params, OFFER_MAX_ENUM);

    for (int i = 0; i < n; i++)
        json_object_array_add(pods, pod_to_json(params[i]));
    json_object_object_add(obj, "name", json_object_new_string(offer->name));
    json_object_object_add(obj, "description", json_object_new_string(offer->description));
    json_object_object_add(obj, "gpu_modifiers", json_object_new_boolean(offer->gpu_modifiers));
    json_object_object_add(obj, "enum_formats", pods);
    return obj;
}

static struct json_object *state_timeline(const struct trace *t)
{
    struct json_object *arr = json_object_new_array();

    for (size_t i = 0; i < t->n_events; i++) {
        const struct trace_event *e = &t->events[i];
        struct json_object *s;
        if (e->kind != TRACE_STATE)
            continue;
        s = json_object_new_object();
        json_object_object_add(s, "t_ms", json_object_new_double((double)e->t_ns / 1e6));
        json_object_object_add(s, "state", json_object_new_string(trace_state_name(e->to)));
        json_object_array_add(arr, s);
    }
    return arr;
}

static void add_counts(struct json_object *obj, const struct trace *t)
{
    json_object_object_add(obj, "frames", json_object_new_int64(t->frames));
    json_object_object_add(obj, "param_changed", json_object_new_int64(t->param_changed));
    json_object_object_add(obj, "format_changes", json_object_new_int64(t->format_changes));
    json_object_object_add(obj, "streaming_drops", json_object_new_int64(t->streaming_drops));
    json_object_object_add(obj, "own_pauses", json_object_new_int64(t->own_pauses));
    json_object_object_add(obj, "first_frame_ms",
                           t->frames ? json_object_new_double((double)t->first_frame_ns / 1e6)
                                     : NULL);
    json_object_object_add(obj, "longest_gap_ms",
                           t->frames > 1 ? json_object_new_double((double)t->longest_gap_ns / 1e6)
                                         : NULL);
    json_object_object_add(obj, "stream_error",
                           t->error[0] ? json_object_new_string(t->error) : NULL);
    json_object_object_add(obj, "link_error",
                           t->link_error[0] ? json_object_new_string(t->link_error) : NULL);
    json_object_object_add(obj, "states", state_timeline(t));
}

static struct json_object *skipped(const struct offer *offer)
{
    struct json_object *obj = json_object_new_object();

    json_object_object_add(obj, "name", json_object_new_string(offer->name));
    json_object_object_add(obj, "description", json_object_new_string(offer->description));
    json_object_object_add(obj, "verdict", json_object_new_string("skipped"));
    json_object_object_add(obj, "reason", json_object_new_string(offer->skip_reason));
    json_object_object_add(obj, "frames", json_object_new_int(0));
    json_object_object_add(obj, "param_changed", json_object_new_int(0));
    json_object_object_add(obj, "first_frame_ms", NULL);
    json_object_object_add(obj, "data_type", NULL);
    json_object_object_add(obj, "format", NULL);
    json_object_object_add(obj, "format_order", NULL);
    return obj;
}

static void append_reason(struct verdict_result *v, const char *more)
{
    size_t used = strlen(v->reason);

    snprintf(v->reason + used, sizeof(v->reason) - used, "%s", more);
}

int outcome_run(struct session *s, const struct producer *producer, const struct offer *offer,
                const struct stream_options *so, bool timeline, struct outcome *out)
{
    struct stream_result res;
    struct verdict_result v;
    struct json_object *obj, *details, *val;

    memset(out, 0, sizeof(*out));
    out->data_type = SPA_ID_INVALID;
    if (offer->skip_reason[0]) {
        out->verdict = VERDICT_SKIPPED;
        out->json = skipped(offer);
        return 0;
    }
    if (stream_run(&s->conn, &s->reg, offer, so, &res) == -EINTR) {
        stream_result_clear(&res);
        return -EINTR;
    }
    trace_verdict(&res.trace, offer_has_modifier_pod(offer), offer_has_plain_pod(offer),
                  &producer->shape, &v);
    out->fixated_in_vain = stream_fixated_in_vain(&res);
    if (stream_fixation_lost(&res))
        append_reason(&v, "; pwzc fixated the modifier, but the link kept the open Format and no "
                          "buffer was made (seen when other links negotiate at the same moment)");
    out->verdict = v.verdict;
    out->data_type = res.data_type;
    out->producer_vanished = res.producer_vanished;
    snprintf(out->fd_kind, sizeof(out->fd_kind), "%s", res.fd_kind);
    snprintf(out->stream_error, sizeof(out->stream_error), "%s", res.trace.error);
    out->json = obj = json_object_new_object();
    json_object_object_add(obj, "name", json_object_new_string(offer->name));
    json_object_object_add(obj, "description", json_object_new_string(offer->description));
    json_object_object_add(obj, "verdict", json_object_new_string(verdict_name(v.verdict)));
    json_object_object_add(obj, "reason", json_object_new_string(v.reason));
    add_counts(obj, &res.trace);
    /* The stream's details sit beside the counts, flat, so a script reads offer.data_type. */
    details = stream_result_json(&res, timeline);
    json_object_object_foreach(details, key, value) {
        val = json_object_get(value);
        json_object_object_add(obj, key, val);
    }
    json_object_put(details);
    json_object_object_add(obj, "format_order", outcome_format_order_json(producer, offer, &res));
    stream_result_clear(&res);
    return 0;
}

struct json_object *outcome_format_order_json(const struct producer *producer,
                                              const struct offer *offer,
                                              const struct stream_result *res)
{
    struct format_order consumer;

    outcome_offer_order(offer, &consumer);
    return format_order_json(&producer->order, &consumer,
                             res->format ? res->frame_format.format : SPA_VIDEO_FORMAT_UNKNOWN);
}

struct json_object *outcome_report_head(struct session *s, struct producer *p,
                                        const struct gpu_info *gpu)
{
    struct json_object *tree = json_object_new_object();

    producer_gather(p, s, 1000);
    json_object_object_add(tree, "pipewire", session_versions_json(s));
    json_object_object_add(tree, "session", session_to_json(s));
    json_object_object_add(tree, "producer", json_object_get(p->json));
    json_object_object_add(tree, "gpu", gpu_to_json(gpu));
    return tree;
}
