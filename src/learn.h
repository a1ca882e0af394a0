/* pwzc learn: a running consumer's input port, as the wire shows it, written as a client
 * profile (data/clients/FORMAT) that pwzc can replay. */
#pragma once

#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "connection.h"
#include "wire.h"

struct learn_result {
    uint32_t node_id;
    char node_name[128], app[128];
    char daemon_version[64];
    char date[16]; /* YYYY-MM-DD, when the snapshot was taken */
    struct wire_port port;
};

/* Snapshots the node's input port. -ENOENT: no such node; -ENOTCONN: no input port (not a
 * consumer); -ENODATA: its port carries no EnumFormat (not negotiating: nothing to learn). */
int learn_node(struct connection *c, uint32_t node_id, uint32_t timeout_ms,
               struct learn_result *out);
void learn_result_clear(struct learn_result *l);

/* The client profile, header comment included; what a snapshot cannot know is said there. */
int learn_write_profile(const struct learn_result *l, FILE *f);
/* {"node_id", "name", "application", "daemon", "path", "port": wire_port_to_json} */
struct json_object *learn_to_json(const struct learn_result *l, const char *path);
