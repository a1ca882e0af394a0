/* Renders a command's JSON tree: as JSON with --json, as tables and timelines otherwise.
 * Both come from the same tree, so they can never disagree. */
#pragma once

#include <stdio.h>

#include <json-c/json.h>

#include "pwzc.h"

void report_print(FILE *out, const char *command, struct json_object *tree,
                  const struct pwzc_options *opts);
/* Why a report could not be written (an errno), 0 when every one was: stdio keeps only that a
 * write failed, and main says why (a full disk) once it has flushed. */
int report_write_error(void);

/* report_print's text for "list" (pwzc list) and "catalog" (the --list-* options). */
void report_print_list(FILE *out, struct json_object *tree, const struct pwzc_options *opts);
void report_print_catalog(FILE *out, struct json_object *tree, const struct pwzc_options *opts);
/* A string array as "a,b,c" ("-" when empty or absent), for table cells. */
void report_join(struct json_object *arr, char *buf, size_t size);
/* report_print's text for "watch": a row per running screencast link, then each one's reason. */
void report_print_watch(FILE *out, struct json_object *tree, const struct pwzc_options *opts);

struct emulator_ready;
/* The emulator's ready line on stdout: one line of JSON (what the session reads) or of text. */
void report_emulator_ready(FILE *out, const struct emulator_ready *ready,
                           const struct pwzc_options *opts);

/* "shm, memfd, ..." for error messages and help. */
const char *report_offer_names(void);

/* One line of progress on stderr (a terminal only); NULL clears it. */
void report_progress(const struct pwzc_options *opts, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A tree's member (NULL when absent or obj is no object), and a string member with a fallback for
 * absent or null: how the renderers read the tree. */
struct json_object *report_get(struct json_object *obj, const char *key);
const char *report_get_str(struct json_object *obj, const char *key, const char *fallback);
