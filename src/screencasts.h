/* pwzc list: the screencast nodes a connection sees, each with what its output port offers. */
#pragma once

#include <stdint.h>

#include <json-c/json.h>

#include "registry.h"

/* {"nodes": [...]} as pwzc-list.schema.json says: every Video/Source and Stream/Output/Video
 * node, its EnumFormats read from its output port (waiting up to timeout_ms for the port), and
 * whether any of them carries a modifier (DMA-BUF) or none does (SHM only). session_node is
 * the node a session opened (marked in the list), or SPA_ID_INVALID. */
struct json_object *screencasts_gather(struct registry *r, uint32_t session_node,
                                       uint32_t timeout_ms);
