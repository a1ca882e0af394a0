/* pwzc capture: a screencast into an H.264 file (or stdout), the way a streaming engine takes it.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "cmd.h"
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
};

static const struct cmd_option options[] = {
    {"output", OPT_OUTPUT, CMD_ARG_REQUIRED, "-o, --output FILE",
     "NAME.mp4, NAME.mkv: H.264 in a container, with timestamps and\n"
     "colour; any other name raw Annex-B H.264; - for stdout (raw;\n"
     "then nothing else goes there)"},
    {"frames", OPT_FRAMES, CMD_ARG_REQUIRED, "--frames N", "stop after N frames"},
    {"duration", OPT_DURATION, CMD_ARG_REQUIRED, "--duration S", "stop after S seconds of frames"},
    {"path", OPT_PATH, CMD_ARG_REQUIRED, "--path P",
     "auto, zerocopy (DMA-BUF -> EGL -> CUDA), shm-cuda, shm-cpu"},
    {"encoder", OPT_ENCODER, CMD_ARG_REQUIRED, "--encoder E",
     "auto (NVENC, else software), nvenc, software (openh264)"},
    {"codec", OPT_CODEC, CMD_ARG_REQUIRED, "--codec h264", "the only codec"},
    {"bitrate", OPT_BITRATE, CMD_ARG_REQUIRED, "--bitrate B",
     "bits per second: 8M (default), 2500k, ..."},
    {"reconnect", OPT_RECONNECT, CMD_ARG_OPTIONAL, "--reconnect[=S]",
     "the daemon restarts: wait S s (default 10) for it, reconnect, go on"},
    {NULL, 0, 0, NULL, NULL},
};

struct capture_args {
    struct session_options session; /* first: the shared parser fills it */
    struct capture_options capture;
    const char *output;
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

/* The one line a bad value gets: "BEFORE'VALUE'AFTER". */
static int bad_value(int key, const char *value, struct pwzc_error *err)
{
    static const struct {
        int key;
        const char *before, *after;
    } lines[] = {
        {OPT_FRAMES, "--frames ", " is not a count"},
        {OPT_DURATION, "--duration ", " is not seconds"},
        {OPT_PATH, "--path ", " is not auto, zerocopy, shm-cuda or shm-cpu"},
        {OPT_ENCODER, "--encoder ", " is not auto, nvenc or software"},
        {OPT_CODEC, "--codec ", ": only h264"},
        {OPT_BITRATE, "--bitrate ", " is not a rate such as 4M or 2500k"},
        {OPT_RECONNECT, "--reconnect=", " is not seconds"},
    };
    size_t i = 0;

    while (i < sizeof(lines) / sizeof(lines[0]) - 1 && lines[i].key != key)
        i++;
    return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "%s'%s'%s", lines[i].before, value,
                     lines[i].after);
}

static int option(void *args, int key, const char *value, struct pwzc_error *err)
{
    struct capture_args *a = args;
    struct capture_options *c = &a->capture;
    bool ok = true;

    switch (key) {
    case OPT_OUTPUT:
        a->output = value;
        break;
    case OPT_FRAMES:
        ok = pwzc_parse_u32(value, &c->frames) == 0 && c->frames;
        break;
    case OPT_DURATION:
        ok = pwzc_parse_ms(value, &c->duration_ms) == 0 && c->duration_ms;
        break;
    case OPT_PATH:
        ok = capture_path_parse(value, &c->path) == 0;
        break;
    case OPT_ENCODER:
        ok = parse_encoder(value, &c->encoder) == 0;
        break;
    case OPT_CODEC:
        ok = strcmp(value, "h264") == 0;
        break;
    case OPT_BITRATE:
        ok = parse_bitrate(value, &c->bitrate) == 0;
        break;
    case OPT_RECONNECT:
        c->reconnect_ms = 10000;
        ok = !value || (pwzc_parse_ms(value, &c->reconnect_ms) == 0 && c->reconnect_ms);
        break;
    }
    return ok ? 0 : bad_value(key, value, err);
}

static void init(void *args)
{
    struct capture_args *a = args;

    a->capture.bitrate = 8000000;
}

/* The container follows the name; one this build cannot write is said before anything is made. */
static int choose_container(struct capture_args *a, struct pwzc_error *err)
{
    const char *why = NULL;
    const char *kind;

    a->capture.container = strcmp(a->output, "-") == 0 ? MUX_RAW : mux_container_for(a->output);
    if (mux_available(a->capture.container, &why))
        return 0;
    kind = a->capture.container == MUX_MP4 ? "MP4" : "Matroska";
    if (why)
        return pwzc_fail(err, PWZC_EXIT_NO_MUXER, -ENOTSUP,
                         "%s: libavformat cannot be loaded (%s), so pwzc writes no %s; write raw "
                         "H.264 (.h264), or install FFmpeg's libavformat",
                         a->output, why, kind);
    return pwzc_fail(err, PWZC_EXIT_NO_MUXER, -ENOTSUP,
                     "%s: pwzc was built without libavformat, so it writes no %s; write "
                     "raw H.264 (.h264), or rebuild with libavformat-dev",
                     a->output, kind);
}

/* Before connecting to anything: a capture that cannot be written is not worth starting. Nothing
 * is created or truncated here (see output.h). */
static int open_output(struct capture_args *a, struct output *out, struct pwzc_error *err)
{
    int res;

    if ((res = output_open(out, a->output, err)) < 0)
        return res;
    a->capture.out = out;
    a->capture.out_name = out->name;
    return 0;
}

static int run(const struct pwzc_options *opts, void *args, struct pwzc_error *err)
{
    struct capture_args *a = args;
    struct capture_stats st;
    struct output out = {.fd = -1};
    struct session s;
    struct json_object *tree;
    int res, finished;

    if (!a->output || !*a->output)
        return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL,
                         "capture needs -o FILE (or -o - for stdout)");
    a->capture.first_frame_ms = a->session.timeout_ms;
    a->capture.opts = opts;
    if ((res = session_options_check(&a->session, opts, err)) < 0 ||
        (res = choose_container(a, err)) < 0 || (res = open_output(a, &out, err)) < 0)
        return res;
    if ((res = session_open(&s, opts, &a->session, err)) < 0)
        goto out;
    res = capture_run(&s, &a->capture, &st, err);
    /* The file replaces its target now, while SIGINT still ends the loop instead of the
     * process. */
    if ((finished = output_finish(&out, err)) < 0 && res == 0)
        res = finished;
    tree = json_object_new_object();
    json_object_object_add(tree, "pipewire", session_versions_json(&s));
    json_object_object_add(tree, "session", session_to_json(&s));
    json_object_object_add(tree, "output", json_object_new_string(a->capture.out_name));
    json_object_object_add(tree, "capture", capture_stats_json(&st));
    session_close(&s);
    /* No frame, no summary: the one line on stderr says why. With -o - the stream owns stdout. */
    if (st.frames)
        report_print(strcmp(a->output, "-") == 0 ? stderr : stdout, "capture", tree, opts);
    json_object_put(tree);
    capture_stats_clear(&st);
out:
    output_finish(&out, err);
    return res;
}

const struct cmd_entry cmd_capture_entry = {
    .name = "capture",
    .usage = "-o FILE [--frames N | --duration S] [--path P] [--encoder E]",
    .summary = "capture the screencast into an MP4, Matroska or raw H.264 file (or stdout)",
    .options = options,
    .session = true,
    .args_size = sizeof(struct capture_args),
    .init = init,
    .option = option,
    .run = run,
};
