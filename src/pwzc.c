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
#include "libav.h"
#endif

#include "cmd.h"
#include "pwzc.h"
#include "session-options.h"
#include "versions.h"
#include "connection.h"
#include "report.h"

/* In `pwzc --help`'s order. */
static const struct cmd_entry *const entries[] = {
    &cmd_list_entry,  &cmd_probe_entry, &cmd_negotiate_entry, &cmd_capture_entry,
    &cmd_bench_entry, &cmd_watch_entry, &cmd_learn_entry,     &cmd_emulate_entry,
};

static const struct cmd_entry *find_entry(const char *name)
{
    for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
        if (strcmp(entries[i]->name, name) == 0)
            return entries[i];
    return NULL;
}

/* Taken out of argv by take_global wherever they stand; this table is their --help. */
static const struct cmd_option global_options[] = {
    {"json", 0, CMD_ARG_NONE, "--json", "print the result as JSON (schemas in the data directory)"},
    {"verbose", 'v', CMD_ARG_NONE, "-v, --verbose",
     "say more on stderr (twice: PipeWire's own debug log)"},
    {"remote", 0, CMD_ARG_REQUIRED, "--remote NAME", "the PipeWire remote to connect to"},
    {"fd", 0, CMD_ARG_REQUIRED, "--fd N",
     "an already-connected PipeWire socket, as a portal hands out"},
    {"help", 'h', CMD_ARG_NONE, "-h, --help", "this help; `pwzc help CMD` for one command"},
    {"version", 'V', CMD_ARG_NONE, "-V, --version",
     "versions: compiled, linked and the running daemon's"},
    {NULL, 0, 0, NULL, NULL},
};

static char global_help[1024];

static void make_global_help(void)
{
    FILE *f = fmemopen(global_help, sizeof(global_help), "w");

    if (!f)
        return;
    fprintf(f, "global options (before or after the command):\n");
    cmd_print_options(f, global_options);
    fclose(f);
}

static void print_help(FILE *out)
{
    fprintf(out, "usage: pwzc [global options] COMMAND [options]\n\n"
                 "Finds out why a Linux screencast gives no frames.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
        fprintf(out, "  %-10s %s\n", entries[i]->name, entries[i]->summary);
    fprintf(out, "  %-10s %s\n\n%s\nFirst run: pwzc probe --sandbox\n", "help",
            "show a command's options", global_help);
}

#ifdef HAVE_LIBAVFORMAT
/* What capture's containers would use: loading it here is what tells whether it loads. */
static struct json_object *libavformat_json(void)
{
    char compiled[64], loaded[64];
    struct json_object *av = json_object_new_object();
    const char *why = NULL;
    const struct libav *lib = libav_load(&why);

    snprintf(compiled, sizeof(compiled), "%d.%d.%d", LIBAVFORMAT_VERSION_MAJOR,
             LIBAVFORMAT_VERSION_MINOR, LIBAVFORMAT_VERSION_MICRO);
    json_object_object_add(av, "compiled", json_object_new_string(compiled));
    json_object_object_add(av, "soname", json_object_new_string(libav_soname()));
    if (lib) {
        unsigned v = lib->avformat_version();
        snprintf(loaded, sizeof(loaded), "%u.%u.%u", v >> 16, v >> 8 & 0xff, v & 0xff);
    }
    json_object_object_add(av, "loaded", lib ? json_object_new_string(loaded) : NULL);
    json_object_object_add(av, "ffmpeg",
                           lib ? json_object_new_string(lib->av_version_info()) : NULL);
    json_object_object_add(av, "error", lib ? NULL : json_object_new_string(why));
    return av;
}
#endif

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
    json_object_object_add(tree, "libavformat", libavformat_json());
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

/* A report that did not reach its reader (a full disk, an I/O error) is a failed run, not a
 * success that left half a JSON document behind. An earlier failure keeps its own code. */
static int flush_stdout(struct pwzc_error *err, int rc)
{
    int why;

    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return rc;
    why = report_write_error() ? report_write_error() : errno ? errno : EIO;
    if (rc < 0)
        return rc;
    return pwzc_fail(err, PWZC_EXIT_OUTPUT, -why, "cannot write standard output: %s",
                     strerror(why));
}

/* The command's options into its args, then its run, or its --help. */
static int run_command(const struct cmd_entry *e, const struct pwzc_options *opts, int argc,
                       char **argv, struct pwzc_error *err)
{
    void *args = calloc(1, e->args_size);
    bool help;
    int res;

    if (!args)
        return pwzc_fail(err, PWZC_EXIT_INTERNAL, -ENOMEM, "out of memory");
    if (e->session)
        session_options_init(args);
    if (e->init)
        e->init(args);
    if ((res = cmd_parse(e, argc, argv, args, &help, err)) == 0 && help)
        cmd_print_help(stdout, e, global_help);
    else if (res == 0)
        res = e->run(opts, args, err);
    free(args);
    return res;
}

int main(int argc, char **argv)
{
    struct pwzc_options opts;
    struct pwzc_error err = {0};
    const struct cmd_entry *cmd = NULL;
    char **rest = calloc((size_t)argc + 1, sizeof(char *));
    int n_rest = 0, rc;
    bool help = false, version = false;

    if (!rest)
        return PWZC_EXIT_INTERNAL;
    make_global_help();
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
                if (i + 1 < argc && find_entry(argv[i + 1]))
                    cmd_print_help(stdout, find_entry(argv[i + 1]), global_help);
                else if (i + 1 < argc) {
                    pwzc_fail(&err, PWZC_EXIT_USAGE, -EINVAL, "unknown command '%s'", argv[i + 1]);
                    goto out;
                } else
                    print_help(stdout);
                free(rest);
                return PWZC_EXIT_OK;
            }
            if (!(cmd = find_entry(argv[i]))) {
                pwzc_fail(&err, PWZC_EXIT_USAGE, -EINVAL, "unknown command '%s' (see pwzc --help)",
                          argv[i]);
                goto out;
            }
        }
        rest[n_rest++] = argv[i];
    }
    if (version) {
        pw_init(NULL, NULL);
        rc = flush_stdout(&err, print_version(&opts));
        pw_deinit();
        free(rest);
        return finish(&err, rc);
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
    rc = flush_stdout(&err, run_command(cmd, &opts, n_rest - 1, rest + 1, &err));
    pw_deinit();
    free(rest);
    return finish(&err, rc);
out:
    free(rest);
    return finish(&err, -EINVAL);
}
