/* pwzc bench: the capture pipeline measured, for people and for CI thresholds. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "capture.h"
#include "cmd.h"
#include "gpu.h"
#include "output.h"
#include "plot.h"
#include "pwzc.h"
#include "report.h"
#include "session.h"

enum {
    OPT_DURATION = 0x100,
    OPT_WARMUP,
    OPT_PATH,
    OPT_ENCODER,
    OPT_MIN_FPS,
    OPT_MAX_P99,
    OPT_PLOT,
    OPT_COPY_ONLY,
};

static const struct cmd_option options[] = {
    {"duration", OPT_DURATION, CMD_ARG_REQUIRED, "--duration S",
     "seconds measured, after the warmup (default 5)"},
    {"warmup", OPT_WARMUP, CMD_ARG_REQUIRED, "--warmup S",
     "seconds run before measuring (default 1)"},
    {"path", OPT_PATH, CMD_ARG_REQUIRED, "--path P",
     "auto, zerocopy, shm-cuda, shm-cpu (as capture)"},
    {"encoder", OPT_ENCODER, CMD_ARG_REQUIRED, "--encoder E",
     "auto, nvenc, software, none (capture and convert only)"},
    {"copy-only", OPT_COPY_ONLY, CMD_ARG_NONE, "--copy-only",
     "capture only: each frame copied out once, nothing else"},
    {"min-fps", OPT_MIN_FPS, CMD_ARG_REQUIRED, "--min-fps X",
     "exit 17 when fewer frames per second were measured"},
    {"max-latency-p99-ms", OPT_MAX_P99, CMD_ARG_REQUIRED, "--max-latency-p99-ms Y",
     "exit 17 when the p99 producer-to-encoded latency is above Y"},
    {"plot", OPT_PLOT, CMD_ARG_REQUIRED, "--plot FILE.svg",
     "frame intervals and stage times over time, as SVG"},
    {NULL, 0, 0, NULL, NULL},
};

struct bench_args {
    struct session_options session; /* first: the shared parser fills it */
    struct capture_options capture;
    uint32_t duration_ms, warmup_ms;
    double min_fps, max_p99_ms; /* < 0: not asked */
    const char *plot;
};

static int parse_number(const char *text, double *v)
{
    char *end;

    *v = strtod(text, &end);
    return end == text || *end || *v < 0 ? -EINVAL : 0;
}

static int parse_encoder(const char *text, enum encoder_kind *kind)
{
    static const char *const names[] = {"auto", "nvenc", "software", "none"};

    for (int i = 0; i < 4; i++)
        if (strcmp(text, names[i]) == 0) {
            *kind = (enum encoder_kind)i;
            return 0;
        }
    return -EINVAL;
}

static int bad(struct pwzc_error *err, const char *what, const char *arg)
{
    return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "bench: %s '%s' is not valid", what, arg);
}

static int option(void *args, int c, const char *arg, struct pwzc_error *err)
{
    struct bench_args *a = args;

    switch (c) {
    case OPT_DURATION:
        return pwzc_parse_ms(arg, &a->duration_ms) < 0 || a->duration_ms < 200
                   ? bad(err, "--duration", arg)
                   : 0;
    case OPT_WARMUP:
        return pwzc_parse_ms(arg, &a->warmup_ms) < 0 ? bad(err, "--warmup", arg) : 0;
    case OPT_PATH:
        return capture_path_parse(arg, &a->capture.path) < 0 ? bad(err, "--path", arg) : 0;
    case OPT_ENCODER:
        return parse_encoder(arg, &a->capture.encoder) < 0 ? bad(err, "--encoder", arg) : 0;
    case OPT_MIN_FPS:
        return parse_number(arg, &a->min_fps) < 0 ? bad(err, "--min-fps", arg) : 0;
    case OPT_MAX_P99:
        return parse_number(arg, &a->max_p99_ms) < 0 ? bad(err, "--max-latency-p99-ms", arg) : 0;
    case OPT_PLOT:
        a->plot = arg;
        return 0;
    case OPT_COPY_ONLY:
        a->capture.copy_only = true;
        return 0;
    }
    return 0;
}

static void init(void *args)
{
    struct bench_args *a = args;

    a->capture.bitrate = 8000000;
    a->duration_ms = 5000;
    a->warmup_ms = 1000;
    a->min_fps = -1;
    a->max_p99_ms = -1;
}

/* Before the run, not after it: a plot that cannot be written would waste the whole bench. */
static int check_plot(const char *path, struct pwzc_error *err)
{
    return path ? output_check(path, "the plot", err) : 0;
}

static void cpu_model(char *buf, size_t size)
{
    FILE *f = fopen("/proc/cpuinfo", "re");
    char line[256];

    snprintf(buf, size, "unknown");
    while (f && fgets(line, sizeof(line), f))
        if (strncmp(line, "model name", 10) == 0 && strchr(line, ':')) {
            snprintf(buf, size, "%s", strchr(line, ':') + 2);
            buf[strcspn(buf, "\n")] = '\0';
            break;
        }
    if (f)
        fclose(f);
}

static struct json_object *machine_json(struct session *s, struct json_object *gpu)
{
    struct json_object *obj = json_object_new_object();
    struct utsname u;
    char cpu[160];

    cpu_model(cpu, sizeof(cpu));
    uname(&u);
    json_object_object_add(obj, "cpu_model", json_object_new_string(cpu));
    json_object_object_add(obj, "cpu_cores",
                           json_object_new_int((int)sysconf(_SC_NPROCESSORS_ONLN)));
    json_object_object_add(obj, "kernel", json_object_new_string(u.release));
    json_object_object_add(obj, "gpu", gpu);
    json_object_object_add(obj, "pipewire", session_versions_json(s));
    return obj;
}

static double measured_seconds(const struct capture_stats *st)
{
    return st->measured_from_ns && st->end_ns > st->measured_from_ns
               ? (double)(st->end_ns - st->measured_from_ns) / 1e9
               : 0;
}

static double fps_of(const struct capture_stats *st)
{
    double secs = measured_seconds(st);

    return secs > 0 ? (double)st->measured_frames / secs : 0;
}

static struct json_object *frames_json(const struct capture_stats *st)
{
    const struct stream_result *r = &st->stream;
    struct json_object *obj = json_object_new_object();

    json_object_object_add(obj, "offered",
                           r->stamped_frames ? json_object_new_int64(r->seq_last - r->seq_first + 1)
                                             : NULL);
    json_object_object_add(obj, "delivered", json_object_new_int64((int64_t)r->trace.frames));
    json_object_object_add(obj, "processed", json_object_new_int64((int64_t)st->frames));
    json_object_object_add(obj, "measured", json_object_new_int64((int64_t)st->measured_frames));
    json_object_object_add(obj, "lost_in_transit",
                           r->stamped_frames ? json_object_new_int64(r->seq_gaps) : NULL);
    json_object_object_add(obj, "dropped", stream_drops_json(r));
    json_object_object_add(obj, "fates", trace_fates_json(&r->trace));
    return obj;
}

static struct json_object *cpu_json(const struct capture_stats *st)
{
    struct json_object *obj = json_object_new_object();
    double secs = measured_seconds(st), cpu_ms = (double)st->cpu_ns / 1e6;

    json_object_object_add(obj, "percent_of_one_core",
                           json_object_new_double(secs > 0 ? cpu_ms / 10.0 / secs : 0));
    json_object_object_add(
        obj, "ms_per_frame",
        json_object_new_double(st->measured_frames ? cpu_ms / (double)st->measured_frames : 0));
    return obj;
}

static struct json_object *stages_json(const struct capture_stats *st)
{
    struct json_object *obj = json_object_new_object();

    json_object_object_add(obj, "dequeue", samples_json(&st->dequeue));
    json_object_object_add(obj, "copy", samples_json(&st->copy));
    json_object_object_add(obj, "upload", samples_json(&st->upload));
    json_object_object_add(obj, "convert", samples_json(&st->convert));
    json_object_object_add(obj, "encode", samples_json(&st->encode));
    return obj;
}

/* Each threshold asked for, with the figure it was held against; false when one missed. */
static bool thresholds(struct json_object *tree, const struct bench_args *a,
                       const struct capture_stats *st, char *missed, size_t size)
{
    struct json_object *arr = json_object_new_array();
    double p99 = st->latency.n ? (double)samples_percentile(&st->latency, 99) / 1e6 : -1;
    bool ok = true;

    missed[0] = '\0';
    if (a->min_fps >= 0) {
        struct json_object *t = json_object_new_object();
        bool pass = fps_of(st) >= a->min_fps;
        json_object_object_add(t, "name", json_object_new_string("min_fps"));
        json_object_object_add(t, "limit", json_object_new_double(a->min_fps));
        json_object_object_add(t, "value", json_object_new_double(fps_of(st)));
        json_object_object_add(t, "passed", json_object_new_boolean(pass));
        json_object_array_add(arr, t);
        if (!pass)
            snprintf(missed, size, "fps %.1f is below --min-fps %g", fps_of(st), a->min_fps);
        ok &= pass;
    }
    if (a->max_p99_ms >= 0) {
        struct json_object *t = json_object_new_object();
        bool pass = p99 >= 0 && p99 <= a->max_p99_ms;
        json_object_object_add(t, "name", json_object_new_string("max_latency_p99_ms"));
        json_object_object_add(t, "limit", json_object_new_double(a->max_p99_ms));
        json_object_object_add(t, "value", p99 >= 0 ? json_object_new_double(p99) : NULL);
        json_object_object_add(t, "passed", json_object_new_boolean(pass));
        json_object_array_add(arr, t);
        if (!pass && ok)
            snprintf(missed, size,
                     p99 >= 0 ? "latency p99 %.2f ms is above --max-latency-p99-ms %g"
                              : "latency unknown (the producer stamps no time) for "
                                "--max-latency-p99-ms %g",
                     p99 >= 0 ? p99 : a->max_p99_ms, a->max_p99_ms);
        ok &= pass;
    }
    json_object_object_add(tree, "thresholds", arr);
    json_object_object_add(tree, "passed", json_object_new_boolean(ok));
    return ok;
}

static struct json_object *bench_tree(struct session *s, const struct bench_args *a,
                                      const struct capture_stats *st, struct json_object *gpu)
{
    struct json_object *tree = json_object_new_object();

    json_object_object_add(tree, "machine", machine_json(s, gpu));
    json_object_object_add(tree, "session", session_to_json(s));
    json_object_object_add(tree, "format", json_object_get(st->stream.format));
    json_object_object_add(tree, "path", json_object_new_string(st->path));
    json_object_object_add(tree, "path_why", json_object_new_string(st->path_why));
    json_object_object_add(tree, "encoder",
                           json_object_new_string(st->encoder[0] ? st->encoder : "none"));
    json_object_object_add(tree, "encoder_why", json_object_new_string(st->encoder_why));
    json_object_object_add(tree, "explicit_sync", stream_sync_json(&st->stream));
    json_object_object_add(tree, "warmup_s", json_object_new_double(a->warmup_ms / 1000.0));
    json_object_object_add(tree, "duration_s", json_object_new_double(measured_seconds(st)));
    json_object_object_add(tree, "frames", frames_json(st));
    json_object_object_add(tree, "fps", json_object_new_double(fps_of(st)));
    json_object_object_add(tree, "frame_interval", samples_json(&st->interval));
    json_object_object_add(tree, "stages", stages_json(st));
    json_object_object_add(tree, "latency", samples_json(&st->latency));
    json_object_object_add(tree, "encoded_bytes", json_object_new_int64((int64_t)st->bytes));
    json_object_object_add(tree, "queue", capture_queue_json(st));
    json_object_object_add(tree, "cpu", cpu_json(st));
    return tree;
}

/* The plot's title names what was measured: the producer, and (from st) the size and path. */
static int write_plot(const struct session *s, const struct bench_args *a,
                      const struct capture_stats *st)
{
    char producer[256];
    struct plot_labels l = {.producer = producer,
                            .path = st->path,
                            .encoder = st->encoder[0] ? st->encoder : "none",
                            .warmup_ms = a->warmup_ms};

    if (s->kind == SESSION_EMULATE)
        snprintf(producer, sizeof(producer), "emulator %s", s->profile);
    else
        snprintf(producer, sizeof(producer), "%snode %u (%s)",
                 s->kind == SESSION_MUTTER   ? "Mutter "
                 : s->kind == SESSION_PORTAL ? "portal "
                                             : "",
                 s->node_id, s->node_name);
    return plot_svg(a->plot, st, &l);
}

static void on_tick(void *data)
{
    gpu_monitor_sample(data);
}

static int run(const struct pwzc_options *opts, void *args, struct pwzc_error *err)
{
    struct bench_args *a = args;
    struct gpu_monitor *monitor = NULL;
    struct capture_stats st;
    struct json_object *tree;
    struct session s;
    struct pwzc_error no_gpu = {0}; /* a measurement without the GPU's figures, not a failure */
    char missed[256];
    int res, plot_res;
    bool measured;

    a->capture.first_frame_ms = a->session.timeout_ms;
    a->capture.warmup_ms = a->warmup_ms;
    a->capture.duration_ms = a->warmup_ms + a->duration_ms;
    a->capture.out_name = "(counted, not written)";
    a->capture.opts = opts;
    if ((res = session_options_check(&a->session, opts, err)) < 0 ||
        (res = check_plot(a->plot, err)) < 0 ||
        (res = session_open(&s, opts, &a->session, err)) < 0)
        return res;
    if (gpu_monitor_open(&monitor, &no_gpu) == 0) {
        a->capture.tick = on_tick;
        a->capture.tick_data = monitor;
    }
    res = capture_run(&s, &a->capture, &st, err);
    tree = bench_tree(&s, a, &st, gpu_monitor_json(monitor, no_gpu.message));
    session_close(&s);
    gpu_monitor_close(monitor);
    measured = res == 0;
    if (measured && !thresholds(tree, a, &st, missed, sizeof(missed)))
        res = pwzc_fail(err, PWZC_EXIT_THRESHOLD, -ERANGE, "bench: %s", missed);
    if (a->plot && st.measured_frames && (plot_res = write_plot(&s, a, &st)) < 0 && res == 0)
        res = pwzc_fail(err, PWZC_EXIT_OUTPUT, plot_res, "cannot write the plot %s: %s", a->plot,
                        strerror(-plot_res));
    /* A missed threshold is a measurement: the report shows it; a failed run has none. */
    if (measured)
        report_print(stdout, "bench", tree, opts);
    json_object_put(tree);
    capture_stats_clear(&st);
    return res;
}

const struct cmd_entry cmd_bench_entry = {
    .name = "bench",
    .usage = "[--duration S] [--warmup S] [--path P] [--encoder E|none] [--json]",
    .summary = "measure the capture pipeline: fps, jitter, per-stage latency, CPU and GPU",
    .options = options,
    .session = true,
    .args_size = sizeof(struct bench_args),
    .init = init,
    .option = option,
    .run = run,
};
