/* pwzc emulate: a compositor's screencast producer, as a profile describes it. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "connection.h"
#include "emulator.h"
#include "profile.h"
#include "pwzc.h"

enum { OPT_PROFILE = 0x100, OPT_SIZE, OPT_FPS, OPT_FRAMES, OPT_LIST, OPT_HELP };

static const struct option long_options[] = {
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"size", required_argument, NULL, OPT_SIZE},
    {"fps", required_argument, NULL, OPT_FPS},
    {"frames", required_argument, NULL, OPT_FRAMES},
    {"list-profiles", no_argument, NULL, OPT_LIST},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

struct emulate_args {
    const char *profile;
    struct emulator_options o;
    bool list;
};

static int parse_one(struct emulate_args *a, int c, const char *arg, struct pwzc_error *err)
{
    uint32_t v;
    int res;

    switch (c) {
    case OPT_PROFILE:
        a->profile = arg;
        return 0;
    case OPT_SIZE:
        if ((res = pwzc_parse_size(arg, &a->o.width, &a->o.height)) < 0)
            return pwzc_bad_value(err, "--size", arg, res, "WIDTHxHEIGHT", PWZC_SIZE_RANGE);
        return 0;
    case OPT_FPS:
        if ((res = pwzc_parse_u32(arg, &v)) == 0 && v > 1000)
            res = -ERANGE;
        if (res < 0)
            return pwzc_bad_value(err, "--fps", arg, res, "a number of frames per second",
                                  "0 to 1000");
        a->o.fps = (int32_t)v;
        return 0;
    case OPT_FRAMES:
        if (pwzc_parse_u32(arg, &a->o.frames) < 0)
            return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "--frames '%s' is not a count", arg);
        return 0;
    case OPT_LIST:
        a->list = true;
        return 0;
    }
    return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "see pwzc emulate --help");
}

static int parse_args(struct emulate_args *a, int argc, char **argv, bool *help,
                      struct pwzc_error *err)
{
    int c, res;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        if (c == 'h' || c == OPT_HELP) {
            *help = true;
            return 0;
        }
        if (c == '?')
            return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "emulate: unknown option '%s'",
                             argv[optind - 1]);
        if ((res = parse_one(a, c, optarg, err)) < 0)
            return res;
    }
    if (optind < argc)
        return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "emulate: unexpected '%s'", argv[optind]);
    return 0;
}

int cmd_emulate(const struct pwzc_options *opts, int argc, char **argv, struct pwzc_error *err)
{
    struct emulate_args a = {.profile = "gnome-headless", .o = {.fps = -1, .json = opts->json}};
    struct connection c;
    struct profile p;
    char why[512];
    bool help = false;
    int res;

    if ((res = parse_args(&a, argc, argv, &help, err)) < 0)
        return res;
    if (help) {
        pwzc_print_command_help(stdout, "emulate");
        return PWZC_EXIT_OK;
    }
    if (a.list)
        return catalog_print(CATALOG_PROFILES, opts);
    if ((res = profile_load(a.profile, &p, why, sizeof(why))) < 0)
        return pwzc_fail(err, PWZC_EXIT_PROFILE, res, "%s", why);
    if ((res = connection_open(&c, opts, err)) < 0)
        return res;
    res = emulator_run(&c, &p, &a.o, err);
    connection_close(&c);
    return res;
}
