/* From a consumer's port params back to the profile keys that make them (client.c reads them). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include <spa/param/buffers.h>
#include <spa/param/format.h>
#include <spa/param/video/format.h>
#include <spa/pod/iter.h>

#include "formats.h"
#include "learn.h"
#include "registry.h"

int learn_node(struct connection *c, uint32_t node_id, uint32_t timeout_ms,
               struct learn_result *out)
{
    const struct reg_node *node;
    const struct reg_port *port;
    struct registry r;
    time_t now = time(NULL);
    int res;

    memset(out, 0, sizeof(*out));
    out->node_id = node_id;
    snprintf(out->daemon_version, sizeof(out->daemon_version), "%s", c->daemon_version);
    strftime(out->date, sizeof(out->date), "%Y-%m-%d", gmtime(&now));
    if ((res = registry_open(&r, c)) < 0)
        return res;
    if (!(node = registry_wait_node(&r, node_id, timeout_ms))) {
        res = -ENOENT;
        goto out;
    }
    snprintf(out->node_name, sizeof(out->node_name), "%s", node->name);
    snprintf(out->app, sizeof(out->app), "%s", node->app_name);
    if (!(port = registry_port_of(&r, node_id, false))) {
        res = -ENOTCONN;
        goto out;
    }
    out->port.node_id = node_id;
    if ((res = wire_port_read(&r, port->id, timeout_ms, &out->port)) == 0 &&
        out->port.n_enum_formats == 0)
        res = -ENODATA;
out:
    registry_close(&r);
    return res;
}

void learn_result_clear(struct learn_result *l)
{
    wire_port_clear(&l->port);
}

/* The value of an Int, Long-free property as "DEFAULT MIN..MAX" (a fixed N as "N N..N"). */
static void int_range(const struct spa_pod *obj, uint32_t key, char *buf, size_t size)
{
    const struct spa_pod_prop *prop = spa_pod_find_prop(obj, NULL, key);
    const struct spa_pod *v;
    const int32_t *vals;
    uint32_t n, choice;

    snprintf(buf, size, "none");
    if (!prop)
        return;
    v = spa_pod_get_values(&prop->value, &n, &choice);
    if (v->type != SPA_TYPE_Int || n == 0)
        return;
    vals = SPA_POD_BODY_CONST(v);
    if (choice == SPA_CHOICE_Range && n >= 3)
        snprintf(buf, size, "%d %d..%d", vals[0], vals[1], vals[2]);
    else
        snprintf(buf, size, "%d %d..%d", vals[0], vals[0], vals[0]);
}

/* Size (WxH) and fractions (N/D): fixed, or "DEFAULT MIN..MAX" for a range. */
static void pair_value(const struct spa_pod *obj, uint32_t key, char *buf, size_t size)
{
    const struct spa_pod_prop *prop = spa_pod_find_prop(obj, NULL, key);
    const struct spa_pod *v;
    const uint32_t *w;
    uint32_t n, choice;
    char sep;

    snprintf(buf, size, "none");
    if (!prop)
        return;
    v = spa_pod_get_values(&prop->value, &n, &choice);
    if ((v->type != SPA_TYPE_Rectangle && v->type != SPA_TYPE_Fraction) || n == 0)
        return;
    sep = v->type == SPA_TYPE_Rectangle ? 'x' : '/';
    w = SPA_POD_BODY_CONST(v); /* both are two uint32_t a value */
    if (choice == SPA_CHOICE_Range && n >= 3)
        snprintf(buf, size, "%u%c%u %u%c%u..%u%c%u", w[0], sep, w[1], w[2], sep, w[3], w[4], sep,
                 w[5]);
    else
        snprintf(buf, size, "%u%c%u", w[0], sep, w[1]);
}

/* An Enum choice repeats its default first: each value once, in the client's order. */
static uint32_t first_value(uint32_t n, uint32_t choice)
{
    return choice == SPA_CHOICE_Enum && n > 1 ? 1 : 0;
}

static void formats_value(const struct spa_pod *obj, char *buf, size_t size)
{
    const struct spa_pod_prop *prop = spa_pod_find_prop(obj, NULL, SPA_FORMAT_VIDEO_format);
    const struct spa_pod *v;
    uint32_t n, choice, used = 0;
    char name[32];

    snprintf(buf, size, "any");
    if (!prop)
        return;
    v = spa_pod_get_values(&prop->value, &n, &choice);
    if (v->type != SPA_TYPE_Id)
        return;
    for (uint32_t i = first_value(n, choice); i < n && used < size; i++)
        used += (uint32_t)snprintf(
            buf + used, size - used, "%s%s", used ? ", " : "",
            format_name(((const uint32_t *)SPA_POD_BODY_CONST(v))[i], name, sizeof(name)));
}

static void modifier_tokens(uint64_t m, char *buf, size_t size)
{
    if (m == 0)
        snprintf(buf, size, "linear");
    else if (m == 0x00ffffffffffffffull)
        snprintf(buf, size, "invalid");
    else
        snprintf(buf, size, "0x%016" PRIx64, m);
}

/* modifiers = ..., and modifier-flags = ... when the property has flags. */
static void write_modifiers(FILE *f, const struct spa_pod *obj)
{
    const struct spa_pod_prop *prop = spa_pod_find_prop(obj, NULL, SPA_FORMAT_VIDEO_modifier);
    const struct spa_pod *v;
    uint32_t n, choice;
    char tok[32];

    if (!prop) {
        fprintf(f, "modifiers = none\n");
        return;
    }
    v = spa_pod_get_values(&prop->value, &n, &choice);
    fprintf(f, "modifiers =");
    for (uint32_t i = first_value(n, choice); v->type == SPA_TYPE_Long && i < n; i++) {
        modifier_tokens(((const uint64_t *)SPA_POD_BODY_CONST(v))[i], tok, sizeof(tok));
        fprintf(f, "%s %s", i > first_value(n, choice) ? "," : "", tok);
    }
    fprintf(f, "\n");
    if (prop->flags & (SPA_POD_PROP_FLAG_MANDATORY | SPA_POD_PROP_FLAG_DONT_FIXATE))
        fprintf(f, "modifier-flags = %s%s%s\n",
                prop->flags & SPA_POD_PROP_FLAG_MANDATORY ? "mandatory" : "",
                (prop->flags & SPA_POD_PROP_FLAG_MANDATORY) &&
                        (prop->flags & SPA_POD_PROP_FLAG_DONT_FIXATE)
                    ? ", "
                    : "",
                prop->flags & SPA_POD_PROP_FLAG_DONT_FIXATE ? "dont-fixate" : "");
}

static void write_format(FILE *f, const struct spa_pod *obj)
{
    char value[512];

    formats_value(obj, value, sizeof(value));
    fprintf(f, "\n[format]\nformats = %s\nsplit = together\n", value);
    write_modifiers(f, obj);
    pair_value(obj, SPA_FORMAT_VIDEO_size, value, sizeof(value));
    fprintf(f, "size = %s\n", value);
    pair_value(obj, SPA_FORMAT_VIDEO_framerate, value, sizeof(value));
    fprintf(f, "framerate = %s\n", value);
    pair_value(obj, SPA_FORMAT_VIDEO_maxFramerate, value, sizeof(value));
    fprintf(f, "max-framerate = %s\n", value);
}

static void data_type_words(uint32_t mask, char *buf, size_t size)
{
    static const struct {
        uint32_t type;
        const char *word;
    } words[] = {
        {SPA_DATA_MemFd, "memfd"}, {SPA_DATA_MemPtr, "memptr"}, {SPA_DATA_DmaBuf, "dmabuf"}};
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < SPA_N_ELEMENTS(words); i++)
        if (mask & (1u << words[i].type))
            used +=
                (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "", words[i].word);
}

static const char *meta_word(uint32_t type)
{
    switch (type) {
    case SPA_META_Header:
        return "header";
    case SPA_META_VideoCrop:
        return "crop";
    case SPA_META_VideoDamage:
        return "damage";
    case SPA_META_Cursor:
        return "cursor";
    case SPA_META_VideoTransform:
        return "transform";
    }
    /* SyncTimeline is 9 from PipeWire 1.2; named by number so 0.3.x headers build this. */
    return type == 9 ? "sync-timeline" : NULL;
}

static void write_metas(FILE *f, const struct wire_port *p)
{
    const struct spa_pod *cursor = NULL;
    char size[64];
    bool any = false;

    fprintf(f, "metas =");
    for (uint32_t i = 0; i < p->n_metas; i++) {
        uint32_t type = wire_meta_type(p->metas[i]);
        const char *word = meta_word(type);
        if (!word)
            continue;
        fprintf(f, "%s %s", any ? "," : "", word);
        any = true;
        if (type == SPA_META_Cursor)
            cursor = p->metas[i];
    }
    fprintf(f, "%s\n", any ? "" : " none");
    if (cursor) {
        int_range(cursor, SPA_PARAM_META_size, size, sizeof(size));
        fprintf(f, "meta-cursor-size = %s\n", size);
    }
}

static void write_buffers(FILE *f, const struct wire_port *p)
{
    static const struct {
        const char *key;
        uint32_t id;
    } keys[] = {{"buffers", SPA_PARAM_BUFFERS_buffers},
                {"buffer-blocks", SPA_PARAM_BUFFERS_blocks},
                {"buffer-size", SPA_PARAM_BUFFERS_size},
                {"buffer-stride", SPA_PARAM_BUFFERS_stride}};
    struct wire_data_types types;
    char value[64];

    wire_port_data_types(p, &types);
    if (types.known) {
        data_type_words(types.mask, value, sizeof(value));
        /* What the port carries, as libpipewire left it: the replay's stream maps nothing
         * itself (stream-flags below), so sending this makes the same port. */
        fprintf(f, "data-types = %s\ndata-types-plain = %s\ndata-type-choice = %s\n", value, value,
                types.plain_int ? "int" : "flags");
    }
    for (size_t i = 0; i < SPA_N_ELEMENTS(keys); i++) {
        if (p->n_buffers)
            int_range(p->buffers[0], keys[i].id, value, sizeof(value));
        else
            snprintf(value, sizeof(value), "none");
        fprintf(f, "%s = %s\n", keys[i].key, value);
    }
}

static void write_header(FILE *f, const struct learn_result *l)
{
    const char *who = l->app[0] ? l->app : l->node_name;
    struct wire_data_types types;

    wire_port_data_types(&l->port, &types);
    fprintf(
        f,
        "# Learned by `pwzc learn --node %u` on %s from the input port of node %u (%s,\n"
        "# application %s), against a PipeWire %s daemon: the EnumFormats in the port's order,\n"
        "# its Buffers and Meta params exactly as the wire carries them.\n"
        "# What a snapshot cannot know is left at the defaults, for the source or the user to\n"
        "# say: the fallback steps (what the client does when a step fails), on-pause, on-start,\n"
        "# passes-on, and its pw_stream_connect flags (the dataType below is already what\n"
        "# libpipewire made of them).%s\n",
        l->node_id, l->date, l->node_id, l->node_name, who, l->daemon_version,
        types.known ? ""
                    : "\n# Its port had no Buffers param yet (not negotiated): data-types is "
                      "the default.");
    if (l->port.format && spa_pod_find_prop(l->port.format, NULL, SPA_FORMAT_VIDEO_modifier))
        fprintf(f, "# Seen with an agreed Format that has a modifier (DMA-BUF).\n");
    else if (l->port.format)
        fprintf(f, "# Seen with an agreed Format without modifier: data-types holds for that\n"
                   "# case; with a modifier the client may send another dataType.\n");
}

int learn_write_profile(const struct learn_result *l, FILE *f)
{
    fprintf(f, "\n");
    write_header(f, l);
    fprintf(f, "\n[client]\ndescription = learned from node %u (%s) on %s\n", l->node_id,
            l->app[0] ? l->app : l->node_name, l->date);
    fprintf(f, "source = the wire: pwzc learn, node %u's input port, PipeWire %s, %s\n", l->node_id,
            l->daemon_version, l->date);
    fprintf(f, "stream-flags = autoconnect\nbuffers-sent = on-format\nfallback = none\n");
    write_buffers(f, &l->port);
    write_metas(f, &l->port);
    for (uint32_t i = 0; i < l->port.n_enum_formats; i++)
        write_format(f, l->port.enum_formats[i]);
    return ferror(f) ? -EIO : 0;
}

struct json_object *learn_to_json(const struct learn_result *l, const char *path)
{
    struct json_object *obj = json_object_new_object();

    json_object_object_add(obj, "node_id", json_object_new_int64(l->node_id));
    json_object_object_add(obj, "name", json_object_new_string(l->node_name));
    json_object_object_add(obj, "application", l->app[0] ? json_object_new_string(l->app) : NULL);
    json_object_object_add(obj, "daemon", json_object_new_string(l->daemon_version));
    json_object_object_add(obj, "date", json_object_new_string(l->date));
    json_object_object_add(obj, "path", path ? json_object_new_string(path) : NULL);
    json_object_object_add(obj, "port", wire_port_to_json(&l->port));
    return obj;
}
