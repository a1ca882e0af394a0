/* Whose order of formats decided the one agreed. */
#include "config.h"

#include <spa/param/format.h>
#include <spa/param/video/raw.h>
#include <spa/pod/iter.h>

#include "format-order.h"
#include "formats.h"

void format_order_add(struct format_order *o, uint32_t format)
{
    for (uint32_t i = 0; i < o->n; i++)
        if (o->formats[i] == format)
            return;
    if (o->n < FORMAT_ORDER_MAX)
        o->formats[o->n++] = format;
}

void format_order_add_pod(struct format_order *o, const struct spa_pod *param)
{
    const struct spa_pod_prop *prop = spa_pod_find_prop(param, NULL, SPA_FORMAT_VIDEO_format);
    uint32_t n_vals, choice, *vals;
    const struct spa_pod *value;

    if (!prop)
        return;
    value = spa_pod_get_values(&prop->value, &n_vals, &choice);
    if (value->type != SPA_TYPE_Id || n_vals == 0)
        return;
    vals = SPA_POD_BODY(value);
    /* A Choice's first value is its default; an Enum's alternatives follow it. */
    for (uint32_t i = 0; i < n_vals; i++)
        format_order_add(o, vals[i]);
}

static bool has(const struct format_order *o, uint32_t format)
{
    for (uint32_t i = 0; i < o->n; i++)
        if (o->formats[i] == format)
            return true;
    return false;
}

static uint32_t first_shared(const struct format_order *a, const struct format_order *b)
{
    for (uint32_t i = 0; i < a->n; i++)
        if (has(b, a->formats[i]))
            return a->formats[i];
    return SPA_VIDEO_FORMAT_UNKNOWN;
}

static struct json_object *name_json(uint32_t format)
{
    const struct video_format *vf = format_by_spa(format);

    return format == SPA_VIDEO_FORMAT_UNKNOWN ? NULL
                                              : json_object_new_string(vf ? vf->name : "?");
}

struct json_object *format_order_json(const struct format_order *producer,
                                      const struct format_order *consumer, uint32_t agreed)
{
    uint32_t pf = first_shared(producer, consumer), cf = first_shared(consumer, producer);
    struct json_object *obj;
    const char *by = NULL;

    if (producer->n == 0 || consumer->n == 0)
        return NULL;
    if (pf != cf && agreed == pf)
        by = "producer";
    else if (pf != cf && agreed == cf)
        by = "consumer";
    obj = json_object_new_object();
    json_object_object_add(obj, "decided_by", by ? json_object_new_string(by) : NULL);
    json_object_object_add(obj, "producer_first", name_json(pf));
    json_object_object_add(obj, "consumer_first", name_json(cf));
    return obj;
}
