/* One offer tried against one producer: run it, judge it, describe it as JSON. Probe and
 * negotiate both report offers through here, so they can never describe one differently. */
#pragma once

#include <json-c/json.h>

#include "format-order.h"
#include "offers.h"
#include "session.h"
#include "stream.h"
#include "trace.h"

/* The producer as the verdicts need it, gathered once per session. */
struct producer {
    struct json_object *json; /* {"node_id", "name", "enum_formats": [...], ...} */
    struct producer_shape shape;
    struct format_order order; /* its formats, most preferred first */
};

/* The offer's formats, most preferred first. */
void outcome_offer_order(const struct offer *offer, struct format_order *out);

void producer_gather(struct producer *p, struct session *s, uint32_t timeout_ms);
void producer_clear(struct producer *p);

/* Would this producer refuse the offer when they are linked (no common format kind, no common
 * data type)? From its EnumFormats: a guess before the fact, never a verdict. */
const char *outcome_would_refuse(const struct producer *p, const struct offer *o);

struct gpu_info;

/* What every report starts with: the PipeWire versions, the session, the producer (gathered
 * into *p, which the caller clears) and the GPU. */
struct json_object *outcome_report_head(struct session *s, struct producer *p,
                                        const struct gpu_info *gpu);

/* What a result run at once, then again alone (probe --jobs), says of it: the rule is
 * stream_fixated_in_vain(), so the words are its words. */
#define RERUN_NOTE                                                                                 \
    "run again alone: at once with the others, pwzc fixated the modifier and no frame came (a "    \
    "busy daemon can lose the fixation)"

/* What one offer came to: the decisions read these fields, never the JSON. */
struct outcome {
    enum verdict verdict;
    uint32_t data_type; /* SPA_DATA_* of the buffers, or SPA_ID_INVALID */
    char fd_kind[32];   /* what the buffer fds really were: memfd, dmabuf, ... ("": none) */
    char stream_error[256];
    bool producer_vanished; /* its node went away while the offer was watched */
    bool fixated_in_vain;   /* see stream_fixated_in_vain() */
    /* Its description for the report: name, description, verdict, reason, counts, negotiated
     * format and buffers; the full timeline when asked for. The caller owns it. */
    struct json_object *json;
};

/* Runs the offer (or records why it is skipped) into *out. -EINTR when interrupted (then
 * nothing is in *out). */
int outcome_run(struct session *s, const struct producer *producer, const struct offer *offer,
                const struct stream_options *so, bool timeline, struct outcome *out);

/* Whose order of formats decided the agreed one (format-order.h), for an offer's or a client's
 * report. */
struct json_object *outcome_format_order_json(const struct producer *producer,
                                              const struct offer *offer,
                                              const struct stream_result *res);

/* The offer's EnumFormat pods as JSON, for negotiate's "offer" section. */
struct json_object *outcome_offer_json(const struct offer *offer);
