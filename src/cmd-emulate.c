/* pwzc emulate: a compositor's screencast producer, as a profile describes it. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "cmd.h"
#include "connection.h"
#include "emulator.h"
#include "profile.h"
#include "report.h"
#include "session-options.h"

enum { OPT_PROFILE = 0x100, OPT_SIZE, OPT_FPS, OPT_FRAMES, OPT_LIST };

static const struct cmd_option options[] = {
    {"profile", OPT_PROFILE, CMD_ARG_REQUIRED, "--profile NAME|PATH",
     "a profile from data/profiles/ or a file (default gnome-headless)"},
    {"size", OPT_SIZE, CMD_ARG_REQUIRED, "--size WxH", "frame size (default: the profile's)"},
    {"fps", OPT_FPS, CMD_ARG_REQUIRED, "--fps N",
     "frames per second; 0: as fast as the consumer takes them"},
    {"frames", OPT_FRAMES, CMD_ARG_REQUIRED, "--frames N", "stop after N frames"},
    {"list-profiles", OPT_LIST, CMD_ARG_NONE, "--list-profiles",
     "list the profiles and exit (one a line; --json)"},
    {NULL, 0, 0, NULL, NULL},
};

struct emulate_args {
    const char *profile;
    struct emulator_options o;
    bool list;
};

static int option(void *args, int key, const char *value, struct pwzc_error *err)
{
    struct emulate_args *a = args;

    switch (key) {
    case OPT_PROFILE:
        a->profile = value;
        return 0;
    case OPT_SIZE:
        return session_parse_size(value, &a->o.width, &a->o.height, err);
    case OPT_FPS:
        return session_parse_fps(value, &a->o.fps, err);
    case OPT_FRAMES:
        if (pwzc_parse_u32(value, &a->o.frames) < 0)
            return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "--frames '%s' is not a count", value);
        return 0;
    case OPT_LIST:
        a->list = true;
        return 0;
    }
    return 0;
}

static void init(void *args)
{
    struct emulate_args *a = args;

    a->profile = "gnome-headless";
    a->o.fps = -1;
}

static void on_ready(void *data, const struct emulator_ready *ready)
{
    report_emulator_ready(stdout, ready, data);
}

static int run(const struct pwzc_options *opts, void *args, struct pwzc_error *err)
{
    struct emulate_args *a = args;
    struct connection c;
    struct profile p;
    int res;

    if (a->list)
        return catalog_print(CATALOG_PROFILES, opts);
    a->o.json = opts->json;
    a->o.ready = on_ready;
    a->o.ready_data = (void *)opts;
    if ((res = profile_load(a->profile, &p, err)) < 0)
        return res;
    if ((res = connection_open(&c, opts, err)) < 0)
        return res;
    res = emulator_run(&c, &p, &a->o, err);
    connection_close(&c);
    return res;
}

const struct cmd_entry cmd_emulate_entry = {
    .name = "emulate",
    .usage = "[--profile NAME|PATH] [--size WxH] [--fps N] [--frames N]",
    .summary = "a PipeWire video producer that behaves like a named compositor",
    .options = options,
    .args_size = sizeof(struct emulate_args),
    .init = init,
    .option = option,
    .run = run,
};
