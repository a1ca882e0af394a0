/* What a running port carries, as the daemon shows it (pw-dump's view): its EnumFormats in
 * order, its Format, its Buffers and Meta params. Read passively: no stream of our own. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>
#include <spa/pod/pod.h>

#include "registry.h"

#define WIRE_MAX_PARAMS 16

struct wire_port {
    uint32_t port_id, node_id;
    bool output;
    struct spa_pod *enum_formats[WIRE_MAX_PARAMS]; /* copies, in the port's order */
    uint32_t n_enum_formats;
    struct spa_pod *format; /* NULL: none agreed (yet) */
    struct spa_pod *buffers[WIRE_MAX_PARAMS];
    uint32_t n_buffers;
    struct spa_pod *metas[WIRE_MAX_PARAMS];
    uint32_t n_metas;
};

/* What the Buffers params say about buffer memory: the dataType bits of all of them (1 << SPA
 * data type), and how the first one writes it (a plain Int, or a Choice of flags). */
struct wire_data_types {
    bool known; /* some Buffers param with a dataType */
    uint32_t mask;
    bool plain_int;
};

/* The shape of a port's EnumFormats, as the verdicts need it. */
struct wire_shape {
    bool modifier_format;    /* some EnumFormat with a modifier property */
    bool plain_format;       /* some EnumFormat without one */
    bool modifier_mandatory; /* every modifier property is MANDATORY */
};

/* Reads one port's params (each pod checked with pod_problem before it is kept). */
int wire_port_read(struct registry *r, uint32_t port_id, uint32_t timeout_ms, struct wire_port *p);
void wire_port_clear(struct wire_port *p);

void wire_port_data_types(const struct wire_port *p, struct wire_data_types *out);
void wire_port_shape(const struct wire_port *p, struct wire_shape *out);
/* The SPA meta type of a Meta param (SPA_META_*), SPA_ID_INVALID when it has none. */
uint32_t wire_meta_type(const struct spa_pod *meta);
/* "Header", "VideoDamage", ... */
const char *wire_meta_name(uint32_t type);

/* {"enum_formats": [{summary, pod}], "format": summary|null, "buffers": [pod], "metas": [name],
 *  "data_types": [names]|null, "data_type_pod": "Int"|"Choice"|null} */
struct json_object *wire_port_to_json(const struct wire_port *p);
/* ["MemFd", "DmaBuf"] for a mask. */
struct json_object *wire_data_types_json(uint32_t mask);
