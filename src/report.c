/* Text rendering of the trees probe and negotiate build: tables on a terminal, plain when piped. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "convert.h"
#include "emulator.h"
#include "formats.h"
#include "offers.h"
#include "report.h"

struct out {
    FILE *f;
    bool color;
    const struct pwzc_options *opts;
};

#define RED    "\033[31m"
#define GREEN  "\033[32m"
#define YELLOW "\033[33m"
#define DIM    "\033[2m"
#define BOLD   "\033[1m"
#define RESET  "\033[0m"

struct json_object *report_get(struct json_object *obj, const char *key)
{
    struct json_object *v = NULL;

    if (obj && json_object_is_type(obj, json_type_object))
        json_object_object_get_ex(obj, key, &v);
    return v;
}

const char *report_get_str(struct json_object *obj, const char *key, const char *fallback)
{
    struct json_object *v = report_get(obj, key);

    return v && !json_object_is_type(v, json_type_null) ? json_object_get_string(v) : fallback;
}

#define get     report_get
#define get_str report_get_str

static void paint(const struct out *o, const char *color, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void paint(const struct out *o, const char *color, const char *fmt, ...)
{
    va_list ap;

    if (o->color && color)
        fputs(color, o->f);
    va_start(ap, fmt);
    vfprintf(o->f, fmt, ap);
    va_end(ap);
    if (o->color && color)
        fputs(RESET, o->f);
}

static const char *verdict_color(const char *verdict)
{
    if (strcmp(verdict, "works") == 0)
        return GREEN;
    if (strcmp(verdict, "flapping") == 0 || strcmp(verdict, "no-frames") == 0 ||
        strcmp(verdict, "stalled") == 0)
        return YELLOW;
    if (strcmp(verdict, "skipped") == 0)
        return DIM;
    return RED;
}

/* A modifier as people read it: the libdrm name, the hex only where there is none. */
static void modifier_text(const char *hex, char *buf, size_t size)
{
    uint64_t mod;

    if (modifier_parse(hex, &mod) < 0)
        snprintf(buf, size, "%s", hex);
    else
        modifier_name(mod, buf, size);
}

static void append(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t size, const char *fmt, ...)
{
    size_t used = strlen(buf);
    va_list ap;

    if (used >= size)
        return;
    va_start(ap, fmt);
    vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
}

static void scalar_text(struct json_object *v, bool modifier, char *buf, size_t size)
{
    if (!v)
        snprintf(buf, size, "none");
    else if (modifier && json_object_is_type(v, json_type_string))
        modifier_text(json_object_get_string(v), buf, size);
    else
        snprintf(buf, size, "%s", json_object_get_string(v));
}

/* Choices read as SPA writes them: Enum a|b|c, Range min..max (default d). */
static void value_text(struct json_object *v, bool modifier, char *buf, size_t size)
{
    struct json_object *choice = get(v, "choice"), *values = get(v, "values"), *flags;
    const char *kind;
    char one[192];

    buf[0] = '\0';
    if (!choice) {
        scalar_text(v, modifier, buf, size);
        return;
    }
    kind = json_object_get_string(choice);
    scalar_text(get(v, "default"), modifier, one, sizeof(one));
    if (strcmp(kind, "Range") == 0 && json_object_array_length(values) == 2) {
        char lo[64], hi[64];
        scalar_text(json_object_array_get_idx(values, 0), modifier, lo, sizeof(lo));
        scalar_text(json_object_array_get_idx(values, 1), modifier, hi, sizeof(hi));
        snprintf(buf, size, "%s..%s (default %s)", lo, hi, one);
    } else if (strcmp(kind, "None") == 0 || json_object_array_length(values) == 0) {
        snprintf(buf, size, "%s", one);
    } else {
        for (size_t i = 0; i < json_object_array_length(values); i++) {
            scalar_text(json_object_array_get_idx(values, i), modifier, one, sizeof(one));
            append(buf, size, "%s%s", i ? " | " : "", one);
        }
    }
    if ((flags = get(v, "flags")) && json_object_array_length(flags) > 0) {
        append(buf, size, " [");
        for (size_t i = 0; i < json_object_array_length(flags); i++)
            append(buf, size, "%s%s", i ? ", " : "",
                   json_object_get_string(json_object_array_get_idx(flags, i)));
        append(buf, size, "]");
    }
}

/* A pod as an indented list of properties, the way pw-cli enum-params reads, but named. */
static void print_pod(const struct out *o, struct json_object *pod, int indent)
{
    struct json_object *props = get(pod, "props");
    char text[2048];

    const char *id = get_str(pod, "id", "?"), *type = get_str(pod, "type", "");

    if (strcmp(id, type) == 0)
        fprintf(o->f, "%*s%s\n", indent, "", id);
    else
        fprintf(o->f, "%*s%s (%s)\n", indent, "", id, type);
    if (!props)
        return;
    json_object_object_foreach(props, key, value) {
        value_text(value, strcmp(key, "modifier") == 0, text, sizeof(text));
        fprintf(o->f, "%*s  %-14s %s\n", indent, "", key, text);
    }
}

static void modifier_summary_text(struct json_object *mod, char *buf, size_t size)
{
    struct json_object *values = get(mod, "values"), *flags = get(mod, "flags");

    if (!mod) {
        snprintf(buf, size, "no modifier property: SHM only");
        return;
    }
    snprintf(buf, size, "modifier ");
    for (size_t i = 0; i < json_object_array_length(values); i++)
        append(buf, size, "%s%s", i ? ", " : "",
               get_str(json_object_array_get_idx(values, i), "name", "?"));
    if (flags && json_object_array_length(flags) > 0) {
        append(buf, size, " [");
        for (size_t i = 0; i < json_object_array_length(flags); i++)
            append(buf, size, "%s%s", i ? ", " : "",
                   json_object_get_string(json_object_array_get_idx(flags, i)));
        append(buf, size, "]");
    }
}

static void format_summary_text(struct json_object *summary, char *buf, size_t size)
{
    char part[1024];

    buf[0] = '\0';
    value_text(get(summary, "format"), false, part, sizeof(part));
    append(buf, size, "%s", part);
    value_text(get(summary, "size"), false, part, sizeof(part));
    append(buf, size, "  %s", part);
    value_text(get(summary, "framerate"), false, part, sizeof(part));
    append(buf, size, "  framerate %s", part);
    if (get(summary, "max_framerate")) {
        value_text(get(summary, "max_framerate"), false, part, sizeof(part));
        append(buf, size, "  max %s", part);
    }
    modifier_summary_text(get(summary, "modifier"), part, sizeof(part));
    append(buf, size, "; %s", part);
}

static void print_compositor(const struct out *o, struct json_object *session)
{
    struct json_object *c = get(session, "compositor"), *visible = get(session, "visible");
    const char *kind = get_str(session, "kind", "");
    char list[256] = "";

    if (strcmp(kind, "mutter") == 0) {
        fprintf(o->f, "  session   Mutter ScreenCast API %s, %s %s, cursor %s; stream %s at %s\n",
                get_str(c, "api_version", "?"), get_str(c, "source", "?"),
                get_str(c, "monitor", ""), get_str(c, "cursor_mode", "?"),
                get_str(c, "stream_size", "?"), get_str(c, "stream_position", "?"));
        return;
    }
    for (size_t i = 0; i < json_object_array_length(get(c, "backends")); i++)
        append(list, sizeof(list), "%s%s", i ? ", " : "",
               json_object_get_string(json_object_array_get_idx(get(c, "backends"), i)));
    fprintf(o->f,
            "  session   ScreenCast portal version %s, backend %s, cursor %s%s; stream %s at %s\n",
            get_str(c, "portal_version", "?"), list[0] ? list : "unknown",
            get_str(c, "cursor_mode", "default"),
            json_object_get_boolean(get(c, "restored")) ? ", restored (no dialog)" : "",
            get_str(c, "stream_size", "?"), get_str(c, "stream_position", "?"));
    fprintf(o->f, "  via fd    %s globals visible, %s links: the daemon's link errors %s\n",
            get_str(visible, "globals", "?"), get_str(visible, "links_seen", "0"),
            json_object_get_boolean(get(visible, "link_factory")) ? "can be read"
                                                                  : "cannot be read here");
}

/* Which version-dependent behaviours the library or the daemon (`who`, a key of each feature)
 * has: one line after `label`, from the JSON. */
static void print_feature_line(const struct out *o, const char *label, const char *who,
                               struct json_object *features)
{
    size_t n = features ? json_object_array_length(features) : 0;

    if (!n)
        return;
    fprintf(o->f, "%s:", label);
    for (size_t i = 0; i < n; i++) {
        struct json_object *f = json_object_array_get_idx(features, i), *d = get(f, who);
        fprintf(o->f, "%s %s (%s) %s", i ? "," : "", get_str(f, "name", "?"),
                get_str(f, "since", "?"),
                !d                           ? "?"
                : json_object_get_boolean(d) ? "yes"
                                             : "no");
    }
    fprintf(o->f, "\n");
}

static void print_features(const struct out *o, struct json_object *pw)
{
    char label[160];

    snprintf(label, sizeof(label), "  features  daemon %s", get_str(pw, "daemon", "?"));
    print_feature_line(o, label, "daemon", get(pw, "features"));
}

/* pwzc --version: built with, linked with, running against. */
static void print_version(const struct out *o, struct json_object *tree)
{
    struct json_object *pw = get(tree, "pipewire");
    const char *daemon = get_str(pw, "daemon", NULL);
    char label[160];

    fprintf(o->f, "pwzc %s\n", get_str(tree, "pwzc", "?"));
    fprintf(o->f, "compiled with libpipewire %s, linked with %s\n", get_str(pw, "compiled", "?"),
            get_str(pw, "linked", "?"));
    if (daemon)
        fprintf(o->f, "running daemon: PipeWire %s\n", daemon);
    else
        fprintf(o->f, "running daemon: none reachable (%s)\n", get_str(pw, "daemon_error", "?"));
    fprintf(o->f, "version-dependent behaviours:\n");
    snprintf(label, sizeof(label), "  library %s", get_str(pw, "linked", "?"));
    print_feature_line(o, label, "library", get(pw, "features"));
    if (daemon) {
        snprintf(label, sizeof(label), "  daemon  %s", daemon);
        print_feature_line(o, label, "daemon", get(pw, "features"));
    }
    if (get(tree, "sanitizers"))
        fprintf(o->f, "built with sanitizers: %s\n", get_str(tree, "sanitizers", "?"));
    if (get(tree, "libavformat") && get(get(tree, "libavformat"), "loaded"))
        fprintf(o->f,
                "libavformat: built in (capture to .mp4 and .mkv), compiled with %s, loaded "
                "%s (FFmpeg %s)\n",
                get_str(get(tree, "libavformat"), "compiled", "?"),
                get_str(get(tree, "libavformat"), "loaded", "?"),
                get_str(get(tree, "libavformat"), "ffmpeg", "?"));
    else if (get(tree, "libavformat"))
        fprintf(o->f,
                "libavformat: built in, compiled with %s, but cannot be loaded (%s): capture "
                "writes raw H.264 only\n",
                get_str(get(tree, "libavformat"), "compiled", "?"),
                get_str(get(tree, "libavformat"), "error", "?"));
    else
        fprintf(o->f, "libavformat: not built in (capture writes raw H.264 only)\n");
    fprintf(o->f, "EGL: %s\n",
            json_object_get_boolean(get(tree, "egl"))
                ? "built in"
                : "not built in (GPU modifiers cannot be queried)");
}

static void print_header(const struct out *o, const char *command, struct json_object *tree)
{
    struct json_object *session = get(tree, "session"), *pw = get(tree, "pipewire");
    const char *dmabuf = get_str(session, "dmabuf_source", NULL);
    const char *kind = get_str(session, "kind", "");

    paint(o, BOLD, "pwzc %s", command);
    fprintf(o->f, ": node %s %s (%s)\n", get_str(session, "node_id", "?"),
            get_str(session, "node_name", ""), get_str(session, "media_class", ""));
    if (strcmp(kind, "emulate") == 0)
        fprintf(o->f, "  session   emulator, profile %s%s%s%s\n", get_str(session, "profile", "?"),
                json_object_get_boolean(get(session, "sandbox")) ? ", private sandbox" : "",
                dmabuf ? "; DMA-BUFs: " : "", dmabuf ? dmabuf : "");
    else if (strcmp(kind, "mutter") == 0 || strcmp(kind, "portal") == 0)
        print_compositor(o, session);
    else
        fprintf(o->f, "  session   existing node%s\n",
                json_object_get_boolean(get(session, "connected_by_fd"))
                    ? ", through a handed-over fd"
                    : "");
    if (json_object_get_int(get(session, "at_once")) > 1)
        fprintf(o->f, "  at once   %d at a time, each against a producer of its own (--jobs)\n",
                json_object_get_int(get(session, "at_once")));
    fprintf(o->f, "  PipeWire  daemon %s, library %s (compiled against %s)\n",
            get_str(pw, "daemon", "?"), get_str(pw, "linked", "?"), get_str(pw, "compiled", "?"));
    print_features(o, pw);
}

static void print_producer(const struct out *o, struct json_object *producer)
{
    struct json_object *formats = get(producer, "enum_formats");
    char text[2048];
    size_t n = formats ? json_object_array_length(formats) : 0;

    fprintf(o->f, "\n");
    if (!formats) {
        fprintf(o->f, "producer: its EnumFormats could not be read\n");
        return;
    }
    fprintf(o->f, "producer offers %zu EnumFormat%s:\n", n, n == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++) {
        format_summary_text(get(json_object_array_get_idx(formats, i), "summary"), text,
                            sizeof(text));
        fprintf(o->f, "  #%zu %s\n", i + 1, text);
    }
}

static void print_gpu(const struct out *o, struct json_object *gpu)
{
    struct json_object *formats = get(gpu, "formats");

    if (!json_object_get_boolean(get(gpu, "available"))) {
        fprintf(o->f, "\nGPU: none usable here: %s\n", get_str(gpu, "reason", "?"));
        return;
    }
    fprintf(o->f, "\nGPU: %s, EGL %s, %s; %s DMA-BUF formats\n", get_str(gpu, "vendor", "?"),
            get_str(gpu, "egl_version", "?"), get_str(gpu, "device", "?"),
            get_str(gpu, "dmabuf_formats", "?"));
    for (size_t i = 0; i < json_object_array_length(formats); i++) {
        struct json_object *f = json_object_array_get_idx(formats, i), *mods = get(f, "modifiers");
        fprintf(o->f, "  %-6s (%s): ", get_str(f, "format", "?"), get_str(f, "drm_format", "?"));
        for (size_t m = 0; m < json_object_array_length(mods); m++) {
            struct json_object *mod = json_object_array_get_idx(mods, m);
            fprintf(o->f, "%s%s%s", m ? ", " : "", get_str(mod, "name", "?"),
                    json_object_get_boolean(get(mod, "external_only")) ? " (external only)" : "");
        }
        fprintf(o->f, "\n");
    }
}

/* A state reported twice in a row is one state: PipeWire 1.6 sometimes repeats a stream's
 * error, how often varying from run to run (the JSON keeps every report). */
static void states_text(struct json_object *states, char *buf, size_t size)
{
    const char *last = NULL;

    buf[0] = '\0';
    for (size_t i = 0; states && i < json_object_array_length(states); i++) {
        const char *state = get_str(json_object_array_get_idx(states, i), "state", "?");
        if (last && strcmp(state, last) == 0)
            continue;
        append(buf, size, "%s%s", last ? ">" : "", state);
        last = state;
    }
    if (!buf[0])
        snprintf(buf, size, "-");
}

static void buffers_text(struct json_object *offer, char *buf, size_t size)
{
    const char *type = get_str(offer, "data_type", NULL);

    if (!type)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%s (%s)", type, get_str(offer, "fd_kind", "?"));
}

static void print_offer_row(const struct out *o, struct json_object *offer)
{
    const char *verdict = get_str(offer, "verdict", "?");
    struct json_object *first = get(offer, "first_frame_ms");
    char states[256], buffers[64], first_text[32];
    const char *format = get_str(get(offer, "format"), "format", "-");

    states_text(get(offer, "states"), states, sizeof(states));
    buffers_text(offer, buffers, sizeof(buffers));
    if (first && !json_object_is_type(first, json_type_null))
        snprintf(first_text, sizeof(first_text), "%.0f ms", json_object_get_double(first));
    else
        snprintf(first_text, sizeof(first_text), "-");
    fprintf(o->f, "%-16s ", get_str(offer, "name", "?"));
    paint(o, verdict_color(verdict), "%-19s", verdict);
    fprintf(o->f, " %6s %8s %4s  %-7s %-20s %s\n", get_str(offer, "frames", "0"), first_text,
            get_str(offer, "format_changes", "0"), format, buffers, states);
}

/* One line when the two sides put different formats first: whose order the daemon followed
 * (PipeWire changed sides in 1.5.81), with the first item that showed it. */
static bool print_order_of(const struct out *o, struct json_object *it)
{
    struct json_object *order = get(it, "format_order");
    const char *by = get_str(order, "decided_by", NULL), *name = get_str(it, "name", "?");
    const char *pf = get_str(order, "producer_first", "?");
    const char *cf = get_str(order, "consumer_first", "?");
    bool consumer;

    if (!by)
        return false;
    consumer = strcmp(by, "consumer") == 0;
    fprintf(o->f,
            "\nformat order: the daemon chose by the %s's order: %s got %s, %s's first, not %s, "
            "%s's first\n",
            by, name, consumer ? cf : pf, consumer ? name : "the producer", consumer ? pf : cf,
            consumer ? "the producer" : name);
    return true;
}

static void print_format_order(const struct out *o, struct json_object *items)
{
    for (size_t i = 0; items && i < json_object_array_length(items); i++)
        if (print_order_of(o, json_object_array_get_idx(items, i)))
            return;
}

static void print_offers(const struct out *o, struct json_object *offers)
{
    fprintf(o->f, "\n");
    paint(o, BOLD, "%-16s %-19s %6s %8s %4s  %-7s %-20s %s\n", "OFFER", "VERDICT", "FRAMES",
          "FIRST", "FMTS", "FORMAT", "BUFFERS", "STATES");
    for (size_t i = 0; i < json_object_array_length(offers); i++)
        print_offer_row(o, json_object_array_get_idx(offers, i));
    fprintf(o->f, "\n");
    for (size_t i = 0; i < json_object_array_length(offers); i++) {
        struct json_object *offer = json_object_array_get_idx(offers, i);
        const char *fixated = get_str(get(offer, "fixated_modifier"), "name", NULL);
        fprintf(o->f, "%s: %s", get_str(offer, "name", "?"), get_str(offer, "reason", ""));
        if (fixated)
            fprintf(o->f, "; pwzc fixated the modifier %s", fixated);
        if (get(offer, "note"))
            fprintf(o->f, "\n    before it: %s", get_str(offer, "note", ""));
        fprintf(o->f, "\n");
    }
}

static void print_timeline(const struct out *o, struct json_object *timeline);

/* -v's timelines: on stderr, as --help says, so that stdout stays the report a script reads. */
static struct out verbose_out(void)
{
    return (struct out){.f = stderr, .color = false};
}

static void print_timelines(struct json_object *offers)
{
    const struct out e = verbose_out();

    for (size_t i = 0; i < json_object_array_length(offers); i++) {
        struct json_object *offer = json_object_array_get_idx(offers, i);
        if (!get(offer, "timeline"))
            continue;
        fprintf(e.f, "\ntimeline of %s:\n", get_str(offer, "name", "?"));
        print_timeline(&e, get(offer, "timeline"));
    }
}

/* An offer that took SyncTimeline (taken), or one that streamed without the syncobjs its
 * producer required (!taken). */
static bool sync_listed(struct json_object *offer, bool taken)
{
    struct json_object *sync = get(offer, "explicit_sync");
    bool took = json_object_get_boolean(get(sync, "taken"));

    if (taken)
        return took;
    return !took && strcmp(get_str(sync, "producer", ""), "required") == 0 &&
           strcmp(get_str(offer, "verdict", ""), "works") == 0;
}

/* The names of those offers, as "a, b", into buf. */
static void sync_names(char *buf, size_t size, struct json_object *offers, bool taken)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; offers && i < json_object_array_length(offers); i++) {
        struct json_object *x = json_object_array_get_idx(offers, i);
        if (sync_listed(x, taken))
            used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%s",
                                     used ? ", " : "", get_str(x, "name", "?"));
    }
}

/* Explicit sync, when the producer asks for it: who took it, what PipeWire did with those that
 * did not, and that nothing here can wait. */
static void print_sync(const struct out *o, struct json_object *offers)
{
    const char *producer = NULL;
    char taken[512], unsynced[512];

    for (size_t i = 0; offers && i < json_object_array_length(offers); i++) {
        const char *p = get_str(get(json_object_array_get_idx(offers, i), "explicit_sync"),
                                "producer", "unknown");
        if (strcmp(p, "offered") == 0 || strcmp(p, "required") == 0)
            producer = p;
    }
    if (!producer)
        return;
    sync_names(taken, sizeof(taken), offers, true);
    sync_names(unsynced, sizeof(unsynced), offers, false);
    fprintf(o->f, "\nexplicit sync: the producer %s SyncTimeline for its DMA-BUF buffers; %s%s.",
            strcmp(producer, "required") == 0 ? "requires" : "offers",
            taken[0] ? "taken by " : "no offer took it", taken);
    if (unsynced[0])
        fprintf(o->f,
                " The daemon linked %s anyway, with buffers that carry no syncobjs: it does not "
                "enforce the requirement, so the producer must fall back to implicit sync.",
                unsynced);
    fprintf(o->f, " Its syncobj points are not waited on here: that needs a DRM device.\n");
}

static void print_backend_events(const struct out *o, struct json_object *events)
{
    for (size_t i = 0; events && i < json_object_array_length(events); i++)
        fprintf(o->f, "portal backend: %s\n",
                json_object_get_string(json_object_array_get_idx(events, i)));
}

static void print_probe(const struct out *o, struct json_object *tree)
{
    const char *recommended = get_str(tree, "recommended", NULL);

    print_header(o, "probe", tree);
    print_producer(o, get(tree, "producer"));
    print_gpu(o, get(tree, "gpu"));
    print_offers(o, get(tree, "offers"));
    print_format_order(o, get(tree, "offers"));
    print_backend_events(o, get(tree, "backend_events"));
    print_sync(o, get(tree, "offers"));
    print_timelines(get(tree, "offers"));
    fprintf(o->f, "\n");
    if (recommended) {
        paint(o, BOLD, "recommended: %s", recommended);
        fprintf(o->f, ": %s\n", get_str(tree, "recommendation", ""));
    } else {
        paint(o, RED, "no offer streams");
        fprintf(o->f, ": %s\n", get_str(tree, "recommendation", ""));
    }
}

#define EVENT_INDENT 28

static void print_event(const struct out *o, struct json_object *e, unsigned repeats)
{
    const char *kind = get_str(e, "event", "?"), *text = get_str(e, "text", NULL);
    struct json_object *detail = get(e, "detail");

    fprintf(o->f, "%9.1f ms  %-14s ", json_object_get_double(get(e, "t_ms")), kind);
    if (repeats > 1)
        fprintf(o->f, "%ux ", repeats);
    if (strcmp(kind, "state") == 0)
        fprintf(o->f, "%s -> %s%s%s", get_str(e, "from", "?"), get_str(e, "to", "?"),
                text ? ": " : "", text ? text : "");
    else if (strcmp(kind, "param_changed") == 0)
        fprintf(o->f, "%s%s", get_str(e, "param", "?"),
                json_object_get_boolean(get(e, "cleared")) ? " (cleared)" : "");
    else if (strcmp(kind, "link") == 0)
        fprintf(o->f, "%s%s%s", get_str(e, "state", "?"), text ? ": " : "", text ? text : "");
    else if (text)
        fprintf(o->f, "%s", text);
    fprintf(o->f, "\n");
    if (detail && json_object_is_type(detail, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(detail); i++)
            print_pod(o, json_object_array_get_idx(detail, i), EVENT_INDENT);
    } else if (detail && get(detail, "props")) {
        print_pod(o, detail, EVENT_INDENT);
    }
}

/* Eight add_buffer lines say less than one "8x add_buffer": fold identical neighbours. */
static bool same_event(struct json_object *a, struct json_object *b)
{
    const char *ta = get_str(a, "text", ""), *tb = get_str(b, "text", "");

    return strcmp(get_str(a, "event", ""), get_str(b, "event", "")) == 0 &&
           strcmp(get_str(a, "event", ""), "add_buffer") == 0 && strcmp(ta, tb) == 0;
}

static void print_timeline(const struct out *o, struct json_object *timeline)
{
    size_t n = timeline ? json_object_array_length(timeline) : 0;

    for (size_t i = 0; i < n;) {
        struct json_object *e = json_object_array_get_idx(timeline, i);
        unsigned repeats = 1;
        while (i + repeats < n && same_event(e, json_object_array_get_idx(timeline, i + repeats)))
            repeats++;
        print_event(o, e, repeats);
        i += repeats;
    }
}

static void print_client_steps(const struct out *o, struct json_object *c,
                               const struct out *timelines);

/* negotiate --client: every step the client takes, each with its full timeline. */
static void print_negotiate_client(const struct out *o, struct json_object *tree)
{
    struct json_object *c = get(tree, "client");
    const char *verdict = get_str(c, "verdict", "?");

    print_header(o, "negotiate", tree);
    print_producer(o, get(tree, "producer"));
    fprintf(o->f, "\nclient %s: %s\n  read from %s\n", get_str(c, "name", "?"),
            get_str(c, "description", ""), get_str(c, "source", "?"));
    print_client_steps(o, c, o);
    fprintf(o->f, "\nverdict after step %s: ", get_str(c, "step", "?"));
    paint(o, verdict_color(verdict), "%s", verdict);
    fprintf(o->f, ": %s\n", get_str(c, "why", ""));
}

/* "45 arrived: 23 frame, 22 corrupted": every buffer and what became of it. */
static void fates_text(struct json_object *fates, char *buf, size_t size)
{
    const char *sep = ": ";

    snprintf(buf, size, "%s arrived", get_str(fates, "arrived", "?"));
    json_object_object_foreach(fates, key, val) {
        if (strcmp(key, "arrived") && json_object_get_int64(val) > 0) {
            append(buf, size, "%s%" PRId64 " %s", sep, json_object_get_int64(val), key);
            sep = ", ";
        }
    }
}

static void print_negotiate(const struct out *o, struct json_object *tree)
{
    struct json_object *result = get(tree, "result"), *timeline = get(result, "timeline");
    struct json_object *offer = get(tree, "offer");
    const char *verdict = get_str(result, "verdict", "?");

    print_header(o, "negotiate", tree);
    print_producer(o, get(tree, "producer"));
    fprintf(o->f, "\noffer %s: %s\n\n", get_str(offer, "name", "?"),
            get_str(offer, "description", ""));
    print_timeline(o, timeline);
    fprintf(o->f, "\nverdict: ");
    paint(o, verdict_color(verdict), "%s", verdict);
    fprintf(o->f, ": %s\n", get_str(result, "reason", ""));
    if (get(result, "fates")) {
        char fates[256];
        fates_text(get(result, "fates"), fates, sizeof(fates));
        fprintf(o->f, "buffers: %s\n", fates);
    }
    print_order_of(o, result);
}

static void print_client_row(const struct out *o, struct json_object *c)
{
    const char *verdict = get_str(c, "verdict", "?");
    struct json_object *first = get(c, "first_frame_ms");
    char first_text[32], modifier[64];

    snprintf(first_text, sizeof(first_text), "-");
    if (first && !json_object_is_type(first, json_type_null))
        snprintf(first_text, sizeof(first_text), "%.0f ms", json_object_get_double(first));
    snprintf(modifier, sizeof(modifier), "%.40s", get_str(get(c, "modifier"), "name", "-"));
    fprintf(o->f, "%-32s ", get_str(c, "name", "?"));
    paint(o, verdict_color(verdict), "%-19s", verdict);
    fprintf(o->f, " %4s  %-6s %-7s %-40s %6s %8s\n", get_str(c, "step", "?"),
            get_str(get(c, "format"), "format", "-"), get_str(c, "data_type", "-"), modifier,
            get_str(c, "frames", "0"), first_text);
}

/* Each step on o; its timeline, where there is one, on `timelines` (o itself for negotiate,
 * whose product the timeline is; stderr for probe --clients -v). */
static void print_client_steps(const struct out *o, struct json_object *c,
                               const struct out *timelines)
{
    struct json_object *steps = get(c, "steps");

    for (size_t i = 0; i < json_object_array_length(steps); i++) {
        struct json_object *st = json_object_array_get_idx(steps, i);
        bool inline_timeline = get(st, "timeline") && timelines == o;
        fprintf(o->f, "%s    step %s: %s -> %s (%s frames)%s%s\n", inline_timeline ? "\n" : "",
                get_str(st, "step", "?"), get_str(st, "action", ""), get_str(st, "verdict", "?"),
                get_str(st, "frames", "0"), get(st, "import") ? "; import: " : "",
                get(st, "import") ? get_str(get(st, "import"), "detail", "") : "");
        if (!get(st, "timeline"))
            continue;
        if (!inline_timeline)
            fprintf(timelines->f, "\ntimeline of %s, step %s:\n", get_str(c, "name", "?"),
                    get_str(st, "step", "?"));
        print_timeline(timelines, get(st, "timeline"));
    }
}

static bool any_import_tried(struct json_object *clients)
{
    for (size_t i = 0; i < json_object_array_length(clients); i++) {
        struct json_object *steps = get(json_object_array_get_idx(clients, i), "steps");
        for (size_t k = 0; steps && k < json_object_array_length(steps); k++)
            if (strcmp(get_str(get(json_object_array_get_idx(steps, k), "import"), "tried", ""),
                       "egl") == 0)
                return true;
    }
    return false;
}

static void print_clients(const struct out *o, struct json_object *tree)
{
    const struct out e = verbose_out();
    struct json_object *clients = get(tree, "clients");
    bool standin = false;

    print_header(o, "probe --clients", tree);
    print_producer(o, get(tree, "producer"));
    print_gpu(o, get(tree, "gpu"));
    fprintf(o->f, "\n");
    paint(o, BOLD, "%-32s %-19s %4s  %-6s %-7s %-40s %6s %8s\n", "CLIENT", "VERDICT", "STEP",
          "FORMAT", "BUFFERS", "MODIFIER", "FRAMES", "FIRST");
    for (size_t i = 0; i < json_object_array_length(clients); i++) {
        print_client_row(o, json_object_array_get_idx(clients, i));
        standin |= strcmp(get_str(json_object_array_get_idx(clients, i), "modifiers", ""),
                          "stand-in") == 0;
    }
    fprintf(o->f, "\n");
    for (size_t i = 0; i < json_object_array_length(clients); i++) {
        struct json_object *c = json_object_array_get_idx(clients, i);
        fprintf(o->f, "%s: %s\n", get_str(c, "name", "?"), get_str(c, "why", ""));
        if (get(c, "note"))
            fprintf(o->f, "    then: %s\n", get_str(c, "note", ""));
        if (json_object_array_length(get(c, "steps")) > 1 ||
            get(json_object_array_get_idx(get(c, "steps"), 0), "timeline"))
            print_client_steps(o, c, &e);
    }
    print_format_order(o, clients);
    if (standin)
        fprintf(o->f,
                "\nNo GPU here: clients that take their modifiers from EGL offered a stand-in "
                "list (an H100's), and %s.\n",
                any_import_tried(clients)
                    ? "their DMA-BUF imports were tried in Mesa's software EGL (llvmpipe)"
                    : "no DMA-BUF import could be tried");
}

static void stage_row(const struct out *o, const char *name, struct json_object *s)
{
    if (!s) {
        fprintf(o->f, "  %-16s -\n", name);
        return;
    }
    fprintf(o->f, "  %-16s %8.3f %8.3f %8.3f %8.3f\n", name,
            json_object_get_double(get(s, "p50_ms")), json_object_get_double(get(s, "p95_ms")),
            json_object_get_double(get(s, "p99_ms")), json_object_get_double(get(s, "max_ms")));
}

static void sync_line(FILE *out, struct json_object *sync)
{
    const char *points = get_str(sync, "points", "none-asked");

    if (strcmp(points, "none-asked") == 0)
        return;
    fprintf(
        out, "  sync      the producer %s explicit sync (SyncTimeline): %s\n",
        strcmp(get_str(sync, "producer", ""), "required") == 0 ? "requires" : "offers",
        strcmp(points, "not-taken") == 0
            ? "not taken (pwzc offers no SyncTimeline meta), so the stream ran on implicit sync"
        : strcmp(points, "no-drm-device") == 0
            ? "taken, but its DRM syncobjs need a DRM device (/dev/dri) and there is none here: "
              "acquire points were not waited on, release points not signalled"
            : "taken, but pwzc does not wait on its syncobjs yet");
}

/* The summary's last word on how the capture ended (the error line says the rest). */
static const char *stopped_text(const char *stopped_by)
{
    static const char *const texts[][2] = {
        {"frames", "after the frames asked for (--frames)"},
        {"duration", "after the time asked for (--duration)"},
        {"signal", "by a signal (SIGINT or SIGTERM)"},
        {"producer", "the producer's node went away"},
        {"closed", "the compositor closed the session"},
        {"daemon", "the PipeWire daemon went away"},
        {"output", "the output could not be written"},
        {"encoder", "the encoder failed"},
    };

    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        if (strcmp(stopped_by, texts[i][0]) == 0)
            return texts[i][1];
    return "-";
}

/* The file line: what the container holds, where its timestamps came from, its colour. */
static void capture_file_line(const struct out *o, struct json_object *c)
{
    const char *timestamps = get_str(c, "timestamps", NULL);

    if (!timestamps)
        return; /* raw H.264, or nothing encoded */
    fprintf(o->f, "  file      %s, the H.264 copied in; timestamps from %s; %s, %s range\n",
            strcmp(get_str(c, "container", ""), "mp4") == 0 ? "MP4" : "Matroska",
            strcmp(timestamps, "producer") == 0 ? "the producer's Header meta"
                                                : "frame arrival (no producer stamps)",
            convert_colour.matrix == CONVERT_MATRIX_BT601 ? "BT.601" : "BT.709",
            convert_colour.full_range ? "full" : "limited");
}

static void print_capture(const struct out *o, struct json_object *tree)
{
    struct json_object *c = get(tree, "capture");
    int64_t reconfigurations = json_object_get_int64(get(c, "reconfigurations"));
    int64_t reconnects = json_object_get_int64(get(c, "reconnects"));

    fprintf(o->f, "pwzc capture: %s frames (%s) to %s, %.1f fps, %.2f MB\n",
            get_str(c, "frames", "?"), get_str(c, "size", "?"), get_str(tree, "output", "?"),
            json_object_get_double(get(c, "fps")),
            (double)json_object_get_int64(get(c, "bytes")) / 1e6);
    fprintf(o->f, "  path      %s\n  encoder   %s\n", get_str(c, "path_why", "?"),
            get_str(c, "encoder_why", "?"));
    capture_file_line(o, c);
    sync_line(o->f, get(get(c, "stream"), "explicit_sync"));
    if (json_object_get_int64(get(get(c, "queue"), "dropped")))
        fprintf(o->f,
                "  dropped   %s frames: they came while the encoder was %s frames behind "
                "(not in the file)\n",
                get_str(get(c, "queue"), "dropped", "?"), get_str(get(c, "queue"), "depth", "?"));
    if (reconfigurations)
        fprintf(o->f, "  resized   %" PRId64 " times mid-stream (each restarted with an IDR)\n",
                reconfigurations);
    if (reconnects)
        fprintf(o->f,
                "  daemon    went away and came back %" PRId64 " times (longest gap %.1f s); "
                "each restart of the stream began with an IDR\n",
                reconnects, json_object_get_double(get(c, "reconnect_gap_ms")) / 1e3);
    fprintf(o->f, "  stopped   %s\n", stopped_text(get_str(c, "stopped_by", "")));
}

static void print_bench(const struct out *o, struct json_object *tree)
{
    struct json_object *m = get(tree, "machine"), *frames = get(tree, "frames");
    struct json_object *stages = get(tree, "stages"), *cpu = get(tree, "cpu"), *gpu = get(m, "gpu");
    struct json_object *t = get(tree, "thresholds");

    paint(o, BOLD, "pwzc bench");
    fprintf(o->f, ": %s on %s (%s cores)\n", get_str(get(tree, "format"), "size", "?"),
            get_str(m, "cpu_model", "?"), get_str(m, "cpu_cores", "?"));
    fprintf(o->f, "  path      %s\n  encoder   %s\n", get_str(tree, "path_why", "?"),
            get_str(tree, "encoder_why", "none"));
    sync_line(o->f, get(tree, "explicit_sync"));
    fprintf(o->f, "  frames    %s delivered, %s measured in %.2f s: %.1f fps; %s lost in transit\n",
            get_str(frames, "delivered", "?"), get_str(frames, "measured", "?"),
            json_object_get_double(get(tree, "duration_s")),
            json_object_get_double(get(tree, "fps")), get_str(frames, "lost_in_transit", "?"));
    if (get(tree, "queue"))
        fprintf(o->f,
                "  queue     %s frames deep (encoding on a worker): %s dropped "
                "while it was full\n",
                get_str(get(tree, "queue"), "depth", "?"),
                get_str(get(tree, "queue"), "dropped", "?"));
    if (get(frames, "fates")) {
        char fates[256];
        fates_text(get(frames, "fates"), fates, sizeof(fates));
        fprintf(o->f, "  buffers   %s\n", fates);
    }
    fprintf(o->f, "  cpu       %.1f%% of one core, %.3f ms a frame\n",
            json_object_get_double(get(cpu, "percent_of_one_core")),
            json_object_get_double(get(cpu, "ms_per_frame")));
    if (json_object_get_boolean(get(gpu, "available")))
        fprintf(o->f, "  gpu       %s, driver %s: %.0f%% busy, encoder %.0f%%, %.0f MiB\n",
                get_str(gpu, "name", "?"), get_str(gpu, "driver", "?"),
                json_object_get_double(get(gpu, "gpu_util_avg_percent")),
                json_object_get_double(get(gpu, "encoder_util_avg_percent")),
                json_object_get_double(get(gpu, "memory_used_max_mib")));
    else
        fprintf(o->f, "  gpu       %s\n", get_str(gpu, "reason", "none"));
    fprintf(o->f, "\n  %-16s %8s %8s %8s %8s   (ms)\n", "", "p50", "p95", "p99", "max");
    stage_row(o, "frame interval", get(tree, "frame_interval"));
    stage_row(o, "dequeue", get(stages, "dequeue"));
    if (get(stages, "copy"))
        stage_row(o, "copy", get(stages, "copy"));
    stage_row(o, "upload", get(stages, "upload"));
    stage_row(o, "convert", get(stages, "convert"));
    stage_row(o, "encode", get(stages, "encode"));
    stage_row(o, "latency", get(tree, "latency"));
    for (size_t i = 0; t && i < json_object_array_length(t); i++) {
        struct json_object *th = json_object_array_get_idx(t, i);
        bool pass = json_object_get_boolean(get(th, "passed"));
        fprintf(o->f, "%s  %s %s (limit %s): ", i ? "" : "\n", get_str(th, "name", "?"),
                get_str(th, "value", "unknown"), get_str(th, "limit", "?"));
        paint(o, pass ? GREEN : RED, "%s\n", pass ? "passed" : "missed");
    }
}

static void print_negotiate_any(const struct out *o, struct json_object *tree)
{
    if (get(tree, "client"))
        print_negotiate_client(o, tree);
    else
        print_negotiate(o, tree);
}

static void print_list(const struct out *o, struct json_object *tree)
{
    report_print_list(o->f, tree, o->opts);
}

static void print_catalog(const struct out *o, struct json_object *tree)
{
    report_print_catalog(o->f, tree, o->opts);
}

static void print_watch(const struct out *o, struct json_object *tree)
{
    report_print_watch(o->f, tree, o->opts);
}

/* Each kind of tree and its text: the one place that knows how a report reads. */
static const struct renderer {
    const char *kind;
    void (*print)(const struct out *o, struct json_object *tree);
} renderers[] = {
    {"probe", print_probe},     {"negotiate", print_negotiate_any}, {"bench", print_bench},
    {"capture", print_capture}, {"clients", print_clients},         {"version", print_version},
    {"list", print_list},       {"catalog", print_catalog},         {"watch", print_watch},
};

static int write_error;

int report_write_error(void)
{
    return write_error;
}

void report_print(FILE *f, const char *kind, struct json_object *tree,
                  const struct pwzc_options *opts)
{
    struct out o = {.f = f, .color = opts->color, .opts = opts};
    int failed = 0;

    errno = 0;
    if (opts->json)
        failed = fprintf(f, "%s\n",
                         json_object_to_json_string_ext(
                             tree, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                       JSON_C_TO_STRING_NOSLASHESCAPE)) < 0;
    else
        for (size_t i = 0; i < sizeof(renderers) / sizeof(renderers[0]); i++)
            if (strcmp(renderers[i].kind, kind) == 0)
                renderers[i].print(&o, tree);
    /* Flushed here, while errno still says why a write failed. */
    if ((fflush(f) != 0 || failed || ferror(f)) && !write_error)
        write_error = errno ? errno : EIO;
}

void report_emulator_ready(FILE *out, const struct emulator_ready *ready,
                           const struct pwzc_options *opts)
{
    struct json_object *obj;

    if (!opts->json) {
        fprintf(out, "pwzc emulate: node %u ready (profile %s, %ux%u, DMA-BUF: %s)\n",
                ready->node_id, ready->profile, ready->width, ready->height, ready->dmabuf);
        fflush(out);
        return;
    }
    obj = json_object_new_object();
    json_object_object_add(obj, "node_id", json_object_new_int64(ready->node_id));
    json_object_object_add(obj, "profile", json_object_new_string(ready->profile));
    json_object_object_add(obj, "dmabuf", json_object_new_string(ready->dmabuf));
    /* One line: the session that started this emulator reads it as it comes. */
    fprintf(out, "%s\n", json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN));
    json_object_put(obj);
    fflush(out);
}

const char *report_offer_names(void)
{
    static char names[256];

    if (!names[0])
        for (uint32_t i = 0; i < offer_builtin_count(); i++)
            append(names, sizeof(names), "%s%s", i ? ", " : "", offer_builtin_name(i));
    return names;
}

void report_progress(const struct pwzc_options *opts, const char *fmt, ...)
{
    va_list ap;

    if (!opts->progress)
        return;
    fputs("\r\033[K", stderr);
    if (fmt) {
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
    }
    fflush(stderr);
}
