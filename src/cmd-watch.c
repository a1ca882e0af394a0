/* pwzc watch: why is this running screencast black? The links between other programs, watched
 * and explained; nothing of ours is linked and nothing is changed. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include <spa/utils/result.h>

#include "pwzc.h"
#include "report.h"
#include "watch.h"

enum { OPT_NODE = 0x100, OPT_CLIENT, OPT_ONCE, OPT_INTERVAL, OPT_HELP };

static const struct option long_options[] = {
    {"node", required_argument, NULL, OPT_NODE},
    {"client", required_argument, NULL, OPT_CLIENT},
    {"once", no_argument, NULL, OPT_ONCE},
    {"interval", required_argument, NULL, OPT_INTERVAL},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

struct watch_args {
    struct watch_options watch;
    bool once, help;
};

static int parse_one(struct watch_args *a, int c, const char *arg, struct pwzc_error *err)
{
    int res;

    switch (c) {
    case OPT_NODE:
        if ((res = pwzc_parse_u32(arg, &a->watch.node_id)) < 0)
            return pwzc_bad_value(err, "--node", arg, res, "a node id", NULL);
        return 0;
    case OPT_CLIENT:
        a->watch.client = arg;
        return 0;
    case OPT_ONCE:
        a->once = true;
        return 0;
    case OPT_INTERVAL:
        if ((res = pwzc_parse_ms(arg, &a->watch.window_ms)) < 0 || a->watch.window_ms < 100)
            return pwzc_bad_value(err, "--interval", arg, res < 0 ? res : -ERANGE, "seconds",
                                  "0.1 to 86400");
        return 0;
    case 'h':
    case OPT_HELP:
        a->help = true;
        return 0;
    }
    return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "watch: unknown option '%s'", arg ? arg : "");
}

static int parse_args(struct watch_args *a, int argc, char **argv, struct pwzc_error *err)
{
    int c, res;

    *a = (struct watch_args){.watch = {.node_id = SPA_ID_INVALID, .window_ms = 2000}};
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        const char *arg = optarg ? optarg : argv[optind - 1];
        if ((res = parse_one(a, c, arg, err)) < 0)
            return res;
    }
    if (optind < argc)
        return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "watch: unexpected '%s'", argv[optind]);
    return 0;
}

/* --node names a node that must exist: a typo gets its own line, not an empty report. */
static int check_node(struct connection *c, uint32_t node_id, struct pwzc_error *err)
{
    struct registry r;
    int res;

    if (node_id == SPA_ID_INVALID)
        return 0;
    if ((res = registry_open(&r, c)) < 0)
        return pwzc_fail(err, PWZC_EXIT_NO_DAEMON, res, "cannot read the daemon's registry: %s",
                         spa_strerror(res));
    res = registry_find_node(&r, node_id) ? 0 : -ENOENT;
    registry_close(&r);
    if (res < 0)
        return pwzc_fail(err, PWZC_EXIT_NO_NODE, res,
                         "node %u does not exist (pwzc list shows "
                         "the screencast nodes)",
                         node_id);
    return 0;
}

static bool all_work(const struct watch_result *res)
{
    /* A link removed before it negotiated did not work, though why is not known. */
    for (uint32_t i = 0; i < res->n_links; i++)
        if ((res->links[i].verdict_known && res->links[i].verdict.verdict != VERDICT_WORKS) ||
            (!res->links[i].verdict_known && res->links[i].gone))
            return false;
    return true;
}

/* One report; on a terminal each replaces the last, as top's screen does. */
static void render(const struct watch_result *res, const struct pwzc_options *opts, bool redraw)
{
    struct json_object *tree = watch_result_to_json(res);

    if (redraw && opts->terminal && !opts->json)
        fputs("\033[H\033[J", stdout);
    if (opts->json && !redraw)
        report_print(stdout, "watch", tree, opts);
    else if (opts->json)
        printf("%s\n", json_object_to_json_string_ext(tree, JSON_C_TO_STRING_PLAIN |
                                                                JSON_C_TO_STRING_NOSLASHESCAPE));
    else
        report_print(stdout, "watch", tree, opts);
    fflush(stdout);
    json_object_put(tree);
}

static int watch_loop(const struct watch_args *a, struct connection *c,
                      const struct pwzc_options *opts, struct pwzc_error *err)
{
    struct watch_result res;
    bool works = true;
    int rc;

    do {
        rc = watch_sample(c, &a->watch, &res);
        if (rc == -EPIPE) {
            watch_result_clear(&res);
            return pwzc_fail(err, PWZC_EXIT_LOST, rc, "the PipeWire daemon went away");
        }
        /* Ctrl-C ends a running watch normally; only a one-shot report is left unfinished. */
        if (rc == -EINTR) {
            watch_result_clear(&res);
            return a->once ? pwzc_fail(err, PWZC_EXIT_INTERRUPTED, rc, "interrupted") : 0;
        }
        render(&res, opts, !a->once);
        works = all_work(&res);
        watch_result_clear(&res);
    } while (!a->once);
    return works ? 0 : 1;
}

int cmd_watch(const struct pwzc_options *opts, int argc, char **argv, struct pwzc_error *err)
{
    struct watch_args a;
    struct connection c;
    int rc;

    if (parse_args(&a, argc, argv, err) < 0)
        return err->exit_code;
    if (a.help) {
        pwzc_print_command_help(stdout, "watch");
        return PWZC_EXIT_OK;
    }
    if (connection_open(&c, opts, err) < 0)
        return err->exit_code;
    rc = check_node(&c, a.watch.node_id, err);
    if (rc == 0)
        rc = watch_loop(&a, &c, opts, err);
    connection_close(&c);
    return rc < 0 ? err->exit_code : rc == 1 ? PWZC_EXIT_NOT_WORKING : PWZC_EXIT_OK;
}
