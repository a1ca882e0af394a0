/* What changed between PipeWire versions that a screencast depends on, and whether a version
 * has it: for --version and probe's report. Verdicts never come from these: they come from what
 * the stream does. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

/* "0.3.65" -> 0x000341; 0 when it is not a version. */
uint32_t version_parse(const char *text);

/* [{"name", "since", "library": bool, "daemon": bool|null}, ...] */
struct json_object *versions_features_json(const char *library, const char *daemon);
