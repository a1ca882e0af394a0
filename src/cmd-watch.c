/* pwzc watch: why is this running screencast black? The links between other programs, watched
 * and explained; nothing of ours is linked and nothing is changed. */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include <spa/utils/result.h>

#include "cmd.h"
#include "report.h"
#include "util.h"
#include "watch.h"

enum { OPT_NODE = 0x100, OPT_CLIENT, OPT_ONCE, OPT_INTERVAL };

static const struct cmd_option options[] = {
    {"node", OPT_NODE, CMD_ARG_REQUIRED, "--node ID",
     "only the links of this node (producer or consumer)"},
    {"client", OPT_CLIENT, CMD_ARG_REQUIRED, "--client NAME",
     "only links whose application or node name holds NAME (obs, ...)"},
    {"once", OPT_ONCE, CMD_ARG_NONE, "--once",
     "one report after one interval, then exit (1: a link does not\nwork)"},
    {"interval", OPT_INTERVAL, CMD_ARG_REQUIRED, "--interval S",
     "how long each report watches the links (default 2)"},
    {NULL, 0, 0, NULL, NULL},
};

struct watch_args {
    struct watch_options watch;
    bool once;
};

static int option(void *args, int key, const char *value, struct pwzc_error *err)
{
    struct watch_args *a = args;
    int res;

    switch (key) {
    case OPT_NODE:
        if ((res = pwzc_parse_u32(value, &a->watch.node_id)) < 0)
            return pwzc_bad_value(err, "--node", value, res, "a node id", NULL);
        return 0;
    case OPT_CLIENT:
        a->watch.client = value;
        return 0;
    case OPT_ONCE:
        a->once = true;
        return 0;
    case OPT_INTERVAL:
        if ((res = pwzc_parse_ms(value, &a->watch.window_ms)) < 0 || a->watch.window_ms < 100)
            return pwzc_bad_value(err, "--interval", value, res < 0 ? res : -ERANGE, "seconds",
                                  "0.1 to 86400");
        return 0;
    }
    return 0;
}

static void init(void *args)
{
    struct watch_args *a = args;

    a->watch.node_id = SPA_ID_INVALID;
    a->watch.window_ms = 2000;
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
                         "node %u does not exist (pwzc list shows the screencast nodes)", node_id);
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
    if (opts->json && redraw)
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
    return works ? 0 : PWZC_EXIT_NOT_WORKING;
}

static int run(const struct pwzc_options *opts, void *args, struct pwzc_error *err)
{
    struct watch_args *a = args;
    struct connection c;
    int res;

    if ((res = connection_open(&c, opts, err)) < 0)
        return res;
    res = check_node(&c, a->watch.node_id, err);
    if (res == 0)
        res = watch_loop(a, &c, opts, err);
    connection_close(&c);
    return res;
}

const struct cmd_entry cmd_watch_entry = {
    .name = "watch",
    .usage = "[--node ID | --client NAME] [--once] [--interval S] [--json]",
    .summary = "explain the screencast links running now between other programs (no stream of its "
               "own)",
    .options = options,
    .args_size = sizeof(struct watch_args),
    .init = init,
    .option = option,
    .run = run,
};
