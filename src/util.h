/* Number and size parsing, the clock and where pwzc and its data live: what util.c defines. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Seconds and milliseconds as the user types them ("1.5"), for --timeout and friends; sizes as
 * WIDTHxHEIGHT. -EINVAL for what is not such a value, -ERANGE for one outside these limits. */
#define PWZC_SECONDS_MAX 86400
#define PWZC_SIZE_MAX    16384
#define PWZC_SIZE_RANGE  "width and height from 1 to 16384"
int pwzc_parse_ms(const char *text, uint32_t *ms);
int pwzc_parse_u32(const char *text, uint32_t *value);
int pwzc_parse_size(const char *text, uint32_t *width, uint32_t *height);

/* The one line a bad value gets, as a usage error (exit 2): "WHAT 'VALUE' is out of range
 * (RANGE)" when res is -ERANGE and there is a range, else "WHAT 'VALUE' is not EXPECTED". */
int pwzc_bad_value(struct pwzc_error *err, const char *what, const char *value, int res,
                   const char *expected, const char *range);
/* An option's whole number from 0 to max into *out: 0, or pwzc_bad_value's usage error with the
 * range "0 to MAX". */
int pwzc_parse_u32_option(const char *what, const char *value, uint32_t max, const char *expected,
                          uint32_t *out, struct pwzc_error *err);
/* The same, between min and max. */
int pwzc_parse_u32_range_option(const char *what, const char *value, uint32_t min, uint32_t max,
                                const char *expected, uint32_t *out, struct pwzc_error *err);

/* Adds v to the set set[0..*n) unless it is there or the set already holds max. */
void pwzc_id_set_add(uint32_t *set, uint32_t *n, uint32_t max, uint32_t v);

/* CLOCK_MONOTONIC in ns: the emulator stamps frames with it, so latency needs no clock sync. */
uint64_t pwzc_now_ns(void);

/* This binary's path, to start the emulator as a child process. */
const char *pwzc_self_path(void);

/* Where data/ lives: $PWZC_DATADIR, the build tree beside the binary, or pkgdatadir. */
const char *pwzc_datadir(void);
