/* pwzc learn: turn a running client into a client profile, from what its port really carries. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <spa/utils/result.h>

#include "learn.h"
#include "output.h"
#include "cmd.h"
#include "report.h"
#include "util.h"

enum { OPT_NODE = 0x100, OPT_TIMEOUT };

static const struct cmd_option options[] = {
    {"node", OPT_NODE, CMD_ARG_REQUIRED, "--node ID", "the consumer's node (pwzc watch names it)"},
    {"output", 'o', CMD_ARG_REQUIRED, "-o, --output FILE",
     "write the profile there (default: stdout)"},
    {"timeout", OPT_TIMEOUT, CMD_ARG_REQUIRED, "--timeout S",
     "how long to wait for the node and its params (default 3)"},
    {NULL, 0, 0, NULL, NULL},
};

struct learn_args {
    bool has_node;
    uint32_t node_id, timeout_ms;
    const char *output;
};

static int option(void *args, int key, const char *value, struct pwzc_error *err)
{
    struct learn_args *a = args;
    int res;

    switch (key) {
    case OPT_NODE:
        if ((res = pwzc_parse_u32(value, &a->node_id)) < 0)
            return pwzc_bad_value(err, "--node", value, res, "a node id", NULL);
        a->has_node = true;
        return 0;
    case 'o':
        a->output = value;
        return 0;
    case OPT_TIMEOUT:
        if ((res = pwzc_parse_ms(value, &a->timeout_ms)) < 0)
            return pwzc_bad_value(err, "--timeout", value, res, "seconds", "0 to 86400");
        return 0;
    }
    return 0;
}

static void init(void *args)
{
    struct learn_args *a = args;

    a->timeout_ms = 3000;
}

static int snapshot(const struct learn_args *a, const struct pwzc_options *opts,
                    struct learn_result *l, struct pwzc_error *err)
{
    struct connection c;
    int res;

    if ((res = connection_open(&c, opts, err)) < 0)
        return res;
    res = learn_node(&c, a->node_id, a->timeout_ms, l);
    connection_close(&c);
    if (res == -ENOENT)
        return pwzc_fail(err, PWZC_EXIT_NO_NODE, res, "node %u does not exist", a->node_id);
    if (res == -ENOTCONN)
        return pwzc_fail(err, PWZC_EXIT_NO_NODE, res,
                         "node %u has no input port: it is not a consumer (learn reads a "
                         "client's node; the producer is the other end of its link)",
                         a->node_id);
    if (res == -ENODATA)
        return pwzc_fail(err, PWZC_EXIT_NO_NODE, res,
                         "node %u's input port carries no EnumFormat: it is not negotiating "
                         "a video stream",
                         a->node_id);
    if (res < 0)
        return pwzc_fail(err, PWZC_EXIT_NO_DAEMON, res, "cannot read node %u: %s", a->node_id,
                         spa_strerror(res));
    return 0;
}

/* The profile goes to -o through a temporary file, so a failed run leaves the old one. */
static int save(const char *path, const char *text, size_t size, struct pwzc_error *err)
{
    struct output out;
    int res;

    if ((res = output_open(&out, path, err)) < 0)
        return res;
    if ((res = output_write(&out, text, size)) < 0) {
        pwzc_fail(err, PWZC_EXIT_OUTPUT, res, "cannot write %s: %s", path, spa_strerror(res));
        output_finish(&out, err); /* removes the part written; the write's error is the cause */
        return res;
    }
    return output_finish(&out, err);
}

static int render(const struct learn_args *a, const struct learn_result *l,
                  const struct pwzc_options *opts, struct pwzc_error *err)
{
    char *text = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&text, &size);
    struct json_object *tree;
    int res = 0;

    if (!mem || learn_write_profile(l, mem) < 0 || fclose(mem) != 0) {
        free(text);
        return pwzc_fail(err, PWZC_EXIT_INTERNAL, -ENOMEM, "cannot build the profile");
    }
    if (a->output && (res = save(a->output, text, size, err)) < 0)
        goto out;
    if (opts->json) {
        tree = learn_to_json(l, a->output);
        json_object_object_add(tree, "profile", json_object_new_string(text));
        report_print(stdout, "learn", tree, opts);
        json_object_put(tree);
    } else if (a->output) {
        printf("wrote %s: replay it with pwzc probe --clients %s\n", a->output, a->output);
    } else {
        fputs(text, stdout);
    }
out:
    free(text);
    return res;
}

static int run(const struct pwzc_options *opts, void *args, struct pwzc_error *err)
{
    struct learn_args *a = args;
    struct learn_result l = {0};
    int res;

    if (!a->has_node)
        return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL,
                         "learn: --node ID is required (the consumer's node: pwzc watch shows it)");
    /* Said before anything is read: the user fixes the path first. */
    if (a->output && (res = output_check(a->output, NULL, err)) < 0)
        return res;
    if ((res = snapshot(a, opts, &l, err)) == 0)
        res = render(a, &l, opts, err);
    learn_result_clear(&l);
    return res;
}

const struct cmd_entry cmd_learn_entry = {
    .name = "learn",
    .usage = "--node ID [-o NAME.client] [--json]",
    .summary = "write a running consumer's port params as a client profile, to replay",
    .options = options,
    .args_size = sizeof(struct learn_args),
    .init = init,
    .option = option,
    .run = run,
};
