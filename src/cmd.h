/* A subcommand's entry, as tmux's cmd-*.c each own a cmd_entry: its name, usage, option table
 * and run. pwzc.c lists the entries; --help and the option parsing are made from the tables, so
 * an option is declared once, where its command is. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "pwzc.h"

enum cmd_arg {
    CMD_ARG_NONE,
    CMD_ARG_REQUIRED,
    CMD_ARG_OPTIONAL,      /* only as --name=VALUE */
    CMD_ARG_OPTIONAL_WORD, /* --name=VALUE, or the next word when it is no option */
};

struct cmd_option {
    const char *name; /* the long name, without "--" */
    int key;          /* its short letter, or an id of 0x100 and above */
    enum cmd_arg arg;
    const char *spec; /* as --help shows it ("--node ID"); NULL: the line before says it */
    const char *help; /* its --help text; a '\n' starts a continuation line */
};

struct cmd_entry {
    const char *name;
    const char *usage; /* after the session options' usage, where it takes them */
    const char *summary;
    const struct cmd_option *options; /* its own, ending with {NULL} */
    const char *options_note;         /* free text under its options in --help */
    /* It takes the session options: its args struct then begins with a struct
     * session_options, which the shared parser fills. */
    bool session;
    size_t args_size;
    void (*init)(void *args);
    /* One of its options and its value: 0, or a negative errno with the usage error filled. */
    int (*option)(void *args, int key, const char *value, struct pwzc_error *err);
    /* Its answer (0, or PWZC_EXIT_NOT_WORKING) or a negative errno with the error filled. */
    int (*run)(const struct pwzc_options *opts, void *args, struct pwzc_error *err);
};

extern const struct cmd_entry cmd_list_entry, cmd_probe_entry, cmd_negotiate_entry,
    cmd_capture_entry, cmd_bench_entry, cmd_emulate_entry, cmd_watch_entry, cmd_learn_entry;

/* getopt over argv with the entry's options (and the session's, where it takes them) into args;
 * *help when -h or --help came, which ends the parsing. An unknown option or a stray word is a
 * usage error naming the command. */
int cmd_parse(const struct cmd_entry *e, int argc, char **argv, void *args, bool *help,
              struct pwzc_error *err);

/* CMD --help, from the entry and its tables. */
void cmd_print_help(FILE *out, const struct cmd_entry *e, const char *global_help);

/* An option table's --help lines: "  SPEC  HELP", continuation lines aligned under HELP. */
void cmd_print_options(FILE *out, const struct cmd_option *options);
