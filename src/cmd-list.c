/* pwzc list: which screencast nodes are there, and what does each offer? The daemon's as it
 * is, or those of a session the session options open (a sandbox, the emulator, a compositor). */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include <spa/utils/result.h>

#include "cmd.h"
#include "report.h"
#include "screencasts.h"
#include "session.h"

struct list_args {
    struct session_options session; /* first: the shared parser fills it */
};

/* Without a session option the running daemon is listed as it is: nothing is started. */
static bool wants_session(const struct session_options *o)
{
    return o->has_node || o->emulate || o->sandbox || o->kind != SESSION_NODE;
}

static void print_tree(struct json_object *tree, const struct pwzc_options *opts)
{
    report_print(stdout, "list", tree, opts);
    json_object_put(tree);
}

static int list_daemon(const struct list_args *a, const struct pwzc_options *opts,
                       struct pwzc_error *err)
{
    struct connection c;
    struct registry r;
    struct json_object *tree;
    int res;

    if ((res = connection_open(&c, opts, err)) < 0)
        return res;
    if ((res = registry_open(&r, &c)) < 0) {
        pwzc_fail(err, PWZC_EXIT_NO_DAEMON, res, "cannot read the daemon's registry: %s",
                  spa_strerror(res));
        goto out;
    }
    tree = screencasts_gather(&r, SPA_ID_INVALID, a->session.timeout_ms);
    json_object_object_add(tree, "session", NULL);
    print_tree(tree, opts);
out:
    registry_close(&r);
    connection_close(&c);
    return res;
}

static int list_session(struct list_args *a, const struct pwzc_options *opts,
                        struct pwzc_error *err)
{
    struct session s;
    struct json_object *tree;
    int res;

    if ((res = session_options_check(&a->session, opts, err)) < 0 ||
        (res = session_open(&s, opts, &a->session, err)) < 0)
        return res;
    tree = screencasts_gather(&s.reg, s.node_id, a->session.timeout_ms);
    json_object_object_add(tree, "session", session_to_json(&s));
    session_close(&s);
    print_tree(tree, opts);
    return 0;
}

static int run(const struct pwzc_options *opts, void *args, struct pwzc_error *err)
{
    struct list_args *a = args;

    return wants_session(&a->session) ? list_session(a, opts, err) : list_daemon(a, opts, err);
}

const struct cmd_entry cmd_list_entry = {
    .name = "list",
    .usage = "[--json]",
    .summary = "the screencast nodes there are, and what each offers (SHM only or DMA-BUF)",
    .options_note =
        "  (no session option: the running daemon's nodes, as they are; with one, that\n"
        "  session's daemon, its producer marked)\n",
    .session = true,
    .args_size = sizeof(struct list_args),
    .run = run,
};
