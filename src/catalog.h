/* What a user can name on the command line: the built-in offers, the emulator profiles and the
 * client profiles, each as {name, description}, for --list-offers, --list-profiles,
 * --list-clients and the shell completion that reads them. */
#pragma once

#include <json-c/json.h>

#include "pwzc.h"

enum catalog_kind { CATALOG_OFFERS, CATALOG_PROFILES, CATALOG_CLIENTS };

/* {"list": "offers", "items": [{"name", "description", "problem"}]} (pwzc-catalog.schema.json).
 * A profile that cannot be read is listed with its problem, not left out. */
struct json_object *catalog_gather(enum catalog_kind kind);

/* Gathers and prints: JSON with --json, else one "NAME  DESCRIPTION" line per item. */
int catalog_print(enum catalog_kind kind, const struct pwzc_options *opts);
