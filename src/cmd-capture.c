/* pwzc capture: a screencast into an H.264 file (or stdout), the way a streaming engine takes it.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "convert.h"
#include "pwzc.h"
#include "report.h"
#include "session.h"

enum {
    OPT_OUTPUT = 'o',
    OPT_FRAMES = 0x100,
    OPT_DURATION,
    OPT_PATH,
    OPT_ENCODER,
    OPT_CODEC,
    OPT_BITRATE,
    OPT_RECONNECT,
    OPT_HELP,
};

static const struct option long_options[] = {
    SESSION_LONG_OPTIONS,
    {"output", required_argument, NULL, OPT_OUTPUT},
    {"frames", required_argument, NULL, OPT_FRAMES},
    {"duration", required_argument, NULL, OPT_DURATION},
    {"path", required_argument, NULL, OPT_PATH},
    {"encoder", required_argument, NULL, OPT_ENCODER},
    {"codec", required_argument, NULL, OPT_CODEC},
    {"bitrate", required_argument, NULL, OPT_BITRATE},
    {"reconnect", optional_argument, NULL, OPT_RECONNECT},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

struct capture_args {
    struct session_options session;
    struct capture_options capture;
    const char *output;
    bool help;
};

/* "4M", "2500k", "800000": bits per second. */
static int parse_bitrate(const char *text, uint32_t *bits)
{
    char *end;
    double v = strtod(text, &end);

    if (end == text || v <= 0)
        return -EINVAL;
    if (*end == 'k' || *end == 'K')
        v *= 1e3, end++;
    else if (*end == 'M' || *end == 'm')
        v *= 1e6, end++;
    if (*end || v < 10e3 || v > 1e9)
        return -EINVAL;
    *bits = (uint32_t)v;
    return 0;
}

static int parse_encoder(const char *text, enum encoder_kind *kind)
{
    static const char *const names[] = {"auto", "nvenc", "software"};

    for (int i = 0; i < 3; i++)
        if (strcmp(text, names[i]) == 0) {
            *kind = (enum encoder_kind)i;
            return 0;
        }
    return -EINVAL;
}

static int parse_one(void *args, int c, const char *arg, struct pwzc_error *err)
{
    struct capture_args *a = args;

    switch (c) {
    case OPT_OUTPUT:
        a->output = arg;
        return 0;
    case OPT_FRAMES:
        return pwzc_parse_u32(arg, &a->capture.frames) < 0 || a->capture.frames == 0
                   ? pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "--frames '%s' is not a count", arg)
                   : 0;
    case OPT_DURATION:
        return pwzc_parse_ms(arg, &a->capture.duration_ms) < 0 || !a->capture.duration_ms
                   ? pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "--duration '%s' is not seconds", arg)
                   : 0;
    case OPT_PATH:
        return capture_path_parse(arg, &a->capture.path) < 0
                   ? pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL,
                               "--path '%s' is not auto, zerocopy, shm-cuda or shm-cpu", arg)
                   : 0;
    case OPT_ENCODER:
        return parse_encoder(arg, &a->capture.encoder) < 0
                   ? pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL,
                               "--encoder '%s' is not auto, nvenc or software", arg)
                   : 0;
    case OPT_CODEC:
        return strcmp(arg, "h264") != 0
                   ? pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "--codec '%s': only h264", arg)
                   : 0;
    case OPT_BITRATE:
        return parse_bitrate(arg, &a->capture.bitrate) < 0
                   ? pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL,
                               "--bitrate '%s' is not a rate such as 4M or 2500k", arg)
                   : 0;
    case OPT_RECONNECT:
        a->capture.reconnect_ms = 10000;
        return arg && (pwzc_parse_ms(arg, &a->capture.reconnect_ms) < 0 || !a->capture.reconnect_ms)
                   ? pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "--reconnect='%s' is not seconds",
                               arg)
                   : 0;
    case 'h':
    case OPT_HELP:
        a->help = true;
        return 0;
    }
    return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "capture: unknown option");
}

static int parse_args(struct capture_args *a, int argc, char **argv, struct pwzc_error *err)
{
    int res =
        session_getopt("capture", argc, argv, "ho:", long_options, &a->session, parse_one, a, err);

    if (res < 0)
        return res;
    if (!a->help && (!a->output || !*a->output))
        return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL,
                         "capture needs -o FILE (or -o - for stdout)");
    return 0;
}

/* The container follows the name; one this build cannot write is said before anything is made. */
static int choose_container(struct capture_args *a, struct pwzc_error *err)
{
    a->capture.container = strcmp(a->output, "-") == 0 ? MUX_RAW : mux_container_for(a->output);
    if (!mux_available(a->capture.container))
        return pwzc_fail(err, PWZC_EXIT_NO_MUXER, -ENOTSUP,
                         "%s: pwzc was built without libavformat, so it writes no %s; write "
                         "raw H.264 (.h264), or rebuild with libavformat-dev",
                         a->output, a->capture.container == MUX_MP4 ? "MP4" : "Matroska");
    return 0;
}

/* Before connecting to anything: a capture that cannot be written is not worth starting. Nothing
 * is created or truncated here (see output.h). */
static int open_output(struct capture_args *a, struct output *out, struct pwzc_error *err)
{
    char why[PATH_MAX + 64];
    int res;

    if ((res = output_open(out, a->output, why, sizeof(why))) < 0)
        return pwzc_fail(err, PWZC_EXIT_OUTPUT, res, "cannot write %s: %s", a->output, why);
    a->capture.out = out;
    a->capture.out_name = out->name;
    return 0;
}

/* The file replaces its target now, while SIGINT still ends the loop instead of the process. */
static int finish_output(struct output *out, struct pwzc_error *err)
{
    char why[2 * PATH_MAX + 64];
    int res;

    if ((res = output_finish(out, why, sizeof(why))) < 0)
        return pwzc_fail(err, PWZC_EXIT_OUTPUT, res, "%s", why);
    return 0;
}

/* The summary's last word on how the capture ended (the error line says the rest). */
static const char *stopped_text(enum capture_stop stop)
{
    static const char *const texts[] = {
        [STOP_FRAMES] = "after the frames asked for (--frames)",
        [STOP_DURATION] = "after the time asked for (--duration)",
        [STOP_SIGNAL] = "by a signal (SIGINT or SIGTERM)",
        [STOP_PRODUCER] = "the producer's node went away",
        [STOP_CLOSED] = "the compositor closed the session",
        [STOP_DAEMON] = "the PipeWire daemon went away",
        [STOP_OUTPUT] = "the output could not be written",
        [STOP_ENCODER] = "the encoder failed",
    };

    return stop < sizeof(texts) / sizeof(texts[0]) && texts[stop] ? texts[stop] : "-";
}

static void print_summary(FILE *out, const struct capture_stats *st, struct json_object *tree,
                          const struct pwzc_options *opts, const char *name)
{
    struct json_object *fps;

    if (opts->json) {
        fprintf(out, "%s\n",
                json_object_to_json_string_ext(tree, JSON_C_TO_STRING_PRETTY |
                                                         JSON_C_TO_STRING_SPACED |
                                                         JSON_C_TO_STRING_NOSLASHESCAPE));
        return;
    }
    json_object_object_get_ex(json_object_object_get(tree, "capture"), "fps", &fps);
    fprintf(out, "pwzc capture: %" PRIu64 " frames (%ux%u) to %s, %.1f fps, %.2f MB\n", st->frames,
            st->width, st->height, name, json_object_get_double(fps), (double)st->bytes / 1e6);
    fprintf(out, "  path      %s\n  encoder   %s\n", st->path_why, st->encoder_why);
    if (st->container != MUX_RAW && st->encoded)
        fprintf(out, "  file      %s, the H.264 copied in; timestamps from %s; %s, %s range\n",
                st->container == MUX_MP4 ? "MP4" : "Matroska",
                st->producer_times ? "the producer's Header meta"
                                   : "frame arrival (no producer stamps)",
                convert_colour.matrix == CONVERT_MATRIX_BT601 ? "BT.601" : "BT.709",
                convert_colour.full_range ? "full" : "limited");
    report_sync_line(out,
                     json_object_object_get(
                         json_object_object_get(json_object_object_get(tree, "capture"), "stream"),
                         "explicit_sync"));
    if (st->queue_dropped)
        fprintf(out,
                "  dropped   %" PRIu64 " frames: they came while the encoder was %u frames behind "
                "(not in the file)\n",
                st->queue_dropped, st->queue_depth);
    if (st->reconfigurations)
        fprintf(out, "  resized   %u times mid-stream (each restarted with an IDR)\n",
                st->reconfigurations);
    if (st->reconnects)
        fprintf(out,
                "  daemon    went away and came back %u times (longest gap %.1f s); "
                "each restart of the stream began with an IDR\n",
                st->reconnects, (double)st->reconnect_gap_ns / 1e9);
    fprintf(out, "  stopped   %s\n", stopped_text(st->stopped_by));
}

int cmd_capture(const struct pwzc_options *opts, int argc, char **argv, struct pwzc_error *err)
{
    struct capture_args a = {.capture = {.bitrate = 8000000}};
    struct capture_stats st;
    struct output out = {.fd = -1};
    struct session s;
    struct json_object *tree;

    session_options_init(&a.session);
    if (parse_args(&a, argc, argv, err) < 0)
        return err->exit_code;
    if (a.help) {
        pwzc_print_command_help(stdout, "capture");
        return PWZC_EXIT_OK;
    }
    a.capture.first_frame_ms = a.session.timeout_ms;
    a.capture.opts = opts;
    if (session_options_check(&a.session, opts, err) < 0 || choose_container(&a, err) < 0 ||
        open_output(&a, &out, err) < 0)
        return err->exit_code;
    if (session_open(&s, opts, &a.session, err) < 0)
        goto out;
    capture_run(&s, &a.capture, &st, err);
    finish_output(&out, err);
    tree = json_object_new_object();
    json_object_object_add(tree, "pipewire", session_versions_json(&s));
    json_object_object_add(tree, "session", session_to_json(&s));
    json_object_object_add(tree, "output", json_object_new_string(a.capture.out_name));
    json_object_object_add(tree, "capture", capture_stats_json(&st));
    session_close(&s);
    /* No frame, no summary: the one line on stderr says why. With -o - the stream owns stdout. */
    if (st.frames)
        print_summary(strcmp(a.output, "-") == 0 ? stderr : stdout, &st, tree, opts,
                      a.capture.out_name);
    json_object_put(tree);
    capture_stats_clear(&st);
out:
    finish_output(&out, err);
    return err->exit_code;
}
