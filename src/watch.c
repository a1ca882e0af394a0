/* Watching running screencast links: their state, what each side's port carries, how often the
 * Format changes and how many cycles go through, then a verdict in probe's words. */
#include "config.h"

#include <errno.h>
#include <strings.h>
#include <string.h>

#include <pipewire/pipewire.h>
#include <pipewire/impl-module.h>
#include <pipewire/extensions/profiler.h>
#include <spa/param/profiler.h>
#include <spa/pod/iter.h>
#include <spa/pod/parser.h>
#include <spa/utils/result.h>

#include "formats.h"
#include "pod.h"
#include "util.h"
#include "watch.h"

#define MAX_DRIVERS   32
#define MAX_FOLLOWERS 32

/* Per driver node: cycles run during the window, and the nodes that ran in them. */
struct driver_cycles {
    uint32_t driver;
    uint32_t cycles;
    uint32_t followers[MAX_FOLLOWERS];
    uint32_t n_followers;
};

struct profile {
    struct pw_proxy *proxy;
    struct spa_hook listener;
    struct driver_cycles drivers[MAX_DRIVERS];
    uint32_t n_drivers;
};

static struct driver_cycles *driver_entry(struct profile *p, uint32_t id)
{
    for (uint32_t i = 0; i < p->n_drivers; i++)
        if (p->drivers[i].driver == id)
            return &p->drivers[i];
    if (p->n_drivers == MAX_DRIVERS)
        return NULL;
    p->drivers[p->n_drivers] = (struct driver_cycles){.driver = id};
    return &p->drivers[p->n_drivers++];
}

/* A driverBlock or followerBlock: a Struct whose first field is the node id. */
static int block_node(const struct spa_pod *value, uint32_t *id)
{
    struct spa_pod_parser prs;
    int32_t v;

    spa_pod_parser_pod(&prs, value);
    if (spa_pod_parser_get_struct(&prs, SPA_POD_Int(&v)) < 0 || v < 0)
        return -EINVAL;
    *id = (uint32_t)v;
    return 0;
}

/* One cycle: a driverBlock, then a followerBlock for each node that ran in it. */
static void profile_cycle(struct profile *p, const struct spa_pod *object)
{
    const struct spa_pod_object *o = (const struct spa_pod_object *)object;
    struct driver_cycles *cur = NULL;
    const struct spa_pod_prop *prop;
    uint32_t id;

    SPA_POD_OBJECT_FOREACH(o, prop)
    {
        if (block_node(&prop->value, &id) < 0)
            continue;
        if (prop->key == SPA_PROFILER_driverBlock && (cur = driver_entry(p, id)))
            cur->cycles++;
        else if (prop->key == SPA_PROFILER_followerBlock && cur)
            pwzc_id_set_add(cur->followers, &cur->n_followers, MAX_FOLLOWERS, id);
    }
}

static void on_profile(void *data, const struct spa_pod *pod)
{
    struct profile *p = data;
    const struct spa_pod *o;

    if (pod_problem(pod))
        return;
    /* module-profiler sends a Struct of cycles, gathered between two of its flushes. */
    if (spa_pod_is_struct(pod)) {
        SPA_POD_STRUCT_FOREACH(pod, o)
        if (spa_pod_is_object_type(o, SPA_TYPE_OBJECT_Profiler))
            profile_cycle(p, o);
    } else if (spa_pod_is_object_type(pod, SPA_TYPE_OBJECT_Profiler)) {
        profile_cycle(p, pod);
    }
}

static const struct pw_profiler_events profiler_events = {
    PW_VERSION_PROFILER_EVENTS,
    .profile = on_profile,
};

/* Binding the profiler turns profiling on in the daemon for as long as we hold it. */
static void profile_start(struct profile *p, struct connection *c, struct registry *r)
{
    memset(p, 0, sizeof(*p));
    if (r->profiler_id == SPA_ID_INVALID)
        return;
    p->proxy = pw_registry_bind(r->proxy, r->profiler_id, PW_TYPE_INTERFACE_Profiler,
                                PW_VERSION_PROFILER, 0);
    if (p->proxy)
        pw_proxy_add_object_listener(p->proxy, &p->listener, &profiler_events, p);
}

static void profile_stop(struct profile *p)
{
    if (!p->proxy)
        return;
    spa_hook_remove(&p->listener);
    pw_proxy_destroy(p->proxy);
    p->proxy = NULL;
}

/* Cycles the producer took part in: its own when it drives, else its driver's. */
static enum watch_rate producer_cycles(const struct profile *p, uint32_t node, uint32_t *cycles)
{
    *cycles = 0;
    for (uint32_t i = 0; i < p->n_drivers; i++)
        if (p->drivers[i].driver == node) {
            *cycles = p->drivers[i].cycles;
            return WATCH_RATE_PRODUCER;
        }
    for (uint32_t i = 0; i < p->n_drivers; i++)
        for (uint32_t j = 0; j < p->drivers[i].n_followers; j++)
            if (p->drivers[i].followers[j] == node) {
                *cycles = p->drivers[i].cycles;
                return WATCH_RATE_GRAPH;
            }
    return WATCH_RATE_GRAPH;
}

static bool is_video(const struct reg_node *n)
{
    return n && strstr(n->media_class, "Video");
}

static bool names(const struct reg_node *n, const char *what)
{
    return n && (strcasestr(n->app_name, what) || strcasestr(n->name, what));
}

static bool link_matches(const struct watch_options *o, const struct reg_link *l,
                         const struct reg_node *out, const struct reg_node *in)
{
    if (!is_video(out) && !is_video(in))
        return false;
    if (o->node_id != SPA_ID_INVALID && l->out_node != o->node_id && l->in_node != o->node_id)
        return false;
    return !o->client || names(out, o->client) || names(in, o->client);
}

static void fill_end(struct watch_end *e, const struct reg_node *n, uint32_t id)
{
    e->node_id = id;
    if (!n)
        return;
    snprintf(e->name, sizeof(e->name), "%s", n->name);
    snprintf(e->app, sizeof(e->app), "%s", n->app_name);
    snprintf(e->media_class, sizeof(e->media_class), "%s", n->media_class);
}

/* Fewer cycles than this in a window is not a stream of frames. */
#define WATCH_MIN_CYCLES 2

static void judge_active(struct watch_link *w, double secs, bool profiler)
{
    struct verdict_result *v = &w->verdict;

    if (!profiler) {
        w->verdict_known = false;
        snprintf(v->reason, sizeof(v->reason),
                 "the link is active; its frame rate cannot be known here: the daemon has no "
                 "profiler module (the one pw-top reads)");
    } else if (w->cycles < WATCH_MIN_CYCLES) {
        /* A lone cycle is no flow: a graph runs one when a link starts, buffer or not. */
        v->verdict = VERDICT_NO_FRAMES;
        snprintf(v->reason, sizeof(v->reason),
                 "the link is active but %s went through it in %.1f s: " TRACE_NO_BUFFER_CAUSE,
                 w->cycles ? "only one cycle" : "no buffer", secs);
    } else if (w->format_changes >= TRACE_FLAP_MIN_DROPS) {
        v->verdict = VERDICT_FLAPPING;
        snprintf(v->reason, sizeof(v->reason),
                 "the Format changed %u times in %.1f s while frames went through: the producer "
                 "keeps renegotiating after streaming started",
                 w->format_changes, secs);
    } else {
        v->verdict = VERDICT_WORKS;
        snprintf(v->reason, sizeof(v->reason), "active, %.1f frames/s through the link%s",
                 w->cycles / secs,
                 w->rate == WATCH_RATE_GRAPH
                     ? " (cycles of the graph it is driven in: at most that many frames)"
                     : "");
    }
}

/* Not active: why the two ports settled nothing, as far as their params tell. */
static void judge_stuck(struct watch_link *w, double secs)
{
    struct verdict_result *v = &w->verdict;
    char detail[320] = "", out_types[64], in_types[64];
    struct wire_data_types od, id;

    if (w->format_changes >= TRACE_LOOP_MIN_FORMATS) {
        v->verdict = VERDICT_RENEGOTIATION_LOOP;
        snprintf(v->reason, sizeof(v->reason),
                 "the Format changed %u times in %.1f s without a frame: each answer brings a new "
                 "EnumFormat from the producer, so buffers are never settled",
                 w->format_changes, secs);
        return;
    }
    wire_port_data_types(&w->out, &od);
    wire_port_data_types(&w->in, &id);
    if (w->shared_known && !w->shared_data_types) {
        data_types_string(od.mask, out_types, sizeof(out_types));
        data_types_string(id.mask, in_types, sizeof(in_types));
        snprintf(detail, sizeof(detail),
                 ": the producer and the consumer share no buffer data type (producer %s, "
                 "consumer %s)",
                 out_types, in_types);
    } else if (!w->in.format) {
        snprintf(detail, sizeof(detail), " with no Format agreed");
    }
    v->verdict = VERDICT_SILENT_STALL;
    snprintf(v->reason, sizeof(v->reason), "the link stayed %s for %.1f s%s",
             pw_link_state_as_string(w->state), secs, detail);
}

static void judge_state(struct watch_link *w, uint32_t window_ms, bool profiler);

/* A link destroyed before it negotiated, with no error shown. A link that fails is removed at
 * once and only the client's stream is told why: 1.6.9 never shows an observer the error, and
 * any version can destroy a link before this connection's bind reaches it (seen with 0.3.65 on a
 * loaded machine). What failed cannot be known from outside, and is not guessed. */
static bool judge_vanished(struct watch_link *w)
{
    if (!w->gone || w->error[0] || w->state > PW_LINK_STATE_NEGOTIATING)
        return false;
    w->verdict_known = false;
    snprintf(w->verdict.reason, sizeof(w->verdict.reason),
             "the link was removed %s, with no error this connection can see (a failed link is "
             "destroyed at once and only the client's own stream hears why): replay a client "
             "against this producer with pwzc probe --node %u --clients to name it",
             w->told ? "before it negotiated" : "before its state could be read",
             w->producer.node_id);
    return true;
}

static void judge(struct watch_link *w, uint32_t window_ms, bool profiler)
{
    size_t used;

    if (judge_vanished(w))
        return;
    judge_state(w, window_ms, profiler);
    used = strlen(w->verdict.reason);
    if (w->gone && used < sizeof(w->verdict.reason))
        snprintf(w->verdict.reason + used, sizeof(w->verdict.reason) - used,
                 "; then the link went away (its consumer or producer ended it)");
}

static void judge_state(struct watch_link *w, uint32_t window_ms, bool profiler)
{
    struct wire_shape cons, prod;
    struct producer_shape shape;
    uint64_t mods[8];
    uint32_t n_mods;
    const char *cause;
    char said[256];
    double secs = window_ms / 1000.0;

    memset(&w->verdict, 0, sizeof(w->verdict));
    w->verdict_known = true;
    if (w->state == PW_LINK_STATE_ACTIVE) {
        judge_active(w, secs, profiler);
        return;
    }
    if (w->state != PW_LINK_STATE_ERROR) {
        judge_stuck(w, secs);
        return;
    }
    wire_port_shape(&w->in, &cons);
    wire_port_shape(&w->out, &prod);
    /* A cause that speaks of the consumer's offer needs its EnumFormats: without them (it quit
     * before they could be read) only the producer's side is named. */
    shape = (struct producer_shape){.known = w->out.n_enum_formats > 0 && w->in.n_enum_formats > 0,
                                    .plain_format = prod.plain_format,
                                    .modifier_format = prod.modifier_format,
                                    .modifier_mandatory = prod.modifier_mandatory};
    cause =
        trace_error_cause(w->error, pod_format_modifier_choice(w->in.format, mods, 8, &n_mods) > 0,
                          cons.modifier_format, cons.plain_format, &shape);
    w->verdict.verdict = VERDICT_ERROR;
    snprintf(said, sizeof(said), "%s", w->error);
    snprintf(w->verdict.reason, sizeof(w->verdict.reason), "the daemon's link failed with '%s'%s%s",
             said, cause ? ": " : "", cause ? cause : "");
}

static uint32_t port_id(const struct registry *r, uint32_t from_link, uint32_t node, bool output)
{
    const struct reg_port *p;

    if (from_link != SPA_ID_INVALID)
        return from_link;
    p = registry_port_of(r, node, output);
    return p ? p->id : SPA_ID_INVALID;
}

/* What the registry says of the link now; the ports are read once, when it is first seen (a
 * client that fails often takes its node away soon after), and again at the end if it is
 * still there, when its Buffers and Meta params are set. */
static void update_link(struct watch_link *w, struct registry *r, const struct reg_link *l,
                        uint32_t base_changes)
{
    w->link_id = l->id;
    w->state = l->state;
    w->told |= l->told;
    snprintf(w->error, sizeof(w->error), "%s", l->error);
    w->format_changes = l->format_changes - base_changes;
    if (!w->producer.name[0])
        fill_end(&w->producer, registry_find_node(r, l->out_node), l->out_node);
    if (!w->consumer.name[0])
        fill_end(&w->consumer, registry_find_node(r, l->in_node), l->in_node);
}

/* Reading a port runs the loop, where the registry may free l: what is needed of it is taken
 * first (ASan caught the nodes read from a freed link, 2 runs in 12 against a failing link). */
static void read_ports(struct watch_link *w, struct registry *r, const struct reg_link *l)
{
    uint32_t out = port_id(r, l->out_port, l->out_node, true);
    uint32_t in = port_id(r, l->in_port, l->in_node, false);
    uint32_t out_node = l->out_node, in_node = l->in_node;
    struct wire_port fresh_out = {0}, fresh_in = {0};

    /* Kept only when the port answered: a port that went away keeps what was read before. */
    if (out != SPA_ID_INVALID && wire_port_read(r, out, 500, &fresh_out) == 0 &&
        fresh_out.n_enum_formats) {
        wire_port_clear(&w->out);
        w->out = fresh_out;
    } else
        wire_port_clear(&fresh_out);
    if (in != SPA_ID_INVALID && wire_port_read(r, in, 500, &fresh_in) == 0 &&
        fresh_in.n_enum_formats) {
        wire_port_clear(&w->in);
        w->in = fresh_in;
    } else
        wire_port_clear(&fresh_in);
    w->out.node_id = out_node;
    w->in.node_id = in_node;
}

static void finish_link(struct watch_link *w, const struct profile *prof)
{
    struct wire_data_types od, id;

    wire_port_data_types(&w->out, &od);
    wire_port_data_types(&w->in, &id);
    w->shared_known = od.known && id.known;
    w->shared_data_types = od.mask & id.mask;
    w->rate =
        prof->proxy ? producer_cycles(prof, w->producer.node_id, &w->cycles) : WATCH_RATE_NONE;
}

/* One entry per link seen in the window, the ones that went away during it included. */
struct seen {
    uint32_t base_changes; /* Format changes before the window: what happens in it counts */
    bool present;
};

static struct watch_link *find_seen(struct watch_result *res, uint32_t id)
{
    for (uint32_t i = 0; i < res->n_links; i++)
        if (res->links[i].link_id == id)
            return &res->links[i];
    return NULL;
}

static void refresh(struct watch_result *res, struct seen *seen, struct registry *r,
                    const struct watch_options *o, bool before_window)
{
    uint32_t fresh[WATCH_MAX_LINKS], n_fresh = 0;
    struct reg_link *l;

    for (uint32_t i = 0; i < res->n_links; i++)
        seen[i].present = false;
    spa_list_for_each(l, &r->links, link) {
        struct watch_link *w = find_seen(res, l->id);
        uint32_t i;
        if (!w) {
            if (res->n_links == WATCH_MAX_LINKS ||
                !link_matches(o, l, registry_find_node(r, l->out_node),
                              registry_find_node(r, l->in_node)))
                continue;
            i = res->n_links++;
            w = &res->links[i];
            seen[i].base_changes = before_window ? l->format_changes : 0;
            fresh[n_fresh++] = i;
        }
        i = (uint32_t)(w - res->links);
        seen[i].present = true;
        update_link(w, r, l, seen[i].base_changes);
    }
    for (uint32_t i = 0; i < res->n_links; i++)
        res->links[i].gone |= !seen[i].present;
    /* Reading a port runs the loop, and the registry may drop a link meanwhile: each one is
     * looked up again, after the walk over the list. */
    for (uint32_t k = 0; k < n_fresh; k++) {
        struct watch_link *w = &res->links[fresh[k]];
        spa_list_for_each(l, &r->links, link) {
            if (l->id == w->link_id) {
                read_ports(w, r, l);
                break;
            }
        }
    }
}

/* What the registry's events need to record a link that goes between two turns of the loop. */
struct watch_ctx {
    struct registry *r;
    const struct watch_options *o;
    struct watch_result *res;
    struct seen *seen;
    bool in_window;
};

/* A link can come and go within one turn of the loop (a client that fails and quits, on a
 * loaded machine): its last state is taken here, as the registry drops it. */
static void on_link_removed(void *data, const struct reg_link *l)
{
    struct watch_ctx *ctx = data;
    struct watch_link *w = find_seen(ctx->res, l->id);
    uint32_t i;

    if (!w) {
        if (!ctx->in_window || ctx->res->n_links == WATCH_MAX_LINKS ||
            !link_matches(ctx->o, l, registry_find_node(ctx->r, l->out_node),
                          registry_find_node(ctx->r, l->in_node)))
            return;
        i = ctx->res->n_links++;
        w = &ctx->res->links[i];
        ctx->seen[i].base_changes = 0;
    }
    i = (uint32_t)(w - ctx->res->links);
    update_link(w, ctx->r, l, ctx->seen[i].base_changes);
    w->gone = true;
}

static const struct registry_events watch_registry_events = {
    .link_removed = on_link_removed,
};

static int run_window(struct connection *c, struct registry *r, const struct watch_options *o,
                      struct watch_result *res, struct seen *seen)
{
    uint64_t deadline = pwzc_now_ns() + (uint64_t)o->window_ms * 1000000ull;
    int rc;

    while (pwzc_now_ns() < deadline) {
        /* Short turns, so that a link that comes and fails within the window is caught. */
        rc = connection_run(c, 20);
        if (rc == -EINTR || rc == -EPIPE)
            return rc;
        refresh(res, seen, r, o, false);
    }
    return 0;
}

int watch_sample(struct connection *c, const struct watch_options *o, struct watch_result *res)
{
    struct seen seen[WATCH_MAX_LINKS] = {0};
    struct watch_ctx ctx;
    struct registry r;
    struct profile prof;
    struct reg_link *l;
    int rc;

    memset(res, 0, sizeof(*res));
    res->window_ms = o->window_ms;
    snprintf(res->daemon_version, sizeof(res->daemon_version), "%s", c->daemon_version);
    /* The profiler's protocol marshal lives in its module: a client loads it, as pw-top does. */
    pw_context_load_module(c->context, PW_EXTENSION_MODULE_PROFILER, NULL, NULL);
    if ((rc = registry_open(&r, c)) < 0)
        return rc;
    profile_start(&prof, c, &r);
    res->profiler = prof.proxy != NULL;
    /* The bound links' first info (their state, and the Format they already had). */
    connection_roundtrip(c, 1000);
    refresh(res, seen, &r, o, true);
    ctx = (struct watch_ctx){.r = &r, .o = o, .res = res, .seen = seen, .in_window = true};
    registry_set_events(&r, &watch_registry_events, &ctx);
    rc = run_window(c, &r, o, res, seen);
    for (uint32_t i = 0; rc == 0 && i < res->n_links; i++) {
        struct watch_link *w = &res->links[i];
        spa_list_for_each(l, &r.links, link) {
            if (l->id == w->link_id && !w->gone) {
                read_ports(w, &r, l);
                break;
            }
        }
        finish_link(w, &prof);
        judge(w, o->window_ms, res->profiler);
    }
    profile_stop(&prof);
    registry_close(&r);
    return rc;
}

void watch_result_clear(struct watch_result *res)
{
    for (uint32_t i = 0; i < res->n_links; i++) {
        wire_port_clear(&res->links[i].out);
        wire_port_clear(&res->links[i].in);
    }
    res->n_links = 0;
}

static struct json_object *end_json(const struct watch_end *e)
{
    struct json_object *obj = json_object_new_object();

    json_object_object_add(obj, "node_id", json_object_new_int64(e->node_id));
    json_object_object_add(obj, "name", json_object_new_string(e->name));
    json_object_object_add(obj, "application", e->app[0] ? json_object_new_string(e->app) : NULL);
    json_object_object_add(obj, "media_class", json_object_new_string(e->media_class));
    return obj;
}

static const char *rate_name(enum watch_rate r)
{
    return r == WATCH_RATE_PRODUCER ? "producer-cycles"
           : r == WATCH_RATE_GRAPH  ? "graph-cycles"
                                    : "none";
}

static struct json_object *link_json(const struct watch_link *w, double secs)
{
    struct json_object *obj = json_object_new_object();

    json_object_object_add(obj, "link_id", json_object_new_int64(w->link_id));
    json_object_object_add(obj, "state", json_object_new_string(pw_link_state_as_string(w->state)));
    json_object_object_add(obj, "error", w->error[0] ? json_object_new_string(w->error) : NULL);
    json_object_object_add(obj, "gone", json_object_new_boolean(w->gone));
    json_object_object_add(obj, "producer", end_json(&w->producer));
    json_object_object_add(obj, "consumer", end_json(&w->consumer));
    json_object_object_add(obj, "format",
                           w->in.format    ? pod_format_summary(w->in.format)
                           : w->out.format ? pod_format_summary(w->out.format)
                                           : NULL);
    json_object_object_add(obj, "producer_port", wire_port_to_json(&w->out));
    json_object_object_add(obj, "consumer_port", wire_port_to_json(&w->in));
    json_object_object_add(obj, "shared_data_types",
                           w->shared_known ? wire_data_types_json(w->shared_data_types) : NULL);
    json_object_object_add(obj, "format_changes", json_object_new_int64(w->format_changes));
    json_object_object_add(obj, "format_changes_per_s",
                           json_object_new_double(w->format_changes / secs));
    json_object_object_add(obj, "frames_per_s",
                           w->rate == WATCH_RATE_NONE ? NULL
                                                      : json_object_new_double(w->cycles / secs));
    json_object_object_add(obj, "rate_source", json_object_new_string(rate_name(w->rate)));
    json_object_object_add(
        obj, "verdict",
        w->verdict_known ? json_object_new_string(verdict_name(w->verdict.verdict)) : NULL);
    json_object_object_add(obj, "reason", json_object_new_string(w->verdict.reason));
    return obj;
}

struct json_object *watch_result_to_json(const struct watch_result *res)
{
    struct json_object *tree = json_object_new_object(), *links = json_object_new_array();
    double secs = res->window_ms / 1000.0;

    json_object_object_add(tree, "daemon", json_object_new_string(res->daemon_version));
    json_object_object_add(tree, "window_s", json_object_new_double(secs));
    json_object_object_add(tree, "profiler", json_object_new_boolean(res->profiler));
    for (uint32_t i = 0; i < res->n_links; i++)
        json_object_array_add(links, link_json(&res->links[i], secs));
    json_object_object_add(tree, "links", links);
    return tree;
}
