/* The one option parser every command goes through, and --help made from the same tables. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "cmd.h"
#include "session-options.h"

#define OPT_HELP   0x0fff
#define OPTION_MAX 64

static size_t count(const struct cmd_option *options)
{
    size_t n = 0;

    while (options && options[n].name)
        n++;
    return n;
}

static int has_arg(enum cmd_arg arg)
{
    return arg == CMD_ARG_NONE       ? no_argument
           : arg == CMD_ARG_REQUIRED ? required_argument
                                     : optional_argument;
}

/* getopt's tables from ours: the session's, the command's, and -h/--help for all. */
static size_t getopt_tables(const struct cmd_entry *e, struct option *longopts, char *shortopts)
{
    const struct cmd_option *tables[] = {e->session ? session_option_table : NULL, e->options};
    size_t n = 0, s = 0;

    shortopts[s++] = 'h';
    for (size_t t = 0; t < 2; t++)
        for (size_t i = 0; i < count(tables[t]) && n < OPTION_MAX - 2; i++) {
            const struct cmd_option *o = &tables[t][i];
            longopts[n++] = (struct option){o->name, has_arg(o->arg), NULL, o->key};
            if (o->key < 0x100 && isalpha(o->key)) {
                shortopts[s++] = (char)o->key;
                if (o->arg == CMD_ARG_REQUIRED)
                    shortopts[s++] = ':';
            }
        }
    longopts[n++] = (struct option){"help", no_argument, NULL, OPT_HELP};
    longopts[n] = (struct option){NULL, 0, NULL, 0};
    shortopts[s] = '\0';
    return n;
}

static const struct cmd_option *find_key(const struct cmd_option *options, int key)
{
    for (size_t i = 0; i < count(options); i++)
        if (options[i].key == key)
            return &options[i];
    return NULL;
}

/* `--clients obs,webrtc` as well as `--clients=obs,webrtc`. */
static const char *value_of(const struct cmd_option *o, int argc, char **argv)
{
    if (optarg || o->arg != CMD_ARG_OPTIONAL_WORD)
        return optarg;
    return optind < argc && argv[optind][0] != '-' ? argv[optind++] : NULL;
}

int cmd_parse(const struct cmd_entry *e, int argc, char **argv, void *args, bool *help,
              struct pwzc_error *err)
{
    struct option longopts[OPTION_MAX];
    char shortopts[2 * OPTION_MAX];
    const struct cmd_option *o;
    int c, res;

    getopt_tables(e, longopts, shortopts);
    *help = false;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (c == 'h' || c == OPT_HELP) {
            *help = true;
            return 0;
        }
        if (e->session && find_key(session_option_table, c))
            res = session_options_parse(args, c, optarg, err);
        else if ((o = find_key(e->options, c)))
            res = e->option(args, c, value_of(o, argc, argv), err);
        else
            res = pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "%s: unknown option '%s'", e->name,
                            argv[optind - 1]);
        if (res < 0)
            return res;
    }
    if (optind < argc)
        return pwzc_fail(err, PWZC_EXIT_USAGE, -EINVAL, "%s: unexpected '%s'", e->name,
                         argv[optind]);
    return 0;
}

void cmd_print_options(FILE *out, const struct cmd_option *options)
{
    for (size_t i = 0; i < count(options); i++) {
        const char *help = options[i].help, *nl;
        if (!options[i].spec)
            continue;
        if (strlen(options[i].spec) <= 20)
            fprintf(out, "  %-20s ", options[i].spec);
        else
            fprintf(out, "  %s  ", options[i].spec);
        for (; (nl = strchr(help, '\n')); help = nl + 1)
            fprintf(out, "%.*s\n%23s", (int)(nl - help), help, "");
        fprintf(out, "%s\n", help);
    }
}

void cmd_print_help(FILE *out, const struct cmd_entry *e, const char *global_help)
{
    fprintf(out, "usage: pwzc %s %s%s%s\n\n%s.\n\n", e->name, e->session ? SESSION_USAGE : "",
            e->session ? " " : "", e->usage, e->summary);
    if (e->session) {
        fprintf(out, "session options (see pwzc(1)):\n");
        cmd_print_options(out, session_option_table);
        fprintf(out, "\n");
    }
    fprintf(out, "%s options:\n", e->name);
    cmd_print_options(out, e->options);
    fprintf(out, "%s\n%s", e->options_note ? e->options_note : "", global_help);
}
