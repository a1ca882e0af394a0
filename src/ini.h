/* A small INI reader that knows line numbers, for profile files people write by hand. */
#pragma once

#include <stddef.h>

/* Called for each "key = value" and with key == NULL at each [section] start.
 * Returns 0, or a negative errno after writing the reason (without the line) into err. */
typedef int (*ini_handler)(void *data, const char *section, const char *key, const char *value,
                           char *err, size_t err_size);

/* Parses text; on failure err reads "FILE:LINE: reason" and the handler's errno is returned. */
int ini_parse(const char *text, const char *filename, ini_handler handler, void *data, char *err,
              size_t err_size);

/* Reads a whole file (profiles are small: at most 64 KiB). */
int ini_read_file(const char *path, char **text);
