/* The session options: where the producer comes from (a node id, the emulator, Mutter or a
 * portal) and how long to wait for it. Declared once, in one table; every command that connects
 * takes them through the shared parser (cmd.h). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cmd.h"
#include "session-mutter.h"
#include "session-portal.h"

/* "[--sandbox] [--node ID | ...]": the head of a session-taking command's usage. */
#define SESSION_USAGE "[--sandbox] [--node ID | --emulate PROFILE | --mutter | --portal]"

/* The option table (keys from 0x1000), in --help's order. */
extern const struct cmd_option session_option_table[];

enum session_kind { SESSION_NODE, SESSION_EMULATE, SESSION_MUTTER, SESSION_PORTAL };

struct session_options {
    enum session_kind kind;
    struct mutter_options mutter;
    struct portal_options portal;
    const char *cursor; /* hidden, embedded, metadata: mapped per API */
    bool has_node;
    uint32_t node_id;
    const char *emulate; /* profile name or path */
    bool sandbox;
    uint32_t width, height;
    int32_t fps; /* -1: the profile's */
    uint32_t timeout_ms;
};

void session_options_init(struct session_options *o);
/* One session option and its value: 0, or a negative errno with the usage error filled. */
int session_options_parse(struct session_options *o, int key, const char *value,
                          struct pwzc_error *err);
/* Checks the combination once all options are read; fills in the defaults. */
int session_options_check(struct session_options *o, const struct pwzc_options *opts,
                          struct pwzc_error *err);

/* --size and --fps, shared with `pwzc emulate`: the value, or the one line a bad one gets. */
int session_parse_size(const char *value, uint32_t *width, uint32_t *height,
                       struct pwzc_error *err);
int session_parse_fps(const char *value, int32_t *fps, struct pwzc_error *err);
