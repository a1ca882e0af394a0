/* The session options: one table, their values, and the checks on how they combine. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "session-options.h"

#define DEFAULT_TIMEOUT_MS 3000
#define PORTAL_RESPONSE_MS 60000

enum {
    SESSION_OPT_NODE = 0x1000,
    SESSION_OPT_EMULATE,
    SESSION_OPT_SANDBOX,
    SESSION_OPT_SIZE,
    SESSION_OPT_FPS,
    SESSION_OPT_TIMEOUT,
    SESSION_OPT_MUTTER,
    SESSION_OPT_MONITOR,
    SESSION_OPT_VIRTUAL,
    SESSION_OPT_WINDOW,
    SESSION_OPT_CURSOR,
    SESSION_OPT_PORTAL,
    SESSION_OPT_SOURCE,
    SESSION_OPT_RESTORE,
};

const struct cmd_option session_option_table[] = {
    {"node", SESSION_OPT_NODE, CMD_ARG_REQUIRED, "--node ID",
     "the producer's node id (what the compositor's session returned)"},
    {"emulate", SESSION_OPT_EMULATE, CMD_ARG_REQUIRED, "--emulate PROFILE",
     "start `pwzc emulate --profile PROFILE` and use its node"},
    {"sandbox", SESSION_OPT_SANDBOX, CMD_ARG_NONE, "--sandbox",
     "run in a private PipeWire + WirePlumber started for this run\n"
     "(with no --node/--emulate: --emulate gnome-headless)"},
    {"mutter", SESSION_OPT_MUTTER, CMD_ARG_NONE, "--mutter",
     "open a screencast through org.gnome.Mutter.ScreenCast (GNOME)"},
    {"monitor", SESSION_OPT_MONITOR, CMD_ARG_REQUIRED, "--monitor NAME",
     "with --mutter: the monitor's connector (default: the first)"},
    {"virtual", SESSION_OPT_VIRTUAL, CMD_ARG_NONE, "--virtual",
     "record a virtual monitor (Mutter RecordVirtual; portal: virtual)"},
    {"window", SESSION_OPT_WINDOW, CMD_ARG_REQUIRED, "--window ID",
     "with --mutter: record a window (RecordWindow)"},
    {"portal", SESSION_OPT_PORTAL, CMD_ARG_NONE, "--portal",
     "open a screencast through org.freedesktop.portal.ScreenCast"},
    {"source", SESSION_OPT_SOURCE, CMD_ARG_REQUIRED, "--source TYPE",
     "with --portal: monitor, window or virtual (default monitor)"},
    {"cursor", SESSION_OPT_CURSOR, CMD_ARG_REQUIRED, "--cursor MODE",
     "hidden, embedded (default) or metadata"},
    {"restore", SESSION_OPT_RESTORE, CMD_ARG_NONE, "--restore",
     "with --portal: reuse the saved restore token (no dialog)"},
    {"size", SESSION_OPT_SIZE, CMD_ARG_REQUIRED, "--size WxH, --fps N", "passed to the emulator"},
    {"fps", SESSION_OPT_FPS, CMD_ARG_REQUIRED, NULL, NULL},
    {"timeout", SESSION_OPT_TIMEOUT, CMD_ARG_REQUIRED, "--timeout S",
     "how long to wait for each offer to settle (default 3)"},
    {NULL, 0, 0, NULL, NULL},
};

void session_options_init(struct session_options *o)
{
    memset(o, 0, sizeof(*o));
    o->fps = -1;
    o->timeout_ms = DEFAULT_TIMEOUT_MS;
    o->mutter.cursor_mode = 1; /* embedded: what a remote desktop or a recording wants */
    o->portal.source_type = PORTAL_MONITOR;
    o->portal.cursor_mode = -1;
    o->portal.response_timeout_ms = PORTAL_RESPONSE_MS;
}

/* What each session option's value must be, for the one line a bad one gets. */
static const struct value_rule {
    const char *option, *expected, *range;
} value_rules[] = {
    {"--node", "a node id", NULL},
    {"--size", "WIDTHxHEIGHT", PWZC_SIZE_RANGE},
    {"--fps", "a number of frames per second", "0 to 1000"},
    {"--timeout", "a number of seconds", "0.1 to 86400 seconds"},
    {"--window", "a window id", NULL},
    {"--cursor", "hidden, embedded or metadata", NULL},
    {"--source", "monitor, window or virtual", NULL},
};

static int usage(struct pwzc_error *err, const char *what, const char *arg, int res)
{
    for (size_t i = 0; i < sizeof(value_rules) / sizeof(value_rules[0]); i++)
        if (strcmp(value_rules[i].option, what) == 0)
            return pwzc_bad_value(err, what, arg, res, value_rules[i].expected,
                                  value_rules[i].range);
    return pwzc_bad_value(err, what, arg, res, "valid", NULL);
}

/* Which producer: a node, the emulator, Mutter or the portal. */
static int parse_producer(struct session_options *o, int c, const char *arg, struct pwzc_error *err)
{
    switch (c) {
    case SESSION_OPT_NODE:
        if (pwzc_parse_u32(arg, &o->node_id) < 0)
            return usage(err, "--node", arg, -EINVAL);
        o->has_node = true;
        return 1;
    case SESSION_OPT_EMULATE:
        o->emulate = arg;
        return 1;
    case SESSION_OPT_SANDBOX:
        o->sandbox = true;
        return 1;
    case SESSION_OPT_MUTTER:
        o->kind = SESSION_MUTTER;
        return 1;
    case SESSION_OPT_PORTAL:
        o->kind = SESSION_PORTAL;
        return 1;
    }
    return 0;
}

static int parse_source(struct session_options *o, int c, const char *arg, struct pwzc_error *err)
{
    switch (c) {
    case SESSION_OPT_MONITOR:
        o->mutter.monitor = arg;
        o->mutter.source = MUTTER_MONITOR;
        return 1;
    case SESSION_OPT_VIRTUAL:
        o->mutter.source = MUTTER_VIRTUAL;
        o->portal.source_type = PORTAL_VIRTUAL;
        return 1;
    case SESSION_OPT_WINDOW:
        if (sscanf(arg, "%" SCNu64, &o->mutter.window_id) != 1)
            return usage(err, "--window", arg, -EINVAL);
        o->mutter.source = MUTTER_WINDOW;
        return 1;
    case SESSION_OPT_SOURCE:
        if (strcmp(arg, "monitor") == 0)
            o->portal.source_type = PORTAL_MONITOR;
        else if (strcmp(arg, "window") == 0)
            o->portal.source_type = PORTAL_WINDOW;
        else if (strcmp(arg, "virtual") == 0)
            o->portal.source_type = PORTAL_VIRTUAL;
        else
            return usage(err, "--source", arg, -EINVAL);
        return 1;
    case SESSION_OPT_RESTORE:
        o->portal.restore = true;
        return 1;
    }
    return 0;
}

/* Both APIs number cursor modes their own way: Mutter 0/1/2, the portal 1/2/4. */
static int parse_cursor(struct session_options *o, const char *arg, struct pwzc_error *err)
{
    static const char *const modes[] = {"hidden", "embedded", "metadata"};

    for (uint32_t i = 0; i < 3; i++)
        if (strcmp(arg, modes[i]) == 0) {
            o->mutter.cursor_mode = i;
            o->portal.cursor_mode = (int32_t)(1u << i);
            return 1;
        }
    return usage(err, "--cursor", arg, -EINVAL);
}

static int parse_stream(struct session_options *o, int c, const char *arg, struct pwzc_error *err)
{
    int res;

    switch (c) {
    case SESSION_OPT_SIZE:
        return (res = session_parse_size(arg, &o->width, &o->height, err)) < 0 ? res : 1;
    case SESSION_OPT_FPS:
        return (res = session_parse_fps(arg, &o->fps, err)) < 0 ? res : 1;
    case SESSION_OPT_TIMEOUT:
        if ((res = pwzc_parse_ms(arg, &o->timeout_ms)) == 0 && o->timeout_ms < 100)
            res = -ERANGE;
        if (res < 0)
            return usage(err, "--timeout", arg, res);
        return 1;
    case SESSION_OPT_CURSOR:
        return parse_cursor(o, arg, err);
    }
    return 0;
}

int session_options_parse(struct session_options *o, int key, const char *value,
                          struct pwzc_error *err)
{
    int res;

    if ((res = parse_producer(o, key, value, err)) == 0 &&
        (res = parse_source(o, key, value, err)) == 0)
        res = parse_stream(o, key, value, err);
    return res < 0 ? res : 0;
}

int session_parse_size(const char *value, uint32_t *width, uint32_t *height, struct pwzc_error *err)
{
    int res = pwzc_parse_size(value, width, height);

    return res < 0 ? usage(err, "--size", value, res) : 0;
}

int session_parse_fps(const char *value, int32_t *fps, struct pwzc_error *err)
{
    uint32_t v;
    int res;

    if ((res = pwzc_parse_u32(value, &v)) == 0 && v > 1000)
        res = -ERANGE;
    if (res < 0)
        return usage(err, "--fps", value, res);
    *fps = (int32_t)v;
    return 0;
}

int session_options_check(struct session_options *o, const struct pwzc_options *opts,
                          struct pwzc_error *err)
{
    int producers = (o->has_node ? 1 : 0) + (o->emulate ? 1 : 0) + (o->kind != SESSION_NODE);

    if (producers > 1)
        return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL,
                         "--node, --emulate, --mutter and --portal exclude each other");
    if (opts->fd >= 0 && (o->sandbox || o->emulate || o->kind != SESSION_NODE))
        return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL,
                         "--fd uses someone else's connection: only with --node");
    if (o->sandbox && o->kind != SESSION_NODE)
        return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL,
                         "--sandbox starts no compositor: use it with --emulate or --node");
    if (o->sandbox && !o->has_node && !o->emulate)
        o->emulate = "gnome-headless"; /* the embedded default: the classic no-frames case */
    if (o->emulate)
        o->kind = SESSION_EMULATE;
    if (o->kind == SESSION_NODE && !o->has_node)
        return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL,
                         "say which producer: --node ID, --emulate PROFILE, --mutter, --portal "
                         "or --sandbox");
    return 0;
}
