/* A running port's params, read as pw-dump reads them, kept as pods for the deciders. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <spa/debug/types.h>
#include <spa/param/buffers.h>
#include <spa/param/format.h>
#include <spa/param/param.h>
#include <spa/param/video/format.h>
#include <spa/pod/iter.h>
#include <spa/pod/parser.h>
#include <spa/utils/type-info.h>

#include "formats.h"
#include "pod.h"
#include "wire.h"

struct read_ctx {
    struct wire_port *port;
    uint32_t param_id;
};

static struct spa_pod *pod_copy(const struct spa_pod *pod)
{
    struct spa_pod *copy = malloc(SPA_POD_SIZE(pod));

    if (copy)
        memcpy(copy, pod, SPA_POD_SIZE(pod));
    return copy;
}

static void keep(struct spa_pod **list, uint32_t *n, const struct spa_pod *pod)
{
    struct spa_pod *copy;

    if (*n < WIRE_MAX_PARAMS && (copy = pod_copy(pod)))
        list[(*n)++] = copy;
}

/* Pods come from another process: one that cannot be read safely is not kept. */
static void on_param(void *data, const struct spa_pod *param)
{
    struct read_ctx *ctx = data;
    struct wire_port *p = ctx->port;

    if (pod_problem(param) || !spa_pod_is_object(param))
        return;
    switch (ctx->param_id) {
    case SPA_PARAM_EnumFormat:
        keep(p->enum_formats, &p->n_enum_formats, param);
        break;
    case SPA_PARAM_Format:
        if (!p->format)
            p->format = pod_copy(param);
        break;
    case SPA_PARAM_Buffers:
        keep(p->buffers, &p->n_buffers, param);
        break;
    case SPA_PARAM_Meta:
        keep(p->metas, &p->n_metas, param);
        break;
    }
}

int wire_port_read(struct registry *r, uint32_t port_id, uint32_t timeout_ms, struct wire_port *p)
{
    static const uint32_t ids[] = {SPA_PARAM_EnumFormat, SPA_PARAM_Format, SPA_PARAM_Buffers,
                                   SPA_PARAM_Meta};
    int res;

    p->port_id = port_id;
    for (size_t i = 0; i < SPA_N_ELEMENTS(ids); i++) {
        struct read_ctx ctx = {.port = p, .param_id = ids[i]};
        if ((res = registry_global_enum(r, port_id, ids[i], timeout_ms, on_param, &ctx)) < 0)
            return res;
    }
    return 0;
}

static void free_list(struct spa_pod **list, uint32_t *n)
{
    for (uint32_t i = 0; i < *n; i++)
        free(list[i]);
    *n = 0;
}

void wire_port_clear(struct wire_port *p)
{
    free_list(p->enum_formats, &p->n_enum_formats);
    free_list(p->buffers, &p->n_buffers);
    free_list(p->metas, &p->n_metas);
    free(p->format);
    p->format = NULL;
}

void wire_port_data_types(const struct wire_port *p, struct wire_data_types *out)
{
    memset(out, 0, sizeof(*out));
    for (uint32_t i = 0; i < p->n_buffers; i++) {
        const struct spa_pod_prop *prop =
            spa_pod_find_prop(p->buffers[i], NULL, SPA_PARAM_BUFFERS_dataType);
        const struct spa_pod *v;
        uint32_t n, choice;
        if (!prop)
            continue;
        v = spa_pod_get_values(&prop->value, &n, &choice);
        if (v->type != SPA_TYPE_Int || n == 0)
            continue;
        if (!out->known)
            out->plain_int = prop->value.type == SPA_TYPE_Int;
        out->known = true;
        /* A Flags choice's first value is the mask itself, as is a plain Int. */
        out->mask |= (uint32_t)((const int32_t *)SPA_POD_BODY_CONST(v))[0];
    }
}

void wire_port_shape(const struct wire_port *p, struct wire_shape *out)
{
    memset(out, 0, sizeof(*out));
    out->modifier_mandatory = true;
    for (uint32_t i = 0; i < p->n_enum_formats; i++) {
        const struct spa_pod_prop *mod =
            spa_pod_find_prop(p->enum_formats[i], NULL, SPA_FORMAT_VIDEO_modifier);
        if (!mod) {
            out->plain_format = true;
            continue;
        }
        out->modifier_format = true;
        if (!(mod->flags & SPA_POD_PROP_FLAG_MANDATORY))
            out->modifier_mandatory = false;
    }
    if (!out->modifier_format)
        out->modifier_mandatory = false;
}

uint32_t wire_meta_type(const struct spa_pod *meta)
{
    uint32_t type;

    if (spa_pod_parse_object(meta, SPA_TYPE_OBJECT_ParamMeta, NULL, SPA_PARAM_META_type,
                             SPA_POD_Id(&type)) < 0)
        return SPA_ID_INVALID;
    return type;
}

const char *wire_meta_name(uint32_t type)
{
    const char *name = spa_debug_type_find_short_name(spa_type_meta_type, type);

    return name ? name : "unknown";
}

struct json_object *wire_data_types_json(uint32_t mask)
{
    struct json_object *arr = json_object_new_array();

    for (uint32_t t = 0; t < 32; t++)
        if (mask & (1u << t))
            json_object_array_add(arr, json_object_new_string(data_type_name(t)));
    return arr;
}

static struct json_object *pods_json(struct spa_pod *const *list, uint32_t n, bool summary)
{
    struct json_object *arr = json_object_new_array();

    for (uint32_t i = 0; i < n; i++) {
        struct json_object *entry = json_object_new_object();
        if (summary)
            json_object_object_add(entry, "summary", pod_format_summary(list[i]));
        json_object_object_add(entry, "pod", pod_to_json(list[i]));
        json_object_array_add(arr, entry);
    }
    return arr;
}

struct json_object *wire_port_to_json(const struct wire_port *p)
{
    struct json_object *obj = json_object_new_object(), *metas = json_object_new_array();
    struct wire_data_types types;

    wire_port_data_types(p, &types);
    json_object_object_add(obj, "port_id", json_object_new_int64(p->port_id));
    json_object_object_add(obj, "enum_formats",
                           pods_json(p->enum_formats, p->n_enum_formats, true));
    json_object_object_add(obj, "format", p->format ? pod_format_summary(p->format) : NULL);
    json_object_object_add(obj, "buffers", pods_json(p->buffers, p->n_buffers, false));
    for (uint32_t i = 0; i < p->n_metas; i++)
        json_object_array_add(metas,
                              json_object_new_string(wire_meta_name(wire_meta_type(p->metas[i]))));
    json_object_object_add(obj, "metas", metas);
    json_object_object_add(obj, "data_types",
                           types.known ? wire_data_types_json(types.mask) : NULL);
    json_object_object_add(obj, "data_type_pod",
                           types.known ? json_object_new_string(types.plain_int ? "Int" : "Choice")
                                       : NULL);
    return obj;
}
