/* The screencast nodes of a daemon, decided from their EnumFormat pods, then put into JSON. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <spa/param/format.h>
#include <spa/param/param.h>
#include <spa/param/video/format.h>
#include <spa/pod/iter.h>
#include <spa/utils/defs.h>

#include "formats.h"
#include "pod.h"
#include "screencasts.h"
#include "util.h"

#define MAX_FORMATS 16

/* What one node's EnumFormats add up to. */
struct offers {
    uint32_t formats[MAX_FORMATS];
    uint32_t n_formats;
    struct spa_rectangle size; /* the first EnumFormat's (default) size */
    bool has_size;
    bool modifier; /* some EnumFormat has a modifier property: DMA-BUF */
    bool plain;    /* some EnumFormat has none: SHM */
    struct json_object *summaries;
};

/* Every value of the format property, the default and each alternative. */
static void read_formats(struct offers *o, const struct spa_pod *param)
{
    const struct spa_pod_prop *prop = spa_pod_find_prop(param, NULL, SPA_FORMAT_VIDEO_format);
    const struct spa_pod *v;
    uint32_t n, choice;

    if (!prop)
        return;
    v = spa_pod_get_values(&prop->value, &n, &choice);
    if (v->type != SPA_TYPE_Id || v->size < sizeof(uint32_t))
        return;
    for (uint32_t i = 0; i < n; i++)
        pwzc_id_set_add(o->formats, &o->n_formats, MAX_FORMATS,
                        ((const uint32_t *)SPA_POD_BODY_CONST(v))[i]);
}

static void read_size(struct offers *o, const struct spa_pod *param)
{
    const struct spa_pod_prop *prop = spa_pod_find_prop(param, NULL, SPA_FORMAT_VIDEO_size);
    const struct spa_pod *v;
    uint32_t n, choice;

    if (!prop || o->has_size)
        return;
    v = spa_pod_get_values(&prop->value, &n, &choice);
    if (v->type != SPA_TYPE_Rectangle || n == 0 || v->size < sizeof(struct spa_rectangle))
        return;
    o->size = *(const struct spa_rectangle *)SPA_POD_BODY_CONST(v);
    o->has_size = true;
}

/* Pods come from the producer's process: one that does not hold together is shown, not read. */
static void on_enum_format(void *data, const struct spa_pod *param)
{
    struct offers *o = data;

    json_object_array_add(o->summaries, pod_format_summary(param));
    if (!spa_pod_is_object(param) || pod_problem(param))
        return;
    read_formats(o, param);
    read_size(o, param);
    if (spa_pod_find_prop(param, NULL, SPA_FORMAT_VIDEO_modifier))
        o->modifier = true;
    else
        o->plain = true;
}

static const char *buffers_of(const struct offers *o, bool readable)
{
    if (!readable || (!o->modifier && !o->plain))
        return "unknown";
    return o->modifier ? "DMA-BUF" : "SHM only";
}

static struct json_object *formats_json(const struct offers *o)
{
    struct json_object *arr = json_object_new_array();
    char buf[32];

    for (uint32_t i = 0; i < o->n_formats; i++)
        json_object_array_add(arr,
                              json_object_new_string(format_name(o->formats[i], buf, sizeof(buf))));
    return arr;
}

static struct json_object *node_json(const struct reg_node *n, const struct offers *o,
                                     bool readable, bool session_node)
{
    struct json_object *obj = json_object_new_object();
    char size[32];

    snprintf(size, sizeof(size), "%ux%u", o->size.width, o->size.height);
    json_object_object_add(obj, "id", json_object_new_int64(n->id));
    json_object_object_add(obj, "serial", json_object_new_int64((int64_t)n->serial));
    json_object_object_add(obj, "name", json_object_new_string(n->name));
    json_object_object_add(obj, "description", json_object_new_string(n->description));
    json_object_object_add(obj, "media_class", json_object_new_string(n->media_class));
    json_object_object_add(obj, "session_node", json_object_new_boolean(session_node));
    json_object_object_add(obj, "formats", formats_json(o));
    json_object_object_add(obj, "size", o->has_size ? json_object_new_string(size) : NULL);
    json_object_object_add(obj, "modifier", json_object_new_boolean(o->modifier));
    json_object_object_add(obj, "shm", json_object_new_boolean(o->plain));
    json_object_object_add(obj, "buffers", json_object_new_string(buffers_of(o, readable)));
    json_object_object_add(obj, "enum_formats", readable ? json_object_get(o->summaries) : NULL);
    return obj;
}

/* A copy of the video nodes: reading a port runs the loop, and the registry may change then. */
static struct reg_node *video_nodes(const struct registry *r, size_t *n)
{
    struct reg_node *node, *copy;
    size_t count = 0;

    spa_list_for_each(node, &r->nodes, link)
        count++;
    *n = 0;
    if (!(copy = calloc(count ? count : 1, sizeof(*copy))))
        return NULL;
    spa_list_for_each(node, &r->nodes, link) {
        if (registry_node_is_video_source(node))
            copy[(*n)++] = *node;
    }
    return copy;
}

struct json_object *screencasts_gather(struct registry *r, uint32_t session_node,
                                       uint32_t timeout_ms)
{
    struct json_object *tree = json_object_new_object(), *nodes = json_object_new_array();
    size_t n;
    struct reg_node *list = video_nodes(r, &n);

    for (size_t i = 0; i < n; i++) {
        struct offers o = {.summaries = json_object_new_array()};
        bool readable = registry_port_enum(r, list[i].id, SPA_PARAM_EnumFormat, timeout_ms,
                                           on_enum_format, &o) == 0;
        json_object_array_add(nodes, node_json(&list[i], &o, readable, list[i].id == session_node));
        json_object_put(o.summaries);
    }
    free(list);
    json_object_object_add(tree, "daemon", json_object_new_string(r->conn->daemon_version));
    json_object_object_add(tree, "nodes", nodes);
    return tree;
}
