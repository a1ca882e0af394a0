/* The daemon's registry as pwzc needs it: nodes to target, ports to ask, links to watch. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>
#include <pipewire/pipewire.h>
#include <spa/utils/list.h>

#include "connection.h"

struct reg_node {
    struct spa_list link;
    uint32_t id;
    uint64_t serial;
    char name[128];
    char media_class[64];
    char description[128];
    char app_name[128]; /* application.name: who made the node (a client's own stream) */
};

struct reg_port {
    struct spa_list link;
    uint32_t id;
    uint32_t node_id;
    bool output;
};

struct reg_link {
    struct spa_list link;
    uint32_t id;
    uint32_t out_node, in_node;
    uint32_t out_port, in_port;
    /* As the bound link last told: its state (enum pw_link_state), error text, and how many
     * times its Format changed since it was bound. */
    int state;
    char error[256];
    uint32_t format_changes;
    bool told; /* an info came: a link destroyed before our bind reached it tells nothing */
    bool has_format;
    struct pw_proxy *proxy;
    struct spa_hook proxy_listener, listener;
    struct registry *registry;
};

struct registry_events {
    /* A link between out_node and in_node changed state (enum pw_link_state). */
    void (*link)(void *data, uint32_t out_node, uint32_t in_node, int state, const char *error);
    void (*node_removed)(void *data, uint32_t node_id);
    /* A link is about to go (its global was removed): its last state, while it can be read. */
    void (*link_removed)(void *data, const struct reg_link *link);
};

struct registry {
    struct connection *conn;
    struct pw_registry *proxy;
    struct spa_hook listener;
    struct spa_list nodes, ports, links;
    uint32_t n_globals;
    bool saw_link_factory; /* links could be seen and made through this connection */
    uint32_t n_links_seen;
    bool saw_default_metadata; /* the session manager's policy is up */
    uint32_t profiler_id;      /* module-profiler's global (pw-top's source), or SPA_ID_INVALID */
    struct {
        char name[32];
        uint32_t count;
    } types[16]; /* what this connection can see, by interface: a portal fd shows little */
    uint32_t n_types;
    const struct registry_events *events;
    void *events_data;
};

int registry_open(struct registry *r, struct connection *c);
void registry_close(struct registry *r);
void registry_set_events(struct registry *r, const struct registry_events *events, void *data);

const struct reg_node *registry_find_node(const struct registry *r, uint32_t id);
/* Waits for a node to appear (an emulator child registers it asynchronously). */
const struct reg_node *registry_wait_node(struct registry *r, uint32_t id, uint32_t timeout_ms);
/* A video source by node name: a compositor makes a new node (a new id) when it comes back. */
const struct reg_node *registry_wait_video_source(struct registry *r, const char *name,
                                                  uint32_t timeout_ms);
bool registry_node_is_video_source(const struct reg_node *node);
/* "36 (gnome-shell screencast), 41 (pwzc-emulate)" or "none": for the not-found message. */
void registry_describe_video_sources(const struct registry *r, char *buf, size_t size);

/* One port param as the reports show it: {"pod": ...}, with a "summary" for an EnumFormat. */
struct json_object *registry_param_json(uint32_t param_id, const struct spa_pod *param);

/* Calls fn with each param_id param of the node's output port, as the port sends them (a pod
 * from another process: check it with pod_problem before reading); where no port is visible
 * (a portal's fd), the node's own. -ENOENT: no such node. */
typedef void (*registry_param_fn)(void *data, const struct spa_pod *param);
int registry_port_enum(struct registry *r, uint32_t node_id, uint32_t param_id, uint32_t timeout_ms,
                       registry_param_fn fn, void *data);

/* Calls fn with each param_id param of one port global, by its id. */
int registry_global_enum(struct registry *r, uint32_t port_id, uint32_t param_id,
                         uint32_t timeout_ms, registry_param_fn fn, void *data);
/* The node's first port of that direction, or NULL. */
const struct reg_port *registry_port_of(const struct registry *r, uint32_t node_id, bool output);

/* Any param of the producer's output port (or its node's), as [{"pod": ...}, ...] (Buffers:
 * what the producer asked for, SyncTimeline included). NULL when none could be read. */
struct json_object *registry_port_params(struct registry *r, uint32_t node_id, uint32_t param_id,
                                         uint32_t timeout_ms);

/* What this connection can see of the daemon: counts of globals by type, for the report. */
struct json_object *registry_visibility(const struct registry *r);
