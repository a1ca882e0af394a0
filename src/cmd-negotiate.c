/* pwzc negotiate: one offer, every pod and state change on a timeline. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "gpu.h"
#include "outcome.h"
#include "pwzc.h"
#include "report.h"
#include "session.h"

enum { OPT_OFFER = 0x100, OPT_FORMAT, OPT_MODIFIER, OPT_DATA_TYPES, OPT_HELP };

static const struct option long_options[] = {
    SESSION_LONG_OPTIONS,
    {"offer", required_argument, NULL, OPT_OFFER},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"modifier", required_argument, NULL, OPT_MODIFIER},
    {"data-types", required_argument, NULL, OPT_DATA_TYPES},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

struct negotiate_args {
    struct session_options session;
    const char *offer, *format, *modifier, *data_types;
    bool help;
};

static int parse_args(struct negotiate_args *a, int argc, char **argv, struct pwzc_error *err)
{
    int c, res;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        if ((res = session_parse_option(&a->session, c, optarg, err)) != 0) {
            if (res < 0)
                return res;
            continue;
        }
        switch (c) {
        case OPT_OFFER:
            a->offer = optarg;
            break;
        case OPT_FORMAT:
            a->format = optarg;
            break;
        case OPT_MODIFIER:
            a->modifier = optarg;
            break;
        case OPT_DATA_TYPES:
            a->data_types = optarg;
            break;
        case 'h':
        case OPT_HELP:
            a->help = true;
            return 0;
        default:
            return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "negotiate: unknown option '%s'",
                             argv[optind - 1]);
        }
    }
    if (optind < argc)
        return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "negotiate: unexpected '%s'", argv[optind]);
    return 0;
}

/* A named built-in, or one built from --format/--modifier/--data-types. */
static int build_offer(const struct negotiate_args *a, const struct gpu_info *gpu,
                       struct offer *offer, struct pwzc_error *err)
{
    const char *what;

    if (a->offer && (a->format || a->modifier || a->data_types))
        return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL,
                         "--offer and --format/--modifier/--data-types exclude each other");
    if (!a->offer && !a->format && !a->modifier && !a->data_types)
        return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL,
                         "say what to offer: --offer NAME or --format F (see --help)");
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

static struct json_object *negotiate(struct session *s, const struct offer *offer,
                                     const struct gpu_info *gpu, const struct negotiate_args *a,
                                     enum verdict *verdict)
{
    struct stream_options so = {.target_id = s->node_id,
                                .target_serial = s->serial,
                                .window_ms = a->session.timeout_ms,
                                .fixate_grace_ms = 150,
                                .record_pods = true};
    struct json_object *tree = json_object_new_object(), *result;
    struct producer producer;

    producer_gather(&producer, s, 1000);
    json_object_object_add(tree, "pipewire", session_versions_json(s));
    json_object_object_add(tree, "session", session_to_json(s));
    json_object_object_add(tree, "producer", json_object_get(producer.json));
    json_object_object_add(tree, "gpu", gpu_to_json(gpu));
    json_object_object_add(tree, "offer", outcome_offer_json(offer));
    result = outcome_run(s, &producer, offer, &so, true, verdict);
    json_object_object_add(tree, "result", result);
    producer_clear(&producer);
    if (!result) {
        json_object_put(tree);
        return NULL;
    }
    return tree;
}

int cmd_negotiate(const struct pwzc_options *opts, int argc, char **argv, struct pwzc_error *err)
{
    struct negotiate_args a = {0};
    struct gpu_info gpu;
    struct offer offer;
    struct session s;
    struct json_object *tree;
    enum verdict verdict = VERDICT_SILENT_STALL;
    bool lost, vanished, closed;

    session_options_init(&a.session);
    if (parse_args(&a, argc, argv, err) < 0)
        return PWZC_EXIT_USAGE;
    if (a.help) {
        pwzc_print_command_help(stdout, "negotiate");
        return PWZC_EXIT_OK;
    }
    if (session_options_check(&a.session, opts, err) < 0)
        return err->exit_code;
    gpu_query(&gpu);
    if (build_offer(&a, &gpu, &offer, err) < 0)
        return err->exit_code;
    if (session_open(&s, opts, &a.session, err) < 0)
        return err->exit_code;
    tree = negotiate(&s, &offer, &gpu, &a, &verdict);
    lost = s.conn.lost;
    closed = session_closed(&s);
    session_close(&s);
    if (!tree)
        return pwzc_error_set(err, PWZC_EXIT_INTERRUPTED, "interrupted before the verdict");
    report_print(stdout, "negotiate", tree, opts);
    vanished = outcome_producer_vanished(json_object_object_get(tree, "result"));
    json_object_put(tree);
    if (lost)
        return pwzc_error_set(err, PWZC_EXIT_LOST, "the PipeWire daemon went away");
    if (closed)
        return pwzc_error_set(err, PWZC_EXIT_CLOSED,
                              "the compositor closed the screencast "
                              "session (Session.Closed): the report above stops there");
    if (vanished)
        return pwzc_error_set(err, PWZC_EXIT_LOST,
                              "the producer's node %u went away during the "
                              "negotiation (the report above stops there)",
                              a.session.node_id);
    return verdict == VERDICT_WORKS ? PWZC_EXIT_OK : PWZC_EXIT_NOT_WORKING;
}
