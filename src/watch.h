/* pwzc watch: the screencast links that are running now between other programs, explained in
 * probe's words. Passive, as pw-mon is: it makes no stream of its own and changes nothing. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "connection.h"
#include "registry.h"
#include "trace.h"
#include "wire.h"

#define WATCH_MAX_LINKS 16

struct watch_options {
    uint32_t node_id;   /* SPA_ID_INVALID: every screencast link */
    const char *client; /* a consumer or producer whose application or node name holds this */
    uint32_t window_ms; /* how long one report watches the links */
};

/* Where the frame rate of a link comes from (module-profiler, as pw-top reads it). */
enum watch_rate {
    WATCH_RATE_NONE,     /* the daemon has no profiler: no rate */
    WATCH_RATE_PRODUCER, /* the producer drives its graph: a cycle is a frame */
    WATCH_RATE_GRAPH, /* another node drives: cycles the producer took part in (an upper bound) */
};

struct watch_end {
    uint32_t node_id;
    char name[128], app[128], media_class[64];
};

struct watch_link {
    uint32_t link_id;
    int state; /* enum pw_link_state: the last one seen */
    bool gone; /* it went away during the window (a client that failed often quits) */
    bool told; /* its state was ever read (a link can be destroyed before a bind reaches it) */
    char error[256];
    struct watch_end producer, consumer;
    struct wire_port out, in;
    bool shared_known; /* both ports have a Buffers dataType */
    uint32_t shared_data_types;
    uint32_t format_changes; /* during the window */
    uint32_t cycles;         /* during the window, as enum watch_rate says */
    enum watch_rate rate;
    bool verdict_known; /* false: active, but no way here to count its frames */
    struct verdict_result verdict;
};

struct watch_result {
    uint32_t window_ms;
    char daemon_version[64];
    bool profiler;
    uint32_t n_links;
    struct watch_link links[WATCH_MAX_LINKS];
};

/* Watches the daemon for o->window_ms and fills res with every matching link. */
int watch_sample(struct connection *c, const struct watch_options *o, struct watch_result *res);
void watch_result_clear(struct watch_result *res);
struct json_object *watch_result_to_json(const struct watch_result *res);
