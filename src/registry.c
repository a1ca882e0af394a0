/* Registry globals: nodes and ports by id, links bound so their state and error reach us. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <spa/param/param.h>
#include <spa/pod/pod.h>
#include <spa/utils/result.h>

#include "registry.h"

#include <pipewire/extensions/metadata.h>
#include <pipewire/extensions/profiler.h>

#include "pod.h"

static void copy_prop(char *dst, size_t size, const struct spa_dict *props, const char *key)
{
    const char *v = props ? spa_dict_lookup(props, key) : NULL;

    snprintf(dst, size, "%s", v ? v : "");
}

/* A property that holds an object id; SPA_ID_INVALID where it is not there. */
static uint32_t id_prop(const struct spa_dict *props, const char *key)
{
    const char *v = props ? spa_dict_lookup(props, key) : NULL;

    return v ? (uint32_t)strtoul(v, NULL, 10) : SPA_ID_INVALID;
}

static void add_node(struct registry *r, uint32_t id, const struct spa_dict *props)
{
    struct reg_node *n = calloc(1, sizeof(*n));
    const char *serial = props ? spa_dict_lookup(props, PW_KEY_OBJECT_SERIAL) : NULL;

    if (!n)
        return;
    n->id = id;
    n->serial = serial ? strtoull(serial, NULL, 10) : 0;
    copy_prop(n->name, sizeof(n->name), props, PW_KEY_NODE_NAME);
    copy_prop(n->media_class, sizeof(n->media_class), props, PW_KEY_MEDIA_CLASS);
    copy_prop(n->description, sizeof(n->description), props, PW_KEY_NODE_DESCRIPTION);
    copy_prop(n->app_name, sizeof(n->app_name), props, PW_KEY_APP_NAME);
    spa_list_append(&r->nodes, &n->link);
}

static void add_port(struct registry *r, uint32_t id, const struct spa_dict *props)
{
    struct reg_port *p = calloc(1, sizeof(*p));
    const char *dir = props ? spa_dict_lookup(props, PW_KEY_PORT_DIRECTION) : NULL;

    if (!p)
        return;
    p->id = id;
    p->node_id = id_prop(props, PW_KEY_NODE_ID);
    p->output = dir && strcmp(dir, "out") == 0;
    spa_list_append(&r->ports, &p->link);
}

static void on_link_info(void *data, const struct pw_link_info *info)
{
    struct reg_link *l = data;
    struct registry *r = l->registry;

    l->told = true;
    l->out_node = info->output_node_id;
    l->in_node = info->input_node_id;
    l->out_port = info->output_port_id;
    l->in_port = info->input_port_id;
    if (info->change_mask & PW_LINK_CHANGE_MASK_STATE) {
        l->state = info->state;
        snprintf(l->error, sizeof(l->error), "%s", info->error ? info->error : "");
    }
    if (info->change_mask & PW_LINK_CHANGE_MASK_FORMAT) {
        l->has_format = info->format != NULL;
        if (info->format)
            l->format_changes++;
    }
    if ((info->change_mask & PW_LINK_CHANGE_MASK_STATE) && r->events && r->events->link)
        r->events->link(r->events_data, l->out_node, l->in_node, info->state, info->error);
}

static const struct pw_link_events link_events = {
    PW_VERSION_LINK_EVENTS,
    .info = on_link_info,
};

static void free_link(struct reg_link *l)
{
    spa_list_remove(&l->link);
    if (l->proxy) {
        spa_hook_remove(&l->listener);
        spa_hook_remove(&l->proxy_listener);
        pw_proxy_destroy(l->proxy);
    }
    free(l);
}

static void on_link_proxy_removed(void *data)
{
    struct reg_link *l = data;

    spa_hook_remove(&l->listener);
    spa_hook_remove(&l->proxy_listener);
    pw_proxy_destroy(l->proxy);
    l->proxy = NULL;
}

static const struct pw_proxy_events link_proxy_events = {
    PW_VERSION_PROXY_EVENTS,
    .removed = on_link_proxy_removed,
};

/* Links are bound, not just listed: only a bound link tells its state and error text. */
static void add_link(struct registry *r, uint32_t id, const struct spa_dict *props)
{
    struct reg_link *l = calloc(1, sizeof(*l));

    if (!l)
        return;
    l->id = id;
    l->registry = r;
    l->out_node = id_prop(props, PW_KEY_LINK_OUTPUT_NODE);
    l->in_node = id_prop(props, PW_KEY_LINK_INPUT_NODE);
    l->out_port = l->in_port = SPA_ID_INVALID;
    l->state = PW_LINK_STATE_INIT;
    l->proxy = pw_registry_bind(r->proxy, id, PW_TYPE_INTERFACE_Link, PW_VERSION_LINK, 0);
    if (l->proxy) {
        pw_proxy_add_listener(l->proxy, &l->proxy_listener, &link_proxy_events, l);
        pw_proxy_add_object_listener(l->proxy, &l->listener, &link_events, l);
    }
    r->n_links_seen++;
    spa_list_append(&r->links, &l->link);
}

static void count_type(struct registry *r, const char *type)
{
    const char *name = strrchr(type, ':') ? strrchr(type, ':') + 1 : type;
    uint32_t i;

    for (i = 0; i < r->n_types; i++)
        if (strcmp(r->types[i].name, name) == 0)
            break;
    if (i == r->n_types) {
        if (r->n_types == SPA_N_ELEMENTS(r->types))
            return;
        snprintf(r->types[r->n_types++].name, sizeof(r->types[0].name), "%s", name);
    }
    r->types[i].count++;
}

static void on_global(void *data, uint32_t id, uint32_t permissions, const char *type,
                      uint32_t version, const struct spa_dict *props)
{
    struct registry *r = data;

    r->n_globals++;
    count_type(r, type);
    if (strcmp(type, PW_TYPE_INTERFACE_Node) == 0)
        add_node(r, id, props);
    else if (strcmp(type, PW_TYPE_INTERFACE_Port) == 0)
        add_port(r, id, props);
    else if (strcmp(type, PW_TYPE_INTERFACE_Link) == 0)
        add_link(r, id, props);
    else if (strcmp(type, PW_TYPE_INTERFACE_Profiler) == 0)
        r->profiler_id = id;
    else if (strcmp(type, PW_TYPE_INTERFACE_Metadata) == 0 && props) {
        const char *name = spa_dict_lookup(props, PW_KEY_METADATA_NAME);
        if (name && strcmp(name, "default") == 0)
            r->saw_default_metadata = true;
    } else if (strcmp(type, PW_TYPE_INTERFACE_Factory) == 0 && props) {
        const char *name = spa_dict_lookup(props, PW_KEY_FACTORY_NAME);
        if (name && strcmp(name, "link-factory") == 0)
            r->saw_link_factory = true;
    }
}

static void on_global_remove(void *data, uint32_t id)
{
    struct registry *r = data;
    struct reg_node *n, *nt;
    struct reg_port *p, *pt;
    struct reg_link *l, *lt;

    spa_list_for_each_safe(n, nt, &r->nodes, link) {
        if (n->id != id)
            continue;
        spa_list_remove(&n->link);
        free(n);
        if (r->events && r->events->node_removed)
            r->events->node_removed(r->events_data, id);
    }
    spa_list_for_each_safe(p, pt, &r->ports, link) {
        if (p->id != id)
            continue;
        spa_list_remove(&p->link);
        free(p);
    }
    spa_list_for_each_safe(l, lt, &r->links, link) {
        if (l->id != id)
            continue;
        if (r->events && r->events->link_removed)
            r->events->link_removed(r->events_data, l);
        free_link(l);
    }
}

static const struct pw_registry_events registry_events = {
    PW_VERSION_REGISTRY_EVENTS,
    .global = on_global,
    .global_remove = on_global_remove,
};

int registry_open(struct registry *r, struct connection *c)
{
    memset(r, 0, sizeof(*r));
    r->conn = c;
    r->profiler_id = SPA_ID_INVALID;
    spa_list_init(&r->nodes);
    spa_list_init(&r->ports);
    spa_list_init(&r->links);
    r->proxy = pw_core_get_registry(c->core, PW_VERSION_REGISTRY, 0);
    if (!r->proxy)
        return -errno;
    pw_registry_add_listener(r->proxy, &r->listener, &registry_events, r);
    /* After one round trip every existing global has been announced. */
    return connection_roundtrip(c, 3000);
}

void registry_close(struct registry *r)
{
    struct reg_node *n, *nt;
    struct reg_port *p, *pt;
    struct reg_link *l, *lt;

    if (!r->proxy)
        return;
    spa_list_for_each_safe(l, lt, &r->links, link)
        free_link(l);
    spa_list_for_each_safe(n, nt, &r->nodes, link)
        free(n);
    spa_list_for_each_safe(p, pt, &r->ports, link)
        free(p);
    spa_hook_remove(&r->listener);
    pw_proxy_destroy((struct pw_proxy *)r->proxy);
    r->proxy = NULL;
}

void registry_set_events(struct registry *r, const struct registry_events *events, void *data)
{
    r->events = events;
    r->events_data = data;
}

const struct reg_node *registry_find_node(const struct registry *r, uint32_t id)
{
    struct reg_node *n;

    spa_list_for_each(n, &r->nodes, link) {
        if (n->id == id)
            return n;
    }
    return NULL;
}

const struct reg_node *registry_wait_node(struct registry *r, uint32_t id, uint32_t timeout_ms)
{
    uint64_t deadline = pwzc_now_ns() + (uint64_t)timeout_ms * 1000000ull;
    const struct reg_node *n;

    while (!(n = registry_find_node(r, id)) && pwzc_now_ns() < deadline)
        if (connection_run(r->conn, 50) == -EPIPE)
            break;
    return n;
}

const struct reg_node *registry_wait_video_source(struct registry *r, const char *name,
                                                  uint32_t timeout_ms)
{
    uint64_t deadline = pwzc_now_ns() + (uint64_t)timeout_ms * 1000000ull;
    struct reg_node *n;

    do {
        spa_list_for_each(n, &r->nodes, link) {
            if (strcmp(n->name, name) == 0 && registry_node_is_video_source(n))
                return n;
        }
    } while (pwzc_now_ns() < deadline && connection_run(r->conn, 50) != -EPIPE);
    return NULL;
}

bool registry_node_is_video_source(const struct reg_node *node)
{
    /* Compositors register Video/Source; a pw_stream producer may say Stream/Output/Video. */
    return strstr(node->media_class, "Video") &&
           (strstr(node->media_class, "Source") || strstr(node->media_class, "Output"));
}

void registry_describe_video_sources(const struct registry *r, char *buf, size_t size)
{
    struct reg_node *n;
    size_t used = 0;

    buf[0] = '\0';
    spa_list_for_each(n, &r->nodes, link) {
        if (!registry_node_is_video_source(n))
            continue;
        used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%u (%s)",
                                 used ? ", " : "", n->id, n->name);
    }
    if (!used)
        snprintf(buf, size, "none");
}

struct enum_ctx {
    uint32_t id;
    registry_param_fn fn;
    void *data;
};

static void on_port_param(void *data, int seq, uint32_t id, uint32_t index, uint32_t next,
                          const struct spa_pod *param)
{
    struct enum_ctx *ctx = data;

    if (id == ctx->id && param)
        ctx->fn(ctx->data, param);
}

static const struct pw_port_events port_events = {
    PW_VERSION_PORT_EVENTS,
    .param = on_port_param,
};

static const struct pw_node_events node_events = {
    PW_VERSION_NODE_EVENTS,
    .param = on_port_param,
};

/* One port's or node's params, each handed to fn; a negative errno when it cannot be bound. */
static int enum_params(struct registry *r, uint32_t global_id, bool node, uint32_t param_id,
                       uint32_t timeout_ms, registry_param_fn fn, void *data)
{
    struct enum_ctx ctx = {.id = param_id, .fn = fn, .data = data};
    struct pw_proxy *proxy =
        node ? pw_registry_bind(r->proxy, global_id, PW_TYPE_INTERFACE_Node, PW_VERSION_NODE, 0)
             : pw_registry_bind(r->proxy, global_id, PW_TYPE_INTERFACE_Port, PW_VERSION_PORT, 0);
    struct spa_hook listener;

    if (!proxy)
        return -errno;
    spa_zero(listener);
    pw_proxy_add_object_listener(
        proxy, &listener, node ? (const void *)&node_events : (const void *)&port_events, &ctx);
    if (node)
        pw_node_enum_params((struct pw_node *)proxy, 0, param_id, 0, UINT32_MAX, NULL);
    else
        pw_port_enum_params((struct pw_port *)proxy, 0, param_id, 0, UINT32_MAX, NULL);
    connection_roundtrip(r->conn, timeout_ms);
    spa_hook_remove(&listener);
    pw_proxy_destroy(proxy);
    return 0;
}

const struct reg_port *registry_port_of(const struct registry *r, uint32_t node_id, bool output)
{
    struct reg_port *p;

    spa_list_for_each(p, &r->ports, link) {
        if (p->node_id == node_id && p->output == output)
            return p;
    }
    return NULL;
}

int registry_global_enum(struct registry *r, uint32_t port_id, uint32_t param_id,
                         uint32_t timeout_ms, registry_param_fn fn, void *data)
{
    return enum_params(r, port_id, false, param_id, timeout_ms, fn, data);
}

int registry_port_enum(struct registry *r, uint32_t node_id, uint32_t param_id, uint32_t timeout_ms,
                       registry_param_fn fn, void *data)
{
    const struct reg_port *port;
    uint64_t deadline = pwzc_now_ns() + (uint64_t)timeout_ms * 1000000ull;

    /* The node's port is announced a moment after the node itself. */
    while (!(port = registry_port_of(r, node_id, true)) && pwzc_now_ns() < deadline)
        if (connection_run(r->conn, 20) == -EPIPE)
            break;
    if (port)
        return enum_params(r, port->id, false, param_id, timeout_ms, fn, data);
    /* Through a portal's fd only the node itself is visible, not its ports: a stream's node
     * answers for its one port (pw_stream keeps EnumFormat on the node as well). */
    if (!registry_find_node(r, node_id))
        return -ENOENT;
    return enum_params(r, node_id, true, param_id, timeout_ms, fn, data);
}

struct json_params {
    struct json_object *list;
    uint32_t id;
};

struct json_object *registry_param_json(uint32_t param_id, const struct spa_pod *param)
{
    struct json_object *entry = json_object_new_object();

    if (param_id == SPA_PARAM_EnumFormat)
        json_object_object_add(entry, "summary", pod_format_summary(param));
    json_object_object_add(entry, "pod", pod_to_json(param));
    return entry;
}

static void add_param_json(void *data, const struct spa_pod *param)
{
    struct json_params *jp = data;

    json_object_array_add(jp->list, registry_param_json(jp->id, param));
}

/* NULL when nothing could be read: no such node, or one that answered with no param. */
struct json_object *registry_port_params(struct registry *r, uint32_t node_id, uint32_t param_id,
                                         uint32_t timeout_ms)
{
    struct json_params jp = {.list = json_object_new_array(), .id = param_id};

    if (registry_port_enum(r, node_id, param_id, timeout_ms, add_param_json, &jp) < 0 ||
        json_object_array_length(jp.list) == 0) {
        json_object_put(jp.list);
        return NULL;
    }
    return jp.list;
}

struct json_object *registry_visibility(const struct registry *r)
{
    struct json_object *obj = json_object_new_object(), *types;
    struct reg_node *n;
    int nodes = 0;

    spa_list_for_each(n, &r->nodes, link)
        nodes++;
    json_object_object_add(obj, "globals", json_object_new_int((int)r->n_globals));
    json_object_object_add(obj, "nodes", json_object_new_int(nodes));
    json_object_object_add(obj, "links_seen", json_object_new_int((int)r->n_links_seen));
    json_object_object_add(obj, "link_factory", json_object_new_boolean(r->saw_link_factory));
    types = json_object_new_object();
    for (uint32_t i = 0; i < r->n_types; i++)
        json_object_object_add(types, r->types[i].name,
                               json_object_new_int((int)r->types[i].count));
    json_object_object_add(obj, "types", types);
    return obj;
}
