/* Pods to JSON through SPA's own type tables, so every key and enum reads as PipeWire names it. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <spa/buffer/buffer.h>
#include <spa/debug/types.h>
#include <spa/param/format.h>
#include <spa/param/param.h>
#include <spa/param/type-info.h>
#include <spa/param/video/format-utils.h>
#include <spa/pod/iter.h>

#include "formats.h"
#include "pod.h"

/* Real params are an object of props holding scalars, choices and arrays: depth 2. Anything much
 * deeper is not a param, and the walk over it must not recurse without bound. */
#define POD_MAX_DEPTH 16

/* How a scalar is shown: some Longs are modifiers, some Ints are data-type masks. */
enum value_kind { KIND_PLAIN, KIND_MODIFIER, KIND_DATA_TYPES };

static struct json_object *value_to_json(const struct spa_type_info *info, enum value_kind kind,
                                         uint32_t type, const void *body, uint32_t size);

static struct json_object *id_to_json(const struct spa_type_info *info, uint32_t id)
{
    const char *name = info ? spa_debug_type_find_short_name(info, id) : NULL;

    return name ? json_object_new_string(name) : json_object_new_int64(id);
}

static struct json_object *long_to_json(enum value_kind kind, int64_t v)
{
    char buf[32];

    if (kind != KIND_MODIFIER)
        return json_object_new_int64(v);
    /* Modifiers are 64-bit patterns, not numbers: hex keeps them exact in every JSON reader. */
    snprintf(buf, sizeof(buf), "0x%016" PRIx64, (uint64_t)v);
    return json_object_new_string(buf);
}

static struct json_object *int_to_json(enum value_kind kind, int32_t v)
{
    char buf[64];

    if (kind != KIND_DATA_TYPES)
        return json_object_new_int(v);
    data_types_string((uint32_t)v, buf, sizeof(buf));
    return json_object_new_string(buf);
}

static struct json_object *rect_to_json(const struct spa_rectangle *r)
{
    char buf[32];

    snprintf(buf, sizeof(buf), "%ux%u", r->width, r->height);
    return json_object_new_string(buf);
}

static struct json_object *fraction_to_json(const struct spa_fraction *f)
{
    char buf[32];

    snprintf(buf, sizeof(buf), "%u/%u", f->num, f->denom);
    return json_object_new_string(buf);
}

static const char *choice_name(uint32_t choice)
{
    switch (choice) {
    case SPA_CHOICE_None:
        return "None";
    case SPA_CHOICE_Range:
        return "Range";
    case SPA_CHOICE_Step:
        return "Step";
    case SPA_CHOICE_Enum:
        return "Enum";
    case SPA_CHOICE_Flags:
        return "Flags";
    }
    return "unknown";
}

/* {"choice": "Enum", "default": v, "values": [alternatives]}: SPA puts the default first. */
static struct json_object *choice_to_json(const struct spa_type_info *info, enum value_kind kind,
                                          const struct spa_pod_choice_body *b, uint32_t size)
{
    struct json_object *obj, *values;
    const void *p;
    bool first = true;

    /* A None choice is a fixed value in a choice's clothes (the daemon sends Formats so). */
    if (b->type == SPA_CHOICE_None && size >= sizeof(*b) + b->child.size)
        return value_to_json(info, kind, b->child.type, SPA_PTROFF(b, sizeof(*b), void),
                             b->child.size);
    obj = json_object_new_object();
    values = json_object_new_array();
    json_object_object_add(obj, "choice", json_object_new_string(choice_name(b->type)));
    SPA_POD_CHOICE_BODY_FOREACH(b, size, p) {
        struct json_object *v = value_to_json(info, kind, b->child.type, p, b->child.size);
        if (first)
            json_object_object_add(obj, "default", v);
        else
            json_object_array_add(values, v);
        first = false;
    }
    json_object_object_add(obj, "values", values);
    return obj;
}

static struct json_object *object_to_json(const struct spa_pod_object_body *b, uint32_t size);

static struct json_object *value_to_json(const struct spa_type_info *info, enum value_kind kind,
                                         uint32_t type, const void *body, uint32_t size)
{
    switch (type) {
    case SPA_TYPE_Bool:
        return json_object_new_boolean(*(const int32_t *)body != 0);
    case SPA_TYPE_Id:
        return id_to_json(info, *(const uint32_t *)body);
    case SPA_TYPE_Int:
        return int_to_json(kind, *(const int32_t *)body);
    case SPA_TYPE_Long:
        return long_to_json(kind, *(const int64_t *)body);
    case SPA_TYPE_Float:
        return json_object_new_double(*(const float *)body);
    case SPA_TYPE_Double:
        return json_object_new_double(*(const double *)body);
    case SPA_TYPE_String:
        return json_object_new_string_len(body, (int)strnlen(body, size));
    case SPA_TYPE_Rectangle:
        return rect_to_json(body);
    case SPA_TYPE_Fraction:
        return fraction_to_json(body);
    case SPA_TYPE_Choice:
        return choice_to_json(info, kind, body, size);
    case SPA_TYPE_Object:
        return object_to_json(body, size);
    case SPA_TYPE_Array: {
        const struct spa_pod_array_body *b = body;
        struct json_object *arr = json_object_new_array();
        const void *p;
        SPA_POD_ARRAY_BODY_FOREACH(b, size, p)
            json_object_array_add(arr, value_to_json(info, kind, b->child.type, p, b->child.size));
        return arr;
    }
    case SPA_TYPE_Struct: {
        struct json_object *arr = json_object_new_array();
        const struct spa_pod *p;
        SPA_POD_FOREACH((const struct spa_pod *)body, size, p)
            json_object_array_add(
                arr, value_to_json(info, KIND_PLAIN, p->type, SPA_POD_BODY(p), p->size));
        return arr;
    }
    case SPA_TYPE_None:
        return NULL;
    }
    return json_object_new_string(spa_debug_type_find_short_name(SPA_TYPE_ROOT, type) ?: "unknown");
}

static struct json_object *flags_to_json(uint32_t flags)
{
    struct json_object *arr = json_object_new_array();

    if (flags & SPA_POD_PROP_FLAG_READONLY)
        json_object_array_add(arr, json_object_new_string("readonly"));
    if (flags & SPA_POD_PROP_FLAG_HARDWARE)
        json_object_array_add(arr, json_object_new_string("hardware"));
    if (flags & SPA_POD_PROP_FLAG_MANDATORY)
        json_object_array_add(arr, json_object_new_string("mandatory"));
    if (flags & SPA_POD_PROP_FLAG_DONT_FIXATE)
        json_object_array_add(arr, json_object_new_string("dont-fixate"));
    return arr;
}

static enum value_kind kind_of(uint32_t object_type, uint32_t key)
{
    if (object_type == SPA_TYPE_OBJECT_Format && key == SPA_FORMAT_VIDEO_modifier)
        return KIND_MODIFIER;
    if (object_type == SPA_TYPE_OBJECT_ParamBuffers && key == SPA_PARAM_BUFFERS_dataType)
        return KIND_DATA_TYPES;
    return KIND_PLAIN;
}

static struct json_object *prop_to_json(const struct spa_type_info *keys, uint32_t object_type,
                                        const struct spa_pod_prop *p)
{
    const struct spa_type_info *ki = spa_debug_type_find(keys, p->key);
    struct json_object *v =
        value_to_json(ki ? ki->values : NULL, kind_of(object_type, p->key), p->value.type,
                      SPA_POD_CONTENTS(struct spa_pod_prop, p), p->value.size);

    /* Flags change what a property means in negotiation, so they travel with the value. */
    if (p->flags) {
        if (!json_object_is_type(v, json_type_object) ||
            !json_object_object_get_ex(v, "choice", NULL)) {
            struct json_object *wrap = json_object_new_object();
            json_object_object_add(wrap, "choice", json_object_new_string("None"));
            json_object_object_add(wrap, "default", v);
            json_object_object_add(wrap, "values", json_object_new_array());
            v = wrap;
        }
        json_object_object_add(v, "flags", flags_to_json(p->flags));
    }
    return v;
}

static struct json_object *object_to_json(const struct spa_pod_object_body *b, uint32_t size)
{
    const struct spa_type_info *ti = spa_debug_type_find(SPA_TYPE_ROOT, b->type);
    struct json_object *obj = json_object_new_object(), *props = json_object_new_object();
    const struct spa_pod_prop *p;

    json_object_object_add(
        obj, "type", json_object_new_string(ti ? spa_debug_type_short_name(ti->name) : "unknown"));
    json_object_object_add(obj, "id", json_object_new_string(pod_param_name(b->id)));
    SPA_POD_OBJECT_BODY_FOREACH(b, size, p) {
        const struct spa_type_info *ki = ti ? spa_debug_type_find(ti->values, p->key) : NULL;
        char unknown[32];
        const char *name = ki ? spa_debug_type_short_name(ki->name) : NULL;
        if (!name) {
            snprintf(unknown, sizeof(unknown), "key-%u", p->key);
            name = unknown;
        }
        json_object_object_add(props, name, prop_to_json(ti ? ti->values : NULL, b->type, p));
    }
    json_object_object_add(obj, "props", props);
    return obj;
}

/* The body size of a fixed-size scalar type; 0 for every other type. */
static uint32_t scalar_size(uint32_t type)
{
    switch (type) {
    case SPA_TYPE_Bool:
    case SPA_TYPE_Id:
    case SPA_TYPE_Int:
    case SPA_TYPE_Float:
        return 4;
    case SPA_TYPE_Long:
    case SPA_TYPE_Double:
    case SPA_TYPE_Rectangle:
    case SPA_TYPE_Fraction:
        return 8;
    }
    return 0;
}

/* A Choice's or an Array's values: whole scalars of exactly their type's size, so that each one
 * can be read where it starts. A Choice has at least its default (SPA's parser reads it). */
static const char *values_problem(const struct spa_pod *child, uint32_t values_size, bool choice)
{
    uint32_t size = scalar_size(child->type);

    /* An empty Array is legal, and the builder leaves its child None then. */
    if (values_size == 0)
        return choice ? "a Choice without a value" : NULL;
    if (size == 0)
        return "its values are not scalars";
    if (child->size != size)
        return "its values are not the size of their type";
    if (values_size % size != 0)
        return "its last value is cut short";
    return NULL;
}

static const char *value_problem(uint32_t type, const void *body, uint32_t size, int depth);

static const char *object_problem(const struct spa_pod_object_body *b, uint32_t size, int depth)
{
    const struct spa_pod_prop *p;
    const char *why;

    if (size < sizeof(*b))
        return "an Object shorter than its header";
    SPA_POD_OBJECT_BODY_FOREACH(b, size, p) {
        if ((why = value_problem(p->value.type, SPA_POD_CONTENTS_CONST(struct spa_pod_prop, p),
                                 p->value.size, depth + 1)))
            return why;
    }
    return NULL;
}

/* The producer is another process: before anything reads a pod, every size in it is held
 * against what holds it. SPA's iterators keep props and struct members inside their parent, but
 * trust a Choice's or an Array's child size (0 loops for ever, a wrong one reads past the pod),
 * and so does spa_pod_parse_object. */
static const char *value_problem(uint32_t type, const void *body, uint32_t size, int depth)
{
    const struct spa_pod *p;
    const char *why;

    if (depth > POD_MAX_DEPTH)
        return "nested too deep";
    switch (type) {
    case SPA_TYPE_Choice:
        if (size < sizeof(struct spa_pod_choice_body))
            return "a Choice shorter than its header";
        return values_problem(&((const struct spa_pod_choice_body *)body)->child,
                              size - sizeof(struct spa_pod_choice_body), true);
    case SPA_TYPE_Array:
        if (size < sizeof(struct spa_pod_array_body))
            return "an Array shorter than its header";
        return values_problem(&((const struct spa_pod_array_body *)body)->child,
                              size - sizeof(struct spa_pod_array_body), false);
    case SPA_TYPE_Struct:
        SPA_POD_FOREACH((const struct spa_pod *)body, size, p) {
            if ((why = value_problem(p->type, SPA_POD_BODY_CONST(p), p->size, depth + 1)))
                return why;
        }
        return NULL;
    case SPA_TYPE_Object:
        return object_problem(body, size, depth);
    }
    return size < scalar_size(type) ? "a value shorter than its type" : NULL;
}

const char *pod_problem(const struct spa_pod *pod)
{
    return value_problem(pod->type, SPA_POD_BODY_CONST(pod), pod->size, 0);
}

/* Shown, not dropped: a malformed param is itself a finding about the producer. */
static struct json_object *malformed_json(const struct spa_pod *pod, const char *why)
{
    struct json_object *obj = json_object_new_object();
    uint32_t id = spa_pod_is_object(pod) ? SPA_POD_OBJECT_ID(pod) : SPA_ID_INVALID;

    json_object_object_add(obj, "type", json_object_new_string("malformed"));
    json_object_object_add(obj, "id", json_object_new_string(pod_param_name(id)));
    json_object_object_add(obj, "props", json_object_new_object());
    json_object_object_add(obj, "malformed", json_object_new_string(why));
    return obj;
}

struct json_object *pod_to_json(const struct spa_pod *pod)
{
    const char *why;

    if (!pod)
        return NULL;
    if ((why = pod_problem(pod)))
        return malformed_json(pod, why);
    return value_to_json(SPA_TYPE_ROOT, KIND_PLAIN, pod->type, SPA_POD_BODY_CONST(pod), pod->size);
}

int pod_format_parse(const struct spa_pod *format, struct spa_video_info_raw *info)
{
    if (!format || pod_problem(format))
        return -EINVAL;
    return spa_format_video_raw_parse(format, info);
}

const char *pod_param_name(uint32_t id)
{
    const char *name = spa_debug_type_find_short_name(spa_type_param, id);

    return name ? name : "unknown";
}

static struct json_object *modifier_summary(const struct spa_pod_prop *prop)
{
    struct json_object *obj = json_object_new_object(), *values = json_object_new_array();
    uint32_t n, choice;
    const struct spa_pod *v = spa_pod_get_values(&prop->value, &n, &choice);
    const int64_t *mods = SPA_POD_BODY_CONST(v);

    json_object_object_add(obj, "flags", flags_to_json(prop->flags));
    if (v->type == SPA_TYPE_Long) {
        /* An Enum choice repeats its default first; list each modifier once. */
        for (uint32_t i = (choice == SPA_CHOICE_Enum && n > 1) ? 1 : 0; i < n; i++) {
            struct json_object *m = json_object_new_object();
            char hex[32], name[160];
            snprintf(hex, sizeof(hex), "0x%016" PRIx64, (uint64_t)mods[i]);
            modifier_name((uint64_t)mods[i], name, sizeof(name));
            json_object_object_add(m, "value", json_object_new_string(hex));
            json_object_object_add(m, "name", json_object_new_string(name));
            json_object_array_add(values, m);
        }
    }
    json_object_object_add(obj, "values", values);
    return obj;
}

struct json_object *pod_format_summary(const struct spa_pod *format)
{
    struct json_object *obj, *pod, *props, *v;
    const struct spa_pod_prop *mod;
    static const char *const keys[][2] = {
        {"format", "format"},
        {"size", "size"},
        {"framerate", "framerate"},
        {"max_framerate", "maxFramerate"},
    };

    if (!format || !spa_pod_is_object(format) || pod_problem(format))
        return NULL;
    obj = json_object_new_object();
    pod = pod_to_json(format);
    json_object_object_get_ex(pod, "props", &props);
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        json_object_object_add(obj, keys[i][0],
                               json_object_object_get_ex(props, keys[i][1], &v) ? json_object_get(v)
                                                                                : NULL);
    json_object_put(pod);
    mod = spa_pod_find_prop(format, NULL, SPA_FORMAT_VIDEO_modifier);
    json_object_object_add(obj, "modifier", mod ? modifier_summary(mod) : NULL);
    return obj;
}

int pod_format_modifier_choice(const struct spa_pod *format, uint64_t *modifiers, uint32_t max,
                               uint32_t *n_modifiers)
{
    const struct spa_pod_prop *prop;
    const struct spa_pod *v;
    uint32_t n, choice, first;

    *n_modifiers = 0;
    if (!format || pod_problem(format) ||
        !(prop = spa_pod_find_prop(format, NULL, SPA_FORMAT_VIDEO_modifier)))
        return 0;
    v = spa_pod_get_values(&prop->value, &n, &choice);
    if (v->type != SPA_TYPE_Long || n == 0)
        return 0;
    if (choice == SPA_CHOICE_None || (n == 1 && !(prop->flags & SPA_POD_PROP_FLAG_DONT_FIXATE)))
        return 0;
    first = (choice == SPA_CHOICE_Enum && n > 1) ? 1 : 0;
    for (uint32_t i = first; i < n && *n_modifiers < max; i++)
        modifiers[(*n_modifiers)++] = ((const uint64_t *)SPA_POD_BODY_CONST(v))[i];
    return *n_modifiers > 0;
}
