/* The command table, the global options, and the one place a run's error becomes an exit code. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <pipewire/pipewire.h>

#ifdef HAVE_LIBAVFORMAT
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#endif

#include "pwzc.h"
#include "versions.h"
#include "connection.h"
#include "report.h"

#define SESSION_USAGE "[--sandbox] [--node ID | --emulate PROFILE | --mutter | --portal]"

#define SESSION_HELP                                                                               \
    "  --node ID            the producer's node id (what the compositor's session returned)\n"     \
    "  --emulate PROFILE    start `pwzc emulate --profile PROFILE` and use its node\n"             \
    "  --sandbox            run in a private PipeWire + WirePlumber started for this run\n"        \
    "                       (with no --node/--emulate: --emulate gnome-headless)\n"                \
    "  --mutter             open a screencast through org.gnome.Mutter.ScreenCast (GNOME)\n"       \
    "  --monitor NAME       with --mutter: the monitor's connector (default: the first)\n"         \
    "  --virtual            record a virtual monitor (Mutter RecordVirtual; portal: virtual)\n"    \
    "  --window ID          with --mutter: record a window (RecordWindow)\n"                       \
    "  --portal             open a screencast through org.freedesktop.portal.ScreenCast\n"         \
    "  --source TYPE        with --portal: monitor, window or virtual (default monitor)\n"         \
    "  --cursor MODE        hidden, embedded (default) or metadata\n"                              \
    "  --restore            with --portal: reuse the saved restore token (no dialog)\n"            \
    "  --size WxH, --fps N  passed to the emulator\n"                                              \
    "  --timeout S          how long to wait for each offer to settle (default 3)\n"

static const struct command commands[] = {
    {"list", cmd_list, SESSION_USAGE " [--json]",
     "the screencast nodes there are, and what each offers (SHM only or DMA-BUF)", true,
     "  (no session option: the running daemon's nodes, as they are; with one, that\n"
     "  session's daemon, its producer marked)\n"},
    {"probe", cmd_probe, SESSION_USAGE " [--offers LIST | --clients[=LIST]] [--json]",
     "try every offer against a producer and recommend one", true,
     "  --offers LIST        only these built-in offers, comma-separated\n"
     "  --list-offers        list the built-in offers and exit (one a line; --json)\n"
     "  --clients[=LIST]     will these apps work here? replay client profiles\n"
     "                       (obs, webrtc, ...; all when no LIST; or .client paths)\n"
     "  --list-clients       list the client profiles and exit (one a line; --json)\n"
     "  --allow-backend-restart  through the portal, also try offers the producer would\n"
     "                       refuse (on PipeWire 1.x they can take its backend down)\n"},
    {"negotiate", cmd_negotiate,
     SESSION_USAGE " (--offer NAME | --client NAME | --format F [--modifier M] [--data-types T])",
     "trace one offer's negotiation in full", true,
     "  --offer NAME         a built-in offer (see `pwzc probe --list-offers`)\n"
     "  --format F[,F...]    build an offer by hand: video formats (BGRx, BGRA, RGBx, ...)\n"
     "  --modifier M[,M...]  DRM modifiers (LINEAR, INVALID, 0x...); none: no modifier property\n"
     "  --data-types T       memfd,dmabuf,memptr (default memfd,memptr; dmabuf with a modifier)\n"
     "  --client NAME|PATH   a client profile, every fallback step traced (see probe --clients)\n"},
    {"capture", cmd_capture,
     SESSION_USAGE " -o FILE [--frames N | --duration S] [--path P] [--encoder E]",
     "capture the screencast into an MP4, Matroska or raw H.264 file (or stdout)", true,
     "  -o, --output FILE    NAME.mp4, NAME.mkv: H.264 in a container, with timestamps and\n"
     "                       colour; any other name raw Annex-B H.264; - for stdout (raw;\n"
     "                       then nothing else goes there)\n"
     "  --frames N           stop after N frames\n"
     "  --duration S         stop after S seconds of frames\n"
     "  --path P             auto, zerocopy (DMA-BUF -> EGL -> CUDA), shm-cuda, shm-cpu\n"
     "  --encoder E          auto (NVENC, else software), nvenc, software (openh264)\n"
     "  --codec h264         the only codec\n"
     "  --bitrate B          bits per second: 8M (default), 2500k, ...\n"
     "  --reconnect[=S]      the daemon restarts: wait S s (default 10) for it, reconnect, go "
     "on\n"},
    {"bench", cmd_bench,
     SESSION_USAGE " [--duration S] [--warmup S] [--path P] [--encoder E|none] [--json]",
     "measure the capture pipeline: fps, jitter, per-stage latency, CPU and GPU", true,
     "  --duration S         seconds measured, after the warmup (default 5)\n"
     "  --warmup S           seconds run before measuring (default 1)\n"
     "  --path P             auto, zerocopy, shm-cuda, shm-cpu (as capture)\n"
     "  --encoder E          auto, nvenc, software, none (capture and convert only)\n"
     "  --copy-only          capture only: each frame copied out once, nothing else\n"
     "  --min-fps X          exit 17 when fewer frames per second were measured\n"
     "  --max-latency-p99-ms Y  exit 17 when the p99 producer-to-encoded latency is above Y\n"
     "  --plot FILE.svg      frame intervals and stage times over time, as SVG\n"},
    {"emulate", cmd_emulate, "[--profile NAME|PATH] [--size WxH] [--fps N] [--frames N]",
     "a PipeWire video producer that behaves like a named compositor", false,
     "  --profile NAME|PATH  a profile from data/profiles/ or a file (default gnome-headless)\n"
     "  --size WxH           frame size (default: the profile's)\n"
     "  --fps N              frames per second; 0: as fast as the consumer takes them\n"
     "  --frames N           stop after N frames\n"
     "  --list-profiles      list the profiles and exit (one a line; --json)\n"},
};

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static const char global_help[] =
    "global options (before or after the command):\n"
    "  --json               print the result as JSON (schemas in the data directory)\n"
    "  -v, --verbose        say more on stderr (twice: PipeWire's own debug log)\n"
    "  --remote NAME        the PipeWire remote to connect to\n"
    "  --fd N               an already-connected PipeWire socket, as a portal hands out\n"
    "  -h, --help           this help; `pwzc help CMD` for one command\n"
    "  -V, --version        versions: compiled, linked and the running daemon's\n";

void pwzc_print_command_help(FILE *out, const char *name)
{
    const struct command *cmd = find_command(name);

    if (!cmd)
        return;
    fprintf(out, "usage: pwzc %s %s\n\n%s.\n\n", cmd->name, cmd->usage, cmd->summary);
    if (cmd->session)
        fprintf(out, "session options (see pwzc(1)):\n%s\n", SESSION_HELP);
    fprintf(out, "%s options:\n%s\n%s", cmd->name, cmd->options_help, global_help);
}

static void print_help(FILE *out)
{
    fprintf(out, "usage: pwzc [global options] COMMAND [options]\n\n"
                 "Finds out why a Linux screencast gives no frames.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "  %-10s %s\n\n%s\nFirst run: pwzc probe --sandbox\n", "help",
            "show a command's options", global_help);
}

/* What --version says, gathered once: its text and its JSON are both rendered from this. */
static struct json_object *version_tree(const struct pwzc_options *opts)
{
    struct json_object *tree = json_object_new_object(), *pw = json_object_new_object();
    char daemon[512];
    bool reachable = connection_daemon_version(opts, daemon, sizeof(daemon)) == 0;
    const char *sanitizers = NULL;

#ifdef PWZC_SANITIZERS
    /* valgrind cannot run an ASan binary: its test reads this to know it must skip. */
    sanitizers = PWZC_SANITIZERS;
#endif
    json_object_object_add(tree, "pwzc", json_object_new_string(PACKAGE_VERSION));
    json_object_object_add(pw, "compiled", json_object_new_string(pw_get_headers_version()));
    json_object_object_add(pw, "linked", json_object_new_string(pw_get_library_version()));
    json_object_object_add(pw, "daemon", reachable ? json_object_new_string(daemon) : NULL);
    json_object_object_add(pw, "daemon_error", reachable ? NULL : json_object_new_string(daemon));
    json_object_object_add(
        pw, "features",
        versions_features_json(pw_get_library_version(), reachable ? daemon : NULL));
    json_object_object_add(tree, "pipewire", pw);
    json_object_object_add(tree, "sanitizers",
                           sanitizers ? json_object_new_string(sanitizers) : NULL);
#ifdef HAVE_LIBAVFORMAT
    {
        char compiled[64], linked[64];
        struct json_object *av = json_object_new_object();
        snprintf(compiled, sizeof(compiled), "%d.%d.%d", LIBAVFORMAT_VERSION_MAJOR,
                 LIBAVFORMAT_VERSION_MINOR, LIBAVFORMAT_VERSION_MICRO);
        snprintf(linked, sizeof(linked), "%u.%u.%u", avformat_version() >> 16,
                 avformat_version() >> 8 & 0xff, avformat_version() & 0xff);
        json_object_object_add(av, "compiled", json_object_new_string(compiled));
        json_object_object_add(av, "linked", json_object_new_string(linked));
        json_object_object_add(av, "ffmpeg", json_object_new_string(av_version_info()));
        json_object_object_add(tree, "libavformat", av);
    }
#else
    json_object_object_add(tree, "libavformat", NULL);
#endif
#ifdef HAVE_EGL
    json_object_object_add(tree, "egl", json_object_new_boolean(true));
#else
    json_object_object_add(tree, "egl", json_object_new_boolean(false));
#endif
    return tree;
}

static int print_version(const struct pwzc_options *opts)
{
    struct json_object *tree = version_tree(opts);

    report_print(stdout, "version", tree, opts);
    json_object_put(tree);
    return 0;
}

static bool takes_value(const char *arg, const char *name)
{
    return strcmp(arg, name) == 0;
}

static const char *value_of(const char *arg, const char *name)
{
    size_t n = strlen(name);

    if (strncmp(arg, name, n) == 0 && arg[n] == '=')
        return arg + n + 1;
    return NULL;
}

/* Global options may stand before or after the command (`pwzc probe --json` is what people type),
 * so they are taken out of argv here and the rest is left to the command's getopt. */
static int take_global(struct pwzc_options *opts, int *i, int argc, char **argv, bool *taken,
                       struct pwzc_error *err)
{
    const char *arg = argv[*i], *v;

    *taken = true;
    if (strcmp(arg, "--json") == 0)
        opts->json = true;
    else if (strcmp(arg, "-v") == 0 || strcmp(arg, "--verbose") == 0)
        opts->verbose++;
    else if (strcmp(arg, "-vv") == 0)
        opts->verbose += 2;
    else if ((v = value_of(arg, "--remote")) || takes_value(arg, "--remote")) {
        if (!v && (*i + 1 >= argc || !(v = argv[++*i])))
            return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "--remote needs a remote name");
        opts->remote = v;
    } else if ((v = value_of(arg, "--fd")) || takes_value(arg, "--fd")) {
        uint32_t fd;
        if (!v && *i + 1 < argc)
            v = argv[++*i];
        if (pwzc_parse_u32(v, &fd) < 0 || fd > INT_MAX)
            return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "--fd needs a file descriptor number");
        opts->fd = (int)fd;
    } else
        *taken = false;
    return 0;
}

static void init_options(struct pwzc_options *opts, const char *argv0)
{
    const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
    /* A dumb terminal (Emacs' shell, some CI logs) shows escape codes as they are: no colour,
     * and no progress line either, since it is redrawn with one ("\r\033[K"). */
    bool dumb = term && strcmp(term, "dumb") == 0;

    *opts = (struct pwzc_options){.fd = -1, .argv0 = argv0};
    opts->terminal = isatty(STDOUT_FILENO);
    opts->color = opts->terminal && !(no_color && *no_color) && !dumb;
    opts->progress = isatty(STDERR_FILENO) && !dumb;
}

/* A command returns its answer (0, or 1 for "it does not work") or a negative errno with the
 * error filled where it was understood: that error is the one line and the exit code. */
static int finish(struct pwzc_error *err, int res)
{
    if (res >= 0)
        return res;
    if (err->exit_code == 0)
        pwzc_fail(err, PWZC_EXIT_INTERNAL, res, "%s (a bug: please report it)", strerror(-res));
    fprintf(stderr, "pwzc: %s\n", err->message);
    return err->exit_code;
}

int main(int argc, char **argv)
{
    struct pwzc_options opts;
    struct pwzc_error err = {0};
    const struct command *cmd = NULL;
    char **rest = calloc((size_t)argc + 1, sizeof(char *));
    int n_rest = 0, rc;
    bool help = false, version = false;

    if (!rest)
        return PWZC_EXIT_INTERNAL;
    init_options(&opts, argv[0]);
    rest[n_rest++] = argv[0];
    for (int i = 1; i < argc; i++) {
        bool taken;
        if (strcmp(argv[i], "--") == 0) {
            while (i < argc)
                rest[n_rest++] = argv[i++];
            break;
        }
        if (take_global(&opts, &i, argc, argv, &taken, &err) < 0)
            goto out;
        if (taken)
            continue;
        if (!cmd && argv[i][0] == '-') {
            if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
                help = true;
            else if (strcmp(argv[i], "-V") == 0 || strcmp(argv[i], "--version") == 0)
                version = true;
            else {
                pwzc_fail(&err, PWZC_EXIT_USAGE, -EINVAL, "unknown option '%s' (see pwzc --help)",
                          argv[i]);
                goto out;
            }
            continue;
        }
        if (!cmd && n_rest == 1) {
            if (strcmp(argv[i], "help") == 0) {
                if (i + 1 < argc && find_command(argv[i + 1]))
                    pwzc_print_command_help(stdout, argv[i + 1]);
                else if (i + 1 < argc) {
                    pwzc_fail(&err, PWZC_EXIT_USAGE, -EINVAL, "unknown command '%s'", argv[i + 1]);
                    goto out;
                } else
                    print_help(stdout);
                free(rest);
                return PWZC_EXIT_OK;
            }
            if (!(cmd = find_command(argv[i]))) {
                pwzc_fail(&err, PWZC_EXIT_USAGE, -EINVAL, "unknown command '%s' (see pwzc --help)",
                          argv[i]);
                goto out;
            }
        }
        rest[n_rest++] = argv[i];
    }
    if (version) {
        pw_init(NULL, NULL);
        rc = print_version(&opts);
        pw_deinit();
        free(rest);
        return rc;
    }
    if (help || !cmd) {
        print_help(help ? stdout : stderr);
        free(rest);
        return help ? PWZC_EXIT_OK : PWZC_EXIT_USAGE;
    }
    /* -vv: PipeWire's own log on stderr, the first place to look when pwzc's story is short. */
    if (opts.verbose >= 2)
        setenv("PIPEWIRE_DEBUG", opts.verbose >= 3 ? "4" : "3", 0);
    pw_init(NULL, NULL);
    rc = cmd->run(&opts, n_rest - 1, rest + 1, &err);
    pw_deinit();
    free(rest);
    return finish(&err, rc);
out:
    free(rest);
    return finish(&err, -EINVAL);
}
