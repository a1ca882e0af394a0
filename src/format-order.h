/* Whose order of formats decided the one agreed: the producer's or the consumer's. Which side
 * wins depends on the daemon (1.5.81 moved it to the consumer's) and on how each side splits its
 * formats into pods (a consumer with one pod per format gets its own first on 0.3 too), so it is
 * told from what was agreed, never from a version. */
#pragma once

#include <stdint.h>

#include <json-c/json.h>
#include <spa/pod/pod.h>

#define FORMAT_ORDER_MAX 32

/* Formats in the order a side prefers them (first appearance over its EnumFormats). */
struct format_order {
    uint32_t formats[FORMAT_ORDER_MAX];
    uint32_t n;
};

/* Adds the formats of one EnumFormat pod (an Id, or a Choice: its default first). */
void format_order_add_pod(struct format_order *o, const struct spa_pod *param);
void format_order_add(struct format_order *o, uint32_t format);

/* {"decided_by": "producer"|"consumer"|null, "producer_first", "consumer_first"}: each side's
 * first format the other also has. decided_by is null when both put the same first, or when
 * nothing was agreed. NULL when either side's formats are unknown. */
struct json_object *format_order_json(const struct format_order *producer,
                                      const struct format_order *consumer, uint32_t agreed);
