/* A small INI reader that knows line numbers, for profile files people write by hand. */
#pragma once

#include <stddef.h>

#include <json-c/json.h>

#include "error.h"

/* Called for each "key = value" and with key == NULL at each [section] start. Returns 0, or a
 * negative errno with the reason (without the file and line: ini_parse adds them) in err. */
typedef int (*ini_handler)(void *data, const char *section, const char *key, const char *value,
                           struct pwzc_error *err);

/* Parses text; on failure err (exit 3) reads "FILE:LINE: reason" and the handler's errno is
 * returned. */
int ini_parse(const char *text, const char *filename, ini_handler handler, void *data,
              struct pwzc_error *err);

/* A free-text value (a description, a name) into its field, cut to the field's size: 0. */
int ini_text(char *dst, size_t size, const char *value);

/* Reads a whole file (profiles are small: at most 64 KiB). */
int ini_read_file(const char *path, char **text);

/* The data files of one kind: DATADIR/DIR/NAME.EXT (profiles, clients). */
struct ini_kind {
    const char *dir, *ext, *noun; /* "profiles", "profile", "profile" */
};

/* "a, b, c": the names of that kind in the data directory, or "none (...)". */
void ini_list(const struct ini_kind *kind, char *buf, size_t size);
/* The same names, in file name order, as a JSON array of strings (empty when there are none). */
struct json_object *ini_names(const struct ini_kind *kind);

/* Reads NAME (looked up in the data directory) or a path (anything with a '/'); *path gets
 * which file. On failure err (exit 3) says why, listing the known names when NAME is unknown. */
int ini_load(const struct ini_kind *kind, const char *name_or_path, char **text, char *path,
             size_t path_size, struct pwzc_error *err);
