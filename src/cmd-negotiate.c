/* pwzc negotiate: one offer, every pod and state change on a timeline. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "client-run.h"
#include "cmd.h"
#include "gpu.h"
#include "outcome.h"
#include "pwzc.h"
#include "report.h"
#include "session.h"

enum {
    OPT_OFFER = 0x100,
    OPT_FORMAT,
    OPT_MODIFIER,
    OPT_DATA_TYPES,
    OPT_CLIENT,
    OPT_HOLD,
    OPT_FRAME_DELAY
};

static const struct cmd_option options[] = {
    {"offer", OPT_OFFER, CMD_ARG_REQUIRED, "--offer NAME",
     "a built-in offer (see `pwzc probe --list-offers`)"},
    {"format", OPT_FORMAT, CMD_ARG_REQUIRED, "--format F[,F...]",
     "build an offer by hand: video formats (BGRx, BGRA, RGBx, ...)"},
    {"modifier", OPT_MODIFIER, CMD_ARG_REQUIRED, "--modifier M[,M...]",
     "DRM modifiers (LINEAR, INVALID, 0x...); none: no modifier property"},
    {"data-types", OPT_DATA_TYPES, CMD_ARG_REQUIRED, "--data-types T",
     "memfd,dmabuf,memptr (default memfd,memptr; dmabuf with a modifier)"},
    {"client", OPT_CLIENT, CMD_ARG_REQUIRED, "--client NAME|PATH",
     "a client profile, every fallback step traced (see probe --clients)"},
    {"hold", OPT_HOLD, CMD_ARG_REQUIRED, "--hold N",
     "the consumer keeps its last N buffers (a client that keeps\nframes) before giving one back"},
    {"frame-delay", OPT_FRAME_DELAY, CMD_ARG_REQUIRED, "--frame-delay MS",
     "the consumer takes MS milliseconds a frame (a slow client)"},
    {NULL, 0, 0, NULL, NULL},
};

struct negotiate_args {
    struct session_options session; /* first: the shared parser fills it */
    const char *offer, *format, *modifier, *data_types, *client;
    uint32_t hold, frame_delay_ms; /* the consumer's own behaviour */
};

static int option(void *args, int key, const char *value, struct pwzc_error *err)
{
    struct negotiate_args *a = args;
    /* The keys count up from OPT_OFFER in this order. */
    const char **slot[] = {&a->offer, &a->format, &a->modifier, &a->data_types, &a->client};

    if (key == OPT_HOLD)
        return stream_parse_hold(value, &a->hold, err);
    if (key == OPT_FRAME_DELAY)
        return stream_parse_frame_delay(value, &a->frame_delay_ms, err);
    *slot[key - OPT_OFFER] = value;
    return 0;
}

/* A named built-in, or one built from --format/--modifier/--data-types. */
static int build_offer(const struct negotiate_args *a, const struct gpu_info *gpu,
                       struct offer *offer, struct pwzc_error *err)
{
    const char *what;

    if (!!a->offer + !!a->client + !!(a->format || a->modifier || a->data_types) > 1)
        return pwzc_fail(
            err, PWZC_EXIT_USAGE, -EINVAL,
            "--offer, --client and --format/--modifier/--data-types exclude each other");
    if (!a->offer && !a->format && !a->modifier && !a->data_types)
        return pwzc_fail(
            err, PWZC_EXIT_USAGE, -EINVAL,
            "say what to offer: --offer NAME, --client NAME or --format F (see --help)");
    if (a->offer) {
        if (offer_builtin(a->offer, gpu, offer) == -ENOENT)
            return pwzc_fail(err, PWZC_EXIT_USAGE, -ENOENT, "unknown offer '%s' (built-in: %s)",
                             a->offer, report_offer_names());
        if (offer->skip_reason[0])
            return pwzc_fail(err, PWZC_EXIT_USAGE, -ENODEV, "offer '%s' cannot be made here: %s",
                             a->offer, offer->skip_reason);
        return 0;
    }
    if (offer_custom(a->format, a->modifier, a->data_types, offer, &what) < 0)
        return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "%s: not understood (%s)", what,
                         strcmp(what, "--format") == 0     ? a->format
                         : strcmp(what, "--modifier") == 0 ? a->modifier
                                                           : a->data_types);
    return 0;
}

/* negotiate --client: the client's every step, each traced in full like a single offer. */
static int negotiate_client(struct session *s, const struct client_profile *c,
                            const struct gpu_info *gpu, const struct pwzc_options *opts,
                            const struct negotiate_args *a, struct json_object **tree, bool *works,
                            struct pwzc_error *err)
{
    struct client_watch watch = {.window_ms = a->session.timeout_ms};
    struct client_result result;
    struct producer producer;
    int res;

    *tree = outcome_report_head(s, &producer, gpu);
    res = client_run(s, &producer, c, gpu, opts, &watch, true, &result, err);
    producer_clear(&producer);
    if (!result.json) {
        json_object_put(*tree);
        *tree = NULL;
        return res < 0 ? res
                       : pwzc_fail(err, PWZC_EXIT_INTERRUPTED, -EINTR,
                                   "interrupted before the verdict");
    }
    *works = client_result_works(&result);
    json_object_object_add(*tree, "client", result.json);
    return res;
}

static struct json_object *negotiate(struct session *s, const struct offer *offer,
                                     const struct gpu_info *gpu, const struct negotiate_args *a,
                                     struct outcome *result)
{
    struct stream_options so = {.target_id = s->node_id,
                                .target_serial = s->serial,
                                .window_ms = a->session.timeout_ms,
                                .fixate_grace_ms = 150,
                                .record_pods = true,
                                .hold_buffers = a->hold,
                                .frame_delay_ms = a->frame_delay_ms};
    struct json_object *tree;
    struct producer producer;
    int res;

    tree = outcome_report_head(s, &producer, gpu);
    json_object_object_add(tree, "offer", outcome_offer_json(offer));
    res = outcome_run(s, &producer, offer, &so, true, result);
    producer_clear(&producer);
    if (res < 0) {
        json_object_put(tree);
        return NULL;
    }
    json_object_object_add(tree, "result", result->json);
    return tree;
}

/* How the run ended, as an exit code: a lost daemon, a closed session or a vanished node
 * outrank the verdict, since the report stops where they happened. */
static int run_end(struct session *s, bool vanished, bool works, uint32_t node_id,
                   struct pwzc_error *err)
{
    bool lost = s->conn.lost, closed = session_closed(s);

    session_close(s);
    if (lost)
        return pwzc_fail(err, PWZC_EXIT_LOST, -EPIPE, "the PipeWire daemon went away");
    if (closed)
        return pwzc_fail(err, PWZC_EXIT_CLOSED, -ECANCELED,
                         "the compositor closed the screencast "
                         "session (Session.Closed): the report above stops there");
    if (vanished)
        return pwzc_fail(err, PWZC_EXIT_LOST, -ENOENT,
                         "the producer's node %u went away during the "
                         "negotiation (the report above stops there)",
                         node_id);
    return works ? PWZC_EXIT_OK : PWZC_EXIT_NOT_WORKING;
}

static int run_client(struct negotiate_args *a, const struct pwzc_options *opts,
                      const struct gpu_info *gpu, struct pwzc_error *err)
{
    static struct client_profile c; /* large: kept off the stack */
    struct json_object *tree;
    struct session s;
    bool works = false;
    int res;

    if ((res = client_load(a->client, &c, err)) < 0)
        return res;
    if ((res = session_open(&s, opts, &a->session, err)) < 0)
        return res;
    res = negotiate_client(&s, &c, gpu, opts, a, &tree, &works, err);
    if (tree)
        report_print(stdout, "negotiate", tree, opts);
    if (res < 0)
        session_close(&s);
    else
        res = run_end(&s, false, works, a->session.node_id, err);
    json_object_put(tree);
    return res;
}

static int run(const struct pwzc_options *opts, void *args, struct pwzc_error *err)
{
    struct negotiate_args *a = args;
    struct gpu_info gpu;
    struct offer offer;
    struct session s;
    struct json_object *tree;
    struct outcome result;
    int res;

    if ((res = session_options_check(&a->session, opts, err)) < 0)
        return res;
    gpu_query(&gpu);
    if (a->client && !a->offer && !a->format && !a->modifier && !a->data_types)
        return run_client(a, opts, &gpu, err);
    if ((res = build_offer(a, &gpu, &offer, err)) < 0 ||
        (res = session_open(&s, opts, &a->session, err)) < 0)
        return res;
    tree = negotiate(&s, &offer, &gpu, a, &result);
    if (!tree) {
        session_close(&s);
        return pwzc_fail(err, PWZC_EXIT_INTERRUPTED, -EINTR, "interrupted before the verdict");
    }
    report_print(stdout, "negotiate", tree, opts);
    res = run_end(&s, result.producer_vanished, result.verdict == VERDICT_WORKS, a->session.node_id,
                  err);
    json_object_put(tree);
    return res;
}

const struct cmd_entry cmd_negotiate_entry = {
    .name = "negotiate",
    .usage = "(--offer NAME | --client NAME | --format F [--modifier M] [--data-types T])",
    .summary = "trace one offer's negotiation in full",
    .options = options,
    .session = true,
    .args_size = sizeof(struct negotiate_args),
    .option = option,
    .run = run,
};
